"""`ceasefire ingest` and `ceasefire review` as a user runs them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.ingest.queue import ReviewQueue

runner = CliRunner()
FACT = "Hamas handed over the bodies of four hostages to the Red Cross on Monday night."
PLAN = "Another transfer of deceased hostages is expected Wednesday."


def cli(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_dry_run_json_from_stdin_queues_nothing(gaza, db_url):
    out = cli("ingest", "-", "--dry-run", "-f", "json", "--report-date", "2025-10-15",
              "--db", db_url, input=FACT)
    assert out.exit_code == 0, out.output
    (c,) = json.loads(out.stdout)
    assert (c["type"], c["actor"], c["recipient"], c["quantity"], c["modality"], c["date"],
            c["quote"], c["start"], c["end"], c["provisions"]) == (
        "transfer", "hamas", "israel", 4, "occurred", "2025-10-13", FACT, 0, len(FACT),
        ["p1-deceased-hostages"])
    assert ReviewQueue(gaza).queued(status=None) == []


def test_ingest_folder_then_review_keys(gaza, db_url, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(FACT + " " + PLAN)
    (folder / "b.html").write_text(f"<html><body><p>{FACT}</p></body></html>")
    (folder / "notes.bin").write_bytes(b"\x00")          # not a report: not read
    out = cli("ingest", str(folder), "--report-date", "2025-10-15", "--publisher", "Wire",
              "--db", db_url)
    assert out.exit_code == 0, out.output
    assert "queued 3 new candidate(s) of 3" in out.output
    again = cli("ingest", str(folder), "--report-date", "2025-10-15", "--db", db_url)
    assert "queued 0 new candidate(s) of 3" in again.output
    before = len(list(gaza.entries()))
    # a: accept the fact; e: edit the plan's note, then r: reject it; q: quit.
    out = cli("review", "--db", db_url, "--by", "ana", input="a" + "e" + "note=checked\n"
              + "r" + "q")
    assert out.exit_code == 0, out.output
    assert "accepted: ing-" in out.output and "rejected" in out.output
    entries = list(gaza.entries())
    assert len(entries) == before + 1
    new = entries[-1].entry
    assert (new.recorded_by, new.quantity, new.sources[0].publisher,
            new.sources[0].quote) == ("ana", 4, "Wire", FACT)
    q = ReviewQueue(gaza)
    assert [x.candidate.note for x in q.queued(status="rejected")] == ["checked"]
    listed = cli("review", "--list", "--db", db_url)
    assert "1 pending" in listed.output


def test_review_by_option(gaza, db_url):
    cli("ingest", "-", "--report-date", "2025-10-15", "--db", db_url, input=FACT)
    (item,) = ReviewQueue(gaza).queued()
    out = cli("review", "--reject", item.candidate.id[:8], "--db", db_url)
    assert out.exit_code == 0 and "rejected" in out.output
    out = cli("review", "--accept", item.candidate.id[:8], "--db", db_url)
    assert out.exit_code != 0 and "already rejected" in str(out.exception)


def test_low_confidence_and_a_range_of_days_show_in_json_and_the_review_list(gaza, db_url):
    text = ("UN figures for Sunday showed 612 aid trucks at Kerem Shalom.\n"
            "Between Friday and Sunday, 1,500 aid trucks entered Gaza, UN data show.")
    out = cli("ingest", "-", "--dry-run", "-f", "json", "--report-date", "2025-10-20",
              "--db", db_url, input=text)
    assert out.exit_code == 0, out.output
    weak, ranged = json.loads(out.stdout)
    assert (weak["quantity"], weak["date"], weak.get("date_end")) == (612, "2025-10-19", None)
    assert weak["note"].startswith("low confidence: no event word")
    assert (ranged["quantity"], ranged["date"], ranged["date_end"], ranged.get("note")) == (
        1500, "2025-10-17", "2025-10-19", None)
    cli("ingest", "-", "--report-date", "2025-10-20", "--db", db_url, input=text)
    listed = runner.invoke(app, ["review", "--list", "--db", db_url], env={"COLUMNS": "300"})
    assert "low confidence" in listed.output
    assert "2025-10-17–2025-10-19" in listed.output


def test_sentences_passed_over_are_listed_queued_and_checked(gaza, db_url, tmp_path):
    passed = "At least 20 trucks were turned back at Kerem Shalom on Monday."
    report = tmp_path / "r.txt"
    report.write_text(f"{FACT} {passed}")
    out = cli("ingest", str(report), "--dry-run", "-f", "json", "--unread",
              "--report-date", "2025-10-15", "--db", db_url)
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert [c["quote"] for c in data["candidates"]] == [FACT]
    (u,) = data["unread"]
    assert (u["quote"], u["names"]) == (passed, ["category:aid-truck",
                                                 "facility:kerem-shalom"])
    out = cli("ingest", str(report), "--report-date", "2025-10-15", "--db", db_url,
              "--publisher", "Wire A")
    assert out.exit_code == 0 and "1 sentence(s) passed over" in " ".join(out.output.split())
    (q,) = ReviewQueue(gaza).unread()
    listed = cli("review", "--unread", "--db", db_url)
    assert q.sentence.short in listed.stdout and "1 unread" in listed.output
    done = cli("review", "--checked", q.sentence.short, "--db", db_url)
    assert done.exit_code == 0 and ReviewQueue(gaza).unread() == []
    again = cli("review", "--checked", q.sentence.short, "--db", db_url)
    assert again.exit_code != 0 and "already checked" in str(again.exception)
