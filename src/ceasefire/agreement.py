"""Agreements as data: the YAML format, its validation, and the terms in force on a date.

An agreement file is checked in two passes. Pydantic checks each value's shape; then
:func:`_check_references` checks what only the whole file can tell (unknown ids, cycles
among conditions). Both report the file, the line and the field, because the people who
write these files are mediators' staff, not programmers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Union

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from .errors import AgreementError
from .sources import Citation, SourceDoc
from .times import zone

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(StrEnum):
    PARTY = "party"
    INTERMEDIARY = "intermediary"
    GUARANTOR = "guarantor"
    MONITOR = "monitor"


class Party(Strict):
    id: Id
    name: str
    role: Role = Role.PARTY
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names texts use for it (for reading reports: `ceasefire ingest`).")


class Category(Strict):
    id: Id
    name: str
    unit: str = Field(description="What one counts: person, body, truck ...")
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names texts use for it (for reading reports: `ceasefire ingest`).")


class Measure(Strict):
    """A number defined by who counts it and how; two measures are never added together."""

    id: Id
    category: Id
    name: str
    definition: str
    counted_by: str | None = None
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names texts use for it (for reading reports: `ceasefire ingest`).")


class Facility(Strict):
    id: Id
    name: str
    kind: str = "crossing"
    states: list[str] = Field(default_factory=lambda: ["open", "closed"])
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names texts use for it (for reading reports: `ceasefire ingest`).")


class Member(Strict):
    """One person a roster covers. Names not already public are restricted."""

    id: Id
    name: str | None = None
    public: bool = False
    attributes: dict[str, str | int | bool] = Field(default_factory=dict)


class Roster(Strict):
    """A list whose size is what "all" means (all hostages); amendments can grow it."""

    id: Id
    category: Id
    size: int = Field(ge=0)
    source: Citation
    members: list[Member] = Field(default_factory=list)


class Negotiation(StrEnum):
    AGREED = "agreed"
    PROPOSED = "proposed"
    UNDER_NEGOTIATION = "under_negotiation"


# --- conditions and deadlines ---------------------------------------------------------------


class Fulfilled(Strict):
    fulfilled: Id = Field(description="A provision that must be fulfilled.")


class PhaseComplete(Strict):
    phase_complete: Id


class PhaseOpen(Strict):
    phase_open: Id


class OnOrAfter(Strict):
    on_or_after: dt.datetime | dt.date


class EventMatch(Strict):
    type: str
    provision: Id | None = None
    actor: Id | None = None
    facility: Id | None = None
    state: str | None = None


class EventHappened(Strict):
    event: EventMatch


class AllOf(Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(Strict):
    any: list[Condition] = Field(min_length=1)


Condition = Union[Fulfilled, PhaseComplete, PhaseOpen, OnOrAfter, EventHappened, AllOf, AnyOf]  # noqa: UP007
AllOf.model_rebuild()
AnyOf.model_rebuild()


class RelativeDeadline(Strict):
    """'Within 72 hours of X': the moment X became true, plus an offset."""

    after: Condition
    hours: int = 0
    days: int = 0


class AbsoluteDeadline(Strict):
    at: dt.datetime | dt.date


Deadline = Union[AbsoluteDeadline, RelativeDeadline]  # noqa: UP007


def condition_refs(cond: Condition | None) -> Iterator[tuple[str, str]]:
    """The (kind, id) pairs a condition depends on: ('provision', x) or ('phase', x)."""
    if cond is None:
        return
    if isinstance(cond, Fulfilled):
        yield "provision", cond.fulfilled
    elif isinstance(cond, PhaseComplete):
        yield "phase", cond.phase_complete
    elif isinstance(cond, PhaseOpen):
        yield "phase_open", cond.phase_open
    elif isinstance(cond, EventHappened):
        if cond.event.provision:
            yield "event_provision", cond.event.provision
    elif isinstance(cond, AllOf | AnyOf):
        for sub in cond.all if isinstance(cond, AllOf) else cond.any:
            yield from condition_refs(sub)


def describe_condition(cond: Condition) -> str:
    if isinstance(cond, Fulfilled):
        return f"{cond.fulfilled} fulfilled"
    if isinstance(cond, PhaseComplete):
        return f"{cond.phase_complete} complete"
    if isinstance(cond, PhaseOpen):
        return f"{cond.phase_open} open"
    if isinstance(cond, OnOrAfter):
        return f"on or after {cond.on_or_after}"
    if isinstance(cond, EventHappened):
        e = cond.event
        bits = [e.type] + [f"{k}={v}" for k, v in e.model_dump(exclude={"type"}).items() if v]
        return "event " + " ".join(bits)
    if isinstance(cond, AllOf):
        return " and ".join(describe_condition(c) for c in cond.all)
    return " or ".join(describe_condition(c) for c in cond.any)


# --- provisions ------------------------------------------------------------------------------


class ProvisionBase(Strict):
    """What every provision has; each kind (see :mod:`ceasefire.kinds`) adds its terms."""

    id: Id
    kind: str
    title: str
    text: str = Field(description="The promise in the agreement's words (or a close summary).")
    source: Citation
    negotiation: Negotiation = Negotiation.AGREED
    phase: Id | None = None
    by: Id | None = Field(default=None, description="The party that owes it.")
    to: Id | None = Field(default=None, description="The party it is owed to.")
    condition: Condition | None = Field(
        default=None, description="Not due (blocked) until this holds.")
    deadline: Deadline | None = None

    def problems(self, a: Agreement) -> Iterator[tuple[tuple[Any, ...], str]]:
        """(field path, message) for terms that name real ids but cannot work together
        with the rest of the agreement (a ratio over a milestone, a state the facility
        never takes); kinds extend it. Checked after every id is known to exist."""
        return iter(())

    def references(self) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        """(kind, id, field path) for every id this provision names; kinds extend it."""
        for field in ("by", "to"):
            value = getattr(self, field)
            if value:
                yield "party", value, (field,)
        if self.phase:
            yield "phase", self.phase, ("phase",)
        for kind, ref in condition_refs(self.condition):
            yield kind, ref, ("condition",)
        if isinstance(self.deadline, RelativeDeadline):
            for kind, ref in condition_refs(self.deadline.after):
                yield kind, ref, ("deadline",)


class Phase(Strict):
    id: Id
    name: str
    description: str | None = None
    opens: Condition | None = Field(
        default=None, description="The phase opens when this holds; with none it is open.")


class Amendment(Strict):
    """A dated, sourced change of terms; an as-of view applies those in force on its date."""

    id: Id
    effective: dt.datetime | dt.date
    source: Citation
    description: str
    set: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="provision id -> fields replaced")
    add: list[dict[str, Any]] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)
    rosters: dict[str, int] = Field(default_factory=dict, description="roster id -> new size")


class Agreement(Strict):
    id: Id
    name: str
    version: str = "1"
    timezone: str = "UTC"
    signed: dt.date | None = None
    sources: dict[str, SourceDoc]
    parties: list[Party] = Field(min_length=1)
    categories: list[Category] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    facilities: list[Facility] = Field(default_factory=list)
    rosters: list[Roster] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    provisions: list[SerializeAsAny[ProvisionBase]]
    amendments: list[Amendment] = Field(default_factory=list)
    restricted_fields: list[str] = Field(
        default_factory=lambda: ["coordinates", "names", "site_person_links"],
        description="Entry fields visible only to roles cleared for restricted data.")

    @model_validator(mode="after")
    def _timezone_known(self) -> Agreement:
        zone(self.timezone)
        return self

    @cached_property
    def tz(self) -> dt.tzinfo:
        return zone(self.timezone)

    @cached_property
    def known_ids(self) -> dict[str, frozenset[str]]:
        """Ids an entry field may name, per field (computed once, used for every row)."""
        parties = frozenset(p.id for p in self.parties)
        provisions = frozenset(p.id for p in self.provisions) | {
            d["id"] for am in self.amendments for d in am.add if "id" in d}
        return {"actor": parties, "recipient": parties,
                "category": frozenset(c.id for c in self.categories),
                "measure": frozenset(m.id for m in self.measures),
                "facility": frozenset(f.id for f in self.facilities),
                "provision": provisions, "reason": provisions}

    def provision(self, pid: str) -> ProvisionBase:
        for p in self.provisions:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def party(self, pid: str) -> Party:
        return next(p for p in self.parties if p.id == pid)

    def roster(self, rid: str) -> Roster:
        return next(r for r in self.rosters if r.id == rid)

    def name_of(self, ident: str | None) -> str:
        """A human name for a party, category, facility, measure or provision id."""
        if ident is None:
            return "—"
        for group in (self.parties, self.categories, self.facilities, self.measures,
                      self.phases, self.rosters):
            for item in group:
                if item.id == ident:
                    return getattr(item, "name", None) or ident
        for p in self.provisions:
            if p.id == ident:
                return p.title
        return ident

    def in_force(self, at: dt.datetime) -> Agreement:
        """The terms in force at ``at``: amendments effective by then applied in date order."""
        due = [a for a in self.amendments if _effective(a, self.tz) <= at]
        if not due:
            return self
        return _apply_amendments(self, sorted(due, key=lambda a: _effective(a, self.tz)))


def _effective(a: Amendment, tz: dt.tzinfo) -> dt.datetime:
    eff = a.effective
    if isinstance(eff, dt.datetime):
        return eff if eff.tzinfo else eff.replace(tzinfo=tz)
    return dt.datetime.combine(eff, dt.time(0), tzinfo=tz)


def _apply_amendments(agreement: Agreement, amendments: list[Amendment]) -> Agreement:
    from .registry import provision_adapter

    adapter = provision_adapter()
    provisions = {p.id: p for p in agreement.provisions}
    rosters = {r.id: r for r in agreement.rosters}
    for a in amendments:
        for pid in a.remove:
            provisions.pop(pid, None)
        for pid, changes in a.set.items():
            merged = provisions[pid].model_dump(mode="json", exclude_none=True) | changes
            provisions[pid] = adapter.validate_python(merged)
        for raw in a.add:
            p = adapter.validate_python(raw)
            provisions[p.id] = p
        for rid, size in a.rosters.items():
            rosters[rid] = rosters[rid].model_copy(update={"size": size})
    return agreement.model_copy(update={
        "provisions": list(provisions.values()), "rosters": list(rosters.values()),
        "amendments": []})


# --- loading ---------------------------------------------------------------------------------


#: libyaml's parser when PyYAML was built with it (the wheels are), else the pure-Python one.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Lines:
    """Path of every value in a YAML document -> its 1-based line number.

    Computed only when an error needs a line: valid agreements are parsed on every start,
    and walking the node tree again would double the cost of loading them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._map: dict[tuple[Any, ...], int] | None = None

    @property
    def map(self) -> dict[tuple[Any, ...], int]:
        if self._map is None:
            self._map = {}
            root = yaml.compose(self.text, Loader=FAST_LOADER)
            if root is not None:
                self._walk(root, ())
        return self._map

    def _walk(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        lines = self.map
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                k = key.value
                self._walk(value, (*path, k))
                lines[(*path, k)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i))

    def __contains__(self, path: object) -> bool:
        return path in self.map

    def get(self, path: tuple[Any, ...]) -> int | None:
        return self.map.get(path)


def _where(name: str, lines: Lines, loc: tuple[Any, ...]) -> str:
    path = tuple(loc)
    while path and path not in lines:
        path = path[:-1]
    line = lines.get(path)
    field = ".".join(str(p) for p in loc) or "(document)"
    return f"{name}, line {line}, field {field}" if line else f"{name}, field {field}"


def _first_error(exc: ValidationError) -> tuple[tuple[Any, ...], str]:
    """The most useful of pydantic's errors: the deepest one, with its location cleaned."""
    errors = sorted(exc.errors(), key=lambda e: -len(e["loc"]))
    err = errors[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (
        p[0].isupper() or p.startswith("function-") or "[" in p)))
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown field (check its spelling against `ceasefire agreements schema`)"
    elif err["type"] == "missing":
        msg = "required field is missing"
    return loc, msg


def parse_agreement(text: str, name: str = "<agreement>") -> Agreement:
    """Validate an agreement from YAML text; errors name the file, line and field."""
    from .registry import provision_adapter

    try:
        raw = yaml.load(text, Loader=FAST_LOADER)
        lines = Lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}, line {mark.line + 1}" if mark else name
        raise AgreementError(f"not valid YAML: {getattr(exc, 'problem', exc)}",
                             where=where) from None
    if not isinstance(raw, dict):
        raise AgreementError("expected a mapping with id, name, parties and provisions",
                             where=name)
    adapter = provision_adapter()
    provisions = []
    raw_provisions = raw.get("provisions")
    if not isinstance(raw_provisions, list) or not raw_provisions:
        raise AgreementError("expected a non-empty list of provisions",
                             where=_where(name, lines, ("provisions",)))
    for i, item in enumerate(raw_provisions):
        try:
            provisions.append(adapter.validate_python(item))
        except ValidationError as exc:
            loc, msg = _first_error(exc)
            if loc and isinstance(item, dict) and loc[0] == item.get("kind"):
                loc = loc[1:]  # the discriminator's tag, not a field
            raise AgreementError(msg, where=_where(name, lines, ("provisions", i, *loc))) from None
    try:
        agreement = Agreement.model_validate({**raw, "provisions": provisions})
    except ValidationError as exc:
        loc, msg = _first_error(exc)
        raise AgreementError(msg, where=_where(name, lines, loc)) from None
    _check_references(agreement, name, lines)
    for i, amendment in enumerate(agreement.amendments):
        try:
            amended = _apply_amendments(agreement, [amendment])
        except KeyError as exc:
            raise AgreementError(f"amendment names unknown id {exc.args[0]!r}",
                                 where=_where(name, lines, ("amendments", i))) from None
        except ValidationError as exc:
            loc, msg = _first_error(exc)
            raise AgreementError(msg, where=_where(name, lines, ("amendments", i, *loc))) from None
        _check_references(amended, name, lines, prefix=("amendments", i))
    return agreement


def _check_references(a: Agreement, name: str, lines: Lines,
                      prefix: tuple[Any, ...] = ()) -> None:
    known: dict[str, set[str]] = {
        "party": {p.id for p in a.parties},
        "category": {c.id for c in a.categories},
        "measure": {m.id for m in a.measures},
        "facility": {f.id for f in a.facilities},
        "roster": {r.id for r in a.rosters},
        "phase": {p.id for p in a.phases},
        "provision": {p.id for p in a.provisions},
        "source": set(a.sources),
    }
    known["phase_open"] = known["phase"]
    known["event_provision"] = known["provision"]

    def fail(msg: str, loc: tuple[Any, ...]) -> None:
        raise AgreementError(msg, where=_where(name, lines, prefix + loc if prefix else loc))

    for group in ("parties", "categories", "measures", "facilities", "rosters", "phases",
                  "provisions"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(a, group)):
            if item.id in seen:
                fail(f"duplicate id {item.id!r}", (group, i, "id"))
            seen.add(item.id)
    for i, m in enumerate(a.measures):
        if m.category not in known["category"]:
            fail(f"unknown category {m.category!r}", ("measures", i, "category"))
    for i, r in enumerate(a.rosters):
        if r.category not in known["category"]:
            fail(f"unknown category {r.category!r}", ("rosters", i, "category"))
        if r.source.ref not in known["source"]:
            fail(f"unknown source {r.source.ref!r}", ("rosters", i, "source", "ref"))
    for i, ph in enumerate(a.phases):
        for kind, ref in condition_refs(ph.opens):
            if ref not in known[kind]:
                fail(f"unknown {kind.split('_')[0]} {ref!r}", ("phases", i, "opens"))
    for i, p in enumerate(a.provisions):
        if p.source.ref not in known["source"]:
            fail(f"unknown source {p.source.ref!r}", ("provisions", i, "source", "ref"))
        for kind, ref, path in p.references():
            if ref not in known[kind]:
                label = kind.split("_")[0]
                fail(f"unknown {label} {ref!r} (not declared in the agreement's {label} list)",
                     ("provisions", i, *path))
            if kind == "provision" and ref == p.id:
                fail("a provision cannot depend on itself", ("provisions", i, *path))
        for path, msg in p.problems(a):
            fail(msg, ("provisions", i, *path))
    cycle = find_cycle(a)
    if cycle:
        first = cycle[0]
        index = next((i for i, p in enumerate(a.provisions) if p.id == first), None)
        loc = ("provisions", index) if index is not None else ("phases",)
        fail("conditions form a cycle: " + " -> ".join(cycle), loc)


def dependency_graph(a: Agreement) -> dict[str, set[str]]:
    """Node -> nodes it needs evaluated first. Nodes are provision ids and 'phase:<id>'."""
    graph: dict[str, set[str]] = {}
    for ph in a.phases:
        node = f"phase:{ph.id}"
        graph.setdefault(node, set())
        graph[f"phase-open:{ph.id}"] = {_node(k, r) for k, r in condition_refs(ph.opens)}
        graph[node].add(f"phase-open:{ph.id}")
    for p in a.provisions:
        deps = {_node(k, r) for k, r, _ in p.references() if k in (
            "provision", "phase", "phase_open", "event_provision") and not (
            k == "phase" and r == p.phase)}
        graph[p.id] = deps | ({f"phase-open:{p.phase}"} if p.phase else set())
        if p.phase:
            graph.setdefault(f"phase:{p.phase}", set()).add(p.id)
    return graph


def _node(kind: str, ref: str) -> str:
    if kind == "phase":
        return f"phase:{ref}"
    if kind == "phase_open":
        return f"phase-open:{ref}"
    return ref


def find_cycle(a: Agreement) -> list[str] | None:
    graph = dependency_graph(a)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def evaluation_order(a: Agreement) -> list[str]:
    """Provision ids and phase nodes, each after everything it depends on."""
    graph = dependency_graph(a)
    order: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> None:
        if node in done:
            return
        done.add(node)
        for nxt in sorted(graph.get(node, ())):
            visit(nxt)
        order.append(node)

    for node in sorted(graph):
        visit(node)
    return order


def load_agreement(path: str | Path) -> Agreement:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AgreementError("file not found", where=str(p)) from None
    except UnicodeDecodeError:
        raise AgreementError("not UTF-8 text; expected a YAML agreement file",
                             where=str(p)) from None
    return parse_agreement(text, str(p))


def bundled_agreement_texts() -> dict[str, str]:
    """Agreement id -> YAML text for the agreements that ship with ceasefire."""
    folder = resources.files("ceasefire") / "data" / "agreements"
    return {f.name.removesuffix(".yaml"): f.read_text(encoding="utf-8")
            for f in folder.iterdir() if f.name.endswith(".yaml")}


def agreement_schema() -> dict[str, Any]:
    """JSON Schema for agreement files, for editors; provisions are one of the kinds."""
    from .registry import provision_union

    schema = Agreement.model_json_schema()
    adapter: TypeAdapter[Any] = TypeAdapter(list[provision_union()])  # type: ignore[misc,arg-type]
    union_schema = adapter.json_schema(ref_template="#/$defs/{model}")
    defs = schema.setdefault("$defs", {})
    defs.update(union_schema.pop("$defs", {}))
    schema["properties"]["provisions"] = union_schema
    schema["title"] = "ceasefire agreement"
    return schema

