"""The seed report: its facts come out as candidates with their quotes, its plans do not
come out as events that happened."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ceasefire.agreement import bundled_agreement_texts, parse_agreement
from ceasefire.ingest.model import Document
from ceasefire.ingest.pipeline import extract

HERE = Path(__file__).parent
GAZA = parse_agreement(bundled_agreement_texts()["gaza-2025"], "gaza-2025")
EXCERPT = HERE / "fixtures" / "seed_excerpt.txt"   # the seed's relevant sentences only
FULL = HERE.parents[2] / "shared" / "seed" / "000_11ee46084f128347.txt"


def facts(path: Path):
    doc = Document(name=path.name, text=path.read_text(encoding="utf-8"))
    return extract(doc, GAZA, report_date=dt.date(2025, 10, 15)).candidates


def check(found) -> None:
    def pick(**want):
        hits = [c for c in found if all(getattr(c, k) == v for k, v in want.items())]
        assert len(hits) == 1, (want, found)
        return hits[0]

    seven = pick(type="transfer", category="deceased-hostage", quantity=7)
    assert seven.modality == "cumulative" and seven.actor == "hamas"
    assert seven.quote.startswith("So far, Hamas has returned seven deceased hostages;")
    eighth = pick(type="identification")
    assert (eighth.quantity, eighth.outcome, eighth.modality) == (1, "other", "occurred")
    assert "an eighth body turned out to be that of a Palestinian" in eighth.quote
    bodies = pick(type="transfer", category="palestinian-remains", quantity=45)
    assert (bodies.actor, bodies.recipient, bodies.modality) == ("israel", "hamas", "occurred")
    assert bodies.quote == ("In exchange for three deceased hostages, Israel has returned 45 "
                            "Palestinian bodies.")
    cap = pick(type="flow", quantity=600)
    assert (cap.modality, cap.precision, cap.facility) == ("permitted", "at_most",
                                                           "kerem-shalom")
    assert "up to 600 trucks permitted daily" in cap.quote
    shut = pick(type="facility_state", state="closed")
    assert (shut.facility, shut.modality) == ("rafah", "occurred")
    assert "it remains shut on both sides" in shut.quote
    team = pick(type="milestone", actor="turkey")
    assert team.modality == "occurred" and "a Turkish team has arrived in Gaza" in team.quote
    # Plans, hopes and expectations are there, but never as things that happened.
    assert pick(type="deployment", quantity=1000).modality == "planned"
    assert pick(type="deployment", quantity=10000).modality == "hoped"
    occurred = {c.quote[:40] for c in found if c.modality == "occurred"}
    assert occurred == {q.quote[:40] for q in (eighth, bodies, shut, team)}
    for c in found:
        assert c.quote in EXCERPT.read_text() or FULL.exists()


def test_seed_excerpt():
    check(facts(EXCERPT))


@pytest.mark.skipif(not FULL.exists(), reason="../shared/seed not beside this checkout")
def test_full_seed_report():
    found = facts(FULL)
    check(found)
    text = FULL.read_text(encoding="utf-8")
    assert all(text[c.start:c.end] == c.quote for c in found)


def test_long_report_is_read_in_pieces_with_progress():
    """A long ingest reports its progress; offsets stay those of the whole text."""
    para = EXCERPT.read_text(encoding="utf-8").strip()
    text = "\n\n".join([para] * 40)
    seen: list[int] = []
    read = extract(Document(name="long.txt", text=text), GAZA,
                   report_date=dt.date(2025, 10, 15), progress=seen.append)
    assert len(seen) > 1 and sum(seen) == len(text)
    assert all(text[c.start:c.end] == c.quote for c in read.candidates)
    # A report that says the same thing 40 times states one event, once: no piece boundary
    # loses a candidate or adds one (each kept candidate counts exactly 39 repeats).
    assert len(read.candidates) == len(facts(EXCERPT))
    assert all("stated 39 more times" in (c.note or "") for c in read.candidates)
