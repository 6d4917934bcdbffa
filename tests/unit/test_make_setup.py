"""`make setup` on a Python without its venv module says what to install, and leaves nothing half-made behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_PYTHON = Path(sys.base_prefix) / "bin" / "python3"
NO_VENV_MODULE = f"""#!/bin/sh
# Debian's Python without python3-venv: `-m venv` makes the environment's python, but no pip, then fails
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"; ln -sf {BASE_PYTHON} "$3/bin/python"
  printf 'home = {BASE_PYTHON.parent}\\ninclude-system-site-packages = false\\n' > "$3/pyvenv.cfg"
  exit 1
fi
exec {BASE_PYTHON} "$@"
"""


def _setup(python: Path, venv: Path) -> subprocess.CompletedProcess[str]:
    command = ["make", "--no-print-directory", "setup", f"PYTHON={python}", f"VENV={venv}"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def python_without_venv(tmp_path: Path) -> Path:
    python = tmp_path / "python3"
    python.write_text(NO_VENV_MODULE)
    python.chmod(0o755)
    return python


def test_a_python_without_venv_is_named_and_nothing_is_left(python_without_venv: Path, tmp_path: Path) -> None:
    done = _setup(python_without_venv, tmp_path / "venv")
    assert done.returncode != 0
    assert "sudo apt install python3-venv" in done.stderr
    assert not (tmp_path / "venv").exists()


def test_a_half_made_venv_from_an_earlier_try_is_not_tripped_on(python_without_venv: Path, tmp_path: Path) -> None:
    subprocess.run([python_without_venv, "-m", "venv", tmp_path / "venv"], check=False)
    assert (tmp_path / "venv" / "bin" / "python").exists()
    done = _setup(python_without_venv, tmp_path / "venv")
    assert "sudo apt install python3-venv" in done.stderr
    assert "No such file" not in done.stderr
