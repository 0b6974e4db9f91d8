"""ceasefire: agreements as machine-checkable provisions, a sourced tamper-evident ledger,
and an engine that says who delivered what, what is owed, overdue and blocked.

The public surface is re-exported here; the modules behind it are free to change.
"""

from .agreement import Agreement, load_agreement, parse_agreement
from .engine import Engine, evaluate
from .errors import AgreementError, CeasefireError, ImportRowError
from .ledger import Entry, EntryIn, EntryType, Ledger, Verification
from .registry import hookimpl
from .sources import Source
from .status import AgreementStatus, Level, ProvisionResult, Status

__all__ = [
    "Agreement", "AgreementError", "AgreementStatus", "CeasefireError", "Engine", "Entry",
    "EntryIn", "EntryType", "ImportRowError", "Ledger", "Level", "ProvisionResult", "Source",
    "Status", "Verification", "evaluate", "hookimpl", "load_agreement", "parse_agreement",
]
__version__ = "0.1.0"
