"""Reading a form's fields: each value checked and, when wrong, a message in plain words to show beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from starlette.datastructures import FormData

from shared.events.base import FIRST_DAY, LAST_DAY, MOST_PEOPLE
from shared.personal_data import looks_like

LONGEST_TEXT = 5000
ADVICE = ("coprod keeps every record for ever, so take it out and say what happened without it "
          "(“a resident”, not their name or contact details)")


@dataclass
class Reading:
    """The raw values (kept to show again), the checked ones, and what is wrong with each field."""

    form: FormData
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def raw(self, name: str) -> str:
        found = str(self.form.get(name) or "").strip()
        self.values[name] = found
        return found

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def choice(self, name: str, options: Sequence[str], missing: str) -> str | None:
        found = self.raw(name)
        if found in options:
            return found
        self.fail(name, missing)
        return None

    def choices(self, name: str, options: Sequence[str]) -> list[str]:
        found = [str(v) for v in self.form.getlist(name) if str(v) in options]
        self.values[name] = found
        return found

    def count(self, name: str, what: str) -> int | None:
        found = self.raw(name)
        if not found:
            return None
        if not found.isdigit():
            self.fail(name, f"The number of {what} must be a whole number, like 6")
            return None
        if int(found) > MOST_PEOPLE:
            self.fail(name, f"The number of {what} must be {MOST_PEOPLE:,} or fewer")
            return None
        return int(found)

    def text(self, name: str, what: str, required: str | None = None) -> str | None:
        found = self.raw(name)
        if not found:
            if required:
                self.fail(name, required)
            return None
        if len(found) > LONGEST_TEXT:
            self.fail(name, f"The {what} must be {LONGEST_TEXT:,} characters or fewer")
        elif kind := looks_like(found):
            self.fail(name, f"The {what} looks like it holds {kind}: {ADVICE}")
        return found

    def day(self, name: str, what: str, latest: date, future: bool = False, required: bool = True) -> date | None:
        """A date of the past (or of any day, when `future`), from its three boxes."""
        parts = {part: self.raw(f"{name}-{part}") for part in ("day", "month", "year")}
        if not any(parts.values()):
            if required:
                self.fail(name, f"Enter the date {what}")
            return None
        if missing := [part for part, value in parts.items() if not value]:
            self.fail(name, f"The date {what} must include a {' and '.join(missing)}")
            return None
        try:
            if len(parts["year"]) != 4:
                raise ValueError("a year of four digits")
            found = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.fail(name, f"The date {what} must be a real date, like 27 3 {latest.year}")
            return None
        if not FIRST_DAY <= found <= LAST_DAY:
            self.fail(name, f"The date {what} must be between {FIRST_DAY.year} and {LAST_DAY.year}")
            return None
        if found > latest and not future:
            self.fail(name, f"The date {what} must be today or in the past")
            return None
        return found

    def time_of_day(self, name: str, what: str) -> time | None:
        """A time such as 14:30 (or 2:30pm), when one was given."""
        found = self.raw(name).lower().replace(".", ":").replace(" ", "")
        if not found:
            return None
        afternoon = found.endswith("pm")
        hours, _, minutes = found.removesuffix("am").removesuffix("pm").partition(":")
        try:
            hour = int(hours) % 12 + 12 if afternoon else int(hours)
            return time(hour, int(minutes or 0))
        except ValueError:
            self.fail(name, f"The time {what} must be a real time, like 14:30 or 2:30pm")
            return None

    def yes_no(self, name: str, missing: str | None = None) -> bool | None:
        found = self.raw(name)
        if found in ("yes", "no"):
            return found == "yes"
        if missing:
            self.fail(name, missing)
        return None
