"""Storage: the stream blocks the engine loads are exact copies of the counted entries."""

from __future__ import annotations

import datetime as dt

import numpy as np
import sqlalchemy as sa

from ceasefire import Engine, Ledger
from ceasefire.storage import decode_block, entries, stream_blocks
from tests.conftest import ev

AS_OF = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)


def _fill(ledger: Ledger) -> None:
    ledger.add([ev("flow", f"2025-01-{10 + i}", category="truck", measure="m-un", quantity=i)
                for i in range(4)]
               + [ev("transfer", "2025-01-11", actor="a", recipient="b", category="hostage",
                     quantity=2),
                  ev("facility_state", "2025-01-12", facility="gate", state="open")],
               recorded_by="t")
    ledger.add([ev("flow", "2025-01-20", category="truck", measure="m-un", quantity=9)],
               recorded_by="t")


def _blocks(ledger: Ledger) -> dict[str, np.ndarray]:
    with ledger.engine.connect() as conn:
        rows = conn.execute(sa.select(stream_blocks.c.stream, stream_blocks.c.rows,
                                      stream_blocks.c.data)).all()
    parts: dict[str, list[np.ndarray]] = {}
    for key, n, data in rows:
        parts.setdefault(key, []).append(decode_block(data, n))
    return {k: np.concatenate(v, axis=1) for k, v in parts.items()}


def test_blocks_copy_the_counted_entries_and_only_them(ledger):
    _fill(ledger)
    blocks = _blocks(ledger)
    with ledger.engine.connect() as conn:
        rows = conn.execute(sa.select(
            entries.c.stream, entries.c.seq, entries.c.valid_from, entries.c.valid_to,
            entries.c.recorded_at, entries.c.quantity, entries.c.verification)
            .order_by(entries.c.seq)).all()
    counted = [r for r in rows if r[0] is not None]
    assert len(counted) == 6 and len(rows) == 7  # the facility state is read whole
    for key in {r[0] for r in counted}:
        want = np.array([r[1:] for r in counted if r[0] == key], dtype=np.int64).T
        assert np.array_equal(blocks[key], want)
    assert set(blocks) == {r[0] for r in counted}


def _status_figures(ledger: Ledger) -> dict[str, object]:
    status = Engine(ledger).status("mini", as_of=AS_OF, evidence=False)
    return {p.id: p.model_dump(mode="json", exclude={"evidence"}) for p in status.provisions}


def test_a_ledger_from_before_the_blocks_gets_them_on_first_open(ledger, db_url):
    """Upgrading writes the blocks from the entries once; the status does not change."""
    _fill(ledger)
    before = _status_figures(ledger)
    with ledger.engine.begin() as conn:  # as the ledger was before 0002
        conn.execute(sa.text("DROP TABLE stream_blocks"))
        conn.execute(sa.text("DROP TABLE ingest_unread"))   # ingest_0003 came later too
        conn.execute(sa.text("DROP INDEX ix_entries_whole"))
        conn.execute(sa.text("CREATE INDEX ix_entries_agreement_type ON entries "
                             "(agreement, type)"))
        conn.execute(sa.text("DELETE FROM alembic_version"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES ('web_0001'), "
                             "('ingest_0002'), ('alerts_0001')"))
    ledger.engine.dispose()
    reopened = Ledger(db_url, load_bundled=False)
    assert set(_blocks(reopened)) == set(_blocks(ledger)) and len(_blocks(reopened)) == 2
    assert _status_figures(reopened) == before
    assert reopened.verify().ok
    reopened.engine.dispose()


def test_none_is_stored_as_null(ledger):
    """SQLite binds None through an adapter registered for it (see
    ``storage._bind_none_directly``): still NULL, not text or a number."""
    _fill(ledger)
    with ledger.engine.connect() as conn:
        kinds = conn.execute(sa.text(
            "SELECT count(*), count(target), count(stream), count(quantity) FROM entries"
        )).one()
    assert tuple(kinds) == (7, 0, 6, 6)
