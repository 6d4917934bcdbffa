"""`coprod up` in the foreground: start the system, say where everything is, watch it, stop it on a signal."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Mapping
from types import FrameType

from .catalogue import CATALOGUE
from .keys import first_full_key, parse_user_keys
from .processes import print_line
from .up import ServiceFailed, System


def banner(system: System, env: Mapping[str, str]) -> list[str]:
    key = system.keys.dev or first_full_key(parse_user_keys(env.get("COPROD_API_KEYS")))
    rows = [
        *((label, system.url(service.name, path)) for service in CATALOGUE for label, path in service.links),
        ("Alerts (outbox)", f"{system.outbox}/  (one .eml file per alert)"),
        ("Redis", system.redis_url),
        ("SMTP", system.smtp.url),
        ("State", f"{system.data_dir}/"),
    ]
    if system.keys.sign_in:
        rows.append(("One-time sign-in link", system.url("web", f"/sign-in/once/{system.keys.sign_in}")))
    if system.keys.dev:
        rows.append(("Development API key", f"{system.keys.dev}  (kept in {system.data_dir / 'dev-api-key'})"))
    else:
        rows.append(("API keys", "yours, from COPROD_API_KEYS"))
    lines = ["", "coprod is running.", *(f"  {label:<21} {value}" for label, value in rows)]
    if key:
        lines.append(f"  Try: curl -H 'Authorization: Bearer {key}' {system.url('projections', '/v1/kpis/summary')}")
    return [*lines, "Press Ctrl-C to stop.", ""]


def run_up(env: Mapping[str, str], demo: bool = False) -> int:
    stop = threading.Event()
    interruptible = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()
        if interruptible.is_set():
            raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    system = System(env)
    outcome, code = "coprod stopped.", 0
    try:
        print_line(f"Starting coprod; state under {system.data_dir}/")
        interruptible.set()
        system.start()
        interruptible.clear()
        _serve(system, env, stop, demo)
    except KeyboardInterrupt:
        outcome = "coprod stopped before it finished starting."
    except ServiceFailed as failure:
        print_line(f"coprod: {failure}. Stopping the rest.")
        outcome, code = f"coprod stopped because {failure}.", 1
    finally:
        interruptible.clear()
        system.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        print_line(outcome)
    return code


def _serve(system: System, env: Mapping[str, str], stop: threading.Event, demo: bool) -> None:
    for line in banner(system, env):
        print_line(line)
    if demo:
        threading.Thread(target=_load_demo, args=(system,), daemon=True).start()
    while not stop.wait(0.5):
        system.watch()
    print_line("Stopping coprod: the services first, then the SMTP outbox and Redis.")


def _load_demo(system: System) -> None:
    from .demo.loader import load_demo

    try:
        load_demo(system.url("ingest"), system.url("notify"), system.keys.internal, print_line)
    except Exception as error:  # the demo is a nicety: say what went wrong, keep the system running
        print_line(f"demo  | could not load the demo data: {error}")


def environment() -> dict[str, str]:
    return dict(os.environ)
