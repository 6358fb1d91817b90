"""The corpus's saved compound splits: where they live, and how a process borrows, extends and returns them.

Splitting a German word type the first time costs about a millisecond (HanTa); on a real archive that is most
of the cost of indexing and counting terms. So the process-wide splitter's per-word cache is kept in the corpus
home (beside the index generations) and shared by everything that splits words there: ``add`` loads it before
its worker processes start (they inherit it), workers hand the words they split back with their results
(:func:`merge`), and the index writer and the term counter load it and save it again when they learned
something.

A file this process has already loaded (or written) is not parsed a second time while the splitter still
holds its entries; ``add`` would otherwise read it once for its workers and once for the index.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["CACHE_NAME", "WORTH_LOADING", "Relay", "borrowed", "cache_path", "load", "merge"]

#: File name of the saved cache inside the corpus's index folder.
CACHE_NAME = "compound-cache.json"

#: Documents from which loading the saved cache pays: reading it costs ~0.4 s per 200,000 words (and saving
#: it again ~0.5 s), splitting the new words of one document cold ~0.2 s.
WORTH_LOADING = 20

#: path → (modification time, entries) of the cache file as this process last loaded or wrote it.
_seen: dict[str, tuple[int, int]] = {}
#: Entries merged from other processes and not saved yet: a reason to save although this process split nothing.
_unsaved = 0


def cache_path(home: str | os.PathLike[str]) -> Path:
    """The saved cache of the corpus in ``home``."""
    from clustermine.index.storage import index_path

    return index_path(home) / CACHE_NAME


def load(path: Path) -> int:
    """Load the saved cache into the process-wide splitter (once per file version); returns the entries read.

    A damaged file, or one written under other rules, loads nothing: it is only a cache.
    """
    from clustermine.errors import ClustermineError
    from clustermine.pipeline.compounds import default_splitter

    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return 0
    splitter = default_splitter()
    known = _seen.get(str(path))
    if known is not None and known[0] == stamp and splitter.cache_info().size >= known[1]:
        return 0
    loaded = 0
    with suppress(ClustermineError):
        loaded = splitter.load_cache(path)
    _seen[str(path)] = (stamp, loaded)
    return loaded


def merge(entries: dict[str, tuple[str, ...]]) -> int:
    """Add splits another process made (see ``CompoundSplitter.take_new``); returns how many were new here."""
    global _unsaved
    if not entries:
        return 0
    from clustermine.pipeline.compounds import default_splitter

    added = default_splitter().add_entries(entries)
    _unsaved += added
    return added


@contextmanager
def borrowed(path: Path | None, *, enabled: bool = True, create: bool = True) -> Iterator[None]:
    """Load the saved cache, run the body, and save the cache when the body split or merged new words.

    ``create=False`` saves only where the folder already exists (a term count must not create an index
    folder). Nothing is saved when the body raises.
    """
    global _unsaved
    if not enabled or path is None:
        yield
        return
    from clustermine.pipeline.compounds import default_splitter

    splitter = default_splitter()
    load(path)
    misses = splitter.cache_info().misses
    yield
    changed = splitter.cache_info().misses != misses or _unsaved > 0 or not path.exists()
    if not changed or (not create and not path.parent.exists()):
        return
    with suppress(OSError):
        written = splitter.save_cache(path)
        _seen[str(path)] = (path.stat().st_mtime_ns, written)
        _unsaved = 0


class Relay:
    """Hands the splits one worker made to the other workers with their next tasks.

    Without it every worker process splits each frequent new word once for itself. A task carries what was
    learned since the task handed out ``window`` tasks before it: with tasks handed to whichever worker is free,
    that covers everything a worker has not seen yet unless it stayed on one file for longer than ``window``
    other tasks took (then it merely splits a few words again).
    """

    def __init__(self, window: int) -> None:
        self.window = max(1, window)
        self._learned: list[tuple[str, tuple[str, ...]]] = []
        self._base = 0  # how many learned entries were dropped from the front (no task needs them any more)
        self._marks: list[int] = []

    def learn(self, entries: dict[str, tuple[str, ...]] | None) -> None:
        if entries:
            self._learned.extend(entries.items())

    def next_batch(self) -> dict[str, tuple[str, ...]]:
        """What the next task should carry."""
        end = self._base + len(self._learned)
        self._marks.append(end)
        if len(self._marks) > self.window + 1:
            del self._marks[0]
        start = self._marks[0]
        if start > self._base:
            del self._learned[: start - self._base]
            self._base = start
        return dict(self._learned[start - self._base :])
