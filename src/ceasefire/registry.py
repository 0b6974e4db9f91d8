"""The one place where provision kinds and importers are registered.

ceasefire's own kinds and importers are plugins registered through these same hooks, the
way a third party's would be (a package exposing an entry point in the ``ceasefire`` group).
Adding a kind therefore touches one module: the module that defines it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Protocol, Union

import pluggy
from pydantic import Field, TypeAdapter

if TYPE_CHECKING:
    import sqlalchemy as sa

    from .agreement import Agreement
    from .ingest.model import Extractor
    from .ingest.readers import Reader
    from .io import Format
    from .kinds import ProvisionKind
    from .ledger import Entry

hookspec = pluggy.HookspecMarker("ceasefire")
hookimpl = pluggy.HookimplMarker("ceasefire")

#: Modules of built-in plugins, registered exactly as a third-party plugin would be.
BUILTINS = (
    "ceasefire.kinds.transfer",
    "ceasefire.kinds.ratio",
    "ceasefire.kinds.flow",
    "ceasefire.kinds.state",
    "ceasefire.kinds.buildup",
    "ceasefire.kinds.milestone",
    "ceasefire.kinds.prohibition",
    "ceasefire.io",
    "ceasefire.remains.checks",
    "ceasefire.ingest.readers",
    "ceasefire.ingest.extractors",
)


class EntryCheck(Protocol):
    """Validation for entry types a feature adds (or for its fields on core types).

    ``check`` sees one entry and its agreement and raises ``ledger.FieldError``;
    ``check_append`` sees a batch about to be appended, inside the append's transaction
    (so it reads the ledger as it stands under the write lock), with the agreements the
    batch's entries belong to, and raises ``ledger.RowRefused`` naming the batch position.
    A check may also say which entries ``check_append`` reads, with a method
    ``wants(entry) -> bool``: it is then given only those (a large import's workers send
    back only the entries some check reads), else every entry of the batch.
    """

    types: frozenset[str]

    def check(self, entry: Entry, agreement: Agreement) -> None: ...

    def check_append(self, conn: sa.Connection, entries: list[Entry],
                     agreements: Mapping[str, Agreement]) -> None: ...


class Specs:
    """Hooks a plugin may implement. Each is documented in the README's plugin section."""

    @hookspec
    def ceasefire_provision_kinds(self) -> list[ProvisionKind]:  # type: ignore[empty-body]
        """Provision kinds this plugin adds: each a model of its terms and an evaluator."""

    @hookspec
    def ceasefire_formats(self) -> list[Format]:  # type: ignore[empty-body]
        """File formats for `events import` and `events export` (csv, json, yaml ...)."""

    @hookspec
    def ceasefire_entry_checks(self) -> list[EntryCheck]:  # type: ignore[empty-body]
        """Checks for entry types (and entry fields) a plugin adds to the ledger."""

    @hookspec
    def ceasefire_readers(self) -> list[Reader]:  # type: ignore[empty-body]
        """Readers for `ceasefire ingest`: each a name, file suffixes, and
        ``read(data: bytes, name) -> Document`` (text, plus publisher/title/date if known)."""

    @hookspec
    def ceasefire_extractors(self) -> list[Extractor]:  # type: ignore[empty-body]
        """Extractors for `ceasefire ingest`: each a ``name`` and
        ``extract(document, agreement, report_date) -> list[Candidate]``."""


@cache
def plugin_manager() -> pluggy.PluginManager:
    import importlib

    pm = pluggy.PluginManager("ceasefire")
    pm.add_hookspecs(Specs)
    for name in BUILTINS:
        pm.register(importlib.import_module(name), name=name)
    pm.load_setuptools_entrypoints("ceasefire")
    return pm


@cache
def provision_kinds() -> dict[str, ProvisionKind]:
    kinds: dict[str, ProvisionKind] = {}
    for batch in plugin_manager().hook.ceasefire_provision_kinds():
        for kind in batch:
            if kind.name in kinds:
                raise RuntimeError(f"provision kind {kind.name!r} registered twice")
            kinds[kind.name] = kind
    return kinds


@cache
def formats() -> dict[str, Format]:
    return {f.name: f for batch in plugin_manager().hook.ceasefire_formats() for f in batch}


@cache
def entry_checks() -> list[EntryCheck]:
    return [c for batch in plugin_manager().hook.ceasefire_entry_checks() for c in batch]


@cache
def readers() -> dict[str, Reader]:
    return {r.name: r for batch in plugin_manager().hook.ceasefire_readers() for r in batch}


@cache
def extractors() -> dict[str, Extractor]:
    return {x.name: x for batch in plugin_manager().hook.ceasefire_extractors() for x in batch}


def provision_union() -> Any:
    models = tuple(k.model for k in provision_kinds().values())
    return Annotated[Union[models], Field(discriminator="kind")]  # type: ignore[valid-type] # noqa: UP007


@cache
def provision_adapter() -> TypeAdapter[Any]:
    return TypeAdapter(provision_union())
