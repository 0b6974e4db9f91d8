"""Readers (text, HTML, PDF, folders, stdin) and bad input: a clear message, exit 2,
nothing queued."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ceasefire import Ledger
from ceasefire.errors import CeasefireError
from ceasefire.ingest.language import check_english
from ceasefire.ingest.queue import ReviewQueue
from ceasefire.ingest.readers import read_html, read_pdf
from ceasefire.registry import readers

SENTENCE = "Hamas handed over the bodies of four hostages to the Red Cross on Monday night."


def pdf_with(text: str) -> bytes:
    """A one-page PDF whose text layer holds ``text`` (built by hand: no writer needed)."""
    stream = f"BT /F1 12 Tf 40 700 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_readers_are_registered_through_the_hook():
    assert {"text", "html", "pdf"} <= set(readers())


def test_html_text_and_metadata():
    html = (b"<html><head><title>Wire story</title>"
            b"<meta property='og:site_name' content='Test Wire'>"
            b"<meta property='article:published_time' content='2025-10-15T09:00:00Z'>"
            b"<script>var x = 'Hamas returned 99 bodies.';</script></head><body>"
            b"<nav>Home | World</nav><h1>Bodies returned</h1><p>" + SENTENCE.encode() +
            b"</p><p>Talks went on.</p></body></html>")
    doc = read_html(html, "story.html")
    assert (doc.publisher, doc.title, str(doc.date)) == ("Test Wire", "Wire story",
                                                         "2025-10-15")
    assert SENTENCE in doc.text and "99" not in doc.text and "Home" not in doc.text


def test_pdf_text():
    doc = read_pdf(pdf_with(SENTENCE), "report.pdf")
    assert "four hostages" in doc.text


def test_language_check():
    check_english(SENTENCE, "x")
    with pytest.raises(CeasefireError, match="not look like English"):
        check_english("Le Hamas a remis dimanche les corps de quatre otages à la Croix-Rouge "
                      "dans le sud de la bande de Gaza, selon un responsable.", "x")
    with pytest.raises(CeasefireError, match="not in English"):
        check_english("سلمت حماس جثث أربعة رهائن إلى الصليب الأحمر", "x")


def run(*args: str, stdin: str | None = None, home: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CEASEFIRE_HOME": str(home)} if home else None
    return subprocess.run([sys.executable, "-m", "ceasefire", "ingest", *args],
                          capture_output=True, text=True, input=stdin, env=env)


@pytest.mark.parametrize(("name", "data", "words"), [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("latin1.txt", "Hamas a remis les corps à la Croix-Rouge".encode("latin-1"), "UTF-8"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "cannot read this PDF"),
    ("scan.pdf", None, "no text layer"),
    ("french.txt", "Le Hamas a remis dimanche les corps de quatre otages à la Croix-Rouge "
     "dans le sud de la bande de Gaza, selon un responsable israélien.".encode(), "English"),
])
def test_bad_input_clear_message_nothing_written(tmp_path, db_url, name, data, words):
    path = tmp_path / name
    path.write_bytes(data if data is not None else pdf_with("").replace(b"() Tj", b""))
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE)
    out = run(str(good), str(path), "--db", db_url, "--report-date", "2025-10-15")
    assert out.returncode == 2, out.stderr
    assert words in out.stderr and name in out.stderr and "Traceback" not in out.stderr
    ledger = Ledger(db_url)
    try:
        assert ReviewQueue(ledger).queued(status=None) == []   # not even the good file
    finally:
        ledger.engine.dispose()


def test_missing_file_and_bad_date(tmp_path):
    out = run(str(tmp_path / "nope.txt"), "--dry-run", home=tmp_path)
    assert out.returncode == 2 and "not found" in out.stderr
    out = run("-", "--dry-run", "--report-date", "15/10/2025", stdin=SENTENCE, home=tmp_path)
    assert out.returncode == 2 and "YYYY-MM-DD" in out.stderr


def test_html_story_is_the_article_not_the_links_around_it():
    """Related headlines and teasers around a story are other stories: reading them as this
    report's events would queue handovers that did not happen on this report's date."""
    html = ("<html><head><title>Remains returned | The Wire</title>"
            '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
            '{"@type": "NewsArticle", "headline": "Hamas returns remains of four hostages", '
            '"datePublished": "2025-10-15T09:00:00+03:00", '
            '"publisher": {"@type": "Organization", "name": "The Wire"}}]}</script>'
            "</head><body><nav>Home</nav><main><article><h1>Remains returned</h1>"
            f"<p>{SENTENCE}</p><p>The military said identification was under way at the "
            "national forensic institute, a process that can take days.</p></article>"
            "<section><h2>Related</h2><article><a href='/x'>Israel releases 1,968 "
            "prisoners</a></article></section></main></body></html>").encode()
    doc = read_html(html, "story.html")
    assert SENTENCE in doc.text and "1,968" not in doc.text
    assert (str(doc.date), doc.publisher) == ("2025-10-15", "The Wire")
    assert doc.title == "Hamas returns remains of four hostages"


def test_html_without_article_keeps_the_page_and_reads_a_time_element():
    html = (b"<html><body><header><time datetime='2025-10-14T20:00Z'>Tue</time></header>"
            b"<div><p>" + SENTENCE.encode() + b"</p></div>"
            b"<aside><time datetime='2025-09-01'>old</time></aside></body></html>")
    doc = read_html(html, "story.html")
    assert SENTENCE in doc.text and str(doc.date) == "2025-10-14"


def test_html_teaser_articles_do_not_hide_a_story_kept_outside_them():
    teaser = "<article><a href='/y'>Aid convoy delayed</a></article>"
    html = f"<html><body><div><p>{SENTENCE}</p><p>{SENTENCE}</p></div>{teaser}</body></html>"
    assert SENTENCE in read_html(html.encode(), "story.html").text


@pytest.mark.parametrize(("text", "date"), [
    ("Hamas returns remains\nBy Staff Writer | October 15, 2025\n\n" + SENTENCE, "2025-10-15"),
    ("Published: 15 Oct. 2025 14:05\n" + SENTENCE, "2025-10-15"),
    ("GAZA CITY, Oct 14, 2025 (Reuters) - " + SENTENCE, "2025-10-14"),
    ("2025-10-13\n" + SENTENCE, "2025-10-13"),
    # a date inside the story's first sentence is what it is about, not when it was written
    ("Under the deal signed on October 9, 2025, Hamas was to return every hostage within "
     "72 hours of the truce taking effect, mediators said on Tuesday.", None),
    ("Released on 31 February 2025\n" + SENTENCE, None),     # not a day
    (SENTENCE, None),
])
def test_a_text_report_takes_its_date_from_its_dateline(text, date):
    from ceasefire.ingest.readers import read_text

    doc = read_text(text.encode(), "report.txt")
    assert (str(doc.date) if doc.date else None) == date


def test_pdf_dateline():
    doc = read_pdf(pdf_with("Situation report, 15 October 2025"), "sitrep.pdf")
    assert str(doc.date) == "2025-10-15"
