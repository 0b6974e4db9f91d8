"""The `ceasefire` command: a thin shell over the library.

Each command parses its options, calls one library function, and prints the result. User
errors (:class:`~ceasefire.errors.CeasefireError`) print one line and exit with status 2;
they never show a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import CeasefireError

app = typer.Typer(help="Check a ceasefire agreement against a sourced, tamper-evident ledger.",
                  no_args_is_help=True, add_completion=False)
agreements_app = typer.Typer(help="Agreements: list, show, validate, add, schema.",
                             no_args_is_help=True)
events_app = typer.Typer(help="Ledger entries: add, import, list, export, confirm, dispute, "
                         "retract.", no_args_is_help=True)
app.add_typer(agreements_app, name="agreements")
app.add_typer(events_app, name="events")

out = Console()
err = Console(stderr=True)

DbOpt = Annotated[str | None, typer.Option(
    "--db", envvar="CEASEFIRE_DATABASE_URL",
    help="Database URL (default: a SQLite file in your data folder).")]
AgreementOpt = Annotated[str | None, typer.Option(
    "--agreement", "-a", help="Agreement id (needed when more than one is known).")]
ByOpt = Annotated[str, typer.Option("--by", envvar="CEASEFIRE_USER",
                                    help="Who records this (kept with every entry).")]


def _ledger(db: str | None):  # type: ignore[no-untyped-def]
    from .ledger import Ledger

    return Ledger(db)


STATUS_STYLE = {"fulfilled": "green", "overdue": "bold red", "withheld": "bold magenta",
                "breached": "red", "disputed": "yellow", "blocked": "cyan",
                "in progress": "blue", "not yet due": "dim"}


@app.command()
def status(
    db: DbOpt = None,
    agreement: AgreementOpt = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="The world on this date (YYYY-MM-DD = end of that day).")] = None,
    known_at: Annotated[str | None, typer.Option(
        "--known-at", help="Use only what had been recorded by this date.")] = None,
    party: Annotated[str | None, typer.Option(help="Only what concerns this party.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     help="table, json or markdown.")] = "table",
) -> None:
    """Who delivered what, what is owed, overdue, blocked — now or on any past date."""
    from .engine import evaluate
    from .report import to_json, to_markdown
    from .times import moment

    if fmt not in ("table", "json", "markdown"):
        raise CeasefireError(f"--format must be table, json or markdown, not {fmt!r}")
    ledger = _ledger(db)
    a = ledger.agreement(agreement)
    if party and party not in {p.id for p in a.parties}:
        raise CeasefireError(f"unknown party {party!r}; expected one of "
                             f"{', '.join(p.id for p in a.parties)}")
    result = evaluate(ledger, a.id, as_of=moment(as_of, a.tz) if as_of else None,
                      known_at=moment(known_at, a.tz) if known_at else None)
    if fmt == "json":
        data = json.loads(to_json(result))
        if party:
            data["provisions"] = [p for p in data["provisions"] if party in (p["by"], p["to"])]
            data["parties"] = [p for p in data["parties"] if p["party"] == party]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(to_markdown(result, a.tz, party))
    else:
        _status_table(result, a.tz, party)


def _status_table(result, tz, party):  # type: ignore[no-untyped-def]
    from .report import fmt_time, status_line

    out.print(f"[bold]{result.name}[/bold] — as of {fmt_time(result.as_of, tz)}, "
              f"known at {fmt_time(result.known_at, tz)} · implementation: {result.level.value}")
    f = result.freshness
    out.print(f"[dim]latest entry {f.latest_entry}, recorded "
              f"{fmt_time(f.latest_recorded_at, tz)} ({f.age})[/dim]" if f.latest_entry
              else "[dim]no entries yet[/dim]")
    phases = Table(title="Phases", show_lines=False)
    for col in ("phase", "open", "complete", "level", "held up by"):
        phases.add_column(col)
    for ph in result.phases:
        phases.add_row(ph.name, "yes" if ph.open else "no", "yes" if ph.complete else "no",
                       ph.level.value, "\n".join(ph.held_up_by[:3]) or "—")
    out.print(phases)
    table = Table(title="Provisions", show_lines=True)
    for col in ("provision", "status", "detail", "level", "verification", "deadline"):
        table.add_column(col, overflow="fold")
    for r in result.provisions:
        if party and party not in (r.by, r.to):
            continue
        style = STATUS_STYLE.get(r.status.value, "")
        detail = r.detail + "".join(f"\n[yellow]⚠ {x}[/yellow]" for x in r.flags)
        table.add_row(f"[bold]{r.id}[/bold]\n{r.title}", f"[{style}]{status_line(r)}[/{style}]",
                      detail, r.level.value, r.verification or "—", fmt_time(r.deadline, tz))
    out.print(table)
    for p in result.parties:
        if (party and p.party != party) or not p.outstanding:
            continue
        out.print(f"[bold]{p.name} owes[/bold]")
        for o in p.outstanding:
            out.print(f"  • {o.provision} [{STATUS_STYLE.get(o.status.value, '')}]"
                      f"{o.status.value}[/] — {o.detail}")
    if result.disagreements:
        out.print("[bold]Sources disagree[/bold]")
        for d in result.disagreements:
            vals = "; ".join(f"{v['quantity'] if v['quantity'] is not None else v['state']} per "
                             + ", ".join(s["publisher"] for s in v["sources"]) for v in d.values)
            out.print(f"  • {d.type} on {d.when}: {vals}")


@app.command()
def verify(db: DbOpt = None) -> None:
    """Recompute the hash chain; name the first edited, deleted, inserted or moved entry."""
    report = _ledger(db).verify()
    if report.ok:
        out.print(f"[green]ok[/green]: {report.checked} entries, chain head {report.head}")
        return
    err.print(f"[red]TAMPERED[/red]: {report.problem} "
              f"({report.checked} entries verified before it)")
    raise typer.Exit(1)


# -- agreements ------------------------------------------------------------------------------
@agreements_app.command("list")
def agreements_list(db: DbOpt = None) -> None:
    """The agreements this ledger knows (bundled and added)."""
    table = Table()
    for col in ("id", "name", "version", "phases", "provisions", "amendments"):
        table.add_column(col)
    for a in _ledger(db).agreements().values():
        table.add_row(a.id, a.name, a.version, str(len(a.phases)), str(len(a.provisions)),
                      str(len(a.amendments)))
    out.print(table)


@agreements_app.command("show")
def agreements_show(agreement_id: str, db: DbOpt = None,
                    fmt: Annotated[str, typer.Option("--format", "-f")] = "table") -> None:
    """One agreement's parties, phases and provisions."""
    a = _ledger(db).agreement(agreement_id)
    if fmt == "json":
        sys.stdout.write(a.model_dump_json(indent=1) + "\n")
        return
    out.print(f"[bold]{a.name}[/bold] ({a.id} v{a.version}, time zone {a.timezone})")
    out.print("Parties: " + ", ".join(f"{p.name} ({p.role.value})" for p in a.parties))
    table = Table(show_lines=True)
    for col in ("id", "kind", "phase", "by → to", "negotiation", "text", "source"):
        table.add_column(col, overflow="fold")
    for p in a.provisions:
        table.add_row(p.id, p.kind, p.phase or "—", f"{p.by or '—'} → {p.to or '—'}",
                      p.negotiation.value, p.text, f"{p.source.ref} {p.source.clause}")
    out.print(table)


@agreements_app.command("validate")
def agreements_validate(paths: list[Path]) -> None:
    """Check agreement files: shape, references, cycles. Errors name file, line and field."""
    from .agreement import load_agreement

    for path in paths:
        a = load_agreement(path)
        out.print(f"[green]ok[/green] {path}: {a.id}, {len(a.provisions)} provisions, "
                  f"{len(a.phases)} phases, {len(a.amendments)} amendments")


@agreements_app.command("add")
def agreements_add(path: Path, db: DbOpt = None) -> None:
    """Validate an agreement file and make it known to this ledger."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError) as exc:
        raise CeasefireError(f"cannot read: {exc}", where=str(path)) from None
    a = _ledger(db).add_agreement(text, str(path))
    out.print(f"[green]added[/green] {a.id}: {a.name}")


@agreements_app.command("schema")
def agreements_schema() -> None:
    """The JSON Schema of agreement files, for editors."""
    from .agreement import agreement_schema

    sys.stdout.write(json.dumps(agreement_schema(), indent=1) + "\n")


# -- events ----------------------------------------------------------------------------------
@events_app.command("add")
def events_add(
    type_: Annotated[str, typer.Option("--type", "-t", help="transfer, identification, flow, "
                                       "facility_state, deployment, milestone, incident, "
                                       "statement ...")],
    at: Annotated[str, typer.Option(help="When it happened (date or date-time).")],
    by: ByOpt = "cli",
    db: DbOpt = None,
    agreement: AgreementOpt = None,
    actor: str | None = None, recipient: str | None = None, category: str | None = None,
    quantity: int | None = None, measure: str | None = None, facility: str | None = None,
    state: str | None = None, provision: str | None = None, reason: str | None = None,
    target: str | None = None, kind: str | None = None, note: str | None = None,
    via: Annotated[str | None, typer.Option(help="Handover chain, e.g. 'icrc;rafah'.")] = None,
    precision: Annotated[str | None, typer.Option(help="exact, hour or day.")] = None,
    source_publisher: str | None = None, source_title: str | None = None,
    source_date: str | None = None, source_url: str | None = None,
    source_quote: str | None = None,
    json_fields: Annotated[str | None, typer.Option(
        "--json", help="Further fields as a JSON object (outcomes, changes ...).")] = None,
) -> None:
    """Record one event (it lands as "reported")."""
    row: dict[str, Any] = {k: v for k, v in {
        "type": type_, "at": at, "actor": actor, "recipient": recipient, "category": category,
        "quantity": quantity, "measure": measure, "facility": facility, "state": state,
        "provision": provision, "reason": reason, "target": target, "kind": kind,
        "note": note, "via": via, "precision": precision}.items() if v is not None}
    source = {k: v for k, v in {"publisher": source_publisher, "title": source_title,
                                "date": source_date, "url": source_url,
                                "quote": source_quote}.items() if v}
    if source:
        row["sources"] = [source]
    if json_fields:
        try:
            extra = json.loads(json_fields)
        except json.JSONDecodeError as exc:
            raise CeasefireError(f"--json is not valid JSON: {exc.msg}") from None
        if not isinstance(extra, dict):
            raise CeasefireError("--json must be a JSON object")
        row.update(extra)
    stored = _ledger(db).add([row], recorded_by=by, agreement=agreement)
    out.print(f"[green]recorded[/green] #{stored[0].seq} {stored[0].entry.id}")


def _meta(target: str, type_: str, by: str, db: str | None, note: str | None,
          state: str | None = None) -> None:
    ledger = _ledger(db)
    original = ledger.get(target).entry
    row: dict[str, Any] = {"type": type_, "target": target, "agreement": original.agreement,
                           "at": dt.datetime.now(dt.UTC).isoformat(), "note": note}
    if state:
        row["state"] = state
    stored = ledger.add([{k: v for k, v in row.items() if v is not None}], recorded_by=by)
    out.print(f"[green]recorded[/green] {type_} #{stored[0].seq} of {target}")


@events_app.command("confirm")
def events_confirm(entry_id: str, by: ByOpt = "cli", db: DbOpt = None,
                   note: str | None = None) -> None:
    """A verifier confirms an entry (a new entry; the original is untouched)."""
    _meta(entry_id, "verification", by, db, note, "confirmed")


@events_app.command("dispute")
def events_dispute(entry_id: str, by: ByOpt = "cli", db: DbOpt = None,
                   note: str | None = None) -> None:
    """Mark an entry disputed until a verifier decides."""
    _meta(entry_id, "verification", by, db, note, "disputed")


@events_app.command("retract")
def events_retract(entry_id: str, by: ByOpt = "cli", db: DbOpt = None,
                   note: str | None = None) -> None:
    """Withdraw an entry: it stays in the ledger but no longer counts."""
    _meta(entry_id, "retraction", by, db, note)


@events_app.command("import")
def events_import(
    paths: list[Path],
    by: ByOpt = "import",
    db: DbOpt = None,
    agreement: AgreementOpt = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f",
                                            help="csv, json or yaml (default: by suffix).")] = None,
) -> None:
    """Import CSV, JSON or YAML files. One bad row and nothing is written."""
    from .io import read_rows

    ledger = _ledger(db)
    rows = [row for path in paths for row in read_rows(path, fmt)]
    where = [r.where for r in rows]
    entries = ledger.prepare([r.data for r in rows], recorded_by=by, agreement=agreement,
                             where=lambda i: where[i])
    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("import", total=len(entries))
        stored = ledger.append(entries, skip_existing=True, where=lambda i: where[i],
                               progress=lambda n: bar.advance(task, n))
    skipped = len(entries) - len(stored)
    out.print(f"[green]imported[/green] {len(stored)} entries"
              + (f" ({skipped} already in the ledger)" if skipped else ""))


@events_app.command("list")
def events_list(
    db: DbOpt = None, agreement: AgreementOpt = None,
    type_: Annotated[list[str] | None, typer.Option("--type", "-t")] = None,
    search: Annotated[str | None, typer.Option(help="Text to look for.")] = None,
    limit: int = 50,
    show_restricted: Annotated[bool, typer.Option(
        help="Show restricted fields and confidential sources (cleared users only).")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
) -> None:
    """Entries, newest first, with their verification and sources."""
    from .io import entry_to_row
    from .ledger import fmt_valid

    ledger = _ledger(db)
    found = list(ledger.entries(agreement=agreement, types=type_ or (), limit=limit,
                                newest_first=True, text=search))
    if fmt == "json":
        rows = [{"seq": s.seq, **entry_to_row(s.entry, redact=not show_restricted)}
                for s in found]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(show_lines=True)
    for col in ("#", "id", "type", "when", "what", "verification", "sources"):
        table.add_column(col, overflow="fold")
    agreements = ledger.agreements()
    for s in found:
        e = s.entry if show_restricted else s.entry.redacted()
        tz = agreements[e.agreement].tz if e.agreement in agreements else dt.UTC
        what = " ".join(str(x) for x in (e.actor and f"{e.actor}→{e.recipient or '?'}",
                                         e.quantity, e.category or "", e.measure or "",
                                         e.facility or "", e.state or "",
                                         e.target and f"target {e.target}") if x)
        table.add_row(str(s.seq), e.id, e.type.value, fmt_valid(e, tz), what,
                      e.verification.value, "\n".join(f"{x.publisher}: “{x.quote}”"
                                                      for x in e.sources))
    out.print(table)


@events_app.command("export")
def events_export(
    db: DbOpt = None, agreement: AgreementOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, json or yaml")] = "json",
    output: Annotated[Path | None, typer.Option("--out", "-o")] = None,
    include_restricted: Annotated[bool, typer.Option(
        help="Keep restricted fields and confidential sources (cleared users only).")] = False,
) -> None:
    """Export entries (restricted data redacted unless asked); the output re-imports."""
    from .io import entry_to_row, format_for

    writer = format_for(None, fmt)
    rows = (entry_to_row(s.entry, redact=not include_restricted)
            for s in _ledger(db).entries(agreement=agreement))
    text = writer.write(rows)
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"written {output}")
    else:
        sys.stdout.write(text)


def main() -> None:
    """Entry point: user errors become one clear line and exit status 2."""
    try:
        app(standalone_mode=False)
    except CeasefireError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except Exception as exc:  # usage errors (click's) arrive here in non-standalone mode
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()


# --- ingest: reading reports into a review queue -----------------------------------------


def _report_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CeasefireError(f"--report-date must be YYYY-MM-DD, not {text!r}") from None


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(
        help="Text, HTML or PDF files, folders of them, or - for standard input.")],
    db: DbOpt = None,
    agreement: AgreementOpt = None,
    report_date: Annotated[str | None, typer.Option(
        "--report-date", help="The report's date (YYYY-MM-DD), the reference for "
        "'Wednesday', 'yesterday'; default: the date the document carries.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher of the report(s).")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the report.")] = None,
    url: Annotated[str | None, typer.Option(help="Address of the report.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the candidates; queue nothing.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    extractor: Annotated[str, typer.Option(help="Extractor (see the plugin hooks).")
                         ] = "grammar",
) -> None:
    """Read reports and queue the events they mention for review (`ceasefire review`)."""
    from .ingest.pipeline import extract_all
    from .ingest.queue import ReviewQueue

    if fmt not in ("table", "json"):
        raise CeasefireError(f"--format must be table or json, not {fmt!r}")
    when = _report_date(report_date)
    ledger = _ledger(db)
    a = ledger.agreement(agreement)
    options = {"report_date": when, "publisher": publisher, "title": title, "url": url,
               "extractor": extractor}
    with Progress(TextColumn("reading reports"), BarColumn(), TextColumn(
            "{task.percentage:>3.0f}%"), TimeElapsedColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task("read", total=None)
        reads = extract_all(paths, a, progress=lambda done, total: bar.update(
            task, completed=done, total=total), **options)
    if fmt == "json":
        data = [c.model_dump(mode="json", exclude_none=True) | {"document": r.document.name}
                for r in reads for c in r.candidates]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    else:
        _candidate_table([(c, r.document.name) for r in reads for c in r.candidates])
    for r in reads:
        if r.report_date is None:
            err.print(f"[yellow]{r.document.name}: no report date; relative dates left "
                      "unresolved (give --report-date)[/yellow]")
        if not r.document.publisher and r.candidates:
            err.print(f"[yellow]{r.document.name}: no publisher; accepted entries will cite "
                      "'unknown publisher' (give --publisher)[/yellow]")
    if dry_run:
        return
    queue = ReviewQueue(ledger)
    added = sum(queue.add(r.document, r.candidates) for r in reads)
    total = sum(len(r.candidates) for r in reads)
    err.print(f"queued {added} new candidate(s) of {total} found; "
              "review them with `ceasefire review`")


def _candidate_table(rows: list[tuple[Any, str]], grouped: dict[str, Any] | None = None
                     ) -> None:
    table = Table(show_lines=True)
    for col in ("id", "event", "parties", "quantity", "when", "modality", "quote"):
        table.add_column(col, overflow="fold")
    for c, _name in rows:
        cells = _candidate_cells(c)
        if grouped and grouped.get(c.id, (1, []))[0] > 1:
            n, numbers = grouped[c.id]
            cells[0] += f"\n[cyan]1 of {n} reports[/cyan]" + (
                f"\n[yellow]numbers differ: {', '.join(map(str, numbers))}[/yellow]"
                if len(numbers) > 1 else "")
        table.add_row(*cells)
    out.print(table)


def _candidate_cells(c: Any) -> list[str]:
    what = c.type + (f" {c.category}" if c.category else "") + (
        f" @ {c.facility}" if c.facility else "") + (f" → {c.state}" if c.state else "") + (
        f" ({c.outcome})" if c.outcome else "")
    parties = f"{c.actor or '?'} → {c.recipient or '?'}" + (
        f" via {', '.join(c.via)}" if c.via else "")
    qty = "—" if c.quantity is None else (
        f"{c.quantity}–{c.quantity_max}" if c.quantity_max else str(c.quantity)) + (
        f" ({c.precision.value})" if c.precision and c.precision.value != "exact" else "")
    when = str(c.date) if c.date else (c.date_text or "—")
    quote = c.quote if len(c.quote) < 160 else c.quote[:157] + "…"
    prov = f"\n[dim]{', '.join(c.provisions)}[/dim]" if c.provisions else ""
    return [c.id[:12], what + prov, parties, qty, when, c.modality.value +
            (f"\n[dim]{c.attribution}[/dim]" if c.attribution else ""), quote]


def _parse_changes(pairs: list[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise CeasefireError(f"expected field=value, got {pair!r}")
        key, value = (x.strip() for x in pair.split("=", 1))
        if key in {"via", "provisions"}:
            changes[key] = [v.strip() for v in value.split(",") if v.strip()]
        else:
            changes[key] = None if value in {"", "none", "null"} else value
    return changes


@app.command()
def review(
    db: DbOpt = None,
    agreement: AgreementOpt = None,
    by: ByOpt = "cli",
    list_only: Annotated[bool, typer.Option("--list", help="List pending candidates.")
                         ] = False,
    accept: Annotated[list[str], typer.Option(help="Accept this candidate id.")] = [],  # noqa: B006
    reject: Annotated[list[str], typer.Option(help="Reject this candidate id.")] = [],  # noqa: B006
    edit: Annotated[str | None, typer.Option(help="Edit this candidate id (with --set).")
                    ] = None,
    set_: Annotated[list[str], typer.Option("--set", help="field=value for --edit.")
                    ] = [],  # noqa: B006
) -> None:
    """Accept (a), edit (e) or reject (r) queued candidates, one key each; s skips, q quits."""
    from .ingest.queue import ReviewQueue

    ledger = _ledger(db)
    a = ledger.agreement(agreement)
    queue = ReviewQueue(ledger)
    if edit:
        fixed = queue.edit(edit, _parse_changes(set_))
        err.print(f"edited {fixed.id}")
    for cid in accept:
        stored = queue.accept(cid, by=by)
        err.print(f"accepted {cid}: " + (", ".join(s.entry.id for s in stored) or
                                         "already in the ledger from this source"))
    for cid in reject:
        queue.reject(cid, by=by)
        err.print(f"rejected {cid}")
    if edit or accept or reject:
        return
    pending = queue.queued(agreement=a.id)
    if list_only or not pending:
        from .ingest.reconcile import groups

        _candidate_table([(q.candidate, q.document.name) for q in pending],
                         groups([(q.candidate, q.document) for q in pending]))
        err.print(f"{len(pending)} pending")
        return
    from .ingest.reconcile import preview

    for n, item in enumerate(pending, 1):
        c = item.candidate
        while True:
            table = Table(title=f"{n} of {len(pending)} · {item.document.publisher or '?'}: "
                          f"{item.document.title or item.document.name}", show_lines=True)
            for col in ("id", "event", "parties", "quantity", "when", "modality", "quote"):
                table.add_column(col, overflow="fold")
            table.add_row(*_candidate_cells(c))
            out.print(table)
            out.print(f"[dim]on accept: {preview(ledger, c, item.document)}[/dim]")
            out.print("[bold]a[/bold]ccept  [bold]e[/bold]dit  [bold]r[/bold]eject  "
                      "[bold]s[/bold]kip  [bold]q[/bold]uit ", end="")
            try:
                key = typer.getchar().lower()
            except OSError:
                raise CeasefireError("`ceasefire review` reads one key at a time and needs a "
                                     "terminal; without one use --list, --accept ID, "
                                     "--reject ID or --edit ID --set field=value") from None
            out.print(key)
            if key == "a":
                try:
                    stored = queue.accept(c.id, by=by)
                except CeasefireError as exc:
                    err.print(f"[red]cannot accept:[/red] {exc}")
                    continue
                out.print("accepted: " + (", ".join(s.entry.id for s in stored)
                                          or "already in the ledger from this source"))
            elif key == "e":
                line = typer.prompt("field=value (several separated by ';')")
                try:
                    c = queue.edit(c.id, _parse_changes(
                        [p for p in line.split(";") if p.strip()]))
                except CeasefireError as exc:
                    err.print(f"[red]cannot edit:[/red] {exc}")
                continue
            elif key == "r":
                queue.reject(c.id, by=by)
                out.print("rejected")
            elif key == "q":
                return
            elif key != "s":
                continue
            break
