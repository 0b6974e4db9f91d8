"""Valid time with precision, and the parsing of the dates people type.

Sources rarely give exact times ("on Monday night"), so every valid time is an interval:
``start`` is the earliest moment it can have happened and ``end`` the latest. Times are
stored as integer microseconds since the epoch (UTC) so that both backends compare them
exactly and quickly.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo

from .errors import CeasefireError

UTC = dt.UTC
TIME_HELP = "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[+03:00]"


class Precision(StrEnum):
    EXACT = "exact"
    HOUR = "hour"
    DAY = "day"
    RANGE = "range"


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def to_us(moment: dt.datetime) -> int:
    """Microseconds since the epoch for an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return (moment - _EPOCH) // _MICROSECOND


def from_us(us: int, tz: dt.tzinfo = UTC) -> dt.datetime:
    return (dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=us)).astimezone(tz)


def zone(name: str | None) -> dt.tzinfo:
    if not name or name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError
        raise CeasefireError(f"unknown time zone {name!r}") from exc


def interval(text: str | dt.date | dt.datetime, tz: dt.tzinfo,
             precision: str | None = None) -> tuple[dt.datetime, dt.datetime, Precision]:
    """The interval a typed time stands for.

    A bare date is the whole day in the agreement's time zone; ``precision: hour`` widens an
    exact time to its hour. Naive datetimes are read in ``tz``.
    """
    if isinstance(text, dt.datetime):
        value: dt.date | dt.datetime = text
    elif isinstance(text, dt.date):
        value = text
    else:
        raw = text.strip()
        try:
            value = dt.date.fromisoformat(raw) if len(raw) == 10 else dt.datetime.fromisoformat(raw)
        except ValueError as exc:
            raise CeasefireError(
                f"{raw!r} is not a date or time; {TIME_HELP}"
            ) from exc
    if isinstance(value, dt.datetime):
        start = value if value.tzinfo else value.replace(tzinfo=tz)
        prec = Precision(precision) if precision else Precision.EXACT
        if prec is Precision.HOUR:
            start = start.replace(minute=0, second=0, microsecond=0)
            return start, start + dt.timedelta(hours=1) - dt.timedelta(microseconds=1), prec
        if prec is Precision.DAY:
            value = start.date()
        else:
            return start, start, Precision.EXACT
    day_start = dt.datetime.combine(value, dt.time(0), tzinfo=tz)
    day_end = day_start + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return day_start, day_end, Precision.DAY


def moment(text: str | dt.date | dt.datetime | None, tz: dt.tzinfo, *,
           default: dt.datetime | None = None) -> dt.datetime:
    """A point in time for ``--as-of`` / ``--known-at``: a bare date means the end of that day."""
    if text is None or text == "":
        return default or dt.datetime.now(UTC)
    if isinstance(text, str) and text.strip().lower() == "now":
        return dt.datetime.now(UTC)
    return interval(text, tz)[1]


def humanize_age(seconds: float) -> str:
    """'3 days', '5 hours', '12 minutes' — how long ago the latest entry was."""
    seconds = max(0.0, seconds)
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "less than a minute"
