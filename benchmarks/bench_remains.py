"""Remains benchmark: recording custody links one by one, and reading the views.

A synthetic agreement with one roster of N named persons; for each, a site is reported, the
remains recovered, handed over, received and identified (five entries, each its own append,
as people record them). Printed: the mean time of one custody append (the chain-order check
reads the ledger inside the append's transaction), and the time to build the site table,
the custody chains, the missing-persons list and the full status on the final ledger (the
status includes reading the ledger; the views are timed on a view already loaded).

    python benchmarks/bench_remains.py                 # 100 and 1,000 persons, both backends
    python benchmarks/bench_remains.py --sizes 100     # the CI smoke size
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
import uuid

import sqlalchemy as sa
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

PG_URL = os.environ.get("CEASEFIRE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SOURCE = [{"publisher": "Synthetic Wire", "title": "Report", "date": "2025-01-01",
           "quote": "synthetic"}]


def agreement_yaml(n: int) -> str:
    """One roster of n named persons and the transfer of their remains; nothing else."""
    members = ", ".join(f"{{id: p{i}, name: Person {i}}}" for i in range(n))
    return "\n".join([
        "id: rbench", "name: Remains benchmark", "timezone: UTC",
        "sources: {S: {publisher: Bench, title: Bench, date: 2025-01-01}}",
        "parties: [{id: a, name: A}, {id: b, name: B}, {id: icrc, name: ICRC, "
        "role: intermediary}]",
        "categories: [{id: remains, name: remains, unit: body}]",
        "rosters:",
        f"  - {{id: dead, category: remains, size: {n}, source: {{ref: S, clause: x}}, "
        f"members: [{members}]}}",
        "provisions:",
        "  - {id: dead, kind: transfer, by: a, to: b, via: [icrc], title: t, text: t, "
        "source: {ref: S, clause: x}, category: remains, quantity: all, roster: dead, "
        "identify: true}", ""])


def run(url: str, n: int, console: Console) -> dict[str, float]:
    from ceasefire import Engine, Ledger
    from ceasefire.remains.record import record_link, record_site
    from ceasefire.remains.views import custody_chains, missing_persons, open_view, site_rows

    ledger = Ledger(url, load_bundled=False)
    ledger.add_agreement(agreement_yaml(n), "bench.yaml")
    day = dt.date(2025, 1, 1)
    link_times: list[float] = []
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"recording {n} chains", total=n)
        for i in range(n):
            at = (day + dt.timedelta(days=i % 300)).isoformat()
            record_site(ledger, site=f"s{i}", status="reported", at=at, by="bench",
                        agreement="rbench", sources=SOURCE, description="rubble", persons=[f"p{i}"],
                        coordinates={"lat": 31.5, "lon": 34.4, "radius_m": 30})
            steps = [("recovered", {"site": f"s{i}", "roster": "dead", "persons": [f"p{i}"]}),
                     ("handed_over", {}), ("received", {"institute": "Institute"}),
                     ("identified", {})]
            for step, extra in steps:
                t0 = time.perf_counter()
                record_link(ledger, remains=[f"R{i}"], link=step, at=at, by="bench",
                            agreement="rbench", sources=SOURCE, **extra)  # type: ignore[arg-type]
                link_times.append(time.perf_counter() - t0)
            bar.advance(task)
    as_of = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    a, view = open_view(ledger, "rbench", as_of=as_of)
    t_view = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = site_rows(view)
    t_sites = time.perf_counter() - t0
    t0 = time.perf_counter()
    chains = custody_chains(view, a)
    t_chains = time.perf_counter() - t0
    t0 = time.perf_counter()
    ml = missing_persons(view, a, "dead")
    t_missing = time.perf_counter() - t0
    t0 = time.perf_counter()
    status = Engine(ledger).status("rbench", as_of=as_of)
    t_status = time.perf_counter() - t0
    assert len(rows) == len(chains) == n and ml.delivered() == n
    assert status.provision("dead").delivered == n
    ledger.engine.dispose()
    return {"link_ms": 1000 * sum(link_times) / len(link_times), "view_s": t_view,
            "sites_s": t_sites,
            "chains_s": t_chains, "missing_s": t_missing, "status_s": t_status}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000", help="persons, comma-separated")
    ap.add_argument("--backends", default="sqlite,postgres")
    args = ap.parse_args()
    console = Console()
    table = Table(title="remains benchmark")
    for col in ("backend", "persons", "one link ms", "load view s", "sites s", "chains s",
                "missing s", "status s"):
        table.add_column(col, justify="right")
    for backend in args.backends.split(","):
        for n in (int(x) for x in args.sizes.split(",")):
            schema = None
            if backend == "sqlite":
                url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
            else:
                schema = f"b_{uuid.uuid4().hex[:10]}"
                admin = sa.create_engine(PG_URL)
                try:
                    with admin.begin() as conn:
                        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
                except sa.exc.OperationalError:
                    console.print("[yellow]no PostgreSQL server; skipped[/yellow]")
                    break
                url = f"{PG_URL}?options=-csearch_path%3D{schema}"
            try:
                r = run(url, n, console)
            finally:
                if schema:
                    with admin.begin() as conn:
                        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
                    admin.dispose()
            table.add_row(backend, f"{n:,}", f"{r['link_ms']:.1f}", f"{r['view_s']:.3f}",
                          f"{r['sites_s']:.3f}",
                          f"{r['chains_s']:.3f}", f"{r['missing_s']:.3f}",
                          f"{r['status_s']:.3f}")
    console.print(table)


if __name__ == "__main__":
    main()
