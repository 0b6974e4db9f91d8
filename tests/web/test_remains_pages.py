"""Remains on the dashboard: every page and its JSON twin, public and cleared readers."""

from __future__ import annotations

import json

import pytest

from tests.test_remains import LAT, LON, SECRET_ID, SECRET_NAME, _restricted_ledger
from tests.web.conftest import _site

AS_OF = "?as_of=2025-03-01"
PAGES = ["sites", "teams", "custody", "custody/R1", "missing"]
SECRETS = (str(LAT), str(LON), SECRET_NAME, SECRET_ID, "Secret Informant")


@pytest.fixture
def remains_site(ledger):
    from tests.conftest import FIXTURES

    ledger.add_agreement((FIXTURES / "search.yaml").read_text(), "search.yaml")
    _restricted_ledger(ledger)
    return _site(ledger)


@pytest.mark.parametrize("page", PAGES)
def test_public_reader_sees_no_restricted_field(remains_site, page):
    c = remains_site.client()
    for url in (f"/agreements/search/{page}{AS_OF}", f"/api/agreements/search/{page}{AS_OF}"):
        r = c.get(url)
        assert r.status_code == 200, (url, r.text)
        leaked = [s for s in SECRETS if s in r.text]
        assert not leaked, f"{leaked} leak at {url}"
    svg = c.get(f"/api/agreements/search/sites/map.svg{AS_OF}")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert str(LAT) not in svg.text and 'data-site="s1"' not in svg.text


def test_cleared_reader_sees_coordinates_names_and_links(remains_site):
    c = remains_site.client("cleared")
    sites = c.get(f"/api/agreements/search/sites{AS_OF}").json()
    assert sites[0]["coordinates"]["lat"] == LAT and sites[0]["persons"] == [SECRET_ID]
    assert str(LAT) in c.get(f"/agreements/search/sites{AS_OF}").text
    chain = c.get(f"/api/agreements/search/custody/R1{AS_OF}").json()
    assert chain["stage"] == "identified" and chain["identified_as"]
    assert SECRET_NAME in c.get(f"/agreements/search/missing{AS_OF}").text
    assert 'data-site="s1"' in c.get(f"/api/agreements/search/sites/map.svg{AS_OF}").text


def test_custody_timeline_in_order_and_unknown_remains_is_404(remains_site):
    c = remains_site.client()
    chain = c.get(f"/api/agreements/search/custody/R1{AS_OF}").json()
    assert [s["what"].split(":")[0] for s in chain["steps"]] == [
        "recovered", "held", "handed over", "crossed", "received", "identified"]
    page = c.get(f"/agreements/search/custody/R1{AS_OF}").text
    assert page.index("recovered") < page.index("received")
    r = c.get(f"/api/agreements/search/custody/R9{AS_OF}")
    assert r.status_code == 404 and r.json()["field"] == "remains"


def test_as_of_before_the_chain_shows_nothing_yet(remains_site):
    c = remains_site.client()
    assert c.get("/api/agreements/search/custody?as_of=2025-01-01").json() == []
    teams = c.get(f"/api/agreements/search/teams{AS_OF}").json()
    assert teams[0]["team"] == "t-egypt" and "s1" in teams[0]["sites"]


def test_missing_list_matches_the_status_counts(site):
    c = site.client()
    lists = c.get("/api/agreements/gaza-2025/missing?as_of=2025-10-15").json()
    status = c.get("/api/agreements/gaza-2025/status?as_of=2025-10-15").json()
    deceased = next(p for p in status["provisions"] if p["id"] == "p1-deceased-hostages")
    mine = next(m for m in lists if m["provision"] == "p1-deceased-hostages")
    assert deceased["delivered"] == mine["counts"].get("identified", 0) + mine["counts"].get(
        "returned", 0) == 7


def test_projections_api(site):
    r = site.client().get("/api/agreements/gaza-2025/projections?as_of=2025-10-15")
    assert r.status_code == 200, r.text
    rows = r.json()
    ids = {p["provision"] for p in rows}
    assert "p1-deceased-hostages" in ids
    owed = next(p for p in rows if p["provision"] == "p1-deceased-hostages")
    assert owed["remaining"] == 21 and owed["verdict"]
    bad = site.client().get("/api/agreements/gaza-2025/projections?as_of=yesterday-ish")
    assert bad.status_code == 422 and bad.json()["field"] == "as_of"
    json.dumps(rows)

