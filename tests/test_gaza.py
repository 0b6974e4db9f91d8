"""The bundled gaza-2025 picture, as the issue states it must come out."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ceasefire import Engine, Status
from ceasefire.cli import app
from ceasefire.times import moment


def run(ledger, as_of):
    a = ledger.agreement("gaza-2025")
    return Engine(ledger).status("gaza-2025", as_of=moment(as_of, a.tz))


def test_as_of_15_october(gaza):
    s = run(gaza, "2025-10-15")
    living = s.provision("p1-living-hostages")
    assert (living.delivered, living.required, living.status, living.on_time) == (
        20, 20, Status.FULFILLED, True)
    dead = s.provision("p1-deceased-hostages")
    f = dead.figures
    assert (f["handed_over"], f["identified"], f["not_covered"]) == (8, 7, 1)
    assert f["identified_by"]["nationality"] == {"Israel": 6, "Nepal": 1}
    assert dead.remaining == 21 and dead.status == Status.OVERDUE
    assert dead.overdue_since.isoformat() == "2025-10-13T09:00:00+00:00"  # noon local
    assert any("misidentification" in x for x in dead.flags)
    remains = s.provision("p1-palestinian-remains")
    assert (remains.owed, remains.delivered, remains.figures["units_counted"]) == (90, 90, 6)
    assert s.provision("p1-life-sentence-prisoners").delivered == 250
    assert s.provision("p1-gaza-detainees").delivered == 1718
    rafah = s.provision("p2-rafah-open")
    assert rafah.status == Status.WITHHELD and rafah.withheld_citing == "p1-deceased-hostages"
    aid = s.provision("p1-aid-trucks").figures["measures"]
    assert aid["un-trucks-entered"]["daily"]["2025-10-12"] == 817
    assert aid["gmo-trucks-entered"]["daily"]["2025-10-12"] == 173
    assert s.disagreements and {v["quantity"] for v in s.disagreements[0].values} == {88, 96}


def test_as_of_14_october_reproduces_the_seed(gaza):
    s = run(gaza, "2025-10-14")
    remains = s.provision("p1-palestinian-remains")
    assert (remains.figures["units_counted"], remains.delivered) == (3, 45)
    assert s.provision("p1-deceased-hostages").figures["awaiting_identification"] == 4


def test_json_gives_the_same_numbers(gaza, db_url):
    out = CliRunner().invoke(app, ["status", "--db", db_url, "--as-of", "2025-10-15",
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    data = {p["id"]: p for p in json.loads(out.stdout)["provisions"]}
    assert data["p1-deceased-hostages"]["remaining"] == 21
    assert data["p1-palestinian-remains"]["owed"] == 90
    assert data["p2-rafah-open"]["withheld_citing"] == "p1-deceased-hostages"


def test_every_bundled_fact_has_sources_with_quotes(gaza):
    for stored in gaza.entries(agreement="gaza-2025"):
        e = stored.entry
        assert e.sources, e.id
        for s in e.sources:
            assert s.publisher and s.title and s.quote, e.id


def test_bundle_loads_once(gaza, db_url):
    from ceasefire import Ledger

    n = len(list(gaza.entries()))
    again = Ledger(db_url)
    assert len(list(again.entries())) == n
