"""Quantities as texts write them: digits, number words, ranges and approximations.

The grammar (:mod:`.grammar`) finds where a quantity is; this module turns the tokens into
a value and keeps how precise the text was, because "around 1,000" and "up to 600" are not
the same claim as "1,000".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from text_to_num import text2num

from .model import QuantityPrecision

APPROX = {"around", "about", "roughly", "approximately", "some", "nearly", "almost",
          "estimated", "circa", "c.", "approx.", "~"}
AT_LEAST = {"over", "more than", "at least", "upwards of", "in excess of", "no fewer than",
            "no less than", "above", "exceeding"}
AT_MOST = {"up to", "at most", "no more than", "fewer than", "less than", "under",
           "a maximum of", "as many as", "maximum of", "below", "a cap of", "not more than",
           "not exceeding", "does not exceed", "did not exceed", "do not exceed"}
#: Vague plurals: the least the word can mean, kept as a lower bound.
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "several": 3,
         "a few": 2, "tens": 20, "a couple": 2, "a handful": 3}
#: Words for a number, kept as approximate ("a dozen trucks").
ROUND = {"a dozen": 12, "dozen": 12, "a score": 20}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
            "twelfth": 12, "another": None, "additional": None}
SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}


#: Prefixes that state a ceiling ("up to 600 a day") rather than describe a count.
CAP = {"up to", "a maximum of", "maximum of", "no more than", "not more than", "a cap of",
       "at most", "as many as"}


@dataclass(frozen=True)
class Quantity:
    value: int
    precision: QuantityPrecision
    high: int | None = None
    prefix: str = ""

    @property
    def cap(self) -> bool:
        return self.prefix in CAP


def number(words: list[str]) -> int | None:
    """The value of a number written in digits, words or both ("1.2 million", "forty-five")."""
    words = [w for w in (x.strip().lower() for x in words) if w and w not in {"-", "and"}]
    if not words:
        return None
    if len(words) > 1 and words[-1] == "dozen":     # "two dozen"
        times = number(words[:-1])
        return None if times is None else times * 12
    joined = " ".join(words).replace(",", "")
    try:
        head = words[0].replace(",", "")
        if len(words) == 1 and head.replace(".", "", 1).isdigit():
            return int(float(head))
        if head.replace(".", "", 1).isdigit() and all(w in SCALE for w in words[1:]):
            value = Decimal(head)     # (not float: 4.1 million is 4,100,000, not 4,099,999)
            for w in words[1:]:
                value *= SCALE[w]
            return int(value)
    except ValueError:
        return None
    try:
        return int(text2num(joined.replace(" ", "-") if len(words) == 2 and
                            words[1] not in SCALE else joined, "en"))
    except ValueError:
        try:
            return int(text2num(joined, "en"))
        except ValueError:
            return None


def parse_quantity(prefix: str, nums: list[list[str]]) -> Quantity | None:
    """A quantity from its modifier (``prefix``, lower case) and one or two number groups."""
    prefix = " ".join(prefix.lower().split())
    for bound in (*AT_LEAST, *AT_MOST, *APPROX):   # "at least a dozen", "about a dozen"
        word = prefix.removeprefix(bound + " ")
        if word != prefix and word in ROUND and not nums:
            return Quantity(ROUND[word], QuantityPrecision.AT_LEAST if bound in AT_LEAST
                            else QuantityPrecision.AT_MOST if bound in AT_MOST
                            else QuantityPrecision.APPROXIMATE,
                            prefix=bound if bound in CAP else "")
    if prefix in VAGUE and not nums:
        return Quantity(VAGUE[prefix], QuantityPrecision.AT_LEAST)
    if prefix in ROUND and not nums:
        return Quantity(ROUND[prefix], QuantityPrecision.APPROXIMATE)
    values = [number(n) for n in nums]
    if not values or any(v is None for v in values):
        return None
    if len(values) == 2:
        low, high = sorted(v for v in values if v is not None)
        return Quantity(low, QuantityPrecision.RANGE, high)
    value = values[0]
    assert value is not None
    if prefix in APPROX or prefix.endswith("estimated"):
        return Quantity(value, QuantityPrecision.APPROXIMATE)
    if prefix in AT_LEAST:
        return Quantity(value, QuantityPrecision.AT_LEAST)
    if prefix in AT_MOST:
        return Quantity(value, QuantityPrecision.AT_MOST, prefix=prefix)
    return Quantity(value, QuantityPrecision.EXACT)
