"""A snapshot's columns kept on disk between runs.

Reading a million entries back from the database costs seconds, most of it the driver
making Python objects; loading the same columns from a numpy file costs milliseconds. So a
snapshot that had to read many entries saves its columns, and the next process starts from
them and reads only what was appended since.

The file is a cache, never a source of truth: it is used only when the ledger still holds,
at the saved position, the entry whose hash the file recorded (a rewritten or different
ledger is read afresh), and whole entries (the ones with text, reasons, restricted fields)
are always read from the ledger itself. It holds numbers and ids only.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import platformdirs
import sqlalchemy as sa

from .storage import entries

if TYPE_CHECKING:
    from .facts import Snapshot

FORMAT = 1
#: A load that read at least this many entries saves the snapshot for the next run.
MIN_ROWS = 100_000
COLUMNS = ("seq", "vfrom", "vto", "rec", "qty", "verif")


def folder() -> Path | None:
    """Where snapshots are kept; None when caching is switched off."""
    if os.environ.get("CEASEFIRE_SNAPSHOT_CACHE", "1") == "0":
        return None
    home = os.environ.get("CEASEFIRE_HOME")
    return Path(home) / "cache" if home else Path(platformdirs.user_cache_dir("ceasefire"))


def _hash_at(snap: Snapshot, seq: int) -> str | None:
    with snap.ledger.engine.connect() as conn:
        return conn.execute(sa.select(entries.c.hash).where(entries.c.seq == seq)).scalar()


def path_for(snap: Snapshot) -> Path | None:
    """One file per ledger: its address and its first entry name it."""
    where = folder()
    first = _hash_at(snap, 1)
    if where is None or first is None:
        return None
    url = snap.ledger.engine.url.render_as_string(hide_password=True)
    key = hashlib.sha256(f"{url}\n{first}".encode()).hexdigest()[:24]
    return where / f"snapshot-{key}.npz"


def save(snap: Snapshot) -> Path | None:
    """Write the snapshot's columns atomically (a reader never sees half a file)."""
    path = path_for(snap)
    head = _hash_at(snap, snap.last_seq)
    if path is None or head is None:
        return None
    keys = list(snap.streams)
    cols = [snap.streams[k].arrays() for k in keys]
    sizes = [len(c["seq"]) for c in cols]
    meta = {"format": FORMAT, "last_seq": snap.last_seq, "hash": head, "keys": keys}
    arrays = {name: (np.concatenate([c[name] for c in cols]) if cols
                     else np.zeros(0, dtype=np.int64)) for name in COLUMNS}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                     sizes=np.array(sizes, dtype=np.int64),
                     whole=np.array(sorted(i.seq for i in snap.items.values()), dtype=np.int64),
                     **arrays)  # type: ignore[arg-type]
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(snap: Snapshot) -> bool:
    """Fill an empty snapshot from its saved columns; False if there are none to trust."""
    from .facts import Stream, stream_key

    path = path_for(snap)
    if path is None or not path.exists():
        return False
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            if meta.get("format") != FORMAT or _hash_at(snap, meta["last_seq"]) != meta["hash"]:
                return False
            arrays = {name: data[name] for name in COLUMNS}
            sizes, whole = data["sizes"], data["whole"]
    except (OSError, ValueError, KeyError):
        return False  # unreadable or from another version: read the ledger instead
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    for i, key in enumerate(meta["keys"]):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        snap.streams[key] = Stream(stream_key(key), cols={
            name: arrays[name][lo:hi] for name in COLUMNS})
    snap.last_seq = int(meta["last_seq"])
    if len(whole):
        snap.add_whole([int(s) for s in whole])
    return True
