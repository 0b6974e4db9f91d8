"""The review queue and reconciliation, on SQLite and PostgreSQL: one event from several
reports, disputed numbers side by side, re-ingesting adds nothing, plans stay statements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ceasefire import Engine
from ceasefire.errors import CeasefireError
from ceasefire.ingest.model import Document
from ceasefire.ingest.pipeline import extract
from ceasefire.ingest.queue import ReviewQueue
from ceasefire.times import moment

HERE = Path(__file__).parent
DAY = dt.date(2030, 3, 5)


@pytest.fixture
def river(ledger):
    ledger.add_agreement((HERE / "fixtures" / "riverland.yaml").read_text(), "riverland.yaml")
    return ledger


def queue_report(ledger, text: str, publisher: str, date: dt.date = DAY):
    doc = Document(name=f"{publisher}.txt", text=text, publisher=publisher, title="Report")
    read = extract(doc, ledger.agreement("riverland"), report_date=date)
    q = ReviewQueue(ledger)
    return q, q.add(read.document, read.candidates), read.candidates


def detainees(ledger):
    s = Engine(ledger).status("riverland", as_of=moment("2030-03-31", dt.UTC))
    return s, s.provision("detainees")


def test_accept_reject_and_reingest(river):
    text = ("The Northland army released 120 prisoners to the Green Crescent on 4 March. "
            "The North will release 180 more prisoners next week.")
    q, added, found = queue_report(river, text, "Wire A")
    assert added == 2 and [c.modality for c in found] == ["occurred", "planned"]
    assert queue_report(river, text, "Wire A")[1] == 0           # re-ingesting adds nothing
    fact, plan = found
    stored = q.accept(fact.id, by="reviewer")
    e = stored[0].entry
    assert (e.type, e.actor, e.recipient, e.via, e.quantity, e.provision) == (
        "transfer", "north", "south", ["crescent"], 120, "detainees")
    assert e.sources[0].quote == ("The Northland army released 120 prisoners to the Green "
                                  "Crescent on 4 March.")
    assert e.sources[0].publisher == "Wire A" and e.recorded_by == "reviewer"
    q.accept(plan.id, by="reviewer")                               # a plan: a statement
    s, r = detainees(river)
    assert r.delivered == 120
    with pytest.raises(CeasefireError, match="already accepted"):
        q.accept(fact.id, by="reviewer")
    assert q.queued() == []
    assert [x.status for x in q.queued(status=None)] == ["accepted", "accepted"]


def test_same_fact_from_two_outlets_is_one_corroborated_event(river):
    q, _, (a,) = queue_report(river, "Northland released 120 prisoners on 4 March.", "Wire A")
    q.accept(a.id, by="r")
    q, _, (b,) = queue_report(river, "On 4 March, the North freed 120 detainees, officials "
                              "said.", "Wire B")
    (stored,) = q.accept(b.id, by="r")
    assert stored.entry.target == f"ing-{a.id}"
    s, r = detainees(river)
    assert r.delivered == 120 and r.verification == "corroborated"
    # The same outlet's same sentence, in another copy of the report, adds nothing.
    q, _, (again,) = queue_report(river, "Northland released 120 prisoners on 4 March. "
                                  "More later.", "Wire A")
    assert q.accept(again.id, by="r") == []


def test_different_numbers_are_kept_side_by_side_and_disputed(river):
    q, _, (a,) = queue_report(river, "Northland released 120 prisoners on 4 March.", "Wire A")
    q.accept(a.id, by="r")
    q, _, (b,) = queue_report(river, "Northland released 130 prisoners on 4 March.", "Wire C")
    q.accept(b.id, by="r")
    s, r = detainees(river)
    assert r.delivered == 120 and r.verification == "disputed"
    assert sorted(v["quantity"] for v in s.disagreements[0].values) == [120, 130]


def test_edit_and_reject(river):
    q, _, (c,) = queue_report(river, "Northland released 120 prisoners on 4 March.", "Wire A")
    fixed = q.edit(c.id[:10], {"quantity": "125"})
    assert fixed.quantity == 125
    with pytest.raises(CeasefireError, match="cannot edit"):
        q.edit(c.id, {"quote": "made up"})
    with pytest.raises(CeasefireError, match="quantity"):
        q.edit(c.id, {"quantity": "many"})
    q.reject(c.id, by="r")
    assert q.queued() == [] and q.queued(status="rejected")[0].candidate.quantity == 125
    assert list(river.entries(agreement="riverland")) == []


def test_identification_needs_its_transfer(river):
    q, _, found = queue_report(river, "One of the bodies turned out to be that of a civilian.",
                               "Wire A")
    (ident,) = found
    assert ident.type == "identification" and ident.outcome == "other"
    with pytest.raises(CeasefireError, match="needs the transfer"):
        q.accept(ident.id, by="r")
    assert list(river.entries(agreement="riverland")) == []


def test_preview_tells_the_reviewer_what_accepting_does(river):
    from ceasefire.ingest.reconcile import preview

    q, _, (a,) = queue_report(river, "Northland released 120 prisoners on 4 March.", "Wire A")
    item = q.get(a.id)
    assert preview(river, item.candidate, item.document) == "a new event"
    q.accept(a.id, by="r")
    q, _, (b,) = queue_report(river, "Northland released 130 prisoners on 4 March.", "Wire C")
    item = q.get(b.id)
    assert "gives 120" in preview(river, item.candidate, item.document)
    assert "disputed" in preview(river, item.candidate, item.document)
    q, _, (p,) = queue_report(river, "Northland will release 50 prisoners next week.", "Wire D")
    assert "statement" in preview(river, q.get(p.id).candidate, q.get(p.id).document)


def test_queued_reports_of_one_event_are_grouped(river):
    from ceasefire.ingest.reconcile import groups

    for wire, text in (("Wire A", "Northland released 120 prisoners on 4 March."),
                       ("Wire B", "On 4 March, Northland released 120 prisoners."),
                       ("Wire C", "Northland released 130 prisoners on 4 March.")):
        queue_report(river, text, wire)
    queue_report(river, "Northland released 40 prisoners on 1 March.", "Wire D")
    items = ReviewQueue(river).queued()
    grouped = groups([(i.candidate, i.document) for i in items])
    counts = sorted(grouped[i.candidate.id][0] for i in items)
    assert counts == [1, 3, 3, 3]
    march4 = next(i for i in items if i.candidate.quantity == 130)
    assert grouped[march4.candidate.id][1] == [120, 130]


def test_matching_is_a_narrow_indexed_query(river):
    """Finding the event a report is about reads that day's events of that type, through
    the index of migration ingest_0002, not every entry of the type."""
    import sqlalchemy as sa

    from ceasefire.ingest.reconcile import events_on, same_event

    names = {i["name"] for i in sa.inspect(river.engine).get_indexes("entries")}
    assert "ix_entries_event_day" in names
    a = river.agreement("riverland")
    # events of the same type on other days, and another type the same day: not candidates
    for day, qty in (("2030-03-03", 10), ("2030-03-05", 20)):
        q, _, (c,) = queue_report(river, f"Northland released {qty} prisoners on {day}.",
                                  "Wire Z")
        q.accept(c.id, by="r")
    q, _, (a4,) = queue_report(river, "Northland released 120 prisoners on 4 March.", "Wire A")
    q.accept(a4.id, by="r")
    q, _, (b4,) = queue_report(river, "Northland released 130 prisoners on 4 March.", "Wire B")
    q.accept(b4.id, by="r")
    with river.engine.connect() as conn:
        day = conn.execute(events_on(a, "transfer", dt.date(2030, 3, 4))).scalars().all()
        assert len(day) == 1 and f"ing-{a4.id}" in day[0]      # the report of it is not
        if river.engine.dialect.name == "sqlite":
            compiled = events_on(a, "transfer", dt.date(2030, 3, 4)).compile(
                river.engine, compile_kwargs={"literal_binds": True})
            plan = " ".join(str(r) for r in conn.execute(
                sa.text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "ix_entries_event_day" in plan and "valid_from>" in plan.replace(" ", "")
    # a third report finds the event and both earlier reports of it
    root, reports = same_event(river, a, {"type": "transfer", "at": "2030-03-04",
                                          "category": "detainee"})
    assert root is not None and root.id == f"ing-{a4.id}"
    assert [e.quantity for e in reports] == [130]
    q, _, (c4,) = queue_report(river, "On 4 March the North freed 120 detainees.", "Wire C")
    (s,) = q.accept(c4.id, by="r")
    assert s.entry.target == f"ing-{a4.id}"
    s_, r = detainees(river)
    assert r.verification == "disputed"


def test_an_accepted_withdrawal_fulfils_the_agreements_withdrawal(ledger):
    ledger.add_agreement((HERE / "fixtures" / "korva.yaml").read_text(), "korva.yaml")
    doc = Document(name="w.txt", text="Troops pulled back from the line of separation on "
                   "4 May, a Meridian official said.", publisher="Wire W", title="Report")
    read = extract(doc, ledger.agreement("korva"), report_date=dt.date(2031, 5, 5))
    q = ReviewQueue(ledger)
    q.add(read.document, read.candidates)
    (c,) = read.candidates
    assert (c.type, c.kind, c.actor, c.provisions) == ("milestone", "withdrawal", "arveland",
                                                       ["pullback"])
    e = q.accept(c.id, by="reviewer")[0].entry
    assert (e.type, e.actor, e.provision) == ("milestone", "arveland", "pullback")
    s = Engine(ledger).status("korva", as_of=moment("2031-05-31", dt.UTC))
    assert s.provision("pullback").status == "fulfilled"


PASSED_OVER = ("Some 40 lorries were turned back at the Old Bridge on 4 March. "
               "The Northland army released 120 prisoners to the Green Crescent on 4 March. "
               "The weather in the valley was mild.")


def test_sentences_passed_over_are_queued_for_reading_and_checked_off(river):
    """A sentence naming the agreement's terms with a figure or a date, of which the
    extractor made no candidate, waits in the queue until a person has read it; one with a
    candidate, or naming nothing of the agreement, does not."""
    doc = Document(name="w.txt", text=PASSED_OVER, publisher="Wire A")
    read = extract(doc, river.agreement("riverland"), report_date=DAY)
    assert [c.category for c in read.candidates] == ["detainee"]
    (u,) = read.unread
    assert u.quote == "Some 40 lorries were turned back at the Old Bridge on 4 March."
    assert PASSED_OVER[u.start:u.end] == u.quote
    assert u.names == ["category:aid-truck", "facility:bridge"] and "a figure" in u.why
    q = ReviewQueue(river)
    q.add(read.document, read.candidates, read.unread)
    q.add(read.document, read.candidates, read.unread)          # re-ingesting adds nothing
    (waiting,) = q.unread(agreement="riverland")
    assert waiting.sentence == u and waiting.document.publisher == "Wire A"
    assert q.unread(agreement="other") == []
    q.check_off(u.short, by="reviewer")                          # the id as tables show it
    assert q.unread() == []
    assert [x.status for x in q.unread(status=None)] == ["checked"]
    with pytest.raises(CeasefireError, match="already checked"):
        q.check_off(u.id, by="reviewer")
    with pytest.raises(CeasefireError, match="no unread sentence"):
        q.check_off("ffffffffffff", by="reviewer")


def test_ids_shown_tell_apart_the_candidates_of_one_report(river):
    """Candidate ids start with their report's; the short id a table shows is their end,
    and it is what `review --accept` takes."""
    text = ("The Northland army released 120 prisoners to the Green Crescent on 4 March. "
            "The North will release 180 more prisoners next week.")
    q, _, (fact, plan) = queue_report(river, text, "Wire A")
    assert fact.id[:12] == plan.id[:12] and fact.short != plan.short
    assert q.get(fact.short).candidate.id == fact.id
    assert q.get(fact.id[:20]).candidate.id == fact.id
