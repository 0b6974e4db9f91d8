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
import gc
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import sqlalchemy as sa
from pydantic import TypeAdapter

from .ledger import (
    COUNTED_TYPES,
    FACT_TYPES,
    VERIFICATION_CODE,
    Entry,
    EntryType,
    Ledger,
    Verification,
    paused_gc,
)
from .storage import BLOCK_COLUMNS, decode_block, entries, read_blocks
from .times import interval, to_us

T = TypeVar("T")
REPORTED = VERIFICATION_CODE[Verification.REPORTED]
CORROBORATED = VERIFICATION_CODE[Verification.CORROBORATED]
CONFIRMED = VERIFICATION_CODE[Verification.CONFIRMED]
DISPUTED = VERIFICATION_CODE[Verification.DISPUTED]
CODES = list(Verification)
#: Weakest first: how firmly a figure built on several entries is established.
STRENGTH = {DISPUTED: 0, REPORTED: 1, CORROBORATED: 2, CONFIRMED: 3}

COUNTED = {t.value for t in COUNTED_TYPES}
STREAM_FIELDS = ("agreement", "type", "actor", "recipient", "category", "measure", "facility",
                 "provision", "kind")


COLUMNS = BLOCK_COLUMNS
_ENTRIES: TypeAdapter[list[Entry]] = TypeAdapter(list[Entry])
#: A refresh that read at least this many whole entries moves them out of the collector's
#: way (see ``Snapshot.refresh``).
FREEZE_AFTER = 10_000


def stream_key(key: str) -> dict[str, str | None]:
    """A stream's fields from its stored key (see ``Entry.stream``)."""
    return dict(zip(STREAM_FIELDS, (p or None for p in key.split("|")), strict=True))


@dataclass
class Stream:
    key: dict[str, str | None]
    cols: dict[str, np.ndarray] = field(default_factory=dict)
    chunks: list[dict[str, np.ndarray]] = field(default_factory=list)

    def arrays(self) -> dict[str, np.ndarray]:
        """The stream's columns, ordered by end of valid time (then seq), as queries want."""
        if self.chunks:
            parts = ([self.cols] if self.cols else []) + self.chunks
            cols = {k: np.concatenate([p[k] for p in parts]) for k in COLUMNS}
            order = np.lexsort((cols["seq"], cols["vto"]))
            self.cols = {k: v[order] for k, v in cols.items()}
            self.chunks = []
        return self.cols


class Item:
    """One entry read whole, with its chain position and its times as integers.

    The integer times and the stream-style key are computed once, because views test
    them for every whole entry on every status.
    """

    __slots__ = ("entry", "key", "rec", "seq", "vfrom", "vto")

    def __init__(self, seq: int, entry: Entry,
                 times: tuple[int, int, int] | None = None) -> None:
        self.seq, self.entry = seq, entry
        # ``times``: valid from, valid to and recorded, as the ledger stores them (µs)
        self.vfrom, self.vto, self.rec = times or (
            to_us(entry.valid_from), to_us(entry.valid_to), to_us(entry.recorded_at))
        self.key = _key_of(entry)

    def __repr__(self) -> str:
        return f"Item({self.seq}, {self.entry.id!r})"


#: The columns an entry read whole is loaded from: its payload and its times, which the
#: ledger stores as integers already (no conversion per entry).
WHOLE_COLUMNS = (entries.c.seq, entries.c.payload, entries.c.valid_from, entries.c.valid_to,
                 entries.c.recorded_at)


def _items(rows: Sequence[tuple[int, str, int, int, int]]) -> list[Item]:
    """Stored entries (``WHOLE_COLUMNS``) parsed in one call: a per-entry call cost twice
    as much, with the collector running through the new objects again and again."""
    if not rows:
        return []
    with paused_gc():
        parsed = _ENTRIES.validate_json("[" + ",".join(r[1] for r in rows) + "]")
        return [Item(r[0], e, (r[2], r[3], r[4])) for r, e in zip(rows, parsed, strict=True)]


class Snapshot:
    """Everything the engine needs from a ledger, loaded once and extended on refresh."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.last_seq = 0
        self.streams: dict[str, Stream] = {}
        self.items: dict[str, Item] = {}          # entries read whole, by id
        self.details: dict[str, Item] = {}        # plain entries some other entry points at
        # What views derive from the whole entries, per agreement, shared by every view
        # that knows the same entries; dropped only when whole entries arrive (a plain
        # count appended does not touch it, so the next status stays cheap).
        self._timeline: dict[str, tuple[list[Item], np.ndarray]] = {}
        self._known: dict[tuple[str, int], Known] = {}
        self.refresh()

    def refresh(self) -> int:
        """Fold in entries appended since the last refresh; returns how many.

        Counted entries come from their stream blocks (a few hundred binary columns for a
        million entries: no row-by-row read); entries read whole come from the ledger.
        Everything is read up to the head seen first, so an append landing meanwhile is
        left whole for the next refresh (a block never straddles two appends).
        """
        since = self.last_seq
        with self.ledger.engine.connect() as conn:
            head = conn.execute(sa.select(sa.func.max(entries.c.seq))).scalar() or 0
            if head <= since:
                return 0
            for key, rows, data in read_blocks(conn, since, head):
                cols = decode_block(data, rows)
                stream = self.streams.get(key)
                if stream is None:
                    stream = self.streams[key] = Stream(stream_key(key))
                stream.chunks.append(dict(zip(COLUMNS, cols, strict=True)))
            whole = conn.execute(
                sa.select(*WHOLE_COLUMNS)
                .where(entries.c.stream.is_(None), entries.c.seq > since,
                       entries.c.seq <= head)).all()
        self.last_seq = head
        if whole:
            self.add_whole(whole)
        if len(whole) >= FREEZE_AFTER:
            # The entries just read live as long as the engine. Left to the cyclic
            # collector, each of its full passes would walk them all again (200 ms at a
            # million entries, landing on some later status at random); frozen, they are
            # skipped. Reference counting still frees them when the engine goes.
            gc.freeze()
        return head - since

    def add_whole(self, rows: Sequence[tuple[int, str, int, int, int]]) -> None:
        """Take entries read whole (``WHOLE_COLUMNS``), and read the plain entries they
        point at."""
        for item in _items(rows):
            self.items[item.entry.id] = item
        seqs = [r[0] for r in rows]
        pointed = (sa.select(entries.c.target)
                   .where(entries.c.stream.is_(None), entries.c.target.is_not(None),
                          entries.c.seq >= min(seqs), entries.c.seq <= max(seqs))
                   .scalar_subquery())
        with self.ledger.engine.connect() as conn:  # one query, however many they point at
            found = conn.execute(sa.select(*WHOLE_COLUMNS).where(
                entries.c.stream.is_not(None), entries.c.id.in_(pointed))).all()
        for item in _items(found):
            self.details[item.entry.id] = item
        self._timeline.clear()
        self._known.clear()

    def timeline(self, agreement: str) -> tuple[list[Item], np.ndarray]:
        """An agreement's whole entries in recording order, and their recorded times."""
        if agreement not in self._timeline:
            with paused_gc():
                ordered = sorted((i for i in self.items.values()
                                  if i.entry.agreement == agreement),
                                 key=lambda i: (i.rec, i.entry.id))
            self._timeline[agreement] = (ordered,
                                         np.array([i.rec for i in ordered], dtype=np.int64))
        return self._timeline[agreement]

    def known(self, agreement: str, tz: dt.tzinfo, known_at: int) -> Known:
        """What the whole entries recorded by ``known_at`` say, computed once per set.

        The set of entries recorded by a moment only grows with the moment, so its size
        identifies it: every ``known_at`` that admits the same number of entries shares
        one :class:`Known`.
        """
        ordered, recs = self.timeline(agreement)
        n = int(np.searchsorted(recs, known_at, side="right"))
        found = self._known.get((agreement, n))
        if found is None:
            with paused_gc():  # thousands of small objects, none of them cyclic garbage
                found = self._known[(agreement, n)] = Known(self, ordered[:n], tz)
        return found

    def view(self, agreement: str, tz: dt.tzinfo, as_of: dt.datetime,
             known_at: dt.datetime) -> View:
        return View(self, agreement, tz, to_us(as_of), to_us(known_at))


class Known:
    """Supersessions, comments and reports among the whole entries known at one moment."""

    def __init__(self, snap: Snapshot, known: list[Item], tz: dt.tzinfo) -> None:
        self.snap = snap
        self.retracted: set[str] = set()
        self.overrides: dict[str, tuple[int, Entry]] = {}
        self.extra_sources: dict[str, list[Any]] = defaultdict(list)
        self.reports: dict[str, list[Item]] = defaultdict(list)
        self.identifications: dict[str, list[Item]] = defaultdict(list)
        corrections: dict[str, list[Item]] = defaultdict(list)
        pointing = [i for i in known if i.entry.target]  # comments, reports, corrections
        for item in pointing:
            e, target = item.entry, item.entry.target or ""
            if e.type == EntryType.RETRACTION:
                self.retracted.add(target)
            elif e.type == EntryType.VERIFICATION:
                state = Verification(e.state or Verification.REPORTED)
                self.overrides[target] = (VERIFICATION_CODE[state], e)
            elif e.type == EntryType.SOURCE:
                self.extra_sources[target].extend(e.sources)
        for item in pointing:
            e, target = item.entry, item.entry.target or ""
            if e.id in self.retracted:
                continue
            if e.type == EntryType.CORRECTION:
                corrections[self.root(target)].append(item)
            elif e.type == EntryType.IDENTIFICATION:
                self.identifications[target].append(item)
            elif e.type in FACT_TYPES:
                self.reports[target].append(item)
        # Effective versions of corrected entries replace the originals.
        self.corrected: dict[str, Item] = {}
        for root, fixes in corrections.items():
            base = self.lookup(root)
            if base is None or root in self.retracted:
                continue
            self.corrected[root] = Item(base.seq, apply_changes(base.entry, fixes, tz))
        self.commented = set(self.overrides) | set(self.reports) | set(self.extra_sources)
        # Entries that do not count on their own.
        self.hidden_ids = self.retracted | set(self.corrected) | {
            i.entry.id for items in self.reports.values() for i in items}
        self.hidden_seqs = np.array(sorted(
            it.seq for eid in self.hidden_ids if (it := self.lookup(eid)) is not None),
            dtype=np.int64)
        # Entries read whole that stand for events, in their effective version, by type.
        self.facts: dict[str, list[Item]] = defaultdict(list)
        for item in known:
            e = item.entry
            if e.type in FACT_TYPES and not e.target and e.id not in self.hidden_ids:
                self.facts[e.type.value].append(item)
        for fixed in self.corrected.values():
            if fixed.entry.target is None or fixed.entry.type not in FACT_TYPES:
                self.facts[fixed.entry.type.value].append(fixed)
        #: Facts that cite a reason (a party holding something back), the few
        #: ``withholding`` looks at.
        self.reasoned = [i for items in self.facts.values() for i in items if i.entry.reason]
        #: The same facts grouped by their fields, so a query tests each distinct
        #: combination once instead of every entry (thousands of facility states).
        self.groups: dict[str, list[tuple[dict[str, str | None], list[Item]]]] = {}
        for type_, items in self.facts.items():
            grouped: dict[tuple[str | None, ...], list[Item]] = defaultdict(list)
            for i in items:
                grouped[tuple(i.key.values())].append(i)
            self.groups[type_] = [(its[0].key, sorted(its, key=_valid_order))
                                  for its in grouped.values()]
        for eid, idents in list(self.identifications.items()):
            self.identifications[eid] = [self.corrected.get(i.entry.id, i) for i in idents
                                         if i.entry.id not in self.retracted]
        # Plain entries others comment on: their verification, all comments considered.
        self.detail_codes = {d.seq: self.verification(d) for eid in self.commented
                             if eid not in self.hidden_ids
                             and (d := snap.details.get(eid)) is not None}
        self.detail_seqs = np.fromiter(self.detail_codes, dtype=np.int64)
        #: Results derived from these entries and a few more arguments, reused by later
        #: views (see ``View.memo``).
        self.memo: dict[tuple[Any, ...], Any] = {}
        self.times = (np.array([i.rec for i in known], dtype=np.int64),
                      np.array([i.vto for i in known], dtype=np.int64),
                      np.array([i.seq for i in known], dtype=np.int64))

    def lookup(self, eid: str) -> Item | None:
        return self.snap.items.get(eid) or self.snap.details.get(eid)

    def root(self, eid: str) -> str:
        seen = set()
        while True:
            item = self.lookup(eid)
            if item is None or item.entry.type != EntryType.CORRECTION or eid in seen:
                return eid
            seen.add(eid)
            eid = item.entry.target or eid

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
        present = np.flatnonzero(np.bincount(self.verif))  # codes are small integers
        return min((int(v) for v in present), key=lambda c: STRENGTH.get(c, 1))


class View:
    """The ledger at one (as_of, known_at) for one agreement."""

    def __init__(self, snap: Snapshot, agreement: str, tz: dt.tzinfo, as_of: int,
                 known_at: int) -> None:
        self.snap, self.agreement, self.tz = snap, agreement, tz
        self.as_of, self.known_at = as_of, known_at
        self.known = k = snap.known(agreement, tz, known_at)
        self.retracted, self.overrides, self.reports = k.retracted, k.overrides, k.reports
        self.extra_sources = k.extra_sources
        self.corrected, self.hidden_ids, self.hidden_seqs = k.corrected, k.hidden_ids, \
            k.hidden_seqs
        self._identifications: dict[int, list[Item]] | None = None

    # -- helpers ------------------------------------------------------------------------
    def _lookup(self, eid: str) -> Item | None:
        return self.known.lookup(eid)

    def in_time(self, e: Entry | Item) -> bool:
        if isinstance(e, Item):
            return e.vto <= self.as_of and e.rec <= self.known_at
        return to_us(e.valid_to) <= self.as_of and to_us(e.recorded_at) <= self.known_at

    def verification(self, item: Item, declared: int | None = None) -> int:
        """How firmly one event is established, all comments on it considered."""
        return self.known.verification(item, declared)

    def facts(self, type: str | None = None) -> list[Item]:
        """Whole entries that stand for events (all types, or one), known at this view."""
        if type is not None:
            return self.known.facts.get(type, [])
        return [i for items in self.known.facts.values() for i in items]

    def matching(self, type: str, match: dict[str, str | None]) -> list[Item]:
        """Whole facts of a type whose fields match, in time for this view.

        Each group is in valid-time order, so a single matching group needs no sort.
        """
        # Whole entries known were all recorded by this view's known-at, so only the valid
        # time decides: the answer is the same for every status at this as-of until a whole
        # entry is added (a new Known), and is kept (shared: callers must not change it).
        memo_key = ("matching", type, tuple(sorted(match.items())), self.as_of)
        memo = self.known.memo
        if memo_key not in memo:
            groups = [items for key, items in self.known.groups.get(type, [])
                      if _matches(key, match)]
            found = [i for items in groups for i in items if i.vto <= self.as_of]
            if len(memo) > 4096:
                memo.clear()
            memo[memo_key] = found if len(groups) <= 1 else sorted(found, key=_valid_order)
        return memo[memo_key]  # type: ignore[no-any-return]

    def reasoned(self) -> list[Item]:
        """Facts that cite a reason, in time for this view."""
        return [i for i in self.known.reasoned if self.in_time(i)]

    def disagreements(self) -> list[tuple[Item, list[Item]]]:
        """Events whose reports give different numbers or states, with the reports."""
        out = []
        for eid, reports in self.reports.items():
            base = self.corrected.get(eid) or self._lookup(eid)
            if base is None or eid in self.retracted or not self.in_time(base):
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
            if mask.all():  # the usual case: no copy
                parts.append(cols)
            elif mask.any():
                parts.append({k: v[mask] for k, v in cols.items()})
        extra = [i for i in self.matching(type, match) if i.entry.quantity is not None]
        if extra:
            parts.append({
                "seq": np.array([i.seq for i in extra], dtype=np.int64),
                "vfrom": np.array([i.vfrom for i in extra], dtype=np.int64),
                "vto": np.array([i.vto for i in extra], dtype=np.int64),
                "rec": np.array([i.rec for i in extra], dtype=np.int64),
                "qty": np.array([i.entry.quantity or 0 for i in extra], dtype=np.int64),
                "verif": np.array([self.verification(i) for i in extra], dtype=np.int64),
            })
        if not parts:
            return Rows.empty()
        # A copy of the dict (not of the arrays): the recomputed verification below must not
        # replace the stream's own column, which later views with other dates read.
        cols = dict(parts[0]) if len(parts) == 1 else {
            k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        # Plain entries that others comment on get their verification recomputed.
        codes = self.known.detail_codes
        if codes:
            hit = np.nonzero(np.isin(cols["seq"], self.known.detail_seqs))[0]
            if len(hit):
                cols["verif"] = cols["verif"].copy()
            for i in hit:
                cols["verif"][i] = codes[int(cols["seq"][i])]
        if len(parts) == 1 and not extra:  # one stream: already in valid-time order
            return Rows(**cols)
        order = np.lexsort((cols["seq"], cols["vto"]))
        return Rows(**{k: v[order] for k, v in cols.items()})

    def items(self, type: str, **match: str | None) -> list[Item]:
        """Whole entries of a type (facility states, milestones ...), in valid-time order."""
        found = self.matching(type, match)
        if type not in COUNTED:
            return found
        # Counted types: the plain entries are in streams, read whole only when asked for.
        rows = self.counted(type, **match)
        whole = {i.seq for i in found}
        seqs = [int(s) for s in rows.seq if int(s) not in whole]
        fetched = self.snap.ledger.by_seq(seqs) if seqs else {}
        return sorted([*found, *(Item(s, e) for s, e in fetched.items())], key=_valid_order)

    def memo(self, name: str, seqs: np.ndarray, compute: Callable[[], T]) -> T:
        """``compute()``, reused while the whole entries known, the as-of date and the
        plain entries ``seqs`` it reads are the same.

        One more truck count appended leaves every other provision's inputs unchanged, so
        their identification tallies (a Python loop over thousands of entries) are not
        redone on the next status. The result is shared: callers must not change it.
        """
        key = (name, self.as_of, len(seqs), hash(seqs.tobytes()))
        memo = self.known.memo
        if key not in memo:
            if len(memo) > 4096:
                memo.clear()
            memo[key] = compute()
        return memo[key]  # type: ignore[no-any-return]

    def identifications_for(self, seqs: np.ndarray) -> list[tuple[int, list[Item]]]:
        """(transfer seq, its identifications) for the transfers among ``seqs``.

        Looks up the few identified transfers in the many, not the other way round.
        """
        by_seq = self.identifications_by_seq()
        if not by_seq or not len(seqs):
            return []
        known = np.fromiter(by_seq, dtype=np.int64, count=len(by_seq))
        return [(int(s), by_seq[int(s)]) for s in known[np.isin(known, seqs)]]

    def identifications_by_seq(self) -> dict[int, list[Item]]:
        """Identifications in time for this view, by the seq of the transfer they answer."""
        if self._identifications is None:
            key = ("identifications", self.as_of)
            if key in self.known.memo:
                self._identifications = self.known.memo[key]
                return self._identifications
            out: dict[int, list[Item]] = {}
            for eid, idents in self.known.identifications.items():
                target = self._lookup(eid)
                kept = [i for i in idents if self.in_time(i)]
                if target is not None and kept:
                    out[target.seq] = kept
            self._identifications = self.known.memo[key] = out
        return self._identifications

    def local_days(self, us: np.ndarray) -> np.ndarray:
        """Local calendar day numbers (days since epoch in the agreement's zone)."""
        return local_days(us, self.tz)


HOUR = 3_600_000_000
DAY = 86_400_000_000
_OFFSETS: dict[Any, tuple[int, np.ndarray]] = {}


def local_days(us: np.ndarray, tz: dt.tzinfo) -> np.ndarray:
    """Local day numbers for UTC microsecond times in ``tz``.

    UTC offsets change at most on the hour, so they are tabulated per hour once per zone
    and looked up by index: a gather, not a sort, over a million times.
    """
    if not len(us):
        return us
    if tz is dt.UTC or str(tz) in ("UTC", "Etc/UTC"):
        return us // DAY
    hours = us // HOUR
    lo, hi = int(hours.min()), int(hours.max())
    start, table = _OFFSETS.get(tz, (lo, np.zeros(0, dtype=np.int64)))
    if lo < start or hi >= start + len(table):
        # Widen the table to cover these times, with a year's margin either side.
        first = min(lo, start) - 24 * 366
        last = max(hi, start + len(table) - 1) + 24 * 366
        table = np.array([
            int(dt.datetime.fromtimestamp(h * 3600, dt.UTC).astimezone(tz)
                .utcoffset().total_seconds()) * 1_000_000  # type: ignore[union-attr]
            for h in range(first, last + 1)], dtype=np.int64)
        start = first
        _OFFSETS[tz] = (start, table)
    return (us + table[hours - start]) // DAY


def _valid_order(i: Item) -> tuple[int, int, str]:
    return (i.vfrom, i.rec, i.entry.id)


def _key_of(e: Entry) -> dict[str, str | None]:
    d = e.__dict__  # read as a dict: this runs for every entry read whole
    key = {f: d[f] for f in STREAM_FIELDS}
    key["type"] = d["type"].value
    return key


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


def apply_changes(base: Entry, fixes: list[Item], tz: dt.tzinfo) -> Entry:
    """An entry as its corrections (in order) leave it: fields replaced, sources added."""
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
