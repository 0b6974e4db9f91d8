"""What the ledger says about sites, teams, custody and missing persons, as plain data.

Everything here reads a bitemporal :class:`~ceasefire.facts.View`, so a site table or a
missing-persons list can be asked for "as of" a past date and "as known at" a past date,
like the engine's status. Each model carries restricted data (coordinates, persons) in
fields of its own and has ``public()``, which returns the copy anyone may see: the CLI,
the dashboard and exports call it unless the reader is cleared.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from pydantic import BaseModel, Field

from ..agreement import Agreement, Member, Roster
from ..errors import CeasefireError
from ..facts import CODES, Item, Rows, Snapshot, View
from ..kinds.transfer import TransferProvision
from ..ledger import Entry, EntryType, IdentificationResult, Ledger
from ..sources import Source
from ..times import from_us
from .checks import custody_of, sensitive, site_of, team_of
from .model import (
    COORDINATES,
    NAMES,
    PERSON_RANK,
    SITE_ENDED,
    SITE_PERSONS,
    Coordinates,
    CustodyLink,
    PersonStatus,
    SiteStatus,
    TeamRole,
)


def _public_sources(sources: list[Source]) -> list[Source]:
    return [s for s in sources if not s.confidential]


class Step(BaseModel):
    """One dated line of a history: a site's status change, a team's activity, a link."""

    when: dt.datetime
    recorded: dt.datetime
    entry: str
    what: str
    actor: str | None = None
    team: str | None = None
    site: str | None = None
    note: str | None = None
    verification: str
    sources: list[Source] = Field(default_factory=list)

    def public(self) -> Step:
        return self.model_copy(update={"sources": _public_sources(self.sources)})


class SiteRow(BaseModel):
    site: str
    status: SiteStatus
    description: str | None = None
    provided_by: str | None = None
    reported_at: dt.datetime
    changed_at: dt.datetime
    priority: int | None = None
    access: str | None = None
    roster: str | None = None
    teams: list[str] = Field(default_factory=list)
    remains: list[str] = Field(default_factory=list, description="Sets recovered here.")
    history: list[Step] = Field(default_factory=list, description="Status changes and team "
                                "activity on this site, every team's, in time order.")
    coordinates: Coordinates | None = Field(default=None, description="Restricted.")
    persons: list[str] | None = Field(default=None, description="Restricted: who it may hold.")
    restricted_hidden: bool = False

    def public(self) -> SiteRow:
        return self.model_copy(update={"coordinates": None, "persons": None,
                                       "restricted_hidden": True,
                                       "history": [s.public() for s in self.history]})


class TeamView(BaseModel):
    team: str
    organisation: str | None = None
    country: str | None = None
    size: int | None = None
    equipment: list[str] = Field(default_factory=list)
    role: TeamRole | None = None
    coordinates_from: str | None = None
    first_seen: dt.datetime
    sites: dict[str, SiteStatus | None] = Field(
        default_factory=dict, description="Sites the team worked, with each site's status now.")
    remains: list[str] = Field(default_factory=list,
                               description="Sets of remains the team recovered or held.")
    log: list[Step] = Field(default_factory=list)

    def public(self) -> TeamView:
        return self.model_copy(update={"log": [s.public() for s in self.log]})


class CustodyChain(BaseModel):
    remains: str
    roster: str | None = None
    site: str | None = None
    stage: CustodyLink
    result: str = Field(description="pending, identified, not covered (someone else) or "
                        "unresolved")
    handover: str | None = Field(default=None, description="The transfer entry (the engine "
                                 "counts it under its provision).")
    provision: str | None = None
    steps: list[Step] = Field(default_factory=list)
    expected: list[str] | None = Field(default=None, description="Restricted.")
    identified_as: str | None = Field(default=None, description="Restricted.")
    restricted_hidden: bool = False

    def public(self) -> CustodyChain:
        return self.model_copy(update={"expected": None, "identified_as": None,
                                       "restricted_hidden": True,
                                       "steps": [s.public() for s in self.steps]})


class MissingPerson(BaseModel):
    index: int = Field(description="Position in the list, from 1.")
    member: str | None = Field(default=None, description="Roster member id (restricted "
                               "unless the name is public).")
    name: str | None = None
    public_name: bool = False
    status: PersonStatus
    since: dt.datetime | None = None
    sites: list[str] = Field(default_factory=list, description="Restricted.")
    remains: list[str] = Field(default_factory=list, description="Restricted.")
    note: str | None = None
    beyond_roster: bool = False

    def public(self) -> MissingPerson:
        keep = self.public_name
        return self.model_copy(update={
            "member": self.member if keep else None, "name": self.name if keep else None,
            "sites": [], "remains": [],
            "note": self.note if keep or self.member is None else None})


class MissingList(BaseModel):
    """The persons a roster covers, each with where they stand; the engine counts this."""

    roster: str
    provision: str | None
    size: int
    people: list[MissingPerson]
    counts: dict[str, int]
    handed_over: int = 0
    awaiting_identification: int = 0
    unresolved: int = 0
    not_covered: int = 0
    #: bodies identified as a person already identified (partial remains, repeated reports)
    already_identified: int = 0

    def delivered(self) -> int:
        return self.counts.get(PersonStatus.IDENTIFIED, 0) + self.counts.get(
            PersonStatus.RETURNED, 0)

    def public(self) -> MissingList:
        return self.model_copy(update={"people": [p.public() for p in self.people]})


# --- reading -------------------------------------------------------------------------------


def open_view(ledger: Ledger, agreement: str | None = None, *,
              as_of: dt.datetime | None = None,
              known_at: dt.datetime | None = None) -> tuple[Agreement, View]:
    """The terms in force and the ledger view for a date, as `ceasefire status` takes them."""
    base = ledger.agreement(agreement)
    now = dt.datetime.now(dt.UTC)
    as_of, known_at = as_of or now, known_at or now
    terms = base.in_force(as_of)
    return terms, Snapshot(ledger).view(terms.id, terms.tz, as_of, known_at)


def _step(item: Item, view: View, what: str, **extra: str | None) -> Step:
    e = item.entry
    return Step(when=e.valid_from, recorded=e.recorded_at, entry=e.id, what=what,
                actor=e.actor, note=e.note, verification=CODES[view.verification(item)].value,
                sources=list(e.sources) + list(view.extra_sources.get(e.id, [])), **extra)


def site_rows(view: View) -> list[SiteRow]:
    """Every site with its latest status and the history of everyone who worked it."""
    by_site: dict[str, list[Item]] = defaultdict(list)
    for item in view.items(EntryType.SITE.value):
        by_site[str(item.entry.details.get("site"))].append(item)
    activity: dict[str, list[Item]] = defaultdict(list)
    for item in view.items(EntryType.TEAM.value):
        site = item.entry.details.get("site")
        if site:
            activity[str(site)].append(item)
    recovered: dict[str, list[str]] = defaultdict(list)
    for item in view.items(EntryType.CUSTODY.value):
        link = custody_of(item.entry)
        if link and link.link == CustodyLink.RECOVERED and link.site:
            recovered[link.site].extend(link.remains)
    rows = []
    for site, items in by_site.items():
        first, last = items[0].entry, items[-1].entry
        row = SiteRow(site=site, status=site_of(last).status, reported_at=first.valid_from,
                      changed_at=last.valid_from, remains=recovered.get(site, []))
        history: list[Step] = []
        for item in items:
            d = site_of(item.entry)
            for name in ("description", "provided_by", "priority", "access", "roster"):
                if getattr(d, name) is not None:
                    setattr(row, name, getattr(d, name))
            if row.description is None and item.entry.place:
                row.description = item.entry.place
            coords = sensitive(item.entry, COORDINATES)
            if coords is not None:
                row.coordinates = Coordinates.model_validate(coords)
            persons = sensitive(item.entry, SITE_PERSONS)
            if persons is not None:
                row.persons = list(persons)
            if d.team and d.team not in row.teams:
                row.teams.append(d.team)
            history.append(_step(item, view, d.status.value, team=d.team, site=site))
        for item in activity.get(site, []):
            t = team_of(item.entry)
            if t.team not in row.teams:
                row.teams.append(t.team)
            history.append(_step(item, view, t.activity or "activity", team=t.team, site=site))
        row.history = sorted(history, key=lambda s: (s.when, s.recorded, s.entry))
        rows.append(row)
    return sorted(rows, key=lambda r: (r.priority or 99, r.reported_at, r.site))


def team_views(view: View) -> list[TeamView]:
    """Each team with its attributes (latest given), its sites, and its activity log."""
    status = {r.site: r.status for r in site_rows(view)}
    teams: dict[str, TeamView] = {}
    site_changes = [(i, site_of(i.entry)) for i in view.items(EntryType.SITE.value)]
    for item in view.items(EntryType.TEAM.value):
        d = team_of(item.entry)
        tv = teams.get(d.team)
        if tv is None:
            tv = teams[d.team] = TeamView(team=d.team, first_seen=item.entry.valid_from)
        for name in ("organisation", "country", "size", "role", "coordinates_from"):
            if getattr(d, name) is not None:
                setattr(tv, name, getattr(d, name))
        if d.equipment:
            tv.equipment = list(dict.fromkeys(tv.equipment + d.equipment))
        if d.site:
            tv.sites.setdefault(d.site, status.get(d.site))
        tv.log.append(_step(item, view, d.activity or "registered", team=d.team, site=d.site))
    for item, sd in site_changes:
        if sd.team and sd.team in teams:
            teams[sd.team].sites.setdefault(sd.site, status.get(sd.site))
            teams[sd.team].log.append(_step(item, view, f"site {sd.status.value}",
                                            team=sd.team, site=sd.site))
    for item in view.items(EntryType.CUSTODY.value):
        link = custody_of(item.entry)
        if link and link.team in teams:
            found = teams[link.team]
            found.remains += [r for r in link.remains if r not in found.remains]
            found.log.append(_step(item, view, f"{link.link.value.replace('_', ' ')}: "
                                   + ", ".join(link.remains), team=link.team, site=link.site))
    for tv in teams.values():
        tv.log.sort(key=lambda s: (s.when, s.recorded, s.entry))
    return sorted(teams.values(), key=lambda t: (t.first_seen, t.team))


@dataclass
class _Set:
    remains: str
    links: list[tuple[CustodyLink, Item]]


def _custody_items(view: View) -> dict[str, _Set]:
    sets: dict[str, _Set] = {}
    found = [i for i in view.items(EntryType.CUSTODY.value)]
    found += [i for i in view.facts(EntryType.TRANSFER.value)
              if "remains" in i.entry.details and view.in_time(i)]
    for idents in view.identifications_by_seq().values():
        found += [i for i in idents if "remains" in i.entry.details]
    for item in found:
        link = custody_of(item.entry)
        if link is None:
            continue
        for r in link.remains:
            sets.setdefault(r, _Set(r, [])).links.append((link.link, item))
    for s in sets.values():
        s.links.sort(key=lambda x: (list(CustodyLink).index(x[0]), x[1].entry.valid_from))
    return sets


def custody_chains(view: View, agreement: Agreement) -> list[CustodyChain]:
    """Each set of remains with its chain of custody, from recovery to identification."""
    out = []
    for r, s in sorted(_custody_items(view).items()):
        chain = CustodyChain(remains=r, stage=s.links[-1][0], result="pending")
        for link, item in s.links:
            e = item.entry
            d = custody_of(e)
            assert d is not None
            what = link.value.replace("_", " ")
            extra = [x for x in (d.holder, d.institute, e.facility and agreement.name_of(
                e.facility), d.site and f"site {d.site}") if x]
            if extra:
                what += ": " + ", ".join(str(x) for x in extra)
            chain.steps.append(_step(item, view, what, team=d.team, site=d.site))
            if link == CustodyLink.RECOVERED:
                chain.site, chain.roster = d.site, d.roster
                names = sensitive(e, NAMES)
                chain.expected = list(names) if names else None
            elif link == CustodyLink.HANDED_OVER:
                chain.handover, chain.provision = e.id, e.provision
            elif link == CustodyLink.IDENTIFIED:
                result = e.outcomes[0].result if e.outcomes else None
                chain.result = {IdentificationResult.EXPECTED: "identified",
                                IdentificationResult.OTHER: "not covered (someone else)",
                                IdentificationResult.UNRESOLVED: "unresolved"}.get(
                                    result, "pending") if result else "pending"
                names = sensitive(e, NAMES)
                if result == IdentificationResult.EXPECTED:
                    chain.identified_as = (names[0] if names else
                                           (chain.expected[0] if chain.expected else None))
        out.append(chain)
    return out


def custody_chain(view: View, agreement: Agreement, remains: str) -> CustodyChain:
    """The custody timeline of one set of remains (the dashboard's timeline page)."""
    found = next((c for c in custody_chains(view, agreement) if c.remains == remains), None)
    if found is None:
        raise CeasefireError(f"no remains {remains!r} in agreement {agreement.id}")
    return found


def covering_provision(agreement: Agreement, roster: str) -> TransferProvision | None:
    """The transfer of remains whose "all" is this roster (the one the engine counts)."""
    for p in agreement.provisions:
        if isinstance(p, TransferProvision) and p.roster == roster and p.identify:
            return p
    return None


def remains_rosters(agreement: Agreement) -> list[Roster]:
    return [r for r in agreement.rosters if covering_provision(agreement, r.id)]


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass
class _Body:
    remains: str | None = None
    expected: str | None = None
    result: IdentificationResult | None = None
    person: str | None = None
    when: dt.datetime | None = None
    returned: bool = False


def missing_persons(view: View, agreement: Agreement, roster_id: str,
                    rows: Rows | None = None) -> MissingList:
    """Where each person a roster covers stands: missing, site known ... returned.

    Bodies come from the transfers the engine counts under the roster's provision (with
    their custody sets when the handover was recorded as a custody link) and from
    identifications pointing at them; sets recovered but not yet handed over and open
    sites move a named person forward. What cannot be tied to a named member fills the
    roster's unnamed places. A body identified as someone else moves nobody: the person
    it was taken for stays missing.
    """
    roster = agreement.roster(roster_id)
    members = {m.id: m for m in roster.members}
    p = covering_provision(agreement, roster_id)
    state: dict[str, tuple[PersonStatus, dt.datetime | None]] = {
        m: (PersonStatus.MISSING, None) for m in members}
    sites_of: dict[str, list[str]] = defaultdict(list)
    remains_of: dict[str, list[str]] = defaultdict(list)
    notes: dict[str, str] = {}

    def bump(person: str | None, status: PersonStatus, when: dt.datetime | None) -> bool:
        if person not in members:
            return False
        have = state[person]
        if PERSON_RANK.index(status) > PERSON_RANK.index(have[0]):
            state[person] = (status, when)
        return True

    for site in site_rows(view):
        for person in site.persons or []:
            if person in members:
                sites_of[person].append(site.site)
                if site.status not in SITE_ENDED:
                    bump(person, PersonStatus.SITE_KNOWN, site.reported_at)
    sets = _custody_items(view)
    expected_of: dict[str, str | None] = {}
    anon: list[tuple[PersonStatus, dt.datetime | None]] = []
    for r, s in sets.items():
        rec = next((i for link, i in s.links if link == CustodyLink.RECOVERED), None)
        names = sensitive(rec.entry, NAMES) if rec else None
        expected_of[r] = names[0] if names else None
        d = custody_of(rec.entry) if rec else None
        if expected_of[r] in members:
            remains_of[str(expected_of[r])].append(r)
        if any(link == CustodyLink.HANDED_OVER for link, _ in s.links):
            continue
        mine = expected_of[r] in members or (d is not None and d.roster == roster_id)
        when = rec.entry.valid_from if rec else None
        if mine and not bump(expected_of[r], PersonStatus.RECOVERED, when):
            anon.append((PersonStatus.RECOVERED, when))
    bodies: list[_Body] = []
    handed = 0
    if p is not None:
        if rows is None:
            rows = view.counted("transfer", actor=p.by, recipient=p.to, category=p.category,
                                provision=p.id, measure="")
        whole = {i.seq: i.entry for i in view.facts(EntryType.TRANSFER.value)}
        idents = view.identifications_by_seq()
        for seq, qty, vfrom in zip(rows.seq.tolist(), rows.qty.tolist(), rows.vfrom.tolist(),
                                   strict=True):
            handed += qty
            e: Entry | None = whole.get(seq)
            link = custody_of(e) if e is not None else None
            at = from_us(vfrom)
            these = [_Body(remains=r, expected=expected_of.get(r), when=at) for r in
                     (link.remains if link else [])]
            these += [_Body(when=at) for _ in range(max(0, qty - len(these)))]
            for item in idents.get(seq, []):
                _apply_identification(item, these, sets)
            bodies += these
    unresolved = awaiting = other = repeated = 0
    identified: set[str] = set()
    for b in bodies:
        if b.result == IdentificationResult.EXPECTED and b.person in identified:
            repeated += 1  # remains of someone already identified move nobody further
        elif b.result == IdentificationResult.EXPECTED:
            if b.person:
                identified.add(b.person)
            status = PersonStatus.RETURNED if b.returned else PersonStatus.IDENTIFIED
            if not bump(b.person, status, b.when):
                anon.append((status, b.when))
        elif b.result == IdentificationResult.OTHER:
            other += 1
            if b.expected in members:
                notes[b.expected] = (f"remains {b.remains or ''} taken for this person were "
                                     "identified as someone else").replace("  ", " ")
        else:
            unresolved += b.result == IdentificationResult.UNRESOLVED
            awaiting += b.result is None
            if not bump(b.expected, PersonStatus.IN_TRANSFER, b.when):
                anon.append((PersonStatus.IN_TRANSFER, b.when))
    people = [MissingPerson(index=i + 1, member=m.id, name=m.name, public_name=m.public,
                            status=state[m.id][0], since=state[m.id][1],
                            sites=sites_of.get(m.id, []), remains=remains_of.get(m.id, []),
                            note=notes.get(m.id) if state[m.id][0] == PersonStatus.MISSING
                            else None)
              for i, m in enumerate(roster.members)]
    unnamed = max(0, roster.size - len(people))
    fill = sorted(anon, key=lambda x: (-PERSON_RANK.index(x[0]), x[1] or _EPOCH))
    for k in range(max(unnamed, len(fill))):
        status, since = fill[k] if k < len(fill) else (PersonStatus.MISSING, None)
        people.append(MissingPerson(index=len(people) + 1, public_name=True, status=status,
                                    since=since, beyond_roster=k >= unnamed,
                                    note="not tied to a named person" if k < len(fill)
                                    else None))
    counts = Counter(x.status.value for x in people)
    return MissingList(roster=roster_id, provision=p.id if p else None, size=roster.size,
                       people=people, counts=dict(counts), handed_over=handed,
                       awaiting_identification=awaiting, unresolved=unresolved,
                       not_covered=other, already_identified=repeated)


def _apply_identification(item: Item, bodies: list[_Body], sets: dict[str, _Set]) -> None:
    e = item.entry
    link = custody_of(e)
    names = sensitive(e, NAMES) or []
    for o in e.outcomes:
        for k in range(o.count):
            person = (names[0] if names else None) if link else (o.person if k == 0 else None)
            body = None
            if link:
                body = next((b for b in bodies if b.remains == link.remains[0]), None)
            if body is None and person:
                body = next((b for b in bodies if b.result is None and b.expected == person),
                            None)
            if body is None:
                body = next((b for b in bodies if b.result is None and b.expected is None),
                            None) or next((b for b in bodies if b.result is None), None)
            if body is None:
                body = _Body()
                bodies.append(body)
            body.result, body.when = o.result, e.valid_from
            if o.result == IdentificationResult.EXPECTED:
                body.person = person or body.expected
            if body.remains and body.remains in sets:
                body.returned = any(x == CustodyLink.RETURNED for x, _ in
                                    sets[body.remains].links)


def member_name(agreement: Agreement, member: str) -> str:
    found: Member | None = next((m for r in agreement.rosters for m in r.members
                                 if m.id == member), None)
    return (found.name or found.id) if found else member
