"""Reading reports: plain text, HTML and PDF into a :class:`~.model.Document`.

Readers are registered through the ``ceasefire_readers`` hook (the built-in ones too), so a
plugin can add, say, a DOCX reader. Every reader refuses what it cannot read with a message
that names the file, so a bad file never reaches the queue half-read.
"""

from __future__ import annotations

import datetime as dt
import io
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


def read_text(data: bytes, name: str) -> Document:
    return Document(name=name, text=_decode(data, name))


class _Html(HTMLParser):
    SKIP = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form",
            "figure", "svg", "button"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
             "article", "blockquote", "figcaption", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.depth += 1
        if tag == "title":
            self.in_title = True
        if tag == "meta":
            a = {k: v or "" for k, v in attrs}
            key = (a.get("property") or a.get("name") or "").lower()
            if key and "content" in a:
                self.meta[key] = a["content"]
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.depth:
            self.depth -= 1
        if tag == "title":
            self.in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.depth:
            self.parts.append(data)


def read_html(data: bytes, name: str) -> Document:
    parser = _Html()
    parser.feed(_decode(data, name))
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    text = "\n\n".join(line for line in lines if line)
    meta = parser.meta
    when = meta.get("article:published_time") or meta.get("date") or meta.get("dc.date")
    date = None
    if when:
        try:
            date = dt.date.fromisoformat(when[:10])
        except ValueError:
            date = None
    title = meta.get("og:title") or " ".join("".join(parser.title).split()) or None
    return Document(name=name, text=text, title=title, date=date,
                    publisher=meta.get("og:site_name") or None, url=meta.get("og:url") or None)


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
    return Document(name=name, text=text, title=title)


@hookimpl
def ceasefire_readers() -> list[Reader]:
    return [Reader("text", (".txt", ".text", ".md", ""), read_text),
            Reader("html", (".html", ".htm", ".xhtml"), read_html),
            Reader("pdf", (".pdf",), read_pdf)]
