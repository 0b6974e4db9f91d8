"""The ledger: typed, sourced, append-only entries in a hash chain.

Nothing is ever updated or deleted. A correction, a confirmation, a dispute or a retraction
is a new entry that points at an older one (``target``). Each stored entry carries the hash
of the one before it, so :meth:`Ledger.verify` finds an edited, deleted, inserted or
reordered entry and names the first bad one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import marshal
import operator
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson
import sqlalchemy as sa
from pydantic import (
    ValidationError,
)

from .agreement import Agreement
from .entry import (
    _CORROBORATED,
    _REPORTED,
    COUNTED_TYPES,
    FACT_TYPES,
    META_TYPES,
    TARGET_MEANING,
    VERIFICATION_CODE,
    Entry,
    EntryType,
    IdentificationResult,
    Outcome,
    Verification,
    stream_of,
)
from .errors import CeasefireError, ImportRowError
from .intake import (
    ContentIds,
    EntryIn,
    FieldError,
    Prepared,
    RowRefused,
    _FieldError,
    _row_error,
    _RowBuilder,
    _validated,
    check_references,
    check_shape,
    describe_error,
    paused_gc,
    references,
    validated_import,
)
from .registry import EntryCheck, entry_checks
from .storage import (
    BLOCK_COLUMNS,
    ENTRY_COLUMNS,
    GENESIS,
    bulk_cache,
    connect,
    decode_block,
    entries,
    existing_ids,
    insert_rows,
    insert_stream_groups,
    lock_for_append,
    migrate,
    refresh_statistics,
    settings,
    stream_blocks,
)
from .times import Precision, from_us, to_us
from .workers import default_workers, in_workers

UTC = dt.UTC


@dataclass(frozen=True)
class Stored:
    """An entry with its place in the chain."""

    seq: int
    entry: Entry
    prev_hash: str
    hash: str


def derived_columns(e: Entry, us: dict[dt.datetime, int] | None = None,
                    streams: dict[str, str] | None = None) -> tuple[Any, ...]:
    """An entry's columns from ``id`` to ``target`` (``storage.ENTRY_COLUMNS[1:11]``): what
    the engine and queries read, all derived from the entry, so ``verify`` can recompute
    them. ``us`` remembers times already converted (the entries of an import share theirs).
    ``streams`` makes the rows of a part share one string per stream: pickle then sends
    each stream once, and a worker's part took a quarter less time to send.
    """
    us = {} if us is None else us
    d = e.__dict__  # read as a dict: this runs for every row of an import
    code = VERIFICATION_CODE[d["verification"]]
    if code == _REPORTED and len(d["sources"]) >= 2 and len(e.publishers()) >= 2:
        code = _CORROBORATED
    vf, vt, rec = d["valid_from"], d["valid_to"], d["recorded_at"]
    vf_us, vt_us, rec_us = us.get(vf), us.get(vt), us.get(rec)
    if vf_us is None:
        vf_us = us[vf] = to_us(vf)
    if vt_us is None:
        vt_us = us[vt] = to_us(vt)
    if rec_us is None:
        rec_us = us[rec] = to_us(rec)
    stream = stream_of(d)
    if streams is not None and stream is not None:
        stream = streams.setdefault(stream, stream)
    return (d["id"], d["agreement"], d["type"]._value_, stream, vf_us, vt_us, rec_us,
            d["quantity"], code, d["target"])


def columns_of(seq: int, e: Entry, payload: bytes, prev: str, h: str) -> tuple[Any, ...]:
    """An entry's row in ``entries`` (``storage.ENTRY_COLUMNS``)."""
    return (seq, *derived_columns(e), payload.decode(), prev, h)


def unplaced_row(e: Entry, us: dict[dt.datetime, int] | None = None) -> tuple[Any, ...]:
    """An entry's row short of its place in the chain (seq, prev_hash, hash): everything
    that can be worked out before the write lock's turn, in another process if need be."""
    return derived_columns(e, us) + (e.canonical().decode(),)


@dataclass
class Ready:
    """A batch turned into rows for ``entries`` (see :func:`unplaced_row`), waiting for its
    place in the chain.

    ``entries`` holds, by position, the entries registered checks read when the batch is
    appended (``check_append``; see :func:`wanted_by_checks`): all of them when the batch
    was prepared in this process. ``generated`` are the ids the ledger made up (see
    :class:`~ceasefire.intake.Prepared`).
    """

    rows: list[tuple[Any, ...]]
    entries: dict[int, Entry]
    generated: frozenset[str] = frozenset()

    @classmethod
    def of(cls, batch: Sequence[Entry]) -> Ready:
        us: dict[dt.datetime, int] = {}  # the entries of an import share their times
        return cls([unplaced_row(e, us) for e in batch], dict(enumerate(batch)),
                   getattr(batch, "generated", frozenset()))


def wanted_by_checks(batch: Sequence[Entry], checks: Sequence[EntryCheck]) -> dict[int, Entry]:
    """The entries of a batch (by position) some registered check reads when the batch is
    appended: a check that says which entries it reads (``wants``) is given only those,
    the others every entry."""
    said = [w for c in checks if (w := getattr(c, "wants", None)) is not None]
    if len(said) < len(checks):
        return dict(enumerate(batch))
    if len(said) == 1:
        return {i: e for i, e in enumerate(batch) if said[0](e)}
    return {i: e for i, e in enumerate(batch) if any(w(e) for w in said)}


def chain_hash(seq: int, prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(b"%d\n%s\n" % (seq, prev_hash.encode()) + payload).hexdigest()


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    checked: int
    head: str
    first_bad: int | None = None
    problem: str | None = None


#: How often (in rows) long work reports progress.
PROGRESS_EVERY = 5_000
#: Rows an import validates and writes at a time (one transaction for the whole import).
IMPORT_CHUNK = 50_000
#: Imports this large are prepared by worker processes (see ``Ledger.import_rows``; at
#: 10,000 rows they took 0.34 s instead of 0.47 s on two cores)...
PARALLEL_AFTER = 10_000
#: ...each given this many rows at a time (small parts: the writer starts sooner).
WORKER_CHUNK = 2_500


# of a Ready row
_ID, _AGREEMENT, _TARGET = operator.itemgetter(0), operator.itemgetter(1), operator.itemgetter(9)
# of a part's content ids (position, digest, number)
_DIGEST, _NUMBER = operator.itemgetter(1), operator.itemgetter(2)


def _checked_row(build: Callable[[dict[str, Any], Agreement], Any], row: dict[str, Any],
                 a: Agreement, checks: Sequence[EntryCheck],
                 checked: set[tuple[str, tuple[Any, ...]]], where: Callable[[int], str],
                 i: int) -> Any:
    """``build(row, a)`` (an entry, or columns and entry) with the entry checked against
    the agreement (its references once per distinct set), a failure named by ``where(i)``
    and the field: what an import and ``prepare`` share for each row."""
    try:
        built = build(row, a)
        entry = built[1] if isinstance(built, tuple) else built
        refs = (a.id, references(entry))
        if refs not in checked:
            check_references(entry, a)
            checked.add(refs)
        check_shape(entry, a, checks)
    except ValidationError as exc:  # a nested value a check validates itself
        raise _row_error(exc.errors()[0], where(i)) from None
    except _FieldError as exc:
        raise ImportRowError(str(exc), where=f"{where(i)}, field {exc.field}") from None
    except (ValueError, CeasefireError) as exc:
        msg = exc.message if isinstance(exc, CeasefireError) else str(exc)
        raise ImportRowError(msg, where=where(i)) from None
    return built


def _row(i: int) -> str:
    return f"row {i + 1}"


#: A bulk append at least this large refreshes the planner's statistics (see
#: ``storage.refresh_statistics``).
ANALYZE_AFTER = 10_000


@dataclass(frozen=True)
class _ImportJob:
    """One import, as the processes preparing its parts see it (forked workers inherit it:
    the rows are never pickled)."""

    ledger: Ledger
    rows: Sequence[dict[str, Any] | EntryIn]
    recorded_by: str
    agreement: str | None
    where: Callable[[int], str]
    now: dt.datetime
    #: Times and sources worked out, kept from part to part (each process its own copy).
    known: dict[str, dict[Any, Any]] = field(default_factory=dict)

    def at(self, start: int) -> Callable[[int], str]:
        """Where a row of the part starting at ``start`` is, in the whole import."""
        return lambda i: self.where(start + i)

    def prepare(self, rows: Sequence[dict[str, Any] | EntryIn], start: int,
                ids: Sequence[str | None] | None = None) -> Ready:
        """Rows of the import from ``start``, each given its id in ``ids`` (see
        :meth:`ContentIds.given`) where that is not None."""
        return self.ledger._prepare_rows(rows, ids or [None] * len(rows),
                                         recorded_by=self.recorded_by,
                                         agreement=self.agreement, where=self.at(start),
                                         now=self.now, known=self.known)

    def settle(self, part: tuple[Ready, list[tuple[int, bytes, int]]], ids: ContentIds,
               start: int) -> Ready:
        """A prepared part, its rows' content ids numbered over the whole import.

        A part was numbered on its own: a row whose content also came in an earlier part
        gets the next number instead. Its id is put in place of the one the worker gave
        (the id's only occurrence in the canonical bytes, which differ in nothing else), or,
        where that cannot be told, the row is prepared again here.
        """
        ready, assigned = part
        seen = ids._seen
        digests = list(map(_DIGEST, assigned))
        repeated = seen.keys() & digests  # contents that came in earlier parts too (a few)
        before = {d: seen[d] for d in repeated}  # their last numbers there
        seen.update(zip(digests, map(_NUMBER, assigned), strict=True))  # the last wins
        if not repeated:  # every number stands as the part gave it
            return ready
        for i, digest, n_here in assigned:
            if digest not in repeated:
                continue
            n = seen[digest] = before[digest] + 1 + n_here  # ids.number(digest)
            row = self.rows[start + i]
            old = ready.rows[i][0]
            new = ids.make_id(ids.content(row), digest, n)  # type: ignore[arg-type]
            payload = ready.rows[i][10]
            if i not in ready.entries and payload.count(old) == 1:
                ready.rows[i] = (new, *ready.rows[i][1:10], payload.replace(old, new))
            else:
                again = self.prepare([row], start + i, [new])
                ready.rows[i] = again.rows[0]
                ready.entries.pop(i, None)
                if again.entries:
                    ready.entries[i] = again.entries[0]
        return ready


def _pack_part(part: tuple[Ready, list[tuple[int, bytes, int]]]) -> tuple[bytes, dict[int, Entry]]:
    """A prepared part as a worker sends it: its rows, content ids and made-up ids in
    marshal's form (plain values only; written and read in about two thirds of pickle's
    time, and the worker is the same interpreter), its entries pickled."""
    ready, assigned = part
    return marshal.dumps((ready.rows, assigned, ready.generated)), ready.entries


def _unpack_part(packed: tuple[bytes, dict[int, Entry]]
                 ) -> tuple[Ready, list[tuple[int, bytes, int]]]:
    rows, assigned, generated = marshal.loads(packed[0])
    return Ready(rows, packed[1], generated), assigned


def _prepare_part(job: _ImportJob, span: tuple[int, int]
                  ) -> tuple[Ready, list[tuple[int, bytes, int]]]:
    """Rows ``span`` of an import, given content ids (numbered within the part) and
    prepared for the chain: what a worker process does (see ``Ledger.import_rows``)."""
    start, stop = span
    ids = ContentIds(job.agreement)
    rows = job.rows[start:stop]
    return job.prepare(rows, start, ids.given(rows)), ids.assigned


class Ledger:
    """The append-only ledger on one database, and the agreements it knows.

    The CLI and the web app are thin shells over this class and :mod:`ceasefire.engine`.
    """

    def __init__(self, url: str | None = None, *, engine: sa.Engine | None = None,
                 load_bundled: bool = True) -> None:
        self.engine = engine or connect(url)
        migrate(self.engine)
        self._agreements: dict[str, Agreement] | None = None
        if load_bundled:
            from .bundle import ensure_bundled

            ensure_bundled(self)

    # -- agreements -------------------------------------------------------------------------
    def agreements(self) -> dict[str, Agreement]:
        """Bundled agreements, then those added to this ledger (which win on equal id)."""
        if self._agreements is None:
            from .agreement import bundled_agreement_texts, parse_agreement

            found = {k: parse_agreement(v, f"bundled {k}.yaml")
                     for k, v in bundled_agreement_texts().items()}
            with self.engine.connect() as conn:
                rows = conn.execute(sa.select(settings.c.key, settings.c.value).where(
                    settings.c.key.like("agreement:%"))).all()
            for key, text in rows:
                found[key.split(":", 1)[1]] = parse_agreement(text, key)
            self._agreements = found
        return self._agreements

    def agreement(self, agreement_id: str | None = None) -> Agreement:
        known = self.agreements()
        if agreement_id is None:
            if len(known) == 1:
                return next(iter(known.values()))
            raise CeasefireError("several agreements are known; name one with --agreement "
                                 f"({', '.join(sorted(known))})")
        if agreement_id not in known:
            raise CeasefireError(f"unknown agreement {agreement_id!r}; known: "
                                 f"{', '.join(sorted(known)) or '(none)'}")
        return known[agreement_id]

    def add_agreement(self, text: str, name: str) -> Agreement:
        from .agreement import parse_agreement

        agreement = parse_agreement(text, name)
        key = f"agreement:{agreement.id}"
        with self.engine.begin() as conn:
            conn.execute(settings.delete().where(settings.c.key == key))
            conn.execute(settings.insert().values(key=key, value=text))
        self._agreements = None
        return agreement

    def setting(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(settings.c.value).where(
                settings.c.key == key)).scalar_one_or_none()

    def set_setting(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(settings.delete().where(settings.c.key == key))
            conn.execute(settings.insert().values(key=key, value=value))

    # -- appending --------------------------------------------------------------------------
    def prepare(self, rows: Iterable[dict[str, Any] | EntryIn], *, recorded_by: str,
                agreement: str | None = None, where: Callable[[int], str] | None = None,
                now: dt.datetime | None = None,
                progress: Callable[[int], None] | None = None) -> Prepared:
        """Validate input rows into entries; the first bad row raises naming row and field.

        ``progress`` is told how many more rows were checked, every few thousand.
        """
        return self._build(rows, recorded_by=recorded_by, agreement=agreement, where=where,
                           now=now, progress=progress)

    def _build(self, rows: Iterable[dict[str, Any] | EntryIn], *, recorded_by: str,
               agreement: str | None = None, where: Callable[[int], str] | None = None,
               now: dt.datetime | None = None, progress: Callable[[int], None] | None = None,
               known: dict[str, dict[Any, Any]] | None = None) -> Prepared:
        """:meth:`prepare`; ``known`` keeps what was worked out for the next call."""
        now = now or dt.datetime.now(UTC)
        where = where or (lambda i: f"row {i + 1}")
        with paused_gc():
            items = _validated(list(rows), where)
            out: list[Entry] = []
            build = _RowBuilder(recorded_by, now, known=known)
            checks = entry_checks()
            terms: dict[str | None, Agreement] = {}
            checked: set[tuple[str, tuple[Any, ...]]] = set()  # ids already found to exist
            for i, row in enumerate(items):
                name = row.get("agreement") or agreement
                a = terms.get(name) or terms.setdefault(name, self.agreement(name))
                entry = _checked_row(build.entry, row, a, checks, checked, where, i)
                out.append(entry)
                if progress and len(out) % PROGRESS_EVERY == 0:
                    progress(PROGRESS_EVERY)
            if progress and len(out) % PROGRESS_EVERY:
                progress(len(out) % PROGRESS_EVERY)
        batch = Prepared(out)
        batch.generated = frozenset(build.generated)
        return batch

    def _prepare_rows(self, rows: Sequence[dict[str, Any] | EntryIn],
                      ids: Sequence[str | None], *, recorded_by: str,
                      agreement: str | None, where: Callable[[int], str], now: dt.datetime,
                      known: dict[str, dict[Any, Any]]) -> Ready:
        """:meth:`prepare` for an import's part, straight into rows for ``entries`` (see
        :meth:`_RowBuilder.import_row`), keeping the entries registered checks read when the
        part is appended (see :func:`wanted_by_checks`): the same checks, errors and rows
        as ``Ready.of(self.prepare(rows))``, with fewer objects a row on the way."""
        with paused_gc():
            items = validated_import(list(rows), ids, where, known)
            out: list[tuple[Any, ...]] = []
            wanted: dict[int, Entry] = {}
            build = _RowBuilder(recorded_by, now, known=known)
            checks = entry_checks()
            said = [w for c in checks if (w := getattr(c, "wants", None)) is not None]
            keep_all = len(said) < len(checks)  # a check reads every entry
            wants = said[0] if len(said) == 1 else lambda e: any(w(e) for w in said)
            terms: dict[str | None, Agreement] = {}
            checked: set[tuple[str, tuple[Any, ...]]] = set()  # ids already found to exist
            for i, row in enumerate(items):
                name = row.get("agreement") or agreement
                a = terms.get(name) or terms.setdefault(name, self.agreement(name))
                cols, entry = _checked_row(build.import_row, row, a, checks, checked, where, i)
                out.append(cols)
                if keep_all or wants(entry):
                    wanted[i] = entry
        return Ready(out, wanted, frozenset(build.generated))

    def append(self, entries_: Sequence[Entry], *, skip_existing: bool = False,
               progress: Callable[[int], None] | None = None,
               where: Callable[[int], str] | None = None) -> list[Stored]:
        """Append entries in one transaction: all land, or none do.

        ``skip_existing`` drops entries whose id is already in the ledger, so re-importing
        the same file adds nothing.
        """
        with self.engine.begin() as conn, paused_gc():
            lock_for_append(conn)
            placed = self._append_in(conn, Ready.of(entries_), skip_existing=skip_existing,
                                     progress=progress, where=where or _row, seen={})
            if len(placed) >= ANALYZE_AFTER:
                refresh_statistics(conn)
        return [Stored(r[0], entries_[i], r[12], r[13]) for i, r in placed]

    def import_rows(self, rows: Sequence[dict[str, Any] | EntryIn], *, recorded_by: str,
                    agreement: str | None = None, where: Callable[[int], str] | None = None,
                    skip_existing: bool = False,
                    checked: Callable[[int], None] | None = None,
                    written: Callable[[int], None] | None = None,
                    chunk: int | None = None, workers: int | None = None) -> int:
        """Validate and append a whole import in one transaction, ``chunk`` rows at a time;
        returns how many entries were added. The library call behind `events import`.

        Memory grows with the chunk, not with the file (a built entry weighs far more than
        its input row); the first bad row, in whichever chunk, still leaves nothing written.
        ``checked`` and ``written`` are told how many more rows were validated / written.

        An import of at least ``PARALLEL_AFTER`` rows is prepared (validated, built,
        checked, serialised) by ``workers`` forked processes (default: one per core) while
        this one hashes and writes what they sent, and prepares a part itself whenever it
        would otherwise wait (``workers.in_workers``): the writing is about two fifths of an
        import's time. ``workers=0`` prepares everything here. A large import also writes
        with a larger SQLite page cache (``storage.bulk_cache``).
        """
        where = where or _row
        self.agreements()  # read before the write lock is taken (and before any fork)
        large = len(rows) >= PARALLEL_AFTER
        if workers is None:
            workers = default_workers() if large else 0
        chunk = chunk or (WORKER_CHUNK if workers else IMPORT_CHUNK)
        ids = ContentIds(agreement)
        spans = [(start, min(start + chunk, len(rows))) for start in range(0, len(rows), chunk)]
        job = _ImportJob(self, rows, recorded_by, agreement, where, dt.datetime.now(UTC))
        added = 0
        seen: dict[str, int] = {}  # ids the input gave, across chunks
        # stream blocks (counted entries by stream), written every IMPORT_CHUNK or so rows
        groups: dict[str, list[int]] = {}
        with self.engine.begin() as conn, paused_gc(), \
                in_workers(_prepare_part, job, spans, workers, pack=_pack_part,
                           unpack=_unpack_part) as parts, \
                (bulk_cache(conn) if large else contextlib.nullcontext()):
            lock_for_append(conn)
            fresh = conn.execute(sa.select(entries.c.seq).limit(1)).first() is None
            for (start, stop), part in zip(spans, parts, strict=True):
                ready = job.settle(part, ids, start)
                if checked:
                    checked(stop - start)
                placed = self._append_in(conn, ready, skip_existing=skip_existing,
                                         progress=written, where=job.at(start), seen=seen,
                                         offset=start, groups=groups, fresh=fresh)
                added += len(placed)
                if stop == len(rows) or \
                        sum(map(len, groups.values())) >= IMPORT_CHUNK * len(BLOCK_COLUMNS):
                    insert_stream_groups(conn, groups)
                    groups = {}
            if added >= ANALYZE_AFTER:
                refresh_statistics(conn)
        return added

    def _append_in(self, conn: sa.Connection, batch: Ready, *,
                   skip_existing: bool, progress: Callable[[int], None] | None,
                   where: Callable[[int], str], seen: dict[str, int],
                   offset: int = 0, groups: dict[str, list[int]] | None = None,
                   fresh: bool = False) -> list[tuple[int, tuple[Any, ...]]]:
        """Append a batch inside a transaction that holds the chain's write lock; returns
        each appended entry's position in the batch and its row as written.

        ``seen`` carries the ids given earlier in the same import (``offset`` is this
        batch's place in it), so a repeated id is an error across batches too. The counted
        entries' stream blocks are written here, or left in ``groups`` (by stream) for the
        caller to write (an import in many small parts: the engine reads fewer, larger
        blocks). ``fresh`` says the ledger held no entry when this import took the write
        lock: then no id can be in it but those of this import's earlier batches, which
        ``seen`` holds (made-up ids are new to any ledger), and none is looked up.

        The common case (no repeated, existing or missing id, no target later in the
        batch) is told by whole-batch set operations; only a batch where one of them fails
        is walked row by row, for the first bad row's message.
        """
        made_up = batch.generated
        rows = batch.rows
        ids = list(map(_ID, rows))
        batch_ids = dict(zip(ids, range(len(ids)), strict=True))
        if len(batch_ids) < len(ids) or not seen.keys().isdisjoint(batch_ids):
            batch_ids = {}
            for i, eid in enumerate(ids):
                earlier = batch_ids.get(eid)
                earlier = offset + earlier if earlier is not None else seen.get(eid)
                if earlier is not None:
                    raise ImportRowError(f"duplicate id {eid!r} (also row {earlier + 1})",
                                         where=f"{where(i)}, field id")
                batch_ids[eid] = i
        given = [k for k in ids if k not in made_up] if made_up else ids
        seen.update(zip(given, range(offset, offset + len(ids)), strict=False) if not made_up
                    else ((k, offset + batch_ids[k]) for k in given))
        existing = set() if fresh else existing_ids(conn, given)
        targets = set(map(_TARGET, rows))
        targets.discard(None)
        targets.discard("")
        wanted_targets = targets - batch_ids.keys()
        missing = wanted_targets - existing_ids(conn, list(wanted_targets))
        todo: list[int] | range = range(len(rows))
        if existing or missing or not targets.isdisjoint(batch_ids):
            todo = []
            for i, r in enumerate(rows):
                eid, target = r[0], r[9]
                if eid in existing:
                    if skip_existing:
                        continue
                    raise ImportRowError(f"an entry with id {eid!r} is already in the ledger",
                                         where=f"{where(i)}, field id")
                if target in missing:
                    raise ImportRowError(f"target {target!r} is not in the ledger",
                                         where=f"{where(i)}, field target")
                if target and target in batch_ids and batch_ids[target] > i:
                    raise ImportRowError(f"target {target!r} comes later in the same import",
                                         where=f"{where(i)}, field target")
                todo.append(i)
        self._check_against_ledger(conn, batch, todo, where)  # its messages are the finer
        _check_identifications(conn, rows, batch_ids, where)
        row = conn.execute(sa.select(entries.c.seq, entries.c.hash)
                           .order_by(entries.c.seq.desc()).limit(1)).first()
        seq, prev = (row[0], row[1]) if row else (0, GENESIS)
        placed: list[tuple[int, tuple[Any, ...]]] = []
        chunk: list[tuple[Any, ...]] = []
        keep = groups is not None
        streams: dict[str, list[int]] = {} if groups is None else groups  # BLOCK_COLUMNS
        sha256 = hashlib.sha256
        for i in todo:
            r = rows[i]
            seq += 1
            # chain_hash(seq, prev, payload), formatted in one step
            h = sha256(f"{seq}\n{prev}\n{r[10]}".encode()).hexdigest()
            cols = (seq, *r, prev, h)
            chunk.append(cols)
            stream = r[3]
            if stream is not None:  # a stream: the engine reads it from a block
                block = streams.get(stream)
                if block is None:
                    block = streams[stream] = []
                block.extend((seq, r[4], r[5], r[6], r[7] or 0, r[8]))  # flat: see storage
            placed.append((i, cols))
            prev = h
            if len(chunk) >= 20_000:
                insert_rows(conn, chunk)
                if progress:
                    progress(len(chunk))
                chunk = []
        if chunk:
            insert_rows(conn, chunk)
            if progress:
                progress(len(chunk))
        if not keep:
            insert_stream_groups(conn, streams)
        return placed

    def add(self, rows: Iterable[dict[str, Any] | EntryIn], *, recorded_by: str,
            agreement: str | None = None, skip_existing: bool = False) -> list[Stored]:
        """Validate and append: the library call behind `ceasefire events add|import`."""
        return self.append(self.prepare(rows, recorded_by=recorded_by, agreement=agreement),
                           skip_existing=skip_existing)

    def annotate(self, target: str, type_: EntryType | str, *, recorded_by: str,
                 state: str | None = None, note: str | None = None,
                 sources: Sequence[dict[str, Any]] = ()) -> Stored:
        """Confirm, dispute, retract or add a source to an entry: a new entry pointing at it.

        The original is never touched; the library call behind `events confirm|dispute|
        retract` and the web's forms.
        """
        original = self.get(target).entry
        row: dict[str, Any] = {"type": str(type_), "target": target,
                               "agreement": original.agreement,
                               "at": dt.datetime.now(UTC).isoformat(), "note": note,
                               "state": state, "sources": list(sources) or None}
        return self.add([{k: v for k, v in row.items() if v is not None}],
                        recorded_by=recorded_by)[0]

    def _check_against_ledger(self, conn: sa.Connection, batch: Ready, todo: Sequence[int],
                              where: Callable[[int], str]) -> None:
        """Registered checks that need the ledger (a custody chain's order) see the batch's
        entries they read (``todo`` are the positions about to be appended)."""
        if len(todo) == len(batch.rows):  # all of them (in order): no walk over the rows
            names = set(map(_AGREEMENT, batch.rows))
            candidates = sorted(batch.entries)
        else:
            names = {batch.rows[i][1] for i in todo}
            candidates = [i for i in todo if i in batch.entries]
        agreements = {name: self.agreement(name) for name in names}
        for check in entry_checks():
            wants = getattr(check, "wants", None)
            index = [i for i in candidates if wants is None or wants(batch.entries[i])]
            try:
                check.check_append(conn, [batch.entries[i] for i in index], agreements)
            except RowRefused as exc:
                raise ImportRowError(str(exc), where=f"{where(index[exc.index])}, "
                                     f"field {exc.field}") from None

    # -- reading ----------------------------------------------------------------------------
    def head(self) -> tuple[int, str]:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(entries.c.seq, entries.c.hash)
                               .order_by(entries.c.seq.desc()).limit(1)).first()
        return (row[0], row[1]) if row else (0, GENESIS)

    def get(self, entry_id: str) -> Stored:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(entries.c.seq, entries.c.payload, entries.c.prev_hash,
                                         entries.c.hash).where(entries.c.id == entry_id)).first()
        if row is None:
            raise CeasefireError(f"no entry with id {entry_id!r}")
        return Stored(row[0], Entry.model_validate_json(row[1]), row[2], row[3])

    def by_seq(self, seqs: Iterable[int]) -> dict[int, Entry]:
        wanted = sorted(set(seqs))
        out: dict[int, Entry] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                for seq, payload in conn.execute(sa.select(entries.c.seq, entries.c.payload)
                                                 .where(entries.c.seq.in_(wanted[i:i + 500]))):
                    out[seq] = Entry.model_validate_json(payload)
        return out

    def entries(self, *, agreement: str | None = None, types: Sequence[str] = (),
                after_seq: int = 0, limit: int | None = None, newest_first: bool = False,
                text: str | None = None, before_seq: int | None = None,
                targets: Sequence[str] = ()) -> Iterator[Stored]:
        """Entries in chain order (or newest first), filtered; ``before_seq`` / ``after_seq``
        page by position (keyset), so a page deep in a large ledger costs what the first does.
        """
        q = sa.select(entries.c.seq, entries.c.payload, entries.c.prev_hash, entries.c.hash)
        if agreement:
            q = q.where(entries.c.agreement == agreement)
        if types:
            q = q.where(entries.c.type.in_(list(types)))
        if text:
            q = q.where(entries.c.payload.contains(text, autoescape=True))
        if targets:
            q = q.where(entries.c.target.in_(list(targets)))
        q = q.where(entries.c.seq > after_seq)
        if before_seq is not None:
            q = q.where(entries.c.seq < before_seq)
        q = q.order_by(entries.c.seq.desc() if newest_first else entries.c.seq)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            for seq, payload, prev, h in conn.execute(q):
                yield Stored(seq, Entry.model_validate_json(payload), prev, h)

    def verify(self, progress: Callable[[int], None] | None = None) -> VerifyReport:
        """Recompute the chain from the first entry; name the first entry that does not fit.

        Beyond the hashes, every column the engine reads (times, quantity, stream,
        verification) must be what the entry's own content says, and the stream blocks
        must copy those columns exactly: an edit to either would change a status without
        touching a hash.
        """
        prev, expected_seq, checked = GENESIS, 1, 0
        digests: dict[str, Any] = {}  # per stream, over its counted columns in seq order
        q = sa.select(*[entries.c[c] for c in ENTRY_COLUMNS]).order_by(entries.c.seq)
        with self.engine.connect() as conn:
            for row in conn.execute(q).yield_per(5000):
                seq, eid, payload, prev_hash, h = row[0], row[1], row[11], row[12], row[13]
                label = f"entry #{seq} ({eid})"
                if seq != expected_seq:
                    what = "missing" if seq > expected_seq else "out of order"
                    return VerifyReport(False, checked, prev, seq,
                                        f"{label}: entry #{expected_seq} is {what} "
                                        "(deleted or reordered)")
                if prev_hash != prev:
                    return VerifyReport(False, checked, prev, seq,
                                        f"{label}: does not link to the entry before it "
                                        "(inserted, deleted or reordered)")
                if chain_hash(seq, prev, payload.encode()) != h:
                    return VerifyReport(False, checked, prev, seq,
                                        f"{label}: its content does not match its hash (edited)")
                try:
                    entry = Entry.model_validate_json(payload)
                except ValidationError:
                    return VerifyReport(False, checked, prev, seq,
                                        f"{label}: content is not a valid entry (edited)")
                want = columns_of(seq, entry, payload.encode(), prev, h)
                if tuple(row) != want:
                    bad = next(c for c, x, y in zip(ENTRY_COLUMNS, row, want, strict=True)
                               if x != y)
                    return VerifyReport(False, checked, prev, seq,
                                        f"{label}: its {bad} column does not match its "
                                        "content (edited)")
                if want[4] is not None:
                    digests.setdefault(want[4], hashlib.sha256()).update(
                        _BLOCK_ROW.pack(seq, *want[5:8], want[8] or 0, want[9]))
                prev, expected_seq, checked = h, expected_seq + 1, checked + 1
                if progress and checked % PROGRESS_EVERY == 0:
                    progress(PROGRESS_EVERY)
            problem = _check_blocks(conn, {k: d.digest() for k, d in digests.items()})
        if problem:
            return VerifyReport(False, checked, prev, None, problem)
        return VerifyReport(True, checked, prev)


_IDENTIFICATION = EntryType.IDENTIFICATION.value  # a name: read for every row of an import


def _check_identifications(conn: sa.Connection, rows: Sequence[tuple[Any, ...]],
                           batch_ids: dict[str, int], where: Callable[[int], str]) -> None:
    """An identification answers a transfer, and accounts for no more bodies than that
    transfer handed over: anything else would move counts the engine trusts.

    ``rows`` are the batch's columns (id, agreement, type, stream, times, quantity,
    verification, target, payload); identifications are few, so only theirs are parsed.
    """
    idents = [(i, r) for i, r in enumerate(rows) if r[2] == _IDENTIFICATION and r[9]]
    if not idents:
        return
    outside = sorted({r[9] for _, r in idents if r[9] not in batch_ids})
    known: dict[str, tuple[str, int | None]] = {}
    for part in range(0, len(outside), 500):
        known.update((eid, (typ, qty)) for eid, typ, qty in conn.execute(
            sa.select(entries.c.id, entries.c.type, entries.c.quantity)
            .where(entries.c.id.in_(outside[part:part + 500]))))
    for i, r in idents:
        target = rows[batch_ids[r[9]]] if r[9] in batch_ids else None
        kind, handed = (target[2], target[7]) if target else known.get(r[9], (None, None))
        if kind is None:
            continue  # a missing target is refused with its own message
        if kind != EntryType.TRANSFER:
            raise ImportRowError(f"target {r[9]!r} is a {kind} entry; an identification "
                                 "answers the transfer that handed the remains over",
                                 where=f"{where(i)}, field target")
        bodies = sum(o.get("count", 1) for o in orjson.loads(r[10]).get("outcomes", []))
        if handed is not None and bodies > handed:
            raise ImportRowError(f"its outcomes account for {bodies} bodies; transfer "
                                 f"{r[9]!r} handed over {handed}",
                                 where=f"{where(i)}, field outcomes")


_BLOCK_ROW = struct.Struct("<6q")


def _check_blocks(conn: sa.Connection, want: dict[str, bytes]) -> str | None:
    """The stream blocks hold exactly the counted entries' columns (digests per stream)."""
    parts: dict[str, list[np.ndarray]] = {}
    for key, rows, data in conn.execute(sa.select(
            stream_blocks.c.stream, stream_blocks.c.rows, stream_blocks.c.data)):
        parts.setdefault(key, []).append(decode_block(data, rows))
    for key in sorted(set(want) | set(parts)):
        have = b""
        if key in parts:
            cols = np.concatenate(parts[key], axis=1)
            cols = cols[:, np.argsort(cols[0], kind="stable")]
            have = hashlib.sha256(np.ascontiguousarray(cols.T, dtype="<i8").tobytes()).digest()
        if have != want.get(key, b""):
            return (f"the stored columns of stream {key!r} do not match its entries "
                    "(edited stream block)")
    return None


def fmt_valid(e: Entry, tz: dt.tzinfo) -> str:
    start = e.valid_from.astimezone(tz)
    if e.precision == Precision.DAY:
        return start.strftime("%Y-%m-%d")
    if e.precision == Precision.HOUR:
        return start.strftime("%Y-%m-%d %H:00")
    if e.precision == Precision.RANGE:
        return f"{start:%Y-%m-%d %H:%M} – {e.valid_to.astimezone(tz):%Y-%m-%d %H:%M}"
    return start.strftime("%Y-%m-%d %H:%M")

__all__ = ["COUNTED_TYPES", "FACT_TYPES", "META_TYPES", "TARGET_MEANING", "VERIFICATION_CODE",
           "Entry", "EntryIn", "EntryType", "FieldError", "IdentificationResult", "Ledger",
           "Outcome", "Prepared", "RowRefused", "Stored", "Verification", "VerifyReport",
           "chain_hash", "check_references", "check_shape", "columns_of",
           "describe_error", "fmt_valid", "from_us", "paused_gc", "references"]
