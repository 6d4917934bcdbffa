"""Builds the sending side from settings: channels, renderer, timetable, retry policy."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events.champions import Channel

from .channels.base import Sender
from .channels.email import EmailSender
from .channels.http import SmsSender, WebhookSender
from .contacts import Sealer, contact_key, kept_secret
from .delivering import Delivering
from .messages import Renderer
from .outcomes import Policy
from .schedule import Timetable
from .settings import NotifySettings


def timetable(settings: NotifySettings) -> Timetable:
    zone = ZoneInfo(settings.timezone)
    return Timetable(zone, settings.daily_digest_at, settings.weekly_digest_weekday, settings.weekly_digest_at)


def build_delivering(
    settings: NotifySettings, engine: AsyncEngine, client: httpx.AsyncClient
) -> tuple[Delivering, EmailSender]:
    email = EmailSender(settings.smtp_url, settings.smtp_from, settings.smtp_connections, settings.smtp_reply_to)
    token = settings.sms_gateway_token.get_secret_value() if settings.sms_gateway_token else None
    senders: dict[Channel, Sender] = {
        Channel.email: email,
        Channel.sms: SmsSender(client, settings.sms_gateway_url, token),
        Channel.webhook: WebhookSender(client, webhook_secret(settings), settings.allow_private_webhooks),
    }
    delivering = Delivering(
        engine=engine,
        senders=senders,
        renderer=Renderer(settings.public_url, ZoneInfo(settings.timezone)),
        timetable=timetable(settings),
        sealer=Sealer(contact_key(settings)),
        policy=Policy(settings.max_attempts, settings.retry_base_seconds),
        concurrency=settings.send_concurrency,
    )
    return delivering, email


def webhook_secret(settings: NotifySettings) -> str:
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    return kept_secret(settings.data_dir / "notify-webhook.secret")
