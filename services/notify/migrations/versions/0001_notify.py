"""Notify's store: champions, contacts, opportunities, services, deliveries and the event outbox."""

import sqlalchemy as sa
from alembic import op

from services.notify.tables import Key, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notify_champions",
        sa.Column("champion_id", sa.String(200), primary_key=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
    )
    op.create_table(
        "notify_contacts",
        sa.Column("champion_id", sa.String(200), primary_key=True),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "notify_opportunities",
        sa.Column("opportunity_id", sa.String(200), primary_key=True),
        sa.Column("published", sa.JSON(), nullable=True),
        sa.Column("published_at", UtcDateTime(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
    )
    op.create_table(
        "notify_services",
        sa.Column("service_id", sa.String(200), primary_key=True),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("version", sa.JSON(), nullable=False),
    )
    _deliveries()
    op.create_table(
        "notify_outbox",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("event", sa.JSON(), nullable=False),
    )


def _deliveries() -> None:
    op.create_table(
        "notify_deliveries",
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
        sa.UniqueConstraint("opportunity_id", "champion_id", name="notify_deliveries_once"),
    )
    op.create_index("notify_deliveries_due", "notify_deliveries", ["status", "next_attempt_at"])
    op.create_index("notify_deliveries_champion", "notify_deliveries", ["champion_id"])


def downgrade() -> None:
    for table in ("notify_outbox", "notify_deliveries", "notify_services", "notify_opportunities"):
        op.drop_table(table)
    op.drop_table("notify_contacts")
    op.drop_table("notify_champions")
