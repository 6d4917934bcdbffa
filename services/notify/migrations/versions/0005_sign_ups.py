"""Who said yes to which opportunity (from any source), so a tap on "I'm interested" knows the places left."""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notify_sign_ups",
        sa.Column("opportunity_id", sa.String(200), primary_key=True),
        sa.Column("person_id", sa.String(200), primary_key=True),
        sa.Column("waiting_list", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("notify_sign_ups")
