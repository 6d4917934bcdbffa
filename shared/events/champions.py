"""The champion group (COGs): who joins, how they want to hear, who leaves."""

from datetime import time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from .base import Date, EventData, Id, Role


class Channel(StrEnum):
    email = "email"
    sms = "sms"
    webhook = "webhook"


class Format(StrEnum):
    standard = "standard"
    easy_read = "easy_read"
    large_print = "large_print"


class Cadence(StrEnum):
    immediate = "immediate"
    daily_digest = "daily_digest"
    weekly_digest = "weekly_digest"


class QuietHours(BaseModel):
    """Local (Europe/London) times between which nothing is sent; `start` after `end` spans midnight."""

    model_config = ConfigDict(frozen=True)
    start: time
    end: time


class ChampionJoined(EventData):
    champion_id: Id
    role: Role
    joined_on: Date
    region: Id | None = None
    interests: list[Id] | None = None
    channels: list[Channel] | None = None
    format: Format | None = None
    cadence: Cadence | None = None
    quiet_hours: QuietHours | None = None
    national_customer_group: bool | None = None
    """Chose to be a member of the national C&S Customer Group (its meetings are opportunities marked so)."""


class ChampionPreferencesUpdated(EventData):
    champion_id: Id
    region: Id | None = None
    interests: list[Id] | None = None
    channels: list[Channel] | None = None
    format: Format | None = None
    cadence: Cadence | None = None
    quiet_hours: QuietHours | None = None
    national_customer_group: bool | None = None


class ChampionLeft(EventData):
    champion_id: Id
    left_on: Date
    erase: bool = False
