"""The Home page's tiles: each figure of the summary with what it counts and, where set, its target."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .formatting import count, percent


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    value: str
    detail: str
    link: str
    target: str | None = None
    target_met: bool | None = None
    behind: tuple[str, str, str] | None = None  # numerator, denominator and the words after, each number a link


def _rate(key: str, title: str, rate: dict[str, Any], of: str, link: str, targets: dict[str, float]) -> Tile:
    detail = f"{count(rate['numerator'])} of {count(rate['denominator'])} {of}"
    target = targets.get(key)
    if target is None:
        return Tile(key, title, percent(rate["value"]), detail, link)
    met = rate["value"] >= target
    return Tile(key, title, percent(rate["value"]), detail, link, f"Target {percent(target)}", met)


def _people(key: str, title: str, people: dict[str, int], link: str) -> Tile:
    detail = f"{count(people['customer'])} customers, {count(people['colleague'])} colleagues"
    return Tile(key, title, count(people["total"]), detail, link)


def tiles(summary: dict[str, Any], targets: dict[str, float]) -> list[Tile]:
    engagement, feedback = summary["engagement"], summary["feedback"]
    answered = {"value": feedback["responded"] / feedback["received"] if feedback["received"] else 0.0,
                "numerator": feedback["responded"], "denominator": feedback["received"]}
    opportunities = summary["opportunities"]
    rate = engagement["coproduction_rate"]
    coproduction = _rate("coproduction_rate", "Co-production rate", rate, "activities co-produced", "/trends", targets)
    behind = (count(rate["numerator"]), count(rate["denominator"]), "activities co-produced")
    return [
        replace(coproduction, behind=behind),
        _rate("commitment_coverage", "Commitment coverage", summary["commitments"]["coverage"],
              "services hold a commitment", "/commitments", targets),
        _people("people_trained", "People trained", summary["training"]["people_trained"], "/training"),
        _rate("you_said_we_did", "You said, we did", engagement["you_said_we_did"],
              "activities (consulting or above) with an outcome told back", "/where", targets),
        _rate("feedback_answered", "Feedback answered", answered, "pieces of feedback answered", "/feedback", targets),
        _people("champions", "Champions", summary["champions"], "/opportunities"),
        Tile("open_opportunities", "Open opportunities", count(opportunities["open"]),
             f"{count(opportunities['open'])} of {count(opportunities['published'])} published are open",
             "/opportunities"),
    ]
