"""Where the ledger lives: SQLite by default, PostgreSQL for teams.

Tables are SQLAlchemy Core objects; their history is Alembic's (``migrations/``). The
database is brought to the latest revision on first use, so a user never runs a separate
migration step.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import orjson
import platformdirs
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .errors import CeasefireError

metadata = sa.MetaData()

entries = sa.Table(
    "entries", metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False,
              comment="Position in the hash chain, from 1."),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("agreement", sa.String(80), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("stream", sa.String(400), nullable=True,
              comment="type|actor|recipient|category|measure|facility|provision for plain "
                      "counted facts; NULL for entries the engine reads whole."),
    sa.Column("valid_from", sa.BigInteger, nullable=False, comment="µs since epoch, UTC"),
    sa.Column("valid_to", sa.BigInteger, nullable=False),
    sa.Column("recorded_at", sa.BigInteger, nullable=False),
    sa.Column("quantity", sa.BigInteger, nullable=True),
    sa.Column("verification", sa.SmallInteger, nullable=False),
    sa.Column("target", sa.String(64), nullable=True),
    sa.Column("payload", sa.Text, nullable=False, comment="Canonical JSON of the entry."),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)
#: Entries pointing at others (most point at nothing: migration 0004).
sa.Index("ix_entries_target", entries.c.target, sqlite_where=entries.c.target.is_not(None),
         postgresql_where=entries.c.target.is_not(None))
#: An agreement's entries of a type, by valid time (migrations ingest_0002 and 0003).
sa.Index("ix_entries_event_day", entries.c.agreement, entries.c.type, entries.c.valid_from)
#: The entries the engine reads whole (no stream), found without scanning the counted ones.
sa.Index("ix_entries_whole", entries.c.seq, sqlite_where=entries.c.stream.is_(None),
         postgresql_where=entries.c.stream.is_(None))

stream_blocks = sa.Table(
    "stream_blocks", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("stream", sa.String(400), nullable=False),
    sa.Column("last_seq", sa.BigInteger, nullable=False,
              comment="The highest seq in the block (all of its rows come from one append)."),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False,
              comment="BLOCK_COLUMNS as little-endian int64, each `rows` long, one after "
                      "the other."),
    comment="The counted entries' columns per stream, written with the entries they copy: "
            "the engine loads a million counts from a few hundred blocks.",
)
sa.Index("ix_stream_blocks_last_seq", stream_blocks.c.last_seq)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

GENESIS = "0" * 64


def default_url() -> str:
    """``CEASEFIRE_DATABASE_URL`` if set, else a SQLite file in the user's data folder."""
    url = os.environ.get("CEASEFIRE_DATABASE_URL")
    if url:
        return url
    home = os.environ.get("CEASEFIRE_HOME")
    folder = Path(home) if home else Path(platformdirs.user_data_dir("ceasefire"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'ledger.db'}"


def normalise_url(url: str) -> str:
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def connect(url: str | None = None) -> Engine:
    """An engine whose transactions can serialise appends to the chain.

    SQLite transactions start with ``BEGIN IMMEDIATE`` so two processes appending at once
    queue for the write lock instead of both reading the same head and forking the chain.
    """
    url = normalise_url(url or default_url())
    try:
        engine = sa.create_engine(url, future=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise CeasefireError(f"cannot use database URL {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _bind_none_directly()

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")
            # 16 KiB pages for a new database (an existing one keeps its own): a ledger's
            # rows are large, and an import wrote and committed them measurably faster
            # (insert and commit 13.3 -> 11.2 µs a row against 4 KiB pages).
            cur.execute("PRAGMA page_size = 16384")
            if ":memory:" not in url and url != "sqlite://":
                cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            # 64 MB of page cache (the default is 2 MB): a large ledger's indexes stay in
            # memory while an import inserts into them.
            cur.execute(f"PRAGMA cache_size = -{CACHE_KB}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    return engine


def _bind_none_directly() -> None:
    """Have Python's sqlite3 bind None without looking for a way to adapt it.

    It binds an exact int, float or str as it is, but looks every other value up among
    the registered adapters and then asks the value and the protocol for one (a failed
    attribute lookup on a type, which raises and clears an AttributeError): 0.3 µs for
    each None, and most entries bind two or three (no target, no stream, no quantity). An
    adapter registered for None is found at once; ``{}.get`` returns None, which is bound
    as NULL, as before. One already registered is left alone.
    """
    if (type(None), sqlite3.PrepareProtocol) not in sqlite3.adapters:
        sqlite3.register_adapter(type(None), cast("Callable[[None], None]", {}.get))


#: SQLite's page cache per connection, in KiB; and while a large import writes.
CACHE_KB, BULK_CACHE_KB = 65_536, 262_144


@contextlib.contextmanager
def bulk_cache(conn: sa.Connection) -> Iterator[None]:
    """A larger SQLite page cache while a large import writes in its transaction.

    A transaction whose pages outgrow the cache writes them to the log before it commits,
    and the index pages an import keeps changing (ids, days) are written again each time:
    at 200,000 rows the inserts took a fifth less time with 256 MB than with 64 MB.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KB}")


#: Column order of the tuples ``insert_rows`` takes.
ENTRY_COLUMNS = ("seq", "id", "agreement", "type", "stream", "valid_from", "valid_to",
                 "recorded_at", "quantity", "verification", "target", "payload", "prev_hash",
                 "hash")


def insert_rows(conn: sa.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert entry rows through the driver itself: COPY on PostgreSQL, executemany on
    SQLite. Bulk imports spend most of their time here, and SQLAlchemy's per-row parameter
    handling would double it; the rows are already typed and ordered."""
    cols = ", ".join(ENTRY_COLUMNS)
    cursor = conn.connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f"COPY entries ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in ENTRY_COLUMNS)
            cursor.executemany(f"INSERT INTO entries ({cols}) VALUES ({marks})", rows)
    finally:
        cursor.close()


def existing_ids(conn: sa.Connection, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` the ledger already holds: one query through the driver (a large
    import asks about every row's id, and SQLAlchemy's building of an ``IN`` list of
    hundreds of values cost more than the lookups)."""
    if not ids:
        return set()
    cursor = conn.connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            cursor.execute("SELECT id FROM entries WHERE id = ANY(%s)", (list(ids),))
        else:
            cursor.execute("SELECT id FROM entries WHERE id IN (SELECT value FROM json_each(?))",
                           (orjson.dumps(list(ids)).decode(),))
        return {r[0] for r in cursor.fetchall()}
    finally:
        cursor.close()


#: What a stream block holds per counted entry, in this order.
BLOCK_COLUMNS = ("seq", "vfrom", "vto", "rec", "qty", "verif")
#: A counted entry as ``insert_blocks`` takes it: its stream, then BLOCK_COLUMNS.
Counted = tuple[str, int, int, int, int, int, int]


def encode_block(cols: np.ndarray) -> bytes:
    return np.ascontiguousarray(cols, dtype="<i8").tobytes()


def decode_block(data: bytes, rows: int) -> np.ndarray:
    """A block's columns as a (len(BLOCK_COLUMNS), rows) array (read-only, no copy)."""
    return np.frombuffer(data, dtype="<i8").reshape(len(BLOCK_COLUMNS), rows)


def insert_blocks(conn: sa.Connection, counted: Iterable[Counted]) -> None:
    """Copy counted entries' columns into one block per stream.

    Called in the transaction that appends the entries, so the blocks and the entries
    they copy land together or not at all.
    """
    groups: dict[str, list[int]] = {}
    for row in counted:
        groups.setdefault(row[0], []).extend(row[1:])
    insert_stream_groups(conn, groups)


def insert_stream_groups(conn: sa.Connection, groups: Mapping[str, Sequence[int]]) -> None:
    """:func:`insert_blocks` for counted entries already grouped by stream, the blocks in
    the order of the streams' first entries.

    Each stream's entries come as one flat list (BLOCK_COLUMNS of the first entry, then of
    the next, in seq order): numpy reads a flat list of ints three times faster than a list
    of tuples, and a large import's writer, the busier process, builds one per stream.
    """
    if not groups:
        return
    blocks = []
    width = len(BLOCK_COLUMNS)
    for key, flat in groups.items():
        cols = np.array(flat, dtype=np.int64).reshape(-1, width).T
        blocks.append({"stream": key, "last_seq": int(cols[0].max()), "rows": cols.shape[1],
                       "data": encode_block(cols)})
    conn.execute(stream_blocks.insert(), blocks)


def read_blocks(conn: sa.Connection, after: int, upto: int) -> list[tuple[str, int, bytes]]:
    """(stream, rows, data) of the blocks of appends after seq ``after`` up to ``upto``, in
    the order they were written. PostgreSQL sends them in binary (its text form of bytea is
    hex, twice the bytes and three times the time)."""
    sql = ("SELECT stream, rows, data FROM stream_blocks WHERE last_seq > %s AND "
           "last_seq <= %s ORDER BY id")
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor(binary=True)  # type: ignore[union-attr]
        try:
            cursor.execute(sql, (after, upto))
            return [(k, n, bytes(d)) for k, n, d in cursor.fetchall()]
        finally:
            cursor.close()
    q = (sa.select(stream_blocks.c.stream, stream_blocks.c.rows, stream_blocks.c.data)
         .where(stream_blocks.c.last_seq > after, stream_blocks.c.last_seq <= upto)
         .order_by(stream_blocks.c.id))
    return [tuple(r) for r in conn.execute(q)]  # type: ignore[misc]


def refresh_statistics(conn: sa.Connection) -> None:
    """Tell PostgreSQL's planner how large the ledger now is.

    After a bulk import the planner still believes the table is small (autovacuum's
    ANALYZE comes later) and checks the next batch's ids by scanning the whole table
    instead of the unique index: seconds per query at a million entries. SQLite needs no
    statistics to use the index.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE entries")


def lock_for_append(conn: sa.Connection) -> None:
    """Hold the chain's write lock for the rest of the transaction."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE entries IN SHARE ROW EXCLUSIVE MODE")
    # SQLite: BEGIN IMMEDIATE already holds the write lock.


def migrate(engine: Engine) -> None:
    """Bring the schema to every Alembic head (creating it on a new database).

    Features add their tables in migrations of their own that branch from ``0001``, so
    the history may have several heads; all of them are applied.
    """
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    script = ScriptDirectory.from_config(cfg)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_heads()
    except sa.exc.OperationalError as exc:
        raise CeasefireError(f"cannot open the database: {exc.orig}") from None
    if set(current) == set(script.get_heads()):
        return
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
