"""Entries: the canonical bytes the chain hashes."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.agreement import parse_agreement
from tests.conftest import FIXTURES, ev

MINI = parse_agreement((FIXTURES / "mini.yaml").read_text(), "mini.yaml")


def _model_dump_canonical(e) -> bytes:
    """The payload form the first ledgers were written with (pydantic's model_dump)."""
    import orjson

    return orjson.dumps(e.model_dump(mode="json", exclude_none=True, exclude_defaults=True),
                        option=orjson.OPT_SORT_KEYS)


def test_canonical_payload_is_unchanged_and_round_trips(ledger):
    """Entries built by the fast import path hash the same bytes the model would give."""
    from ceasefire.ledger import Entry

    rows = [
        ev("transfer", "2025-01-10T08:30:00+02:00", id="t1", actor="a", recipient="b",
           via="a > icrc > b", category="remains", quantity=2, note="two bodies",
           restricted={"names": ["X"]}),
        ev("identification", "2025-01-12", target="t1", verification="confirmed",
           outcomes=[{"result": "expected", "count": 1},
                     {"result": "other", "count": 1, "attributes": {"nationality": "n"}}]),
        ev("flow", "2025-01-10", until="2025-01-11", category="truck", measure="m-un",
           quantity=0, sources=[{"publisher": "P", "title": "T", "quote": "q", "url": None,
                                 "confidential": False},
                                {"publisher": "R", "title": "T2", "quote": "q2",
                                 "date": "2025-01-12", "confidential": True}]),
    ]
    for s in ledger.add(rows, recorded_by="t"):
        payload = s.entry.canonical()
        assert payload == _model_dump_canonical(s.entry)
        assert Entry.model_validate_json(payload) == s.entry
    assert ledger.verify().ok


_texts = st.text(min_size=1, max_size=12)
_sources = st.fixed_dictionaries(
    {"publisher": _texts, "title": _texts, "quote": _texts},
    optional={"date": st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)).map(str),
              "url": st.none() | _texts, "confidential": st.booleans()})
_values = (st.none() | st.booleans() | st.integers(-5, 10**12) | _texts
           | st.lists(_texts, max_size=2))
_times = st.one_of(
    st.dates(dt.date(2024, 1, 1), dt.date(2026, 1, 1)).map(str),
    st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2026, 1, 1),
                 timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2))])
                 ).map(dt.datetime.isoformat))
_rows = st.fixed_dictionaries(
    {"type": st.sampled_from(["transfer", "flow", "incident", "statement", "deployment",
                              "identification", "correction"]),
     "at": _times, "sources": st.lists(_sources, max_size=3)},
    optional={"id": st.text("0123456789abcdef", min_size=1, max_size=8),
              "until": st.just("2027-01-01"),
              "precision": st.sampled_from(["day", "hour", "exact"]),
              "recorded_at": _times, "recorded_by": _texts,
              "actor": st.sampled_from(["a", "b"]), "recipient": st.sampled_from(["b", "icrc"]),
              "via": st.lists(st.sampled_from(["a", "b", "icrc"]), max_size=3)
              | st.just("a > icrc > b"),
              "category": st.sampled_from(["truck", "remains"]),
              "measure": st.just("m-un"), "facility": st.just("gate"), "place": _texts,
              "quantity": st.integers(0, 10**9), "state": _texts, "kind": _texts,
              "provision": st.just("trucks"), "reason": st.just("dead"), "target": _texts,
              "outcomes": st.lists(st.fixed_dictionaries(
                  {"result": st.sampled_from(["expected", "other", "unresolved"])},
                  optional={"count": st.integers(1, 5), "person": _texts,
                            "attributes": st.dictionaries(_texts, st.booleans() | _texts,
                                                          max_size=2)}), max_size=2),
              "changes": st.dictionaries(_texts, _values, max_size=2),
              "verification": st.sampled_from(["reported", "confirmed", "disputed"]),
              "note": _texts,
              "restricted": st.dictionaries(_texts, _values, max_size=2),
              "details": st.dictionaries(_texts, _values, max_size=3)})


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(_rows, min_size=1, max_size=4))
def test_canonical_bytes_equal_the_model_dump_form_for_any_row(rows):
    """However a row is made up (sources with and without their optional fields, outcomes,
    details, restricted fields, handover chains, ranges, repeated sources), the bytes the
    bulk path hashes are the model_dump form, and read back as the same entry."""
    from ceasefire.entry import Entry
    from ceasefire.intake import _RowBuilder, rows_adapter

    rows = [*rows, rows[0]]  # a repeated row: sources shared with the first
    built = _RowBuilder("t", dt.datetime(2025, 2, 1, tzinfo=dt.UTC))
    for row in rows_adapter().validate_python(rows):
        try:
            e = built.entry(row, MINI)
        except ValueError:  # `until` before `at`
            continue
        payload = e.canonical()
        assert payload == _model_dump_canonical(e)
        assert Entry.model_validate_json(payload) == e


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(_rows, min_size=1, max_size=4))
def test_an_import_row_is_the_entry_its_canonical_bytes_and_its_columns(rows):
    """An import builds each row's columns in one pass (``_RowBuilder.import_row``): they
    are the entry's own canonical bytes and derived columns, however the row is made up."""
    from ceasefire.intake import _RowBuilder, rows_adapter
    from ceasefire.ledger import derived_columns

    rows = [*rows, rows[0]]  # a repeated row: times and sources from the builder's memory
    now = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)
    built, fast = _RowBuilder("t", now), _RowBuilder("t", now)
    for row in rows_adapter().validate_python(rows):
        try:
            e = built.entry(row, MINI)
        except ValueError:  # `until` before `at`
            continue
        cols, entry = fast.import_row(row, MINI)
        if "id" not in row or not row["id"]:  # a made-up id differs between two builds
            e = e.model_copy(update={"id": entry.id})
        assert entry == e
        assert entry.model_fields_set == e.model_fields_set
        assert cols == (*derived_columns(e), e.canonical().decode())
