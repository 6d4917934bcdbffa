"""What `coprod up` writes is for a person: no request-by-request chatter, no colour codes, JSON when asked."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from test_system import KEY, running, system_env

pytestmark = pytest.mark.slow


def _busy_minute(log: list[str], env: dict[str, str]) -> list[str]:
    """Start the system, ask it for figures a few times while projections polls ingest, and stop it."""
    system = running(env, log)
    try:
        with httpx.Client(headers={"Authorization": f"Bearer {KEY}"}) as client:
            for _ in range(5):
                client.get(system.url("projections", "/v1/kpis/summary")).raise_for_status()
                time.sleep(0.5)
    finally:
        system.stop()
    return log


def test_the_log_says_what_happened_without_a_line_per_request(tmp_path: Path) -> None:
    log = _busy_minute([], system_env(tmp_path / "state"))
    assert log, "coprod up wrote nothing"
    assert not [line for line in log if "\x1b[" in line], "colour codes in the log"
    assert not [line for line in log if "HTTP Request:" in line or "GET /v1/" in line], "a line per request"
    assert all(" | " in line for line in log), "every line names who wrote it"


def test_the_log_is_json_lines_when_asked(tmp_path: Path) -> None:
    env = system_env(tmp_path / "state") | {"COPROD_LOG_FORMAT": "json"}
    service_lines = [line for line in _busy_minute([], env) if not line.startswith("coprod")]
    records = [json.loads(line) for line in service_lines]
    assert {record["service"] for record in records} >= {"ingest", "projections", "notify", "web"}
    assert all("message" in record for record in records)
