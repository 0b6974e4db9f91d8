"""A provision's numbers over time: what the charts draw and the projections extrapolate.

Each provision kind knows which series it has (see ``ProvisionKind.history``); this module
is the one entry point the dashboard, the briefs and the CLI call.
"""

from __future__ import annotations

import datetime as dt

from .engine import Engine
from .ledger import Ledger
from .status import ProvisionHistory


def provision_history(source: Ledger | Engine, agreement: str | None, provision: str, *,
                      as_of: dt.datetime | None = None,
                      known_at: dt.datetime | None = None) -> ProvisionHistory:
    """The provision's series as the view (as of, known at) sees them.

    Pass a long-lived :class:`Engine` (the web server's) to reuse its warm snapshot; a
    :class:`Ledger` builds a fresh one.
    """
    engine = source if isinstance(source, Engine) else Engine(source)
    return engine.history(agreement, provision, as_of=as_of, known_at=known_at)
