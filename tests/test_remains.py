"""Search and recovery of remains: sites, teams, custody chains, missing persons, redaction.

Every test runs on SQLite and PostgreSQL (the ``db_url`` fixture behind ``ledger``/``gaza``).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ceasefire import Engine, Ledger
from ceasefire.cli import app
from ceasefire.errors import CeasefireError
from ceasefire.remains.model import (
    LINK_ORDER,
    REQUIRED_BEFORE,
    CustodyLink,
    PersonStatus,
    SiteStatus,
)
from ceasefire.remains.record import record_link, record_site, record_team
from ceasefire.remains.svgmap import load_basemap, site_map_svg
from ceasefire.remains.views import (
    custody_chain,
    custody_chains,
    missing_persons,
    open_view,
    site_rows,
    team_views,
)
from ceasefire.times import moment
from tests.conftest import FIXTURES, SOURCE

UTC = dt.UTC
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_11ee46084f128347.txt"
LAT, LON = 31.45678, 34.38765
SECRET_NAME, SECRET_ID = "Zebulon Quux", "secret-person"
runner = CliRunner()


@pytest.fixture
def search(ledger: Ledger) -> Ledger:
    ledger.add_agreement((FIXTURES / "search.yaml").read_text(), "search.yaml")
    return ledger


def src(quote: str = "It happened.") -> list[dict]:
    return [{**SOURCE, "quote": quote}]


def view(ledger: Ledger, as_of: str = "2025-03-01", known_at: str | None = None):
    return open_view(ledger, "search", as_of=moment(as_of, UTC),
                     known_at=moment(known_at, UTC) if known_at else None)


def status(ledger: Ledger, as_of: str = "2025-03-01"):
    return Engine(ledger).status("search", as_of=moment(as_of, UTC))


def site(ledger: Ledger, name: str = "s1", at: str = "2025-01-10", **kw) -> None:
    record_site(ledger, site=name, status="reported", at=at, by="t", agreement="search",
                sources=src("Coordinates were provided."), provided_by="a",
                description="rubble of a building", priority=1, access="beyond the line",
                coordinates={"lat": LAT, "lon": LON, "radius_m": 50},
                persons=[SECRET_ID], **kw)


def link(ledger: Ledger, remains: str, step: str, at: str, **kw):
    return record_link(ledger, remains=[remains], link=step, at=at, by="t", agreement="search",
                       sources=src(f"{step} on {at}"), **kw)


def chain_to_institute(ledger: Ledger, remains: str = "R1", person: str = SECRET_ID) -> None:
    link(ledger, remains, "recovered", "2025-01-12", site="s1", roster="dead",
         persons=[person], team="t-egypt")
    link(ledger, remains, "held", "2025-01-12", holder="party A authority")
    link(ledger, remains, "handed_over", "2025-01-13")
    link(ledger, remains, "crossed", "2025-01-13", facility="gate")
    link(ledger, remains, "received", "2025-01-13", institute="Forensic Institute")


# --- sites and teams ------------------------------------------------------------------------


def test_site_full_life_from_report_to_recovery(search):
    site(search)
    record_team(search, team="t-egypt", at="2025-01-10", by="t", agreement="search",
                sources=src(), organisation="Civil defence", country="Egypt", size=12,
                equipment=["excavator"], role="search", coordinates_from="a")
    steps = [("assigned", "2025-01-11"), ("searching", "2025-01-11"),
             ("excavating", "2025-01-12"), ("recovered", "2025-01-13")]
    for state, at in steps:
        record_site(search, site="s1", status=state, at=at, by="t", agreement="search",
                    team="t-egypt", actor="b", sources=src(f"site {state}"))
    _, v = view(search)
    (row,) = site_rows(v)
    assert row.status == SiteStatus.RECOVERED and row.provided_by == "a"
    assert (row.priority, row.access, row.teams) == (1, "beyond the line", ["t-egypt"])
    assert [s.what for s in row.history] == ["reported", "assigned", "searching",
                                            "excavating", "recovered"]
    assert all(s.sources and s.sources[0].quote for s in row.history)
    assert row.history[1].actor == "b" and row.history[1].team == "t-egypt"
    assert row.coordinates.lat == LAT and row.coordinates.radius_m == 50
    # As of an earlier date, the site stood where it stood then.
    _, earlier = view(search, "2025-01-11")
    assert site_rows(earlier)[0].status == SiteStatus.SEARCHING
    # A status change for a site nobody reported, or a second report, is refused.
    with pytest.raises(CeasefireError, match="has not been reported"):
        record_site(search, site="nowhere", status="searching", at="2025-01-12", by="t",
                    agreement="search", sources=src())
    with pytest.raises(CeasefireError, match="already reported"):
        site(search)


def test_two_teams_on_one_site_keep_both_histories(search):
    site(search)
    for team, country in (("t-egypt", "Egypt"), ("t-turkey", "Turkey")):
        record_team(search, team=team, at="2025-01-10", by="t", agreement="search",
                    sources=src(), country=country, role="search")
    log = [("t-egypt", "2025-01-11", "cleared rubble"), ("t-turkey", "2025-01-12", "arrived"),
           ("t-egypt", "2025-01-12", "dug north side"), ("t-turkey", "2025-01-13", "scanned")]
    for team, at, what in log:
        record_team(search, team=team, at=at, by="t", agreement="search", sources=src(what),
                    site="s1", activity=what)
    _, v = view(search)
    (row,) = site_rows(v)
    assert row.teams == ["t-egypt", "t-turkey"]
    assert [s.what for s in row.history if s.team == "t-egypt"] == [
        "cleared rubble", "dug north side"]
    assert [s.what for s in row.history if s.team == "t-turkey"] == ["arrived", "scanned"]
    assert [s.when for s in row.history] == sorted(s.when for s in row.history)
    teams = {t.team: t for t in team_views(v)}
    assert [s.what for s in teams["t-egypt"].log] == ["registered", "cleared rubble",
                                                      "dug north side"]
    assert [s.what for s in teams["t-turkey"].log] == ["registered", "arrived", "scanned"]
    assert teams["t-egypt"].sites == teams["t-turkey"].sites == {"s1": SiteStatus.REPORTED}
    link(search, "R1", "recovered", "2025-01-13", site="s1", roster="dead", team="t-turkey")
    _, v = view(search)
    teams = {t.team: t for t in team_views(v)}
    assert (teams["t-turkey"].remains, teams["t-egypt"].remains) == (["R1"], [])
    assert teams["t-turkey"].log[-1].what == "recovered: R1"


# --- custody ----------------------------------------------------------------------------------


def test_custody_chain_with_failed_identification_returns_person_to_missing(search):
    site(search)
    chain_to_institute(search)
    a, v = view(search)
    ml = missing_persons(v, a, "dead")
    assert ml.people[1].status == PersonStatus.IN_TRANSFER
    r = status(search).provision("dead")
    assert r.figures["awaiting_identification"] == 1 and r.delivered == 0
    link(search, "R1", "identified", "2025-01-14", result="other")
    a, v = view(search)
    (chain,) = custody_chains(v, a)
    assert [s.what.split(":")[0] for s in chain.steps] == [
        "recovered", "held", "handed over", "crossed", "received", "identified"]
    assert chain.result.startswith("not covered") and chain.identified_as is None
    person = missing_persons(v, a, "dead").people[1]
    assert person.member == SECRET_ID and person.status == PersonStatus.SITE_KNOWN
    r = status(search).provision("dead")
    assert r.delivered == 0 and r.figures["not_covered"] == 1
    assert any("misidentification" in f for f in r.flags)
    # With the site closed, the person is plainly missing again, with the reason noted.
    record_site(search, site="s1", status="closed", at="2025-01-15", by="t",
                agreement="search", sources=src())
    a, v = view(search)
    person = missing_persons(v, a, "dead").people[1]
    assert person.status == PersonStatus.MISSING and "someone else" in person.note


def test_custody_chain_identified_feeds_the_engine(search):
    site(search)
    chain_to_institute(search, "R1", "known-one")
    link(search, "R1", "identified", "2025-01-14")
    r = status(search).provision("dead")
    assert (r.delivered, r.remaining, r.figures["handed_over"]) == (1, 3, 1)
    assert status(search).provision("ratio").owed == 10
    # The identification takes the member's attributes: a foreign national owes nothing.
    chain_to_institute(search, "R2", SECRET_ID)
    link(search, "R2", "identified", "2025-01-15")
    s = status(search)
    assert s.provision("dead").delivered == 2 and s.provision("ratio").owed == 10
    assert s.provision("ratio").figures["units_exempt"] == 1
    link(search, "R1", "returned", "2025-01-16")
    a, v = view(search)
    people = {p.member: p.status for p in missing_persons(v, a, "dead").people}
    assert people == {"known-one": PersonStatus.RETURNED, SECRET_ID: PersonStatus.IDENTIFIED,
                      None: PersonStatus.MISSING}
    assert status(search).provision("dead").delivered == 2


def test_custody_link_out_of_order_is_refused(search, db_url):
    site(search)
    before = len(list(search.entries(agreement="search")))
    with pytest.raises(CeasefireError, match="cannot record handed_over before recovered"):
        link(search, "R9", "handed_over", "2025-01-13", roster="dead")
    # The same row through an import is refused too, naming row and field.
    with pytest.raises(CeasefireError, match=r"row 1, field details.link.*before recovered"):
        search.add([{"type": "transfer", "agreement": "search", "at": "2025-01-13",
                     "actor": "a", "recipient": "b", "category": "remains", "quantity": 1,
                     "provision": "dead", "sources": src(),
                     "details": {"remains": ["R9"], "link": "handed_over"}}], recorded_by="t")
    out = subprocess.run([sys.executable, "-m", "ceasefire", "custody", "add", "R9", "--db",
                          db_url, "-a", "search", "--link", "handed_over", "--at", "2025-01-13",
                          "--roster", "dead", "--source-publisher", "W", "--source-title", "T",
                          "--source-quote", "q"], capture_output=True, text=True)
    assert out.returncode == 2 and "before recovered" in " ".join(out.stderr.split())
    assert "Traceback" not in out.stderr
    assert len(list(search.entries(agreement="search"))) == before
    chain_to_institute(search)
    with pytest.raises(CeasefireError, match="crossed is already recorded"):
        link(search, "R1", "crossed", "2025-01-14", facility="gate")
    link(search, "R2", "recovered", "2025-01-12", site="s1", roster="dead")
    link(search, "R2", "handed_over", "2025-01-13")
    link(search, "R2", "received", "2025-01-13", institute="Forensic Institute")
    with pytest.raises(CeasefireError, match="cannot record crossed after received"):
        link(search, "R2", "crossed", "2025-01-14", facility="gate")
    with pytest.raises(CeasefireError, match="before the received link"):
        link(search, "R1", "identified", "2025-01-01")
    with pytest.raises(CeasefireError, match="already recorded"):
        link(search, "R1", "recovered", "2025-01-14", site="s1", roster="dead")
    with pytest.raises(CeasefireError, match="cannot record identified before handed_over"):
        link(search, "R4", "recovered", "2025-01-12", site="s1", roster="dead")
        link(search, "R4", "identified", "2025-01-14")
    with pytest.raises(CeasefireError, match="unknown site"):
        link(search, "R3", "recovered", "2025-01-14", site="s-none", roster="dead")


def _links(ledger: Ledger, remains: str) -> dict[str, Any]:
    return {st.entry.details["link"]: st.entry for st in ledger.entries(agreement="search")
            if st.entry.details.get("remains") == [remains]}


def _correct(ledger: Ledger, target: str, changes: dict) -> None:
    ledger.add([{"type": "correction", "agreement": "search", "at": "2025-01-20",
                 "target": target, "changes": changes}], recorded_by="t")


def test_a_correction_that_would_break_a_chain_is_refused(search):
    """Corrections are judged like new links: the chain is replayed with the fix in place."""
    site(search)
    chain_to_institute(search)
    links = _links(search, "R1")
    before = len(list(search.entries()))
    with pytest.raises(CeasefireError, match=r"field changes: with this correction.*crossed "
                       r"is dated 2025-01-11.*before the handed_over link"):
        _correct(search, links["crossed"].id, {"at": "2025-01-11"})
    moved = {**links["received"].details, "remains": ["R7"]}  # R7 was never handed over
    with pytest.raises(CeasefireError, match="field changes.*R7.*before recovered"):
        _correct(search, links["received"].id, {"details": moved})
    with pytest.raises(CeasefireError, match="field changes.*would not be valid"):
        _correct(search, links["received"].id, {"details": {"link": "received"}})
    assert len(list(search.entries())) == before
    # A correction that keeps the order lands; the next one is judged on the corrected entry.
    _correct(search, links["crossed"].id, {"at": "2025-01-13T18:00:00+00:00"})
    with pytest.raises(CeasefireError, match="received is dated .* before the crossed link"):
        _correct(search, links["received"].id, {"at": "2025-01-13T17:00:00+00:00"})
    a, v = view(search)
    shown = {s.what.split(":")[0]: s for s in custody_chain(v, a, "R1").steps}
    assert shown["crossed"].when == dt.datetime(2025, 1, 13, 18, tzinfo=UTC)


LINK_ARGS = {CustodyLink.RECOVERED: {"site": "s1", "roster": "dead", "persons": [SECRET_ID]},
             CustodyLink.HELD: {"holder": "authority"}, CustodyLink.HANDED_OVER: {},
             CustodyLink.CROSSED: {"facility": "gate"},
             CustodyLink.RECEIVED: {"institute": "Institute"},
             CustodyLink.IDENTIFIED: {}, CustodyLink.RETURNED: {}}


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=st.lists(st.sampled_from(list(CustodyLink)), min_size=1, max_size=9))
def test_whatever_is_attempted_the_recorded_chain_is_in_order(tmp_path_factory, attempts):
    led = Ledger(f"sqlite:///{tmp_path_factory.mktemp('chain') / 'l.db'}", load_bundled=False)
    led.add_agreement((FIXTURES / "search.yaml").read_text(), "search.yaml")
    site(led)
    accepted: list[CustodyLink] = []
    for day, step in enumerate(attempts, start=12):
        before = led.head()
        try:
            link(led, "R1", step.value, f"2025-01-{day:02d}", **LINK_ARGS[step])
        except CeasefireError:
            assert led.head() == before  # a refused link writes nothing
            continue
        assert all(x in accepted for x in REQUIRED_BEFORE.get(step, ()))
        accepted.append(step)
    ranks = [LINK_ORDER.index(x) for x in accepted]
    assert ranks == sorted(ranks)
    assert len(set(accepted)) == len(accepted) - accepted.count(CustodyLink.HELD) + len(
        {CustodyLink.HELD} & set(accepted))
    r = Engine(led).status("search", as_of=moment("2025-03-01", UTC)).provision("dead")
    handed = CustodyLink.HANDED_OVER in accepted
    assert r.figures["handed_over"] == int(handed)
    assert r.delivered == int(CustodyLink.IDENTIFIED in accepted) <= int(handed)
    led.engine.dispose()


def test_identification_must_point_at_the_handover(search):
    site(search)
    chain_to_institute(search)
    handover = next(s.entry for s in search.entries(agreement="search", types=["transfer"]))
    other = next(s.entry for s in search.entries(agreement="search", types=["site"]))
    with pytest.raises(CeasefireError, match="must point at it"):
        search.add([{"type": "identification", "agreement": "search", "at": "2025-01-14",
                     "target": other.id, "sources": src(),
                     "outcomes": [{"result": "expected"}],
                     "details": {"remains": ["R1"], "link": "identified"}}], recorded_by="t")
    assert handover.quantity == 1 and handover.via == ["icrc"]


# --- the missing-persons list and the engine ------------------------------------------------


def test_status_counts_come_from_the_missing_list(gaza):
    a = gaza.agreement("gaza-2025")
    for day, expected in (("2025-10-14", {"identified": 4, "in transfer": 4, "missing": 20}),
                          ("2025-10-15", {"identified": 7, "missing": 21})):
        terms, v = open_view(gaza, "gaza-2025", as_of=moment(day, a.tz))
        ml = missing_persons(v, terms, "deceased-hostages")
        assert ml.counts == expected
        r = Engine(gaza).status("gaza-2025", as_of=moment(day, a.tz)).provision(
            "p1-deceased-hostages")
        assert r.figures["missing_persons"] == ml.counts
        assert r.delivered == ml.delivered() and r.remaining == ml.size - ml.delivered()
        assert r.figures["awaiting_identification"] == ml.counts.get("in transfer", 0)
    named = {p.member: p.status for p in ml.people if p.member}
    assert named["bipin-joshi"] == PersonStatus.IDENTIFIED and len(named) == 7


def test_list_moves_the_status_figures(search):
    r = status(search).provision("dead")
    assert r.figures["missing_persons"] == {"missing": 4}
    site(search)
    assert status(search).provision("dead").figures["missing_persons"] == {
        "missing": 3, "site known": 1}
    link(search, "R1", "recovered", "2025-01-12", site="s1", roster="dead",
         persons=[SECRET_ID])
    assert status(search).provision("dead").figures["missing_persons"] == {
        "missing": 3, "recovered": 1}


# --- restriction -----------------------------------------------------------------------------


def _restricted_ledger(search: Ledger) -> None:
    site(search)
    record_team(search, team="t-egypt", at="2025-01-10", by="t", agreement="search",
                sources=src(), country="Egypt", site="s1", activity="digging")
    chain_to_institute(search)
    link(search, "R1", "identified", "2025-01-14", persons=[SECRET_ID])
    record_site(search, site="s1", status="searching", at="2025-01-15", by="t",
                agreement="search", sources=[{**SOURCE, "publisher": "Secret Informant",
                                              "confidential": True}])


def cli(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout


def test_every_restricted_field_is_redacted_in_every_public_output(search, db_url, tmp_path):
    _restricted_ledger(search)
    db = ("--db", db_url)
    secrets = (str(LAT), str(LON), SECRET_NAME, SECRET_ID, "Secret Informant")
    svg_public, svg_cleared = tmp_path / "p.svg", tmp_path / "c.svg"
    public = {
        "sites list": cli("sites", "list", *db, "-a", "search"),
        "sites list json": cli("sites", "list", *db, "-a", "search", "-f", "json"),
        "sites show": cli("sites", "show", "s1", *db, "-a", "search"),
        "sites show json": cli("sites", "show", "s1", *db, "-a", "search", "-f", "json"),
        "custody list": cli("custody", "list", *db, "-a", "search"),
        "custody list json": cli("custody", "list", *db, "-a", "search", "-f", "json"),
        "custody show": cli("custody", "show", "R1", *db, "-a", "search"),
        "custody show json": cli("custody", "show", "R1", *db, "-a", "search", "-f", "json"),
        "missing": cli("missing", *db, "-a", "search"),
        "missing json": cli("missing", *db, "-a", "search", "-f", "json"),
        "teams list": cli("teams", "list", *db, "-a", "search", "-f", "json"),
        "teams show": cli("teams", "show", "t-egypt", *db, "-a", "search"),
        "status": cli("status", *db, "-a", "search", "-f", "json"),
        "events list": cli("events", "list", *db, "-a", "search", "--limit", "100"),
        "events list json": cli("events", "list", *db, "-a", "search", "-f", "json",
                                "--limit", "100"),
    }
    for fmt in ("json", "csv", "yaml"):
        public[f"export {fmt}"] = cli("events", "export", *db, "-a", "search", "-f", fmt)
    cli("sites", "map", *db, "-a", "search", "-o", str(svg_public))
    public["map"] = svg_public.read_text()
    for name, text in public.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} leaks in public `{name}`"
    # The public name of a listed person is not secret, but its site link is.
    assert "Ada Known" in public["missing"]
    assert "may concern" not in public["sites list"]
    assert "without coordinates" in public["map"]
    # Cleared readers see each restricted field where it belongs.
    cleared = {
        "sites": cli("sites", "list", *db, "-a", "search", "--show-restricted", "-f", "json"),
        "custody": cli("custody", "show", "R1", *db, "-a", "search", "--show-restricted"),
        "missing": cli("missing", *db, "-a", "search", "--show-restricted"),
        "export": cli("events", "export", *db, "-a", "search", "--include-restricted"),
        "events": cli("events", "list", *db, "-a", "search", "--show-restricted", "-f", "json",
                      "--limit", "100"),
    }
    site_json = json.loads(cleared["sites"])[0]
    assert site_json["coordinates"]["lat"] == LAT and site_json["persons"] == [SECRET_ID]
    assert SECRET_NAME in cleared["custody"] and SECRET_NAME in cleared["missing"]
    for name in ("export", "events"):
        assert str(LAT) in cleared[name] and SECRET_ID in cleared[name], name
    cli("sites", "map", *db, "-a", "search", "-o", str(svg_cleared), "--show-restricted")
    assert 'data-site="s1"' in svg_cleared.read_text()


def test_custody_entries_reimport_from_a_cleared_export(search, db_url, tmp_path):
    _restricted_ledger(search)
    for fmt in ("csv", "json"):
        dump = tmp_path / f"all.{fmt}"
        cli("events", "export", "--db", db_url, "-a", "search", "-f", fmt, "-o", str(dump),
            "--include-restricted")
        other = Ledger(f"sqlite:///{tmp_path / (fmt + '.db')}", load_bundled=False)
        other.add_agreement((FIXTURES / "search.yaml").read_text(), "search.yaml")
        cli("events", "import", str(dump), "--db", f"sqlite:///{tmp_path / (fmt + '.db')}")
        a, v = open_view(other, "search", as_of=moment("2025-03-01", UTC))
        (chain,) = custody_chains(v, a)
        assert chain.identified_as == SECRET_ID and site_rows(v)[0].coordinates.lat == LAT
        other.engine.dispose()


def test_restricted_fields_cannot_hide_in_public_details(search):
    with pytest.raises(CeasefireError, match="'coordinates' is restricted"):
        search.add([{"type": "site", "agreement": "search", "at": "2025-01-10",
                     "sources": src(), "details": {"site": "s1", "status": "reported",
                                                   "coordinates": {"lat": 1, "lon": 2}}}],
                   recorded_by="t")
    with pytest.raises(CeasefireError, match=r"field restricted.coordinates.lat"):
        search.add([{"type": "site", "agreement": "search", "at": "2025-01-10",
                     "sources": src(), "details": {"site": "s1", "status": "reported"},
                     "restricted": {"coordinates": {"lat": 100, "lon": 2}}}], recorded_by="t")
    with pytest.raises(CeasefireError, match="unknown roster member 'nobody'"):
        record_site(search, site="s2", status="reported", at="2025-01-10", by="t",
                    agreement="search", sources=src(), description="x", persons=["nobody"])
    with pytest.raises(CeasefireError, match="needs at least one source"):
        record_team(search, team="t", at="2025-01-10", by="t", agreement="search", sources=[])


# --- map -------------------------------------------------------------------------------------


def test_svg_map_over_a_geojson_basemap_and_plain(search, tmp_path):
    site(search)
    record_site(search, site="s2", status="reported", at="2025-01-11", by="t",
                agreement="search", sources=src(), description="described only")
    _, v = view(search)
    rows = site_rows(v)
    plain = site_map_svg(rows)
    assert plain.startswith("<svg") and 'class="axes"' in plain and 'data-site="s1"' in plain
    assert "1 site without coordinates" in plain
    geo = tmp_path / "base.geojson"
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
            [[34.2, 31.2], [34.6, 31.2], [34.6, 31.6], [34.2, 31.6], [34.2, 31.2]]]}}]}))
    drawn = site_map_svg(rows, load_basemap(geo))
    assert 'class="basemap"' in drawn and "<path" in drawn and 'data-site="s1"' in drawn
    assert site_map_svg([r.public() for r in rows]).count('class="site"') == 0
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "Polygon", "coordinates": 5}')
    with pytest.raises(CeasefireError, match="malformed GeoJSON"):
        load_basemap(bad)


# --- bundled data ------------------------------------------------------------------------------


def test_gaza_search_facts_from_the_seed(gaza):
    a = gaza.agreement("gaza-2025")
    assert set(a.restricted_fields) == {"coordinates", "names", "site_person_links"}
    _, v = open_view(gaza, "gaza-2025", as_of=moment("2025-10-15", a.tz))
    teams = {t.team: t for t in team_views(v)}
    egypt, turkey = teams["egyptian-teams"], teams["turkish-team"]
    assert (egypt.country, egypt.coordinates_from, egypt.role.value) == ("Egypt", "israel",
                                                                         "search")
    assert (turkey.country, turkey.coordinates_from) == ("Turkey", None)
    # Where the seed is silent, the fields stay empty.
    for t in (egypt, turkey):
        assert t.organisation is None and t.size is None and t.equipment == []
    assert teams["icrc"].role.value == "handover" and teams["forensic-institute"].country == (
        "Israel")
    assert site_rows(v) == [] and custody_chains(v, a) == []
    seed = SEED.read_text() if SEED.exists() else None
    for t in teams.values():
        for step in t.log:
            for s in step.sources:
                assert s.publisher and s.title and s.quote
                if seed and s.publisher == "Ynet":
                    assert s.quote in seed
    _, before = open_view(gaza, "gaza-2025", as_of=moment("2025-10-14", a.tz))
    assert "turkish-team" not in {t.team for t in team_views(before)}


def test_custody_links_in_a_large_import_are_checked_in_order_across_worker_parts(search):
    """An import prepared by worker processes still runs the custody check over the whole
    import in order: a link out of order in a later part is refused by its row number; in
    order, it lands."""
    site(search)
    link(search, "R9", "recovered", "2025-01-12", site="s1", roster="dead")
    filler = [{"type": "transfer", "agreement": "search", "at": f"2025-01-{10 + i}",
               "actor": "b", "recipient": "a", "category": "b-remains", "quantity": 1,
               "sources": src()} for i in range(5)]

    def handover(remains: str) -> dict:
        return {"type": "transfer", "agreement": "search", "at": "2025-01-13", "actor": "a",
                "recipient": "b", "category": "remains", "quantity": 1, "provision": "dead",
                "sources": src(), "details": {"remains": [remains], "link": "handed_over"}}
    before = len(list(search.entries()))
    with pytest.raises(CeasefireError, match=r"row 7, field details.link.*before recovered"):
        search.import_rows([*filler, handover("R9"), handover("R8")], recorded_by="t",
                           chunk=2, workers=2)
    assert len(list(search.entries())) == before
    # The same link twice, in two parts: the second (numbered over the whole file, so
    # prepared again by the importing process) is refused.
    with pytest.raises(CeasefireError, match=r"row 8, field details.link.*already recorded"):
        search.import_rows([*filler, handover("R9"), filler[0], handover("R9")],
                           recorded_by="t", chunk=2, workers=2)
    assert search.import_rows([*filler, handover("R9")], recorded_by="t", chunk=2,
                              workers=2) == 6
    assert list(search.entries())[-1].entry.details["link"] == "handed_over"
