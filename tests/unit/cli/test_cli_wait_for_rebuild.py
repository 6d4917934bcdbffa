"""`coprod up` waits for a service rebuilding its figures after an upgrade, however long it takes, and says how far."""

import os
import sys
from pathlib import Path

import pytest

from coprod.environment import free_port
from coprod.processes import ServiceProcess, stop_all
from coprod.up import ServiceFailed, System

# A real process answering /readyz as projections does while it rebuilds, then ready (or never, if told so).
READYZ = """
import http.server, json, sys, time
started, rebuild_for = time.monotonic(), float(sys.argv[2])
class Readyz(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ready = time.monotonic() - started > rebuild_for
        said = {} if ready else {"rebuilding": "The figures are being rebuilt after an upgrade: 40% done."}
        if sys.argv[3] == "stuck":
            ready, said = False, {"database": "not answering"}
        self.send_response(200 if ready else 503)
        self.end_headers()
        self.wfile.write(json.dumps(said).encode())
    def log_message(self, *_):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Readyz).serve_forever()
"""


def _wait(tmp_path: Path, rebuild_for: float, how: str = "rebuilding") -> list[str]:
    port, lines = free_port(), []
    system = System({"COPROD_DATA_DIR": str(tmp_path), "COPROD_PROJECTIONS_PORT": str(port)}, emit=lines.append)
    command = [sys.executable, "-c", READYZ, str(port), str(rebuild_for), how]
    service = ServiceProcess("projections", dict(os.environ), lines.append, command)
    service.start()
    system.services = {"projections": service}
    try:
        system.wait_until_ready(timeout=1, report_every=0.5)
    finally:
        stop_all([service], grace=2)
    return lines


def test_a_rebuild_longer_than_the_timeout_is_waited_for_with_its_progress_shown(tmp_path: Path) -> None:
    lines = _wait(tmp_path, rebuild_for=2.5)
    assert any(line == "projections: The figures are being rebuilt after an upgrade: 40% done." for line in lines)


def test_a_service_not_ready_for_another_reason_still_times_out(tmp_path: Path) -> None:
    with pytest.raises(ServiceFailed, match="not ready after 1 seconds: projections"):
        _wait(tmp_path, rebuild_for=0, how="stuck")
