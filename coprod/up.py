"""The whole system on the embedded default: Redis, an SMTP outbox, and the services as processes, kept running."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import httpx

from .catalogue import SERVICES
from .embedded_redis import RedisServer
from .environment import (
    DEFAULT_REDIS_PORT,
    DEFAULT_SMTP_PORT,
    Keys,
    chosen_port,
    data_dir_from,
    keys_for,
    port_is_free,
    service_env,
    service_ports,
)
from .processes import NAME_WIDTH, Emit, ServiceProcess, print_line, stop_all
from .smtp_sink import SmtpSink
from .supervisor import Supervisor


class ServiceFailed(RuntimeError):
    """A service exited when nobody asked it to, or never became ready."""


class System:
    """Start with `with System(env) as system:`; everything stops on the way out, services first, Redis last."""

    def __init__(self, env: Mapping[str, str], emit: Emit = print_line) -> None:
        self.base_env = dict(env)
        self.emit = emit
        self.data_dir = data_dir_from(env)
        self.ports = service_ports(env)
        self.keys: Keys = keys_for(env, self.data_dir)
        self.redis: RedisServer | None = None
        self.smtp = SmtpSink(self.data_dir / "outbox", chosen_port(env, "COPROD_EMBEDDED_SMTP_PORT", DEFAULT_SMTP_PORT))
        self.services: dict[str, ServiceProcess] = {}
        self.redis_url = env.get("COPROD_REDIS_URL") or ""
        self.supervisor = Supervisor(self.say)

    @property
    def outbox(self) -> Path:
        return self.smtp.outbox

    def url(self, service: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def start(self, ready_timeout: float = 120) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.check_ports_are_free()
        if not self.redis_url:
            port = chosen_port(self.base_env, "COPROD_EMBEDDED_REDIS_PORT", DEFAULT_REDIS_PORT)
            self.redis = RedisServer(self.data_dir / "redis", port=port)
            self.redis.start()
            self.redis_url = self.redis.url
            self.say(f"redis is running (pid {self.redis.pid})")
        self.smtp.start()
        env = service_env(self.base_env, self.data_dir, self.ports, self.redis_url, self.smtp.url, self.keys)
        for name in SERVICES:
            self.services[name] = ServiceProcess(name, env, self.emit)
            self.services[name].start()
            self.say(f"{name} is running (pid {self.services[name].pid})")
        self.wait_until_ready(ready_timeout)
        if self.redis is not None:
            self.supervisor.add("redis", self.redis)
        for name, service in self.services.items():
            self.supervisor.add(name, service)

    def say(self, line: str) -> None:
        self.emit(f"{'coprod':<{NAME_WIDTH}} | {line}")

    def watch(self) -> None:
        """Start again whatever stopped unexpectedly, once its wait is over; call it from time to time."""
        self.supervisor.watch()

    def check_ports_are_free(self) -> None:
        for name, port in self.ports.items():
            if not port_is_free(port):
                raise ServiceFailed(
                    f"port {port} for {name} is already in use (is coprod already running?); "
                    f"set COPROD_{name.upper()}_PORT to use another"
                )

    def wait_until_ready(self, timeout: float, report_every: float = 10) -> None:
        """Wait for every service's /readyz; a service rebuilding its figures (after an upgrade) is waited for as
        long as it takes, its progress shown every `report_every` seconds."""
        deadline = time.monotonic() + timeout
        reported = time.monotonic()
        pending = set(self.services)
        with httpx.Client(timeout=2) as client:
            while pending:
                self.raise_if_any_stopped()
                for name in sorted(pending):
                    ready, rebuilding = _readiness(client, self.url(name, "/readyz"))
                    if ready:
                        pending.discard(name)
                    elif rebuilding:
                        deadline = time.monotonic() + timeout
                        if time.monotonic() - reported >= report_every:
                            self.emit(f"{name}: {rebuilding}")
                            reported = time.monotonic()
                if pending and time.monotonic() > deadline:
                    raise ServiceFailed(f"not ready after {timeout:.0f} seconds: {', '.join(sorted(pending))}")
                time.sleep(0.3)

    def stopped_service(self) -> tuple[str, int] | None:
        for name, service in self.services.items():
            if (code := service.exit_code) is not None:
                return name, code
        return None

    def raise_if_any_stopped(self) -> None:
        if stopped := self.stopped_service():
            name, code = stopped
            raise ServiceFailed(f"the {name} service stopped unexpectedly (exit code {code})")

    def stop(self) -> None:
        self.supervisor = Supervisor(self.say)  # nothing stopped from now on is started again
        stop_all(list(self.services.values()))
        self.services.clear()
        self.smtp.stop()
        if self.redis is not None:
            self.redis.stop()
            self.redis = None

    def __enter__(self) -> System:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def _readiness(client: httpx.Client, url: str) -> tuple[bool, str | None]:
    """(ready, what it says it is rebuilding, if that is why it is not)."""
    try:
        answer = client.get(url)
    except httpx.HTTPError:
        return False, None
    if answer.status_code == 200:
        return True, None
    try:
        rebuilding = answer.json().get("rebuilding")
    except ValueError:
        return False, None
    return False, rebuilding if isinstance(rebuilding, str) else None
