"""Outcome events ingest refused (409 or 422), kept aside so the rest of the outbox goes on."""

import sqlalchemy as sa
from alembic import op

from services.notify.tables import Key, UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notify_outbox_set_aside",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_aside_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("notify_outbox_set_aside")
