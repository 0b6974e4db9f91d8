"""Search and recovery of remains on the dashboard: sites and their map, teams, custody
chains and the missing-persons list, each page with its JSON twin.

The data comes from :mod:`ceasefire.remains.views`, the same functions behind `ceasefire
sites|teams|custody|missing`. Coordinates, the names of the dead and site-to-person links
reach only cleared users: everyone else gets each model's ``public()`` copy, in the HTML
and the JSON alike.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..errors import CeasefireError
from ..remains import views as rv
from ..remains.svgmap import load_basemap, site_map_svg
from ..users import Role, User
from .auth import current_user, service
from .pages import _query, render
from .remains_forms import SOURCE_INPUTS, Form, link_form, site_form, team_form
from .service import NotFound, Service

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["remains"])
Svc = Annotated[Service, Depends(service)]
Me = Annotated[User, Depends(current_user)]
Q = Annotated[str | None, Query(max_length=40)]
#: After a form's 303: the entry it recorded, named above the form.
Rec = Annotated[str | None, Query(max_length=200, include_in_schema=False)]


@cache
def _basemap(path: str | None) -> dict[str, Any] | None:
    """The GeoJSON drawn under the sites (``CEASEFIRE_BASEMAP``), read once."""
    return load_basemap(path) if path else None


def _shown(items: list[Any], user: User) -> list[Any]:
    return items if user.cleared else [i.public() for i in items]


def _sites(svc: Service, user: User, agreement_id: str, as_of: str | None,
           known_at: str | None) -> dict[str, Any]:
    a, m, rows = svc.remains(agreement_id, as_of, known_at, lambda terms, view: rv.site_rows(view))
    shown = _shown(rows, user)
    svg = site_map_svg(shown, _basemap(os.environ.get("CEASEFIRE_BASEMAP")),
                       title=f"Sites · {a.name}")
    return {"a": a, "m": m, "sites": shown, "map": svg}


def _teams(svc: Service, user: User, agreement_id: str, as_of: str | None,
           known_at: str | None) -> dict[str, Any]:
    a, m, teams = svc.remains(agreement_id, as_of, known_at,
                              lambda terms, view: rv.team_views(view))
    return {"a": a, "m": m, "teams": _shown(teams, user)}


def _custody(svc: Service, user: User, agreement_id: str, as_of: str | None,
             known_at: str | None) -> dict[str, Any]:
    a, m, chains = svc.remains(agreement_id, as_of, known_at,
                               lambda terms, view: rv.custody_chains(view, terms))
    return {"a": a, "m": m, "chains": _shown(chains, user)}


def _chain(svc: Service, user: User, agreement_id: str, remains: str, as_of: str | None,
           known_at: str | None) -> dict[str, Any]:
    def one(terms: Any, view: Any) -> Any:
        found = [c for c in rv.custody_chains(view, terms) if c.remains == remains]
        if not found:
            raise NotFound(f"no set of remains {remains!r} in {agreement_id} as of that date",
                           where="remains")
        return found[0]

    a, m, chain = svc.remains(agreement_id, as_of, known_at, one)
    return {"a": a, "m": m, "chain": _shown([chain], user)[0]}


def _missing(svc: Service, user: User, agreement_id: str, as_of: str | None,
             known_at: str | None) -> dict[str, Any]:
    a, m, lists = svc.remains(agreement_id, as_of, known_at, lambda terms, view: [
        rv.missing_persons(view, terms, r.id) for r in rv.remains_rosters(terms)])
    return {"a": a, "m": m, "lists": _shown(lists, user)}


def _forms(kind: str, user: User, a: Any, remains: str | None = None) -> list[Form]:
    """The recording forms a page offers: reporters and above only."""
    if not user.can(Role.REPORTER):
        return []
    make = {"sites": site_form, "teams": team_form, "custody": link_form}.get(kind)
    if kind == "chain":
        return [link_form(a, remains)]
    return [make(a)] if make else []


def _page(request: Request, name: str, v: dict[str, Any], json_path: str, as_of: str | None,
          known_at: str | None, forms: list[Form] | None = None, recorded: str | None = None,
          status_code: int = 200) -> Response:
    dates = _query(as_of=as_of, known_at=known_at)
    if recorded and forms:  # only an entry that is there is announced
        try:
            request.app.state.service.ledger.get(recorded)
        except CeasefireError:
            recorded = None
    known = _known_ids(request.app.state.service, v["a"].id) if forms else {}
    return render(request, name, {**v, "tz": v["a"].tz, "dates": dates,
                                  "as_of": as_of or "", "known_at": known_at or "",
                                  "json_url": json_path + dates, "forms": forms or [],
                                  "recorded": recorded, "source_inputs": SOURCE_INPUTS,
                                  "known": known},
                  status_code=status_code)


def _known_ids(svc: Service, agreement_id: str) -> dict[str, list[str]]:
    """Site and team ids recorded so far, offered as suggestions in the forms (ids only:
    a site's id is public, its coordinates and persons are not)."""
    _, _, (sites, teams) = svc.remains(agreement_id, None, None, lambda terms, view: (
        rv.site_rows(view), rv.team_views(view)))
    return {"site": sorted({s.site for s in sites}), "team": sorted({t.team for t in teams})}


def form_page(request: Request, svc: Service, user: User, agreement_id: str, kind: str,
              form: Form, recorded: str | None, remains: str | None = None,
              status_code: int = 200) -> Response:
    """A page re-rendered after its form was posted: the entry recorded, or the error."""
    if remains is not None:
        try:
            v = _chain(svc, user, agreement_id, remains, None, None)
        except NotFound:  # a first link refused: the chain does not exist yet
            v = _custody(svc, user, agreement_id, None, None)
            return _page(request, "remains_custody.html", v,
                         f"/api/agreements/{agreement_id}/custody", None, None, [form],
                         recorded, status_code)
        return _page(request, "remains_chain.html", v,
                     f"/api/agreements/{agreement_id}/custody/{remains}", None, None, [form],
                     recorded, status_code)
    listing = {"site": "sites", "team": "teams", "link": "custody"}[kind]
    load, _ = LISTINGS[listing]
    v = load(svc, user, agreement_id, None, None)
    return _page(request, f"remains_{listing}.html", v,
                 f"/api/agreements/{agreement_id}/{listing}", None, None, [form], recorded,
                 status_code)


LISTINGS: dict[str, tuple[Callable[..., dict[str, Any]], str]] = {}


def _listing(kind: str, key: str, load: Callable[..., dict[str, Any]], model: Any,
             summary: str) -> None:
    """Register one remains listing: its HTML page and its JSON twin, from one loader."""

    def page(request: Request, svc: Svc, user: Me, agreement_id: str, as_of: Q = None,
             known_at: Q = None, recorded: Rec = None) -> Response:
        v = load(svc, user, agreement_id, as_of, known_at)
        return _page(request, f"remains_{kind}.html", v,
                     f"/api/agreements/{agreement_id}/{kind}", as_of, known_at,
                     _forms(kind, user, v["a"]), recorded)

    def twin(svc: Svc, user: Me, agreement_id: str, as_of: Q = None,
             known_at: Q = None) -> Any:
        return load(svc, user, agreement_id, as_of, known_at)[key]

    LISTINGS[kind] = (load, key)
    page.__name__, twin.__name__ = f"{kind}_page", f"{kind}_json"
    path = f"/agreements/{{agreement_id}}/{kind}"
    pages.get(path, response_class=HTMLResponse)(page)
    api.get(path, response_model=list[model], summary=summary)(twin)  # type: ignore[valid-type]


_listing("sites", "sites", _sites, rv.SiteRow,
         "Sites believed to hold remains, with every team's history (twin of the sites "
         "page); coordinates and persons only for cleared users")
_listing("teams", "teams", _teams, rv.TeamView,
         "Teams, their sites and outcomes, and their logs (twin of the teams page)")
_listing("custody", "chains", _custody, rv.CustodyChain,
         "Every set of remains and its chain of custody (twin of the custody page)")
_listing("missing", "lists", _missing, rv.MissingList,
         "The persons whose remains are owed, each with where they stand (twin of the "
         "missing page); names only where public or for cleared users")


@pages.get("/agreements/{agreement_id}/custody/{remains}", response_class=HTMLResponse)
def chain_page(request: Request, svc: Svc, user: Me, agreement_id: str, remains: str,
               as_of: Q = None, known_at: Q = None, recorded: Rec = None) -> Response:
    v = _chain(svc, user, agreement_id, remains, as_of, known_at)
    return _page(request, "remains_chain.html", v,
                 f"/api/agreements/{agreement_id}/custody/{remains}", as_of, known_at,
                 _forms("chain", user, v["a"], remains), recorded)


@api.get("/agreements/{agreement_id}/sites/map.svg", response_class=Response,
         summary="The sites drawn offline as SVG (only the sites the reader may place)")
def sites_map(svc: Svc, user: Me, agreement_id: str, as_of: Q = None,
              known_at: Q = None) -> Response:
    return Response(_sites(svc, user, agreement_id, as_of, known_at)["map"],
                    media_type="image/svg+xml")


@api.get("/agreements/{agreement_id}/custody/{remains}", response_model=rv.CustodyChain,
         summary="One set of remains: its custody timeline (twin of its page)")
def chain_json(svc: Svc, user: Me, agreement_id: str, remains: str, as_of: Q = None,
               known_at: Q = None) -> Any:
    return _chain(svc, user, agreement_id, remains, as_of, known_at)["chain"]
