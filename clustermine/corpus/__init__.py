"""Getting documents in and keeping them: readers, normalisation, the SQLite store, ingestion.

The facade for the common case is :func:`open_store` and :func:`add_paths`; everything else is importable from
its own module. Imports here stay light so that ``clustermine --help`` is fast.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clustermine.corpus.ingest import AddReport
    from clustermine.corpus.store import CorpusStore
    from clustermine.pipeline.annotate import EntitySettings


def open_store(home: str | os.PathLike[str] | None = None, *, create: bool = True) -> CorpusStore:
    """Open (or create) the corpus in ``home`` (default: ``$CLUSTERMINE_HOME`` or ``./.clustermine``)."""
    from clustermine.corpus.store import CorpusStore, default_home

    return CorpusStore(Path(home) if home is not None else default_home(), create=create)


def add_paths(store: CorpusStore, paths: list[str], **options: Any) -> AddReport:
    """Add files, folders and globs to ``store``; see :func:`clustermine.corpus.ingest.add_paths`."""
    from clustermine.corpus.ingest import add_paths as _add_paths

    with store.writer_lock(wait=float(options.pop("wait", 0.0))):
        return _add_paths(store, paths, **options)


def entity_settings(store: CorpusStore) -> EntitySettings:
    """The corpus's entity settings: user gazetteer files (kept inside the corpus home) and persons on/off."""
    from clustermine.pipeline.annotate import EntitySettings

    files = tuple(str(store.home / "gazetteers" / name) for name in store.get_setting("gazetteers", []))
    return EntitySettings(persons=bool(store.get_setting("persons", False)), gazetteer_files=files)


def update_entity_settings(
    store: CorpusStore, *, gazetteers: Sequence[str | os.PathLike[str]] = (), persons: bool | None = None
) -> EntitySettings:
    """Add user gazetteer files to the corpus and/or switch persons on or off; returns the new settings.

    The files are validated first (a broken TSV is refused with its line number) and copied into the corpus
    home, so the corpus keeps working when the original file moves, and re-adding a changed file updates it.
    """
    import shutil

    from clustermine.pipeline.gazetteer import load_gazetteer

    current = entity_settings(store)
    sources = [Path(g) for g in gazetteers]
    load_gazetteer([*map(Path, current.gazetteer_files), *sources])  # raises on invalid files
    folder = store.home / "gazetteers"
    names = list(store.get_setting("gazetteers", []))
    for source in sources:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / source.name
        temporary = target.with_suffix(target.suffix + ".tmp")
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
        if source.name not in names:
            names.append(source.name)
    with store.transaction():
        store.set_setting("gazetteers", names)
        if persons is not None:
            store.set_setting("persons", persons)
    return entity_settings(store)
