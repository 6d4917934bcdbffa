"""Every command-line mistake is answered with one plain line and an exit code, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coprod.environment import free_port

MISTAKES = {
    "no such command": (["nosuch"], "No such command 'nosuch'", 2),
    "a missing argument": (["erase"], "Missing argument", 2),
    "an unknown option": (["up", "--nope"], "No such option: --nope", 2),
    "import without its options": (["import", "x.csv"], "required: --type, --source", 2),
    "import of a missing file": (
        ["import", "missing.csv", "--type", "engagement.recorded", "--source", "urn:x"],
        "there is no file 'missing.csv'",
        1,
    ),
    "import of a file that is not UTF-8": (
        ["import", "latin.csv", "--type", "engagement.recorded", "--source", "urn:x"],
        "not text in UTF-8",
        1,
    ),
    "a rebuild with ingest away": (["projections", "rebuild"], "is coprod running?", 1),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_is_one_plain_line(mistake: str, tmp_path: Path) -> None:
    args, says, code = MISTAKES[mistake]
    (tmp_path / "latin.csv").write_bytes("summary\ncaf\xe9\n".encode("latin-1"))
    env = {name: value for name, value in os.environ.items() if not name.startswith("COPROD_")}
    env |= {"COPROD_DATA_DIR": str(tmp_path / "state"), "COPROD_INGEST_URL": f"http://127.0.0.1:{free_port()}"}
    done = subprocess.run(
        [sys.executable, "-m", "coprod", *args], capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env
    )
    said = [line for line in done.stderr.splitlines() if not line.startswith("{")]  # JSON log lines aside
    assert done.returncode == code
    assert len(said) == 1 and says in said[0], done.stderr
    assert said[0].startswith("coprod")
