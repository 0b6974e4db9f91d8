"""Prohibition: events of a kind by a party breach it (attacks across the line).

No incident reported is not compliance: without reports the level stays "not yet assessed".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..agreement import Id, ProvisionBase
from ..registry import hookimpl
from ..status import Level, ProvisionResult
from ..times import from_us
from . import ProvisionKind, note_verification

if TYPE_CHECKING:
    from ..engine import Context


class ProhibitionProvision(ProvisionBase):
    kind: Literal["prohibition"] = "prohibition"
    by: Id
    incident_kinds: list[str] = Field(
        default_factory=list, description="Incident kinds that breach it; empty: any linked.")


class Prohibition(ProvisionKind):
    name = "prohibition"
    model = ProhibitionProvision
    continuing = True
    description = "events of a kind by a party breach it"

    def evaluate(self, p: ProvisionBase, ctx: Context, r: ProvisionResult) -> None:
        assert isinstance(p, ProhibitionProvision)
        start = ctx.when_true(p.condition) if p.condition else None
        kinds: list[str | None] = list(p.incident_kinds) or [None]
        total = 0
        first = None
        for kind in kinds:
            rows = ctx.view.counted("incident", actor=p.by, provision=p.id, kind=kind)
            if start is not None and len(rows):
                from ..times import to_us

                keep = rows.vto >= to_us(start)
                rows = rows.where(keep)
            disputed_only = note_verification(r, rows)
            if len(rows) and not disputed_only:
                total += len(rows)
                t = int(rows.vfrom[0])
                first = t if first is None else min(first, t)
        breached = total > 0
        ctx.judge(p, r, done=False, started=True, breached=breached, continuing=True)
        if breached and first is not None:
            r.detail = (f"{total} incident{'s' if total != 1 else ''} reported, first "
                        f"{from_us(first).astimezone(ctx.agreement.tz):%Y-%m-%d}")
            r.level = Level.MINIMAL
        else:
            r.detail = "in force; no breach reported (absence of reports is not compliance)"
            r.level = Level.NOT_YET_ASSESSED


@hookimpl
def ceasefire_provision_kinds() -> list[ProvisionKind]:
    return [Prohibition()]
