"""Stream blocks: the counted entries' columns, kept beside the entries.

The engine used to read every counted entry back row by row (seconds at a million); it now
loads these blocks. A ledger made before this revision gets its blocks written from its
entries once, here.

Revision ID: 0002
Revises: 0001
"""
import sys

import sqlalchemy as sa
from alembic import op

from ceasefire.storage import insert_blocks

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 100_000


def upgrade() -> None:
    op.create_table(
        "stream_blocks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("stream", sa.String(400), nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_stream_blocks_last_seq", "stream_blocks", ["last_seq"])
    op.create_index("ix_entries_whole", "entries", ["seq"],
                    sqlite_where=sa.text("stream IS NULL"),
                    postgresql_where=sa.text("stream IS NULL"))
    conn = op.get_bind()
    total = conn.execute(sa.text("SELECT COUNT(*) FROM entries")).scalar() or 0
    if total >= BATCH:  # seconds at a million: say why the first command waits
        print(f"ceasefire: writing the stream blocks of {total:,} entries (once) ...",
              file=sys.stderr, flush=True)
    after = 0
    while True:  # in batches, so a large ledger is not held in memory at once
        rows = conn.execute(sa.text(
            "SELECT stream, seq, valid_from, valid_to, recorded_at, COALESCE(quantity, 0), "
            "verification FROM entries WHERE stream IS NOT NULL AND seq > :after "
            "ORDER BY seq LIMIT :n"), {"after": after, "n": BATCH}).all()
        if not rows:
            break
        insert_blocks(conn, [tuple(r) for r in rows])
        after = rows[-1][1]


def downgrade() -> None:
    op.drop_index("ix_entries_whole", "entries")
    op.drop_table("stream_blocks")
