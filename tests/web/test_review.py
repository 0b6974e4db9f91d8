"""The review queue on the dashboard and its JSON twins: listing grouped by event, accept /
edit / reject through forms (with and without htmx) and the API, roles and CSRF."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire.ingest.model import Document
from ceasefire.ingest.pipeline import extract
from ceasefire.ingest.queue import ReviewQueue
from tests.web.conftest import Site, csrf_of

REPORT_DAY = dt.date(2025, 10, 15)
BODIES = "Hamas handed over the bodies of four hostages to the Red Cross on Monday."
PRISONERS_A = "Israel released 1,968 Palestinian prisoners on Monday."
PRISONERS_B = "Israel freed 1,950 Palestinian prisoners on Monday, officials said."
PLAN = "Israel will release 250 prisoners next week."


def queue(site: Site, text: str, publisher: str, title: str = "Report") -> list[str]:
    doc = Document(name=f"{publisher}.txt", text=text, publisher=publisher, title=title,
                   url=f"https://example.org/{publisher.replace(' ', '-').lower()}")
    read = extract(doc, site.ledger.agreement("gaza-2025"), report_date=REPORT_DAY)
    ReviewQueue(site.ledger).add(read.document, read.candidates, read.unread)
    return [c.id for c in read.candidates] + [u.id for u in read.unread]


@pytest.fixture
def queued(site: Site) -> dict[str, str]:
    (bodies,) = queue(site, BODIES, "Wire A", "Four bodies returned")
    (a,) = queue(site, PRISONERS_A, "Wire A")
    (b,) = queue(site, PRISONERS_B, "Wire B")
    (plan,) = queue(site, PLAN, "Wire C")
    return {"bodies": bodies, "a": a, "b": b, "plan": plan}


def test_queue_page_groups_reports_of_one_event(site: Site, queued: dict[str, str]) -> None:
    c, _ = site.browser("reporter")
    page = c.get("/review").text
    assert page.count('class="card candidate"') == 4
    assert "2 reports of one event" in page and "numbers differ: 1950, 1968" in page
    # the quote, with the number the extractor read marked, and its report
    assert "Hamas handed over the bodies of <mark>four</mark> hostages" in page
    assert "Israel released <mark>1,968</mark> Palestinian" in page
    assert "on <mark>Monday</mark>" in page
    assert "Four bodies returned" in page and "https://example.org/wire-a" in page
    assert "p1-deceased-hostages" in page                       # linked provision
    assert "kept as a statement (planned), not counted" in page  # what accepting writes
    assert page.count("a new event") == 2
    # the bundled ledger already holds Monday's four bodies: another source for it
    assert "another report of gz-2025-10-13-remains-1 (same figures)" in page
    # a reporter reads but may not decide: no forms
    assert f'action="/review/{queued["a"]}/accept"' not in page
    assert 'href="/review"' in page                             # in the navigation
    # the twin
    j = c.get("/api/review").json()
    assert j["pending"] == 4 and len(j["groups"]) == 3
    (pair,) = [g for g in j["groups"] if g["reports"] == 2]
    assert pair["numbers"] == [1950, 1968] and pair["numbers_differ"] is True
    first = pair["candidates"][0]
    assert first["report"]["publisher"] == "Wire A" and first["on_accept"] == "a new event"
    assert first["would_write"]["quantity"] == 1968
    assert first["would_write"]["sources"][0]["quote"] == PRISONERS_A
    assert c.get("/api/review", params={"agreement": "nope"}).status_code == 404


def test_accept_through_the_form_writes_an_entry_with_its_source(
        site: Site, queued: dict[str, str]) -> None:
    c, token = site.browser("verifier")
    before = site.head()
    page = c.get("/review").text
    assert f'action="/review/{queued["bodies"]}/accept"' in page
    r = c.post(f"/review/{queued['bodies']}/accept", data={"csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == "/review?agreement=gaza-2025"
    assert site.head() == before + 1
    e = site.ledger.get(f"ing-{queued['bodies']}").entry
    assert (e.type.value, e.actor, e.category, e.quantity) == (
        "transfer", "hamas", "deceased-hostage", 4)
    assert e.recorded_by == "verifier" and e.target == "gz-2025-10-13-remains-1"
    (src,) = e.sources
    assert (src.publisher, src.title, src.quote) == ("Wire A", "Four bodies returned", BODIES)
    assert src.url == "https://example.org/wire-a"
    # gone from the queue, still readable on its own page with its entry
    assert queued["bodies"] not in c.get("/review").text
    one = c.get(f"/review/{queued['bodies']}").text
    assert "accepted" in one and f"ing-{queued['bodies']}" in one
    # twice is refused, and writes nothing
    r = c.post(f"/review/{queued['bodies']}/accept", data={"csrf_token": token})
    assert r.status_code == 422 and "already accepted" in r.text
    assert site.head() == before + 1


def test_second_report_becomes_another_source_and_a_dispute(
        site: Site, queued: dict[str, str]) -> None:
    api = site.client("verifier")
    first = api.post(f"/api/review/{queued['a']}/accept").json()
    assert first["status"] == "accepted" and first["entries"][0]["target"] is None
    view = api.get(f"/api/review/{queued['b']}").json()
    assert view["disputes"] is True and view["other_report_of"] == f"ing-{queued['a']}"
    assert "gives 1968" in view["on_accept"]
    second = api.post(f"/api/review/{queued['b']}/accept").json()
    assert second["entries"][0]["target"] == f"ing-{queued['a']}"
    assert second["entries"][0]["recorded_by"] == "verifier"


def test_reject_leaves_the_ledger_untouched(site: Site, queued: dict[str, str]) -> None:
    c, token = site.browser("verifier")
    before = site.head()
    r = c.post(f"/review/{queued['plan']}/reject", data={"csrf_token": token})
    assert r.status_code == 303
    assert site.head() == before
    assert ReviewQueue(site.ledger).get(queued["plan"]).status == "rejected"
    j = site.client("verifier").post(f"/api/review/{queued['bodies']}/reject").json()
    assert j == {"id": queued["bodies"], "status": "rejected", "entries": []}
    assert site.head() == before


def test_edit_changes_the_written_entry(site: Site, queued: dict[str, str]) -> None:
    c, token = site.browser("verifier")
    cid = queued["a"]
    form = csrf_of(c.get(f"/review/{cid}").text)
    assert form == token
    fields = {"quantity": "1968", "date": "2025-10-13", "actor": "israel", "type": "transfer"}
    r = c.post(f"/review/{cid}/edit", data={"csrf_token": token, **fields,
                                            "quantity": "1967", "note": "per the ICRC"})
    assert r.status_code == 303 and r.headers["location"] == f"/review/{cid}"
    # a bad value is shown on the form, named, and nothing changes
    r = c.post(f"/review/{cid}/edit", data={"csrf_token": token, "quantity": "many"})
    assert r.status_code == 422 and 'aria-invalid="true"' in r.text and "quantity" in r.text
    assert ReviewQueue(site.ledger).get(cid).candidate.quantity == 1967
    # through the API too
    api = site.client("verifier")
    j = api.post(f"/api/review/{cid}/edit", json={"recipient": "hamas"}).json()
    assert j["candidate"]["quantity"] == 1967 and j["would_write"]["quantity"] == 1967
    bad = api.post(f"/api/review/{cid}/edit", json={"quote": "made up"})
    assert bad.status_code == 422 and "cannot edit" in bad.json()["detail"]
    c.post(f"/review/{cid}/accept", data={"csrf_token": token})
    e = site.ledger.get(f"ing-{cid}").entry
    assert e.quantity == 1967 and "per the ICRC" in (e.note or "")


def test_htmx_swaps_the_card(site: Site, queued: dict[str, str]) -> None:
    c, token = site.browser("admin")
    cid = queued["bodies"]
    r = c.post(f"/review/{cid}/accept", data={"csrf_token": token},
               headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert r.text.lstrip().startswith("{#") is False and "<html" not in r.text
    assert f'id="cand-{cid}"' in r.text and 'data-status="accepted"' in r.text
    r = c.post(f"/review/{queued['a']}/edit", data={"csrf_token": token, "quantity": "x"},
               headers={"HX-Request": "true"})
    assert r.status_code == 422 and "<html" not in r.text and 'role="alert"' in r.text


@pytest.mark.parametrize("who, read, decide", [
    (None, 401, 401), ("viewer", 403, 403), ("cleared", 403, 403), ("reporter", 200, 403),
    ("verifier", 200, 200), ("admin", 200, 200)])
def test_roles(site: Site, queued: dict[str, str], who: str | None, read: int,
               decide: int) -> None:
    before = site.head()
    api = site.client(who)
    assert api.get("/api/review").status_code == read
    assert api.get(f"/api/review/{queued['plan']}").status_code == read
    assert api.post(f"/api/review/{queued['plan']}/edit", json={"note": "x"}
                    ).status_code == decide
    assert api.post(f"/api/review/{queued['plan']}/reject").status_code == decide
    assert api.post(f"/api/review/{queued['bodies']}/accept").status_code == decide
    assert site.head() == before + (1 if decide == 200 else 0)
    if read != 200:
        body = api.get("/api/review").text
        assert "Wire A" not in body and "bodies" not in body     # not even a glimpse


def test_viewer_pages_refused_and_no_link(site: Site, queued: dict[str, str]) -> None:
    c, token = site.browser("viewer")
    assert 'href="/review"' not in c.get("/").text
    r = c.get("/review")
    assert r.status_code == 403 and BODIES not in r.text
    assert c.get(f"/review/{queued['bodies']}").status_code == 403
    before = site.head()
    r = c.post(f"/review/{queued['bodies']}/accept", data={"csrf_token": token})
    assert r.status_code == 403 and site.head() == before
    anon = site.client()
    assert anon.get("/review").status_code == 401


def test_csrf_required(site: Site, queued: dict[str, str]) -> None:
    c, token = site.browser("verifier")
    before = site.head()
    for action in ("accept", "reject", "edit"):
        r = c.post(f"/review/{queued['bodies']}/{action}", data={"csrf_token": "forged"})
        assert r.status_code == 403, action
        r = c.post(f"/review/{queued['bodies']}/{action}", data={"quantity": "3"})
        assert r.status_code == 403, action
    # a signed-in browser calling the API needs the header too
    assert c.post(f"/api/review/{queued['bodies']}/accept").status_code == 403
    assert site.head() == before
    assert ReviewQueue(site.ledger).get(queued["bodies"]).status == "pending"
    r = c.post(f"/api/review/{queued['bodies']}/accept", headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and site.head() == before + 1


def test_unknown_candidate_and_action(site: Site, queued: dict[str, str]) -> None:
    api = site.client("verifier")
    assert api.get("/api/review/ffffffffffff").status_code == 404
    assert api.post("/api/review/ffffffffffff/accept").status_code == 404
    c, token = site.browser("verifier")
    assert c.post(f"/review/{queued['a']}/explode", data={"csrf_token": token}
                  ).status_code == 404


def test_twins_listed_in_openapi(site: Site) -> None:
    paths = site.client().get("/openapi.json").json()["paths"]
    assert set(paths["/api/review"]) == {"get"}
    assert set(paths["/api/review/unread/{uid}/checked"]) == {"post"}
    assert set(paths["/api/review/{cid}"]) == {"get"}
    for action in ("accept", "reject", "edit"):
        assert set(paths[f"/api/review/{{cid}}/{action}"]) == {"post"}


def test_an_htmx_action_refused_outright_says_why_in_the_alert_region(
        site: Site, queued: dict[str, str]) -> None:
    """An expired CSRF token or a missing role under htmx: the message lands in the page's
    alert region (#flash), not silently nowhere; nothing is written."""
    c, token = site.browser("reporter")
    before = site.head()
    assert 'id="flash"' in c.get("/review").text
    for data in ({"csrf_token": "stale"}, {"csrf_token": token}):  # bad token; not a verifier
        r = c.post(f"/review/{queued['bodies']}/accept", data=data,
                   headers={"HX-Request": "true"})
        assert r.status_code == 403 and r.headers["HX-Retarget"] == "#flash"
        assert "<html" not in r.text and 'role="alert"' in r.text
    assert "CSRF" in c.post(f"/review/{queued['bodies']}/accept", data={"csrf_token": "x"},
                            headers={"HX-Request": "true"}).text
    assert site.head() == before
    plain = c.post(f"/review/{queued['bodies']}/accept", data={"csrf_token": "stale"})
    assert plain.status_code == 403 and "<html" in plain.text  # without htmx: the error page


TURNED_BACK = "At least 20 trucks were turned back at Kerem Shalom on Monday."


def test_sentences_passed_over_are_listed_and_marked_read(site: Site) -> None:
    """The queue page lists the sentences an ingest passed over; a verifier marks one read
    (form, htmx or API), a reporter may only read them."""
    (uid,) = queue(site, TURNED_BACK, "Wire D")
    reporter, _ = site.browser("reporter")
    page = reporter.get("/review").text
    assert "Sentences passed over (1)" in page and TURNED_BACK in page
    assert f'action="/review/unread/{uid}/checked"' not in page       # no form for reporters
    (u,) = reporter.get("/api/review").json()["unread"]
    assert (u["id"], u["quote"], u["report"]["publisher"]) == (uid, TURNED_BACK, "Wire D")
    assert u["names"] == ["category:aid-truck", "facility:kerem-shalom"]
    assert site.client("reporter").post(f"/api/review/unread/{uid}/checked").status_code == 403
    c, token = site.browser("verifier")
    assert f'action="/review/unread/{uid}/checked"' in c.get("/review").text
    r = c.post(f"/review/unread/{uid}/checked", data={"csrf_token": "forged"})
    assert r.status_code == 403
    r = c.post(f"/review/unread/{uid}/checked", data={"csrf_token": token},
               headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text
    assert f'id="unread-{uid}"' in r.text and 'data-status="checked"' in r.text
    assert "Sentences passed over" not in c.get("/review").text
    api = site.client("verifier")
    assert api.post(f"/api/review/unread/{uid}/checked").status_code == 404   # already read
    (other,) = queue(site, "Hundreds of trucks are waiting at the Rafah crossing.", "Wire E")
    r = api.post(f"/api/review/unread/{other[-12:]}/checked")
    assert r.status_code == 200 and r.json()["status"] == "checked"
