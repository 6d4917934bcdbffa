"""Quiet hours and digest times in London time, summer and winter."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from services.notify.schedule import Timetable
from shared.events.champions import Cadence, QuietHours

TIMETABLE = Timetable(ZoneInfo("Europe/London"), time(9), 0, time(9))
NIGHT = QuietHours(start=time(21), end=time(8))


def test_quiet_hours_spanning_midnight_end_the_next_morning() -> None:
    assert TIMETABLE.quiet_until(datetime(2026, 6, 1, 21, 30, tzinfo=UTC), NIGHT) == datetime(2026, 6, 2, 7, tzinfo=UTC)
    assert TIMETABLE.quiet_until(datetime(2026, 1, 5, 3, 0, tzinfo=UTC), NIGHT) == datetime(2026, 1, 5, 8, tzinfo=UTC)


def test_outside_quiet_hours_nothing_waits() -> None:
    assert TIMETABLE.quiet_until(datetime(2026, 6, 1, 12, tzinfo=UTC), NIGHT) is None
    assert TIMETABLE.quiet_until(datetime(2026, 6, 1, 12, tzinfo=UTC), None) is None
    lunch = QuietHours(start=time(12), end=time(14))
    assert TIMETABLE.quiet_until(datetime(2026, 1, 5, 13, tzinfo=UTC), lunch) == datetime(2026, 1, 5, 14, tzinfo=UTC)


def test_digest_times() -> None:
    wednesday = datetime(2026, 6, 3, 12, tzinfo=UTC)
    assert TIMETABLE.next_digest(wednesday, Cadence.immediate) == wednesday
    assert TIMETABLE.next_digest(wednesday, Cadence.daily_digest) == datetime(2026, 6, 4, 8, tzinfo=UTC)
    assert TIMETABLE.next_digest(wednesday, Cadence.weekly_digest) == datetime(2026, 6, 8, 8, tzinfo=UTC)
    monday_early = datetime(2026, 1, 5, 7, tzinfo=UTC)
    assert TIMETABLE.next_digest(monday_early, Cadence.weekly_digest) == datetime(2026, 1, 5, 9, tzinfo=UTC)
