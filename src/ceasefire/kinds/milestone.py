"""Milestone: an institution or act that must happen (a force mandated, a committee formed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..agreement import ProvisionBase
from ..facts import CODES
from ..registry import hookimpl
from ..status import Level, ProvisionResult
from . import ProvisionKind

if TYPE_CHECKING:
    from ..engine import Context


class MilestoneProvision(ProvisionBase):
    kind: Literal["milestone"] = "milestone"
    names: list[str] = Field(
        default_factory=list,
        description="Names reports give the body this milestone sets up, beyond those its "
                    "title and text give (for reading reports: `ceasefire ingest`).")


class Milestone(ProvisionKind):
    name = "milestone"
    model = MilestoneProvision
    description = "an institution or act that must happen"

    def evaluate(self, p: ProvisionBase, ctx: Context, r: ProvisionResult) -> None:
        hits = [i for i in ctx.view.items("milestone", provision=p.id)
                if i.entry.provision == p.id]
        done = bool(hits)
        if done:
            first = hits[0]
            r.fulfilled_at = first.entry.valid_to
            r.add_evidence(i.seq for i in hits)
            codes = [ctx.view.verification(i) for i in hits]
            r.verification = CODES[max(codes)].value if codes else None
        ctx.judge(p, r, done=done, started=done)
        tz = ctx.agreement.tz
        r.detail = (f"happened {hits[0].entry.valid_from.astimezone(tz):%Y-%m-%d %H:%M}"
                    if done else "not reported")
        if not done and r.deadline is not None:
            r.detail += f"; due by {r.deadline.astimezone(tz):%Y-%m-%d %H:%M}"
        r.level = Level.COMPLETE if done else (
            Level.NOT_INITIATED if r.status.value == "overdue" else Level.NOT_YET_ASSESSED)


@hookimpl
def ceasefire_provision_kinds() -> list[ProvisionKind]:
    return [Milestone()]
