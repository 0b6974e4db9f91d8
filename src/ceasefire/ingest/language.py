"""Whether a text is English, the one language the built-in grammar reads.

A report in another language would yield no candidates, silently; a monitor must be told
instead. The test is deliberately simple (English function words and Latin letters) so it
costs nothing next to the grammar.
"""

from __future__ import annotations

import re

from ..errors import CeasefireError

_FUNCTION = ("the of and to in a is that for on with as was by at it from be has have had are "
             "were an this its their which not but or been will would after said who they he "
             "she also more than over into about two three four five all some")
FUNCTION_WORDS = frozenset(_FUNCTION.split())
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def check_english(text: str, name: str) -> None:
    words = _WORD.findall(text)
    if not words:
        raise CeasefireError("no words in the text: nothing to read", where=name)
    letters = "".join(words)
    latin = sum(1 for ch in letters if ch.isascii())
    if latin / len(letters) < 0.6:
        raise CeasefireError("the text is not in English (mostly non-Latin script); the "
                             "grammar reads English only: give a translation", where=name)
    if len(words) >= 12:
        share = sum(1 for w in words if w.lower() in FUNCTION_WORDS) / len(words)
        if share < 0.06:
            raise CeasefireError("the text does not look like English (almost no English "
                                 "function words); the grammar reads English only: give a "
                                 "translation", where=name)
