"""One index for an agreement's entries of a type, instead of two.

``ix_entries_event_day`` (agreement, type, valid_from; from ``ingest_0002``) answers every
query ``ix_entries_agreement_type`` (agreement, type) did; keeping both cost every append
a second index insertion.

Revision ID: 0003
Revises: 0002, ingest_0002
"""
from alembic import op

revision = "0003"
down_revision = ("0002", "ingest_0002")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_entries_agreement_type", "entries")


def downgrade() -> None:
    op.create_index("ix_entries_agreement_type", "entries", ["agreement", "type"])
