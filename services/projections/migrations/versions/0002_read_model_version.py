"""Each generation records the read-model version it was built with; those built before it was recorded are 1."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "projections_progress",
        sa.Column("read_model_version", sa.Integer(), nullable=False, server_default="1"),
    )


def downgrade() -> None:
    with op.batch_alter_table("projections_progress") as table:
        table.drop_column("read_model_version")
