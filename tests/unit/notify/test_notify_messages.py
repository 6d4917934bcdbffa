"""Messages in plain words, for each format; SMS within two segments with its link."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from services.notify.messages import Renderer, sms_length
from shared.events.champions import Format

RENDERER = Renderer("https://coprod.example", ZoneInfo("Europe/London"))
OPPORTUNITY = {
    "opportunity_id": "o1",
    "title": "Choose the <new> lounge furniture",
    "summary": "Come and choose.",
    "closes_on": "2030-01-31",
    "open_to": "both",
    "mode": "face_to_face",
    "expenses_paid": True,
    "starts_at": "2030-01-10T14:00:00+00:00",
    "accessibility_support": "Step-free access",
}


def test_an_alert_says_what_when_where_closing_support_sign_up_and_stop() -> None:
    message = RENDERER.render("m", [OPPORTUNITY], Format.standard)
    assert "Choose the <new> lounge furniture" in message.subject
    for words in (
        "Come and choose.",
        "Thursday 10 January 2030 at 2pm",
        "in person",
        "Thursday 31 January 2030",
        "expenses, including travel",
        "Step-free access",
        "https://coprod.example/opportunities/o1",
        "https://coprod.example/stop",
    ):
        assert words in message.text
    assert "&lt;new&gt;" in message.html and "<new>" not in message.html


def test_easy_read_has_one_short_idea_per_line() -> None:
    text = RENDERER.render("m", [OPPORTUNITY], Format.easy_read).text
    lines = [line for line in text.splitlines() if line and "http" not in line]
    assert all(len(line.split()) <= 12 for line in lines)
    assert "We pay for your travel." in lines


def test_large_print_is_at_least_18pt() -> None:
    html = RENDERER.render("m", [OPPORTUNITY], Format.large_print).html
    sizes = [int(part.split("pt")[0]) for part in html.split("font-size: ")[1:]]
    assert sizes and min(sizes) >= 18


def test_sms_fits_two_segments_and_keeps_its_link() -> None:
    long = OPPORTUNITY | {"title": "A very long title about furniture “and curtains” " * 20}
    sms = RENDERER.render("m", [long], Format.standard).sms
    assert sms_length(sms) <= 306 and "https://coprod.example/opportunities/o1" in sms
    assert all(ord(char) < 0x2000 for char in sms)


def test_a_text_whose_links_fill_it_still_comes_out_whole() -> None:
    from services.notify.messages import fit_sms

    links = "\nSay yes: https://x.example/yes/" + "a" * 200 + "\nStop: https://x.example/stop/" + "b" * 200
    long = "A title " * 10 + links
    fitted = fit_sms(long)
    assert "a" * 200 in fitted and "b" * 200 in fitted and fitted.startswith("A title")
