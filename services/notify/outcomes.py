"""From a channel's answer to what is recorded: the delivery's new state and the event that reports it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from shared.events import cloud_event

from .channels.base import Answer, Result
from .deliveries import Claimed, Outcome

SOURCE = "urn:coprod:notify"


class Policy:
    """Retry transient failures with exponential backoff and full jitter, `max_attempts` times in all."""

    def __init__(self, max_attempts: int, base_seconds: float) -> None:
        self.max_attempts, self.base_seconds = max_attempts, base_seconds

    def outcomes(self, bundle: Sequence[Claimed], answer: Answer, channel: str | None, now: datetime) -> list[Outcome]:
        """One answer for a message (an alert, or a digest of several); a retried digest stays one digest."""
        delay = self.base_seconds * 2 ** bundle[0].attempts * random.uniform(0.5, 1.0)
        retry_at = now + timedelta(seconds=delay)
        return [self.outcome(delivery, answer, channel, now, retry_at) for delivery in bundle]

    def outcome(
        self, delivery: Claimed, answer: Answer, channel: str | None, now: datetime, retry_at: datetime | None = None
    ) -> Outcome:
        attempts = delivery.attempts + 1
        if answer.result is Result.sent:
            return Outcome(delivery, "sent", channel, attempts, at=now)
        if answer.result is Result.transient and attempts < self.max_attempts:
            return Outcome(delivery, "pending", channel, attempts, retry_at or now, answer.reason, now)
        return Outcome(delivery, "failed", channel, attempts, error=answer.reason, at=now)


def held(delivery: Claimed, until: datetime, now: datetime) -> Outcome:
    return Outcome(delivery, "held", attempts=delivery.attempts, next_at=until, error="held for quiet hours", at=now)


def skipped(delivery: Claimed, why: str, now: datetime) -> Outcome:
    return Outcome(delivery, "skipped", attempts=delivery.attempts, error=why, at=now)


def report(outcome: Outcome, fallback_channel: str) -> dict[str, Any] | None:
    """The notification.sent / notification.failed CloudEvent for a final outcome; None for any other."""
    if outcome.status not in ("sent", "failed") or outcome.at is None:
        return None
    delivery = outcome.delivery
    data: dict[str, Any] = {
        "notification_id": delivery.notification_id,
        "opportunity_id": delivery.opportunity_id,
        "champion_id": delivery.champion_id,
        "channel": outcome.channel or fallback_channel,
    }
    if outcome.status == "sent":
        data["sent_at"] = outcome.at.isoformat()
        if delivery.possibly_sent_twice:
            data["possibly_sent_twice"] = True
    else:
        data |= {"error": outcome.error or "not sent", "attempts": outcome.attempts}
    return cloud_event(f"notification.{outcome.status}", data, id=delivery.notification_id, source=SOURCE,
                       time=outcome.at)
