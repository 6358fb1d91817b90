"""Where the index lives on disk, and how a rebuilt index replaces the old one without a gap.

Layout (inside the corpus home)::

    index/
      CURRENT        one line: the name of the generation searches use, e.g. "gen-000003"
      LOCK           held (flock) by the one process that writes the index
      gen-000003/    a whoosh index + meta.json (analysis name and version, format, backend); with the tantivy
                     backend a tantivy/ folder and columns.sqlite instead of the whoosh files

Why a pointer file instead of renaming folders: ``os.replace`` of a small file is atomic on POSIX and Windows,
renaming a folder over another is not. A rebuild writes a complete new generation next to the old one and only
then points ``CURRENT`` at it; a crash at any moment before that leaves ``CURRENT`` naming the last good index,
and the half-built folder is removed by the next sync. Incremental updates happen inside the current
generation through one whoosh commit, which whoosh makes atomic itself (segment files first, then the table of
contents written to a temporary file and renamed into place).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from clustermine.errors import ClustermineError

INDEX_DIR = "index"
POINTER = "CURRENT"
LOCK = "LOCK"
META = "meta.json"
WHOOSH_NAME = "MAIN"
_GENERATION = re.compile(r"^gen-(\d{6})$")

#: The search backends an index can be built with; whoosh is the default, tantivy (optional, Rust) builds
#: about ten times faster. The backend of an existing index is kept until asked for another.
BACKENDS: tuple[str, ...] = ("whoosh", "tantivy")
DEFAULT_BACKEND = "whoosh"
#: Environment variable that sets the backend of *new* indexes (the test suite runs once per backend with it).
BACKEND_VARIABLE = "CLUSTERMINE_INDEX_BACKEND"

#: Bump when the schema or the way documents are turned into fields changes: older indexes are then rebuilt.
INDEX_FORMAT = 1


def default_backend() -> str:
    """The backend for a new index: ``$CLUSTERMINE_INDEX_BACKEND`` if set to a known one, else whoosh."""
    chosen = os.environ.get(BACKEND_VARIABLE, "").strip().lower()
    return chosen if chosen in BACKENDS else DEFAULT_BACKEND


class IndexMissingError(ClustermineError):
    """There is no search index for this corpus yet."""


class IndexOutdatedError(ClustermineError):
    """The index was built by a clustermine whose schema or analysis differs from the running one."""


@dataclass(frozen=True)
class IndexMeta:
    """What an index generation was built with; a mismatch with the running code means "rebuild"."""

    format: int
    analysis: str
    analysis_version: str
    backend: str = "whoosh"  # which engine holds the postings: "whoosh" (default) or "tantivy"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)


def index_path(home: Path | str) -> Path:
    """The folder that holds the corpus's search index (``home / "index"``)."""
    return Path(home) / INDEX_DIR


class IndexLocation:
    """The generations of one corpus's index and the pointer to the current one."""

    def __init__(self, home: Path | str) -> None:
        self.root = index_path(home)

    # -- reading --------------------------------------------------------------------------------------------

    def current(self) -> Path | None:
        """The generation folder searches should use, or None when there is no complete index."""
        try:
            name = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        folder = self.root / name
        return folder if _GENERATION.match(name) and (folder / META).exists() else None

    def require(self) -> Path:
        folder = self.current()
        if folder is None:
            raise IndexMissingError(
                f"no search index in {self.root}", hint="build it with 'clustermine rebuild'"
            )
        return folder

    @staticmethod
    def meta(folder: Path) -> IndexMeta | None:
        try:
            data = json.loads((folder / META).read_text(encoding="utf-8"))
            return IndexMeta(int(data["format"]), str(data["analysis"]), str(data["analysis_version"]),
                             str(data.get("backend", "whoosh")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def generations(self) -> list[Path]:
        if not self.root.exists():
            return []
        return sorted(p for p in self.root.iterdir() if p.is_dir() and _GENERATION.match(p.name))

    # -- writing (hold :meth:`lock`) ------------------------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Only one process writes the index; a second one waits for the first (builds do not take long)."""
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def new_generation(self, meta: IndexMeta) -> Path:
        """A fresh, empty generation folder (numbered after every existing one) with its meta file."""
        numbers = [int(_GENERATION.match(p.name).group(1)) for p in self.generations()]  # type: ignore[union-attr]
        folder = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        folder.mkdir(parents=True)
        _write_atomic(folder / META, meta.to_json())
        return folder

    def publish(self, folder: Path) -> None:
        """Point ``CURRENT`` at ``folder`` (atomic), then remove every other generation."""
        _fsync_tree(folder)
        _write_atomic(self.root / POINTER, folder.name + "\n")
        self.remove_stale()

    def remove_stale(self) -> None:
        """Delete generations that ``CURRENT`` does not name (old ones, or half-built ones from a crash)."""
        current = self.current()
        for folder in self.generations():
            if folder != current:
                shutil.rmtree(folder, ignore_errors=True)


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def _fsync_tree(folder: Path) -> None:
    """Flush a finished generation to disk before the pointer names it (whoosh itself never fsyncs)."""
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
