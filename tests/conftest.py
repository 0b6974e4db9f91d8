"""Fixtures: every ledger test runs on SQLite and on PostgreSQL.

PostgreSQL tests skip when no server answers, except under CI=true, where a missing server
is a failure. Each PostgreSQL test gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ceasefire import Ledger

FIXTURES = Path(__file__).parent / "fixtures"
PG_URL = os.environ.get("CEASEFIRE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SOURCE = {"publisher": "Test Wire", "title": "Report", "date": "2025-01-02",
          "url": "https://example.org/r", "quote": "It happened."}


def _pg_available() -> bool:
    try:
        with sa.create_engine(PG_URL).connect() as conn:
            conn.execute(sa.text("select 1"))
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_ok() -> bool:
    ok = _pg_available()
    if not ok and os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} (required when CI=true)")
    return ok


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    if not request.getfixturevalue("pg_ok"):
        pytest.skip("no PostgreSQL server")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def ledger(db_url: str) -> Iterator[Ledger]:
    """An empty ledger that knows the mini test agreement."""
    led = Ledger(db_url, load_bundled=False)
    led.add_agreement((FIXTURES / "mini.yaml").read_text(), "mini.yaml")
    yield led
    led.engine.dispose()


@pytest.fixture
def gaza(db_url: str) -> Iterator[Ledger]:
    """A ledger with the bundled agreement and events, as a first run has them."""
    led = Ledger(db_url)
    yield led
    led.engine.dispose()


def ev(type_: str, at: str, **fields: Any) -> dict[str, Any]:
    """A readable event row for the mini agreement, with a default source."""
    row: dict[str, Any] = {"type": type_, "at": at, "agreement": "mini",
                           "recorded_at": fields.pop("recorded_at", at)}
    if type_ not in ("retraction", "verification", "correction"):
        row["sources"] = [SOURCE]
    row.update(fields)
    return row


def complete_phase_one(ledger: Ledger) -> None:
    """Deliver everything the mini agreement's phase one asks (after its start milestone):
    the 3 hostages, 4 identified remains, and the 40 remains owed for them."""
    ledger.add([
        ev("transfer", "2025-01-11", actor="a", recipient="b", category="hostage", quantity=3),
        ev("transfer", "2025-01-11", id="t1", actor="a", recipient="b", category="remains",
           quantity=4),
        ev("identification", "2025-01-12", target="t1",
           outcomes=[{"result": "expected", "count": 4}]),
        ev("transfer", "2025-01-12", actor="b", recipient="a", category="b-remains",
           quantity=40),
    ], recorded_by="t")


def competing_reports(ledger: Ledger, recorded_at: str = "2025-01-11") -> None:
    """Entry `x`: 2 hostages handed over on 11 January per Test Wire; then another report of
    the same event, 3 per Other Wire (recorded at ``recorded_at``): the sources disagree."""
    ledger.add([ev("transfer", "2025-01-11", id="x", actor="a", recipient="b",
                   category="hostage", quantity=2)], recorded_by="t")
    other = ev("transfer", "2025-01-11", actor="a", recipient="b", category="hostage",
               quantity=3, target="x", recorded_at=recorded_at)
    other["sources"] = [{**other["sources"][0], "publisher": "Other Wire"}]
    ledger.add([other], recorded_by="t")
