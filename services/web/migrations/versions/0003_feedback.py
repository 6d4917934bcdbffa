"""Which service each piece of feedback is about, so only those who may record for it record its response."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_feedback",
        sa.Column("feedback_id", sa.String(200), primary_key=True),
        sa.Column("service_id", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("web_feedback")
