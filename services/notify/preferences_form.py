"""The "Change how I hear from you" form: the choices it offers and what a champion sent, checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any

from starlette.datastructures import FormData

from shared.events.champions import Cadence, Channel, Format

from .champions import Champion

CHANNELS = {Channel.email: "Email", Channel.sms: "Text message", Channel.webhook: "A Teams or Slack channel"}
FORMATS = {Format.standard: "Standard", Format.easy_read: "Easy read", Format.large_print: "Large print"}
CADENCES = {
    Cadence.immediate: "Straight away, one message for each",
    Cadence.daily_digest: "One message a day, at 9am",
    Cadence.weekly_digest: "One message a week, on Monday at 9am",
}
HOURS = [time(hour) for hour in range(24)]


@dataclass
class Choices:
    """What the form shows: the champion's current choices and the regions and topics notify knows of."""

    channels: list[str]
    format: str
    cadence: str
    quiet_from: str
    quiet_until: str
    interests: list[str]
    region: str
    regions: list[str]
    topics: list[str]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, champion: Champion, regions: list[str], topics: list[str]) -> Choices:
        quiet = champion.quiet_hours
        return cls(
            channels=[c.value for c in champion.channels],
            format=champion.format.value,
            cadence=champion.cadence.value,
            quiet_from=quiet.start.strftime("%H:%M") if quiet else "",
            quiet_until=quiet.end.strftime("%H:%M") if quiet else "",
            interests=sorted(champion.interests),
            region=champion.region or "",
            regions=sorted(set(regions) | ({champion.region} if champion.region else set())),
            topics=sorted(set(topics) | champion.interests),
        )


def read_form(form: FormData, shown: Choices) -> tuple[Choices, dict[str, Any]]:
    """The choices as sent (to show again if wrong) and, when `errors` is empty, the changes to record."""
    sent = Choices(
        channels=[v for v in form.getlist("channels") if isinstance(v, str)],
        format=str(form.get("format") or ""),
        cadence=str(form.get("cadence") or ""),
        quiet_from=str(form.get("quiet_from") or ""),
        quiet_until=str(form.get("quiet_until") or ""),
        interests=[v for v in form.getlist("interests") if isinstance(v, str)],
        region=str(form.get("region") or ""),
        regions=shown.regions,
        topics=shown.topics,
    )
    errors = sent.errors
    if not sent.channels or not set(sent.channels) <= {c.value for c in CHANNELS}:
        errors["channels"] = "Choose at least one way to hear from us (or use the link to stop these messages)"
    if sent.format not in {f.value for f in FORMATS}:
        errors["format"] = "Choose how the messages should look"
    if sent.cadence not in {c.value for c in CADENCES}:
        errors["cadence"] = "Choose how often to get messages"
    quiet = _quiet(sent.quiet_from, sent.quiet_until)
    if quiet is False:
        errors["quiet_from"] = "Choose both times for quiet hours, or neither"
    if not set(sent.interests) <= set(shown.topics):
        errors["interests"] = "Choose topics from the list"
    if sent.region and sent.region not in shown.regions:
        errors["region"] = "Choose a region from the list"
    if errors:
        return sent, {}
    changes: dict[str, Any] = {
        "channels": sent.channels,
        "format": sent.format,
        "cadence": sent.cadence,
        "quiet_hours": quiet,
        "interests": sent.interests,
    }
    if sent.region:
        changes["region"] = sent.region
    return sent, changes


def _quiet(start: str, end: str) -> dict[str, str] | None | bool:
    """{start, end}; None for no quiet hours; False when only one time was given or a time is not on the list."""
    if not start and not end:
        return None
    allowed = {hour.strftime("%H:%M") for hour in HOURS}
    if start not in allowed or end not in allowed:
        return False
    return {"start": start, "end": end}
