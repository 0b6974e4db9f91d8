"""The brief, section by section, from a small hand-built ledger with known answers."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from ceasefire import Engine
from ceasefire.brief import (
    brief_files,
    build_brief,
    render_html,
    render_markdown,
    render_pdf,
    write_files,
)
from ceasefire.cli import app
from ceasefire.projection import Verdict
from ceasefire.times import moment
from tests.conftest import ev

UTC = dt.UTC
OTHER = {"publisher": "Other Wire", "title": "Count & <tally>", "date": "2025-01-12",
         "url": "https://example.org/o", "quote": "Three were freed."}
SECRET = {"publisher": "Secret Channel", "title": "Cable", "quote": "hush", "confidential": True}


def at(text: str) -> dt.datetime:
    return moment(text, UTC)


@pytest.fixture
def story(ledger):
    """Start on the 10th; by the 14th: a disputed handover, a misidentified body, a correction,
    a confirmation, a partial ratio payment — and a restricted, confidentially sourced report."""
    ledger.add([
        ev("milestone", "2025-01-10T12:00:00+00:00", provision="start"),
        ev("transfer", "2025-01-11", id="h1", actor="a", recipient="b", category="hostage",
           quantity=2),
        ev("transfer", "2025-01-11", id="t1", actor="a", recipient="b", category="remains",
           quantity=2),
        ev("flow", "2025-01-11", category="truck", measure="m-un", quantity=150),
        ev("flow", "2025-01-11", category="truck", measure="m-gov", quantity=40),
    ], recorded_by="t")
    ledger.add([
        ev("identification", "2025-01-12", target="t1", outcomes=[
            {"result": "expected", "count": 1}, {"result": "other", "count": 1}]),
        {**ev("transfer", "2025-01-11", actor="a", recipient="b", category="hostage",
              quantity=3, target="h1", recorded_at="2025-01-12"), "sources": [OTHER]},
        ev("flow", "2025-01-12", id="f2", category="truck", measure="m-un", quantity=120),
    ], recorded_by="t")
    ledger.add([
        ev("correction", "2025-01-13", target="f2", changes={"quantity": 110}),
        ev("verification", "2025-01-13", target="t1", state="confirmed"),
        ev("transfer", "2025-01-13", id="r1", actor="b", recipient="a", category="b-remains",
           quantity=5),
        {**ev("incident", "2025-01-13", id="i1", actor="b", kind="shelling",
              restricted={"coordinates": [31.51, 34.45]}), "sources": [SECRET]},
    ], recorded_by="t")
    ledger.add([ev("correction", "2025-01-13", target="i1", note="moved",
                   changes={"restricted": {"coordinates": [31.52, 34.46]}, "place": "north"})],
               recorded_by="t")
    return ledger


def brief(ledger, as_of="2025-01-14", since="2025-01-12", known_at=None, charts=True):
    return build_brief(Engine(ledger), "mini", as_of=at(as_of), since=at(since),
                       known_at=at(known_at) if known_at else None, charts=charts)


def test_headline_per_phase(story):
    b = brief(story)
    one, two = b.phases
    assert (one.id, one.open, one.complete) == ("one", True, False)
    assert one.counts == {"in progress": 2, "fulfilled": 1, "overdue": 1, "disputed": 2}
    assert any(h.startswith("dead: overdue") for h in one.held_up_by)
    assert (two.open, two.counts) == (False, {"blocked": 1, "not yet due": 1})


def test_what_changed_since(story):
    b = brief(story)
    assert [e.id for e in b.new_entries] == ["r1", "i1"]
    assert [e.summary for e in b.corrections] == ["correction of f2: quantity → 110",
                                                  "correction of i1: place → north"]
    assert [e.summary for e in b.verifications] == ["t1 marked confirmed"]
    changes = {c.provision: (c.before, c.after) for c in b.status_changes}
    assert changes == {"dead": ("in progress", "overdue")}
    # Completing phase one opens phase two: both show as changes.
    story.add([
        ev("transfer", "2025-01-15", actor="a", recipient="b", category="hostage",
           quantity=1, recorded_at="2025-01-15"),
        ev("verification", "2025-01-15", target="h1", state="confirmed"),
        ev("transfer", "2025-01-15", id="t2", actor="a", recipient="b", category="remains",
           quantity=3),
        ev("identification", "2025-01-15", target="t2",
           outcomes=[{"result": "expected", "count": 3}]),
        ev("transfer", "2025-01-15", actor="b", recipient="a", category="b-remains",
           quantity=35),
        ev("verification", "2025-01-15", target="t1", state="confirmed"),
    ], recorded_by="t")
    later = {c.provision: (c.before, c.after)
             for c in brief(story, as_of="2025-01-16", since="2025-01-14").status_changes}
    assert later["one"] == ("open", "complete") and later["two"] == ("not open", "open")
    # Known only up to the 12th, nothing recorded later shows up.
    early = brief(story, as_of="2025-01-14", known_at="2025-01-12")
    assert not early.new_entries and not early.corrections and not early.verifications


def test_overdue_and_blocked_with_reasons(story):
    b = brief(story)
    assert [(x.provision, x.status.value, x.reason) for x in b.trouble] == [
        ("dead", "overdue", "deadline 2025-01-13 12:00 passed"),
        ("gate-open", "blocked", "waiting for: one complete")]
    assert b.trouble[0].since == dt.datetime(2025, 1, 13, 12, tzinfo=UTC)


def test_disputed_facts_with_competing_sources(story):
    b = brief(story)
    (fact,) = b.disputed_facts
    assert fact.entry == "h1" and [r.value for r in fact.reports] == ["2", "3"]
    by_n = {s.n: s.publisher for s in b.sources}
    assert [[by_n[n] for n in r.sources] for r in fact.reports] == [["Test Wire"],
                                                                  ["Other Wire"]]
    assert {p.provision for p in b.disputed_provisions} == {"hostages", "trucks"}
    hostages = next(p for p in b.disputed_provisions if p.provision == "hostages")
    assert [e.id for e in hostages.entries] == ["h1"]


def test_outstanding_per_party(story):
    b = brief(story)
    owed = {p.party: [o.provision for o in p.outstanding] for p in b.parties}
    assert owed["a"][0] == "dead"  # overdue first
    assert set(owed["a"]) == {"dead", "hostages", "no-attacks"}
    assert set(owed["b"]) == {"ratio", "trucks", "gate-open"}
    assert "icrc" not in owed  # owes nothing, not listed


def test_projections_in_the_brief(story):
    b = brief(story)
    got = {p.provision: p for p in b.projections}
    assert set(got) == {"dead", "hostages", "ratio"}
    dead = got["dead"]  # 3 still owed; 1 identified over the 11th..14th
    assert dead.remaining == 3 and dead.pace and dead.pace.rate == pytest.approx(0.25)
    assert dead.verdict == Verdict.PAST_DEADLINE and dead.flagged
    ratio = got["ratio"]  # 10 owed from the 12th, 5 delivered on the 13th
    assert ratio.remaining == 5 and ratio.pace.rate == pytest.approx(5 / 3)
    assert ratio.expected == dt.date(2025, 1, 17) and not ratio.flagged


def test_sources_cited_and_restricted_data_left_out(story):
    b = brief(story)
    # Numbered in order of first citation: entries, then the agreement's text, then reports.
    assert [(s.n, s.publisher, s.title) for s in b.sources] == [
        (1, "Test Wire", "Report"), (2, "Test Wire", "Test agreement text"),
        (3, "Other Wire", "Count & <tally>")]
    md, html = render_markdown(b), render_html(b)
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", md)}
    assert cited == {1, 2, 3}
    for text in (md, html):
        assert "Secret Channel" not in text and "hush" not in text
        assert "31.51" not in text and "31.52" not in text
        assert "i1" in text  # the incident is listed, without what is restricted
    assert "Count &amp; &lt;tally&gt;" in html and "<tally>" not in html  # escaped


def test_charts_inline_in_html_and_files_for_markdown(story, tmp_path):
    b = brief(story)
    assert {c.provision for c in b.charts} == {"hostages", "dead", "ratio", "trucks"}
    html = render_html(b)
    assert html.count("<svg") == 4 and "http://" not in html.replace(
        "http://www.w3.org/2000/svg", "")
    files = brief_files(b, "md", tmp_path / "b.md")
    write_files(files)
    md = (tmp_path / "b.md").read_text()
    for c in b.charts:
        assert f"(b-charts/{c.provision}.svg)" in md
        assert (tmp_path / "b-charts" / f"{c.provision}.svg").read_text() == c.svg


def test_same_dates_same_bytes(story):
    one, two = brief(story), brief(story)
    assert render_markdown(one) == render_markdown(two)
    assert render_html(one) == render_html(two)
    assert render_pdf(one) == render_pdf(two)
    other = brief(story, as_of="2025-01-15")
    assert render_markdown(other) != render_markdown(one)


def _nonwhite_fraction(pgm: bytes) -> float:
    """Share of pixels darker than near-white in a binary PGM (P5, 8-bit)."""
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    assert fields, "not a PGM"
    w, h = int(fields.group(1)), int(fields.group(2))
    pixels = pgm[fields.end():fields.end() + w * h]
    return sum(1 for p in pixels if p < 200) / (w * h)


def test_pdf_renders_to_pages_that_are_not_blank(story, tmp_path):
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm (poppler-utils) is required when CI=true")
        pytest.skip("pdftoppm is not installed")
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(render_pdf(brief(story)))
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert len(pages) >= 2
    for page in pages:
        assert _nonwhite_fraction(page.read_bytes()) > 0.005, f"{page.name} is blank"


def test_cli_brief_and_alerts(story, db_url, tmp_path):
    runner = CliRunner()
    out = runner.invoke(app, ["brief", "--db", db_url, "-a", "mini", "--as-of", "2025-01-14",
                              "--since", "2025-01-12"])
    assert out.exit_code == 0, out.output
    assert "## What changed since 2025-01-12 23:59" in out.stdout
    target = tmp_path / "brief.html"
    out = runner.invoke(app, ["brief", "--db", db_url, "-a", "mini", "--as-of", "2025-01-14",
                              "-f", "html", "-o", str(target)])
    assert out.exit_code == 0 and target.read_text().startswith("<!DOCTYPE html>")
    bad = runner.invoke(app, ["brief", "--db", db_url, "-a", "mini", "-f", "docx"])
    assert bad.exit_code != 0 and "md, html, pdf, json" in str(bad.exception)
    data = runner.invoke(app, ["brief", "--db", db_url, "-a", "mini", "--as-of", "2025-01-14",
                               "-f", "json"])
    parsed = __import__("json").loads(data.stdout)
    assert [t["provision"] for t in parsed["trouble"]] == ["dead", "gate-open"]
    late = runner.invoke(app, ["brief", "--db", db_url, "-a", "mini", "--as-of", "2025-01-14",
                               "--since", "2025-01-20"])
    assert late.exit_code != 0 and "after --as-of" in str(late.exception)
    js = tmp_path / "alerts.json"
    out = runner.invoke(app, ["alerts", "--db", db_url, "-a", "mini", "--as-of", "2025-01-14",
                              "-f", "json", "-o", str(js)])
    assert out.exit_code == 0, out.output
    rules = {(a["rule"], a["provision"]) for a in __import__("json").loads(js.read_text())}
    assert ("overdue", "dead") in rules


def test_same_bytes_from_separate_processes(story, db_url, tmp_path):
    """Reproducible across runs, not only within one: other hash seeds, a fresh WeasyPrint."""
    import sys

    outs = []
    for seed in ("1", "2"):
        target = tmp_path / f"brief-{seed}.pdf"
        done = subprocess.run(
            [sys.executable, "-m", "ceasefire", "brief", "--db", db_url, "-a", "mini",
             "--as-of", "2025-01-14", "--since", "2025-01-12", "-f", "pdf", "-o", str(target)],
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outs.append(target.read_bytes())
    assert outs[0] == outs[1] and outs[0].startswith(b"%PDF-")
