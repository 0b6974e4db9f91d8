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
