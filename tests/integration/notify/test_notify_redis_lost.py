"""What Redis loses while notify is down still reaches notify: it reads the event store behind Redis."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from notify_doubles import SmtpSink
from notify_harness import event, joined, published
from notify_ingest import AUTH, ingest_on_a_port, notify_settings
from redis.asyncio import Redis
from waiting import eventually_async

from coprod.embedded_redis import RedisServer
from services.notify import store
from services.notify.app import create_app
from services.notify.contacts import ContactDetails, Sealer
from services.notify.settings import NotifySettings
from shared.db import make_engine

CHAMPIONS = ("known", "lost-a", "lost-b", "mover")


async def test_what_redis_lost_while_notify_was_down_reaches_every_matching_champion(
    database: Any, own_redis: RedisServer, stream_prefix: str, smtp: SmtpSink, tmp_path: Path
) -> None:
    async with (
        ingest_on_a_port(database, own_redis.url, stream_prefix, tmp_path) as ingest_url,
        httpx.AsyncClient(base_url=ingest_url, headers=AUTH) as ingest,
    ):
        settings = notify_settings(database, own_redis.url, stream_prefix, ingest_url, smtp, tmp_path)
        async with _running(settings) as notify:
            await _post(ingest, joined("known"), joined("mover", region="south"))
            await eventually_async(lambda: _known(notify, "known", "mover"), "notify to hear of the first champions")
        await _post(
            ingest,
            joined("lost-a"),
            joined("lost-b"),
            event("champion.preferences_updated", {"champion_id": "mover", "region": "north"}),
            published("while-down"),
        )
        await _contacts(settings, ingest)
        await eventually_async(lambda: _relayed(own_redis.url, stream_prefix, ingest), "ingest to pass them to Redis")
        own_redis.wipe()
        await _post(ingest, published("after-wipe"), published("north", "regional", region="north"))
        async with _running(settings) as notify:
            await eventually_async(lambda: _all_sent(smtp, 9), "every alert")
            ready = await eventually_async(lambda: _caught_up(notify, ingest), "notify to read the whole event store")
            metrics = (await notify.get("/metrics")).text
    got = sorted((m["Subject"].split()[-1], m["To"].split("@")[0]) for m in smtp.messages)
    everyone = [(o, c) for o in ("after-wipe", "while-down") for c in sorted(CHAMPIONS)]
    assert got == sorted([*everyone, ("north", "mover")])
    assert ready["behind"] == "up to date"
    assert "notify_event_store_lag_events 0.0" in metrics and "notify_events_filled_total" in metrics


def _running(settings: NotifySettings) -> Any:
    app = create_app(settings)

    class Running:
        async def __aenter__(self) -> httpx.AsyncClient:
            self.lifespan = app.router.lifespan_context(app)
            await self.lifespan.__aenter__()
            self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://notify", headers=AUTH)
            return self.client

        async def __aexit__(self, *exc: object) -> None:
            await self.client.aclose()
            await self.lifespan.__aexit__(None, None, None)

    return Running()


async def _post(ingest: httpx.AsyncClient, *raws: dict[str, Any]) -> None:
    cloud = [{k: v for k, v in raw.items() if k != "position"} for raw in raws]
    assert (await ingest.post("/v1/events", json=cloud)).status_code == 202


async def _contacts(settings: NotifySettings, ingest: httpx.AsyncClient) -> None:
    """Written straight into notify's store, under the tokens ingest gave the champions: notify's API takes none
    for a champion it has not heard of yet."""
    engine = make_engine(settings.database_url_for("notify"), settings.database_schema)
    sealer = Sealer(settings.contact_key.get_secret_value())  # type: ignore[union-attr]
    async with engine.begin() as conn:
        for champion_id in ("lost-a", "lost-b"):
            token = (await ingest.get(f"/v1/people/{champion_id}")).json()["token"]
            sealed = sealer.seal(ContactDetails(email=f"{champion_id}@example.org"))
            await store.save_contact(conn, token, sealed, datetime.now(UTC))
    await engine.dispose()


async def _known(notify: httpx.AsyncClient, *champion_ids: str) -> bool | None:
    """Whether notify takes these champions' contacts: it does once it has heard of them."""
    for champion_id in champion_ids:
        contact = {"email": f"{champion_id}@example.org"}
        if (await notify.put(f"/v1/champions/{champion_id}/contact", json=contact)).status_code != 200:
            return None
    return True


async def _caught_up(notify: httpx.AsyncClient, ingest: httpx.AsyncClient) -> dict[str, Any] | None:
    head = (await ingest.get("/v1/events/head")).json()["position"]
    ready: dict[str, Any] = (await notify.get("/readyz")).json()
    return ready if ready.get("position") == head and ready.get("lag") == 0 else None


async def _relayed(redis_url: str, prefix: str, ingest: httpx.AsyncClient) -> bool | None:
    head = (await ingest.get("/v1/events/head")).json()["position"]
    redis = Redis.from_url(redis_url)
    published_head = await redis.get(f"{prefix}head")
    await redis.aclose()
    await asyncio.sleep(0.2)
    return True if published_head is not None and int(published_head) == head else None


async def _all_sent(smtp: SmtpSink, count: int) -> bool | None:
    await asyncio.sleep(0.1)
    return True if len(smtp.messages) >= count else None
