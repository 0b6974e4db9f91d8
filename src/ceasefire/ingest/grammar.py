"""The built-in extractor: a token grammar over spaCy's Matcher, with no statistical model.

A sentence is read in four passes. (1) Matchers mark quantities, dates, event words and the
agreement's names. (2) The sentence is cut into clauses (";", dashes, ", but" ...), because a
cue like "expected" or "so far" speaks only for its own clause. (3) Each counted noun phrase
("45 more bodies") attaches to the nearest event word in its clause; each event word
then finds its acting and receiving party by its voice (active subject, passive "by X",
"received ... from X", "to"/"through" an intermediary). (4) The clause's cues decide the
modality: occurred, planned, expected, demanded, hoped, permitted (a cap), denied or a
cumulative total.

Nothing here names a party, place or category: those come from the agreement
(:mod:`.lexicon`). The English here is closed-class words and common event verbs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from ..agreement import Agreement, Role
from . import dates
from .counts import (
    ANAPHORS,
    APPROX_CUES,
    BODY_WORDS,
    CONTAINING,
    FORCE,
    GAP_AFTER,
    GOODS_UNIT,
    LIMIT,
    NOT_BETWEEN,
    PART,
    PEOPLE,
    PEOPLE_UNIT,
    RATE_UNITS,
    TRADED,
    WHOLE,
    comparison,
    count_of_one,
    counted_before,
    dated_after,
    elided_antecedent,
    excepted,
    gapped,
    is_average,
    is_basis,
    is_part,
    is_traded,
    limit_of,
    partitive_opening,
    running_total,
    share_of,
    share_so_far,
    unit_type,
    with_the_rest,
)
from .english import (
    ARMS,
    ARMS_VERBS,
    ATTACK,
    AWAY,
    BARE,
    BE,
    BOUNDARY_AFTER_COMMA,
    BOUNDARY_TOKENS,
    BOUNDARY_WORDS,
    CAP_VERBS,
    CLEAR,
    CLEARED_BEFORE,
    CLEARING,
    CLOSE,
    DEPLOY,
    DETERMINERS,
    DISARM,
    ENTER,
    FORCE_NOUNS,
    GOODS,
    GROUP_TYPE,
    HAVING,
    IDENTIFY,
    INFO_NOUNS,
    INSTITUTE,
    INSTITUTE_FORMS,
    INSTITUTE_PHRASES,
    LEAVING,
    MINE_WORDS,
    MOTION,
    MOVE,
    NEGATION,
    NOT_A_COUNT_BEFORE,
    NOT_GOODS_AFTER,
    NOUN_BEFORE,
    NOUNS,
    OBSERVE,
    OPEN,
    OTHER_PERSON,
    OWING,
    PARTICLE,
    POSITION_NOUNS,
    POSTS,
    PREPOSITIONS,
    RECEIVE,
    RECORDED,
    RELEASE_VERBS,
    RESULT_VERBS,
    RUBBLE,
    SKIPPABLE,
    SPEAKERS,
    SPEECH,
    SPLIT_PARTICLE,
    STATE,
    STATE_WORDS,
    STAYING,
    TIME_UNITS,
    VERBS,
    WHEN_BEFORE,
    WITHDRAW,
    all_forms,
    form_of,
    forms_of,
    level_verb_before,
    verb_forms,
)
from .incidents import (
    ATTACK_NOUNS,
    ATTACKERS,
    EXCHANGES,
    FIGHTING,
    FLARES,
    KILLED,
    LANDING,
    PROJECTILES,
    absence_claimed,
    accused_before,
    after_attack,
    blamed_party,
    carried_out_at,
    charge_denied,
    describes_people,
    disclaimed_nouns,
    disclaimer_at,
    doer_before,
    doer_from,
    harm_subject,
    unnamed_attacker,
)
from .lexicon import KIND_TYPE, UNIT_WORDS, Lexicon, build, lowers, nlp
from .marks import Mention, Trigger
from .modality import (
    GROWTH,
    MATRIX,
    STOPPED_ING,
    TERMS,
    called_false,
    completed_at,
    cue_modalities,
    given_as_reason,
    modality_of,
    noun_claim,
    set_by_terms,
    theme_modality,
)
from .model import Candidate, Document, Modality, QuantityPrecision, Unread
from .numbers import APPROX, AT_LEAST, AT_MOST, ORDINALS, ROUND, VAGUE, Quantity, parse_quantity

#: Forms of "match": remains that "matched none of" those sought are someone else's.
MATCHES = {"match", "matches", "matched"}
#: Verbs that lift a restriction on goods ("lift restrictions on tents"): let them in.
LIFTS = {"lift", "lifts", "lifted", "lifting", "ease", "eases", "eased", "easing"}
#: Forms of "send": forces sent are deployed.
SENT = {"sent", "send", "sends", "sending"}
_BARE_FORMS = frozenset(w for verbs in VERBS.values() for forms in verbs
                        if next(iter(forms)) in BARE for w in forms)


def _phrases(words: Iterable[str]) -> list[list[dict[str, str]]]:
    return [[{"LOWER": w} for w in phrase.split()] for phrase in words]


@lru_cache(maxsize=4)
def matchers(model: str | None = None) -> tuple[Matcher, Matcher, Matcher]:
    """Quantity, date and event-word grammars (shared by every agreement)."""
    vocab = nlp(model).vocab
    ordinal_words = [w for w in ORDINALS if ORDINALS[w]]
    Pattern = list[dict[str, Any]]
    num: dict[str, Any] = {"LIKE_NUM": True, "LOWER": {"NOT_IN": ordinal_words}}
    nums: Pattern = [num, {"LIKE_NUM": True, "OP": "*"}]
    hyph: Pattern = [num, {"ORTH": "-"}, num]
    # "six hundred and four", "two thousand and fifty", "one hundred and forty-two": "and"
    # inside a number written in words (never between digits: "20 and 30" are two)
    anded: Pattern = [num, {"LIKE_NUM": True, "OP": "*"},
                      {"LOWER": {"IN": ["hundred", "thousand", "million"]}}, {"LOWER": "and"},
                      {"LIKE_NUM": True, "IS_ALPHA": True}, {"ORTH": "-", "OP": "?"},
                      {"LIKE_NUM": True, "IS_ALPHA": True, "OP": "?"}]
    dozens: Pattern = [num, {"LOWER": "dozen"}]   # "two dozen"
    qty = Matcher(vocab)
    cores = [nums, hyph, anded, dozens]
    # Prefixes grouped by length, one pattern each: fewer patterns make a faster matcher;
    # parse_quantity() reads the words and ignores a combination that is not a prefix.
    by_len: dict[int, list[set[str]]] = {}
    for phrase in APPROX | AT_LEAST | AT_MOST | {"an estimated"}:
        words = phrase.split()
        slots = by_len.setdefault(len(words), [set() for _ in words])
        for slot, w in zip(slots, words, strict=True):
            slot.add(w)
    prefixes: list[Pattern] = [[]] + [[{"LOWER": {"IN": sorted(slot)}} for slot in slots]
                                      for slots in by_len.values()]
    for core in cores:
        for pre in prefixes:
            qty.add("QTY", [pre + core])
    # "140 or so", "50 or more", "ten or fewer": a bound after the number
    or_bound: Pattern = [{"LOWER": "or"}, {"LOWER": {"IN": sorted(OR_BOUND)}}]
    qty.add("QTY", [nums + or_bound, dozens + or_bound])
    qty.add("QTY", [nums + [{"LOWER": {"IN": ["to", "-", "–", "or"]}}] + nums,
                    [{"LOWER": {"IN": ["between", "from"]}}] + nums +
                    [{"LOWER": {"IN": ["and", "to"]}}] + nums])
    rounded: list[Pattern] = [[{"LOWER": {"IN": sorted(v.split()[0] for v in ROUND
                                                      if len(v.split()) == 2)}},
                               {"LOWER": {"IN": sorted(v.split()[1] for v in ROUND
                                                       if len(v.split()) == 2)}}]]
    qty.add("QTY", [pre + r for pre in prefixes[1:] for r in rounded])   # "at least a dozen"
    qty.add("QTY", [r + or_bound for r in rounded])                     # "a dozen or more"
    vague = [v.split() for v in (*VAGUE, *ROUND)]
    qty.add("QTY", [[{"LOWER": {"IN": sorted(v[0] for v in vague if len(v) == 1)}}],
                    [{"LOWER": {"IN": sorted(v[0] for v in vague if len(v) == 2)}},
                     {"LOWER": {"IN": sorted(v[1] for v in vague if len(v) == 2)}}]])
    qty.add("ORD", [[{"LOWER": {"IN": ["a", "an", "the"]}},
                     {"LOWER": {"IN": ordinal_words}}],
                    [{"LOWER": "the"}, {"SHAPE": {"IN": ["dxx", "ddxx", "dddxx"]},
                                        "LOWER": {"REGEX": "(st|nd|rd|th)$"}}]])  # "the 27th"
    when = Matcher(vocab)
    weekdays = list(dates.WEEKDAYS)
    months = list(dates.MONTHS)
    parts = ["night", "morning", "afternoon", "evening"]
    when.add("DATE", [
        [{"LOWER": {"IN": ["last", "next", "on", "this"]}, "OP": "?"},
         {"LOWER": {"IN": weekdays}}, {"LOWER": {"IN": parts}, "OP": "?"}],
        [{"LOWER": {"IN": months}}, {"SHAPE": {"IN": ["d", "dd"]}},
         {"ORTH": ",", "OP": "?"}, {"SHAPE": "dddd", "OP": "?"}],
        [{"SHAPE": {"IN": ["d", "dd"]}}, {"LOWER": {"IN": months}},
         {"SHAPE": "dddd", "OP": "?"}],
        *_phrases(dates.RELATIVE), *_phrases(dates.FIXED_DAYS)])
    # a range of days: "between Friday and Sunday", "from 10 to 12 March"
    opener: dict[str, Any] = {"LOWER": {"IN": sorted(dates.RANGE_OPENERS)}}
    join: dict[str, Any] = {"LOWER": {"IN": sorted(dates.RANGE_JOINS)}}
    day_num: dict[str, Any] = {"SHAPE": {"IN": ["d", "dd"]}}
    month: dict[str, Any] = {"LOWER": {"IN": months}}
    year: dict[str, Any] = {"SHAPE": "dddd", "OP": "?"}
    weekday: Pattern = [{"LOWER": {"IN": weekdays}}, {"LOWER": {"IN": parts}, "OP": "?"}]
    when.add("DATE", [
        [opener, *weekday, join, *weekday],
        [opener, day_num, month, join, day_num, month, year],
        [opener, day_num, join, day_num, month, year],
        [opener, month, day_num, join, month, day_num, year],
        [opener, month, day_num, join, day_num, year],
        [{"LOWER": "the", "OP": "?"}, {"LOWER": "week"}, {"LOWER": {"IN": ["ending", "to"]}},
         day_num, month, year],
        [{"LOWER": "the", "OP": "?"}, {"LOWER": "week"}, {"LOWER": {"IN": ["ending", "to"]}},
         month, day_num, year]])
    # a range with no opener: "1–7 February", "Feb. 1-7"
    days: dict[str, Any] = {"TEXT": {"REGEX": r"^\d{1,2}[-–]\d{1,2}$"}}
    dash: dict[str, Any] = {"ORTH": {"IN": ["-", "–"]}}
    when.add("DATE", [[days, month, year], [day_num, dash, day_num, month, year],
                      [month, days, year], [month, day_num, dash, day_num, year]])
    events = Matcher(vocab)
    for group, verbs in VERBS.items():
        plain = sorted({f for forms in verbs if next(iter(forms)) not in PARTICLE
                        for f in forms} | {n for n, g in NOUNS.items() if g == group})
        events.add(group, [[{"LOWER": {"IN": plain}}]])
        # One pattern for all the family's particle verbs (fewer predicates make a faster
        # matcher); a verb with another's particle is dropped in _triggers.
        particled = [forms for forms in verbs if next(iter(forms)) in PARTICLE]
        if particled:
            events.add(group, [[{"LOWER": {"IN": sorted({f for forms in particled
                                                          for f in forms})}},
                                {"LOWER": {"IN": sorted({p for forms in particled
                                                         for p in PARTICLE[next(iter(forms))]})}}
                                ]])
        for forms in verbs:
            base = next(iter(forms))
            if base in BARE:
                events.add(group, [[{"LOWER": {"IN": list(forms)}}]])
            if base in SPLIT_PARTICLE:   # "pull its forces back"
                middle = {"IS_PUNCT": False, "LOWER": {"NOT_IN": ["and", "or", "to"]}}
                events.add(group, [[{"LOWER": {"IN": list(forms)}}, middle, middle,
                                    {"LOWER": {"IN": sorted(SPLIT_PARTICLE[base])}}],
                                   [{"LOWER": {"IN": list(forms)}}, middle,
                                    {"LOWER": {"IN": sorted(SPLIT_PARTICLE[base])}}]])
    motion: dict[str, Any] = {"LOWER": {"IN": sorted(MOTION)}}
    away: dict[str, Any] = {"LOWER": {"IN": sorted(AWAY)}}
    between = {"IS_PUNCT": False, "LOWER": {"NOT_IN": ["and", "or", "to"]}}
    events.add(WITHDRAW, [[motion, *[between] * n, away] for n in range(4)])
    # "rolled out", "towed their last howitzers off"
    opens = sorted(f for forms in VERBS[OPEN] for f in forms if not f.startswith("re"))
    events.add(ATTACK, [[{"LOWER": {"IN": opens}}, {"LOWER": "fire"}]])     # "opened fire"
    events.add(ATTACK, [[{"LOWER": {"IN": sorted(EXCHANGES)}}, {"LOWER": "of"},
                         {"LOWER": {"IN": ["fire", "gunfire"]}}]])   # "an exchange of fire"
    events.add(ATTACK, [[{"LOWER": {"IN": sorted(FIGHTING)}},
                         {"LOWER": {"IN": sorted(FLARES)}}]])        # "fighting flared"
    events.add(ATTACK, [[{"LOWER": {"IN": sorted(PROJECTILES)}},
                         {"LOWER": {"IN": sorted(LANDING)}}],   # "mortar shells landed"
                        # "an explosive device went off beside an army jeep"
                        [{"LOWER": {"IN": sorted(PROJECTILES)}},
                         {"LOWER": {"IN": ["went", "goes", "go"]}}, {"LOWER": "off"}],
                        # "three soldiers were wounded by an explosive device"
                        [{"LOWER": {"IN": ["was", "were", "been"]}},
                         {"LOWER": {"IN": ["wounded", "injured", "hurt"]}}, {"LOWER": "by"}]])
    events.add(ENTER, [[{"LOWER": {"IN": sorted(LIFTS)}},
                        {"LOWER": {"IN": ["restrictions", "curbs", "limits", "the"]}},
                        {"LOWER": {"IN": ["on", "ban", "blockade"]}}]])
    # "lift restrictions on tents": let them in
    events.add(ENTER, [[{"LOWER": {"IN": ["let", "lets", "letting"]}}]])   # "let ... into"
    gets = sorted(f for forms in VERBS[ENTER] for f in forms if next(iter(forms)) == "get")
    events.add(RECEIVE, [[{"LOWER": {"IN": gets}}, {"LOWER": "back"}]])   # "got back"
    makes = ["make", "makes", "made", "making"]
    events.add(ENTER, [[{"LOWER": {"IN": makes}}, {"LOWER": "it"},
                        {"LOWER": {"IN": ["in", "into", "through"]}}]])  # "made it into"

    events.add(DISARM, [[{"LOWER": {"IN": sorted(f for w in ("disarm", "demilitarise",
                                                             "demilitarize", "decommission")
                                                 for f in verb_forms(w))}}],
                        [{"LOWER": {"IN": sorted(verb_forms("lay"))}}, {"LOWER": "down"}],
                        [{"LOWER": {"IN": sorted(verb_forms("give"))}}, {"LOWER": "up"}],
                        [{"LOWER": {"IN": sorted(ARMS_VERBS)}}]])
    events.add(DEPLOY, [[{"LOWER": "in"}, {"LOWER": "place"}]])   # "40 observers in place"
    events.add(OPEN, [[{"LOWER": "back"}, {"LOWER": "in"},
                       {"LOWER": {"IN": ["operation", "service"]}}]])   # "back in operation"
    takes = sorted(f for forms in VERBS[RECEIVE] for f in forms if next(iter(forms)) == "take")
    events.add(DEPLOY, [[{"LOWER": {"IN": takes}}, {"LOWER": "up"},
                         {"LOWER": {"IN": ["their", "its", "the", "new"]}, "OP": "?"},
                         {"LOWER": {"IN": sorted(POSTS)}}]])   # "took up their posts"
    any_word = {"IS_PUNCT": False}
    events.add(IDENTIFY, [[{"LOWER": {"IN": sorted(RESULT_VERBS)}}, {"LOWER": "that"}],
                          [{"LOWER": {"IN": sorted(RESULT_VERBS)}}, {"LOWER": "on"},
                           any_word, {"LOWER": "that"}],     # "concluded on Saturday that"
                          [{"LOWER": {"IN": ["belong", "belonged", "belongs"]}},
                           {"LOWER": "to"}],
                          [{"LOWER": {"IN": sorted(MATCHES)}}, {"LOWER": "none"},
                           {"LOWER": "of"}],          # "matched none of the missing"
                          [{"LOWER": {"IN": ["turned", "turns", "turn"]}}, {"LOWER": "out"},
                           {"LOWER": {"IN": ["to", "that", "not"]}}],   # (not "turned out
                          # 12,000 loaves")
                          [{"LOWER": {"IN": ["found", "confirmed"]}},
                           {"LOWER": {"IN": ["to", "as"]}}],
                          [{"LOWER": {"IN": ["confirmed", "established", "determined",
                                             "verified"]}},
                           {"LOWER": {"IN": ["the", "their", "his", "her", "its"]}},
                           {"LOWER": {"IN": ["identity", "identities"]}}],
                          [{"LOWER": "for"}, {"LOWER": "identification"}],
                          # "the body returned overnight is (not) that of X": a result
                          [{"LOWER": {"IN": ["is", "are", "was", "were"]}},
                           {"LOWER": "not", "OP": "?"},
                           {"LOWER": {"IN": ["that", "those"]}}, {"LOWER": "of"}],
                          # headline style: "body handed over Thursday is of a Palestinian"
                          [{"LOWER": {"IN": ["is", "are", "was", "were"]}},
                           {"LOWER": "not", "OP": "?"}, {"LOWER": "of"},
                           {"LOWER": {"IN": ["a", "an"]}}]])
    events.add(OPEN, [[{"LOWER": {"IN": sorted(BE)}},
                       {"LOWER": {"IN": ["operational", "functioning"]}}]])  # "remained
    # operational": open
    for base, after in INSTITUTE_PHRASES.items():
        events.add(INSTITUTE, [[{"LOWER": {"IN": sorted(verb_forms(base))}},
                                {"LOWER": {"IN": sorted(after)}}]])
    events.add(INSTITUTE, [[{"LOWER": {"IN": sorted(verb_forms("hold"))}},
                            {"LOWER": {"IN": ["its", "their", "a", "the"]}},
                            {"LOWER": {"IN": ["first", "inaugural", "opening"]}},
                            {"LOWER": {"IN": ["meeting", "session", "sitting"]}}],
                           [{"LOWER": {"IN": sorted(verb_forms("meet"))}}, {"LOWER": "for"},
                            {"LOWER": "the"}, {"LOWER": "first"}, {"LOWER": "time"}]])
    return qty, when, events


class Grammar:
    """The grammar bound to one agreement's names."""

    def __init__(self, agreement: Agreement, model: str | None = None) -> None:
        self.agreement = agreement
        self.nlp = nlp(model)
        self.lex: Lexicon = build(agreement, model)
        self.qty, self.when, self.events = matchers(model)
        self.deps = dependency_matcher(self.nlp.vocab) if model else None
        #: the people categories an agreement has handed over, for a person named as
        #: the one freed (:meth:`_named_people`)
        self.people = frozenset(c.id for c in agreement.categories if c.unit == "person"
                                and self.lex.category_type.get(c.id) == "transfer")

    # -- entry point ----------------------------------------------------------------------
    def extract(self, document: Document, report: dt.date | None) -> list[Candidate]:
        return self.read(document, report)[0]

    def read(self, document: Document, report: dt.date | None
             ) -> tuple[list[Candidate], list[Unread]]:
        """The candidates, and the sentences passed over that are worth a look."""
        return self.read_doc(self.nlp(document.text), document.text, report)

    def extract_doc(self, doc: Doc, text: str, report: dt.date | None) -> list[Candidate]:
        return self.read_doc(doc, text, report)[0]

    def read_doc(self, doc: Doc, text: str, report: dt.date | None
                 ) -> tuple[list[Candidate], list[Unread]]:
        quantities = self._quantities(doc)
        if self.lex.numbered is not None:
            named = {i for _, s, e in self.lex.numbered(doc) for i in range(s, e)}
            quantities = [q for q in quantities if not named.intersection(range(q[0], q[1]))]
        date_spans = [(sp.start, sp.end) for sp in filter_spans(
            [doc[s:e] for _, s, e in self.when(doc)])]
        in_dates = {i for s, e in date_spans for i in range(s, e)}
        quantities = [q for q in quantities if q[0] not in in_dates]   # "1-7 February"
        qty_tokens = {i for s, e, _ in quantities for i in range(s, e)}
        parties, categories, facilities = self._names(doc, qty_tokens)
        triggers = self._triggers(doc, facilities, parties)
        doc.user_data["names"] = {i for f in facilities for i in range(f.start, f.end)}
        doc.user_data["institutions"] = sorted(
            (Mention(s, e, frozenset({doc.vocab.strings[m].split(":", 1)[1]}))
             for matcher in (self.lex.institutions, self.lex.acronyms) if matcher is not None
             for m, s, e in matcher(doc)), key=lambda m: m.start)
        out: list[Candidate] = []
        unread: list[Unread] = []
        memory: dict[str, tuple[int, str]] = {}   # facility / deployment category seen last
        for n, sent in enumerate(doc.sents):
            found = self._sentence(doc, text, sent, n, report, quantities, parties,
                                   categories, facilities, date_spans, triggers, memory)
            out.extend(found)
            if not found:
                passed = self._passed_over(doc, text, sent, quantities, parties, categories,
                                           facilities, date_spans, triggers)
                if passed is not None:
                    unread.append(passed)
        return out, unread

    def _asked_for(self, doc: Doc, taken: set[int]) -> list[Trigger]:
        """A demand with no event word, its count and category right after it ("the UN is
        asking for 50 fuel tankers a day", "Hamas demanded 1,000 more prisoners"): the
        category's event, demanded."""
        words = lowers(doc)
        starts: dict[int, frozenset[str]] = {
            doc.user_data["category_at_end"][end]: ids
            for end, ids in doc.user_data.get("category_ids_at_end", {}).items()}
        out = []
        for k, word in enumerate(words):
            if k in taken or word not in ASKING:
                continue
            j = k + 1
            if ASKING[word] and (j >= len(words) or words[j] != "for"):
                continue              # "asked for", "calls for"; "demanded", "seeks"
            j += ASKING[word]
            if any(w in TERMS for w in words[max(0, k - 3):k]):
                continue              # "the deal calls for 600 trucks a day": the terms
            while j < len(doc) and words[j] in ASKED_BEFORE_COUNT:
                j += 1
            num = j if j < len(doc) and doc[j].like_num else None
            cat = next((i for i in range(num + 1, min(num + 4, len(doc))) if i in starts),
                       None) if num is not None else None
            if cat is None:
                continue
            types = {self.lex.category_type.get(c) or self.lex.kin_types.get(c)
                     for c in starts[cat]}
            group = {"flow": ENTER, "transfer": MOVE, "deployment": DEPLOY}.get(
                (types.pop() or "") if len(types) == 1 else "")
            if group is not None:
                out.append(Trigger(k, k + 1, group, "asked"))
        return out

    def _passed_over(self, doc: Doc, text: str, sent: Span,
                     quantities: list[tuple[int, int, Quantity]], parties: list[Mention],
                     categories: list[Mention], facilities: list[Mention],
                     date_spans: list[tuple[int, int]], triggers: list[Trigger]
                     ) -> Unread | None:
        """A sentence that gave no candidate, if it names what the agreement counts or a
        place or body it sets terms for, and gives a figure, a date or an event word: the
        kind of sentence that states an event in words the grammar does not know."""
        s0, s1 = sent.start, sent.end

        def inside(spans: Iterable[Any]) -> list[Any]:
            return [m for m in spans if s0 <= m.start < s1]

        names = sorted({f"{kind}:{i}" for kind, found in (
            ("category", inside(categories)), ("facility", inside(facilities)),
            ("milestone", inside(doc.user_data["institutions"]))) for m in found
            for i in m.ids})
        event_word = any(not t.weak for t in inside(triggers))
        if not names and event_word:    # "Hamas denied it had violated the ceasefire"
            names = sorted({f"party:{i}" for m in inside(parties) for i in m.ids})
        if not names and event_word and any(s0 <= q[0] < s1 for q in quantities):
            # "Some 40 women held at Damon prison are due to be freed": an event word and a
            # figure, with no name the agreement knows
            names = sorted({f"event:{t.group}" for t in inside(triggers) if not t.weak})
        if not names:
            return None
        why = [w for w, there in (
            ("a figure", any(s0 <= q[0] < s1 for q in quantities)),
            ("a date", any(s0 <= d[0] < s1 for d in date_spans)),
            ("an event word", event_word)) if there]
        if not why:
            return None
        a, b = _bounds(doc, text, s0, s1)
        return Unread(agreement=self.agreement.id, quote=text[a:b], start=a, end=b,
                      names=names, why=", ".join(why))

    # -- pass 1: marks ----------------------------------------------------------------------
    def _quantities(self, doc: Doc) -> list[tuple[int, int, Quantity]]:
        spans = filter_spans([Span(doc, s, e, label=m) for m, s, e in self.qty(doc)])
        found = []
        for sp in spans:
            label = doc.vocab.strings[sp.label]
            if sp.end + 1 < len(doc) and doc[sp.end].lower_ == "in" and \
                    doc[sp.end + 1].like_num or sp.start >= 2 and \
                    doc[sp.start - 1].lower_ == "in" and doc[sp.start - 2].like_num:
                continue              # "two in five of them": a proportion, no count
            if sp[0].lower_ in {"over", "under"} and sp.start > 0 and \
                    lowers(doc)[sp.start - 1] in all_forms() and len(sp) > 1:
                sp = doc[sp.start + 1:sp.end]     # "handed over four": a particle
            if label == "ORD":
                if sp.end < len(doc) and doc[sp.end].like_num:
                    continue
                if sp[-1].is_digit is False and sp[-1].text[0].isdigit() and (
                        sp.end >= len(doc) or not doc[sp.end].is_alpha
                        or lowers(doc)[sp.end] in TIME_UNITS | dates.MONTHS):
                    continue          # "on the 27th", "the 27th day": a date, not one
                if sp.end + 1 < len(doc) and lowers(doc)[sp.end + 1] == "of":
                    continue          # "the first contingent of 300": which group, not one
                if sp.end < len(doc) and lowers(doc)[sp.end] in {"of", "to"}:
                    continue          # "a third of them", "the first to enter": not one
                if any(w in BATCH_NOUNS for w in lowers(doc)[sp.end:sp.end + 2]):
                    continue          # "the second national contingent": a group, not one
                if any(w in FORCE_NOUNS or w in PEOPLE or len(w) > 4 and w.endswith("s")
                       and not w.endswith(("ss", "'s", "us")) and doc[k].is_alpha
                       for k, w in enumerate(lowers(doc)[sp.end:sp.end + 2], sp.end)):
                    continue          # "the first foreign troops to deploy": many
                found.append((sp.start, sp.end, Quantity(1, QuantityPrecision.EXACT)))
                continue
            nxt = doc[sp.end] if sp.end < len(doc) else None
            if nxt is not None and nxt.text in {"-", "–"} and sp.end + 1 < len(doc):
                nxt = doc[sp.end + 1]
            if nxt is not None and (nxt.lower_ in TIME_UNITS or nxt.lower_ in dates.MONTHS) \
                    and not (nxt.lower_ == "per" and nxt.i + 1 < len(doc)
                             and lowers(doc)[nxt.i + 1] in RATE_UNITS):
                continue
            prev = doc[sp.start - 1] if sp.start > 0 else None
            day = len(sp) == 1 and sp[0].shape_ in {"d", "dd"}
            if prev is not None and (prev.lower_ in dates.MONTHS and day
                                     or prev.lower_ in NOT_A_COUNT_BEFORE and
                                     prev.lower_ != "the"):
                continue
            if any(t.text.endswith("%") or t.shape_ == "dddd" and 1900 <= _int(t.text) <= 2100
                   for t in sp):
                continue
            q = _parse(sp)
            if q is not None:
                found.append((sp.start, sp.end, q))
        return found

    def _named_people(self, doc: Doc, taken: set[int], categories: list[Mention]
                      ) -> list[Mention]:
        """A person named as the one set free or handed back ("Evyatar David was handed by
        Hamas to the Red Cross", "Israel freed Marwan Barghouti"): one of the people an
        agreement has handed over (a roster's category where a roster lists the name; else
        the people categories of its transfers, told apart by who moves them). No count: a
        name is who, not how many."""
        people = self.people
        if not people:
            return []
        words = lowers(doc)
        busy = taken | {k for c in categories for k in range(c.start, c.end)}
        out = []
        i = 0
        while i < len(doc):
            j = i
            while j < len(doc) and doc[j].is_title and doc[j].is_alpha and j not in busy \
                    and words[j] not in dates.MONTHS and words[j] not in dates.WEEKDAYS:
                j += 1
            if j - i >= 2:
                k = j
                while k < len(doc) and words[k] in {"was", "were", "is", "are", "been",
                                                    "later", "finally", "also"}:
                    k += 1
                after = k > j and k < len(doc) and words[k] in RELEASE_VERBS
                b = i - 1 - (i > 1 and words[i - 1] in {"over", "back"})
                before = b >= 0 and words[b] in RELEASE_VERBS
                if after or before:
                    name = " ".join(words[i:j])
                    cat = self.lex.members.get(name)
                    out.append(Mention(i, j, frozenset({cat}) if cat else people))
            i = max(j, i + 1)
        doc.user_data["named_people"] = {m.start for m in out}
        return out

    def _enemies(self, doc: Doc, parties: list[Mention]) -> list[Mention]:
        """"the enemy" in the words of one of two principal parties: the other one ("Kirrow
        Steppe Council: Last night the enemy's artillery shelled Sarka")."""
        words = lowers(doc)
        if "enemy" not in words or len(self.lex.principals) != 2:
            return []
        out = []
        for sent in doc.sents:
            at = [i for i in range(sent.start, sent.end) if words[i] == "enemy"
                  and i > sent.start and words[i - 1] in {"the", "our"}]
            if not at:
                continue
            speakers = {next(iter(p.ids)) for p in parties
                        if sent.start <= p.start < sent.end and p.ids <= self.lex.principals
                        and (any(w in {":", "("} or w in SPEECH
                                 for w in words[p.end:min(sent.end, p.end + 5)])
                             or p.start > sent.start and words[p.start - 1] in SPEECH)}
            if len(speakers) == 1:
                other = self.lex.principals - speakers
                out += [Mention(i, i + 1, frozenset(other)) for i in at]
        return out

    def _names(self, doc: Doc, qty_tokens: set[int]) -> tuple[
            list[Mention], list[Mention], list[Mention]]:
        lex = self.lex
        parties = [Mention(s, e, frozenset({doc.vocab.strings[m].split(":", 1)[1]}))
                   for m, s, e in [*lex.parties(doc), *lex.cased(doc)]]
        taken = {i for p in parties for i in range(p.start, p.end)}
        for m, s, e in lex.bare(doc) if lex.bare is not None else []:
            prev = doc[s - 1] if s > 0 else None
            if s in taken or prev is not None and not doc[s].is_sent_start and (
                    (prev.is_title or prev.is_upper) and prev.lower_ not in {"a", "an"}
                    or prev.lower_ in {"the", "'s", "’s"}):
                continue              # "the UN Security Council": another body's name
            parties.append(Mention(s, e, frozenset({doc.vocab.strings[m].split(":", 1)[1]}),
                                   compare="bare"))
        # "Egyptian-trained police", "Israeli-held territory": a party naming what it
        # trained or holds, not one that acts
        parties = [p for p in _longest(parties) if not (
            p.end < len(doc) - 1 and _joins_words(doc, p.end)
            and lowers(doc)[p.end + 1] in DONE_TO)]
        parties += self._enemies(doc, parties)
        reduced, keep = lex.reduced(doc, qty_tokens)
        categories: list[Mention] = []
        facilities: list[Mention] = []
        for m, s, e in lex.things(reduced):
            kind, ident = doc.vocab.strings[m].split(":", 1)
            mention = Mention(keep[s], keep[e - 1] + 1, frozenset({ident}))
            (categories if kind == "category" else facilities).append(mention)
        words = lowers(doc)
        goods = lex.unit_categories.get("trucks")
        for i, word in enumerate(words):
            cats = lex.unit_categories.get(word)
            if cats and word == "remains" and _verb_remains(doc, i):
                continue              # "the number ... remains capped": the verb
            named = self._whose_remains(doc, i, taken) if cats and word in BODY_WORDS \
                else None
            if named is not None:
                categories.append(named)   # "the remains of Ran Gvili": one person's
            elif cats:
                categories.append(Mention(i, i + 1, cats, unit=word))
            elif goods and word in GOODS and (i + 1 == len(words)
                                              or words[i + 1] not in NOT_GOODS_AFTER):
                categories.append(Mention(i, i + 1, goods, unit=GOODS_UNIT))
        categories += self._named_people(doc, taken, categories)
        if self.people:
            # "took back 120 of its own soldiers": people of the party that gets them back,
            # whichever of the people handed over the agreement counts them as
            categories += [Mention(i + 1, i + 2, self.people) for i in range(1, len(words) - 1)
                           if words[i] == "own" and words[i - 1] in {"its", "their"}
                           and words[i + 1] in OWN_PEOPLE]
        categories = _longest(categories)
        starts = {c.start for c in categories}
        parties = [p for p in parties if p.compare != "bare" or p.start not in starts]
        doc.user_data["category_ends"] = {c.end for c in categories}
        doc.user_data["category_at_end"] = {c.end: c.start for c in categories}
        doc.user_data["category_ids_at_end"] = {c.end: c.ids for c in categories
                                                if c.unit != GOODS_UNIT}
        doc.user_data["category_starts"] = {c.start for c in categories}
        doc.user_data["category_tokens"] = {i for c in categories if c.unit is None
                                            for i in range(c.start + 1, c.end)}
        # an event word that opens a category's name ("returning families") names it
        doc.user_data["category_words"] = {c.start for c in categories if c.unit is None
                                           and c.end - c.start > 1
                                           and words[c.start].endswith("ing")}
        doc.user_data["deploy_starts"] = {c.start for c in categories if c.unit is None and all(
            lex.category_type.get(i) == "deployment" for i in c.ids)}
        facilities = _longest(facilities)
        # "back from the Kirrow line": a party's name inside a facility's is the facility's
        parties = [p for p in parties if not any(
            f.start <= p.start and p.end <= f.end and f.end - f.start > p.end - p.start
            for f in facilities)]
        return parties, categories, facilities

    def _triggers(self, doc: Doc, facilities: list[Mention],
                  parties: list[Mention]) -> list[Trigger]:
        """Event words, not those inside a name ("the Rafah crossing", "the Red Cross")."""
        words = lowers(doc)
        spans = filter_spans([Span(doc, s, e, label=m) for m, s, e in self.events(doc)
                              if e - s != 2 or _particle_fits(words[s], words[s + 1],
                                                              doc.vocab.strings[m])
                              or words[s] in PROJECTILES])
        names = {i for f in [*facilities, *parties] for i in range(f.start, f.end)}
        names |= doc.user_data.get("category_words", set())   # "returning families"
        lines = {i for f in facilities if f.ids & self.lex.lines
                 for i in range(f.start, f.end)}
        if self.lex.positions is not None:    # places a withdrawal names ("Cape Dunvar")
            lines |= {i for _, s, e in self.lex.positions(doc) for i in range(s, e)}
        deployable = self._deployable_after(doc)
        out = []
        for sp in spans:
            if sp.start in names:
                continue              # "the Rafah crossing": a name, not crossing
            group = doc.vocab.strings[sp.label]
            word = sp[0].lower_
            prev = lowers(doc)[sp.start - 1] if sp.start else ""
            nxt = lowers(doc)[sp.end] if sp.end < len(doc) else ""
            obj = _object(lowers(doc), sp.end)
            if group == MOVE and self.lex.disarmaments and _arms_after(
                    words, sp.end, doc.user_data.get("category_words", set())):
                group = DISARM        # "hand over its weapons", where no weapons are counted
            if group == DISARM and (not self.lex.disarmaments or (
                    word not in DISARM_WORDS and not _arms_after(
                        words, sp.end, doc.user_data.get("category_words", set())))):
                continue              # "gave up hope", "stored grain": no arms given up
            if word in {"sign", "signs"} and prev not in {"to", "will", "would", "could",
                                                          "may", "might", "shall"}:
                continue              # "bearing signs of torture": the noun
            if word.startswith("plac") and (prev in {"took", "take", "takes", "taking",
                                                     "taken", "in", "first", "second"}
                                            or word == "places"):
                continue              # "took place", "in place": no placing
            if group in {MOVE, RECEIVE} and obj in INFO_NOUNS:
                continue              # "after receiving word that ...": news, not people
            if group == RECEIVE and any(
                    w in RUBBLE and words[k - 1] in {"the", "under", "from", "beneath"}
                    for k, w in enumerate(words[sp.end:min(sp.end + 9, sp.sent.end)],
                                          sp.end)):
                continue              # "recovered 98 bodies from under the rubble": a
                # search, not a handover
            if group == DEPLOY and word in REACHING and any(
                    w in GOODS or w in UNIT_WORDS["truck"]
                    for w in words[max(sp.sent.start, sp.start - 6):sp.start]):
                group = ENTER         # "no fuel had reached the north": goods go in
            if group == ENTER and len(sp) == 2 and sp[1].lower_ == "in" and any(
                    w in FORCE_NOUNS for w in words[max(sp.sent.start, sp.start - 6):sp.start]
            ) and not any(w in GOODS or w in UNIT_WORDS["truck"]
                          for w in words[max(sp.sent.start, sp.start - 6):sp.start]):
                group = DEPLOY        # "as Indonesian soldiers of the force moved in"
            if group in {MOVE, WITHDRAW} and (obj in FORCE_NOUNS or sp.end in deployable):
                group = DEPLOY        # "will not send troops", "redeployed its police"
            elif group == MOVE and word in SENT and prev in {"be", "been", "being", "was",
                                                             "were", "is", "are"} and any(
                    w in FORCE_NOUNS for w in words[max(0, sp.start - 6):sp.start - 1]):
                group = DEPLOY        # "X forces will not be sent": a deployment
            if word in {"crossing", "crossings"} and prev in DETERMINERS | {"border", "both",
                                                                    "two", "all", "every"}:
                continue              # "waiting at the crossing": the place
            if group in {MOVE, RECEIVE} and _part_of_handed(
                    doc, sp.start, doc.user_data.get("category_at_end", {})):
                continue              # "two of the three sets of remains handed over on
                # Monday belonged to no hostage": which remains, not a new handover
            if form_of(group, word) == "past" and len(sp) == 1 and prev in {
                    "the", "a", "an", "newly", "recently", "its", "their"} and \
                    sp.end in doc.user_data.get("category_starts", set()):
                continue              # "to welcome the freed prisoners": which ones
            if group == CLOSE and word.startswith("suspend") and not any(
                    0 < f.start - sp.end <= 2 or 0 <= sp.start - f.end <= 3 and all(
                        w in {"was", "were", "is", "are", "has", "been", "had", "remains"}
                        for w in words[f.end:sp.start])
                    for f in facilities):
                continue              # "suspended the corridor" closes it; "suspended the
                # handovers" is a refusal, told by the handover's own word
            if _waiting(lowers(doc), sp.start):
                continue              # "trucks stuck in Egypt waiting to enter": a state
            if group == OPEN and word.startswith("operat") and not any(
                    sp.start - 5 <= f.end <= sp.start for f in facilities) and not any(
                    w in self.lex.facility_heads for w in words[max(0, sp.start - 4):sp.start]):
                continue              # "the force will begin operating in Rafah": only a
                # facility that operates is open ("the crossing operated as usual")
            if word in MOTION and group == WITHDRAW and not (
                    _forces_before(words, sp.start, parties) and any(
                        w in POSITION_NOUNS or k in lines
                        for k, w in enumerate(words[sp.end:sp.end + 7], sp.end))):
                continue              # "tanks rolled out of the eastern neighbourhoods" is
                # a pull-back; "200 trucks rolled out of Kerem Shalom" is not
            if group == WITHDRAW and word in STAYING | LEAVING and (
                    prev in DETERMINERS or nxt == "of" or not (
                    any(w in POSITION_NOUNS or k in lines
                        for k, w in enumerate(words[sp.end:sp.end + 5], sp.end))
                    and _forces_before(words, sp.start, parties))):
                continue              # "left Doha", "families remain in camps": no force
                # leaves or holds a position
            if word in {"let", "lets", "letting"} and not any(
                    w in {"into", "in", "through", "over", "across", "leave", "out", "cross"}
                    for w in lowers(doc)[sp.end:min(sp.sent.end, sp.end + 14)]):
                continue              # "let" counts only as "let ... into / in / leave"
            if word in NOUNS and (prev in DETERMINERS | POSSESSIVE_MARKS or nxt == "of"
                                  or prev in SPEECH
                                  or (word not in all_forms() and True)):
                form = "noun"
            else:
                form = form_of(group, word)
            if group == ATTACK and (word in EXCHANGES or word in FIGHTING):
                form = "past"         # "after an exchange of fire": it happened
            if group == ENTER and word in LIFTS:
                form = "past" if word.endswith("ed") else "ing" if word.endswith("ing") \
                    else "third" if word.endswith("s") else "base"
            if group == ATTACK and word in PROJECTILES and len(sp) in {2, 3}:
                # "mortar shells landed", "drone hits customs post": what was fired hit
                form = "third" if sp[1].lower_.endswith("s") and \
                    sp[1].lower_ != "landed" else "past"
            if group == ATTACK and word in {"was", "were", "been"} and len(sp) == 3:
                if not any(w in PROJECTILES | ATTACKERS | ATTACK_NOUNS | WOUNDING
                           for w in words[sp.end:sp.end + 4]):
                    continue          # "injured by falling debris": no attack
                form = "past"         # "a marine was wounded by a booby trap": it happened
            if form == "noun" and prev == "in" and word == "exchange":
                continue              # "in exchange for": a ratio's basis, not an event
            if form == "noun" and _under_terms_of(words, sp.start):
                continue              # "under the terms of the exchange, 250 ... will walk
                # free": the frame the event is told under, not an event
            if form == "noun" and _when_before(doc, sp.start) and not (
                    group == ATTACK and after_attack(words, sp.start, sp.sent.start,
                                                     sp.sent.end)):
                continue              # "within 72 hours of the pullback": a time ("shut
                # after gunfire near the post": an attack that happened)
            if word in {"return", "exchange"} and prev == "in" and nxt == "for":
                continue
            if group == INSTITUTE and len(sp) > 1:
                form = INSTITUTE_FORMS.get(word, form)   # "set up", "sworn in"
            if group == IDENTIFY and (word in RESULT_VERBS or word.startswith("belong")
                                      or word in MATCHES):
                form = "past"         # "found that", "did not belong to": a result
            if group == IDENTIFY and word in BE:
                if not any(w in BODY_WORDS for w in words[sp.sent.start:sp.start]):
                    continue          # "the plan is not that of a statesman": no remains
                form = "past"         # "the body ... is not that of X": a result
                if any(w in {"whether", "if"} for w in words[max(sp.sent.start,
                                                                 sp.start - 4):sp.start]):
                    form = "purpose"  # "examined to determine whether either was that
                    # of X": an identification to come
            if group == IDENTIFY and word == "for":
                form = "purpose"      # "sent for identification": planned
            elif group == IDENTIFY and word in {"confirmed", "established", "determined",
                                                "verified"}:
                form = "past"         # "established the identity of ..."
            if group == IDENTIFY and form == "base" and _achieved(lowers(doc), sp.start):
                form = "past"         # "had been able to identify 89": done
            if group == IDENTIFY and word.startswith("recogni") and not (
                    any(w in BODY_WORDS for w in words[sp.sent.start:sp.sent.end])
                    and any(doc[k].like_num for k in range(sp.end, min(sp.end + 4,
                                                                      sp.sent.end)))):
                continue              # "relatives recognised six of the bodies" identifies
                # them; "recognised the committee / a state" does not
            if group == IDENTIFY and word.startswith("nam") and not (
                    word == "named" and prev in {"been", "were", "was", "be"}
                    and nxt not in {"as", "after", "by", "in", "to"}
                    and any(w in BODY_WORDS for w in words[sp.sent.start:sp.start])):
                continue              # "only 57 (of the bodies) have been named": put a
                # name to; "named as envoy", "named a committee" are not identifications
            if group == IDENTIFY and form not in {"past", "purpose"}:
                continue              # "bodies that turn out to be ...": no event claimed
            if len(sp) == 1 and form in {"base", "third"} and word in _BARE_FORMS and (
                    prev in NOUN_BEFORE or nxt in {"of", "-", "in", "and"}
                    or sp.start > 1 and lowers(doc)[sp.start - 2] in {"in", "into", "from"}):
                continue              # "at the hands of", "hand in hand": the noun
            if word in {"in", "back"}:
                form = "past"         # "in place", "back in operation": a state, as a
                # participle is
            if word in OWING:
                form = "purpose"      # "owes the Front 40 prisoners": to be handed over
            if word in STAYING and group == WITHDRAW:
                form = "stay"         # "troops will stay along the line": no pull-back
            out.append(Trigger(sp.start, sp.end, group, form))
        taken = {k for t in out for k in range(t.start, t.end)}
        for sent in doc.sents:
            for k in disclaimed_nouns(lowers(doc), sent.start, sent.end, taken):
                out.append(Trigger(k, k + 1, ATTACK, "past"))   # "not responsible for any"
            for k in range(sent.start, sent.end):
                if k not in taken and absence_claimed(words, k, sent.start, sent.end):
                    out.append(Trigger(k, k + 1, ATTACK, "past"))   # "had no fighters in
                    # the area": the attack, denied
        # "counted 212 fuel trucks through the X crossing": with no event word in the
        # sentence, counted goods through a named facility are a flow through it
        ends = doc.user_data.get("category_ends", set())
        words = lowers(doc)
        for f in facilities:
            k = f.start - 1
            if k > 0 and words[k] == "the":
                k -= 1
            if k > 0 and words[k] in {"through", "via"} and k in ends and not any(
                    doc[k].sent.start <= t.start < doc[k].sent.end for t in out):
                out.append(Trigger(k, k + 1, ENTER, "past"))
        taken = {k for t in out for k in range(t.start, t.end)}
        out += [Trigger(k, k + 1, MOVE, "held") for k in _still_held(doc, taken)]
        out += [Trigger(k, k + 1, MOVE, FREEDOM_VERBS[words[k]])
                for k in _to_freedom(doc, taken)]
        out += self._asked_for(doc, {k for t in out for k in range(t.start, t.end)})
        if self.lex.clearances:
            out += [Trigger(k, k + 1, CLEAR, "past" if words[k].endswith("ed") else "ing"
                            if words[k].endswith("ing") else "base")
                    for k in _mines_cleared(doc, taken)]
        # a state's verb that is also a verb of entering ("gas flowing through the
        # pipeline"): the state, where the facility that has it follows
        flowing = {t.start for t in out if t.group == ENTER and t.end - t.start == 1}
        states = self._state_triggers(doc, facilities, (taken | names) - flowing)
        at = {t.start for t in states}
        out = [t for t in out if not (t.group == ENTER and t.start in at)] + states
        out += self._strength_triggers(doc, taken)
        out += self._level_triggers(doc, out)
        out += self._kept_triggers(doc, out)
        # "with all 20 living hostages home", "three more hostages were back in Israel":
        # people or remains told to be home are handed over, with no verb for it
        for k in range(1, len(doc)):
            if words[k] not in {"home", "back"} or any(t.start <= k < t.end for t in out):
                continue
            j = k - 1
            while j > 0 and words[j] in {"now", "safely", "finally", "all", "are", "were",
                                         "is", "was", "been", "have", "has"}:
                j -= 1
            if j + 1 in ends and words[k - 1] != "have":
                out.append(Trigger(k, k + 1, MOVE, "home"))
        out.sort(key=lambda t: t.start)
        return out

    def _state_triggers(self, doc: Doc, facilities: list[Mention], taken: set[int]
                        ) -> list[Trigger]:
        """A state the agreement names for a facility, told by its verb ("moved the
        yellow line 500 metres west", "the waterworks was running"), with that facility
        as the verb's object or subject; and a facility that stops or starts again ("the
        Greyfell pumps stopped at dawn", "Kerem Shalom halted operations")."""
        words = lowers(doc)
        out = []
        for k, w in enumerate(words):
            said_of = self.lex.state_verbs.get(w)
            if not said_of or k in taken:
                continue
            sent = doc[k].sent
            if any(f.ids & said_of.keys() and sent.start <= f.start < sent.end and (
                    0 < f.start - k <= 3 + (words[k + 1:k + 2] == ["again"]) and not any(
                        x in PREPOSITIONS and x not in ALONG
                        for x in words[k + 1:f.start])  # "moved the line", "flowing through
                    # the pipeline"
                    or 0 <= k - f.end <= 3    # "the line was moved", "Lowmere ... running"
                    or _placed_subject(words, f.end, k)   # "satellite navigation across
                    # the strait has been jammed"
                    or _aside_between(words, f.end, k))   # "Mobile internet, cut since 11
                   for f in facilities):                  # January, was restored"
                out.append(Trigger(k, k + 1, STATE, forms_of(w)[w], states=said_of))
        for f in facilities:
            k = f.end + (f.end < len(doc) and words[f.end] in {"again", "abruptly", "finally"})
            if k < len(doc) and k not in taken and words[k] in HALTS | RESTARTS:
                out.append(Trigger(k, k + 1, CLOSE if words[k] in HALTS else OPEN, "past"))
        return out

    def _strength_triggers(self, doc: Doc, taken: set[int]) -> list[Trigger]:
        """A force's strength as it stands ("the mission now has 52 observers on the
        islands"): a running total of its deployment (not "expects to have 60 in place",
        nor "500 officers in training", not deployed yet)."""
        words = lowers(doc)
        deploy = doc.user_data.get("deploy_starts", set())
        out = []
        for k, w in enumerate(words):
            if w not in {"has", "have", "numbers", "number", "with"} or k in taken or k > 0 and \
                    words[k - 1] in {"to", "will", "would", "could", "may", "might"}:
                continue
            j = k + 1
            while j < len(doc) and words[j] in {"now", "currently", "only", "still", "some",
                                                "about", "around", "nearly", "almost"}:
                j += 1
            n = j
            while n < len(doc) and (doc[n].like_num or words[n] == "," and n + 1 < len(doc)
                                    and doc[n + 1].shape_ == "ddd"):
                n += 1
            deployed = n in deploy or n < len(doc) and any(
                self.lex.category_type.get(c) == "deployment"
                for c in self.lex.person_heads.get(words[n], ()))   # "has 74 officers"
            deployed = deployed or n < len(doc) and words[n] in FORCE_NOUNS and any(
                w in {"force", "mission", "contingent", "team"}
                for w in words[max(0, k - 4):k])
            # ("the stabilisation force now numbers about 1,400 soldiers": its strength)
            deployed = deployed or w in {"numbers", "number"} and any(
                x in {"force", "mission", "contingent", "team"}
                for x in words[max(0, k - 4):k]) and any(
                doc[k].sent.start <= d < k for d in deploy)   # "the team now numbers 19"
            if n > j and deployed and "training" not in words[n:n + 6] and (
                    w != "with" or k == doc[k].sent.start and _in_post(words, n)):
                out.append(Trigger(k, k + 1, DEPLOY, "holds"))
        return out

    def _level_triggers(self, doc: Doc, found: list[Trigger]) -> list[Trigger]:
        """A daily count told by the level it came to, with no event word ("the number of
        aid trucks fell to 86 on Friday", "fuel tankers numbered 31"): the verb carries
        the flow of the category its subject names (only flows: "the number of prisoners
        held rose to 10,000" is no handover)."""
        words = lowers(doc)
        ends = doc.user_data.get("category_ids_at_end", {})
        out = []
        for k in range(1, len(doc)):
            if not doc[k].like_num:
                continue
            sent = doc[k].sent
            verb = level_verb_before(words, k, sent.start)
            if verb is None or any(sent.start <= t.start < verb for t in found):
                continue
            cat = next((e for e in range(verb, max(sent.start, verb - 8), -1) if e in ends),
                       None)
            ids = ends[cat] if cat is not None else None
            if ids and all(self.lex.category_type.get(i) == "flow" for i in ids):
                out.append(Trigger(verb, verb + 1, ENTER, "past"))
        return out

    def _kept_triggers(self, doc: Doc, found: list[Trigger]) -> list[Trigger]:
        """Captives or remains a party keeps back ("will hold on to the last six marines
        until ...", "would keep 11 poll workers until ...", "is withholding the bodies of
        70"): a handover refused. Keeping or holding counts only with a condition after
        it ("until", "as long as"); "Israel holds 1,100 Gazans" is no refusal."""
        words = lowers(doc)
        taken = {k for t in found for k in range(t.start, t.end)}
        starts = doc.user_data.get("category_starts", set())
        out = []
        for k, w in enumerate(words):
            if k in taken or w not in RETAIN | WITHHOLD:
                continue
            sent = doc[k].sent
            rest = " ".join(words[k:sent.end])
            if w in RETAIN and not (" until " in rest or " as long as " in rest
                                    or " unless " in rest):
                continue
            j = k + 1
            while j < sent.end and j < k + 7 and words[j] in {
                    "on", "to", "onto", "back", "the", "last", "remaining", "all", "its",
                    "their", "of", "at", "least"} | BODY_WORDS:
                j += 1
            while j < sent.end and doc[j].like_num:
                j += 1
            if any(i in starts for i in range(k + 1, j + 1)):
                out.append(Trigger(k, k + 1, MOVE, "kept"))
        return out

    def _uncued(self, doc: Doc, s0: int, s1: int,
                quantities: list[tuple[int, int, Quantity]], cats: list[Mention],
                date_spans: list[tuple[int, int]]) -> list[Trigger]:
        """A recall net for a sentence with no event word: a count of a category the
        agreement names ("UN figures for Tuesday showed 640 aid trucks", "Tamsk saw 41
        fuel tankers on Saturday"), dated or said to be recorded, under no cue of a plan,
        hope, demand, denial, rate or state, is read as that category's event, marked
        low-confidence (:attr:`Trigger.weak`)."""
        if not _plain_count_clause(lowers(doc), s0, s1, date_spans):
            return []
        out = []
        kinds = NET_KINDS
        for qs, qe, _ in quantities:
            if not s0 <= qs < s1 or qs > s0 and lowers(doc)[qs - 1] in {"of", "the", "to"} \
                    | HAVING:
                continue              # "the Commission has 60 tankers": held, not moved
            c = next((c for c in cats if c.start == qe and len(c.ids) == 1
                      and c.unit != GOODS_UNIT and (c.end >= s1 or lowers(doc)[c.end] not in {
                          "'", "'s", "’", "’s"})), None)   # ("two hostages' families")
            kind = kinds.get(self.lex.category_type.get(next(iter(c.ids)), "")) \
                if c is not None else None
            if c is not None and kind is not None:
                out.append(Trigger(c.end - 1, c.end, kind, "past", weak=True))
        return out

    def _deployable_after(self, doc: Doc) -> set[int]:
        """Token positions right before a named category of personnel the agreement
        counts in deployments, past a possessive ("its police"): a verb there moves
        personnel."""
        out = set()
        starts = doc.user_data.get("deploy_starts", set())
        for k in starts:
            j = k
            while j > 0 and lowers(doc)[j - 1] in {"its", "their", "his", "her", "the",
                                                   "more", "some", "new"}:
                j -= 1
            out.add(j)
        return out

    # -- passes 2-4, per sentence -----------------------------------------------------------
    def _sentence(self, doc: Doc, text: str, sent: Span, n: int, report: dt.date | None,
                  quantities: list[tuple[int, int, Quantity]], parties: list[Mention],
                  categories: list[Mention], facilities: list[Mention],
                  date_spans: list[tuple[int, int]], triggers: list[Trigger],
                  memory: dict[str, tuple[int, str]]) -> list[Candidate]:
        s0, s1 = sent.start, sent.end
        trig = [t for t in triggers if s0 <= t.start < s1]
        facs = [f for f in facilities if s0 <= f.start < s1]
        for f in facs:
            memory["facility"] = (n, next(iter(f.ids)))
        opener = next((p for p in parties if s0 <= p.start <= s0 + 2), None)
        cats = [c for c in categories if s0 <= c.start < s1]
        for c in cats:
            if len(c.ids) == 1 and self.lex.category_type.get(next(iter(c.ids))) == \
                    "deployment":
                memory["deploy_category"] = (n, next(iter(c.ids)))
        if not trig:
            trig = self._uncued(doc, s0, s1, quantities, cats, date_spans)
        if not trig:
            if opener is not None:
                memory["subject"] = (n, next(iter(opener.ids)))
            return []
        cats = with_the_rest(lowers(doc), cats, s0, s1)
        doc.user_data["sentence_categories"] = cats
        clauses = _clauses(doc, s0, s1, quantities)

        def clause_of(i: int) -> tuple[int, int]:
            return next((c for c in clauses if c[0] <= i < c[1]), (s0, s1))

        # Counted noun phrases: a quantity and the category right after it (or around it).
        party_tokens = {i for p in parties if s0 <= p.start < s1 for i in range(p.start, p.end)}
        pairs: list[tuple[tuple[int, int, Quantity] | None, Mention | None]] = []
        used_cats: set[int] = set()
        last: Mention | None = None      # the last counted mention ("... 40 others")
        opening = partitive_opening(lowers(doc), s0, s1)
        verb_ends = {t.end for t in trig if t.form != "noun"}
        for t in trig:        # "handed back only 45", "letting in just 200 a day"
            k = t.end
            while t.form != "noun" and k < s1 and lowers(doc)[k] in FOCUS:
                k += 1
                verb_ends.add(k)
        whole_of: Mention | None = None  # the category of "Of the 400 prisoners listed,"
        listed: dict[int, str] = {}   # counts listed after a facility: that facility
        doc.user_data["listed_at"] = listed
        for q in (q for q in quantities if s0 <= q[0] < s1):
            qs, qe, _ = q
            before = lowers(doc)[qs - 1] if qs > s0 else ""
            traded = before == "for" and is_traded(lowers(doc), qs, s0)
            called_for = before == "for" and qs - 2 >= s0 and (lowers(doc)[qs - 2] in {
                "provides", "provided"} or ASKING.get(lowers(doc)[qs - 2]) == 1)
            # ("the protocol calls for 150", "the UN is asking for 50 fuel tankers")
            due = _due_whole(lowers(doc), qs, qe, s0, s1)
            if before in {"for", "per", "each", "every", "than"} and not traded and \
                    not called_for or (
                    before == "of" and qs - 2 >= s0 and lowers(doc)[qs - 2] in {"out"}
                    and not due):
                continue
            if running_total(lowers(doc), qs, qe, s0, s1):
                continue              # "brought to 300 the number of ...": the total
            if qs - 2 >= s0 and lowers(doc)[qs - 2:qs] == ["all", "but"]:
                continue              # "all but three have been brought home": how many
                # are left, not how many came
            if excepted(lowers(doc), qs, s0):
                used_cats.update(c.start for c in cats if qe <= c.start <= qe + 2)
                continue              # "except for the four hostages who ...": set apart
            part = share_of(lowers(doc), q, s0)
            if part is not None:      # "half of the 20 hostages were released": 10
                q = (qs, qe, part)
            match = None
            # "two of the three sets of remains": "sets of" stands between, as a unit
            reach = 5 if any(lowers(doc)[k] in {"sets", "set"} and lowers(doc)[k + 1] == "of"
                             for k in range(qe, min(s1 - 1, qe + 4))) else 3
            # a hyphened modifier is one word ("2,500 Egyptian-trained Palestinian police")
            reach += 2 * sum(1 for k in range(qe + 1, min(s1 - 1, qe + reach + 2))
                             if lowers(doc)[k] in {"-", "–"} and _joins_words(doc, k))
            for c in cats:
                if c.start in used_cats:
                    continue
                if c.unit == GOODS_UNIT and c.start != qe:
                    continue          # "300 trucks carrying food": the trucks are counted
                if c.start <= qs < c.end or qe <= c.start <= qe + reach and not any(
                        doc[k].is_punct and not (k > qe and _joins_words(doc, k))
                        or lowers(doc)[k] in NOT_BETWEEN
                        for k in range(qe, c.start)):   # (not "2,000 Palestinians as X")
                    match = c
                    break
                if c.unit is not None and c.unit != GOODS_UNIT and c.end == qs - 1 and \
                        before == "of" and (qe >= s1 or lowers(doc)[qe] != "of") and not any(
                            d.start == qe for d in cats if d.start not in used_cats):
                    match = c         # "the bodies of 45 martyrs": the unit counts them
                    break
            if match is not None and match.unit in BODY_WORDS and match.end + 1 < s1 and \
                    lowers(doc)[match.end] in CONTAINING:
                # "four coffins containing the remains of soldiers": whose remains
                held = next((d for d in cats if d.unit is None and d.start not in used_cats
                             and match.end < d.start <= match.end + 3), None)
                if held is not None:
                    used_cats.add(held.start)
                    match = Mention(match.start, held.end, held.ids)
            if due and match is None:   # (its noun may be the part's too: "4,200 of ...")
                match = next((c for c in cats if qe <= c.start <= qe + 2), None)
            if due and match is not None:
                # "115 entered out of the 1,100 trucks that are supposed to enter", "4,200
                # of the 15,000 aid trucks due": the whole is what the terms set
                used_cats.add(match.start)
                pairs.append((q, replace(match, compare=LIMIT)))
                last = match
                continue
            if opening is not None and qs == opening[0]:
                if match is not None:
                    used_cats.add(match.start)
                    whole_of = match
                continue              # "Of the 400 prisoners listed, ...": the whole
            if opening is not None and match is None and whole_of is not None and \
                    qs > opening[1]:
                match, whole_of = whole_of, None   # "..., 120 have been freed": of them
            cap = next((k for k in range(qs - 2, max(s0, qs - 12) - 1, -1)
                        if lowers(doc)[k] in CAP_VERBS), None) if before in {"at", "to"} \
                else None
            if cap is not None:
                # "caps the number of aid trucks at 600 a day": a cap whatever its prefix,
                # and a count of what the ceiling verb named
                q = (qs, qe, replace(q[2], precision=QuantityPrecision.AT_MOST,
                                     prefix="up to"))
                if match is None:
                    match = next((c for c in cats if cap < c.start < qs
                                  and c.start not in used_cats), None)
                if match is None:
                    # "the number of trucks ... remains capped at 600": what was capped
                    match = next((c for c in reversed(cats) if s0 <= c.start < cap
                                  and c.start not in used_cats and c.unit != GOODS_UNIT),
                                 None)
            if match is None and (before in {"among", "reach", "reached", "reaches", "to",
                                             "at"} or level_verb_before(lowers(doc), qs, s0)
                                  is not None):
                match = counted_before(doc, cats, used_cats, qs, s0, before)
            if match is None and last is not None and qe + 1 < s1 and \
                    lowers(doc)[qe] == "for" and lowers(doc)[qe + 1] in {"each", "every"}:
                # "sent back 32 bodies, four for each serviceman returned": the formula
                pairs.append((q, Mention(qs, qe, last.ids, last.unit, compare=RATIO)))
                continue
            limit = limit_of(lowers(doc), qs, qe, s0, s1) if match is None else None
            if limit is not None and last is not None:
                # "412 came home, well within the 600 a day the truce allows": the limit
                pairs.append(((qs, qe, replace(q[2], precision=limit)),
                              Mention(qs, qe, last.ids, last.unit, compare=LIMIT)))
                continue
            compare = comparison(lowers(doc), qs, s0) if match is None else None
            if match is None and compare is None and is_average(lowers(doc), q, (s0, s1)):
                compare = "average"   # "..., averaging 300 a day": of the same
            if compare is not None and last is not None and (
                    qe >= s1 or lowers(doc)[qe] not in FORCE_NOUNS):
                # "1,150 trucks ..., down from about 1,400": a second count of the same
                if compare in APPROX_CUES and q[2].precision == QuantityPrecision.EXACT:
                    q = (qs, qe, replace(q[2], precision=QuantityPrecision.APPROXIMATE))
                pairs.append((q, Mention(qs, qe, last.ids, last.unit, compare=compare)))
                continue
            whole = before == "of" or before == "the" and qs - 2 >= s0 and \
                lowers(doc)[qs - 2] == "of"      # "150 of the 400 prisoners": the whole
            if match is None and whole and last is not None and pairs and pairs[-1][0] \
                    and pairs[-1][0][1] + 2 == qs and any(
                        w in {"a", "per", "daily", "weekly"} for w in lowers(doc)[qe:qe + 4]):
                # "145 of the 600 trucks a day envisaged": the whole, a rate, an event
                # only if it is a cap the terms set
                pairs.append((q, Mention(qs, qe, last.ids, last.unit, compare=WHOLE)))
                continue
            remains_before = last or next(
                (c for c in reversed(cats) if c.end <= qs and c.start + 1 < s1
                 and lowers(doc)[c.start] in BODY_WORDS
                 and lowers(doc)[c.start + 1] == "of"), None)   # ("the remains of a
            # deceased hostage to Israel and of 15 deceased Palestinians": uncounted first)
            named_remains = self._remains_named(doc, qs, qe, s1, remains_before) \
                if match is None and remains_before is not None else None
            if named_remains is not None:
                # "the remains of 26 hostages and of 345 Palestinians": the second count
                # is of remains too, those the agreement names after "remains of"
                pairs.append((q, named_remains))
                last = named_remains
                continue
            h = qe + (qe + 1 < s1 and lowers(doc)[qe] in {"more", "additional", "other"})
            heads = self.lex.person_heads.get(lowers(doc)[h]) if h < s1 else None
            if match is None and heads and len(heads) > 1 and not whole:
                # "released 28 officers": a head noun two categories share (captured
                # police officers, verification officers); who acts tells which
                pairs.append((q, Mention(h, h + 1, heads)))
                last = pairs[-1][1]
                continue
            if match is None and qe < s1 and not whole and (lowers(doc)[qe] in PEOPLE or (
                    doc[qe].is_title and lowers(doc)[qe].endswith("ans")
                    and qe not in party_tokens)):
                # "free 250 Palestinians serving life terms": people the agreement's
                # categories do not name; a transfer of them, if a transfer verb moves them
                # (of the agreement's one category of people named by that demonym:
                # "Palestinians", the "Palestinian prisoners")
                kin = self.lex.demonyms.get(lowers(doc)[qe][:-1], frozenset()) \
                    if doc[qe].is_title else frozenset()
                pairs.append((q, Mention(qe, qe + 1, kin if len(kin) == 1 else frozenset(),
                                         unit=PEOPLE_UNIT)))
                continue
            if match is None and last is not None and gapped(lowers(doc), qs, qe, s0, s1):
                # "3,950 trucks at Kerem Shalom and 1,220 at Kissufim": the same noun;
                # "300 to date, including 45 on Monday": a part, an event of its own
                role = PART if lowers(doc)[qs - 1] == "including" else "apart" if (
                    qe + 1 < s1 and lowers(doc)[qe] in {"a", "per"}) else None   # (",
                # about 275 a day": the count before, told as a rate)
                pairs.append((q, Mention(qs, qe, last.ids, last.unit, compare=role)))
                continue
            if match is None and not whole:
                antecedent = elided_antecedent(lowers(doc), cats, qs, qe, s0, s1)
                if antecedent is not None:
                    # "holds no Arvelian soldiers; all 60 it captured were handed back"
                    pairs.append((q, Mention(qs, qe, antecedent.ids, antecedent.unit)))
                    continue
            earlier = last or next((c for c in reversed(cats) if c.end <= qs
                                    and c.unit != GOODS_UNIT), None)
            if match is None and earlier is not None and qs in verb_ends and (
                    qe >= s1 or lowers(doc)[qe] in GAP_AFTER or qe + 1 < s1
                    and lowers(doc)[qe] in {"a", "per", "every", "each"}
                    and lowers(doc)[qe + 1] in RATE_UNITS):
                # "Hamas returned four bodies and Israel handed back 60": the same noun
                pairs.append((q, Mention(qs, qe, earlier.ids, earlier.unit)))
                continue
            if match is None and earlier is not None and qe < s1 and \
                    lowers(doc)[qe] in {"others", "more"} and (
                        qe + 1 >= s1 or lowers(doc)[qe + 1] not in {"than", "of"}):
                # "90 prisoners ..., while 40 others were freed", "returned the body of a
                # hostage and will hand over two more": the same category
                pairs.append((q, Mention(qe, qe + 1, earlier.ids, earlier.unit)))
                continue
            sub = self._sub_category(lowers(doc), qs, qe, s1, last) if match is None \
                else None
            if sub is not None:
                # "171 trucks had entered, nine of them with fuel": a part of the count,
                # of the category the agreement names for what it carried
                pairs.append((q, sub))
                continue
            alike = earlier or next((m for _, m in reversed(pairs)
                                     if m is not None and m.unit == FORCE), None)
            if match is None and alike is not None and qs - 2 >= s0 and (
                    lowers(doc)[qs - 2] == "the" and lowers(doc)[qs - 1] in {
                        "remaining", "outstanding", "other", "last", "first"}
                    or qs - 3 >= s0 and lowers(doc)[qs - 2:qs] == ["of", "all"]
                    and NOUNS.get(lowers(doc)[qs - 3]) is not None) and (
                    qe >= s1 or lowers(doc)[qe] in GAP_AFTER | ELIDED_AFTER):
                # (also "46 bodies ...; the accord provides for the return of all 140")
                # "64 monitors in the field ...; asked governments to send the remaining
                # 116": more of the same; "20,000 troops on standby; the first 1,000
                # could be deployed by April"
                pairs.append((q, Mention(qs, qe, alike.ids, alike.unit)))
                continue
            listed_at = next((f for f in facs if f.end == qs), None) if match is None \
                else None
            if listed_at is not None and earlier is not None and earlier.start < \
                    listed_at.start and (qe >= s1 or lowers(doc)[qe] in {
                        ",", ";", "|", ".", "(", "and", "-", "–"}):
                # "Truckloads collected, 10-16 November: Kerem Shalom 1,204 | Kissufim
                # 388": a count per facility, of what the line counts
                pairs.append((q, Mention(qs, qe, earlier.ids, earlier.unit, compare="apart")))
                listed[qs] = next(iter(listed_at.ids))
                continue
            if match is None and earlier is not None and _figure_put_at(lowers(doc), qs, s0):
                # "the ICRC says 360 bodies have been returned; the ministry puts the
                # figure at 345": the same count, by another source
                pairs.append((q, Mention(qs, qe, earlier.ids, earlier.unit,
                                         compare=FIGURE)))
                continue
            if match is None and earlier is not None and _observed_bare(
                    lowers(doc), qs, qe, s0, s1):
                # "COGAT said 4,600 trucks had entered; the office said it had counted
                # only 1,930": a second count of the same
                pairs.append((q, Mention(qs, qe, earlier.ids, earlier.unit,
                                         compare="apart")))
                continue
            if match is None and last is not None and qe < s1 and (
                    lowers(doc)[qe] in all_forms() and (
                        lowers(doc)[qe].endswith("ing") or lowers(doc)[qe].endswith("ed")
                        and before in OBSERVE | FOCUS)
                    or lowers(doc)[qe] == "to" and qe + 1 < s1
                    and lowers(doc)[qe + 1] in all_forms()):
                # "600 trucks a day ..., with about 170 arriving", "recorded only 431
                # collected", "has 38 monitors and expects the next 60 to arrive": the
                # same category
                pairs.append((q, Mention(qs, qe, last.ids, last.unit)))
                continue
            before_q = next((m for _, m in reversed(pairs) if m is not None), None)
            if match is None and before_q is not None and qs > s0 and qe + 1 < s1 and \
                    lowers(doc)[qs - 1] in {"another", "further"} and \
                    lowers(doc)[qe] in BE and lowers(doc)[qe + 1] in {"expected", "due"}:
                # "now numbers 1,400 soldiers, and another 800 are expected by July": more
                # of the same, whose coming is the event
                kind = DEPLOY if before_q.unit == FORCE else NET_KINDS.get(
                    self.lex.category_type.get(next(iter(before_q.ids), ""), ""))
                if kind is not None:
                    trig.append(Trigger(qe + 1, qe + 2, kind, lowers(doc)[qe + 1]))
                    pairs.append((q, Mention(qs, qe, before_q.ids, before_q.unit)))
                    continue
            whose = self._possessed_remains(doc, qe, s1) if match is None else None
            if whose is not None:
                # "sent back four soldiers' bodies": the remains of those people
                used_cats.update(c.start for c in cats if whose.start <= c.start < whose.end)
                pairs.append((q, whose))
                last = whose
                continue
            if match is None:
                force = next((k for k in range(qe, min(s1, qe + 4))
                              if lowers(doc)[k] in FORCE_NOUNS), None)
                of_the = before == "the" and qs - 2 >= s0 and lowers(doc)[qs - 2] == "of"
                if force is not None and not of_the and not any(
                        doc[k].is_punct for k in range(qe, force)):
                    pairs.append((q, Mention(force, force + 1, frozenset(), unit=FORCE)))
                    continue
                nxt = lowers(doc)[qe] if qe < s1 else ""
                prev_word = lowers(doc)[qs - 1] if qs > s0 else ""
                share = nxt == "of" and qe + 1 < s1 and lowers(doc)[qe + 1] in ANAPHORS
                if share and last is not None and lowers(doc)[qe + 1] == "them" and \
                        last.compare is None and dated_after(lowers(doc), q, (qs, s1)):
                    # "16,600 trucks have entered since the truce, 430 of them on
                    # Saturday": a dated part of the count before it
                    pairs.append((q, Mention(qs, qe, last.ids, unit=last.unit,
                                             compare=PART)))
                    continue
                if prev_word in {"to", "reach", "reached", "of"} or nxt in {".", ",", ";"} \
                        or "identified" in lowers(doc)[qe:min(s1, qe + 4)] or share:
                    pairs.append((q, None))   # "... of which 99 have been identified"
                continue
            used_cats.add(match.start)
            if traded:                # "the exchange of 50 detainees for 10 soldiers"
                pairs.append((q, replace(match, compare=TRADED)))
                continue
            if qe - qs == 1 and lowers(doc)[qs] in {"one", "single"} and qs > s0 and \
                    lowers(doc)[qs - 1] in {"not", "no", "a"} and (
                        lowers(doc)[qs - 1] != "a" or qs - 2 >= s0
                        and lowers(doc)[qs - 2] in {"not", "no"}):
                pairs.append((None, match))   # "not one truck": none, not a count of one
                last = match
                continue
            if _ordinal_of(lowers(doc), qs, s0):
                # "the 24th of the 28 dead hostages to come home": one of them
                q = (qs, qe, Quantity(1, QuantityPrecision.EXACT))
            pairs.append((q, match))
            last = match
        for c in cats:
            if c.start not in used_cats:
                pairs.append((count_of_one(doc, c, s0), c))
        pairs = [(q, self._remains(doc, q, m, s0) if m else m) for q, m in pairs]
        # Each counted phrase attaches to the nearest event word of its clause.
        loose = []                    # pairs with no event word, for "hand them over"
        for pair in pairs:
            if pair[1] is not None and pair[1].compare == FIGURE:
                # another source's figure: told by the event of the count it restates
                owner = next((t for t in reversed(trig) for _, o in t.themes
                              if o is not None and o.ids == pair[1].ids
                              and o.start < pair[1].start), None)
                if owner is not None:
                    owner.themes.append(pair)
                    continue
            pos = pair[0][0] if pair[0] else pair[1].start  # type: ignore[union-attr]
            cl = clause_of(pos)
            near = [t for t in trig if cl[0] <= t.start < cl[1]]
            end = pair[1].end if pair[1] else pair[0][1]  # type: ignore[index]
            if not near and end + 1 < s1 and lowers(doc)[end] == "," and \
                    lowers(doc)[end + 1] in {"who", "which"}:
                # "trained 3,000 police officers, who will deploy ...": the relative
                # clause's event word is about its antecedent
                cl = clause_of(end + 1)
                near = [t for t in trig if cl[0] <= t.start < cl[1]]
            if not near:
                loose.append(pair)
                continue
            described = _moved_whole(doc, pair, near, quantities, parties)
            if described is not None:
                # "recognised 99 of the 345 bodies Israel has sent back": the whole, told
                # as handed over, a running total of that handing over
                described[0].themes.append(described[1])
                near = [t for t in near if t is not described[0]]   # the part was not
                # handed over by it ("12 of the 30 bodies returned were identified")
                if not near:
                    continue
            best = min(near, key=lambda t: (abs(t.start - pos), t.start > pos))
            if best.start < pos and is_basis(lowers(doc)[best.end:pos]):
                continue              # "released 15 ... in exchange for one hostage"
            if pair[0] is None and best.group in {ATTACK, IDENTIFY}:
                continue
            if best.group == IDENTIFY and pos >= best.end and \
                    lowers(doc)[best.end - 1] == "of":
                continue              # "are not those of either of the two remaining
                # hostages": whom they might have been, not how many were identified
            if pair[0] is not None and pair[1] is None and best.group not in {
                    DEPLOY, IDENTIFY}:
                continue
            best.themes.append(pair)
        for q_m in loose:
            m = q_m[1]
            if m is None or m.compare is None:
                continue
            if m.compare == PART:
                # "3,912 trucks were offloaded ..., of which 204 carried fuel": a part,
                # told by the event of the count it is a part of
                of_whole = [(o.start, t) for t in trig for _, o in t.themes
                            if o is not None and o.start < m.start]
                if of_whole:
                    max(of_whole, key=lambda w: w[0])[1].themes.append(q_m)
                continue
            # "allows 600 trucks a day, though the average has been closer to 200": the
            # count compared with carries the event
            owner = next((t for t in trig for _, o in t.themes
                          if o is not None and o.compare is None and o.ids == m.ids
                          and o.unit == m.unit and o.start < m.start), None)
            if owner is not None:     # (a limit cited in a clause of its own stays one:
                # "..., and accused Israel of ignoring the daily minimum of 600")
                owner.themes.append((q_m[0], m if m.compare in {LIMIT, FIGURE}
                                     else replace(m, compare="apart")))
        for t in trig:
            if not t.themes and t.end < s1 and lowers(doc)[t.end] in {"them", "it"} and \
                    t.form != "noun":
                # "found the bodies of two hostages and would hand them over": the count
                # of the clause before
                prior = [p for p in loose if p[0] is not None and p[1] is not None
                         and p[0][1] <= t.start]
                if prior:
                    t.themes.append(prior[-1])
        counted_last = last or next((m for _, m in reversed(pairs) if m is not None
                                     and len(m.ids) == 1), None)
        for t in trig:
            group_at = _another_group(lowers(doc), t.start, clause_of(t.start)[0])
            if not t.themes and t.form != "noun" and counted_last is not None and \
                    group_at is not None:
                # "freed 18 detainees, and a further group is expected to be released
                # next week": more of the same category, no count given
                unit = None if counted_last.unit == PEOPLE_UNIT else counted_last.unit
                t.themes.append((None, Mention(group_at, group_at + 1, counted_last.ids,
                                               unit)))
        for t in trig:
            verb = next((v for v in trig if v.form != "noun" and v.end <= t.start
                         and t.start - v.end <= 2 and not any(
                             doc[k].is_punct or lowers(doc)[k] in {
                                 "on", "about", "over", "after", "following", "amid",
                                 "during", "before"}
                             for k in range(v.end, t.start))), None)
            if t.form == "noun" and verb is not None:
                # "permitted the entry of 173 trucks": the verb carries the event.
                if verb.group == INSTITUTE and lowers(doc)[verb.start] in APPROVALS and \
                        t.group in {MOVE, ENTER, DEPLOY} and any(
                            m is not None and m.start - t.end < 6 for _, m in t.themes):
                    # "approved the entry of 200 caravans a week": leave for them to go
                    # in, not a body set up nor a delivery made
                    verb.group, verb.form = t.group, "approved"
                verb.themes.extend(t.themes)
                t.themes = []
                t.form = "absorbed"
        attached = {id(p) for t in trig for p in t.themes}
        for q_m in loose:
            # "Aid entering Gaza has picked up, with 780 trucks on Sunday alone": a dated
            # count in a clause of its own, with no event word there: the recall net
            tally, m = q_m
            kind = NET_KINDS.get(self.lex.category_type.get(next(iter(m.ids)), "")) \
                if m is not None and len(m.ids) == 1 else None
            if tally is None or m is None or kind is None or m.compare is not None or \
                    id(q_m) in attached or m.unit in {GOODS_UNIT, PEOPLE_UNIT, FORCE}:
                continue
            cl = clause_of(tally[0])
            if cl != (s0, s1) and _plain_count_clause(lowers(doc), cl[0], cl[1], date_spans,
                                                      dated=True):
                weak = Trigger(m.end - 1, m.end, kind, "past", weak=True)
                weak.themes.append(q_m)
                trig.append(weak)
        out: list[Candidate] = []
        seen: set[tuple[object, ...]] = set()
        contrasted: set[int] = set()   # candidates of a ", while ..." clause: events apart
        claimed: Modality | None = None   # the last noun event the sentence claims
        for t in trig:
            if t.form == "absorbed":
                continue
            cl = clause_of(t.start)
            condition = _set_condition(doc, t, cl)
            if not condition and (lowers(doc)[cl[0]] in CONDITION | TOTAL_OPENERS or
                                  lowers(doc)[cl[0]:cl[0] + 3] == ["as", "soon", "as"]
                                  ) and not (t.group == ATTACK and after_attack(
                                      lowers(doc), t.start, cl[0], cl[1])):
                continue              # "if Hamas does not return the bodies": no claim;
                # ", bringing to 34 the number returned": a running total, not an event
            modality = Modality.DEMANDED if condition else \
                modality_of(doc, t, cl, s0, quantities)
            if t.form == "purpose" and modality != Modality.DENIED:
                modality = Modality.PLANNED
            if t.form == "asked" and modality != Modality.DENIED:
                modality = Modality.DEMANDED   # "is asking for 50 fuel tankers a day"
            if t.form == "approved" and modality == Modality.OCCURRED:
                # leave for goods to go in is a permission; for a release, a decision
                modality = Modality.PERMITTED if t.group == ENTER else Modality.PLANNED
            if t.form == "kept" and modality not in {Modality.HOPED, Modality.DEMANDED}:
                modality = Modality.DENIED   # "will hold on to the last six marines until"
            if t.form in {"expected", "due"}:   # "another 800 are expected / due"
                modality = Modality.EXPECTED if t.form == "expected" else Modality.PLANNED
            if t.form == "holds" and modality == Modality.OCCURRED:
                modality = Modality.CUMULATIVE   # "now has 52 observers": its strength
            if t.form == "home" and modality == Modality.OCCURRED and _nearest_date(
                    date_spans, t, cl, (s0, s1), doc) is None:
                modality = Modality.CUMULATIVE   # "all 20 living hostages are home": as
                # things stand, a running total; "were back on Monday": that day's
            if t.form == "held":
                modality = Modality.DEMANDED   # "while a hostage's body remains in Gaza"
            if t.form == "stay":      # staying put is no pull-back; not staying is one
                modality = Modality.PLANNED if modality == Modality.DENIED else \
                    Modality.DENIED
            if t.form == "noun" and modality == Modality.OCCURRED and \
                    _scheduled(lowers(doc), t.start, cl[0]):
                modality = Modality.PLANNED   # "a 72-hour window for the release of"
            caps_only = False
            if t.form == "noun" and modality == Modality.OCCURRED and t.group not in {
                    IDENTIFY}:
                # A noun presupposes the event; only a cue makes it a claim, or a
                # predicate that says it was carried out ("... took place on Monday"), or
                # a cap on it ("caps deliveries at 50 tankers a day").
                claim = noun_claim(doc, t, cl)
                if claim is None and t.start >= 2 and lowers(doc)[t.start - 2:t.start] == [
                        "with", "the"] and any(w in DAY_WORDS
                                               for w in lowers(doc)[t.end:cl[1]]):
                    claim = Modality.OCCURRED   # "With the arrival of eleven more
                    # inspectors on Monday, ...": it happened that day
                if claim is None and ":" in lowers(doc)[t.end:cl[1]] and _heading(
                        doc, cl[0], t.end + lowers(doc)[t.end:cl[1]].index(":"), cl[1],
                        set()):
                    claim = Modality.OCCURRED   # a tally under a heading ("Deliveries
                    # on Sunday: 94 trucks")
                if claim is None and t.group == ATTACK and (harm_subject(
                        lowers(doc), t.start, cl[0], cl[1]) or after_attack(
                            lowers(doc), t.start, cl[0], cl[1])):
                    claim = Modality.OCCURRED   # "gunfire from X positions wounded two",
                    # "shut after gunfire near the post"
                if claim is None and claimed is not None and t.start - 4 >= s0 and \
                        lowers(doc)[t.start - 4:t.start] in (["as", "well", "as", "the"],
                                                             [",", "as", "well", "as"]):
                    claim = claimed       # "facilitated the release of 20 hostages, as
                    # well as the return of the remains of 26": the same claim
                caps_only = claim is None
                modality = claim or modality
            if t.form == "noun" and not caps_only:
                claimed = modality
            for cand in self._candidates(doc, text, t, cl, (s0, s1), n, modality, report,
                                         parties, facs, date_spans, memory):
                if caps_only and cand.modality != Modality.PERMITTED:
                    continue
                if t.weak:
                    if cand.modality not in {Modality.OCCURRED, Modality.CUMULATIVE} or \
                            cand.quantity is None:
                        continue
                    cand.note = (f"low confidence: no event word; a count of "
                                 f"{cand.category or 'the category'} read as a {cand.type}")
                same = (cand.type, cand.actor, cand.category, cand.quantity, cand.modality,
                        cand.facility, cand.state, tuple(cand.provisions))
                if same not in seen:
                    seen.add(same)
                    out.append(cand)
                    if lowers(doc)[cl[0]] in CONTRASTS or t.group == ATTACK and (
                            unnamed_attacker(lowers(doc), t.start, cl[0])
                            or t.form in {"noun", "ing"}
                            and given_as_reason(lowers(doc), t.start, s0)):
                        contrasted.add(id(cand))   # (also "... after the army said
                        # militants had fired on troops": an attack of its own)
        if opener is not None:
            memory["subject"] = (n, next(iter(opener.ids)))
        # "25 people were killed when X's aircraft struck ...": one attack, by X
        done = {c.modality for c in out if c.type == "incident" and c.actor}
        # "three coffins containing the remains of hostages were handed over on Monday":
        # the count's event, not a second one without it
        counted = {(c.type, c.actor, c.category, c.modality) for c in out
                   if c.quantity is not None}
        return [c for c in out if not (c.type == "incident" and c.actor is None
                                       and c.modality in done and id(c) not in contrasted)
                and not (c.quantity is None and c.category is not None and (
                    c.type, c.actor, c.category, c.modality) in counted)]

    def _candidates(self, doc: Doc, text: str, t: Trigger, cl: tuple[int, int],
                    sent: tuple[int, int], n: int, modality: Modality,
                    report: dt.date | None, parties: list[Mention],
                    facs: list[Mention], date_spans: list[tuple[int, int]],
                    memory: dict[str, tuple[int, str]]) -> list[Candidate]:
        s0, s1 = sent
        attribution = _attribution(doc, cl[0], cl[1]) or _attribution(
            doc, s0, s1, according=False)
        actor, recipient, via = self._roles(doc, t, cl, sent, parties)
        if "subject" in memory and memory["subject"][0] == n - 1 and \
                _pronoun_opens(doc, t, s0) and not (t.form == "past"
                                                    and _after_be(doc, t.start, s0)):
            # "Hamas said on Monday ... . It also handed over two bodies": the party the
            # sentence before was about
            if t.group == RECEIVE and recipient is None:
                recipient = memory["subject"][1]
            elif t.group != RECEIVE and actor is None:
                actor = memory["subject"][1]
        clause_text = " ".join(lowers(doc)[cl[0]:cl[1]])
        spans = date_spans
        if t.group == IDENTIFY:       # "the remains handed over yesterday are not those
            # of ...": the day of the handover, not of the finding
            spans = [d for d in date_spans if not _dates_a_participle(doc, d, t.start)]
        date_text = _nearest_date(spans, t, cl, sent, doc)
        when, last = dates.resolve_span(date_text, report, modality) if date_text \
            else (None, None)
        if when is None and t.group == IDENTIFY and report is not None and \
                lowers(doc)[t.start] in {"is", "are"} and modality == Modality.OCCURRED:
            when = report             # a finding told in the present: today's news
        if when is None and report is not None and modality == Modality.OCCURRED and \
                _headline(doc, text, sent):
            when = report             # a headline tells today's news in the present
        facility = None
        in_clause = [f for f in facs if cl[0] <= f.start < cl[1]] or facs
        every = t.group in {OPEN, CLOSE} and _every_facility(
            lowers(doc), t.end, cl[1], self.lex.facility_heads)
        if every:
            in_clause = []            # "open every crossing into Gaza": all of them, none
            # by name
        elif in_clause:
            facility = next(iter(min(in_clause, key=lambda f: abs(f.start - t.start)).ids))
        elif t.group in {OPEN, CLOSE} and "facility" in memory \
                and n - memory["facility"][0] <= 3:
            facility = memory["facility"][1]
        a, b = _bounds(doc, text, s0, s1)
        base: dict[str, Any] = {
                "agreement": self.agreement.id, "quote": text[a:b], "start": a, "end": b,
                "modality": modality, "attribution": attribution, "date": when,
                "date_end": last if last != when else None, "date_text": date_text,
                "facility": facility}
        out = []
        if t.group == STATE:
            here = [f for f in in_clause if f.ids & t.states.keys()]
            if not here:
                return []
            facility = next(iter(min(here, key=lambda f: abs(f.start - t.start)).ids
                                 & t.states.keys()))
            named_state = t.states[facility]
            both = next((f.states for f in self.agreement.facilities if f.id == facility), [])
            if modality in {Modality.DENIED, Modality.OCCURRED} and len(both) == 2 and \
                    t.start > cl[0] and lowers(doc)[t.start - 1] in STOPPED_ING:
                # "gas stopped flowing through the pipeline": it went to its other state
                named_state = next(x for x in both if x != named_state)
                base["modality"] = Modality.OCCURRED
            out.append(Candidate(type="facility_state", state=named_state, actor=actor,
                                 **(base | {"facility": facility})))
        elif t.group in {OPEN, CLOSE}:
            if every:
                out.append(Candidate(type="facility_state", actor=actor,
                                     state="closed" if t.group == CLOSE else "open", **base))
            if facility is None:
                for c in out:
                    self._link(c)
                return out
            # a facility whose states are not open and closed ("a curfew imposed or
            # lifted") is told by its own states' verbs only
            for one_of in [facility, *_coordinated(doc, in_clause, facility)]:
                state = self._state(one_of, t.group, clause_text)
                if state is not None:   # ("closed the Kissufim and Zikim crossings": each)
                    out.append(Candidate(type="facility_state", state=state, actor=actor,
                                         **(base | {"facility": one_of})))
        elif t.group == IDENTIFY:
            belongs = lowers(doc)[t.start] in {"belong", "belonged", "belongs"}
            # "the remains belonged to a hostage": whose they were, not how many
            # (a named person, "hostage Eitan Levy", is whose remains, not how many)
            count = next((q for q, m in t.themes if q and not (belongs and q[0] > t.start)
                          and not (m is not None and (q[0], q[1]) == (m.start, m.end))),
                         None)
            other = any(p in clause_text for p in OTHER_PERSON) and not \
                self._of_the_expected(clause_text)
            if lowers(doc)[t.start] in RESULT_VERBS | MATCHES | {"belong", "belonged",
                                                                 "belongs"}:
                if not other:
                    return []         # "X found that ...": a finding, not about remains
                base["modality"] = Modality.OCCURRED    # "did not belong": a result
            cat = next(iter(self.lex.identify_categories), None) \
                if len(self.lex.identify_categories) == 1 else None
            earlier = [m for _, m in t.themes if m is not None and m.unit is None] or [
                m for m in doc.user_data.get("sentence_categories", [])
                if m.unit is None and m.start < t.start]
            if cat is not None and earlier and cat not in earlier[-1].ids:
                cat = None            # "195 Palestinian bodies, of which 57 identified"
            out.append(Candidate(
                type="identification", quantity=count[2].value if count else None,
                precision=count[2].precision if count else None, category=cat,
                outcome="other" if other else "expected", **base))
        elif t.group == WITHDRAW:
            links = self.lex.withdrawals
            owers = {p.by for p in links if p.by}
            done = completed_at(lowers(doc), t.start, sent[0])
            if actor is None and done is not None:
                # "the last Kolvan column rolled out, completing the withdrawal": the main
                # clause's subject, the first party named
                actor = next((next(iter(p.ids)) for p in parties
                              if sent[0] <= p.start < done and not (
                                  p.start > sent[0] and lowers(doc)[p.start - 1]
                                  in PREPOSITIONS)), None)
            if actor is None and len(owers) == 1:
                actor = next(iter(owers))     # the agreement says who withdraws
            if actor is None or actor not in self.lex.principals:
                return []
            c = Candidate(type="milestone", kind="withdrawal", actor=actor,
                          place=_place_after(doc, t.end, cl[1], parties), **base)
            c.provisions = [p.id for p in links if p.by in {None, actor}]
            return [c]
        elif t.group == DISARM:
            owers = {p.by for p in self.lex.disarmaments if p.by}
            if actor is None and len(owers) == 1:
                actor = next(iter(owers))     # the agreement says who disarms
            c = Candidate(type="milestone", kind="disarmament", actor=actor, **base)
            c.provisions = [p.id for p in self.lex.disarmaments if p.by in {None, actor}]
            return [c]
        elif t.group == CLEAR:
            lowered = text.lower()
            placed = [p for p, places in self.lex.clearances.items()
                      if any(place in lowered for place in places)]
            cleared = placed or list(self.lex.clearances)
            clearers = {p.by for p in self.agreement.provisions if p.id in cleared and p.by}
            if len(clearers) == 1:
                actor = next(iter(clearers))     # the agreement says who clears them
            c = Candidate(type="milestone", kind="clearance", actor=actor, **base)
            c.provisions = sorted(cleared)
            return [c]
        elif t.group == INSTITUTE:
            body = _instituted(doc, t, cl)
            if body is None:
                return []
            c = Candidate(type="milestone", kind="institution", **base)
            c.provisions = sorted(body.ids)
            return [c]
        elif t.group == ATTACK:
            words = lowers(doc)
            sequel = t.form == "ing" and t.start > cl[0] and words[t.start - 1] == ","
            # (", killing 104 people": the main clause's attack, whoever it accuses)
            blamed = None if sequel else blamed_party(words, sent, parties, t)
            if blamed is not None:
                actor = blamed            # "..., blaming X for the attack"
            elif actor is None and not sequel:
                # "..., accusing X of a massacre", "officials blamed the rebels."
                actor = blamed_party(words, sent, parties, t, lenient=True)
            if actor is None:
                # "killed in an Israeli strike": a party naming an attack word's doer
                attack_words = {f for forms in VERBS[ATTACK] for f in forms} | ATTACK_NOUNS
                actor = next((next(iter(p.ids)) for p in parties
                              if cl[0] <= p.start and p.end < cl[1]
                              and words[p.end] in attack_words
                              and words[p.start - 1] in {"a", "an", "the", "in", "by"}),
                             None)
            if actor is None:
                # "a wave of Israeli air strikes": the party as the attack's adjective
                actor = doer_before(words, t.start, cl[0], parties)
            if actor is None and t.form == "noun":
                # "gunfire from Israeli positions": where it came from
                actor = doer_from(words, t.end, cl[1], parties)
            projectile = words[t.start] in PROJECTILES and t.end - t.start in {2, 3}
            carried = carried_out_at(words, t.start, cl[0]) if t.form != "past" else None
            if actor is None and carried is not None:
                # "X carried out a wave of air strikes", "X said it launched strikes": the
                # subject of the verb that carried them out
                actor = self._subject(doc, Trigger(carried, carried + 1, ATTACK, "past"),
                                      cl, sent, [p for p in parties
                                                 if s0 <= p.start < s1])
            if carried is not None and carried > cl[0] and base["modality"] == \
                    Modality.OCCURRED and words[carried - 1] in {
                        "to", "will", "would", "could", "may", "might", "should", "must",
                        "shall", "'ll"}:
                base["modality"] = Modality.PLANNED   # "ordered the army to carry out
                # strikes": what it is to do
            disclaim = disclaimer_at(words, cl[0], t.start)
            if disclaim is None and absence_claimed(words, t.start, s0, s1):
                # "Israel says Hamas gunmen killed a reservist; the group says it has no
                # fighters there": the speaker of its clause, or the party accused before
                base["modality"] = Modality.DENIED
                actor = next((next(iter(p.ids)) for p in parties
                              if cl[0] <= p.start and p.end <= t.start and not (
                                  p.start > s0 and words[p.start - 1] in PREPOSITIONS)),
                             None) or accused_before(words, parties, s0, cl[0])
            elif disclaim is not None:
                # "X said it had nothing to do with the attack": X denies it (even if X
                # goes on to accuse someone else of something)
                base["modality"] = Modality.DENIED
                speaker = next((next(iter(p.ids)) for p in reversed(parties)
                                if s0 <= p.start and p.end <= disclaim and not (
                                    p.start > s0 and words[p.start - 1] in PREPOSITIONS)
                                and not (p.end < len(words) and words[p.end] in {
                                    "troops", "forces", "army", "soldiers"})),
                               None)     # (the nearest: "While Israel did not say ...,
                # Hamas said its fighters had no connection to the shooting")
                actor = speaker or actor
            if charge_denied(words, t.end, s1) or called_false(words, t.start, s0, s1):
                # "X accused Y of firing ..., a charge Y denied": the claim and its denial
                out.append(Candidate(type="incident", kind="attack", actor=actor,
                                     recipient=recipient,
                                     **(base | {"modality": Modality.DENIED})))
            attacker = next((k for k in range(t.start - 1, max(cl[0], t.start - 5) - 1, -1)
                             if words[k] in ATTACKERS), None)
            if actor is not None and attacker is not None and unnamed_attacker(
                    words, t.start, cl[0]) and not any(
                    p.start <= attacker < p.end or p.end == attacker
                    or p.end + 1 == attacker and words[p.end] in {"'s", "’s"}   # X's drones
                    for p in parties) and not any(
                    w in {"its", "their", "his", "her", "our"}
                    for w in words[max(cl[0], t.start - 4):t.start]) and \
                    blamed_party(words, sent, parties, t, lenient=True) != actor:
                actor = None          # "the army said militants had fired on troops": by
                # no party named, whoever reports it
            if actor is None and not (modality in {Modality.OCCURRED, Modality.CUMULATIVE}
                                      and (t.form == "past" or projectile
                                           and t.form == "third")
                                      and (_after_be(doc, t.start, cl[0])
                                           and words[t.start] in KILLED
                                           and not describes_people(words, t.start, cl[0])
                                           or words[t.start] in EXCHANGES | FIGHTING
                                           or unnamed_attacker(words, t.start, cl[0])
                                           or t.end - t.start == 3 and words[t.start] in {
                                               "was", "were", "been"}   # wounded by
                                           or _after_be(doc, t.start, cl[0]) and any(
                                               w in PROJECTILES for w in
                                               words[max(cl[0], t.start - 4):t.start])
                                           or t.start > cl[0]    # "a mortar bomb fired
                                           # from the area landed": it was fired
                                           and words[t.start - 1] in PROJECTILES
                                           or projectile)) \
                    and not (modality == Modality.DENIED and _none_fired(words, t, cl)) \
                    and not (modality == Modality.OCCURRED
                             and (harm_subject(words, t.start, cl[0], cl[1])
                                  or t.form in {"noun", "ing"}
                                  and (after_attack(words, t.start, cl[0], cl[1])
                                       or given_as_reason(words, t.start, s0)))):
                # ("halted aid over the killing of two soldiers": a reason, told)
                return []
            out.append(Candidate(type="incident", kind="attack", actor=actor,
                                 recipient=recipient, **base))
        else:
            counted = any(q for q, _ in t.themes)
            named = any(m is not None and m.unit is None for _, m in t.themes)
            told: dict[frozenset[str], Modality] = {}   # each category's first count
            for q, mention in t.themes:
                if q is None and modality in {Modality.OCCURRED, Modality.CUMULATIVE} and not (
                        t.group == DEPLOY and actor is not None and t.form != "noun"
                        and mention is not None and mention.unit is None
                        and mention.start >= t.end) and not (
                            mention is not None and t.form != "noun"
                            and _uncounted_claim(lowers(doc), t, mention, cl)) and not (
                            mention is not None and mention.start in doc.user_data.get(
                                "named_people", set())) and not (   # "Hamas freed Omer
                            mention is not None
                            and _headline_event(doc, text, sent, t, mention)):
                    continue          # (but "X has redeployed its police": a deployment;
                    # "trucks began crossing", "handed over all the bodies": events)
                if q is None and mention is not None and mention.unit == GOODS_UNIT and (
                        counted or t.group not in {ENTER, RECEIVE, MOVE}
                        or modality not in {Modality.DENIED, Modality.DEMANDED}):
                    continue          # goods uncounted: only what is refused or demanded
                if q is None and mention is not None and mention.unit is not None and named:
                    continue          # "the hostages and every body": one event, named
                if mention is not None and mention.unit == PEOPLE_UNIT and (
                        t.group != MOVE or q is None
                        or t.form == "noun" and q[0] < t.start):
                    continue          # people moved are a transfer; others are not events
                    # (nor "300 Vardans marched to demand the detainees' release": a
                    # noun event's people follow it)
                force = mention is not None and mention.unit == FORCE
                if force and mention is not None and lowers(doc)[t.start] in RELEASE_VERBS:
                    # "the rebels handed back nine soldiers": captives, if the agreement
                    # names people by that noun, not a deployment
                    held = self.lex.person_heads.get(lowers(doc)[mention.start], frozenset())
                    if len(held) > 1 and actor:   # "officers": those the actor owes
                        held = held & {getattr(p, "category", None) for ps in
                                       self.lex.provisions_by.values() for p in ps
                                       if getattr(p, "by", None) == actor}
                    if len(held) == 1:
                        mention, force = Mention(mention.start, mention.end, held), False
                if force and t.group == RECEIVE:
                    continue          # soldiers taken back are captives, never a deployment
                cat = self._category(mention, actor, t.group, recipient) \
                    if mention and not force else None
                if cat is None and mention is not None and len(mention.ids) > 1:
                    # "27 of the 28 dead hostages ..., until Ran Gvili's body is back":
                    # the one of its categories the sentence names outright
                    named_here = {i for c in doc.user_data.get("sentence_categories", [])
                                  if len(c.ids) == 1 for i in c.ids} & mention.ids
                    if len(named_here) == 1:
                        cat = next(iter(named_here))
                if cat is None and mention is None and t.group == DEPLOY and \
                        "deploy_category" in memory and n - memory["deploy_category"][0] <= 3:
                    cat = memory["deploy_category"][1]
                if q is None and cat is None and t.group == DEPLOY:
                    continue
                if cat is None and mention is None and t.group == DEPLOY and \
                        lowers(doc)[t.start] in GROWTH | REACHING and not any(
                            w in FORCE_NOUNS | {"force", "mission"}
                            for w in lowers(doc)[cl[0]:cl[1]]):
                    continue          # "the population has grown to 2.1 million": no force
                etype = "deployment" if force else \
                    self.lex.category_type.get(cat or "") or unit_type(self.lex, mention) \
                    or self.lex.kin_types.get(cat or "") or GROUP_TYPE[t.group]
                if etype in {"facility_state", "milestone", "incident"}:
                    etype = GROUP_TYPE[t.group]
                if cat is None and q is not None and mention is not None and \
                        mention.unit is None:
                    continue
                qv = q[2] if q else None
                qend = max(q[1] if q else t.end, mention.end if mention else 0)
                theme_mod = theme_modality(doc, modality, qv, q[0] if q else t.start, qend,
                                            cl, t)
                if mention is not None and mention.compare == PART and theme_mod == \
                        Modality.CUMULATIVE and dated_after(lowers(doc), q, cl):
                    theme_mod = Modality.OCCURRED   # "including 45 on Monday"
                if q is not None and is_part(lowers(doc), q, doc):
                    theme_mod = modality      # "145 of the 600 a day allowed entered": the
                    # whole's rate and permission are the whole's
                if mention is not None and mention.compare == WHOLE and \
                        theme_mod != Modality.PERMITTED:
                    continue          # "25 of the 60 soldiers": the whole is no event
                if mention is not None and mention.compare == LIMIT:
                    theme_mod = Modality.PERMITTED
                if mention is not None and mention.compare == RATIO:
                    theme_mod = Modality.PLANNED   # "four for each serviceman returned"
                if etype == "deployment" and theme_mod == Modality.PERMITTED:
                    theme_mod = Modality.PLANNED   # "short of the 160 set out in the
                    # accord": a force's size the terms set is its target, not a cap

                if mention is not None and mention.compare != LIMIT and _demanded_noun(
                        lowers(doc), mention.start, cl[0]):
                    theme_mod = Modality.DEMANDED   # "renewing its demand for the bodies
                    # of prisoners who died in custody": what is asked for
                if mention is not None and mention.compare == TOTAL and \
                        theme_mod == Modality.OCCURRED:
                    theme_mod = Modality.CUMULATIVE
                if theme_mod == Modality.OCCURRED and q is not None and share_so_far(
                        doc, q, t, cl):
                    theme_mod = Modality.CUMULATIVE   # "has deployed 64 of the 120"
                average = q is not None and is_average(lowers(doc), q, cl)
                if average and theme_mod in {Modality.CUMULATIVE, Modality.PERMITTED}:
                    theme_mod = Modality.OCCURRED   # "an average of 600 a day since ..."
                if mention is not None and mention.compare == "apart" and theme_mod in {
                        Modality.PERMITTED, Modality.CUMULATIVE}:
                    theme_mod = Modality.OCCURRED   # "... though the average was 200"
                elif mention is not None and mention.compare not in {None, "apart", TRADED,
                                                                     WHOLE, PART, LIMIT,
                                                                     TOTAL, FIGURE, RATIO} \
                        and modality != Modality.OCCURRED and \
                        not (q and t.start >= q[1]) and not average and not (
                            q and set_by_terms(lowers(doc), q[0], q[1], cl)):
                    continue          # "will allow 50 a day, up from 20": background
                if mention is not None and mention.compare == FIGURE:
                    theme_mod = told.get(mention.ids, theme_mod)   # as the first count
                elif mention is not None and mention.compare is None:
                    told.setdefault(mention.ids, theme_mod)
                traded = mention is not None and mention.compare == TRADED
                own_day: dict[str, Any] = {}
                day = next((d for d in date_spans if q and q[1] <= d[0] <= q[1] + 2),
                           None) if mention is not None and mention.compare == PART else None
                if day is not None:   # "..., 430 of them on Saturday": its own day
                    d0, d1 = dates.resolve_span(_date_text(doc, day), report, theme_mod)
                    own_day = {"date": d0, "date_end": d1 if d1 != d0 else None,
                           "date_text": _date_text(doc, day)}
                cand = Candidate(
                    type=etype, actor=None if traded else actor,
                    recipient=None if traded else recipient, via=via, category=cat,
                    unit=self._unit(cat), quantity=qv.value if qv else None,
                    quantity_max=qv.high if qv else None,
                    precision=qv.precision if qv else None,
                    **(base | {"modality": theme_mod} | (
                        {"date": None, "date_end": None, "date_text": None}
                        if mention is not None and mention.compare in {LIMIT, TOTAL, RATIO}
                        else own_day)))
                if etype == "flow":
                    cand.measure = self._measure(cat, attribution, clause_text)
                    own = next((f for f in in_clause if qend <= f.start <= qend + 3
                                and lowers(doc)[f.start - 1] in {"at", "through", "via",
                                                                  "the", "into"}), None)
                    if own is not None:   # "... and 1,220 at Kissufim": its own crossing
                        cand.facility = next(iter(own.ids))
                    if q is not None and q[0] in doc.user_data.get("listed_at", {}):
                        cand.facility = doc.user_data["listed_at"][q[0]]
                    if cand.facility is None and in_clause:
                        cand.facility = next(iter(in_clause[0].ids))
                out.append(cand)
            # "U.S. troops will not deploy": a force; "Turkish teams arrived": a team
            forces = [k for k in range(cl[0], t.start) if lowers(doc)[k] in FORCE_NOUNS] or [
                k for k in range(t.end, min(cl[1], t.end + 3)) if (
                    t.form == "ing" or _object(lowers(doc), t.end) in FORCE_NOUNS)
                and lowers(doc)[k] in FORCE_NOUNS]    # "ruled out deploying troops"
            if not out and t.group == DEPLOY and actor is None and forces:
                # "Egyptian troops will be deployed": whose troops they are
                actor = next((next(iter(p.ids)) for p in parties
                              if any(0 <= k - p.end <= 1 for k in forces)), None)
            if not out and t.group == DEPLOY and actor is None and forces and \
                    t.form != "noun" and (modality != Modality.OCCURRED or (
                        t.end - t.start == 2 and lowers(doc)[t.end - 1] == "in")):
                # "an international force ... would deploy": a deployment by no one party
                # (and "as Indonesian soldiers of the force moved in")
                out.append(Candidate(type="deployment", kind="deployment", **base))
            personnel = any(m is not None and m.unit is None for _, m in t.themes)
            if not out and t.group == DEPLOY and actor and t.form != "noun" and \
                    not personnel and (forces or not lowers(doc)[t.start].startswith(
                        "contribut")):   # (contributing is deploying only of forces)
                place = _place_after(doc, t.end, cl[1], parties)
                out.append(Candidate(type="deployment" if forces else "milestone",
                                     kind="deployment", actor=actor, place=place, **base))
        for c in out:
            self._link(c)
        if t.group == MOVE and _reciprocal(lowers(doc), t, cl):
            out += [m for m in (self._mirrored(c) for c in out) if m is not None]
        return out

    def _mirrored(self, c: Candidate) -> Candidate | None:
        """The other side of an exchange told as "N each" ("swapped 120 prisoners of war
        each"): the same count the other way, of the category the agreement says that
        side owes (its own prisoners), where one provision says so."""
        if c.type != "transfer" or not c.actor or not c.recipient:
            return None
        unit = self._unit(c.category)
        owed = {getattr(p, "category", None) for p in self.lex.provisions_by.get("transfer", [])
                if p.by == c.recipient and p.to == c.actor
                and self._unit(getattr(p, "category", None)) == unit}
        category = next(iter(owed)) if len(owed) == 1 else c.category
        mirror = c.model_copy(update={"actor": c.recipient, "recipient": c.actor,
                                      "category": category, "unit": self._unit(category),
                                      "provisions": []}, deep=True)
        self._link(mirror)
        return mirror

    # -- roles ------------------------------------------------------------------------------
    def _roles(self, doc: Doc, t: Trigger, cl: tuple[int, int], sent: tuple[int, int],
               parties: list[Mention]) -> tuple[str | None, str | None, list[str]]:
        in_sent = [p for p in parties if sent[0] <= p.start < sent[1]]
        in_clause = [p for p in in_sent if cl[0] <= p.start < cl[1]]
        passive = t.form == "past" and _after_be(doc, t.start, cl[0]) or \
            t.group == ATTACK and lowers(doc)[t.start] in {"was", "were", "been"}
        # ("an Israeli soldier was wounded by sniper fire": the soldier is no doer)
        actor = recipient = None
        via: list[str] = []
        named = doc.user_data.get("names", set()) | {
            k for p in in_sent for k in range(p.start, p.end)}   # ("the Red Cross")
        for p in in_clause:
            if p.start < t.end:
                continue
            prep = lowers(doc)[p.start - 1] if p.start > 0 else ""
            if prep == "the" and p.start > 1:
                prep = lowers(doc)[p.start - 2]
            pid = next(iter(p.ids))
            if prep == "to" and _according(doc, p.start, sent[0]):
                continue              # "according to X": who says it, not who gets it
            if prep in {"by", "from", "to"} and any(
                    lowers(doc)[k] in all_forms() for k in range(t.end, p.start - 1)
                    if k not in named):
                continue              # "returned 15 bodies for each hostage returned by X":
                # the phrase belongs to the nearer event word
            before_by = p.start - (2 if lowers(doc)[p.start - 1] == "by" else 3)
            if prep == "by" and before_by >= 0 and lowers(doc)[before_by] in OVERSEEN:
                continue              # "was witnessed by X": X watched, it did not act
            if prep == "by" and before_by >= 0 and lowers(doc)[before_by] in STATEMENTS:
                continue              # "according to a statement by X": who says it
            if prep == "by" and actor is None or prep == "from" and actor is None:
                actor = pid
            elif prep in {"to", "through", "via"}:
                if pid in self.lex.intermediaries:
                    via.append(pid)
                elif recipient is None and prep == "to" and "," not in lowers(doc)[
                        t.end:p.start]:
                    recipient = pid   # (", a gap OCHA attributes to X": not a recipient)
            elif prep == "of" and t.form == "noun" and t.group == WITHDRAW and actor is None \
                    and p.start - t.end <= 2:
                actor = pid           # "the withdrawal of Israeli forces"
        if recipient is None and t.form != "noun" and t.group == MOVE:
            # "owes the Front 40 prisoners", "handed Israel four bodies": the first object
            at = t.end + (1 if t.end < cl[1] and lowers(doc)[t.end] == "the" else 0)
            first = next((p for p in in_clause if p.start in {t.end, at}), None)
            if first is not None and first.end < cl[1] and (
                    doc[first.end].like_num or first.end in doc.user_data.get(
                        "category_starts", set())):
                recipient = next(iter(first.ids))
        subject = self._subject(doc, t, cl, sent, in_sent) if t.form != "asked" else None
        # (who asks for 1,000 prisoners neither frees them nor, as a rule, gets them)
        owner = _owner_of_intent(doc, t, in_sent)
        if owner is not None:
            subject = owner           # "over Hamas's refusal to return the bodies"
        if self.deps is not None and doc.has_annotation("DEP"):
            found, role = self._parsed_subject(doc, t, in_sent)
            if found:
                subject = role
                if passive and role is not None and actor is None:
                    actor = role
        if t.group == RECEIVE:
            if subject:
                if subject in self.lex.intermediaries:
                    via.append(subject)
                else:
                    recipient = subject
        elif (not passive or t.group == WITHDRAW) and subject and actor is None:
            actor = subject           # (also "Pelladorian rocket launchers have been moved
            # back": whose weapons are pulled back)
        if actor is None and t.group == DEPLOY:
            # "monitors from Meridia began deploying": whose personnel they are
            ends = doc.user_data.get("category_ends", set())
            actor = next((next(iter(p.ids)) for p in in_sent if p.start >= sent[0] + 2
                          and p.start < t.start and lowers(doc)[p.start - 1] == "from"
                          and (p.start - 1 in ends
                               or lowers(doc)[p.start - 2] in FORCE_NOUNS)), None)
        if actor is None and t.group == DEPLOY and cl[0] > sent[0] + 1 and \
                lowers(doc)[cl[0]] == "with":
            # "X's monitors began arriving, with 40 observers in place": X's
            k = next((k for k in range(sent[0], cl[0]) if lowers(doc)[k] in all_forms()),
                     None)
            if k is not None:
                actor = self._subject(doc, Trigger(k, k + 1, t.group, "past"),
                                      (sent[0], cl[0]), sent, in_sent)
        if actor in self.lex.intermediaries:
            via.append(actor)
            actor = None
        return actor, recipient, list(dict.fromkeys(via))

    def _subject(self, doc: Doc, t: Trigger, cl: tuple[int, int], sent: tuple[int, int],
                 in_sent: list[Mention]) -> str | None:
        """The party that does what the event word says.

        For "X to return" (after "urged", "called on", "pressure on") the party right
        before "to" does it; for "X hopes/plans/is expected to return" the subject of the
        governing verb does. Otherwise it is the nearest party before the event word that
        is not in a prepositional phrase, not a speaker ("officials of X said"), and not
        the subject of another verb in between ("Qatar hopes 600 trucks will enter").
        """
        lo = cl[0]
        if lowers(doc)[lo] in {"who", "which"} and lo - 2 >= sent[0] and \
                lowers(doc)[lo - 1] == "," and not any(lo <= p.start < t.start
                                                       for p in in_sent):
            # ", who are expected to deploy": the antecedent does it (a party or no one)
            return next((next(iter(p.ids)) for p in in_sent if p.end == lo - 1), None)
        # An apposition or relative clause ("X, which ..., returned") may sit between.
        if not any(p for p in in_sent if lo <= p.start < t.start):
            lo = sent[0]
        infinitive = t.start > lo and lowers(doc)[t.start - 1] == "to"
        if infinitive:
            for p in in_sent:
                if p.end == t.start - 1:
                    return next(iter(p.ids))
        if t.form == "noun":
            # "urged Hamas to speed up the return of ...": X does what X is urged to do
            for p in in_sent:
                if lo <= p.start and p.end < t.start and t.start - p.end <= 6 and \
                        lowers(doc)[p.end] == "to" and not any(
                            doc[k].is_punct for k in range(p.end, t.start)) and \
                        lowers(doc)[p.start - 1 if p.start else 0] in MATRIX | PREPOSITIONS:
                    return next(iter(p.ids))
        starts = doc.user_data.get("category_starts", set())
        inside = doc.user_data.get("category_tokens", set()) | {
            p.start for p in in_sent if p.start in starts and p.start > sent[0]
            and doc[p.start - 1].like_num}   # ("60 Estmarkian prisoners of war")
        for p in sorted((p for p in in_sent if lo <= p.start < t.start),
                        key=lambda p: -p.start):
            if p.start in inside:
                continue          # "the 60 Arvelian soldiers", "60 Estmarkian prisoners
                # of war": a category's modifier
            k = p.start - 1
            while k >= sent[0] and lowers(doc)[k] in {"the", "a", "an"}:
                k -= 1
            prev = lowers(doc)[k] if k >= sent[0] else ""
            nxt = lowers(doc)[p.end] if p.end < len(doc) else ""
            nxt2 = lowers(doc)[p.end + 1] if p.end + 1 < len(doc) else ""
            j = k
            while j > sent[0] and lowers(doc)[j] in {"and", "or", ","} and (
                    lowers(doc)[j] != "," or j != k or nxt in {",", "and", "or"}) and (
                    # ("On Sunday in Rafah, Hamas gunmen ...": a fronted phrase's comma)
                    doc[j - 1].is_title or doc[j - 1].is_upper) and not (
                        lowers(doc)[j - 1] in dates.WEEKDAYS
                        or lowers(doc)[j - 1] in dates.MONTHS):   # ("on Monday and X")
                j -= 1            # "between Gaza and Egypt": the word before the list
                while j > sent[0] and (doc[j].is_title or doc[j].is_upper):
                    j -= 1
            if lowers(doc)[j] in PREPOSITIONS | LIST_OPENERS and (
                    j != k or lowers(doc)[j] in LIST_OPENERS):
                continue          # "countries such as X and Y would deploy": not X
            if prev in PREPOSITIONS or prev in {"'s"} or prev.endswith("ing") \
                    or prev in all_forms():
                continue
            if p.end + 1 == t.start and _governs(lowers(doc), p.end, t.start):
                return next(iter(p.ids))   # "Hamas denied firing on troops"
            if nxt in SPEAKERS or nxt in SPEECH or nxt2 in SPEAKERS and nxt not in {
                    "team", "teams", "forces", "force", "army", "troops"}:
                continue
            if nxt in {"'s", "’s"} and not _organ_after(lowers(doc), p.end, t.start):
                continue          # ("Hamas's foot-dragging"; but "Israel's security
                # cabinet voted to ...": the party's own body acts)
            names = doc.user_data.get("names", set())
            between = {w for k, w in enumerate(lowers(doc)[p.end:t.start], p.end)
                       if k not in names}
            if between & OBSERVE:
                continue          # "X monitors counted 17 tankers crossing": observers
            if not infinitive and (between & MATRIX or between & all_forms()) and not \
                    _governs(lowers(doc), p.end, t.start):
                continue
            return next(iter(p.ids))
        return self._speaker_subject(doc, t, sent, in_sent)

    @staticmethod
    def _speaker_subject(doc: Doc, t: Trigger, sent: tuple[int, int],
                         in_sent: list[Mention]) -> str | None:
        """"X said (on Tuesday) (that) it would return ...": the pronoun is the speaker."""
        words = lowers(doc)
        k = t.start - 1
        while k > sent[0] and (words[k] in SKIPPABLE or words[k] in PRONOUN_AUX
                               or words[k] in QUOTES):
            k -= 1
        if k > sent[0] and words[k] in GROUP_NOUNS and words[k - 1] == ",":
            # "According to the Israeli military, troops 'eliminated' ...": the source's
            opener = _according_party(words, sent[0], k - 1, in_sent)
            if opener is not None:
                return opener
        if k < sent[0] or words[k] not in PRONOUNS and not (
                words[k] in GROUP_NOUNS and (k == sent[0] or words[k - 1] in {
                    "the", "its", "their", "our", "his", "her"} or words[k - 1] in SPEECH)):
            return None
        if words[k] in GROUP_NOUNS and k > sent[0] and words[k - 1] not in SPEECH:
            k -= 1                # "the group", "its troops"
        if k - 2 >= sent[0] and words[k - 1] in SAYING and words[k - 2] == ",":
            # "The IDF rejected the account, saying its troops had fired at no one": the
            # sentence's subject says it
            subject = next((p for p in in_sent if p.start <= sent[0] + 2 and p.end < k - 2),
                           None)
            if subject is not None:
                return next(iter(subject.ids))
        if any(w in all_forms() for w in words[sent[0]:k]) and not any(
                w in SPEECH for w in words[sent[0]:k]):
            return None
        for p in sorted((p for p in in_sent if p.end <= k), key=lambda p: -p.start):
            # "X said", "X officials said", "a senior X official told Y"
            j = p.end
            while j < k and j - p.end < 5 and (
                    words[j] in SPEAKERS | {"senior", "spokesman", "'s", "’s"}
                    or doc[j].is_alpha and words[j] not in SPEECH
                    and words[j] not in all_forms() and words[j] not in PRONOUNS):
                j += 1        # "X's defence ministry denied", "X army officials said"
            if j < len(doc) and words[j] in SPEECH and k - p.end <= 10 and not any(
                    w in all_forms() for w in words[p.end:k]) and (
                    all(w in AUXILIARIES for w in words[p.end:j])
                    or any(w in SPEAKERS | GROUP_NOUNS for w in words[p.end:j])
                    or all(doc[m].is_title for m in range(p.end, j))):
                # (an organisation named after the party: "the Israel Prison Service")
                return next(iter(p.ids))
            break
        if words[k] == "we" and any(words[i] in QUOTES for i in range(sent[0], k + 1)):
            # '"We will not open it," an Israeli minister told ...': the speaker after
            for p in (p for p in in_sent if p.start > t.end):
                j = p.end
                while j < sent[1] and words[j] in SPEAKERS | {"senior", "'s", "’s"}:
                    j += 1
                if j > p.end and j < sent[1] and words[j] in SPEECH:
                    return next(iter(p.ids))
        return None

    def _parsed_subject(self, doc: Doc, t: Trigger, in_sent: list[Mention]
                        ) -> tuple[bool, str | None]:
        """Who does the event, from the parse: (found an argument, its party or None).

        The agent of a passive ("by X"), else the subject, else for "urged X to return"
        the governing verb's object and for "X plans to return" its subject.
        """
        assert self.deps is not None
        roles: dict[int, dict[str, int]] = doc.user_data.setdefault("roles", {})
        if not roles:
            for match_id, toks in self.deps(doc):
                label = doc.vocab.strings[match_id]
                if label in {"SUBJ", "AGENT"}:
                    roles.setdefault(toks[0], {})[label] = toks[-1]
                else:   # control: gov, verb, argument
                    roles.setdefault(toks[1], {})[label] = toks[2]
            roles[-1] = {}
        verb = next((i for i in range(t.start, t.end) if i in roles), None)
        if verb is None:
            return False, None
        found = roles[verb]
        for label in ("AGENT", "SUBJ", "CTRL_OBJ", "CTRL_SUBJ"):
            if label in found:
                head = doc[found[label]]
                lo, hi = head.left_edge.i, head.right_edge.i + 1
                party = next((p for p in in_sent if lo <= p.start < hi), None)
                return True, next(iter(party.ids)) if party else None
        return False, None

    def _sub_category(self, words: list[str], qs: int, qe: int, s1: int,
                      last: Mention | None) -> Mention | None:
        """The category of a part of the last count told by what it carried ("nine of
        them with fuel", "of which 204 carried fuel"): the one category of the same unit
        whose names hold that word, if it is not the last count's own."""
        if last is None or len(last.ids) != 1:
            return None
        k = qe
        if k + 1 < s1 and words[k] == "of" and words[k + 1] in ANAPHORS:
            k += 2
        elif not (qs > 0 and words[qs - 1] == "which"):
            return None
        if k < s1 and words[k] == "loaded":
            k += 1
        if k + 1 >= s1 or words[k] not in {"with", "carrying", "carried", "carry",
                                           "containing", "contained", "bearing"}:
            return None
        cargo = words[k + 1]
        unit = self._unit(next(iter(last.ids)))
        found = {c.id for c in self.agreement.categories if c.unit == unit and any(
            cargo in name.lower().split() for name in [c.name, *c.aliases])}
        if len(found) != 1 or found == last.ids:
            return None
        return Mention(qs, qe, frozenset(found), compare=PART)

    def _remains(self, doc: Doc, q: tuple[int, int, Quantity] | None, m: Mention,
                 s0: int) -> Mention:
        """"the coffins of two hostages": the remains of the people the mention names."""
        if len(m.ids) != 1 or m.unit is not None:
            return m
        body = self.lex.remains_of.get(next(iter(m.ids)))
        if body is None:
            return m
        words = lowers(doc)
        k = (q[0] if q else m.start) - 1
        while k > s0 and words[k] in {"the", "a", "an", "all", "their", "its", "last",
                                      "first", "final", "remaining", "other", "more",
                                      "further", "additional", "two", "three"}:
            k -= 1
        if k - 1 >= s0 and words[k] == "of" and words[k - 1] in BODY_WORDS:
            return Mention(m.start, m.end, frozenset({body}))
        return m

    def _whose_remains(self, doc: Doc, i: int, taken: set[int]) -> Mention | None:
        """"the remains of Ran Gvili", "the body of Sudthisak Rinthalak": a person's remains,
        named by two or more capitalised words after "of" that name no party; of the
        roster that lists the person, else of the one category whose remains the agreement
        identifies. No count: a name is whose they are, not how many."""
        words = lowers(doc)
        if i >= 3 and words[i - 1] in {"'s", "’s"}:
            # "Ran Gvili's body": the name before the possessive
            start = i - 1
            while start > 0 and doc[start - 1].is_title and doc[start - 1].is_alpha and \
                    start - 1 not in taken and not doc[start - 1].is_sent_start:
                start -= 1
            name = " ".join(words[start:i - 1])
            if i - 1 - start >= 2:
                cat = self.lex.members.get(name)
                if cat is None and len(self.lex.identify_categories) == 1:
                    cat = next(iter(self.lex.identify_categories))
                if cat:
                    return Mention(start, i + 1, frozenset({cat}))
        k = i + 2
        if k >= len(doc) or words[i + 1] != "of":
            return None
        end = k
        while end < len(doc) and doc[end].is_title and doc[end].is_alpha and \
                end not in taken and words[end] not in dates.MONTHS:
            end += 1
        if end - k < 2 or words[end - 1].endswith(("ans", "ians", "is")):
            return None               # "the bodies of Palestinians", "of Israelis"
        name = " ".join(words[k:end])
        cat = self.lex.members.get(name)
        if cat is None and len(self.lex.identify_categories) == 1:
            cat = next(iter(self.lex.identify_categories))
        return Mention(i, end, frozenset({cat})) if cat else None

    def _remains_named(self, doc: Doc, qs: int, qe: int, s1: int,
                       last: Mention) -> Mention | None:
        """The second count of "the remains of 22 X and (of) 88 Y": the category whose
        names say its remains are of Y, when the first count was of "remains/bodies of"."""
        words = lowers(doc)
        k = qs - 1
        if k > 0 and words[k] == "of":
            k -= 1
        if k <= last.start or words[k] != "and" or not (
                words[last.start] in BODY_WORDS and words[last.start + 1] == "of"):
            return None
        for n in (3, 2, 1):
            if qe + n <= s1:
                cat = self.lex.remains_named.get(" ".join(words[qe:qe + n]))
                if cat is not None:
                    return Mention(qs, qe + n, frozenset({cat}))
        return None

    def _possessed_remains(self, doc: Doc, qe: int, s1: int) -> Mention | None:
        """"four soldiers' bodies", "two fighters' remains": the remains of the one
        category of people the possessor names, where the agreement has one for them."""
        words = lowers(doc)
        for k in range(qe, min(s1 - 2, qe + 2)):
            if words[k + 1] in {"'", "'s", "’", "’s"} and words[k + 2] in BODY_WORDS:
                people = self.lex.person_heads.get(words[k], frozenset())
                body = self.lex.remains_of.get(next(iter(people))) if len(people) == 1 \
                    else None
                return Mention(qe, k + 3, frozenset({body})) if body else None
        return None

    def _of_the_expected(self, clause: str) -> bool:
        """ "was that of a hostage": the remains are of whom the agreement identifies them
        as (OTHER_PERSON's "that of a" is "that of a Palestinian"), unless a "not" says
        otherwise."""
        said = re.search(r"\b(?:that|those) of (?:an? |the )?([a-z]+)", clause)
        if said is None or re.search(r"\bnot\b|n't\b", clause):
            return False
        people = {c for c, body in self.lex.remains_of.items()
                  if body in self.lex.identify_categories}
        return said[1] in {h for h, ids in self.lex.person_heads.items() if ids & people}

    def _category(self, m: Mention, actor: str | None, group: str,
                  recipient: str | None = None) -> str | None:
        if len(m.ids) == 1:
            return next(iter(m.ids))
        if group == IDENTIFY:
            both = m.ids & self.lex.identify_categories
            if len(both) == 1:
                return next(iter(both))
        for role, party in (("by", actor), ("to", recipient)):
            if party:
                owed = {getattr(p, "category", None) for ps in self.lex.provisions_by.values()
                        for p in ps if getattr(p, role, None) == party} & m.ids
                if len(owed) == 1:
                    return next(iter(owed))
        return None

    def _unit(self, category: str | None) -> str | None:
        if category is None:
            return None
        return next((c.unit for c in self.agreement.categories if c.id == category), None)

    def _state(self, facility: str, group: str, clause: str) -> str | None:
        states = self.lex.facility_states.get(facility, ["open", "closed"])
        if group == CLOSE:   # (a state the agreement does not name is no state: none)
            return next((s for s in states if any(k in s for k in CLOSED_LIKE)), None)
        opens = [s for s in states if s.startswith("open")] or [
            s for s in states if s.startswith(OPEN_LIKE)]
        if not opens:
            return None
        if ("both" in clause or "two-way" in clause) and any("both" in s for s in opens):
            return next(s for s in opens if "both" in s)
        if ("one direction" in clause or "one way" in clause or "one-way" in clause) \
                and any("one" in s for s in opens):
            return next(s for s in opens if "one" in s)
        return opens[0]

    def _measure(self, category: str | None, attribution: str | None,
                 clause: str) -> str | None:
        if category is None:
            return None
        hay = clause + " " + (attribution or "").lower()
        for words, mid in self.lex.measure_words.get(category, []):
            if words in hay:
                return mid
        return None

    def _link(self, c: Candidate) -> None:
        """Provisions the candidate bears on; a single match also names the parties the
        text left implicit (the agreement says who owes a category to whom)."""
        found = []
        if c.type == "deployment" and c.actor is not None and \
                c.actor not in self.lex.principals:
            # "Vandria flew 30 more monitors into Velk": the monitors are the mission's,
            # whoever brings them, where the agreement says a monitoring body deploys them
            monitors = {p.id for p in self.agreement.parties if p.role == Role.MONITOR}
            body = {p.by for p in self.lex.provisions_by.get(c.type, [])
                    if getattr(p, "category", None) == c.category and p.by in monitors}
            if len(body) == 1:
                c.actor = body.pop()
        for p in self.lex.provisions_by.get(c.type, []):
            cat = getattr(p, "category", None)
            fac = getattr(p, "facility", None)
            if c.type in {"transfer", "flow", "deployment"} and (cat is None or cat != c.category):
                continue
            if c.type == "facility_state" and fac != c.facility:
                continue
            if c.actor and p.by and p.by != c.actor:
                continue
            found.append(p)
        if c.type == "identification" and c.category:
            found = [p for p in self.agreement.provisions
                     if getattr(p, "identify", False) and getattr(p, "category", None)
                     == c.category]
        c.provisions = [p.id for p in found]
        kin = self.lex.kin_parties.get(c.category or "")
        if not found and kin and c.type in {"transfer", "flow"} and c.actor in {None, kin[0]}:
            c.actor = kin[0]
            c.recipient = c.recipient or kin[1]
        if len(found) == 1 and c.type == "deployment" and c.actor is None:
            c.actor = found[0].by     # "45 more monitors landed": the mission the
            # agreement says deploys them
        if len(found) == 1 and c.type in {"transfer", "flow"}:
            p = found[0]
            c.actor = c.actor or p.by
            if c.recipient is None and p.to != c.actor:
                c.recipient = p.to
        if not found and c.category is None and c.type in {"transfer", "flow"}:
            # no category named ("4,200 truckloads"): the parties every provision of this
            # type has, where they all agree (every flow goes from X to Y)
            sides = {(p.by, p.to) for p in self.lex.provisions_by.get(c.type, []) if p.by}
            if len(sides) == 1:
                by, to = next(iter(sides))
                if c.actor in {None, by}:
                    c.actor, c.recipient = by, c.recipient or to
        if c.actor and c.recipient is None and c.type in {"transfer", "flow"}:
            # Everything this party owes of this type goes to one party: that is the
            # receiver, even for a category no provision names ("prisoners").
            owed = {p.to for p in self.lex.provisions_by.get(c.type, [])
                    if p.by == c.actor and p.to}
            if len(owed) == 1:
                c.recipient = owed.pop()


#: Words for waiting or standing by: an event word after them ("waiting to enter",
#: "lined up to cross") is what has not happened yet, a state rather than an event.
WAITING = {"waiting", "wait", "waits", "waited", "queued", "queuing", "queueing", "lined",
           "lining", "stuck", "parked", "massed", "poised"}
#: Auxiliaries that may stand between a speaker and its verb ("Hamas has said").
AUXILIARIES = {"has", "have", "had", "also", "again", "later", "earlier", "previously"}


#: Verbs that say an event began ("trucks began crossing into Gaza").
INCHOATIVES = {"began", "begun", "started", "resumed", "continued"}


def _uncounted_claim(words: list[str], t: Trigger, m: Mention, cl: tuple[int, int]) -> bool:
    """An event that happened though the text gives no count: it began ("trucks began
    crossing into Gaza") or took all there was ("handed over all the bodies it could
    reach")."""
    began = t.form == "ing" and t.group in {ENTER, MOVE, RECEIVE} and \
        t.start - 1 >= cl[0] and words[t.start - 1] in INCHOATIVES
    every = m.start in {t.end + 1, t.end + 2} and words[t.end] == "all" and (
        m.start == t.end + 1 or words[t.end + 1] in {"the", "its", "their", "remaining"}) \
        or m.start == t.end + 1 and words[t.end] == "every"   # "freed every prisoner"
    return began or every or _dated_definite(words, t, m, cl)


#: Words between "the" and a category that keep it definite ("the last living hostages").
DEFINITE_KEEP = {"last", "remaining", "final", "first", "other"}
#: Words that date a clause to a day ("on Friday", "yesterday", "overnight").
DAY_WORDS = set(dates.WEEKDAYS) | dates.MONTHS | {"yesterday", "overnight", "today",
                                                  "tonight"}


def _dated_definite(words: list[str], t: Trigger, m: Mention, cl: tuple[int, int]) -> bool:
    """"The last living hostages were released on Monday", "handed back the captured
    soldiers on Friday": a definite category moved on a stated day happened, whatever its
    count (the reader fills the number in)."""
    if t.form != "past" or m.unit is not None or t.group not in {MOVE, RECEIVE, ENTER}:
        return False
    k = m.start - 1
    while k >= cl[0] and words[k] in DEFINITE_KEEP:
        k -= 1
    named = any(w in {"'s", "’s"} for w in words[m.start:m.end])   # "Ran Gvili's body"
    if named:
        k = m.start - 1
    elif k < cl[0] or words[k] != "the":
        return False
    before = m.end <= t.start and t.start - m.end <= 2 and words[t.start - 1] in {
        "were", "was", "been"}
    after = m.start >= t.end and k - t.end <= 1
    return (before or after) and any(w in DAY_WORDS for w in words[t.end:cl[1]])


def _pronoun_opens(doc: Doc, t: Trigger, s0: int) -> bool:
    """The sentence opens on a pronoun or "the group" that is the event word's subject
    ("It also handed over ...", "The group later freed ...")."""
    words = lowers(doc)
    k = s0
    if words[k] == "the" and k + 1 < t.start and words[k + 1] in GROUP_NOUNS:
        k += 2
    elif words[k] in {"it", "they"}:
        k += 1
    else:
        return False
    return all(w in SKIPPABLE or w in PRONOUN_AUX or w in dates.WEEKDAYS or w == "on"
               for w in words[k:t.start])


#: Participles of watching over an event: "by X" after them names a witness.
OVERSEEN = {"witnessed", "overseen", "supervised", "facilitated", "monitored", "observed",
            "brokered", "mediated", "verified", "escorted", "coordinated"}
#: The particle verbs' base forms and families, by form ("handed": hand, move).
_PARTICLE_BASE = {f: (next(iter(forms)), group) for group, verbs in VERBS.items()
                  for forms in verbs if next(iter(forms)) in PARTICLE for f in forms}


#: The event word the recall net reads a category's count as, by the category's type.
NET_KINDS = {"flow": ENTER, "transfer": MOVE, "deployment": DEPLOY}


def _plain_count_clause(words: list[str], lo: int, hi: int,
                        date_spans: list[tuple[int, int]], dated: bool = False) -> bool:
    """A stretch of text where a count with no event word may be an event: dated (or
    said to be recorded, unless ``dated``), with no cue of a plan, hope, demand, denial,
    rate or state and no negation."""
    part = words[lo:hi]
    if not any(lo <= d[0] < hi for d in date_spans) and (dated or not RECORDED & set(part)):
        return False
    return not (STATE_WORDS & set(part) or NEGATION & set(part)
                or cue_modalities(part) - {Modality.CUMULATIVE})


def _forces_before(words: list[str], start: int, parties: list[Mention]) -> bool:
    """Armed forces or a party are the subject just before a verb of leaving or staying
    ("Israeli troops left", "the army has refused to leave"), not families or leaders."""
    return any(w in FORCE_NOUNS or w in GROUP_FORCES
               for w in words[max(0, start - 5):start]) or any(
        start - 5 <= p.end <= start for p in parties)


#: Nouns for a party's forces beside ``FORCE_NOUNS`` ("the army", "its fighters").
GROUP_FORCES = {"forces", "army", "troops", "military", "fighters", "units", "tanks"}


def _particle_fits(verb: str, particle: str, group: str) -> bool:
    """A two-word match of a particle verb of ``group`` is its own particle ("handed
    over", not "handed in"); other two-word patterns ("opened fire") always fit."""
    base, family = _PARTICLE_BASE.get(verb, ("", ""))
    return family != group or particle in PARTICLE[base]


#: Verbs that set up a body with no object: the body is their subject ("the committee
#: met", "the Board held its first meeting").
_INTRANSITIVE = {f for base in ("meet", "convene", "hold", "take", "swear", "begin", "start")
                 for f in verb_forms(base)}


def _set_condition(doc: Doc, t: Trigger, cl: tuple[int, int]) -> bool:
    """An event in the present after "until" ("unless", "only when / if / once / after") is
    the condition a party sets ("will keep Rafah shut until Hamas hands over the remains",
    "... until the last body has been returned"): demanded; a bare "once" tells when, as
    the labelled set reads it ("will release 250 prisoners once the hostages are freed").
    In the past ("fighting went on until Hamas released them") it tells when something
    ended, and is left alone."""
    words = lowers(doc)
    opener = words[cl[0]]
    if t.form == "noun" or not (opener in {"until", "unless"} or opener in {
            "when", "if", "once", "after"} and cl[0] > 0 and words[cl[0] - 1] == "only"):
        return False                  # also "unless X returns", "only when X frees them"
    before = words[max(cl[0] + 1, t.start - 2):t.start]
    return t.form in {"base", "third"} or t.form in {"past", "home"} and (
        before[-1:] in (["is"], ["are"])        # ("... until the body is back")
        or before in (["has", "been"], ["have", "been"]))   # ("... has been returned")


def _definite(words: list[str], start: int, lo: int) -> bool:
    """A bare noun is the body only as "the (new) committee", not "a committee of ..."."""
    k = start - 1
    while k > lo and words[k] not in {"the", "a", "an", "its", "their"} and start - k < 4:
        k -= 1
    return words[k] in {"the", "its", "their"}


def _instituted(doc: Doc, t: Trigger, cl: tuple[int, int]) -> Mention | None:
    """The body a milestone sets up that an institution word acts on in its clause: the
    object of an active verb ("Israel and Egypt formed the committee"), the subject of a
    passive or intransitive one ("the Board of Peace was established", "the committee
    met"), the body a noun names ("the formation of the committee"). The subject of an
    active verb is who sets something up, not what ("the Palestinian Authority approved a
    reform")."""
    words = lowers(doc)
    bodies = [m for m in doc.user_data.get("institutions", []) if cl[0] <= m.start < cl[1]
              and not (m.end - m.start == 1 and doc[m.start].is_lower
                       and not _definite(words, m.start, cl[0]))]
    if not bodies:
        return None
    passive = any(w in BE for w in words[max(cl[0], t.start - 2):t.start])
    if t.form == "noun" or passive or words[t.start] in _INTRANSITIVE:
        before = [m for m in bodies if m.end <= t.start]
        after = [m for m in bodies if m.start >= t.end and m.start - t.end <= 3] \
            if t.form == "noun" else []
        pick = after or before[-1:]
    else:
        pick = [m for m in bodies if m.start >= t.end]
    return pick[0] if pick else None


def _waiting(words: list[str], start: int) -> bool:
    """"waiting to enter", "lined up at Tamsk to cross": not happened."""
    if start < 2 or words[start - 1] != "to":
        return False
    for k in range(start - 2, max(-1, start - 7), -1):
        if words[k] in WAITING:
            return True
        if words[k] in {",", ";", "and", "but"} or words[k] in all_forms():
            return False
    return False


def _governs(words: list[str], end: int, start: int) -> bool:
    """The party ending at ``end`` governs the event word at ``start`` through a verb of
    wanting or planning, "to" and a light verb ("Meridia hopes to have all 120 observers
    in place"), with no other verb between."""
    k = end
    while k < start and (words[k] in {"also", "still", "now", "says", "said", "'s", "’s"}
                         or words[k] in ORGANS or k + 1 < start and words[k + 1] in ORGANS):
        k += 1                # ("Israel's security cabinet voted to keep ...")
    if k + 1 == start and words[k] in MATRIX and words[start].endswith("ing"):
        return True           # "Hamas denied firing on troops", "X ruled out sending"
    to = k + 1
    if to + 1 < start and words[to] == "on" and words[to + 1] in dates.WEEKDAYS:
        to += 2               # "voted on Sunday to keep ..."
    if to + 1 >= start or words[k] not in MATRIX or words[to] != "to" or \
            words[to + 1] not in {"have", "get", "see", "keep"}:
        return False          # ("plans to train 5,000 police for deployment": not)
    return not any(w in all_forms() or w in MATRIX for w in words[to + 2:start]) or (
        words[to + 1] == "keep" and words[start] in STATE_ADJECTIVES)   # ("keep the X
    # crossing shut": the crossing is a name, "shut" its state)


#: The whole of a partitive, described as handed over: a running total.
TOTAL = "total"


def _moved_whole(doc: Doc, pair: tuple[Any, Mention | None], near: list[Trigger],
                 quantities: list[tuple[int, int, Quantity]], parties: list[Mention]
                 ) -> tuple[Trigger, tuple[Any, Mention]] | None:
    """For the part of a partitive whose whole is told as handed over by a party ("99 of
    the 345 bodies Israel has sent back", "253 of the 360 bodies returned by Israel"): the
    event word that does so and the whole's count. Without the party the participle tells
    what the part is ("25 of the 28 hostages have been brought back", "12 of the 30
    bodies returned were identified")."""
    q, m = pair
    words = lowers(doc)
    if q is None or m is None or words[q[1]:q[1] + 2] != ["of", "the"]:
        return None
    whole = next((w for w in quantities if w[0] == q[1] + 2 and w[1] == m.start), None)
    if whole is None:
        return None
    for t in near:
        if t.group not in {MOVE, RECEIVE} or t.form != "past":
            continue
        by = t.end < len(doc) and words[t.end] == "by" and any(
            p.start == t.end + 1 for p in parties)              # "returned by Israel"
        who = next((p for p in parties if p.start == m.end), None)   # "Israel has sent"
        has = who is not None and t.start - who.end <= 1 and all(
            w in {"has", "have", "had"} for w in words[who.end:t.start])
        if t.start == m.end and by or has:
            return t, (whole, replace(m, compare=TOTAL))
    return None


#: Verbs of a facility that stops or starts again (the facility their subject).
HALTS = {"stopped", "halted", "stops", "halts"}
RESTARTS = {"restarted", "resumed", "restarts", "resumes"}


def _object(words: list[str], end: int) -> str:
    """The noun right after a verb, past a determiner ("receiving word", "sent a list")."""
    k = end
    while k < len(words) and words[k] in {"a", "an", "the", "their", "its", "his", "her",
                                          "new", "final", "official", "further", "combat",
                                          "ground", "more", "additional", "any", "extra"}:
        k += 1                # ("will not send combat troops": troops)
    return words[k] if k < len(words) else ""


def _coordinated(doc: Doc, facs: list[Mention], chosen: str) -> list[str]:
    """Facilities joined to the chosen one by "and", "or" or commas ("the Kissufim and
    Zikim crossings"), besides it."""
    words = lowers(doc)
    facs = sorted(facs, key=lambda f: f.start)
    at = next((i for i, f in enumerate(facs) if chosen in f.ids), None)
    if at is None:
        return []
    group = [at]
    for step in (-1, 1):
        i = at
        while 0 <= i + step < len(facs):
            a, b = (facs[i], facs[i + step]) if step == 1 else (facs[i + step], facs[i])
            if b.start <= a.end or not all(w in {"and", "or", ",", "the"}
                                           for w in words[a.end:b.start]):
                break
            i += step
            group.append(i)
    return list(dict.fromkeys(next(iter(facs[i].ids)) for i in sorted(group)
                              if chosen not in facs[i].ids))


#: "been able to", "managed to": the infinitive after them happened.
ACHIEVED = {("been", "able"), ("were", "able"), ("was", "able"), ("is", "able"),
            ("are", "able")}


def _achieved(words: list[str], start: int) -> bool:
    """"had been able to identify", "managed to identify": done, not planned."""
    if start < 2 or words[start - 1] != "to":
        return False
    return words[start - 2] in {"managed", "succeeded"} or start >= 3 and (
        words[start - 3], words[start - 2]) in ACHIEVED


def _part_of_handed(doc: Doc, start: int, category_at_end: dict[int, int]) -> bool:
    """The event word at ``start`` is a participle after the whole of a partitive ("two
    of the three sets of remains handed over on Monday", "12 of the 30 bodies returned"):
    it says which remains the part is of, not that they moved now."""
    if start not in category_at_end or lowers(doc)[start][-2:] not in {"ed", "en"} and \
            lowers(doc)[start] not in {"sent", "brought", "freed", "given"}:
        return False
    words = lowers(doc)
    if "by" in words[start + 1:start + 3] and not any(
            w in DAY_WORDS | {"on", "last", "this"} for w in words[start + 1:start + 7]):
        return False          # "253 of the 360 bodies returned by Israel": a running
        # total, told with who handed them over (see ``_moved_whole``); "handed over by
        # Hamas on Friday" is that handover
    k = category_at_end[start] - 1
    if k >= 1 and words[k] == "of" and words[k - 1] in {"sets", "set", "bags"}:
        k -= 2                # "three sets of remains"
    while k >= 0 and (doc[k].like_num or words[k] in {"the", "those"}):
        k -= 1
    return k >= 1 and words[k] == "of" and (doc[k - 1].like_num or words[k - 1] in {
        "some", "most", "all", "none", "many", "several", "few", "half", "one"})


def _every_facility(words: list[str], end: int, hi: int, heads: frozenset[str]) -> bool:
    """Right after an opening or closing verb, "every / all (the) / all N" and a facility's
    head noun ("open every crossing into Gaza", "closed all crossings"): all of them."""
    k = end
    if k < hi and words[k] in {"every", "all", "each"}:
        k += 1
        while k < hi and words[k] in {"the", "its", "their", "of", "border", "land"}:
            k += 1
        return k < hi and words[k] in heads
    return False


#: Participles of speech that open a clause of what the subject says (", saying it ...").
SAYING = {"saying", "adding", "insisting", "noting", "stating", "arguing", "claiming",
          "asserting"}
#: Words between a verb and the count it moves ("handed back only 45", "let in just 200").
FOCUS = {"only", "just", "merely", "in", "back", "over"}
#: A possessive before a word makes it a noun ("the detainees' release").
POSSESSIVE_MARKS = {"'", "’", "'s", "’s"}
#: States a party keeps a place in ("keep the crossing shut").
STATE_ADJECTIVES = {"shut", "closed", "open", "sealed"}
#: Bodies of a party that act for it ("Israel's security cabinet", "Veldra's navy").
ORGANS = {"cabinet", "government", "army", "military", "forces", "troops", "navy",
          "authorities", "leadership", "parliament", "soldiers", "police", "gunboats",
          "jets", "drones", "artillery"}


def _organ_after(words: list[str], possessive: int, stop: int) -> bool:
    """After a party's possessive, one of its bodies (past at most two modifiers), not
    followed by a verb of speech: "Israel's security cabinet voted", not "Israel's
    defence ministry said"."""
    organ = next((k for k in range(possessive + 1, min(possessive + 4, stop))
                  if words[k] in ORGANS), None)
    return organ is not None and (organ + 1 >= len(words) or words[organ + 1] not in SPEECH)


#: Words between "under" and a noun event that make the noun the frame of the sentence
#: ("under the terms of the exchange", "under the first phase of the swap").
FRAME_WORDS = {"the", "terms", "of", "this", "that", "a", "an", "first", "second", "phase",
               "its", "their"}


def _under_terms_of(words: list[str], start: int) -> bool:
    k = start - 1
    while k >= 0 and start - k <= 6 and words[k] in FRAME_WORDS:
        k -= 1
    return k >= 0 and k < start - 1 and words[k] == "under"


#: Nouns for one more group of what was counted before ("a further group", "another
#: batch"), and the words that make it one more.
BATCH_NOUNS = {"group", "batch", "round", "contingent", "wave", "tranche", "set"}
ONE_MORE = {"further", "another", "second", "third", "next", "new", "fresh", "final",
            "last"}


#: Participles after a party's name and a hyphen that make it what the noun underwent
#: ("Egyptian-trained police", "Israeli-held areas"), not who acts ("US-led centre").
DONE_TO = {"trained", "held", "controlled", "occupied", "run", "backed", "funded", "built",
           "made", "supplied", "armed", "brokered", "mediated", "drafted", "sponsored"}


def _demanded_noun(words: list[str], start: int, lo: int) -> bool:
    """The phrase at ``start`` is what a demand asks for ("its demand for the bodies",
    "calls for the release of")."""
    k = start - 1
    while k > lo and words[k] in {"the", "all", "its", "their", "of", "release",
                                  "return", "immediate", "remaining"} | BODY_WORDS:
        k -= 1
    return k > lo and words[k] == "for" and words[k - 1] in {
        "demand", "demands", "call", "calls", "calling", "appeal", "appeals", "pressure"}


def _aside_between(words: list[str], end: int, k: int) -> bool:
    """Between a facility ending at ``end`` and the verb at ``k`` stands only an aside set
    off by commas, then an auxiliary ("Mobile internet, cut across the east since 11
    January, was restored")."""
    if not (end < k <= end + 14) or words[end] != ",":
        return False
    close = max((i for i in range(end + 1, k) if words[i] == ","), default=None)
    return close is not None and close > end + 1 and all(
        w in {"was", "were", "is", "are", "has", "have", "been", "had", "now", "finally"}
        for w in words[close + 1:k])


def _in_post(words: list[str], n: int) -> bool:
    """The personnel counted at ``n`` are said to be at work ("with 64 police monitors in
    the field", "with 300 officers deployed"), within the next four words."""
    after = " ".join(words[n + 1:n + 6])
    return any(p in after for p in ("in the field", "in place", "on the ground", "deployed",
                                    "on duty", "in post", "on patrol"))


def _joins_words(doc: Doc, k: int) -> bool:
    """A hyphen inside a compound ("Egyptian-trained police officers"), not a dash."""
    return doc[k].text in {"-", "‐"} and 0 < k < len(doc) - 1 and not doc[k].whitespace_ \
        and not doc[k - 1].whitespace_ and doc[k - 1].is_alpha and doc[k + 1].is_alpha


#: Verbs by which a party keeps captives or remains back (with a condition after them,
#: "until ..."), and those that say so by themselves.
RETAIN = {"keep", "keeps", "kept", "keeping", "hold", "holds", "holding", "retain",
          "retains", "retained", "retaining"}
WITHHOLD = {"withhold", "withholds", "withheld", "withholding"}


#: What wounds people in an attack, after "wounded by" ("a booby trap", "a bullet").
WOUNDING = {"trap", "booby", "bullet", "bullets", "blast", "explosion", "fire", "strike",
            "strikes", "airstrike", "gunshot", "shot", "shots", "ied", "grenade"}


#: What the states an agreement names for a facility must hold to be its closed or its
#: open state ("shut", "stopped", "blocked", "off-air"; "online", "running", "restored").
CLOSED_LIKE = ("clos", "shut", "stop", "off", "halt", "suspend", "block", "cut")
OPEN_LIKE = ("on", "run", "pump", "restor", "resum", "operat", "flow")


#: A second source's figure for the count told before ("puts the figure at 345").
FIGURE = "figure"


def _figure_put_at(words: list[str], qs: int, s0: int) -> bool:
    """The count follows "puts / gives / estimates the figure (number, total, tally) at"
    or "says the figure is"."""
    k = qs - 1
    while k > s0 and words[k] in {"about", "around", "some", "roughly", "nearly", "only",
                                  "just"}:
        k -= 1
    if k - 2 < s0 or words[k] not in {"at", "is", "was", "stands", "stood"}:
        return False
    return words[k - 1] in {"figure", "number", "total", "tally", "count"} and \
        words[k - 2] in {"the", "its", "their"} and (words[k] != "at" or k - 3 >= s0 and
                                                     words[k - 3] in {
                                                         "puts", "put", "putting", "places",
                                                         "placed", "gives", "gave",
                                                         "estimates", "estimated", "sets"})


def _observed_bare(words: list[str], qs: int, qe: int, s0: int, s1: int) -> bool:
    """A count with no noun right after a verb of counting ("said it had counted only
    1,930, about 275 a day", "recorded just 410"): its noun is the one counted before."""
    k = qs - 1
    while k > s0 and words[k] in FOCUS | {"about", "around", "some", "roughly", "nearly"}:
        k -= 1
    return k > s0 and words[k] in OBSERVE and (qe >= s1 or words[qe] in {
        ",", ".", ";", "a", "per", "on", "in", "at", "through", "over", "during", "since",
        "that", "this", "last", "by"})


def _another_group(words: list[str], start: int, lo: int) -> int | None:
    """Where "a further group" / "another batch" stands before the event word at
    ``start`` as its subject ("a further group is expected to be released"), or None."""
    for k in range(start - 1, max(lo, start - 8) - 1, -1):
        if words[k] in {",", ";", "of"}:
            return None
        if words[k] in BATCH_NOUNS and k > lo and words[k - 1] in ONE_MORE:
            return k
    return None


def _when_before(doc: Doc, start: int) -> bool:
    """A noun event word that names a time ("after the release", "72 hours of the
    withdrawal"), skipping a determiner and one modifier."""
    words = lowers(doc)
    k = start - 1
    steps = 0
    while k >= 0 and steps < 3 and (words[k] in DETERMINERS or doc[k].is_title
                                    and words[k] not in WHEN_BEFORE):
        k -= 1
        steps += 1
    if k < 0:
        return False
    if words[k] in WHEN_BEFORE:
        return True
    return words[k] == "of" and k > 0 and (words[k - 1] in TIME_UNITS
                                           or words[k - 1] == "ahead")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


#: What "or" and a word after a number make of it ("140 or so": about 140).
OR_BOUND = {"so": QuantityPrecision.APPROXIMATE, "more": QuantityPrecision.AT_LEAST,
            "fewer": QuantityPrecision.AT_MOST, "less": QuantityPrecision.AT_MOST}


def _parse(sp: Span) -> Quantity | None:
    if len(sp) > 2 and sp[-2].lower_ == "or" and sp[-1].lower_ in OR_BOUND:
        q = _parse(sp[:-2])
        return q if q is None or q.precision not in {
            QuantityPrecision.EXACT, QuantityPrecision.APPROXIMATE} else replace(
            q, precision=OR_BOUND[sp[-1].lower_])
    prefix: list[str] = []
    groups: list[list[str]] = []
    current: list[str] = []
    for tok in sp:
        low = tok.lower_
        if tok.like_num or (low in {"-", "dozen"} and current) or (
                low == "and" and current and current[-1] in {"hundred", "thousand", "million"}
                and tok.i + 1 < sp.end and sp.doc[tok.i + 1].is_alpha and not any(
                    t.lower_ in {"hundred", "thousand", "million"}
                    for t in sp.doc[tok.i + 1:sp.end])):
            current.append(low)   # ("six hundred and four": one number; "between two
            # hundred and three hundred": two)
        elif current and low in {"to", "-", "–", "or", "and"}:
            groups.append(current)
            current = []
        elif not groups and not current and low not in {"between", "from"}:
            prefix.append(low)
    if current:
        groups.append(current)
    joined = " ".join(prefix)
    if not groups:
        return parse_quantity(joined, [])
    return parse_quantity(joined, groups)


#: Nouns that, after "the"/"its" or first in a sentence, stand for the party that speaks
#: ("Hamas said the group would ...", "The IDF said troops had ...").
GROUP_NOUNS = {"group", "movement", "troops", "soldiers", "forces", "army", "military",
               "militants", "fighters", "drones", "aircraft", "jets", "warplanes", "tanks",
               "artillery", "snipers", "units", "gunmen", "navy", "wing", "command",
               "leadership"}


def _according_party(words: list[str], lo: int, comma: int,
                     in_sent: list[Mention]) -> str | None:
    """The party of a sentence-opening "According to (the) X," ending at ``comma``."""
    if words[lo:lo + 2] != ["according", "to"]:
        return None
    return next((next(iter(p.ids)) for p in in_sent if lo + 2 <= p.start < comma), None)
QUOTES = {'"', "“", "”", "'"}
#: A pronoun subject and the auxiliaries between it and the event word ("it would").
PRONOUNS = {"it", "they", "we"}
PRONOUN_AUX = {"would", "will", "had", "has", "have", "was", "were", "is", "are", "could",
               "might", "may", "to", "be", "been", "'d", "'ll", "not", "n't", "did", "does",
               "ready", "able", "prepared", "willing", "going", "set", "due", "expected",
               "planning", "preparing", "trying", "about", "still",
               # "it was not aware of any strike", "they carried out a strike"
               "aware", "unaware", "of", "any", "a", "an", "knowledge", "no", "carried",
               "out", "conducted", "launched"}
#: Words that open a condition, not a claim ("if Hamas does not return the bodies").
CONDITION = {"if", "unless", "until", "once", "before"}
#: Words opening a clause that sets another event beside the first ("X has killed 360,
#: while three soldiers have been killed"): its attack is not the first one retold.
CONTRASTS = {"while", "whereas", "but", "meanwhile"}
#: Verbs that give leave for an event named by a noun after them ("approved the entry of").
APPROVALS = {"approved", "approves", "approve", "authorised", "authorized", "authorises",
             "authorizes", "cleared", "clears", "okayed", "sanctioned"}
#: Participles that open a clause stating a running total (", bringing the total to 90").
TOTAL_OPENERS = {"bringing", "raising", "lifting", "pushing"}


#: Words that open an example list ("states such as Egypt", "a force including Turkish
#: units"): a party in it is not the subject of the verb after it.
LIST_OPENERS = {"as", "including", "among", "like"}


#: Words after "remains" that make it the verb ("remains capped", "remains at 600").
AFTER_REMAINS_VERB = {"at", "under", "in", "closed", "shut", "open", "unclear", "unknown",
                      "a", "an", "the", "to", "on", "far", "high", "low", "below", "above",
                      "well", "limited", "blocked", "capped", "stuck"}


def _verb_remains(doc: Doc, i: int) -> bool:
    words = lowers(doc)
    prev = words[i - 1] if i else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if prev in DETERMINERS | {"of", "human", "whose", "those", "these", "all", "any", "'s",
                              "’s"} or (i and doc[i - 1].like_num):
        return False
    return nxt in AFTER_REMAINS_VERB or nxt.endswith(("ed", "ly"))


#: Nouns for a time set aside for an event ("a 72-hour window for the release"): the
#: event is yet to come.
SCHEDULE_NOUNS = {"window", "deadline", "countdown", "timetable", "schedule", "timeline",
                  "clock", "date", "period"}


def _scheduled(words: list[str], start: int, lo: int) -> bool:
    k = start - 1
    while k > lo and words[k] in DETERMINERS:
        k -= 1
    return k > lo and words[k] in {"for", "to"} and words[k - 1] in SCHEDULE_NOUNS


def _according(doc: Doc, start: int, s0: int) -> bool:
    """The mention at ``start`` follows "according to (the)"."""
    words = lowers(doc)
    k = start - 1
    while k > s0 and words[k] in {"the", "a", "an"}:
        k -= 1
    return k - 1 >= s0 and words[k] == "to" and words[k - 1] == "according"


def _longest(mentions: list[Mention]) -> list[Mention]:
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def _clauses(doc: Doc, s0: int, s1: int,
             quantities: list[tuple[int, int, Quantity]]) -> list[tuple[int, int]]:
    inside = {i for s, e, _ in quantities for i in range(s, e)}
    starts = {s for s, _, _ in quantities}
    cuts = [s0]
    condition = False
    for i in range(s0, s1):
        low = lowers(doc)[i]
        if i in inside:
            continue
        if low == ":" and _heading(doc, cuts[-1], i, s1, inside):
            continue              # "Deliveries through Kerem Shalom on Sunday: 94 trucks
            # ...": the counts after a heading are the heading's event
        if low in BOUNDARY_TOKENS or (low == "," and i + 1 < s1 and (
                lowers(doc)[i + 1] in BOUNDARY_AFTER_COMMA or condition
                or lowers(doc)[i + 1] == "of" and i + 2 < s1
                and lowers(doc)[i + 2] in {"which", "whom"})):
            cuts.append(i + 1)    # a condition ("until further notice,") ends at a comma
            condition = False
        elif (low in BOUNDARY_WORDS and i > s0) or (
                low == "while" and i > s0 and i + 1 < s1
                and not lowers(doc)[i + 1].endswith("ing")) or lowers(doc)[i:i + 3] == [
                    # ("will not hand over their weapons while Israeli strikes continue";
                    # not "shot while gathering firewood")
                "as", "soon", "as"] or low == "when" and lowers(doc)[i - 1] == "only" or (
                low == "and" and i + 1 < s1 and lowers(doc)[i + 1] in {
                    "will", "would", "is", "was", "has", "had", "later", "then", "that",
                    "it", "they", "accused", "accuses", "blamed", "blames", "said", "says",
                    "expect", "expects", "expected", "hope", "hopes", "hoped", "plan",
                    "plans", "planned", "intend", "intends"}
                or low == "and" and lowers(doc)[i - 1] == "," and i + 1 in starts):
            # (", and 817 trucks entered": a new clause, with its own subject count)
            # ("denied firing on the cutter and accused the navy of shelling ...": the
            # denial ends where the charge begins)
            cuts.append(i)
            condition = low in CONDITION
    cuts.append(s1)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


#: Words for goods moved that may head a tally ("Gaza-bound loads ...: 94 trucks").
TALLY_HEADS = {"loads", "aid", "cargo"}


def _heading(doc: Doc, lo: int, colon: int, s1: int, inside: set[int]) -> bool:
    """A colon after a heading with an event noun and no count or speech ("Deliveries
    through Kerem Shalom on Sunday, per COGAT:"), before a count: a tally, not a quote."""
    words = lowers(doc)
    head = words[lo:colon]
    return colon + 1 < s1 and (colon + 1 in inside or doc[colon + 1].like_num) and \
        not any(i in inside for i in range(lo, colon)) and \
        not any(w in SPEECH for w in head) and \
        any(NOUNS.get(w) in {MOVE, ENTER} or w in TALLY_HEADS for w in head)


#: Words after "the remaining / first N" that end its noun phrase ("the first 1,000
#: could be deployed", "the first 500 expected to cross").
ELIDED_AFTER = {"by", "within", "before", "could", "would", "will", "are", "were", "is",
                "was", "have", "had", "should", "may", "might", "expected", "due", "set"}


#: Openers of a condition that lasts ("while", "as long as"): what is still held after
#: them is what the speaker wants handed over.
LASTING = (("while",), ("as", "long", "as"), ("so", "long", "as"), ("until",))


def _still_held(doc: Doc, taken: set[int]) -> list[int]:
    """"Phase two will not begin while the body of a single hostage remains in Gaza",
    "Rafah will stay sealed for as long as Ran Gvili's body remains": the verb of staying
    whose subject, after a lasting condition's opener, is people or remains an agreement
    counts; the handover is what the speaker demands."""
    words = lowers(doc)
    ends = doc.user_data.get("category_ends", set())
    out = []
    for k, w in enumerate(words):
        if k in taken or w not in STAYING | {"held"} or (w == "held" and words[k - 1] not in {
                "is", "are", "still"}):
            continue
        lo = max(doc[k].sent.start, k - 12)
        for j in range(k - 1, lo - 1, -1):
            if words[j] in {";", ":", "."}:
                break
            opener = next((o for o in LASTING if tuple(words[j:j + len(o)]) == o), None)
            if opener is not None:
                if any(j + len(opener) < e <= k for e in ends):
                    out.append(k)
                break
    return out


#: The words of disarming itself, which need no arms named after them.
DISARM_WORDS = {f for w in ("disarm", "demilitarise", "demilitarize", "decommission")
                for f in verb_forms(w)} | {"disarmament", "demilitarisation",
                                           "demilitarization", "decommissioning"}


#: A count told as an exchange's formula after the count it explains ("four for each").
RATIO = "ratio"


#: What a party says, before "by X" ("a statement by the prime minister's office"):
#: X is the source, not the doer.
STATEMENTS = {"statement", "statements", "announcement", "report", "remarks", "post",
              "interview", "briefing", "communique", "communiqué", "tally", "figures", "data"}


#: Verbs of a demand that may take its count and category with no event word, and
#: whether they need "for" ("asking for 50 fuel tankers", "demanded 1,000 prisoners").
ASKING = {f: need_for for w, need_for in (("ask", 1), ("call", 1), ("press", 1),
                                          ("appeal", 1), ("demand", 0), ("request", 0),
                                          ("seek", 0))
          for f in verb_forms(w)}


#: Words between a demand and its count ("asking for at least 50", "demanded another 100").
ASKED_BEFORE_COUNT = {"at", "least", "another", "a", "further", "some", "about", "around",
                      "up", "to", "more", "than", "no", "fewer", "less", "the", "an", "extra",
                      "additional", "only", "just"}


#: Nouns for a party's "own" people that it gets back ("took back 120 of its own soldiers").
OWN_PEOPLE = {"soldiers", "servicemen", "citizens", "nationals", "people", "prisoners",
              "captives", "detainees", "fighters", "men", "troops", "personnel", "sailors",
              "seamen", "seafarers", "crewmen", "civilians", "officers", "policemen",
              "hostages"}


#: Verbs of going that free the people who went "to freedom".
FREEDOM_VERBS = {f: form for w in ("walk", "cross", "come", "go", "drive", "ride", "step",
                                   "leave", "emerge", "head", "pass")
                 for f, form in verb_forms(w).items()}


def _to_freedom(doc: Doc, taken: set[int]) -> list[int]:
    """The verbs of people who went "to freedom" ("walked across the dam to freedom"):
    a release told by where it took them, with no verb of releasing."""
    words = lowers(doc)
    found = []
    for k in range(1, len(doc)):
        if words[k] != "freedom" or words[k - 1] != "to":
            continue
        verb = next((j for j in range(k - 2, max(doc[k].sent.start, k - 9) - 1, -1)
                     if words[j] in FREEDOM_VERBS or doc[j].is_punct), None)
        if verb is not None and not doc[verb].is_punct and verb not in taken:
            found.append(verb)
    return found


#: Words after a whole that make it what was due ("of the 15,000 aid trucks due"); not
#: what a party promised ("64 of the 120 observers it pledged": the whole, no event).
DUE_WORDS = {"due", "supposed", "required", "stipulated"}


def _due_whole(words: list[str], qs: int, qe: int, s0: int, s1: int) -> bool:
    """A count that is the whole a part is of ("of the N", "out of (the) N") and is then
    said to be due ("out of 600 trucks that are supposed to enter daily")."""
    k = qs - 1
    if k > s0 and words[k] == "the":
        k -= 1
    if k <= s0 or words[k] != "of":
        return False
    for w in words[qe:min(s1, qe + 7)]:
        if w in {",", ";", ".", "but", "and"}:
            return False
        if w in DUE_WORDS:
            return True
    return False


def _placed_subject(words: list[str], end: int, k: int) -> bool:
    """Between a facility and its state's verb, a short phrase of place and the verb's
    auxiliaries ("satellite navigation across the strait has been jammed")."""
    between = words[end:k]
    while between and between[-1] in BE | {"has", "have", "had"}:
        between = between[:-1]
    return 0 < len(between) <= 4 and between[0] in PREPOSITIONS | {"across", "along",
                                                                   "around", "near"} \
        and not any(w in {",", ";", "and", "but", "which", "that"} for w in between)


def _arms_after(words: list[str], end: int, counted: set[int]) -> bool:
    """Arms are what the verb acts on, within a few words ("hand over its heavy weapons"),
    and the agreement does not count them as a category of its own."""
    for k in range(end, min(len(words), end + 5)):
        if words[k] in ARMS:
            return k not in counted
        if words[k] in {",", ";", ".", "and", "to", "until", "but"}:
            return False
    return False


def _mines_cleared(doc: Doc, taken: set[int]) -> list[int]:
    """A verb of clearing said of mines, with the work done: "lifted the last 300
    anti-tank mines from the Varne road", "finished clearing the track ..., lifting 230
    mines", "the road has been cleared of mines"."""
    words = lowers(doc)
    out = []
    for k, w in enumerate(words):
        if k in taken or w not in CLEARING:
            continue
        sent = doc[k].sent
        if not any(x in MINE_WORDS for x in words[sent.start:sent.end]):
            continue
        done = k > sent.start and words[k - 1] in CLEARED_BEFORE or \
            words[k + 1:k + 3] == ["the", "last"] or \
            w.endswith("ed") and k > sent.start and words[k - 1] in BE and \
            words[k + 1:k + 2] == ["of"]
        if done:
            out.append(k)
    return out


#: Prepositions by which something flows through a facility with a state of flowing.
ALONG = {"through", "via", "along"}


def _ordinal_of(words: list[str], qs: int, s0: int) -> bool:
    """The count is the whole an ordinal picks one of ("the 24th of the 28")."""
    if qs - 3 < s0 or words[qs - 1] != "the" or words[qs - 2] != "of":
        return False
    w = words[qs - 3]
    # ("the third of the 28", not "a third of the 300": a share)
    return (w in {"last", "final"} or bool(ORDINALS.get(w)) or bool(
        re.fullmatch(r"\d+(st|nd|rd|th)", w))) and qs - 4 >= s0 and words[qs - 4] == "the"


def _none_fired(words: list[str], t: Trigger, cl: tuple[int, int]) -> bool:
    """"No shots were fired across the line", "no rockets have been launched": a quiet
    spell told as an attack denied, by no one in particular."""
    k = t.start - 1
    while k > cl[0] and words[k] in {"was", "were", "been", "have", "has", "had"}:
        k -= 1
    return k > cl[0] and (words[k] in PROJECTILES or words[k] in ATTACK_NOUNS) and \
        words[k - 1] in {"no", "not"} | {"warning", "single"} and "no" in words[
            max(cl[0], k - 3):k]


#: Verbs of arriving, which move goods as well as forces ("no fuel had reached the north").
REACHING = {f for w in ("reach", "arrive") for f in verb_forms(w)}
#: Nouns of will or its lack before "to" ("Hamas's refusal to return the bodies").
INTENT_NOUNS = {"failure", "refusal", "decision", "pledge", "promise", "commitment",
                "readiness", "willingness", "unwillingness", "bid", "attempt", "offer",
                "plan", "plans", "move", "reluctance", "inability"}


def _owner_of_intent(doc: Doc, t: Trigger, parties: list[Mention]) -> str | None:
    """The party whose will a noun before the event word names ("X's failure to return",
    "X's decision to reopen"): the event's subject, whoever the sentence is about."""
    words = lowers(doc)
    k = t.start - 1
    if k < 3 or words[k] != "to" or words[k - 1] not in INTENT_NOUNS or \
            words[k - 2] not in {"'s", "’s", "'"}:
        return None
    return next((next(iter(p.ids)) for p in parties if p.end in {k - 2, k - 1}), None)


def _after_be(doc: Doc, start: int, lo: int) -> bool:
    k = start - 1
    while k >= lo and (lowers(doc)[k] in SKIPPABLE or lowers(doc)[k].endswith("ly")):
        k -= 1
    return k >= lo and lowers(doc)[k] in BE


#: Words for trading captives both ways, and what makes a count one side's ("120 each").
SWAPS = {"swap", "swaps", "swapped", "swapping", "exchange", "exchanges", "exchanged",
         "exchanging", "trade", "trades", "traded", "trading"}


def _reciprocal(words: list[str], t: Trigger, cl: tuple[int, int]) -> bool:
    """An exchange whose count is each side's ("swapped 120 prisoners each", "exchanged
    84 POWs apiece", "a swap of 200 men on each side")."""
    if words[t.start] not in SWAPS:
        return False
    clause = words[cl[0]:cl[1]]
    return "apiece" in clause or any(
        w == "each" and (i + 1 >= len(clause) or clause[i + 1] in {",", ".", "at", "in", "on",
                                                                   "through", "via", ";",
                                                                   "side", "way"})
        for i, w in enumerate(clause)) or any(
        clause[i:i + 2] in (["each", "side"], ["both", "sides"], ["each", "way"])
        for i in range(len(clause) - 1))


def _dates_a_participle(doc: Doc, span: tuple[int, int], before: int) -> bool:
    """The date span right after a participle of moving before ``before`` ("the body
    handed over Thursday", "the remains returned on Monday"): that participle's date."""
    if span[0] >= before:
        return False
    k = span[0] - 1
    while k >= 0 and lowers(doc)[k] in {"on", "late", "early", "the", "day", "before"}:
        k -= 1
    return k >= 0 and (lowers(doc)[k] in all_forms() and lowers(doc)[k].endswith("ed")
                       or lowers(doc)[k] in {"over", "back"} and k > 0
                       and lowers(doc)[k - 1] in all_forms())


def _nearest_date(date_spans: list[tuple[int, int]], t: Trigger, cl: tuple[int, int],
                  sent: tuple[int, int], doc: Doc) -> str | None:
    words = lowers(doc)
    seg_lo = next((i + 1 for i in range(t.start - 1, cl[0] - 1, -1) if words[i] == ","), cl[0])
    seg_hi = next((i for i in range(t.end, cl[1]) if words[i] == ","), cl[1])
    # a date in the trigger's own stretch between commas first ("Mobile internet, cut
    # since 11 January, was restored overnight": overnight)
    for lo, hi in ((seg_lo, seg_hi), cl, sent):
        near = [d for d in date_spans if lo <= d[0] < hi]
        if near:
            return _date_text(doc, min(near, key=lambda d: abs(d[0] - t.start)))
    return None


def _date_text(doc: Doc, span: tuple[int, int]) -> str:
    s, e = span
    if doc[s:e].text.lower() in dates.RELATIVE:
        return doc[s:e].text      # "this morning": the report's day
    return " ".join(w.text for w in doc[s:e] if w.lower_ not in {"on", "this"} or e - s == 1)


def _headline_event(doc: Doc, text: str, sent: tuple[int, int], t: Trigger,
                    mention: Mention) -> bool:
    """A headline tells an uncounted event as news: "Hamas hands over remains it says are
    Eitan Levy's" (the present, before what was handed over), "Remains of Hadar Goldin
    returned to Israel" (a participle after its subject, which opens the line); not "Body
    returned overnight is not that of ...", where the participle describes another verb's
    subject."""
    told = t.form == "third" and mention.start > t.start or (
        t.form == "past" and mention.end <= t.start and mention.start <= sent[0] + 1
        and not {"is", "are", "was", "were"} & set(lowers(doc)[t.end:sent[1]]))
    return told and _headline(doc, text, sent)


def _headline(doc: Doc, text: str, sent: tuple[int, int]) -> bool:
    """The sentence is a headline: a line of its own with no full stop ("Hamas hands over
    remains of two hostages to Red Cross")."""
    k = sent[1] - 1
    while k > sent[0] and doc[k].is_space:
        k -= 1
    last = doc[k]
    if last.text in {".", "!", "?", "…", '"', "”", "'", "’"} or sent[1] - sent[0] > 25:
        return False
    end = last.idx + len(last.text)
    start = doc[sent[0]].idx
    return not text[end:end + 2].strip(" \t\r").startswith(tuple(".!?")) and (
        end >= len(text.rstrip()) or text[end:].lstrip(" \t").startswith("\n")) and (
        start == 0 or text[:start].rstrip(" \t").endswith("\n") or not text[:start].strip())


def _attribution(doc: Doc, s0: int, s1: int, according: bool = True) -> str | None:
    """Who the clause's claim is attributed to: "according to X", "X said", "said X"."""
    words = lowers(doc)[s0:s1]
    for i, w in enumerate(words):
        if according and w == "according" and i + 1 < len(words) and words[i + 1] == "to":
            j = i + 2
            k = j
            while k < len(words) and words[k] not in {",", ";", ".", "—"} and k - j < 8:
                k += 1
            if k > j:
                return doc[s0 + j:s0 + k].text
    for i, w in enumerate(words):
        if w in SPEECH and w not in {"according", "see", "sees", "believe", "believes"}:
            j = i
            while j > 0 and words[j - 1] not in {",", ";", "\"", "“", "”", "."} and i - j < 6:
                j -= 1
            if j < i and not any(words[m] in all_forms() for m in range(j, i)):
                return doc[s0 + j:s0 + i].text
            k = i + 1
            while k < len(words) and words[k] not in {",", ";", ".", "\"", "”"} and k - i < 7:
                k += 1
            if k > i + 1 and words[i - 1] in {",", "”", "\""}:
                return doc[s0 + i + 1:s0 + k].text
    for i, w in enumerate(words[:-1]):
        if w in SPEAKERS and words[i + 1] in SPEECH | {"see", "sees", "believe"}:
            j = i
            while j > 0 and words[j - 1] not in {",", ";", "."} and i - j < 4:
                j -= 1
            return doc[s0 + j:s0 + i + 1].text
    return None


def _place_after(doc: Doc, start: int, stop: int, parties: list[Mention]) -> str | None:
    for k in range(start, min(stop, start + 4)):
        if lowers(doc)[k] in {"in", "at", "into", "to"} and k + 1 < stop and \
                doc[k + 1].is_title:
            j = k + 1
            while j < stop and doc[j].is_title:
                j += 1
            return doc[k + 1:j].text
    return None


_GRAMMARS: dict[tuple[int, str | None], Grammar] = {}


def dependency_matcher(vocab: Vocab) -> DependencyMatcher:
    """Arguments of event verbs, for pipelines with a parser."""
    verb = {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "AUX", "NOUN"]}}}
    gov = {"RIGHT_ID": "gov", "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "AUX"]}}}
    m = DependencyMatcher(vocab)
    m.add("SUBJ", [[verb, {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subj",
                           "RIGHT_ATTRS": {"DEP": "nsubj"}}]])
    m.add("AGENT", [[verb, {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "agent",
                            "RIGHT_ATTRS": {"DEP": "agent"}},
                     {"LEFT_ID": "agent", "REL_OP": ">", "RIGHT_ID": "obj",
                      "RIGHT_ATTRS": {"DEP": "pobj"}}]])
    for label, dep in (("CTRL_OBJ", "dobj"), ("CTRL_SUBJ", "nsubj")):
        m.add(label, [[gov, {"LEFT_ID": "gov", "REL_OP": ">", "RIGHT_ID": "verb",
                             "RIGHT_ATTRS": {"DEP": {"IN": ["xcomp", "ccomp"]}}},
                       {"LEFT_ID": "gov", "REL_OP": ">", "RIGHT_ID": "arg",
                        "RIGHT_ATTRS": {"DEP": dep}}]])
    return m


def _bounds(doc: Doc, text: str, s0: int, s1: int) -> tuple[int, int]:
    """Character offsets of tokens ``s0:s1`` in ``text``, without surrounding spaces."""
    a, b = doc[s0].idx, doc[s1 - 1].idx + len(doc[s1 - 1].text)
    raw = text[a:b]
    return a + len(raw) - len(raw.lstrip()), b - (len(raw) - len(raw.rstrip()))


def grammar_for(agreement: Agreement, model: str | None = None) -> Grammar:
    """One grammar per agreement object: building matchers costs more than reading a text."""
    key = (id(agreement), model)
    found = _GRAMMARS.get(key)
    if found is None or found.agreement is not agreement:
        found = _GRAMMARS[key] = Grammar(agreement, model)
    return found


__all__ = ["KIND_TYPE", "Grammar", "grammar_for"]
