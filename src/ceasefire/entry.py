"""Ledger entries: the typed, sourced record of one thing that happened (or a comment on
another entry), and the canonical bytes the hash chain is computed over.

Input rows become entries in :mod:`ceasefire.intake`; the chain that stores them is
:mod:`ceasefire.ledger`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from .agreement import Id
from .sources import Source
from .times import Precision

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
        return stream_of(self.__dict__)

    def publishers(self) -> set[str]:
        return {s.publisher.strip().lower() for s in self.sources}

    def canonical(self) -> bytes:
        """The bytes the chain hashes: sorted keys, unset and default fields left out.

        Written with orjson straight from the field values (pydantic's ``model_dump`` cost
        as much as the rest of an import together); ``tests/test_ledger.py`` holds it equal
        to the ``model_dump`` form the first ledgers were written with.
        """
        values = self.__dict__  # unset fields hold their defaults, which are left out
        lean = {k: v for k in self.__pydantic_fields_set__
                if (v := values[k]) is not None and v != _LEFT_OUT[k]}
        if "sources" in lean:
            lean["sources"] = _sources_json(lean["sources"])
        return orjson.dumps(lean, default=_lean_model, option=_CANONICAL)

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


def stream_of(d: dict[str, Any]) -> str | None:
    """:meth:`Entry.stream` of an entry's field values (its ``__dict__``): read as a dict,
    this runs for every row of an import."""
    if (d["type"] not in COUNTED_TYPES or d["target"] or d["quantity"] is None
            or d["reason"] or d["restricted"] or d["details"]):
        return None
    return "|".join([d["agreement"], d["type"], d["actor"] or "", d["recipient"] or "",
                     d["category"] or "", d["measure"] or "", d["facility"] or "",
                     d["provision"] or "", d["kind"] or ""])


def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    return {k: f.get_default(call_default_factory=True) for k, f in model.model_fields.items()
            if not f.is_required()}


_ENTRY_DEFAULTS = _defaults(Entry)
_ENTRY_FACTORIES = {k: f.default_factory for k, f in Entry.model_fields.items()
                    if f.default_factory is not None}
_NESTED_DEFAULTS = {Source: _defaults(Source), Outcome: _defaults(Outcome)}
#: Every field, in order, at its default (None where it has none): see entry_from_values.
_TEMPLATE = {k: _ENTRY_DEFAULTS.get(k) for k in Entry.model_fields}


_REQUIRED = object()  # the "default" of a required field: equal to no value


def _lean(values: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """Values without those left at their default (what ``exclude_defaults`` drops)."""
    return {k: v for k, v in values.items()
            if v is not None and v != defaults.get(k, _REQUIRED)}


def _lean_model(m: Any) -> Any:
    if isinstance(m, BaseModel):
        return _lean(m.__dict__, _NESTED_DEFAULTS.get(type(m), {}))
    raise TypeError(f"cannot serialise {type(m).__name__}")


_CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z
#: The value each field is left out of the canonical bytes at (its default; a required
#: field's is a value equal to nothing).
_LEFT_OUT = {k: _ENTRY_DEFAULTS.get(k, _REQUIRED) for k in Entry.model_fields}
#: Each source's part of the canonical bytes, by the (frozen) source object: the rows of an
#: import cite a few sources many times over. Holding the source keeps its id unique.
_SOURCE_JSON: dict[int, tuple[Source, bytes]] = {}


def _sources_json(sources: list[Source]) -> orjson.Fragment:
    """A list of sources as canonical JSON (each source sorted and lean, as orjson would
    write it in place: a fragment is written as it is, unsorted)."""
    parts = []
    for s in sources:
        known = _SOURCE_JSON.get(id(s))
        if known is None or known[0] is not s:
            if len(_SOURCE_JSON) >= 10_000:
                _SOURCE_JSON.clear()
            known = _SOURCE_JSON[id(s)] = (s, orjson.dumps(_lean_model(s), option=_CANONICAL))
        parts.append(known[1])
    return orjson.Fragment(b"[" + b",".join(parts) + b"]")


def entry_from_values(values: dict[str, Any]) -> Entry:
    """An Entry from values already validated field by field, without validating again.

    What pydantic's ``model_construct`` does, minus its per-call inspection of default
    factories (measured at 200 µs a row).
    """
    full = new_field_dict()
    full.update(values)
    return entry_of(full, set(values))


def new_field_dict() -> dict[str, Any]:
    """Every field of an entry at its default, in order (for :func:`entry_of`)."""
    full = _TEMPLATE.copy()  # every field already in place: the dict is never resized
    # a new list or dict for each entry (see _FRESH)
    full["via"], full["outcomes"], full["sources"] = [], [], []
    full["changes"], full["restricted"], full["details"] = {}, {}, {}
    return full


def entry_of(full: dict[str, Any], fields_set: set[str]) -> Entry:
    """An Entry holding ``full`` (from :func:`new_field_dict`, its values set and valid) as
    its field dict, ``fields_set`` the names of the fields given (not left at default)."""
    e = _new_entry(Entry)
    _set(e, "__dict__", full)
    _set_fields_set(e, fields_set)  # pydantic's slots, set through their descriptors
    _set_extra(e, None)
    _set_private(e, None)
    return e


#: The fields whose default is a new list or dict for each entry (written out in
#: ``entry_from_values``: a literal is made faster than a factory is called).
_FRESH = {"via": list, "outcomes": list, "changes": dict, "sources": list, "restricted": dict,
          "details": dict}
if _FRESH != _ENTRY_FACTORIES:
    raise RuntimeError("entry_from_values must make the new defaults of "
                       f"{sorted(_ENTRY_FACTORIES)}")
_new_entry = Entry.__new__
_set = object.__setattr__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
