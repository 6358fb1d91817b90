"""The corpus's saved compound splits: one small SQLite table that every process of a corpus shares.

Splitting a German word type the first time costs about a millisecond (HanTa), and loading HanTa and the word
lists for the first split costs a second; on a real archive that is most of the cost of adding documents. So
each split is made once per corpus and kept in ``index/compound-splits.sqlite``: the process-wide splitter
looks a word up there when its in-memory cache misses (``CompoundSplitter.backing``) and splits only words
nobody split before. A table rather than one file that is read and written whole: a search or the ``add`` of
one file looks up a few hundred words in a cache of a million in milliseconds, and a run writes only what it
added.

Who writes: the ``add`` process (the splits its worker processes made, handed back with their results:
:func:`merge`, and relayed to the other workers: :class:`Relay`), the index writer and the term counter
(their own new splits, inside :func:`borrowed`). Worker and search processes only read. A table made under
other splitting rules or word lists (its fingerprint differs) is emptied by the next writer and ignored by
readers. A cache saved as JSON by earlier versions (``compound-cache.json``) is taken over once.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

__all__ = [
    "LEGACY_NAME", "STORE_NAME", "Relay", "SplitStore", "attach", "borrowed", "cache_path", "flush", "forget", "merge",
]

#: The table's file inside the corpus's index folder.
STORE_NAME = "compound-splits.sqlite"
#: The JSON cache of earlier versions, imported once and then left alone.
LEGACY_NAME = "compound-cache.json"

_SEP = "\x1f"
#: Entries written per transaction while ``add`` runs (so a long run keeps what it split if it is stopped).
FLUSH_EVERY = 2000


def cache_path(home: str | os.PathLike[str]) -> Path:
    """The saved splits of the corpus in ``home``."""
    from clustermine.index.storage import index_path

    return index_path(home) / STORE_NAME


class SplitStore:
    """The table of one corpus; connections are per process (opened again after a fork) and per thread."""

    def __init__(self, path: Path, fingerprint: str, *, write: bool) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.write = write
        self._local = threading.local()
        self.usable = self._prepare()

    def _prepare(self) -> bool:
        """Create the table (writers) and check its fingerprint; False when there is nothing usable to read."""
        if not self.write and not self.path.exists():
            return False
        try:
            conn = self._conn()
            if self.write:
                with conn:
                    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                    conn.execute("CREATE TABLE IF NOT EXISTS splits (word TEXT PRIMARY KEY, parts TEXT NOT NULL)")
                    row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
                    if row is None or row[0] != self.fingerprint:  # other rules: every saved split may be stale
                        conn.execute("DELETE FROM splits")
                        conn.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (self.fingerprint,))
                return True
            row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            return row is not None and row[0] == self.fingerprint
        except sqlite3.Error:
            return False

    def _conn(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            if getattr(local, "conn", None) is not None:
                _inherited.append(local.conn)  # the parent's, after a fork: never closed here (see below)
            if self.write:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            uri = f"file:{self.path}" + ("" if self.write else "?mode=ro")
            local.conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
            if self.write:
                local.conn.execute("PRAGMA journal_mode = WAL")
                local.conn.execute("PRAGMA synchronous = NORMAL")
            local.pid = os.getpid()
        return local.conn

    def get(self, word: str) -> tuple[str, ...] | None:
        """The saved parts of ``word``, or None."""
        if not self.usable:
            return None
        try:
            row = self._conn().execute("SELECT parts FROM splits WHERE word = ?", (word,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        return tuple(row[0].split(_SEP)) if row[0] else ()

    def put(self, entries: dict[str, tuple[str, ...]]) -> int:
        """Save ``entries`` (one transaction); returns how many were written."""
        if not (self.write and self.usable and entries):
            return 0
        rows = [(word, _SEP.join(parts)) for word, parts in entries.items()]
        with suppress(sqlite3.Error):
            conn = self._conn()
            with conn:
                conn.executemany("INSERT OR REPLACE INTO splits VALUES (?, ?)", rows)
            return len(rows)
        return 0

    def count(self) -> int:
        if not self.usable:
            return 0
        return self._conn().execute("SELECT COUNT(*) FROM splits").fetchone()[0]


#: Connections a forked process inherited from its parent. Closing them in the child could disturb the
#: parent's use of the database, so they are kept referenced until the process ends.
_inherited: list[sqlite3.Connection] = []


# -- the process-wide splitter's store ---------------------------------------------------------------------------

_store: SplitStore | None = None
_identity: tuple[str, bool, int] | None = None  # (path, write, inode) of the attached file
_pending: dict[str, tuple[str, ...]] = {}  # merged from workers, not yet written


def attach(path: Path, *, write: bool = False) -> SplitStore | None:
    """Let the process-wide splitter read (and, with ``write``, later save to) the saved splits at ``path``.

    Cheap when nothing changed; a file deleted or replaced since is opened again. Writing also takes over a
    JSON cache of earlier versions lying beside it.
    """
    global _store, _identity
    from clustermine.pipeline.compounds import default_splitter

    try:
        inode = path.stat().st_ino
    except OSError:
        inode = -1
    identity = (str(path), write, inode)
    if _store is not None and _identity == identity:
        return _store
    if not write and inode < 0:
        return None
    splitter = default_splitter()
    store = SplitStore(path, splitter.fingerprint(), write=write)
    if not store.usable:
        return None
    if write:
        _take_over_legacy(store, path.parent / LEGACY_NAME, splitter)
        splitter.record_new()
    _store, _identity = store, (str(path), write, path.stat().st_ino)
    splitter.backing = store.get
    return store


def _take_over_legacy(store: SplitStore, legacy: Path, splitter: Any) -> None:
    if not legacy.exists() or store.count():
        return
    from clustermine.errors import ClustermineError
    from clustermine.pipeline.compounds import CompoundSplitter

    reader = CompoundSplitter(**splitter.__getstate__())
    with suppress(ClustermineError, OSError):
        if reader.load_cache(legacy):
            store.put(dict(reader.cache_))


def merge(entries: dict[str, tuple[str, ...]] | None) -> int:
    """Splits another process made (``CompoundSplitter.take_new``): into this process's cache, and saved with
    the next :func:`flush`. Returns how many were new here."""
    if not entries:
        return 0
    from clustermine.pipeline.compounds import default_splitter

    added = default_splitter().add_entries(entries)
    _pending.update(entries)
    if len(_pending) >= FLUSH_EVERY:
        flush()
    return added


def flush() -> int:
    """Save what was merged or split in this process since the last flush (nothing without a writable store)."""
    from clustermine.pipeline.compounds import default_splitter

    fresh = default_splitter().take_new() if _store is not None and _store.write else {}
    entries = {**_pending, **fresh}
    _pending.clear()
    return _store.put(entries) if _store is not None else 0


@contextmanager
def borrowed(path: Path | None, *, enabled: bool = True, create: bool = True) -> Iterator[None]:
    """Use the saved splits while the body runs and save the new ones after it (not when it raises).

    ``create=False`` leaves a corpus without an index folder alone (a term count must not create one).
    """
    if not enabled or path is None or (not create and not path.parent.exists()):
        yield
        return
    attach(path, write=True)
    yield
    flush()


def detach() -> None:
    """Stop using the attached splits in this process, without touching the file: what a process forked from
    one that had them attached does first (an SQLite connection must not be used across a fork; it is kept
    referenced, not closed, so that nothing of the parent's is released from here)."""
    global _store, _identity
    from clustermine.pipeline.compounds import default_splitter

    if _store is not None:
        _inherited.append(_store)
    default_splitter().backing = None
    _store = _identity = None
    _pending.clear()


_inherited: list[SplitStore] = []


def forget(path: Path) -> None:
    """Delete the saved splits at ``path`` (and an old JSON cache beside them) and detach them from this
    process's splitter: what benchmarks of a cold start need."""
    global _store, _identity
    from clustermine.pipeline.compounds import default_splitter

    for name in (path.name, path.name + "-wal", path.name + "-shm", LEGACY_NAME):
        (path.parent / name).unlink(missing_ok=True)
    default_splitter().backing = None
    _store = _identity = None
    _pending.clear()


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
