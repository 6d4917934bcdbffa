"""The people behind the tokens in the event log, and the record of erasures (who asked and when, never whom)."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Key = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ingest_people",
        sa.Column("upstream_id", sa.String(200), primary_key=True),
        sa.Column("token", sa.String(40), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ingest_erasures",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_by", sa.String(200), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ingest_erasures")
    op.drop_table("ingest_people")
