"""Dates relative to the report's date: "Wednesday", "yesterday", "on Monday night".

A weekday points back for something that happened and forward for something planned or
expected, because a report dated Wednesday that says "a transfer is expected Thursday" means
the next Thursday, while "bodies were returned on Monday" means the Monday before. Absolute
dates ("13 October") go through ``dateparser`` with the report's date as reference.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .model import Modality

WEEKDAYS = {d: i for i, d in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "jan.", "feb", "feb.",
          "mar", "mar.", "apr", "apr.", "jun", "jun.", "jul", "jul.", "aug", "aug.", "sep",
          "sep.", "sept", "sept.", "oct", "oct.", "nov", "nov.", "dec", "dec."}
RELATIVE = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "last night": -1,
            "this morning": 0, "this afternoon": 0, "this evening": 0, "overnight": 0,
            "earlier today": 0, "the day before": -1}
#: Days named for a fixed date ("on Christmas Eve"): the nearest one before the report
#: for what happened, after it for what is planned.
FIXED_DAYS = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
              "boxing day": (12, 26), "new year 's eve": (12, 31),
              "new year 's day": (1, 1)}
FORWARD = {Modality.PLANNED, Modality.EXPECTED, Modality.HOPED, Modality.DEMANDED}
#: Words that open a range of days ("between Friday and Sunday", "from 10 to 12 March")
#: and words that join its ends.
RANGE_OPENERS = {"between", "from"}
RANGE_JOINS = {"and", "to", "through", "until", "till", "-", "–"}


def resolve(text: str, report: dt.date | None, modality: Modality) -> dt.date | None:
    """The calendar day a date phrase names, or None when it cannot be told."""
    words = text.lower().replace(",", " ").split()
    if not words:
        return None
    phrase = " ".join(words)
    if report is not None:
        if phrase in RELATIVE:
            return report + dt.timedelta(days=RELATIVE[phrase])
        fixed = FIXED_DAYS.get(phrase.replace("'s", " 's").replace("  ", " ").removeprefix(
            "on "))
        if fixed is not None:
            return _fixed_day(report, *fixed, forward=modality in FORWARD)
        for w in words:
            if w in WEEKDAYS and not any(m in words for m in MONTHS):
                return _weekday(report, WEEKDAYS[w], forward=modality in FORWARD,
                                last="last" in words, next_="next" in words)
    return _absolute(phrase, report, modality in FORWARD)


def resolve_span(text: str, report: dt.date | None,
                 modality: Modality) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a date phrase names: the same day twice for one day, two
    days for a range ("between Friday and Sunday", "from 10 to 12 March"), the first
    before the last; (None, None) when it cannot be told."""
    words = text.lower().replace(",", " ").split()
    if words[:1] == ["the"]:
        words = words[1:]
    if words and words[0] not in RANGE_OPENERS:   # "1–7 February", "Feb. 1 - 7"
        dashed = re.sub(r"(\d{1,2})\s*[-–]\s*(\d{1,2})", r"\1 to \2", " ".join(words))
        if dashed != " ".join(words):
            words = ["from", *dashed.split()]
    if words[:2] in (["week", "ending"], ["week", "to"]):
        last_day = resolve(" ".join(words[2:]), report, modality)
        return (last_day - dt.timedelta(days=6), last_day) if last_day else (None, None)
    join = next((i for i, w in enumerate(words) if w in RANGE_JOINS and i > 1), None) \
        if words and words[0] in RANGE_OPENERS else None
    if join is None:
        day = resolve(text, report, modality)
        return day, day
    first, last = words[1:join], words[join + 1:]
    month = [w for w in last if w in MONTHS or w.isdigit() and len(w) == 4]
    if first and first[-1].isdigit() and not any(w in MONTHS for w in first):
        first = first + month                 # "10 and 12 March": the 10th of March
    elif first and first[0] in MONTHS and last and last[0].isdigit() and len(last) == 1:
        last = [first[0], *last]              # "March 10 to 12"
    start = resolve(" ".join(first), report, modality)
    end = resolve(" ".join(last), report, modality)
    if start is None or end is None:
        return (start or end), None
    if start > end:
        if modality in FORWARD:
            end += dt.timedelta(days=7 * ((start - end).days // 7 + 1))
        else:
            start -= dt.timedelta(days=7 * ((start - end).days // 7 + 1))
    return start, end


def _fixed_day(report: dt.date, month: int, day: int, *, forward: bool) -> dt.date:
    this_year = dt.date(report.year, month, day)
    if forward:
        return this_year if this_year >= report else dt.date(report.year + 1, month, day)
    return this_year if this_year <= report else dt.date(report.year - 1, month, day)


def _weekday(report: dt.date, wd: int, *, forward: bool, last: bool, next_: bool) -> dt.date:
    if next_ or (forward and not last):
        return report + dt.timedelta(days=(wd - report.weekday()) % 7)
    back = (report.weekday() - wd) % 7
    if last and back == 0:
        back = 7
    return report - dt.timedelta(days=back)


@lru_cache(maxsize=4096)
def _absolute(phrase: str, report: dt.date | None, forward: bool) -> dt.date | None:
    import dateparser

    base = dt.datetime.combine(report or dt.date.today(), dt.time(12))
    found = dateparser.parse(phrase, languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "future" if forward else "past",
        "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day"]})
    return found.date() if found else None
