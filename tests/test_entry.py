"""Entries: the canonical bytes the chain hashes."""

from __future__ import annotations

from tests.conftest import ev


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
