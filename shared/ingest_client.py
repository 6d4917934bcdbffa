"""How projections and notify call ingest: any of the addresses in `COPROD_INGEST_URL`, failing over between them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

# Answers that say "not this one, not now": the same request may go to another ingest.
TRY_ANOTHER = frozenset({502, 503, 504})


def ingest_urls(setting: str) -> list[str]:
    """`COPROD_INGEST_URL`: one address, or several separated by commas."""
    urls = [url.strip().rstrip("/") for url in setting.split(",") if url.strip()]
    if not urls:
        raise ValueError("COPROD_INGEST_URL holds no address; give one, or several separated by commas")
    return urls


class IngestClient:
    """Each request goes to the ingest that answered last; when it does not answer (or answers 502–504), to the
    next, each tried once. Every call to ingest is safe to repeat: reads are reads, and an event sent twice is
    stored once."""

    def __init__(self, urls: str | Sequence[str], client: httpx.AsyncClient) -> None:
        self.urls = ingest_urls(urls) if isinstance(urls, str) else list(urls)
        self.client = client
        self._current = 0

    async def get(self, path: str, **options: Any) -> httpx.Response:
        return await self.request("GET", path, **options)

    async def post(self, path: str, **options: Any) -> httpx.Response:
        return await self.request("POST", path, **options)

    async def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        answer: httpx.Response | None = None
        failure: httpx.TransportError | None = None
        for step in range(len(self.urls)):
            index = (self._current + step) % len(self.urls)
            try:
                answer = await self.client.request(method, self.urls[index] + path, **options)
            except httpx.TransportError as error:
                failure = error
                continue
            if answer.status_code not in TRY_ANOTHER:
                self._current = index
                return answer
        if answer is not None:
            return answer
        assert failure is not None
        raise failure

    async def aclose(self) -> None:
        await self.client.aclose()
