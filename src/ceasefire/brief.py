"""The morning brief: what changed, what is overdue, blocked or disputed, who owes what.

:func:`build_brief` assembles the brief as data (:class:`Brief`) from the engine's status at
``as_of`` and at ``since`` and the ledger entries that became visible in between; the
renderers (:func:`render_markdown`, :func:`render_html`, :func:`render_pdf`) only lay it out,
through the Jinja2 templates in ``templates/brief/``.

A brief is reproducible: everything in it comes from the two dates, never from the clock,
so the same ``as_of``/``known_at`` gives the same bytes (PDF included: its dates are the
brief's known-at and its file identifier a hash of the content). Restricted fields and
confidential sources never appear, as in `ceasefire status`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import threading
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field

from .agreement import Agreement
from .charts import provision_chart
from .engine import Engine, evidence_of
from .errors import CeasefireError
from .ledger import META_TYPES, Entry, EntryType, Ledger
from .projection import Projection, owed_quantity, projection_for
from .report import fmt_time, reported_figure, status_line
from .sources import Source
from .status import (
    AgreementStatus,
    Freshness,
    Level,
    PartyResult,
    PhaseResult,
    ProvisionResult,
    Status,
)
from .storage import entries as entries_table
from .times import to_us

#: Statuses the brief lists under "overdue, withheld, breached and blocked", in that order.
TROUBLE = [Status.OVERDUE, Status.WITHHELD, Status.BREACHED, Status.BLOCKED]


class SourceRef(BaseModel):
    """A numbered entry of the brief's source list; the text cites it as [n]."""

    n: int
    publisher: str
    title: str
    date: dt.date | None = None
    url: str | None = None


class PhaseHeadline(BaseModel):
    id: str
    name: str
    open: bool
    complete: bool
    level: Level
    counts: dict[str, int] = Field(description="Provisions per status, agreed ones only.")
    held_up_by: list[str]


class ChangedEntry(BaseModel):
    id: str
    type: str
    when: str
    recorded_at: dt.datetime | None = Field(description="None where not shown (disputes).")
    summary: str
    verification: str
    sources: list[int]


class StatusChange(BaseModel):
    """A phase (open, complete) or a provision whose status changed."""

    provision: str = Field(description="The provision's or the phase's id.")
    title: str
    before: str
    after: str


class Trouble(BaseModel):
    """An overdue, withheld, breached or blocked provision and why."""

    provision: str
    title: str
    status: Status
    reason: str
    since: dt.datetime | None
    detail: str
    by: str | None
    cites: list[int]


class DisputedReport(BaseModel):
    value: str
    sources: list[int]


class DisputedFact(BaseModel):
    entry: str
    type: str
    when: str
    reports: list[DisputedReport]


class DisputedProvision(BaseModel):
    provision: str
    title: str
    detail: str
    entries: list[ChangedEntry]


class Chart(BaseModel):
    provision: str
    title: str
    svg: str


class Brief(BaseModel):
    agreement: str
    name: str
    timezone: str
    since: dt.datetime
    as_of: dt.datetime
    known_at: dt.datetime
    level: Level
    freshness: Freshness
    phases: list[PhaseHeadline]
    new_entries: list[ChangedEntry]
    corrections: list[ChangedEntry] = Field(description="Corrections and retractions.")
    verifications: list[ChangedEntry]
    status_changes: list[StatusChange]
    trouble: list[Trouble]
    disputed_facts: list[DisputedFact]
    disputed_provisions: list[DisputedProvision]
    parties: list[PartyResult]
    provision_cites: dict[str, list[int]] = Field(
        description="Source numbers of each listed provision's text in the agreement.")
    projections: list[Projection]
    charts: list[Chart]
    sources: list[SourceRef]


class _Citations:
    """Numbers sources in order of first citation; the same document keeps one number.

    Confidential sources are never numbered, so they cannot reach any rendering.
    """

    def __init__(self, terms: Agreement) -> None:
        self.terms = terms
        self.refs: dict[tuple[Any, ...], SourceRef] = {}
        self.provisions: dict[str, list[int]] = {}

    def cite(self, publisher: str, title: str, date: dt.date | None, url: str | None) -> int:
        key = (publisher.strip(), title.strip(), date, url)
        if key not in self.refs:
            self.refs[key] = SourceRef(n=len(self.refs) + 1, publisher=publisher, title=title,
                                       date=date, url=url)
        return self.refs[key].n

    def sources(self, sources: Iterable[Source]) -> list[int]:
        return sorted({self.cite(s.publisher, s.title, s.date, s.url)
                       for s in sources if not s.confidential})

    def provision(self, pid: str) -> list[int]:
        """The agreement text a provision comes from."""
        if pid not in self.provisions:
            doc = self.terms.sources.get(self.terms.provision(pid).source.ref)
            self.provisions[pid] = ([self.cite(doc.publisher, doc.title, doc.date, doc.url)]
                                    if doc else [])
        return self.provisions[pid]

    def numbered(self) -> list[SourceRef]:
        return sorted(self.refs.values(), key=lambda s: s.n)


def build_brief(source: Engine | Ledger, agreement: str | Agreement | None = None, *,
                as_of: dt.datetime, since: dt.datetime | None = None,
                known_at: dt.datetime | None = None, charts: bool = True) -> Brief:
    """The brief for ``(as_of, known_at)``, with what changed since ``since``.

    ``known_at`` defaults to ``as_of`` (the brief one could have written on that date) and
    ``since`` to a day before ``as_of``. ``source`` is an :class:`Engine` or a Ledger.
    """
    engine = source if isinstance(source, Engine) else Engine(source)
    base = agreement if isinstance(agreement, Agreement) else engine.ledger.agreement(agreement)
    known_at = known_at or as_of
    terms = base.in_force(as_of)
    before, now = engine.since(base, as_of=as_of, known_at=known_at, since=since)
    refs = _Citations(terms)
    new, fixes, checks = _changed_entries(engine, terms, before, now, refs)
    trouble = [Trouble(provision=r.id, title=r.title, status=r.status, reason=_reason(r, terms),
                       since=r.overdue_since, detail=r.detail, by=r.by,
                       cites=refs.provision(r.id))
               for status in TROUBLE for r in now.provisions if r.status == status]
    facts, provisions = _disputes(now, refs)
    parties = [p for p in now.parties if p.outstanding]
    for p in parties:
        for o in p.outstanding:
            refs.provision(o.provision)
    histories = engine.histories(terms, [
        r.id for r in now.provisions if r.negotiation == "agreed"
        and (owed_quantity(r) is not None or charts)], as_of=as_of, known_at=known_at)
    projected = [proj for r in now.provisions if r.id in histories
                 and (proj := projection_for(r, histories[r.id], tz=terms.tz)) is not None]
    drawn = [Chart(provision=pid, title=h.title, svg=provision_chart(h))
             for pid, h in histories.items() if charts and h.chart != "none"]
    return Brief(
        agreement=terms.id, name=terms.name, timezone=terms.timezone, since=before.as_of,
        as_of=as_of,
        known_at=known_at, level=now.level, freshness=now.freshness,
        phases=[PhaseHeadline(id=ph.id, name=ph.name, open=ph.open, complete=ph.complete,
                              level=ph.level, counts=_counts(now, ph.provisions),
                              held_up_by=ph.held_up_by) for ph in now.phases],
        new_entries=new, corrections=fixes, verifications=checks,
        status_changes=_status_changes(before, now), trouble=trouble, disputed_facts=facts,
        disputed_provisions=provisions, parties=parties, provision_cites=refs.provisions,
        projections=projected, charts=drawn, sources=refs.numbered())


def _changed_entries(engine: Engine, terms: Agreement, before: AgreementStatus,
                     now: AgreementStatus, refs: _Citations) -> tuple[
                         list[ChangedEntry], list[ChangedEntry], list[ChangedEntry]]:
    """New entries, corrections and retractions, verifications — in chain order."""
    view = engine.snapshot.view(terms.id, terms.tz, now.as_of, now.known_at)
    new: list[ChangedEntry] = []
    fixes: list[ChangedEntry] = []
    checks: list[ChangedEntry] = []
    for seq, e in _entries_between(engine, terms.id, before, now):
        ev = evidence_of(seq, e, view, terms.tz, terms.restricted_fields)
        item = ChangedEntry(id=e.id, type=e.type.value, when=ev.when, recorded_at=e.recorded_at,
                            summary=_summary(e, ev.summary, terms),
                            verification=ev.verification, sources=refs.sources(e.sources))
        if e.type in (EntryType.CORRECTION, EntryType.RETRACTION):
            fixes.append(item)
        elif e.type == EntryType.VERIFICATION:
            checks.append(item)
        else:
            new.append(item)
    return new, fixes, checks


def _status_changes(before: AgreementStatus, now: AgreementStatus) -> list[StatusChange]:
    """Phases that opened or completed, then provisions whose status (with reason) changed."""
    phase_was = {ph.id: _phase_state(ph) for ph in before.phases}
    was = {r.id: status_line(r) for r in before.provisions}
    out = [StatusChange(provision=ph.id, title=ph.name, before=phase_was[ph.id],
                        after=_phase_state(ph))
           for ph in now.phases if ph.id in phase_was and phase_was[ph.id] != _phase_state(ph)]
    out += [StatusChange(provision=r.id, title=r.title, before=was[r.id], after=status_line(r))
            for r in now.provisions if r.id in was and was[r.id] != status_line(r)]
    return out


def _disputes(now: AgreementStatus, refs: _Citations) -> tuple[
        list[DisputedFact], list[DisputedProvision]]:
    """Events whose reports disagree, each figure with its sources; disputed provisions."""
    facts = [DisputedFact(entry=d.entry, type=d.type, when=d.when, reports=[
        DisputedReport(value=reported_figure(v),
                       sources=refs.sources(Source.model_validate(s) for s in v["sources"]))
        for v in d.values]) for d in now.disagreements]
    provisions = [DisputedProvision(
        provision=r.id, title=r.title, detail=r.detail, entries=[
            ChangedEntry(id=ev.id, type=ev.type, when=ev.when, recorded_at=None,
                         summary=ev.summary, verification=ev.verification,
                         sources=refs.sources(ev.sources))
            for ev in r.evidence if ev.verification == "disputed"])
        for r in now.provisions if r.status == Status.DISPUTED]
    return facts, provisions


def _phase_state(ph: PhaseResult) -> str:
    return "complete" if ph.complete else "open" if ph.open else "not open"


def _counts(status: AgreementStatus, members: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in status.provisions:
        if r.id in members and r.negotiation == "agreed":
            out[r.status.value] = out.get(r.status.value, 0) + 1
    return {s.value: out[s.value] for s in Status if s.value in out}


def _reason(r: ProvisionResult, terms: Agreement) -> str:
    if r.status == Status.WITHHELD and r.withheld_citing:
        return f"withheld, citing {terms.name_of(r.withheld_citing)} ({r.withheld_citing})"
    if r.status == Status.OVERDUE and r.deadline is not None:
        return f"deadline {fmt_time(r.deadline, terms.tz)} passed"
    if r.status == Status.BLOCKED and r.blocked_by:
        return f"waiting for: {r.blocked_by}"
    if r.status == Status.BREACHED:
        return "; ".join(r.flags) or "breached"
    return status_line(r)


def _summary(e: Entry, base: str, terms: Agreement) -> str:
    """What an entry says; for one that comments on another, what it does to it."""
    if e.type == EntryType.CORRECTION:
        changes = ", ".join(f"{k} → {v}" for k, v in sorted(e.changes.items())
                            if k != "restricted" and k not in terms.restricted_fields)
        return f"correction of {e.target}: {changes}"
    if e.type == EntryType.RETRACTION:
        return f"retraction of {e.target}" + (f": {e.note}" if e.note else "")
    if e.type == EntryType.VERIFICATION:
        return f"{e.target} marked {e.state}" + (f": {e.note}" if e.note else "")
    if e.type == EntryType.SOURCE:
        return f"another source for {e.target}"
    if e.type == EntryType.IDENTIFICATION:
        return f"identification of {e.target}: {base.split(' · ', 1)[-1]}"
    if e.target:
        return f"another report of {e.target}: {base}"
    return f"{base} · re {e.provision}" if e.provision else base


def _entries_between(engine: Engine, agreement: str, before: AgreementStatus,
                     now: AgreementStatus) -> list[tuple[int, Entry]]:
    """Entries the view at ``now`` sees and the view at ``before`` did not, in chain order.

    Facts count once both recorded (by known-at) and over (valid by as-of); entries that
    comment on others count once recorded — the same rule the engine's views apply.
    """
    k0, k1 = to_us(before.known_at), to_us(now.known_at)
    a0, a1 = to_us(before.as_of), to_us(now.as_of)
    c = entries_table.c
    meta = [t.value for t in META_TYPES]
    visible_now = sa.and_(c.recorded_at <= k1, sa.or_(c.type.in_(meta), c.valid_to <= a1))
    visible_before = sa.and_(c.recorded_at <= k0, sa.or_(c.type.in_(meta), c.valid_to <= a0))
    q = (sa.select(c.seq, c.payload).where(c.agreement == agreement, visible_now,
                                           sa.not_(visible_before)).order_by(c.seq))
    with engine.ledger.engine.connect() as conn:
        return [(seq, Entry.model_validate_json(payload)) for seq, payload in conn.execute(q)]


# -- rendering ------------------------------------------------------------------------------
@cache
def _env() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("ceasefire", "templates/brief"),
                      autoescape=select_autoescape(["html.j2"]), trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True,
                      undefined=StrictUndefined)
    env.filters["cell"] = lambda s: str(s).replace("|", "\\|").replace("\n", " ")
    env.filters["cites"] = lambda ns: "".join(f"[{n}]" for n in ns)
    return env


def _context(brief: Brief) -> dict[str, Any]:
    from .times import zone

    tz = zone(brief.timezone)
    return {"b": brief, "t": lambda v: fmt_time(v, tz),
            "d": lambda v: "—" if v is None else v.isoformat()}


def render_markdown(brief: Brief, chart_dir: str | None = None) -> str:
    """Markdown; with ``chart_dir`` the charts are linked as ``chart_dir/<provision>.svg``."""
    return _env().get_template("brief.md.j2").render(**_context(brief), chart_dir=chart_dir)


def render_html(brief: Brief) -> str:
    """One self-contained HTML page: inline CSS and SVG, nothing fetched."""
    css = _env().loader.get_source(_env(), "brief.css")[0]
    return _env().get_template("brief.html.j2").render(**_context(brief), css=css)


def render_pdf(brief: Brief) -> bytes:
    """The HTML through WeasyPrint, without network access and with reproducible bytes."""
    import weasyprint

    html = render_html(brief)

    def no_network(url: str, *args: Any, **kwargs: Any) -> Any:
        raise CeasefireError(f"the brief must not fetch anything (asked for {url})")

    doc = weasyprint.HTML(string=html, url_fetcher=no_network, base_url=".")
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    with _font_clock(brief.known_at):
        return doc.write_pdf(pdf_identifier=identifier)


_FONT_CLOCK = threading.Lock()


@contextlib.contextmanager
def _font_clock(when: dt.datetime) -> Iterator[None]:
    """Fonts embedded with the brief's known-at as their timestamp, not the clock.

    Where HarfBuzz's subsetter is missing, WeasyPrint subsets fonts with fontTools, which
    stamps each subset with the current time unless ``SOURCE_DATE_EPOCH`` (the
    reproducible-builds convention) says otherwise; the lock keeps two renders in one
    process from seeing each other's value.
    """
    with _FONT_CLOCK:
        was = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
        try:
            yield
        finally:
            if was is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = was


FORMATS = ("md", "html", "pdf", "json")


def render(brief: Brief, fmt: str, chart_dir: str | None = None) -> bytes:
    if fmt == "md":
        return render_markdown(brief, chart_dir).encode()
    if fmt == "html":
        return render_html(brief).encode()
    if fmt == "pdf":
        return render_pdf(brief)
    if fmt == "json":  # the brief as data, for tools and the dashboard
        return (brief.model_dump_json(indent=1) + "\n").encode()
    raise CeasefireError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def brief_files(brief: Brief, fmt: str, out: Path) -> dict[Path, bytes]:
    """The files a brief at ``out`` consists of: Markdown links its charts as SVG files in
    ``<name>-charts/`` beside it (HTML and PDF carry them inline)."""
    if fmt != "md" or not brief.charts:
        return {out: render(brief, fmt)}
    folder = out.with_name(out.stem + "-charts")
    files = {folder / f"{c.provision}.svg": c.svg.encode() for c in brief.charts}
    files[out] = render(brief, fmt, chart_dir=folder.name)
    return files


def write_files(files: dict[Path, bytes]) -> None:
    """Write every file or none: each goes to a temporary name first, then all are renamed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            staged.append((tmp, path))
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise CeasefireError(f"cannot write the brief: {exc}") from None
    for tmp, path in staged:
        os.replace(tmp, path)
