"""What the engine answers, as data: the same objects feed the table, Markdown and JSON.

Status (where a provision stands), implementation level (how far it is carried out, on the
Peace Accords Matrix scale) and verification (how firmly that is established) are three
separate fields and are never folded into one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from .sources import Citation, Source

#: How many of the entries behind a figure are shown with it (newest last).
EVIDENCE_SHOWN = 20


class Status(StrEnum):
    NOT_YET_DUE = "not yet due"
    BLOCKED = "blocked"
    IN_PROGRESS = "in progress"
    FULFILLED = "fulfilled"
    OVERDUE = "overdue"
    WITHHELD = "withheld"
    BREACHED = "breached"
    DISPUTED = "disputed"


#: Most urgent first, for "what does this party owe" lists.
URGENCY = [Status.OVERDUE, Status.WITHHELD, Status.BREACHED, Status.DISPUTED,
           Status.IN_PROGRESS, Status.BLOCKED, Status.NOT_YET_DUE, Status.FULFILLED]


class Level(StrEnum):
    NOT_YET_ASSESSED = "not yet assessed"
    NOT_INITIATED = "not initiated"
    MINIMAL = "minimal"
    INTERMEDIATE = "intermediate"
    COMPLETE = "complete"


def level_for(done: float | None) -> Level:
    """Fraction carried out -> PAM level: 0 none, <½ minimal, <1 intermediate, 1 complete."""
    if done is None:
        return Level.NOT_YET_ASSESSED
    if done <= 0:
        return Level.NOT_INITIATED
    if done < 0.5:
        return Level.MINIMAL
    if done < 1:
        return Level.INTERMEDIATE
    return Level.COMPLETE


class Point(BaseModel):
    day: dt.date
    value: float | None = Field(description="None: nothing reported that day (never zero).")


class Series(BaseModel):
    """One line of a provision's history, in the provision's unit."""

    name: str
    role: str = Field(description=(
        "delivered, handed_over, required, owed, daily (one measure's units per day), "
        "mean (rolling mean of a daily series), strength (a force's reported size)"))
    step: bool = Field(description="Holds its value until the next point (cumulative counts).")
    points: list[Point]


class Threshold(BaseModel):
    label: str
    value: float
    kind: str = Field(description="minimum, maximum or target")


class ProvisionHistory(BaseModel):
    """A provision's numbers over time, as the as-of/known-at view sees them."""

    agreement: str
    provision: str
    kind: str
    title: str
    unit: str
    as_of: dt.datetime
    known_at: dt.datetime
    chart: str = Field(description="cumulative, daily, level, or none (nothing to plot)")
    series: list[Series] = Field(default_factory=list)
    thresholds: list[Threshold] = Field(default_factory=list)


class Evidence(BaseModel):
    seq: int
    id: str
    type: str
    when: str
    summary: str
    quantity: int | None = None
    verification: str
    sources: list[Source] = Field(default_factory=list)


class ProvisionResult(BaseModel):
    id: str
    kind: str
    title: str
    phase: str | None
    by: str | None
    to: str | None
    negotiation: str
    source: Citation
    status: Status
    detail: str = Field(description="One line a person reads: the numbers behind the status.")
    level: Level
    verification: str | None = Field(
        description="Weakest verification among the entries the figures rest on.")
    blocked_by: str | None = None
    withheld_citing: str | None = None
    required: int | None = None
    delivered: int | None = None
    remaining: int | None = None
    owed: int | None = None
    balance: int | None = None
    deadline: dt.datetime | None = None
    overdue_since: dt.datetime | None = None
    fulfilled_at: dt.datetime | None = None
    on_time: bool | None = None
    figures: dict[str, Any] = Field(default_factory=dict)
    flags: list[str] = Field(default_factory=list)
    evidence_count: int = 0
    evidence: list[Evidence] = Field(default_factory=list)
    evidence_seqs: list[int] = Field(default_factory=list, exclude=True, description=(
        "The latest EVIDENCE_SHOWN entries the figures rest on (all are counted)."))

    def add_evidence(self, seqs: Iterable[int] | np.ndarray, count: int | None = None) -> None:
        """Count entries the figures rest on; keep only the latest few to show.

        A provision can rest on a million entries: converting them all to Python ints
        on every status would cost more than computing the status. ``count`` says how
        many there are when only the latest are passed.
        """
        if isinstance(seqs, np.ndarray):
            self.evidence_count += len(seqs)
            tail = seqs[-EVIDENCE_SHOWN:].tolist()
        else:
            tail = list(seqs)
            self.evidence_count += len(tail) if count is None else count
        self.evidence_seqs = (self.evidence_seqs + tail)[-EVIDENCE_SHOWN:]


class PhaseResult(BaseModel):
    id: str
    name: str
    open: bool
    opened_at: dt.datetime | None
    complete: bool
    completed_at: dt.datetime | None
    level: Level
    held_up_by: list[str] = Field(description="Agreed provisions not yet fulfilled, with why.")
    provisions: list[str]


class Obligation(BaseModel):
    provision: str
    title: str
    status: Status
    detail: str
    to: str | None
    deadline: dt.datetime | None
    overdue_since: dt.datetime | None


class PartyResult(BaseModel):
    party: str
    name: str
    outstanding: list[Obligation]


class Disagreement(BaseModel):
    entry: str
    type: str
    when: str
    values: list[dict[str, Any]] = Field(description="Each report's figure and its sources.")


class Freshness(BaseModel):
    latest_entry: str | None
    latest_recorded_at: dt.datetime | None
    age: str | None = Field(description="How long before the view's moment it was recorded.")


class AgreementStatus(BaseModel):
    agreement: str
    name: str
    as_of: dt.datetime
    known_at: dt.datetime
    level: Level
    freshness: Freshness
    phases: list[PhaseResult]
    provisions: list[ProvisionResult]
    parties: list[PartyResult]
    disagreements: list[Disagreement]

    def provision(self, pid: str) -> ProvisionResult:
        return next(p for p in self.provisions if p.id == pid)
