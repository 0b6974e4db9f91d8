"""The CLI: thin commands, clear one-line errors with exit status 2, documented in the README."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from ceasefire.cli import app
from tests.conftest import FIXTURES

ROOT = Path(__file__).parent.parent
runner = CliRunner()


def cli(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env)


def test_status_table_and_markdown(gaza, db_url):
    out = cli("status", "--db", db_url, "--as-of", "2025-10-15")
    assert out.exit_code == 0, out.output
    assert "withheld, citing p1-deceased-hostages" in out.stdout
    md = cli("status", "--db", db_url, "--as-of", "2025-10-15", "-f", "markdown")
    assert "| **p1-living-hostages**" in md.stdout


def test_status_party_filter(gaza, db_url):
    out = cli("status", "--db", db_url, "--party", "hamas", "-f", "json")
    data = json.loads(out.stdout)
    assert all("hamas" in (p["by"], p["to"]) for p in data["provisions"])


def test_import_export_roundtrip(ledger, db_url, tmp_path):
    assert cli("agreements", "add", str(FIXTURES / "mini.yaml"), "--db", db_url).exit_code == 0
    src = tmp_path / "in.csv"
    src.write_text(
        "type,agreement,at,category,measure,quantity,source_publisher,source_title,"
        "source_date,source_quote\n"
        "flow,mini,2025-01-11,truck,m-un,120,Wire,T,2025-01-12,120 trucks entered\n"
        "flow,mini,2025-01-12,truck,m-un,90,Wire,T,2025-01-13,90 trucks entered\n")
    out = cli("events", "import", str(src), "--db", db_url)
    assert out.exit_code == 0, out.output
    for fmt in ("csv", "json", "yaml"):
        dump = tmp_path / f"out.{fmt}"
        assert cli("events", "export", "--db", db_url, "-f", fmt, "-o", str(dump)).exit_code == 0
        other = f"sqlite:///{tmp_path / (fmt + '.db')}"
        cli("agreements", "add", str(FIXTURES / "mini.yaml"), "--db", other)
        res = cli("events", "import", str(dump), "--db", other)
        assert res.exit_code == 0, res.output
        from ceasefire import Ledger

        a = sorted((s.entry.id, s.entry.quantity) for s in Ledger(other).entries(
            agreement="mini"))
        b = sorted((s.entry.id, s.entry.quantity) for s in Ledger(db_url).entries(
            agreement="mini"))
        assert a == b


def test_bad_import_row_clear_error_nothing_written(ledger, db_url, tmp_path):
    src = tmp_path / "bad.json"
    src.write_text(json.dumps([
        {"type": "flow", "agreement": "mini", "at": "2025-01-11", "category": "truck",
         "quantity": 1, "sources": [{"publisher": "W", "title": "T", "quote": "q"}]},
        {"type": "flow", "agreement": "mini", "at": "2025-01-11", "category": "truck",
         "quantity": -4, "sources": [{"publisher": "W", "title": "T", "quote": "q"}]}]))
    out = subprocess.run([sys.executable, "-m", "ceasefire", "events", "import", str(src),
                          "--db", db_url], capture_output=True, text=True)
    assert out.returncode == 2
    assert "entry 2" in out.stderr and "quantity" in out.stderr
    assert "Traceback" not in out.stderr
    assert list(ledger.entries(agreement="mini")) == []


def test_bad_files_clear_errors(tmp_path, db_url):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    for path, words in ((empty, "empty"), (binary, "UTF-8"),
                        (tmp_path / "missing.yaml", "not found")):
        out = subprocess.run([sys.executable, "-m", "ceasefire", "events", "import",
                              str(path), "--db", db_url], capture_output=True, text=True)
        assert out.returncode == 2 and words in out.stderr and "Traceback" not in out.stderr


def test_a_spreadsheet_source_column_without_its_prefix_is_named(ledger, db_url, tmp_path):
    src = tmp_path / "sheet.csv"
    src.write_text("type,agreement,at,category,quantity,publisher,source_title\n"
                   "flow,mini,2025-01-11,truck,5,Wire,Daily\n")
    out = subprocess.run([sys.executable, "-m", "ceasefire", "events", "import", str(src),
                          "--db", db_url], capture_output=True, text=True)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "line 2, field publisher" in out.stderr and "source_publisher" in out.stderr
    assert list(ledger.entries(agreement="mini")) == []


def test_a_spreadsheet_export_imports_as_it_is(ledger, db_url, tmp_path):
    """What a spreadsheet saves: a byte-order mark, CRLF, counts with thousands
    separators, and in many locales semicolons or tabs between cells."""
    header = ["type", "agreement", "at", "category", "measure", "quantity",
              "source_publisher", "source_title", "source_date", "source_quote"]
    rows = [["flow", "mini", "2025-01-11", "truck", "m-un", "1,230", "UN", "Weekly",
             "2025-01-12", "1,230 trucks"],
            ["flow", "mini", "2025-01-12", "truck", "m-un", "95", "UN", "Daily",
             "2025-01-13", "95 trucks"]]
    for sep in (",", ";", "\t"):
        src = tmp_path / "sheet.csv"
        cells = [sep.join(f'"{c}"' if sep in c else c for c in r) for r in [header, *rows]]
        src.write_bytes(("\ufeff" + "\r\n".join(cells) + "\r\n").encode())
        out = cli("events", "import", str(src), "--db", db_url)
        assert out.exit_code == 0, out.output
        # each form reads as the same two entries (same content: nothing added again)
        assert sorted(s.entry.quantity for s in ledger.entries(agreement="mini")) == [95, 1230]
    bad = tmp_path / "bad.csv"
    bad.write_text("type,agreement,at,category,quantity\nflow,mini,2025-01-11,truck,1,23\n")
    out = subprocess.run([sys.executable, "-m", "ceasefire", "events", "import", str(bad),
                          "--db", db_url], capture_output=True, text=True)
    assert out.returncode == 2 and "line 2" in out.stderr   # "1,23" is not a count


def test_validate_bad_agreement(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURES / "mini.yaml").read_text().replace("roster: hostages",
                                                                "roster: nobody"))
    out = subprocess.run([sys.executable, "-m", "ceasefire", "agreements", "validate",
                          str(bad)], capture_output=True, text=True)
    assert out.returncode == 2 and "unknown roster 'nobody'" in out.stderr
    assert "line" in out.stderr


def test_events_add_confirm_retract(ledger, db_url):
    add = cli("events", "add", "--db", db_url, "-a", "mini", "--type", "flow", "--at",
              "2025-01-11", "--category", "truck", "--quantity", "5", "--source-publisher",
              "W", "--source-title", "T", "--source-quote", "five trucks")
    assert add.exit_code == 0, add.output
    eid = add.stdout.split()[-1]
    assert cli("events", "confirm", eid, "--db", db_url).exit_code == 0
    assert cli("events", "retract", eid, "--db", db_url).exit_code == 0
    listed = json.loads(cli("events", "list", "--db", db_url, "-f", "json").stdout)
    assert [e["type"] for e in listed[:3]] == ["retraction", "verification", "flow"]


def test_restricted_fields_redacted_in_exports(ledger, db_url):
    ledger.add([{"type": "incident", "agreement": "mini", "at": "2025-01-11",
                 "restricted": {"coordinates": [31.5, 34.4]},
                 "sources": [{"publisher": "Secret", "title": "T", "quote": "q",
                              "confidential": True},
                             {"publisher": "Open", "title": "T", "quote": "q"}]}],
               recorded_by="t")
    public = cli("events", "export", "--db", db_url, "-f", "json").stdout
    assert "31.5" not in public and "Secret" not in public and "Open" in public
    cleared = cli("events", "export", "--db", db_url, "-f", "json",
                  "--include-restricted").stdout
    assert "31.5" in cleared and "Secret" in cleared


def test_verify_command(gaza, db_url):
    out = cli("verify", "--db", db_url)
    assert out.exit_code == 0 and "ok" in out.stdout


def test_every_command_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text()
    import typer.main

    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        for full in ([f"{name} {s}" for s in subs] if subs else [name]):
            assert f"ceasefire {full}" in readme, f"`ceasefire {full}` is not in the README"


def test_every_hook_is_documented_in_readme():
    from ceasefire.registry import Specs

    readme = (ROOT / "README.md").read_text()
    for hook in (h for h in dir(Specs) if h.startswith("ceasefire_")):
        assert hook in readme, f"hook {hook} is not documented in the README"
