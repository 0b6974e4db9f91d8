"""Validation of site, team and custody entries, registered with the ledger like a plugin.

Each entry is checked alone against its agreement (shapes, ids, restricted placement), and
each batch is checked against what the ledger already holds, inside the append's
transaction: a custody link out of order (handed to the ICRC before it was recovered) or a
status change for a site nobody reported is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError

from ..agreement import Agreement
from ..errors import CeasefireError
from ..ledger import Entry, EntryType, FieldError, RowRefused
from ..registry import hookimpl
from ..storage import entries as entries_table
from .model import (
    COORDINATES,
    LINK_ORDER,
    LINK_TYPE,
    NAMES,
    REQUIRED_BEFORE,
    SITE_PERSONS,
    Coordinates,
    CustodyDetails,
    CustodyLink,
    SiteDetails,
    SiteStatus,
    TeamDetails,
)

SENSITIVE = (COORDINATES, SITE_PERSONS, NAMES)


def sensitive(e: Entry, key: str) -> Any:
    """A sensitive value: under `restricted`, or in `details` where the agreement allows it."""
    return e.restricted.get(key, e.details.get(key))


def _shape(model: type[BaseModel], e: Entry) -> Any:
    data = {k: v for k, v in e.details.items() if k not in SENSITIVE}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        msg = "required field is missing" if err["type"] == "missing" else err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown field for a {e.type} entry"
        raise FieldError(f"details.{loc}", msg) from None


def site_of(e: Entry) -> SiteDetails:
    return _shape(SiteDetails, e)  # type: ignore[no-any-return]


def team_of(e: Entry) -> TeamDetails:
    return _shape(TeamDetails, e)  # type: ignore[no-any-return]


def custody_of(e: Entry) -> CustodyDetails | None:
    """The custody link an entry records, if any (transfers and identifications may)."""
    if _records_custody(e.__dict__):
        return _shape(CustodyDetails, e)  # type: ignore[no-any-return]
    return None


# Entry types as plain names: an enum member looked up on its class costs about 0.1 µs, and
# these are read several times for every row of an import (``check``, ``wants``).
_SITE, _TEAM, _CUSTODY = EntryType.SITE, EntryType.TEAM, EntryType.CUSTODY
_TRANSFER, _IDENTIFICATION = EntryType.TRANSFER, EntryType.IDENTIFICATION
_CORRECTION = EntryType.CORRECTION
#: Types that record a custody link when their details name the remains.
_MAY_CARRY_CUSTODY = frozenset({_TRANSFER, _IDENTIFICATION})


def _records_custody(d: dict[str, Any]) -> bool:
    """Whether an entry (its field values) records a custody link: :func:`custody_of`
    without parsing it."""
    t = d["type"]
    return t == _CUSTODY or (t in _MAY_CARRY_CUSTODY and "remains" in d["details"])


def _members(a: Agreement) -> set[str]:
    return {m.id for r in a.rosters for m in r.members}


def _persons(e: Entry, key: str, a: Agreement) -> list[str]:
    value = sensitive(e, key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise FieldError(f"restricted.{key}", "expected a list of roster member ids")
    known = _members(a)
    for i, person in enumerate(value):
        if person not in known:
            raise FieldError(f"restricted.{key}.{i}", f"unknown roster member {person!r}; "
                             "expected a member id from the agreement's rosters")
    return value


def _party(a: Agreement, value: str | None, where: str) -> None:
    if value is not None and value not in a.known_ids["actor"]:
        raise FieldError(where, f"unknown party {value!r} in agreement {a.id}")


def _roster(a: Agreement, value: str | None, where: str) -> None:
    if value is not None and value not in {r.id for r in a.rosters}:
        raise FieldError(where, f"unknown roster {value!r} in agreement {a.id}")


class RemainsChecks:
    types = frozenset({EntryType.SITE.value, EntryType.TEAM.value, EntryType.CUSTODY.value,
                       EntryType.TRANSFER.value, EntryType.IDENTIFICATION.value})

    def check(self, e: Entry, a: Agreement) -> None:
        t = e.type
        if t in _MAY_CARRY_CUSTODY and "remains" not in e.details:
            return  # a plain transfer or identification (most rows of an import)
        if t == _SITE:
            d = site_of(e)
            _party(a, d.provided_by, "details.provided_by")
            _roster(a, d.roster, "details.roster")
            coords = sensitive(e, COORDINATES)
            if coords is not None:
                try:
                    Coordinates.model_validate(coords)
                except ValidationError as exc:
                    err = exc.errors()[0]
                    loc = ".".join(str(p) for p in err["loc"])
                    raise FieldError(f"restricted.{COORDINATES}.{loc}".rstrip("."),
                                     f"{err['msg']} (expected lat, lon, radius_m)") from None
            _persons(e, SITE_PERSONS, a)
            if d.status == SiteStatus.REPORTED and coords is None and not (
                    d.description or e.place):
                raise FieldError("details.description",
                                 "a reported site needs coordinates or a description")
        elif e.type == EntryType.TEAM:
            d2 = team_of(e)
            _party(a, d2.coordinates_from, "details.coordinates_from")
        else:
            link = custody_of(e)
            if link is None:
                return
            want = LINK_TYPE.get(link.link, EntryType.CUSTODY.value)
            if e.type != want:
                raise FieldError("details.link", f"a {link.link.value} link is recorded as a "
                                 f"{want} entry, not a {e.type.value} entry")
            _roster(a, link.roster, "details.roster")
            _persons(e, NAMES, a)
            if e.type == EntryType.TRANSFER and e.quantity != len(link.remains):
                raise FieldError("quantity", f"the handover moves {len(link.remains)} set(s) "
                                 f"of remains ({', '.join(link.remains)}), so quantity must "
                                 f"be {len(link.remains)}")
            if e.type == EntryType.IDENTIFICATION:
                if len(link.remains) != 1:
                    raise FieldError("details.remains", "identify one set of remains per entry")
                if sum(o.count for o in e.outcomes) != 1 or len(e.outcomes) != 1:
                    raise FieldError("outcomes", "one set of remains has one outcome, count 1")
            if link.link == CustodyLink.CROSSED and not e.facility:
                raise FieldError("facility", "a crossed link names the crossing (facility)")
            if link.link == CustodyLink.RECEIVED and not link.institute:
                raise FieldError("details.institute",
                                 "a received link names the institute that received it")

    @staticmethod
    def wants(e: Entry) -> bool:
        """The entries ``check_append`` reads: sites, custody links and corrections (which
        may correct one). Only these travel back from the workers of a large import."""
        d = e.__dict__  # read as a dict: this runs for every row of an import
        t = d["type"]
        return t == _SITE or _records_custody(d) or (t == _CORRECTION and d["target"] is not None)

    def check_append(self, conn: sa.Connection, batch: list[Entry],
                     agreements: Mapping[str, Agreement]) -> None:
        mine = {i for i, e in enumerate(batch) if _is_mine(e)}
        fixes = self._corrections(conn, batch)
        if not mine and not fixes:
            return
        keys: set[str] = set()
        for i in mine:
            keys |= _keys(batch[i])
        # A correction replays whole chains, and their links name sites: read them all
        # (corrections of custody entries are rare; new links read only what they name).
        state = LedgerState.load(conn, agreements, None if fixes else keys)
        for i, e in enumerate(batch):
            try:
                if i in mine:
                    state.admit(e)
                elif i in fixes:
                    state.revise(e, fixes[i][1], agreements[e.agreement])
            except FieldError as exc:
                raise RowRefused(i, exc.field, str(exc)) from None

    @staticmethod
    def _corrections(conn: sa.Connection, batch: list[Entry]) -> dict[int, tuple[Entry, Entry]]:
        """Corrections in the batch of site or custody entries, with what they correct."""
        fixes = {i: e for i, e in enumerate(batch)
                 if e.type == EntryType.CORRECTION and e.target}
        if not fixes:
            return {}
        wanted = {e.target for e in fixes.values()}
        found = {e.id: e for e in batch if e.id in wanted}
        rows = conn.execute(sa.select(entries_table.c.payload).where(
            entries_table.c.id.in_(sorted(wanted - set(found))))).scalars()
        found |= {e.id: e for e in (Entry.model_validate_json(p) for p in rows)}
        return {i: (e, found[e.target]) for i, e in fixes.items()
                if e.target in found and _is_mine(found[e.target])}


def _is_mine(e: Entry) -> bool:
    """Entries whose order this check keeps: sites and links of custody chains."""
    return e.type == _SITE or _records_custody(e.__dict__)


def _keys(e: Entry) -> set[str]:
    """The sites and sets of remains an entry is about."""
    return {str(v) for k in ("site", "remains") for v in _as_list(e.details.get(k))}


def corrected(base: Entry, fixes: list[Entry], tz: dt.tzinfo) -> Entry:
    """An entry as its corrections leave it (what the engine's views show)."""
    from ..facts import Item, apply_changes

    return apply_changes(base, [Item(0, f) for f in fixes], tz)


@dataclass
class Link:
    link: CustodyLink
    entry: Entry


@dataclass
class LedgerState:
    """Sites and custody chains as the ledger holds them, to judge one more entry."""

    chains: dict[tuple[str, str], list[Link]] = field(default_factory=lambda: defaultdict(list))
    sites: dict[tuple[str, str], list[Entry]] = field(default_factory=lambda: defaultdict(list))
    #: Every entry held, in ledger order (what a revision replays).
    order: list[Entry] = field(default_factory=list)

    @classmethod
    def load(cls, conn: sa.Connection, agreements: Mapping[str, Agreement],
             keys: set[str] | None = None) -> LedgerState:
        """Sites and chains of the agreements; only those naming ``keys`` when given few.

        Narrowing by the ids a batch names keeps one more link from rereading every chain
        (a text match on the stored JSON finds a superset; the parse keeps the right ones).
        Retracted entries are left out and corrected ones taken as corrected.
        """
        t = entries_table
        query = sa.select(t.c.id, t.c.payload).where(
            t.c.agreement.in_(sorted(agreements)),
            t.c.type.in_([EntryType.SITE.value, EntryType.CUSTODY.value,
                          EntryType.TRANSFER.value, EntryType.IDENTIFICATION.value]),
            t.c.payload.contains('"details":'))
        if keys is not None and len(keys) <= 50:
            query = query.where(sa.or_(*(t.c.payload.contains(f'"{k}"', autoescape=True)
                                      for k in sorted(keys))))
        rows = conn.execute(query.order_by(t.c.seq)).all()
        ids = [r[0] for r in rows]
        withdrawn: set[str] = set()
        fixes: dict[str, list[Entry]] = defaultdict(list)
        for k in range(0, len(ids), 500):
            for kind, target, payload in conn.execute(
                    sa.select(t.c.type, t.c.target, t.c.payload).where(
                        t.c.type.in_([EntryType.RETRACTION.value, EntryType.CORRECTION.value]),
                        t.c.target.in_(ids[k:k + 500])).order_by(t.c.seq)):
                if kind == EntryType.RETRACTION.value:
                    withdrawn.add(target)
                else:
                    fixes[target].append(Entry.model_validate_json(payload))
        state = cls()
        for eid, payload in rows:
            if eid not in withdrawn:
                e = Entry.model_validate_json(payload)
                if eid in fixes:
                    e = corrected(e, fixes[eid], agreements[e.agreement].tz)
                state.add(e)
        return state

    def add(self, e: Entry) -> None:
        self.order.append(e)
        if e.type == EntryType.SITE:
            self.sites[(e.agreement, str(e.details.get("site")))].append(e)
            return
        link = custody_of(e)
        if link is not None:
            for r in link.remains:
                self.chains[(e.agreement, r)].append(Link(link.link, e))

    def revise(self, fix: Entry, target: Entry, agreement: Agreement) -> None:
        """Raise FieldError if correcting ``target`` would break its site's history or a
        custody chain (a link moved before the one it follows, a chain re-pointed at other
        remains); else hold the corrected version.

        The chains the entry is in, before and after the correction, are replayed from
        their first link with the corrected entry in its place.
        """
        base = next((e for e in self.order if e.id == target.id), target)
        try:
            fixed = corrected(base, [fix], agreement.tz)
            RemainsChecks().check(fixed, agreement)
        except FieldError as exc:
            raise FieldError("changes", f"the corrected entry {target.id} would not be "
                             f"valid: {exc.field}: {exc}") from None
        except (ValidationError, ValueError, CeasefireError) as exc:
            raise FieldError("changes", f"cannot apply these changes to {target.id}: "
                             f"{exc}") from None
        touched = _keys(base) | _keys(fixed)
        held = any(e.id == target.id for e in self.order)
        order = [fixed if e.id == target.id else e for e in self.order] + \
            ([] if held else [fixed])
        replay = LedgerState()
        for e in order:
            if e.agreement == fixed.agreement and (
                    _keys(e) & touched or e.type == EntryType.SITE):  # links name sites
                try:
                    replay.admit(e)
                except FieldError as exc:
                    raise FieldError("changes", f"with this correction of {target.id}, "
                                     f"{exc}") from None
        self.order, self.chains, self.sites = [], defaultdict(list), defaultdict(list)
        for e in order:
            self.add(e)

    def admit(self, e: Entry) -> None:
        """Raise FieldError if the entry does not follow from what is recorded; else add it."""
        if e.type == EntryType.SITE:
            self._admit_site(e)
        else:
            link = custody_of(e)
            assert link is not None
            if link.site and (e.agreement, link.site) not in self.sites:
                raise FieldError("details.site", f"unknown site {link.site!r}: report the "
                                 "site before recording remains recovered there")
            for r in link.remains:
                self._admit_link(e, r, link.link)
        self.add(e)

    def _admit_site(self, e: Entry) -> None:
        d = site_of(e)
        history = self.sites.get((e.agreement, d.site), [])
        if not history and d.status != SiteStatus.REPORTED:
            raise FieldError("details.site", f"site {d.site!r} has not been reported; its "
                             f"first entry must have status 'reported', not {d.status.value!r}")
        if history:
            last = site_of(history[-1]).status
            if d.status == SiteStatus.REPORTED and last != SiteStatus.CLOSED:
                raise FieldError("details.status", f"site {d.site!r} is already reported "
                                 f"(entry {history[0].id}); record a change of status instead")
            if last == SiteStatus.CLOSED and d.status != SiteStatus.REPORTED:
                raise FieldError("details.status", f"site {d.site!r} is closed; report it "
                                 "again (status 'reported') to reopen it")
            if e.valid_to < history[-1].valid_from:
                raise FieldError("at", f"site {d.site!r}: this change is dated before the "
                                 f"last recorded one ({history[-1].id})")

    def _admit_link(self, e: Entry, remains: str, link: CustodyLink) -> None:
        chain = self.chains.get((e.agreement, remains), [])
        done = [x.link for x in chain]
        so_far = " → ".join(x.value for x in done) or "nothing recorded yet"
        order = " → ".join(x.value for x in LINK_ORDER)
        if link == CustodyLink.RECOVERED and done:
            raise FieldError("details.remains", f"remains {remains!r} are already recorded "
                             f"(chain so far: {so_far}); an identifier is used once")
        if link != CustodyLink.HELD and link in done:
            raise FieldError("details.link", f"remains {remains!r}: {link.value} is already "
                             f"recorded (chain so far: {so_far})")
        missing = [x for x in REQUIRED_BEFORE.get(link, ()) if x not in done]
        if missing:
            raise FieldError("details.link", f"remains {remains!r}: cannot record "
                             f"{link.value} before {missing[0].value} (chain so far: "
                             f"{so_far}; the order is {order})")
        later = [x for x in done if LINK_ORDER.index(x) > LINK_ORDER.index(link)]
        if later:
            raise FieldError("details.link", f"remains {remains!r}: cannot record "
                             f"{link.value} after {later[0].value} (chain so far: {so_far}; "
                             f"the order is {order})")
        if chain:
            prev = max(chain, key=lambda x: (x.entry.valid_from, LINK_ORDER.index(x.link)))
            if e.valid_to < prev.entry.valid_from:
                raise FieldError("at", f"remains {remains!r}: {link.value} is dated "
                                 f"{_day(e.valid_to)}, before the {prev.link.value} link "
                                 f"({_day(prev.entry.valid_from)})")
        if link == CustodyLink.IDENTIFIED:
            handover = next(x.entry for x in chain if x.link == CustodyLink.HANDED_OVER)
            if e.target != handover.id:
                raise FieldError("target", f"remains {remains!r} were handed over in entry "
                                 f"{handover.id!r}; the identification must point at it")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _day(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M UTC")


@hookimpl
def ceasefire_entry_checks() -> list[RemainsChecks]:
    return [RemainsChecks()]
