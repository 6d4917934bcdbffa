"""The web's own tables: accounts, sessions and one-time sign-in links. Times are seconds since the epoch (UTC)."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, MetaData, String, Table, Text

metadata = MetaData()

users = Table(
    "web_users",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", Text(), nullable=True),
    Column("role", String(20), nullable=False),
    Column("regions", JSON(), nullable=False),
    Column("services", JSON(), nullable=False),
    Column("created_at", BigInteger(), nullable=False),
)

sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(32), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("expires_at", BigInteger(), nullable=False),
)

sign_in_links = Table(
    "web_sign_in_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(32), nullable=False),
    Column("expires_at", BigInteger(), nullable=False),
)
