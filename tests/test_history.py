"""A provision's numbers over time: the series agree with the status on every date."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire import CeasefireError, Engine
from ceasefire.history import provision_history
from ceasefire.times import moment
from tests.conftest import ev

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return moment(text, UTC)


def series(h, role):
    return next(s for s in h.series if s.role == role)


def values(s):
    return [(p.day.isoformat(), p.value) for p in s.points]


@pytest.fixture
def remains(ledger):
    ledger.add([
        ev("milestone", "2025-01-10T12:00:00+00:00", provision="start"),
        ev("transfer", "2025-01-11", id="t1", actor="a", recipient="b", category="remains",
           quantity=3),
        ev("identification", "2025-01-12", target="t1", outcomes=[
            {"result": "expected", "count": 2}, {"result": "other", "count": 1}]),
        ev("transfer", "2025-01-13", actor="b", recipient="a", category="b-remains",
           quantity=15),
    ], recorded_by="t")
    return ledger


def test_remains_handed_over_and_identified_separately(remains):
    h = provision_history(remains, "mini", "dead", as_of=at("2025-01-14"))
    assert h.chart == "cumulative" and h.unit == "body"
    assert values(series(h, "handed_over")) == [("2025-01-11", 3), ("2025-01-14", 3)]
    assert values(series(h, "delivered")) == [("2025-01-12", 2), ("2025-01-14", 2)]
    assert {p.value for p in series(h, "required").points} == {4}


def test_last_point_is_the_status_figure_on_every_date(remains):
    engine = Engine(remains)
    for day in ("2025-01-11", "2025-01-12", "2025-01-13", "2025-01-20"):
        status = engine.status("mini", as_of=at(day))
        for pid in ("dead", "ratio"):
            h = engine.history("mini", pid, as_of=at(day))
            delivered = series(h, "delivered").points
            assert (delivered[-1].value if delivered else 0) == status.provision(pid).delivered


def test_ratio_owed_grows_with_each_identification(remains):
    h = provision_history(remains, "mini", "ratio", as_of=at("2025-01-13"))
    assert values(series(h, "owed")) == [("2025-01-12", 20), ("2025-01-13", 20)]
    assert values(series(h, "delivered")) == [("2025-01-13", 15)]


def test_known_at_hides_later_entries(remains):
    h = provision_history(remains, "mini", "dead", as_of=at("2025-01-14"),
                          known_at=at("2025-01-11"))
    assert values(series(h, "delivered")) == []
    assert values(series(h, "handed_over"))[0] == ("2025-01-11", 3)


def test_flow_days_without_data_are_gaps_and_the_mean_skips_them(ledger):
    ledger.add([
        ev("milestone", "2025-01-10T12:00:00+00:00", provision="start"),
        ev("flow", "2025-01-11", category="truck", measure="m-un", quantity=150),
        ev("flow", "2025-01-13", category="truck", measure="m-un", quantity=0),
        ev("flow", "2025-01-13", category="truck", measure="m-gov", quantity=40),
    ], recorded_by="t")
    h = provision_history(ledger, "mini", "trucks", as_of=at("2025-01-14"))
    assert h.chart == "daily"
    un = next(s for s in h.series if s.role == "daily" and s.name == "UN count")
    assert values(un) == [("2025-01-11", 150), ("2025-01-12", None), ("2025-01-13", 0)]
    mean = next(s for s in h.series if s.role == "mean" and s.name.startswith("UN count"))
    assert values(mean) == [("2025-01-11", 150), ("2025-01-12", 150), ("2025-01-13", 75)]
    assert [(t.kind, t.value) for t in h.thresholds] == [("minimum", 100)]


def test_buildup_strength_against_targets(ledger):
    ledger.add([ev("deployment", "2025-01-15", category="police", quantity=12),
                ev("deployment", "2025-01-20", category="police", quantity=30)],
               recorded_by="t")
    h = provision_history(ledger, "mini", "police", as_of=at("2025-01-22"))
    assert values(series(h, "strength")) == [("2025-01-15", 12), ("2025-01-20", 30),
                                             ("2025-01-22", 30)]
    assert [t.value for t in h.thresholds if t.kind == "target"] == [10, 50]


def test_kinds_without_numbers_have_no_chart(ledger):
    h = provision_history(ledger, "mini", "gate-open", as_of=at("2025-01-22"))
    assert h.chart == "none" and h.series == []


def test_unknown_provision_is_a_user_error(ledger):
    with pytest.raises(CeasefireError, match="no provision 'nope'"):
        provision_history(ledger, "mini", "nope")
