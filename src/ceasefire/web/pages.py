"""The dashboard's HTML pages: server-rendered, usable without JavaScript; htmx only swaps
the part a filter or a button changes. Each page links to its JSON twin under ``/api/``."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..ledger import META_TYPES, EntryType
from ..status import Status
from ..times import to_us
from ..users import ROLE_MEANING, Role, User
from .auth import check_csrf, current_user, service, user_of
from .service import PAGE_SIZE, FieldError, Service
from .views import agreement_summaries, party_view, provision_view

router = APIRouter(include_in_schema=False)
Svc = Annotated[Service, Depends(service)]
Me = Annotated[User, Depends(current_user)]
Q = Annotated[str | None, Query(max_length=200)]

#: The add-event form's fields, in order (name, label, help).
EVENT_FIELDS = [
    ("at", "When it happened", "YYYY-MM-DD, or YYYY-MM-DDTHH:MM for a known time"),
    ("until", "Until (for a range)", "optional"),
    ("precision", "Precision", "exact, hour or day"),
    ("actor", "By (party)", ""), ("recipient", "To (party)", ""),
    ("via", "Handed over via", "party ids separated by ;"),
    ("category", "Category", ""), ("quantity", "Quantity", "a whole number"),
    ("measure", "Measure", "who counted it and how"), ("facility", "Facility", ""),
    ("state", "State", "for a facility state"), ("provision", "Provision", ""),
    ("reason", "Reason cited (provision)", ""), ("kind", "Kind", "incident or milestone kind"),
    ("target", "Same event as entry", "another report of an entry already in the ledger"),
    ("place", "Place", ""), ("note", "Note", ""),
]
SOURCE_FIELDS = [("source_publisher", "Publisher"), ("source_title", "Title"),
                 ("source_date", "Published on"), ("source_url", "Address (URL)"),
                 ("source_quote", "Short verbatim quote")]


def render(request: Request, name: str, ctx: dict[str, Any], status_code: int = 200) -> Response:
    t = request.app.state.templates
    ctx.setdefault("json_url", None)
    ctx["user"] = user_of(request)
    ctx["Role"] = Role
    return t.TemplateResponse(request, name, ctx, status_code=status_code)  # type: ignore[no-any-return]


def _query(**kw: Any) -> str:
    q = urlencode({k: v for k, v in kw.items() if v})
    return f"?{q}" if q else ""


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, svc: Svc, user: Me, as_of: Q = None,
             known_at: Q = None) -> Response:
    return render(request, "overview.html", {
        "summaries": agreement_summaries(svc, user, as_of, known_at),
        "as_of": as_of or "", "known_at": known_at or "",
        "json_url": "/api/agreements" + _query(as_of=as_of, known_at=known_at)})


@router.get("/agreements/{agreement_id}", response_class=HTMLResponse)
async def agreement_page(request: Request, svc: Svc, user: Me, agreement_id: str,
                         as_of: Q = None, known_at: Q = None, party: Q = None,
                         phase: Q = None, status: Q = None) -> Response:
    """Async so that the public's cached page is answered on the event loop; rendering
    and database reads go to a worker thread."""
    a = svc.agreement(agreement_id)
    m = svc.moment(a, as_of, known_at)
    svc.check_filters(a, party=party, phase=phase, status=status)
    if not user.authenticated:
        key = ("agreement", a.id, str(request.url.query), to_us(m.as_of), to_us(m.known_at))
        body = svc.cached_page_now(key)
        if body is None:
            body = await run_in_threadpool(svc.cached_page, key, lambda: _agreement(
                request, svc, user, a, m, as_of, known_at, party, phase, status).body)
        if "gzip" in request.headers.get("accept-encoding", ""):
            return HTMLResponse(svc.gzipped(body), headers={
                "Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
        return HTMLResponse(body)
    return await run_in_threadpool(_agreement, request, svc, user, a, m, as_of, known_at,
                                   party, phase, status)


def _agreement(request: Request, svc: Service, user: User, a: Any, m: Any, as_of: str | None,
               known_at: str | None, party: str | None, phase: str | None,
               status: str | None) -> Response:
    st = svc.status(a, m, user)
    dates = _query(as_of=as_of, known_at=known_at)
    return render(request, "agreement.html", {
        "a": a, "m": m, "st": st, "tz": a.tz, "dates": dates,
        "rows": svc.provisions(st, party=party, phase=phase, status=status),
        "progress": svc.phase_progress(st), "statuses": [s.value for s in Status],
        "f": {"party": party or "", "phase": phase or "", "status": status or ""},
        "json_url": f"/api/agreements/{a.id}/status" + _query(
            as_of=as_of, known_at=known_at, party=party, phase=phase, status=status)})


@router.get("/agreements/{agreement_id}/provisions/{provision_id}",
            response_class=HTMLResponse)
def provision_page(request: Request, svc: Svc, user: Me, agreement_id: str, provision_id: str,
                   as_of: Q = None, known_at: Q = None) -> Response:
    v = provision_view(svc, user, agreement_id, provision_id, as_of, known_at)
    dates = _query(as_of=as_of, known_at=known_at)
    return render(request, "provision.html", {
        **v, "a": v["agreement"], "m": v["moment"], "tz": v["agreement"].tz, "dates": dates,
        "json_url": f"/api/agreements/{agreement_id}/provisions/{provision_id}" + dates})


@router.get("/agreements/{agreement_id}/parties/{party_id}", response_class=HTMLResponse)
def party_page(request: Request, svc: Svc, user: Me, agreement_id: str, party_id: str,
               as_of: Q = None, known_at: Q = None) -> Response:
    v = party_view(svc, user, agreement_id, party_id, as_of, known_at)
    dates = _query(as_of=as_of, known_at=known_at)
    return render(request, "party.html", {
        **v, "a": v["agreement"], "m": v["moment"], "tz": v["agreement"].tz, "dates": dates,
        "json_url": f"/api/agreements/{agreement_id}/parties/{party_id}" + dates})


@router.get("/agreements/{agreement_id}/sources", response_class=HTMLResponse)
def sources_page(request: Request, svc: Svc, user: Me, agreement_id: str, as_of: Q = None,
                 known_at: Q = None) -> Response:
    a = svc.agreement(agreement_id)
    m = svc.moment(a, as_of, known_at)
    st = svc.status(a, m, user)
    dates = _query(as_of=as_of, known_at=known_at)
    return render(request, "sources.html", {
        "a": a, "m": m, "st": st, "tz": a.tz, "dates": dates,
        "json_url": f"/api/agreements/{a.id}/disagreements" + dates})


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(request: Request, svc: Svc, user: Me, agreement: Q = None, type: Q = None,
                q: Q = None, before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
                limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE) -> Response:
    rows, nxt = svc.entries_page(user, agreement=agreement, type_=type, text=q, before=before,
                                 limit=limit)
    params: dict[str, Any] = {"agreement": agreement, "type": type, "q": q,
                              "limit": limit if limit != PAGE_SIZE else None}
    return render(request, "ledger.html", {
        "rows": rows, "next_url": "/ledger" + _query(**params, before=nxt) if nxt else None,
        "first_url": "/ledger" + _query(**params) if before else None,
        "f": {k: v or "" for k, v in params.items()},
        "agreements": list(svc.ledger.agreements().values()),
        "types": [t.value for t in EntryType],
        "export_query": _query(agreement=agreement),
        "json_url": "/api/entries" + _query(**params, before=before)})


@router.get("/entries/{entry_id}", response_class=HTMLResponse)
def entry_page(request: Request, svc: Svc, user: Me, entry_id: str) -> Response:
    return _entry(request, svc, user, entry_id)


def _entry(request: Request, svc: Service, user: User, entry_id: str,
           error: dict[str, str] | None = None, values: dict[str, str] | None = None,
           status_code: int = 200) -> Response:
    row = svc.entry(entry_id, user)
    return render(request, "entry.html", {
        "row": row, "e": row.entry, "error": error, "values": values or {},
        "source_fields": SOURCE_FIELDS, "json_url": f"/api/entries/{entry_id}"},
        status_code=status_code)


@router.post("/entries/{entry_id}/source", response_class=HTMLResponse)
async def attach_source(request: Request, svc: Svc, user: Me, entry_id: str) -> Response:
    form = dict((await request.form()).items())
    check_csrf(request, str(form.pop("csrf_token", "")))
    svc.require(user, Role.REPORTER)
    values = {k: str(v) for k, v in form.items()}
    source = {k.removeprefix("source_"): v for k, v in values.items()
              if k.startswith("source_") and v}
    if values.get("source_confidential"):
        source["confidential"] = "true"
    try:
        from pydantic import ValidationError

        from ..sources import Source

        try:
            src = Source.model_validate(source).model_dump(mode="json")
        except ValidationError as exc:
            err = exc.errors()[0]
            field = "source_" + ".".join(str(x) for x in err["loc"])
            raise FieldError(field, "required field is missing" if err["type"] == "missing"
                             else err["msg"]) from None
        svc.annotate(user, entry_id, "source", source=src)
    except FieldError as exc:
        return _entry(request, svc, user, entry_id, {"field": exc.field, "detail": exc.message},
                      values, status_code=422)
    return RedirectResponse(f"/entries/{entry_id}", status_code=303)


@router.post("/entries/{entry_id}/{action}", response_class=HTMLResponse)
def annotate(request: Request, svc: Svc, user: Me, entry_id: str, action: str,
             csrf_token: Annotated[str, Form(max_length=200)] = "",
             note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    check_csrf(request, csrf_token)
    svc.annotate(user, entry_id, action, note=note or None)
    return RedirectResponse(f"/entries/{entry_id}", status_code=303)


@router.get("/events/new", response_class=HTMLResponse)
def new_event(request: Request, svc: Svc, user: Me, agreement: Q = None) -> Response:
    svc.require(user, Role.REPORTER)
    return _event_form(request, svc, agreement, {}, None)


def _event_form(request: Request, svc: Service, agreement: str | None, values: dict[str, str],
                error: dict[str, str] | None, status_code: int = 200) -> Response:
    known = svc.ledger.agreements()
    a = svc.agreement(agreement) if agreement else (next(iter(known.values()))
                                                     if len(known) == 1 else None)
    choices: dict[str, list[tuple[str, str]]] = {}
    if a is not None:
        for field, ids in a.known_ids.items():
            choices[field] = sorted((i, a.name_of(i)) for i in ids)
        choices["via"] = []
        choices["precision"] = [(p, p) for p in ("exact", "hour", "day")]
    return render(request, "event_form.html", {
        "a": a, "agreements": list(known.values()), "values": values, "error": error,
        "fields": EVENT_FIELDS, "source_fields": SOURCE_FIELDS, "choices": choices,
        "types": [t.value for t in EntryType if t not in META_TYPES],
        "json_url": None}, status_code=status_code)


@router.post("/events/new", response_class=HTMLResponse)
async def add_event(request: Request, svc: Svc, user: Me) -> Response:
    form = dict((await request.form()).items())
    check_csrf(request, str(form.pop("csrf_token", "")))
    svc.require(user, Role.REPORTER)
    values = {k: str(v) for k, v in form.items()}
    data = {k: v for k, v in values.items() if v}
    if data.pop("source_confidential", None):
        data["source_confidential"] = "true"
    try:
        if not data.get("agreement"):
            raise FieldError("agreement", "choose the agreement this event concerns")
        if data["agreement"] not in svc.ledger.agreements():
            raise FieldError("agreement", f"unknown agreement {data['agreement']!r}")
        stored = svc.add_event(user, data, flat=True)
    except FieldError as exc:
        known = values.get("agreement") in svc.ledger.agreements()
        return _event_form(request, svc, values["agreement"] if known else None, values,
                           {"field": exc.field, "detail": exc.message}, status_code=422)
    return RedirectResponse(f"/entries/{stored.entry.id}", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, user: Me) -> Response:
    return render(request, "login.html", {"error": None, "name": "", "json_url": "/api/me"})


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, svc: Svc, name: Annotated[str, Form(max_length=80)] = "",
          password: Annotated[str, Form(max_length=1000)] = "",
          csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(request, csrf_token)
    limiter = request.app.state.limiter
    client = request.client.host if request.client else "?"
    limiter.check(client, name)
    if not name or not password:
        field = "name" if not name else "password"
        return render(request, "login.html", {"error": {"field": field, "detail":
                      f"{field} is required"}, "name": name}, status_code=422)
    user = svc.accounts.authenticate(name, password)
    if user is None:
        limiter.failed(client, name)
        return render(request, "login.html", {"error": {
            "field": "password", "detail": "wrong name or password, or account revoked"},
            "name": name}, status_code=401)
    limiter.succeeded(name)
    request.session.clear()
    request.session["uid"] = user.id
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(request, csrf_token)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request, svc: Svc, user: Me) -> Response:
    svc.require(user, Role.ADMIN)
    return _admin(request, svc, None, {})


def _admin(request: Request, svc: Service, error: dict[str, str] | None,
           values: dict[str, str], status_code: int = 200) -> Response:
    return render(request, "admin.html", {
        "accounts": svc.accounts.list(), "roles": ROLE_MEANING, "error": error,
        "values": values, "json_url": "/api/users"}, status_code=status_code)


@router.post("/admin/users", response_class=HTMLResponse)
def admin_add_user(request: Request, svc: Svc, user: Me,
                   csrf_token: Annotated[str, Form(max_length=200)] = "",
                   name: Annotated[str, Form(max_length=200)] = "",
                   password: Annotated[str, Form(max_length=1000)] = "",
                   role: Annotated[str, Form(max_length=40)] = "",
                   cleared: Annotated[str, Form(max_length=10)] = "") -> Response:
    check_csrf(request, csrf_token)
    svc.require(user, Role.ADMIN)
    try:
        svc.add_user(user, name, password, role, bool(cleared))
    except FieldError as exc:
        return _admin(request, svc, {"field": exc.field, "detail": exc.message},
                      {"name": name, "role": role}, status_code=422)
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{name}/revoke", response_class=HTMLResponse)
def admin_revoke(request: Request, svc: Svc, user: Me, name: str,
                 csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(request, csrf_token)
    svc.revoke_user(user, name)
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/agreements", response_class=HTMLResponse)
def admin_agreement(request: Request, svc: Svc, user: Me,
                    csrf_token: Annotated[str, Form(max_length=200)] = "",
                    text: Annotated[str, Form(max_length=2_000_000)] = "") -> Response:
    check_csrf(request, csrf_token)
    svc.require(user, Role.ADMIN)
    try:
        a = svc.add_agreement(user, text)
    except FieldError as exc:
        return _admin(request, svc, {"field": exc.field, "detail": exc.message},
                      {"text": text}, status_code=422)
    return RedirectResponse(f"/agreements/{a.id}", status_code=303)
