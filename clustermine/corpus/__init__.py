"""Getting documents in and keeping them: readers, normalisation, the SQLite store, ingestion.

The facade for the common case is :func:`open_store` and :func:`add_paths`; everything else is importable from
its own module. Imports here stay light so that ``clustermine --help`` is fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clustermine.corpus.ingest import AddReport
    from clustermine.corpus.store import CorpusStore


def open_store(home: str | os.PathLike[str] | None = None, *, create: bool = True) -> CorpusStore:
    """Open (or create) the corpus in ``home`` (default: ``$CLUSTERMINE_HOME`` or ``./.clustermine``)."""
    from clustermine.corpus.store import CorpusStore, default_home

    return CorpusStore(Path(home) if home is not None else default_home(), create=create)


def add_paths(store: CorpusStore, paths: list[str], **options: Any) -> AddReport:
    """Add files, folders and globs to ``store``; see :func:`clustermine.corpus.ingest.add_paths`."""
    from clustermine.corpus.ingest import add_paths as _add_paths

    with store.writer_lock(wait=float(options.pop("wait", 0.0))):
        return _add_paths(store, paths, **options)
