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


def test_a_range_of_days_is_dated_by_its_first_day_and_says_so():
    row = _row("Between Friday and Sunday, 1,400 aid trucks entered Gaza, the UN said.")
    assert row["at"] == "2025-10-24"
    assert "over several days, 2025-10-24 to 2025-10-26" in row["note"]


def test_one_day_carries_no_range_note():
    row = _row("On Sunday, 600 aid trucks entered Gaza, the UN said.")
    assert row["at"] == "2025-10-26"
    assert "several days" not in (row.get("note") or "")
