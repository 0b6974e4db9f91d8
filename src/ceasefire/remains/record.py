"""Recording sites, teams and custody links: each call appends one sourced ledger entry.

The functions build ordinary ledger rows, so what they write is exactly what an import of
the same rows would write, and the same checks (shape, ids, chain order) refuse bad input.
A handover is recorded as the transfer the engine counts under the roster's provision, and
an identification as the identification the engine reads: the custody chain is how the
engine learns of them, not a second tally beside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import CeasefireError
from ..ledger import EntryType, IdentificationResult, Ledger, Stored
from .checks import LedgerState, custody_of
from .model import COORDINATES, NAMES, SITE_PERSONS, CustodyLink, SiteStatus
from .views import covering_provision

Moment = str | dt.date | dt.datetime


def one_source(publisher: str | None = None, title: str | None = None,
               date: str | None = None, url: str | None = None, quote: str | None = None,
               confidential: bool = False) -> list[dict[str, Any]]:
    """The ``sources`` of a fact given field by field (a CLI's options, a form's inputs):
    one source, or none when every field is empty (the ledger then asks for one)."""
    source: dict[str, Any] = {k: v for k, v in {
        "publisher": publisher, "title": title, "date": date, "url": url,
        "quote": quote}.items() if v}
    if confidential and source:
        source["confidential"] = True
    return [source] if source else []


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if v not in (None, [], {})}
    if "details" in out:
        out["details"] = {k: v for k, v in out["details"].items() if v not in (None, [])}
    return out


def _add(ledger: Ledger, row: dict[str, Any], by: str, agreement: str | None) -> Stored:
    return ledger.add([_clean(row)], recorded_by=by, agreement=agreement)[0]


def record_site(ledger: Ledger, *, site: str, status: SiteStatus | str, at: Moment,
                sources: list[dict[str, Any]], by: str, agreement: str | None = None,
                description: str | None = None, provided_by: str | None = None,
                priority: int | None = None, access: str | None = None,
                team: str | None = None, roster: str | None = None,
                coordinates: dict[str, float] | None = None,
                persons: list[str] | None = None, actor: str | None = None,
                note: str | None = None) -> Stored:
    """Report a site (status 'reported') or record a change of its status."""
    restricted = {COORDINATES: coordinates, SITE_PERSONS: persons}
    return _add(ledger, {
        "type": EntryType.SITE.value, "at": at, "actor": actor or provided_by,
        "note": note, "sources": sources,
        "details": {"site": site, "status": SiteStatus(status).value,
                    "description": description, "provided_by": provided_by,
                    "priority": priority, "access": access, "team": team, "roster": roster},
        "restricted": {k: v for k, v in restricted.items() if v is not None},
    }, by, agreement)


def record_team(ledger: Ledger, *, team: str, at: Moment, sources: list[dict[str, Any]],
                by: str, agreement: str | None = None, organisation: str | None = None,
                country: str | None = None, size: int | None = None,
                equipment: list[str] | None = None, role: str | None = None,
                site: str | None = None, activity: str | None = None,
                coordinates_from: str | None = None, note: str | None = None) -> Stored:
    """Register a team, or add a line to its activity log (optionally on a site)."""
    return _add(ledger, {
        "type": EntryType.TEAM.value, "at": at, "note": note, "sources": sources,
        "details": {"team": team, "organisation": organisation, "country": country,
                    "size": size, "equipment": equipment or [], "role": role, "site": site,
                    "activity": activity, "coordinates_from": coordinates_from},
    }, by, agreement)


def record_link(ledger: Ledger, *, remains: list[str], link: CustodyLink | str, at: Moment,
                sources: list[dict[str, Any]], by: str, agreement: str | None = None,
                site: str | None = None, team: str | None = None, roster: str | None = None,
                holder: str | None = None, institute: str | None = None,
                facility: str | None = None, actor: str | None = None,
                persons: list[str] | None = None,
                result: IdentificationResult | str | None = None,
                note: str | None = None) -> Stored:
    """Add one link to the custody chain of one or more sets of remains.

    ``handed_over`` becomes a transfer under the provision that covers the sets' roster
    (its parties, category and handover chain); ``identified`` becomes an identification
    of that transfer, with the roster member's attributes so that ratio exceptions apply.
    ``persons`` (restricted) are who the remains are believed to be (``recovered``) or were
    identified as (``identified``).
    """
    link = CustodyLink(link)
    a = ledger.agreement(agreement)
    details: dict[str, Any] = {"remains": remains, "link": link.value, "site": site,
                               "team": team, "roster": roster, "holder": holder,
                               "institute": institute}
    row: dict[str, Any] = {"type": EntryType.CUSTODY.value, "at": at, "actor": actor,
                           "facility": facility, "note": note, "sources": sources,
                           "restricted": {NAMES: persons} if persons else {}}
    if link in (CustodyLink.HANDED_OVER, CustodyLink.IDENTIFIED):
        with ledger.engine.connect() as conn:
            state = LedgerState.load(conn, {a.id: a}, set(remains))
        chain = state.chains.get((a.id, remains[0]), [])
        recovered = next((x.entry for x in chain if x.link == CustodyLink.RECOVERED), None)
        set_roster = roster or (custody_of(recovered).roster  # type: ignore[union-attr]
                                if recovered is not None else None)
        if link == CustodyLink.HANDED_OVER:
            p = covering_provision(a, set_roster) if set_roster else None
            if p is None and recovered is None:
                _refuse_out_of_order(ledger, state, row, details, by, a.id, link)
            if p is None:
                raise CeasefireError(
                    f"remains {remains[0]!r}: no roster known for them (give the roster, or "
                    "record them recovered with one), so the handover cannot be counted "
                    "under a provision", where="row 1, field details.roster")
            row.update(type=EntryType.TRANSFER.value, actor=actor or p.by, recipient=p.to,
                       category=p.category, quantity=len(remains), provision=p.id,
                       via=list(p.via))
        else:
            handover = next((x.entry for x in chain if x.link == CustodyLink.HANDED_OVER),
                            None)
            outcome = IdentificationResult(result or IdentificationResult.EXPECTED)
            attrs: dict[str, Any] = {}
            believed = persons or (recovered.restricted.get(NAMES) if recovered else None)
            if outcome == IdentificationResult.EXPECTED and believed:
                member = next((m for r in a.rosters for m in r.members
                               if m.id == believed[0]), None)
                attrs = dict(member.attributes) if member else {}
            row.update(type=EntryType.IDENTIFICATION.value,
                       target=handover.id if handover else None,
                       outcomes=[{"result": outcome.value, "count": 1,
                                  **({"attributes": attrs} if attrs else {})}])
            if handover is None:
                # Let the chain check give its message (identified before handed over).
                row["target"] = "(not handed over)"
                return _refuse_unhanded(ledger, row, details, by, a.id)
    row["details"] = details
    return _add(ledger, row, by, a.id)


def _refuse_out_of_order(ledger: Ledger, state: LedgerState, row: dict[str, Any],
                         details: dict[str, Any], by: str, agreement: str,
                         link: CustodyLink) -> None:
    """A handover of remains never recovered: the chain order, not the missing roster, is
    what to tell (the chain check's own message)."""
    from ..errors import ImportRowError
    from ..ledger import FieldError

    probe = _clean({**row, "details": {**details, "link": CustodyLink.RECOVERED.value}})
    entry = ledger.prepare([probe], recorded_by=by, agreement=agreement)[0]
    try:
        state._admit_link(entry, details["remains"][0], link)  # noqa: SLF001
    except FieldError as exc:
        raise ImportRowError(str(exc), where=f"row 1, field {exc.field}") from None


def _refuse_unhanded(ledger: Ledger, row: dict[str, Any], details: dict[str, Any], by: str,
                     agreement: str) -> Stored:
    """An identification of remains never handed over: the chain check explains why not."""
    from ..errors import ImportRowError
    from ..ledger import FieldError

    row = _clean({**row, "details": details})
    entry = ledger.prepare([row], recorded_by=by, agreement=agreement)[0]
    with ledger.engine.connect() as conn:
        state = LedgerState.load(conn, {agreement: ledger.agreement(agreement)},
                                 set(details["remains"]))
    try:
        state.admit(entry)
    except FieldError as exc:
        raise ImportRowError(str(exc), where=f"row 1, field {exc.field}") from None
    raise CeasefireError("identification needs the handover it identifies")
