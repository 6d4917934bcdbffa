"""Where the single-event path's time goes, by phase: ingest run under pyinstrument, its samples sorted into phases.

`python bench/phase_profile.py OUT.json` serves ingest exactly as `python -m services.ingest` does, and samples
its stacks between SIGUSR1 (start) and SIGUSR2 (stop and write the session to OUT.json), so start-up is not in
the profile. `phases(session_file)` then gives each phase's seconds: a sample counts for the innermost phase on
its stack that names a step of coprod's own (auth, validation, the guard, the commit, the relay, XADD, the
answer), else for the innermost piece of machinery (uvicorn's HTTP, FastAPI/Starlette, asyncio), else "other".
A sample with no Python frame above the event loop's entry is "idle": uvloop (C) polling, waiting for the
client, PostgreSQL or Redis, or doing its own socket work. Samples are of wall time (a CPU-time timer would cost
a system call per Python call and inflate call-heavy code); the shares are the figure to read, and the bench
scales them by the server's CPU per request measured without the profiler.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from pyinstrument import Profiler
from pyinstrument.session import Session


@dataclass(frozen=True)
class Phase:
    name: str
    path: str
    functions: tuple[str, ...] = ()

    def matches(self, function: str, path: str) -> bool:
        return self.path in path and (not self.functions or function in self.functions)


# The steps of coprod's single-event path, in the order a request meets them.
STEPS = (
    Phase("auth + rate limit", "shared/auth.py"),
    Phase("auth + rate limit", "services/ingest/ratelimit.py"),
    Phase("auth + rate limit", "services/ingest/routes.py", ("_checked_key", "_writer")),
    Phase("read body + JSON parse", "services/ingest/content.py"),
    Phase("read body + JSON parse", "starlette/requests.py"),
    Phase("permission by source/type", "services/ingest/checks.py", ("check_permission",)),
    Phase("stored form (JSON + digest)", "services/ingest/checks.py", ("to_new_event",)),
    Phase("validation (contract)", "shared/events"),
    Phase("validation (contract)", "services/ingest/checks.py"),
    Phase("personal-data guard", "shared/personal_data.py"),
    Phase("pseudonymisation", "pseudonym"),
    Phase("commit (group commit, SQL, driver)", "services/ingest/group_commit.py"),
    Phase("commit (group commit, SQL, driver)", "services/ingest/store"),
    Phase("XADD (Lua script, redis-py)", "services/ingest/relay.py", ("_publish",)),
    Phase("relay wake + batch from memory", "services/ingest/relay.py"),
    Phase("XADD (Lua script, redis-py)", "redis/"),
    Phase("commit (group commit, SQL, driver)", "asyncpg/"),
    Phase("commit (group commit, SQL, driver)", "sqlalchemy/"),
    Phase("metrics", "prometheus_client/"),
    Phase("answer (JSON, Response)", "services/ingest/routes.py", ("post_events",)),
)
# Machinery: counts only where no step of coprod's own is on the stack.
MACHINERY = (
    Phase("event loop, sockets, driver callbacks", "asyncio/"),
    Phase("event loop, sockets, driver callbacks", "uvloop"),
    Phase("HTTP parse + ASGI (uvicorn)", "uvicorn/"),
    Phase("HTTP parse + ASGI (uvicorn)", "h11"),
    Phase("FastAPI/Starlette routing + dependencies", "starlette/"),
    Phase("FastAPI/Starlette routing + dependencies", "fastapi/"),
    Phase("FastAPI/Starlette routing + dependencies", "shared/http.py"),
    Phase("answer (JSON, Response)", "starlette/responses.py"),
)
IDLE = "idle: in the event loop's C code (waiting for the client, PostgreSQL, Redis; uvloop's own work)"
_LOOP_ENTRIES = {("run", "asyncio/runners.py"), ("run_until_complete", "asyncio/base_events.py"),
                 ("run_forever", "asyncio/base_events.py"), ("select", "selectors.py"), ("poll", "selectors.py")}


def classify(stack: Sequence[str]) -> str:
    """The phase of one sampled stack (outermost frame first; each frame 'function\\0path\\0line…')."""
    frames = [_frame(entry) for entry in stack]
    if frames and any(frames[-1][0] == name and frames[-1][1].endswith(path) for name, path in _LOOP_ENTRIES):
        return IDLE  # nothing of Python's runs: uvloop (C) is polling, or doing its own socket work
    for phases in (STEPS, MACHINERY):
        for function, path in reversed(frames):
            for phase in phases:
                if phase.matches(function, path):
                    return phase.name
    return "other"


def _frame(entry: str) -> tuple[str, str]:
    parts = entry.split("\x00")
    return parts[0], parts[1] if len(parts) > 1 else ""


def phases(session_file: Path) -> dict[str, float]:
    """Seconds per phase over the whole profiled window."""
    session = Session.load(session_file)
    totals: dict[str, float] = {}
    for stack, seconds in session.frame_records:
        name = classify(stack)
        totals[name] = totals.get(name, 0.0) + seconds
    return totals


def _serve(out: Path) -> None:
    profiler = Profiler(interval=0.0005, async_mode="disabled")

    def start(_signal: int, _frame: FrameType | None) -> None:
        profiler.start()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        partial = out.with_suffix(".partial")
        profiler.stop().save(partial)
        partial.replace(out)  # whole, or not there yet

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    from services.ingest.main import main

    sys.exit(main(["serve"]))


if __name__ == "__main__":
    _serve(Path(sys.argv[1]))
