"""When, at the recent pace, will what is still owed be complete?

For every quantity still owed (a transfer's remaining units, a ratio's balance, a force's
remaining strength) the recent pace is the mean daily progress over the last
``window_days`` days of the provision's history, *zero days included* (a day nothing was
handed over is a day of no progress). The interval comes from the spread of those daily
figures: the rate's ``confidence`` interval (normal approximation on the mean of the daily
increments), turned into dates by dividing what remains by the fast and the slow rate. A
slow bound at or below zero means "not at this pace": the latest date is unknown, never
invented.

The core (:func:`daily_progress`, :func:`pace`, :func:`project`) is pure and works on plain
``(day, cumulative value)`` points, so it is tested on synthetic series with known rates;
:func:`projections` feeds it from :func:`ceasefire.history.provision_history` for every
provision of a status, for the brief and the dashboard's API alike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from enum import StrEnum
from statistics import NormalDist, fmean, stdev
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from .status import AgreementStatus, ProvisionHistory, ProvisionResult

if TYPE_CHECKING:
    from .agreement import Agreement
    from .engine import Engine

DEFAULT_WINDOW_DAYS = 7
DEFAULT_CONFIDENCE = 0.9


class Verdict(StrEnum):
    ON_TRACK = "on track"
    AT_RISK = "at risk"             # the expected date meets the deadline, the slow bound not
    BEHIND = "behind pace"          # the expected date is after the deadline
    STALLED = "stalled"             # no progress in the window
    PAST_DEADLINE = "past deadline"  # the deadline has already passed
    NO_DEADLINE = "no deadline"
    UNKNOWN = "pace unknown"        # under two days of history


#: Verdicts that mean the recent pace cannot meet the deadline.
FLAGGED = {Verdict.BEHIND, Verdict.STALLED, Verdict.PAST_DEADLINE}


class Pace(BaseModel):
    """Mean daily progress over the window, with its interval (units a day)."""

    rate: float
    low: float
    high: float
    days: int = Field(description="Days the rate is measured over.")


class Projection(BaseModel):
    provision: str
    title: str
    what: str = Field(description="What is owed: the provision's unit or category.")
    remaining: float
    pace: Pace | None = Field(description="None: too little history to measure a pace.")
    expected: dt.date | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = Field(
        default=None, description="None with a pace: the slow bound never completes.")
    deadline: dt.datetime | None = None
    verdict: Verdict
    flagged: bool = Field(description="True when the recent pace cannot meet the deadline.")


def daily_progress(points: Iterable[tuple[dt.date, float | None]], last_day: dt.date,
                   window_days: int = DEFAULT_WINDOW_DAYS, *, start: dt.date | None = None,
                   cumulative: bool = True) -> list[float]:
    """Day-on-day change of a step series over the last ``window_days`` up to ``last_day``.

    A value holds until the next point; days with no point (or a ``None`` value) carry the
    last known value. A cumulative count starts from zero, so its first point is progress;
    a level (a force's strength) starts from its first report, which is not. The window
    begins no earlier than ``start`` (when the obligation began; default: the first point),
    so an obligation that began three days ago is judged on three days, not seven.
    """
    known = sorted((d, float(v)) for d, v in points if v is not None and d <= last_day)
    if not known and start is None:
        return []
    begin = start if start is not None else known[0][0]
    first = max(begin, last_day - dt.timedelta(days=window_days - 1))
    if first > last_day:
        return []
    value = 0.0 if cumulative or not known else known[0][1]
    i = 0
    while i < len(known) and known[i][0] < first:
        value = known[i][1]
        i += 1
    out = []
    day = first
    while day <= last_day:
        before = value
        while i < len(known) and known[i][0] <= day:
            value = known[i][1]
            i += 1
        out.append(value - before)
        day += dt.timedelta(days=1)
    return out


def pace(daily: Sequence[float], confidence: float = DEFAULT_CONFIDENCE) -> Pace | None:
    """Mean of the daily figures and its ``confidence`` interval; None under two days."""
    if len(daily) < 2:
        return None
    mean = fmean(daily)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    half = z * stdev(daily) / math.sqrt(len(daily))
    return Pace(rate=mean, low=mean - half, high=mean + half, days=len(daily))


def _after(start: dt.datetime, remaining: float, rate: float) -> dt.date | None:
    if rate <= 0:
        return None
    days = remaining / rate
    if days > 365 * 100:
        return None
    return (start + dt.timedelta(days=days)).date()


def project(remaining: float, daily: Sequence[float], *, as_of: dt.datetime,
            deadline: dt.datetime | None, provision: str = "", title: str = "",
            what: str = "", confidence: float = DEFAULT_CONFIDENCE) -> Projection:
    """Completion dates for ``remaining`` at the pace of ``daily``, judged against a deadline.

    ``as_of`` should be in the agreement's time zone: the dates are its local dates.
    """
    p = pace(daily, confidence)
    expected = earliest = latest = None
    if p is not None:
        expected = _after(as_of, remaining, p.rate)
        earliest = _after(as_of, remaining, p.high)
        latest = _after(as_of, remaining, p.low)
    if deadline is None:
        verdict = Verdict.NO_DEADLINE
    elif deadline < as_of:
        verdict = Verdict.PAST_DEADLINE
    elif p is None:
        verdict = Verdict.UNKNOWN
    elif p.rate <= 0:
        verdict = Verdict.STALLED
    elif expected is None or expected > deadline.astimezone(as_of.tzinfo).date():
        verdict = Verdict.BEHIND
    elif latest is None or latest > deadline.astimezone(as_of.tzinfo).date():
        verdict = Verdict.AT_RISK
    else:
        verdict = Verdict.ON_TRACK
    return Projection(provision=provision, title=title, what=what, remaining=remaining, pace=p,
                      expected=expected, earliest=earliest, latest=latest, deadline=deadline,
                      verdict=verdict, flagged=verdict in FLAGGED)


#: Per kind: the history series that measures progress, and whether it is a running total.
PROGRESS_SERIES = {"transfer": ("delivered", True), "ratio": ("delivered", True),
                   "buildup": ("strength", False)}


def owed_quantity(r: ProvisionResult) -> float | None:
    """What is still owed under a provision, in its unit, or None if nothing countable is."""
    if r.negotiation != "agreed" or r.kind not in PROGRESS_SERIES:
        return None
    left = r.balance if r.kind == "ratio" else r.remaining
    return float(left) if left is not None and left > 0 else None


def projection_for(r: ProvisionResult, history: ProvisionHistory, *, tz: dt.tzinfo,
                   window_days: int = DEFAULT_WINDOW_DAYS,
                   confidence: float = DEFAULT_CONFIDENCE) -> Projection | None:
    """The projection for one provision from its history; None when nothing is owed.

    The window starts when the obligation's history starts (the first handover, the first
    unit owed, the first report of strength), so days before anything was due are not
    counted as days of no progress.
    """
    remaining = owed_quantity(r)
    if remaining is None:
        return None
    role, running = PROGRESS_SERIES[r.kind]
    progress = next((s for s in history.series if s.role == role), None)
    firsts = [s.points[0].day for s in history.series if s.points and s.role != "required"]
    as_of = history.as_of.astimezone(tz)
    daily = daily_progress([(p.day, p.value) for p in progress.points] if progress else [],
                           as_of.date(), window_days, start=min(firsts, default=None),
                           cumulative=running)
    return project(remaining, daily, as_of=as_of, deadline=r.deadline, provision=r.id,
                   title=r.title, what=history.unit or "units", confidence=confidence)


def projections(engine: Engine, status: AgreementStatus, terms: Agreement | None = None, *,
                window_days: int = DEFAULT_WINDOW_DAYS,
                confidence: float = DEFAULT_CONFIDENCE) -> list[Projection]:
    """A projection for every quantity still owed in ``status`` (the dashboard's API call)."""
    terms = terms or engine.ledger.agreement(status.agreement).in_force(status.as_of)
    owed = [r for r in status.provisions if owed_quantity(r) is not None]
    histories = engine.histories(terms, [r.id for r in owed], as_of=status.as_of,
                                 known_at=status.known_at)
    out = []
    for r in owed:
        p = projection_for(r, histories[r.id], tz=terms.tz, window_days=window_days,
                           confidence=confidence)
        if p is not None:
            out.append(p)
    return out
