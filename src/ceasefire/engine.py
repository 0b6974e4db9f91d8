"""The compliance engine: every provision's status, rolled up per phase, party and agreement.

Provisions are evaluated in dependency order (a condition or a ratio's base first), each by
its kind's evaluator (see :mod:`ceasefire.kinds`), against a bitemporal :class:`~.facts.View`
of the ledger and the terms in force on the as-of date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .agreement import (
    AbsoluteDeadline,
    Agreement,
    AllOf,
    AnyOf,
    Condition,
    Deadline,
    EventHappened,
    Fulfilled,
    OnOrAfter,
    PhaseComplete,
    PhaseOpen,
    ProvisionBase,
    evaluation_order,
)
from .errors import CeasefireError
from .facts import CODES, Snapshot, View
from .ledger import Entry, Ledger, fmt_valid
from .registry import provision_kinds
from .status import (
    URGENCY,
    AgreementStatus,
    Disagreement,
    Evidence,
    Freshness,
    Level,
    Obligation,
    PartyResult,
    PhaseResult,
    ProvisionHistory,
    ProvisionResult,
    Status,
)
from .times import from_us, humanize_age

UTC = dt.UTC


@dataclass
class Context:
    """What a provision kind's evaluator may read."""

    agreement: Agreement
    view: View
    as_of: dt.datetime
    known_at: dt.datetime
    results: dict[str, ProvisionResult] = field(default_factory=dict)
    phases: dict[str, PhaseResult] = field(default_factory=dict)

    def when_true(self, cond: Condition | None) -> dt.datetime | None:
        """The moment the condition became true, or None if it does not hold as of now."""
        if cond is None:
            return dt.datetime.min.replace(tzinfo=UTC)
        if isinstance(cond, Fulfilled):
            r = self.results.get(cond.fulfilled)
            return r.fulfilled_at if r and r.status == Status.FULFILLED else None
        if isinstance(cond, PhaseComplete):
            ph = self.phases.get(cond.phase_complete)
            return ph.completed_at if ph and ph.complete else None
        if isinstance(cond, PhaseOpen):
            ph = self.phases.get(cond.phase_open)
            return ph.opened_at if ph and ph.open else None
        if isinstance(cond, OnOrAfter):
            t = self._moment(cond.on_or_after)
            return t if t <= self.as_of else None
        if isinstance(cond, EventHappened):
            m = cond.event
            items = self.view.items(m.type, actor=m.actor, facility=m.facility,
                                    provision=m.provision)
            hits = [i for i in items if m.state is None or i.entry.state == m.state]
            return hits[0].entry.valid_from if hits else None
        if isinstance(cond, AllOf):
            times = [self.when_true(c) for c in cond.all]
            return None if any(t is None for t in times) else max(t for t in times if t)
        if isinstance(cond, AnyOf):
            found = [self.when_true(c) for c in cond.any]
            known = [t for t in found if t is not None]
            return min(known) if known else None
        raise TypeError(cond)

    def obliged_since(self, p: ProvisionBase) -> dt.datetime | None:
        """When a continuing obligation (a daily flow) began to bind: its condition, else
        its phase's opening, else the agreement's signature; None if none of them is known.

        Days from then on without a report are "no data", never skipped: a flow first
        reported a week after signature has a week nobody can vouch for.
        """
        if p.condition is not None:
            return self.when_true(p.condition)
        phase = next((ph for ph in self.agreement.phases if ph.id == p.phase), None)
        if phase is not None and phase.opens is not None:  # binds once its phase opens
            return self.when_true(phase.opens)
        if self.agreement.signed is not None:
            return self._moment(self.agreement.signed)
        return None

    def deadline(self, p: ProvisionBase) -> dt.datetime | None:
        return self.deadline_of(p.deadline)

    def deadline_of(self, d: Deadline | None) -> dt.datetime | None:
        """The moment a deadline falls, or None while what it counts from has not happened."""
        if d is None:
            return None
        if isinstance(d, AbsoluteDeadline):
            return self._moment(d.at, end_of_day=True)
        anchor = self.when_true(d.after)
        if anchor is None:
            return None
        return anchor + dt.timedelta(hours=d.hours, days=d.days)

    def _moment(self, value: dt.datetime | dt.date, end_of_day: bool = False) -> dt.datetime:
        tz = self.agreement.tz
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=tz)
        base = dt.datetime.combine(value, dt.time(0), tzinfo=tz)
        return base + dt.timedelta(days=1, microseconds=-1) if end_of_day else base

    def judge(self, p: ProvisionBase, r: ProvisionResult, *, done: bool,
              started: bool, disputed: bool = False, breached: bool = False,
              withheld_citing: str | None = None, continuing: bool = False,
              deadline: dt.datetime | None = None) -> None:
        """Set status, deadline and blocking the same way for every kind.

        Precedence: fulfilled, breached, withheld, disputed, then the calendar (overdue,
        blocked, not yet due, in progress). A party's stated reason is shown even when the
        provision is also blocked, because that is what monitors need to see first.
        ``deadline``, when given, is the one that binds now (a build-up's next stage)
        instead of the provision's own.
        """
        r.deadline = deadline if deadline is not None else self.deadline(p)
        blocked = None
        if p.condition is not None and self.when_true(p.condition) is None:
            from .agreement import describe_condition

            blocked = describe_condition(p.condition)
        phase_closed = bool(p.phase and p.phase in self.phases
                            and not self.phases[p.phase].open)
        if done and not disputed:
            r.status = Status.FULFILLED
        elif breached:
            r.status = Status.BREACHED
        elif withheld_citing:
            r.status = Status.WITHHELD
            r.withheld_citing = withheld_citing
        elif disputed:
            r.status = Status.DISPUTED
        elif p.negotiation != "agreed":
            r.status = Status.NOT_YET_DUE
            r.flags.append(f"not agreed: {p.negotiation.replace('_', ' ')}")
        elif r.deadline is not None and r.deadline < self.as_of and not continuing:
            r.status = Status.OVERDUE
            r.overdue_since = r.deadline
        elif blocked:
            r.status = Status.BLOCKED
        elif phase_closed:
            r.status = Status.NOT_YET_DUE
            blocked = blocked or f"{p.phase} not open"
        else:
            r.status = Status.IN_PROGRESS
        r.blocked_by = blocked if r.status not in (Status.FULFILLED,) else None
        if started and r.status == Status.BLOCKED:
            r.status = Status.IN_PROGRESS
            r.flags.append(f"delivery began before its condition ({blocked}) held")


def _result_shell(p: ProvisionBase) -> ProvisionResult:
    return ProvisionResult(
        id=p.id, kind=p.kind, title=p.title, phase=p.phase, by=p.by, to=p.to,
        negotiation=p.negotiation.value, source=p.source, status=Status.NOT_YET_DUE, detail="",
        level=Level.NOT_YET_ASSESSED, verification=None)


def _phase_result(a: Agreement, ctx: Context, phase_id: str, opening: bool) -> None:
    ph = next(x for x in a.phases if x.id == phase_id)
    members = [p for p in a.provisions if p.phase == phase_id]
    if opening:
        opened = ctx.when_true(ph.opens)
        ctx.phases[phase_id] = PhaseResult(
            id=ph.id, name=ph.name, open=opened is not None,
            opened_at=None if ph.opens is None else opened, complete=False, completed_at=None,
            level=Level.NOT_YET_ASSESSED, held_up_by=[], provisions=[p.id for p in members])
        return
    kinds = provision_kinds()
    result = ctx.phases[phase_id]
    binding = [ctx.results[p.id] for p in members
               if p.negotiation == "agreed" and not kinds[p.kind].continuing]
    held = [r for r in binding if r.status != Status.FULFILLED]
    result.held_up_by = [f"{r.id}: {r.status.value}" + (f" ({r.detail})" if r.detail else "")
                         for r in held]
    result.complete = result.open and bool(binding) and not held
    done_at = [r.fulfilled_at for r in binding if r.fulfilled_at]
    result.completed_at = max(done_at) if result.complete and done_at else None
    result.level = _rollup([ctx.results[p.id].level for p in members])


def _rollup(levels: list[Level]) -> Level:
    """A group's level: the mean of its assessed members' levels, rounded down."""
    scale = [Level.NOT_INITIATED, Level.MINIMAL, Level.INTERMEDIATE, Level.COMPLETE]
    assessed = [scale.index(lv) for lv in levels if lv != Level.NOT_YET_ASSESSED]
    if not assessed:
        return Level.NOT_YET_ASSESSED
    return scale[int(sum(assessed) / len(assessed))]


class Engine:
    """Evaluates agreements against one ledger; keeps a snapshot warm between calls.

    A long-lived Engine (the web server's) folds new appends into its snapshot instead of
    rereading the ledger, so a status after one more append costs milliseconds.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.snapshot = Snapshot(ledger)

    def refresh(self) -> None:
        self.snapshot.refresh()

    def status(self, agreement: str | Agreement | None = None, *,
               as_of: dt.datetime | None = None, known_at: dt.datetime | None = None,
               evidence: bool = True) -> AgreementStatus:
        ctx = self._evaluate(agreement, as_of, known_at)
        if evidence:
            self._attach_evidence(ctx)
        terms, view = ctx.agreement, ctx.view
        results = [ctx.results[p.id] for p in terms.provisions]
        return AgreementStatus(
            agreement=terms.id, name=terms.name, as_of=ctx.as_of, known_at=ctx.known_at,
            level=_rollup([r.level for r in results]), freshness=self._freshness(view),
            phases=[ctx.phases[ph.id] for ph in terms.phases], provisions=results,
            parties=self._parties(terms, results), disagreements=self._disagreements(view))

    def since(self, agreement: str | Agreement | None = None, *,
              as_of: dt.datetime | None = None, known_at: dt.datetime | None = None,
              since: dt.datetime | None = None) -> tuple[AgreementStatus, AgreementStatus]:
        """The status at ``since`` (default: a day before ``as_of``) and at ``as_of``.

        What briefs and alerts call "new" is what the second sees and the first did not;
        the earlier one knows no more than the later one (known at ``min(since, known_at)``).
        """
        now = self.status(agreement, as_of=as_of, known_at=known_at)
        since = since or now.as_of - dt.timedelta(days=1)
        if since > now.as_of:
            raise CeasefireError(f"--since ({since:%Y-%m-%d %H:%M}) is after --as-of "
                                 f"({now.as_of:%Y-%m-%d %H:%M})")
        before = self.status(agreement, as_of=since, known_at=min(since, now.known_at))
        return before, now

    def history(self, agreement: str | Agreement | None, provision: str, *,
                as_of: dt.datetime | None = None,
                known_at: dt.datetime | None = None) -> ProvisionHistory:
        """A provision's numbers over time, for charts and projections.

        The series come from the same view and terms as the status at ``as_of``, so the
        last point of every curve is the figure the status shows.
        """
        return self.histories(agreement, [provision], as_of=as_of, known_at=known_at)[provision]

    def histories(self, agreement: str | Agreement | None, provisions: list[str] | None = None,
                  *, as_of: dt.datetime | None = None,
                  known_at: dt.datetime | None = None) -> dict[str, ProvisionHistory]:
        """Several provisions' histories (default: all) from one evaluation of the agreement,
        so a brief with a dozen charts costs one status, not a dozen."""
        ctx = self._evaluate(agreement, as_of, known_at)
        terms = ctx.agreement
        by_id = {x.id: x for x in terms.provisions}
        out: dict[str, ProvisionHistory] = {}
        for pid in provisions if provisions is not None else list(by_id):
            p = by_id.get(pid)
            if p is None:
                raise CeasefireError(f"agreement {terms.id!r} has no provision {pid!r} "
                                     f"in force on {ctx.as_of:%Y-%m-%d}")
            category = getattr(p, "category", None)
            unit = next((c.unit for c in terms.categories if c.id == category), "")
            h = ProvisionHistory(agreement=terms.id, provision=p.id, kind=p.kind,
                                 title=p.title, unit=unit, as_of=ctx.as_of,
                                 known_at=ctx.known_at, chart="none")
            provision_kinds()[p.kind].history(p, ctx, ctx.results[p.id], h)
            if not any(s.points for s in h.series):
                h.chart = "none"
            out[pid] = h
        return out

    def _evaluate(self, agreement: str | Agreement | None, as_of: dt.datetime | None,
                  known_at: dt.datetime | None) -> Context:
        self.snapshot.refresh()
        base = agreement if isinstance(agreement, Agreement) else self.ledger.agreement(agreement)
        now = dt.datetime.now(UTC)
        as_of = as_of or now
        known_at = known_at or now
        terms = base.in_force(as_of)
        view = self.snapshot.view(terms.id, terms.tz, as_of, known_at)
        ctx = Context(terms, view, as_of, known_at)
        kinds = provision_kinds()
        by_id = {p.id: p for p in terms.provisions}
        for node in evaluation_order(terms):
            if node.startswith("phase-open:"):
                _phase_result(terms, ctx, node.split(":", 1)[1], opening=True)
            elif node.startswith("phase:"):
                _phase_result(terms, ctx, node.split(":", 1)[1], opening=False)
            elif node in by_id:
                p = by_id[node]
                r = _result_shell(p)
                kinds[p.kind].evaluate(p, ctx, r)
                ctx.results[p.id] = r
        return ctx

    def _attach_evidence(self, ctx: Context) -> None:
        shown: dict[str, list[int]] = {}
        for r in ctx.results.values():
            shown[r.id] = r.evidence_seqs
        wanted = self.ledger.by_seq({s for seqs in shown.values() for s in seqs})
        tz = ctx.agreement.tz
        for r in ctx.results.values():
            r.evidence = [evidence_of(s, wanted[s], ctx.view, tz,
                                      ctx.agreement.restricted_fields)
                          for s in reversed(shown[r.id]) if s in wanted]

    def _freshness(self, view: View) -> Freshness:
        """The newest entry this view can see (recorded by known-at, valid by as-of)."""
        best: tuple[int, int] | None = None
        for stream in view.snap.streams.values():
            if stream.key["agreement"] != view.agreement:
                continue
            cols = stream.arrays()
            m = (cols["rec"] <= view.known_at) & (cols["vto"] <= view.as_of)
            if m.any():
                i = int(cols["rec"][m].argmax())
                cand = (int(cols["rec"][m][i]), int(cols["seq"][m][i]))
                best = cand if best is None else max(best, cand)
        whole = view.known.memo.get(("freshness", view.as_of), ())
        if whole == ():
            recs, vtos, seqs = view.known.times  # whole entries recorded by known-at
            m = vtos <= view.as_of
            whole = None
            if m.any():
                i = int(np.lexsort((seqs[m], recs[m]))[-1])
                whole = (int(recs[m][i]), int(seqs[m][i]))
            view.known.memo[("freshness", view.as_of)] = whole
        if whole is not None:
            best = whole if best is None else max(best, whole)
        if best is None:
            return Freshness(latest_entry=None, latest_recorded_at=None, age=None)
        rec, seq = best
        eid = self.ledger.by_seq([seq])[seq].id
        return Freshness(latest_entry=eid, latest_recorded_at=from_us(rec),
                         age=humanize_age((view.known_at - rec) / 1e6) + " before known-at")

    @staticmethod
    def _parties(a: Agreement, results: list[ProvisionResult]) -> list[PartyResult]:
        out = []
        for party in a.parties:
            owed = [r for r in results if r.by == party.id and r.negotiation == "agreed"
                    and r.status != Status.FULFILLED]
            owed.sort(key=lambda r: (URGENCY.index(r.status), r.deadline or dt.datetime.max
                                     .replace(tzinfo=UTC)))
            out.append(PartyResult(party=party.id, name=party.name, outstanding=[
                Obligation(provision=r.id, title=r.title, status=r.status, detail=r.detail,
                           to=r.to, deadline=r.deadline, overdue_since=r.overdue_since)
                for r in owed]))
        return out

    @staticmethod
    def _disagreements(view: View) -> list[Disagreement]:
        out = []
        for base, reports in view.disagreements():
            values = []
            for item in (base, *reports):
                e = item.entry
                values.append({"entry": e.id, "quantity": e.quantity, "state": e.state,
                               "sources": [s.model_dump(mode="json") for s in e.sources
                                           if not s.confidential]})
            out.append(Disagreement(entry=base.entry.id, type=base.entry.type.value,
                                    when=fmt_valid(base.entry, view.tz), values=values))
        return out


def evidence_of(seq: int, e: Entry, view: View, tz: dt.tzinfo,
                restricted: list[str] | None = None) -> Evidence:
    """An entry as evidence in a status, which is public: the fields the agreement restricts
    are left out of the summary as they are from the sources."""
    from .facts import Item

    code = view.verification(Item(seq, e))  # judged on every source, shown without them
    e = e.redacted(restricted or [])
    bits = [e.type.value]
    if e.quantity is not None:
        bits.append(f"{e.quantity} {e.category or ''}".strip())
    if e.actor or e.recipient:
        bits.append(f"{e.actor or '?'} → {e.recipient or '?'}")
    if e.via:
        bits.append("via " + " → ".join(e.via))
    if e.facility:
        bits.append(f"at {e.facility}")
    if e.state:
        bits.append(f"state {e.state}")
    if e.outcomes:
        bits.append(", ".join(f"{o.count} {o.result.value}" for o in e.outcomes))
    if e.reason:
        bits.append(f"citing {e.reason}")
    return Evidence(seq=seq, id=e.id, type=e.type.value, when=fmt_valid(e, tz),
                    summary=" · ".join(bits), quantity=e.quantity,
                    verification=CODES[code].value,
                    sources=[s for s in e.sources if not s.confidential])


def evaluate(ledger: Ledger, agreement: str | None = None, *, as_of: dt.datetime | None = None,
             known_at: dt.datetime | None = None) -> AgreementStatus:
    """One-shot status (the CLI's `ceasefire status`)."""
    return Engine(ledger).status(agreement, as_of=as_of, known_at=known_at)

