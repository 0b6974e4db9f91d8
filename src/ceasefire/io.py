"""Reading and writing entries as CSV, JSON and YAML (`events import` / `events export`).

Each format is a plugin registered through :mod:`ceasefire.registry`, like a third party's.
Rows keep their file line numbers so that a bad row is reported where the user can find it.
Exported rows re-import to the same entries.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from .errors import CeasefireError
from .ledger import Entry
from .registry import hookimpl
from .times import Precision


@dataclass(frozen=True)
class Row:
    data: dict[str, Any]
    where: str


class Format(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def read(self, text: str, name: str) -> list[Row]: ...

    def write(self, rows: Iterable[dict[str, Any]]) -> str: ...


JSON_FIELDS = ("via", "outcomes", "changes", "sources", "restricted", "details")
SOURCE_COLUMNS = ("publisher", "title", "date", "url", "quote")


def entry_to_row(e: Entry, *, redact: bool = True) -> dict[str, Any]:
    """An entry as an import row (times as typed, in UTC), restricted data removed if asked."""
    if redact:
        e = e.redacted()
    data = e.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data.pop("valid_from", None)
    data.pop("valid_to", None)
    prec = data.pop("precision")
    data["at"] = e.valid_from.isoformat()
    if e.precision == Precision.RANGE:
        data["until"] = e.valid_to.isoformat()
    elif e.precision == Precision.DAY:
        data["at"] = e.valid_from.isoformat()
        data["precision"] = prec
    elif e.precision == Precision.HOUR:
        data["precision"] = prec
    data["recorded_at"] = e.recorded_at.isoformat()
    order = ["id", "type", "agreement", "at", "until", "precision"]
    return {k: data[k] for k in order if k in data} | {
        k: v for k, v in data.items() if k not in order}


#: a whole number with thousands separators, as spreadsheets format counts ("1,230")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


def flat_to_row(rec: dict[str, Any], where: str) -> dict[str, Any]:
    """A flat record (a CSV line, a web form) as an import row.

    Empty cells are absent, ``source_*`` cells make one source, and the structured fields
    (outcomes, changes, sources, restricted) are JSON text.
    """
    data: dict[str, Any] = {}
    source: dict[str, Any] = {}
    for key, value in rec.items():
        if value is None or value == "":
            continue
        if key.startswith("source_"):
            source[key.removeprefix("source_")] = value
        elif key in SOURCE_COLUMNS:  # a spreadsheet's natural header, but `date` is ambiguous
            raise CeasefireError(
                f"unknown column {key!r}; a source's columns are "
                f"{', '.join('source_' + c for c in SOURCE_COLUMNS)} (the event's own time "
                "is `at`)", where=f"{where}, field {key}")
        elif key == "quantity" and _GROUPED.fullmatch(value.strip()):
            data[key] = value.strip().replace(",", "")   # "1,230" as a spreadsheet shows it
        elif key in JSON_FIELDS and key != "via":
            try:
                data[key] = json.loads(value)
            except json.JSONDecodeError:
                raise CeasefireError("not valid JSON", where=f"{where}, field {key}") from None
        else:
            data[key] = value
    if source:
        data.setdefault("sources", []).append(source)
    return data


class CSVFormat:
    name = "csv"
    suffixes: tuple[str, ...] = (".csv",)
    columns = ("id", "type", "agreement", "at", "until", "precision", "recorded_at",
               "recorded_by", "actor", "recipient", "via", "category", "measure", "facility",
               "place", "quantity", "state", "kind", "provision", "reason", "target",
               "verification", "note", *(f"source_{c}" for c in SOURCE_COLUMNS),
               "outcomes", "changes", "sources", "restricted", "details")

    def read(self, text: str, name: str) -> list[Row]:
        header = text.lstrip("\ufeff").split("\n", 1)[0]
        # Spreadsheets in many locales save "CSV" with semicolons, or tabs: the header says.
        delimiter = max((",", ";", "\t"), key=lambda d: (header.count(d), d == ","))
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
        if not reader.fieldnames:
            raise CeasefireError("empty CSV: expected a header row", where=name)
        rows = []
        for rec in reader:
            line = reader.line_num
            where = f"{name}, line {line}"
            if None in rec:
                raise CeasefireError("more cells than header columns", where=where)
            rows.append(Row(flat_to_row(rec, where), where))
        return rows

    def write(self, rows: Iterable[dict[str, Any]]) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            flat = dict(row)
            sources = flat.pop("sources", [])
            if len(sources) == 1:
                flat.update({f"source_{k}": v for k, v in sources[0].items()
                             if k in SOURCE_COLUMNS})
                if sources[0].get("confidential"):
                    flat["sources"] = json.dumps(sources, ensure_ascii=False)
                    flat = {k: v for k, v in flat.items() if not k.startswith("source_")}
            elif sources:
                flat["sources"] = json.dumps(sources, ensure_ascii=False)
            for key in JSON_FIELDS:
                if key in flat and not isinstance(flat[key], str):
                    flat[key] = (";".join(flat[key]) if key == "via"
                                 else json.dumps(flat[key], ensure_ascii=False))
            writer.writerow(flat)
        return out.getvalue()


def _line_rows(items: Any, name: str, lines: dict[int, int] | None = None) -> list[Row]:
    if isinstance(items, dict) and "entries" in items:
        items = items["entries"]
    if not isinstance(items, list):
        raise CeasefireError("expected a list of entries (or a mapping with `entries:`)",
                             where=name)
    rows = []
    for i, item in enumerate(items):
        line = (lines or {}).get(i)
        where = f"{name}, line {line}" if line else f"{name}, entry {i + 1}"
        if not isinstance(item, dict):
            raise CeasefireError("expected a mapping of fields", where=where)
        rows.append(Row(item, where))
    return rows


class JSONFormat:
    name = "json"
    suffixes: tuple[str, ...] = (".json",)

    def read(self, text: str, name: str) -> list[Row]:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CeasefireError(f"not valid JSON: {exc.msg}",
                                 where=f"{name}, line {exc.lineno}") from None
        return _line_rows(data, name)

    def write(self, rows: Iterable[dict[str, Any]]) -> str:
        return json.dumps(list(rows), ensure_ascii=False, indent=1) + "\n"


class YAMLFormat:
    name = "yaml"
    suffixes: tuple[str, ...] = (".yaml", ".yml")

    def read(self, text: str, name: str) -> list[Row]:
        try:
            data = yaml.safe_load(text)
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise CeasefireError(f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                 where=f"{name}, line {mark.line + 1}" if mark else name
                                 ) from None
        seq = root
        if isinstance(root, yaml.MappingNode):
            seq = next((v for k, v in root.value if k.value == "entries"), None)
        lines = ({i: n.start_mark.line + 1 for i, n in enumerate(seq.value)}
                 if isinstance(seq, yaml.SequenceNode) else {})
        return _line_rows(data, name, lines)

    def write(self, rows: Iterable[dict[str, Any]]) -> str:
        return yaml.safe_dump(list(rows), sort_keys=False, allow_unicode=True)


def format_for(path: str | Path | None, name: str | None = None) -> Format:
    from .registry import formats

    known = formats()
    if name:
        if name not in known:
            raise CeasefireError(f"unknown format {name!r}; expected one of "
                                 f"{', '.join(sorted(known))}")
        return known[name]
    suffix = Path(str(path)).suffix.lower()
    for fmt in known.values():
        if suffix in fmt.suffixes:
            return fmt
    raise CeasefireError(f"cannot tell the format from {suffix or 'no suffix'!r}; "
                         f"use --format ({', '.join(sorted(known))})", where=str(path))


def read_rows(path: str | Path, fmt: str | None = None) -> list[Row]:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise CeasefireError("file not found", where=str(p)) from None
    except IsADirectoryError:
        raise CeasefireError("is a folder; expected a file", where=str(p)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CeasefireError("not UTF-8 text (is it a binary file?)", where=str(p)) from None
    if not text.strip():
        raise CeasefireError("the file is empty", where=str(p))
    return format_for(p, fmt).read(text, str(p))


@hookimpl
def ceasefire_formats() -> list[Format]:
    return [CSVFormat(), JSONFormat(), YAMLFormat()]
