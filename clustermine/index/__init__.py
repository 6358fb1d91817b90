"""Full-text search over the corpus: a whoosh index kept in step with the store, German-aware.

The facade for the common case::

    from clustermine.index import SearchFilters, search, similar, sync_index

    sync_index(store)                                  # after adding or removing documents
    result = search(store, "Clusterförderung NOT Logistik", filters=SearchFilters(regions=("Mettmann",)))
    for hit in result.hits:
        print(hit.rank, hit.title, hit.snippet)

Only this package touches whoosh; callers get :class:`~clustermine.model.Hit` records and plain dicts. The
names below are imported lazily so that ``import clustermine.index`` (and ``clustermine --help``) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clustermine.index.engine import SearchResult, search, select_ids, similar
    from clustermine.index.filters import SearchFilters
    from clustermine.index.query import SYNTAX_HELP
    from clustermine.index.storage import index_path
    from clustermine.index.writer import SyncReport, sync_index

_EXPORTS = {
    "SearchFilters": "clustermine.index.filters",
    "SYNTAX_HELP": "clustermine.index.query",
    "SearchResult": "clustermine.index.engine",
    "search": "clustermine.index.engine",
    "similar": "clustermine.index.engine",
    "select_ids": "clustermine.index.engine",
    "index_path": "clustermine.index.storage",
    "SyncReport": "clustermine.index.writer",
    "sync_index": "clustermine.index.writer",
}

__all__ = [
    "SYNTAX_HELP",
    "SearchFilters",
    "SearchResult",
    "SyncReport",
    "index_path",
    "search",
    "select_ids",
    "similar",
    "sync_index",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'clustermine.index' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
