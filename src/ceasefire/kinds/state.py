"""State: a facility must be in a state once a condition holds (a crossing open both ways)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from ..agreement import Agreement, Id, ProvisionBase
from ..facts import CODES
from ..registry import hookimpl
from ..status import EVIDENCE_SHOWN, Level, ProvisionResult
from . import ProvisionKind

if TYPE_CHECKING:
    from ..engine import Context


class StateProvision(ProvisionBase):
    kind: Literal["state"] = "state"
    facility: Id
    required_state: str

    def references(self):  # type: ignore[no-untyped-def]
        yield from super().references()
        yield "facility", self.facility, ("facility",)

    def problems(self, a: Agreement) -> Iterator[tuple[tuple[Any, ...], str]]:
        yield from super().problems(a)
        states = next(f.states for f in a.facilities if f.id == self.facility)
        if self.required_state not in states:
            yield ("required_state",), (f"{self.facility} has states {', '.join(states)}; "
                                        f"got {self.required_state!r}")


class State(ProvisionKind):
    name = "state"
    model = StateProvision
    description = "a facility must be in a state once a condition holds"

    def evaluate(self, p: ProvisionBase, ctx: Context, r: ProvisionResult) -> None:
        assert isinstance(p, StateProvision)
        changes = ctx.view.items("facility_state", facility=p.facility)
        latest = changes[-1] if changes else None
        tz = ctx.agreement.tz
        in_state = latest is not None and latest.entry.state == p.required_state
        if latest is not None:
            r.add_evidence([i.seq for i in changes[-EVIDENCE_SHOWN:]], count=len(changes))
            r.verification = CODES[ctx.view.verification(latest)].value
            r.figures["state"] = latest.entry.state
            r.figures["since"] = latest.entry.valid_from.isoformat()
        reason = latest.entry.reason if latest is not None and not in_state else None
        ctx.judge(p, r, done=in_state, started=in_state,
                  disputed=r.verification == "disputed", withheld_citing=reason)
        if in_state and latest is not None:
            r.fulfilled_at = latest.entry.valid_from
        if latest is None:
            r.detail = f"no report of the state of {ctx.agreement.name_of(p.facility)}"
        else:
            r.detail = (f"{ctx.agreement.name_of(p.facility)} {latest.entry.state} since "
                        f"{latest.entry.valid_from.astimezone(tz):%Y-%m-%d}; "
                        f"required: {p.required_state}")
        if reason:
            r.detail += f"; withheld, citing {reason}"
        r.level = (Level.COMPLETE if in_state else
                   Level.NOT_INITIATED if latest is not None else Level.NOT_YET_ASSESSED)


@hookimpl
def ceasefire_provision_kinds() -> list[ProvisionKind]:
    return [State()]
