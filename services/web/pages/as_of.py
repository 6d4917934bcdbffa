"""The banner's words for how up to date the figures are, from the `as_of` projections stamps on each answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .formatting import count, moment


@dataclass(frozen=True)
class AsOf:
    headline: str
    detail: str | None


def as_of(stamp: dict[str, Any]) -> AsOf:
    updated = stamp.get("updated_at")
    position, lag = int(stamp.get("position") or 0), int(stamp.get("lag") or 0)
    if not updated:
        return AsOf("No records have been counted yet.", None)
    when = moment(datetime.fromisoformat(updated))
    headline = f"Figures last updated {when}."
    if lag:
        return AsOf(headline, f"{count(lag)} more records have arrived and are still being counted.")
    return AsOf(headline, f"Every record received so far ({count(position)}) is counted.")
