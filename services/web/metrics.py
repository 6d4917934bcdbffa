"""The web's Prometheus metrics: how long each page takes to answer."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from prometheus_client import CollectorRegistry, Histogram


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.page_seconds = Histogram(
            "coprod_web_page_seconds", "Time to answer a page, by route", ["route", "status"], registry=self.registry
        )

    async def timed(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        self.page_seconds.labels(route, str(response.status_code)).observe(time.perf_counter() - started)
        return response
