"""An opportunity as a person reads it: each fact a line with its heading, its standard words and its easy-read
sentence (short, plain, with an icon beside it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..pages.formatting import label

LONDON = ZoneInfo("Europe/London")
WHO = {"customers": "Customers", "colleagues": "Colleagues (staff)", "both": "Customers and colleagues"}
EASY_WHO = {"customers": "This is for customers.", "colleagues": "This is for staff.",
            "both": "This is for customers and staff."}
MODES = {"face_to_face": "In person", "virtual": "Online", "hybrid": "In person or online", "written": "In writing"}


@dataclass(frozen=True)
class Line:
    icon: str
    heading: str
    text: str
    easy: str


def weekday(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def clock(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def when(entry: dict[str, Any]) -> Line:
    if not entry["starts_at"]:
        return Line("when", "When", "To be agreed", "We will tell you the date and time.")
    moment = datetime.fromisoformat(entry["starts_at"])
    local = weekday(moment.astimezone(LONDON).date())
    return Line("when", "When", f"{local} at {clock(moment)}", f"It is on {local}, at {clock(moment)}.")


def where(entry: dict[str, Any]) -> Line:
    mode, place = entry["mode"], entry["location"]
    given = f": {place}" if place else ""
    easy = {
        "face_to_face": f"You go to {place}." if place else "We will tell you where to go.",
        "virtual": "You join online, on a computer, tablet or phone." + (f" {place}." if place else ""),
        "hybrid": f"You can go to {place}, or join online." if place else "You can go there, or join online.",
        "written": "You write your answers. You do not need to go anywhere.",
    }.get(mode, f"Where: {place}." if place else "We will tell you where.")
    icon = "online" if mode in ("virtual", "hybrid") else "where"
    text = f"{MODES.get(mode, 'Not given')}{given}" if mode else (place or "To be agreed")
    return Line(icon, "Where", text, easy)


def who(entry: dict[str, Any]) -> Line:
    scope = entry["scope"]
    place = {"service": f" at {entry['service_name'] or entry['service_id']}",
             "regional": f" in the {label(entry['region'])} region"}.get(scope, " from anywhere in the country")
    return Line("who", "Who can take part", WHO[entry["open_to"]] + place, EASY_WHO[entry["open_to"]])


def support(entry: dict[str, Any]) -> Line:
    offered = entry["accessibility_support"]
    if offered:
        return Line("support", "Support to take part", offered, f"Help to take part: {offered}.")
    return Line("support", "Support to take part", "Ask for the support you need",
                "Tell us if you need help to take part.")


def expenses(entry: dict[str, Any]) -> Line:
    if entry["expenses_paid"]:
        return Line("money", "Expenses", "Paid: travel and other costs of taking part",
                    "We pay your costs, like bus fares.")
    return Line("money", "Expenses", "Not paid", "We do not pay costs for this one.")


def places(entry: dict[str, Any]) -> Line:
    total, left = entry["places"], entry["places_left"]
    if total is None:
        return Line("places", "Places", "No limit", "Everyone who wants to can come.")
    if left == 0:
        return Line("places", "Places", f"Full ({total} places): ask to go on the waiting list",
                    "It is full. Ask to go on the waiting list.")
    return Line("places", "Places", f"{left} of {total} left", f"There {'is' if left == 1 else 'are'} {left} "
                f"place{'' if left == 1 else 's'} left.")


def closes(entry: dict[str, Any]) -> Line:
    day = weekday(date.fromisoformat(entry["closes_on"]))
    return Line("closes", "Closing date", f"Say you are interested by {day}", f"Tell us by {day}.")


def lines(entry: dict[str, Any]) -> list[Line]:
    found = [when(entry), where(entry), who(entry), support(entry), expenses(entry), places(entry), closes(entry)]
    if entry["customer_group_meeting"]:
        found.insert(0, Line("group", "Customer Group", "A meeting of the national C&S Customer Group",
                             "This is a meeting of the national Customer Group."))
    return found


def how_to_take_part(entry: dict[str, Any]) -> str:
    return entry["how_to_take_part"] or (
        "Tell a member of staff at your scheme, or your support worker, that you are interested in "
        f"“{entry['title']}”.")
