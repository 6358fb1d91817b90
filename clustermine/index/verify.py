"""What is on disk in a corpus's index folder, for ``clustermine check``: the ``CURRENT`` pointer, the generation
it names, the documents in it, and what a crash may have left beside it.

Kept in this package because only ``index`` touches whoosh; ``corpus.check`` compares the answer with the store.
A crash leaves three kinds of debris, all harmless to searches but worth clearing: generations ``CURRENT`` does
not name (a rebuild killed before its switch), segment files no table of contents refers to (an update killed
before its commit) and temporary files of atomic writes that never got renamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from clustermine.index.documents import DocState
from clustermine.index.storage import INDEX_FORMAT, POINTER, WHOOSH_NAME, IndexLocation, IndexMeta

_TEMP_TOC = re.compile(rf"^_{WHOOSH_NAME}_\d+\.toc\.[\d.]+$")


@dataclass
class IndexReport:
    """The index as found. ``pointer`` is ``ok``, ``none`` (no index yet), ``missing`` (generations but no
    ``CURRENT``) or ``dangling`` (``CURRENT`` names no complete generation)."""

    root: str
    pointer: str = "none"
    generation: str | None = None
    meta: IndexMeta | None = None
    outdated: bool = False
    error: str | None = None
    documents: dict[str, DocState] = field(default_factory=dict)
    twice: list[str] = field(default_factory=list)
    stale_generations: list[str] = field(default_factory=list)
    debris: list[str] = field(default_factory=list)


def inspect_index(home: Path | str) -> IndexReport:
    """Read the index of the corpus in ``home`` without changing anything."""
    from whoosh import index as whoosh_index

    from clustermine.index.schema import PROFILES, profile

    location = IndexLocation(home)
    report = IndexReport(str(location.root))
    generations = location.generations()
    current = location.current()
    if current is None:
        if (location.root / POINTER).exists():
            report.pointer = "dangling"
        elif generations:
            report.pointer = "missing"
        report.stale_generations = [g.name for g in generations]
        report.debris = _temporary_files(location.root)
        return report
    report.pointer, report.generation = "ok", current.name
    report.stale_generations = [g.name for g in generations if g != current]
    report.meta = location.meta(current)
    wanted = profile(report.meta.analysis).version if report.meta and report.meta.analysis in PROFILES else None
    meta = report.meta
    report.outdated = meta is None or meta.format != INDEX_FORMAT or meta.analysis_version != wanted
    if meta is not None and meta.backend == "tantivy":
        _inspect_tantivy(current, meta, report)
        report.debris = _temporary_files(location.root)
        return report
    try:
        ix = whoosh_index.open_dir(str(current), indexname=WHOOSH_NAME)
        try:
            _read_documents(ix, report)
            report.debris = _temporary_files(location.root) + _unreferenced(current, ix)
        finally:
            ix.close()
    except Exception as exc:  # noqa: BLE001 - any failure to open or read is what check must report
        report.error = f"{type(exc).__name__}: {exc}"
    return report


def _inspect_tantivy(folder: Path, meta: IndexMeta, report: IndexReport) -> None:
    """A tantivy generation: the documents its column table holds, which must be the ones tantivy holds."""
    try:
        from clustermine.index.tantivy_store import TantivyIndex

        ix = TantivyIndex.open_dir(folder, meta.analysis)
        try:
            report.documents = ix.indexed_states()
            held = ix.index.searcher().num_docs
        finally:
            ix.close()
        if held != len(report.documents):
            report.error = (f"the tantivy index holds {held} documents but its column table "
                            f"{len(report.documents)}")
    except Exception as exc:  # noqa: BLE001 - any failure to open or read is what check must report
        report.error = f"{type(exc).__name__}: {exc}"


def _read_documents(ix: object, report: IndexReport) -> None:
    with ix.reader() as reader:  # type: ignore[attr-defined]
        for docnum in range(reader.doc_count_all()):
            if reader.is_deleted(docnum):
                continue
            stored = reader.stored_fields(docnum)
            doc_id = stored.get("id", "")
            if doc_id in report.documents:
                report.twice.append(doc_id)
            report.documents[doc_id] = DocState(
                stored.get("content_hash", ""), stored.get("entities_fp", ""), stored.get("metadata", "")
            )


def _unreferenced(folder: Path, ix: object) -> list[str]:
    """Segment files and tables of contents the current table of contents does not use."""
    from whoosh.index import TOC

    toc = TOC.read(ix.storage, WHOOSH_NAME)  # type: ignore[attr-defined]
    used = {segment.segment_id() for segment in toc.segments}
    toc_name = TOC._pattern(WHOOSH_NAME)  # noqa: SLF001 - whoosh names the files; its patterns say how
    segment_name = TOC._segment_pattern(WHOOSH_NAME)  # noqa: SLF001
    found = []
    for path in sorted(folder.iterdir()):
        toc_match = toc_name.match(path.name)
        segment_match = segment_name.match(path.name)
        if (toc_match and int(toc_match.group(1)) != toc.generation) or _TEMP_TOC.match(path.name) or (
                segment_match and segment_match.group(1) not in used):
            found.append(str(path))
    return found


def _temporary_files(root: Path) -> list[str]:
    """``*.tmp`` files of atomic writes (the pointer, meta files) that a crash left unrenamed."""
    if not root.exists():
        return []
    return sorted(str(p) for p in root.glob("**/*.tmp") if p.is_file())


def clear_debris(home: Path | str) -> tuple[list[str], list[str]]:
    """Remove stale generations and crash debris, holding the index lock (no writer can be half-way).

    Returns (generations removed, files removed).
    """
    import contextlib
    import shutil

    location = IndexLocation(home)
    with location.lock():
        report = inspect_index(home)
        if report.pointer != "ok":  # without a valid pointer nothing may go: a sync decides what to keep
            return [], []
        for name in report.stale_generations:
            shutil.rmtree(location.root / name, ignore_errors=True)
        for path in report.debris:
            with contextlib.suppress(OSError):
                Path(path).unlink()
    return report.stale_generations, report.debris


__all__ = ["IndexReport", "clear_debris", "inspect_index"]
