"""The engine on small hand-built ledgers: each provision kind, conditions, phases, time."""

from __future__ import annotations

import datetime as dt

from ceasefire import Engine, Status
from ceasefire.times import moment
from tests.conftest import FIXTURES, competing_reports, complete_phase_one, ev

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return moment(text, UTC)


def start(ledger, when="2025-01-10T12:00:00+00:00"):
    ledger.add([ev("milestone", when, provision="start")], recorded_by="t")


def status(ledger, as_of="2025-02-01", known_at=None):
    return Engine(ledger).status("mini", as_of=at(as_of),
                                 known_at=at(known_at) if known_at else None)


def test_transfer_all_of_roster_on_time_and_overdue(ledger):
    start(ledger)
    ledger.add([ev("transfer", "2025-01-12T09:00:00+00:00", actor="a", recipient="b",
                   category="hostage", quantity=3, via="icrc")], recorded_by="t")
    s = status(ledger)
    r = s.provision("hostages")
    assert (r.status, r.delivered, r.required, r.on_time) == (Status.FULFILLED, 3, 3, True)
    assert r.deadline == dt.datetime(2025, 1, 13, 12, tzinfo=UTC)
    dead = s.provision("dead")
    assert dead.status == Status.OVERDUE
    assert dead.overdue_since == dt.datetime(2025, 1, 13, 12, tzinfo=UTC)


def test_transfer_late_delivery_is_not_on_time(ledger):
    start(ledger)
    ledger.add([ev("transfer", "2025-01-14T09:00:00+00:00", actor="a", recipient="b",
                   category="hostage", quantity=3)], recorded_by="t")
    r = status(ledger).provision("hostages")
    assert r.status == Status.FULFILLED and r.on_time is False


def test_deadline_unknown_until_anchor_happens(ledger):
    r = status(ledger).provision("hostages")
    assert r.deadline is None and r.status == Status.IN_PROGRESS


def test_remains_provisional_until_identified_and_misidentification(ledger):
    start(ledger)
    ledger.add([ev("transfer", "2025-01-11", id="t1", actor="a", recipient="b",
                   category="remains", quantity=3)], recorded_by="t")
    r = status(ledger, "2025-01-11").provision("dead")
    assert r.delivered == 0 and r.figures["awaiting_identification"] == 3
    ledger.add([ev("identification", "2025-01-12", target="t1", outcomes=[
        {"result": "expected", "count": 1, "attributes": {"foreign": True}},
        {"result": "expected", "count": 1},
        {"result": "other", "count": 1}])], recorded_by="t")
    r = status(ledger, "2025-01-12").provision("dead")
    assert (r.delivered, r.remaining, r.figures["not_covered"]) == (2, 2, 1)
    assert any("misidentification" in f for f in r.flags)
    ratio = status(ledger, "2025-01-12").provision("ratio")
    assert (ratio.owed, ratio.delivered, ratio.balance) == (10, 0, 10)
    assert ratio.figures["units_exempt"] == 1


def test_remains_of_someone_already_identified_count_once_and_owe_nothing(ledger):
    """Partial remains of a person returned before (or the same identification reported
    twice) confirm nobody new: not a delivery, nothing owed under the ratio, flagged."""
    start(ledger)
    ledger.add([
        ev("transfer", "2025-01-11", id="t1", actor="a", recipient="b", category="remains",
           quantity=2),
        ev("identification", "2025-01-12", target="t1", outcomes=[
            {"result": "expected", "person": "p1"}, {"result": "expected", "person": "p2"}]),
        ev("transfer", "2025-01-15", id="t2", actor="a", recipient="b", category="remains",
           quantity=1),
        ev("identification", "2025-01-16", target="t2", outcomes=[
            {"result": "expected", "person": "p1"}]),
    ], recorded_by="t")
    s = status(ledger, "2025-01-16")
    dead = s.provision("dead")
    assert (dead.delivered, dead.remaining) == (2, 2)
    assert dead.figures["handed_over"] == 3 and dead.figures["already_identified"] == 1
    assert dead.figures["awaiting_identification"] == 0
    assert "1 identified as someone already identified" in dead.detail
    assert any("already identified" in f for f in dead.flags)
    assert (s.provision("ratio").owed, s.provision("ratio").figures["units_counted"]) == (20, 2)
    before = status(ledger, "2025-01-15").provision("dead")  # the second body still awaits
    assert before.figures["awaiting_identification"] == 1 and not before.figures[
        "already_identified"]


def test_ratio_balance_and_fulfilment(ledger):
    start(ledger)
    ledger.add([
        ev("transfer", "2025-01-11", id="t1", actor="a", recipient="b", category="remains",
           quantity=4),
        ev("identification", "2025-01-12", target="t1", outcomes=[
            {"result": "expected", "count": 4}]),
        ev("transfer", "2025-01-13", actor="b", recipient="a", category="b-remains",
           quantity=25),
    ], recorded_by="t")
    r = status(ledger, "2025-01-13").provision("ratio")
    assert (r.owed, r.delivered, r.balance) == (40, 25, 15)
    assert r.status == Status.IN_PROGRESS
    ledger.add([ev("transfer", "2025-01-14", actor="b", recipient="a", category="b-remains",
                   quantity=15)], recorded_by="t")
    assert status(ledger, "2025-01-14").provision("ratio").status == Status.FULFILLED


def test_flow_per_measure_no_data_and_disagreement(ledger):
    start(ledger)
    ledger.add([
        ev("flow", "2025-01-11", category="truck", measure="m-un", quantity=150),
        ev("flow", "2025-01-11", category="truck", measure="m-gov", quantity=40),
        ev("flow", "2025-01-12", category="truck", measure="m-gov", quantity=0),
    ], recorded_by="t")
    r = status(ledger, "2025-01-13").provision("trucks")
    un, gov = r.figures["measures"]["m-un"], r.figures["measures"]["m-gov"]
    assert un["days_observed"] == 1 and un["days_no_data"] == 3  # 10th..13th judged
    assert gov["days_out_of_bounds"] == ["2025-01-11", "2025-01-12"]
    assert gov["daily"] == {"2025-01-11": 40, "2025-01-12": 0}  # zero observed != no data
    assert r.status == Status.DISPUTED  # the measures disagree about the 11th
    assert "2025-01-11" in r.flags[0]


def test_flow_breached_when_all_measures_agree(ledger):
    start(ledger)
    ledger.add([ev("flow", "2025-01-11", category="truck", measure="m-un", quantity=50)],
               recorded_by="t")
    assert status(ledger, "2025-01-11").provision("trucks").status == Status.BREACHED


def test_state_blocked_then_withheld_with_reason(ledger):
    r = status(ledger).provision("gate-open")
    assert r.status == Status.NOT_YET_DUE or r.status == Status.BLOCKED
    ledger.add([ev("facility_state", "2025-01-15", facility="gate", state="closed",
                   reason="dead", provision="gate-open")], recorded_by="t")
    r = status(ledger).provision("gate-open")
    assert r.status == Status.WITHHELD and r.withheld_citing == "dead"
    ledger.add([ev("facility_state", "2025-01-20", facility="gate", state="open")],
               recorded_by="t")
    assert status(ledger).provision("gate-open").status == Status.FULFILLED


def test_buildup_stages(ledger):
    ledger.add([ev("deployment", "2025-01-15", category="police", quantity=12)],
               recorded_by="t")
    r = status(ledger).provision("police")
    assert (r.delivered, r.required) == (12, 50)
    assert [s["reached"] for s in r.figures["stages"]] == [True, False]


def test_buildup_stage_deadlines_make_it_overdue(ledger):
    """A stage not reached by its own deadline makes the build-up overdue (1,000 police
    first by a date, 10,000 later), and the next stage's deadline is the one shown."""
    text = (FIXTURES / "mini.yaml").read_text().replace(
        "stages: [{label: initial, size: 10}, {label: goal, size: 50}]",
        "stages: [{label: initial, size: 10, deadline: {at: 2025-01-20}},\n"
        "             {label: goal, size: 50, deadline: {after: {fulfilled: start}, days: 30}}]")
    ledger.add_agreement(text, "mini.yaml")
    start(ledger)
    ledger.add([ev("deployment", "2025-01-15", category="police", quantity=8)],
               recorded_by="t")
    r = status(ledger, "2025-01-25").provision("police")
    assert r.status == Status.OVERDUE and r.overdue_since == at("2025-01-20T23:59:59.999999")
    assert "initial (10) due 2025-01-20" in r.detail
    assert status(ledger, "2025-01-19").provision("police").status != Status.OVERDUE
    ledger.add([ev("deployment", "2025-01-22", category="police", quantity=12)],
               recorded_by="t")
    r = status(ledger, "2025-01-25").provision("police")
    assert r.status != Status.OVERDUE and r.deadline == at("2025-02-09T12:00:00")
    assert "goal (50) due 2025-02-09 12:00" in r.detail
    assert status(ledger, "2025-02-10").provision("police").status == Status.OVERDUE


def test_a_stage_deadline_naming_an_unknown_provision_is_an_error():
    import pytest

    from ceasefire import AgreementError, parse_agreement

    text = (FIXTURES / "mini.yaml").read_text().replace(
        "stages: [{label: initial, size: 10}, {label: goal, size: 50}]",
        "stages: [{label: initial, size: 10, deadline: {after: {fulfilled: nowhere}}}]")
    with pytest.raises(AgreementError, match="nowhere"):
        parse_agreement(text, "mini.yaml")


def test_prohibition_breached_and_absence_not_compliance(ledger):
    r = status(ledger).provision("no-attacks")
    assert r.status == Status.IN_PROGRESS and r.level.value == "not yet assessed"
    ledger.add([ev("incident", "2025-01-15", actor="a", kind="attack", quantity=1)],
               recorded_by="t")
    assert status(ledger).provision("no-attacks").status == Status.BREACHED


def test_a_disputed_incident_does_not_hide_undisputed_ones(ledger):
    """One party denying one attack leaves the others standing; attacks all denied make
    the prohibition disputed, not "no breach reported"."""
    ledger.add([ev("incident", "2025-01-15", id="i1", actor="a", kind="attack", quantity=1)],
               recorded_by="t")
    ledger.annotate("i1", "verification", state="disputed", recorded_by="t")
    r = status(ledger).provision("no-attacks")
    assert r.status == Status.DISPUTED and "1 incident reported" in r.detail
    assert "disputed" in r.detail
    ledger.add([ev("incident", "2025-01-16", actor="a", kind="attack", quantity=1)],
               recorded_by="t")
    r = status(ledger).provision("no-attacks")
    assert r.status == Status.BREACHED and r.detail.startswith("2 incidents reported")
    assert "1 disputed" in r.detail


def test_phase_completion_and_opening(ledger):
    start(ledger)
    s = status(ledger)
    assert not s.phases[0].complete and s.phases[1].open is False
    assert any(h.startswith("hostages") for h in s.phases[0].held_up_by)
    complete_phase_one(ledger)
    s = status(ledger)
    assert s.phases[0].complete and s.phases[1].open
    assert s.phases[1].opened_at == s.phases[0].completed_at


def test_as_of_and_known_at(ledger):
    start(ledger)
    ledger.add([ev("transfer", "2025-01-11", actor="a", recipient="b", category="hostage",
                   quantity=2, recorded_at="2025-01-20")], recorded_by="t")
    assert status(ledger, "2025-01-10").provision("hostages").delivered == 0
    assert status(ledger, "2025-01-11").provision("hostages").delivered == 2
    # Known at the 15th, the handover of the 11th had not been recorded yet.
    assert status(ledger, "2025-01-11", "2025-01-15").provision("hostages").delivered == 0


def test_correction_and_retraction_supersede(ledger):
    start(ledger)
    ledger.add([ev("transfer", "2025-01-11", id="x", actor="a", recipient="b",
                   category="hostage", quantity=2)], recorded_by="t")
    ledger.add([ev("correction", "2025-01-12", target="x", changes={"quantity": 1})],
               recorded_by="t")
    assert status(ledger).provision("hostages").delivered == 1
    # Before the correction was recorded, the old figure stood.
    assert status(ledger, known_at="2025-01-11").provision("hostages").delivered == 2
    ledger.add([ev("retraction", "2025-01-13", target="x")], recorded_by="t")
    assert status(ledger).provision("hostages").delivered == 0


def test_competing_reports_dispute_and_verifier_decides(ledger):
    start(ledger)
    competing_reports(ledger)
    s = status(ledger)
    r = s.provision("hostages")
    assert r.delivered == 2  # one event, not two
    assert r.status == Status.DISPUTED and r.verification == "disputed"
    assert [v["quantity"] for v in s.disagreements[0].values] == [2, 3]
    ledger.add([ev("verification", "2025-01-12", target="x", state="confirmed")],
               recorded_by="t")
    assert status(ledger).provision("hostages").verification == "confirmed"


def test_corroboration_by_independent_publishers(ledger):
    start(ledger)
    ledger.add([ev("transfer", "2025-01-11", id="x", actor="a", recipient="b",
                   category="hostage", quantity=1)], recorded_by="t")
    assert status(ledger).provision("hostages").verification == "reported"
    src = {"publisher": "Second Wire", "title": "T", "date": "2025-01-12", "quote": "one"}
    ledger.add([{**ev("source", "2025-01-12", target="x"), "sources": [src]}],
               recorded_by="t")
    assert status(ledger).provision("hostages").verification == "corroborated"


def test_party_obligations_overdue_first(ledger):
    start(ledger)
    s = status(ledger)
    owed = next(p for p in s.parties if p.party == "a").outstanding
    assert owed[0].status == Status.OVERDUE
    assert {o.provision for o in owed} >= {"hostages", "dead"}


def test_freshness_names_latest_entry(ledger):
    start(ledger)
    s = status(ledger)
    assert s.freshness.latest_entry is not None and "before known-at" in s.freshness.age


def test_incremental_refresh_matches_fresh_engine(ledger):
    start(ledger)
    engine = Engine(ledger)
    before = engine.status("mini", as_of=at("2025-02-01"))
    ledger.add([ev("transfer", "2025-01-11", actor="a", recipient="b", category="hostage",
                   quantity=3)], recorded_by="t")
    warm = engine.status("mini", as_of=at("2025-02-01"))
    cold = Engine(ledger).status("mini", as_of=at("2025-02-01"))
    assert before.provision("hostages").delivered == 0
    assert warm.provision("hostages").delivered == cold.provision("hostages").delivered == 3


def test_local_days_follow_daylight_saving():
    """A time just after local midnight belongs to the local day, across a DST change."""
    from zoneinfo import ZoneInfo

    import numpy as np

    from ceasefire.facts import local_days
    from ceasefire.times import to_us

    tz = ZoneInfo("Asia/Jerusalem")  # UTC+3 in summer, UTC+2 in winter
    times = [dt.datetime(2025, 10, 12, 0, 30, tzinfo=tz),   # summer
             dt.datetime(2025, 12, 12, 0, 30, tzinfo=tz),   # winter
             dt.datetime(2025, 12, 11, 23, 30, tzinfo=tz)]
    days = local_days(np.array([to_us(t) for t in times], dtype=np.int64), tz)
    epoch = dt.date(1970, 1, 1)
    assert [epoch + dt.timedelta(days=int(d)) for d in days] == [
        dt.date(2025, 10, 12), dt.date(2025, 12, 12), dt.date(2025, 12, 11)]


def test_earlier_known_at_after_later_one_on_a_warm_engine(ledger):
    """A verification recomputed for one view must not leak into a view of an earlier date."""
    start(ledger)
    competing_reports(ledger, recorded_at="2025-01-12")
    engine = Engine(ledger)
    assert status(ledger, "2025-01-12", "2025-01-12").provision("hostages").status \
        == Status.DISPUTED
    engine.status("mini", as_of=at("2025-01-12"), known_at=at("2025-01-12"))
    warm = engine.status("mini", as_of=at("2025-01-11"), known_at=at("2025-01-11"))
    cold = Engine(ledger).status("mini", as_of=at("2025-01-11"), known_at=at("2025-01-11"))
    assert warm.provision("hostages").status == cold.provision("hostages").status \
        == Status.IN_PROGRESS
    assert warm.provision("hostages").verification == "reported"


def test_evidence_summary_leaves_out_fields_the_agreement_restricts(ledger):
    """A status is public: a field the agreement restricts stays out of its evidence."""
    text = (FIXTURES / "mini.yaml").read_text() + "restricted_fields: [facility]\n"
    ledger.add_agreement(text, "mini.yaml")
    ledger.add([ev("facility_state", "2025-01-12", facility="gate", state="open")],
               recorded_by="t")
    gate = status(ledger).provision("gate-open")
    assert gate.evidence and all("gate" not in e.summary for e in gate.evidence)


def test_a_flow_binds_from_signature_when_nothing_else_says_when(ledger):
    """Days between signature and the first report are "no data", not left out: a flow
    first reported a week late has a week nobody can vouch for."""
    text = (FIXTURES / "mini.yaml").read_text().replace(
        "    condition: {fulfilled: start}\n    source: {ref: S, clause: \"3\"}",
        "    source: {ref: S, clause: \"3\"}") + "signed: 2025-01-05\n"
    ledger.add_agreement(text, "mini.yaml")
    ledger.add([ev("flow", "2025-01-11", category="truck", measure="m-un", quantity=150)],
               recorded_by="t")
    un = status(ledger, "2025-01-12").provision("trucks").figures["measures"]["m-un"]
    assert (un["days_judged"], un["days_observed"], un["days_no_data"]) == (8, 1, 7)
    early = status(ledger, "2025-01-04").provision("trucks").figures["measures"]["m-un"]
    assert early["days_judged"] == 0  # not signed yet: nothing to judge


def test_a_count_over_several_days_is_judged_by_its_daily_average(ledger):
    """A weekly figure ("1,230 trucks between 12 and 18 October") is not 1,230 trucks on
    its first day: it is spread over the days not counted on their own, each marked as
    averaged, and it never turns an uncounted day into a zero."""
    start(ledger)
    ledger.add([
        ev("flow", "2025-01-11", category="truck", measure="m-un", quantity=150),
        ev("flow", "2025-01-11", until="2025-01-14", category="truck", measure="m-un",
           quantity=390),
        ev("flow", "2025-01-16", until="2025-01-17", category="truck", measure="m-gov",
           quantity=20),
    ], recorded_by="t")
    r = status(ledger, "2025-01-18").provision("trucks")
    un, gov = r.figures["measures"]["m-un"], r.figures["measures"]["m-gov"]
    assert un["daily"] == {"2025-01-11": 150, "2025-01-12": 80.0, "2025-01-13": 80.0,
                           "2025-01-14": 80.0}
    assert un["days_averaged"] == ["2025-01-12", "2025-01-13", "2025-01-14"]
    assert un["days_out_of_bounds"] == ["2025-01-12", "2025-01-13", "2025-01-14"]
    assert gov["daily"] == {"2025-01-16": 10.0, "2025-01-17": 10.0}
    assert gov["days_no_data"] == 7   # the 10th to the 15th and the 18th: not zeros
    assert any("average of a count over several days" in f for f in r.flags)
    assert "3 from a period's average" in r.detail
    # A period below what its days counted on their own is not spread into zeros.
    ledger.add([ev("flow", "2025-01-16", until="2025-01-18", category="truck",
                   measure="m-gov", quantity=5)], recorded_by="t")
    gov = status(ledger, "2025-01-18").provision("trucks").figures["measures"]["m-gov"]
    assert "2025-01-18" not in gov["daily"]


def test_counts_over_the_same_days_add_up_whatever_their_order(tmp_path):
    """Two reports of the same measure over the same days are two counts, as two counts of
    one day are: their order in the ledger changes nothing."""
    from ceasefire import Ledger

    first = ev("flow", "2025-01-11", until="2025-01-12", category="truck", measure="m-un",
               quantity=100, recorded_at="2025-01-13", id="p1")
    second = ev("flow", "2025-01-11", until="2025-01-12", category="truck", measure="m-un",
                quantity=300, recorded_at="2025-01-13", id="p2")
    daily = []
    for name, rows in (("a", [first, second]), ("b", [second, first])):
        led = Ledger(f"sqlite:///{tmp_path / name}.db", load_bundled=False)
        led.add_agreement((FIXTURES / "mini.yaml").read_text(), "mini.yaml")
        start(led)
        led.add(rows, recorded_by="t")
        daily.append(status(led, "2025-01-14").provision("trucks").figures["measures"]
                     ["m-un"]["daily"])
        led.engine.dispose()
    assert daily[0] == daily[1] == {"2025-01-11": 200.0, "2025-01-12": 200.0}


def test_a_warm_engine_reuses_what_did_not_change_and_redoes_what_did(ledger):
    """Figures a warm engine keeps between statuses (a flow's days, a facility's states)
    are recomputed when an entry they read arrives, and only then; they match a cold
    engine's in every case."""
    start(ledger)
    engine = Engine(ledger)

    def both(as_of: str):  # the warm engine's status and a fresh one's
        return (engine.status("mini", as_of=at(as_of)),
                Engine(ledger).status("mini", as_of=at(as_of)))

    ledger.add([ev("flow", "2025-01-11", category="truck", measure="m-un", quantity=150)],
               recorded_by="t")
    warm, _ = both("2025-01-13")
    assert warm.provision("trucks").figures["measures"]["m-un"]["daily"] == {
        "2025-01-11": 150}
    ledger.add([ev("transfer", "2025-01-11", actor="a", recipient="b", category="hostage",
                   quantity=3)], recorded_by="t")          # nothing a flow reads
    warm, cold = both("2025-01-13")
    assert warm.provision("trucks").figures == cold.provision("trucks").figures
    ledger.add([ev("flow", "2025-01-12", category="truck", measure="m-un", quantity=90)],
               recorded_by="t")                            # a count the flow reads
    warm, cold = both("2025-01-13")
    assert warm.provision("trucks").figures["measures"]["m-un"]["daily"] == {
        "2025-01-11": 150, "2025-01-12": 90} == \
        cold.provision("trucks").figures["measures"]["m-un"]["daily"]
    earlier, _ = both("2025-01-11")                        # another as-of: its own days
    assert earlier.provision("trucks").figures["measures"]["m-un"]["daily"] == {
        "2025-01-11": 150}
    ledger.add([ev("facility_state", "2025-01-15", facility="gate", state="closed")],
               recorded_by="t")
    first, _ = both("2025-02-01")
    ledger.add([ev("facility_state", "2025-01-20", facility="gate", state="open")],
               recorded_by="t")
    warm, cold = both("2025-02-01")
    assert first.provision("gate-open").figures["state"] == "closed"
    assert warm.provision("gate-open").figures["state"] == "open" == \
        cold.provision("gate-open").figures["state"]
