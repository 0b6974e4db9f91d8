"""The JSON API: each dashboard page's twin under ``/api/``, and the writes behind its forms.

Reads are open to the public picture (restricted data only for cleared users); writes need
a role. Send ``Authorization: Bearer <token>``; a signed-in browser may instead send its
session cookie with the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..ledger import EntryIn
from ..projection import Projection
from ..sources import Source
from ..status import (
    AgreementStatus,
    Disagreement,
    PartyResult,
    ProvisionHistory,
    ProvisionResult,
)
from ..users import ROLE_MEANING, Role, User
from .auth import check_csrf, current_user, service
from .service import PAGE_SIZE, Service
from .views import (
    agreement_summaries,
    party_view,
    provision_view,
)

router = APIRouter(prefix="/api", tags=["api"])
Svc = Annotated[Service, Depends(service)]
Me = Annotated[User, Depends(current_user)]
AsOf = Annotated[str | None, Query(
    description="The world on this date (YYYY-MM-DD = end of that day; default now).",
    max_length=40)]
KnownAt = Annotated[str | None, Query(
    description="Use only what had been recorded by then (default now).", max_length=40)]


class PhaseProgress(BaseModel):
    id: str
    name: str
    open: bool
    complete: bool
    level: str
    fulfilled: int = Field(description="Agreed provisions of the phase fulfilled.")
    agreed: int
    provisions: int
    percent: int


class AgreementSummary(BaseModel):
    id: str
    name: str
    version: str
    level: str
    as_of: str
    phases: list[PhaseProgress]


class EntryView(BaseModel):
    """An entry as the reader may see it (redacted unless cleared), with its current state."""

    seq: int
    state: str = Field(description="reported, corroborated, confirmed, disputed or retracted.")
    when: str
    superseded_by: list[str] = Field(description="Corrections that replace fields of it.")
    extra_sources: int = Field(description="Sources attached later by `source` entries.")
    id: str
    type: str
    agreement: str
    model_config = {"extra": "allow"}


class EntriesPage(BaseModel):
    entries: list[EntryView]
    next_before: int | None = Field(description="Pass as `before` for the next (older) page.")


class ProvisionView(BaseModel):
    agreement: str
    provision: dict[str, Any] = Field(description="The provision's terms, as in the file.")
    source_document: dict[str, Any] | None
    result: ProvisionResult
    evidence: list[EntryView]
    history: ProvisionHistory = Field(description="The figures over time the chart draws.")


class PartyView(BaseModel):
    agreement: str
    party: dict[str, Any]
    result: PartyResult


class Written(BaseModel):
    seq: int
    id: str
    type: str
    recorded_by: str


class Note(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class UserIn(BaseModel):
    name: str = Field(max_length=80)
    password: str = Field(max_length=1000)
    role: Role
    cleared: bool = False


class UserOut(BaseModel):
    name: str
    role: Role
    cleared: bool
    revoked: bool
    created_at: str | None = None
    created_by: str | None = None


class AgreementIn(BaseModel):
    text: str = Field(description="The agreement file (YAML).", max_length=2_000_000)


def _row(r: Any) -> dict[str, Any]:
    return r.as_json()  # type: ignore[no-any-return]


@router.get("/me", response_model=UserOut, summary="Who you are, and what you may do")
def me(user: Me) -> UserOut:
    return UserOut(name=user.name, role=user.role, cleared=user.cleared, revoked=user.revoked)


@router.get("/agreements", response_model=list[AgreementSummary],
            summary="Agreements, their phases and progress (twin of /)")
def agreements(svc: Svc, user: Me, as_of: AsOf = None,
               known_at: KnownAt = None) -> list[dict[str, Any]]:
    return agreement_summaries(svc, user, as_of, known_at)


@router.post("/agreements", response_model=AgreementSummary, status_code=201,
             summary="Add or replace an agreement (admin)")
def add_agreement(request: Request, svc: Svc, user: Me,
                  body: Annotated[AgreementIn, Body()]) -> dict[str, Any]:
    svc.require(user, Role.ADMIN)
    check_csrf(request, None)
    a = svc.add_agreement(user, body.text)
    return next(s for s in agreement_summaries(svc, user, None, None) if s["id"] == a.id)


@router.get("/agreements/{agreement_id}/status", response_model=None,
            responses={200: {"model": AgreementStatus}},
            summary="Every provision's status, phases, parties (twin of the agreement page)")
async def status(request: Request, svc: Svc, user: Me, agreement_id: str, as_of: AsOf = None,
                 known_at: KnownAt = None,
                 party: Annotated[str | None, Query(max_length=80)] = None,
           phase: Annotated[str | None, Query(max_length=80)] = None,
           status: Annotated[str | None, Query(max_length=40)] = None,
           evidence: Annotated[bool, Query(
               description="Include each provision's newest evidence entries.")] = False
           ) -> Response:
    a = svc.agreement(agreement_id)
    m = svc.moment(a, as_of, known_at)
    filters: dict[str, Any] = {"party": party, "phase": phase, "status": status,
                               "evidence": evidence}
    body = svc.cached_status_json(a, m, user, **filters)
    if body is None:
        body = await run_in_threadpool(lambda: svc.status_json(a, m, user, **filters))
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(svc.gzipped(body), media_type="application/json", headers={
            "Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(body, media_type="application/json", headers={"Vary": "Accept-Encoding"})


@router.get("/agreements/{agreement_id}/provisions/{provision_id}",
            response_model=ProvisionView,
            summary="One provision: text, source, status, evidence (twin of its page)")
def provision(svc: Svc, user: Me, agreement_id: str, provision_id: str, as_of: AsOf = None,
              known_at: KnownAt = None) -> dict[str, Any]:
    v = provision_view(svc, user, agreement_id, provision_id, as_of, known_at)
    return {"agreement": agreement_id, "provision": v["terms"], "source_document": v["doc"],
            "result": v["result"], "evidence": [_row(r) for r in v["evidence"]],
            "history": v["history_json"]}


@router.get("/agreements/{agreement_id}/parties/{party_id}", response_model=PartyView,
            summary="What a party owes now, overdue first (twin of its page)")
def party(svc: Svc, user: Me, agreement_id: str, party_id: str, as_of: AsOf = None,
          known_at: KnownAt = None) -> dict[str, Any]:
    v = party_view(svc, user, agreement_id, party_id, as_of, known_at)
    return {"agreement": agreement_id, "party": v["party"].model_dump(mode="json"),
            "result": v["result"]}


@router.get("/agreements/{agreement_id}/disagreements", response_model=list[Disagreement],
            summary="Facts on which sources disagree (twin of the sources page)")
def disagreements(svc: Svc, user: Me, agreement_id: str, as_of: AsOf = None,
                  known_at: KnownAt = None) -> list[Disagreement]:
    a = svc.agreement(agreement_id)
    return svc.status(a, svc.moment(a, as_of, known_at), user).disagreements


@router.get("/entries", response_model=EntriesPage,
            summary="Ledger entries, newest first, paged by position (twin of /ledger)")
def entries(svc: Svc, user: Me,
            agreement: Annotated[str | None, Query(max_length=80)] = None,
            type: Annotated[str | None, Query(max_length=40)] = None,
            q: Annotated[str | None, Query(max_length=200, description="Text to look for.")]
            = None,
            before: Annotated[int | None, Query(ge=1, le=2**62,
                                                description="Entries older than this seq.")]
            = None,
            limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE) -> dict[str, Any]:
    rows, nxt = svc.entries_page(user, agreement=agreement, type_=type, text=q, before=before,
                                 limit=limit)
    return {"entries": [_row(r) for r in rows], "next_before": nxt}


@router.post("/entries", response_model=Written, status_code=201,
             summary="Record an event (reporter); it lands as reported")
def add_entry(request: Request, svc: Svc, user: Me,
              body: Annotated[EntryIn, Body()]) -> dict[str, Any]:
    svc.require(user, Role.REPORTER)
    check_csrf(request, None)
    data = body.model_dump(mode="json", exclude_unset=True)
    s = svc.add_event(user, data, flat=False)
    return {"seq": s.seq, "id": s.entry.id, "type": s.entry.type.value,
            "recorded_by": s.entry.recorded_by}


@router.get("/entries/{entry_id}", response_model=EntryView,
            summary="One entry, redacted unless you are cleared (twin of its page)")
def entry(svc: Svc, user: Me, entry_id: str) -> dict[str, Any]:
    return _row(svc.entry(entry_id, user))


@router.post("/entries/{entry_id}/sources", response_model=Written, status_code=201,
             summary="Attach another source to an entry (reporter)")
def attach_source(request: Request, svc: Svc, user: Me, entry_id: str,
                  body: Annotated[Source, Body()]) -> dict[str, Any]:
    svc.require(user, Role.REPORTER)
    check_csrf(request, None)
    s = svc.annotate(user, entry_id, "source", source=body.model_dump(mode="json"))
    return {"seq": s.seq, "id": s.entry.id, "type": s.entry.type.value,
            "recorded_by": s.entry.recorded_by}


@router.post("/entries/{entry_id}/{action}", response_model=Written, status_code=201,
             summary="Confirm, dispute or retract an entry (verifier)")
def annotate(request: Request, svc: Svc, user: Me, entry_id: str,
             action: Literal["confirm", "dispute", "retract"],
             body: Annotated[Note | None, Body()] = None) -> dict[str, Any]:
    svc.require(user, Role.VERIFIER)
    check_csrf(request, None)
    s = svc.annotate(user, entry_id, action, note=body.note if body else None)
    return {"seq": s.seq, "id": s.entry.id, "type": s.entry.type.value,
            "recorded_by": s.entry.recorded_by}


@router.get("/export", response_model=None,
            responses={200: {"content": {"text/plain": {}}}},
            summary="Entries as a re-importable CSV, JSON or YAML file")
def export(svc: Svc, user: Me,
           format: Annotated[Literal["csv", "json", "yaml"], Query()] = "json",
           agreement: Annotated[str | None, Query(max_length=80)] = None,
           include_restricted: bool = False) -> Response:
    text, name = svc.export(user, fmt=format, agreement=agreement,
                            include_restricted=include_restricted)
    media = {"csv": "text/csv", "json": "application/json", "yaml": "application/yaml"}[name]
    return Response(text, media_type=f"{media}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="ledger.{name}"'})


@router.get("/users", response_model=list[UserOut], summary="Accounts (admin)")
def users(svc: Svc, user: Me) -> list[UserOut]:
    svc.require(user, Role.ADMIN)
    return [UserOut(name=u.name, role=u.role, cleared=u.cleared, revoked=u.revoked,
                    created_at=at.isoformat(), created_by=by)
            for u, at, by in svc.accounts.list()]


@router.post("/users", response_model=UserOut, status_code=201, summary="Add an account (admin)")
def add_user(request: Request, svc: Svc, user: Me,
             body: Annotated[UserIn, Body()]) -> UserOut:
    svc.require(user, Role.ADMIN)
    check_csrf(request, None)
    u = svc.add_user(user, body.name, body.password, body.role, body.cleared)
    return UserOut(name=u.name, role=u.role, cleared=u.cleared, revoked=False,
                   created_by=user.name)


@router.post("/users/{name}/revoke", response_model=UserOut, summary="Revoke an account (admin)")
def revoke_user(request: Request, svc: Svc, user: Me, name: str) -> UserOut:
    svc.require(user, Role.ADMIN)
    check_csrf(request, None)
    u = svc.revoke_user(user, name)
    return UserOut(name=u.name, role=u.role, cleared=u.cleared, revoked=u.revoked)


@router.get("/roles", summary="What each role may do")
def roles() -> JSONResponse:
    return JSONResponse({r.value: ROLE_MEANING[r] for r in Role})


@router.get("/agreements/{agreement_id}/projections", response_model=list[Projection],
            summary="For every quantity still owed, the completion date at the recent pace, "
                    "with an interval, flagged when the pace cannot meet the deadline")
def projections(svc: Svc, user: Me, agreement_id: str, as_of: AsOf = None,
                known_at: KnownAt = None) -> list[Projection]:
    a = svc.agreement(agreement_id)
    return svc.projections(a, svc.moment(a, as_of, known_at), user)
