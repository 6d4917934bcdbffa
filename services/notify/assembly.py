"""Builds the sending side from settings: channels, renderer, timetable, retry policy."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events.champions import Channel

from .channels.base import Sender
from .channels.email import EmailSender
from .channels.http import SmsSender, WebhookSender
from .clock import Clock, SystemClock
from .contacts import Sealer, contact_key, kept_secret
from .delivering import Delivering
from .links import Links
from .messages import Renderer
from .outcomes import Policy
from .schedule import Timetable
from .settings import NotifySettings


def timetable(settings: NotifySettings) -> Timetable:
    zone = ZoneInfo(settings.timezone)
    return Timetable(zone, settings.daily_digest_at, settings.weekly_digest_weekday, settings.weekly_digest_at)


def links(settings: NotifySettings, clock: Clock) -> Links:
    secret = settings.link_secret.get_secret_value() if settings.link_secret else None
    return Links(
        secret or kept_secret(settings.data_dir / "notify-link.secret"),
        settings.public_url,
        timedelta(days=settings.link_days),
        clock,
    )


def renderer(settings: NotifySettings, clock: Clock) -> Renderer:
    personal = links(settings, clock) if settings.personal_links else None
    return Renderer(settings.public_url, ZoneInfo(settings.timezone), personal, settings.sms_inbound_token is not None)


def build_delivering(
    settings: NotifySettings, engine: AsyncEngine, client: httpx.AsyncClient, clock: Clock | None = None
) -> tuple[Delivering, EmailSender]:
    clock = clock or SystemClock()
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
        renderer=renderer(settings, clock),
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
