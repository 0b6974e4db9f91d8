"""Review queue for candidate events read from reports.

Revision ID: ingest_0001
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "ingest_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingest_documents",
        sa.Column("sha", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("publisher", sa.String(200), nullable=True),
        sa.Column("title", sa.String(400), nullable=True),
        sa.Column("date", sa.String(10), nullable=True),
        sa.Column("url", sa.String(1000), nullable=True),
        sa.Column("ingested_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "ingest_candidates",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("agreement", sa.String(80), nullable=False),
        sa.Column("document", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("decided_at", sa.BigInteger, nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("entry_id", sa.String(64), nullable=True),
    )
    op.create_index("ix_ingest_candidates_status", "ingest_candidates",
                    ["agreement", "status"])


def downgrade() -> None:
    op.drop_index("ix_ingest_candidates_status", "ingest_candidates")
    op.drop_table("ingest_candidates")
    op.drop_table("ingest_documents")
