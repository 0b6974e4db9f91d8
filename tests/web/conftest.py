"""Web fixtures: the app over the `gaza` / `ledger` fixtures (SQLite and PostgreSQL), one
account per role plus a cleared one, API tokens, and a browser-style signed-in client."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from ceasefire import Ledger, users
from ceasefire.users import Accounts, Role
from ceasefire.web import create_app
from tests.conftest import FIXTURES, SOURCE

PASSWORD = "correct horse battery"
#: Restricted things planted in the ledger; no uncleared reader may ever see them.
SECRET_COORD = "31.51234"
SECRET_PLACE = "Site Q-17"
SECRET_PUBLISHER = "Hidden Informant"
SECRET_QUOTE = "seen near the orchard wall"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with small costs: the same code path, in milliseconds."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                         parallelism=1))


@dataclass
class Site:
    ledger: Ledger
    app: Any
    accounts: Accounts
    tokens: dict[str, str] = field(default_factory=dict)
    secret_entry: str | None = None

    def client(self, as_: str | None = None) -> TestClient:
        """A client calling as a token's owner (None: the anonymous public)."""
        c = TestClient(self.app, follow_redirects=False)
        if as_:
            c.headers["Authorization"] = f"Bearer {self.tokens[as_]}"
        return c

    def browser(self, as_: str | None = None, ip: str = "192.0.2.1") -> tuple[TestClient, str]:
        """A client signed in through the login form, and its CSRF token."""
        c = TestClient(self.app, follow_redirects=False, client=(ip, 50000))
        token = csrf_of(c.get("/login").text)
        if as_:
            r = c.post("/login", data={"name": as_, "password": PASSWORD,
                                       "csrf_token": token})
            assert r.status_code == 303, r.text
            token = csrf_of(c.get("/").text)
        return c, token

    def head(self) -> int:
        return self.ledger.head()[0]


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """The app served on a free loopback port, in a thread, for a real browser."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


def _site(led: Ledger) -> Site:
    app = create_app(led, secret_key="test-secret")
    site = Site(led, app, Accounts(led.engine))
    for role in Role:
        site.accounts.add(role.value, PASSWORD, role)
        site.tokens[role.value] = site.accounts.create_token(role.value)
    site.accounts.add("cleared", PASSWORD, Role.VIEWER, cleared=True)
    site.tokens["cleared"] = site.accounts.create_token("cleared")
    return site


@pytest.fixture
def site(gaza: Ledger) -> Iterator[Site]:
    """The bundled agreement and events, served."""
    yield _site(gaza)


@pytest.fixture
def secret_site(ledger: Ledger) -> Iterator[Site]:
    """The mini agreement with `place` restricted, and entries holding restricted data:
    coordinates, a restricted place, a confidential source, and a disagreeing report whose
    only source is confidential."""
    text = (FIXTURES / "mini.yaml").read_text() + "restricted_fields: [coordinates, place]\n"
    ledger.add_agreement(text, "mini.yaml")
    stored = ledger.add([
        {"type": "milestone", "agreement": "mini", "at": "2025-01-10", "provision": "start",
         "sources": [SOURCE], "recorded_at": "2025-01-10"},
        {"id": "secret-transfer", "type": "transfer", "agreement": "mini",
         "at": "2025-01-11", "actor": "a", "recipient": "b", "category": "remains",
         "quantity": 2, "place": SECRET_PLACE, "recorded_at": "2025-01-11",
         "restricted": {"coordinates": [float(SECRET_COORD), 34.4]},
         "sources": [SOURCE, {"publisher": SECRET_PUBLISHER, "title": "Field note",
                              "quote": SECRET_QUOTE, "confidential": True}]},
        {"type": "transfer", "agreement": "mini", "at": "2025-01-11", "actor": "a",
         "recipient": "b", "category": "remains", "quantity": 3, "target": "secret-transfer",
         "recorded_at": "2025-01-12",
         "sources": [{"publisher": SECRET_PUBLISHER, "title": "Second note",
                      "quote": SECRET_QUOTE, "confidential": True},
                     {"publisher": "Other Wire", "title": "R", "quote": "three bodies"}]},
    ], recorded_by="seed")
    site = _site(ledger)
    site.secret_entry = stored[1].entry.id
    yield site


SECRETS = (SECRET_COORD, SECRET_PLACE, SECRET_PUBLISHER, SECRET_QUOTE)


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]
