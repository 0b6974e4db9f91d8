"""Errors a user can cause and fix.

Every user-facing failure is a :class:`CeasefireError` so the CLI can print one clear line
(file, line, field, what was expected) and exit non-zero without a traceback.
"""

from __future__ import annotations

import functools
from typing import Any


class CeasefireError(Exception):
    """A problem in the user's input or environment, explained in words.

    ``where`` names the file (and line) or the row and field, so the user can find it.
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole (``where`` apart), so one raised in a worker process of a large
        import reaches the user as it was raised."""
        return functools.partial(type(self), where=self.where), (self.message,)


class AgreementError(CeasefireError):
    """An agreement file that does not validate."""


class ImportRowError(CeasefireError):
    """A row of an import that does not validate; nothing of the import was written."""


class LedgerIntegrityError(CeasefireError):
    """The hash chain does not verify."""
