"""The ledger row an accepted candidate becomes (no database needed)."""

from __future__ import annotations

import datetime as dt

from ceasefire.agreement import bundled_agreement_texts, parse_agreement
from ceasefire.ingest.grammar import grammar_for
from ceasefire.ingest.model import Document
from ceasefire.ingest.reconcile import entry_row

GAZA = parse_agreement(bundled_agreement_texts()["gaza-2025"], "gaza-2025")
MON = dt.date(2025, 10, 27)


def _row(text: str) -> dict:
    doc = Document(name="r.txt", text=text, publisher="Wire", date=MON)
    found = grammar_for(GAZA).extract(doc, MON)
    assert len(found) == 1, found
    return entry_row(found[0], doc, GAZA)


def test_a_range_of_days_is_the_entry_s_valid_time_and_says_so():
    row = _row("Between Friday and Sunday, 1,400 aid trucks entered Gaza, the UN said.")
    assert (row["at"], row["until"]) == ("2025-10-24", "2025-10-26")
    assert "over several days, 2025-10-24 to 2025-10-26" in row["note"]


def test_an_accepted_count_over_several_days_is_judged_as_their_average(tmp_path):
    """From report to status: 1,400 trucks over three days is about 467 a day on each of
    them, not 1,400 on the Friday."""
    from ceasefire import Ledger
    from ceasefire.engine import Engine
    from ceasefire.times import moment

    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    row = _row("Between Friday and Sunday, 1,400 aid trucks entered Gaza, the UN said.")
    ledger.add([row], recorded_by="test")
    r = Engine(ledger).status("gaza-2025", as_of=moment("2025-10-27", GAZA.tz))
    flows = [p for p in r.provisions if p.figures.get("measures")]
    daily = {d: v for p in flows for f in p.figures["measures"].values()
             for d, v in f["daily"].items()}
    days = ("2025-10-23", "2025-10-24", "2025-10-25", "2025-10-26", "2025-10-27")
    assert [daily.get(d) for d in days] == [None, 466.7, 466.7, 466.7, None]
    ledger.engine.dispose()


def test_one_day_carries_no_range_note():
    row = _row("On Sunday, 600 aid trucks entered Gaza, the UN said.")
    assert row["at"] == "2025-10-26" and "until" not in row
    assert "several days" not in (row.get("note") or "")
