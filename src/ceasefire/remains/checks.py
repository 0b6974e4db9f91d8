"""Validation of site, team and custody entries, registered with the ledger like a plugin.

Each entry is checked alone against its agreement (shapes, ids, restricted placement), and
each batch is checked against what the ledger already holds, inside the append's
transaction: a custody link out of order (handed to the ICRC before it was recovered) or a
status change for a site nobody reported is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError

from ..agreement import Agreement
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
    if e.type == EntryType.CUSTODY or (
            e.type in (EntryType.TRANSFER, EntryType.IDENTIFICATION) and "remains" in e.details):
        return _shape(CustodyDetails, e)  # type: ignore[no-any-return]
    return None


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
        if e.type == EntryType.SITE:
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

    def check_append(self, conn: sa.Connection, batch: list[Entry]) -> None:
        mine = [(i, e) for i, e in enumerate(batch)
                if e.type in (EntryType.SITE, EntryType.CUSTODY)
                or (e.type in (EntryType.TRANSFER, EntryType.IDENTIFICATION)
                    and "remains" in e.details)]
        if not mine:
            return
        keys: set[str] = set()
        for _, e in mine:
            keys.update(str(v) for k in ("site", "remains") for v in _as_list(e.details.get(k)))
        state = LedgerState.load(conn, {e.agreement for _, e in mine}, keys)
        for i, e in mine:
            try:
                state.admit(e)
            except FieldError as exc:
                raise RowRefused(i, exc.field, str(exc)) from None


@dataclass
class Link:
    link: CustodyLink
    entry: Entry


@dataclass
class LedgerState:
    """Sites and custody chains as the ledger holds them, to judge one more entry."""

    chains: dict[tuple[str, str], list[Link]] = field(default_factory=lambda: defaultdict(list))
    sites: dict[tuple[str, str], list[Entry]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, conn: sa.Connection, agreements: set[str],
             keys: set[str] | None = None) -> LedgerState:
        """Sites and chains of the agreements; only those naming ``keys`` when given few.

        Narrowing by the ids a batch names keeps one more link from rereading every chain
        (a text match on the stored JSON finds a superset; the parse keeps the right ones).
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
        for k in range(0, len(ids), 500):
            withdrawn |= set(conn.execute(sa.select(t.c.target).where(
                t.c.type == EntryType.RETRACTION.value,
                t.c.target.in_(ids[k:k + 500]))).scalars())
        state = cls()
        for eid, payload in rows:
            if eid not in withdrawn:
                state.add(Entry.model_validate_json(payload))
        return state

    def add(self, e: Entry) -> None:
        if e.type == EntryType.SITE:
            self.sites[(e.agreement, str(e.details.get("site")))].append(e)
            return
        link = custody_of(e)
        if link is not None:
            for r in link.remains:
                self.chains[(e.agreement, r)].append(Link(link.link, e))

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
