import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from coprod.cli import app

runner = CliRunner()


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("up", "demo", "ingest", "projections", "notify", "import"):
        assert command in result.output


def test_up_offers_the_demo() -> None:
    result = runner.invoke(app, ["up", "--help"])
    assert result.exit_code == 0 and "--demo" in result.output


def test_demo_without_a_key_says_where_it_looked(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo"], env={"COPROD_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 2
    assert "no --key given" in result.output


def test_the_installed_command_runs() -> None:
    done = subprocess.run([sys.executable, "-m", "coprod", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "coprod" in done.stdout
