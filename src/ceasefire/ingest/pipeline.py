"""From paths to candidates: find files, read them, check them, run the extractor.

Every document is read and checked before anything is queued, so one bad file in a folder
stops the whole ingest with a message naming it and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..agreement import Agreement
from ..errors import CeasefireError
from ..registry import extractors, readers
from .language import check_english
from .model import Candidate, Document, Unread


@dataclass
class Read:
    document: Document
    report_date: dt.date | None
    candidates: list[Candidate]
    #: sentences worth a look that gave no candidate (extractors with a ``read`` method)
    unread: list[Unread] = field(default_factory=list)


def _reader_for(path: Path):  # type: ignore[no-untyped-def]
    suffix = path.suffix.lower()
    for r in readers().values():
        if suffix in r.suffixes:
            return r
    return readers()["text"]


def expand(paths: Iterable[str]) -> list[str]:
    """Files named, and the readable files inside folders named (sorted, recursively)."""
    known = {s for r in readers().values() for s in r.suffixes if s}
    out: list[str] = []
    for raw in paths:
        if raw == "-":
            out.append(raw)
            continue
        p = Path(raw)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*")
                           if f.is_file() and f.suffix.lower() in known)
            if not found:
                raise CeasefireError("no .txt, .html or .pdf files in this folder", where=raw)
            out.extend(found)
        elif p.is_file():
            out.append(raw)
        else:
            raise CeasefireError("file not found", where=raw)
    return out


def read(path: str) -> Document:
    if path == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else \
            sys.stdin.read().encode()
        return readers()["text"].read(data, "<stdin>")
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise CeasefireError(f"cannot read the file: {exc.strerror}", where=path) from None
    return _reader_for(p).read(data, path)


#: Long documents are read in pieces of about this many characters (cut at paragraph
#: breaks), so that a long ingest can show its progress.
CHUNK = 20_000


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering ``text``, cut at blank lines where possible."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n\n", start + size // 2, end)
            end = cut + 2 if cut != -1 else end
        out.append((start, text[start:end]))
        start = end
    return out


def extract(document: Document, agreement: Agreement, *, report_date: dt.date | None = None,
            extractor: str = "grammar", publisher: str | None = None,
            title: str | None = None, url: str | None = None,
            progress: Callable[[int], None] | None = None) -> Read:
    """Candidates from one document; the options fill what the document does not say.

    ``progress`` is called with the number of characters read after each piece.
    """
    check_english(document.text, document.name)
    updates = {k: v for k, v in (("publisher", publisher), ("title", title), ("url", url),
                                 ("date", report_date)) if v is not None}
    document = document.model_copy(update=updates)
    found = extractors().get(extractor)
    if found is None:
        raise CeasefireError(f"unknown extractor {extractor!r}; known: "
                             f"{', '.join(sorted(extractors()))}")
    candidates: list[Candidate] = []
    unread: list[Unread] = []
    read_ = getattr(found, "read", None)
    for offset, piece in chunks(document.text):
        part = document.model_copy(update={"text": piece})
        got, passed = read_(part, agreement, document.date) if read_ is not None else (
            found.extract(part, agreement, document.date), [])
        for item in (*got, *passed):
            item.start += offset
            item.end += offset
        candidates.extend(got)
        unread.extend(passed)
        if progress:
            progress(len(piece))
    for u in unread:
        u.id = document.sha256[:16] + u.key()[:16]
    seen: set[str] = set()
    unique = []
    for c in candidates:
        one_sided(c, agreement)
        c.id = document.sha256[:16] + c.key()[:16]
        if c.id not in seen:
            seen.add(c.id)
            unique.append(c)
    return Read(document, document.date, without_repeats(unique), unread)


def one_sided(c: Candidate, agreement: Agreement) -> None:
    """A candidate never hands something from a party to itself.

    That happens when the text names the receiver by a party's name the agreement uses for
    the giver ("Gaza's health ministry said it had received ..." read as one side) or a
    report is simply wrong; the ledger refuses such a transfer, so the queue must not offer
    one. The agreement's provision for the category says whom the actor owes it to; failing
    that the receiver is left for the reviewer, and the note says why.
    """
    if c.actor is None or c.actor != c.recipient:
        return
    owed = {getattr(p, "to", None) for p in agreement.provisions
            if getattr(p, "category", None) == c.category and getattr(p, "by", None) == c.actor}
    owed.discard(c.actor)
    owed.discard(None)
    c.recipient = owed.pop() if len(owed) == 1 else None
    said = f"the report names {c.actor} on both sides; receiver " + (
        f"taken from the agreement ({c.recipient})" if c.recipient else "left for review")
    c.note = "; ".join(filter(None, [c.note, said]))


def _event(c: Candidate) -> tuple[object, ...]:
    return (c.type, c.actor, c.recipient, c.category, c.measure, c.facility, c.state,
            c.outcome, c.quantity, c.quantity_max, c.modality)


def _stated_day(c: Candidate) -> object:
    """The day (or days) the text itself gives; a date the extractor supplied, such as a
    headline's report date, is not one."""
    if c.date is None or c.date_text is None:
        return None
    return (c.date, c.date_end)


def without_repeats(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per event a report states more than once.

    A story's headline, its lede and a closing recap often state the same handover; a person
    accepting all three would put it in the ledger three times, and an undated headline
    would land on the report's date, a day apart from the lede's "on Tuesday". So within one
    report, candidates that say the same thing about the same day are one, and a candidate
    whose text says nothing about when (a headline) is a repeat of the dated one (the first,
    where several days are named). The one kept is the first of its day, and its note
    counts the repeats and quotes the first that is worded differently. Different days stay
    apart: "four on Monday and four more on Tuesday" are two handovers.
    """
    groups: dict[tuple[object, ...], list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(_event(c), []).append(c)
    dropped: set[int] = set()
    for group in groups.values():
        kept: dict[object, Candidate] = {}
        repeats: dict[int, list[Candidate]] = {}
        dated = next((c for c in group if _stated_day(c)), None)
        for c in group:
            keep = kept.setdefault(_stated_day(c), c) if _stated_day(c) or dated is None \
                else dated
            if keep is not c:
                repeats.setdefault(id(keep), []).append(c)
                dropped.add(id(c))
        for keep in kept.values():
            again = repeats.get(id(keep), [])
            if not again:
                continue
            n = len(again)
            said = f"stated {n} more time{'s' if n > 1 else ''} in this report"
            other = next((c.quote for c in again if c.quote != keep.quote), None)
            if other:
                said += f", as «{other}»"
            keep.note = "; ".join(filter(None, [keep.note, said]))
    return [c for c in candidates if id(c) not in dropped]


def extract_all(paths: Iterable[str], agreement: Agreement, *,
                progress: Callable[[int, int], None] | None = None,
                **options: object) -> list[Read]:
    """Every path read and extracted; the first bad file raises before anything is kept.

    ``progress(done, total)`` counts characters over all documents.
    """
    files = expand(paths)
    docs = [read(p) for p in files]
    total = sum(len(d.text) for d in docs)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    return [extract(doc, agreement, progress=step, **options)  # type: ignore[arg-type]
            for doc in docs]
