"""Reading reports into candidate events, a review queue, and source reconciliation.

``ceasefire ingest`` reads text, HTML or PDF (:mod:`.readers`), finds candidate events with
a token grammar (:mod:`.grammar`), and queues them (:mod:`.queue`); nothing reaches the
ledger until a person accepts it (``ceasefire review``), and an accepted report of an event
the ledger already holds becomes another source for it, not a second event
(:mod:`.reconcile`).
"""
