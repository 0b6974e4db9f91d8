"""Sources: the document behind every fact, with the short quote that supports it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Source(BaseModel):
    """A document and the short quote from it that supports one fact.

    ``confidential`` sources are restricted: shown only to readers cleared for them and
    redacted from public views and exports.

    Frozen: the canonical bytes of the entries citing a source work its part out once
    (see ``entry.Entry.canonical``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    date: dt.date | None = Field(
        default=None, description="Publication date; null only where unknown.")
    url: str | None = Field(default=None, description="The document's address.")
    quote: str = Field(min_length=1, max_length=600,
                       description="A short verbatim quote; never the whole article.")
    confidential: bool = False


class SourceDoc(BaseModel):
    """A document in a catalogue; a :class:`Citation` adds the quote."""

    model_config = ConfigDict(extra="forbid")

    publisher: str
    title: str
    date: dt.date | None = Field(
        default=None, description="Publication date; null only where unknown.")
    url: str | None = None


class Citation(BaseModel):
    """Where a provision comes from: a catalogued document, the clause, a short quote."""

    model_config = ConfigDict(extra="forbid")

    ref: str = Field(description="Key of a document in the agreement's `sources` catalogue.")
    clause: str = Field(description='The clause cited, e.g. "point 4".')
    quote: str | None = Field(default=None, max_length=600)
