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
    stored = _ledger(db).annotate(target, type_, recorded_by=by, state=state, note=note)
    out.print(f"[green]recorded[/green] {type_} #{stored.seq} of {target}")


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


# --- web: dashboard, JSON API and accounts ---------------------------------------------------
users_app = typer.Typer(help="Accounts for the web app: add, list, revoke, token.",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on (keep 127.0.0.1 behind a "
                                      "reverse proxy).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[bool, typer.Option(
        help="Send the session cookie over HTTPS only (set this behind a TLS proxy).")] = False,
    proxy_headers: Annotated[bool, typer.Option(
        help="Trust X-Forwarded-For/-Proto from --forwarded-allow-ips.")] = False,
    forwarded_allow_ips: Annotated[str, typer.Option(
        help="Proxies whose X-Forwarded-* headers are trusted.")] = "127.0.0.1",
    access_log: Annotated[bool, typer.Option(help="Log each request line.")] = True,
    workers: Annotated[int, typer.Option(
        min=1, help="Server processes (each keeps its own status cache).")] = 1,
) -> None:
    """Serve the dashboard and the JSON API (documented at /api/docs)."""
    import os

    import uvicorn

    _ledger(db)  # create and migrate the database once, before any worker starts
    if db:
        os.environ["CEASEFIRE_DATABASE_URL"] = db
    os.environ["CEASEFIRE_SECURE_COOKIES"] = "1" if secure_cookies else ""
    err.print(f"ceasefire on http://{host}:{port}/ (API schema at /openapi.json)")
    uvicorn.run("ceasefire.web.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, proxy_headers=proxy_headers,
                forwarded_allow_ips=forwarded_allow_ips, access_log=access_log,
                log_level="info")


def _accounts(db: str | None):  # type: ignore[no-untyped-def]
    from .users import Accounts

    return Accounts(_ledger(db).engine)


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="viewer, reporter, verifier or admin.")] = "viewer",
    cleared: Annotated[bool, typer.Option(
        help="May see restricted fields and confidential sources.")] = False,
    password: Annotated[str | None, typer.Option(
        envvar="CEASEFIRE_PASSWORD", help="Asked for when not given (never echoed).")] = None,
    by: ByOpt = "cli",
    db: DbOpt = None,
) -> None:
    """Create an account (the first admin is made this way)."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = _accounts(db).add(name, password, role, cleared=cleared, by=by)
    out.print(f"[green]added[/green] {user.name} ({user.role.value}"
              f"{', cleared' if user.cleared else ''})")


@users_app.command("list")
def users_list(db: DbOpt = None) -> None:
    """Accounts, their roles and clearance (revoked ones too)."""
    table = Table()
    for col in ("name", "role", "cleared", "created", "by", "state"):
        table.add_column(col)
    for user, at, by in _accounts(db).list():
        table.add_row(user.name, user.role.value, "yes" if user.cleared else "no",
                      at.strftime("%Y-%m-%d %H:%M"), by, "revoked" if user.revoked else "active")
    out.print(table)


@users_app.command("revoke")
def users_revoke(name: str, by: ByOpt = "cli", db: DbOpt = None) -> None:
    """Withdraw an account and its API tokens (past entries keep its name)."""
    _accounts(db).revoke(name, by=by)
    out.print(f"[green]revoked[/green] {name}")


@users_app.command("token")
def users_token(name: str, label: Annotated[str, typer.Option(help="What it is for.")] = "api",
                db: DbOpt = None) -> None:
    """Make an API token for a user; printed once, stored only as a digest."""
    token = _accounts(db).create_token(name, label)
    sys.stdout.write(token + "\n")


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
