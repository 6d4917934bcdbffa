"""The services `coprod up` runs, in the order it starts them: adding a service to `coprod up` is one entry here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    """A service run as `python -m services.<name>` on `COPROD_<NAME>_PORT`, and the links the banner shows."""

    name: str
    default_port: int
    links: tuple[tuple[str, str], ...] = ()  # (label, path) pairs


CATALOGUE: tuple[Service, ...] = (
    Service("web", 8000, (("Dashboard", "/"), ("Menu of Involvement", "/menu"))),
    Service("ingest", 8001, (("Ingest API docs", "/docs"),)),
    Service("projections", 8002, (("Projections API docs", "/docs"), ("KPI summary", "/v1/kpis/summary"))),
    Service("notify", 8003, (("Notify API docs", "/docs"),)),
)
SERVICES = tuple(service.name for service in CATALOGUE)
DEFAULT_PORTS = {service.name: service.default_port for service in CATALOGUE}
