"""Core benchmark: import rate, full status, status after one more append, peak memory.

A synthetic agreement with 50 provisions (transfers, ratios, flows with two measures,
states, milestones, prohibitions) and a synthetic ledger of N events, on SQLite and
PostgreSQL. Each (backend, size) runs in its own process so peak memory is its own.

    python benchmarks/bench_core.py                 # 10^4, 10^5, 10^6 on both backends
    python benchmarks/bench_core.py --sizes 10000   # the CI smoke size
    python benchmarks/bench_core.py --stages 100000 # where an import spends its time
    python benchmarks/bench_core.py --cpu 100000    # an import's CPU per row, by process

Targets (issue #2): import >= 50,000 events/s on SQLite; full status <= 2 s at 10^6;
status after one append <= 50 ms at 10^6; peak memory <= 500 MB at 10^6.

"full status" is a new process computing every provision's status from the database:
counted entries come from their stream blocks, entries read whole from the ledger (see
``ceasefire.facts``). "+1 append" is the status after one more entry, on that warm engine.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator

import sqlalchemy as sa
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

PG_URL = os.environ.get("CEASEFIRE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SOURCE = {"publisher": "Synthetic Wire", "title": "Daily report", "date": "2025-01-01",
          "quote": "synthetic"}


def agreement_yaml() -> str:
    """50 provisions over 10 party pairs; nothing Gaza-specific."""
    lines = ["id: bench", "name: Benchmark agreement", "timezone: UTC",
             "sources: {S: {publisher: Bench, title: Bench, date: 2025-01-01}}",
             "parties: [{id: a, name: A}, {id: b, name: B}]",
             "categories:"]
    lines += [f"  - {{id: c{i}, name: c{i}, unit: unit}}" for i in range(20)]
    lines += [f"  - {{id: r{i}, name: r{i}, unit: body}}" for i in range(5)]
    lines += [f"  - {{id: f{i}, name: f{i}, unit: truck}}" for i in range(10)]
    lines += ["measures:"]
    lines += [f"  - {{id: f{i}-{m}, category: f{i}, name: f{i} {m}, definition: {m}}}"
              for i in range(10) for m in ("x", "y")]
    lines += ["facilities:"] + [f"  - {{id: g{i}, name: G{i}}}" for i in range(5)]
    lines += ["provisions:"]
    src = "source: {ref: S, clause: x}"
    for i in range(20):
        lines.append(f"  - {{id: t{i}, kind: transfer, by: a, to: b, title: t, text: t, {src},"
                     f" category: c{i}, quantity: 100000, identify: {str(i < 5).lower()},"
                     f" deadline: {{at: 2025-06-01}}}}")
    for i in range(5):
        lines.append(f"  - {{id: q{i}, kind: ratio, by: b, to: a, title: q, text: q, {src},"
                     f" base: t{i}, per_unit: 15, category: r{i}}}")
    for i in range(10):
        lines.append(f"  - {{id: fl{i}, kind: flow, by: b, to: a, title: f, text: f, {src},"
                     f" category: f{i}, min_per_day: 100, max_per_day: 900}}")
    for i in range(5):
        lines.append(f"  - {{id: s{i}, kind: state, by: b, to: a, title: s, text: s, {src},"
                     f" facility: g{i}, required_state: open}}")
    for i in range(5):
        lines.append(f"  - {{id: m{i}, kind: milestone, title: m, text: m, {src}}}")
    for i in range(5):
        lines.append(f"  - {{id: p{i}, kind: prohibition, by: a, title: p, text: p, {src},"
                     f" incident_kinds: [attack]}}")
    return "\n".join(lines) + "\n"


def synthetic_rows(n: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    start = dt.date(2025, 1, 1)
    rows: list[dict] = []
    transfer_ids: list[str] = []
    for i in range(n):
        day = start + dt.timedelta(days=rnd.randrange(365))
        rec = (day + dt.timedelta(days=1)).isoformat()
        roll = rnd.random()
        if roll < 0.55:
            k = rnd.randrange(10)
            row = {"type": "flow", "category": f"f{k}", "measure": f"f{k}-{rnd.choice('xy')}",
                   "quantity": rnd.randrange(0, 1000)}
        elif roll < 0.90:
            c = rnd.randrange(20)
            row = {"type": "transfer", "actor": "a", "recipient": "b", "category": f"c{c}",
                   "quantity": rnd.randrange(1, 10)}
            if c < 5 and len(transfer_ids) < n // 100:
                row["id"] = f"tr{i}"
                transfer_ids.append(row["id"])
        elif roll < 0.97:
            row = {"type": "transfer", "actor": "b", "recipient": "a",
                   "category": f"r{rnd.randrange(5)}", "quantity": rnd.randrange(1, 50)}
        elif roll < 0.99:
            row = {"type": "facility_state", "facility": f"g{rnd.randrange(5)}",
                   "state": rnd.choice(["open", "closed"])}
        else:
            row = {"type": "incident", "actor": "a", "kind": "attack", "quantity": 1}
        row.update(at=day.isoformat(), recorded_at=rec, sources=[SOURCE])
        rows.append(row)
    for tid in transfer_ids:  # identifications and a few corrections (read whole)
        rows.append({"type": "identification", "target": tid, "at": "2025-12-31",
                     "recorded_at": "2025-12-31", "sources": [SOURCE],
                     "outcomes": [{"result": "expected", "count": 1}]})
    return rows


def _import(url: str, n: int, queue: mp.Queue) -> None:
    from ceasefire import Ledger

    ledger = Ledger(url, load_bundled=False)
    ledger.add_agreement(agreement_yaml(), "bench.yaml")
    rows = synthetic_rows(n)
    t0 = time.perf_counter()
    # The library call behind `ceasefire events import` (content ids, worker processes for
    # a large file, one transaction), rows already parsed from the file.
    ledger.import_rows(rows, recorded_by="bench", agreement="bench")
    queue.put((len(rows), len(rows) / (time.perf_counter() - t0)))


def _status(url: str, queue: mp.Queue) -> None:
    """First status in a new process, then status after one more append."""
    from ceasefire import Engine, Ledger

    ledger = Ledger(url, load_bundled=False)
    as_of = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    engine = Engine(ledger)
    engine.status("bench", as_of=as_of, evidence=False)
    full_s = time.perf_counter() - t0
    ledger.add([{"type": "transfer", "actor": "a", "recipient": "b", "category": "c7",
                 "quantity": 1, "at": "2025-06-01", "sources": [SOURCE]}],
               recorded_by="bench", agreement="bench")
    t0 = time.perf_counter()
    engine.status("bench", as_of=as_of, evidence=False)
    incr_s = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((full_s, incr_s, peak_mb))


def _in_process(target, *args):  # type: ignore[no-untyped-def]
    """Run in a fresh process (so its peak memory is its own); return what it reports."""
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get(timeout=3600)
    proc.join()
    return result


@contextlib.contextmanager
def scratch_database(backend: str, prefix: str = "bench") -> Iterator[str]:
    """A database URL to fill and throw away: a new SQLite file, or a PostgreSQL schema
    dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tempfile.mkdtemp()}/bench.db"
        return
    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with sa.create_engine(PG_URL).begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with sa.create_engine(PG_URL).begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))


def run_one(backend: str, n: int) -> tuple:
    with scratch_database(backend) as url:
        events, rate = _in_process(_import, url, n)
        full, incr, peak = _in_process(_status, url)
        return backend, events, rate, full, incr, peak


def import_stages(n: int, console: Console) -> None:
    """Where an import's time goes, per row on one core (CPU time, no collector): the
    figures to beat for the import target. A large import is prepared in parts by worker
    processes, and by the importing process whenever it would wait, while the importing
    process writes (``Ledger.import_rows``): the rate is bounded by the total over the
    cores there are, and by the writing alone however many there are.
    """
    import gc
    import pickle

    from ceasefire import Ledger
    from ceasefire.intake import ContentIds, _RowBuilder, check_shape, validated_import
    from ceasefire.ledger import WORKER_CHUNK, Ready, chain_hash, wanted_by_checks
    from ceasefire.registry import entry_checks
    from ceasefire.storage import bulk_cache, insert_blocks, insert_rows

    with scratch_database("sqlite") as url:
        ledger = Ledger(url, load_bundled=False)
        agreement = ledger.add_agreement(agreement_yaml(), "bench.yaml")
        rows = synthetic_rows(n)
        table = Table(title=f"import, µs per row ({len(rows):,} rows, SQLite)")
        table.add_column("stage")
        table.add_column("where")
        table.add_column("µs/row", justify="right")
        stages: dict[tuple[str, str], float] = {}  # CPU seconds, summed over the parts
        gc.disable()
        try:
            def timed(label: str, where: str, work):  # type: ignore[no-untyped-def]
                t0 = time.process_time()
                out = work()
                key = (label, where)
                stages[key] = stages.get(key, 0.0) + time.process_time() - t0
                return out

            ids = ContentIds("bench")
            checks = entry_checks()
            known: dict = {}  # what a worker keeps from part to part
            prev, seq = "0" * 64, 0
            with ledger.engine.connect() as conn:
                conn.begin()
                with bulk_cache(conn):  # as a large import writes
                    # part by part, as an import goes (each part's rows prepared, then written)
                    for start in range(0, len(rows), WORKER_CHUNK):
                        part = rows[start:start + WORKER_CHUNK]
                        given = timed("content ids", "prepare", lambda p=part: ids.given(p))
                        valid = timed("validate rows (one pydantic call a part)", "prepare",
                                      lambda p=part, g=given: validated_import(
                                          list(p), g, str, known))
                        build = _RowBuilder("bench", dt.datetime.now(dt.UTC), known=known)
                        built = timed("build rows: entry, canonical bytes, columns", "prepare",
                                      lambda v=valid, b=build: [b.import_row(r, agreement)
                                                                for r in v])
                        entries = [e for _, e in built]
                        timed("check against the agreement", "prepare",
                              lambda b=entries: [check_shape(e, agreement, checks) for e in b])
                        ready = timed("entries registered checks read", "prepare",
                                      lambda b=built, x=entries: Ready(
                                          [c for c, _ in b], wanted_by_checks(x, checks)))
                        sent = timed("send to the writer (pickle)", "prepare",
                                     lambda r=ready: pickle.dumps(r.rows, pickle.HIGHEST_PROTOCOL))
                        timed("receive (unpickle)", "writer", lambda s=sent: pickle.loads(s))
                        timed("number content ids", "writer",
                              lambda: [ids.number(d) for _, d, _ in ids.assigned])

                        def chain(r: Ready = ready) -> list[tuple]:
                            nonlocal prev, seq
                            out = []
                            for row in r.rows:
                                seq += 1
                                h = chain_hash(seq, prev, row[10].encode())
                                out.append((seq, *row, prev, h))
                                prev = h
                            return out

                        cols = timed("chain hash", "writer", chain)
                        timed("insert (SQLite, indexes)", "writer",
                              lambda c=cols: insert_rows(conn, c))
                        timed("insert stream blocks", "writer", lambda c=cols: insert_blocks(
                            conn, [(x[4], x[0], x[5], x[6], x[7], x[8] or 0, x[9])
                                   for x in c if x[4]]))
                    timed("commit", "writer", conn.commit)
        finally:
            gc.enable()
        sums = {"prepare": 0.0, "writer": 0.0}
        for (label, where), seconds in stages.items():
            us_row = seconds / len(rows) * 1e6
            sums[where] += us_row
            table.add_row(label, where, f"{us_row:.1f}")
        table.add_row("[b]preparing (workers; the writer when it would wait)[/b]", "",
                      f"{sums['prepare']:.1f}")
        table.add_row("[b]writing (the importing process)[/b]", "", f"{sums['writer']:.1f}")
        console.print(table)


def import_cpu(n: int, console: Console) -> None:
    """An import of N synthetic rows into a new SQLite ledger, in this process, with the CPU
    it took per row: this process's (writing, and preparing when it would wait) and its
    workers' (steadier than the rate on a shared machine)."""
    from ceasefire import Ledger

    with scratch_database("sqlite") as url:
        ledger = Ledger(url, load_bundled=False)
        ledger.add_agreement(agreement_yaml(), "bench.yaml")
        rows = synthetic_rows(n)
        me0, kids0 = (resource.getrusage(r) for r in (resource.RUSAGE_SELF,
                                                      resource.RUSAGE_CHILDREN))
        t0 = time.perf_counter()
        ledger.import_rows(rows, recorded_by="bench", agreement="bench")
        wall = time.perf_counter() - t0
        me1, kids1 = (resource.getrusage(r) for r in (resource.RUSAGE_SELF,
                                                      resource.RUSAGE_CHILDREN))

        def us(a: resource.struct_rusage, b: resource.struct_rusage) -> float:
            return (b.ru_utime + b.ru_stime - a.ru_utime - a.ru_stime) / len(rows) * 1e6

        console.print(f"{len(rows):,} rows: {len(rows) / wall:,.0f} events/s; CPU per row: "
                      f"importing process {us(me0, me1):.1f} µs, workers {us(kids0, kids1):.1f}"
                      f" µs, total {us(me0, me1) + us(kids0, kids1):.1f} µs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--stages", type=int, metavar="N",
                        help="only print where an import of N rows spends its time")
    parser.add_argument("--cpu", type=int, metavar="N",
                        help="only import N rows here and print the CPU it took per row")
    args = parser.parse_args()
    if args.cpu:
        import_cpu(args.cpu, Console())
        return 0
    if args.stages:
        import_stages(args.stages, Console())
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    console = Console()
    table = Table(title="ceasefire core benchmark")
    for col in ("backend", "events", "import ev/s", "status s", "+1 append ms", "peak MB"):
        table.add_column(col, justify="right")
    failed = False
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("benchmark", total=len(sizes) * len(backends))
        for backend in backends:
            for n in sizes:
                try:
                    b, events, rate, full, incr, peak = run_one(backend, n)
                except Exception as exc:  # report and go on with the other sizes
                    console.print(f"[red]{backend} {n} failed: {exc}[/red]")
                    failed = True
                else:
                    table.add_row(b, f"{events:,}", f"{rate:,.0f}", f"{full:.2f}",
                                  f"{incr * 1000:.1f}", f"{peak:.0f}")
                bar.advance(task)
    console.print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
