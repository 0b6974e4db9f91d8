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
    if result.phases:  # an agreement without phases gets no empty table
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


def _bar() -> Progress:
    """The progress bar of long commands, on stderr, gone when done."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True)


@app.command()
def verify(db: DbOpt = None) -> None:
    """Recompute the hash chain; name the first edited, deleted, inserted or moved entry."""
    ledger = _ledger(db)
    with _bar() as bar:
        task = bar.add_task("verifying", total=ledger.head()[0])
        report = ledger.verify(progress=lambda n: bar.advance(task, n))
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
    with _bar() as bar:
        checking = bar.add_task("checking", total=len(rows))
        writing = bar.add_task("writing", total=len(rows))
        added = ledger.import_rows([r.data for r in rows], recorded_by=by,
                                   agreement=agreement, where=lambda i: where[i],
                                   skip_existing=True,
                                   checked=lambda n: bar.advance(checking, n),
                                   written=lambda n: bar.advance(writing, n))
    skipped = len(rows) - added
    out.print(f"[green]imported[/green] {added} entries"
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


# --- remains: sites, teams, custody, missing persons ---------------------------------------
sites_app = typer.Typer(help="Sites believed to hold remains: list, show, report, update, map.",
                        no_args_is_help=True)
teams_app = typer.Typer(help="Search, handover and forensic teams: list, show, add.",
                        no_args_is_help=True)
custody_app = typer.Typer(help="Chains of custody of recovered remains: list, show, add.",
                          no_args_is_help=True)
app.add_typer(sites_app, name="sites")
app.add_typer(teams_app, name="teams")
app.add_typer(custody_app, name="custody")

AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="The world on this date (YYYY-MM-DD = end of that day).")]
KnownAtOpt = Annotated[str | None, typer.Option(
    "--known-at", help="Use only what had been recorded by this date.")]
ShowRestrictedOpt = Annotated[bool, typer.Option(
    "--show-restricted", help="Show coordinates, names and site-person links (cleared "
    "users only).")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table or json.")]
PublisherOpt = Annotated[str | None, typer.Option(help="Source: publisher.")]
TitleOpt = Annotated[str | None, typer.Option(help="Source: title.")]
SDateOpt = Annotated[str | None, typer.Option(help="Source: publication date.")]
UrlOpt = Annotated[str | None, typer.Option(help="Source: address.")]
QuoteOpt = Annotated[str | None, typer.Option(help="Source: a short verbatim quote.")]
ConfidentialOpt = Annotated[bool, typer.Option(help="The source is confidential.")]


def _sources(publisher: str | None, title: str | None, date: str | None, url: str | None,
             quote: str | None, confidential: bool = False) -> list[dict[str, Any]]:
    from .remains.record import one_source

    return one_source(publisher, title, date, url, quote, confidential)


def _remains_view(db: str | None, agreement: str | None, as_of: str | None,
                  known_at: str | None):  # type: ignore[no-untyped-def]
    from .remains.views import open_view
    from .times import moment

    ledger = _ledger(db)
    tz = ledger.agreement(agreement).tz
    a, view = open_view(ledger, agreement, as_of=moment(as_of, tz) if as_of else None,
                        known_at=moment(known_at, tz) if known_at else None)
    return ledger, a, view


def _dump(items: list[Any], show_restricted: bool) -> None:
    data = [(x if show_restricted else x.public()).model_dump(mode="json") for x in items]
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise CeasefireError(f"--format must be table or json, not {fmt!r}")


def _steps_table(steps: list[Any], tz: Any) -> Table:
    from .report import fmt_time

    table = Table(show_lines=True)
    for col in ("when", "what", "team", "verification", "sources"):
        table.add_column(col, overflow="fold")
    for s in steps:
        table.add_row(fmt_time(s.when, tz), s.what + (f"\n[dim]{s.note}[/dim]" if s.note else ""),
                      s.team or "—", s.verification,
                      "\n".join(f"{x.publisher}: “{x.quote}”" for x in s.sources))
    return table


@sites_app.command("list")
def sites_list(db: DbOpt = None, agreement: AgreementOpt = None, as_of: AsOfOpt = None,
               known_at: KnownAtOpt = None, show_restricted: ShowRestrictedOpt = False,
               fmt: FormatOpt = "table") -> None:
    """Every site: status, provider, priority, access, teams (coordinates when cleared)."""
    from .remains.views import member_name, site_rows
    from .report import fmt_time

    _check_format(fmt)
    _, a, view = _remains_view(db, agreement, as_of, known_at)
    rows = site_rows(view)
    if fmt == "json":
        _dump(rows, show_restricted)
        return
    if not rows:
        out.print(f"no sites recorded for {a.id}")
        return
    table = Table(title="Sites", show_lines=True)
    cols = ["site", "status", "description", "provided by", "priority", "access", "teams",
            "changed"] + (["coordinates", "may concern"] if show_restricted else [])
    for col in cols:
        table.add_column(col, overflow="fold")
    for r in rows:
        cells = [r.site, r.status.value, r.description or "—", a.name_of(r.provided_by),
                 str(r.priority or "—"), r.access or "—", ", ".join(r.teams) or "—",
                 fmt_time(r.changed_at, a.tz)]
        if show_restricted:
            c = r.coordinates
            cells += [f"{c.lat:.5f}, {c.lon:.5f}" + (f" ±{c.radius_m:g} m" if c.radius_m else "")
                      if c else "—",
                      ", ".join(member_name(a, p) for p in r.persons or []) or "—"]
        table.add_row(*cells)
    out.print(table)
    if not show_restricted:
        err.print("[dim]coordinates and site-person links hidden (--show-restricted)[/dim]")


@sites_app.command("show")
def sites_show(site: str, db: DbOpt = None, agreement: AgreementOpt = None,
               as_of: AsOfOpt = None, known_at: KnownAtOpt = None,
               show_restricted: ShowRestrictedOpt = False, fmt: FormatOpt = "table") -> None:
    """One site's history: every status change and every team's activity on it."""
    from .remains.views import member_name, site_rows

    _check_format(fmt)
    _, a, view = _remains_view(db, agreement, as_of, known_at)
    row = next((r for r in site_rows(view) if r.site == site), None)
    if row is None:
        raise CeasefireError(f"no site {site!r} in agreement {a.id}")
    if fmt == "json":
        _dump([row], show_restricted)
        return
    out.print(f"[bold]{row.site}[/bold] — {row.status.value}; {row.description or ''}")
    if show_restricted:
        if row.coordinates:
            out.print(f"coordinates {row.coordinates.lat}, {row.coordinates.lon}"
                      + (f" ±{row.coordinates.radius_m:g} m" if row.coordinates.radius_m
                         else ""))
        if row.persons:
            out.print("may concern " + ", ".join(member_name(a, p) for p in row.persons))
    out.print(_steps_table([s if show_restricted else s.public() for s in row.history], a.tz))


def _site_row_out(stored: Any) -> None:
    out.print(f"[green]recorded[/green] #{stored.seq} {stored.entry.id}")


@sites_app.command("report")
def sites_report(
    site: str, at: Annotated[str, typer.Option(help="When it was provided.")],
    by: ByOpt = "cli", db: DbOpt = None, agreement: AgreementOpt = None,
    description: str | None = None,
    lat: Annotated[float | None, typer.Option(help="Latitude (restricted).")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude (restricted).")] = None,
    radius: Annotated[float | None, typer.Option(help="Uncertainty radius, metres.")] = None,
    person: Annotated[list[str] | None, typer.Option(
        help="A roster member the site may hold (restricted); repeat for several.")] = None,
    provided_by: Annotated[str | None, typer.Option(help="Party that provided it.")] = None,
    priority: Annotated[int | None, typer.Option(help="1 (most urgent) to 5.")] = None,
    access: Annotated[str | None, typer.Option(help="Access constraints.")] = None,
    roster: str | None = None, note: str | None = None,
    source_publisher: PublisherOpt = None, source_title: TitleOpt = None,
    source_date: SDateOpt = None, source_url: UrlOpt = None, source_quote: QuoteOpt = None,
    source_confidential: ConfidentialOpt = False,
) -> None:
    """Report a site believed to hold remains (coordinates and persons are restricted)."""
    from .remains.record import record_site

    if (lat is None) != (lon is None):
        raise CeasefireError("give both --lat and --lon, or neither")
    coords: dict[str, float] | None = None
    if lat is not None and lon is not None:
        coords = {"lat": lat, "lon": lon}
        if radius is not None:
            coords["radius_m"] = radius
    _site_row_out(record_site(
        _ledger(db), site=site, status="reported", at=at, by=by, agreement=agreement,
        description=description, coordinates=coords, persons=person or None,
        provided_by=provided_by, priority=priority, access=access, roster=roster, note=note,
        sources=_sources(source_publisher, source_title, source_date, source_url,
                         source_quote, source_confidential)))


@sites_app.command("update")
def sites_update(
    site: str,
    status: Annotated[str, typer.Argument(help="assigned, searching, excavating, recovered, "
                                          "'nothing found', inaccessible, closed.")],
    at: Annotated[str, typer.Option(help="When it changed.")],
    by: ByOpt = "cli", db: DbOpt = None, agreement: AgreementOpt = None,
    team: str | None = None, actor: str | None = None, priority: int | None = None,
    access: str | None = None, note: str | None = None,
    source_publisher: PublisherOpt = None, source_title: TitleOpt = None,
    source_date: SDateOpt = None, source_url: UrlOpt = None, source_quote: QuoteOpt = None,
    source_confidential: ConfidentialOpt = False,
) -> None:
    """Record a change of a site's status (a new ledger entry)."""
    from .remains.model import SiteStatus
    from .remains.record import record_site

    try:
        state = SiteStatus(status.replace("_", " "))
    except ValueError:
        raise CeasefireError(f"unknown site status {status!r}; expected one of "
                             f"{', '.join(s.value for s in SiteStatus)}") from None
    _site_row_out(record_site(
        _ledger(db), site=site, status=state, at=at, by=by, agreement=agreement, team=team,
        actor=actor, priority=priority, access=access, note=note,
        sources=_sources(source_publisher, source_title, source_date, source_url,
                         source_quote, source_confidential)))


@sites_app.command("map")
def sites_map(
    output: Annotated[Path, typer.Option("--out", "-o", help="SVG file to write.")],
    basemap: Annotated[Path | None, typer.Option(
        envvar="CEASEFIRE_BASEMAP", help="GeoJSON basemap drawn under the sites.")] = None,
    db: DbOpt = None, agreement: AgreementOpt = None, as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None, show_restricted: ShowRestrictedOpt = False,
) -> None:
    """Draw the sites as an SVG file, offline (coordinates are restricted)."""
    from .remains.svgmap import load_basemap, site_map_svg
    from .remains.views import site_rows

    _, a, view = _remains_view(db, agreement, as_of, known_at)
    rows = site_rows(view)
    rows = rows if show_restricted else [r.public() for r in rows]
    svg = site_map_svg(rows, load_basemap(basemap) if basemap else None,
                       title=f"{a.name}: sites")
    output.write_text(svg, encoding="utf-8")
    err.print(f"written {output}")


@teams_app.command("list")
def teams_list(db: DbOpt = None, agreement: AgreementOpt = None, as_of: AsOfOpt = None,
               known_at: KnownAtOpt = None, fmt: FormatOpt = "table") -> None:
    """Each team: organisation, country, size, role, its sites and its activity log."""
    from .remains.views import team_views
    from .report import fmt_time

    _check_format(fmt)
    _, a, view = _remains_view(db, agreement, as_of, known_at)
    teams = team_views(view)
    if fmt == "json":
        _dump(teams, False)
        return
    table = Table(title="Teams", show_lines=True)
    for col in ("team", "organisation", "country", "size", "role", "works from",
                "sites", "activity"):
        table.add_column(col, overflow="fold")
    for t in teams:
        table.add_row(t.team, t.organisation or "—", t.country or "—",
                      str(t.size) if t.size is not None else "—",
                      t.role.value if t.role else "—",
                      f"coordinates from {a.name_of(t.coordinates_from)}"
                      if t.coordinates_from else "—",
                      "\n".join(f"{s}: {st.value if st else '?'}" for s, st in t.sites.items())
                      or "—",
                      (f"{fmt_time(t.log[-1].when, a.tz)} {t.log[-1].what}"
                       + (f" [dim](+{len(t.log) - 1} earlier)[/dim]" if len(t.log) > 1 else ""))
                      if t.log else "—")
    out.print(table)


@teams_app.command("show")
def teams_show(team: str, db: DbOpt = None, agreement: AgreementOpt = None,
               as_of: AsOfOpt = None, known_at: KnownAtOpt = None,
               fmt: FormatOpt = "table") -> None:
    """One team: its sites with their outcome, the remains it handled, its activity log."""
    from .remains.views import team_views

    _check_format(fmt)
    _, a, view = _remains_view(db, agreement, as_of, known_at)
    found = next((t for t in team_views(view) if t.team == team), None)
    if found is None:
        raise CeasefireError(f"no team {team!r} in agreement {a.id}")
    if fmt == "json":
        _dump([found], False)
        return
    out.print(f"[bold]{found.team}[/bold] — " + ", ".join(x for x in (
        found.organisation, found.country, found.role and found.role.value,
        found.size is not None and f"{found.size} people",
        found.equipment and "equipment: " + ", ".join(found.equipment),
        found.coordinates_from and f"coordinates from {a.name_of(found.coordinates_from)}")
        if x))
    for site, state in found.sites.items():
        out.print(f"  site {site}: {state.value if state else '?'}")
    if found.remains:
        out.print("  remains: " + ", ".join(found.remains))
    out.print(_steps_table([s.public() for s in found.log], a.tz))


@teams_app.command("add")
def teams_add(
    team: str, at: Annotated[str, typer.Option(help="When.")],
    by: ByOpt = "cli", db: DbOpt = None, agreement: AgreementOpt = None,
    organisation: str | None = None, country: str | None = None, size: int | None = None,
    equipment: Annotated[list[str] | None, typer.Option(help="Repeat for several.")] = None,
    role: Annotated[str | None, typer.Option(help="search, handover or forensic.")] = None,
    site: str | None = None, activity: str | None = None,
    coordinates_from: str | None = None, note: str | None = None,
    source_publisher: PublisherOpt = None, source_title: TitleOpt = None,
    source_date: SDateOpt = None, source_url: UrlOpt = None, source_quote: QuoteOpt = None,
    source_confidential: ConfidentialOpt = False,
) -> None:
    """Register a team, or log its activity (on a site, with --site)."""
    from .remains.record import record_team

    _site_row_out(record_team(
        _ledger(db), team=team, at=at, by=by, agreement=agreement, organisation=organisation,
        country=country, size=size, equipment=equipment, role=role, site=site,
        activity=activity, coordinates_from=coordinates_from, note=note,
        sources=_sources(source_publisher, source_title, source_date, source_url,
                         source_quote, source_confidential)))


@custody_app.command("list")
def custody_list(db: DbOpt = None, agreement: AgreementOpt = None, as_of: AsOfOpt = None,
                 known_at: KnownAtOpt = None, show_restricted: ShowRestrictedOpt = False,
                 fmt: FormatOpt = "table") -> None:
    """Every set of remains: where it is in its chain, and the identification result."""
    from .remains.views import custody_chains, member_name

    _check_format(fmt)
    _, a, view = _remains_view(db, agreement, as_of, known_at)
    chains = custody_chains(view, a)
    if fmt == "json":
        _dump(chains, show_restricted)
        return
    if not chains:
        out.print(f"no remains in custody recorded for {a.id}")
        return
    table = Table(title="Custody", show_lines=True)
    cols = ["remains", "site", "stage", "result", "handover", "links"] + (
        ["believed to be", "identified as"] if show_restricted else [])
    for col in cols:
        table.add_column(col, overflow="fold")
    for c in chains:
        cells = [c.remains, c.site or "—", c.stage.value.replace("_", " "), c.result,
                 c.handover or "—", " → ".join(s.what.split(":")[0] for s in c.steps)]
        if show_restricted:
            cells += [", ".join(member_name(a, p) for p in c.expected or []) or "—",
                      member_name(a, c.identified_as) if c.identified_as else "—"]
        table.add_row(*cells)
    out.print(table)


@custody_app.command("show")
def custody_show(remains: str, db: DbOpt = None, agreement: AgreementOpt = None,
                 as_of: AsOfOpt = None, known_at: KnownAtOpt = None,
                 show_restricted: ShowRestrictedOpt = False, fmt: FormatOpt = "table") -> None:
    """The custody timeline of one set of remains."""
    from .remains.views import custody_chain, member_name

    _check_format(fmt)
    _, a, view = _remains_view(db, agreement, as_of, known_at)
    chain = custody_chain(view, a, remains)
    if fmt == "json":
        _dump([chain], show_restricted)
        return
    out.print(f"[bold]{chain.remains}[/bold] — {chain.stage.value.replace('_', ' ')}, "
              f"{chain.result}" + (f"; counted under {chain.provision}" if chain.provision
                                   else ""))
    if show_restricted and (chain.expected or chain.identified_as):
        out.print("believed to be " + (", ".join(member_name(a, p) for p in chain.expected or [])
                                       or "—")
                  + "; identified as " + (member_name(a, chain.identified_as)
                                          if chain.identified_as else "—"))
    out.print(_steps_table([s if show_restricted else s.public() for s in chain.steps], a.tz))


@custody_app.command("add")
def custody_add(
    remains: Annotated[list[str], typer.Argument(help="Identifiers of the sets of remains.")],
    link: Annotated[str, typer.Option(help="recovered, held, handed_over, crossed, received, "
                                      "identified, returned.")],
    at: Annotated[str, typer.Option(help="When.")],
    by: ByOpt = "cli", db: DbOpt = None, agreement: AgreementOpt = None,
    site: str | None = None, team: str | None = None, roster: str | None = None,
    holder: str | None = None, institute: str | None = None,
    facility: Annotated[str | None, typer.Option(help="The crossing (crossed).")] = None,
    actor: str | None = None,
    person: Annotated[list[str] | None, typer.Option(
        help="Believed to be (recovered) or identified as (identified): restricted.")] = None,
    result: Annotated[str | None, typer.Option(
        help="identified: expected, other (not covered) or unresolved.")] = None,
    note: str | None = None,
    source_publisher: PublisherOpt = None, source_title: TitleOpt = None,
    source_date: SDateOpt = None, source_url: UrlOpt = None, source_quote: QuoteOpt = None,
    source_confidential: ConfidentialOpt = False,
) -> None:
    """Add a link to a custody chain; a link out of order is refused."""
    from .remains.model import CustodyLink
    from .remains.record import record_link

    try:
        step = CustodyLink(link)
    except ValueError:
        raise CeasefireError(f"unknown custody link {link!r}; expected one of "
                             f"{', '.join(x.value for x in CustodyLink)}") from None
    if result is not None and result not in ("expected", "other", "unresolved"):
        raise CeasefireError(f"--result must be expected, other or unresolved, not {result!r}")
    _site_row_out(record_link(
        _ledger(db), remains=remains, link=step, at=at, by=by, agreement=agreement, site=site,
        team=team, roster=roster, holder=holder, institute=institute, facility=facility,
        actor=actor, persons=person or None, result=result, note=note,
        sources=_sources(source_publisher, source_title, source_date, source_url,
                         source_quote, source_confidential)))


@app.command("missing")
def missing(db: DbOpt = None, agreement: AgreementOpt = None,
            roster: Annotated[str | None, typer.Option(help="Only this roster.")] = None,
            as_of: AsOfOpt = None, known_at: KnownAtOpt = None,
            show_restricted: ShowRestrictedOpt = False, fmt: FormatOpt = "table") -> None:
    """The persons whose remains are owed, each with status (the engine counts this list)."""
    from .remains.views import missing_persons, remains_rosters
    from .report import fmt_time

    _check_format(fmt)
    _, a, view = _remains_view(db, agreement, as_of, known_at)
    rosters = [r for r in remains_rosters(a) if roster in (None, r.id)]
    if roster and not rosters:
        raise CeasefireError(f"no roster {roster!r} of remains in agreement {a.id}; expected "
                             f"one of {', '.join(r.id for r in remains_rosters(a)) or '(none)'}")
    lists = [missing_persons(view, a, r.id) for r in rosters]
    if fmt == "json":
        _dump(lists, show_restricted)
        return
    for ml in lists:
        shown = ml if show_restricted else ml.public()
        counts = ", ".join(f"{n} {s}" for s, n in sorted(ml.counts.items()))
        table = Table(title=f"{a.name_of(ml.roster)} ({ml.size}): {counts}", show_lines=False)
        cols = ["#", "person", "status", "since", "note"] + (
            ["sites", "remains"] if show_restricted else [])
        for col in cols:
            table.add_column(col, overflow="fold")
        for p in shown.people:
            who = p.name or p.member or ("(unnamed)" if p.public_name else "(restricted)")
            cells = [str(p.index), who + (" [dim](beyond the roster)[/dim]" if p.beyond_roster
                                          else ""),
                     p.status.value, fmt_time(p.since, a.tz) if p.since else "—", p.note or ""]
            if show_restricted:
                cells += [", ".join(p.sites) or "—", ", ".join(p.remains) or "—"]
            table.add_row(*cells)
        out.print(table)


# --- briefs and alerts ---------------------------------------------------------------------
BriefAsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="The world on this date (YYYY-MM-DD = end of that day; default now).")]
BriefKnownAtOpt = Annotated[str | None, typer.Option(
    "--known-at", help="Use only what had been recorded by then (default: the as-of date).")]
SinceOpt = Annotated[str | None, typer.Option(
    "--since", help="What changed since this date (default: a day before the as-of date).")]


def _dates(a, as_of: str | None, known_at: str | None,  # type: ignore[no-untyped-def]
           since: str | None) -> tuple[dt.datetime, dt.datetime, dt.datetime | None]:
    from .times import moment

    when = moment(as_of, a.tz)
    return when, moment(known_at, a.tz) if known_at else when, (
        moment(since, a.tz) if since else None)


@app.command()
def brief(
    db: DbOpt = None,
    agreement: AgreementOpt = None,
    since: SinceOpt = None,
    as_of: BriefAsOfOpt = None,
    known_at: BriefKnownAtOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html, pdf or json.")] = "md",
    output: Annotated[Path | None, typer.Option(
        "--out", "-o", help="File to write (Markdown puts its charts in <name>-charts/).")] = None,
) -> None:
    """A one-page brief: headline, what changed, overdue/blocked, disputes, projections."""
    from .brief import FORMATS, brief_files, build_brief, render, write_files

    if fmt not in FORMATS:
        raise CeasefireError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "pdf" and output is None and sys.stdout.isatty():
        raise CeasefireError("a PDF brief needs --out FILE (or redirect the output)")
    ledger = _ledger(db)
    a = ledger.agreement(agreement)
    when, known, start = _dates(a, as_of, known_at, since)
    with err.status(f"building the brief ({fmt})"):
        b = build_brief(ledger, a.id, as_of=when, known_at=known, since=start)
        if output is None:
            data = render(b, fmt)
        else:
            files = brief_files(b, fmt, output)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_files(files)
    err.print(f"written {output}" + (f" and {len(files) - 1} charts" if len(files) > 1 else ""))


@app.command()
def alerts(
    db: DbOpt = None,
    agreement: AgreementOpt = None,
    since: SinceOpt = None,
    as_of: BriefAsOfOpt = None,
    known_at: BriefKnownAtOpt = None,
    within_hours: Annotated[float, typer.Option(help="Deadline within this many hours.")] = 24,
    flow_days: Annotated[int, typer.Option(
        help="Days in a row a flow is under its minimum / over its cap.")] = 3,
    balance_days: Annotated[float, typer.Option(
        help="Days a ratio balance may stay owed.")] = 3,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    output: Annotated[Path | None, typer.Option("--out", "-o", help="Write JSON here.")] = None,
    webhook: Annotated[str | None, typer.Option(
        envvar="CEASEFIRE_ALERTS_WEBHOOK",
        help="POST each new alert here (once per alert, retried with back-off).")] = None,
    retries: Annotated[int, typer.Option(help="Retries per alert after a failure.")] = 4,
) -> None:
    """Rules over the engine's results: deadlines, overdue, flows, balances, disputes ..."""
    from pydantic import ValidationError

    from .alerts import Thresholds, deliver, evaluate_alerts, to_json
    from .engine import Engine
    from .report import fmt_time

    if fmt not in ("table", "json"):
        raise CeasefireError(f"--format must be table or json, not {fmt!r}")
    try:
        th = Thresholds(deadline_hours=within_hours, flow_days=flow_days,
                        balance_days=balance_days)
    except ValidationError as exc:
        e = exc.errors()[0]
        raise CeasefireError(f"{e['loc'][0]}: {e['msg']}") from None
    ledger = _ledger(db)
    a = ledger.agreement(agreement)
    when, known, start = _dates(a, as_of, known_at, since)
    found = evaluate_alerts(Engine(ledger), a, as_of=when, known_at=known, since=start,
                            thresholds=th)
    text = to_json(found)
    if output:
        from .brief import write_files

        write_files({output: text.encode()})
        err.print(f"written {output}")
    if fmt == "json":
        sys.stdout.write(text)
    else:
        table = Table(title=f"{len(found)} alerts as of {fmt_time(when, a.tz)}")
        for col, ratio in (("rule", 2), ("severity", 1), ("provision", 2), ("alert", 6),
                           ("since", 2)):
            table.add_column(col, overflow="fold", ratio=ratio)
        for x in found:
            table.add_row(x.rule.value, x.severity, x.provision or "—", x.message,
                          fmt_time(x.since, a.tz))
        out.print(table)
    if webhook:
        report = deliver(ledger.engine, found, webhook, retries=retries)
        err.print(f"webhook: {len(report.sent)} sent, {len(report.already)} sent before, "
                  f"{len(report.failed)} failed")
        if report.failed:
            err.print("[red]not delivered:[/red] " + "; ".join(
                f"{k}: {v}" for k, v in sorted(report.failed.items())))
            raise typer.Exit(1)


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
    unread: Annotated[bool, typer.Option(
        "--unread", help="With --format json: print {\"candidates\": [...], \"unread\": "
        "[...]}, the second being the sentences passed over (the table always lists "
        "them).")] = False,
) -> None:
    """Read reports and queue the events they mention for review (`ceasefire review`).

    Sentences that name the agreement's terms with a figure, a date or an event word but
    gave no candidate are listed too, and queued for a person to read (`ceasefire review
    --unread`): the extractor misses events in phrasing it does not know."""
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
        data: Any = [c.model_dump(mode="json", exclude_none=True) |
                     {"document": r.document.name} for r in reads for c in r.candidates]
        if unread:
            data = {"candidates": data, "unread": [
                u.model_dump(mode="json") | {"document": r.document.name}
                for r in reads for u in r.unread]}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    else:
        _candidate_table([(c, r.document.name) for r in reads for c in r.candidates])
        _unread_table([(u, r.document.name) for r in reads for u in r.unread])
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
    added = sum(queue.add(r.document, r.candidates, r.unread) for r in reads)
    total = sum(len(r.candidates) for r in reads)
    passed = sum(len(r.unread) for r in reads)
    err.print(f"queued {added} new candidate(s) of {total} found; "
              "review them with `ceasefire review`" + (
                  f"; {passed} sentence(s) passed over: read them with `ceasefire review "
                  "--unread`" if passed else ""))


def _unread_table(rows: list[tuple[Any, str]], title: str = "sentences passed over: they "
                  "name the agreement's terms but gave no candidate; read them") -> None:
    if not rows:
        return
    table = Table(title=title, show_lines=True)
    for col in ("id", "names", "why", "sentence", "report"):
        table.add_column(col, overflow="fold")
    for u, name in rows:
        table.add_row(u.short, ", ".join(u.names), u.why, u.quote, name)
    out.print(table)


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
    when = (f"{c.date}–{c.date_end}" if c.date_end else str(c.date)) if c.date else (
        c.date_text or "—")
    quote = c.quote if len(c.quote) < 160 else c.quote[:157] + "…"
    prov = f"\n[dim]{', '.join(c.provisions)}[/dim]" if c.provisions else ""
    return [c.short, what + prov, parties, qty, when, c.modality.value +
            (f"\n[dim]{c.attribution}[/dim]" if c.attribution else "") +
            (f"\n[yellow]{c.note}[/yellow]" if c.note else ""), quote]


def _parse_changes(pairs: list[str]) -> dict[str, Any]:
    from .ingest.queue import parse_changes

    return parse_changes(pairs)


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
    unread: Annotated[bool, typer.Option(
        "--unread", help="List the sentences ingests passed over, not yet checked.")
                      ] = False,
    checked: Annotated[list[str], typer.Option(
        help="Mark this passed-over sentence id as read.")] = [],  # noqa: B006
) -> None:
    """Accept (a), edit (e) or reject (r) queued candidates, one key each; s skips, q quits.

    `--unread` lists the sentences ingests passed over; `--checked ID` marks one read once
    whatever it states is in the ledger (`ceasefire events add`) or found to be nothing."""
    from .ingest.queue import ReviewQueue

    ledger = _ledger(db)
    a = ledger.agreement(agreement)
    queue = ReviewQueue(ledger)
    for uid in checked:
        queue.check_off(uid, by=by)
        err.print(f"checked {uid}")
    if unread:
        left = queue.unread(agreement=a.id)
        _unread_table([(q.sentence, q.document.name) for q in left],
                      title="sentences passed over, not yet checked")
        err.print(f"{len(left)} unread")
        return
    if checked:
        return
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


if __name__ == "__main__":
    main()
