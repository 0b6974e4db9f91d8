"""The review queue on the dashboard: candidate events read from reports, grouped by the
event they describe, each with its quote, its report, and what accepting would write; accept,
edit and reject, each with its JSON twin.

The page and the API are thin shells over :mod:`ceasefire.ingest.queue` and
:mod:`ceasefire.ingest.reconcile`, the same functions as ``ceasefire review``.

Who may do what: reporters and above read the queue (they feed it with ``ceasefire ingest``
and may want to see what is waiting); only verifiers and above decide, since accepting
writes to the ledger in their name. Viewers and the anonymous public see nothing of the
queue — it holds unreviewed text that may be wrong or sensitive — not even its length.
Fields the agreement lists in ``restricted_fields`` are emptied for uncleared readers.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import BaseModel, Field
from pydantic_core import to_jsonable_python

from ..errors import CeasefireError
from ..ingest.model import Document
from ..ingest.numbers import number
from ..ingest.queue import (
    EDITABLE,
    EventGroup,
    Queued,
    QueuedUnread,
    ReviewQueue,
    field_text,
    form_changes,
)
from ..ingest.reconcile import outlook
from ..users import Role, User
from .auth import check_csrf, current_user, service
from .pages import _query, render
from .service import FieldError, NotFound, Service

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["review"])
Svc = Annotated[Service, Depends(service)]
Me = Annotated[User, Depends(current_user)]
Agr = Annotated[str | None, Query(max_length=80, description="Only this agreement's queue.")]

#: The edit form's fields, in order: (name, label, help).
EDIT_FIELDS = [
    ("type", "Event type", "ledger entry type: transfer, flow, facility_state ..."),
    ("modality", "Modality", "occurred, planned, expected, demanded, hoped, permitted, "
     "denied or cumulative"),
    ("date", "Date", "YYYY-MM-DD"),
    ("date_end", "Until", "YYYY-MM-DD: last day of a range of days"),
    ("actor", "By (party)", ""),
    ("recipient", "To (party)", ""), ("via", "Via", "party ids separated by commas"),
    ("category", "Category", ""), ("quantity", "Quantity", "a whole number"),
    ("quantity_max", "Up to", "upper end of a range"),
    ("precision", "Precision", "exact, approximate, range, at_least or at_most"),
    ("measure", "Measure", ""), ("facility", "Facility", ""), ("place", "Place", ""),
    ("state", "State", "for a facility state"), ("kind", "Kind", ""),
    ("outcome", "Outcome", "for an identification"),
    ("target", "Identifies entry", "for an identification: the transfer's entry id"),
    ("provisions", "Provisions", "provision ids separated by commas"),
    ("attribution", "Attributed to", ""), ("note", "Note", ""),
]
assert {f for f, _, _ in EDIT_FIELDS} == set(EDITABLE)


# -- JSON shapes ------------------------------------------------------------------------------
class ReportView(BaseModel):
    name: str
    publisher: str | None
    title: str | None
    date: str | None
    url: str | None


class CandidateView(BaseModel):
    id: str
    status: str = Field(description="pending, accepted or rejected.")
    candidate: dict[str, Any] = Field(description="The event as the extractor read it "
                                      "(fields the agreement restricts are emptied unless "
                                      "you are cleared).")
    report: ReportView
    on_accept: str = Field(description="What accepting would do, in words.")
    would_write: dict[str, Any] | None = Field(description="The ledger entry accepting "
                                               "would write; null if it cannot be accepted "
                                               "as it is.")
    other_report_of: str | None = Field(description="The ledger event it would be another "
                                        "report of.")
    disputes: bool = Field(description="Accepting makes that event disputed (other number).")
    entry_id: str | None = Field(description="Once accepted: the entry it wrote.")


class ReviewGroup(BaseModel):
    reports: int = Field(description="Queued reports of this one event.")
    numbers: list[int] = Field(description="The numbers they give.")
    numbers_differ: bool
    candidates: list[CandidateView]


class UnreadView(BaseModel):
    id: str
    status: str = Field(description="pending, or checked once a person has read it.")
    quote: str = Field(description="The sentence.")
    names: list[str] = Field(description="What of the agreement it names.")
    why: str = Field(description="What else made it worth a look.")
    report: ReportView


class ReviewQueueView(BaseModel):
    agreement: str | None
    pending: int
    groups: list[ReviewGroup]
    unread: list[UnreadView] = Field(description="Sentences ingests passed over (no "
                                     "candidate) that name the agreement's terms with a "
                                     "figure, a date or an event word: read them.")


class EntryWritten(BaseModel):
    seq: int
    id: str
    type: str
    target: str | None
    recorded_by: str


class Decision(BaseModel):
    id: str
    status: str
    entries: list[EntryWritten] = Field(description="What accepting wrote (empty when the "
                                        "ledger already had this report from this source).")


# -- shared loaders ---------------------------------------------------------------------------
def _queue(svc: Service) -> ReviewQueue:
    return ReviewQueue(svc.ledger)


def _restricted(svc: Service, user: User, agreement: str) -> tuple[str, ...]:
    if user.cleared:
        return ()
    a = svc.ledger.agreements().get(agreement)
    return tuple(a.restricted_fields) if a else ()


def _view(svc: Service, user: User, item: Queued) -> CandidateView:
    c, doc = item.candidate, item.document
    hidden = _restricted(svc, user, c.agreement)
    data = c.model_dump(mode="json")
    look = outlook(svc.ledger, c, doc) if item.status == "pending" else None
    row = to_jsonable_python(look.row) if look and look.row else None
    for f in hidden:
        if f in data:
            data[f] = None
        if row is not None:
            row.pop(f, None)
    return CandidateView(
        id=c.id, status=item.status, candidate=data,
        report=_report(doc),
        on_accept=look.summary if look else f"already {item.status}",
        would_write=row, other_report_of=look.target if look else None,
        disputes=bool(look and look.disputes), entry_id=item.entry_id)


def _group(svc: Service, user: User, g: EventGroup) -> ReviewGroup:
    return ReviewGroup(reports=len(g.items), numbers=g.numbers, numbers_differ=g.differ,
                       candidates=[_view(svc, user, i) for i in g.items])


def _load(svc: Service, user: User, agreement: str | None) -> ReviewQueueView:
    svc.require(user, Role.REPORTER)
    if agreement:
        svc.agreement(agreement)  # 404 for an unknown agreement
    q = _queue(svc)
    groups = q.pending_events(agreement=agreement)
    return ReviewQueueView(agreement=agreement, pending=sum(len(g.items) for g in groups),
                           groups=[_group(svc, user, g) for g in groups],
                           unread=[_unread_view(u) for u in q.unread(agreement=agreement)])


def _report(doc: Document) -> ReportView:
    return ReportView(name=doc.name, publisher=doc.publisher, title=doc.title,
                      date=doc.date.isoformat() if doc.date else None, url=doc.url)


def _unread_view(u: QueuedUnread) -> UnreadView:
    return UnreadView(id=u.sentence.id, status=u.status, quote=u.sentence.quote,
                      names=u.sentence.names, why=u.sentence.why, report=_report(u.document))


def _check_off(svc: Service, user: User, uid: str) -> UnreadView:
    """Mark a passed-over sentence read, as ``ceasefire review --checked`` does."""
    svc.require(user, Role.VERIFIER)
    try:
        return _unread_view(_queue(svc).check_off(uid, by=user.name))
    except CeasefireError as exc:
        raise NotFound(exc.message, where="sentence") from None


def _get(svc: Service, user: User, cid: str) -> Queued:
    svc.require(user, Role.REPORTER)
    try:
        return _queue(svc).get(cid)
    except CeasefireError as exc:
        raise NotFound(exc.message, where="candidate") from None


def _decide(svc: Service, user: User, cid: str, action: str,
            changes: dict[str, Any] | None = None) -> Decision:
    """Accept, reject or edit one candidate, as ``ceasefire review`` does."""
    svc.require(user, Role.VERIFIER)
    item = _get(svc, user, cid)
    q = _queue(svc)
    try:
        if action == "accept":
            stored = q.accept(item.candidate.id, by=user.name)
            if stored:
                svc.wrote(stored[-1].seq)
            return Decision(id=item.candidate.id, status="accepted", entries=[
                EntryWritten(seq=s.seq, id=s.entry.id, type=s.entry.type.value,
                             target=s.entry.target, recorded_by=s.entry.recorded_by)
                for s in stored])
        if action == "reject":
            q.reject(item.candidate.id, by=user.name)
            return Decision(id=item.candidate.id, status="rejected", entries=[])
        q.edit(item.candidate.id, changes or {})
        return Decision(id=item.candidate.id, status="pending", entries=[])
    except CeasefireError as exc:
        where = exc.where or ""
        field = where.removeprefix("field ") if where.startswith("field ") else "candidate"
        raise FieldError(field, exc.message) from None


_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|\d[\d,.]*")


def _number_spans(quote: str, wanted: set[int]) -> list[tuple[int, int]]:
    """Where the quote writes one of the ``wanted`` numbers, in digits or words."""
    spans: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []
    for m in [*_TOKEN.finditer(quote), None]:
        if m is not None and number([m.group().lower().rstrip(",.")]) is not None:
            run.append(m)
            continue
        if run and number([r.group().lower().rstrip(",.") for r in run]) in wanted:
            spans.append((run[0].start(), run[-1].start() + len(run[-1].group().rstrip(",."))))
        run = []
    return spans


def highlighted(c: dict[str, Any]) -> Markup:
    """The quote with the words the extractor read (the date, the numbers) marked."""
    quote: str = c["quote"]
    wanted = {int(c[k]) for k in ("quantity", "quantity_max") if c.get(k) is not None}
    spans = _number_spans(quote, wanted) if wanted else []
    if c.get("date_text"):
        at = quote.lower().find(str(c["date_text"]).lower())
        end = at + len(str(c["date_text"]))
        if at != -1 and not any(a < end and at < b for a, b in spans):
            spans.append((at, end))
    out, pos = Markup(""), 0
    for a, b in sorted(spans):
        out += escape(quote[pos:a]) + Markup("<mark>") + escape(quote[a:b]) + Markup("</mark>")
        pos = b
    return out + escape(quote[pos:])


# -- pages --------------------------------------------------------------------------------------
def _page(request: Request, svc: Service, user: User, agreement: str | None,
          errors: dict[str, dict[str, str]] | None = None, values: dict[str, str] | None = None,
          status_code: int = 200) -> Response:
    v = _load(svc, user, agreement)
    return render(request, "review.html", {
        "v": v, "f": {"agreement": agreement or ""}, "highlighted": highlighted,
        "agreements": list(svc.ledger.agreements().values()), "errors": errors or {},
        "values": values or {}, "fields": EDIT_FIELDS, "field_text": field_text,
        "back": "/review" + _query(agreement=agreement),
        "json_url": "/api/review" + _query(agreement=agreement)}, status_code=status_code)


def _one(request: Request, svc: Service, user: User, cid: str,
         error: dict[str, str] | None = None, values: dict[str, str] | None = None,
         status_code: int = 200, fragment: bool = False) -> Response:
    item = _get(svc, user, cid)
    view = _view(svc, user, item)
    return render(request, "_review_item.html" if fragment else "review_item.html", {
        "c": view, "highlighted": highlighted, "error": error, "values": values or {},
        "fields": EDIT_FIELDS, "field_text": field_text, "group": None,
        "back": "/review" + _query(agreement=item.candidate.agreement),
        "json_url": f"/api/review/{item.candidate.id}"}, status_code=status_code)


@pages.get("/review", response_class=HTMLResponse)
def review_page(request: Request, svc: Svc, user: Me, agreement: Agr = None) -> Response:
    return _page(request, svc, user, agreement)


@pages.get("/review/{cid}", response_class=HTMLResponse)
def candidate_page(request: Request, svc: Svc, user: Me, cid: str) -> Response:
    return _one(request, svc, user, cid)


@pages.post("/review/unread/{uid}/checked", response_class=HTMLResponse)
async def checked_form(request: Request, svc: Svc, user: Me, uid: str) -> Response:
    """A passed-over sentence marked read: with htmx its line is swapped for its new state;
    without, the browser goes back to the queue (303)."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.pop("csrf_token", ""))
    view = _check_off(svc, user, uid)
    if request.headers.get("hx-request") == "true":
        return render(request, "_review_unread.html", {"u": view})
    return RedirectResponse("/review", status_code=303)


@pages.post("/review/{cid}/{action}", response_class=HTMLResponse)
async def decide_form(request: Request, svc: Svc, user: Me, cid: str, action: str) -> Response:
    """A form's accept / reject / edit. With htmx the candidate's card is swapped for its
    new state; without, the browser goes back to the queue (303)."""
    from starlette.concurrency import run_in_threadpool

    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.pop("csrf_token", ""))
    if action not in ("accept", "reject", "edit"):
        raise NotFound(f"no action {action!r}; expected accept, reject or edit",
                       where="action")
    htmx = request.headers.get("hx-request") == "true"

    def run() -> Response:
        svc.require(user, Role.VERIFIER)
        changes = None
        if action == "edit":
            changes = form_changes(_get(svc, user, cid).candidate, form)
        try:
            _decide(svc, user, cid, action, changes)
        except FieldError as exc:
            return _one(request, svc, user, cid, {"field": exc.field, "detail": exc.message},
                        form if action == "edit" else {}, status_code=422, fragment=htmx)
        if htmx:
            return _one(request, svc, user, cid, fragment=True)
        item = _get(svc, user, cid)
        if action == "edit":
            return RedirectResponse(f"/review/{item.candidate.id}", status_code=303)
        return RedirectResponse("/review" + _query(agreement=item.candidate.agreement),
                                status_code=303)

    return await run_in_threadpool(run)


# -- the JSON twins -----------------------------------------------------------------------------
@api.get("/review", response_model=ReviewQueueView,
         summary="Pending candidates grouped by event, with what accepting would write "
                 "(twin of /review; reporter)")
def review_json(svc: Svc, user: Me, agreement: Agr = None) -> ReviewQueueView:
    return _load(svc, user, agreement)


@api.get("/review/{cid}", response_model=CandidateView,
         summary="One candidate, pending or decided (twin of its page; reporter)")
def candidate_json(svc: Svc, user: Me, cid: str) -> CandidateView:
    return _view(svc, user, _get(svc, user, cid))


@api.post("/review/{cid}/accept", response_model=Decision,
          summary="Accept a candidate: a ledger entry with the report as source, or another "
                  "report of a known event (verifier)")
def accept_json(request: Request, svc: Svc, user: Me, cid: str) -> Decision:
    svc.require(user, Role.VERIFIER)
    check_csrf(request, None)
    return _decide(svc, user, cid, "accept")


@api.post("/review/{cid}/reject", response_model=Decision,
          summary="Reject a candidate; the ledger is not touched (verifier)")
def reject_json(request: Request, svc: Svc, user: Me, cid: str) -> Decision:
    svc.require(user, Role.VERIFIER)
    check_csrf(request, None)
    return _decide(svc, user, cid, "reject")


@api.post("/review/{cid}/edit", response_model=CandidateView,
          summary="Change fields of a pending candidate before accepting it (verifier)")
def edit_json(request: Request, svc: Svc, user: Me, cid: str,
              changes: Annotated[dict[str, Any], Body(
                  description=f"Fields to change: {', '.join(EDITABLE)}; null clears one.",
                  examples=[{"quantity": 45, "date": "2025-10-14"}])]) -> CandidateView:
    svc.require(user, Role.VERIFIER)
    check_csrf(request, None)
    _decide(svc, user, cid, "edit", changes)
    return _view(svc, user, _get(svc, user, cid))


@api.post("/review/unread/{uid}/checked", response_model=UnreadView,
          summary="Mark a sentence an ingest passed over as read (verifier)")
def checked_json(request: Request, svc: Svc, user: Me, uid: str) -> UnreadView:
    svc.require(user, Role.VERIFIER)
    check_csrf(request, None)
    return _check_off(svc, user, uid)
