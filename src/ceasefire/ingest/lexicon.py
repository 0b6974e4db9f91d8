"""The names a report may use for an agreement's parties, categories, facilities and measures.

Everything here comes from the agreement file (names and ``aliases``), so a second agreement
is a file, not code. The only English built in is grammar: inflections, and the unit nouns
("bodies", "trucks") a text uses when it leaves the category implicit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..agreement import Agreement, ProvisionBase, Role
from ..errors import CeasefireError
from .english import (
    CLEARANCE_WORDS,
    DISARM_TITLE,
    INSTITUTION_HEADS,
    MINE_WORDS,
    NAME_JOINERS,
    WITHDRAWAL_WORDS,
    all_forms,
    forms_of,
)

#: Kinds of provision, and the ledger entry type that reports progress on each.
KIND_TYPE = {"transfer": "transfer", "ratio": "transfer", "flow": "flow",
             "buildup": "deployment", "state": "facility_state", "milestone": "milestone",
             "prohibition": "incident"}
#: Unit nouns a text uses for a category's unit when it does not name the category.
UNIT_WORDS = {"body": ("body", "bodies", "remains", "corpses", "coffins", "coffin"),
              "truck": ("truck", "trucks", "lorry", "lorries", "truckloads")}
#: Words dropped before matching names, so "the bodies of 45 Palestinians" matches the
#: alias "bodies of Palestinians" and "four more bodies" matches "bodies".
SKIP = {"the", "a", "an", "all", "their", "its", "his", "her", "more", "additional",
        "further", "other", "another", "remaining", "some", "those", "these", "enemy"}


@lru_cache(maxsize=4)
def nlp(model: str | None = None) -> Language:
    """A blank English pipeline (tokenizer, rule-based sentence splitter; no model), or,
    when ``model`` names an installed spaCy model, that model with its parser."""
    if model is None:
        pipe = spacy.blank("en")
        pipe.add_pipe("sentencizer")
        pipe.add_pipe("ceasefire_line_breaks")
        return pipe
    try:
        pipe = spacy.load(model, exclude=["ner", "lemmatizer"])
    except OSError:
        raise CeasefireError(f"the spaCy model {model!r} is not installed; install it with "
                             "`pip install -r requirements/nlp.txt`") from None
    if "parser" in pipe.pipe_names:
        pipe.add_pipe("ceasefire_line_breaks", before="parser")
    return pipe


#: What marks a line on the ground, after its name ("the yellow markers", "yellow line
#: blocks"): the line itself, where it is moved or crossed.
LINE_MARKS = ("markers", "marker", "blocks", "marker blocks", "posts", "barrels")
#: Verbs that put a facility in a state, beside the state's own verb ("advanced the
#: markers" for a line "moved", "the line tripped" for one "disconnected").
SHIFTS = {"moved": ("shifted", "advanced", "pushed", "relocated"),
          "disconnected": ("tripped", "severed"), "connected": ("reconnected",),
          "operating": ("restarted",)}


@Language.component("ceasefire_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, captions and bylines carry no full stop."""
    for tok in doc[:-1]:
        if "\n" in tok.text or "\n" in tok.whitespace_:
            doc[tok.i + 1].is_sent_start = True
    return doc


def lowers(doc: Doc) -> list[str]:
    """The document's words in lower case, computed once: reading spaCy tokens one by one
    from Python costs more than the matching itself."""
    found = doc.user_data.get("lowers")
    if found is None:
        found = doc.user_data["lowers"] = [t.lower_ for t in doc]
    return found  # type: ignore[no-any-return]


def _other_number(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "'s")):
        return word[:-1]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


_BRACKETED = re.compile(r"(.+?)\s*\(\s*[\"“](.+?)[\"”]\s*\)")   # quoted: a name


def variants(phrase: str) -> set[str]:
    """A name and its other number (singular/plural) on the last word, lower case; for
    "X of Y" also on X ("bodies of hostages": "body of a hostage"), and a plural
    possessive also in the singular ("hostages' bodies": "a hostage's body"). A name with
    its common name in brackets ('agreed withdrawal line ("yellow line")') gives both."""
    common = _BRACKETED.fullmatch(phrase.strip())
    if common:
        return variants(common[1]) | variants(common[2])
    words = phrase.lower().split()
    out = {" ".join(words)}
    if not words:
        return out
    out.add(" ".join([*words[:-1], _other_number(words[-1])]))
    if len(words) >= 3 and words[1] == "of":
        for v in list(out):
            w = v.split()
            out.add(" ".join([_other_number(w[0]), *w[1:]]))
    for v in list(out):
        w = v.split()
        if len(w) >= 2 and w[0].endswith("s'"):
            one = w[0][:-2] + "'s"
            out.add(" ".join([one, *w[1:]]))
            out.add(" ".join([one, *w[1:-1], _other_number(w[-1])]))
    return out


#: Nouns for a party's armed force that, with "the", name the one party that has one
#: ("the army" where only one party's names say "... army").
FORCE_HEADS = ("army", "military", "navy", "air force")


#: Weapons and forces a party's lower-case name may stand before ("government drones").
ARMS = ("drones", "drone", "artillery", "forces", "troops", "jets", "warplanes",
        "gunboats", "tanks", "snipers", "aircraft", "helicopters", "soldiers", "units",
        "gunners", "patrols", "boats", "ships")


def _sole_forces(agreement: Agreement) -> dict[str, str]:
    """"the army", "the military": the party whose names alone end in that noun."""
    out = {}
    for noun in FORCE_HEADS:
        have = {p.id for p in agreement.parties for n in (p.name, *p.aliases)
                if n.lower().endswith(f" {noun}") or n.lower() == noun}
        if len(have) == 1:
            out[noun] = have.pop()
    return out


def _heads(names: list[str]) -> set[str]:
    """The head nouns of names, both numbers: "bodies of hostages": body, bodies;
    "Gaza detainees": detainee, detainees."""
    out: set[str] = set()
    for name in names:
        words = name.lower().split()
        if not words:
            continue
        head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
        out |= {head, _other_number(head)}
    return out


def _describing_tail(name: str) -> str | None:
    """The describing phrase after a name's head noun, where it can name the category on
    its own ("prisoners serving life sentences": "serving life sentences"): a participle
    phrase of two words or more."""
    words = name.lower().split()
    if len(words) >= 3 and words[1].endswith("ing") and words[0].endswith("s"):
        return " ".join(words[1:])
    return None


def _category_heads(agreement: Agreement) -> dict[str, set[str]]:
    return {c.id: _heads([c.name, *c.aliases]) for c in agreement.categories}


def _kin_parties(agreement: Agreement) -> dict[str, tuple[str, str | None]]:
    owed: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for p in agreement.provisions:
        cat = getattr(p, "category", None)
        if cat and p.by and KIND_TYPE.get(p.kind) in {"transfer", "flow"}:
            owed[cat].add((p.by, p.to))
    heads = _category_heads(agreement)
    out = {}
    for c in agreement.categories:
        if c.id in owed:
            continue
        kin = set().union(*(owed[k] for k in owed if heads[k] & heads[c.id])) \
            if owed else set()
        if len(kin) == 1:
            out[c.id] = next(iter(kin))
    return out


def institution_names(p: ProvisionBase) -> set[str]:
    """Names a report may give the body a milestone sets up: those the provision lists
    (``names``), the capitalised names of a body in its title or text ("Board of Peace",
    "International Stabilization Force", and "ISF" for a name of three words or more),
    and a lower-case body its title names, with and without its modifiers ("Technocratic
    Palestinian committee governs Gaza": "committee", "technocratic committee")."""
    names = {n.lower() for n in getattr(p, "names", None) or []}
    for text in (p.title, p.text):
        words = re.findall(r"[\w’'-]+", text)
        i = 0
        while i < len(words):
            if not words[i][:1].isupper():
                i += 1
                continue
            j = i + 1
            while j < len(words) and (words[j][:1].isupper() or words[j].lower() in NAME_JOINERS
                                      and j + 1 < len(words) and words[j + 1][:1].isupper()):
                j += 1
            run = words[i:j]
            if run and run[0].lower() in {"the", "a", "an"}:
                run = run[1:]
            if len(run) >= 2 and any(w.lower() in INSTITUTION_HEADS for w in run):
                names.add(" ".join(run).lower())
                capitals = [w for w in run if w[:1].isupper()]
                if len(capitals) >= 3:
                    names.add("".join(w[0] for w in capitals))   # "ISF"
            i = j
    title = re.findall(r"[\w’'-]+", p.title)
    for k, w in enumerate(title):
        if w.lower() in INSTITUTION_HEADS and (k == 0 or not w[:1].isupper()):
            # (a title's first word is capitalised as a title's: "Commission of inquiry
            # into the killings set up")
            mods = [m.lower() for m in title[max(0, k - 2):k] if m.lower() not in NAME_JOINERS]
            names |= {w.lower(), " ".join([*mods, w.lower()]),
                      *(f"{m} {w.lower()}" for m in mods)}
            if k + 2 < len(title) and title[k + 1].lower() == "of":
                names.add(f"{w.lower()} of {title[k + 2].lower()}")   # "commission of
                # inquiry"
    return names


#: Words after a capitalised place name that are not part of it.
_NOT_A_PLACE_NOUN = {"and", "or", "of", "to", "the", "a", "an", "with", "from", "over", "on",
                     "in", "at", "by", "for", "overlooking", "west", "east", "north", "south",
                     "within", "after", "before", "once", "until", "its", "their"}


def position_names(p: ProvisionBase, parties: set[str]) -> set[str]:
    """The places a withdrawal milestone names ("the Tallow pit-heads", "Cape Dunvar",
    "the Sallow line"): capitalised words, with the lower-case noun after them, that are
    no party's name. Forces leaving one of them pull back, as from a "position"."""
    names = set()
    for text in (p.title, p.text):
        words = re.findall(r"[\w’'-]+", text)
        i = 1                 # (a title's or sentence's first word is capitalised anyway)
        while i < len(words):
            if not words[i][:1].isupper():
                i += 1
                continue
            j = i + 1
            while j < len(words) and words[j][:1].isupper():
                j += 1
            run = " ".join(words[i:j]).lower()
            nxt = words[j] if j < len(words) else ""
            if run in parties or run.removesuffix("'s") in parties or all(
                    w.isupper() for w in words[i:j]):
                i = j         # a party ("Workers' Army withdraws"), an acronym ("ISF")
                continue
            if nxt[:1].islower() and nxt.replace("-", "").isalpha() and \
                    nxt not in _NOT_A_PLACE_NOUN and nxt not in all_forms() and \
                    not nxt.endswith(("es", "ed")):
                run += " " + nxt          # "Tallow pit-heads", "Sallow line"
            names.add(run)
            i = j
    return names


def _clears_mines(text: str) -> bool:
    words = re.findall(r"[\w-]+", text.lower())
    return any(w in MINE_WORDS for w in words) and any(
        w.startswith(CLEARANCE_WORDS) for w in words)


def _kin_types(agreement: Agreement, own: dict[str, str]) -> dict[str, str]:
    """For a category no provision names, the entry type of the categories its names share
    a head noun with, where they all agree ("detainees arrived": a transfer, as the Gaza
    detainees' release is, not a deployment); :func:`_kin_parties` gives their parties."""
    heads = _category_heads(agreement)
    out = {}
    for c in agreement.categories:
        if c.id in own:
            continue
        types = {t for k, t in own.items() if k in heads and heads[k] & heads[c.id]}
        if len(types) == 1:
            out[c.id] = types.pop()
    return out


@dataclass
class Lexicon:
    agreement: Agreement
    parties: PhraseMatcher
    cased: PhraseMatcher
    things: PhraseMatcher
    intermediaries: frozenset[str]
    unit_categories: dict[str, frozenset[str]]
    category_type: dict[str, str]
    identify_categories: frozenset[str]
    facility_states: dict[str, list[str]]
    measure_words: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: entry type -> provisions whose progress entries of that type report, for linking.
    provisions_by: dict[str, list[ProvisionBase]] = field(default_factory=dict)
    #: a category of people -> the category of their remains, where the agreement's names
    #: say so ("bodies of hostages" names the remains of "hostages"): "the coffins of two
    #: hostages" counts remains, not living people.
    remains_of: dict[str, str] = field(default_factory=dict)
    #: milestone provisions that are withdrawals (their title or text says so), for linking
    #: a reported withdrawal and naming the party that withdraws when the text does not.
    withdrawals: list[ProvisionBase] = field(default_factory=list)
    #: milestone provisions that clear mines (their title or text says so), with the
    #: places each names (lower case), for linking a report of clearing
    clearances: dict[str, set[str]] = field(default_factory=dict)
    #: milestone provisions whose title says they disarm a party (``DISARM_TITLE``)
    disarmaments: list[ProvisionBase] = field(default_factory=list)
    #: the agreement's parties proper (not intermediaries, guarantors or monitors)
    principals: frozenset[str] = frozenset()
    #: for a category no provision names ("prisoner (any)"): the (by, to) of every
    #: provision about a category its names share a head noun with ("prisoners": the
    #: life-sentence prisoners, "detainees": the Gaza detainees), where they all agree.
    kin_parties: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: head nouns of the categories of people, both numbers ("soldiers": the captured
    #: soldiers), for a count a transfer verb moves with no category named.
    person_heads: dict[str, frozenset[str]] = field(default_factory=dict)
    #: facilities that are lines (a withdrawal line, a line of contact): leaving one is a
    #: pull-back.
    lines: frozenset[str] = frozenset()
    #: party aliases "the X" without their article, read only where no name is before them
    bare: PhraseMatcher | None = None
    #: what a body category's names say the remains are of ("remains of Palestinians":
    #: "palestinians") -> that category, for the second count of "the remains of 26
    #: hostages and of 345 Palestinians".
    remains_named: dict[str, str] = field(default_factory=dict)
    #: a capitalised adjective in the names of the categories of people moved
    #: ("Palestinian prisoners": "palestinian") -> those categories, for people named
    #: only by the plural ("250 Palestinians will walk free").
    demonyms: dict[str, frozenset[str]] = field(default_factory=dict)
    #: the head nouns of the facilities' names, both numbers ("crossing", "crossings"),
    #: for what covers them all ("open every crossing").
    facility_heads: frozenset[str] = frozenset()
    #: a roster member's name (lower case) -> the roster's category ("Ran Gvili": the
    #: deceased hostages), for remains named by whose they are
    members: dict[str, str] = field(default_factory=dict)
    #: the bodies the agreement's milestones set up, by name ("milestone:<id>")
    institutions: PhraseMatcher | None = None
    #: and by their acronyms, matched as written ("ISF")
    acronyms: PhraseMatcher | None = None
    #: a category no provision names -> its kin's entry type (:func:`_kin_types`)
    kin_types: dict[str, str] = field(default_factory=dict)
    #: names with a figure in them ("Route 9", "Gate 96", "Resolution 2803"): their
    #: figure is part of the name, never a count.
    numbered: PhraseMatcher | None = None
    #: places the withdrawal milestones name (:func:`position_names`)
    positions: PhraseMatcher | None = None
    #: a form of the verb of a facility state the agreement names, other than opening and
    #: closing ("moved", "moves" for a line's "moved") -> {facility: state}
    state_verbs: dict[str, dict[str, str]] = field(default_factory=dict)

    def reduced(self, doc: Doc, skip: set[int]) -> tuple[Doc, list[int]]:
        """The document in lower case without quantity tokens and ``SKIP`` words."""
        keep = [t.i for t in doc if t.i not in skip and t.lower_ not in SKIP]
        return Doc(doc.vocab, words=[doc[i].lower_ for i in keep]), keep


def build(agreement: Agreement, model: str | None = None) -> Lexicon:
    """Matchers for every name in an agreement (computed once per agreement)."""
    vocab = nlp(model).vocab
    parties = PhraseMatcher(vocab, attr="LOWER")
    cased = PhraseMatcher(vocab, attr="ORTH")
    things = PhraseMatcher(vocab, attr="ORTH")
    tok = nlp(model).tokenizer

    def add_name(label: str, names: list[str]) -> None:
        for name in names:
            if len(name) <= 4 and name.isupper() or name.replace(".", "").isupper() \
                    and len(name) <= 5:
                cased.add(label, [tok(name)])
            else:
                parties.add(label, [tok(name)])

    for p in agreement.parties:
        add_name(f"party:{p.id}", [p.name, *p.aliases])
    bare = PhraseMatcher(vocab, attr="ORTH")
    for p in agreement.parties:
        for alias in p.aliases:
            words = alias.split()
            if len(words) >= 2 and words[0].lower() == "the" and words[1][:1].isupper():
                # "the Movement": a headline drops the article ("Movement denies ...")
                bare.add(f"party:{p.id}", [tok(" ".join(words[1:]))])
    for noun, pid in _sole_forces(agreement).items():
        parties.add(f"party:{pid}", [tok(f"the {noun}")])
    for p in agreement.parties:
        for alias in p.aliases:
            words = alias.split()
            if len(words) == 2 and words[0].lower() == "the" and words[1].islower():
                # "the government" -> "government drones", "the navy" -> "navy gunboats":
                # a party named by a lower-case noun before its weapons or forces
                for arm in ARMS:
                    parties.add(f"party:{p.id}", [tok(f"{words[1]} {arm}")])
    category_type: dict[str, str] = {}
    identify: set[str] = set()
    provisions_by: dict[str, list[ProvisionBase]] = defaultdict(list)
    for prov in agreement.provisions:
        ctype = KIND_TYPE.get(prov.kind)
        cat = getattr(prov, "category", None)
        if ctype and cat and cat not in category_type:
            category_type[cat] = ctype
        if getattr(prov, "identify", False) and cat:
            identify.add(cat)
        if ctype:
            provisions_by[ctype].append(prov)
    units: dict[str, set[str]] = defaultdict(set)
    tails: dict[str, set[str]] = defaultdict(set)
    for c in agreement.categories:
        for name in {c.name, *c.aliases}:
            for v in variants(name):
                words = [w for w in (t.lower_ for t in tok(v)) if w not in SKIP]
                if words:
                    things.add(f"category:{c.id}", [Doc(vocab, words=words)])
            tail = _describing_tail(name) if c.unit == "person" else None
            if tail:
                tails[tail].add(c.id)
        for word in UNIT_WORDS.get(c.unit, ()):
            units[word].add(c.id)
    for tail, ids in tails.items():
        if len(ids) == 1:     # "250 of them serving life sentences": that category
            things.add(f"category:{next(iter(ids))}", [Doc(vocab, words=tail.split())])
    for f in agreement.facilities:
        for name in {f.name, *f.aliases}:
            for v in variants(name):
                words = [w for w in (t.lower_ for t in tok(v)) if w not in SKIP]
                things.add(f"facility:{f.id}", [Doc(vocab, words=words)])
                if f.kind == "line" and words and words[-1] == "line":
                    # a line is marked on the ground: "moved the yellow markers", "the
                    # line's marker blocks"
                    for marks in LINE_MARKS:
                        things.add(f"facility:{f.id}",
                                   [Doc(vocab, words=[*words[:-1], *marks.split()]),
                                    Doc(vocab, words=[*words, *marks.split()])])
    remains_of: dict[str, set[str]] = defaultdict(set)
    body_units = set(UNIT_WORDS["body"])
    for b in agreement.categories:
        if b.unit != "body":
            continue
        b_names = [f" {n.lower()} " for n in (b.name, *b.aliases)]
        for c in agreement.categories:
            if c.unit == "body":
                continue
            for n in (c.name, *c.aliases):
                low = n.lower()
                if any(f" {v} " in bn and bn.split()[0] in body_units for v in variants(low)
                       for bn in b_names):
                    remains_of[c.id].add(b.id)
    measure_words: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for m in agreement.measures:
        for name in {m.name, *(m.aliases), *([m.counted_by] if m.counted_by else [])}:
            measure_words[m.category].append((name.lower(), m.id))
    named: dict[str, set[str]] = defaultdict(set)
    demonyms: dict[str, set[str]] = defaultdict(set)
    for c in agreement.categories:
        for n in (c.name, *c.aliases):
            words = n.split()
            if c.unit == "body" and len(words) > 2 and words[0].lower() in body_units \
                    and words[1] == "of":
                named[" ".join(words[2:]).lower()].add(c.id)
            if c.unit == "person" and category_type.get(c.id) != "deployment" and \
                    len(words) > 1 and words[0][:1].isupper() and words[0].isalpha():
                demonyms[words[0].lower()].add(c.id)
    heads: dict[str, set[str]] = defaultdict(set)
    for c in agreement.categories:
        if c.unit == "person":
            for h in _heads([c.name, *c.aliases]):
                heads[h].add(c.id)
    institutions = PhraseMatcher(vocab, attr="LOWER")
    acronyms = PhraseMatcher(vocab, attr="ORTH")   # "ISF", never "isf" ("JOB" not "job")
    withdrawals = [p for p in agreement.provisions if p.kind == "milestone" and any(
        w in f"{p.title} {p.text}".lower() for w in WITHDRAWAL_WORDS)]
    for prov in agreement.provisions:
        if prov.kind == "milestone" and prov not in withdrawals:
            for name in sorted(institution_names(prov)):
                (acronyms if name.isupper() else institutions).add(
                    f"milestone:{prov.id}", [tok(name)])
    numbered = PhraseMatcher(vocab, attr="LOWER")
    for label, names in [*((f"facility:{f.id}", [f.name, *f.aliases])
                           for f in agreement.facilities),
                         *((f"party:{p.id}", [p.name, *p.aliases]) for p in agreement.parties),
                         *((f"category:{c.id}", [c.name, *c.aliases])
                           for c in agreement.categories)]:
        for name in names:
            if any(ch.isdigit() for ch in name):
                numbered.add(label, [tok(name)])
    party_names = {n.lower().removeprefix("the ").removesuffix("'s")
                   for p in agreement.parties for n in (p.name, *p.aliases)}
    positions = PhraseMatcher(vocab, attr="LOWER")
    for prov in withdrawals:
        for name in sorted(position_names(prov, party_names)):
            positions.add("position", [tok(name)])
    state_verbs: dict[str, dict[str, str]] = defaultdict(dict)
    for f in agreement.facilities:
        for state in f.states:
            if not any(w in state for w in ("open", "clos", "shut")):
                for form in forms_of(state.split("-")[0].lower()):
                    state_verbs[form][f.id] = state
                for shift in SHIFTS.get(state.lower(), ()):   # ("advanced the markers")
                    for form in forms_of(shift):
                        state_verbs[form][f.id] = state
    clearances = {p.id: position_names(p, party_names) for p in agreement.provisions
                  if p.kind == "milestone" and _clears_mines(f"{p.title} {p.text}")}
    disarmaments = [p for p in agreement.provisions if p.kind == "milestone" and any(
        w in p.title.lower() for w in DISARM_TITLE)]
    return Lexicon(
        clearances=clearances,
        disarmaments=disarmaments,
        state_verbs=dict(state_verbs),
        positions=positions if len(positions) else None,
        numbered=numbered if len(numbered) else None,
        members={m.name.lower(): r.category for r in agreement.rosters for m in r.members
                 if m.name},
        kin_parties=_kin_parties(agreement),
        kin_types=_kin_types(agreement, category_type),
        person_heads={h: frozenset(ids) for h, ids in heads.items()},
        agreement=agreement, parties=parties, cased=cased, things=things, bare=bare,
        intermediaries=frozenset(p.id for p in agreement.parties
                                 if p.role == Role.INTERMEDIARY),
        unit_categories={w: frozenset(c) for w, c in units.items()},
        category_type=category_type, identify_categories=frozenset(identify),
        facility_states={f.id: list(f.states) for f in agreement.facilities},
        measure_words=dict(measure_words), provisions_by=dict(provisions_by),
        remains_of={c: next(iter(b)) for c, b in remains_of.items() if len(b) == 1},
        remains_named={w: next(iter(ids)) for w, ids in named.items() if len(ids) == 1},
        demonyms={w: frozenset(ids) for w, ids in demonyms.items()},
        facility_heads=frozenset(h for f in agreement.facilities if f.kind != "line"
                                 for n in (f.name, *f.aliases)
                                 for h in (n.split()[-1].lower(),
                                           n.split()[-1].lower() + "s")
                                 if n.split()[-1][:1].islower()),
        withdrawals=withdrawals,
        institutions=institutions if len(institutions) else None,
        acronyms=acronyms if len(acronyms) else None,
        principals=frozenset(p.id for p in agreement.parties if p.role == Role.PARTY),
        lines=frozenset(f.id for f in agreement.facilities if f.kind == "line"))
