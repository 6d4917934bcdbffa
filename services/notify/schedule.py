"""When an alert may go: quiet hours and digest times, in local (Europe/London) time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.events.champions import Cadence, QuietHours


@dataclass(frozen=True)
class Timetable:
    zone: ZoneInfo
    daily_at: time
    weekly_weekday: int
    weekly_at: time

    def quiet_until(self, now: datetime, quiet: QuietHours | None) -> datetime | None:
        """When the quiet hours `now` falls in end (UTC), or None if `now` is not in quiet hours."""
        if quiet is None or quiet.start == quiet.end:
            return None
        local = now.astimezone(self.zone)
        at = local.time().replace(tzinfo=None)
        spans_midnight = quiet.start > quiet.end
        inside = (at >= quiet.start or at < quiet.end) if spans_midnight else quiet.start <= at < quiet.end
        if not inside:
            return None
        end_day = local.date() + timedelta(days=1) if spans_midnight and at >= quiet.start else local.date()
        return self._utc(end_day, quiet.end)

    def next_digest(self, after: datetime, cadence: Cadence) -> datetime:
        """The first digest time for `cadence` at or after `after`; `after` itself for immediate alerts."""
        if cadence is Cadence.immediate:
            return after
        local = after.astimezone(self.zone)
        at = self.daily_at if cadence is Cadence.daily_digest else self.weekly_at
        for days in range(8):
            day = local.date() + timedelta(days=days)
            slot = self._utc(day, at)
            weekday_fits = cadence is Cadence.daily_digest or day.weekday() == self.weekly_weekday
            if weekday_fits and slot >= after:
                return slot
        raise AssertionError("a week always holds a digest time")

    def _utc(self, day: object, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.zone).astimezone(UTC)  # type: ignore[arg-type]
