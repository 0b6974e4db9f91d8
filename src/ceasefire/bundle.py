"""The events that ship with ceasefire, loaded into a ledger on first use.

A bundled events file has a ``sources`` catalogue (publisher, title, date, address) and
``entries`` whose sources cite the catalogue by key with their own short quote. Entry ids
are stable, so loading again (or a newer bundle) adds only what is new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from .errors import CeasefireError

if TYPE_CHECKING:
    from .ledger import Ledger

BUNDLE_USER = "ceasefire-bundle"


def expand_sources(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """Entries with each ``{ref, quote}`` source replaced by the full catalogued source."""
    catalogue = doc.get("sources", {})
    out = []
    for i, entry in enumerate(doc.get("entries", [])):
        entry = dict(entry)
        sources = []
        for s in entry.get("sources", []):
            if "ref" in s:
                if s["ref"] not in catalogue:
                    raise CeasefireError(f"unknown source {s['ref']!r}",
                                         where=f"{name}, entry {i + 1}, field sources")
                s = {**catalogue[s["ref"]], **{k: v for k, v in s.items() if k != "ref"}}
            sources.append(s)
        if sources:
            entry["sources"] = sources
        out.append(entry)
    return out


def bundled_event_files() -> dict[str, str]:
    folder = resources.files("ceasefire") / "data" / "events"
    return {f.name: f.read_text(encoding="utf-8")
            for f in folder.iterdir() if f.name.endswith(".yaml")}


def _where_in(name: str) -> Callable[[int], str]:
    return lambda i: f"bundled {name}, entry {i + 1}"


def ensure_bundled(ledger: Ledger) -> int:
    """Load bundled events not yet in this ledger; returns how many were added."""
    added = 0
    for name, text in sorted(bundled_event_files().items()):
        digest = hashlib.sha256(text.encode()).hexdigest()
        key = f"bundle:{name}"
        if ledger.setting(key) == digest:
            continue
        doc = yaml.safe_load(text)
        rows = expand_sources(doc, f"bundled {name}")
        entries = ledger.prepare(rows, recorded_by=BUNDLE_USER,
                                 agreement=doc.get("agreement"),
                                 where=_where_in(name))
        added += len(ledger.append(entries, skip_existing=True))
        ledger.set_setting(key, digest)
    return added
