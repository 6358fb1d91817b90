"""Keeping the index in agreement with the store: incremental sync, and full rebuilds swapped in atomically.

Incremental sync compares, per document, the state the index remembers (content hash, entities fingerprint,
last update) with the store's, then deletes, re-adds and adds in *one* whoosh writer and commits once. Only the
documents written or deleted since the last sync are compared: the store numbers every change of a document
(its change journal, kept by triggers), and each index generation remembers the number it holds the store as of
(``sync.json``, valid for one whoosh commit). Without a valid mark (an older index, a crash between commit and
mark, another corpus database, document counts that disagree, or ``full=True``) every document is compared. whoosh
writes new segment files first and then the table of contents of the new generation to a temporary file that
it renames into place, so readers see either the old or the new index, never half of a sync; a crash before the
rename leaves unreferenced segment files that the next commit cleans up.

A rebuild (``rebuild=True``, an index of an older format, or a change of analysis profile) writes a complete
new generation beside the current one and then switches the ``CURRENT`` pointer (see :mod:`.storage`), so
searches keep answering from the last good index during the rebuild and after a crash in it.

Documents are streamed from the store one at a time, and whoosh's writer spills its posting buffer to disk at
``limitmb``, so memory stays bounded however large the corpus is.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from clustermine.index.documents import DocState, index_fields
from clustermine.index.schema import DEFAULT_PROFILE, build_schema, profile
from clustermine.index.storage import (
    BACKENDS,
    INDEX_FORMAT,
    WHOOSH_NAME,
    IndexLocation,
    IndexMeta,
    default_backend,
)
from clustermine.index.storeview import JournalPosition, changed_states, document_states, journal_position, snapshot
from clustermine.index.taxonomy import Taxonomy
from clustermine.model import Document
from clustermine.pipeline.compound_store import STORE_NAME, borrowed

#: Megabytes of postings whoosh buffers in memory before it spills a sorted run to disk (by whoosh's estimate;
#: the process holds ~1.4 times as much). A parallel rebuild shares them out among its processes: on 20,000
#: documents two processes with 128 MB each took the same CPU time as with 256 MB each, and 345 MB less memory.
WRITER_LIMIT_MB = 256

#: Rebuilds of at least this many documents analyse in several processes (whoosh's ``MpWriter``, one segment
#: per process): on 10,000 documents two processes halve the build time, on 3,000 they gain nothing.
PARALLEL_FROM = 5000
MAX_PROCS = 4
#: The same for a tantivy index, which analyses in processes of its own (see :mod:`.tantivy_store`): starting
#: them costs a fraction of a second, and the analysis is nearly all of a tantivy rebuild's time.
TANTIVY_PARALLEL_FROM = 500

#: Segments are kept as separate files, not assembled into whoosh's compound file: opening a compound file
#: copies its term dictionary into memory (~45 ms per search at 10,000 documents, growing with the corpus),
#: separate files are opened in under a millisecond.
WRITER_OPTIONS: dict[str, Any] = {"limitmb": WRITER_LIMIT_MB, "compound": False}

#: The compound splits saved beside the index generations: splitting a new word type costs ~1 ms (HanTa), so
#: a rebuild or a sync of a corpus whose vocabulary was seen before becomes several times faster. ``add`` fills
#: it from its worker processes (see :mod:`clustermine.pipeline.compound_store`).
COMPOUND_CACHE = STORE_NAME

#: Per generation: the position of the store's change journal the index agrees with, as of which whoosh commit,
#: so that an incremental sync reads only the documents changed since (not every document's state).
MARK = "sync.json"

#: Written by earlier versions per commit: the state of every indexed document. Still read (once, when there is
#: no mark yet) as a shortcut for the full comparison; removed after the next commit.
STATES = "states.json"


@dataclass(frozen=True)
class SyncReport:
    """What a sync did. ``rebuilt`` is True when a new index generation was built from scratch."""

    added: int
    updated: int
    removed: int
    rebuilt: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sync_index(
    store: Any,
    *,
    rebuild: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[str], None] | None = None,
    analysis: str | None = None,
    procs: int | None = None,
    full: bool = False,
    backend: str | None = None,
) -> SyncReport:
    """Make the index of ``store`` agree with it; see the module docstring for how it stays atomic.

    ``on_start`` receives the number of documents that will be (re)indexed, ``on_document`` each id as it is
    done. ``analysis`` picks the analysis profile (default: the index's own, or ``german`` for a new index);
    a different profile than the current index's means a rebuild. ``procs`` is the number of processes a
    rebuild analyses in (default: up to 4 from ``PARALLEL_FROM`` documents on, else 1; see
    ``bench/bench_search.py``); incremental syncs always use one. ``full`` compares every document instead of
    those the change journal names (``check --repair`` does, after damage the journal cannot know of).
    ``backend`` picks the search backend (see :data:`.storage.BACKENDS`; default: the index's own, or
    :func:`.storage.default_backend` for a new index); another backend than the current index's means a rebuild.
    """
    location = IndexLocation(store.home)
    with location.lock():
        current = location.current()
        meta = location.meta(current) if current else None
        name = analysis or (meta.analysis if meta else DEFAULT_PROFILE)
        engine = backend or (meta.backend if meta else default_backend())
        if engine not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}. Got {engine!r} instead.")
        wanted = IndexMeta(INDEX_FORMAT, name, profile(name).version, engine)
        cache = location.root / COMPOUND_CACHE
        if rebuild or current is None or meta != wanted:
            with _compound_cache(cache, enabled=name == "german"):
                return _rebuild(store, location, wanted, Taxonomy.for_store(store), on_start, on_document, procs)
        location.remove_stale()  # a half-built generation from a crashed rebuild
        return _update(store, current, wanted, cache if name == "german" else None, on_start, on_document, full)


def _rebuild(
    store: Any,
    location: IndexLocation,
    meta: IndexMeta,
    taxonomy: Taxonomy,
    on_start: Callable[[int], None] | None,
    on_document: Callable[[str], None] | None,
    procs: int | None,
) -> SyncReport:
    with snapshot(store):  # the journal position first: what changes while the index is built comes next time
        position = journal_position(store)
        states = dict(document_states(store))
    if on_start:
        on_start(len(states))
    if procs is None:
        parallel_from = TANTIVY_PARALLEL_FROM if meta.backend == "tantivy" else PARALLEL_FROM
        procs = min(os.cpu_count() or 1, MAX_PROCS) if len(states) >= parallel_from else 1
    folder = location.new_generation(meta)
    try:
        ix = _create_index(folder, meta)
        if meta.backend == "tantivy":
            _fill_tantivy(ix, store, states, taxonomy, procs, location.root / COMPOUND_CACHE, on_document)
            _save_mark(folder, ix, position)
            ix.close()
            location.publish(folder)
            return SyncReport(added=len(states), updated=0, removed=0, rebuilt=True)
        options = dict(WRITER_OPTIONS)
        if procs > 1:  # each process buffers its own postings: together they stay within WRITER_LIMIT_MB
            options.update(procs=procs, multisegment=True, limitmb=max(32, WRITER_LIMIT_MB // procs))
        writer = ix.writer(**options)
        try:
            for doc in _stream(store):
                state = states.get(doc.id)
                if state is None:  # added to the store after the listing: the next sync takes it
                    continue
                writer.add_document(**index_fields(doc, state, taxonomy))
                if on_document:
                    on_document(doc.id)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        _save_mark(folder, ix, position)
        ix.close()
        location.publish(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # CURRENT still names the previous generation
        raise
    return SyncReport(added=len(states), updated=0, removed=0, rebuilt=True)


def _fill_tantivy(ix: Any, store: Any, states: dict[str, DocState], taxonomy: Taxonomy, procs: int,
                  compound_cache: Path, on_document: Callable[[str], None] | None) -> None:
    """A new tantivy generation's documents, analysed in ``procs`` processes when more than one."""
    from clustermine.index.tantivy_store import analysed_in_parallel

    listed = (index_fields(doc, states[doc.id], taxonomy) for doc in _stream(store) if doc.id in states)
    writer = ix.writer()
    try:
        if procs > 1:
            cache = compound_cache if ix.analysis == "german" and compound_cache.exists() else None
            for fields, tokens in analysed_in_parallel(listed, ix.analysis, procs, cache):
                writer.add_analysed(fields, tokens)
                if on_document:
                    on_document(fields["id"])
        else:
            for fields in listed:
                writer.add_document(**fields)
                if on_document:
                    on_document(fields["id"])
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _update(
    store: Any,
    folder: Path,
    meta: IndexMeta,
    cache: Path | None,
    on_start: Callable[[int], None] | None,
    on_document: Callable[[str], None] | None,
    full: bool = False,
) -> SyncReport:
    """One whoosh commit with every deletion and (re)addition; the gazetteer and the compound cache are
    loaded only when there is something to do. What is compared: the documents the change journal names since
    the index's mark (a few, however large the corpus), else every document (~3 µs each: one row of the store
    and one indexed state)."""
    ix = _open_index(folder, meta)
    try:
        with snapshot(store):
            position = journal_position(store)
            plan = None if full else _changes_since_mark(store, ix, folder, position)
            if plan is None:
                plan = _compare_all(store, ix, folder)
        removed, added, changed, wanted = plan
        if on_start:
            on_start(len(added) + len(changed))
        if not (removed or added or changed):
            if position is not None and _load_mark(folder, ix) != position:
                _save_mark(folder, ix, position)
            return SyncReport(0, 0, 0)
        taxonomy = Taxonomy.for_store(store) if added or changed else Taxonomy(None)
        with _compound_cache(cache, enabled=cache is not None and bool(added or changed)):
            writer = ix.writer(**WRITER_OPTIONS)
            try:
                for doc_id in removed + changed:
                    writer.delete_by_term("id", doc_id)
                for doc_id in changed + added:
                    doc = _load(store, doc_id)
                    if doc is not None:  # else removed after the snapshot: the journal names it next time
                        writer.add_document(**index_fields(doc, wanted[doc_id], taxonomy))
                    if on_document:
                        on_document(doc_id)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        _save_mark(folder, ix, position)
        (folder / STATES).unlink(missing_ok=True)  # an earlier version's file, stale from this commit on
        return SyncReport(added=len(added), updated=len(changed), removed=len(removed))
    finally:
        ix.close()


def _create_index(folder: Path, meta: IndexMeta) -> Any:
    if meta.backend == "tantivy":
        from clustermine.index.tantivy_store import TantivyIndex

        return TantivyIndex.create_in(folder, meta.analysis)
    return whoosh_index.create_in(str(folder), build_schema(meta.analysis), indexname=WHOOSH_NAME)


def _open_index(folder: Path, meta: IndexMeta) -> Any:
    if meta.backend == "tantivy":
        from clustermine.index.tantivy_store import TantivyIndex

        return TantivyIndex.open_dir(folder, meta.analysis)
    return whoosh_index.open_dir(str(folder), indexname=WHOOSH_NAME)


#: (removed, added, changed, the store's state of each added or changed document)
Plan = tuple[list[str], list[str], list[str], dict[str, DocState]]


def _changes_since_mark(store: Any, ix: Any, folder: Path, position: JournalPosition | None) -> Plan | None:
    """What to do, from the documents changed since the index's mark; None when the mark cannot be trusted.

    Also None when the document counts disagree afterwards (the index would not hold exactly the store's
    documents: e.g. a corpus database restored from a backup), so that a full comparison repairs it."""
    mark = _load_mark(folder, ix)
    if position is None or mark is None or mark.journal != position.journal or mark.seq > position.seq:
        return None
    removed, added, changed, wanted = [], [], [], {}
    with ix.reader() as reader:
        live = reader.doc_count()
        for doc_id, state in changed_states(store, mark.seq, position.seq):
            indexed = _indexed_state(reader, doc_id)
            if state is None:
                if indexed is not None:
                    removed.append(doc_id)
            elif indexed is None:
                added.append(doc_id)
                wanted[doc_id] = state
            elif indexed != state:
                changed.append(doc_id)
                wanted[doc_id] = state
    if live - len(removed) + len(added) != position.documents:
        return None
    return removed, added, changed, wanted


def _compare_all(store: Any, ix: Any, folder: Path) -> Plan:
    """What to do, from every document's state in the index and in the store."""
    indexed = _indexed_states(ix, folder)
    wanted = dict(document_states(store))
    removed = [doc_id for doc_id in indexed if doc_id not in wanted]
    added = [doc_id for doc_id in wanted if doc_id not in indexed]
    changed = [doc_id for doc_id, state in wanted.items() if doc_id in indexed and indexed[doc_id] != state]
    return removed, added, changed, wanted


def _indexed_state(reader: Any, doc_id: str) -> DocState | None:
    """The state the index holds for one document (a lookup of its id term), or None when it is not indexed."""
    if hasattr(reader, "indexed_state"):  # the tantivy backend keeps the states in its column table
        return reader.indexed_state(doc_id)
    from whoosh.reading import TermNotFound

    try:
        postings = reader.postings("id", doc_id)
    except TermNotFound:
        return None
    if not postings.is_active():  # only deleted entries
        return None
    stored = reader.stored_fields(postings.id())
    return DocState(stored.get("content_hash", ""), stored.get("entities_fp", ""), stored.get("metadata", ""))


@contextmanager
def _compound_cache(path: Path | None, *, enabled: bool) -> Iterator[None]:
    """Use the corpus's saved compound splits while indexing; save the new ones after a successful run (with
    those ``add``'s workers made)."""
    with borrowed(path, enabled=enabled):
        yield


def _indexed_states(ix: Any, folder: Path) -> dict[str, DocState]:
    """What the index holds, per document: from an earlier version's states file when it belongs to the index's
    latest commit (reading the stored fields of every document costs ~50 µs each, seconds at 100,000), else
    from the stored fields."""
    saved = _load_states(folder, ix)
    return saved if saved is not None else _stored_states(ix)


def _load_states(folder: Path, ix: Any) -> dict[str, DocState] | None:
    try:
        data = json.loads((folder / STATES).read_text(encoding="utf-8"))
        if data.get("generation") != ix.latest_generation():
            return None  # written before the last commit (a crash between commit and states)
        return {doc_id: DocState(*state) for doc_id, state in data["states"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # missing or damaged: it is only a shortcut


def _load_mark(folder: Path, ix: Any) -> JournalPosition | None:
    """The journal position the index holds the store as of, if the mark belongs to the latest commit."""
    try:
        data = json.loads((folder / MARK).read_text(encoding="utf-8"))
        if data["generation"] != ix.latest_generation():
            return None  # written before the last commit (a crash between commit and mark)
        return JournalPosition(str(data["journal"]), int(data["seq"]), int(data["documents"]))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # missing or damaged: the next sync compares everything


def _save_mark(folder: Path, ix: Any, position: JournalPosition | None) -> None:
    """Write the mark for the index's latest commit, atomically (temp file + rename); None removes it (the next
    sync then compares everything)."""
    path = folder / MARK
    if position is None:
        path.unlink(missing_ok=True)
        return
    payload = {"generation": ix.latest_generation(), "journal": position.journal, "seq": position.seq,
               "documents": position.documents}
    temporary = folder / f".{MARK}.tmp"
    try:
        temporary.write_text(json.dumps(payload), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        path.unlink(missing_ok=True)


def _stored_states(ix: Any) -> dict[str, DocState]:
    if hasattr(ix, "indexed_states"):  # the tantivy backend keeps the states in its column table
        return ix.indexed_states()
    out: dict[str, DocState] = {}
    with ix.reader() as reader:
        for docnum in range(reader.doc_count_all()):
            if reader.is_deleted(docnum):
                continue
            stored = reader.stored_fields(docnum)
            out[stored["id"]] = DocState(
                stored.get("content_hash", ""), stored.get("entities_fp", ""), stored.get("metadata", "")
            )
    return out


def _stream(store: Any) -> Iterator[Document]:
    for doc in store.iter_documents():
        yield replace(doc, entities=store.entities_of(doc.id))


def _load(store: Any, doc_id: str) -> Document | None:
    from clustermine.errors import NotFoundError

    try:
        return replace(store.get(doc_id), pages=())
    except NotFoundError:
        return None
