"""The ledger: typed, sourced, append-only entries in a hash chain.

Nothing is ever updated or deleted. A correction, a confirmation, a dispute or a retraction
is a new entry that points at an older one (``target``). Each stored entry carries the hash
of the one before it, so :meth:`Ledger.verify` finds an edited, deleted, inserted or
reordered entry and names the first bad one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
import struct
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, NotRequired

import numpy as np
import orjson
import sqlalchemy as sa
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    with_config,
)
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from .agreement import Agreement, Id
from .errors import CeasefireError, ImportRowError
from .registry import EntryCheck, entry_checks
from .sources import Source
from .storage import (
    ENTRY_COLUMNS,
    GENESIS,
    Counted,
    connect,
    decode_block,
    entries,
    insert_blocks,
    insert_rows,
    lock_for_append,
    migrate,
    refresh_statistics,
    settings,
    stream_blocks,
)
from .times import TIME_HELP, Precision, from_us, interval, to_us

UTC = dt.UTC


class EntryType(StrEnum):
    TRANSFER = "transfer"
    IDENTIFICATION = "identification"
    FLOW = "flow"
    FACILITY_STATE = "facility_state"
    DEPLOYMENT = "deployment"
    MILESTONE = "milestone"
    INCIDENT = "incident"
    STATEMENT = "statement"
    CORRECTION = "correction"
    RETRACTION = "retraction"
    VERIFICATION = "verification"
    SOURCE = "source"
    # Search and recovery of remains (see ceasefire.remains): validated by registered checks.
    SITE = "site"            # a place believed to hold remains, or a change of its status
    TEAM = "team"            # a search/custody team, or an entry in its activity log
    CUSTODY = "custody"      # one link in the chain of custody of a set of remains


#: What ``target`` means for each type that has one.
TARGET_MEANING = {
    EntryType.IDENTIFICATION: "the transfer whose remains were identified",
    EntryType.CORRECTION: "the entry it corrects (its fields replaced by `changes`)",
    EntryType.RETRACTION: "the entry withdrawn",
    EntryType.VERIFICATION: "the entry confirmed, disputed or returned to reported",
    EntryType.SOURCE: "the entry the new source supports",
}
#: Fact types: with a ``target`` they are another report of the same event.
FACT_TYPES = {EntryType.TRANSFER, EntryType.FLOW, EntryType.FACILITY_STATE,
              EntryType.DEPLOYMENT, EntryType.MILESTONE, EntryType.INCIDENT,
              EntryType.STATEMENT, EntryType.IDENTIFICATION,
              EntryType.SITE, EntryType.TEAM, EntryType.CUSTODY}
#: Types the engine reads as plain numbers (a "stream") when they point at nothing.
COUNTED_TYPES = {EntryType.TRANSFER, EntryType.FLOW, EntryType.DEPLOYMENT, EntryType.INCIDENT}
META_TYPES = {EntryType.CORRECTION, EntryType.RETRACTION, EntryType.VERIFICATION,
              EntryType.SOURCE}


class Verification(StrEnum):
    REPORTED = "reported"
    CORROBORATED = "corroborated"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    RETRACTED = "retracted"


VERIFICATION_CODE = {v: i for i, v in enumerate(Verification)}
_REPORTED = VERIFICATION_CODE[Verification.REPORTED]
_CORROBORATED = VERIFICATION_CODE[Verification.CORROBORATED]


class IdentificationResult(StrEnum):
    EXPECTED = "expected"          # the person the transfer was said to be
    OTHER = "other"                # someone else: not covered (e.g. not a hostage)
    UNRESOLVED = "unresolved"


class Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    result: IdentificationResult
    count: int = Field(default=1, ge=1)
    person: str | None = Field(default=None, description="Roster member id, when known.")
    attributes: dict[str, str | int | bool] = Field(default_factory=dict)


class Entry(BaseModel):
    """One ledger entry as stored. Valid time is an interval with a precision."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    type: EntryType
    agreement: Id
    valid_from: dt.datetime
    valid_to: dt.datetime
    precision: Precision
    recorded_at: dt.datetime
    recorded_by: str
    actor: str | None = None
    recipient: str | None = None
    via: list[str] = Field(default_factory=list, description="Handover chain, in order.")
    category: str | None = None
    measure: str | None = None
    facility: str | None = None
    place: str | None = None
    quantity: int | None = Field(default=None, ge=0)
    state: str | None = None
    kind: str | None = Field(default=None, description="Incident or milestone kind.")
    provision: str | None = None
    reason: str | None = Field(default=None, description="Provision a party cites as reason.")
    target: str | None = None
    outcomes: list[Outcome] = Field(default_factory=list)
    changes: dict[str, Any] = Field(default_factory=dict)
    verification: Verification = Verification.REPORTED
    sources: list[Source] = Field(default_factory=list)
    note: str | None = None
    restricted: dict[str, Any] = Field(
        default_factory=dict,
        description="Restricted fields (coordinates, names not public): cleared roles only.")
    details: dict[str, Any] = Field(
        default_factory=dict,
        description="Fields of a feature's entry types (site, team, custody); see their checks.")

    def stream(self) -> str | None:
        """The key under which the engine sums this entry, or None if it is read whole."""
        if (self.type not in COUNTED_TYPES or self.target or self.quantity is None
                or self.reason or self.restricted or self.details):
            return None
        return "|".join(x or "" for x in (
            self.agreement, self.type, self.actor, self.recipient, self.category,
            self.measure, self.facility, self.provision, self.kind))

    def publishers(self) -> set[str]:
        return {s.publisher.strip().lower() for s in self.sources}

    def canonical(self) -> bytes:
        """The bytes the chain hashes: sorted keys, unset and default fields left out.

        Written with orjson straight from the field values (pydantic's ``model_dump`` cost
        as much as the rest of an import together); ``tests/test_ledger.py`` holds it equal
        to the ``model_dump`` form the first ledgers were written with.
        """
        values = self.__dict__  # unset fields hold their defaults, which are left out
        return orjson.dumps(_lean({k: values[k] for k in self.__pydantic_fields_set__},
                                  _ENTRY_DEFAULTS), default=_lean_model,
                            option=orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z)

    def redacted(self, fields: Iterable[str] = ()) -> Entry:
        """The entry as the public may see it: restricted fields and confidential sources out.

        ``fields`` names further entry fields an agreement marks restricted
        (``restricted_fields``); those that exist on an entry are emptied too.
        """
        public_sources = [s for s in self.sources if not s.confidential]
        update: dict[str, Any] = {"restricted": {}, "sources": public_sources}
        for name in fields:
            if name in Entry.model_fields and name not in ("id", "type", "agreement") and \
                    Entry.model_fields[name].default is None:
                update[name] = None
        return self.model_copy(update=update)


@dataclass(frozen=True)
class Stored:
    """An entry with its place in the chain."""

    seq: int
    entry: Entry
    prev_hash: str
    hash: str


def columns_of(seq: int, e: Entry, payload: bytes, prev: str, h: str,
               us: dict[dt.datetime, int] | None = None) -> tuple[Any, ...]:
    """An entry's row in ``entries`` (``storage.ENTRY_COLUMNS``): the columns the engine
    and queries read, all derived from the payload, so ``verify`` can recompute them.
    ``us`` remembers times already converted (the entries of an import share theirs)."""
    us = {} if us is None else us
    code = VERIFICATION_CODE[e.verification]
    if code == _REPORTED and len(e.sources) >= 2 and len(e.publishers()) >= 2:
        code = _CORROBORATED
    times = [us.get(t) or us.setdefault(t, to_us(t))
             for t in (e.valid_from, e.valid_to, e.recorded_at)]
    return (seq, e.id, e.agreement, e.type.value, e.stream(), *times, e.quantity, code,
            e.target, payload.decode(), prev, h)


def chain_hash(seq: int, prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(b"%d\n%s\n" % (seq, prev_hash.encode()) + payload).hexdigest()


def _split_chain(v: Any) -> Any:
    """A handover chain typed as ``a > b > c`` or ``a; b`` (CSV cells) is a list."""
    if isinstance(v, str):
        return [x.strip() for x in v.replace(">", ";").split(";") if x.strip()]
    return v


#: A time as typed. A bare ``YYYY-MM-DD`` stays text, so it is read as a whole day (day
#: precision): pydantic's ``datetime | date`` would make it midnight exactly.
Day = Annotated[str, StringConstraints(pattern=r"^\s*\d{4}-\d{2}-\d{2}\s*$")]
When = Day | dt.datetime | dt.date
TIME_FIELDS = ("at", "until", "recorded_at")


class EntryIn(BaseModel):
    """An entry as a person or a file gives it: times as typed, sources in full."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, max_length=64)
    type: EntryType
    agreement: Id | None = None
    at: When = Field(description="When it happened (date = day precision).")
    until: When | None = Field(default=None, description="End of a range.")
    precision: Precision | None = None
    recorded_at: When | None = None
    recorded_by: str | None = None
    actor: Id | None = None
    recipient: Id | None = None
    via: Annotated[list[Id], BeforeValidator(_split_chain)] = Field(default_factory=list)
    category: Id | None = None
    measure: Id | None = None
    facility: Id | None = None
    place: str | None = None
    quantity: int | None = Field(default=None, ge=0)
    state: str | None = None
    kind: str | None = None
    provision: Id | None = None
    reason: Id | None = None
    target: str | None = None
    outcomes: list[Outcome] = Field(default_factory=list)
    changes: dict[str, Any] = Field(default_factory=dict)
    verification: Verification = Verification.REPORTED
    sources: list[Source] = Field(default_factory=list)
    note: str | None = None
    restricted: dict[str, Any] = Field(default_factory=dict)
    details: dict[str, Any] = Field(default_factory=dict)


#: Fields of an input row that become something else in the Entry.
_TYPED_ONLY = frozenset({"id", "type", "agreement", "at", "until", "precision", "recorded_at",
                         "recorded_by"})


def _typed_dict(model: type[BaseModel], nested: dict[str, Any]) -> Any:
    """A TypedDict with a model's fields and constraints (``nested`` swaps field types).

    pydantic validates a batch of these as plain dicts three times faster than it builds
    the models, and a bulk import does not need the models: :func:`entry_from_row` builds
    each Entry from the validated values directly. Derived, so the model stays the one
    definition of what a row may hold.
    """
    fields: dict[str, Any] = {}
    for name, f in model.model_fields.items():
        kind = nested.get(name, f.annotation)
        if f.metadata:
            kind = Annotated[(kind, *f.metadata)]
        fields[name] = kind if f.is_required() else NotRequired[kind]
    return with_config(ConfigDict(extra="forbid"))(
        TypedDict(f"{model.__name__}Row", fields))  # type: ignore[operator]


_ROWS: TypeAdapter[list[dict[str, Any]]] | None = None


def rows_adapter() -> TypeAdapter[list[dict[str, Any]]]:
    """Validates a list of input rows (see :class:`EntryIn`) in one call."""
    global _ROWS
    if _ROWS is None:
        nested = {"sources": list[_typed_dict(Source, {})],   # type: ignore[misc]
                  "outcomes": list[_typed_dict(Outcome, {})]}  # type: ignore[misc]
        _ROWS = TypeAdapter(list[_typed_dict(EntryIn, nested)])  # type: ignore[misc,arg-type]
    return _ROWS


def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    return {k: f.get_default(call_default_factory=True) for k, f in model.model_fields.items()
            if not f.is_required()}


_ENTRY_DEFAULTS = _defaults(Entry)
_ENTRY_FACTORIES = {k: f.default_factory for k, f in Entry.model_fields.items()
                    if f.default_factory is not None}
_NESTED_DEFAULTS = {Source: _defaults(Source), Outcome: _defaults(Outcome)}


def _lean(values: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """Values without those left at their default (what ``exclude_defaults`` drops)."""
    return {k: v for k, v in values.items()
            if v is not None and not (k in defaults and v == defaults[k])}


def _lean_model(m: Any) -> Any:
    if isinstance(m, BaseModel):
        return _lean(m.__dict__, _NESTED_DEFAULTS.get(type(m), {}))
    raise TypeError(f"cannot serialise {type(m).__name__}")


class Prepared(list[Entry]):
    """Entries from :meth:`Ledger.prepare`, knowing which ids it made up.

    A made-up id (a timestamp and 80 random bits) cannot already be in a ledger, so
    ``append`` looks up only the ids the input gave (re-imports): at a million entries the
    lookups cost more than the rest of an append.
    """

    generated: frozenset[str] = frozenset()


class _RowBuilder:
    """Turns validated rows into entries for one prepare call, remembering what repeats
    in a bulk import (the same dates, the same source) so each is worked out once."""

    def __init__(self, recorded_by: str, now: dt.datetime) -> None:
        self.recorded_by, self.now = recorded_by, now
        self._times: dict[tuple[Any, ...], tuple[dt.datetime, dt.datetime, Precision]] = {}
        self._sources: dict[tuple[Any, ...], Source] = {}
        self.generated: set[str] = set()  # ids made up here, new to any ledger

    def time(self, row: dict[str, Any], field: str, tz: dt.tzinfo,
             precision: str | None = None) -> tuple[dt.datetime, dt.datetime, Precision]:
        """The UTC interval of a time field (see :func:`ceasefire.times.interval`)."""
        key = (row[field], tz, precision)
        got = self._times.get(key)
        if got is None:
            try:
                start, end, prec = interval(row[field], tz, precision)
            except CeasefireError as exc:
                raise _FieldError(field, exc.message) from None
            got = self._times[key] = (start.astimezone(UTC), end.astimezone(UTC), prec)
        return got

    def source(self, s: Any) -> Source:
        if isinstance(s, Source):
            return s
        key = tuple(s.items())
        got = self._sources.get(key)
        if got is None:
            got = self._sources[key] = Source.model_validate(s)
        return got

    def entry(self, row: dict[str, Any], a: Agreement) -> Entry:
        """The Entry for a validated row (a dict from :func:`rows_adapter`, or an EntryIn's
        fields) under agreement ``a``."""
        start, end, prec = self.time(row, "at", a.tz, row.get("precision"))
        if row.get("until") is not None:
            end = self.time(row, "until", a.tz)[1]
            prec = Precision.RANGE
        if end < start:
            raise _FieldError("until", "`until` is before `at`")
        recorded = self.now
        if row.get("recorded_at") is not None:
            recorded = self.time(row, "recorded_at", a.tz)[0]
        values = {k: v for k, v in row.items() if k not in _TYPED_ONLY}
        if "sources" in values:
            values["sources"] = [self.source(s) for s in values["sources"]]
        if "outcomes" in values:
            values["outcomes"] = [Outcome.model_validate(o) for o in values["outcomes"]]
        eid = row.get("id")
        if not eid:
            eid = new_id()
            self.generated.add(eid)
        values.update(id=eid, type=EntryType(row["type"]),
                      agreement=a.id, valid_from=start, valid_to=end, precision=prec,
                      recorded_at=recorded, recorded_by=row.get("recorded_by")
                      or self.recorded_by)
        return entry_from_values(values)


def entry_from_values(values: dict[str, Any]) -> Entry:
    """An Entry from values already validated field by field, without validating again.

    What pydantic's ``model_construct`` does, minus its per-call inspection of default
    factories (measured at 200 µs a row).
    """
    full = dict(_ENTRY_DEFAULTS)
    for k, factory in _ENTRY_FACTORIES.items():
        full[k] = factory()  # type: ignore[call-arg]
    full.update(values)
    e = Entry.__new__(Entry)
    object.__setattr__(e, "__dict__", full)
    object.__setattr__(e, "__pydantic_fields_set__", set(values))
    object.__setattr__(e, "__pydantic_extra__", None)
    object.__setattr__(e, "__pydantic_private__", None)
    return e


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a batch is built.

    A bulk import makes millions of small acyclic objects; each allocation threshold
    crossed sent the collector through all of them again, which measured as half of an
    import's time. Reference counting still frees everything as usual.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def new_id() -> str:
    """A new entry id: 32 hex digits, time first (milliseconds), so ids of one import
    land next to each other in the id index instead of at random places in it."""
    return f"{int(time.time() * 1000):012x}{os.urandom(10).hex()}"


def check_entry(e: Entry, a: Agreement) -> None:
    """Raise ValueError naming the field if the entry names something the agreement lacks."""
    check_references(e, a)
    check_shape(e, a)


def references(e: Entry) -> tuple[Any, ...]:
    """The ids an entry names: entries naming the same ids need checking only once."""
    return (e.actor, e.recipient, e.category, e.measure, e.facility, e.provision, e.reason,
            tuple(e.via))


def check_references(e: Entry, a: Agreement) -> None:
    """Every party, category, measure, facility and provision named exists."""
    ids = a.known_ids
    for field, known in ids.items():
        value = getattr(e, field)
        if value is not None and value not in known:
            raise _FieldError(field, f"unknown {field} {value!r} in agreement {a.id}; "
                              f"expected one of: {', '.join(sorted(known)) or '(none)'}")
    for i, hop in enumerate(e.via):
        if hop not in ids["actor"]:
            raise _FieldError(f"via.{i}", f"unknown party {hop!r} in the handover chain")
    if e.measure:
        m = next(m for m in a.measures if m.id == e.measure)
        if e.category and e.category != m.category:
            raise _FieldError("measure", f"measure {m.id!r} counts {m.category!r}, "
                              f"not {e.category!r}")


#: The fields each entry type cannot do without.
_NEEDS: dict[EntryType, tuple[str, ...]] = {
    EntryType.TRANSFER: ("actor", "recipient", "category", "quantity"),
    EntryType.FLOW: ("category", "quantity"),
    EntryType.FACILITY_STATE: ("facility", "state"),
    EntryType.DEPLOYMENT: ("category", "quantity"),
    EntryType.IDENTIFICATION: ("target",),
    EntryType.CORRECTION: ("target",),
    EntryType.RETRACTION: ("target",),
    EntryType.VERIFICATION: ("target", "state"),
    EntryType.SOURCE: ("target",),
}


def check_shape(e: Entry, a: Agreement, checks: Sequence[EntryCheck] | None = None) -> None:
    """The fields an entry of its type needs are there and make sense."""
    if e.type in FACT_TYPES and e.type != EntryType.STATEMENT and not e.sources:
        raise _FieldError("sources", "a fact needs at least one source "
                          "(publisher, title, date, url, quote)")
    for field in _NEEDS.get(e.type, ()):
        if getattr(e, field) in (None, ""):
            raise _FieldError(field, f"a {e.type} entry needs {field}")
    if e.type == EntryType.IDENTIFICATION and not e.outcomes:
        raise _FieldError("outcomes", "an identification needs at least one outcome")
    if e.type == EntryType.FACILITY_STATE and e.facility:
        fac = next(f for f in a.facilities if f.id == e.facility)
        if e.state not in fac.states:
            raise _FieldError("state", f"{fac.id} has states {', '.join(fac.states)}; "
                              f"got {e.state!r}")
    if e.type == EntryType.VERIFICATION and e.state not in {
            Verification.CONFIRMED, Verification.DISPUTED, Verification.REPORTED}:
        raise _FieldError("state", "a verification sets confirmed, disputed or reported")
    if e.type == EntryType.SOURCE and not e.sources:
        raise _FieldError("sources", "a source entry needs the source it attaches")
    if e.type == EntryType.CORRECTION and not e.changes:
        raise _FieldError("changes", "a correction needs the fields it changes")
    _check_restricted_placement(e, a)
    for check in entry_checks() if checks is None else checks:
        if e.type in check.types:
            check.check(e, a)


def _check_restricted_placement(e: Entry, a: Agreement) -> None:
    """A field the agreement declares restricted must live under `restricted`, nowhere else."""
    for key in a.restricted_fields:
        if key in e.details:
            raise _FieldError(f"details.{key}", f"{key!r} is restricted in agreement {a.id}; "
                              f"give it under `restricted`, not `details`")


class _FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


#: For checks that registered entry types bring (see ``registry.ceasefire_entry_checks``).
FieldError = _FieldError


class RowRefused(_FieldError):
    """An entry that does not fit what the ledger already holds (``index`` in the batch)."""

    def __init__(self, index: int, field: str, message: str) -> None:
        self.index = index
        super().__init__(field, message)


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    checked: int
    head: str
    first_bad: int | None = None
    problem: str | None = None


#: A bulk append at least this large refreshes the planner's statistics (see
#: ``storage.refresh_statistics``).
ANALYZE_AFTER = 10_000


def _validated(items: list[Any], where: Callable[[int], str]) -> list[dict[str, Any]]:
    """Input rows as dicts of typed values: plain rows validated in one call (most of an
    import's validation time), EntryIn objects taken as they are."""
    plain = [i for i, r in enumerate(items) if not isinstance(r, EntryIn)]
    try:
        for i, row in zip(plain, rows_adapter().validate_python([items[i] for i in plain]),
                          strict=True):
            items[i] = row
    except ValidationError as exc:
        err = exc.errors()[0]
        raise _row_error({**err, "loc": err["loc"][1:]}, where(plain[int(err["loc"][0])])) \
            from None
    return [{k: getattr(r, k) for k in r.model_fields_set} if isinstance(r, EntryIn) else r
            for r in items]


def describe_error(err: Any) -> tuple[str, str]:
    """One pydantic error about an input row as a person should read it: the field (its
    ``loc`` relative to the row) and what was expected."""
    loc = err["loc"]
    field = ".".join(str(p) for p in loc) or "(row)"
    msg = "required field is missing" if err["type"] == "missing" else err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown field"
    elif err["type"] in ("dict_type", "model_type"):
        msg = "expected a mapping of field names to values"
    elif loc and loc[0] in TIME_FIELDS and err["type"] != "missing":
        # A union's error names its members (``at.constrained-str``): one message instead.
        field, msg = str(loc[0]), f"{err['input']!r} is not a date or time; {TIME_HELP}"
    return field, msg


def _row_error(err: Any, where: str) -> ImportRowError:
    field, msg = describe_error(err)
    return ImportRowError(msg, where=f"{where}, field {field}")


class Ledger:
    """The append-only ledger on one database, and the agreements it knows.

    The CLI and the web app are thin shells over this class and :mod:`ceasefire.engine`.
    """

    def __init__(self, url: str | None = None, *, engine: sa.Engine | None = None,
                 load_bundled: bool = True) -> None:
        self.engine = engine or connect(url)
        migrate(self.engine)
        self._agreements: dict[str, Agreement] | None = None
        if load_bundled:
            from .bundle import ensure_bundled

            ensure_bundled(self)

    # -- agreements -------------------------------------------------------------------------
    def agreements(self) -> dict[str, Agreement]:
        """Bundled agreements, then those added to this ledger (which win on equal id)."""
        if self._agreements is None:
            from .agreement import bundled_agreement_texts, parse_agreement

            found = {k: parse_agreement(v, f"bundled {k}.yaml")
                     for k, v in bundled_agreement_texts().items()}
            with self.engine.connect() as conn:
                rows = conn.execute(sa.select(settings.c.key, settings.c.value).where(
                    settings.c.key.like("agreement:%"))).all()
            for key, text in rows:
                found[key.split(":", 1)[1]] = parse_agreement(text, key)
            self._agreements = found
        return self._agreements

    def agreement(self, agreement_id: str | None = None) -> Agreement:
        known = self.agreements()
        if agreement_id is None:
            if len(known) == 1:
                return next(iter(known.values()))
            raise CeasefireError("several agreements are known; name one with --agreement "
                                 f"({', '.join(sorted(known))})")
        if agreement_id not in known:
            raise CeasefireError(f"unknown agreement {agreement_id!r}; known: "
                                 f"{', '.join(sorted(known)) or '(none)'}")
        return known[agreement_id]

    def add_agreement(self, text: str, name: str) -> Agreement:
        from .agreement import parse_agreement

        agreement = parse_agreement(text, name)
        key = f"agreement:{agreement.id}"
        with self.engine.begin() as conn:
            conn.execute(settings.delete().where(settings.c.key == key))
            conn.execute(settings.insert().values(key=key, value=text))
        self._agreements = None
        return agreement

    def setting(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(settings.c.value).where(
                settings.c.key == key)).scalar_one_or_none()

    def set_setting(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(settings.delete().where(settings.c.key == key))
            conn.execute(settings.insert().values(key=key, value=value))

    # -- appending --------------------------------------------------------------------------
    def prepare(self, rows: Iterable[dict[str, Any] | EntryIn], *, recorded_by: str,
                agreement: str | None = None, where: Callable[[int], str] | None = None,
                now: dt.datetime | None = None) -> Prepared:
        """Validate input rows into entries; the first bad row raises naming row and field."""
        now = now or dt.datetime.now(UTC)
        where = where or (lambda i: f"row {i + 1}")
        with paused_gc():
            items = _validated(list(rows), where)
            out: list[Entry] = []
            build = _RowBuilder(recorded_by, now)
            checks = entry_checks()
            terms: dict[str | None, Agreement] = {}
            checked: set[tuple[str, tuple[Any, ...]]] = set()  # ids already found to exist
            for i, row in enumerate(items):
                try:
                    name = row.get("agreement") or agreement
                    a = terms.get(name) or terms.setdefault(name, self.agreement(name))
                    entry = build.entry(row, a)
                    refs = (a.id, references(entry))
                    if refs not in checked:
                        check_references(entry, a)
                        checked.add(refs)
                    check_shape(entry, a, checks)
                except ValidationError as exc:  # a nested value a check validates itself
                    raise _row_error(exc.errors()[0], where(i)) from None
                except _FieldError as exc:
                    raise ImportRowError(str(exc), where=f"{where(i)}, field {exc.field}") \
                        from None
                except (ValueError, CeasefireError) as exc:
                    msg = exc.message if isinstance(exc, CeasefireError) else str(exc)
                    raise ImportRowError(msg, where=where(i)) from None
                out.append(entry)
        batch = Prepared(out)
        batch.generated = frozenset(build.generated)
        return batch

    def append(self, entries_: Sequence[Entry], *, skip_existing: bool = False,
               progress: Callable[[int], None] | None = None,
               where: Callable[[int], str] | None = None) -> list[Stored]:
        """Append entries in one transaction: all land, or none do.

        ``skip_existing`` drops entries whose id is already in the ledger, so re-importing
        the same file adds nothing.
        """
        where = where or (lambda i: f"row {i + 1}")
        batch_ids: dict[str, int] = {}
        for i, e in enumerate(entries_):
            if e.id in batch_ids:
                raise ImportRowError(f"duplicate id {e.id!r} (also row {batch_ids[e.id] + 1})",
                                     where=f"{where(i)}, field id")
            batch_ids[e.id] = i
        stored: list[Stored] = []
        with self.engine.begin() as conn, paused_gc():
            lock_for_append(conn)
            made_up: frozenset[str] = getattr(entries_, "generated", frozenset())
            existing = self._existing_ids(conn, [i for i in batch_ids if i not in made_up])
            wanted_targets = {e.target for e in entries_ if e.target} - set(batch_ids)
            missing = set(wanted_targets) - self._existing_ids(conn, list(wanted_targets))
            todo: list[Entry] = []
            for i, e in enumerate(entries_):
                if e.id in existing:
                    if skip_existing:
                        continue
                    raise ImportRowError(f"an entry with id {e.id!r} is already in the ledger",
                                         where=f"{where(i)}, field id")
                if e.target in missing:
                    raise ImportRowError(f"target {e.target!r} is not in the ledger",
                                         where=f"{where(i)}, field target")
                if e.target and e.target in batch_ids and batch_ids[e.target] > i:
                    raise ImportRowError(f"target {e.target!r} comes later in the same import",
                                         where=f"{where(i)}, field target")
                todo.append(e)
            self._check_against_ledger(conn, todo, [batch_ids[e.id] for e in todo], where)
            row = conn.execute(sa.select(entries.c.seq, entries.c.hash)
                               .order_by(entries.c.seq.desc()).limit(1)).first()
            seq, prev = (row[0], row[1]) if row else (0, GENESIS)
            chunk: list[tuple[Any, ...]] = []
            counted: list[Counted] = []
            us: dict[dt.datetime, int] = {}  # the entries of an import share their times
            for e in todo:
                seq += 1
                payload = e.canonical()
                h = chain_hash(seq, prev, payload)
                cols = columns_of(seq, e, payload, prev, h, us)
                chunk.append(cols)
                if cols[4] is not None:  # a stream: the engine reads it from a block
                    counted.append((cols[4], seq, *cols[5:8], cols[8] or 0, cols[9]))
                stored.append(Stored(seq, e, prev, h))
                prev = h
                if len(chunk) >= 20_000:
                    insert_rows(conn, chunk)
                    if progress:
                        progress(len(chunk))
                    chunk = []
            if chunk:
                insert_rows(conn, chunk)
                if progress:
                    progress(len(chunk))
            insert_blocks(conn, counted)
            if len(todo) >= ANALYZE_AFTER:
                refresh_statistics(conn)
        return stored

    def add(self, rows: Iterable[dict[str, Any] | EntryIn], *, recorded_by: str,
            agreement: str | None = None, skip_existing: bool = False) -> list[Stored]:
        """Validate and append: the library call behind `ceasefire events add|import`."""
        return self.append(self.prepare(rows, recorded_by=recorded_by, agreement=agreement),
                           skip_existing=skip_existing)

    def annotate(self, target: str, type_: EntryType | str, *, recorded_by: str,
                 state: str | None = None, note: str | None = None,
                 sources: Sequence[dict[str, Any]] = ()) -> Stored:
        """Confirm, dispute, retract or add a source to an entry: a new entry pointing at it.

        The original is never touched; the library call behind `events confirm|dispute|
        retract` and the web's forms.
        """
        original = self.get(target).entry
        row: dict[str, Any] = {"type": str(type_), "target": target,
                               "agreement": original.agreement,
                               "at": dt.datetime.now(UTC).isoformat(), "note": note,
                               "state": state, "sources": list(sources) or None}
        return self.add([{k: v for k, v in row.items() if v is not None}],
                        recorded_by=recorded_by)[0]

    def _check_against_ledger(self, conn: sa.Connection, todo: list[Entry],
                              index: list[int], where: Callable[[int], str]) -> None:
        """Registered checks that need the ledger (a custody chain's order) see the batch."""
        agreements = {name: self.agreement(name) for name in {e.agreement for e in todo}}
        for check in entry_checks():
            try:
                check.check_append(conn, todo, agreements)
            except RowRefused as exc:
                raise ImportRowError(str(exc), where=f"{where(index[exc.index])}, "
                                     f"field {exc.field}") from None

    @staticmethod
    def _existing_ids(conn: sa.Connection, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            found |= set(conn.execute(sa.select(entries.c.id).where(
                entries.c.id.in_(part))).scalars())
        return found

    # -- reading ----------------------------------------------------------------------------
    def head(self) -> tuple[int, str]:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(entries.c.seq, entries.c.hash)
                               .order_by(entries.c.seq.desc()).limit(1)).first()
        return (row[0], row[1]) if row else (0, GENESIS)

    def get(self, entry_id: str) -> Stored:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(entries.c.seq, entries.c.payload, entries.c.prev_hash,
                                         entries.c.hash).where(entries.c.id == entry_id)).first()
        if row is None:
            raise CeasefireError(f"no entry with id {entry_id!r}")
        return Stored(row[0], Entry.model_validate_json(row[1]), row[2], row[3])

    def by_seq(self, seqs: Iterable[int]) -> dict[int, Entry]:
        wanted = sorted(set(seqs))
        out: dict[int, Entry] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                for seq, payload in conn.execute(sa.select(entries.c.seq, entries.c.payload)
                                                 .where(entries.c.seq.in_(wanted[i:i + 500]))):
                    out[seq] = Entry.model_validate_json(payload)
        return out

    def entries(self, *, agreement: str | None = None, types: Sequence[str] = (),
                after_seq: int = 0, limit: int | None = None, newest_first: bool = False,
                text: str | None = None, before_seq: int | None = None,
                targets: Sequence[str] = ()) -> Iterator[Stored]:
        """Entries in chain order (or newest first), filtered; ``before_seq`` / ``after_seq``
        page by position (keyset), so a page deep in a large ledger costs what the first does.
        """
        q = sa.select(entries.c.seq, entries.c.payload, entries.c.prev_hash, entries.c.hash)
        if agreement:
            q = q.where(entries.c.agreement == agreement)
        if types:
            q = q.where(entries.c.type.in_(list(types)))
        if text:
            q = q.where(entries.c.payload.contains(text, autoescape=True))
        if targets:
            q = q.where(entries.c.target.in_(list(targets)))
        q = q.where(entries.c.seq > after_seq)
        if before_seq is not None:
            q = q.where(entries.c.seq < before_seq)
        q = q.order_by(entries.c.seq.desc() if newest_first else entries.c.seq)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            for seq, payload, prev, h in conn.execute(q):
                yield Stored(seq, Entry.model_validate_json(payload), prev, h)

    def verify(self) -> VerifyReport:
        """Recompute the chain from the first entry; name the first entry that does not fit.

        Beyond the hashes, every column the engine reads (times, quantity, stream,
        verification) must be what the entry's own content says, and the stream blocks
        must copy those columns exactly: an edit to either would change a status without
        touching a hash.
        """
        prev, expected_seq, checked = GENESIS, 1, 0
        digests: dict[str, Any] = {}  # per stream, over its counted columns in seq order
        q = sa.select(*[entries.c[c] for c in ENTRY_COLUMNS]).order_by(entries.c.seq)
        with self.engine.connect() as conn:
            for row in conn.execute(q).yield_per(5000):
                seq, eid, payload, prev_hash, h = row[0], row[1], row[11], row[12], row[13]
                label = f"entry #{seq} ({eid})"
                if seq != expected_seq:
                    what = "missing" if seq > expected_seq else "out of order"
                    return VerifyReport(False, checked, prev, seq,
                                        f"{label}: entry #{expected_seq} is {what} "
                                        "(deleted or reordered)")
                if prev_hash != prev:
                    return VerifyReport(False, checked, prev, seq,
                                        f"{label}: does not link to the entry before it "
                                        "(inserted, deleted or reordered)")
                if chain_hash(seq, prev, payload.encode()) != h:
                    return VerifyReport(False, checked, prev, seq,
                                        f"{label}: its content does not match its hash (edited)")
                try:
                    entry = Entry.model_validate_json(payload)
                except ValidationError:
                    return VerifyReport(False, checked, prev, seq,
                                        f"{label}: content is not a valid entry (edited)")
                want = columns_of(seq, entry, payload.encode(), prev, h)
                if tuple(row) != want:
                    bad = next(c for c, x, y in zip(ENTRY_COLUMNS, row, want, strict=True)
                               if x != y)
                    return VerifyReport(False, checked, prev, seq,
                                        f"{label}: its {bad} column does not match its "
                                        "content (edited)")
                if want[4] is not None:
                    digests.setdefault(want[4], hashlib.sha256()).update(
                        _BLOCK_ROW.pack(seq, *want[5:8], want[8] or 0, want[9]))
                prev, expected_seq, checked = h, expected_seq + 1, checked + 1
            problem = _check_blocks(conn, {k: d.digest() for k, d in digests.items()})
        if problem:
            return VerifyReport(False, checked, prev, None, problem)
        return VerifyReport(True, checked, prev)


_BLOCK_ROW = struct.Struct("<6q")


def _check_blocks(conn: sa.Connection, want: dict[str, bytes]) -> str | None:
    """The stream blocks hold exactly the counted entries' columns (digests per stream)."""
    parts: dict[str, list[np.ndarray]] = {}
    for key, rows, data in conn.execute(sa.select(
            stream_blocks.c.stream, stream_blocks.c.rows, stream_blocks.c.data)):
        parts.setdefault(key, []).append(decode_block(data, rows))
    for key in sorted(set(want) | set(parts)):
        have = b""
        if key in parts:
            cols = np.concatenate(parts[key], axis=1)
            cols = cols[:, np.argsort(cols[0], kind="stable")]
            have = hashlib.sha256(np.ascontiguousarray(cols.T, dtype="<i8").tobytes()).digest()
        if have != want.get(key, b""):
            return (f"the stored columns of stream {key!r} do not match its entries "
                    "(edited stream block)")
    return None


def utcnow() -> dt.datetime:
    return dt.datetime.now(UTC)


def fmt_valid(e: Entry, tz: dt.tzinfo) -> str:
    start = e.valid_from.astimezone(tz)
    if e.precision == Precision.DAY:
        return start.strftime("%Y-%m-%d")
    if e.precision == Precision.HOUR:
        return start.strftime("%Y-%m-%d %H:00")
    if e.precision == Precision.RANGE:
        return f"{start:%Y-%m-%d %H:%M} – {e.valid_to.astimezone(tz):%Y-%m-%d %H:%M}"
    return start.strftime("%Y-%m-%d %H:%M")


__all__ = ["Entry", "EntryIn", "EntryType", "FieldError", "Ledger", "Outcome", "RowRefused",
           "Stored", "Verification", "VerifyReport", "describe_error", "fmt_valid", "from_us"]
