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

people = sa.Table(
    "ingest_people",
    metadata,
    sa.Column("upstream_id", sa.String(200), primary_key=True, comment="the person's id in the upstream system"),
    sa.Column("token", sa.String(40), nullable=False, unique=True, comment="what the event log holds instead"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    comment="who the tokens in the event log are: deleting a row erases the person from coprod",
)

erasures = sa.Table(
    "ingest_erasures",
    metadata,
    sa.Column("id", Position, primary_key=True, autoincrement=True),
    sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("erased_by", sa.String(200), nullable=False, comment="the API key's name, or the event that asked"),
    sa.Column("found", sa.Boolean(), nullable=False, comment="whether coprod held the person at all"),
    comment="each erasure: who asked and when, never whom",
)
