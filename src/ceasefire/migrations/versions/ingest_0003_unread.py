"""Sentences an ingest passed over that a reviewer should read (``ingest.model.Unread``).

Revision ID: ingest_0003
Revises: ingest_0002
"""
import sqlalchemy as sa
from alembic import op

revision = "ingest_0003"
down_revision = "ingest_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingest_unread",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("agreement", sa.String(80), nullable=False),
        sa.Column("document", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("decided_at", sa.BigInteger, nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
    )
    op.create_index("ix_ingest_unread_status", "ingest_unread", ["agreement", "status"])


def downgrade() -> None:
    op.drop_index("ix_ingest_unread_status", "ingest_unread")
    op.drop_table("ingest_unread")
