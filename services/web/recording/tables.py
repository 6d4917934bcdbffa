"""The web's copy of the record's engagement events, by activity, read from ingest's log (`web_log_read` says how
far), so an activity's page shows every event about it from any source."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, MetaData, String, Table

metadata = MetaData()

activity_events = Table(
    "web_activity_events",
    metadata,
    Column("position", BigInteger(), primary_key=True, autoincrement=False),
    Column("activity_id", String(200), nullable=False, index=True),
    Column("event_type", String(100), nullable=False),
    Column("event_id", String(200), nullable=False),
    Column("source", String(200), nullable=False),
    Column("time", String(40), nullable=False),
    Column("data", JSON(), nullable=False),
)

log_read = Table(
    "web_log_read",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger(), nullable=False),
)

feedback = Table(
    "web_feedback",
    metadata,
    Column("feedback_id", String(200), primary_key=True),
    Column("service_id", String(200), nullable=False),
)
