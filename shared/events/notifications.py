"""What notify did: each alert sent or failed (emitted by coprod itself)."""

from .base import Attempts, EventData, FreeText, Id, Moment
from .champions import Channel


class NotificationSent(EventData):
    notification_id: Id
    opportunity_id: Id
    champion_id: Id
    channel: Channel
    sent_at: Moment | None = None
    possibly_sent_twice: bool = False
    """Sent again after notify died mid-send: the champion may have had it twice (same message id both times)."""


class NotificationFailed(EventData):
    notification_id: Id
    opportunity_id: Id
    champion_id: Id
    channel: Channel
    error: FreeText
    attempts: Attempts | None = None
