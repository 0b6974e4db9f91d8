"""Provision kinds. Each module holds one kind: the model of its terms and its evaluator.

A kind is registered through :func:`ceasefire.registry.hookimpl`, like a plugin's would be,
so adding a kind means adding one module here (and its name to ``registry.BUILTINS``) or
shipping it in another package.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ..agreement import ProvisionBase
from ..entry import IdentificationResult, Outcome
from ..facts import CODES, Item, Rows
from ..status import Point, ProvisionHistory, ProvisionResult

if TYPE_CHECKING:
    from ..engine import Context


class ProvisionKind:
    """Base for kinds: ``model`` validates the terms, ``evaluate`` fills in a result."""

    name: ClassVar[str]
    model: ClassVar[type[ProvisionBase]]
    #: Continuing obligations (a daily flow, a prohibition) are never "fulfilled" once and
    #: for all, so they do not hold up a phase's completion.
    continuing: ClassVar[bool] = False
    description: ClassVar[str] = ""

    def evaluate(self, p: ProvisionBase, ctx: Context, r: ProvisionResult) -> None:
        raise NotImplementedError

    def history(self, p: ProvisionBase, ctx: Context, r: ProvisionResult,
                h: ProvisionHistory) -> None:
        """Fill in the series a chart of this provision plots; a kind without numbers
        over time (a state, a milestone) leaves ``h.chart`` at "none"."""


def day_of(d: int) -> dt.date:
    """A local day number (days since 1970-01-01 in the agreement's zone) as a date."""
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(d))


def cumulative(ctx: Context, when_us: np.ndarray, qty: np.ndarray) -> list[Point]:
    """Running totals at the end of each local day with a delivery, carried to the as-of day.

    Days come from each event's latest possible time, the moment from which an as-of view
    counts it, so the curve agrees with the status on every date.
    """
    view = ctx.view
    last = int(view.local_days(np.array([view.as_of], dtype=np.int64))[0])
    if not len(when_us):
        return []
    days = view.local_days(np.asarray(when_us, dtype=np.int64))
    uniq, inverse = np.unique(days, return_inverse=True)
    sums = np.cumsum(np.bincount(inverse, weights=np.asarray(qty, dtype=np.float64)))
    points = [Point(day=day_of(d), value=float(v)) for d, v in zip(uniq, sums, strict=True)]
    if int(uniq[-1]) < last:
        points.append(Point(day=day_of(last), value=float(sums[-1])))
    return points


def level_line(points: list[Point], value: float) -> list[Point]:
    """A constant (what is required) over the span of another series."""
    if not points:
        return []
    return [Point(day=points[0].day, value=value), Point(day=points[-1].day, value=value)]


def note_verification(r: ProvisionResult, rows: Rows) -> bool:
    """Record the weakest verification among rows; True if any is disputed."""
    code = rows.weakest()
    if code is None:
        return False
    r.verification = CODES[code].value
    r.add_evidence(rows.seq)
    return CODES[code].value == "disputed"


def identification_outcomes(ctx: Context, seqs: np.ndarray
                            ) -> list[tuple[Item, Outcome, bool]]:
    """Every outcome of the identifications answering these transfers, earliest first, with
    whether it names a person an earlier outcome already identified.

    Remains of someone already identified (partial remains found later, or the same
    identification reported twice) confirm nobody new: they must not count as a delivery
    nor create an obligation under a ratio, and the provision says how many there were.
    """
    found = [(item, o) for _, items in ctx.view.identifications_for(seqs)
             for item in items for o in item.entry.outcomes]
    # Ordered by what the entries say (not their place in the chain), so which of two
    # reports counts never depends on the order they were appended in.
    found.sort(key=lambda x: (x[0].vto, x[0].rec, x[0].entry.id))
    seen: set[str] = set()
    out: list[tuple[Item, Outcome, bool]] = []
    for item, o in found:
        named = o.result == IdentificationResult.EXPECTED and o.person is not None
        out.append((item, o, named and o.person in seen))
        if named:
            seen.add(str(o.person))
    return out


def withholding(ctx: Context, p: ProvisionBase, types: tuple[str, ...]) -> str | None:
    """The provision a party cites for holding this one back, from the latest linked entry.

    Entries carrying a reason are always read whole (see ``Entry.stream``) and kept apart
    (``View.reasoned``), so this looks only at those, never at the bulk of plain counts.
    """
    linked = [i for i in ctx.view.reasoned()
              if i.entry.type in types and i.entry.provision == p.id]
    if not linked:
        return None
    latest = max(linked, key=lambda i: (i.entry.valid_from, i.entry.recorded_at, i.entry.id))
    return latest.entry.reason
