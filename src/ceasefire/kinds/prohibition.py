"""Prohibition: events of a kind by a party breach it (attacks across the line).

No incident reported is not compliance: without reports the level stays "not yet assessed".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..agreement import Id, ProvisionBase
from ..facts import DISPUTED
from ..registry import hookimpl
from ..status import Level, ProvisionResult
from ..times import from_us, to_us
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
        standing = denied = 0  # incidents that stand / that are disputed
        first = None
        for kind in kinds:
            rows = ctx.view.counted("incident", actor=p.by, provision=p.id, kind=kind)
            if start is not None and len(rows):
                rows = rows.where(rows.vto >= to_us(start))
            note_verification(r, rows)
            disputed = rows.verif == DISPUTED
            denied += int(disputed.sum())
            rows = rows.where(~disputed)
            if len(rows):
                standing += len(rows)
                t = int(rows.vfrom[0])
                first = t if first is None else min(first, t)
        # One disputed report must not hide the undisputed ones (nor stand for a breach).
        ctx.judge(p, r, done=False, started=True, breached=standing > 0,
                  disputed=denied > 0, continuing=True)
        tz = ctx.agreement.tz
        if standing and first is not None:
            r.detail = (f"{standing + denied} incident{'s' if standing + denied != 1 else ''} "
                        f"reported, first {from_us(first).astimezone(tz):%Y-%m-%d}"
                        + (f"; {denied} disputed" if denied else ""))
            r.level = Level.MINIMAL
        elif denied:
            r.detail = (f"{denied} incident{'s' if denied != 1 else ''} reported, all "
                        "disputed; none undisputed")
            r.level = Level.NOT_YET_ASSESSED
        else:
            r.detail = "in force; no breach reported (absence of reports is not compliance)"
            r.level = Level.NOT_YET_ASSESSED


@hookimpl
def ceasefire_provision_kinds() -> list[ProvisionKind]:
    return [Prohibition()]
