"""The shapes of search-and-recovery entries: sites, teams and custody links.

They ride in a ledger entry's ``details`` (what anyone may see) and ``restricted`` (what only
cleared readers may see: coordinates, who the remains are believed to be, which persons a
site may concern). Keeping the two apart in the entry itself is what lets every public view
and export drop the sensitive part with one rule instead of one rule per screen.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from ..agreement import Id, Strict

#: Identifiers people give sites, teams and sets of remains (case kept: "R-017", "S12").
Label = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$", max_length=80)]


class SiteStatus(StrEnum):
    REPORTED = "reported"
    ASSIGNED = "assigned"
    SEARCHING = "searching"
    EXCAVATING = "excavating"
    RECOVERED = "recovered"
    NOTHING_FOUND = "nothing found"
    INACCESSIBLE = "inaccessible"
    CLOSED = "closed"


#: A site in one of these no longer tells us where anyone is.
SITE_ENDED = {SiteStatus.NOTHING_FOUND, SiteStatus.CLOSED}


class SiteDetails(Strict):
    """One `site` entry: a site reported, or a change of its status."""

    site: Label = Field(description="The site's id, the same on every entry about it.")
    status: SiteStatus
    description: str | None = Field(default=None, description="Where, in words (public).")
    provided_by: Id | None = Field(default=None,
                                   description="The party that provided the location.")
    priority: int | None = Field(default=None, ge=1, le=5, description="1 is most urgent.")
    access: str | None = Field(default=None, description="Access constraints, in words.")
    team: Label | None = Field(default=None, description="The team that made this change.")
    roster: Id | None = Field(default=None, description="The list the persons belong to.")


class Coordinates(Strict):
    """Restricted: a point with how far off it may be."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_m: float | None = Field(default=None, ge=0, description="Uncertainty radius.")


class TeamRole(StrEnum):
    SEARCH = "search"
    HANDOVER = "handover"
    FORENSIC = "forensic"


class TeamDetails(Strict):
    """One `team` entry: a team (first entry) or a line of its activity log."""

    team: Label
    organisation: str | None = None
    country: str | None = None
    size: int | None = Field(default=None, ge=0)
    equipment: list[str] = Field(default_factory=list)
    role: TeamRole | None = None
    site: Label | None = Field(default=None, description="The site this activity concerns.")
    activity: str | None = Field(default=None, description="What the team did, in words.")
    coordinates_from: Id | None = Field(
        default=None, description="The party whose coordinates the team works from.")


class CustodyLink(StrEnum):
    """The chain, in order. `held` may repeat; the others happen once per set."""

    RECOVERED = "recovered"
    HELD = "held"
    HANDED_OVER = "handed_over"
    CROSSED = "crossed"
    RECEIVED = "received"
    IDENTIFIED = "identified"
    RETURNED = "returned"


LINK_ORDER = list(CustodyLink)
#: Links that must have happened before a later one may be recorded.
REQUIRED_BEFORE = {
    CustodyLink.HELD: (CustodyLink.RECOVERED,),
    CustodyLink.HANDED_OVER: (CustodyLink.RECOVERED,),
    CustodyLink.CROSSED: (CustodyLink.RECOVERED, CustodyLink.HANDED_OVER),
    CustodyLink.RECEIVED: (CustodyLink.RECOVERED, CustodyLink.HANDED_OVER),
    CustodyLink.IDENTIFIED: (CustodyLink.RECOVERED, CustodyLink.HANDED_OVER,
                             CustodyLink.RECEIVED),
    CustodyLink.RETURNED: (CustodyLink.RECOVERED, CustodyLink.HANDED_OVER,
                           CustodyLink.RECEIVED, CustodyLink.IDENTIFIED),
}
#: The entry type each link is recorded as: the handover is the transfer the engine counts,
#: the identification is the one the engine reads; the rest are custody entries.
LINK_TYPE = {CustodyLink.HANDED_OVER: "transfer", CustodyLink.IDENTIFIED: "identification"}


class CustodyDetails(Strict):
    """A custody link for one or more sets of remains moving together."""

    remains: list[Label] = Field(min_length=1,
                                 description="Identifiers of the sets of remains.")
    link: CustodyLink
    site: Label | None = Field(default=None, description="Recovered at this site.")
    team: Label | None = None
    holder: str | None = Field(default=None, description="Held by: a team or an authority.")
    institute: str | None = Field(default=None, description="Received by: forensic institute.")
    roster: Id | None = Field(default=None,
                              description="The list the remains are believed to belong to.")


class PersonStatus(StrEnum):
    MISSING = "missing"
    SITE_KNOWN = "site known"
    RECOVERED = "recovered"
    IN_TRANSFER = "in transfer"
    IDENTIFIED = "identified"
    RETURNED = "returned"


#: Furthest along last, so a person's status is the furthest any evidence takes them.
PERSON_RANK = list(PersonStatus)
#: Restricted keys this feature writes (the agreement's ``restricted_fields`` names them).
COORDINATES = "coordinates"
SITE_PERSONS = "site_person_links"
NAMES = "names"
