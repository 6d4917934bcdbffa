"""Co-production training: sessions and who attended them."""

from .base import Date, EventData, Id, Mode, Name, Role


class TrainingSessionHeld(EventData):
    session_id: Id
    held_on: Date
    module: Name
    mode: Mode
    region: Id | None = None


class TrainingAttended(EventData):
    session_id: Id
    person_id: Id
    role: Role
