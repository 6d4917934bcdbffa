"""Personal links: opening one changes nothing, one tap does its one thing once, a bad link says so and changes
nothing, and every action is an event in the record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from notify_doubles import SmtpSink
from notify_harness import joined, published
from personal_links import Running, links_in, running
from pydantic import SecretStr

from services.notify import store
from services.notify.contacts import ContactDetails


@pytest.fixture
async def notify(database: Any, redis_url: str, stream_prefix: str, smtp: SmtpSink, tmp_path: Path) -> Any:
    async with running(database, redis_url, stream_prefix, smtp, tmp_path) as started:
        yield started


async def _alerted(notify: Running, champion: str, opportunity: str = "o1", **more: Any) -> dict[str, str]:
    await notify.feed(joined(champion))
    await notify.contact(champion, f"{champion}@example.org")
    await notify.feed(published(opportunity, **more))
    [alert] = await notify.alerts_to(f"{champion}@example.org")
    return links_in(notify.smtp, alert)


async def test_opening_i_am_interested_changes_nothing_and_one_tap_signs_up_once(notify: Running) -> None:
    links = await _alerted(notify, "c1")
    assert set(links) == {"yes", "choose", "stop"}
    page = await notify.browser.get(links["yes"])
    assert page.status_code == 200 and "Opportunity o1" in page.text and "I'm interested</button>" in page.text
    assert await notify.recorded("opportunity.signed_up") == []
    tapped = await notify.browser.post(links["yes"])
    assert tapped.status_code == 200 and "You are signed up" in tapped.text and "What happens next" in tapped.text
    [signed_up] = await notify.recorded("opportunity.signed_up")
    assert signed_up["source"] == "urn:coprod:notify"
    assert signed_up["data"] | {"signed_up_on": None} == {
        "opportunity_id": "o1", "person_id": "c1", "role": "customer", "signed_up_on": None
    }
    again = await notify.browser.post(links["yes"])
    assert "You are already signed up" in again.text
    assert "You are already signed up" in (await notify.browser.get(links["yes"])).text
    assert len(await notify.recorded("opportunity.signed_up")) == 1


async def test_when_every_place_is_taken_the_next_yes_goes_on_the_waiting_list(notify: Running) -> None:
    for champion in ("c1", "c2"):
        await notify.feed(joined(champion))
        await notify.contact(champion, f"{champion}@example.org")
    await notify.feed(published("o1", places=1))
    first = links_in(notify.smtp, (await notify.alerts_to("c1@example.org"))[0])
    second = links_in(notify.smtp, (await notify.alerts_to("c2@example.org"))[0])
    assert "You are signed up" in (await notify.browser.post(first["yes"])).text
    full = await notify.browser.post(second["yes"])
    assert "This is full" in full.text and "added you to the waiting list" in full.text
    waiting = [e["data"] for e in await notify.recorded("opportunity.signed_up") if e["data"].get("waiting_list")]
    assert [w["person_id"] for w in waiting] == ["c2"]
    assert "already on the waiting list" in (await notify.browser.post(second["yes"])).text


async def test_a_forged_an_expired_or_a_misused_link_says_so_and_changes_nothing(notify: Running) -> None:
    links = await _alerted(notify, "c1")
    forged = links["yes"][:-3] + ("aaa" if not links["yes"].endswith("aaa") else "bbb")
    for answer in (await notify.browser.get(forged), await notify.browser.post(forged)):
        assert answer.status_code == 400 and "This link does not work" in answer.text
        assert "Nothing has been changed" in answer.text
    stop_as_yes = "/yes/" + links["stop"].rsplit("/", 1)[1]
    assert (await notify.browser.post(stop_as_yes)).status_code == 400, "a stop link cannot sign anyone up"
    notify.clock.move(days=61)
    for path in links.values():
        expired = await notify.browser.post(path, data={"List-Unsubscribe": "One-Click"})
        assert expired.status_code == 410 and "This link has run out" in expired.text
    assert await notify.recorded("opportunity.signed_up") == []
    assert await notify.recorded("champion.preferences_updated") == []


async def test_changing_to_large_print_makes_the_next_alert_large_print(notify: Running) -> None:
    links = await _alerted(notify, "c1")
    form = await notify.browser.get(links["choose"])
    assert form.status_code == 200 and "Large print" in form.text
    saved = await notify.browser.post(
        links["choose"], data={"channels": ["email"], "format": "large_print", "cadence": "immediate"}
    )
    assert saved.status_code == 200 and "Your choices are saved" in saved.text and "1.75rem" in saved.text
    [changed] = await notify.recorded("champion.preferences_updated")
    assert changed["data"]["format"] == "large_print" and changed["data"]["champion_id"] == "c1"
    await notify.feed(published("o2"))
    [_, second] = await notify.alerts_to("c1@example.org", 2)
    assert "font-size: 20pt" in notify.smtp.text(second, "html")


async def test_a_choice_left_out_is_named_and_nothing_is_saved(notify: Running) -> None:
    links = await _alerted(notify, "c1")
    wrong = await notify.browser.post(links["choose"], data={"format": "large_print", "cadence": "immediate"})
    assert wrong.status_code == 422 and "There is a problem" in wrong.text and 'href="#channels"' in wrong.text
    assert await notify.recorded("champion.preferences_updated") == []


async def test_one_click_unsubscribe_stops_every_later_alert(notify: Running) -> None:
    await notify.feed(joined("c1"))
    await notify.contact("c1", "c1@example.org")
    await notify.feed(published("o1"))
    [alert] = await notify.alerts_to("c1@example.org")
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = alert["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://127.0.0.1:8003/stop/") and "mailto:" not in alert["List-Unsubscribe"]
    path = url.replace("http://127.0.0.1:8003", "")
    page = await notify.browser.get(path)
    assert "Stop these messages</button>" in page.text and await notify.recorded("champion.preferences_updated") == []
    stopped = await notify.browser.post(path, data={"List-Unsubscribe": "One-Click"})
    assert stopped.status_code == 200 and "We have stopped your messages" in stopped.text
    [stop] = await notify.recorded("champion.preferences_updated")
    assert stop["data"] == {"champion_id": "c1", "channels": []}
    await notify.feed(published("o2"))
    await notify.app.state.notify.dispatcher.drain()
    assert len(notify.smtp.to("c1@example.org")) == 1
    again = await notify.browser.post(path)
    assert "already stopped" in again.text and len(await notify.recorded("champion.preferences_updated")) == 1


async def test_stop_by_text_message_stops_the_texts_only_from_the_gateway(
    database: Any, redis_url: str, stream_prefix: str, smtp: SmtpSink, tmp_path: Path
) -> None:
    token = SecretStr("gateway-in")
    async with running(database, redis_url, stream_prefix, smtp, tmp_path, sms_inbound_token=token) as notify:
        await notify.feed(joined("c1", channels=["sms", "email"]))
        rt = notify.app.state.notify
        async with rt.engine.begin() as conn:
            details = ContactDetails(phone="+447700900123", email="c1@example.org")
            await store.save_contact(conn, "c1", rt.sealer.seal(details), notify.clock.now())
        reply = {"from": "07700 900123", "text": "Stop"}
        refused = await notify.browser.post("/v1/sms/replies", json=reply, headers={"Authorization": "Bearer nope"})
        assert refused.status_code == 401 and await notify.recorded("champion.preferences_updated") == []
        other = await notify.browser.post(
            "/v1/sms/replies", json={**reply, "text": "yes please"}, headers={"Authorization": "Bearer gateway-in"}
        )
        assert other.json() == {"stopped": False}
        taken = await notify.browser.post("/v1/sms/replies", json=reply, headers={"Authorization": "Bearer gateway-in"})
        assert taken.status_code == 200 and taken.json() == {"stopped": True}
        [stop] = await notify.recorded("champion.preferences_updated")
        assert stop["data"] == {"champion_id": "c1", "channels": ["email"]}


async def test_replies_by_text_are_refused_when_the_gateway_has_no_token(notify: Running) -> None:
    answer = await notify.browser.post("/v1/sms/replies", json={"from": "+447700900123", "text": "STOP"})
    assert answer.status_code == 404 and "not set up" in answer.json()["detail"]
