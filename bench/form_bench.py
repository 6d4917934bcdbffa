"""From a form sent in the browser to the figure it moves: each round posts the commitment form (as a browser
does, signed in) and polls `/v1/kpis/summary` until `services_with_commitment` rises; beside it, in the same
run, the same signing sent straight to ingest's API (the baseline: what the web adds is its form's checks and one
request to ingest).

    .venv/bin/python bench/form_bench.py [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]

Runs the whole system as `coprod up` does (processes, embedded Redis), with `--services` services, each signed
once by a form and once straight (a different service each time, so every signing moves the figure).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
from freshness_bench import KEY, RUN, system_env

from coprod.up import System

EMAIL, PASSWORD = "bench.officer@example.org", "bench-password-1"
TODAY = date.today()


def event(event_type: str, data: dict[str, object]) -> dict[str, object]:
    return {"specversion": "1.0", "id": uuid.uuid4().hex, "source": "urn:bench:forms", "type": event_type,
            "time": "2024-01-01T00:00:00Z", "data": data}


def held(projections: httpx.Client) -> int:
    found: int = projections.get("/v1/kpis/summary", params={"to": TODAY.isoformat()}).json()["commitments"][
        "services_with_commitment"]
    return found


def timed(projections: httpx.Client, send: Callable[[], None]) -> float:
    before, started = held(projections), time.perf_counter()
    send()
    while held(projections) <= before:
        time.sleep(0.005)
    return (time.perf_counter() - started) * 1000


def by_form(web: httpx.Client, service_id: str) -> None:
    form = web.get("/commitments/signed").text
    fields = {name: re.search(rf'name="{name}" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
              for name in ("csrf_token", "event_id")}
    answer = web.post("/commitments/signed", data={**fields, "service_id": service_id, "signed_on-day": "1",
                                                    "signed_on-month": "5", "signed_on-year": "2024"})
    assert answer.status_code == 200 and "Commitment signed recorded" in answer.text, answer.text[:500]


def measure(system: System, services: int) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=system.url("ingest"), headers=headers, timeout=30) as ingest, \
            httpx.Client(base_url=system.url("projections"), headers=headers, timeout=30) as projections, \
            httpx.Client(base_url=system.url("web"), timeout=30) as web:
        ids = [f"{RUN}-{n}" for n in range(2 * services)]
        registered = [event("service.registered", {"service_id": s, "name": f"Bench {s}", "region": "bench",
                                                   "service_type": "other", "opened_on": "2024-01-01"}) for s in ids]
        assert ingest.post("/v1/events", json=registered).status_code == 202
        while projections.get("/v1/kpis/summary").json()["commitments"]["services"] < len(ids):
            time.sleep(0.1)
        token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/sign-in").text).group(1)  # type: ignore[union-attr]
        assert web.post("/sign-in", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}).status_code == 303
        form, straight = [], []
        for n in range(services):
            form.append(timed(projections, lambda n=n: by_form(web, ids[n])))  # type: ignore[misc]
            straight.append(timed(projections, lambda n=n: _straight(ingest, ids[services + n])))  # type: ignore[misc]
    for name, values in (("form in the browser", form), ("straight to ingest (baseline)", straight)):
        p = statistics.quantiles(values, n=20)
        print(f"{name:32} p50 {statistics.median(values):7.1f} ms   p95 {p[18]:7.1f} ms   max {max(values):7.1f} ms")


def _straight(ingest: httpx.Client, service_id: str) -> None:
    signed = event("commitment.signed", {"commitment_id": f"c-{service_id}", "service_id": service_id,
                                         "signed_on": "2024-05-01"})
    assert ingest.post("/v1/events", json=signed).status_code == 202


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL (asyncpg) URL; SQLite files when absent")
    parser.add_argument("--services", type=int, default=40, help="rounds of each kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, System(system_env(Path(tmp), args.database_url,
                                                                f"bench_form_{RUN}")) as system:
        done = subprocess.run([sys.executable, "-m", "coprod", "users", "add", EMAIL, "--role", "officer",
                               "--password-stdin"], input=PASSWORD + "\n", env=system.base_env, text=True,
                              capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        measure(system, args.services)


if __name__ == "__main__":
    main()
