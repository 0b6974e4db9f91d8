"""From a document to its candidates: one candidate per event, however often a report
repeats it."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire.agreement import Agreement, bundled_agreement_texts, parse_agreement
from ceasefire.ingest.model import Document
from ceasefire.ingest.pipeline import extract


@pytest.fixture(scope="module")
def agreement() -> Agreement:
    return parse_agreement(bundled_agreement_texts()["gaza-2025"], "gaza-2025")

HEADLINE = "Hamas returns remains of four hostages"
LEDE = ("Hamas handed over the bodies of four hostages to the Red Cross on Tuesday, the "
        "Israeli military said.")


def test_a_headline_repeating_the_lede_is_one_candidate(agreement):
    doc = Document(name="story.txt", text=f"{HEADLINE}\n\n{LEDE}", date=dt.date(2025, 10, 15))
    found = [c for c in extract(doc, agreement).candidates if c.type == "transfer"]
    assert len(found) == 1
    (c,) = found
    assert (c.quote, c.quantity, str(c.date)) == (LEDE, 4, "2025-10-14")
    assert c.note == f"stated 1 more time in this report, as «{HEADLINE}»"


def test_the_same_count_on_two_days_is_two_events(agreement):
    text = (f"{LEDE}\n\nHamas handed over the bodies of four more hostages to the Red Cross "
            "on Wednesday, the military said.")
    doc = Document(name="story.txt", text=text, date=dt.date(2025, 10, 16))
    found = [c for c in extract(doc, agreement).candidates if c.type == "transfer"]
    assert sorted(str(c.date) for c in found) == ["2025-10-14", "2025-10-15"]


def test_a_candidate_never_hands_something_from_a_party_to_itself(agreement):
    from ceasefire.ingest.model import Candidate
    from ceasefire.ingest.pipeline import one_sided

    c = Candidate(agreement="gaza-2025", type="transfer", actor="israel", recipient="israel",
                  category="palestinian-remains", quantity=45, quote="q", start=0, end=1)
    one_sided(c, agreement)
    assert (c.actor, c.recipient) == ("israel", "hamas") and "both sides" in (c.note or "")
    odd = Candidate(agreement="gaza-2025", type="transfer", actor="egypt", recipient="egypt",
                    category="palestinian-remains", quote="q", start=0, end=1)
    one_sided(odd, agreement)
    assert odd.recipient is None and "left for review" in (odd.note or "")
    text = "Israel's Health Ministry said it had received the bodies of 45 Palestinians."
    doc = Document(name="x.txt", text=text, date=dt.date(2025, 10, 15))
    found = extract(doc, agreement).candidates
    assert [c.quantity for c in found] == [45]
    assert all(c.actor != c.recipient for c in found)
