"""The review queue: candidates wait here until a person accepts, edits or rejects them.

Candidate ids come from the document's content and the sentence offsets, so queueing the same
report twice adds nothing. Accepting goes through :mod:`.reconcile`, which turns a candidate
into a ledger entry or into another source for an event the ledger already holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError

from ..errors import CeasefireError
from ..ledger import Ledger, Stored
from ..times import to_us
from .model import Candidate, Document, Unread

metadata = sa.MetaData()
documents = sa.Table(
    "ingest_documents", metadata,
    sa.Column("sha", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(400), nullable=False),
    sa.Column("publisher", sa.String(200)),
    sa.Column("title", sa.String(400)),
    sa.Column("date", sa.String(10)),
    sa.Column("url", sa.String(1000)),
    sa.Column("ingested_at", sa.BigInteger, nullable=False),
)


def _waiting(name: str, *extra: sa.Column[Any]) -> sa.Table:
    """A table of items waiting for a person: what was read, from which report, where in
    it, and who decided what when."""
    return sa.Table(
        name, metadata,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("agreement", sa.String(80), nullable=False),
        sa.Column("document", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("decided_at", sa.BigInteger),
        sa.Column("decided_by", sa.String(200)),
        *extra,
    )


candidates = _waiting("ingest_candidates", sa.Column("entry_id", sa.String(64)))
#: Sentences passed over (``model.Unread``), until a reviewer has checked them
#: (migration ``ingest_0003``).
unread = _waiting("ingest_unread")
sa.Index("ix_ingest_unread_status", unread.c.agreement, unread.c.status)

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
#: An unread sentence a reviewer has read (and entered by hand whatever it states).
CHECKED = "checked"
#: Fields a reviewer may change with "edit".
EDITABLE = ("type", "kind", "actor", "recipient", "via", "category", "measure", "quantity",
            "quantity_max", "precision", "facility", "place", "state", "outcome", "date",
            "date_end", "modality", "attribution", "provisions", "target", "note")


@dataclass
class Queued:
    candidate: Candidate
    document: Document
    status: str
    entry_id: str | None = None


@dataclass
class QueuedUnread:
    sentence: Unread
    document: Document
    status: str


@dataclass
class EventGroup:
    """Queued reports that describe one event (same type, parties, category, day ...)."""

    items: list[Queued]
    numbers: list[int] = field(default_factory=list)

    @property
    def differ(self) -> bool:
        """The reports give different numbers: accepting them all makes a dispute."""
        return len(self.numbers) > 1


def group_events(items: list[Queued]) -> list[EventGroup]:
    """Queued candidates grouped by the event they report, in queue order (ten outlets
    repeating one handover are one group, not ten)."""
    from .reconcile import event_key

    by_key: dict[tuple[object, ...], EventGroup] = {}
    for item in items:
        by_key.setdefault(event_key(item.candidate, item.document),
                          EventGroup([])).items.append(item)
    for g in by_key.values():
        g.numbers = sorted({i.candidate.quantity for i in g.items
                            if i.candidate.quantity is not None})
    return list(by_key.values())


#: Fields that hold lists; given as text they are separated by commas.
LIST_FIELDS = ("via", "provisions")


def field_text(c: Candidate, name: str) -> str:
    """A candidate's field as a reviewer types it (the inverse of :func:`parse_changes`)."""
    value = getattr(c, name)
    if value is None:
        return ""
    if name in LIST_FIELDS:
        return ", ".join(value)
    return str(value.value if hasattr(value, "value") else value)


def parse_changes(pairs: list[str] | dict[str, str]) -> dict[str, Any]:
    """``field=value`` pairs (or a mapping of field to text) as changes for
    :meth:`ReviewQueue.edit`: empty, ``none`` or ``null`` clears a field, list fields are
    comma-separated."""
    items: list[tuple[str, str]] = []
    if isinstance(pairs, dict):
        items = [(k, str(v)) for k, v in pairs.items()]
    else:
        for pair in pairs:
            if "=" not in pair:
                raise CeasefireError(f"expected field=value, got {pair!r}")
            k, v = pair.split("=", 1)
            items.append((k, v))
    changes: dict[str, Any] = {}
    for key, value in ((k.strip(), v.strip()) for k, v in items):
        if key in LIST_FIELDS:
            changes[key] = [v.strip() for v in value.split(",") if v.strip()]
        else:
            changes[key] = None if value in {"", "none", "null"} else value
    return changes


def form_changes(c: Candidate, values: dict[str, str]) -> dict[str, Any]:
    """The fields a submitted edit form actually changes (a form sends every field)."""
    given = {k: v for k, v in values.items() if k in EDITABLE}
    return {k: v for k, v in parse_changes(given).items()
            if field_text(c, k) != (", ".join(v) if isinstance(v, list) else (v or ""))}


class ReviewQueue:
    """The queue on a ledger's database (its tables come from migration ``ingest_0001``)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.engine = ledger.engine

    def add(self, document: Document, found: list[Candidate],
            passed: Sequence[Unread] = ()) -> int:
        """Queue a document's candidates, and the sentences it passed over (``passed``), in
        one transaction; returns how many candidates were new."""
        now = to_us(dt.datetime.now(dt.UTC))
        with self.engine.begin() as conn:
            if conn.execute(sa.select(documents.c.sha).where(
                    documents.c.sha == document.sha256)).first() is None:
                conn.execute(documents.insert().values(
                    sha=document.sha256, name=document.name[:400],
                    publisher=document.publisher, title=document.title,
                    date=document.date.isoformat() if document.date else None,
                    url=document.url, ingested_at=now))
            ids = [c.id for c in found]
            have = set(conn.execute(sa.select(candidates.c.id).where(
                candidates.c.id.in_(ids))).scalars()) if ids else set()
            rows = [{"id": c.id, "agreement": c.agreement, "document": document.sha256,
                     "position": c.start, "status": PENDING,
                     "payload": c.model_dump_json(), "created_at": now}
                    for c in found if c.id not in have]
            if rows:
                conn.execute(candidates.insert(), rows)
            uids = [u.id for u in passed]
            known = set(conn.execute(sa.select(unread.c.id).where(
                unread.c.id.in_(uids))).scalars()) if uids else set()
            new = [{"id": u.id, "agreement": u.agreement, "document": document.sha256,
                    "position": u.start, "status": PENDING, "payload": u.model_dump_json(),
                    "created_at": now} for u in passed if u.id not in known]
            if new:
                conn.execute(unread.insert(), new)
        return len(rows)

    def unread(self, *, agreement: str | None = None, status: str | None = PENDING
               ) -> list[QueuedUnread]:
        """Sentences passed over, in the order they were read."""
        q = sa.select(unread, documents).join(documents, documents.c.sha == unread.c.document)
        if agreement:
            q = q.where(unread.c.agreement == agreement)
        if status:
            q = q.where(unread.c.status == status)
        q = q.order_by(unread.c.created_at, unread.c.document, unread.c.position)
        with self.engine.connect() as conn:
            return [QueuedUnread(Unread.model_validate_json(r["payload"]), _document(r),
                                 r["status"]) for r in (row._mapping for row in conn.execute(q))]

    def check_off(self, uid: str, *, by: str) -> QueuedUnread:
        """Mark a sentence passed over as read by a person; returns it, now checked."""
        with self.engine.begin() as conn:
            rows = conn.execute(sa.select(unread, documents).join(
                documents, documents.c.sha == unread.c.document)
                .where(matching(unread.c.id, uid)).limit(2)).all()
            if not rows:
                raise CeasefireError(f"no unread sentence with id {uid!r}")
            if len(rows) > 1:
                raise CeasefireError(f"id {uid!r} matches several sentences; give more of it")
            row = rows[0]._mapping
            if row["status"] != PENDING:
                raise CeasefireError(f"sentence {row['id']} is already {row['status']}")
            conn.execute(unread.update().where(unread.c.id == row["id"]).values(
                status=CHECKED, decided_by=by, decided_at=to_us(dt.datetime.now(dt.UTC))))
        return QueuedUnread(Unread.model_validate_json(row["payload"]), _document(row),
                            CHECKED)

    def queued(self, *, agreement: str | None = None, status: str | None = PENDING,
             ) -> list[Queued]:
        q = sa.select(candidates, documents).join(
            documents, documents.c.sha == candidates.c.document)
        if agreement:
            q = q.where(candidates.c.agreement == agreement)
        if status:
            q = q.where(candidates.c.status == status)
        q = q.order_by(candidates.c.created_at, candidates.c.document, candidates.c.position,
                       candidates.c.id)
        with self.engine.connect() as conn:
            return [self._queued(r._mapping) for r in conn.execute(q)]

    def pending_events(self, *, agreement: str | None = None) -> list[EventGroup]:
        """The pending candidates, grouped by the event they report."""
        return group_events(self.queued(agreement=agreement))

    def get(self, cid: str) -> Queued:
        q = sa.select(candidates, documents).join(
            documents, documents.c.sha == candidates.c.document).where(
            matching(candidates.c.id, cid))
        with self.engine.connect() as conn:
            rows = conn.execute(q.limit(2)).all()
        if not rows:
            raise CeasefireError(f"no candidate with id {cid!r} in the review queue")
        if len(rows) > 1:
            raise CeasefireError(f"id {cid!r} matches several candidates; give more of it")
        return self._queued(rows[0]._mapping)

    @staticmethod
    def _queued(r: Any) -> Queued:
        return Queued(Candidate.model_validate_json(r["payload"]), _document(r), r["status"],
                      r["entry_id"])

    def edit(self, cid: str, changes: dict[str, Any]) -> Candidate:
        """Change fields of a pending candidate; the result is validated before it is kept."""
        item = self._pending(cid)
        bad = sorted(set(changes) - set(EDITABLE))
        if bad:
            raise CeasefireError(f"cannot edit {', '.join(bad)}; editable fields: "
                                 f"{', '.join(EDITABLE)}")
        try:
            fixed = Candidate.model_validate(item.candidate.model_dump() | changes)
        except ValidationError as exc:
            e = exc.errors()[0]
            raise CeasefireError(f"{e['msg']}", where=f"field {'.'.join(map(str, e['loc']))}"
                                 ) from None
        with self.engine.begin() as conn:
            conn.execute(candidates.update().where(candidates.c.id == item.candidate.id)
                         .values(payload=fixed.model_dump_json()))
        return fixed

    def reject(self, cid: str, *, by: str) -> None:
        item = self._pending(cid)
        self._decide(item.candidate.id, REJECTED, by, None)

    def accept(self, cid: str, *, by: str) -> list[Stored]:
        """Record the candidate in the ledger (or as another source of an existing event)."""
        from .reconcile import record

        item = self._pending(cid)
        stored = record(self.ledger, item.candidate, item.document, recorded_by=by)
        self._decide(item.candidate.id, ACCEPTED, by, stored[0].entry.id if stored else None)
        return stored

    def _pending(self, cid: str) -> Queued:
        item = self.get(cid)
        if item.status != PENDING:
            raise CeasefireError(f"candidate {item.candidate.id} is already {item.status}")
        return item

    def _decide(self, cid: str, status: str, by: str, entry_id: str | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(candidates.update().where(candidates.c.id == cid).values(
                status=status, decided_by=by, entry_id=entry_id,
                decided_at=to_us(dt.datetime.now(dt.UTC))))



def matching(column: sa.Column[str], given: str) -> sa.ColumnElement[bool]:
    """An id as a person gives it: whole, its start, or its end as tables show it."""
    return sa.or_(column.startswith(given, autoescape=True),
                  column.endswith(given, autoescape=True))


def _document(r: Any) -> Document:
    """A queued item's document, as stored (its text is not kept)."""
    return Document(name=r["name"], text="", publisher=r["publisher"], title=r["title"],
                    date=dt.date.fromisoformat(r["date"]) if r["date"] else None, url=r["url"])
