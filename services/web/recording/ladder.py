"""The guided level picker: two questions in plain words (who decided, who delivered) give the step of the
ladder, so every service records levels the same way."""

from __future__ import annotations

from shared.events.engagement import Level

DECIDED = (
    ("learn", "Nobody decided anything: it helped customers learn or understand something"),
    ("told", "Colleagues decided, then told customers"),
    ("asked", "Colleagues asked customers what they thought, then colleagues decided"),
    ("shaped", "Customers' views changed what colleagues decided"),
    ("designed", "Customers designed it with colleagues, and colleagues made the final decision"),
    ("shared", "Customers shared power over the design and the decision with colleagues"),
)
DELIVERED = (
    ("colleagues", "Colleagues (or someone else) delivered it"),
    ("together", "Customers delivered it with colleagues, as equals"),
)
_BY_DECIDED = {
    "learn": Level.educating,
    "told": Level.informing,
    "asked": Level.consulting,
    "shaped": Level.engaging,
    "designed": Level.co_designing,
}


def level_of(decided: str, delivered: str) -> Level:
    """Co-producing needs both: power shared over the decision, and the delivery shared."""
    if decided == "shared":
        return Level.co_producing if delivered == "together" else Level.co_designing
    return _BY_DECIDED[decided]


def answers_for(level: str) -> tuple[str, str]:
    """The picker's answers that give `level`, to show an activity's level again when it is amended."""
    if level == Level.co_producing:
        return "shared", "together"
    decided = next(key for key, found in _BY_DECIDED.items() if found == level)
    return decided, "colleagues"
