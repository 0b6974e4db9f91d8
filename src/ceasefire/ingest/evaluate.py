"""Scoring an extractor on labelled sentences, so anyone can measure it on their own set.

A labelled set is YAML: a list of ``{text, date, expect: [...], context?, split?,
agreement?}``, where ``agreement`` is an agreement file (relative to the set's file) the
item is read against instead of the one the caller passes, so one set can hold sentences
about several agreements. Each
expected candidate names ``type`` and, where the text says or implies them, ``actor``,
``recipient``, ``quantity`` and ``modality`` (the core fields; missing means "none"), and
optionally ``category``, ``precision``, ``facility``, ``state``, ``date``, ``date_end`` (the
last day of a range), ``measure`` (scored
only where given). A candidate counts as right only when all its core fields are right.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..agreement import Agreement, parse_agreement
from .grammar import grammar_for
from .model import Candidate, Document, Unread

CORE = ("type", "actor", "recipient", "quantity", "modality")
EXTRA = ("category", "precision", "facility", "state", "date", "date_end", "measure")


@dataclass
class Item:
    text: str
    date: dt.date | None
    expect: list[dict[str, Any]]
    context: str = ""
    split: str = "dev"
    origin: str = "written"
    #: the agreement this item is about, where it is not the caller's
    agreement: Agreement | None = None


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    #: expected candidates, and those in a sentence the reviewer is shown: one with a
    #: candidate, or one listed as passed over (``model.Unread``)
    events: int = 0
    shown: int = 0

    def prf(self, name: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[name], self.fp[name], self.fn[name]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def load(path: Path) -> list[Item]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    agreements: dict[str, Agreement] = {}
    for r in raw:
        name = r.get("agreement")
        if name and name not in agreements:
            file = path.parent / name
            agreements[name] = parse_agreement(file.read_text(encoding="utf-8"), str(file))
    return [Item(text=r["text"], date=r.get("date"), expect=r.get("expect") or [],
                 context=r.get("context", ""), split=r.get("split", "dev"),
                 origin=r.get("origin", "written"),
                 agreement=agreements.get(r.get("agreement") or "")) for r in raw]


def predict(item: Item, agreement: Agreement, model: str | None = None) -> list[Candidate]:
    return read_item(item, agreement, model)[0]


def read_item(item: Item, agreement: Agreement, model: str | None = None
              ) -> tuple[list[Candidate], list[Unread]]:
    """The candidates of the item's sentence, and the sentence if it was passed over (the
    context before it is read, for "it" and "the crossing", but yields nothing)."""
    agreement = item.agreement or agreement
    text = f"{item.context}\n{item.text}" if item.context else item.text
    offset = len(item.context) + 1 if item.context else 0
    found, passed = grammar_for(agreement, model).read(Document(name="eval", text=text),
                                                       item.date)
    return [c for c in found if c.start >= offset], [u for u in passed if u.start >= offset]


def _value(c: Candidate | dict[str, Any], name: str) -> Any:
    v = c.get(name) if isinstance(c, dict) else getattr(c, name)
    if isinstance(v, dt.date):
        return v.isoformat()
    return getattr(v, "value", v)


def score(items: list[Item], agreement: Agreement, model: str | None = None) -> Score:
    s = Score()
    for item in items:
        pred, passed = read_item(item, agreement, model)
        s.events += len(item.expect)
        s.shown += len(item.expect) if pred or passed else 0
        gold = [dict(g) | {"modality": g.get("modality", "occurred")} for g in item.expect]
        pairs = _align(pred, gold)
        matched_p = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        for i, j in pairs:
            p, g = pred[i], gold[j]
            ok = True
            for f in CORE:
                pv, gv = _value(p, f), _value(g, f)
                if pv == gv:
                    if gv is not None:
                        s.tp[f] += 1
                else:
                    ok = False
                    if pv is not None:
                        s.fp[f] += 1
                    if gv is not None:
                        s.fn[f] += 1
            for f in EXTRA:
                if f in g:
                    if _value(p, f) == _value(g, f):
                        s.tp[f] += 1
                    else:
                        s.fp[f] += _value(p, f) is not None
                        s.fn[f] += 1
            if ok:
                s.tp["overall"] += 1
            else:
                s.fp["overall"] += 1
                s.fn["overall"] += 1
                s.errors.append(f"{item.text}\n   got  {_brief(p)}\n   want {g}")
        for i, p in enumerate(pred):
            if i not in matched_p:
                s.fp["overall"] += 1
                for f in CORE:
                    s.fp[f] += _value(p, f) is not None
                s.errors.append(f"{item.text}\n   extra {_brief(p)}")
        for j, g in enumerate(gold):
            if j not in matched_g:
                s.fn["overall"] += 1
                for f in CORE:
                    s.fn[f] += _value(g, f) is not None
                for f in EXTRA:
                    s.fn[f] += f in g
                s.errors.append(f"{item.text}\n   missed {g}")
    return s


def _brief(c: Candidate) -> dict[str, Any]:
    return {f: _value(c, f) for f in (*CORE, *EXTRA) if _value(c, f) is not None}


def _align(pred: list[Candidate], gold: list[dict[str, Any]]) -> list[tuple[int, int]]:
    scored = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if _value(p, "type") != g.get("type"):
                continue
            agree = sum(_value(p, f) == _value(g, f) for f in CORE)
            scored.append((-agree, i, j))
    pairs, used_p, used_g = [], set(), set()
    for _, i, j in sorted(scored):
        if i not in used_p and j not in used_g:
            pairs.append((i, j))
            used_p.add(i)
            used_g.add(j)
    return pairs
