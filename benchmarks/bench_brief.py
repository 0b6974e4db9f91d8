"""Brief and alerts benchmark: time to build a brief, render it (Markdown, HTML, PDF), and
evaluate the alerts, on the core benchmark's synthetic agreement and ledgers (SQLite).

    python benchmarks/bench_brief.py                 # 10^4 and 10^5 events
    python benchmarks/bench_brief.py --sizes 10000   # the CI smoke size

The brief evaluates the agreement at --as-of and at --since, and each owed or charted
provision's history; the figures say what that costs as the ledger grows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from bench_core import agreement_yaml, synthetic_rows  # noqa: E402


def run(n: int) -> tuple[int, float, float, float, float, float, float, int]:
    from ceasefire import Engine, Ledger
    from ceasefire.alerts import evaluate_alerts
    from ceasefire.brief import build_brief, render_html, render_markdown, render_pdf

    ledger = Ledger(f"sqlite:///{tempfile.mkdtemp()}/bench.db", load_bundled=False)
    ledger.add_agreement(agreement_yaml(), "bench.yaml")
    rows = synthetic_rows(n)
    for i in range(0, len(rows), 50_000):
        ledger.append(ledger.prepare(rows[i:i + 50_000], recorded_by="bench",
                                     agreement="bench"))
    as_of = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    engine = Engine(ledger)
    t0 = time.perf_counter()
    b = build_brief(engine, "bench", as_of=as_of)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_markdown(b)
    md = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_html(b)
    html = time.perf_counter() - t0
    t0 = time.perf_counter()
    pdf = render_pdf(b)
    pdf_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    evaluate_alerts(engine, "bench", as_of=as_of)
    alerts = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return len(rows), build, md, html, pdf_s, alerts, peak, len(pdf)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    table = Table(title="brief and alerts (SQLite, warm engine)")
    for col in ("events", "build brief s", "markdown s", "html s", "pdf s", "alerts s",
                "peak MB", "pdf bytes"):
        table.add_column(col, justify="right")
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("benchmark", total=len(sizes))
        for n in sizes:
            events, build, md, html, pdf, alerts, peak, size = run(n)
            table.add_row(f"{events:,}", f"{build:.2f}", f"{md:.3f}", f"{html:.3f}",
                          f"{pdf:.2f}", f"{alerts:.2f}", f"{peak:.0f}", f"{size:,}")
            bar.advance(task)
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
