"""Alerts and digests in plain words, rendered from the Jinja2 templates for each champion's format."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from shared.events.champions import Channel, Format

from .channels.base import Message
from .links import Action, Link, Links

TEMPLATES = Path(__file__).parent / "templates"
SMS_LIMIT = 306  # two concatenated GSM-7 segments
MODES = {"face_to_face": "in person", "virtual": "online", "hybrid": "in person or online", "written": "in writing"}
OPEN_TO = {"customers": "customers", "colleagues": "colleagues", "both": "customers and colleagues"}
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€")
PLACE = re.compile(r"@@(yes\d+|choose|stop)@@")
"""Where a champion's own links go: an alert is rendered once per content and format, then each champion's links
are put in its places (rendering once per champion would cost more than sending)."""


class Renderer:
    def __init__(
        self, public_url: str, zone: ZoneInfo, links: Links | None = None, sms_stop_word: bool = False
    ) -> None:
        self.public_url, self.zone, self.links, self.sms_stop_word = public_url.rstrip("/"), zone, links, sms_stop_word
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, message_id: str, opportunities: Sequence[dict[str, Any]], fmt: Format) -> Message:
        """The message for one content and format; with personal links, `personal` gives each champion's copy."""
        items = [self.describe(o) for o in opportunities]
        shared_stop = f"{self.public_url}/stop"
        context: dict[str, Any] = {
            "items": items, "format": fmt.value, "stop_url": shared_stop, "choose_url": shared_stop,
            "digest": len(items) > 1, "sms_stop_word": self.sms_stop_word, "shared_stop_url": shared_stop,
        }
        if self.links is not None:
            for index, item in enumerate(items):
                item["link"] = f"@@yes{index}@@"
            context |= {"stop_url": "@@stop@@", "choose_url": "@@choose@@"}
        text_template = "easy_read.txt" if fmt is Format.easy_read else "standard.txt"
        sms = self.env.get_template("sms.txt").render(context).strip()
        return Message(
            message_id=message_id,
            subject=subject(items),
            text=self.env.get_template(text_template).render(context),
            html=self.env.get_template("email.html").render(context),
            sms=sms if self.links is not None else fit_sms(sms),
            opportunity_ids=tuple(i["id"] for i in items),
            stop_url=None,  # a one-click unsubscribe needs a personal link: `personal` puts it in
            payload={
                "text": self.env.get_template("standard.txt").render(context),
                "opportunities": [
                    {"opportunity_id": i["id"], "title": i["title"], "closes_on": i["closes_on_iso"], "link": i["link"]}
                    for i in items
                ],
            },
        )

    def personal(self, message: Message, champion_id: str, channels: Sequence[Channel] = tuple(Channel)) -> Message:
        """`message` with this champion's own links in their places (unchanged without personal links), for the
        channels they may be sent on alone: the rest are left as they are."""
        if self.links is None:
            return message
        links, ids = self.links, message.opportunity_ids
        urls = {f"yes{i}": links.url(Link(Action.interested, champion_id, o)) for i, o in enumerate(ids)}
        urls["choose"] = links.url(Link(Action.preferences, champion_id))
        urls["stop"] = links.url(Link(Action.stop, champion_id))

        def put(text: str) -> str:
            return PLACE.sub(lambda found: urls[found.group(1)], text)

        mine: dict[str, Any] = {"stop_url": urls["stop"]}
        if Channel.email in channels:
            mine |= {"text": put(message.text), "html": put(message.html)}
        if Channel.sms in channels:
            mine["sms"] = fit_sms(put(message.sms))
        if Channel.webhook in channels:
            mine["payload"] = orjson.loads(put(orjson.dumps(message.payload).decode()))
        return dataclasses.replace(message, **mine)

    def describe(self, data: dict[str, Any]) -> dict[str, Any]:
        """An opportunity as the templates show it: plain words, dates written out."""
        starts = data.get("starts_at")
        return {
            "id": data["opportunity_id"],
            "title": data["title"],
            "summary": data["summary"],
            "when": long_moment(datetime.fromisoformat(starts).astimezone(self.zone)) if starts else None,
            "how": MODES.get(data.get("mode") or ""),
            "closes_on": long_date(date.fromisoformat(data["closes_on"])),
            "closes_on_iso": data["closes_on"],
            "open_to": OPEN_TO.get(data.get("open_to") or "both", "customers and colleagues"),
            "places": data.get("places"),
            "expenses_paid": bool(data.get("expenses_paid")),
            "accessibility": data.get("accessibility_support"),
            "link": f"{self.public_url}/opportunities/{data['opportunity_id']}",
        }


def subject(items: Sequence[dict[str, Any]]) -> str:
    if len(items) == 1:
        return f"Involvement opportunity: {items[0]['title']}"
    titles = "; ".join(i["title"] for i in items)
    return f"{len(items)} new involvement opportunities: {titles}"[:900]


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def long_moment(moment: datetime) -> str:
    hour = moment.strftime("%I").lstrip("0") + (moment.strftime(":%M") if moment.minute else "")
    return f"{long_date(moment.date())} at {hour}{moment.strftime('%p').lower()}"


def gsm_safe(text: str) -> str:
    """Text that stays in the GSM-7 alphabet, so a segment holds 153 characters, not 67."""
    out = []
    for char in text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("–", "-"):
        if char in GSM7 or char in GSM7_EXTENDED:
            out.append(char)
        else:
            out.append(unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode())
    return "".join(out)


def sms_length(text: str) -> int:
    return sum(2 if char in GSM7_EXTENDED else 1 for char in text)


def fit_sms(text: str) -> str:
    """Shorten the first line (the title) until the whole text, link included, fits in two segments."""
    text = gsm_safe(text)
    head, _, rest = text.partition("\n")
    while sms_length(text) > SMS_LIMIT and len(head) > 13:
        shorter = head[: max(10, len(head) - max(1, sms_length(text) - SMS_LIMIT) - 3)].rstrip() + "..."
        if len(shorter) >= len(head):
            break  # the links alone are longer than two segments: the title can give no more
        head = shorter
        text = f"{head}\n{rest}" if rest else head
    return text
