"""Projections on synthetic series whose rates are known."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire.projection import Verdict, daily_progress, pace, project

UTC = dt.UTC
D0 = dt.date(2025, 1, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def end_of(n: int) -> dt.datetime:
    return dt.datetime.combine(day(n), dt.time.max, tzinfo=UTC)


def cumulative(daily: list[float]) -> list[tuple[dt.date, float]]:
    total, out = 0.0, []
    for i, v in enumerate(daily):
        total += v
        out.append((day(i), total))
    return out


def test_constant_rate_gives_exact_date_and_no_spread():
    points = cumulative([5] * 10)
    daily = daily_progress(points, day(9), window_days=7)
    assert daily == [5] * 7
    p = project(50, daily, as_of=end_of(9), deadline=None)
    assert p.pace is not None and p.pace.rate == 5 and p.pace.low == p.pace.high == 5
    assert p.expected == p.earliest == p.latest == day(19)
    assert p.verdict == Verdict.NO_DEADLINE and not p.flagged


def test_days_without_points_are_zero_progress_not_gaps():
    # 14 units every other day: 7 a day on average.
    points = [(day(i), 14.0 * (i // 2 + 1)) for i in range(0, 14, 2)]
    daily = daily_progress(points, day(13), window_days=14)
    assert sum(daily) == 14 * 7 and len(daily) == 14
    p = pace(daily)
    assert p is not None and p.rate == pytest.approx(7.0)
    assert p.low < 7 < p.high


def test_interval_narrows_with_more_days_of_the_same_pattern():
    short = pace([0, 10] * 3)
    long = pace([0, 10] * 30)
    assert short and long and short.rate == long.rate == 5
    assert (long.high - long.low) < (short.high - short.low)


def test_interval_orders_dates_and_brackets_the_expected_one():
    daily = [2, 8, 4, 6, 5, 5, 3]
    p = project(100, daily, as_of=end_of(6), deadline=None)
    assert p.earliest and p.expected and p.latest
    assert p.earliest <= p.expected <= p.latest
    assert p.expected == (end_of(6) + dt.timedelta(days=100 / (33 / 7))).date()


def test_window_starts_at_the_obligation_not_earlier():
    # Began three days ago at 10 a day: the pace is 10, not 30 / 7.
    points = [(day(7), 10.0), (day(8), 20.0), (day(9), 30.0)]
    assert daily_progress(points, day(9), window_days=7) == [10, 10, 10]
    # Owed since day 5 with nothing on days 5 and 6: those days count as zero.
    assert daily_progress(points, day(9), window_days=7, start=day(5)) == [0, 0, 10, 10, 10]


def test_levels_progress_from_their_first_report():
    points = [(day(0), 300.0), (day(3), 600.0)]
    assert daily_progress(points, day(3), cumulative=False) == [0, 0, 0, 300]
    assert daily_progress(points, day(3), cumulative=True) == [300, 0, 0, 300]


def test_flagged_when_pace_cannot_meet_deadline():
    daily = [5.0] * 7
    ok = project(20, daily, as_of=end_of(9), deadline=end_of(20))
    assert ok.verdict == Verdict.ON_TRACK and not ok.flagged
    late = project(100, daily, as_of=end_of(9), deadline=end_of(20))
    assert late.expected == day(29) and late.verdict == Verdict.BEHIND and late.flagged
    stalled = project(10, [0.0] * 7, as_of=end_of(9), deadline=end_of(20))
    assert stalled.verdict == Verdict.STALLED and stalled.flagged and stalled.expected is None
    past = project(10, daily, as_of=end_of(9), deadline=end_of(5))
    assert past.verdict == Verdict.PAST_DEADLINE and past.flagged


def test_at_risk_when_only_the_slow_bound_misses():
    daily = [0, 10, 0, 10, 0, 10, 0, 10]
    p = project(40, daily, as_of=end_of(9), deadline=end_of(19))
    assert p.expected is not None and p.expected <= day(19)
    assert p.latest is None or p.latest > day(19)
    assert p.verdict == Verdict.AT_RISK and not p.flagged


def test_too_little_history_is_unknown_not_invented():
    p = project(10, [3.0], as_of=end_of(0), deadline=end_of(5))
    assert p.pace is None and p.expected is None and p.verdict == Verdict.UNKNOWN
    assert daily_progress([], day(3)) == []


def test_projections_for_a_status_from_the_ledger(ledger):
    """The library call the dashboard's API makes: one projection per quantity still owed."""
    from ceasefire import Engine
    from ceasefire.projection import projections
    from tests.conftest import ev

    ledger.add([
        ev("milestone", "2025-01-10T12:00:00+00:00", provision="start"),
        ev("transfer", "2025-01-11", actor="a", recipient="b", category="hostage", quantity=1),
        ev("transfer", "2025-01-12", actor="a", recipient="b", category="hostage", quantity=1),
        ev("deployment", "2025-01-11", category="police", quantity=10),
        ev("deployment", "2025-01-13", category="police", quantity=20),
    ], recorded_by="t")
    engine = Engine(ledger)
    status = engine.status("mini", as_of=end_of(11), known_at=end_of(11))  # 2025-01-12
    got = {p.provision: p for p in projections(engine, status)}
    assert got["hostages"].remaining == 1 and got["hostages"].pace.rate == 1
    assert got["hostages"].expected == day(12) and got["hostages"].verdict == Verdict.ON_TRACK
    # A level (the police force's strength): 10 on the 11th, 20 on the 13th; 30 more to go.
    later = engine.status("mini", as_of=end_of(12), known_at=end_of(12))
    police = next(p for p in projections(engine, later) if p.provision == "police")
    assert police.remaining == 30 and police.pace.rate == pytest.approx(10 / 3)
    assert police.expected == day(21) and police.verdict == Verdict.NO_DEADLINE
    hostages = next(p for p in projections(engine, later) if p.provision == "hostages")
    assert hostages.verdict == Verdict.PAST_DEADLINE and hostages.flagged
