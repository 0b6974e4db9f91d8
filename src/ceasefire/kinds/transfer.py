"""Transfer: party A delivers N of a category to party B, by a deadline.

N may be "all" of a roster that can grow (all hostages). For remains (``identify: true``)
a handed-over body counts only once identified as the expected person; a body identified as
someone else does not count and flags the provision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import Field, model_validator

from ..agreement import Agreement, Id, ProvisionBase
from ..facts import Rows
from ..ledger import IdentificationResult
from ..registry import hookimpl
from ..status import ProvisionHistory, ProvisionResult, Series, level_for
from ..times import from_us
from . import (
    ProvisionKind,
    cumulative,
    identification_outcomes,
    level_line,
    note_verification,
    withholding,
)

if TYPE_CHECKING:
    from ..engine import Context


class TransferProvision(ProvisionBase):
    kind: Literal["transfer"] = "transfer"
    by: Id
    to: Id
    category: Id
    quantity: int | Literal["all"] = Field(description='A number, or "all" of `roster`.')
    roster: Id | None = Field(default=None, description='The list "all" refers to.')
    identify: bool = Field(default=False, description=(
        "Remains: count only what is identified as the expected person."))
    via: list[Id] = Field(default_factory=list, description="Expected handover chain.")

    @model_validator(mode="after")
    def _all_needs_roster(self) -> TransferProvision:
        if self.quantity == "all" and not self.roster:
            raise ValueError('quantity "all" needs `roster`: the list it refers to')
        return self

    def references(self):  # type: ignore[no-untyped-def]
        yield from super().references()
        yield "category", self.category, ("category",)
        if self.roster:
            yield "roster", self.roster, ("roster",)
        for i, hop in enumerate(self.via):
            yield "party", hop, ("via", i)

    def problems(self, a: Agreement) -> Iterator[tuple[tuple[Any, ...], str]]:
        yield from super().problems(a)
        if self.roster and a.roster(self.roster).category != self.category:
            yield ("roster",), (f"roster {self.roster!r} lists "
                                f"{a.roster(self.roster).category!r}, not {self.category!r}")


@dataclass
class Identified:
    """What the identifications of a provision's transfers found (see
    :func:`~ceasefire.kinds.identification_outcomes`)."""

    expected: int = 0
    other: int = 0
    unresolved: int = 0
    #: bodies identified as a person already identified before (counted once)
    repeated: int = 0
    #: (when, count, attributes) of each confirmation of a new person, earliest first
    confirmations: list[tuple[int, int, dict[str, str | int | bool]]] = field(
        default_factory=list)
    evidence: list[int] = field(default_factory=list)


def identification_counts(ctx: Context, seqs: np.ndarray) -> Identified:
    found = Identified()
    outcomes = identification_outcomes(ctx, seqs)
    # Each identification once, in order (a set: a large ledger has thousands of them).
    found.evidence = list(dict.fromkeys(item.seq for item, _, _ in outcomes))
    for item, o, repeat in outcomes:
        if repeat:
            found.repeated += o.count
        elif o.result == IdentificationResult.EXPECTED:
            found.expected += o.count
            found.confirmations.append((item.vto, o.count, o.attributes))
        elif o.result == IdentificationResult.OTHER:
            found.other += o.count
        else:
            found.unresolved += o.count
    return found


def _from_missing_list(ctx: Context, roster: str, rows: Rows,
                       r: ProvisionResult) -> tuple[int, int]:
    """Identified and awaiting counts, read off the roster's missing-persons list.

    The list (see :mod:`ceasefire.remains.views`) places every body handed over and every
    identification against a person, so the status and the list cannot disagree.
    """
    from ..remains.views import missing_persons

    roll = missing_persons(ctx.view, ctx.agreement, roster, rows=rows)
    r.figures["missing_persons"] = roll.counts
    return roll.delivered(), roll.awaiting_identification


class Transfer(ProvisionKind):
    name = "transfer"
    model = TransferProvision
    description = "party A delivers N of a category to party B, by a deadline"

    def evaluate(self, p: ProvisionBase, ctx: Context, r: ProvisionResult) -> None:
        assert isinstance(p, TransferProvision)
        rows = ctx.view.counted("transfer", actor=p.by, recipient=p.to, category=p.category,
                                provision=p.id, measure="")
        required = (ctx.agreement.roster(p.roster).size if p.quantity == "all" and p.roster
                    else int(p.quantity) if p.quantity != "all" else 0)
        handed = rows.total()
        disputed = note_verification(r, rows)
        unit = next((c.unit for c in ctx.agreement.categories if c.id == p.category), "")
        if p.identify:
            found: Identified = ctx.view.memo(
                "identification_counts", rows.seq, lambda: identification_counts(ctx, rows.seq))
            r.add_evidence(found.evidence)
            expected, other, repeated = found.expected, found.other, found.repeated
            pending = max(0, handed - expected - other - found.unresolved - repeated)
            if p.roster:
                expected, pending = _from_missing_list(ctx, p.roster, rows, r)
            delivered = expected
            r.figures.update(handed_over=handed, identified=expected, not_covered=other,
                             already_identified=repeated, unresolved=found.unresolved,
                             awaiting_identification=pending)
            breakdown: dict[str, Counter[str]] = {}
            for _, count, attrs in found.confirmations:
                for key, value in attrs.items():
                    breakdown.setdefault(key, Counter())[str(value)] += count
            if breakdown:
                r.figures["identified_by"] = {k: dict(v) for k, v in breakdown.items()}
            plural = f"{unit or 'unit'}{'s' if other != 1 else ''}"
            if other:
                r.flags.append(f"misidentification: {other} {plural} handed over identified "
                               "as someone not covered by this provision")
            if repeated:
                r.flags.append(f"{repeated} {unit or 'unit'}{'s' if repeated != 1 else ''} "
                               "handed over identified as someone already identified "
                               "(partial remains or a repeated report): counted once")
            cumulative, fulfilled_at = 0, None
            for when, count, _ in found.confirmations:
                cumulative += count
                if required and cumulative >= required:
                    fulfilled_at = from_us(when)
                    break
            detail = (f"{handed} handed over, {expected} identified, {other} identified as "
                      f"someone else, "
                      + (f"{repeated} identified as someone already identified, "
                         if repeated else "")
                      + f"{pending} awaiting identification")
        else:
            delivered = handed
            fulfilled_at = None
            if required and delivered >= required:
                idx = int(np.searchsorted(np.cumsum(rows.qty), required))
                fulfilled_at = from_us(int(rows.vto[idx]))
            detail = f"{delivered} of {required} delivered"
        remaining = max(0, required - delivered)
        r.required, r.delivered, r.remaining = required, delivered, remaining
        if p.identify:
            detail += f"; {remaining} still owed"
        done = bool(required) and delivered >= required
        ctx.judge(p, r, done=done, started=handed > 0, disputed=disputed,
                  withheld_citing=None if done else withholding(ctx, p, ("transfer",
                                                                         "incident")))
        if done:
            r.fulfilled_at = fulfilled_at
            deadline = ctx.deadline(p)
            if deadline is not None and len(rows):
                # Handed over by the deadline? Judged on the earliest possible time, so an
                # event known only to the day is never called late without evidence.
                need = required if not p.identify else handed
                idx = int(np.searchsorted(np.cumsum(rows.qty), min(need, handed)))
                idx = min(idx, len(rows) - 1)
                r.on_time = bool(rows.vfrom[idx] <= int(deadline.timestamp() * 1_000_000))
                detail += ", on time" if r.on_time else ", late"
        elif r.status.value == "overdue" and r.overdue_since is not None:
            tz = ctx.agreement.tz
            detail += f"; overdue since {r.overdue_since.astimezone(tz):%Y-%m-%d %H:%M}"
        r.detail = detail
        r.level = level_for(delivered / required if required else None)

    def history(self, p: ProvisionBase, ctx: Context, r: ProvisionResult,
                h: ProvisionHistory) -> None:
        assert isinstance(p, TransferProvision)
        rows = ctx.view.counted("transfer", actor=p.by, recipient=p.to, category=p.category,
                                provision=p.id, measure="")
        handed = cumulative(ctx, rows.vto, rows.qty)
        if p.identify:
            confirms = identification_counts(ctx, rows.seq).confirmations
            identified = cumulative(ctx, np.array([c[0] for c in confirms], dtype=np.int64),
                                    np.array([c[1] for c in confirms], dtype=np.int64))
            h.series.append(Series(name="handed over", role="handed_over", step=True,
                                   points=handed))
            h.series.append(Series(name="identified", role="delivered", step=True,
                                   points=identified))
        else:
            h.series.append(Series(name="delivered", role="delivered", step=True,
                                   points=handed))
        if r.required:
            h.series.append(Series(name="required", role="required", step=True,
                                   points=level_line(handed, r.required)))
        h.chart = "cumulative"


@hookimpl
def ceasefire_provision_kinds() -> list[ProvisionKind]:
    return [Transfer()]
