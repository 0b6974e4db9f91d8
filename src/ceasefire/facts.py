"""The ledger as the engine reads it: a snapshot that grows, and bitemporal views of it.

Most entries are plain counts (a handover of 45 bodies, a day's truck count). Those are
kept as numpy columns per *stream* (same type, parties, category, measure, facility), so a
million of them sum in milliseconds and a new append is folded in without a rescan. The few
entries that must be read whole — identifications, corrections, confirmations, facility
states, milestones, and reports that point at another entry — are kept as objects.

A :class:`View` fixes two dates: ``as_of`` (the world on that date: facts whose valid time
ended by then) and ``known_at`` (only entries recorded by then). Entries that comment on
others (corrections, retractions, verifications) are filtered by ``known_at`` only: a
retraction recorded later still tells us, now, that the event did not happen.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa

from .ledger import (
    FACT_TYPES,
    VERIFICATION_CODE,
    Entry,
    EntryType,
    Ledger,
    Verification,
)
from .storage import entries
from .times import interval, to_us

REPORTED = VERIFICATION_CODE[Verification.REPORTED]
CORROBORATED = VERIFICATION_CODE[Verification.CORROBORATED]
CONFIRMED = VERIFICATION_CODE[Verification.CONFIRMED]
DISPUTED = VERIFICATION_CODE[Verification.DISPUTED]
CODES = list(Verification)
#: Weakest first: how firmly a figure built on several entries is established.
STRENGTH = {DISPUTED: 0, REPORTED: 1, CORROBORATED: 2, CONFIRMED: 3}

STREAM_FIELDS = ("agreement", "type", "actor", "recipient", "category", "measure", "facility",
                 "provision", "kind")


@dataclass
class Stream:
    key: dict[str, str | None]
    cols: dict[str, np.ndarray] = field(default_factory=dict)
    pending: list[tuple[int, int, int, int, int, int]] = field(default_factory=list)

    def arrays(self) -> dict[str, np.ndarray]:
        if self.pending:
            new = np.array(self.pending, dtype=np.int64).reshape(-1, 6).T
            names = ("seq", "vfrom", "vto", "rec", "qty", "verif")
            added = dict(zip(names, new, strict=True))
            self.cols = ({k: np.concatenate([self.cols[k], added[k]]) for k in names}
                         if self.cols else added)
            self.pending = []
        return self.cols


@dataclass(frozen=True)
class Item:
    """One entry read whole, with its chain position."""

    seq: int
    entry: Entry


class Snapshot:
    """Everything the engine needs from a ledger, loaded once and extended on refresh."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.last_seq = 0
        self.streams: dict[str, Stream] = {}
        self.items: dict[str, Item] = {}          # entries read whole, by id
        self.details: dict[str, Item] = {}        # plain entries some other entry points at
        self.latest: dict[str, tuple[int, int, str]] = {}  # agreement -> (rec, seq, id)
        self.refresh()

    def refresh(self) -> int:
        """Fold in entries appended since the last refresh; returns how many."""
        q = (sa.select(entries.c.seq, entries.c.stream, entries.c.valid_from,
                       entries.c.valid_to, entries.c.recorded_at, entries.c.quantity,
                       entries.c.verification, entries.c.agreement, entries.c.id)
             .where(entries.c.seq > self.last_seq).order_by(entries.c.seq))
        whole: list[int] = []
        count = 0
        with self.ledger.engine.connect() as conn:
            result = conn.execute(q)
            while rows := result.fetchmany(50_000):
                count += len(rows)
                for seq, key, vfrom, vto, rec, qty, verif, agreement, eid in rows:
                    if key is None:
                        whole.append(seq)
                    else:
                        stream = self.streams.get(key)
                        if stream is None:
                            stream = self.streams[key] = Stream(
                                dict(zip(STREAM_FIELDS, (p or None for p in key.split("|")),
                                         strict=True)))
                        stream.pending.append((seq, vfrom, vto, rec, qty, verif))
                    prev = self.latest.get(agreement)
                    if prev is None or (rec, seq) > prev[:2]:
                        self.latest[agreement] = (rec, seq, eid)
                self.last_seq = rows[-1][0]
        for seq, entry in self.ledger.by_seq(whole).items():
            self.items[entry.id] = Item(seq, entry)
        targets = {i.entry.target for i in self.items.values() if i.entry.target}
        wanted = [t for t in targets if t not in self.items and t not in self.details]
        if wanted:
            with self.ledger.engine.connect() as conn:
                found = conn.execute(sa.select(entries.c.seq, entries.c.payload)
                                     .where(entries.c.id.in_(wanted))).all()
            for seq, payload in found:
                e = Entry.model_validate_json(payload)
                self.details[e.id] = Item(seq, e)
        return count

    def view(self, agreement: str, tz: dt.tzinfo, as_of: dt.datetime,
             known_at: dt.datetime) -> View:
        return View(self, agreement, tz, to_us(as_of), to_us(known_at))


@dataclass
class Rows:
    """Counted entries matching a query, sorted by the end of their valid time."""

    seq: np.ndarray
    vfrom: np.ndarray
    vto: np.ndarray
    rec: np.ndarray
    qty: np.ndarray
    verif: np.ndarray

    @classmethod
    def empty(cls) -> Rows:
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, z, z, z, z)

    def __len__(self) -> int:
        return len(self.seq)

    def where(self, mask: np.ndarray) -> Rows:
        return Rows(self.seq[mask], self.vfrom[mask], self.vto[mask], self.rec[mask],
                    self.qty[mask], self.verif[mask])

    def total(self) -> int:
        return int(self.qty.sum())

    def weakest(self) -> int | None:
        if not len(self):
            return None
        return min((int(v) for v in np.unique(self.verif)), key=lambda c: STRENGTH.get(c, 1))


class View:
    """The ledger at one (as_of, known_at) for one agreement."""

    def __init__(self, snap: Snapshot, agreement: str, tz: dt.tzinfo, as_of: int,
                 known_at: int) -> None:
        self.snap, self.agreement, self.tz = snap, agreement, tz
        self.as_of, self.known_at = as_of, known_at
        known = sorted((i for i in snap.items.values()
                        if i.entry.agreement == agreement
                        and to_us(i.entry.recorded_at) <= known_at),
                       key=lambda i: (i.entry.recorded_at, i.entry.id))
        self.retracted: set[str] = set()
        self.overrides: dict[str, tuple[int, Entry]] = {}
        self.extra_sources: dict[str, list[Any]] = defaultdict(list)
        self.reports: dict[str, list[Item]] = defaultdict(list)
        self.identifications: dict[str, list[Item]] = defaultdict(list)
        corrections: dict[str, list[Item]] = defaultdict(list)
        for item in known:
            e = item.entry
            if e.type == EntryType.RETRACTION and e.target:
                self.retracted.add(e.target)
            elif e.type == EntryType.VERIFICATION and e.target:
                state = Verification(e.state or Verification.REPORTED)
                self.overrides[e.target] = (VERIFICATION_CODE[state], e)
            elif e.type == EntryType.SOURCE and e.target:
                self.extra_sources[e.target].extend(e.sources)
        for item in known:
            e = item.entry
            if item.entry.id in self.retracted:
                continue
            if e.type == EntryType.CORRECTION and e.target:
                corrections[self._root(e.target)].append(item)
            elif e.type == EntryType.IDENTIFICATION and e.target:
                self.identifications[e.target].append(item)
            elif e.type in FACT_TYPES and e.target:
                self.reports[e.target].append(item)
        # Effective versions of corrected entries replace the originals.
        self.corrected: dict[str, Item] = {}
        for root, fixes in corrections.items():
            base = self._lookup(root)
            if base is None or root in self.retracted:
                continue
            self.corrected[root] = Item(base.seq, _apply_changes(base.entry, fixes, tz))
        self.commented = set(self.overrides) | set(self.reports) | set(self.extra_sources)
        # Entries that do not count on their own.
        self.hidden_ids = self.retracted | set(self.corrected) | {
            i.entry.id for items in self.reports.values() for i in items}
        self.hidden_seqs = np.array(sorted(
            it.seq for eid in self.hidden_ids if (it := self._lookup(eid)) is not None),
            dtype=np.int64)
        # Entries read whole that stand for events, in their effective version.
        self.facts: list[Item] = []
        for item in known:
            e = item.entry
            if e.type in FACT_TYPES and not e.target and e.id not in self.hidden_ids:
                self.facts.append(item)
        for fixed in self.corrected.values():
            if fixed.entry.target is None or fixed.entry.type not in FACT_TYPES:
                self.facts.append(fixed)
        for eid, idents in list(self.identifications.items()):
            kept = [self.corrected.get(i.entry.id, i) for i in idents
                    if i.entry.id not in self.retracted]
            self.identifications[eid] = [i for i in kept if self.in_time(i.entry)]

    # -- helpers ------------------------------------------------------------------------
    def _lookup(self, eid: str) -> Item | None:
        return self.snap.items.get(eid) or self.snap.details.get(eid)

    def _root(self, eid: str) -> str:
        seen = set()
        while True:
            item = self._lookup(eid)
            if item is None or item.entry.type != EntryType.CORRECTION or eid in seen:
                return eid
            seen.add(eid)
            eid = item.entry.target or eid

    def in_time(self, e: Entry) -> bool:
        return to_us(e.valid_to) <= self.as_of and to_us(e.recorded_at) <= self.known_at

    def verification(self, item: Item, declared: int | None = None) -> int:
        """How firmly one event is established, all comments on it considered."""
        e = item.entry
        code = VERIFICATION_CODE[e.verification] if declared is None else declared
        if e.id in self.overrides:
            return self.overrides[e.id][0]
        reports = self.reports.get(e.id, [])
        if any(r.entry.quantity != e.quantity or r.entry.state != e.state for r in reports):
            return DISPUTED
        publishers = e.publishers() | {s.publisher.strip().lower()
                                       for s in self.extra_sources.get(e.id, [])}
        for r in reports:
            publishers |= r.entry.publishers()
        if code == REPORTED and len(publishers) >= 2:
            return CORROBORATED
        return code

    def disagreements(self) -> list[tuple[Item, list[Item]]]:
        """Events whose reports give different numbers or states, with the reports."""
        out = []
        for eid, reports in self.reports.items():
            base = self.corrected.get(eid) or self._lookup(eid)
            if base is None or eid in self.retracted or not self.in_time(base.entry):
                continue
            if any(r.entry.quantity != base.entry.quantity or r.entry.state != base.entry.state
                   for r in reports):
                out.append((base, reports))
        return out

    # -- queries used by provision kinds -------------------------------------------------
    def counted(self, type: str, **match: str | None) -> Rows:
        """Counted entries of a type matching the given fields, effective and in time.

        ``provision`` matches entries linked to that provision or to none; a field given as
        ``""`` matches only entries where it is empty.
        """
        parts = []
        for stream in self.snap.streams.values():
            key = stream.key
            if key["agreement"] != self.agreement or key["type"] != type:
                continue
            if not _matches(key, match):
                continue
            cols = stream.arrays()
            mask = (cols["vto"] <= self.as_of) & (cols["rec"] <= self.known_at)
            if len(self.hidden_seqs):
                mask &= ~np.isin(cols["seq"], self.hidden_seqs)
            if mask.any():
                parts.append({k: v[mask] for k, v in cols.items()})
        extra = [i for i in self.facts if i.entry.type == type and i.entry.quantity is not None
                 and _matches(_key_of(i.entry), match) and self.in_time(i.entry)]
        if extra:
            parts.append({
                "seq": np.array([i.seq for i in extra], dtype=np.int64),
                "vfrom": np.array([to_us(i.entry.valid_from) for i in extra], dtype=np.int64),
                "vto": np.array([to_us(i.entry.valid_to) for i in extra], dtype=np.int64),
                "rec": np.array([to_us(i.entry.recorded_at) for i in extra], dtype=np.int64),
                "qty": np.array([i.entry.quantity or 0 for i in extra], dtype=np.int64),
                "verif": np.array([self.verification(i) for i in extra], dtype=np.int64),
            })
        if not parts:
            return Rows.empty()
        cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        # Plain entries that others comment on get their verification recomputed.
        if self.commented:
            codes = {item.seq: self.verification(item) for eid in self.commented
                     if eid not in self.hidden_ids and (item := self.snap.details.get(eid))}
            if codes:
                hit = np.nonzero(np.isin(cols["seq"], np.fromiter(codes, dtype=np.int64)))[0]
                for i in hit:
                    cols["verif"][i] = codes[int(cols["seq"][i])]
        order = np.argsort(cols["vto"], kind="stable")
        return Rows(**{k: v[order] for k, v in cols.items()})

    def items(self, type: str, **match: str | None) -> list[Item]:
        """Whole entries of a type (facility states, milestones ...), in valid-time order."""
        found = [i for i in self.facts if i.entry.type == type and self.in_time(i.entry)
                 and _matches(_key_of(i.entry), match)]
        if type in {t.value for t in (EntryType.TRANSFER, EntryType.FLOW,
                                      EntryType.DEPLOYMENT, EntryType.INCIDENT)}:
            rows = self.counted(type, **match)
            whole = {i.seq for i in found}
            seqs = [int(s) for s in rows.seq if int(s) not in whole]
            fetched = self.snap.ledger.by_seq(seqs) if seqs else {}
            found += [Item(s, e) for s, e in fetched.items()]
        return sorted(found, key=lambda i: (i.entry.valid_from, i.entry.recorded_at,
                                            i.entry.id))

    def identifications_by_seq(self) -> dict[int, list[Item]]:
        out: dict[int, list[Item]] = {}
        for eid, idents in self.identifications.items():
            target = self._lookup(eid)
            if target is not None and idents:
                out[target.seq] = idents
        return out

    def latest(self) -> tuple[int, int, str] | None:
        return self.snap.latest.get(self.agreement)

    def local_days(self, us: np.ndarray) -> np.ndarray:
        """Local calendar day numbers (days since epoch in the agreement's zone)."""
        if not len(us):
            return us
        hours = us // 3_600_000_000
        uniq, inverse = np.unique(hours, return_inverse=True)
        offsets = np.array([
            int(dt.datetime.fromtimestamp(int(h) * 3600, dt.UTC).astimezone(self.tz)
                .utcoffset().total_seconds()) * 1_000_000  # type: ignore[union-attr]
            for h in uniq], dtype=np.int64)
        return (us + offsets[inverse]) // 86_400_000_000


def _key_of(e: Entry) -> dict[str, str | None]:
    return {f: (getattr(e, f).value if f == "type" else getattr(e, f)) for f in STREAM_FIELDS}


def _matches(key: dict[str, str | None], match: dict[str, str | None]) -> bool:
    for name, want in match.items():
        if want is None:
            continue
        have = key.get(name)
        if want == "":  # explicitly "none"
            if have is not None:
                return False
        elif name == "provision":
            if have not in (None, want):
                return False
        elif have != want:
            return False
    return True


def _apply_changes(base: Entry, fixes: list[Item], tz: dt.tzinfo) -> Entry:
    data = base.model_dump()
    for fix in fixes:
        changes = dict(fix.entry.changes)
        if "at" in changes or "until" in changes or "precision" in changes:
            start, end, prec = interval(str(changes.pop("at", base.valid_from.isoformat())), tz,
                                        changes.pop("precision", None))
            if "until" in changes:
                end = interval(str(changes.pop("until")), tz)[1]
            data.update(valid_from=start.astimezone(dt.UTC), valid_to=end.astimezone(dt.UTC),
                        precision=prec)
        data.update(changes)
        data["sources"] = list(data.get("sources", [])) + [
            s.model_dump() for s in fix.entry.sources]
    return Entry.model_validate(data)
