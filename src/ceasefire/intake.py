"""Intake: rows as a person or a file gives them, validated and built into entries.

A bulk import validates its rows in one pydantic call (as typed dicts derived from
:class:`EntryIn`), builds each :class:`~ceasefire.entry.Entry` without validating it a
second time, and checks it against its agreement; the first bad row stops everything with
its row and field named. Features add checks of their own through the registry
(``ceasefire_entry_checks``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Annotated, Any, NotRequired

import orjson
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
from .entry import (
    _CANONICAL,
    _CORROBORATED,
    _LEFT_OUT,
    _REPORTED,
    COUNTED_TYPES,
    FACT_TYPES,
    VERIFICATION_CODE,
    Entry,
    EntryType,
    Outcome,
    Verification,
    _lean_model,
    _sources_json,
    entry_from_values,
    entry_of,
    new_field_dict,
    stream_of,
)
from .errors import CeasefireError, ImportRowError
from .registry import EntryCheck, entry_checks
from .sources import Source
from .times import TIME_HELP, Precision, interval, to_us

UTC = dt.UTC


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


_IMPORT: tuple[TypeAdapter[list[dict[str, Any]]], TypeAdapter[list[dict[str, Any]]]] | None \
    = None


def import_adapters() -> tuple[TypeAdapter[list[dict[str, Any]]],
                               TypeAdapter[list[dict[str, Any]]]]:
    """:func:`rows_adapter` with each row's sources left as given, and the adapter of a
    list of sources, for :func:`validated_import`."""
    global _IMPORT
    if _IMPORT is None:
        source = _typed_dict(Source, {})
        nested = {"sources": Any, "outcomes": list[_typed_dict(Outcome, {})]}  # type: ignore[misc]
        _IMPORT = (TypeAdapter(list[_typed_dict(EntryIn, nested)]),  # type: ignore[misc,arg-type]
                   TypeAdapter(list[source]))  # type: ignore[valid-type]
    return _IMPORT


#: The types of the values a source's fields may have for its list to be remembered by its
#: JSON text (these and only these are written apart from each other: see ``_cited``).
_PLAIN = frozenset({str, bool, int, type(None)})


def _cited(raw: Any, known: dict[bytes, tuple[tuple[Source, ...], orjson.Fragment]],
           lists: TypeAdapter[list[dict[str, Any]]]
           ) -> tuple[tuple[Source, ...], orjson.Fragment] | None:
    """A row's sources as given: the Source objects and their canonical bytes, or None if
    they are not valid. A list of plain dicts of plain values is remembered by its JSON
    text (an import's rows cite a few sources many times over); anything else is
    validated each time."""
    key: bytes | None = None
    if type(raw) is list and all(type(x) is dict and set(map(type, x.values())) <= _PLAIN
                                 for x in raw):
        try:
            key = orjson.dumps(raw)
        except TypeError:  # a key that is not text, an int beyond 64 bits
            key = None
        else:
            got = known.get(key)
            if got is not None:
                return got
    try:
        objs = tuple(Source.model_validate(x) for x in lists.validate_python(raw))
    except ValidationError:
        return None
    got = (objs, _sources_json(list(objs)))
    if key is not None:
        if len(known) >= CACHED:
            known.clear()
        known[key] = got
    return got


def validated_import(items: list[Any], ids: Sequence[str | None],
                     where: Callable[[int], str],
                     known: dict[str, dict[Any, Any]]) -> list[dict[str, Any]]:
    """An import's rows validated (see :func:`_validated`), each given its id in ``ids``
    where that is not None (see :meth:`ContentIds.given`): the same rows, or the same first
    error, without a copy of each row.

    Plain rows are validated in one call with their sources left as given, and each
    distinct list of sources once (``_cited``; a row's ``sources`` then holds its Source
    objects and their canonical bytes, for :meth:`_RowBuilder.import_row`). Where either
    finds something wrong, the rows are validated again as :func:`_validated` does,
    which reports the first bad row and field.
    """
    out: list[dict[str, Any]] | None = None
    if set(map(type, items)) <= {dict}:
        rows, lists = import_adapters()
        cited = known.setdefault("cited", {})
        try:
            out = rows.validate_python(items)
        except ValidationError:
            out = None
        else:
            for row, eid in zip(out, ids, strict=True):
                if eid is not None:
                    row["id"] = eid
                if "sources" in row:
                    got = _cited(row["sources"], cited, lists)
                    if got is None:
                        out = None
                        break
                    row["sources"] = got
    if out is None:
        out = _validated([r if eid is None else {**r, "id": eid}
                          for r, eid in zip(items, ids, strict=True)], where)
    return out


class Prepared(list[Entry]):
    """Entries from :meth:`Ledger.prepare`, knowing which ids it made up.

    A made-up id (a timestamp and 80 random bits) cannot already be in a ledger, so
    ``append`` looks up only the ids the input gave (re-imports): at a million entries the
    lookups cost more than the rest of an append.
    """

    generated: frozenset[str] = frozenset()


#: How many times, sources and lists of sources a :class:`_RowBuilder` remembers.
CACHED = 20_000


class _RowBuilder:
    """Turns validated rows into entries for one prepare call, remembering what repeats
    in a bulk import (the same dates, the same source) so each is worked out once."""

    def __init__(self, recorded_by: str, now: dt.datetime, *,
                 known: dict[str, dict[Any, Any]] | None = None) -> None:
        self.recorded_by, self.now = recorded_by, now
        # What was worked out, by what it was worked out from: kept in ``known`` across the
        # parts of an import (each holds at most CACHED items).
        known = {} if known is None else known
        self._times: dict[tuple[Any, ...], tuple[dt.datetime, dt.datetime, Precision]] = \
            known.setdefault("times", {})
        self._sources: dict[tuple[Any, ...], Source] = known.setdefault("sources", {})
        #: A row's list of sources (by their fields): the Source objects and their part of
        #: the canonical bytes (the rows of an import cite a few sources many times over).
        self._lists: dict[tuple[Any, ...], tuple[tuple[Source, ...], orjson.Fragment]] = \
            known.setdefault("lists", {})
        self.generated: set[str] = set()  # ids made up here, new to any ledger
        #: A time field's interval with what an import's row needs of its ends besides:
        #: microseconds (the columns) and canonical JSON (the payload), by the same key.
        self._spans: dict[tuple[Any, ...], tuple[Any, ...]] = known.setdefault("spans", {})
        self._now = (now, to_us(now), _json_time(now))
        #: One string per stream (the rows of one part share them: see ``import_row``).
        self.streams: dict[str, str] = {}

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
            if len(self._times) >= CACHED:
                self._times.clear()
            got = self._times[key] = (start.astimezone(UTC), end.astimezone(UTC), prec)
        return got

    def span(self, row: dict[str, Any], field: str, tz: dt.tzinfo,
             precision: str | None = None) -> tuple[Any, ...]:
        """:meth:`time`, and each end's microseconds since the epoch and canonical JSON:
        ``(start, end, precision, start_us, end_us, start_json, end_json)``."""
        key = (row[field], tz, precision)
        got = self._spans.get(key)
        if got is None:
            start, end, prec = self.time(row, field, tz, precision)
            if len(self._spans) >= CACHED:
                self._spans.clear()
            got = self._spans[key] = (start, end, prec, to_us(start), to_us(end),
                                      _json_time(start), _json_time(end))
        return got

    def source(self, s: Any) -> Source:
        if isinstance(s, Source):
            return s
        key = tuple(s.items())
        got = self._sources.get(key)
        if got is None:
            if len(self._sources) >= CACHED:
                self._sources.clear()
            got = self._sources[key] = Source.model_validate(s)
        return got

    def sources(self, raw: list[Any]) -> tuple[list[Source], orjson.Fragment]:
        """A row's sources as Source objects, and their canonical bytes."""
        keys = []
        for s in raw:
            if isinstance(s, Source):  # from an EntryIn: not by its fields
                objs = [self.source(x) for x in raw]
                return objs, _sources_json(objs)
            keys.append(tuple(s.items()))
        key = tuple(keys)
        got = self._lists.get(key)
        if got is None:
            objs = [self.source(s) for s in raw]
            if len(self._lists) >= CACHED:
                self._lists.clear()
            got = self._lists[key] = (tuple(objs), _sources_json(objs))
        return list(got[0]), got[1]

    def entry(self, row: dict[str, Any], a: Agreement) -> Entry:
        """The Entry for a validated row (a dict from :func:`rows_adapter`, or an EntryIn's
        fields) under agreement ``a`` (an import's rows: see :meth:`import_row`)."""
        get = row.get
        start, end, prec = self.time(row, "at", a.tz, get("precision"))
        if get("until") is not None:
            end = self.time(row, "until", a.tz)[1]
            prec = Precision.RANGE
        if end < start:
            raise _FieldError("until", "`until` is before `at`")
        recorded = self.now
        if get("recorded_at") is not None:
            recorded = self.time(row, "recorded_at", a.tz)[0]
        eid = get("id")
        if not eid:
            eid = new_id()
            self.generated.add(eid)
        values: dict[str, Any] = {
            "id": eid, "type": _ENTRY_TYPES[row["type"]], "agreement": a.id,
            "valid_from": start, "valid_to": end, "precision": prec, "recorded_at": recorded,
            "recorded_by": get("recorded_by") or self.recorded_by}
        for k, v in row.items():
            if k not in _TYPED_ONLY:
                values[k] = v
        if "sources" in values:
            values["sources"] = [self.source(s) for s in values["sources"]]
        if "outcomes" in values:
            values["outcomes"] = [Outcome.model_validate(o) for o in values["outcomes"]]
        return entry_from_values(values)


    def import_row(self, row: dict[str, Any], a: Agreement) -> tuple[tuple[Any, ...], Entry]:
        """An import's row: its columns for ``entries`` short of its place in the chain
        (``ledger.derived_columns`` and the canonical bytes, decoded), and its Entry (for
        the checks), from a validated row in one pass.

        The same values as :meth:`entry` builds the entry from, ``Entry.canonical`` and
        ``derived_columns`` give; the times' microseconds and canonical JSON are worked out
        once per distinct time (an import's rows share their dates), and the payload is
        written from those (orjson took half its time a row over the datetimes).
        """
        get = row.get
        tz = a.tz
        start, end, prec, vf_us, vt_us, vf_json, vt_json = self.span(
            row, "at", tz, get("precision"))
        if get("until") is not None:
            _, end, _, _, vt_us, _, vt_json = self.span(row, "until", tz)
            prec = Precision.RANGE
        if end < start:
            raise _FieldError("until", "`until` is before `at`")
        if get("recorded_at") is not None:
            recorded, _, _, rec_us, _, rec_json, _ = self.span(row, "recorded_at", tz)
        else:
            recorded, rec_us, rec_json = self._now
        eid = get("id")
        if not eid:
            eid = new_id()
            self.generated.add(eid)
        etype = _ENTRY_TYPES[row["type"]]
        by = get("recorded_by") or self.recorded_by
        # The entry's field dict, filled in place; the canonical bytes' values beside it.
        full = new_field_dict()
        full["id"], full["type"], full["agreement"] = eid, etype, a.id
        full["valid_from"], full["valid_to"], full["precision"] = start, end, prec
        full["recorded_at"], full["recorded_by"] = recorded, by
        fields_set = set(_BUILT)
        lean: dict[str, Any] = {"id": eid, "type": etype._value_, "agreement": a.id,
                                "valid_from": vf_json, "valid_to": vt_json,
                                "precision": prec._value_, "recorded_at": rec_json}
        if by is not None:
            lean["recorded_by"] = by
        for k, v in row.items():
            if k not in _TYPED_ONLY:
                full[k] = v
                fields_set.add(k)
                if v is not None and v != _LEFT_OUT[k]:
                    lean[k] = v
        if "sources" in fields_set:
            given = full["sources"]
            if type(given) is tuple:  # Source objects and their bytes: validated_import
                objs, fragment = given
                full["sources"] = list(objs)
            else:
                full["sources"], fragment = self.sources(given)
            if full["sources"]:
                lean["sources"] = fragment
            else:  # left at its default
                lean.pop("sources", None)
        if "outcomes" in fields_set:
            full["outcomes"] = [Outcome.model_validate(o) for o in full["outcomes"]]
            if "outcomes" in lean:
                lean["outcomes"] = full["outcomes"]
        entry = entry_of(full, fields_set)
        # ledger.derived_columns, from the values at hand
        code = VERIFICATION_CODE[full["verification"]]
        if code == _REPORTED and len(full["sources"]) >= 2 and len(entry.publishers()) >= 2:
            code = _CORROBORATED
        stream = stream_of(full)
        if stream is not None:
            stream = self.streams.setdefault(stream, stream)
        return (eid, full["agreement"], etype._value_, stream, vf_us, vt_us, rec_us,
                full["quantity"], code, full["target"],
                orjson.dumps(lean, default=_lean_model, option=_CANONICAL).decode()), entry


_ENTRY_TYPES = {t.value: t for t in EntryType} | {t: t for t in EntryType}
#: The fields every built entry sets.
_BUILT = frozenset({"id", "type", "agreement", "valid_from", "valid_to", "precision",
                    "recorded_at", "recorded_by"})


def _json_time(t: dt.datetime) -> orjson.Fragment:
    """A time's canonical JSON, as orjson writes it in an entry's canonical bytes."""
    return orjson.Fragment(orjson.dumps(t, option=_CANONICAL))


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
    # random's shared generator: seeded from the operating system and re-seeded in every
    # forked child (a private Random() would repeat its parent's ids in each worker).
    return f"{int(time.time() * 1000):012x}{random.getrandbits(80):020x}"


def references(e: Entry) -> tuple[Any, ...]:
    """The ids an entry names: entries naming the same ids need checking only once."""
    d = e.__dict__  # read as a dict: this runs for every row of an import
    return (d["actor"], d["recipient"], d["category"], d["measure"], d["facility"],
            d["provision"], d["reason"], tuple(d["via"]))


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
    d = e.__dict__  # read as a dict: this runs for every row of an import
    t = d["type"]
    if t in _SOURCED and not d["sources"]:
        raise _FieldError("sources", "a fact needs at least one source "
                          "(publisher, title, date, url, quote)")
    for field in _NEEDS.get(t, ()):
        if d[field] in (None, ""):
            raise _FieldError(field, f"a {t} entry needs {field}")
    if t == _IDENTIFICATION and not d["outcomes"]:
        raise _FieldError("outcomes", "an identification needs at least one outcome")
    actor = d["actor"]
    if t == _TRANSFER and actor and actor == d["recipient"]:
        raise _FieldError("recipient", f"a transfer goes from one party to another; "
                          f"{actor!r} is both")
    provision, category = d["provision"], d["category"]
    if provision and category and t in COUNTED_TYPES:
        owed = _category_of(a, provision)
        if owed and owed != category:
            raise _FieldError("provision", f"provision {provision!r} is about {owed!r}, "
                              f"not {category!r}")
    if t in _RARE_CHECKS:  # the checks of the types few rows have
        if t == _FACILITY_STATE and d["facility"]:
            fac = next(f for f in a.facilities if f.id == d["facility"])
            if d["state"] not in fac.states:
                raise _FieldError("state", f"{fac.id} has states {', '.join(fac.states)}; "
                                  f"got {d['state']!r}")
        if t == EntryType.VERIFICATION and d["state"] not in _SETTABLE:
            raise _FieldError("state", "a verification sets confirmed, disputed or reported")
        if t == EntryType.SOURCE and not d["sources"]:
            raise _FieldError("sources", "a source entry needs the source it attaches")
        if t == EntryType.CORRECTION and not d["changes"]:
            raise _FieldError("changes", "a correction needs the fields it changes")
    if a.restricted_fields and d["details"]:
        _check_restricted_placement(e, a)
    for check in entry_checks() if checks is None else checks:
        if t in check.types:
            check.check(e, a)


# Entry types as plain names: an enum member looked up on its class costs about 0.1 µs, and
# check_shape reads several of them for every row of an import.
_TRANSFER, _IDENTIFICATION = EntryType.TRANSFER, EntryType.IDENTIFICATION
_FACILITY_STATE = EntryType.FACILITY_STATE
#: The types that need a source (every fact but a statement).
_SOURCED = frozenset(FACT_TYPES - {EntryType.STATEMENT})
#: The types with checks of their own below the common ones in check_shape.
_RARE_CHECKS = frozenset({EntryType.FACILITY_STATE, EntryType.VERIFICATION, EntryType.SOURCE,
                          EntryType.CORRECTION})

#: The states a verification entry may set.
_SETTABLE = frozenset({Verification.CONFIRMED, Verification.DISPUTED, Verification.REPORTED})


def _category_of(a: Agreement, provision: str) -> str | None:
    """The category a provision is about (one an amendment adds included), if it has one."""
    found = next((p for p in a.provisions if p.id == provision), None)
    if found is not None:
        return getattr(found, "category", None)
    added = [d for am in a.amendments for d in am.add if d.get("id") == provision]
    return added[-1].get("category") if added else None


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


def _validated(items: list[Any], where: Callable[[int], str]) -> list[dict[str, Any]]:
    """Input rows as dicts of typed values: plain rows validated in one call (most of an
    import's validation time), EntryIn objects taken as they are."""
    if set(map(type, items)) <= {dict}:  # plain rows only (most imports): one pass fewer
        try:
            return rows_adapter().validate_python(items)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise _row_error({**err, "loc": err["loc"][1:]}, where(int(err["loc"][0]))) \
                from None
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


_CONTENT = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS  # see ContentIds.content


class ContentIds:
    """Ids for a file's rows that have none, derived from their content (and agreement), so
    importing the same file again adds nothing instead of every event a second time.

    Identical rows in one file stay separate events, as they were: the second gets the
    content's id numbered 1, the third 2, so a re-import numbers them the same way. The
    numbering runs over the whole file: one ContentIds per import, given its rows in order.
    """

    def __init__(self, agreement: str | None) -> None:
        self.agreement = agreement
        self._seen: dict[bytes, int] = {}  # a content's digest: how many times seen
        #: (position, digest, number) of each row the last ``given`` gave an id.
        self.assigned: list[tuple[int, bytes, int]] = []

    def content(self, row: dict[str, Any]) -> bytes:
        return orjson.dumps({"agreement": self.agreement, **row}, default=str,
                            option=_CONTENT)

    def number(self, digest: bytes) -> int:
        """The occurrence number of a content (by its digest) in the file so far."""
        n = self._seen[digest] = self._seen.get(digest, -1) + 1
        return n

    @staticmethod
    def make_id(content: bytes, digest: bytes, n: int) -> str:
        """The id of the ``n``-th (from 0) row of the file with this content."""
        if n:
            digest = hashlib.sha256(content + b"#%d" % n).digest()
        return "c" + digest.hex()[:31]

    def given(self, rows: Sequence[dict[str, Any] | EntryIn]) -> list[str | None]:
        """The ids of the rows (the next rows of the file) that have none, None for those
        that keep their own (see :func:`validated_import`: the rows are not copied)."""
        out: list[str | None] = []
        self.assigned = assigned = []
        seen, agreement, sha256, dumps = self._seen, self.agreement, hashlib.sha256, orjson.dumps
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or row.get("id"):  # an EntryIn is no dict
                out.append(None)
                continue
            content = dumps({"agreement": agreement, **row}, default=str,  # self.content
                            option=_CONTENT)
            digest = sha256(content).digest()
            n = seen[digest] = seen.get(digest, -1) + 1  # self.number
            assigned.append((i, digest, n))
            out.append(self.make_id(content, digest, n) if n else "c" + digest.hex()[:31])
        return out
