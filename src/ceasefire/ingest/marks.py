"""The marks a sentence is read into: mentions of names and counts, and event words with
the counted phrases attached to them (shared by the grammar and its helpers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .numbers import Quantity


@dataclass
class Mention:
    start: int
    end: int
    ids: frozenset[str]
    unit: str | None = None       # a bare unit noun ("bodies"), not a named category
    compare: str | None = None    # a second count compared with the first ("down from")


@dataclass
class Trigger:
    start: int
    end: int
    group: str
    form: str                     # base, third, past, ing, noun
    #: no event word: a count of a category the agreement names, read as its event with
    #: low confidence (see ``Grammar._uncued``)
    weak: bool = False
    #: for a ``STATE`` trigger: the facilities it may be said of, and the state
    states: dict[str, str] = field(default_factory=dict)
    themes: list[tuple[tuple[int, int, Quantity] | None, Mention | None]] = field(
        default_factory=list)
