"""Search and recovery of remains: sites, teams, custody chains and missing persons.

Sites, teams and custody links are ordinary ledger entries (types ``site``, ``team``,
``custody``; a handover is a ``transfer`` and an identification an ``identification``,
both carrying the custody link in ``details``), so they are sourced, hash-chained and
readable as of any date. :mod:`.views` turns them into plain data for the CLI and the
dashboard; :mod:`.svgmap` draws sites offline; :mod:`.record` writes them.
"""
