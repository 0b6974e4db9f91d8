"""Does this tree store what another tree (main) stores for the same imports, byte for byte?

    python benchmarks/compare_import.py /path/to/main/src [--size 30000]

Each tree imports the same rows (varied entry types and fields, and the core benchmark's
synthetic file) in a fresh SQLite ledger, in a process of its own, by every path an import
takes: a small file in this process, a large one by worker processes, in small chunks, and
a second file into a ledger that already holds the first (``skip_existing``, repeated
ids). Then it prints a digest of each ``entries`` and ``stream_blocks`` table, and this
script compares them. Every row here has a recorded time and an id or content id: a
recorded time of "now" or a made-up id would differ between any two runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

CHILD = r"""
import hashlib, json, pickle, sys, tempfile
sys.path.insert(0, BENCH)
from bench_core import agreement_yaml, synthetic_rows
from ceasefire import Ledger

def digest(ledger):
    out = {}
    with ledger.engine.connect() as conn:
        for table, order in (("entries", "seq"), ("stream_blocks", "id")):
            h = hashlib.sha256()
            n = 0
            cur = conn.connection.cursor()
            cur.execute(f"SELECT * FROM {table} ORDER BY {order}")
            cols = [d[0] for d in cur.description]
            for row in cur.fetchall():
                h.update(repr([(type(v).__name__, v) for v in row]).encode())
                n += 1
            out[table] = (n, h.hexdigest()[:16], cols)
    out["verify"] = ledger.verify().ok
    return out

def ledger_with(tmp, name):
    ledger = Ledger(f"sqlite:///{tmp}/{name}.db", load_bundled=False)
    ledger.add_agreement(open(MINI).read(), "mini.yaml")
    ledger.add_agreement(open(SEARCH).read(), "search.yaml")
    ledger.add_agreement(agreement_yaml(), "bench.yaml")
    return ledger

varied, size = pickle.loads(bytes.fromhex(sys.stdin.read()))
big = synthetic_rows(size)
tmp = tempfile.mkdtemp()
result = {}
for mode, kw in (("in-process", {"workers": 0}), ("workers", {"workers": 1}),
                 ("two workers", {"workers": 2}), ("small chunks", {"workers": 2, "chunk": 7}),
                 ("add", {"workers": 0})):
    ledger = ledger_with(tmp, mode.replace(" ", "-"))
    rows = [dict(r) for r in varied]
    if mode == "add":  # entries built and serialised one by one (events add)
        ledger.add(rows, recorded_by="cmp")
    else:
        ledger.import_rows(rows, recorded_by="cmp", **kw)
    ledger.import_rows([dict(r) for r in big], recorded_by="cmp", agreement="bench", **kw)
    # again, into a ledger that holds them: nothing new, then a file that half overlaps
    ledger.import_rows([dict(r) for r in big[: size // 2]], recorded_by="cmp",
                       agreement="bench", skip_existing=True, **kw)
    more = [dict(r, quantity=(r.get("quantity") or 0) + 1) for r in big[: size // 3]
            if "id" not in r]
    ledger.import_rows(more + [dict(r) for r in big[: size // 3]], recorded_by="cmp",
                       agreement="bench", skip_existing=True, **kw)
    result[mode] = digest(ledger)
print(json.dumps(result))
"""


def varied_rows() -> list[dict[str, Any]]:
    src = {"publisher": "Test Wire", "title": "Report", "date": "2025-01-02",
           "url": "https://example.org/r", "quote": "It happened."}
    other = {"publisher": "Other Paper", "title": "Dispatch — ünïcode", "quote": "“Quoted”"}
    secret = {**src, "publisher": "Insider", "confidential": True}
    rec = {"recorded_at": "2025-02-01T08:00:00Z"}
    rows: list[dict[str, Any]] = [
        {"type": "milestone", "agreement": "mini", "at": "2025-01-09", "provision": "start",
         "sources": [src], **rec},
        {"id": "h1", "type": "transfer", "agreement": "mini", "at": "2025-01-10T14:30:00+03:00",
         "actor": "a", "recipient": "b", "via": "icrc", "category": "hostage", "quantity": 2,
         "place": "Rafah", "note": "ملاحظة — a note", "sources": [src, other], **rec},
        {"id": "h2", "type": "transfer", "agreement": "mini", "at": "2025-01-10T14:30:00",
         "precision": "hour", "actor": "a", "recipient": "b", "via": ["icrc"],
         "category": "remains", "quantity": 3, "provision": "dead", "sources": [src, secret],
         "recorded_by": "someone else", **rec},
        {"type": "identification", "agreement": "mini", "at": "2025-01-11", "target": "h2",
         "outcomes": [{"result": "expected", "count": 2},
                      {"result": "other", "attributes": {"foreign": True, "n": 1}}],
         "sources": [src], **rec},
        {"type": "verification", "agreement": "mini", "at": "2025-01-12", "target": "h1",
         "state": "confirmed", "sources": [other], **rec},
        {"type": "correction", "agreement": "mini", "at": "2025-01-12", "target": "h1",
         "changes": {"quantity": 1, "place": None}, "sources": [src], **rec},
        {"type": "source", "agreement": "mini", "at": "2025-01-12", "target": "h1",
         "sources": [{**src, "date": None, "quote": "again"}], **rec},
        {"type": "flow", "agreement": "mini", "at": "2025-01-10", "until": "2025-01-12",
         "category": "truck", "measure": "m-un", "quantity": 0, "verification": "confirmed",
         "sources": [src], **rec},
        {"type": "flow", "agreement": "mini", "at": "2025-01-10", "category": "truck",
         "measure": "m-gov", "quantity": 120, "verification": "reported",
         "sources": [src, other, src], **rec},
        {"type": "flow", "agreement": "mini", "at": "2025-01-10", "category": "truck",
         "quantity": 120, "sources": [src], "restricted": {"names": ["x"]}, **rec},
        {"type": "facility_state", "agreement": "mini", "at": "2025-01-11", "facility": "gate",
         "state": "closed", "reason": "trucks", "sources": [src], **rec},
        {"type": "statement", "agreement": "mini", "at": "2025-01-11", "actor": "b",
         "note": "said so", "kind": "speech", **rec},
        {"type": "incident", "agreement": "mini", "at": "2025-01-11", "actor": "a",
         "kind": "attack", "quantity": 1, "details": {"where": "north"}, "sources": [src], **rec},
        {"type": "site", "agreement": "search", "at": "2025-01-10", "sources": [src],
         "details": {"site": "s1", "status": "reported", "description": "rubble"}, **rec},
    ]
    rows += [{"type": "retraction", "agreement": "mini", "at": "2025-01-13",
              "target": rows[2]["id"], "sources": [src], "note": "withdrawn", **rec}]
    return [{"id": f"v{i}", **r} for i, r in enumerate(rows)]  # the same ids by `add` too


def run(src: Path, size: int) -> dict:
    import pickle

    env = {**os.environ, "PYTHONPATH": str(src)}
    code = (f"BENCH={str(HERE)!r}\nMINI={str(HERE.parent / 'tests/fixtures/mini.yaml')!r}\n"
            f"SEARCH={str(HERE.parent / 'tests/fixtures/search.yaml')!r}\n" + CHILD)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, input=pickle.dumps((varied_rows(), size)).hex())
    if done.returncode:
        sys.exit(f"{src}: {done.stderr}")
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the other tree's src folder (main's)")
    parser.add_argument("--size", type=int, default=30_000)
    args = parser.parse_args()
    mine, theirs = run(SRC, args.size), run(args.other, args.size)
    same = True
    for mode in mine:
        for key in mine[mode]:
            ok = mine[mode][key] == theirs[mode][key]
            same &= ok
            print(f"{mode:13} {key:14} {'same' if ok else 'DIFFERENT'}  "
                  f"{mine[mode][key] if key == 'verify' else mine[mode][key][:2]}")
    # and every path of this tree stores the same as every other
    paths = {json.dumps(v["entries"]) for v in mine.values()}
    print("all paths of this tree store the same entries:", len(paths) == 1)
    return 0 if same and len(paths) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
