"""Ratio: for each confirmed unit delivered under another provision, a party owes k units.

In the first agreement: 15 Palestinian remains for the remains of each deceased Israeli
hostage. Named exceptions match attributes of the identification (the remains of foreign
nationals were returned with nothing owed in exchange).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..agreement import Agreement, Id, ProvisionBase
from ..ledger import IdentificationResult
from ..registry import hookimpl
from ..sources import Citation
from ..status import ProvisionHistory, ProvisionResult, Series, Status, level_for
from ..times import from_us
from . import ProvisionKind, cumulative, identification_outcomes, note_verification

if TYPE_CHECKING:
    from ..engine import Context


class RatioException(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    attributes: dict[str, str | int | bool] = Field(
        description="A confirmed unit whose identification has all these attributes owes nothing.")
    reason: str
    source: Citation | None = None


class RatioProvision(ProvisionBase):
    kind: Literal["ratio"] = "ratio"
    by: Id
    to: Id
    base: Id = Field(description="Provision whose confirmed units create the obligation.")
    per_unit: int = Field(ge=1, description="Units owed for each confirmed base unit.")
    category: Id
    exceptions: list[RatioException] = Field(default_factory=list)

    def references(self):  # type: ignore[no-untyped-def]
        yield from super().references()
        yield "provision", self.base, ("base",)
        yield "category", self.category, ("category",)

    def problems(self, a: Agreement) -> Iterator[tuple[tuple[Any, ...], str]]:
        yield from super().problems(a)
        base = a.provision(self.base)
        if base.kind != "transfer":
            yield ("base",), (f"the base of a ratio must be a transfer provision; "
                              f"{self.base!r} is a {base.kind}")


class Ratio(ProvisionKind):
    name = "ratio"
    model = RatioProvision
    description = "for each confirmed unit delivered under another provision, k units owed"

    def evaluate(self, p: ProvisionBase, ctx: Context, r: ProvisionResult) -> None:
        assert isinstance(p, RatioProvision)
        counted, exempt, owed_times, reasons = self._confirmed(p, ctx)
        owed_times = sorted(owed_times)
        owed = p.per_unit * counted
        rows = ctx.view.counted("transfer", actor=p.by, recipient=p.to, category=p.category,
                                provision=p.id, measure="")
        delivered = rows.total()
        disputed = note_verification(r, rows)
        balance = owed - delivered
        r.owed, r.delivered, r.balance = owed, delivered, balance
        r.figures.update(units_counted=counted, units_exempt=exempt, per_unit=p.per_unit,
                         exemptions=reasons)
        detail = f"{owed} owed ({p.per_unit} × {counted}"
        detail += f"; {exempt} exempt)" if exempt else ")"
        detail += f", {delivered} delivered, balance {balance}"
        # How long the oldest unpaid unit has been owed: pay units off in order.
        if balance > 0:
            paid = delivered
            for when, count in owed_times:
                if paid >= count * p.per_unit:
                    paid -= count * p.per_unit
                    continue
                r.figures["owed_since"] = from_us(when).isoformat()
                detail += f" (owed since {from_us(when).astimezone(ctx.agreement.tz):%Y-%m-%d})"
                break
        base_done = ctx.results.get(p.base)
        done = (balance <= 0 and base_done is not None
                and base_done.status == Status.FULFILLED)
        ctx.judge(p, r, done=done, started=delivered > 0, disputed=disputed)
        if balance < 0:
            r.flags.append(f"{-balance} delivered beyond what is owed so far")
        r.detail = detail
        r.level = level_for(min(1.0, delivered / owed) if owed else None)

    @staticmethod
    def _confirmed(p: RatioProvision, ctx: Context) -> tuple[
            int, int, list[tuple[int, int]], dict[str, int]]:
        """Base units that create an obligation: (counted, exempt, [(when_us, n)], reasons)."""
        base = ctx.agreement.provision(p.base)
        base_rows = ctx.view.counted("transfer", actor=base.by, recipient=base.to,
                                     category=getattr(base, "category", None), provision=base.id,
                                     measure="")
        if not getattr(base, "identify", False):
            owed_times = list(zip(base_rows.vto.tolist(), base_rows.qty.tolist(), strict=True))
            return base_rows.total(), 0, owed_times, {}
        # The exceptions are part of the key: amended terms tally differently.
        return ctx.view.memo(f"ratio:{p.id}:{p.exceptions!r}", base_rows.seq,
                             lambda: Ratio._tally(p, ctx, base_rows.seq))

    @staticmethod
    def _tally(p: RatioProvision, ctx: Context, seqs: np.ndarray) -> tuple[
            int, int, list[tuple[int, int]], dict[str, int]]:
        counted = exempt = 0
        owed_times: list[tuple[int, int]] = []
        reasons: dict[str, int] = {}
        for item, o, repeat in identification_outcomes(ctx, seqs):
            if o.result != IdentificationResult.EXPECTED or repeat:
                continue
            rule = next((x for x in p.exceptions if all(
                o.attributes.get(k) == v for k, v in x.attributes.items())), None)
            if rule:
                exempt += o.count
                reasons[rule.reason] = reasons.get(rule.reason, 0) + o.count
            else:
                counted += o.count
                owed_times.append((item.vto, o.count))
        return counted, exempt, owed_times, reasons

    def history(self, p: ProvisionBase, ctx: Context, r: ProvisionResult,
                h: ProvisionHistory) -> None:
        assert isinstance(p, RatioProvision)
        times = sorted(self._confirmed(p, ctx)[2])
        owed = cumulative(ctx, np.array([t for t, _ in times], dtype=np.int64),
                          np.array([n * p.per_unit for _, n in times], dtype=np.int64))
        rows = ctx.view.counted("transfer", actor=p.by, recipient=p.to, category=p.category,
                                provision=p.id, measure="")
        h.series.append(Series(name="owed", role="owed", step=True, points=owed))
        h.series.append(Series(name="delivered", role="delivered", step=True,
                               points=cumulative(ctx, rows.vto, rows.qty)))
        h.chart = "cumulative"


@hookimpl
def ceasefire_provision_kinds() -> list[ProvisionKind]:
    return [Ratio()]
