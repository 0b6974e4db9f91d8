"""Flow: at least / at most N units a day, overall or through one facility.

Judged per day and over a rolling window, separately for each measure: figures from sources
that count different things are never added together. A day with no observation is "no
data", never zero. When measures disagree on whether a day was within bounds, the
provision is disputed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import Field, model_validator

from ..agreement import Agreement, Id, ProvisionBase
from ..facts import Rows
from ..registry import hookimpl
from ..status import Point, ProvisionHistory, ProvisionResult, Series, Threshold, level_for
from ..times import to_us
from . import ProvisionKind, day_of, note_verification, withholding

if TYPE_CHECKING:
    from ..engine import Context

UNLABELLED = "(no measure named)"


class FlowProvision(ProvisionBase):
    kind: Literal["flow"] = "flow"
    category: Id
    facility: Id | None = None
    min_per_day: int | None = Field(default=None, ge=0)
    max_per_day: int | None = Field(default=None, ge=0)
    window_days: int = Field(default=7, ge=1)
    measures: list[Id] = Field(default_factory=list,
                               description="Measures judged; empty: every measure reported.")

    @model_validator(mode="after")
    def _bounds(self) -> FlowProvision:
        if self.min_per_day is None and self.max_per_day is None:
            raise ValueError("a flow needs min_per_day, max_per_day or both")
        if (self.min_per_day is not None and self.max_per_day is not None
                and self.min_per_day > self.max_per_day):
            raise ValueError(f"min_per_day ({self.min_per_day}) is above max_per_day "
                             f"({self.max_per_day}): no day could comply")
        return self

    def references(self):  # type: ignore[no-untyped-def]
        yield from super().references()
        yield "category", self.category, ("category",)
        if self.facility:
            yield "facility", self.facility, ("facility",)
        for i, m in enumerate(self.measures):
            yield "measure", m, ("measures", i)

    def problems(self, a: Agreement) -> Iterator[tuple[tuple[Any, ...], str]]:
        yield from super().problems(a)
        for i, m in enumerate(self.measures):
            counts = next(x.category for x in a.measures if x.id == m)
            if counts != self.category:
                yield ("measures", i), f"measure {m!r} counts {counts!r}, not {self.category!r}"


class Flow(ProvisionKind):
    name = "flow"
    model = FlowProvision
    continuing = True
    description = "at least / at most N units per day, per measure"

    def evaluate(self, p: ProvisionBase, ctx: Context, r: ProvisionResult) -> None:
        assert isinstance(p, FlowProvision)
        start = ctx.obliged_since(p)
        rows = {m: self._rows(p, ctx, m, start) for m in self._measures(p, ctx)}
        any_disputed = False
        for part in rows.values():
            any_disputed |= note_verification(r, part)
        seqs = np.concatenate([part.seq for part in rows.values()]) if rows else \
            np.empty(0, dtype=np.int64)
        # The days judged depend only on the counts read, the terms and the as-of date:
        # one more entry elsewhere in the ledger leaves them as they were.
        metas = [(x.id, x.name, x.definition, x.counted_by)
                 for x in ctx.agreement.measures if x.id in rows]
        figures, averaged_days, disputed_days, out_days, observed = ctx.view.memo(
            f"flow:{p.id}:{p.min_per_day}:{p.max_per_day}:{p.window_days}:{start}:"
            f"{list(rows)}:{metas}:{ctx.agreement.tz}", seqs,
            lambda: self._days(p, ctx, rows, start))
        r.figures["measures"] = figures
        if disputed_days:
            r.flags.append("measures disagree on " + ", ".join(_day(d) for d in disputed_days))
        if averaged_days:
            n = len(averaged_days)
            r.flags.append(f"{n} day{'s' if n > 1 else ''} judged by the average of a count "
                           "over several days")
        withheld = withholding(ctx, p, ("flow",))
        ctx.judge(p, r, done=False, started=bool(observed), disputed=bool(disputed_days) or (
            any_disputed and not out_days), breached=bool(out_days) and not disputed_days,
            withheld_citing=withheld, continuing=True)
        bound = " and ".join(b for b in (
            f"≥ {p.min_per_day}/day" if p.min_per_day is not None else "",
            f"≤ {p.max_per_day}/day" if p.max_per_day is not None else "") if b)
        parts = []
        for f in figures.values():
            spread = f["days_averaged"]
            note = f" ({len(spread)} from a period's average)" \
                if isinstance(spread, list) and spread else ""
            parts.append(f"{f['name']}: {f['days_in_bounds']} of {f['days_observed']} observed "
                         f"days within bounds{note}, {f['days_no_data']} no data")
        r.detail = f"{bound}; " + ("; ".join(parts) if parts else "no data")
        r.level = level_for(None if not observed else
                            (observed - len(out_days) - len(disputed_days)) / observed)

    def _days(self, p: FlowProvision, ctx: Context, rows: dict[str, Rows],
              start: dt.datetime | None) -> tuple[dict[str, Any], set[int], list[int],
                                                   list[int], int]:
        """Each measure's figures, then the days averaged, disputed (measures disagree)
        and out of bounds, and how many days were observed."""
        view = ctx.view
        last_day = int(view.local_days(np.array([view.as_of], dtype=np.int64))[0])
        per_measure: dict[str, dict[int, float]] = {}
        figures = {}
        averaged_days: set[int] = set()
        for m, part in rows.items():
            totals, averaged = self._totals(ctx, part)
            averaged_days |= averaged
            per_measure[m] = totals
            first_day = (int(view.local_days(np.array([to_us(start)]))[0]) if start
                         else min(totals, default=last_day))
            span = max(0, last_day - first_day + 1)
            out = sorted(d for d, v in totals.items() if not self._ok(p, v))
            window = [totals[d] for d in range(last_day - p.window_days + 1, last_day + 1)
                      if d in totals]
            mean = round(sum(window) / len(window), 1) if window else None
            meta = next((x for x in ctx.agreement.measures if x.id == m), None)
            figures[m] = {
                "name": meta.name if meta else m,
                "definition": meta.definition if meta else None,
                "counted_by": meta.counted_by if meta else None,
                "days_judged": span,
                "days_observed": len(totals),
                "days_in_bounds": len(totals) - len(out),
                "days_out_of_bounds": [_day(d) for d in out],
                "days_no_data": max(0, span - len(totals)),
                "window_days": p.window_days,
                "window_mean": mean,
                "window_in_bounds": None if mean is None else self._ok(p, mean),
                "daily": {_day(d): v for d, v in sorted(totals.items())},
                "days_averaged": [_day(d) for d in sorted(averaged)],
            }
        # Days on which two measures disagree about compliance are disputed days.
        verdicts: dict[int, set[bool]] = {}
        for totals in per_measure.values():
            for d, v in totals.items():
                verdicts.setdefault(d, set()).add(self._ok(p, v))
        disputed_days = sorted(d for d, v in verdicts.items() if len(v) > 1)
        out_days = sorted(d for d, v in verdicts.items() if v == {False})
        return figures, averaged_days, disputed_days, out_days, len(verdicts)

    @staticmethod
    def _measures(p: FlowProvision, ctx: Context) -> list[str]:
        view = ctx.view
        return list(p.measures) or sorted({
            s.key["measure"] or UNLABELLED for s in view.snap.streams.values()
            if s.key["agreement"] == view.agreement and s.key["type"] == "flow"
            and s.key["category"] == p.category})

    @staticmethod
    def _rows(p: FlowProvision, ctx: Context, measure: str, start: dt.datetime | None) -> Rows:
        """One measure's counts, from the day the flow's condition began to hold."""
        rows = ctx.view.counted("flow", category=p.category, facility=p.facility,
                                measure="" if measure == UNLABELLED else measure,
                                provision=p.id)
        if start is not None and len(rows):
            rows = rows.where(rows.vfrom >= to_us(start.replace(hour=0, minute=0, second=0)))
        return rows

    @staticmethod
    def _totals(ctx: Context, rows: Rows) -> tuple[dict[int, float], set[int]]:
        """Units per local day, and the days whose figure is a period's average.

        Days with no observation are absent, never zero. A count over several days ("1,230
        trucks between 12 and 18 October", a weekly UN figure) is not a count of its first
        day: what it holds beyond the days counted on their own is spread evenly over its
        other days, each marked as averaged, and shorter periods are placed before longer
        ones that overlap them; counts over the very same days add up, as counts of one day
        do (so the result does not depend on the order they were recorded in). A period
        whose days were all counted on their own adds nothing; one that holds fewer units
        than its own days' counts is not spread (it would make zeros of days nobody
        counted) and is left to the reader of the evidence.
        """
        if not len(rows):
            return {}, set()
        view = ctx.view
        days = view.local_days(rows.vfrom)
        ends = view.local_days(rows.vto)
        single = days == ends
        totals: dict[int, float] = {}
        if single.any():
            one = days[single]
            first = int(one.min())
            # Days span months, not millions: counting into bins beats sorting the rows.
            seen = np.bincount(one - first)
            sums = np.bincount(one - first, weights=rows.qty[single]).astype(np.int64)
            totals = {first + int(d): int(sums[d]) for d in np.flatnonzero(seen)}
        averaged: set[int] = set()
        periods: dict[tuple[int, int], int] = {}   # counts over the same days add up
        for i in np.flatnonzero(~single):
            key = (int(days[i]), int(ends[i]))
            periods[key] = periods.get(key, 0) + int(rows.qty[i])
        for (first_day, last_day), qty in sorted(periods.items(),
                                                 key=lambda kv: (kv[0][1] - kv[0][0], kv[0])):
            span = range(first_day, last_day + 1)
            left = [d for d in span if d not in totals]
            rest = qty - sum(totals[d] for d in span if d in totals)
            if not left or rest < 0:
                continue
            for d in left:
                totals[d] = round(rest / len(left), 1)
            averaged.update(left)
        return totals, averaged

    def history(self, p: ProvisionBase, ctx: Context, r: ProvisionResult,
                h: ProvisionHistory) -> None:
        assert isinstance(p, FlowProvision)
        start = ctx.obliged_since(p)
        for m in self._measures(p, ctx):
            totals, _ = self._totals(ctx, self._rows(p, ctx, m, start))
            if not totals:
                continue
            meta = next((x for x in ctx.agreement.measures if x.id == m), None)
            name = meta.name if meta else m
            days = range(min(totals), max(totals) + 1)
            h.series.append(Series(name=name, role="daily", step=False, points=[
                Point(day=day_of(d), value=totals.get(d)) for d in days]))
            means = []
            for d in days:
                window = [totals[x] for x in range(d - p.window_days + 1, d + 1) if x in totals]
                means.append(Point(day=day_of(d), value=round(sum(window) / len(window), 1)
                                   if window else None))
            h.series.append(Series(name=f"{name}, {p.window_days}-day mean", role="mean",
                                   step=False, points=means))
        if p.min_per_day is not None:
            h.thresholds.append(Threshold(label=f"minimum {p.min_per_day}/day",
                                          value=p.min_per_day, kind="minimum"))
        if p.max_per_day is not None:
            h.thresholds.append(Threshold(label=f"cap {p.max_per_day}/day",
                                          value=p.max_per_day, kind="maximum"))
        h.chart = "daily"

    @staticmethod
    def _ok(p: FlowProvision, value: float) -> bool:
        if p.min_per_day is not None and value < p.min_per_day:
            return False
        return not (p.max_per_day is not None and value > p.max_per_day)


@lru_cache(maxsize=8192)
def _day(d: int) -> str:
    """ISO date of a day number (cached: a year of daily figures per measure per status)."""
    return day_of(d).isoformat()


@hookimpl
def ceasefire_provision_kinds() -> list[ProvisionKind]:
    return [Flow()]
