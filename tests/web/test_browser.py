"""The dashboard in real headless Chromium (Debian's `chromium`, driven by Playwright).

Opens the dashboard, follows a provision, changes the as-of date and sees the numbers
change, with a 360 px wide phone viewport too; screenshots go to the test's output folder.
Skips without chromium, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import Site, live_server

CHROMIUM = os.environ.get("CEASEFIRE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _need_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"chromium not found at {CHROMIUM} (required when CI=true)")
    pytest.skip("chromium is not installed")


@pytest.fixture
def server(site: Site) -> Iterator[str]:
    """The app on a free loopback port, in a thread."""
    with live_server(site.app) as url:
        yield url


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_dashboard_in_chromium(server: str, tmp_path: Path) -> None:
    _need_chromium()
    from playwright.sync_api import expect, sync_playwright

    out = tmp_path / "screenshots"
    out.mkdir()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # nothing may be fetched from anywhere but the server
        foreign: list[str] = []
        page.on("request", lambda r: foreign.append(r.url)
                if not r.url.startswith(server) and not r.url.startswith("data:") else None)
        page.goto(server + "/")
        page.get_by_role("link", name="Gaza").first.click()
        page.wait_for_url("**/agreements/gaza-2025")
        page.fill("#as_of", "2025-10-15")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url("**as_of=2025-10-15**")
        row = page.locator('tr[data-provision="p1-palestinian-remains"]')
        expect(row).to_be_visible()
        row.get_by_role("link").click()
        page.wait_for_url("**/provisions/p1-palestinian-remains**")
        owed = page.locator("dt:text-is('Owed') + dd")
        expect(owed).to_have_text("90")
        assert page.locator("figure svg").count() == 1
        page.screenshot(path=str(out / "provision-2025-10-15.png"), full_page=True)
        # change the as-of date: htmx swaps the results in place and the URL follows
        page.fill("#as_of", "2025-10-14")
        page.get_by_role("button", name="Show").click()
        expect(owed).to_have_text("45")
        page.wait_for_url("**as_of=2025-10-14**")
        page.screenshot(path=str(out / "provision-2025-10-14.png"), full_page=True)
        # keyboard: on a fresh page the skip link is the first stop and leads to the content
        page.reload()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        # the date field and the Show button are reachable and usable by keyboard alone
        page.focus("#as_of")
        page.keyboard.type("10152025")  # how Chromium's date field takes typed digits
        page.keyboard.press("Enter")
        expect(owed).to_have_text("90")
        # a phone: 360 px wide, nothing wider than the screen
        phone = browser.new_page(viewport={"width": 360, "height": 740})
        for url in ("/", "/agreements/gaza-2025/provisions/p1-aid-trucks?as_of=2025-10-15",
                    "/ledger", "/agreements/gaza-2025/sources?as_of=2025-10-15",
                    "/agreements/gaza-2025?as_of=2025-10-15"):
            phone.goto(server + url)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{url} is {width}px wide on a 360px screen"
        phone.screenshot(path=str(out / "agreement-360px.png"), full_page=True)
        browser.close()
    assert not foreign, f"fetched from elsewhere: {foreign}"
    shots = sorted(p.name for p in out.iterdir())
    assert shots == ["agreement-360px.png", "provision-2025-10-14.png",
                     "provision-2025-10-15.png"]
    assert all((out / s).stat().st_size > 5000 for s in shots)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_review_accept_in_chromium(site: Site, server: str, tmp_path: Path) -> None:
    """A verifier signs in, opens the review queue and accepts one candidate: htmx swaps
    its card in place and the ledger holds the entry with the report as its source; a
    sentence passed over is marked read in place too."""
    _need_chromium()
    from playwright.sync_api import expect, sync_playwright

    from tests.web.conftest import PASSWORD
    from tests.web.test_review import PRISONERS_A, TURNED_BACK, queue

    (cid,) = queue(site, PRISONERS_A, "Wire A")
    (uid,) = queue(site, TURNED_BACK, "Wire D")
    before = site.head()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server + "/login")
        page.fill("#name", "verifier")
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(server + "/")
        page.get_by_role("link", name="Review queue").click()
        page.wait_for_url("**/review")
        card = page.locator(f'[data-candidate="{cid}"]')
        expect(card.locator("mark").first).to_have_text("1,968")
        card.get_by_role("button", name=f"Accept candidate {cid[-12:]}").click()
        expect(page.locator(f'[data-candidate="{cid}"]')).to_have_attribute(
            "data-status", "accepted")
        assert page.url.endswith("/review")            # swapped in place, no navigation
        # a sentence the ingest passed over, marked read the same way
        page.get_by_role("button", name=f"Mark sentence {uid[-12:]} read").click()
        expect(page.locator(f'[data-unread="{uid}"]')).to_have_attribute(
            "data-status", "checked")
        page.screenshot(path=str(tmp_path / "review-accepted.png"), full_page=True)
        browser.close()
    assert site.head() == before + 1
    e = site.ledger.get(f"ing-{cid}").entry
    assert e.quantity == 1968 and e.recorded_by == "verifier"
    assert e.sources[0].publisher == "Wire A" and e.sources[0].quote == PRISONERS_A
