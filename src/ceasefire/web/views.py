"""The data behind each page, computed once for the HTML page and its JSON twin."""

from __future__ import annotations

from typing import Any

from ..ledger import Stored
from ..users import User
from .service import NotFound, Service


def agreement_summaries(svc: Service, user: User, as_of: str | None,
                        known_at: str | None) -> list[dict[str, Any]]:
    out = []
    for a in svc.ledger.agreements().values():
        m = svc.moment(a, as_of, known_at)
        st = svc.status(a, m, user)
        out.append({"id": a.id, "name": a.name, "version": a.version, "level": st.level.value,
                    "as_of": m.as_of.isoformat(), "phases": svc.phase_progress(st)})
    return out


def provision_view(svc: Service, user: User, agreement_id: str, provision_id: str,
                   as_of: str | None, known_at: str | None) -> dict[str, Any]:
    a = svc.agreement(agreement_id)
    m = svc.moment(a, as_of, known_at)
    st = svc.status(a, m, user)
    terms_in_force = a.in_force(m.as_of)
    try:
        terms = terms_in_force.provision(provision_id)
        result = st.provision(provision_id)
    except (KeyError, StopIteration):
        raise NotFound(f"no provision {provision_id!r} in {a.id} as of that date",
                       where="provision_id") from None
    doc = terms_in_force.sources.get(terms.source.ref)
    seqs = [e.seq for e in result.evidence]
    found = svc.ledger.by_seq(seqs)
    evidence = svc._rows([Stored(s, found[s], "", "") for s in seqs if s in found], user)
    history, chart = svc.history(a, provision_id, m)
    return {"agreement": a, "moment": m, "status": st, "terms": terms.model_dump(
        mode="json", exclude_none=True), "provision": terms, "result": result,
        "doc": doc.model_dump(mode="json") if doc else None, "evidence": evidence,
        "history_json": history, "chart": chart}


def party_view(svc: Service, user: User, agreement_id: str, party_id: str,
               as_of: str | None, known_at: str | None) -> dict[str, Any]:
    a = svc.agreement(agreement_id)
    m = svc.moment(a, as_of, known_at)
    st = svc.status(a, m, user)
    try:
        party = a.party(party_id)
    except StopIteration:
        raise NotFound(f"no party {party_id!r} in {a.id}; parties: "
                       f"{', '.join(p.id for p in a.parties)}", where="party_id") from None
    result = next(p for p in st.parties if p.party == party_id)
    return {"agreement": a, "moment": m, "status": st, "party": party, "result": result}
