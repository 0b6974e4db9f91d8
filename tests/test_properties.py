"""Properties of the engine (hypothesis), on in-memory-sized SQLite ledgers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire import Engine, Ledger
from tests.conftest import FIXTURES, ev

AS_OF = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)

events = st.lists(st.tuples(
    st.sampled_from(["hostage-transfer", "truck-un", "truck-gov", "b-remains",
                     "week-un", "week-gov"]),
    st.integers(min_value=10, max_value=20), st.integers(min_value=0, max_value=150)),
    min_size=1, max_size=8)


def _rows(spec):
    rows = [ev("milestone", "2025-01-10T12:00:00+00:00", id="start", provision="start",
               recorded_at="2025-01-10")]
    for i, (what, day, qty) in enumerate(spec):
        at = f"2025-01-{day}"
        common = {"id": f"e{i}", "recorded_at": "2025-01-21"}  # equal recorded times
        if what == "hostage-transfer":
            rows.append(ev("transfer", at, actor="a", recipient="b", category="hostage",
                           quantity=qty % 4, **common))
        elif what == "b-remains":
            rows.append(ev("transfer", at, actor="b", recipient="a", category="b-remains",
                           quantity=qty, **common))
        elif what.startswith("week"):   # a count over several days (spread over them)
            rows.append(ev("flow", at, until=f"2025-01-{day + qty % 5 + 1}", category="truck",
                           measure="m-" + what[5:], quantity=qty * 7, **common))
        else:
            rows.append(ev("flow", at, category="truck", measure="m-" + what[6:],
                           quantity=qty, **common))
    return rows


def _status(tmp: Path, name: str, rows, known_at=None):
    led = Ledger(f"sqlite:///{tmp / name}", load_bundled=False)
    led.add_agreement((FIXTURES / "mini.yaml").read_text(), "mini.yaml")
    led.add(rows, recorded_by="t")
    s = Engine(led).status("mini", as_of=AS_OF, known_at=known_at).model_dump(
        exclude={"provisions": {"__all__": {"evidence"}}, "known_at": True,
                 "freshness": True})
    led.engine.dispose()
    return s


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=events, data=st.data())
def test_append_order_does_not_matter(tmp_path_factory, spec, data):
    tmp = tmp_path_factory.mktemp("order")
    rows = _rows(spec)
    shuffled = [rows[0]] + data.draw(st.permutations(rows[1:]))
    assert _status(tmp, "a.db", rows) == _status(tmp, "b.db", shuffled)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=events)
def test_known_at_before_an_entry_equals_ledger_without_it(tmp_path_factory, spec):
    tmp = tmp_path_factory.mktemp("known")
    rows = _rows(spec)
    late = {**rows[-1], "id": "late", "recorded_at": "2025-01-25"}
    cutoff = dt.datetime(2025, 1, 22, tzinfo=dt.UTC)
    assert (_status(tmp, "with.db", rows + [late], known_at=cutoff)
            == _status(tmp, "without.db", rows, known_at=cutoff))


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=events, cuts=st.lists(st.integers(min_value=1, max_value=8), max_size=4))
def test_warm_engine_equals_a_fresh_one(tmp_path_factory, spec, cuts):
    """Appends in several batches, each folded into a warm engine (new stream blocks read
    on refresh), give the status a new process computes from the whole ledger."""
    tmp = tmp_path_factory.mktemp("warm")
    rows = _rows(spec)
    led = Ledger(f"sqlite:///{tmp / 'w.db'}", load_bundled=False)
    led.add_agreement((FIXTURES / "mini.yaml").read_text(), "mini.yaml")
    warm = Engine(led)
    start = 0
    for cut in [*sorted(set(cuts)), len(rows)]:
        if cut > start:
            led.add(rows[start:cut], recorded_by="t")
            warm.status("mini", as_of=AS_OF)  # folds the new batch in
            start = cut
    strip = {"provisions": {"__all__": {"evidence"}}, "known_at": True, "freshness": True}
    got = warm.status("mini", as_of=AS_OF).model_dump(exclude=strip)
    fresh = Engine(led).status("mini", as_of=AS_OF).model_dump(exclude=strip)
    led.engine.dispose()
    assert got == fresh == _status(tmp, "once.db", rows)
