"""Agreement files: validation with file, line and field; references; cycles; amendments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ceasefire import AgreementError, load_agreement, parse_agreement
from ceasefire.agreement import agreement_schema, bundled_agreement_texts
from ceasefire.registry import provision_kinds

MINI = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text()


def test_bundled_agreement_validates_and_cites_sources():
    a = parse_agreement(bundled_agreement_texts()["gaza-2025"], "gaza-2025.yaml")
    assert len(a.provisions) >= 20
    for p in a.provisions:
        assert p.source.ref in a.sources
    kinds = {p.kind for p in a.provisions}
    assert kinds == set(provision_kinds())


def test_unknown_field_names_line_and_field(tmp_path):
    bad = MINI.replace("    per_unit: 10\n", "    per_unit: 10\n    per_unti: 3\n")
    f = tmp_path / "bad.yaml"
    f.write_text(bad)
    with pytest.raises(AgreementError) as info:
        load_agreement(f)
    line = bad.splitlines().index("    per_unti: 3") + 1
    assert f"line {line}" in str(info.value) and "per_unti" in str(info.value)


def test_wrong_type_names_field():
    with pytest.raises(AgreementError, match="per_unit"):
        parse_agreement(MINI.replace("per_unit: 10", "per_unit: ten"), "x.yaml")


def test_unknown_reference():
    with pytest.raises(AgreementError, match="unknown party 'c'"):
        parse_agreement(MINI.replace("    by: a\n    to: b\n    title: All hostages",
                                     "    by: c\n    to: b\n    title: All hostages"), "x.yaml")


@pytest.mark.parametrize(("old", "new", "field", "words"), [
    ("base: dead", "base: trucks", "base", "must be a transfer provision; 'trucks' is a flow"),
    ("required_state: open", "required_state: opened", "required_state",
     "gate has states open, closed; got 'opened'"),
    ("min_per_day: 100", "min_per_day: 100\n    max_per_day: 50", "provisions.4",
     "no day could comply"),
    ("    roster: dead\n", "    roster: hostages\n", "roster",
     "roster 'hostages' lists 'hostage', not 'remains'"),
    ("min_per_day: 100", "min_per_day: 100\n    measures: [m-un, police-count]",
     "measures.1", "counts 'police', not 'truck'"),
])
def test_terms_that_cannot_work_together_are_refused(old, new, field, words):
    """Ids that exist but do not fit: each refused naming the line and the field."""
    text = MINI.replace("measures:\n", "measures:\n  - {id: police-count, category: police, "
                        "name: P, definition: police counted}\n", 1).replace(old, new, 1)
    with pytest.raises(AgreementError) as info:
        parse_agreement(text, "x.yaml")
    assert words in str(info.value) and field in str(info.value)
    assert "line" in str(info.value)


def test_cycle_among_conditions():
    text = MINI.replace("  - {id: start, kind: milestone, phase: one, title: Start, text: Start,",
                        "  - {id: start, kind: milestone, phase: one, title: Start, text: Start,"
                        " condition: {fulfilled: hostages},")
    with pytest.raises(AgreementError, match="cycle"):
        parse_agreement(text, "x.yaml")


def test_bad_yaml_and_empty():
    with pytest.raises(AgreementError, match="line"):
        parse_agreement("id: [unclosed\n", "x.yaml")
    with pytest.raises(AgreementError, match="mapping"):
        parse_agreement("", "x.yaml")


def test_amendment_changes_terms_from_its_date():
    text = MINI + """amendments:
  - id: extend
    effective: 2025-01-12
    source: {ref: S, clause: amendment 1}
    description: Deadline moved by mutual consent; roster grows
    set: {hostages: {deadline: {at: 2025-01-20}}}
    rosters: {hostages: 4}
"""
    a = parse_agreement(text, "x.yaml")
    before = a.in_force(dt.datetime(2025, 1, 11, tzinfo=dt.UTC))
    after = a.in_force(dt.datetime(2025, 1, 13, tzinfo=dt.UTC))
    assert before.roster("hostages").size == 3 and after.roster("hostages").size == 4
    assert after.provision("hostages").deadline.at == dt.date(2025, 1, 20)


def test_amendment_with_unknown_provision_refused():
    text = MINI + """amendments:
  - {id: x, effective: 2025-01-12, source: {ref: S, clause: a}, description: d,
     set: {nope: {title: X}}}
"""
    with pytest.raises(AgreementError, match="nope"):
        parse_agreement(text, "x.yaml")


def test_schema_lists_every_kind():
    schema = agreement_schema()
    text = str(schema)
    for kind in provision_kinds():
        assert f"'{kind}'" in text
