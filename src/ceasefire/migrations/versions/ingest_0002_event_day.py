"""Index for finding the ledger event an accepted report is about.

Accepting a candidate looks for an event of the same agreement and type on the same day;
this index makes that a range read instead of a scan of every entry of the type.

Revision ID: ingest_0002
Revises: ingest_0001
"""
from alembic import op

revision = "ingest_0002"
down_revision = "ingest_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_entries_event_day", "entries", ["agreement", "type", "valid_from"])


def downgrade() -> None:
    op.drop_index("ix_entries_event_day", "entries")
