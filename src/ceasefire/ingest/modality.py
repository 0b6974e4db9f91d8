"""Modality: whether a clause says an event happened, or is planned, expected, demanded,
hoped, permitted (a cap), denied, or a running total.

Cues speak only for their own clause and for what precedes the event word (or, for a noun
or a passive, what follows it closely), because "X, under pressure from Y, allowed 600
trucks" is a delivery, not a demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from .dates import MONTHS, WEEKDAYS
from .english import (
    ATTACK,
    BEFORE_VERB,
    CAP_VERBS,
    CUES,
    DONE_AFTER,
    DONE_BEFORE,
    NEGATION,
    NOT_DONE_AFTER,
    OBSERVE,
    PERMISSION,
    RATE,
    SPEECH,
    STOPPED_AFTER,
    TOTAL_NOUNS,
    TOTAL_VERBS,
    all_forms,
    level_verb_before,
)
from .lexicon import lowers
from .model import Modality
from .numbers import Quantity

if TYPE_CHECKING:
    from .marks import Trigger

#: Verbs that govern another (their subject is not the event word's subject).
MATRIX = {w for m in (Modality.HOPED, Modality.DEMANDED, Modality.EXPECTED, Modality.PLANNED,
                       Modality.DENIED) for c in CUES[m] for w in c.split()
           if w not in {"to", "is", "are", "was", "were", "be", "on", "for", "of", "will",
                        "would", "may", "might", "could", "should", "must", "shall", "'ll",
                        "set", "due", "ready", "going", "no", "longer", "yet", "instead",
                        "stay", "remain", "not", "out", "aware", "record", "knowledge",
                        "probably"}
           } | SPEECH


def _index(phrases: dict[str, Modality]) -> dict[str, list[tuple[tuple[str, ...], Modality]]]:
    out: dict[str, list[tuple[tuple[str, ...], Modality]]] = {}
    for phrase, m in phrases.items():
        words = tuple(phrase.split())
        out.setdefault(words[0], []).append((words, m))
    return out


#: Cue phrases by first word, so a clause is scanned once, not once per cue.
_CUE_INDEX = _index({c: m for m, cues in CUES.items() for c in cues})
_RATE_INDEX = _index({r: Modality.PERMITTED for r in RATE})


#: What may follow "due to" / "set to" when they announce an event: a verb.
_VERB_AFTER = {"be", "begin", "start", "resume", "take", "get", "go", "come", "have", "see"}


def _found(words: list[str], index: dict[str, list[tuple[tuple[str, ...], Modality]]],
           skip: frozenset[str] = frozenset()) -> set[Modality]:
    hits: set[Modality] = set()
    for i, w in enumerate(words):
        for phrase, m in index.get(w, ()):
            if tuple(words[i:i + len(phrase)]) != phrase:
                continue
            text = " ".join(phrase)
            if text in skip:
                continue
            if text in BEFORE_VERB:
                nxt = words[i + len(phrase)] if i + len(phrase) < len(words) else ""
                if nxt and nxt not in _VERB_AFTER and nxt not in all_forms():
                    continue        # "due to the fighting": a cause, not a schedule
            hits.add(m)
    return hits


def cue_modalities(words: list[str]) -> set[Modality]:
    """The modalities the cue phrases among ``words`` name, and a rate's permission."""
    return _found(words, _CUE_INDEX) | _found(words, _RATE_INDEX)


def _has(words: list[str], phrase: str) -> bool:
    parts = phrase.split()
    n = len(parts)
    return any(words[i:i + n] == parts for i in range(len(words) - n + 1))


_AFTER_SKIP = frozenset({"to be", "will", "would"})


def _outside_parentheticals(words: list[str]) -> list[str]:
    """Words before the event word without ", ... ," asides ("X, under pressure from
    Y, allowed ..."): a cue inside an aside is not about the event."""
    commas = [i for i, w in enumerate(words) if w == ","]
    if len(commas) < 2:
        return words
    first, last = commas[0], commas[-1]
    return words[:first] + words[last + 1:]


#: "a third of them have been identified": a share of a total is a running total.
FRACTIONS = {"third", "half", "quarter", "fraction", "most", "majority", "thirds",
             "quarters"}


#: Words before "since" that make it a comparison, not a running total ("the deadliest
#: day since the truce", "the first time since").
NOT_A_TOTAL_BEFORE_SINCE = {"time", "first", "worst", "most", "biggest", "largest", "highest",
                            "lowest", "heaviest", "fewest"}


def _not_since(words: list[str]) -> list[str]:
    """"for the first time since the truce", "one of the deadliest days since the truce":
    a first or a superlative, not a running total."""
    if "since" not in words:
        return words
    return [w if not (w == "since" and any(
        x in NOT_A_TOTAL_BEFORE_SINCE or len(x) > 5 and x.endswith("iest")
        for x in words[max(0, i - 5):i])) else "" for i, w in enumerate(words)]


#: Words after "since" that make it the start of a running count ("since October", "since
#: the deal took effect", "since 10 October"), beside the cue phrases ("since the truce").
_SINCE_SKIP = {"the", "early", "mid", "late", "mid-", "its", "this"}


def _since_total(words: list[str]) -> bool:
    for i, w in enumerate(words):
        if w != "since":
            continue
        k = i + 1
        while k < len(words) and words[k] in _SINCE_SKIP:
            k += 1
        if k < len(words) and (words[k] in MONTHS or words[k][:1].isdigit()
                               or any(w in TERMS for w in words[k:k + 3])):
            return True           # (also "since the U.S.-brokered ceasefire")
    return False


def _until_total(after: list[str]) -> list[str]:
    """Words after the event word up to a running total it feeds ("..., which took to
    180 the number returned since the truce"): that phrase's cues are the total's."""
    for i, w in enumerate(after[:-1]):
        if w in TOTAL_VERBS and (after[i + 1] == "to" or after[i + 1] == "the" and i + 2 <
                                 len(after) and after[i + 2] in TOTAL_NOUNS):
            return after[:i]
    return after


def _framed_total(words: list[str], s0: int, cl: tuple[int, int]) -> bool:
    """A later clause under a sentence-opening running-count frame ("Since the truce
    began, X has killed 360, while three soldiers have been killed"): the frame is the
    words before the sentence's first comma, and it speaks for every clause after it."""
    if cl[0] <= s0:
        return False
    comma = next((k for k in range(s0, cl[0]) if words[k] == ","), None)
    if comma is None or comma - s0 > 12:
        return False
    opening = words[s0:comma]
    return Modality.CUMULATIVE in _found(_not_since(opening), _CUE_INDEX) or \
        _since_total(_not_since(opening))


#: Plural units of time: "the first three weeks" of a truce is a period from its start.
PERIODS = {"days", "weeks", "months"}


def first_period(words: list[str]) -> bool:
    """"in the truce's first three weeks", "over the first ten days of the accord": a
    count over the period from the start is a running total (not "the first day"; "the
    first week / month" only of the truce, not "of November")."""
    for i, w in enumerate(words):
        if w != "first":
            continue
        if words[i + 1:i + 2] and words[i + 1] in PERIODS or \
                words[i + 2:i + 3] and words[i + 2] in PERIODS:
            return True
        if words[i + 1:i + 2] and words[i + 1] in {"week", "month"} and any(
                x in TERMS for x in words[max(0, i - 3):i] + words[i + 2:i + 5]):
            return True
    return False


def _labelled_total(words: list[str], s0: int, cl: tuple[int, int]) -> bool:
    """A clause after a sentence-opening label that names a running count ("Running
    tally since the truce: 20 hostages freed, ..."; "So far: ..."): the label speaks for
    every clause of the list after its colon."""
    colon = next((k for k in range(s0, min(cl[0], s0 + 12)) if words[k] == ":"), None)
    if colon is None or any(w in _DAY_WORDS for w in words[cl[0]:cl[1]]):
        return False          # ("Tally: 240 trucks on Monday, ...": a day's count)
    opening = _not_since(words[s0:colon])
    return Modality.CUMULATIVE in _found(opening, _CUE_INDEX) or _since_total(opening) \
        or first_period(opening)


#: Verbs of a force's growth: "has grown to 120 monitors" states its strength, a total.
GROWTH = {"grown", "grew", "grows", "grow", "swelled", "swollen", "swells"}


#: "the first group to be freed", "the last hostage to be returned": "to be" describes
#: which ones, it does not plan anything.
WHICH_ONES = {"first", "last", "only", "second", "third", "latest", "final"}
#: Nouns for what an agreement says ("the deal allows ..."): its verbs of permission in the
#: present state a cap, not an event.
TERMS = {"agreement", "deal", "accord", "truce", "ceasefire", "plan", "terms", "protocol",
         "clause", "article", "provision", "provisions", "framework", "arrangement"}
#: Words after a clause-opening "no" that make it a count, not a denial ("no fewer than").
NOT_DENIAL_AFTER_NO = {"fewer", "more", "less", "later", "sooner", "longer", "earlier",
                       "doubt", "one's", "matter"}


#: Verbs before an event's -ing form that stop it ("has stopped releasing detainees") or
#: agree to it ("approved sending 500 troops", "agreed to start handing over").
STOPPED_ING = {"stopped", "stop", "stops", "halted", "halt", "halts", "suspended", "ceased",
               "cease", "ceases", "quit", "paused"}
APPROVED_ING = {"approved", "approves", "approve", "authorised", "authorized", "authorises",
                "authorizes", "backed", "endorsed", "considering", "considers", "discussed",
                "discussing", "proposed", "proposes"}


def _no_more_of(words: list[str], i: int) -> bool:
    """"no more" / "no further" before a noun, not before "than" or a number: none at all
    ("will free no more prisoners"), not a cap ("no more than 50")."""
    return words[i + 1] == "more" and i + 2 < len(words) and words[i + 2] not in {
        "than", "then"} and not words[i + 2][:1].isdigit()


def _under_terms(words: list[str]) -> bool:
    """"under the deal", "under clause five": what follows is the terms' obligation."""
    return any(w == "under" and any(x in TERMS for x in words[i + 1:i + 4])
               for i, w in enumerate(words))


def _described(words: list[str]) -> bool:
    """The event word follows "the first/last (N) ... to be": a description."""
    return len(words) >= 2 and words[-2:] == ["to", "be"] and any(
        w in WHICH_ONES for w in words[max(0, len(words) - 6):-2])


#: Words that open a subordinate clause between a negated subject and the event word.
SUBORDINATORS = {"when", "while", "as", "because", "after", "since", "where", "until",
                 "before", "that", "who", "which", "whose", "if"}


def _denied_subject(words: list[str]) -> bool:
    """The clause opens on a negated subject: "Not a single litre of fuel has been
    allowed", "No trucks have entered", "Not one prisoner was freed" (also after "said
    that")."""
    if "that" in words and any(w in SPEECH for w in words[:words.index("that")]):
        words = words[len(words) - words[::-1].index("that"):]
    if not words or any(w in SUBORDINATORS for w in words):
        return False          # "No one was hurt when X fired": another verb's subject
    if words[0] == "not" and len(words) > 1 and words[1] in {"a", "one", "even", "any"}:
        return True
    return words[0] in {"no", "none"} and len(words) > 1 and \
        words[1] not in NOT_DENIAL_AFTER_NO


#: Words that open an indirect question: a negation before them is the speaker's ("did
#: not say who fired"), not the event's.
WH = {"who", "whether", "what", "which", "how", "why", "where"}


#: Verbs before an indirect question ("would not say who fired").
ASKING = SPEECH | {"say", "know", "knew", "known", "clear", "unclear", "unknown", "explain",
                   "specify", "disclose", "determine", "establish", "ask", "asked"}


def _after_question(before: list[str]) -> list[str]:
    """The words before the event word from an indirect question's wh-word on: "the
    Council would not say who fired": "would" and "not" are the speaker's."""
    at = max((i for i, w in enumerate(before) if w in WH and i and before[i - 1] in ASKING),
             default=None)
    return before if at is None else before[at + 1:]


def _negates(near_before: list[str]) -> bool:
    last = max((i for i, w in enumerate(near_before) if w in NEGATION), default=None)
    return last is not None and not any(w in WH for w in near_before[last + 1:])


_DAY_WORDS = set(WEEKDAYS) | {"yesterday", "today", "tonight", "overnight"}


def _without_days(words: list[str]) -> list[str]:
    """Words without the days between a cue's words ("agreed on Thursday to raise": "agreed
    to"): a date inside a cue phrase does not break it."""
    out = []
    for i, w in enumerate(words):
        if w in _DAY_WORDS or w in {"on", "late", "early"} and any(
                x in _DAY_WORDS for x in words[i + 1:i + 3]):
            continue
        out.append(w)
    return out


def _cue_words(doc: Doc, lo: int, hi: int, s0: int) -> list[str]:
    """Lower-case words from ``lo`` to ``hi``, with the month "May" (capitalised, not
    first in its sentence) blanked: "since May" is no "may"."""
    words = lowers(doc)[lo:hi]
    return [("" if w == "may" and k > s0 and doc[k].text == "May" else w)
            for k, w in enumerate(words, lo) if w not in _QUOTE_MARKS]   # ("'not aware' of")


_QUOTE_MARKS = {"'", '"', "‘", "’", "“", "”"}


#: Words that make "so far" a record's, not a total's ("the biggest day ... so far").
SUPERLATIVES = {"biggest", "largest", "highest", "most", "busiest", "best", "worst",
                "lowest", "smallest", "record", "first", "longest"}


def _one_day_total(words: list[str]) -> bool:
    """"A total of 1,043 trucks were offloaded on Sunday": one day's sum, no running total
    (where "a total of" is the only cue of one)."""
    at = next((i for i in range(len(words) - 2) if words[i:i + 3] == ["a", "total", "of"]),
              None)
    if at is None:
        return False
    rest = words[:at] + words[at + 3:]
    return Modality.CUMULATIVE not in _found(rest, _CUE_INDEX) and any(
        w in _DAY_WORDS for w in rest)


def _record_so_far(words: list[str]) -> bool:
    """"..., the biggest day of returns so far": a record to date, not a running total
    (when no other cue of a total stands outside it)."""
    at = next((i for i in range(len(words) - 1) if words[i:i + 2] == ["so", "far"]), None)
    if at is None:
        return False
    if any(w in SUPERLATIVES for w in words[max(0, at - 5):at]):
        rest = words[:max(0, at - 5)] + words[at + 2:]
        return Modality.CUMULATIVE not in _found(rest, _CUE_INDEX)
    return False


def _after_relative(before: list[str]) -> list[str]:
    """The words before the event word from the end of a relative clause on: "Of the 4,200
    trucks that should have entered during the week, only 1,384 arrived": "should" is the
    relative clause's, not "arrived"'s."""
    rel = next((i for i in range(len(before) - 1, -1, -1)
                if before[i] in {"that", "which", "who"}), None)
    if rel is None or not any(w in all_forms() for w in before[rel + 1:]):
        return before
    comma = next((i for i in range(rel + 1, len(before)) if before[i] == ","), None)
    return before if comma is None else before[comma + 1:]


#: Nouns for a report of an event that a speaker may call false, and what they call it.
CLAIM_NOUNS = {"claim", "claims", "report", "reports", "allegation", "allegations",
               "accusation", "accusations", "suggestion", "suggestions", "rumour", "rumours",
               "rumor", "rumors", "assertion", "assertions"}
FALSE_WORDS = {"false", "untrue", "baseless", "unfounded", "groundless", "fabricated",
               "lies", "incorrect", "inaccurate", "fabrication", "fake", "wrong"}


def called_false(words: list[str], start: int, s0: int, s1: int) -> bool:
    """"Claims that Israeli forces opened fire on a crowd ... were 'categorically false'":
    the event word sits in a claim's that-clause, and the claim is then called false, so
    the sentence denies the event rather than reporting it (an attack is both claimed and
    denied, as for "a charge X denied")."""
    claim = next((k for k in range(start - 1, max(s0, start - 10), -1)
                  if words[k] == "that" and words[k - 1] in CLAIM_NOUNS), None)
    if claim is None:
        return False
    for k in range(start + 1, s1 - 1):
        if words[k] in {"was", "were", "is", "are"}:
            rest = [w for w in words[k + 1:k + 5] if w not in _QUOTE_MARKS]
            return any(w in FALSE_WORDS for w in rest[:3])
    return False


#: Words before "the <attack>" that give it as the reason for what the sentence tells.
REASON_BEFORE = {"over"}     # ("after the shelling": ``after_attack``, which knows "stops")
REASON_FOR = {"retaliation", "response", "revenge", "reprisal"}


def given_as_reason(words: list[str], start: int, s0: int) -> bool:
    """"over the killing of two soldiers", "in retaliation for the killing of a soldier",
    "in response to gunfire at its troops": an attack given as a reason."""
    k = start - 1
    if k > s0 and words[k] in {"the", "a", "an"}:
        k -= 1
    return k > s0 and (words[k] in REASON_BEFORE or words[k] in {"for", "to"}
                       and words[k - 1] in REASON_FOR)


def modality_of(doc: Doc, t: Trigger, cl: tuple[int, int], s0: int,
                 quantities: list[tuple[int, int, Quantity]]) -> Modality:
    if t.group == ATTACK and t.form in {"noun", "ing"} and given_as_reason(
            lowers(doc), t.start, s0):
        return Modality.OCCURRED  # "halted aid over the killing of two soldiers": the
        # reason for what was done happened, whatever was done about it
    raw_before = _after_relative(_after_question(_cue_words(doc, cl[0], t.start, s0)))
    before = _without_days(_not_since(_outside_parentheticals(raw_before)))
    if _described(raw_before):
        before = before[:-2]      # "the first group to be freed": which, not a plan
    yardstick = yardstick_at(doc, t.end, cl[1], cl)
    after = _until_total(_not_since(_cue_words(doc, t.end, yardstick or cl[1], s0)))
    near_before = [w.lower_ for w in doc[max(cl[0], t.start - 4):t.start]]
    found = _found(before, _CUE_INDEX)
    # Cues that follow a noun or a passive ("another transfer is expected", "are due").
    reach = after if t.form == "noun" else after[:6]
    found |= _found(reach, _CUE_INDEX, _AFTER_SKIP) & {Modality.EXPECTED, Modality.PLANNED}
    negated = _negates(near_before) or _has(near_before, "has yet") \
        or any(w in {"no", "none"} and not (i + 1 < len(after) and after[i + 1] in
                                            NOT_DENIAL_AFTER_NO
                                            and not _no_more_of(after, i))
               for i, w in enumerate(after[:2]))   # (not "permit no more than 50"; but
    # "will hand over no more bodies": a refusal)
    if negated or Modality.DENIED in found or t.form == "noun" and _stopped(after) or \
            t.form != "noun" and _denied_subject(raw_before) or \
            t.form == "ing" and near_before[-1:] and near_before[-1] in STOPPED_ING or \
            t.group != ATTACK and called_false(lowers(doc), t.start, s0, doc[t.start].sent.end):
        return Modality.DENIED    # (also "has stopped releasing detainees")
    words = lowers(doc)
    if words[s0:s0 + 2] in (["for", "each"], ["for", "every"]) and "," in words[s0:t.start]:
        return Modality.PLANNED   # "For each hostage returned, Israel has been releasing
        # the remains of 15 Palestinians": the exchange's formula
    if t.group == "enter" and t.form == "past" and near_before[-2:] == ["should", "have"]:
        return Modality.PERMITTED   # "the 4,200 trucks that should have entered": what
        # was due, a yardstick for what came
    if lowers(doc)[t.start] == "standby":
        return Modality.PLANNED   # "20,000 troops on standby": ready to go, not gone
    if t.form == "ing" and near_before[-1:] and near_before[-1] in APPROVED_ING:
        return Modality.PLANNED   # "parliament approved sending up to 500 troops"
    if not found & {Modality.HOPED, Modality.DEMANDED} and any(
            near_before[i] == "to" and near_before[i + 1] in {"keep", "stay", "remain"}
            for i in range(len(near_before) - 1)):
        return Modality.PLANNED   # "Israel to keep Rafah shut until ...": what it means to do
    infinitive = t.form == "base" and t.start > cl[0] and lowers(doc)[t.start - 1] == "to"
    word = lowers(doc)[t.start]
    if word in {"allows", "permits"} and any(w in TERMS for w in before):
        return Modality.PERMITTED     # "the agreement allows up to 600 trucks a day"
    if Modality.DEMANDED in found and Modality.HOPED not in found and any(
            w in {"must", "shall"} for w in before) and _under_terms(before) and not \
            _found([w for w in before if w not in {"must", "shall"}], _CUE_INDEX) & {
                Modality.DEMANDED}:
        # "under the deal, Israel must free ...": an obligation the terms set
        if word in {"permitted", "allowed"}:
            return Modality.PERMITTED
        return Modality.PLANNED
    for m in (Modality.HOPED, Modality.DEMANDED):
        if m in found:
            return m
    if word in {"permitted", "allowed"} and t.form == "past" and any(
            doc[k].like_num and lowers(doc)[k - 1] == "the"
            for k in range(max(cl[0] + 1, t.start - 5), t.start)):
        return Modality.PERMITTED     # "far fewer than the 50 (a day) allowed"
    if word in {"permitted", "allowed"} and near_before and near_before[-1] in {
            "be", "are", "is"} or word in CAP_VERBS:
        return Modality.PERMITTED
    for m in (Modality.EXPECTED, Modality.PLANNED):
        if m in found:
            return m
    if infinitive or (t.form == "base" and near_before and near_before[-1] in {
            "will", "would", "could", "should", "may", "might", "must", "shall", "can"}):
        return Modality.PLANNED
    if before[:2] in (["of", "which"], ["of", "whom"]) and any(
            w in {"has", "have"} for w in before):
        return Modality.CUMULATIVE   # ", of which 84 have been identified": so far
    if any(_has(before[-4:], f"{have} {now}") for have in ("has", "have")
           for now in ("now", "already")) and t.group not in {"open", "close"}:
        return Modality.CUMULATIVE   # "25 of the 28 have now been brought back", "Hamas
        # has already released 20 living hostages": so far
    if before[-2:] in (["are", "now"], ["is", "now"]) and t.group == "deploy" and \
            t.form == "past":
        return Modality.CUMULATIVE   # "96 observers are now deployed": the strength
    if (Modality.CUMULATIVE in found or Modality.CUMULATIVE in _found(
            after, _CUE_INDEX, frozenset({"overall"}))) and not _record_so_far(
            before + after) and not _one_day_total(before + after):
        return Modality.CUMULATIVE
    if any(w in {"has", "have", "had"} for w in before[-3:]) and any(
            before[i] in TOTAL_NOUNS and before[i + 1] == "of"
            for i in range(max(0, len(before) - 9), len(before) - 1)):
        return Modality.CUMULATIVE   # "the number of bodies it has received": a total
    perfect = any(w in {"has", "have"} for w in before[-5:])
    if perfect and (_since_total(before + after) or _framed_total(lowers(doc), s0, cl)):
        return Modality.CUMULATIVE   # "since October, 12,000 trucks have crossed"
    if first_period(_without_days(_cue_words(doc, s0, cl[1], s0))) or \
            _labelled_total(lowers(doc), s0, cl):
        return Modality.CUMULATIVE   # "in the first three weeks, 4,200 trucks entered";
        # "Running tally since the truce: 20 hostages freed, ..."
    if word in GROWTH and after[:1] == ["to"]:
        return Modality.CUMULATIVE   # "the force has grown to 120 monitors": its strength
    if any(w in FRACTIONS and i + 1 < len(before) and before[i + 1] == "of"
           and not any(x[:1].isdigit() for x in before[i:])
           for i, w in enumerate(before)) and not _found(before + after, _RATE_INDEX):
        return Modality.CUMULATIVE   # "only a third of them have been identified"
    return Modality.OCCURRED


def theme_modality(doc: Doc, trigger_modality: Modality, q: Quantity | None, qpos: int,
                    qend: int, cl: tuple[int, int], t: Trigger) -> Modality:
    """A rate with a ceiling or a permission makes a count a cap ("up to 600 trucks a day
    permitted", "a maximum of 50 a day"), whatever the tense; a plain count is not."""
    if q is None or trigger_modality in {Modality.DENIED, Modality.HOPED, Modality.DEMANDED}:
        return trigger_modality
    words = lowers(doc)
    if set_by_terms(words, qpos, qend, cl):
        return Modality.PERMITTED     # "short of the 50 (a day) stipulated in the deal"
    # the count's neighbourhood, and the words just before the event word ("caps fuel
    # deliveries at 50 tankers a day")
    lo, hi = max(cl[0], min(qpos, t.start) - 2), max(qend, t.end) + 3
    if hi - 3 < cl[1] and lowers(doc)[hi - 3] == "of":
        hi += 2               # "50 tankers of fuel a day"
    hi = min(cl[1], hi)
    window = lowers(doc)[lo:hi]
    rate = bool(_found(window, _RATE_INDEX))
    if not rate:
        return trigger_modality
    clause = [w.lower_ for w in doc[cl[0]:cl[1]]]
    if trigger_modality == Modality.EXPECTED and not any(
            w in PERMISSION or w in {"may", "can"} for w in clause):
        return trigger_modality   # "up to 60 trucks a day could pass, engineers estimated"
    if q.cap or any(w in PERMISSION for w in window) or (
            trigger_modality != Modality.OCCURRED and any(w in PERMISSION for w in clause)) \
            or _raised_to(words, qpos, cl):
        return Modality.PERMITTED
    return trigger_modality


def set_by_terms(words: list[str], qpos: int, qend: int, cl: tuple[int, int]) -> bool:
    """"the 50 (a day) stipulated / set out in the deal", "the 600 a day the agreement
    requires": a number the terms set."""
    if not (qpos > cl[0] and words[qpos - 1] == "the"):
        return False
    # a figure read past its event's clause ("..., still short of the 160 set out in the
    # accord") is judged by the words after it, up to the sentence's end
    hi = cl[1] if qend < cl[1] else next(
        (i for i in range(qend, min(len(words), qend + 7)) if words[i] in {".", ";"}),
        len(words))
    window = words[qend:min(hi, qend + 7)]
    return any(w in TERMS_PARTICIPLES or w in TERMS and window[i + 1:i + 2] and
               window[i + 1] in TERMS_VERBS for i, w in enumerate(window))


def yardstick_at(doc: Doc, lo: int, hi: int, cl: tuple[int, int]) -> int | None:
    """Where a figure the terms set opens a phrase between ``lo`` and ``hi`` ("..., against
    the 600 a day the agreement requires"): its verb speaks for that figure, not for the
    event it is compared with."""
    words = lowers(doc)
    for k in range(lo, hi - 1):
        if words[k] == "the" and doc[k + 1].like_num and set_by_terms(words, k + 1, k + 2,
                                                                     cl):
            return k
    return None


#: Participles by which the terms set a number ("the 50 stipulated in the deal").
TERMS_PARTICIPLES = {"stipulated", "agreed", "allowed", "permitted", "promised", "pledged",
                     "required", "envisaged", "envisioned", "mandated", "specified", "set",
                     "foreseen", "outlined", "guaranteed", "authorised", "authorized"}
#: Verbs by which the terms set a number in a relative clause ("the 600 a day the
#: agreement requires").
TERMS_VERBS = {"requires", "required", "stipulates", "allows", "permits", "envisages",
               "envisaged", "envisions", "envisioned", "mandates", "specifies", "sets",
               "promises", "promised", "foresees", "demands", "guarantees", "outlines",
               "calls"}
#: Verbs that change a number to a new value ("raise the number of tankers to 30 a day").
CHANGE_VERBS = {f"{b}{e}" for b in ("rais", "increas", "doubl", "reduc", "halv", "lower")
                for e in ("e", "es", "ed", "ing")} | {
    "lift", "lifts", "lifted", "lifting", "boost", "boosts", "boosted", "boosting",
    "cut", "cuts", "cutting", "bump", "bumps", "bumped", "bumping", "expand", "expands",
    "expanded", "expanding"}
#: Nouns for an allowance a change verb sets ("raise the quota to", "the number of X to").
ALLOWANCE_NOUNS = {"number", "cap", "limit", "quota", "ceiling", "allowance", "maximum",
                   "target", "threshold"}


def _raised_to(words: list[str], qpos: int, cl: tuple[int, int]) -> bool:
    """"agreed to raise the number of fuel tankers entering Gaza to 30 a day": a rate set
    by changing an allowance is a permission, not a count of what passed."""
    if qpos - 1 <= cl[0] or words[qpos - 1] != "to":
        return False
    span = words[max(cl[0], qpos - 12):qpos - 1]
    verb = next((i for i, w in enumerate(span) if w in CHANGE_VERBS), None)
    return verb is not None and any(w in ALLOWANCE_NOUNS for w in span[verb + 1:verb + 4])


_DONE_INDEX = _index({p: Modality.OCCURRED for p in DONE_AFTER})
_NOT_DONE_INDEX = _index({p: Modality.DENIED for p in NOT_DONE_AFTER})
_MODALS = {"will", "would", "to", "could", "may", "might", "should", "must", "'ll", "shall",
           "can"}


def _stopped(after: list[str]) -> bool:
    """"aid deliveries (have been) halted", "the release of 90 prisoners was postponed":
    a noun event said to be stopped (right after it, or past its "of ..." phrase by a
    passive)."""
    stop = next((i for i, w in enumerate(after[:12]) if (
        w in STOPPED_AFTER or (w, after[i + 1] if i + 1 < len(after) else "") in _PUT_OFF)
        and (i < 4 or after[i - 1] in _PASSIVE_BE)), None)
    return stop is not None and not any(w in NEGATION for w in after[:stop])


#: Participles that, after a comma, say the main clause finished a noun event.
COMPLETING = {"completing", "finishing", "concluding", "wrapping"}


def completed_at(words: list[str], start: int, s0: int) -> int | None:
    """Where ", completing" stands before the noun event at ``start`` ("the last column
    rolled out, completing the withdrawal"): the main clause's subject did it."""
    return next((j for j in range(start - 1, max(s0, start - 4), -1)
                 if words[j] in COMPLETING and words[j - 1] == ","), None)


_PASSIVE_BE = {"was", "were", "been", "is", "are", "be"}
#: Phrasal verbs of putting an event off ("the handover ... has been put off").
_PUT_OFF = {("put", "off"), ("called", "off"), ("pushed", "back")}


def noun_claim(doc: Doc, t: Trigger, cl: tuple[int, int]) -> Modality | None:
    """Whether a sentence claims that a noun event happened ("the release of 250
    prisoners took place on Monday", "facilitated the return of 45 bodies"): occurred,
    denied ("the handover did not take place"), or None when it only mentions it."""
    words = lowers(doc)
    k = t.start
    if k - 2 > cl[0] and words[k - 1] == "the" and words[k - 2] == ",":
        # "facilitated, in two separate operations, the return of ...": past the aside
        k = next((i for i in range(k - 3, max(cl[0], k - 12) - 1, -1) if words[i] == ","), k)
    before = words[max(cl[0], k - 3):k] + (words[k:t.start] if k == t.start else [])
    if any(w in DONE_BEFORE or w in OBSERVE for w in before):
        return Modality.OCCURRED  # ("the UN recorded the entry of 2,140 trucks")
    s0 = doc[t.start].sent.start
    done = completed_at(words, t.start, s0)
    if done is not None and not any(w in _MODALS for w in words[s0:done]):
        return Modality.OCCURRED  # "the last column rolled out, completing the withdrawal"
    after = lowers(doc)[t.end:cl[1]]
    if any(w in PUT_AT for w in before) and "at" in after[:3]:
        return Modality.OCCURRED  # "the office put Tuesday's entries at 187 trucks"
    if after[:1] and after[0] in REACHED and any(
            doc[k].like_num for k in range(t.end + 1, min(cl[1], t.end + 4))):
        return Modality.OCCURRED  # "aid entries hit 900 trucks on Sunday"
    words = lowers(doc)
    for k in range(t.end, min(cl[1], t.end + 10)):
        if doc[k].like_num and level_verb_before(words, k, t.end) is not None:
            return Modality.OCCURRED   # "water deliveries through X fell to 52"
    if _stopped(after):
        return Modality.DENIED    # "aid deliveries (were) halted"
    for i, w in enumerate(after):
        for index in (_NOT_DONE_INDEX, _DONE_INDEX):
            for phrase, m in index.get(w, ()):
                if tuple(after[i:i + len(phrase)]) != phrase:
                    continue
                prev = after[max(0, i - 2):i]
                negated = any(p in NEGATION for p in prev)
                if m == Modality.DENIED and negated:
                    return Modality.DENIED
                if m == Modality.OCCURRED and not negated and not (
                        prev and prev[-1] in _MODALS):
                    return Modality.OCCURRED
    if _dated_in_the_past(lowers(doc), t, after):
        return Modality.OCCURRED  # "Monday's handover of four bodies went smoothly"
    return None


#: Verbs by which a noun event reaches a figure ("entries topped 900 trucks").
REACHED = {"hit", "hits", "top", "tops", "topped", "reached", "reach", "reaches",
           "exceeded", "exceeds", "surpassed", "surpasses", "passed"}
#: Verbs that give a figure for a noun event ("put Tuesday's entries at 187 trucks").
PUT_AT = {"put", "puts", "placed", "places", "pegged", "pegs", "estimated", "estimates"}
#: Past-tense predicates that report on a dated noun event ("Monday's handover ... went
#: smoothly", "the entry of 600 trucks on Sunday marked ...").
PAST_PREDICATES = {"was", "were", "went", "marked", "drew", "came", "passed", "brought",
                   "saw", "made", "followed", "ended", "left", "raised", "lifted", "pushed",
                   "took", "brings", "marks", "takes", "leaves"}   # (present: "Sunday's
# return ... brings to 24 the number ...": a report of that past day's event)
#: Words that date an event in the past ("on Monday", "yesterday", "overnight").
PAST_DATES = set(WEEKDAYS) | {"yesterday", "overnight", "last"}


def _dated_in_the_past(words: list[str], t: Trigger, after: list[str]) -> bool:
    """A noun event dated by a day ("Monday's handover", "the release ... on Sunday")
    and told with a past-tense predicate: a report that it happened."""
    dated = t.start >= 2 and words[t.start - 1] in {"'s", "’s"} and \
        words[t.start - 2] in PAST_DATES or any(
            w == "on" and i + 1 < len(after) and after[i + 1] in PAST_DATES
            or w in {"yesterday", "overnight"} for i, w in enumerate(after[:8]))
    if not dated:
        return False
    verb = next((i for i, w in enumerate(after[:14]) if w in PAST_PREDICATES), None)
    return verb is not None and not any(w in _MODALS or w in NEGATION
                                        for w in after[max(0, verb - 2):verb])
