"""Closed-class English the grammar reads: event verbs and their forms, modality cues,
clause boundaries, speakers. Nothing here names a party, place or category of any agreement:
those come from the agreement file (:mod:`.lexicon`)."""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Modality

#: Past and participle of the irregular verbs the grammar reads.
IRREGULAR = {"send": ("sent", "sent"), "bring": ("brought", "brought"),
             "strike": ("struck", "struck"), "shoot": ("shot", "shot"),
             "withdraw": ("withdrew", "withdrawn"), "grow": ("grew", "grown"),
             "get": ("got", "gotten"), "shut": ("shut", "shut"), "give": ("gave", "given"),
             "take": ("took", "taken"), "go": ("went", "gone"), "drive": ("drove", "driven"),
             "set": ("set", "set"), "let": ("let", "let"), "hit": ("hit", "hit"),
             "leave": ("left", "left"), "fall": ("fell", "fallen"),
             "come": ("came", "come"), "fly": ("flew", "flown"),
             "swear": ("swore", "sworn"), "hold": ("held", "held"), "meet": ("met", "met"),
             "begin": ("began", "begun")}
#: Verbs of more than one syllable stressed on the last, which double their final consonant
#: ("transferred"); one-syllable verbs ending consonant-vowel-consonant double by rule.
DOUBLING = {"transfer", "permit", "admit", "patrol", "control", "commit", "refer", "expel"}
_VOWELS = "aeiou"


def _doubles(base: str) -> bool:
    if base in DOUBLING:
        return True
    groups = re.findall(f"[{_VOWELS}]+", base)
    return len(groups) == 1 and len(base) >= 3 and len(groups[0]) == 1 and \
        base[-1] not in _VOWELS + "wxy" and base[-2] in _VOWELS


def verb_forms(base: str) -> dict[str, str]:
    """Inflections of a verb (a blank pipeline has no lemmatizer), mapped to their form:
    derived by rule (with ``IRREGULAR`` and ``DOUBLING``), so a new verb is one word."""
    stem = base + base[-1] if _doubles(base) else base
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        stem = base[:-1]
    consonant_y = base.endswith("y") and base[-2] not in _VOWELS
    past, participle = IRREGULAR.get(base, (None, None))
    if past is None:
        past = participle = (base + "d" if base.endswith("e") else
                             base[:-1] + "ied" if consonant_y else stem + "ed")
    third = (base + "es" if base.endswith(("s", "sh", "ch", "x", "z", "o")) else
             base[:-1] + "ies" if consonant_y else base + "s")
    # a form shared with the past ("shut") reads as the past, as it more often is
    return {base: "base", third: "third", past: "past", str(participle): "past",
            stem + "ing": "ing"}


def forms_of(word: str) -> dict[str, str]:
    """The inflections of the verb a word is a form of ("moved", "running", "held"). With
    no lemmatizer the stem is guessed, so the forms of every stem that yields the word are
    given ("moved": of "move", and "movs" of "mov", which no text has)."""
    out: dict[str, str] = {}
    for base in (word, word[:-1], word[:-2], word[:-3], word[:-4]):
        if base and word in verb_forms(base):
            out = verb_forms(base) | out
    for base, (past, participle) in IRREGULAR.items():
        if word in (past, participle):
            out = verb_forms(base) | out
    return out


def _verbs(words: str) -> list[dict[str, str]]:
    return [verb_forms(w) for w in words.split()]


# --- event words ---------------------------------------------------------------------------
MOVE, RECEIVE, ENTER, DEPLOY, OPEN, CLOSE, IDENTIFY, ATTACK, WITHDRAW, INSTITUTE = (
    "move", "receive", "enter", "deploy", "open", "close", "identify", "attack", "withdraw",
    "institute")
#: A state the agreement names for a facility, told by its own verb ("moved the line").
STATE = "state"
GROUP_TYPE = {MOVE: "transfer", RECEIVE: "transfer", ENTER: "flow", DEPLOY: "deployment",
              OPEN: "facility_state", CLOSE: "facility_state", IDENTIFY: "identification",
              ATTACK: "incident", WITHDRAW: "milestone", INSTITUTE: "milestone",
              STATE: "facility_state"}
#: Event verbs by family. A verb alone makes no event: it needs a counted or named
#: category near it (or, for attacks, a doer), so a broad list costs little precision.
VERBS: dict[str, list[dict[str, str]]] = {
    MOVE: _verbs("return release free repatriate transfer deliver send swap hand turn "
                 "escort bring liberate give set ship transport exchange pass carry walk owe "
                 "surrender drop ferry airlift put place"),
    RECEIVE: _verbs("receive recover collect retrieve take"),
    ENTER: _verbs("enter cross flow permit allow admit roll offload unload cap limit "
                  "get go drive move come fly sail"),
    DEPLOY: _verbs("deploy arrive station grow dispatch reach contribute"),
    OPEN: _verbs("open reopen operate"),
    CLOSE: _verbs("close shut seal shutter suspend"),
    IDENTIFY: _verbs("identify recognise recognize name"),
    ATTACK: _verbs("attack strike shell bomb kill fire shoot eliminate neutralise "
                   "neutralize raid ambush gun pound bombard"),
    # a body an agreement sets up: an event only where one of its milestones' bodies is
    # named in the clause ("the committee held its first meeting")
    INSTITUTE: _verbs("form establish create launch convene inaugurate install constitute "
                      "mandate authorise authorize endorse approve sign ratify"),
    WITHDRAW: _verbs("withdraw retreat redeploy pull vacate leave abandon evacuate fall "
                     "stay remain"),
}
#: Clearing mines: a milestone an agreement names by a mine word and a word of clearing
#: in its title or text ("Varne road cleared of mines"), told by a verb of clearing once
#: the work is done ("lifted the last 300 mines", "finished clearing the track").
CLEAR = "clear"
CLEARING = {f for w in ("clear", "lift", "remove", "defuse", "sweep", "demine")
            for f in verb_forms(w)}
MINE_WORDS = {"mine", "mines", "landmine", "landmines", "minefield", "minefields",
              "unexploded", "ordnance", "ieds", "booby-traps"}
CLEARANCE_WORDS = ("clear", "lift", "remov", "demin", "sweep")
#: Words that say clearing is done: before the verb ("finished clearing") or in its
#: object ("lifted the last mines").
CLEARED_BEFORE = {"finished", "completed", "finish", "complete", "finishes", "completes"}
GROUP_TYPE[CLEAR] = "milestone"
#: Disarming: a milestone whose title says so ("Demilitarization under independent
#: monitors"), told by its own verbs and nouns ("will not disarm", "disarmament") or by
#: giving up arms where the agreement counts no weapons ("lay down its weapons", "hand over
#: its heavy weapons", "store its heavy weapons under Egyptian supervision").
DISARM = "disarm"
GROUP_TYPE[DISARM] = "milestone"
DISARM_TITLE = ("disarm", "demilitari", "decommission")
ARMS = {"weapons", "weapon", "arms", "rifles", "guns", "arsenal", "arsenals", "missiles",
        "rockets", "munitions"}
#: Verbs that give arms up only with arms as their object.
ARMS_VERBS = {f for w in ("store", "surrender", "freeze", "destroy", "dismantle")
              for f in verb_forms(w)}
#: Verbs of moving that are a pull-back only when forces move out of, off or back from
#: a position ("tanks rolled out of the eastern neighbourhoods", "gunners towed their
#: howitzers off the heights"); alone they move goods or nothing.
MOTION = {f for w in ("roll", "rumble", "drive", "move", "march", "tow", "haul")
          for f in verb_forms(w)}
#: The particles that make such a verb a leaving.
AWAY = {"out", "off", "back", "away"}
#: Head nouns of the bodies an agreement's milestones set up ("the Board of Peace", "a
#: joint commission"): their names, read from the milestones' titles and texts, are what a
#: report of the milestone names.
INSTITUTION_HEADS = {"board", "committee", "commission", "council", "force", "authority",
                     "mission", "administration", "government", "fund", "office",
                     "agency", "court", "tribunal", "panel", "secretariat", "centre",
                     "center", "taskforce", "assembly", "parliament", "cell", "mechanism",
                     "directorate", "bureau", "corps", "legislature"}
#: Verbs that set a body up only with the word after them ("set up", "sworn in", "took
#: office", "held its first meeting"), and their forms.
INSTITUTE_PHRASES = {"set": {"up"}, "swear": {"in"}, "take": {"office"},
                     "begin": {"work", "its", "their"}, "start": {"work", "its", "their"}}
INSTITUTE_FORMS = {f: form for base in (*INSTITUTE_PHRASES, "hold")
                   for f, form in verb_forms(base).items()}
#: Words that may stand inside a body's capitalised name ("Board of Peace").
NAME_JOINERS = {"of", "for", "the", "and", "on", "in", "de", "'s"}
#: Transfer verbs that set people free or give them back (not "send", "deliver"): a count
#: of soldiers they move is of captives, not a deployment.
RELEASE_VERBS = {f for w in ("return", "release", "free", "repatriate", "swap", "hand", "turn",
                             "liberate", "give", "set") for f in verb_forms(w)}
#: Nouns for armed or police personnel: a count of them moved or sent is a deployment even
#: where the agreement names no such category ("offered to send 20,000 troops").
FORCE_NOUNS = {"troops", "soldiers", "personnel", "peacekeepers", "servicemen",
               "servicewomen", "marines", "force", "forces", "gendarmes", "contingent",
               "battalion", "battalions", "brigade", "brigades", "engineers", "experts",
               "specialists", "monitors", "observers", "inspectors"}
#: Verbs of counting or watching: their subject observes the event, it does not do it
#: ("Meridian monitors counted 17 tankers crossing").
OBSERVE = {"counted", "recorded", "logged", "tallied", "registered", "observed", "saw",
           "documented", "monitored", "tracked", "verified", "spotted", "filmed",
           "photographed", "watched"}
#: Verbs by which a count moves to a new level, before "to" ("aid entries slumped to 86
#: trucks", "deliveries fell to 52 on Saturday"), and verbs that give the level itself
#: ("trucks crossing ... numbered 233", "entries stood at 410"): a figure for what the
#: subject counts.
LEVELS = {"fell", "dropped", "slumped", "plunged", "plummeted", "dipped", "sank", "slid",
          "rose", "climbed", "jumped", "surged", "soared", "increased", "decreased",
          "declined", "recovered", "edged", "crept", "shrank", "grew", "picked", "fallen",
          "risen", "climbing", "falling", "rising", "dropping"}
LEVEL_IS = {"numbered", "totalled", "totaled", "totalling", "totaling", "amounted",
            "averaged", "averages", "averaging", "exceed", "exceeded", "exceeds"}


def level_verb_before(words: list[str], qs: int, lo: int) -> int | None:
    """Where the verb is that gives the count at ``qs`` as a level ("fell to 86", "fell
    sharply to just 52", "numbered 233", "stood at 410", "amounted to 90"), or None."""
    k = qs - 1
    while k > lo and words[k] in {"just", "only", "some", "about", "around", "roughly",
                                  "nearly", "almost", "barely", "a", "mere", "between"}:
        k -= 1
    if k >= lo and words[k] in LEVEL_IS:
        return k
    if k > lo and words[k] in {"to", "at"}:
        j = k - 1
        while j > lo and words[j] in {"back", "sharply", "further", "again", "up", "down",
                                      "steadily", "slightly"}:
            j -= 1
        if words[j] in LEVELS | LEVEL_IS and words[k] == "to" or \
                words[j] in {"stood", "stands", "standing", "remained", "held"} and \
                words[k] == "at":
            return j
    return None


#: Nouns for goods a text names without a count ("not a single tent", "let no fuel in"):
#: what an agreement counts in trucks, read where a refusal or a plan speaks of it.
GOODS = {"aid", "fuel", "food", "supplies", "goods", "tent", "tents", "medicine",
         "medicines", "blanket", "blankets", "tarpaulins", "flour", "diesel", "gas",
         "shelter", "water", "equipment"}
#: Nouns after a goods word that make it a modifier of people, not goods ("aid officials").
NOT_GOODS_AFTER = {"agency", "agencies", "group", "groups", "worker", "workers",
                   "organisation", "organisations", "organization", "organizations",
                   "official", "officials", "chief", "chiefs", "sector", "community",
                   "prices", "price", "shortages", "shortage", "crisis", "system",
                   "operations", "operation", "effort", "efforts", "coordinator"}
#: Verbs that set a ceiling ("caps aid at 600 trucks a day"): what they count is a cap.
CAP_VERBS = {"cap", "caps", "capped", "capping", "limit", "limits", "limited", "limiting",
             "restrict", "restricts", "restricted", "restricting"}
#: Words in a milestone provision's title or text that make it a withdrawal, so that a
#: report of a withdrawal links to it and, where the text names no party, takes its party.
WITHDRAWAL_WORDS = ("withdraw", "pull back", "pulls back", "pullback", "pull-back",
                    "redeploy", "retreat")
#: Verbs that count as event words only with their particle ("turned over"), or, for those
#: in ``BARE``, also without it when they are not a noun ("handed the bodies to ...").
PARTICLE = {"hand": {"over", "back", "in"}, "turn": {"over", "in"},
            "drop": {"off"}, "come": {"back", "home", "in", "into", "through", "across"},
            "bring": {"back", "home", "out", "in", "into"}, "give": {"back"},
            "set": {"free"}, "take": {"custody", "delivery", "in", "back"},
            "roll": {"in", "into", "through", "across"},
            "go": {"in", "into", "through", "home", "back"},
            "drive": {"in", "into", "through"}, "move": {"in", "into", "through"},
            "fly": {"in", "into", "out"},
            "get": {"through", "in", "into"}, "carry": {"across", "over", "through"},
            "walk": {"free"}, "fall": {"back"}, "send": {"back", "home"},
            "fire": {"on", "at", "upon", "into"}, "gun": {"down"},
            "pull": {"back", "out"}, "put": {"ashore"}}
#: Particles that may stand after the object ("pull its forces back").
SPLIT_PARTICLE = {"pull": {"back", "out"}}
BARE = {"hand", "fire", "send", "fly"}
#: Words before "hand(s)" that make it the noun ("at the hands of", "on the other hand").
NOUN_BEFORE = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "one",
               "other", "own", "free", "upper", "left", "right", "first", "second", "of",
               "in", "on", "at", "by", "with", "from", "'s", "’s", "under", "open", "opened",
               "opening", "opens", "cease", "gun", "heavy", "live", "artillery", "sniper",
               "returned", "return", "returning", "exchange", "exchanged", "friendly"}
NOUNS = {"transfer": MOVE, "transfers": MOVE, "handover": MOVE, "handovers": MOVE,
         "release": MOVE, "releases": MOVE, "return": MOVE, "returns": MOVE,
         "repatriation": MOVE, "repatriations": MOVE, "exchange": MOVE, "swap": MOVE,
         "swaps": MOVE, "freeing": MOVE, "liberation": MOVE,
         "delivery": MOVE, "deliveries": MOVE, "shipment": MOVE, "shipments": MOVE,
         "consignment": MOVE, "consignments": MOVE, "loads": MOVE, "entry": ENTER, "entries": ENTER,
         "deployment": DEPLOY, "standby": DEPLOY,
         "deployments": DEPLOY, "arrival": DEPLOY, "arrivals": DEPLOY,
         "reopening": OPEN, "opening": OPEN, "closure": CLOSE,
         "withdrawal": WITHDRAW, "withdrawals": WITHDRAW, "pullback": WITHDRAW,
         "redeployment": WITHDRAW, "gunfire": ATTACK, "violations": ATTACK,
         "formation": INSTITUTE,
         "establishment": INSTITUTE, "creation": INSTITUTE, "launch": INSTITUTE,
         "inauguration": INSTITUTE, "disarmament": "disarm", "demilitarisation": "disarm",
         "demilitarization": "disarm", "decommissioning": "disarm"}
#: Cue phrases that are cues only before a verb ("due to be freed", "set to release"), not
#: before a noun phrase ("due to the fighting", "set to a new date").
BEFORE_VERB = {"due to", "set to"}
#: What makes a noun event ("the release of 250 prisoners") a claim that it happened:
#: a past predicate after it ("... took place on Monday") or a verb before it that says it
#: was carried out ("the ICRC facilitated the return of ...").
DONE_AFTER = {"took place", "taken place", "was completed", "were completed",
              "been completed", "went ahead", "gone ahead", "happened", "occurred",
              "was carried out", "were carried out", "been carried out", "was finalised",
              "was finalized", "were finalised", "were finalized", "was concluded",
              "concluded", "began", "begun", "started", "got under way", "got underway",
              "was conducted", "were conducted", "proceeded", "ended", "was wrapped up",
              "passed off", "was witnessed", "were witnessed", "was overseen",
              "were overseen", "was supervised", "were supervised", "was facilitated",
              "were facilitated", "was monitored", "were monitored"}
#: Predicates after a noun event that say it was stopped ("aid deliveries halted").
STOPPED_AFTER = {"halted", "suspended", "stopped", "blocked", "frozen", "cut", "paused",
                 "barred", "banned", "delayed", "postponed", "cancelled", "canceled",
                 "deferred", "scrapped"}
#: The same predicates negated ("did not take place"), which make it a denial.
NOT_DONE_AFTER = DONE_AFTER | {"take place", "go ahead", "happen", "occur", "completed",
                               "carried out", "finalised", "finalized", "proceed"}
DONE_BEFORE = {"facilitated", "facilitates", "facilitating", "oversaw", "oversees",
               "supervised", "completed", "completes", "conducted", "finalised", "finalized",
               "secured", "secures", "witnessed", "began", "begins", "started", "starts",
               "resumed", "resumes", "coordinated", "organised", "organized", "monitored",
               "carried", "mediated", "brokered", "implemented"}
BE = {"is", "are", "was", "were", "be", "been", "being", "get", "got", "gets", "remain",
      "remains", "remained", "stay", "stays", "stayed"}
SKIPPABLE = {"also", "not", "n't", "reportedly", "already", "finally", "all", "now",
             "still", "just", "then", "later", "both", "each", "never", "yet", "since"}
DETERMINERS = {"the", "a", "an", "another", "this", "that", "its", "their", "his", "her",
               "first", "second", "third", "further", "next", "any", "each", "planned",
               "expected", "proposed", "delayed", "scheduled", "possible"}
PREPOSITIONS = {"by", "from", "to", "with", "for", "of", "in", "on", "against", "through",
                "via", "between", "into", "at", "over", "under", "near", "about", "than",
                "toward", "towards", "without", "pressure", "pressuring", "pressured",
                "urged", "urging", "press", "pressed", "presses", "pressing"}
SPEECH = {"said", "says", "say", "told", "tells", "reported", "reports", "announced",
          "announces", "confirmed", "confirms", "claimed", "claims", "stated", "added",
          "acknowledged", "acknowledge", "acknowledges", "noted", "insisted", "insists",
          "deny", "denied", "denies", "believe", "believes", "see", "sees", "warned",
          "according"}
SPEAKERS = {"official", "officials", "source", "sources", "spokesman", "spokesperson",
            "spokeswoman", "minister", "ministry", "media", "mediators", "mediator",
            "officer", "statement", "data", "figures", "negotiators", "leaders", "leader",
            "diplomats", "diplomat", "government's", "office", "report", "reports"}

#: Verbs that bring a running count to a new figure ("brought to 300 the number of").
TOTAL_VERBS = {"brought", "bringing", "brings", "bring", "took", "taking", "takes", "pushed",
               "pushing", "pushes", "raised", "raising", "raises", "lifted", "lifting",
               "lifts", "swelled", "swelling", "increased", "increasing"}
#: Nouns for a running count ("the total", "the toll", "the tally").
TOTAL_NOUNS = {"total", "tally", "toll", "count", "number", "figure"}

# --- modality cues -------------------------------------------------------------------------
CUES: dict[Modality, set[str]] = {
    Modality.CUMULATIVE: {"so far", "to date", "in total", "a total of", "total of",
                          "thus far", "altogether", "in all",
                          "since the ceasefire", "since the truce", "since the start",
                          "cumulative", "overall", "tally", "over the same period",
                          "in the same period", "during the same period",
                          "over the period"},
    Modality.HOPED: {"hope", "hopes", "hoped", "hoping", "wish", "wishes", "aim to",
                     "aims to", "aiming to", "would like", "optimistic", "hopeful", "aspire",
                     "aspires", "wants to", "want to", "wanted to", "wanting to",
                     "pray", "prays", "prayed", "praying", "prayer", "prayers"},
    Modality.DEMANDED: {"demand", "demands", "demanded", "demanding", "urge", "urged",
                        "urges", "urging", "call on", "called on", "calls on",
                        "called for", "call for", "insist", "insisted", "insists",
                        "appealed to", "appeals to", "appeal to", "appealing to",
                        "pressure", "pressured", "pressuring", "press", "pressed",
                        "presses", "pressing", "lobbying", "lobbied",
                        "must", "ultimatum", "should", "ought", "want", "wants", "wanted",
                        "wanting", "asked", "asks", "asking", "requested", "requests",
                        "requesting", "failure to", "failing to"},
    Modality.EXPECTED: {"expected", "expect", "expects", "likely", "probably", "anticipated",
                        "anticipate", "may", "might", "could", "poised", "on track"},
    Modality.PLANNED: {"will", "'ll", "shall", "would", "is to", "are to", "was to",
                       "were to", "to be", "plan to", "plans to", "planned to",
                       "planning to", "is planned", "are planned", "was planned",
                       "scheduled", "slated", "agreed to", "agree to", "agrees to",
                       "proposed", "propose", "proposes", "discuss", "discussing",
                       "discussed", "negotiate", "negotiating", "calls for",
                       "require", "requires", "required", "supposed to", "intend",
                       "intends", "intended", "going to", "prepare", "preparing",
                       "preparations", "ready to", "pledged", "pledge", "pledges",
                       "promised", "promise", "promises", "committed to", "envisages",
                       "envisage", "envision", "envisions",
                       "stipulates", "provides for", "would help", "awaiting",
                       "set to", "due to", "due for", "earmarked for", "to stay", "to remain",
                       "offered to", "offer to", "offers to", "offering to",
                       "voted to", "votes to", "vote to", "decided to", "decides to",
                       "decide to", "resolved to", "resolves to", "willing to",
                       "prepared to"},
    Modality.DENIED: {"deny", "denies", "denied", "denying", "refuse", "refused",
                      "refuses", "refusing", "refusal to", "failed to", "fail to", "fails to",
                      "yet to", "withheld", "withholding", "withhold", "refrained",
                      "delay", "delayed", "delaying", "delays", "postponed", "postpone",
                      "put off", "called off", "pushed back",
                      "postpones", "postponing", "halted", "halt", "halts",
                      "suspend", "suspends", "freeze", "freezes", "froze",
                      "blocked", "blocking", "rejected", "false", "no longer",
                      "barred", "banned", "suspended", "prevented", "vetoed", "veto",
                      "vetoes", "vetoing",
                      "instead of", "ruled out", "rule out", "rules out", "ruling out",
                      "not aware of", "unaware of", "no record of", "no knowledge of",
                      "not expect", "not expected", "n't expect", "not expecting"},
}
NEGATION = {"not", "n't", "never", "no", "none", "neither", "nor", "without"}
PERMISSION = {"permitted", "allowed", "allow", "allows", "permit", "permits", "let",
              "allowing", "permitting", "letting",
              "authorised", "authorized", "stipulated", "cap", "caps", "capping",
              "capped", "ceiling", "limit", "limited", "maximum", "quota", "entitled",
              "agreed", "agreement", "deal", "under"}
RATE = {"daily", "a day", "per day", "each day", "every day", "a week", "per week",
        "weekly", "a month", "per month"}
OTHER_PERSON = {"that of a", "that of an", "not a", "not one of", "someone else",
                "belonged to no", "belong to no", "belongs to no",
                "another person", "misidentified", "identification error", "did not match",
                "does not match", "unrelated", "not belong", "n't belong", "not those of",
                "was not", "were not", "is not", "turned out to be that",
                "already been recovered", "already been returned", "already been identified",
                "to none of", "matched none of", "match none of", "matches none of",
                "were none of", "was none of"}
TIME_UNITS = {"hour", "hours", "day", "days", "week", "weeks", "month", "months", "year",
              "years", "minute", "minutes", "percent", "%", "km", "kilometres",
              "kilometers", "miles", "point", "points", "a.m.", "p.m.", "am", "pm",
              "o'clock", "times", "per", "cent", "meters", "metres", "phase", "stage"}
NOT_A_COUNT_BEFORE = {"phase", "point", "article", "clause", "resolution", "no.", "number",
                      "stage", "page", "section", "chapter", "round", "day", "the"}
BOUNDARY_TOKENS = {";", ":", "—", "–", "--", "(", ")"}
BOUNDARY_AFTER_COMMA = {"but", "though", "although", "while", "whereas", "which", "who",
                        "yet", "however", "as", "meanwhile", "after", "before", "when",
                        "despite", "joining", "amid", "with", "bringing", "raising",
                        "lifting", "pushing", "adding", "saying", "noting", "citing"}
BOUNDARY_WORDS = {"but", "though", "although", "whereas", "however", "meanwhile", "once", "after",
                  "until", "unless", "if", "before"}
#: Words before a noun event that make it a point in time, not a claim ("within 72 hours
#: of the pullback", "after the handover", "ahead of the release").
WHEN_BEFORE = {"after", "before", "since", "following", "until", "ahead", "pending",
               "upon"}
#: Verbs after which "that ..." or "to ..." can state an identification's result, counted
#: only where the clause says the remains were someone else's ("tests found that one of
#: the bodies was that of a Palestinian", "the remains did not belong to a hostage").
RESULT_VERBS = {"found", "showed", "shown", "established", "determined", "revealed",
                "concluded", "indicated", "proved"}
#: Nouns for news or papers: "receiving word that ...", "sent a list of names" move no
#: one ("word that all 20 hostages were in Israeli hands" is a state, not a handover).
INFO_NOUNS = {"word", "news", "confirmation", "confirmations", "report", "reports", "call",
              "calls", "assurance", "assurances", "list", "lists", "notice", "notification",
              "information", "message", "messages", "signal", "guarantees", "guarantee",
              "details", "names", "request", "requests", "proposal", "proposals", "reply",
              "response", "letter", "letters", "intelligence", "updates", "update"}


#: Places the dead are dug out of: bodies recovered "from under the rubble" or pulled
#: "from the ruins" are found by a search, not handed over by a party.
RUBBLE = {"rubble", "ruins", "debris", "wreckage"}


#: Words that make a count with no event word a state, a capacity or a need, not an event
#: ("300 trucks are stuck", "each of the 150 tankers carries", "28 bodies remain").
STATE_WORDS = {"stuck", "parked", "waiting", "wait", "waits", "queued", "queuing", "lined",
               "remain", "remains", "remained", "remaining", "held", "hold", "holds",
               "holding", "still", "left", "need", "needs", "needed", "require", "requires",
               "capacity", "can", "cannot", "carries", "carry", "worth", "each", "every",
               "ready", "price", "prices", "cost", "costs", "lost", "looted", "loaded",
               "awaiting", "missing", "own", "owns", "store", "stored",
               "warehouse", "warehouses", "if", "unless", "when", "whether", "enough",
               "per", "average", "averaging", "fewer", "less", "more", "than", "only",
               "list", "lists", "names", "capable", "back", "away"}
#: Verbs of having before a count ("the Commission has 60 tankers"): what is held.
HAVING = {"has", "have", "had", "holds", "hold", "owns", "keeps", "kept"}
#: Verbs by which a count is recorded ("UN figures showed 640 trucks", "Tamsk saw 41
#: tankers"): with a date or one of them, a count with no event word is likely an event.
RECORDED = {"showed", "show", "shows", "saw", "sees", "recorded", "logged", "counted",
            "tallied", "registered", "documented", "tracked", "reported", "listed"}


#: Common verbs that are event words only with their particle ("set free", "took custody",
#: "went into"): their bare forms are too common to mark a word as an event verb.
LIGHT = {"give", "set", "take", "go", "drive", "move", "gun", "carry", "walk", "fall"}
#: Verbs of leaving that are a pull-back only when what is left is a position, an area or
#: a line ("left the neighbourhood", "abandoned three outposts"), not a city or a meeting.
LEAVING = {f for w in ("leave", "abandon", "evacuate") for f in verb_forms(w)}
#: Verbs of staying put: with forces and a position or a line, no pull-back (denied).
STAYING = {f for w in ("stay", "remain") for f in verb_forms(w)}
#: Verbs of owing: what a party owes is planned ("Israel still owes 60 bodies").
OWING = set(verb_forms("owe"))
#: Nouns for what forces hold: left or abandoned, they make a pull-back.
POSITION_NOUNS = {"position", "positions", "post", "posts", "outpost", "outposts", "base",
                  "bases", "area", "areas", "zone", "zones", "neighbourhood",
                  "neighbourhoods", "neighborhood", "neighborhoods", "line", "lines",
                  "ridge", "heights", "corridor", "strongholds", "stronghold", "sector",
                  "sectors", "villages", "town", "towns", "checkpoints", "trenches"}
#: What personnel take up ("took up their posts"): a deployment.
POSTS = {"positions", "position", "posts", "post", "stations", "duties"}


@lru_cache(maxsize=1)
def all_forms() -> frozenset[str]:
    """Every form of every event verb (not the bare forms of ``LIGHT`` verbs)."""
    return frozenset(f for verbs in VERBS.values() for forms in verbs
                     if next(iter(forms)) not in LIGHT for f in forms)


def form_of(group: str, word: str) -> str:
    if group not in VERBS:    # a family built by pattern only (disarming)
        for base in (word, word[:-1], word[:-2], word[:-3], word[:-4]):
            forms = verb_forms(base) if base else {}
            if word in forms:
                return forms[word]
    for forms in VERBS.get(group, []):
        if word in forms:
            return forms[word]
    return "past" if word.endswith("ed") else "base"
