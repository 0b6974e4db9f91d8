"""Alerts: rules over the engine's results, printed, written as JSON, or POSTed to a webhook.

Every rule reads :class:`~.status.AgreementStatus` objects the engine produced — the status
now, and for the rules about what is *new* (a dispute, a misidentification, a condition that
came true) the status at ``since`` — so an alert never disagrees with `ceasefire status`.

Each alert has a stable ``key`` built from what it is about (rule, provision, the date or
count that makes it this occurrence), never from when it was computed. Delivery to a webhook
keeps the key per receiver in the ``alerts_delivered`` table (migration ``alerts_0001``):
claimed before sending, marked delivered once the receiver answered 2xx, so running the
command again — every ten minutes from cron, say, even two at once — sends each alert once;
a failed attempt is retried with exponential back-off and carries the key as
``Idempotency-Key`` so a receiver can drop a duplicate of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import orjson
import sqlalchemy as sa
from pydantic import BaseModel, Field

from .agreement import Agreement
from .engine import Engine
from .errors import CeasefireError
from .report import fmt_time, reported_value
from .status import AgreementStatus, ProvisionResult, Status
from .storage import metadata
from .times import to_us

UTC = dt.UTC

delivered_table = sa.Table(
    "alerts_delivered", metadata,
    sa.Column("key", sa.String(64), primary_key=True, comment="Alert.key"),
    sa.Column("receiver", sa.String(64), primary_key=True,
              comment="SHA-256 of the webhook URL (the URL may hold a secret)."),
    sa.Column("agreement", sa.String(80), nullable=False),
    sa.Column("rule", sa.String(40), nullable=False),
    sa.Column("state", sa.String(16), nullable=False,
              comment="sending (claimed by a run) or delivered"),
    sa.Column("claimed_at", sa.BigInteger, nullable=False, comment="µs since epoch, UTC"),
    sa.Column("delivered_at", sa.BigInteger, nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
)


class Rule(StrEnum):
    DEADLINE_SOON = "deadline_soon"
    OVERDUE = "overdue"
    FLOW_UNDER_MIN = "flow_under_min"
    FLOW_OVER_CAP = "flow_over_cap"
    BALANCE_OWED = "balance_owed"
    NEW_DISPUTE = "new_dispute"
    MISIDENTIFICATION = "misidentification"
    UNBLOCKED = "unblocked"


SEVERITY = {Rule.DEADLINE_SOON: "warning", Rule.OVERDUE: "critical",
            Rule.FLOW_UNDER_MIN: "critical", Rule.FLOW_OVER_CAP: "warning",
            Rule.BALANCE_OWED: "warning", Rule.NEW_DISPUTE: "warning",
            Rule.MISIDENTIFICATION: "critical", Rule.UNBLOCKED: "info"}


class Thresholds(BaseModel):
    """The numbers in the rules; the CLI's options."""

    deadline_hours: float = Field(default=24, gt=0,
                                  description="Alert when a deadline is this close.")
    flow_days: int = Field(default=3, ge=1,
                           description="Days in a row a flow is out of bounds before alerting.")
    balance_days: float = Field(default=3, ge=0,
                                description="Days a ratio balance may be owed before alerting.")


class Alert(BaseModel):
    key: str = Field(description="Stable identity: the same alert has the same key on every run.")
    rule: Rule
    severity: str
    agreement: str
    provision: str | None = None
    message: str
    since: dt.datetime | None = Field(
        default=None, description="When the condition began (deadline, first day, ...).")
    details: dict[str, Any] = Field(default_factory=dict)


def _alert(rule: Rule, agreement: str, provision: str | None, message: str, *identity: Any,
           since: dt.datetime | None = None, **details: Any) -> Alert:
    raw = "|".join(str(x) for x in (rule.value, agreement, provision or "", *identity))
    key = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return Alert(key=key, rule=rule, severity=SEVERITY[rule], agreement=agreement,
                 provision=provision, message=message, since=since, details=details)


def _out_of_bounds_run(daily: dict[str, int], bound: int, under: bool) -> list[str]:
    """The run of consecutive calendar days under (or over) ``bound`` that ends on the
    latest observed day.

    A day with no observation ends a run: it is "no data", not a day out of bounds.
    """
    days = sorted(daily)
    run: list[str] = []
    for d in reversed(days):
        if not (daily[d] < bound if under else daily[d] > bound):
            break
        if run and (dt.date.fromisoformat(run[0]) - dt.date.fromisoformat(d)).days != 1:
            break
        run.insert(0, d)
    return run


@dataclass(frozen=True)
class _Scope:
    """What every provision rule reads besides the provision's results now and before."""

    agreement: Agreement
    thresholds: Thresholds
    as_of: dt.datetime

    @property
    def tz(self) -> dt.tzinfo:
        return self.agreement.tz

    def alert(self, rule: Rule, r: ProvisionResult, message: str, *identity: Any,
              since: dt.datetime | None = None, **details: Any) -> Alert:
        return _alert(rule, self.agreement.id, r.id, f"{r.title}: {message}", *identity,
                      since=since, **details)


ProvisionRule = Callable[[ProvisionResult, "ProvisionResult | None", _Scope], list[Alert]]


def _deadline_soon(r: ProvisionResult, was: ProvisionResult | None, s: _Scope) -> list[Alert]:
    if (r.deadline is None or r.status == Status.FULFILLED
            or not s.as_of < r.deadline <= s.as_of + dt.timedelta(hours=s.thresholds
                                                                  .deadline_hours)):
        return []
    hours = (r.deadline - s.as_of).total_seconds() / 3600
    return [s.alert(Rule.DEADLINE_SOON, r, f"deadline {fmt_time(r.deadline, s.tz)}, in "
                    f"{hours:.0f} h; {r.detail}", r.deadline.isoformat(), since=r.deadline,
                    deadline=r.deadline.isoformat(), hours_left=round(hours, 1))]


def _overdue(r: ProvisionResult, was: ProvisionResult | None, s: _Scope) -> list[Alert]:
    if r.status != Status.OVERDUE:
        return []
    owed = f"{r.remaining} still owed" if r.remaining is not None else r.detail
    return [s.alert(Rule.OVERDUE, r, f"overdue since {fmt_time(r.overdue_since, s.tz)}; {owed}",
                    r.overdue_since.isoformat() if r.overdue_since else "",
                    since=r.overdue_since, remaining=r.remaining)]


def _flow_out_of_bounds(r: ProvisionResult, was: ProvisionResult | None,
                        s: _Scope) -> list[Alert]:
    """Per measure, never adding measures: under the minimum or over the cap N days running."""
    if r.kind != "flow":
        return []
    terms = s.agreement.provision(r.id)
    low, high = getattr(terms, "min_per_day", None), getattr(terms, "max_per_day", None)
    out = []
    for measure, f in sorted(r.figures.get("measures", {}).items()):
        for rule, bound, word in ((Rule.FLOW_UNDER_MIN, low, "under its minimum"),
                                  (Rule.FLOW_OVER_CAP, high, "over its cap")):
            if bound is None:
                continue
            under = rule == Rule.FLOW_UNDER_MIN
            run = _out_of_bounds_run(f.get("daily", {}), bound, under)
            if len(run) < s.thresholds.flow_days:
                continue
            first = dt.datetime.fromisoformat(run[0]).replace(tzinfo=s.tz)
            out.append(s.alert(rule, r, f"{f['name']} {word} of {bound}/day {len(run)} days "
                               f"in a row, {run[0]} to {run[-1]}", measure, run[0],
                               since=first, measure=measure, days=run,
                               values=[f["daily"][d] for d in run], bound=bound))
    return out


def _balance_owed(r: ProvisionResult, was: ProvisionResult | None, s: _Scope) -> list[Alert]:
    if r.kind != "ratio" or (r.balance or 0) <= 0 or not r.figures.get("owed_since"):
        return []
    owed_since = dt.datetime.fromisoformat(r.figures["owed_since"])
    days = (s.as_of - owed_since).total_seconds() / 86_400
    if days <= s.thresholds.balance_days:
        return []
    return [s.alert(Rule.BALANCE_OWED, r, f"balance of {r.balance} owed for {days:.0f} days "
                    f"(since {fmt_time(owed_since, s.tz)})", owed_since.isoformat(),
                    since=owed_since, balance=r.balance, days=round(days, 1))]


def _became_disputed(r: ProvisionResult, was: ProvisionResult | None,
                     s: _Scope) -> list[Alert]:
    if r.status != Status.DISPUTED or (was is not None and was.status == Status.DISPUTED):
        return []
    disputed = sorted(e.id for e in r.evidence if e.verification == "disputed")
    return [s.alert(Rule.NEW_DISPUTE, r, f"disputed; {r.detail}", "provision", *disputed,
                    entries=disputed)]


def _misidentification(r: ProvisionResult, was: ProvisionResult | None,
                       s: _Scope) -> list[Alert]:
    """Bodies handed over that confirm nobody new: someone not covered, or someone already
    identified (partial remains, the same remains again)."""
    found = []
    for figure, what in (("not_covered", "someone not covered"),
                         ("already_identified", "someone already identified")):
        now = int(r.figures.get(figure, 0) or 0)
        before = int(was.figures.get(figure, 0) or 0) if was else 0
        if now > before:
            found.append(s.alert(Rule.MISIDENTIFICATION, r,
                                 f"{now - before} handed over identified as {what} "
                                 f"({now} in all)", *([now] if figure == "not_covered"
                                                      else [figure, now]),
                                 count=now, new=now - before, found=figure))
    return found


def _unblocked(r: ProvisionResult, was: ProvisionResult | None, s: _Scope) -> list[Alert]:
    waiting = (Status.BLOCKED, Status.NOT_YET_DUE)
    if (was is None or not was.blocked_by or r.blocked_by is not None
            or was.status not in waiting or r.status in waiting):
        return []
    return [s.alert(Rule.UNBLOCKED, r, f"no longer blocked — {was.blocked_by} now holds; now "
                    f"{r.status.value}", was.blocked_by, condition=was.blocked_by,
                    status=r.status.value)]


#: The rules about one provision, in the order of the README's table.
PROVISION_RULES: list[ProvisionRule] = [
    _deadline_soon, _overdue, _flow_out_of_bounds, _balance_owed, _became_disputed,
    _misidentification, _unblocked]


def rule_alerts(now: AgreementStatus, before: AgreementStatus | None, agreement: Agreement,
                thresholds: Thresholds | None = None) -> list[Alert]:
    """Every rule, from the status now and (for what is new) the status at ``since``."""
    scope = _Scope(agreement, thresholds or Thresholds(), now.as_of)
    prev = {r.id: r for r in before.provisions} if before else {}
    out = [a for r in now.provisions for rule in PROVISION_RULES
           for a in rule(r, prev.get(r.id), scope)]
    seen = {d.entry for d in before.disagreements} if before else set()
    for d in now.disagreements:
        if d.entry not in seen:
            values = "; ".join(reported_value(v) for v in d.values)
            out.append(_alert(Rule.NEW_DISPUTE, now.agreement, None,
                              f"sources disagree on the {d.type} of {d.when}: {values}",
                              d.entry, entry=d.entry, values=d.values))
    was_open = {ph.id: ph.open for ph in before.phases} if before else {}
    for ph in now.phases:
        if before is not None and ph.open and not was_open.get(ph.id, False):
            out.append(_alert(Rule.UNBLOCKED, now.agreement, None,
                              f"{ph.name} opened {fmt_time(ph.opened_at, agreement.tz)}",
                              "phase", ph.id, since=ph.opened_at, phase=ph.id))
    return sorted(out, key=lambda a: (a.rule.value, a.provision or "", a.key))


def evaluate_alerts(engine: Engine, agreement: str | Agreement | None = None, *,
                    as_of: dt.datetime | None = None, known_at: dt.datetime | None = None,
                    since: dt.datetime | None = None,
                    thresholds: Thresholds | None = None) -> list[Alert]:
    """The alerts as of a date; what is "new" is new since ``since`` (default: a day before)."""
    a = agreement if isinstance(agreement, Agreement) else engine.ledger.agreement(agreement)
    before, now = engine.since(a, as_of=as_of, known_at=known_at, since=since)
    return rule_alerts(now, before, a.in_force(now.as_of), thresholds)


def to_json(alerts: Sequence[Alert]) -> str:
    return orjson.dumps([a.model_dump(mode="json") for a in alerts],
                        option=orjson.OPT_INDENT_2).decode() + "\n"


# -- delivery -------------------------------------------------------------------------------
#: A claim older than this is taken to belong to a run that died mid-delivery.
STALE_CLAIM = dt.timedelta(minutes=10)


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def receiver_id(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def delivered_keys(engine: sa.Engine, url: str) -> set[str]:
    t = delivered_table.c
    with engine.connect() as conn:
        return set(conn.execute(sa.select(t.key).where(
            t.receiver == receiver_id(url), t.state == "delivered")).scalars())


def deliver(engine: sa.Engine, alerts: Sequence[Alert], url: str, *, retries: int = 4,
            backoff: float = 1.0, timeout: float = 10.0,
            sleep: Callable[[float], None] = time.sleep) -> DeliveryReport:
    """POST each alert not yet delivered to ``url``, at most once even with runs in parallel.

    An alert is first *claimed* (a row in ``alerts_delivered``; a second run finds the row
    and leaves the alert alone), then sent, then marked delivered once the receiver answers
    2xx; a failure removes the claim so the next run tries again. A connection error, a
    timeout, a 408, 429 or 5xx is retried after ``backoff`` × 2^n seconds, up to ``retries``
    more times; any other 4xx is final (retrying a request the receiver rejects would not help).
    """
    if urllib.parse.urlsplit(url).scheme not in ("http", "https") or \
            not urllib.parse.urlsplit(url).netloc:
        raise CeasefireError(f"the webhook must be an http(s) URL, not {url!r}")
    report = DeliveryReport()
    done = delivered_keys(engine, url)
    for alert in alerts:
        if alert.key in done:
            report.already.append(alert.key)
            continue
        body = orjson.dumps(alert.model_dump(mode="json"))
        if not _claim(engine, alert, url, body):
            report.busy.append(alert.key)
            continue
        error = ""
        for attempt in range(retries + 1):
            if attempt:
                sleep(backoff * 2 ** (attempt - 1))
            ok, retry, error = _post(url, body, alert.key, timeout)
            if ok:
                _settle(engine, alert, url, attempts=attempt + 1)
                report.sent.append(alert.key)
                done.add(alert.key)
                break
            if not retry:
                break
        if alert.key not in done:
            _settle(engine, alert, url, attempts=None)
            report.failed[alert.key] = error
    return report


def _post(url: str, body: bytes, key: str, timeout: float) -> tuple[bool, bool, str]:
    """(accepted, worth retrying, error)."""
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Idempotency-Key": key,
        "User-Agent": "ceasefire-alerts"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - user's URL
            return 200 <= resp.status < 300, False, f"HTTP {resp.status}"
    except urllib.error.HTTPError as exc:
        code = exc.code
        return False, code in (408, 429) or code >= 500, f"HTTP {code}"
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return False, True, str(reason)


def _claim(engine: sa.Engine, alert: Alert, url: str, body: bytes) -> bool:
    """Take the alert for this run; False when another run holds a fresh claim on it."""
    t = delivered_table.c
    now = to_us(dt.datetime.now(UTC))
    row = {"key": alert.key, "receiver": receiver_id(url), "agreement": alert.agreement,
           "rule": alert.rule.value, "state": "sending", "claimed_at": now,
           "delivered_at": None, "attempts": 0, "payload": body.decode()}
    try:
        with engine.begin() as conn:
            conn.execute(delivered_table.insert().values(**row))
        return True
    except sa.exc.IntegrityError:
        pass
    stale = now - int(STALE_CLAIM.total_seconds() * 1_000_000)
    with engine.begin() as conn:
        taken = conn.execute(delivered_table.update().where(
            t.key == alert.key, t.receiver == receiver_id(url), t.state == "sending",
            t.claimed_at < stale).values(claimed_at=now))
        return taken.rowcount == 1


def _settle(engine: sa.Engine, alert: Alert, url: str, *, attempts: int | None) -> None:
    """Mark the claimed alert delivered (after ``attempts`` tries), or drop the claim."""
    t = delivered_table.c
    mine = sa.and_(t.key == alert.key, t.receiver == receiver_id(url), t.state == "sending")
    with engine.begin() as conn:
        if attempts is None:
            conn.execute(delivered_table.delete().where(mine))
        else:
            conn.execute(delivered_table.update().where(mine).values(
                state="delivered", attempts=attempts,
                delivered_at=to_us(dt.datetime.now(UTC))))
