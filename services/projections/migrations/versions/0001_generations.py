"""Which read-model generation is live, and how far each generation has got."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    live = op.create_table(
        "projections_live",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("generation", sa.Integer(), nullable=False),
    )
    op.create_table(
        "projections_progress",
        sa.Column("generation", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("watermark", Position, nullable=False),
        sa.Column("head", Position, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.bulk_insert(live, [{"id": 1, "generation": 1}])


def downgrade() -> None:
    op.drop_table("projections_progress")
    op.drop_table("projections_live")
