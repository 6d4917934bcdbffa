"""The figures, asked of projections' HTTP API with the web's own key, like any other client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx


class FiguresUnavailable(Exception):
    """Projections did not answer, or answered that it cannot just now; the message says why in plain words."""


class FiguresRefused(Exception):
    """Projections refused the question (a 4xx): the message is its own explanation."""


class Projections:
    def __init__(self, client: httpx.AsyncClient, base_url: str, key: str | None) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    async def get(self, path: str, params: Mapping[str, str]) -> dict[str, Any]:
        try:
            answer = await self.client.get(self.base_url + path, params=dict(params), headers=self.headers)
        except httpx.HTTPError as error:
            raise FiguresUnavailable(f"the projections service at {self.base_url} did not answer ({error})") from None
        if answer.status_code >= 500:
            raise FiguresUnavailable(_reason(answer) or f"the projections service answered {answer.status_code}")
        if answer.status_code >= 400:
            raise FiguresRefused(_reason(answer) or f"the projections service answered {answer.status_code}")
        body: dict[str, Any] = answer.json()
        return body

    async def ready(self) -> bool:
        try:
            return (await self.client.get(self.base_url + "/readyz")).status_code == 200
        except httpx.HTTPError:
            return False


def _reason(answer: httpx.Response) -> str | None:
    try:
        body = answer.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    found = body.get("detail") or body.get("error") or body.get("title")
    return found if isinstance(found, str) else None
