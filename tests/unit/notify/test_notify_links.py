"""Personal links: one action for one champion, signed, running out; and an alert's copy for each champion."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.notify.clock import ManualClock
from services.notify.links import Action, Link, LinkRefused, Links
from services.notify.messages import Renderer, sms_length
from shared.events.champions import Channel, Format

CLOCK = ManualClock(datetime(2026, 6, 1, tzinfo=UTC))
LINKS = Links("a secret", "https://coprod.example", timedelta(days=60), CLOCK)
CHAMPION = "p_" + secrets.token_hex(16)


def _token(link: Link) -> str:
    return LINKS.url(link).rsplit("/", 1)[1]


def test_a_link_reads_back_as_its_one_action_for_its_one_champion() -> None:
    yes = Link(Action.interested, CHAMPION, "opp-1")
    assert LINKS.url(yes).startswith("https://coprod.example/yes/")
    assert LINKS.read(Action.interested, _token(yes)) == yes
    with pytest.raises(LinkRefused) as refused:
        LINKS.read(Action.stop, _token(yes))
    assert refused.value.why == "forged"


@pytest.mark.parametrize("change", [lambda t: t[:-1], lambda t: "x" + t, lambda t: t.replace(".", "", 1), str.upper])
def test_a_changed_token_is_forged(change: object) -> None:
    token = _token(Link(Action.stop, CHAMPION))
    with pytest.raises(LinkRefused) as refused:
        LINKS.read(Action.stop, change(token))  # type: ignore[operator]
    assert refused.value.why == "forged"


def test_a_token_signed_with_another_secret_is_forged() -> None:
    other = Links("another secret", "https://coprod.example", timedelta(days=60), CLOCK)
    with pytest.raises(LinkRefused):
        LINKS.read(Action.stop, other.url(Link(Action.stop, CHAMPION)).rsplit("/", 1)[1])


def test_a_link_runs_out_after_its_days() -> None:
    clock = ManualClock(datetime(2026, 6, 1, tzinfo=UTC))
    links = Links("a secret", "https://coprod.example", timedelta(days=60), clock)
    token = links.url(Link(Action.preferences, CHAMPION)).rsplit("/", 1)[1]
    clock.move(days=59)
    assert links.read(Action.preferences, token).champion_id == CHAMPION
    clock.move(days=2)
    with pytest.raises(LinkRefused) as refused:
        links.read(Action.preferences, token)
    assert refused.value.why == "expired"


def test_each_champion_gets_their_own_links_and_a_text_still_fits_two_segments() -> None:
    renderer = Renderer("https://coprod.example", ZoneInfo("Europe/London"), LINKS)
    opportunity = {"opportunity_id": "opp-2026-garden-benches", "title": "Choose the new garden furniture " * 3,
                   "summary": "Come and choose.", "closes_on": "2030-01-31"}
    shared = renderer.render("m", [opportunity], Format.standard)
    mine = renderer.personal(shared, CHAMPION, (Channel.email, Channel.sms))
    theirs = renderer.personal(shared, "p_" + secrets.token_hex(16), (Channel.email,))
    assert "@@" not in mine.text + mine.html + mine.sms and mine.text != theirs.text
    assert LINKS.url(Link(Action.interested, CHAMPION, "opp-2026-garden-benches")) in mine.text
    assert mine.stop_url == LINKS.url(Link(Action.stop, CHAMPION)) and mine.stop_url in mine.html
    assert sms_length(mine.sms) <= 306 and "Say yes: https://coprod.example/yes/" in mine.sms
