"""Build-up: a force or body reaches a size in stages (police: 1,000 first, 10,000 goal).

Deployment entries report the force's strength at a date (a level, not an increment), so
the latest report is the current size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..agreement import Deadline, Id, ProvisionBase, RelativeDeadline, condition_refs
from ..registry import hookimpl
from ..status import Point, ProvisionHistory, ProvisionResult, Series, Threshold, level_for
from ..times import from_us
from . import ProvisionKind, day_of, note_verification

if TYPE_CHECKING:
    from ..engine import Context


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    size: int = Field(ge=1)
    deadline: Deadline | None = None


class BuildupProvision(ProvisionBase):
    kind: Literal["buildup"] = "buildup"
    category: Id
    stages: list[Stage] = Field(min_length=1)

    def references(self):  # type: ignore[no-untyped-def]
        yield from super().references()
        yield "category", self.category, ("category",)
        for i, stage in enumerate(self.stages):
            if isinstance(stage.deadline, RelativeDeadline):
                for kind, ref in condition_refs(stage.deadline.after):
                    yield kind, ref, ("stages", i, "deadline")


class Buildup(ProvisionKind):
    name = "buildup"
    model = BuildupProvision
    description = "a force or body reaches a size by a milestone"

    def evaluate(self, p: ProvisionBase, ctx: Context, r: ProvisionResult) -> None:
        assert isinstance(p, BuildupProvision)
        rows = ctx.view.counted("deployment", category=p.category, actor=p.by, provision=p.id)
        disputed = note_verification(r, rows)
        target = max(s.size for s in p.stages)
        size = int(rows.qty[-1]) if len(rows) else None
        reached = [s.label for s in p.stages if size is not None and size >= s.size]
        r.required, r.delivered = target, size
        r.remaining = None if size is None else max(0, target - size)
        r.figures["stages"] = [{"label": s.label, "size": s.size, "reached": s.label in reached}
                               for s in p.stages]
        done = size is not None and size >= target
        if done:
            idx = int((rows.qty >= target).argmax())
            r.fulfilled_at = from_us(int(rows.vto[idx]))
        # The stage that binds now: the earliest deadline among the stages not yet reached.
        due = sorted((when, s) for s in p.stages if s.label not in reached
                     and (when := ctx.deadline_of(s.deadline)) is not None)
        own = ctx.deadline(p)
        binding = min([d for d in (own, due[0][0] if due else None) if d is not None],
                      default=None)
        ctx.judge(p, r, done=done, started=bool(size), disputed=disputed, deadline=binding)
        r.detail = ("no deployment reported" if size is None else
                    f"{size} of {target}" + (f" (reached: {', '.join(reached)})"
                                             if reached else ""))
        if due and binding == due[0][0]:
            when, stage = due[0]
            r.detail += (f"; {stage.label} ({stage.size}) due "
                         f"{when.astimezone(ctx.agreement.tz):%Y-%m-%d %H:%M}")
        r.level = level_for(None if size is None else size / target)

    def history(self, p: ProvisionBase, ctx: Context, r: ProvisionResult,
                h: ProvisionHistory) -> None:
        assert isinstance(p, BuildupProvision)
        rows = ctx.view.counted("deployment", category=p.category, actor=p.by, provision=p.id)
        if len(rows):
            days = ctx.view.local_days(rows.vto)
            latest = {int(d): float(q) for d, q in zip(days, rows.qty, strict=True)}
            last = int(ctx.view.local_days(np.array([ctx.view.as_of], dtype=np.int64))[0])
            latest.setdefault(last, latest[max(latest)])
            h.series.append(Series(name="strength", role="strength", step=True, points=[
                Point(day=day_of(d), value=v) for d, v in sorted(latest.items())]))
        h.thresholds.extend(Threshold(label=s.label, value=s.size, kind="target")
                            for s in p.stages)
        h.chart = "level"


@hookimpl
def ceasefire_provision_kinds() -> list[ProvisionKind]:
    return [Buildup()]
