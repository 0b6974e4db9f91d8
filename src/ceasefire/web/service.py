"""What the pages and the JSON API share: cached statuses, redaction, ledger paging, writes.

Every page and its `/api/` twin call the same method here, so they cannot drift apart; the
templates and the JSON encoder are the only difference. Nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..agreement import Agreement
from ..engine import Engine
from ..errors import CeasefireError
from ..io import entry_to_row, flat_to_row, format_for
from ..ledger import META_TYPES, Entry, EntryType, Ledger, Stored, Verification, fmt_valid
from ..status import AgreementStatus, Status
from ..times import moment, to_us
from ..users import Accounts, Role, User

if TYPE_CHECKING:
    from ..facts import View
    from ..projection import Projection

T = TypeVar("T")

#: Fields a web client may not set: the server records who wrote an entry and when, and a
#: reporter's entry lands as reported (verification is a verifier's separate entry).
SERVER_SET = ("recorded_by", "recorded_at", "verification", "id")
PAGE_SIZE = 50
#: Seconds a reader may go on trusting the ledger's last position (see Service.last_seq).
HEAD_TTL = 0.5
CACHE_SIZE = 128


#: Names pydantic adds to an error's location for the branch of a union it tried.
_UNION_TAGS = {"datetime", "date", "int", "str", "float", "bool", "list", "dict", "none"}


def clean_field(loc: str) -> str:
    """'at.datetime' -> 'at': the field a person typed, not the type pydantic tried."""
    parts: list[str] = []
    for p in loc.split("."):
        tag = p.lower() in _UNION_TAGS or p.startswith(("function-", "lax-", "json-"))
        if tag and parts and not parts[-1].isdigit():
            continue
        parts.append(p)
    return ".".join(parts) or loc


class FieldError(CeasefireError):
    """Bad input in a named request field (→ 422 naming the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, where=field)
        self.field = field


class Forbidden(CeasefireError):
    """The user's role or clearance does not allow this (→ 403, or 401 when anonymous)."""


class NotFound(CeasefireError):
    """No such agreement, provision, party or entry (→ 404)."""


@dataclass(frozen=True)
class Moment:
    """The as-of / known-at pair a view is computed for, and how the user typed it."""

    as_of: dt.datetime
    known_at: dt.datetime
    as_of_text: str
    known_at_text: str


def _end_of_minute(now: dt.datetime) -> dt.datetime:
    """'Now', to the minute: so that concurrent readers of the live picture share one
    computation, and an entry recorded a moment ago is already known."""
    return now.replace(second=59, microsecond=999_999)


@dataclass
class LedgerRow:
    """An entry as the ledger page shows it: redacted for the reader, with its current state."""

    seq: int
    entry: Entry
    when: str
    state: str
    superseded_by: list[str]
    extra_sources: int

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "state": self.state, "when": self.when,
                "superseded_by": self.superseded_by, "extra_sources": self.extra_sources,
                **entry_to_row(self.entry, redact=False)}


class Service:
    """One ledger, one warm engine, and the status cache the web server reads from.

    Statuses are cached on (agreement, as_of, known_at, the ledger's last seq, clearance): a
    new append changes the last seq, so a cached status is never stale, and readers of the
    same moment share one computation.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.accounts = Accounts(ledger.engine)
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self._head_lock = threading.Lock()
        self._flag_lock = threading.Lock()
        self._refreshing_since = 0.0
        self._head = 0
        self._head_at = -HEAD_TTL
        self._cache: OrderedDict[tuple[Any, ...], AgreementStatus] = OrderedDict()
        self._json: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._charts: OrderedDict[tuple[Any, ...], tuple[dict[str, Any], str]] = OrderedDict()
        self._pages: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._gz: OrderedDict[int, tuple[bytes, bytes]] = OrderedDict()

    # -- agreements and moments -------------------------------------------------------------
    def agreement(self, agreement_id: str) -> Agreement:
        known = self.ledger.agreements()
        if agreement_id not in known:
            raise NotFound(f"no agreement {agreement_id!r}; known: {', '.join(sorted(known))}",
                           where="agreement_id")
        return known[agreement_id]

    def moment(self, a: Agreement, as_of: str | None, known_at: str | None) -> Moment:
        now = _end_of_minute(dt.datetime.now(dt.UTC))
        values = []
        for field, text in (("as_of", as_of), ("known_at", known_at)):
            if text in (None, "", "now"):
                values.append(now)
                continue
            try:
                values.append(moment(text, a.tz))
            except CeasefireError as exc:
                raise FieldError(field, exc.message) from None
        return Moment(values[0], values[1], as_of or "", known_at or "")

    # -- status ------------------------------------------------------------------------------
    def status(self, a: Agreement, m: Moment, user: User) -> AgreementStatus:
        last_seq = self.last_seq()
        key = (a.id, to_us(m.as_of), to_us(m.known_at), last_seq, user.cleared)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
            if self._engine is None:
                self._engine = Engine(self.ledger)
            result = self._engine.status(a, as_of=m.as_of, known_at=m.known_at)
            self._cache[key] = result
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def remains(self, agreement_id: str, as_of: str | None, known_at: str | None,
                read: Callable[[Agreement, View], T]) -> tuple[Agreement, Moment, T]:
        """``read(terms, view)`` on the warm engine's ledger view for a moment.

        Under the engine's lock, like a status: a view reads the snapshot's columns, which a
        concurrent refresh extends.
        """
        a = self.agreement(agreement_id)
        m = self.moment(a, as_of, known_at)
        terms = a.in_force(m.as_of)
        with self._lock:
            engine = self.engine()
            engine.refresh()
            view = engine.snapshot.view(terms.id, terms.tz, m.as_of, m.known_at)
            return a, m, read(terms, view)

    def projections(self, a: Agreement, m: Moment, user: User) -> list[Projection]:
        """Expected completion of every quantity still owed (see :mod:`ceasefire.projection`)."""
        from ..projection import projections

        status = self.status(a, m, user)
        with self._lock:
            return projections(self.engine(), status, a.in_force(m.as_of))

    def engine(self) -> Engine:
        """The warm engine (built on first use); callers hold ``_lock``."""
        if self._engine is None:
            self._engine = Engine(self.ledger)
        return self._engine

    def history(self, a: Agreement, provision_id: str, m: Moment) -> tuple[dict[str, Any], str]:
        """The provision's figures over time (JSON) and their SVG chart, cached like statuses.

        Restricted data never enters a history (it is drawn from the same public figures
        as the status), so one cached chart serves every reader.
        """
        from ..charts import provision_chart
        from ..history import provision_history

        key = ("history", a.id, provision_id, to_us(m.as_of), to_us(m.known_at),
               self.last_seq())
        with self._lock:
            hit = self._charts.get(key)
            if hit is None:
                if self._engine is None:
                    self._engine = Engine(self.ledger)
                h = provision_history(self._engine, a.id, provision_id, as_of=m.as_of,
                                      known_at=m.known_at)
                hit = self._charts[key] = (h.model_dump(mode="json"), provision_chart(h))
                while len(self._charts) > CACHE_SIZE:
                    self._charts.popitem(last=False)
        return hit

    def last_seq(self) -> int:
        """The ledger's last position, re-read at most every ``HEAD_TTL`` seconds.

        Many readers at once would otherwise each query the database just to learn that
        nothing changed. A write made through this service sets it at once, so a user sees
        their own entry immediately; another process's writes show within ``HEAD_TTL``.
        The position only grows, so a read that started before a write cannot undo it.
        """
        now = time.monotonic()
        with self._head_lock:
            if now - self._head_at > HEAD_TTL:
                seq = self.ledger.head()[0]
                with self._flag_lock:
                    self._head = max(self._head, seq)
                    self._head_at = now
                    self._refreshing_since = 0.0
            return self._head

    def fresh_head(self) -> int | None:
        """The last position without I/O, or None when the caller should re-read it.

        While one request re-reads it, the others go on with the one read a moment ago
        instead of all queueing for the database at once.
        """
        now = time.monotonic()
        if now - self._head_at <= HEAD_TTL:
            return self._head
        with self._flag_lock:
            if now - self._refreshing_since < 1.0:
                return self._head
            self._refreshing_since = now
        return None

    def cached_status_json(self, a: Agreement, m: Moment, user: User, *,
                           party: str | None = None, phase: str | None = None,
                           status: str | None = None, evidence: bool = False) -> bytes | None:
        """The cached JSON if it is there and current, without touching the database, so
        the event loop can answer it directly; None means: call :meth:`status_json`."""
        self.check_filters(a, party=party, phase=phase, status=status)
        head = self.fresh_head()
        if head is None:
            return None
        return self._json.get((a.id, to_us(m.as_of), to_us(m.known_at), head, user.cleared,
                               party, phase, status, evidence))

    def gzipped(self, body: bytes) -> bytes:
        """The body gzip-compressed, remembered for the cached bodies it is asked for: a
        status is mostly repeated keys, so it shrinks ~10x and is compressed once."""
        hit = self._gz.get(id(body))
        if hit is None or hit[0] is not body:
            hit = (body, gzip.compress(body, compresslevel=5, mtime=0))
            with self._lock:
                self._gz[id(body)] = hit
                while len(self._gz) > CACHE_SIZE:
                    self._gz.popitem(last=False)
        return hit[1]

    def cached_page_now(self, key: tuple[Any, ...]) -> bytes | None:
        """The cached page if it is there and current, without touching the database."""
        head = self.fresh_head()
        return None if head is None else self._pages.get((*key, head))

    def cached_page(self, key: tuple[Any, ...], render: Any) -> bytes:
        """A rendered page for the anonymous public, keyed on what it shows and the ledger's
        last position (signed-in pages carry the user's name and CSRF token: not cached)."""
        full = (*key, self.last_seq())
        hit = self._pages.get(full)
        if hit is None:
            hit = render()
            with self._lock:
                self._pages[full] = hit
                while len(self._pages) > CACHE_SIZE:
                    self._pages.popitem(last=False)
        return hit  # type: ignore[no-any-return]

    def wrote(self, seq: int) -> None:
        """A write made outside :meth:`add_event` / :meth:`annotate` (the review queue's
        accept): readers of this process see it at once."""
        self._wrote(seq)

    def _wrote(self, seq: int) -> None:
        with self._flag_lock:
            self._head = max(self._head, seq)
            self._head_at = time.monotonic()

    def status_json(self, a: Agreement, m: Moment, user: User, *, party: str | None = None,
                    phase: str | None = None, status: str | None = None,
                    evidence: bool = False) -> bytes:
        """The status as JSON bytes, filtered; cached like the status itself.

        Evidence (up to 20 entries per provision, with sources) is left out unless asked:
        the agreement page does not show it, and it is most of the bytes.
        """
        self.check_filters(a, party=party, phase=phase, status=status)
        last_seq = self.last_seq()
        key = (a.id, to_us(m.as_of), to_us(m.known_at), last_seq, user.cleared,
               party, phase, status, evidence)
        with self._lock:
            hit = self._json.get(key)
        if hit is not None:
            return hit
        result = self.status(a, m, user)
        data = result.model_dump(mode="json",
                                 exclude=None if evidence else {"provisions": {"__all__": {
                                     "evidence"}}})
        data["provisions"] = [p for p in data["provisions"]
                              if self._keep(p, party=party, phase=phase, status=status)]
        if party:
            data["parties"] = [p for p in data["parties"] if p["party"] == party]
        body = json.dumps(data, ensure_ascii=False).encode()
        with self._lock:
            self._json[key] = body
            while len(self._json) > CACHE_SIZE:
                self._json.popitem(last=False)
        return body

    @staticmethod
    def check_filters(a: Agreement, *, party: str | None, phase: str | None,
                      status: str | None) -> None:
        for field, value, known in (
                ("party", party, [p.id for p in a.parties]),
                ("phase", phase, [p.id for p in a.phases]),
                ("status", status, [s.value for s in Status])):
            if value and value not in known:
                raise FieldError(field, f"unknown {field} {value!r}; expected one of: "
                                 f"{', '.join(known)}")

    @staticmethod
    def _keep(p: Any, *, party: str | None, phase: str | None, status: str | None) -> bool:
        get = p.get if isinstance(p, dict) else (lambda k: getattr(p, k))
        return ((not party or party in (get("by"), get("to")))
                and (not phase or get("phase") == phase)
                and (not status or str(get("status")) == status))

    def provisions(self, result: AgreementStatus, *, party: str | None = None,
                   phase: str | None = None, status: str | None = None) -> list[Any]:
        return [p for p in result.provisions
                if self._keep(p, party=party, phase=phase, status=status)]

    @staticmethod
    def phase_progress(result: AgreementStatus) -> list[dict[str, Any]]:
        """Per phase: how many of its agreed provisions are fulfilled, for a progress bar."""
        by_id = {p.id: p for p in result.provisions}
        out = []
        for ph in result.phases:
            agreed = [by_id[p] for p in ph.provisions
                      if p in by_id and by_id[p].negotiation == "agreed"]
            done = sum(1 for p in agreed if p.status == Status.FULFILLED)
            out.append({"id": ph.id, "name": ph.name, "open": ph.open,
                        "complete": ph.complete, "level": ph.level.value,
                        "fulfilled": done, "agreed": len(agreed),
                        "provisions": len(ph.provisions),
                        "percent": round(100 * done / len(agreed)) if agreed else 0})
        return out

    # -- entries as a reader may see them ----------------------------------------------------
    def visible(self, e: Entry, user: User) -> Entry:
        if user.cleared:
            return e
        fields: tuple[str, ...] = ()
        known = self.ledger.agreements()
        if e.agreement in known:
            fields = tuple(known[e.agreement].restricted_fields)
        return e.redacted(fields)

    def entry(self, entry_id: str, user: User) -> LedgerRow:
        try:
            stored = self.ledger.get(entry_id)
        except CeasefireError:
            raise NotFound(f"no entry with id {entry_id!r}", where="entry_id") from None
        return self._rows([stored], user)[0]

    def entries_page(self, user: User, *, agreement: str | None = None,
                     type_: str | None = None, text: str | None = None,
                     before: int | None = None, limit: int = PAGE_SIZE
                     ) -> tuple[list[LedgerRow], int | None]:
        """One page of entries, newest first, and the seq to continue before (keyset).

        A text search matches only what the reader may see: for a reader without clearance
        the database's match is re-checked on the redacted entry, so a search cannot reveal
        what a restricted field holds.
        """
        if agreement:
            self.agreement(agreement)
        if type_ and type_ not in {t.value for t in EntryType}:
            raise FieldError("type", f"unknown entry type {type_!r}; expected one of: "
                             f"{', '.join(t.value for t in EntryType)}")
        if not 1 <= limit <= 500:
            raise FieldError("limit", "limit must be between 1 and 500")
        found: list[Stored] = []
        cursor = before
        needle = (text or "").strip()
        while len(found) <= limit:
            batch = list(self.ledger.entries(
                agreement=agreement or None, types=[type_] if type_ else (), text=needle or None,
                newest_first=True, before_seq=cursor, limit=limit + 1))
            if not batch:
                break
            for s in batch:
                if not needle or user.cleared or needle.lower() in json.dumps(
                        entry_to_row(self.visible(s.entry, user), redact=False),
                        ensure_ascii=False).lower():
                    found.append(s)
            cursor = batch[-1].seq
            if len(batch) <= limit:
                break
        more = found[limit:]
        page = found[:limit]
        return self._rows(page, user), (page[-1].seq if more and page else None)

    def _rows(self, stored: list[Stored], user: User) -> list[LedgerRow]:
        """Attach each entry's current verification, supersessions and added sources."""
        ids = [s.entry.id for s in stored]
        comments = sorted(self.ledger.entries(targets=ids, types=[t.value for t in META_TYPES]),
                          key=lambda s: s.seq) if ids else []
        state: dict[str, str] = {}
        superseded: dict[str, list[str]] = {i: [] for i in ids}
        added: dict[str, int] = dict.fromkeys(ids, 0)
        for c in comments:
            t, e = c.entry.target or "", c.entry
            if e.type == EntryType.VERIFICATION and state.get(t) != "retracted":
                state[t] = e.state or "reported"
            elif e.type == EntryType.RETRACTION:
                state[t] = Verification.RETRACTED.value
            elif e.type == EntryType.CORRECTION:
                superseded[t].append(e.id)
            elif e.type == EntryType.SOURCE:
                added[t] += sum(1 for x in self.visible(e, user).sources)
        known = self.ledger.agreements()
        rows = []
        for s in stored:
            e = self.visible(s.entry, user)
            tz = known[e.agreement].tz if e.agreement in known else dt.UTC
            base = e.verification.value
            if base == Verification.REPORTED.value and len(s.entry.publishers()) >= 2:
                base = Verification.CORROBORATED.value
            rows.append(LedgerRow(s.seq, e, fmt_valid(e, tz), state.get(e.id, base),
                                  superseded.get(e.id, []), added.get(e.id, 0)))
        return rows

    def export(self, user: User, *, fmt: str, agreement: str | None,
               include_restricted: bool) -> tuple[str, str]:
        """Entries as a re-importable file; restricted data only for cleared readers."""
        if include_restricted and not user.cleared:
            raise Forbidden("restricted data is only exported for users cleared for it",
                            where="include_restricted")
        if agreement:
            self.agreement(agreement)
        try:
            writer = format_for(None, fmt)
        except CeasefireError as exc:
            raise FieldError("format", exc.message) from None
        reader = user if include_restricted else User(user.name, user.role, cleared=False)
        rows = (entry_to_row(self.visible(s.entry, reader), redact=False)
                for s in self.ledger.entries(agreement=agreement or None))
        return writer.write(rows), writer.name

    # -- writes ------------------------------------------------------------------------------
    def require(self, user: User, role: Role) -> None:
        if not user.can(role):
            who = "signing in" if not user.authenticated else f"the {role.value} role"
            raise Forbidden(f"this needs {who}; you are {user.name} ({user.role.value})")

    def add_event(self, user: User, data: dict[str, Any], *, flat: bool) -> Stored:
        """A reporter's new event: who and when are the server's, it lands as reported."""
        self.require(user, Role.REPORTER)
        row = self._write(lambda: flat_to_row(data, "form")) if flat else dict(data)
        for field in SERVER_SET:
            if row.get(field) not in (None, ""):
                raise FieldError(field, f"{field} is set by the server, not by the client")
            row.pop(field, None)
        if row.get("type") in {t.value for t in META_TYPES}:
            raise FieldError("type", "corrections, retractions, verifications and sources "
                             "have forms of their own")
        stored = self._write(lambda: self.ledger.add([row], recorded_by=user.name)[0])
        self._wrote(stored.seq)
        return stored  # type: ignore[no-any-return]

    def annotate(self, user: User, target: str, action: str, *, note: str | None = None,
                 source: dict[str, Any] | None = None) -> Stored:
        """confirm / dispute / retract (verifiers) or attach a source (reporters)."""
        actions = {"confirm": (Role.VERIFIER, EntryType.VERIFICATION, "confirmed"),
                   "dispute": (Role.VERIFIER, EntryType.VERIFICATION, "disputed"),
                   "retract": (Role.VERIFIER, EntryType.RETRACTION, None),
                   "source": (Role.REPORTER, EntryType.SOURCE, None)}
        if action not in actions:
            raise FieldError("action", f"unknown action {action!r}; expected one of: "
                             f"{', '.join(actions)}")
        role, type_, state = actions[action]
        self.require(user, role)
        self.entry(target, user)  # 404 before anything else
        if action == "source" and not source:
            raise FieldError("sources", "attach a source: publisher, title and a short quote")
        stored = self._write(lambda: self.ledger.annotate(
            target, type_, recorded_by=user.name, state=state, note=note or None,
            sources=[source] if source else ()))
        self._wrote(stored.seq)
        return stored  # type: ignore[no-any-return]

    def _write(self, fn: Any) -> Any:
        """Run a library call; its user errors become a 422 naming the field."""
        try:
            return fn()
        except (FieldError, Forbidden, NotFound):
            raise
        except CeasefireError as exc:
            where = exc.where or ""
            field = where.split("field ", 1)[1] if "field " in where else "entry"
            raise FieldError(clean_field(field), exc.message) from None

    def add_agreement(self, user: User, text: str) -> Agreement:
        self.require(user, Role.ADMIN)
        if not text.strip():
            raise FieldError("text", "paste the agreement's YAML")
        try:
            a = self.ledger.add_agreement(text, "uploaded agreement")
        except CeasefireError as exc:
            raise FieldError("text", str(exc)) from None
        with self._lock:
            self._cache.clear()
            self._json.clear()
            self._charts.clear()
            self._pages.clear()
        return a

    def add_user(self, user: User, name: str, password: str, role: Role | str,
                 cleared: bool) -> User:
        self.require(user, Role.ADMIN)
        try:
            return self.accounts.add(name, password, role, cleared=cleared, by=user.name)
        except FieldError:
            raise
        except CeasefireError as exc:
            raise FieldError(exc.where or "name", exc.message) from None

    def revoke_user(self, user: User, name: str) -> User:
        self.require(user, Role.ADMIN)
        try:
            return self.accounts.revoke(name, by=user.name)
        except CeasefireError as exc:
            raise NotFound(exc.message, where="name") from None
