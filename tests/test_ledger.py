"""The ledger: appends land whole or not at all; the hash chain catches every tampering."""

from __future__ import annotations

import multiprocessing as mp
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from ceasefire import ImportRowError, Ledger
from ceasefire.storage import entries
from tests.conftest import ev


def _fill(ledger, n=5):
    ledger.add([ev("flow", f"2025-01-{10 + i}", category="truck", quantity=i)
                for i in range(n)], recorded_by="t")


def test_verify_ok(ledger):
    _fill(ledger)
    report = ledger.verify()
    assert report.ok and report.checked == 5


def test_edit_detected(ledger):
    _fill(ledger)
    with ledger.engine.begin() as conn:
        payload = conn.execute(sa.select(entries.c.payload).where(entries.c.seq == 3)).scalar()
        conn.execute(entries.update().where(entries.c.seq == 3).values(
            payload=payload.replace('"quantity":2', '"quantity":200')))
    report = ledger.verify()
    assert not report.ok and report.first_bad == 3 and "edited" in report.problem


def test_delete_detected(ledger):
    _fill(ledger)
    with ledger.engine.begin() as conn:
        conn.execute(entries.delete().where(entries.c.seq == 2))
    report = ledger.verify()
    assert not report.ok and report.first_bad == 3


def test_insert_detected(ledger):
    _fill(ledger)
    with ledger.engine.begin() as conn:
        row = conn.execute(sa.select(entries).where(entries.c.seq == 5)).mappings().one()
        conn.execute(entries.update().where(entries.c.seq == 5).values(seq=6))
        fake = dict(row)
        fake.update(seq=5, id="forged")
        conn.execute(entries.insert().values(**fake))
    report = ledger.verify()
    assert not report.ok and report.first_bad in (5, 6)


def test_reorder_detected(ledger):
    _fill(ledger)
    with ledger.engine.begin() as conn:
        conn.execute(entries.update().where(entries.c.seq == 2).values(seq=-2))
        conn.execute(entries.update().where(entries.c.seq == 3).values(seq=2))
        conn.execute(entries.update().where(entries.c.seq == -2).values(seq=3))
    report = ledger.verify()
    assert not report.ok and report.first_bad == 2


def test_bad_row_writes_nothing(ledger):
    rows = [ev("flow", "2025-01-10", category="truck", quantity=1),
            ev("flow", "2025-01-11", category="lorry", quantity=1)]
    with pytest.raises(ImportRowError) as info:
        ledger.add(rows, recorded_by="t")
    assert "row 2" in str(info.value) and "category" in str(info.value)
    assert list(ledger.entries()) == []


def test_fact_without_source_refused(ledger):
    row = ev("flow", "2025-01-10", category="truck", quantity=1)
    row.pop("sources")
    with pytest.raises(ImportRowError, match="sources"):
        ledger.add([row], recorded_by="t")


def test_unknown_target_refused(ledger):
    with pytest.raises(ImportRowError, match="target"):
        ledger.add([ev("retraction", "2025-01-10", target="nope")], recorded_by="t")


def test_reimport_adds_nothing(ledger):
    rows = [ev("flow", "2025-01-10", id="f1", category="truck", quantity=1)]
    ledger.add(rows, recorded_by="t", skip_existing=True)
    assert ledger.add(rows, recorded_by="t", skip_existing=True) == []


def _append_many(url: str, worker: int, n: int) -> None:
    led = Ledger(url, load_bundled=False)
    for i in range(n):
        led.add([ev("flow", "2025-01-10", id=f"w{worker}-{i}", category="truck",
                    quantity=i)], recorded_by=f"worker{worker}")
    led.engine.dispose()


def test_concurrent_appends_keep_chain_linear(ledger, db_url):
    procs = [mp.get_context("spawn").Process(target=_append_many, args=(db_url, w, 15))
             for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    report = ledger.verify()
    assert report.ok and report.checked == 60
    assert len({s.entry.id for s in ledger.entries()}) == 60



def test_edited_column_detected(ledger):
    """The engine reads columns, not payloads: a column edited alone is caught too."""
    _fill(ledger)
    with ledger.engine.begin() as conn:
        conn.execute(entries.update().where(entries.c.seq == 4).values(quantity=400))
    report = ledger.verify()
    assert not report.ok and report.first_bad == 4 and "quantity column" in report.problem


def test_edited_stream_block_detected(ledger):
    import numpy as np

    from ceasefire.storage import decode_block, encode_block, stream_blocks

    _fill(ledger)
    with ledger.engine.begin() as conn:
        bid, n, data = conn.execute(sa.select(stream_blocks.c.id, stream_blocks.c.rows,
                                              stream_blocks.c.data)).first()
        cols = np.array(decode_block(data, n))
        cols[4, -1] += 100  # one more truck on the last day, in the block only
        conn.execute(stream_blocks.update().where(stream_blocks.c.id == bid).values(
            data=encode_block(cols)))
    report = ledger.verify()
    assert not report.ok and "stream block" in report.problem


def test_given_ids_are_checked_against_the_ledger_made_up_ones_need_not_be(ledger):
    """A re-import is caught by its ids; ids the ledger made up are new by construction."""
    first = ledger.prepare([ev("flow", "2025-01-10", id="given", category="truck",
                               quantity=1),
                            ev("flow", "2025-01-11", category="truck", quantity=2)],
                           recorded_by="t")
    assert first.generated == {first[1].id} and "given" not in first.generated
    ledger.append(first)
    again = ledger.prepare([ev("flow", "2025-01-10", id="given", category="truck",
                               quantity=1)], recorded_by="t")
    with pytest.raises(ImportRowError, match="already in the ledger"):
        ledger.append(again)
    assert [s.entry.id for s in ledger.append(again, skip_existing=True)] == []


def test_long_work_reports_progress(ledger):
    """Import and verify tell a progress bar how far they are, up to every row."""
    rows = [ev("flow", "2025-01-10", category="truck", quantity=i) for i in range(12_001)]
    checked: list[int] = []
    written: list[int] = []
    ledger.append(ledger.prepare(rows, recorded_by="t", progress=checked.append),
                  progress=written.append)
    verified: list[int] = []
    assert ledger.verify(progress=verified.append).ok
    assert sum(checked) == sum(written) == 12_001 and len(checked) == 3
    assert sum(verified) == 10_000  # reported every 5,000 rows; the bar's total is the head


@pytest.mark.parametrize("workers", [0, 2])
def test_a_large_import_goes_in_chunks_and_still_lands_whole_or_not_at_all(ledger, workers):
    """import_rows validates and writes a chunk at a time, in one transaction: a bad row in
    the last chunk leaves nothing from the first; a repeated id is caught across chunks.
    The same when worker processes prepare the chunks (and none of them is left over)."""
    rows = [ev("flow", "2025-01-10", id=f"f{i}", category="truck", quantity=i)
            for i in range(25)]
    bad = [*rows[:-1], {**rows[-1], "category": "lorry"}]
    with pytest.raises(ImportRowError, match="row 25, field category"):
        ledger.import_rows(bad, recorded_by="t", chunk=10, workers=workers)
    repeated = [*rows[:20], {**rows[3], "quantity": 99}]
    with pytest.raises(ImportRowError, match=r"row 21, field id.*duplicate id 'f3' \(also row 4\)"):
        ledger.import_rows(repeated, recorded_by="t", chunk=10, workers=workers)
    assert list(ledger.entries()) == [] and mp.active_children() == []
    written: list[int] = []
    checked: list[int] = []
    assert ledger.import_rows(rows, recorded_by="t", chunk=10, written=written.append,
                              checked=checked.append, workers=workers) == 25
    assert written == checked == [10, 10, 5] and ledger.verify().ok
    assert ledger.import_rows(rows, recorded_by="t", chunk=10, skip_existing=True,
                              workers=workers) == 0
    assert mp.active_children() == []


def test_worker_processes_write_what_one_process_would(ledger, tmp_path):
    """An import prepared by worker processes, in parts, is byte for byte the one prepared
    here: identical rows in different parts are numbered over the whole file."""
    rows = [ev("flow", f"2025-01-{10 + i % 3}", category="truck", quantity=i % 4)
            for i in range(40)]
    rows += [ev("transfer", "2025-01-12", actor="a", recipient="b", category="hostage",
                quantity=1, id="h1"),
             ev("identification", "2025-01-13", target="h1",
                outcomes=[{"result": "expected"}])]
    serial = Ledger(f"sqlite:///{tmp_path / 'serial.db'}", load_bundled=False)
    serial.add_agreement(ledger.setting("agreement:mini") or "", "mini.yaml")
    assert serial.import_rows(rows, recorded_by="t", workers=0) == 42
    assert ledger.import_rows(rows, recorded_by="t", chunk=7, workers=1) == 42
    assert [(s.entry.id, s.hash) for s in ledger.entries()] == \
        [(s.entry.id, s.hash) for s in serial.entries()]
    assert ledger.import_rows([dict(r) for r in rows], recorded_by="t", chunk=5, workers=2,
                              skip_existing=True) == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_the_first_bad_row_is_the_one_reported_wherever_its_part_was_prepared(ledger, workers):
    """The importing process prepares parts too (the furthest ahead that no worker has
    started) while it would wait: a bad row in such a later part is still reported only
    after the earlier parts, so the first bad row of the file is the one named."""
    rows = [ev("flow", "2025-01-10", category="truck", quantity=i, note="n" * 200)
            for i in range(3000)]
    rows[1234]["category"] = "lorry"
    for k in range(1, 6):  # and in each of the parts ahead of it
        rows[1234 + 50 * k]["category"] = "bus"
    for _ in range(3):
        with pytest.raises(ImportRowError, match="row 1235, field category.*'lorry'"):
            ledger.import_rows(rows, recorded_by="t", chunk=50, workers=workers)
    for k in range(6):
        rows[1234 + 50 * k]["category"] = "truck"
    assert ledger.import_rows(rows, recorded_by="t", chunk=50, workers=workers) == 3000
    assert ledger.verify().ok and mp.active_children() == []
    serial = [(s.entry.id, s.hash) for s in ledger.entries()]
    assert len(set(serial)) == 3000


def test_importing_the_same_file_twice_adds_nothing_even_without_ids(ledger):
    """Rows without an id get one from their content: a second import of the same file
    adds nothing; identical rows in one file stay separate events, as before."""
    rows = [ev("flow", "2025-01-10", category="truck", quantity=5),
            ev("flow", "2025-01-10", category="truck", quantity=5),
            ev("flow", "2025-01-11", category="truck", quantity=7)]
    rows[2].pop("recorded_at")  # recorded now: not part of what the row says
    assert ledger.import_rows(rows, recorded_by="t", skip_existing=True) == 3
    assert ledger.import_rows([dict(r) for r in rows], recorded_by="t",
                              skip_existing=True) == 0
    more = [*rows, dict(rows[0])]  # the file grew by one more identical report
    assert ledger.import_rows(more, recorded_by="t", skip_existing=True) == 1
    assert len(list(ledger.entries())) == 4 and ledger.verify().ok


def test_a_failed_import_in_workers_lets_the_process_exit(tmp_path):
    """A bad row found by a worker ends the import cleanly, and the process then exits:
    workers killed while sending a result once left the pool's reader waiting for ever."""
    script = f"""
import sys
from ceasefire import ImportRowError, Ledger
from tests.conftest import FIXTURES, ev
ledger = Ledger("sqlite:///{tmp_path / 'l.db'}", load_bundled=False)
ledger.add_agreement((FIXTURES / "mini.yaml").read_text(), "mini.yaml")
rows = [ev("flow", "2025-01-10", category="truck", quantity=i, note="n" * 300)
        for i in range(6000)]
rows[5000]["category"] = "lorry"
try:
    ledger.import_rows(rows, recorded_by="t", chunk=200, workers=2)
except ImportRowError as exc:
    sys.exit(str(exc))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).parents[1])
    assert done.returncode == 1 and "row 5001, field category" in done.stderr
