"""Turning what the user typed (files, folders, globs) into a list of files to read.

Folders are walked recursively in a stable order, symlink loops are cut, hidden files and folders are skipped,
and inside folders only files that look like documents are taken, so that a research folder full of images and
spreadsheets does not produce a page of errors. A file named explicitly is always tried.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: Extensions taken from folders (lower case, without dot). Files without an extension are sniffed too.
DOCUMENT_EXTENSIONS = frozenset(
    {"pdf", "htm", "html", "xhtml", "shtml", "txt", "text", "md", "docx", "odt", "json"}
)
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest, with the way it was found (for messages)."""

    path: Path
    explicit: bool


@dataclass(frozen=True)
class SourceProblem:
    """A command-line argument that yields no file (missing path, empty glob, unreadable folder)."""

    path: str
    reason: str
    hint: str | None = None


@dataclass
class WalkStats:
    """What the walk left out, so the summary can say so."""

    skipped_other_types: int = 0
    skipped_hidden: int = 0
    symlink_loops: int = 0


def expand_paths(
    args: Iterable[str | os.PathLike[str]], *, exclude: Iterable[Path] = (), stats: WalkStats | None = None
) -> Iterator[SourceFile | SourceProblem]:
    """Yield each file once, in argument order, folders sorted; problems are yielded in place."""
    stats = stats if stats is not None else WalkStats()
    excluded = {_real(p) for p in exclude}
    seen: set[str] = set()
    for arg in args:
        text = os.fspath(arg)
        path = Path(text).expanduser()
        if not path.exists() and not path.is_symlink() and _GLOB_CHARS & set(text):
            matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
            if not matches:
                yield SourceProblem(text, "no files match this pattern", "check the pattern; quote it in the shell")
            for match in matches:
                yield from _expand_one(Path(match), seen, excluded, stats)
            continue
        if not path.exists():
            hint = "check the spelling and the current folder"
            if path.is_symlink():
                yield SourceProblem(text, "broken symbolic link", "the link points to a file that does not exist")
            else:
                yield SourceProblem(text, "no such file or folder", hint)
            continue
        yield from _expand_one(path, seen, excluded, stats, explicit=True)


def _expand_one(
    path: Path, seen: set[str], excluded: set[str], stats: WalkStats, explicit: bool = False
) -> Iterator[SourceFile | SourceProblem]:
    if path.is_dir():
        yield from _walk(path, seen, excluded, stats)
    elif path.exists():
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            yield SourceFile(Path(key), explicit)


def _walk(root: Path, seen: set[str], excluded: set[str], stats: WalkStats) -> Iterator[SourceFile | SourceProblem]:
    visited: set[tuple[int, int]] = set()
    stack = [Path(os.path.abspath(root))]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
        except OSError as exc:
            yield SourceProblem(str(folder), f"cannot open folder: {exc.strerror}", "check its permissions")
            continue
        if (info.st_dev, info.st_ino) in visited:
            stats.symlink_loops += 1
            continue
        visited.add((info.st_dev, info.st_ino))
        if _real(folder) in excluded:
            continue
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield SourceProblem(str(folder), f"cannot list folder: {exc.strerror}", "check its permissions")
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith((".", "~$")):
                stats.skipped_hidden += 1
                continue
            entry_path = folder / entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(entry_path)
                continue
            suffix = entry_path.suffix.lower().lstrip(".")
            if suffix and suffix not in DOCUMENT_EXTENSIONS:
                stats.skipped_other_types += 1
                continue
            if not entry_path.exists():
                yield SourceProblem(str(entry_path), "broken symbolic link", "the link points to nothing")
                continue
            key = str(entry_path)
            if key not in seen:
                seen.add(key)
                yield SourceFile(entry_path, False)
        stack.extend(reversed(subfolders))


def _real(path: Path) -> str:
    try:
        return os.path.realpath(path)
    except OSError:
        return os.path.abspath(path)
