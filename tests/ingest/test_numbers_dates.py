"""Number and date parsing on their own (the grammar tests cover them in sentences)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.ingest.dates import resolve, resolve_span
from ceasefire.ingest.model import Modality
from ceasefire.ingest.numbers import number, parse_quantity

WED = dt.date(2025, 10, 15)


@pytest.mark.parametrize(("words", "value"), [
    (["1,968"], 1968), (["seven"], 7), (["forty", "-", "five"], 45),
    (["one", "thousand", "seven", "hundred"], 1700), (["1.2", "million"], 1_200_000),
    (["twenty", "one"], 21), (["many"], None),
])
def test_number(words, value):
    assert number(words) == value


@given(st.integers(min_value=0, max_value=10**9))
def test_digits_with_thousands_separators(n):
    assert number([f"{n:,}"]) == n


@pytest.mark.parametrize(("prefix", "nums", "expect"), [
    ("up to", [["600"]], (600, "at_most", None, True)),
    ("fewer than", [["200"]], (200, "at_most", None, False)),
    ("around", [["1,000"]], (1000, "approximate", None, False)),
    ("more than", [["300"]], (300, "at_least", None, False)),
    ("", [["25"], ["20"]], (20, "range", 25, False)),
    ("dozens", [], (24, "at_least", None, False)),
    ("a dozen", [], (12, "approximate", None, False)),
])
def test_quantity_precision(prefix, nums, expect):
    q = parse_quantity(prefix, nums)
    assert q is not None and (q.value, q.precision, q.high, q.cap) == expect


@pytest.mark.parametrize(("text", "modality", "day"), [
    ("Wednesday", Modality.OCCURRED, WED),
    ("Wednesday", Modality.EXPECTED, WED),
    ("Tuesday", Modality.OCCURRED, dt.date(2025, 10, 14)),
    ("Tuesday", Modality.PLANNED, dt.date(2025, 10, 21)),
    ("last Wednesday", Modality.OCCURRED, dt.date(2025, 10, 8)),
    ("next Monday", Modality.OCCURRED, dt.date(2025, 10, 20)),
    ("Monday night", Modality.OCCURRED, dt.date(2025, 10, 13)),
    ("yesterday", Modality.OCCURRED, dt.date(2025, 10, 14)),
    ("tomorrow", Modality.PLANNED, dt.date(2025, 10, 16)),
    ("13 October", Modality.OCCURRED, dt.date(2025, 10, 13)),
    ("October 20", Modality.PLANNED, dt.date(2025, 10, 20)),
])
def test_dates_against_the_report_date(text, modality, day):
    assert resolve(text, WED, modality) == day


def test_relative_date_without_report_date_is_unknown():
    assert resolve("Monday", None, Modality.OCCURRED) is None


@pytest.mark.parametrize(("text", "modality", "days"), [
    ("between Friday and Sunday", Modality.OCCURRED, (dt.date(2025, 10, 10),
                                                       dt.date(2025, 10, 12))),
    ("from Monday to Wednesday", Modality.OCCURRED, (dt.date(2025, 10, 13), WED)),
    ("between Saturday and Monday", Modality.PLANNED, (dt.date(2025, 10, 18),
                                                        dt.date(2025, 10, 20))),
    ("between 3 and 5 October", Modality.OCCURRED, (dt.date(2025, 10, 3),
                                                     dt.date(2025, 10, 5))),
    ("from 28 September to 2 October", Modality.OCCURRED, (dt.date(2025, 9, 28),
                                                            dt.date(2025, 10, 2))),
    ("from October 6 to 9", Modality.OCCURRED, (dt.date(2025, 10, 6), dt.date(2025, 10, 9))),
    ("Tuesday", Modality.OCCURRED, (dt.date(2025, 10, 14), dt.date(2025, 10, 14))),
])
def test_a_range_of_days_has_a_first_and_a_last_day(text, modality, days):
    assert resolve_span(text, WED, modality) == days
