import sys
import time
from pathlib import Path

from coprod.processes import ServiceProcess, service_command, stop_all

STUBBORN = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); print('up', flush=True); time.sleep(60)"
# SIGINT handled whatever the test process hands down: an earlier test may leave it ignored, and children inherit that.
POLITE = (
    "import signal, time\nsignal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "try:\n    print('up', flush=True); time.sleep(60)\nexcept KeyboardInterrupt:\n    print('bye')"
)


def started(code: str, lines: list[str], name: str = "ingest") -> ServiceProcess:
    process = ServiceProcess(name, {}, lines.append, [sys.executable, "-c", code])
    process.start()
    deadline = time.monotonic() + 10
    while not lines and time.monotonic() < deadline:
        time.sleep(0.05)
    return process


def test_output_is_tagged_with_the_service_name() -> None:
    lines: list[str] = []
    process = started(POLITE, lines, "notify")
    stop_all([process])
    assert lines == ["notify      | up", "notify      | bye"]
    assert process.exit_code == 0


def test_a_service_that_ignores_sigint_is_terminated() -> None:
    lines: list[str] = []
    process = started(STUBBORN, lines)
    began = time.monotonic()
    stop_all([process], grace=0.5)
    assert process.exit_code is not None and process.exit_code < 0
    assert time.monotonic() - began < 5


def test_services_are_run_as_modules_never_imported() -> None:
    assert service_command("projections", ["rebuild"]) == [sys.executable, "-m", "services.projections", "rebuild"]


def test_exit_code_is_none_while_running(tmp_path: Path) -> None:
    lines: list[str] = []
    process = started(POLITE, lines)
    assert process.exit_code is None
    stop_all([process])
