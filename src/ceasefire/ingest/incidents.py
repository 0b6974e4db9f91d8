"""Attacks: who did them when the clause does not say (blame, accusations, a speaker's
disclaimer), and the words for fighting and for attacks named only as nouns."""

from __future__ import annotations

from .english import NEGATION, SPEECH
from .marks import Mention, Trigger

# --- helpers -------------------------------------------------------------------------------
#: Nouns for attacks that name their doer before them ("in Israeli shootings").
ATTACK_NOUNS = {"shooting", "shootings", "raid", "raids", "airstrike", "airstrikes",
                "gunfire", "shelling", "bombardment", "bombardments", "bombing", "bombings",
                "drone", "drones", "aircraft", "tank", "tanks", "sniper", "snipers"}


#: Words between a party and an attack noun that say what kind of attack it was ("Israeli
#: air strikes", "Arvelian drone strikes").
ATTACK_MODIFIERS = {"air", "drone", "artillery", "missile", "rocket", "mortar", "tank",
                    "naval", "sniper", "aerial", "targeted", "heavy", "precision", "overnight",
                    "new", "fresh", "further", "deadly", "renewed"}
#: Nouns for many attacks in one ("a wave of strikes") and the verbs by which a party
#: carries attacks out ("carried out a wave of air strikes"): the verb's subject did them.
WAVES = {"wave", "waves", "series", "string", "round", "rounds", "barrage", "spate",
         "volley", "salvo", "flurry"}
CARRY_OUT = {("carried", "out"), ("carries", "out"), ("carry", "out"), ("carrying", "out"),
             ("launched",), ("launches",), ("launch",), ("launching",), ("conducted",),
             ("conducts",), ("conduct",), ("conducting",), ("staged",), ("mounted",),
             ("unleashed",)}
#: Past verbs of harm done by an attack named as the subject ("shelling wounded three").
HARMED = {"killed", "wounded", "injured", "hit", "damaged", "destroyed", "struck", "left",
          "kills", "wounds", "injures", "hits", "damages", "destroys", "strikes"}
#: Words that open a clause whose subject an attack noun may be ("shut after shelling
#: wounds two drivers").
CLAUSE_OPENERS = {"after", "as", "when", "while", "before", "since", "because"}


def carried_out_at(words: list[str], start: int, lo: int) -> int | None:
    """Where the verb is that carries out the attack noun at ``start`` ("launched a wave
    of air strikes", "carried out 'powerful strikes'"): its first word, or None."""
    for k in range(start - 1, max(lo, start - 7) - 1, -1):
        if words[k] in {",", ";", ".", ":", "and", "but", "or"}:
            return None
        for phrase in CARRY_OUT:
            n = len(phrase)
            if k - n + 1 >= lo and tuple(words[k - n + 1:k + 1]) == phrase:
                return k - n + 1
    return None


def doer_before(words: list[str], start: int, lo: int, parties: list[Mention]) -> str | None:
    """The party named as an adjective of the attack noun at ``start`` ("killed in a wave
    of Israeli air strikes", "a series of Arvelian drone strikes hit ...")."""
    k = start - 1
    while k >= lo and k >= start - 2 and words[k] in ATTACK_MODIFIERS:
        k -= 1
    p = next((p for p in parties if p.end == k + 1 and p.start >= lo), None)
    if p is None:
        return None
    before = words[p.start - 1] if p.start > lo else ""
    if p.start == lo or before in {"a", "an", "the", "in", "by", "of", "from", "after",
                                   "amid", "during", "with", "and"}:
        return next(iter(p.ids))
    return None


#: What a party fires from ("gunfire from Israeli positions", "shelling from Union lines").
FIRING_POSITIONS = {"positions", "position", "lines", "line", "side", "tanks", "tank",
                    "posts", "post", "troops", "forces", "boats", "gunboats", "ships"}


def doer_from(words: list[str], end: int, hi: int, parties: list[Mention]) -> str | None:
    """The party an attack came from ("gunfire from Israeli positions wounded three"):
    "from" right after the attack noun, then the party, alone or with its positions."""
    if end >= hi or words[end] != "from":
        return None
    k = end + 1
    if k < hi and words[k] == "the":
        k += 1
    p = next((p for p in parties if p.start == k), None)
    if p is None:
        return None
    if p.end < hi and words[p.end] not in FIRING_POSITIONS | {",", "near", "east", "west",
                                                              "north", "south", "across",
                                                              "on", "into", "at"}:
        return None
    return next(iter(p.ids))


#: Things fired that "land" or "hit" ("mortar shells landed near the checkpoint", "a drone
#: hit a car"): the attack they were fired in.
PROJECTILES = {"shell", "shells", "rocket", "rockets", "missile", "missiles", "mortar",
               "mortars", "rounds", "bomb", "bombs", "grenade", "grenades", "drone",
               "drones", "shrapnel", "mine", "landmine", "device", "ied", "explosives",
               "round", "shots", "bullets", "bullet", "gunshots"}
#: Their verbs of landing or hitting ("a mine exploded under a water tanker").
LANDING = {"landed", "land", "lands", "hit", "hits", "exploded", "explodes", "slammed",
           "slams", "crashed", "detonated", "detonates"}


#: Words before an attack noun that presuppose it happened ("closed the crossing after
#: gunfire near the post", "shut following shelling", "closed since the shooting"),
#: unless a verb after it says it is still to stop ("will reopen after the shelling
#: stops").
AFTER_ATTACK = {"after", "following", "since"}
_STILL_TO = {"stops", "stop", "ends", "end", "ceases", "cease", "halts", "halt", "is",
             "has", "subsides"}


def after_attack(words: list[str], start: int, lo: int, hi: int) -> bool:
    """The attack noun at ``start`` follows "after"/"following", with at most an article
    and modifiers between, and no verb after it that makes it a condition."""
    k = start - 1
    while k > lo and (words[k] in ATTACK_MODIFIERS or words[k] in {"a", "an", "the",
                                                                    "heavy", "fresh"}):
        k -= 1
    return k >= lo and words[k] in AFTER_ATTACK and not any(
        w in _STILL_TO for w in words[start + 1:min(hi, start + 4)])


def harm_subject(words: list[str], start: int, lo: int, hi: int) -> bool:
    """The attack noun opens its clause and a past verb of harm follows ("Shelling near
    the bridge wounded three drivers"): an attack, by whoever it was."""
    k = start - 1
    while k >= lo and (words[k] in ATTACK_MODIFIERS or words[k] in WAVES
                       or words[k] in {"a", "an", "the", "of", "heavy"}):
        k -= 1
    if k >= lo and not (k >= 0 and words[k] in CLAUSE_OPENERS):
        return False
    stop = next((i for i in range(start + 1, hi) if words[i] in {",", ";", "and"}), hi)
    return any(w in HARMED for w in words[start + 1:min(stop, start + 10)])


#: Nouns for an exchange of fire: an attack by both sides, so by no one party.
EXCHANGES = {"exchange", "exchanges", "exchanged"}


#: Nouns for fighting between sides, and the verbs that say it broke out ("fighting
#: flares", "clashes erupted"): an attack by no one party, as an exchange of fire is.
FIGHTING = {"fighting", "clashes", "gunbattle", "gunbattles", "firefight", "firefights",
            "skirmishes", "hostilities"}


FLARES = {"flare", "flares", "flared", "flaring", "erupt", "erupts", "erupted", "erupting",
          "broke", "breaks", "raged", "rages", "resumed", "resume", "resumes"}


def describes_people(words: list[str], start: int, lo: int) -> bool:
    """A killing told in a relative clause about people ("the hostages who died in
    captivity or were killed on October 7"): who they are, not an attack reported."""
    for k in range(start - 1, max(lo, start - 9) - 1, -1):
        if words[k] in {",", ";", ".", "while"}:
            return False
        if words[k] in {"who", "whom", "whose"}:
            return True
    return False


#: Passive words for harm to people: "two soldiers were killed" is an incident even where
#: the text names no one who did it.
KILLED = {"killed", "shot"}


#: "blaming X for", "accused X of", "held X responsible": who did what follows.
BLAME = {"blaming", "blamed", "blames", "blame", "accused", "accusing", "accuses", "accuse",
         "held", "holding", "holds"}


#: Phrases by which a speaker disclaims an attack ("had no connection to the shooting").
DISCLAIMERS = ("knew nothing of", "knew nothing about", "know nothing of",
               "know nothing about", "knows nothing of", "knows nothing about",
               "no connection to", "no connection with", "nothing to do with", "no role in",
               "any role in", "not involved in", "no involvement in", "any involvement in",
               "not responsible for", "no responsibility for", "no part in", "any part in",
               "any connection to", "any link to", "no link to")


#: ", a charge X denied": nouns for an accusation and verbs that reject it.
CHARGES = {"charge", "claim", "accusation", "allegation"}


REJECTS = {"denied", "denies", "rejected", "rejects", "dismissed", "dismisses", "disputed",
           "disputes"}


def blamed_party(words: list[str], sent: tuple[int, int], parties: list[Mention],
            t: Trigger, lenient: bool = False) -> str | None:
    """The party a speaker blames for the attack ("blaming X for", "accused X of", "held
    X responsible"). Strictly, an accusation after the event word must be a "blaming";
    ``lenient`` (for an attack with no doer named otherwise) takes any accusation in the
    sentence, and "blamed X" with nothing after it."""
    for p in parties:
        if not sent[0] < p.start < sent[1]:
            continue
        k = p.start - 1
        while k > sent[0] and words[k] in {"the", "a", "an"}:
            k -= 1
        nxt = words[p.end] if p.end < sent[1] else "."
        if words[k] not in BLAME or words[k] in {"held", "holding", "holds"} and \
                nxt != "responsible":
            continue
        if nxt in {"for", "of", "responsible"} and (
                lenient or t.start > p.end or words[k] in {"blaming", "blamed", "blames"}):
            return next(iter(p.ids))
        if lenient and nxt in {".", ",", ";", "and", "but", "—"} and \
                words[k].startswith("blam"):
            return next(iter(p.ids))
    return None


def disclaimer_at(words: list[str], lo: int, start: int) -> int | None:
    """Where a disclaimer of the event word at ``start`` begins, if one precedes it: a
    phrase of ``DISCLAIMERS``, or "responsible/responsibility for" after a negation or a
    denial ("could not be held responsible for", "denied responsibility for")."""
    before = " ".join(words[lo:start])
    for phrase in DISCLAIMERS:
        at = before.find(phrase)
        if at >= 0 and start - (lo + before[:at].count(" ")) <= len(phrase.split()) + 3:
            return lo + before[:at].count(" ")
    for k in range(max(lo, start - 5), start - 1):
        if words[k] in {"responsible", "responsibility"} and words[k + 1] == "for":
            neg = next((j for j in range(max(lo, k - 4), k)
                        if words[j] in NEGATION | REJECTS | {"deny", "denying"}), None)
            if neg is not None:
                return neg
    return None


#: Nouns for an attack that a disclaimer may name with no attack verb ("could not be held
#: responsible for any incident there").
INCIDENT_NOUNS = {"incident", "incidents", "attack", "attacks", "violation", "violations",
                  "breach", "breaches", "shooting", "shootings", "clash", "clashes"}


def disclaimed_nouns(words: list[str], lo: int, hi: int, taken: set[int]) -> list[int]:
    """Incident nouns a disclaimer names, not already event words: each is an attack its
    speaker denies."""
    return [k for k in range(lo + 2, hi) if words[k] in INCIDENT_NOUNS and k not in taken
            and disclaimer_at(words, lo, k) is not None]


#: Who a party says was not where an attack took place ("said it had no fighters in the
#: area", "its men had not been there for weeks", "has no contact with fighters there").
PRESENT = {"fighters", "men", "members", "gunmen", "forces", "troops", "units", "cells",
           "personnel", "operatives"}
_PLACE_AFTER = {"in", "near", "on", "at", "there", "inside", "around", "anywhere"}


def absence_claimed(words: list[str], k: int, lo: int, hi: int) -> bool:
    """Whether the noun at ``k`` is a party's own people it says were not at the scene:
    "no fighters in the area", "none of its men had been on the rooftops", "its men had
    not been in the area", "no contact with fighters there". Such a claim denies the
    attack the sentence (or the one before) tells of."""
    if words[k] not in PRESENT or k + 1 >= hi or not any(
            w in SPEECH or w in {"insisted", "insists", "denied", "denies"}
            for w in words[lo:k]):
        return False          # (said by the party: "X said it had no fighters there")
    before = words[max(lo, k - 4):k]
    after = words[k + 1:min(hi, k + 6)]
    if before[-1:] == ["no"] or before[-2:] in (["no", "armed"], ["no", "active"]) or \
            before[-3:] in (["none", "of", "its"], ["none", "of", "their"]):
        place = after[:1] and (after[0] in _PLACE_AFTER or after[0] in {"had", "were",
                                                                       "was"})
        contact = before[-3:-1] == ["contact", "with"] or before[-2:] == ["contact", "with"]
        return bool(place) or contact
    if before[-1:] in (["its"], ["their"]) and after[:2] in (["had", "not"], ["were", "not"],
                                                          ["have", "not"], ["was", "not"]):
        return any(w in _PLACE_AFTER for w in after[2:])
    if before[-3:-1] == ["contact", "with"] or before[-2:] == ["contact", "with"]:
        return "no" in words[max(lo, k - 5):k] and any(w in _PLACE_AFTER for w in after[:2])
    return False


def accused_before(words: list[str], parties: list[Mention], lo: int, hi: int
                   ) -> str | None:
    """The party last named as an attack's doer before ``hi`` ("Hamas gunmen", "accused
    Hamas of"), for a denial that follows without naming who denies."""
    found = [p for p in parties if lo <= p.start and p.end <= hi and p.end < len(words) and (
        words[p.end] in ATTACKERS | PRESENT or p.start > 0 and words[p.start - 1] in BLAME)]
    return next(iter(found[-1].ids)) if found else None


def charge_denied(words: list[str], lo: int, hi: int) -> bool:
    return any(words[k] in CHARGES and words[k - 1] in {"a", "an"} and words[k - 2] == ","
               and any(w in REJECTS for w in words[k + 1:k + 6])
               for k in range(lo + 2, hi))


#: Nouns for attackers no agreement names as a party ("Palestinian militants fired",
#: "gunmen opened fire", "a drone struck"): an attack by no one party.
ATTACKERS = {"militants", "militant", "gunmen", "gunman", "attackers", "attacker",
             "assailants", "assailant", "snipers", "sniper", "shooter", "shooters", "drone",
             "drones", "aircraft", "warplanes", "jets", "tank", "tanks", "shells", "rockets",
             "rocket", "missile", "missiles", "artillery", "mortars", "fighters"}


def unnamed_attacker(words: list[str], start: int, lo: int) -> bool:
    """The attack word's subject is an attacker no party name covers, right before it
    ("Palestinian militants fired", "unidentified gunmen opened fire")."""
    k = start - 1
    while k > lo and words[k] in {"reportedly", "allegedly", "then", "also", "later",
                                  "again", "had", "have", "has"}:
        k -= 1
    return k >= lo and words[k] in ATTACKERS
