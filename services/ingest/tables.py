"""Ingest's tables: the append-only event log and where the relay has got to."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

Position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

events = sa.Table(
    "events",
    metadata,
    sa.Column("position", Position, primary_key=True, autoincrement=False),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("id", sa.String(200), nullable=False),
    sa.Column("type", sa.String(100), nullable=False),
    sa.Column("time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("subject", sa.Text(), nullable=True),
    sa.Column("event", sa.Text(), nullable=False, comment="the CloudEvent as received, JSON"),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("source", "id", name="events_source_id_key"),
)

relay_progress = sa.Table(
    "ingest_relay_progress",
    metadata,
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("position", sa.BigInteger(), nullable=False),
)
