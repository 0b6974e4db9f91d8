"""The saved snapshot: used only while the ledger still matches it, never changes answers."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire import Engine, Ledger, cache
from tests.conftest import FIXTURES, ev

AS_OF = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)
KNOWN_AT = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)


@pytest.fixture
def small_threshold(monkeypatch, tmp_path):
    monkeypatch.setattr(cache, "MIN_ROWS", 1)
    monkeypatch.setenv("CEASEFIRE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CEASEFIRE_SNAPSHOT_CACHE", raising=False)


def fill(ledger, n=3, start=11):
    ledger.add([ev("transfer", f"2025-01-{start + i}", actor="a", recipient="b",
                   category="hostage", quantity=1) for i in range(n)]
               + [ev("facility_state", "2025-01-12", facility="gate", state="closed",
                     reason="hostages")], recorded_by="t")


def test_second_engine_starts_from_the_saved_columns(ledger, small_threshold):
    fill(ledger)
    first = Engine(ledger)
    assert not first.snapshot.from_cache
    expected = first.status("mini", as_of=AS_OF, known_at=KNOWN_AT).model_dump()
    second = Engine(ledger)
    assert second.snapshot.from_cache
    assert second.status("mini", as_of=AS_OF, known_at=KNOWN_AT).model_dump() == expected


def test_entries_appended_after_the_save_are_read(ledger, small_threshold):
    fill(ledger, n=2)
    Engine(ledger)
    ledger.add([ev("transfer", "2025-01-20", actor="a", recipient="b", category="hostage",
                   quantity=1)], recorded_by="t")
    engine = Engine(ledger)
    assert engine.snapshot.from_cache
    assert engine.status("mini", as_of=AS_OF).provision("hostages").delivered == 3


def test_a_different_ledger_at_the_same_address_is_read_afresh(db_url, small_threshold):
    led = Ledger(db_url, load_bundled=False)
    led.add_agreement((FIXTURES / "mini.yaml").read_text(), "mini.yaml")
    fill(led, n=3)
    Engine(led)
    # Rewrite history: same address, same first entry, a different entry at the saved seq.
    with led.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE entries SET hash = 'x' WHERE seq = "
                             "(SELECT max(seq) FROM entries)")
    engine = Engine(led)
    assert not engine.snapshot.from_cache
    assert engine.status("mini", as_of=AS_OF).provision("hostages").delivered == 3
    led.engine.dispose()


def test_switched_off(ledger, small_threshold, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_SNAPSHOT_CACHE", "0")
    fill(ledger)
    Engine(ledger)
    assert not Engine(ledger).snapshot.from_cache
