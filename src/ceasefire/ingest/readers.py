"""Reading reports: plain text, HTML and PDF into a :class:`~.model.Document`.

Readers are registered through the ``ceasefire_readers`` hook (the built-in ones too), so a
plugin can add, say, a DOCX reader. Every reader refuses what it cannot read with a message
that names the file, so a bad file never reaches the queue half-read.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from ..errors import CeasefireError
from ..registry import hookimpl
from .model import Document


@dataclass(frozen=True)
class Reader:
    name: str
    suffixes: tuple[str, ...]
    read: Callable[[bytes, str], Document]


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise CeasefireError("the file is empty: nothing to read", where=name)
    if b"\x00" in data[:4096]:
        raise CeasefireError("this is a binary file, not text, HTML or PDF", where=name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CeasefireError(f"not UTF-8 text (byte {exc.start}); save it as UTF-8 or "
                             "give a PDF or HTML file", where=name) from None


_MONTH = {m[:3]: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), 1)}
_M = r"(?P<m>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?P<y>(?:19|20)\d\d)"
#: dates with day, month and year: "October 15, 2025", "15 Oct 2025", "2025-10-15"
_FULL_DATES = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b{_M}\s+{_D},?\s+{_Y}\b", rf"\b{_D}\s+(?:of\s+)?{_M},?\s+{_Y}\b",
    r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")]
#: how far into a report its dateline may be, in lines that hold text
DATELINE_LINES = 6


def _full_date(line: str) -> tuple[dt.date, int] | None:
    """The first whole date in ``line``, and where it ends."""
    found = [m for m in (p.search(line) for p in _FULL_DATES) if m]
    for m in sorted(found, key=lambda m: m.start()):
        month = m["m"]
        try:
            day = dt.date(int(m["y"]), int(month) if month.isdigit()
                          else _MONTH[month[:3].lower()], int(m["d"]))
        except ValueError:
            continue
        return day, m.end()
    return None


def dateline(text: str) -> dt.date | None:
    """The report's own date, from a dateline or byline near its top, if it has one.

    Only a date with day, month and year counts, and only on a short line ("By Staff |
    October 15, 2025", "Published 15 Oct 2025") or before the dash of a wire dateline
    ("GAZA CITY, Oct 15, 2025 (Reuters) - ..."): a date inside the story's first sentence
    ("the deal signed on October 9, 2025 ...") is what the story is about, not when it was
    written.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()][:DATELINE_LINES]
    for line in lines:
        found = _full_date(line)
        if found is None:
            continue
        dash = re.search(r"\s[-–—]\s", line)
        if len(line.split()) <= 14 or (dash and found[1] <= dash.start()):
            return found[0]
    return None


def read_text(data: bytes, name: str) -> Document:
    text = _decode(data, name)
    return Document(name=name, text=text, date=dateline(text))


class _Html(HTMLParser):
    """Visible text, page metadata, and the text of each ``<article>`` and ``<main>``."""

    SKIP = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form",
            "figure", "svg", "button", "template"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
             "article", "main", "blockquote", "figcaption", "title"}
    #: where the story is, when the page says so: the longest article, else the main part
    CONTAINERS = ("article", "main")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.in_title = False
        self.in_ld = False
        self.ld: list[str] = []
        self.times: list[str] = []
        self.open = dict.fromkeys(self.CONTAINERS, 0)
        self.boxes: dict[str, list[list[str]]] = {c: [] for c in self.CONTAINERS}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script" and a.get("type", "").lower() == "application/ld+json":
            self.in_ld = True
            self.ld.append("")
        if tag in self.SKIP:
            self.skipping.append(tag)
        if tag == "title":
            self.in_title = True
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"])
        if tag == "time" and a.get("datetime") and set(self.skipping) <= {"header"}:
            self.times.append(a["datetime"])   # a story's header holds its time
        if tag in self.open:
            if not self.open[tag]:   # an article inside an article is part of it
                self.boxes[tag].append([])
            self.open[tag] += 1
        if tag in self.BLOCK:
            self._add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_ld = False
        if tag in self.SKIP and tag in self.skipping:
            del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag)]
        if tag == "title":
            self.in_title = False
        if tag in self.BLOCK:
            self._add("\n")
        if tag in self.open and self.open[tag]:
            self.open[tag] -= 1

    def handle_data(self, data: str) -> None:
        if self.in_ld:
            self.ld[-1] += data
        elif self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self._add(data)

    def _add(self, text: str) -> None:
        self.parts.append(text)
        for c in self.CONTAINERS:
            if self.open[c]:
                self.boxes[c][-1].append(text)


def _paragraphs(parts: list[str]) -> str:
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    return "\n\n".join(line for line in lines if line)


def _story(parser: _Html) -> str:
    """The story's text: the longest ``<article>`` (else ``<main>``) when it holds most of
    the page's text, so that teasers, related headlines and link lists around it are not
    read as part of the report; else everything visible."""
    page = _paragraphs(parser.parts)
    for container in parser.CONTAINERS:
        texts = [_paragraphs(box) for box in parser.boxes[container]]
        best = max(texts, key=len, default="")
        if len(best) >= 0.4 * len(page):
            return best
    return page


def _linked_data(blocks: list[str]) -> dict[str, str]:
    """datePublished, publisher, headline and url from a page's JSON-LD (schema.org), the
    metadata many news sites give only there."""
    found: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            for key in ("datePublished", "dateCreated", "headline", "url"):
                if isinstance(node.get(key), str):
                    found.setdefault(key, node[key])
            pub = node.get("publisher")
            if isinstance(pub, dict) and isinstance(pub.get("name"), str):
                found.setdefault("publisher", pub["name"])
            walk(node.get("@graph"))
    for block in blocks:
        try:
            walk(json.loads(block))
        except ValueError:
            continue   # a page's broken metadata is not the report's fault
    return found


#: meta names news sites give their publication time under, most specific first
DATE_META = ("article:published_time", "og:article:published_time", "datepublished",
             "article.published", "parsely-pub-date", "sailthru.date", "pubdate",
             "publish-date", "publishdate", "dcterms.date", "dc.date.issued", "dc.date",
             "date")


def _iso_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def read_html(data: bytes, name: str) -> Document:
    parser = _Html()
    parser.feed(_decode(data, name))
    text = _story(parser)
    meta, ld = parser.meta, _linked_data(parser.ld)
    stamps = [meta.get(k) for k in DATE_META] + [ld.get("datePublished"),
                                                 ld.get("dateCreated"), *parser.times]
    date = next((d for d in map(_iso_day, stamps) if d), None) or dateline(text)
    title = (meta.get("og:title") or ld.get("headline")
             or " ".join("".join(parser.title).split()) or None)
    return Document(name=name, text=text, title=title, date=date,
                    publisher=meta.get("og:site_name") or ld.get("publisher") or None,
                    url=meta.get("og:url") or ld.get("url") or None)


def read_pdf(data: bytes, name: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.strip():
        raise CeasefireError("the file is empty: nothing to read", where=name)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise CeasefireError("the PDF is encrypted; give an unlocked copy", where=name)
        pages = [page.extract_text() or "" for page in reader.pages]
    except CeasefireError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise CeasefireError(f"cannot read this PDF ({exc}); is it a complete PDF file?",
                             where=name) from None
    text = "\n\n".join(re.sub(r"-\n(?=[a-z])", "", p) for p in pages).strip()
    if not text:
        raise CeasefireError("the PDF has no text layer (a scan?); run OCR on it first",
                             where=name)
    meta = reader.metadata
    title = str(meta.title) if meta and meta.title else None
    return Document(name=name, text=text, title=title, date=dateline(text))


@hookimpl
def ceasefire_readers() -> list[Reader]:
    return [Reader("text", (".txt", ".text", ".md", ""), read_text),
            Reader("html", (".html", ".htm", ".xhtml"), read_html),
            Reader("pdf", (".pdf",), read_pdf)]
