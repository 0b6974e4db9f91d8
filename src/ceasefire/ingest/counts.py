"""How a count relates to what it counts and to other counts in its sentence.

A count is rarely alone: it may be compared with another ("down from 1,400"), be a share
of a whole ("145 of the 600"), the figure a running total reached ("brought to 300"), an
average, the second group of an exchange ("50 detainees for 10 soldiers"), or leave its
noun out ("... and 95 at Zikim", "all 60 it captured", "the rest"). These helpers read
lower-case words (``lexicon.lowers``) and the mentions of :mod:`.marks`; the grammar decides
what to do with their answers.
"""

from __future__ import annotations

from spacy.tokens import Doc

from . import dates
from .english import TOTAL_NOUNS, TOTAL_VERBS, all_forms, level_verb_before
from .lexicon import UNIT_WORDS, Lexicon, lowers
from .marks import Mention, Trigger
from .modality import TERMS
from .model import QuantityPrecision
from .numbers import Quantity

#: Words that make a count an average ("an average of 600 a day", "averaging 500").
AVERAGE = {"average", "averaging", "averaged", "averages", "mean"}


def is_average(words: list[str], q: tuple[int, int, Quantity], cl: tuple[int, int]) -> bool:
    """A count that is an average ("an average of about 600 a day", "averaging 500 a
    week", "500 a week on average"): a rate of what happened, not a running total, even
    in a sentence counting "since the truce"."""
    before = words[max(cl[0], q[0] - 3):q[0]]
    after = words[q[1]:min(cl[1], q[1] + 6)]
    return any(w in AVERAGE for w in before) or any(
        a == "on" and b == "average" for a, b in zip(after, after[1:], strict=False))


def share_so_far(doc: Doc, q: tuple[int, int, Quantity], t: Trigger,
                  cl: tuple[int, int]) -> bool:
    """A count that is a share of a whole ("64 of the 120 observers"), with a perfect
    ("has deployed", "have been returned"): how many so far."""
    words = lowers(doc)
    share = q[1] + 2 < cl[1] and words[q[1]] == "of" and words[q[1] + 1] in {
        "the", "its", "their"} and doc[q[1] + 2].like_num
    perfect = any(w in {"has", "have"} for w in words[max(cl[0], t.start - 3):t.start])
    return share and perfect


#: Nouns for people that no category of an agreement may name ("1,700 people detained").
PEOPLE = {"people", "persons", "civilians", "detainees", "prisoners", "captives", "men",
          "women", "minors", "individuals", "inmates"}


PEOPLE_UNIT = "people"


#: Words before a second count that compare it with the first: the word before the count
#: and the word before that ("down from", "closer to", "than the", "an average of").
COMPARISONS = {("down", "from"), ("up", "from"), ("compared", "with"), ("compared", "to"),
               ("closer", "to"), ("nearer", "to"), ("average", "of"), ("short", "of"),
               ("than", ""), ("below", ""), ("above", ""), ("against", ""),
               ("half", ""), ("third", ""), ("quarter", "")}


#: A count named as part of the one before ("300 to date, including 45 on Monday").
PART = "part"
#: Words that date a part to a day of its own.
DAY_WORDS = set(dates.WEEKDAYS) | {"yesterday", "overnight", "today"}


def dated_after(words: list[str], q: tuple[int, int, Quantity] | None,
                cl: tuple[int, int]) -> bool:
    """A day named right after a count ("45 on Monday", "12 overnight")."""
    if q is None:
        return False
    after = words[q[1]:min(cl[1], q[1] + 4)]
    return any(w in DAY_WORDS for w in after)


#: A count that is the whole another is a part of ("145 of the 600 a day envisaged").
WHOLE = "whole"


def is_part(words: list[str], q: tuple[int, int, Quantity], doc: Doc) -> bool:
    """A count followed by "of the N": a part of a counted whole ("145 of the 600")."""
    e = q[1]
    return e + 2 < len(words) and words[e] == "of" and words[e + 1] in {
        "the", "its", "their"} and doc[e + 2].like_num


#: Fractions of a whole a text may count by ("half of the 20 hostages").
SHARES = {"half": (1, 2), "third": (1, 3), "quarter": (1, 4), "two-thirds": (2, 3),
          "three-quarters": (3, 4)}


def share_of(words: list[str], q: tuple[int, int, Quantity], s0: int) -> Quantity | None:
    """The part a fraction of a counted whole names ("half of the 20 hostages": 10; "more
    than half of the 60": at least 30); None where the count is no such whole, or is a
    rate ("a fraction of the 600 a day promised" names the cap itself)."""
    qs, qe, whole = q
    if qs - 3 < s0 or words[qs - 1] != "the" or words[qs - 2] != "of" or any(
            w in {"a", "per", "daily", "each", "every", "weekly"} for w in words[qe:qe + 4]):
        return None
    frac = SHARES.get(words[qs - 3])
    if frac is None:
        return None
    lead_words = words[max(s0, qs - 7):qs - 3]
    if lead_words and lead_words[-1] in {"a", "an"}:
        lead_words = lead_words[:-1]      # "about a third of"
    lead = " ".join(lead_words)
    if lead.endswith(("more than", "over", "at least")):
        precision = QuantityPrecision.AT_LEAST
    elif lead.endswith(("less than", "fewer than", "under", "at most")):
        precision = QuantityPrecision.AT_MOST
    elif whole.precision != QuantityPrecision.EXACT or whole.value * frac[0] % frac[1] or \
            lead.endswith(("about", "around", "roughly", "nearly", "almost")):
        precision = QuantityPrecision.APPROXIMATE
    else:
        precision = QuantityPrecision.EXACT
    return Quantity(round(whole.value * frac[0] / frac[1]), precision)


#: Words that may not stand between a count and the category it counts ("2,000
#: Palestinians as hostages return": the hostages are not counted).
NOT_BETWEEN = {"and", "or", "to", "as", "in", "from", "for", "with", "while", "at", "on",
               "by", "than", "after", "before", "when"}


#: Comparisons that make the second count approximate.
APPROX_CUES = {"closer to", "nearer to"}


def comparison(words: list[str], qs: int, s0: int) -> str | None:
    """The comparison a bare count follows ("down from about 1,400", "short of the 50"),
    if any."""
    k = qs - 1
    if k > s0 and words[k] == "the":
        k -= 1                # "than the 600", "short of the 50"
    w1 = words[k] if k >= s0 else ""
    w2 = words[k - 1] if k - 1 >= s0 else ""
    for a, b in COMPARISONS:
        if (b and (w2, w1) == (a, b)) or (not b and w1 == a):
            return f"{a} {b}".strip()
    return None


#: A bare count that is the agreement's limit, cited beside a count of the same ("well
#: within the 600 a day the truce allows", "short of the daily floor of 150"): a cap or a
#: floor, permitted.
LIMIT = "limit"
LIMIT_NOUNS = {"cap": QuantityPrecision.AT_MOST, "ceiling": QuantityPrecision.AT_MOST,
               "limit": QuantityPrecision.AT_MOST, "maximum": QuantityPrecision.AT_MOST,
               "floor": QuantityPrecision.AT_LEAST, "minimum": QuantityPrecision.AT_LEAST}
#: What grants a cap, after it: "the 600 a day the agreement allows".
LIMIT_VERBS = {"allows", "allowed", "permits", "permitted", "authorises", "authorizes",
               "authorised", "authorized"}
#: What sets a figure the terms call for, after it ("the 50 a day the deal provides for",
#: "the 80 the truce requires"): a floor where it is required, else the figure itself.
TARGET_VERBS = {"provides": QuantityPrecision.EXACT, "provided": QuantityPrecision.EXACT,
                "envisages": QuantityPrecision.EXACT, "envisaged": QuantityPrecision.EXACT,
                "stipulates": QuantityPrecision.EXACT, "stipulated": QuantityPrecision.EXACT,
                "sets": QuantityPrecision.EXACT, "promises": QuantityPrecision.AT_LEAST,
                "promised": QuantityPrecision.AT_LEAST, "requires": QuantityPrecision.AT_LEAST,
                "required": QuantityPrecision.AT_LEAST, "guarantees": QuantityPrecision.AT_LEAST,
                "guaranteed": QuantityPrecision.AT_LEAST, "calls": QuantityPrecision.EXACT,
                "called": QuantityPrecision.EXACT}
_RATE_WORDS = {"a", "per", "each", "day", "week", "daily", "weekly", "every"}
#: Words that may qualify a limit between its article and its noun ("the current limit of
#: 30", "the agreed daily minimum of 80").
_LIMIT_QUALIFIERS = {"current", "existing", "agreed", "present", "official", "previous",
                     "old", "new", "set", "stated", "required"}


def limit_of(words: list[str], qs: int, qe: int, s0: int, s1: int
             ) -> QuantityPrecision | None:
    """Whether a bare count is a limit the agreement sets, told beside a count: "the
    (daily) cap / floor of N", or "the N (a day) the deal allows"; its precision."""
    k = qs - 1
    verb = k - 1 if k - 1 > s0 and words[k] == "for" and words[k - 1] in {
        "calls", "called", "provides", "provided"} else k
    if verb > s0 and words[verb] in TARGET_VERBS and any(
            w in TERMS for w in words[max(s0, verb - 3):verb]):
        # "though the protocol calls for 150 by the end of the year": the terms' figure
        return TARGET_VERBS[words[verb]]
    if k > s0 and words[k] == "of":
        j = k - 2
        while j > s0 and words[j] in _RATE_WORDS | _LIMIT_QUALIFIERS:
            j -= 1              # "the daily floor of 150", "the current limit of 30"
        if words[k - 1] in LIMIT_NOUNS and words[j] in {"the", "its", "their"}:
            return LIMIT_NOUNS[words[k - 1]]
        return None
    if k < s0 or words[k] != "the":
        return None
    j = qe
    while j < s1 and words[j] in _RATE_WORDS | {"-"}:
        j += 1                  # "the 600 a day the truce allows"
    if j < s1 and j > qe and words[j] in LIMIT_NOUNS:
        return LIMIT_NOUNS[words[j]]   # "the 600-a-day floor", "the 50 a day cap"
    for i in range(j, min(j + 5, s1)):
        if words[i] in LIMIT_VERBS:
            return QuantityPrecision.AT_MOST
        if words[i] in TARGET_VERBS and any(w in TERMS for w in words[j:i]):
            return TARGET_VERBS[words[i]]   # ("the 50 a day the deal provides for")
        if i == j and words[i] in TARGET_VERBS and any(
                w in TERMS for w in words[i + 1:min(s1, i + 6)]):
            return TARGET_VERBS[words[i]]   # ("the 50 a day promised in January's deal")
        if words[i] in {",", ".", ";", "and", "but"}:
            break
    return None


def counted_before(doc: Doc, cats: list[Mention], used: set[int], qs: int, s0: int,
                    before: str) -> Mention | None:
    """What a bare count counts when it follows "among" ("the bodies ... were among 30
    handed over") or "reach"/"to"/"at" after "the number of X" ("the number of trucks
    entering ... to reach some 100 a day"), or a level the subject's count came to ("aid
    deliveries fell to 86", "trucks crossing at Amrah Wells ... numbered 233"): the
    category the subject names (goods, "aid", only when nothing else is named)."""
    words = lowers(doc)
    verb = level_verb_before(words, qs, s0)
    if verb is not None:
        named = [c for c in cats if s0 <= c.start < verb and c.start not in used]
        subject = [c for c in named if c.unit != GOODS_UNIT] or named
        if subject:
            return subject[-1]
    for c in sorted((c for c in cats if s0 <= c.start < qs and c.start not in used
                     and c.unit != GOODS_UNIT), key=lambda c: -c.start):
        if before == "among":
            return c
        k = c.start - 1
        while k > s0 and k > c.start - 4 and words[k] != "of":
            k -= 1
        if words[k] == "of" and k > s0 and words[k - 1] in {"number", "count", "total"}:
            return c
    return None


#: Prepositions after a bare second count that show it shares the first's noun
#: ("3,950 trucks at Kerem Shalom and 1,220 at Kissufim").
GAP_AFTER = {"at", "through", "via", "into", "to", "from", "in", "on", "by", ",", ".",
             ";", "the", "last", "this", "yesterday", "today", "overnight"}


#: A theme traded for another in an exchange ("50 detainees for 10 soldiers"): moved the
#: other way, by the party the agreement says owes it.
TRADED = "traded"


#: Words for an exchange of one group for another.
TRADES = {"exchange", "exchanged", "exchanging", "exchanges", "swap", "swapped", "swapping",
          "swaps", "trade", "traded", "trading"}


def is_traded(words: list[str], qs: int, s0: int) -> bool:
    """A count after "for" in an exchange of one group for another ("the swap of 50
    detainees for 10 soldiers", "exchanged 90 prisoners for three hostages"): both move;
    but "released 15 bodies in exchange for one hostage" names only what was paid for."""
    if qs - 2 < s0 or words[qs - 2] in {"exchange", "return"} or \
            words[qs - 2] == "the" and qs - 3 >= s0 and words[qs - 3] in {"exchange",
                                                                        "return"}:
        return False
    return any(w in TRADES for w in words[max(s0, qs - 10):qs - 1])


def partitive_opening(words: list[str], s0: int, s1: int) -> tuple[int, int] | None:
    """A sentence opening "Of the N X (...)," with no event word in it: (where N starts,
    where the comma is). The N is the whole, and the first bare count after the comma is
    the part the event is about."""
    if words[s0:s0 + 2] != ["of", "the"] or s0 + 2 >= s1:
        return None
    comma = next((k for k in range(s0 + 3, min(s1, s0 + 14)) if words[k] == ","), None)
    if comma is None or any(w in all_forms() for w in words[s0:comma]):
        return None           # "Of the 1,968 released, 250 were lifers": the release's
    return s0 + 2, comma


def gapped(words: list[str], qs: int, qe: int, s0: int, s1: int) -> bool:
    """A bare count after "and"/"while"/a comma, followed by a preposition or the end
    of the clause: the first count's noun is left out ("... and 1,220 at Kissufim")."""
    if qs - 2 > s0 and words[qs - 1] in {"another", "further", "additional"}:
        qs -= 1               # "... and another 150 through Kissufim"
        if words[qs - 1] in {"a", "an"}:
            qs -= 1           # "... and a further 150"
    return qs - 1 > s0 and words[qs - 1] in {"and", ",", "while", "plus", "including"} and (
        qe >= s1 or words[qe] in GAP_AFTER or qe + 1 < s1 and words[qe] in {"a", "per"}
        and words[qe + 1] in {"day", "week", "month"}) and not (
            qe + 1 < s1 and words[qe] == "of" and words[qe + 1] in ANAPHORS)


#: Words after a bare count that show its noun was left out ("all 60 it captured",
#: "the 20 that remain"): a pronoun, a relative or an auxiliary.
ELIDED_AFTER = {"it", "they", "he", "she", "we", "that", "who", "which", "have", "has",
                "had", "were", "are", "was", "is", "will", "would", "remaining", "still"}


def elided_antecedent(words: list[str], cats: list[Mention], qs: int, qe: int, s0: int,
            s1: int) -> Mention | None:
    """"all 60 it captured", "the 20 who remain": a count whose noun is the nearest
    category named before it in the sentence."""
    if qs - 1 < s0 or words[qs - 1] not in {"all", "the", "remaining"} or qe >= s1 or \
            words[qe] not in ELIDED_AFTER:
        return None
    return next((c for c in sorted(cats, key=lambda c: -c.start)
                 if c.end <= qs and c.unit != GOODS_UNIT and len(c.ids) == 1), None)


#: Nouns for what is left of a group named before ("will release the rest").
REST = {"rest", "remainder", "remaining"}


def with_the_rest(words: list[str], cats: list[Mention], s0: int,
                   s1: int) -> list[Mention]:
    """"freed 310 of the 400 Front prisoners and will release the rest": "the rest" is
    more of the category named before it, with no count (a named category only: "the
    bodies ... the rest" may be anyone's)."""
    extra = []
    for k in range(s0 + 1, s1):
        if words[k] in REST and words[k - 1] == "the" and (k + 1 >= s1 or words[k + 1] in {
                ",", ".", ";", "once", "when", "by", "later", "on", "in", "after", "within",
                "soon", "next", "as", "if", "and"}):
            before = [c for c in cats if c.end <= k and c.unit is None]
            if before:
                extra.append(Mention(k, k + 1, before[-1].ids, before[-1].unit))
    return sorted(cats + extra, key=lambda c: c.start) if extra else cats


#: Pronouns after "N of" that make the count a share of something named before ("89 of
#: them").
#: Words that set a count apart from what the clause says ("except for the four
#: hostages who ...", "excluding 12 held in Lisk"): that count is no event of its own.
EXCEPTING = {"except", "excluding", "excepting", "bar", "barring"}


def excepted(words: list[str], qs: int, s0: int) -> bool:
    """Whether the count at ``qs`` is an exception ("except for the four", "other than
    the 12", "apart from 30")."""
    k = qs - 1
    if k >= s0 and words[k] in {"the", "all", "those"}:
        k -= 1
    if k < s0:
        return False
    if words[k] in EXCEPTING:
        return True
    return k - 1 >= s0 and (words[k - 1], words[k]) in {
        ("except", "for"), ("apart", "from"), ("other", "than"), ("aside", "from")}


ANAPHORS = {"them", "those", "these", "which", "whom"}


def running_total(words: list[str], qs: int, qe: int, s0: int, s1: int) -> bool:
    """A count that a running total has reached ("brought to 300 the number of remains
    returned", "raising the total to 34"): the total, not another event; a rate after it
    ("to 30 a day") is a new allowance instead."""
    if qs - 2 < s0 or words[qs - 1] != "to":
        return False
    if any(w in {"a", "per", "each", "every", "daily", "weekly"}
           for w in words[qe:min(s1, qe + 3)]):
        return False
    if words[qs - 2] in TOTAL_VERBS:
        return True           # "brought to 300 the number ..."
    span = words[max(s0, qs - 8):qs - 1]
    verb = next((i for i, w in enumerate(span) if w in TOTAL_VERBS), None)
    return verb is not None and any(w in TOTAL_NOUNS for w in span[verb + 1:verb + 4])


#: "600 per day": a count at a rate (whereas "15 per hostage" is a ratio's term).
RATE_UNITS = {"day", "week", "month", "hour"}


#: The unit of a goods noun's mention ("not a single tent"): what trucks carry.
GOODS_UNIT = "goods"


#: The unit of a force noun's mention ("20,000 troops"): a deployment, with no category.
FORCE = "force"


def unit_type(lex: Lexicon, m: Mention | None) -> str | None:
    """A unit word's entry type where every category it may be has the same one
    ("4,200 truckloads collected": aid or fuel, a flow either way)."""
    if m is None or m.unit is None or m.unit == FORCE:
        return None
    types = {lex.category_type.get(c) for c in m.ids}
    return types.pop() if len(types) == 1 else None


def is_basis(words: list[str]) -> bool:
    """Words between an event word and a count that make the count what the event was
    traded for ("released 15 bodies in exchange for one hostage"), not what it moved."""
    return any(w in {"exchange", "return"} and i + 1 < len(words) and words[i + 1] == "for"
               for i, w in enumerate(words))


#: Words that count one of what follows ("a hostage", "the body of a hostage").
ONE = {"a", "an", "one", "single", "another"}


#: Before "a X", words that make it a description, not a count ("was not a hostage").
NOT_ONE_AFTER = {"not", "no", "as", "is", "was", "were", "are", "be", "been", "being",
                 "than", "like", "such", "nor"}


BODY_WORDS = frozenset(UNIT_WORDS["body"]) | {"corpse", "casket", "caskets"}
#: Words by which a container names what it holds ("coffins containing the remains of").
CONTAINING = {"containing", "holding", "carrying", "bearing", "with"}


def count_of_one(doc: Doc, c: Mention, s0: int) -> tuple[int, int, Quantity] | None:
    """A count of one for a named category written with "a"/"an": "a hostage", "a
    prisoner", "the remains of a hostage", "a hostage's body" (a unit word alone, "a
    body", is left to the reader: it is often "a body of ..." something else)."""
    if c.unit is not None:
        return None
    words = lowers(doc)
    if c.start - 1 >= s0 and words[c.start - 1] in ONE:
        if c.start - 2 >= s0 and words[c.start - 2] in NOT_ONE_AFTER:
            return None
        if c.start - 3 >= s0 and words[c.start - 2] == "of" and \
                words[c.start - 3] in {"those", "that", "one"}:
            return None           # "were not those of a hostage": whose, not how many
        if any(w in {"not", "no"} for w in words[max(s0, c.start - 3):c.start - 1]):
            return None           # "not a single prisoner": none
        return (c.start - 1, c.start, Quantity(1, QuantityPrecision.EXACT))
    if c.start - 1 >= s0 and words[c.start - 1] in {"last", "final"} and \
            not words[c.end - 1].endswith("s") and words[c.end - 1] not in {"dead"} and \
            words[max(s0, c.start - 3):c.start - 1] != [",", "the"] and \
            not (c.start - 2 >= s0 and words[c.start - 2] == "every"):   # (not "Ran Gvili,
        # the last hostage still held": a named person, whose count no one gives)
        # "until the last hostage body is returned": the one left ("every last hostage":
        # all of them)
        return (c.start - 1, c.start, Quantity(1, QuantityPrecision.EXACT))
    for k in range(c.start + 1, c.end - 1):
        if words[k] in ONE and words[k - 1] == "of":
            return (k, k + 1, Quantity(1, QuantityPrecision.EXACT))
    if named_one(doc, c):
        return (c.start, c.end, Quantity(1, QuantityPrecision.EXACT))
    if c.start - 1 >= s0 and words[c.start - 1] in all_forms() | PARTICLES and \
            c.end - c.start >= 3 and words[c.start] in SINGULAR_UNITS and \
            words[c.start + 1] == "of" and not words[c.end - 1].endswith("s"):
        # a headline drops its articles: "Hamas returns body of hostage": one
        return (c.start, c.start + 1, Quantity(1, QuantityPrecision.EXACT))
    return None


#: Unit nouns in the singular, and particles of event verbs ("hands back body of ...").
SINGULAR_UNITS = {"body", "coffin", "corpse", "casket"}
PARTICLES = {"back", "over", "home"}


def named_one(doc: Doc, c: Mention) -> bool:
    """A category in the singular before a person's name ("the remains of hostage Tal
    Haimi", "prisoner Marwan Barghouti"): one, named."""
    words = lowers(doc)
    if c.end >= len(doc) or words[c.end - 1].endswith("s") or c.start == doc[c.start].sent.start:
        return False
    name = doc[c.end]
    return name.is_title and name.is_alpha and words[c.end] not in dates.MONTHS and \
        words[c.end] not in dates.WEEKDAYS and c.end + 1 < len(doc) and (
            doc[c.end + 1].is_title or doc[c.end + 1].is_punct)
