"""Recording search-and-recovery work from the dashboard: the site, team and custody forms
(with and without htmx), their JSON twins, roles, CSRF, chain order and restricted inputs."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from ceasefire.users import Role
from tests.conftest import FIXTURES
from tests.web.conftest import PASSWORD, Site, _site, live_server

A = "search"
SOURCE = {"source_publisher": "Test Wire", "source_title": "Field report",
          "source_date": "2025-01-20", "source_quote": "The site was reported."}
LAT, LON = "31.40404", "34.30303"


@pytest.fixture
def rsite(ledger) -> Site:
    ledger.add_agreement((FIXTURES / "search.yaml").read_text(), "search.yaml")
    s = _site(ledger)
    s.accounts.add("cleared-reporter", PASSWORD, Role.REPORTER, cleared=True)
    s.tokens["cleared-reporter"] = s.accounts.create_token("cleared-reporter")
    return s


def _post(c, url: str, csrf: str, **fields: str):
    return c.post(url, data={"csrf_token": csrf, **SOURCE, **fields})


def _recorded(r) -> str:
    assert r.status_code == 303, r.text[-2000:]
    m = re.search(r"\?recorded=(.+)$", r.headers["location"])
    assert m, r.headers["location"]
    return m.group(1)


def _error(html: str) -> str:
    m = re.search(r'<div class="error" role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert m, "no error shown beside the form"
    return re.sub(r"<[^>]+>", "", m.group(1))


# --- each form writes the right entry -------------------------------------------------------


def test_site_form_reports_a_site_then_changes_its_status(rsite: Site) -> None:
    c, csrf = rsite.browser("reporter")
    page = c.get(f"/agreements/{A}/sites").text
    assert 'data-form="site"' in page and 'name="csrf_token"' in page
    r = _post(c, f"/agreements/{A}/sites", csrf, site="S9", status="reported",
              at="2025-01-20T10:30", description="collapsed school", provided_by="a",
              priority="2", access="beyond the line", roster="dead")
    assert r.headers["location"].startswith(f"/agreements/{A}/sites?recorded=")
    e = rsite.ledger.get(_recorded(r)).entry
    assert e.type.value == "site" and e.recorded_by == "reporter" and e.actor == "a"
    assert e.details == {"site": "S9", "status": "reported", "description": "collapsed school",
                         "provided_by": "a", "priority": 2, "access": "beyond the line",
                         "roster": "dead"}
    assert e.sources[0].publisher == "Test Wire" and not e.restricted
    shown = c.get(r.headers["location"]).text
    assert 'data-site="S9"' in shown and "collapsed school" in shown
    assert f'/entries/{e.id}' in shown and "Recorded" in shown
    # a change of status, by a team
    r = _post(c, f"/agreements/{A}/sites", csrf, site="S9", status="searching",
              at="2025-01-21", team="t-egypt")
    e2 = rsite.ledger.get(_recorded(r)).entry
    assert e2.details == {"site": "S9", "status": "searching", "team": "t-egypt"}
    api = rsite.client().get(f"/api/agreements/{A}/sites").json()
    assert api[0]["site"] == "S9" and api[0]["status"] == "searching"
    assert api[0]["teams"] == ["t-egypt"]


def test_team_form_registers_a_team_and_logs_activity(rsite: Site) -> None:
    c, csrf = rsite.browser("reporter")
    r = _post(c, f"/agreements/{A}/teams", csrf, team="t-egypt", at="2025-01-10",
              organisation="Civil defence", country="Egypt", size="12",
              equipment="excavator; sniffer dogs", role="search", coordinates_from="a")
    e = rsite.ledger.get(_recorded(r)).entry
    assert e.type.value == "team" and e.details["size"] == 12
    assert e.details["equipment"] == ["excavator", "sniffer dogs"]
    assert e.details["coordinates_from"] == "a" and e.details["role"] == "search"
    _recorded(_post(c, f"/agreements/{A}/sites", csrf, site="S1", at="2025-01-10",
                    description="ruins"))
    r = _post(c, f"/agreements/{A}/teams", csrf, team="t-egypt", at="2025-01-11",
              site="S1", activity="digging at the north wall")
    _recorded(r)
    page = c.get(f"/agreements/{A}/teams").text
    assert 'data-team="t-egypt"' in page and "digging at the north wall" in page
    teams = rsite.client().get(f"/api/agreements/{A}/teams").json()
    assert teams[0]["team"] == "t-egypt" and "S1" in teams[0]["sites"]


def test_custody_form_and_chain_page_build_the_chain(rsite: Site) -> None:
    c, csrf = rsite.browser("reporter")
    r = _post(c, f"/agreements/{A}/custody", csrf, remains="R7", link="recovered",
              at="2025-01-12", roster="dead", team="t-egypt")
    assert rsite.ledger.get(_recorded(r)).entry.details["remains"] == ["R7"]
    chain = c.get(f"/agreements/{A}/custody/R7").text
    assert f'action="/agreements/{A}/custody/R7"' in chain and 'name="remains"' not in chain
    r = _post(c, f"/agreements/{A}/custody/R7", csrf, link="held", at="2025-01-12",
              holder="party A authority")
    assert r.headers["location"].startswith(f"/agreements/{A}/custody/R7?recorded=")
    r = _post(c, f"/agreements/{A}/custody/R7", csrf, link="handed_over", at="2025-01-13")
    t = rsite.ledger.get(_recorded(r)).entry
    assert t.type.value == "transfer" and t.provision == "dead" and t.quantity == 1
    r = _post(c, f"/agreements/{A}/custody/R7", csrf, link="crossed", at="2025-01-13",
              facility="gate")
    assert rsite.ledger.get(_recorded(r)).entry.facility == "gate"
    api = rsite.client().get(f"/api/agreements/{A}/custody/R7").json()
    assert api["stage"] == "crossed"
    assert [s["what"].split(":")[0] for s in api["steps"]] == [
        "recovered", "held", "handed over", "crossed"]
    # a different set on one chain's page is refused, naming the field
    r = _post(c, f"/agreements/{A}/custody/R7", csrf, remains="R8", link="recovered",
              at="2025-01-13")
    assert r.status_code == 422 and "remains" in _error(r.text)


def test_out_of_order_link_is_refused_and_nothing_is_written(rsite: Site) -> None:
    c, csrf = rsite.browser("reporter")
    before = rsite.head()
    r = _post(c, f"/agreements/{A}/custody", csrf, remains="R5", link="handed_over",
              at="2025-01-13", roster="dead")
    assert r.status_code == 422
    err = _error(r.text)
    assert "link" in err and "cannot record handed_over before recovered" in err
    assert 'id="rec-link-link"' in r.text and 'aria-invalid="true"' in r.text
    assert 'value="R5"' in r.text  # what was typed comes back
    # with htmx: the same message, in place
    r = c.post(f"/agreements/{A}/custody", headers={"HX-Request": "true"},
               data={"csrf_token": csrf, **SOURCE, "remains": "R5", "link": "held",
                     "at": "2025-01-13"})
    assert r.status_code == 422 and "cannot record held before recovered" in r.text
    # and through the twin
    r = rsite.client("reporter").post(f"/api/agreements/{A}/custody", json={
        "remains": ["R5"], "link": "identified", "at": "2025-01-13",
        "sources": [{"publisher": "W", "title": "T", "quote": "q"}]})
    assert r.status_code == 422 and r.json()["field"] == "link"
    assert "cannot record identified before recovered" in r.json()["detail"]
    assert rsite.head() == before


@pytest.mark.parametrize("change, field, expected", [
    ({"at": "soon"}, "at", "not a date or time"),
    ({"priority": "9"}, "priority", "less than or equal to 5"),
    ({"site": "bad id!"}, "site", "pattern"),
    ({"provided_by": "nobody"}, "provided_by", "unknown"),
    ({"source_publisher": "", "source_title": "", "source_quote": "", "source_date": ""},
     "source_publisher", "at least one source"),
    ({"source_title": ""}, "source_title", "required"),
    ({"status": "searching", "site": "S404"}, "site", "has not been reported"),
    ({"description": ""}, "description", "coordinates or a description"),
])
def test_site_form_errors_name_the_field(rsite: Site, change: dict[str, str], field: str,
                                         expected: str) -> None:
    c, csrf = rsite.browser("reporter")
    before = rsite.head()
    data = {"csrf_token": csrf, **SOURCE, "site": "S1", "status": "reported",
            "at": "2025-01-10", "description": "ruins", **change}
    r = c.post(f"/agreements/{A}/sites", data=data)
    assert r.status_code == 422, r.text[-500:]
    err = _error(r.text)
    assert err.split(":")[0].endswith(field) and expected in err, err
    assert rsite.head() == before


# --- who may write ----------------------------------------------------------------------------


@pytest.mark.parametrize("who, code", [(None, 401), ("viewer", 403), ("cleared", 403)])
def test_readers_cannot_record(rsite: Site, who: str | None, code: int) -> None:
    before = rsite.head()
    c, csrf = rsite.browser(who)
    page = c.get(f"/agreements/{A}/sites").text
    assert "data-form=" not in page
    for url, fields in ((f"/agreements/{A}/sites", {"site": "S1", "at": "2025-01-10"}),
                        (f"/agreements/{A}/teams", {"team": "t", "at": "2025-01-10"}),
                        (f"/agreements/{A}/custody", {"remains": "R1", "link": "recovered",
                                                      "at": "2025-01-10"}),
                        (f"/agreements/{A}/custody/R1", {"link": "recovered",
                                                         "at": "2025-01-10"})):
        assert _post(c, url, csrf, **fields).status_code == code, url
    api = rsite.client(who)
    r = api.post(f"/api/agreements/{A}/teams", json={
        "team": "t", "at": "2025-01-10",
        "sources": [{"publisher": "W", "title": "T", "quote": "q"}]})
    assert r.status_code == code
    assert rsite.head() == before


def test_forms_need_csrf(rsite: Site) -> None:
    c, csrf = rsite.browser("reporter")
    before = rsite.head()
    for url in (f"/agreements/{A}/sites", f"/agreements/{A}/teams",
                f"/agreements/{A}/custody", f"/agreements/{A}/custody/R1"):
        for token in (None, "forged"):
            data = {**SOURCE, "site": "S1", "team": "t", "remains": "R1",
                    "link": "recovered", "at": "2025-01-10"}
            if token:
                data["csrf_token"] = token
            r = c.post(url, data=data)
            assert r.status_code == 403 and "csrf_token" in r.text, (url, r.status_code)
    # the twin with the session cookie needs the header; a bearer token needs none
    body = {"team": "t", "at": "2025-01-10",
            "sources": [{"publisher": "W", "title": "T", "quote": "q"}]}
    assert c.post(f"/api/agreements/{A}/teams", json=body).status_code == 403
    assert rsite.head() == before
    r = c.post(f"/api/agreements/{A}/teams", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text


# --- restricted inputs ------------------------------------------------------------------------


def test_uncleared_reporter_gets_no_restricted_inputs_and_cannot_post_them(rsite: Site) -> None:
    c, csrf = rsite.browser("reporter")
    for page in ("sites", "custody"):
        url = f"/agreements/{A}/{page}"
        html = c.get(url).text
        for name in ("lat", "lon", "radius", "persons"):
            assert f'name="{name}"' not in html, (url, name)
    before = rsite.head()
    r = _post(c, f"/agreements/{A}/sites", csrf, site="S1", at="2025-01-10", lat=LAT, lon=LON)
    assert r.status_code == 403
    err = _error(r.text)
    assert "lat" in err and "restricted" in err and "cleared" in err
    assert LAT not in r.text  # not echoed back
    r = _post(c, f"/agreements/{A}/custody", csrf, remains="R1", link="recovered",
              at="2025-01-10", persons="known-one")
    assert r.status_code == 403 and "persons" in _error(r.text)
    assert "known-one" not in r.text.split("<footer")[0].split('id="rec-link"')[1]
    api = rsite.client("reporter")
    src = [{"publisher": "W", "title": "T", "quote": "q"}]
    r = api.post(f"/api/agreements/{A}/sites", json={
        "site": "S1", "at": "2025-01-10", "sources": src,
        "coordinates": {"lat": float(LAT), "lon": float(LON)}})
    assert r.status_code == 403 and r.json()["field"] == "coordinates"
    r = api.post(f"/api/agreements/{A}/custody", json={
        "remains": ["R1"], "link": "recovered", "at": "2025-01-10", "sources": src,
        "persons": ["known-one"]})
    assert r.status_code == 403 and r.json()["field"] == "persons"
    assert rsite.head() == before
    # without them, the same reporter records the site
    assert _post(c, f"/agreements/{A}/sites", csrf, site="S1", at="2025-01-10",
                 description="orchard").status_code == 303


def test_cleared_reporter_enters_restricted_inputs(rsite: Site) -> None:
    c, csrf = rsite.browser("cleared-reporter")
    html = c.get(f"/agreements/{A}/sites").text
    assert all(f'name="{n}"' in html for n in ("lat", "lon", "radius", "persons"))
    # an error echoes the restricted values back to the cleared account, beside the field
    r = _post(c, f"/agreements/{A}/sites", csrf, site="S1", at="2025-01-10", lat="95",
              lon=LON)
    assert r.status_code == 422 and _error(r.text).startswith("Nothing was recorded — lat")
    assert f'value="{LON}"' in r.text
    r = _post(c, f"/agreements/{A}/sites", csrf, site="S1", at="2025-01-10", lat=LAT,
              lon=LON, radius="50", persons="secret-person", roster="dead")
    e = rsite.ledger.get(_recorded(r)).entry
    assert e.restricted == {"coordinates": {"lat": float(LAT), "lon": float(LON),
                                            "radius_m": 50.0},
                            "site_person_links": ["secret-person"]}
    assert LAT in c.get(f"/agreements/{A}/sites").text
    assert LAT not in rsite.client("reporter").get(f"/agreements/{A}/sites").text
    r = _post(c, f"/agreements/{A}/custody", csrf, remains="R1", link="recovered",
              at="2025-01-11", site="S1", roster="dead", persons="secret-person")
    assert rsite.ledger.get(_recorded(r)).entry.restricted == {"names": ["secret-person"]}
    # an unknown roster member is refused, naming the input
    r = _post(c, f"/agreements/{A}/custody", csrf, remains="R2", link="recovered",
              at="2025-01-11", persons="nobody")
    assert r.status_code == 422 and "persons" in _error(r.text)
    assert "unknown roster member" in _error(r.text)


# --- htmx and the JSON twins ------------------------------------------------------------------


def test_htmx_submit_answers_in_place(rsite: Site) -> None:
    c, csrf = rsite.browser("reporter")
    r = c.post(f"/agreements/{A}/sites", headers={"HX-Request": "true"},
               data={"csrf_token": csrf, **SOURCE, "site": "S3", "at": "2025-01-10",
                     "description": "by the well"})
    assert r.status_code == 200 and 'id="main"' in r.text
    assert 'data-site="S3"' in r.text and 'role="status"' in r.text
    assert 'hx-post="/agreements/search/sites"' in r.text
    assert 'name="site" value=""' in r.text  # the form is cleared for the next one


def test_forms_suggest_the_ids_already_recorded(rsite: Site) -> None:
    """Site and team ids typed once are offered again (a datalist), so a later entry about
    the same site or team uses the same id."""
    c, csrf = rsite.browser("reporter")
    assert "known-site" not in c.get(f"/agreements/{A}/custody").text
    _post(c, f"/agreements/{A}/sites", csrf, site="S7", at="2025-01-10",
          description="by the school", team="t-north")
    _post(c, f"/agreements/{A}/teams", csrf, team="t-north", at="2025-01-10")
    page = c.get(f"/agreements/{A}/custody").text
    assert re.search(r'<datalist id="known-site">.*<option value="S7">', page)
    assert re.search(r'<datalist id="known-team">.*<option value="t-north">', page)
    assert 'name="site" value="" list="known-site"' in page


def test_json_twins_write_and_echo_by_clearance(rsite: Site) -> None:
    src = [{"publisher": "W", "title": "T", "quote": "q", "date": "2025-01-10"}]
    cleared = rsite.client("cleared-reporter")
    r = cleared.post(f"/api/agreements/{A}/sites", json={
        "site": "S1", "at": "2025-01-10", "description": "orchard", "priority": 1,
        "coordinates": {"lat": float(LAT), "lon": float(LON)},
        "persons": ["secret-person"], "roster": "dead", "sources": src})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["type"] == "site" and body["recorded_by"] == "cleared-reporter"
    assert body["entry"]["restricted"]["coordinates"]["lat"] == float(LAT)
    # the uncleared reader of the same entry sees it redacted
    public = rsite.client("reporter").get(f"/api/entries/{body['id']}").json()
    assert LAT not in str(public)
    reporter = rsite.client("reporter")
    r = reporter.post(f"/api/agreements/{A}/teams", json={
        "team": "t-1", "at": "2025-01-10", "equipment": ["shovels"], "size": 4,
        "sources": src})
    assert r.status_code == 201 and r.json()["entry"]["details"]["equipment"] == ["shovels"]
    r = reporter.post(f"/api/agreements/{A}/custody", json={
        "remains": ["R1"], "link": "recovered", "at": "2025-01-11", "roster": "dead",
        "site": "S1", "sources": src})
    assert r.status_code == 201 and r.json()["type"] == "custody"
    r = reporter.post(f"/api/agreements/{A}/custody/R1", json={
        "link": "handed_over", "at": "2025-01-12", "sources": src})
    assert r.status_code == 201 and r.json()["type"] == "transfer"
    # the same validation as the forms
    r = reporter.post(f"/api/agreements/{A}/sites", json={
        "site": "S2", "at": "2025-01-10", "priority": 7, "sources": src})
    assert r.status_code == 422 and r.json()["field"] == "priority"
    r = reporter.post(f"/api/agreements/{A}/teams", json={"team": "t-2", "at": "2025-01-10",
                                                          "sources": []})
    assert r.status_code == 422 and r.json()["field"] == "sources"
    r = reporter.post(f"/api/agreements/{A}/custody", json={
        "link": "recovered", "at": "2025-01-11", "sources": src})
    assert r.status_code == 422 and r.json()["field"] == "remains"
    r = reporter.post(f"/api/agreements/{A}/custody/R9", json={
        "remains": ["R1"], "link": "recovered", "at": "2025-01-11", "sources": src})
    assert r.status_code == 422 and r.json()["field"] == "remains"
    r = reporter.post(f"/api/agreements/{A}/custody/R9", json={
        "link": "handed_over", "at": "2025-01-11", "sources": src})
    assert r.status_code == 422 and r.json()["field"] == "link"  # not "no roster known"
    assert "cannot record handed_over before recovered" in r.json()["detail"]
    assert reporter.post("/api/agreements/nowhere/teams", json={
        "team": "t", "at": "2025-01-10", "sources": src}).status_code == 404


def test_twins_listed_in_openapi(rsite: Site) -> None:
    paths = rsite.client().get("/openapi.json").json()["paths"]
    for p in ("/api/agreements/{agreement_id}/sites", "/api/agreements/{agreement_id}/teams",
              "/api/agreements/{agreement_id}/custody",
              "/api/agreements/{agreement_id}/custody/{remains}"):
        assert "post" in paths[p], p
    assert not any(p.startswith("/agreements/") for p in paths)


def test_form_pages_label_every_input(rsite: Site) -> None:
    c, _ = rsite.browser("cleared-reporter")
    for url in (f"/agreements/{A}/sites", f"/agreements/{A}/teams",
                f"/agreements/{A}/custody"):
        html = c.get(url).text
        ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"',
                         html)
        assert len(ids) > 10, url
        for i in ids:
            assert f'for="{i}"' in html, f"{url}: input {i} has no label"
        assert len(ids) == len(set(ids)), url


def test_only_a_real_entry_is_announced(rsite: Site) -> None:
    c, _ = rsite.browser("reporter")
    assert 'role="status"' not in c.get(f"/agreements/{A}/sites?recorded=made-up").text


# --- in a real browser ------------------------------------------------------------------------


@pytest.fixture
def rserver(rsite: Site) -> Iterator[str]:
    with live_server(rsite.app) as url:
        yield url


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_forms_in_chromium(rsite: Site, rserver: str) -> None:
    """A reporter reports a site (htmx lists it in place, no navigation), then tries a custody
    link out of order: the message appears beside the form and nothing is written."""
    from tests.web.test_browser import ARGS, CHROMIUM, _need_chromium

    _need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(rserver + "/login")
        page.fill("#name", "reporter")
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(rserver + "/")
        page.goto(rserver + f"/agreements/{A}/sites")
        assert page.locator("#rec-site-lat").count() == 0
        page.fill("#rec-site-site", "S5")
        page.fill("#rec-site-at", "2025-01-10")
        page.fill("#rec-site-description", "the old mill")
        page.fill("#rec-site-source_publisher", "Wire")
        page.fill("#rec-site-source_title", "Report")
        page.fill("#rec-site-source_quote", "A site at the old mill.")
        page.locator('[data-form="site"] button[type="submit"]').click()
        expect(page.locator('tr[data-site="S5"]')).to_be_visible()
        expect(page.locator("#rec-site-done")).to_be_visible()
        assert page.url.endswith(f"/agreements/{A}/sites")
        before = rsite.head()
        page.goto(rserver + f"/agreements/{A}/custody")
        page.fill("#rec-link-remains", "R1")
        page.select_option("#rec-link-link", "handed_over")
        page.fill("#rec-link-at", "2025-01-11")
        page.fill("#rec-link-source_publisher", "Wire")
        page.fill("#rec-link-source_title", "Report")
        page.fill("#rec-link-source_quote", "Handed over.")
        page.locator('[data-form="link"] button[type="submit"]').click()
        expect(page.locator("#rec-link-error")).to_contain_text("before recovered")
        expect(page.locator("#rec-link-link")).to_have_attribute("aria-invalid", "true")
        browser.close()
    assert rsite.head() == before
