"""Roles: what each may and may not do; restricted data through every route and export."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import SOURCE
from tests.web.conftest import SECRETS, Site, leaks

EVENT = {"type": "flow", "agreement": "mini", "at": "2025-01-11", "category": "truck",
         "measure": "m-un", "quantity": 120, "sources": [SOURCE]}


def _writes(site: Site, who: str | None, target: str) -> dict[str, int]:
    c = site.client(who)
    return {
        "add": c.post("/api/entries", json=EVENT).status_code,
        "source": c.post(f"/api/entries/{target}/sources", json=SOURCE).status_code,
        "confirm": c.post(f"/api/entries/{target}/confirm", json={}).status_code,
        "dispute": c.post(f"/api/entries/{target}/dispute", json={"note": "n"}).status_code,
        "retract": c.post(f"/api/entries/{target}/retract").status_code,
        "users": c.get("/api/users").status_code,
    }


@pytest.mark.parametrize("who, allowed", [
    (None, set()),
    ("viewer", set()),
    ("cleared", set()),
    ("reporter", {"add", "source"}),
    ("verifier", {"add", "source", "confirm", "dispute", "retract"}),
    ("admin", {"add", "source", "confirm", "dispute", "retract", "users"}),
])
def test_each_role_allowed_and_refused(secret_site: Site, who: str | None,
                                       allowed: set[str]) -> None:
    before = secret_site.head()
    codes = _writes(secret_site, who, secret_site.secret_entry or "")
    refused = 401 if who is None else 403
    for action, code in codes.items():
        ok = 200 if action == "users" else 201
        assert code == (ok if action in allowed else refused), (who, action, code)
    wrote = len(allowed - {"users"})
    assert secret_site.head() == before + wrote


def test_writes_record_who_made_them_and_land_as_reported(secret_site: Site) -> None:
    c = secret_site.client("reporter")
    made = c.post("/api/entries", json=EVENT).json()
    assert made["recorded_by"] == "reporter"
    entry = secret_site.ledger.get(made["id"]).entry
    assert entry.recorded_by == "reporter" and entry.verification.value == "reported"
    v = secret_site.client("verifier").post(f"/api/entries/{made['id']}/confirm",
                                            json={"note": "seen"}).json()
    assert secret_site.ledger.get(v["id"]).entry.recorded_by == "verifier"
    state = secret_site.client().get(f"/api/entries/{made['id']}").json()["state"]
    assert state == "confirmed"


def test_clients_cannot_set_who_when_or_verification(secret_site: Site) -> None:
    c = secret_site.client("reporter")
    before = secret_site.head()
    for field, value in (("recorded_by", "someone-else"), ("verification", "confirmed"),
                         ("recorded_at", "2025-01-01"), ("id", "chosen-id")):
        r = c.post("/api/entries", json=EVENT | {field: value})
        assert r.status_code == 422 and r.json()["field"] == field, (field, r.text)
    assert secret_site.head() == before


def test_revoked_accounts_and_tokens_are_refused(secret_site: Site) -> None:
    c = secret_site.client("reporter")
    assert c.get("/api/me").json()["name"] == "reporter"
    secret_site.accounts.revoke("reporter", by="test")
    r = c.post("/api/entries", json=EVENT)
    assert r.status_code == 401 and r.json()["field"] == "authorization"
    browser, csrf = secret_site.browser()
    r = browser.post("/login", data={"name": "reporter", "password": "correct horse battery",
                                     "csrf_token": csrf})
    assert r.status_code == 401
    bad = secret_site.client()
    bad.headers["Authorization"] = "Bearer cf_not-a-token"
    assert bad.get("/api/me").status_code == 401
    bad.headers["Authorization"] = "Basic abc"
    assert bad.get("/api/me").status_code == 401


def _public_routes(site: Site) -> list[str]:
    e = site.secret_entry
    return [
        "/", "/api/agreements",
        "/agreements/mini?as_of=2025-01-20", "/api/agreements/mini/status?as_of=2025-01-20",
        "/api/agreements/mini/status?as_of=2025-01-20&evidence=true",
        "/agreements/mini/provisions/dead?as_of=2025-01-20",
        "/api/agreements/mini/provisions/dead?as_of=2025-01-20",
        "/agreements/mini/parties/a?as_of=2025-01-20", "/api/agreements/mini/parties/a",
        "/agreements/mini/sources?as_of=2025-01-20",
        "/api/agreements/mini/disagreements?as_of=2025-01-20",
        "/ledger", "/api/entries", f"/entries/{e}", f"/api/entries/{e}",
        "/api/export?format=csv", "/api/export?format=json", "/api/export?format=yaml",
        "/api/export?format=json&agreement=mini",
    ] + [f"/ledger?q={s}" for s in SECRETS] + [f"/api/entries?q={s}" for s in SECRETS]


@pytest.mark.parametrize("who", [None, "viewer", "reporter", "verifier", "admin"])
def test_restricted_data_never_reaches_uncleared_readers(secret_site: Site,
                                                         who: str | None) -> None:
    c = secret_site.client(who)
    for url in _public_routes(secret_site):
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
        # a search page echoes the reader's own query in its search box: check the results
        shown = r.text
        if "?q=" in url:
            shown = shown.split('<div id="results">', 1)[-1].split('<footer', 1)[0]
        assert not leaks(shown), f"{url} shows {leaks(shown)} to {who or 'the public'}"
    # searching for a restricted value must not reveal that an entry holds it
    for secret in SECRETS:
        assert c.get("/api/entries", params={"q": secret}).json()["entries"] == []
    r = c.get("/api/export?format=json&include_restricted=true")
    assert r.status_code == (401 if who is None else 403)
    assert r.json()["field"] == "include_restricted"


def test_cleared_readers_see_restricted_data(secret_site: Site) -> None:
    c = secret_site.client("cleared")
    e = secret_site.secret_entry
    entry = c.get(f"/api/entries/{e}").json()
    assert entry["restricted"]["coordinates"][0] == float("31.51234")
    assert entry["place"] == "Site Q-17"
    assert any(s.get("confidential") for s in entry["sources"])
    assert "31.51234" in c.get(f"/entries/{e}").text
    assert c.get("/api/entries", params={"q": "Q-17"}).json()["entries"]
    full = c.get("/api/export?format=json&include_restricted=true")
    assert full.status_code == 200 and not set(SECRETS) - set(leaks(full.text))
    # without asking, even a cleared reader's export is the public one
    assert not leaks(c.get("/api/export?format=csv").text)
    page = c.get("/agreements/mini/provisions/dead?as_of=2025-01-20").text
    assert "31.51234" in page


def test_tokens_never_logged(secret_site: Site, caplog: pytest.LogCaptureFixture) -> None:
    token = secret_site.tokens["reporter"]
    with caplog.at_level(logging.DEBUG):
        c = secret_site.client("reporter")
        c.get("/api/me")
        c.post("/api/entries", json=EVENT)
        c.post("/api/entries", json=EVENT | {"quantity": -1})
    assert caplog.records, "requests were logged at debug level"
    assert token not in caplog.text and token[10:] not in caplog.text
    with secret_site.ledger.engine.connect() as conn:
        stored = conn.exec_driver_sql("select digest, prefix from api_tokens").all()
    assert all(token not in (d, p) for d, p in stored)
