"""Each alert is marked in flight just before it goes to its channel, so a crash mid-send is known afterwards."""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notify_deliveries") as table:
        table.add_column(sa.Column("in_flight_at", sa.DateTime(), nullable=True))
        table.add_column(
            sa.Column("possibly_sent_twice", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("notify_deliveries") as table:
        table.drop_column("possibly_sent_twice")
        table.drop_column("in_flight_at")
