"""Web benchmark: latency of the agreement page and the JSON status under 50 concurrent
clients on loopback.

Builds a synthetic ledger of N events (the core benchmark's agreement and events), starts
`ceasefire serve` on a free loopback port in its own process, and runs a bounded load
generator (httpx, asyncio): C clients, each sending requests back to back until R requests
per target have been answered. Prints p50 / p99 / max latency and throughput per target.

    python benchmarks/bench_web.py                      # 10^5 events, SQLite
    python benchmarks/bench_web.py --sizes 1000         # the CI smoke size
    python benchmarks/bench_web.py --backends sqlite,postgres
    python benchmarks/bench_web.py --tool wrk           # the load from wrk instead of httpx

Target (issue #3): p99 <= 100 ms for the JSON status at 10^5 events, 50 clients. The
clients and the server share the machine's cores, so the table also gives the time spent
inside the server (its ``Server-Timing`` header), apart from queueing and the clients' own
work.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from bench_core import agreement_yaml, scratch_database, synthetic_rows  # noqa: E402

AS_OF = "2026-01-01"
TARGET_P99_MS = 100.0


def build(url: str, n: int, console: Console) -> int:
    from ceasefire import Ledger

    ledger = Ledger(url, load_bundled=False)
    ledger.add_agreement(agreement_yaml(), "bench.yaml")
    rows = synthetic_rows(n)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"building a ledger of {len(rows):,} events", total=len(rows))
        for i in range(0, len(rows), 50_000):
            part = rows[i:i + 50_000]
            ledger.append(ledger.prepare(part, recorded_by="bench", agreement="bench"))
            bar.advance(task, len(part))
    ledger.engine.dispose()
    return len(rows)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CEASEFIRE_DATABASE_URL=url)
    proc = subprocess.Popen([sys.executable, "-m", "ceasefire", "serve", "--port", str(port),
                             "--workers", str(workers), "--no-access-log"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + (proc.stderr.read() or b"").decode()[-2000:]
                               if proc.stderr else "server exited")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start within 120 s")


async def load(base: str, path: str, clients: int,
               requests: int) -> tuple[list[float], list[float], int, float]:
    """``clients`` concurrent clients until ``requests`` answers: latencies in ms as the
    clients saw them and as the server reports them (``Server-Timing``), errors, and the
    seconds the measured part took.

    Each client has its own connection (an httpx client of its own: one shared pool of 50
    connections costs the generator more CPU than the server spends answering), opened
    and used once before the clock starts, so the figures are the server's, not the
    generator's start-up.
    """
    latencies: list[float] = []
    server: list[float] = []
    errors = 0
    remaining = requests
    headers = {"Accept-Encoding": "gzip"}
    pool = [httpx.AsyncClient(base_url=base, timeout=30, headers=headers)
            for _ in range(clients)]
    try:
        await asyncio.gather(*(c.get(path) for c in pool))

        async def worker(client: httpx.AsyncClient) -> None:
            nonlocal remaining, errors
            while remaining > 0:
                remaining -= 1
                t0 = time.perf_counter()
                try:
                    # to the last byte, as sent (gzip): decoding is the client's business
                    async with client.stream("GET", path) as r:
                        async for _ in r.aiter_raw():
                            pass
                    ok = r.status_code == 200
                    timing = r.headers.get("server-timing", "")
                    if "dur=" in timing:
                        server.append(float(timing.split("dur=", 1)[1].split(",")[0]))
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += not ok

        t0 = time.perf_counter()
        await asyncio.gather(*(worker(c) for c in pool))
        wall = time.perf_counter() - t0
    finally:
        await asyncio.gather(*(c.aclose() for c in pool))
    return latencies, server, errors, wall


def _load_process(args: tuple[str, str, int, int]) -> tuple[list[float], list[float], int, float]:
    return asyncio.run(load(*args))


def spread_load(base: str, path: str, clients: int, requests: int,
                processes: int) -> tuple[list[float], list[float], int, float]:
    """The same bounded load from several generator processes (clients split among them),
    so that one Python process's speed at sending requests does not cap what is measured."""
    if processes <= 1:
        return asyncio.run(load(base, path, clients, requests))
    shares = [(base, path, clients // processes + (i < clients % processes),
               requests // processes + (i < requests % processes)) for i in range(processes)]
    with mp.get_context("spawn").Pool(processes) as pool:
        parts = pool.map(_load_process, shares)
    return ([x for p in parts for x in p[0]], [x for p in parts for x in p[1]],
            sum(p[2] for p in parts), max(p[3] for p in parts))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number = text.rstrip("usm")
    return float(number) * _UNITS[text[len(number):]]


def wrk_load(base: str, path: str, clients: int, requests: int) -> tuple[
        int, float, float, float, float, int]:
    """The same load from `wrk` (C, Debian's package): the clients cost the shared cores
    almost nothing, so the figures are the server's. Bounded by time: long enough for
    ``requests`` at 500/s, at least 5 s. Sends ``Accept-Encoding: gzip`` as browsers and
    httpx do. Returns (requests, p50, p99, max ms, req/s, errors)."""
    seconds = max(5, requests // 500)
    out = subprocess.run(
        ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds}s", "--latency",
         "-H", "Accept-Encoding: gzip", base + path],
        capture_output=True, text=True, check=True).stdout
    found = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    latency_max = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", out, re.M)
    count = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                     out)
    if not (found and latency_max and count and rps):
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, sock.groups())) if sock else 0)
    return (int(count.group(1)), _ms(found["50"]), _ms(found["99"]),
            _ms(latency_max.group(1)), float(rps.group(1)), errors)


def run_one(backend: str, n: int, clients: int, requests: int, console: Console,
            workers: int = 1, generators: int = 1, tool: str = "httpx") -> list[tuple]:
    with scratch_database(backend, "benchweb") as url:
        return _run_one(url, backend, n, clients, requests, console, workers, generators,
                        tool)


def _run_one(url: str, backend: str, n: int, clients: int, requests: int, console: Console,
             workers: int, generators: int, tool: str) -> list[tuple]:
    rows: list[tuple] = []
    server = None
    try:
        events = build(url, n, console)
        port = free_port()
        server = start_server(url, port, workers)
        base = f"http://127.0.0.1:{port}"
        moment = f"as_of={AS_OF}&known_at={AS_OF}"  # a shared link to one moment
        targets = {"agreement page": f"/agreements/bench?{moment}",
                   "JSON status": f"/api/agreements/bench/status?{moment}"}
        for name, path in targets.items():
            t0 = time.perf_counter()
            first = httpx.get(base + path, timeout=600)
            cold_ms = (time.perf_counter() - t0) * 1000
            if first.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {first.status_code} {first.text[:200]}")
            for _ in range(workers * 4):  # every worker process computes its cache once
                httpx.get(base + path, timeout=600)
            if tool == "wrk":
                count, p50, p99, mx, rps, errors = wrk_load(base, path, clients, requests)
                rows.append((backend, events, name, clients, count, cold_ms, p50, p99, mx, rps,
                             errors, float("nan"), float("nan")))
                continue
            lat, srv, errors, wall = spread_load(base, path, clients, requests, generators)
            rows.append((backend, events, name, clients, len(lat), cold_ms,
                         statistics.median(lat), pct(lat, 99), max(lat), len(lat) / wall,
                         errors, pct(srv, 50) if srv else float("nan"),
                         pct(srv, 99) if srv else float("nan")))
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="Ledger sizes, comma-separated.")
    parser.add_argument("--backends", default="sqlite", help="sqlite and/or postgres.")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000,
                        help="Requests per target (the load is bounded by this).")
    parser.add_argument("--workers", type=int, default=1, help="Server processes.")
    parser.add_argument("--generators", type=int, default=1,
                        help="Load-generator processes the clients are spread over.")
    parser.add_argument("--tool", choices=("httpx", "wrk"), default="httpx",
                        help="Load generator: httpx (Python, also times the server inside) "
                             "or wrk (C; apt-get install wrk), whose clients leave the "
                             "cores to the server.")
    args = parser.parse_args()
    console = Console(width=180)
    clients = (f"{args.generators} httpx generator process(es)" if args.tool == "httpx"
               else "wrk")
    table = Table(title=f"ceasefire web benchmark (loopback, {args.clients} clients from "
                        f"{clients}, {args.workers} server process(es))")
    for col in ("backend", "events", "target", "clients", "requests", "first ms", "p50 ms",
                "p99 ms", "max ms", "req/s", "errors", "server p50 ms", "server p99 ms"):
        table.add_column(col, justify="right")
    failed = False
    verdicts = []
    for backend in args.backends.split(","):
        for n in (int(s) for s in args.sizes.split(",")):
            try:
                results = run_one(backend, n, args.clients, args.requests, console,
                                  args.workers, args.generators, args.tool)
            except Exception as exc:  # report and go on with the other sizes
                console.print(f"[red]{backend} {n} failed: {exc}[/red]")
                failed = True
                continue
            for (b, events, name, c, count, cold, p50, p99, mx, rps, errors, s50,
                 s99) in results:
                table.add_row(b, f"{events:,}", name, str(c), f"{count:,}", f"{cold:.0f}",
                              f"{p50:.1f}", f"{p99:.1f}", f"{mx:.1f}", f"{rps:,.0f}",
                              str(errors), *(f"{v:.2f}" if v == v else "—" for v in (s50, s99)))
                failed |= errors > 0
                if name == "JSON status":
                    inside = "" if s99 != s99 else f" ({s99:.2f} ms inside the server)"
                    verdicts.append(f"{b} {events:,}: JSON status p99 {p99:.1f} ms as the "
                                    f"clients ({args.tool}) saw it{inside} — "
                                    f"target ≤ {TARGET_P99_MS:.0f} ms "
                                    + ("met" if p99 <= TARGET_P99_MS else "NOT met"))
    console.print(table)
    for v in verdicts:
        console.print(v)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
