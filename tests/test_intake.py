"""Intake: rows validated in batches, built into entries, errors naming row and field."""

from __future__ import annotations

import pytest

from ceasefire import ImportRowError
from tests.conftest import SOURCE, ev


def test_bare_date_is_a_whole_day_on_every_path(ledger):
    """A CSV or JSON cell "2025-01-10" is day precision, not midnight exactly."""
    from ceasefire.ledger import EntryIn

    row = ev("flow", "2025-01-10", category="truck", quantity=1)
    for given in (row, EntryIn.model_validate(row)):
        e = ledger.prepare([given], recorded_by="t")[0]
        assert e.precision == "day"
        assert (e.valid_to - e.valid_from).total_seconds() == 86_400 - 1e-6
    exact = ledger.prepare([ev("flow", "2025-01-10T00:00", category="truck", quantity=1)],
                           recorded_by="t")[0]
    assert exact.precision == "exact" and exact.valid_from == exact.valid_to


@pytest.mark.parametrize(("bad", "where", "expected"), [
    ({"at": "2025-13-45"}, "row 2, field at", "not a date"),
    ({"at": "yesterday"}, "row 2, field at", "date"),
    ({"quantity": -1}, "row 2, field quantity", "greater than or equal to 0"),
    ({"sources": [{"publisher": "P", "title": "T"}]}, "row 2, field sources.0.quote",
     "missing"),
    ({"sources": [{"publisher": "", "title": "T", "quote": "q"}]},
     "row 2, field sources.0.publisher", "at least 1 character"),
    ({"sources": None}, "row 2, field sources", "valid list"),
    ({"sources": [SOURCE, {**SOURCE, "url": float("nan")}]}, "row 2, field sources.1.url",
     "valid string"),
    ({"sources": [{**SOURCE, "date": "someday"}]}, "row 2, field sources.0.date", "date"),
    ({"colour": "red"}, "row 2, field colour", "unknown field"),
    ({"via": "a > nobody"}, "row 2, field via.1", "unknown party"),
    ({"recipient": "a"}, "row 2, field recipient", "'a' is both"),
    ({"provision": "trucks"}, "row 2, field provision", "about 'truck', not 'hostage'"),
])
def test_bad_field_in_a_batch_names_row_and_field(ledger, bad, where, expected):
    rows = [ev("flow", "2025-01-10", category="truck", quantity=1),
            {**ev("transfer", "2025-01-11", actor="a", recipient="b", category="hostage",
                  quantity=1), **bad}]
    with pytest.raises(ImportRowError) as info:
        ledger.add(rows, recorded_by="t")
    assert where in str(info.value) and expected in str(info.value)
    # an import (its own validation: see intake.validated_import) says the same
    with pytest.raises(ImportRowError) as again:
        ledger.import_rows(rows, recorded_by="t", workers=0)
    assert str(again.value) == str(info.value)
    assert list(ledger.entries()) == []


def test_an_import_remembers_a_list_of_sources_only_by_what_validates_alike(ledger):
    """An import validates each distinct list of sources once, by its JSON text; values
    that write the same text but do not validate alike (None and NaN, a date and its
    text) are told apart, and the first bad row is the one reported."""
    import datetime as dt

    cited = {**SOURCE, "url": None}
    rows = [ev("flow", "2025-01-10", category="truck", quantity=1, sources=[cited]),
            ev("flow", "2025-01-11", category="truck", quantity=1,
               sources=[{**SOURCE, "date": dt.date(2025, 1, 2)}]),
            ev("flow", "2025-01-12", category="truck", quantity=1,
               sources=[{**SOURCE, "date": "2025-01-02"}]),
            ev("flow", "2025-01-13", category="truck", quantity=1,
               sources=[{**cited, "url": float("nan")}])]
    with pytest.raises(ImportRowError) as info:
        ledger.import_rows(rows, recorded_by="t", workers=0)
    assert "row 4, field sources.0.url" in str(info.value)
    assert ledger.import_rows(rows[:3], recorded_by="t", workers=0) == 3
    stored = [s.entry for s in ledger.entries()]
    assert stored[1].sources == stored[2].sources
    assert stored[1].sources[0].date == dt.date(2025, 1, 2)


def test_new_ids_sort_by_creation_time():
    """Time-first ids keep one import's ids together in the id index."""
    from ceasefire.intake import new_id

    ids = [new_id() for _ in range(50)]
    assert all(len(i) == 32 for i in ids) and len(set(ids)) == 50
    assert [i[:12] for i in ids] == sorted(i[:12] for i in ids)


def _ids_in_child(conn) -> None:  # type: ignore[no-untyped-def]
    from ceasefire.intake import new_id

    conn.send([new_id() for _ in range(20)])


def test_forked_workers_make_different_ids():
    """Server workers forked from one parent must not repeat each other's ids."""
    import multiprocessing as mp

    from ceasefire.intake import new_id

    new_id()  # the parent has used the generator before forking
    ctx = mp.get_context("fork")
    got = []
    for _ in range(2):
        parent, child = ctx.Pipe()
        p = ctx.Process(target=_ids_in_child, args=(child,))
        p.start()
        got.append({i[12:] for i in parent.recv()})  # the random part, not the time
        p.join()
    assert not got[0] & got[1]


@pytest.mark.parametrize(("target_row", "outcomes", "field", "words"), [
    (ev("flow", "2025-01-10", id="x1", category="truck", quantity=3),
     [{"result": "expected"}], "field target", "is a flow entry"),
    (ev("transfer", "2025-01-10", id="x1", actor="a", recipient="b", category="remains",
        quantity=1), [{"result": "expected", "count": 2}], "field outcomes",
     "account for 2 bodies; transfer 'x1' handed over 1"),
])
@pytest.mark.parametrize("same_batch", [True, False])
def test_an_identification_answers_a_transfer_and_no_more_bodies(
        ledger, target_row, outcomes, field, words, same_batch):
    ident = ev("identification", "2025-01-11", target="x1", outcomes=outcomes)
    if not same_batch:
        ledger.add([target_row], recorded_by="t")
    before = len(list(ledger.entries()))
    with pytest.raises(ImportRowError) as info:
        ledger.add([target_row, ident] if same_batch else [ident], recorded_by="t")
    assert field in str(info.value) and words in str(info.value)
    assert len(list(ledger.entries())) == before
