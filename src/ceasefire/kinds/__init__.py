"""Provision kinds. Each module holds one kind: the model of its terms and its evaluator.

A kind is registered through :func:`ceasefire.registry.hookimpl`, like a plugin's would be,
so adding a kind means adding one module here (and its name to ``registry.BUILTINS``) or
shipping it in another package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from ..agreement import ProvisionBase
from ..facts import CODES, Rows
from ..status import ProvisionResult

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


def note_verification(r: ProvisionResult, rows: Rows) -> bool:
    """Record the weakest verification among rows; True if any is disputed."""
    code = rows.weakest()
    if code is None:
        return False
    r.verification = CODES[code].value
    r.evidence_seqs.extend(int(s) for s in rows.seq)
    return CODES[code].value == "disputed"


def withholding(ctx: Context, p: ProvisionBase, types: tuple[str, ...]) -> str | None:
    """The provision a party cites for holding this one back, from the latest linked entry.

    Entries carrying a reason are always read whole (see ``Entry.stream``), so this looks
    only at those, never at the bulk of plain counts.
    """
    linked = [i for i in ctx.view.facts
              if i.entry.type in types and i.entry.provision == p.id
              and ctx.view.in_time(i.entry)]
    if not linked:
        return None
    latest = max(linked, key=lambda i: (i.entry.valid_from, i.entry.recorded_at, i.entry.id))
    return latest.entry.reason
