"""Alert rules, each firing and not firing, and webhook delivery exactly once."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ceasefire import Engine
from ceasefire.alerts import Rule, Thresholds, deliver, evaluate_alerts
from ceasefire.times import moment
from tests.conftest import FIXTURES, competing_reports, complete_phase_one, ev

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return moment(text, UTC)


def alerts(ledger, as_of, since=None, **th):
    return evaluate_alerts(Engine(ledger), "mini", as_of=at(as_of),
                           since=at(since) if since else None, thresholds=Thresholds(**th))


def fired(found, rule, provision=None):
    return [a for a in found if a.rule == rule and (provision is None or a.provision == provision)]


def start(ledger, when="2025-01-10T12:00:00+00:00"):
    ledger.add([ev("milestone", when, provision="start")], recorded_by="t")


def test_deadline_within_hours(ledger):
    start(ledger)  # deadlines: 2025-01-13 12:00
    ledger.add([ev("transfer", "2025-01-11", actor="a", recipient="b", category="hostage",
                   quantity=3)], recorded_by="t")
    near = alerts(ledger, "2025-01-13T00:00:00+00:00", deadline_hours=24)
    assert [a.provision for a in fired(near, Rule.DEADLINE_SOON)] == ["dead"]  # hostages done
    assert fired(near, Rule.DEADLINE_SOON)[0].details["hours_left"] == 12
    assert not fired(alerts(ledger, "2025-01-12T00:00:00+00:00", deadline_hours=24),
                     Rule.DEADLINE_SOON)
    assert not fired(alerts(ledger, "2025-01-14"), Rule.DEADLINE_SOON)  # passed: overdue


def test_overdue_and_key_is_stable(ledger):
    start(ledger)
    assert not fired(alerts(ledger, "2025-01-12"), Rule.OVERDUE)
    a, b = alerts(ledger, "2025-01-14"), alerts(ledger, "2025-01-20")
    assert {x.provision for x in fired(a, Rule.OVERDUE)} == {"hostages", "dead"}
    assert [x.key for x in fired(a, Rule.OVERDUE)] == [x.key for x in fired(b, Rule.OVERDUE)]
    ledger.add([ev("transfer", "2025-01-15", actor="a", recipient="b", category="hostage",
                   quantity=3)], recorded_by="t")
    assert {x.provision for x in fired(alerts(ledger, "2025-01-16"), Rule.OVERDUE)} == {"dead"}


def _flows(ledger, values, measure="m-un"):
    ledger.add([ev("flow", day, category="truck", measure=measure, quantity=q)
                for day, q in values], recorded_by="t")


def test_flow_under_minimum_days_in_a_row(ledger):
    start(ledger)
    _flows(ledger, [("2025-01-11", 50), ("2025-01-12", 60), ("2025-01-13", 70)])
    found = fired(alerts(ledger, "2025-01-13", flow_days=3), Rule.FLOW_UNDER_MIN)
    assert len(found) == 1 and found[0].details["days"] == [
        "2025-01-11", "2025-01-12", "2025-01-13"]
    assert not fired(alerts(ledger, "2025-01-12", flow_days=3), Rule.FLOW_UNDER_MIN)
    # A good day ends the run.
    _flows(ledger, [("2025-01-14", 120)])
    assert not fired(alerts(ledger, "2025-01-14", flow_days=3), Rule.FLOW_UNDER_MIN)


def test_flow_day_without_data_breaks_the_run(ledger):
    start(ledger)
    _flows(ledger, [("2025-01-11", 50), ("2025-01-13", 60), ("2025-01-14", 70)])
    assert not fired(alerts(ledger, "2025-01-14", flow_days=3), Rule.FLOW_UNDER_MIN)
    assert fired(alerts(ledger, "2025-01-14", flow_days=2), Rule.FLOW_UNDER_MIN)


def test_flow_over_cap(ledger):
    text = (FIXTURES / "mini.yaml").read_text().replace(
        "min_per_day: 100", "min_per_day: 100\n    max_per_day: 300")
    ledger.add_agreement(text, "mini-capped.yaml")
    start(ledger)
    _flows(ledger, [("2025-01-11", 400), ("2025-01-12", 350)])
    assert fired(alerts(ledger, "2025-01-12", flow_days=2), Rule.FLOW_OVER_CAP)
    assert not fired(alerts(ledger, "2025-01-12", flow_days=2), Rule.FLOW_UNDER_MIN)
    assert not fired(alerts(ledger, "2025-01-12", flow_days=3), Rule.FLOW_OVER_CAP)


def test_ratio_balance_owed_for_days(ledger):
    start(ledger)
    ledger.add([
        ev("transfer", "2025-01-11", id="t1", actor="a", recipient="b", category="remains",
           quantity=2),
        ev("identification", "2025-01-12", target="t1",
           outcomes=[{"result": "expected", "count": 2}]),
    ], recorded_by="t")
    assert not fired(alerts(ledger, "2025-01-14", balance_days=3), Rule.BALANCE_OWED)
    late = fired(alerts(ledger, "2025-01-16", balance_days=3), Rule.BALANCE_OWED)
    assert len(late) == 1 and late[0].details["balance"] == 20
    ledger.add([ev("transfer", "2025-01-15", actor="b", recipient="a", category="b-remains",
                   quantity=20)], recorded_by="t")
    assert not fired(alerts(ledger, "2025-01-16", balance_days=3), Rule.BALANCE_OWED)


def test_new_dispute_only_when_new(ledger):
    start(ledger)
    competing_reports(ledger, recorded_at="2025-01-12")
    new = fired(alerts(ledger, "2025-01-12", since="2025-01-11"), Rule.NEW_DISPUTE)
    assert {a.provision for a in new} == {None, "hostages"}
    assert "2 per Test Wire; 3 per Other Wire" in next(a for a in new if a.provision is None
                                                       ).message
    assert not fired(alerts(ledger, "2025-01-13", since="2025-01-12"), Rule.NEW_DISPUTE)


def test_misidentification_only_when_new(ledger):
    start(ledger)
    ledger.add([
        ev("transfer", "2025-01-11", id="t1", actor="a", recipient="b", category="remains",
           quantity=2),
        ev("identification", "2025-01-12", target="t1",
           outcomes=[{"result": "expected", "count": 1}, {"result": "other", "count": 1}]),
    ], recorded_by="t")
    found = fired(alerts(ledger, "2025-01-12", since="2025-01-11"), Rule.MISIDENTIFICATION)
    assert [a.provision for a in found] == ["dead"] and found[0].details["new"] == 1
    assert not fired(alerts(ledger, "2025-01-13", since="2025-01-12"),
                     Rule.MISIDENTIFICATION)


def test_remains_of_someone_already_identified_alert(ledger):
    start(ledger)
    ledger.add([
        ev("transfer", "2025-01-11", id="t1", actor="a", recipient="b", category="remains",
           quantity=1),
        ev("identification", "2025-01-11", target="t1",
           outcomes=[{"result": "expected", "person": "p1"}]),
        ev("transfer", "2025-01-12", id="t2", actor="a", recipient="b", category="remains",
           quantity=1),
        ev("identification", "2025-01-12", target="t2",
           outcomes=[{"result": "expected", "person": "p1"}]),
    ], recorded_by="t")
    found = fired(alerts(ledger, "2025-01-12", since="2025-01-11"), Rule.MISIDENTIFICATION)
    assert len(found) == 1 and "already identified" in found[0].message
    assert found[0].details["found"] == "already_identified"


def test_condition_became_true_unblocks(ledger):
    start(ledger)
    found = fired(alerts(ledger, "2025-01-10", since="2025-01-09"), Rule.UNBLOCKED)
    assert [a.provision for a in found] == ["trucks"]
    assert found[0].details["condition"] == "start fulfilled"
    assert not fired(alerts(ledger, "2025-01-11", since="2025-01-10T13:00:00+00:00"),
                     Rule.UNBLOCKED)
    # Completing phase one opens phase two: an alert for the phase.
    complete_phase_one(ledger)
    opened = fired(alerts(ledger, "2025-01-12", since="2025-01-11"), Rule.UNBLOCKED)
    assert any(a.details.get("phase") == "two" for a in opened)


# -- webhook -------------------------------------------------------------------------------
class Receiver:
    """A real HTTP server on loopback that fails the first ``failures`` requests."""

    def __init__(self, failures: int, code: int = 500) -> None:
        self.failures, self.code = failures, code
        self.requests: list[tuple[str, dict]] = []
        self.accepted: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.requests.append((self.headers["Idempotency-Key"], body))
                if len(receiver.requests) <= receiver.failures:
                    self.send_response(receiver.code)
                else:
                    receiver.accepted.append(body)
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_webhook_fails_twice_then_gets_the_alert_exactly_once(ledger):
    start(ledger)
    found = fired(alerts(ledger, "2025-01-14"), Rule.OVERDUE)[:1]
    waits: list[float] = []
    with Receiver(failures=2) as rx:
        report = deliver(ledger.engine, found, rx.url, retries=4, backoff=0.01,
                         sleep=lambda s: waits.append(s))
        assert report.sent == [found[0].key] and not report.failed
        assert len(rx.requests) == 3 and len(rx.accepted) == 1
        assert rx.accepted[0]["key"] == found[0].key and rx.accepted[0]["rule"] == "overdue"
        assert {k for k, _ in rx.requests} == {found[0].key}
        assert waits == [0.01, 0.02]  # exponential back-off
        # The next run (a new process would read the same table) sends nothing again.
        again = deliver(ledger.engine, fired(alerts(ledger, "2025-01-15"), Rule.OVERDUE)[:1],
                        rx.url, backoff=0.01)
        assert again.already == [found[0].key] and not again.sent
        assert len(rx.accepted) == 1 and len(rx.requests) == 3


def test_webhook_gives_up_and_records_nothing(ledger):
    start(ledger)
    found = fired(alerts(ledger, "2025-01-14"), Rule.OVERDUE)[:1]
    with Receiver(failures=99) as rx:
        report = deliver(ledger.engine, found, rx.url, retries=2, backoff=0, sleep=lambda s: None)
        assert list(report.failed) == [found[0].key] and len(rx.requests) == 3
    with Receiver(failures=1, code=400) as rx:  # rejected: no retry
        report = deliver(ledger.engine, found, rx.url, retries=4, backoff=0)
        assert list(report.failed) == [found[0].key] and len(rx.requests) == 1
    with Receiver(failures=0) as rx:  # not recorded earlier, so it is sent now
        assert deliver(ledger.engine, found, rx.url).sent == [found[0].key]


def test_webhook_must_be_http(ledger):
    from ceasefire import CeasefireError

    for url in ("ftp://example.org/x", "not a url", "http://"):
        with pytest.raises(CeasefireError, match="http"):
            deliver(ledger.engine, [], url)


def test_thresholds_reject_nonsense():
    with pytest.raises(ValueError):
        Thresholds(flow_days=0)
    with pytest.raises(ValueError):
        Thresholds(deadline_hours=-1)


def test_a_claim_by_another_run_is_respected_unless_stale(ledger):
    import sqlalchemy as sa

    from ceasefire.alerts import STALE_CLAIM, delivered_table, receiver_id
    from ceasefire.times import to_us

    start(ledger)
    found = fired(alerts(ledger, "2025-01-14"), Rule.OVERDUE)[:1]
    with Receiver(failures=0) as rx:
        claimed_at = to_us(dt.datetime.now(UTC))
        with ledger.engine.begin() as conn:  # another run is sending this alert right now
            conn.execute(delivered_table.insert().values(
                key=found[0].key, receiver=receiver_id(rx.url), agreement="mini",
                rule="overdue", state="sending", claimed_at=claimed_at, attempts=0,
                payload="{}"))
        report = deliver(ledger.engine, found, rx.url)
        assert report.busy == [found[0].key] and not rx.requests
        # That run died: once its claim is stale, this run takes the alert over.
        old = claimed_at - int(STALE_CLAIM.total_seconds() * 1_000_000) - 1
        with ledger.engine.begin() as conn:
            conn.execute(delivered_table.update().values(claimed_at=old))
        assert deliver(ledger.engine, found, rx.url).sent == [found[0].key]
        assert len(rx.accepted) == 1
        with ledger.engine.connect() as conn:
            state = conn.execute(sa.select(delivered_table.c.state)).scalar_one()
        assert state == "delivered"


def test_cli_posts_to_the_webhook_once(ledger, db_url):
    from typer.testing import CliRunner

    from ceasefire.cli import app

    start(ledger)
    with Receiver(failures=0) as rx:
        args = ["alerts", "--db", db_url, "-a", "mini", "--as-of", "2025-01-14",
                "--webhook", rx.url]
        first = CliRunner().invoke(app, args)
        assert first.exit_code == 0, first.output
        second = CliRunner().invoke(app, args)
        assert second.exit_code == 0
        assert sorted(b["provision"] for b in rx.accepted) == ["dead", "hostages"]
