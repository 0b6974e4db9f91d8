"""What reading a report produces: documents, and candidate events awaiting review."""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from ..agreement import Agreement


class Modality(StrEnum):
    """Whether the sentence says the event happened, or something else about it.

    Only ``occurred`` becomes a counted fact when accepted; every other modality is kept as a
    statement, because a plan, a hope or a cap is not a delivery.
    """

    OCCURRED = "occurred"
    PLANNED = "planned"
    EXPECTED = "expected"
    DEMANDED = "demanded"
    HOPED = "hoped"
    PERMITTED = "permitted"     # a cap or an allowance ("up to 600 trucks permitted daily")
    DENIED = "denied"           # negated or denied ("officials deny ...", "has not returned")
    CUMULATIVE = "cumulative"   # a running total ("so far, ... has returned seven")


class QuantityPrecision(StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    RANGE = "range"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Document(BaseModel):
    """One report as read: its text and what is known about where it came from."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="File name or '<stdin>'.")
    text: str
    publisher: str | None = None
    title: str | None = None
    date: dt.date | None = Field(default=None, description="The report's date, if known.")
    url: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


class Candidate(BaseModel):
    """An event a sentence reports, as the extractor read it; a person decides what it is."""

    model_config = ConfigDict(extra="forbid")

    id: str = ""
    agreement: str
    type: str = Field(description="Ledger entry type (transfer, flow, facility_state ...).")
    kind: str | None = None
    actor: str | None = None
    recipient: str | None = None
    via: list[str] = Field(default_factory=list)
    category: str | None = None
    measure: str | None = None
    unit: str | None = None
    quantity: int | None = None
    quantity_max: int | None = Field(default=None, description="Upper end of a range.")
    precision: QuantityPrecision | None = None
    facility: str | None = None
    place: str | None = None
    state: str | None = None
    outcome: str | None = Field(default=None, description="Identification result.")
    date: dt.date | None = None
    date_end: dt.date | None = Field(default=None, description="Last day of a range of "
                                     "days (\"between Friday and Sunday\"); ``date`` is "
                                     "the first.")
    date_text: str | None = None
    modality: Modality = Modality.OCCURRED
    attribution: str | None = None
    quote: str
    start: int = Field(description="Character offset of the quote in the document text.")
    end: int
    provisions: list[str] = Field(default_factory=list)
    target: str | None = Field(default=None, description="For an identification: the "
                               "transfer entry whose remains it identifies.")
    note: str | None = None

    @property
    def short(self) -> str:
        """The id as shown: its end, which tells apart the candidates of one report (an id
        starts with its report's)."""
        return self.id[-12:]

    def key(self) -> str:
        """Identity within one document: re-reading the same report gives the same ids."""
        bits = (self.agreement, self.type, self.category or "", self.facility or "",
                str(self.quantity), self.modality.value, str(self.start), str(self.end))
        return hashlib.sha256("|".join(bits).encode()).hexdigest()[:24]


class Unread(BaseModel):
    """A sentence that names what the agreement is about, with a figure, a date or an
    event word, from which the extractor made no candidate.

    The extractor finds about half of the events in text unlike what it was built on
    (docs/extractor.md): listing the sentences it passed over lets a reviewer read those
    rather than the whole report, so a fact it could not read is not silently lost.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = ""
    agreement: str
    quote: str
    start: int = Field(description="Character offset of the sentence in the document text.")
    end: int
    names: list[str] = Field(description="What of the agreement the sentence names "
                             "(\"category:prisoner\", \"facility:rafah\", \"milestone:x\").")
    why: str = Field(description="What else made it worth a look: a figure, a date, an "
                     "event word.")

    short = Candidate.short

    def key(self) -> str:
        return hashlib.sha256(f"{self.agreement}|unread|{self.start}|{self.end}".encode()
                              ).hexdigest()[:24]


class Extractor(Protocol):
    """What the ``ceasefire_extractors`` hook returns: a named reader of documents. One may
    also have ``read(document, agreement, report) -> (candidates, unread)``, which returns
    the sentences it passed over (:class:`Unread`) too; the pipeline uses it where present."""

    name: str

    def extract(self, document: Document, agreement: Agreement,
                report: dt.date | None) -> list[Candidate]: ...

