"""Notify as it runs: events through real ingest and Redis streams, contacts over HTTP, outcomes back in ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from notify_doubles import SmtpSink
from notify_harness import joined, published
from notify_ingest import AUTH, ingest_on_a_port, notify_settings
from waiting import eventually_async

from services.notify.app import create_app


async def test_an_alert_goes_out_once_and_its_outcome_reaches_ingest(
    database: Any, redis_url: str, stream_prefix: str, smtp: SmtpSink, tmp_path: Path
) -> None:
    async with (
        ingest_on_a_port(database, redis_url, stream_prefix, tmp_path) as ingest_url,
        httpx.AsyncClient(base_url=ingest_url, headers=AUTH) as ingest,
    ):
        app = create_app(notify_settings(database, redis_url, stream_prefix, ingest_url, smtp, tmp_path))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://notify", headers=AUTH) as notify,
        ):
            await _alert_round_trip(ingest, notify, smtp)


async def _alert_round_trip(ingest: httpx.AsyncClient, notify: httpx.AsyncClient, smtp: SmtpSink) -> None:
    contact = {"email": "cog@example.org"}
    assert (await notify.put("/v1/champions/cog/contact", json=contact)).status_code == 404
    await ingest.post("/v1/events", json=_cloud(joined("cog")))

    async def contact_taken() -> int | None:
        status = (await notify.put("/v1/champions/cog/contact", json=contact)).status_code
        return None if status == 404 else status

    assert await eventually_async(contact_taken, "notify to hear of the champion") == 200
    opportunity = _cloud(published("opp"))
    await ingest.post("/v1/events", json=[opportunity, opportunity | {"id": "again"}])

    async def reported() -> dict[str, Any] | None:
        events = (await ingest.get("/v1/events")).json()["events"]
        return next((e for e in events if e["type"] == "notification.sent"), None)

    sent = await eventually_async(reported, "notification.sent in the event log")
    assert len(smtp.to("cog@example.org")) == 1
    log = (await notify.get("/v1/notifications", params={"opportunity_id": "opp"})).json()["notifications"]
    token = (await ingest.get("/v1/people/cog")).json()["token"]  # the record knows champions by token alone
    assert [(n["champion_id"], n["status"], n["channel"]) for n in log] == [(token, "sent", "email")]
    assert sent["id"] == log[0]["notification_id"] and "cog@example.org" not in str(log)
    assert "notify_alerts_sent_total" in (await notify.get("/metrics")).text
    assert (await notify.delete("/v1/champions/cog/contact")).status_code == 204
    mine = (await notify.get("/v1/champions/cog/notifications")).json()["notifications"]
    assert [n["status"] for n in mine] == ["sent"]


async def test_contacts_are_checked_without_being_repeated(
    database: Any, redis_url: str, stream_prefix: str, smtp: SmtpSink, tmp_path: Path
) -> None:
    app = create_app(notify_settings(database, redis_url, stream_prefix, "http://127.0.0.1:9", smtp, tmp_path))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://notify", headers=AUTH) as notify,
    ):
        wrong = {"email": "not-an-address-secret", "phone": "12345-secret", "webhook_url": "http://secret.example"}
        answer = await notify.put("/v1/champions/cog/contact", json=wrong)
        assert answer.status_code == 422 and "secret" not in answer.text
        assert {p["field"] for p in answer.json()["errors"]} == {"email", "phone", "webhook_url"}
        assert answer.headers["content-type"] == "application/problem+json"
        not_text = await notify.put("/v1/champions/cog/contact", json={"email": 5})
        assert not_text.status_code == 422 and not_text.json()["errors"][0]["field"] == "email"
        not_utf8 = await notify.put("/v1/champions/cog/contact", content=b"\x18\xffsq",
                                    headers={**AUTH, "content-type": "application/json"})
        assert not_utf8.status_code == 422 and "UTF-8" in not_utf8.json()["detail"]
        too_long = await notify.put(f"/v1/champions/{'c' * 201}/contact", json={"email": "sam@example.org"})
        assert too_long.status_code == 422
        unknown = await notify.put("/v1/champions/nobody/contact", json={"email": "sam@example.org"})
        assert (unknown.status_code, unknown.headers["content-type"]) == (503, "application/problem+json")
        assert "cannot reach ingest to look this champion up" in unknown.json()["detail"]
        broken = await notify.put("/v1/champions/cog/contact", content=b'{"email": "secret@x', headers=AUTH)
        assert broken.status_code == 422 and "secret" not in broken.text
        unauthorised = await notify.put("/v1/champions/cog/contact", json={}, headers={"Authorization": ""})
        assert unauthorised.status_code == 401
        assert (await notify.get("/readyz")).status_code == 200


def _cloud(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k != "position"}
