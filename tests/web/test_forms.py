"""Forms and endpoints: CSRF, login rate limit, and bad input — a clear 4xx naming the
field, and nothing written."""

from __future__ import annotations

import pytest

from tests.conftest import SOURCE
from tests.web.conftest import PASSWORD, Site

FORM = {"agreement": "mini", "type": "flow", "at": "2025-01-11", "category": "truck",
        "measure": "m-un", "quantity": "120", "source_publisher": "Wire",
        "source_title": "Daily count", "source_quote": "120 trucks entered"}


def test_add_event_form_records_an_entry(secret_site: Site) -> None:
    c, csrf = secret_site.browser("reporter")
    form = c.get("/events/new?agreement=mini")
    assert form.status_code == 200 and 'name="quantity"' in form.text
    before = secret_site.head()
    r = c.post("/events/new", data=FORM | {"csrf_token": csrf})
    assert r.status_code == 303
    eid = r.headers["location"].rsplit("/", 1)[1]
    e = secret_site.ledger.get(eid).entry
    assert (e.quantity, e.recorded_by, e.verification.value) == (120, "reporter", "reported")
    assert secret_site.head() == before + 1
    page = c.get(r.headers["location"])
    assert "120 trucks entered" in page.text


@pytest.mark.parametrize("change, field", [
    ({"quantity": "-3"}, "quantity"),
    ({"quantity": "many"}, "quantity"),
    ({"category": "zebra"}, "category"),
    ({"at": "yesterday-ish"}, "at"),
    ({"at": ""}, "at"),
    ({"type": "nonsense"}, "type"),
    ({"type": "retraction"}, "type"),
    ({"source_publisher": "", "source_title": "", "source_quote": ""}, "sources"),
    ({"source_quote": ""}, "sources.0.quote"),
    ({"source_date": "31/12/2025"}, "sources.0.date"),
    ({"restricted": "{not json"}, "restricted"),
    ({"measure": "m-nobody"}, "measure"),
    ({"verification": "confirmed"}, "verification"),
    ({"recorded_by": "someone-else"}, "recorded_by"),
    ({"agreement": ""}, "agreement"),
    ({"agreement": "no-such"}, "agreement"),
])
def test_add_event_form_bad_input(secret_site: Site, change: dict[str, str],
                                  field: str) -> None:
    c, csrf = secret_site.browser("reporter")
    before = secret_site.head()
    r = c.post("/events/new", data=FORM | change | {"csrf_token": csrf})
    assert r.status_code in (404, 422), r.text[:300]
    assert f"<strong>{field}</strong>" in r.text, (field, r.text[r.text.find("error"):][:300])
    assert secret_site.head() == before


def test_forms_need_csrf(secret_site: Site) -> None:
    c, csrf = secret_site.browser("admin")
    e = secret_site.secret_entry
    before = secret_site.head()
    for url, data in (("/events/new", FORM), (f"/entries/{e}/confirm", {}),
                      (f"/entries/{e}/source", {"source_publisher": "W", "source_title": "T",
                                                 "source_quote": "q"}),
                      ("/admin/users", {"name": "x1", "password": PASSWORD, "role": "viewer"}),
                      ("/logout", {})):
        for token in (None, "forged"):
            payload = data | ({"csrf_token": token} if token else {})
            r = c.post(url, data=payload)
            assert r.status_code == 403 and "csrf_token" in r.text, (url, r.status_code)
    assert secret_site.head() == before
    assert "x1" not in [u.name for u, _, _ in secret_site.accounts.list()]
    # the JSON API with the session cookie needs the header instead
    assert c.post(f"/api/entries/{e}/confirm", json={}).status_code == 403
    ok = c.post(f"/api/entries/{e}/confirm", json={}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201


def test_verify_forms(secret_site: Site) -> None:
    c, csrf = secret_site.browser("verifier")
    e = secret_site.secret_entry
    for action, state in (("dispute", "disputed"), ("confirm", "confirmed"),
                          ("retract", "retracted")):
        r = c.post(f"/entries/{e}/{action}", data={"csrf_token": csrf, "note": "checked"})
        assert r.status_code == 303
        assert secret_site.client().get(f"/api/entries/{e}").json()["state"] == state
    assert c.post(f"/entries/{e}/bless", data={"csrf_token": csrf}).status_code == 422
    reporter, token = secret_site.browser("reporter")
    assert reporter.post(f"/entries/{e}/confirm", data={"csrf_token": token}).status_code == 403


def test_attach_source_form(secret_site: Site) -> None:
    c, csrf = secret_site.browser("reporter")
    e = secret_site.secret_entry
    before = secret_site.head()
    bad = c.post(f"/entries/{e}/source", data={"csrf_token": csrf, "source_publisher": "W",
                                               "source_title": "T"})
    assert bad.status_code == 422 and "<strong>source_quote</strong>" in bad.text
    assert secret_site.head() == before
    ok = c.post(f"/entries/{e}/source", data={"csrf_token": csrf, "source_publisher": "W",
                                              "source_title": "T", "source_quote": "a quote"})
    assert ok.status_code == 303 and secret_site.head() == before + 1
    assert secret_site.client().get(f"/api/entries/{e}").json()["extra_sources"] == 1


def test_login_logout_and_rate_limit(secret_site: Site) -> None:
    c, csrf = secret_site.browser()
    assert c.post("/login", data={"name": "admin", "password": "wrong password!",
                                  "csrf_token": csrf}).status_code == 401
    assert c.post("/login", data={"name": "", "password": "x", "csrf_token": csrf}
                  ).status_code == 422
    for _ in range(4):
        c.post("/login", data={"name": "admin", "password": "nope nope nope",
                               "csrf_token": csrf})
    blocked = c.post("/login", data={"name": "admin", "password": PASSWORD,
                                     "csrf_token": csrf})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    # the same name from another address is still blocked (per-name limit) ...
    other, token = secret_site.browser(ip="192.0.2.99")
    assert other.post("/login", data={"name": "admin", "password": PASSWORD,
                                      "csrf_token": token}).status_code == 429
    # ... and another name from the first address too (per-address limit)
    assert c.post("/login", data={"name": "viewer", "password": PASSWORD,
                                  "csrf_token": csrf}).status_code == 429
    # while another person elsewhere signs in normally
    fine, token = secret_site.browser(ip="192.0.2.50")
    assert fine.post("/login", data={"name": "viewer", "password": PASSWORD,
                                     "csrf_token": token}).status_code == 303
    signed, csrf2 = secret_site.browser("verifier", ip="192.0.2.7")
    assert signed.get("/api/me").json()["name"] == "verifier"
    assert signed.post("/logout", data={"csrf_token": csrf2}).status_code == 303
    assert signed.get("/api/me").json()["name"] == "public"


def test_admin_forms(secret_site: Site) -> None:
    c, csrf = secret_site.browser("admin")
    assert c.get("/admin").status_code == 200
    short = c.post("/admin/users", data={"csrf_token": csrf, "name": "newbie",
                                         "password": "short", "role": "viewer"})
    assert short.status_code == 422 and "<strong>password</strong>" in short.text
    bad_role = c.post("/admin/users", data={"csrf_token": csrf, "name": "newbie",
                                            "password": PASSWORD, "role": "emperor"})
    assert bad_role.status_code == 422 and "<strong>role</strong>" in bad_role.text
    bad_name = c.post("/admin/users", data={"csrf_token": csrf, "name": "no spaces",
                                            "password": PASSWORD, "role": "viewer"})
    assert bad_name.status_code == 422 and "<strong>name</strong>" in bad_name.text
    dup = c.post("/admin/users", data={"csrf_token": csrf, "name": "viewer",
                                       "password": PASSWORD, "role": "viewer"})
    assert dup.status_code == 422
    assert "newbie" not in [u.name for u, _, _ in secret_site.accounts.list()]
    ok = c.post("/admin/users", data={"csrf_token": csrf, "name": "newbie",
                                      "password": PASSWORD, "role": "reporter"})
    assert ok.status_code == 303 and secret_site.accounts.get("newbie").role.value == "reporter"
    assert c.post("/admin/users/newbie/revoke", data={"csrf_token": csrf}).status_code == 303
    assert secret_site.accounts.get("newbie").revoked
    assert c.post("/admin/users/ghost/revoke", data={"csrf_token": csrf}).status_code == 404
    bad = c.post("/admin/agreements", data={"csrf_token": csrf, "text": "id: [unclosed"})
    assert bad.status_code == 422 and "<strong>text</strong>" in bad.text
    viewer, token = secret_site.browser("viewer")
    assert viewer.get("/admin").status_code == 403
    assert viewer.post("/admin/users", data={"csrf_token": token, "name": "x2",
                                             "password": PASSWORD, "role": "admin"}
                       ).status_code == 403


@pytest.mark.parametrize("body, field", [
    ({"quantity": -1}, "quantity"),
    ({"quantity": "lots"}, "quantity"),
    ({"type": "bogus"}, "type"),
    ({"at": "not a date"}, "at"),
    ({"colour": "red"}, "colour"),
    ({"category": "zebra"}, "category"),
    ({"sources": []}, "sources"),
    ({"sources": [{"publisher": "W"}]}, "sources.0.title"),
    ({"type": "verification", "target": "x", "state": "confirmed"}, "type"),
    ({"agreement": "no-such"}, "entry"),
])
def test_api_entries_bad_input(secret_site: Site, body: dict, field: str) -> None:
    c = secret_site.client("reporter")
    before = secret_site.head()
    base = {"type": "flow", "agreement": "mini", "at": "2025-01-11", "category": "truck",
            "quantity": 5, "sources": [SOURCE]}
    r = c.post("/api/entries", json=base | body)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field, r.json()
    assert secret_site.head() == before


def test_api_bad_input_elsewhere(secret_site: Site) -> None:
    admin = secret_site.client("admin")
    e = secret_site.secret_entry
    before = secret_site.head()
    cases = [
        (admin.post("/api/entries", content=b"{broken", headers={
            "content-type": "application/json"}), 422, None),
        (admin.post(f"/api/entries/{e}/bless", json={}), 422, "action"),
        (admin.post("/api/entries/missing/confirm", json={}), 404, "entry_id"),
        (admin.post(f"/api/entries/{e}/sources", json={"publisher": "W"}), 422, "title"),
        (admin.post(f"/api/entries/{e}/confirm", json={"note": "x" * 3000}), 422, "note"),
        (admin.get("/api/agreements/mini/status?party=nobody"), 422, "party"),
        (admin.get("/api/agreements/mini/status?phase=nine"), 422, "phase"),
        (admin.get("/api/agreements/mini/status?status=great"), 422, "status"),
        (admin.get("/api/agreements/mini/status?known_at=2025-13-40"), 422, "known_at"),
        (admin.get("/api/entries?before=0"), 422, "before"),
        (admin.get("/api/entries?limit=0"), 422, "limit"),
        (admin.get("/api/entries?agreement=nope"), 404, "agreement_id"),
        (admin.get("/api/export?format=xml"), 422, "format"),
        (admin.post("/api/users", json={"name": "u", "password": "short", "role": "viewer"}),
         422, "password"),
        (admin.post("/api/users", json={"name": "u", "password": PASSWORD, "role": "king"}),
         422, "role"),
        (admin.post("/api/agreements", json={"text": "id: x\n"}), 422, "text"),
        (admin.get("/agreements/mini?as_of=someday"), 422, "as_of"),
        (admin.get("/ledger?type=weird"), 422, "type"),
    ]
    for r, code, field in cases:
        assert r.status_code == code, (r.request.url, r.status_code, r.text[:200])
        if field:
            assert field in (r.json()["field"] if r.request.url.path.startswith("/api")
                             else r.text), (r.request.url, r.text[:200])
    assert secret_site.head() == before
    assert [u.name for u, _, _ in secret_site.accounts.list()].count("u") == 0


def test_api_admin_writes(secret_site: Site) -> None:
    from tests.conftest import FIXTURES

    admin = secret_site.client("admin")
    r = admin.post("/api/users", json={"name": "analyst", "password": PASSWORD,
                                       "role": "viewer", "cleared": True})
    assert r.status_code == 201 and r.json()["cleared"] is True
    assert admin.post("/api/users/analyst/revoke").json()["revoked"] is True
    text = (FIXTURES / "mini.yaml").read_text().replace("id: mini", "id: mini-two", 1)
    made = admin.post("/api/agreements", json={"text": text})
    assert made.status_code == 201 and made.json()["id"] == "mini-two"
    assert secret_site.client().get("/agreements/mini-two").status_code == 200
