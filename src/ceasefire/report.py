"""Status as people read it: Markdown (for briefs and pastes) and JSON (for tools).

The table the terminal shows is drawn by the CLI from the same :class:`AgreementStatus`.
"""

from __future__ import annotations

import datetime as dt
import json

from .status import AgreementStatus, ProvisionResult, Status


def fmt_time(t: dt.datetime | None, tz: dt.tzinfo) -> str:
    return "—" if t is None else t.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def status_line(r: ProvisionResult) -> str:
    """'overdue', 'withheld, citing X', 'blocked by Y' — the status with its reason."""
    text = r.status.value
    if r.status == Status.WITHHELD and r.withheld_citing:
        text += f", citing {r.withheld_citing}"
    elif r.status in (Status.BLOCKED, Status.NOT_YET_DUE) and r.blocked_by:
        text += (f" by {r.blocked_by}" if r.status == Status.BLOCKED
                 else f" (waiting for: {r.blocked_by})")
    return text


def reported_figure(value: dict) -> str:
    """One report in a disagreement: its figure, or the state it gives."""
    return str(value["quantity"] if value.get("quantity") is not None else value.get("state"))


def reported_value(value: dict) -> str:
    """One report in a disagreement: its figure and who published it."""
    publishers = ", ".join(s["publisher"] for s in value.get("sources", []))
    return f"{reported_figure(value)} per {publishers or 'an undisclosed source'}"


def to_json(status: AgreementStatus) -> str:
    return json.dumps(status.model_dump(mode="json"), ensure_ascii=False, indent=1)


def to_markdown(status: AgreementStatus, tz: dt.tzinfo, party: str | None = None) -> str:
    out = [f"# {status.name} — status",
           "",
           f"As of **{fmt_time(status.as_of, tz)}**, known at **{fmt_time(status.known_at, tz)}**"
           f" · overall implementation: {status.level.value}",
           ""]
    f = status.freshness
    if f.latest_entry:
        out += [f"Latest entry: `{f.latest_entry}`, recorded {fmt_time(f.latest_recorded_at, tz)}"
                f" ({f.age}).", ""]
    else:
        out += ["No entries recorded for this agreement yet.", ""]
    out += ["## Phases", "", "| phase | open | complete | level | held up by |",
            "|---|---|---|---|---|"]
    for ph in status.phases:
        held = "; ".join(ph.held_up_by[:4]) + (" …" if len(ph.held_up_by) > 4 else "")
        out.append(f"| {ph.name} | {'yes' if ph.open else 'no'} | "
                   f"{'yes' if ph.complete else 'no'} | {ph.level.value} | {held or '—'} |")
    out += ["", "## Provisions", "",
            "| provision | status | detail | level | verification | deadline | source |",
            "|---|---|---|---|---|---|---|"]
    for r in status.provisions:
        if party and party not in (r.by, r.to):
            continue
        flags = "<br>⚠ " + "<br>⚠ ".join(r.flags) if r.flags else ""
        out.append(f"| **{r.id}** {r.title} | {status_line(r)} | {r.detail}{flags} | "
                   f"{r.level.value} | {r.verification or '—'} | {fmt_time(r.deadline, tz)} | "
                   f"{r.source.ref} {r.source.clause} |")
    out += ["", "## Outstanding, per party", ""]
    for p in status.parties:
        if party and p.party != party:
            continue
        if not p.outstanding:
            continue
        out.append(f"### {p.name}")
        for o in p.outstanding:
            out.append(f"- **{o.provision}** ({o.status.value}) {o.title}: {o.detail}")
        out.append("")
    if status.disagreements:
        out += ["## Sources disagree", ""]
        for d in status.disagreements:
            vals = "; ".join(reported_value(v) for v in d.values)
            out.append(f"- {d.type} on {d.when} (`{d.entry}`): {vals}")
        out.append("")
    return "\n".join(out) + "\n"
