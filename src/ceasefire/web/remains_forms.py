"""Recording search-and-recovery work from the dashboard: a site reported or its status
changed, a team registered or its activity logged, a link added to a custody chain.

Each form, and its JSON twin under ``/api/``, is a thin shell over the calls the CLI uses
(:mod:`ceasefire.remains.record`): one body model validates both, the library checks the
rest (ids, chain order) and writes one sourced ledger entry, or nothing. Writing needs the
reporter role. Restricted inputs (coordinates, the persons a site may concern or remains
are believed to be) are offered only to cleared accounts; anyone else who posts them is
refused (403, naming the field) and nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from ..agreement import Agreement, Id
from ..entry import IdentificationResult
from ..errors import CeasefireError
from ..intake import describe_error
from ..ledger import Stored
from ..remains import record as rr
from ..remains.model import Coordinates, CustodyLink, Label, SiteStatus, TeamRole
from ..remains.views import remains_rosters
from ..sources import Source
from ..users import Role, User
from .api import EntryView
from .auth import check_csrf, current_user, service
from .service import FieldError, Forbidden, NotFound, Service, clean_field

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["remains"])
Svc = Annotated[Service, Depends(service)]
Me = Annotated[User, Depends(current_user)]

At = Annotated[str, Field(min_length=1, max_length=40, description=(
    "When: YYYY-MM-DD, or YYYY-MM-DDTHH:MM for a known time (the agreement's time zone "
    "unless an offset is given)."))]
Text = Annotated[str | None, Field(default=None, max_length=2000)]
Persons = Annotated[list[Id] | None, Field(default=None, max_length=200, description=(
    "Restricted (cleared accounts only): roster member ids."))]
Sources = Annotated[list[Source], Field(default_factory=list, max_length=20, description=(
    "At least one: publisher, title, a short verbatim quote (date, url optional)."))]


class _Recording(BaseModel):
    """What every recording form and twin takes: its own fields and the sources."""

    model_config = ConfigDict(extra="forbid")
    sources: Sources


class SiteIn(_Recording):
    """A site reported (status ``reported``) or a change of its status."""

    site: Label
    status: SiteStatus = SiteStatus.REPORTED
    at: At
    description: Text = None
    provided_by: Id | None = Field(default=None, description="The party that gave the location.")
    priority: int | None = Field(default=None, ge=1, le=5, description="1 is most urgent.")
    access: Text = None
    team: Label | None = None
    roster: Id | None = Field(default=None, description="The list the persons belong to.")
    actor: Id | None = None
    note: Text = None
    persons: Persons = None
    coordinates: Coordinates | None = Field(default=None, description=(
        "Restricted (cleared accounts only): lat, lon and an uncertainty radius_m."))


class TeamIn(_Recording):
    """A team registered (its first entry) or a line of its activity log."""

    team: Label
    at: At
    organisation: Text = None
    country: Text = None
    size: int | None = Field(default=None, ge=0, le=100_000)
    equipment: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list,
                                                                  max_length=50)
    role: TeamRole | None = None
    site: Label | None = Field(default=None, description="The site this activity concerns.")
    activity: Text = None
    coordinates_from: Id | None = Field(default=None, description=(
        "The party whose coordinates the team works from."))
    note: Text = None


class LinkIn(_Recording):
    """One link of the custody chain of one or more sets of remains moving together."""

    remains: list[Label] = Field(default_factory=list, max_length=200, description=(
        "The sets of remains (on /custody/{remains}: that one set, may be left out)."))
    link: CustodyLink
    at: At
    site: Label | None = None
    team: Label | None = None
    holder: Text = None
    facility: Id | None = Field(default=None, description="For `crossed`: the crossing.")
    institute: Text = None
    roster: Id | None = None
    actor: Id | None = None
    result: IdentificationResult | None = Field(default=None, description=(
        "For `identified`: expected (default), other or unresolved."))
    note: Text = None
    persons: Persons = None


class Recorded(BaseModel):
    seq: int
    id: str
    type: str
    recorded_by: str
    entry: EntryView = Field(description="The entry as you may see it (restricted fields "
                                         "only for cleared accounts).")


class RestrictedInput(Forbidden):
    """A restricted input from an account not cleared for restricted data (→ 403)."""


# -- the one path both the forms and the twins take -----------------------------------------
def _api_field(where: str | None, default: str) -> str:
    """The library's 'row 1, field details.link' as the body field: 'link'."""
    path = where.split("field ", 1)[1] if where and "field " in where else default
    path = clean_field(path)
    for prefix in ("details.", "restricted."):
        path = path.removeprefix(prefix)
    head, _, rest = path.partition(".")
    head = {"names": "persons", "site_person_links": "persons", "outcomes": "result",
            "quantity": "remains", "target": "link"}.get(head, head)
    return f"{head}.{rest}" if rest else head


def refuse_restricted(user: User, given: list[str]) -> None:
    """Refuse restricted inputs from an account not cleared for restricted data."""
    if given and not user.cleared:
        raise RestrictedInput(
            f"{given[0]} is restricted: only accounts cleared for restricted data may enter "
            "it (leave it empty, or ask a cleared colleague); nothing was recorded",
            where=given[0])


def _restricted(user: User, body: SiteIn | LinkIn) -> None:
    refuse_restricted(user, [f for f in ("persons", "coordinates") if getattr(body, f, None)])


def _write(svc: Service, user: User, agreement_id: str, body: _Recording,
           remains: str | None = None) -> Stored:
    """Check role, clearance and ids, then record through the library call (or refuse)."""
    svc.require(user, Role.REPORTER)
    a = svc.agreement(agreement_id)
    if isinstance(body, (SiteIn, LinkIn)):
        _restricted(user, body)
    kw = body.model_dump(exclude={"sources"}, exclude_none=True)
    sources = [s.model_dump(mode="json", exclude_none=True) for s in body.sources]
    common: dict[str, Any] = {"sources": sources, "by": user.name, "agreement": a.id}
    try:
        if isinstance(body, SiteIn):
            stored = rr.record_site(svc.ledger, **kw, **common)
        elif isinstance(body, TeamIn):
            stored = rr.record_team(svc.ledger, **kw, **common)
        else:
            if remains is not None:
                if kw.get("remains") not in (None, [], [remains]):
                    raise FieldError("remains", f"this page records links of {remains!r} only; "
                                     "post other sets to /custody")
                kw["remains"] = [remains]
            if not kw.get("remains"):
                raise FieldError("remains", "give the id of at least one set of remains")
            stored = rr.record_link(svc.ledger, **kw, **common)
    except (FieldError, Forbidden, NotFound):
        raise
    except CeasefireError as exc:
        raise FieldError(_api_field(exc.where, "entry"), exc.message) from None
    svc.wrote(stored.seq)
    return stored


def _recorded(svc: Service, user: User, stored: Stored) -> dict[str, Any]:
    return {"seq": stored.seq, "id": stored.entry.id, "type": stored.entry.type.value,
            "recorded_by": stored.entry.recorded_by,
            "entry": svc.entry(stored.entry.id, user).as_json()}


# -- the forms -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Input:
    """One input of a form: its name, label, help and, for a select, its choices."""

    name: str
    label: str
    help: str = ""
    choices: list[tuple[str, str]] | None = None
    required: bool = False
    restricted: bool = False
    kind: str = "text"
    #: Offer the ids already recorded of this kind ("site" or "team") as suggestions.
    suggest: str | None = None


@dataclass
class Form:
    kind: str
    title: str
    action: str
    inputs: list[Input]
    intro: str = ""
    values: dict[str, str] = field(default_factory=dict)
    error: dict[str, str] | None = None

    def names(self) -> set[str]:
        return {i.name for i in self.inputs} | set(SOURCE_INPUTS)


SOURCE_INPUTS = {"source_publisher": "Publisher", "source_title": "Title",
                 "source_date": "Published on", "source_url": "Address (URL)",
                 "source_quote": "Short verbatim quote"}
AT_HELP = "YYYY-MM-DD, or YYYY-MM-DDTHH:MM for a known time"
IDS_HELP = "ids separated by ;"


def _parties(a: Agreement) -> list[tuple[str, str]]:
    return [(p.id, p.name) for p in a.parties]


def _rosters(a: Agreement) -> list[tuple[str, str]]:
    return [(r.id, a.name_of(r.id)) for r in remains_rosters(a)]


def site_form(a: Agreement) -> Form:
    return Form("site", "Report a site, or change its status",
                f"/agreements/{a.id}/sites", [
                    Input("site", "Site id", "e.g. S12: the same on every entry about it",
                          required=True, suggest="site"),
                    Input("status", "Status", "reported for a new site",
                          [(s.value, s.value) for s in SiteStatus], required=True),
                    Input("at", "When", AT_HELP, required=True),
                    Input("description", "Description", "where, in words (public); a new site "
                          "needs it unless coordinates are given"),
                    Input("provided_by", "Location provided by", "", _parties(a)),
                    Input("priority", "Priority", "1 is most urgent",
                          [(str(i), str(i)) for i in range(1, 6)]),
                    Input("access", "Access", "constraints, in words"),
                    Input("team", "Team", "the team that made this change", suggest="team"),
                    Input("roster", "Roster", "the list the persons belong to", _rosters(a)),
                    Input("note", "Note"),
                    Input("persons", "Persons it may concern", f"roster member {IDS_HELP}",
                          restricted=True),
                    Input("lat", "Latitude", "-90 to 90", restricted=True),
                    Input("lon", "Longitude", "-180 to 180", restricted=True),
                    Input("radius", "Uncertainty (m)", "radius in metres", restricted=True),
                ], "A new site is reported with status “reported”; each later status is a "
                   "new entry.")


def team_form(a: Agreement) -> Form:
    return Form("team", "Register a team, or log its activity",
                f"/agreements/{a.id}/teams", [
                    Input("team", "Team id", "e.g. t-egypt: the same on every entry",
                          required=True, suggest="team"),
                    Input("at", "When", AT_HELP, required=True),
                    Input("organisation", "Organisation"), Input("country", "Country"),
                    Input("size", "Size", "people, a whole number"),
                    Input("equipment", "Equipment", "items separated by ;"),
                    Input("role", "Role", "", [(r.value, r.value) for r in TeamRole]),
                    Input("site", "Site", "the site this activity concerns", suggest="site"),
                    Input("activity", "Activity", "what the team did, in words"),
                    Input("coordinates_from", "Works from coordinates given by", "",
                          _parties(a)),
                    Input("note", "Note"),
                ], "The first entry about a team registers it; later ones add to its log.")


def link_form(a: Agreement, remains: str | None = None) -> Form:
    inputs = [] if remains else [
        Input("remains", "Remains", f"set {IDS_HELP} (moving together)", required=True)]
    inputs += [
        Input("link", "Link", "in order: " + " → ".join(x.value for x in CustodyLink),
              [(x.value, x.value.replace("_", " ")) for x in CustodyLink], required=True),
        Input("at", "When", AT_HELP, required=True),
        Input("site", "Site", "recovered at this site", suggest="site"),
        Input("team", "Team", suggest="team"),
        Input("holder", "Holder", "held by: a team or an authority"),
        Input("facility", "Facility", "crossed: the crossing",
              [(f.id, f.name) for f in a.facilities]),
        Input("institute", "Institute", "received by: the forensic institute"),
        Input("roster", "Roster", "the list the remains are believed to belong to",
              _rosters(a)),
        Input("result", "Identification result", "identified: expected unless another",
              [(r.value, r.value) for r in IdentificationResult]),
        Input("note", "Note"),
        Input("persons", "Persons", f"who they are believed to be / identified as: roster "
              f"member {IDS_HELP}", restricted=True),
    ]
    action = f"/agreements/{a.id}/custody" + (f"/{remains}" if remains else "")
    return Form("link", f"Add a custody link{f' for {remains}' if remains else ''}", action,
                inputs, "A link out of order (e.g. handed over before recovered) is refused "
                        "and nothing is written.")


def _ids(text: str) -> list[str]:
    return [x for x in re.split(r"[;,\s]+", text) if x]


def _from_form(values: dict[str, str]) -> dict[str, Any]:
    """A form's inputs as the body the JSON twin takes (empty inputs left out)."""
    v = {k: x.strip() for k, x in values.items() if x.strip()}
    data: dict[str, Any] = {k: x for k, x in v.items()
                            if not k.startswith("source_") and k not in ("lat", "lon", "radius")}
    for name in ("persons", "remains"):
        if name in data:
            data[name] = _ids(data[name])
    if "equipment" in data:
        data["equipment"] = [x.strip() for x in data["equipment"].split(";") if x.strip()]
    coords = {k: v[f] for k, f in (("lat", "lat"), ("lon", "lon"), ("radius_m", "radius"))
              if f in v}
    if coords:
        data["coordinates"] = coords
    data["sources"] = rr.one_source(v.get("source_publisher"), v.get("source_title"),
                                    v.get("source_date"), v.get("source_url"),
                                    v.get("source_quote"), bool(v.get("source_confidential")))
    return data


#: Body fields a form sets through another input (a site's actor is its provider).
FORM_ALIASES = {"actor": "provided_by"}


def form_field(api_field: str, form: Form) -> str:
    """A body field as the form's input: 'coordinates.lat' → 'lat', 'sources.0.title' →
    'source_title', 'persons.2' → 'persons'; else the body field as it is."""
    parts = api_field.split(".")
    if parts[0] == "sources":
        name = "source_" + (parts[2] if len(parts) > 2 else "publisher")
    elif parts[0] == "coordinates":
        name = {"radius_m": "radius"}.get(parts[-1], parts[-1] if len(parts) > 1 else "lat")
    else:
        name = parts[0]
    if name not in form.names():
        name = FORM_ALIASES.get(name, name)
    return name if name in form.names() else api_field


BODIES: dict[str, type[_Recording]] = {"site": SiteIn, "team": TeamIn, "link": LinkIn}


def _body(kind: str, data: dict[str, Any]) -> _Recording:
    model = BODIES[kind]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        name, msg = describe_error(err)
        raise FieldError(clean_field(name), msg) from None


# -- routes ------------------------------------------------------------------------------------
async def _submit(request: Request, svc: Service, user: User, agreement_id: str, kind: str,
                  back: str, remains: str | None = None) -> Response:
    """A form's post: with htmx the page comes back in place (the entry listed, or the
    error beside the form); without, a 303 back to the page, or the page with the error."""
    from . import remains as pages_mod

    form = {k: str(x) for k, x in (await request.form()).items()}
    check_csrf(request, form.pop("csrf_token", ""))
    htmx = request.headers.get("hx-request") == "true"

    def run() -> Response:
        svc.require(user, Role.REPORTER)
        a = svc.agreement(agreement_id)
        shell = {"site": site_form, "team": team_form}.get(kind)
        f = shell(a) if shell else link_form(a, remains)
        f.values = form
        try:
            refuse_restricted(user, [i.name for i in f.inputs
                                     if i.restricted and form.get(i.name, "").strip()])
            stored = _write(svc, user, a.id, _body(kind, _from_form(form)), remains)
        except (FieldError, RestrictedInput) as exc:
            name = form_field(exc.where or "entry", f)
            f.error = {"field": name, "detail": exc.message}
            if not user.cleared:  # never echo restricted inputs to the uncleared
                f.values = {k: x for k, x in form.items()
                            if k not in {i.name for i in f.inputs if i.restricted}}
            code = 403 if isinstance(exc, RestrictedInput) else 422
            return pages_mod.form_page(request, svc, user, a.id, kind, f, None, remains,
                                       status_code=code)
        if htmx:
            f.values = {}
            return pages_mod.form_page(request, svc, user, a.id, kind, f, stored.entry.id,
                                       remains)
        return RedirectResponse(f"{back}?recorded={stored.entry.id}", status_code=303)

    return await run_in_threadpool(run)


@pages.post("/agreements/{agreement_id}/sites", response_class=HTMLResponse)
async def site_submit(request: Request, svc: Svc, user: Me, agreement_id: str) -> Response:
    return await _submit(request, svc, user, agreement_id, "site",
                         f"/agreements/{agreement_id}/sites")


@pages.post("/agreements/{agreement_id}/teams", response_class=HTMLResponse)
async def team_submit(request: Request, svc: Svc, user: Me, agreement_id: str) -> Response:
    return await _submit(request, svc, user, agreement_id, "team",
                         f"/agreements/{agreement_id}/teams")


@pages.post("/agreements/{agreement_id}/custody", response_class=HTMLResponse)
async def link_submit(request: Request, svc: Svc, user: Me, agreement_id: str) -> Response:
    return await _submit(request, svc, user, agreement_id, "link",
                         f"/agreements/{agreement_id}/custody")


@pages.post("/agreements/{agreement_id}/custody/{remains}", response_class=HTMLResponse)
async def chain_link_submit(request: Request, svc: Svc, user: Me, agreement_id: str,
                            remains: str) -> Response:
    return await _submit(request, svc, user, agreement_id, "link",
                         f"/agreements/{agreement_id}/custody/{remains}", remains)


_WRITE = {201: {"description": "Recorded: the new entry as you may see it"},
          403: {"description": "Not a reporter, or a restricted field while not cleared"},
          422: {"description": "Refused, naming the field and what was expected; nothing "
                               "was written"}}


@api.post("/agreements/{agreement_id}/sites", response_model=Recorded, status_code=201,
          responses=_WRITE,  # type: ignore[arg-type]
          summary="Report a site or change its status (reporter; twin of the sites page's "
                  "form). persons and coordinates only from cleared accounts")
def site_json(request: Request, svc: Svc, user: Me, agreement_id: str,
              body: Annotated[SiteIn, Body()]) -> dict[str, Any]:
    svc.require(user, Role.REPORTER)
    check_csrf(request, None)
    return _recorded(svc, user, _write(svc, user, agreement_id, body))


@api.post("/agreements/{agreement_id}/teams", response_model=Recorded, status_code=201,
          responses=_WRITE,  # type: ignore[arg-type]
          summary="Register a team or log its activity (reporter; twin of the teams page's "
                  "form)")
def team_json(request: Request, svc: Svc, user: Me, agreement_id: str,
              body: Annotated[TeamIn, Body()]) -> dict[str, Any]:
    svc.require(user, Role.REPORTER)
    check_csrf(request, None)
    return _recorded(svc, user, _write(svc, user, agreement_id, body))


@api.post("/agreements/{agreement_id}/custody", response_model=Recorded, status_code=201,
          responses=_WRITE,  # type: ignore[arg-type]
          summary="Add a custody link; out of order is refused (reporter; twin of the "
                  "custody page's form). persons only from cleared accounts")
def link_json(request: Request, svc: Svc, user: Me, agreement_id: str,
              body: Annotated[LinkIn, Body()]) -> dict[str, Any]:
    svc.require(user, Role.REPORTER)
    check_csrf(request, None)
    return _recorded(svc, user, _write(svc, user, agreement_id, body))


@api.post("/agreements/{agreement_id}/custody/{remains}", response_model=Recorded,
          status_code=201, responses=_WRITE,  # type: ignore[arg-type]
          summary="Add a link to one set's custody chain (reporter; twin of its page's "
                  "form)")
def chain_link_json(request: Request, svc: Svc, user: Me, agreement_id: str, remains: str,
                    body: Annotated[LinkIn, Body()]) -> dict[str, Any]:
    svc.require(user, Role.REPORTER)
    check_csrf(request, None)
    return _recorded(svc, user, _write(svc, user, agreement_id, body, remains))
