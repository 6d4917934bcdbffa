"""Notify's own tables: what it knows of champions, opportunities and services, contacts, deliveries, outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (SQLite keeps no offset); always read back as an aware UTC datetime."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = sa.MetaData()
Key = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

champions = sa.Table(
    "notify_champions",
    metadata,
    sa.Column("champion_id", sa.String(200), primary_key=True),
    sa.Column("facts", sa.JSON(), nullable=False, comment="the champion as folded from champion.* events"),
    sa.Column("versions", sa.JSON(), nullable=False, comment="per field: [time, position] of the event that set it"),
)

contacts = sa.Table(
    "notify_contacts",
    metadata,
    sa.Column("champion_id", sa.String(200), primary_key=True),
    sa.Column("sealed", sa.Text(), nullable=False, comment="Fernet token of the contact details JSON"),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

opportunities = sa.Table(
    "notify_opportunities",
    metadata,
    sa.Column("opportunity_id", sa.String(200), primary_key=True),
    sa.Column("published", sa.JSON(), nullable=True),
    sa.Column("published_at", UtcDateTime(), nullable=True),
    sa.Column("closed_on", sa.Date(), nullable=True),
)

services = sa.Table(
    "notify_services",
    metadata,
    sa.Column("service_id", sa.String(200), primary_key=True),
    sa.Column("region", sa.String(200), nullable=False),
    sa.Column("version", sa.JSON(), nullable=False),
)

deliveries = sa.Table(
    "notify_deliveries",
    metadata,
    sa.Column("id", Key, primary_key=True, autoincrement=True),
    sa.Column("notification_id", sa.String(64), nullable=False, unique=True),
    sa.Column("opportunity_id", sa.String(200), nullable=False),
    sa.Column("champion_id", sa.String(200), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("channel", sa.String(16), nullable=True),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
    sa.Column("claimed_by", sa.String(200), nullable=True),
    sa.Column("lease_until", UtcDateTime(), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("sent_at", UtcDateTime(), nullable=True),
    sa.Column("last_error", sa.String(500), nullable=True),
    sa.Column("in_flight_at", UtcDateTime(), nullable=True, comment="handed to its channel; the answer not yet known"),
    sa.Column(
        "possibly_sent_twice",
        sa.Boolean(),
        nullable=False,
        server_default=sa.false(),
        comment="found in flight after its sender died, so sent again: the first may have gone too",
    ),
    sa.UniqueConstraint("opportunity_id", "champion_id", name="notify_deliveries_once"),
    sa.Index("notify_deliveries_due", "status", "next_attempt_at"),
    sa.Index("notify_deliveries_champion", "champion_id"),
)

outbox = sa.Table(
    "notify_outbox",
    metadata,
    sa.Column("id", Key, primary_key=True, autoincrement=True),
    sa.Column("event", sa.JSON(), nullable=False, comment="a notification.sent or notification.failed CloudEvent"),
)

outbox_set_aside = sa.Table(
    "notify_outbox_set_aside",
    metadata,
    sa.Column("id", Key, primary_key=True, autoincrement=True),
    sa.Column("event", sa.JSON(), nullable=False, comment="an outcome event ingest refused"),
    sa.Column("status", sa.Integer(), nullable=False, comment="ingest's answer: 409 or 422"),
    sa.Column("reason", sa.Text(), nullable=False, comment="ingest's words, as given"),
    sa.Column("set_aside_at", UtcDateTime(), nullable=False),
)

progress = sa.Table(
    "notify_progress",
    metadata,
    sa.Column("reader", sa.String(50), primary_key=True),
    sa.Column("position", sa.BigInteger(), nullable=False, comment="every event up to here has been applied"),
)

sign_ups = sa.Table(
    "notify_sign_ups",
    metadata,
    sa.Column("opportunity_id", sa.String(200), primary_key=True),
    sa.Column("person_id", sa.String(200), primary_key=True, comment="a token: a champion's, or a person's"),
    sa.Column("waiting_list", sa.Boolean(), nullable=False, comment="said yes when every place was taken"),
)
