"""One event, many reports: how an accepted candidate lands in the ledger.

The ledger already knows how to hold several reports of one event: a fact entry with a
``target`` is another report of the target, :mod:`ceasefire.facts` counts the publishers
(two or more: corroborated) and marks the event disputed when reports give different numbers
or states, until a verifier decides. So reconciling is finding the event a new report is
about (same type, parties, category, measure, facility and day) and pointing at it. A report
whose publisher and quote the event already carries adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..agreement import Agreement
from ..errors import CeasefireError
from ..ledger import Entry, EntryType, Ledger, Stored
from ..storage import entries
from ..times import to_us
from .model import Candidate, Document, Modality

COUNTED = {"transfer", "flow", "deployment"}
MATCH_FIELDS = ("category", "measure", "facility")
#: Fields a report may leave out and still be about a known event ("the crossing remains
#: shut" is about the closure a ministry reported, even without naming who closed it).
OPTIONAL_FIELDS = ("actor", "recipient")


def quote_of(c: Candidate) -> str:
    """The candidate's sentence, verbatim, cut at a word boundary to the ledger's 600."""
    q = c.quote
    if len(q) <= 600:
        return q
    return q[:600].rsplit(" ", 1)[0]


def entry_row(c: Candidate, doc: Document, a: Agreement) -> dict[str, Any]:
    """The ledger row for an accepted candidate.

    Only what the report says happened becomes a fact of its type; a plan, hope, demand,
    cap, denial or running total is kept as a ``statement`` so that it never counts as a
    delivery.
    """
    when = c.date or doc.date
    if when is None:
        raise CeasefireError("no date: the report gives none and has no report date; edit "
                             "the candidate's date", where=f"candidate {c.id}")
    occurred = c.modality == Modality.OCCURRED
    type_ = c.type if occurred else EntryType.STATEMENT.value
    notes = []
    if not occurred:
        notes.append(f"{c.modality.value}, as reported")
    if c.date is None:
        notes.append("date not stated in the report; the report's date is used")
    elif c.date_end is not None and c.date_end != c.date:
        notes.append(f"over several days, {c.date.isoformat()} to {c.date_end.isoformat()}")
    if c.precision and c.precision.value != "exact":
        span = f"{c.quantity}–{c.quantity_max}" if c.quantity_max else str(c.quantity)
        notes.append(f"quantity {c.precision.value.replace('_', ' ')} ({span})")
    if c.attribution:
        notes.append(f"attributed to {c.attribution}")
    if c.note:
        notes.append(c.note)
    if occurred and type_ in COUNTED and c.quantity is None:
        raise CeasefireError("the report gives no number; edit the quantity or reject",
                             where=f"candidate {c.id}")
    row: dict[str, Any] = {
        "id": f"ing-{c.id}", "type": type_, "agreement": a.id, "at": when.isoformat(),
        "actor": c.actor, "recipient": c.recipient, "via": c.via, "category": c.category,
        "measure": c.measure, "facility": c.facility, "place": c.place,
        "quantity": c.quantity, "kind": c.kind,
        "provision": c.provisions[0] if len(c.provisions) == 1 else None,
        "note": "; ".join(notes) or None,
        "sources": [{"publisher": doc.publisher or "unknown publisher",
                     "title": doc.title or doc.name, "date": doc.date, "url": doc.url,
                     "quote": quote_of(c)}]}
    if c.date is not None and c.date_end is not None and c.date_end > c.date:
        # the entry's valid time is the whole range: a flow engine spreads a count over
        # several days across them instead of putting it all on the first
        row["until"] = c.date_end.isoformat()
    if type_ == "facility_state":
        row["state"] = c.state
    if type_ == "identification":
        if not c.target:
            raise CeasefireError("an identification needs the transfer it identifies; edit "
                                 "the candidate's target to that entry's id (`ceasefire "
                                 "events list --type transfer`)", where=f"candidate {c.id}")
        row["target"] = c.target
        row["outcomes"] = [{"result": c.outcome or "unresolved", "count": c.quantity or 1}]
        for f in ("actor", "recipient", "via", "category", "quantity"):
            row.pop(f, None)
    return {k: v for k, v in row.items() if v not in (None, [], "")}


def _day_bounds(day: dt.date, tz: dt.tzinfo) -> tuple[int, int]:
    """The agreement's calendar day as a half-open range of µs since the epoch (UTC)."""
    start = dt.datetime.combine(day, dt.time(), tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz)
    return to_us(start), to_us(end)


def events_on(a: Agreement, type_: str, day: dt.date) -> sa.Select[Any]:
    """The payloads of the agreement's events (not reports of others) of this type that
    began on this day of the agreement's calendar, in ledger order."""
    lo, hi = _day_bounds(day, a.tz)
    return (sa.select(entries.c.payload)
            .where(entries.c.agreement == a.id, entries.c.type == type_,
                   entries.c.valid_from >= lo, entries.c.valid_from < hi,
                   entries.c.target.is_(None))
            .order_by(entries.c.seq))


def same_event(ledger: Ledger, a: Agreement, row: dict[str, Any]) -> tuple[
        Entry | None, list[Entry]]:
    """The event already in the ledger that this row reports, with its other reports.

    Two narrow queries, not a scan: the events of this agreement and type that began on
    that day (index ``ix_entries_event_day`` on agreement, type, valid_from — migration
    ``ingest_0002``), then the reports that point at the one found (``ix_entries_target``).
    """
    if row["type"] == "statement" or row.get("target"):
        return None, []
    q = events_on(a, row["type"], dt.date.fromisoformat(row["at"][:10]))
    with ledger.engine.connect() as conn:
        found = [Entry.model_validate_json(p) for p in conn.execute(q).scalars()]
    roots = [e for e in found
             if all(getattr(e, f) == row.get(f) for f in MATCH_FIELDS)
             and all(row.get(f) in (None, getattr(e, f)) for f in OPTIONAL_FIELDS)]
    if not roots:
        return None, []
    root = roots[0]
    return root, [s.entry for s in ledger.entries(agreement=a.id, types=[row["type"]],
                                                  targets=[root.id])]


def record(ledger: Ledger, c: Candidate, doc: Document, *, recorded_by: str) -> list[Stored]:
    """Append an accepted candidate: a new event, or another report of a known one."""
    a = ledger.agreement(c.agreement)
    row = entry_row(c, doc, a)
    root, reports = same_event(ledger, a, row)
    if root is not None:
        have = {(s.publisher.strip().lower(), s.quote) for e in (root, *reports)
                for s in e.sources}
        new = row["sources"][0]
        if (new["publisher"].strip().lower(), new["quote"]) in have:
            return []
        row["target"] = root.id
    return ledger.add([row], recorded_by=recorded_by, agreement=a.id, skip_existing=True)


@dataclass
class Outlook:
    """What accepting a candidate would do: in words, and the entry it would write."""

    summary: str
    row: dict[str, Any] | None = None   # None: it cannot be accepted as it is
    target: str | None = None           # the known event it would be another report of
    numbers: list[int] = field(default_factory=list)  # that event's figures so far
    disputes: bool = False


def outlook(ledger: Ledger, c: Candidate, doc: Document) -> Outlook:
    """What accepting ``c`` would write, for the reviewer to see before deciding."""
    a = ledger.agreement(c.agreement)
    try:
        row = entry_row(c, doc, a)
    except CeasefireError as exc:
        return Outlook(f"cannot be accepted as it is: {exc.message}")
    if row["type"] == "statement":
        return Outlook(f"kept as a statement ({c.modality.value}), not counted", row)
    root, reports = same_event(ledger, a, row)
    if root is None:
        return Outlook("a new event", row)
    numbers = sorted({e.quantity for e in (root, *reports) if e.quantity is not None})
    new = row["sources"][0]
    if (new["publisher"].strip().lower(), new["quote"]) in {
            (s.publisher.strip().lower(), s.quote) for e in (root, *reports) for s in e.sources}:
        return Outlook(f"already in the ledger from this source ({root.id}): adds nothing",
                       None, root.id, numbers)
    row = {**row, "target": root.id}
    if row.get("quantity") is not None and numbers and row["quantity"] not in numbers:
        return Outlook(f"another report of {root.id}, which gives "
                       f"{', '.join(map(str, numbers))}: the event will be disputed until a "
                       "verifier decides", row, root.id, numbers, True)
    return Outlook(f"another report of {root.id} (same figures): adds a source", row,
                   root.id, numbers)


def preview(ledger: Ledger, c: Candidate, doc: Document) -> str:
    """What accepting would do, in words, for the reviewer to see before pressing a key."""
    return outlook(ledger, c, doc).summary


def event_key(c: Candidate, doc: Document) -> tuple[object, ...]:
    """What makes two queued candidates reports of one event (before either is accepted)."""
    return (c.agreement, c.type, c.modality.value, c.category, c.measure, c.facility,
            c.actor, c.date or doc.date)


def groups(items: list[tuple[Candidate, Document]]) -> dict[str, tuple[int, list[int]]]:
    """For each candidate id: how many queued reports share its event, and their numbers
    (ten outlets repeating one handover are one event, not ten)."""
    by_key: dict[tuple[object, ...], list[Candidate]] = {}
    for c, doc in items:
        by_key.setdefault(event_key(c, doc), []).append(c)
    out: dict[str, tuple[int, list[int]]] = {}
    for members in by_key.values():
        numbers = sorted({m.quantity for m in members if m.quantity is not None})
        for m in members:
            out[m.id] = (len(members), numbers)
    return out
