"""Every page and its JSON twin, on the bundled agreement (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from tests.web.conftest import Site

A = "gaza-2025"


def test_overview_and_twin(site: Site) -> None:
    c = site.client()
    page = c.get("/?as_of=2025-10-15")
    assert page.status_code == 200
    assert "<progress" in page.text and f'href="/agreements/{A}"' in page.text
    api = c.get("/api/agreements?as_of=2025-10-15").json()
    (gaza,) = [x for x in api if x["id"] == A]
    phase1 = gaza["phases"][0]
    assert phase1["agreed"] > 0 and 0 <= phase1["fulfilled"] <= phase1["agreed"]
    assert f'{phase1["fulfilled"]} / {phase1["agreed"]} fulfilled' in page.text


def test_agreement_page_matches_status_twin(site: Site) -> None:
    c = site.client()
    page = c.get(f"/agreements/{A}?as_of=2025-10-15")
    assert page.status_code == 200
    assert "withheld, citing p1-deceased-hostages" in page.text
    data = c.get(f"/api/agreements/{A}/status?as_of=2025-10-15").json()
    deceased = next(p for p in data["provisions"] if p["id"] == "p1-deceased-hostages")
    assert deceased["status"] == "overdue"
    row = re.search(r'<tr data-provision="p1-deceased-hostages">(.*?)</tr>', page.text, re.S)
    assert row and "overdue" in row.group(1)
    assert f'{deceased["delivered"]} / {deceased["required"]}' in row.group(1)
    # the URL carries the dates: the same link shows the same moment
    assert 'value="2025-10-15"' in page.text


def test_agreement_filters(site: Site) -> None:
    c = site.client()
    data = c.get(f"/api/agreements/{A}/status",
                 params={"as_of": "2025-10-15", "party": "hamas"}).json()
    assert data["provisions"] and all("hamas" in (p["by"], p["to"])
                                      for p in data["provisions"])
    overdue = c.get(f"/api/agreements/{A}/status",
                    params={"as_of": "2025-10-15", "status": "overdue"}).json()
    assert {p["status"] for p in overdue["provisions"]} == {"overdue"}
    page = c.get(f"/agreements/{A}", params={"as_of": "2025-10-15", "status": "overdue"})
    assert page.text.count("<tr data-provision=") == len(overdue["provisions"])
    phase = c.get(f"/api/agreements/{A}/status", params={"phase": "phase-2"}).json()
    assert phase["provisions"] and all(p["phase"] == "phase-2" for p in phase["provisions"])


def test_as_of_changes_the_numbers(site: Site) -> None:
    """The README's figures: 45 Palestinian remains owed on 14 October, 90 on the 15th."""
    c = site.client()
    url = f"/api/agreements/{A}/provisions/p1-palestinian-remains"
    day14 = c.get(url, params={"as_of": "2025-10-14"}).json()["result"]
    day15 = c.get(url, params={"as_of": "2025-10-15"}).json()["result"]
    assert (day14["owed"], day15["owed"]) == (45, 90)
    page = c.get(f"/agreements/{A}/provisions/p1-palestinian-remains?as_of=2025-10-14").text
    assert re.search(r"<dt>Owed</dt><dd>45</dd>", page)


def test_provision_page(site: Site) -> None:
    c = site.client()
    page = c.get(f"/agreements/{A}/provisions/p1-deceased-hostages?as_of=2025-10-15")
    assert page.status_code == 200
    api = c.get(f"/api/agreements/{A}/provisions/p1-deceased-hostages?as_of=2025-10-15").json()
    assert api["provision"]["text"][:40] in page.text.replace("&#39;", "'")
    assert api["evidence"], "the handovers are the evidence"
    first = api["evidence"][0]
    assert first["sources"] and first["sources"][0]["quote"][:30] in \
        page.text.replace("&#39;", "'").replace("&quot;", '"')
    assert api["result"]["status"] == "overdue" and "overdue" in page.text
    # the chart: server-side SVG in the page, its figures in the twin
    assert "<svg" in page.text and api["history"]["chart"] == "cumulative"
    last = {s["role"]: s["points"][-1]["value"] for s in api["history"]["series"]}
    assert (last["delivered"], last["required"]) == (api["result"]["delivered"],
                                                     api["result"]["required"]) == (7, 28)
    assert c.get(f"/agreements/{A}/provisions/nope").status_code == 404
    assert c.get(f"/api/agreements/{A}/provisions/nope").json()["field"] == "provision_id"


def test_party_page_overdue_first(site: Site) -> None:
    c = site.client()
    api = c.get(f"/api/agreements/{A}/parties/hamas?as_of=2025-10-15").json()
    statuses = [o["status"] for o in api["result"]["outstanding"]]
    assert statuses and statuses[0] == "overdue"
    page = c.get(f"/agreements/{A}/parties/hamas?as_of=2025-10-15")
    assert page.status_code == 200 and api["result"]["outstanding"][0]["title"] in page.text
    assert c.get(f"/api/agreements/{A}/parties/nobody").status_code == 404


def test_sources_page_side_by_side(site: Site) -> None:
    c = site.client()
    api = c.get(f"/api/agreements/{A}/disagreements?as_of=2025-10-15").json()
    assert api, "the bundled events hold disagreeing figures"
    page = c.get(f"/agreements/{A}/sources?as_of=2025-10-15")
    for d in api:
        for v in d["values"]:
            figure = v["quantity"] if v["quantity"] is not None else v["state"]
            assert f'<p class="figure">{figure}</p>' in page.text


def test_ledger_page_keyset_paging(site: Site) -> None:
    c = site.client()
    seen: list[int] = []
    before = None
    while True:
        params = {"limit": 7} | ({"before": before} if before else {})
        page = c.get("/api/entries", params=params).json()
        seqs = [e["seq"] for e in page["entries"]]
        assert seqs == sorted(seqs, reverse=True)
        seen += seqs
        before = page["next_before"]
        if before is None:
            break
    assert seen == list(range(site.head(), 0, -1))
    html = c.get("/ledger?limit=7").text
    assert "Older entries" in html and 'rel="next"' in html
    nxt = re.search(r'href="(/ledger\?limit=7&amp;before=(\d+))"', html)
    assert nxt, "the next page link carries the last seq shown"
    older = c.get(nxt.group(1).replace("&amp;", "&")).text
    shown = [int(x) for x in re.findall(r'<td data-label="#"><a href="[^"]+">(\d+)</a>', older)]
    assert shown and max(shown) < int(nxt.group(2)) and len(shown) == 7


def test_ledger_search_and_filters(site: Site) -> None:
    c = site.client()
    flows = c.get("/api/entries", params={"type": "flow"}).json()["entries"]
    assert flows and {e["type"] for e in flows} == {"flow"}
    hits = c.get("/api/entries", params={"q": "UN"}).json()["entries"]
    assert hits
    html = c.get("/ledger", params={"type": "flow", "agreement": A}).text
    assert html.count("<strong>flow</strong>") == len(flows)


def test_entry_page_and_twin(site: Site) -> None:
    c = site.client()
    entry = c.get("/api/entries", params={"limit": 1}).json()["entries"][0]
    assert c.get(f"/api/entries/{entry['id']}").json()["id"] == entry["id"]
    page = c.get(f"/entries/{entry['id']}")
    assert page.status_code == 200 and entry["id"] in page.text
    assert c.get("/entries/does-not-exist").status_code == 404


def test_export_reimports(site: Site) -> None:
    from ceasefire.io import format_for

    c = site.client()
    for fmt in ("csv", "json", "yaml"):
        r = c.get("/api/export", params={"format": fmt, "agreement": A})
        assert r.status_code == 200
        rows = format_for(None, fmt).read(r.text, f"export.{fmt}")
        assert len(rows) == site.head()


def test_static_assets_are_local(site: Site) -> None:
    c = site.client()
    html = c.get("/").text
    assert "/static/htmx.min.js" in html and "http://" not in html.split("<body>")[0]
    assert "https://" not in html.split("<body>")[0]
    js = c.get("/static/htmx.min.js")
    assert js.status_code == 200 and "htmx" in js.text[:200]
    assert c.get("/static/style.css").status_code == 200
    assert "default-src 'self'" in c.get("/").headers["content-security-policy"]


def test_openapi_documents_every_twin(site: Site) -> None:
    paths = site.client().get("/openapi.json").json()["paths"]
    for p in ("/api/agreements", "/api/agreements/{agreement_id}/status",
              "/api/agreements/{agreement_id}/provisions/{provision_id}",
              "/api/agreements/{agreement_id}/parties/{party_id}",
              "/api/agreements/{agreement_id}/disagreements", "/api/entries",
              "/api/entries/{entry_id}", "/api/export", "/api/users", "/api/me"):
        assert p in paths, p


def test_pages_are_accessible_basics(site: Site) -> None:
    """Every input has a label; the page declares its language and a viewport for phones."""
    c, _ = site.browser("admin")
    entry = c.get("/api/entries", params={"limit": 1}).json()["entries"][0]["id"]
    for url in ("/", f"/agreements/{A}", f"/agreements/{A}/provisions/p1-deceased-hostages",
                f"/agreements/{A}/parties/hamas", f"/agreements/{A}/sources", "/ledger",
                f"/entries/{entry}", "/events/new", "/admin", "/login"):
        html = c.get(url).text
        assert '<html lang="en">' in html and 'name="viewport"' in html, url
        assert 'href="#main"' in html, url
        ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"',
                         html)
        for i in ids:
            assert f'for="{i}"' in html, f"{url}: input {i} has no label"
        assert not re.search(r'<(?:input|select|textarea)(?![^>]*type="hidden")(?![^>]*\bid=)',
                             html), f"{url}: an input without id/label"


def test_status_evidence_on_request(site: Site) -> None:
    c = site.client()
    url = f"/api/agreements/{A}/status?as_of=2025-10-15"
    lean = c.get(url).json()
    assert all("evidence" not in p for p in lean["provisions"])
    full = c.get(url + "&evidence=true").json()
    deceased = next(p for p in full["provisions"] if p["id"] == "p1-deceased-hostages")
    assert deceased["evidence"] and deceased["evidence"][0]["sources"]
    assert {p["id"]: p["status"] for p in lean["provisions"]} == \
        {p["id"]: p["status"] for p in full["provisions"]}


def test_new_entries_show_at_once(site: Site) -> None:
    """The status cache is keyed on the ledger's last position: a write is seen at once."""
    c = site.client("reporter")
    url = f"/api/agreements/{A}/provisions/p1-deceased-hostages?as_of=2025-10-15"
    before = c.get(url).json()["result"]["evidence_count"]
    made = c.post("/api/entries", json={
        "type": "transfer", "agreement": A, "at": "2025-10-15T20:00", "actor": "hamas",
        "recipient": "israel", "category": "deceased-hostage", "quantity": 1,
        "recorded_at": "2025-10-15",
        "sources": [{"publisher": "Wire", "title": "T", "quote": "one more body"}]})
    assert made.status_code == 422 and made.json()["field"] == "recorded_at"
    ok = c.post("/api/entries", json={
        "type": "transfer", "agreement": A, "at": "2025-10-15T20:00", "actor": "hamas",
        "recipient": "israel", "category": "deceased-hostage", "quantity": 1,
        "sources": [{"publisher": "Wire", "title": "T", "quote": "one more body"}]})
    assert ok.status_code == 201, ok.text
    after = c.get(url).json()["result"]
    assert after["evidence_count"] == before + 1


def test_other_writers_show_within_half_a_second(site: Site) -> None:
    """Entries another process appends (an import from the CLI) reach the cached views once
    the server re-reads the ledger's last position, at most HEAD_TTL later."""
    import time

    from ceasefire.web.service import HEAD_TTL

    c = site.client()
    url = f"/api/agreements/{A}/status?as_of=2025-10-15&evidence=true"
    count = next(p for p in c.get(url).json()["provisions"]
                 if p["id"] == "p1-deceased-hostages")["evidence_count"]
    site.ledger.add([{
        "type": "transfer", "agreement": A, "at": "2025-10-15T21:00", "actor": "hamas",
        "recipient": "israel", "category": "deceased-hostage", "quantity": 1,
        "sources": [{"publisher": "Wire", "title": "T", "quote": "another body"}]}],
        recorded_by="cli-import")
    time.sleep(HEAD_TTL + 0.1)
    c.get(url)  # this request re-reads the position (others meanwhile use the last one)
    after = next(p for p in c.get(url).json()["provisions"]
                 if p["id"] == "p1-deceased-hostages")["evidence_count"]
    assert after == count + 1
