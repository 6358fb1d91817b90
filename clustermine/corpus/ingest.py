"""``add``: bring files into the corpus, incrementally, in parallel, one bad file never stopping the batch.

The work per file is split in two:
- in worker processes (killable, time- and memory-limited): read the bytes, extract text, infer metadata,
  compute the near-duplicate signature — all pure functions of the file;
- in this process, the single writer: one transaction per document (document, pages, sections, source,
  duplicate links), so an interrupted run leaves only complete documents and a re-run finishes the rest.

A file whose size and mtime match what the store recorded is not read again; a file whose content hash is known
is linked, not extracted again; a file whose content changed replaces its old version and the old version's
derived data.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any

from clustermine.corpus.paths import printable_path, storable_path
from clustermine.corpus.sources import SourceFile, SourceProblem, WalkStats, expand_paths
from clustermine.corpus.store import CorpusStore, now_iso
from clustermine.corpus.workers import KillablePool, TaskFailure
from clustermine.model import DOCTYPES, CouncilPaper, Document
from clustermine.pipeline.annotate import EntitySettings

if TYPE_CHECKING:
    from clustermine.corpus.distributed import DaskPool

HASH_CHUNK = 1 << 20
STATUSES = ("added", "updated", "unchanged", "failed")


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file: ``status`` is added, updated, unchanged or failed."""

    path: str
    status: str
    doc_id: str | None = None
    reason: str | None = None
    hint: str | None = None
    title: str | None = None
    doctype: str | None = None
    date: str | None = None
    duplicate_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    def line(self) -> str:
        """The one-line message for a failed file: path, what is wrong, what to do."""
        text = f"{printable_path(self.path)}: {self.reason}"
        return f"{text} — {self.hint}" if self.hint else text


@dataclass
class AddReport:
    """The summary of one ``add`` run."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    walk: WalkStats = field(default_factory=WalkStats)
    interrupted: bool = False

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted


@dataclass(frozen=True)
class ExternalMetadata:
    """What a source outside the file knows better than the text analysis (e.g. an OParl server).

    Values that are set win over what :func:`~clustermine.pipeline.metadata.analyse` guesses from the text,
    and the document records ``rule`` as the rule that decided them (``date_rule="oparl"``); a user's
    ``--type``/``--date`` still wins over both. ``council`` fields that are set replace the analysed ones, the
    others keep what the text said. ``source`` replaces the local path as the document's source (the URL the
    file came from); ``source_name`` is the file's real name, for the analysis's last-resort rules.
    """

    rule: str
    source: str | None = None
    source_name: str | None = None
    title: str | None = None
    doctype: str | None = None
    date: str | None = None
    council: CouncilPaper | None = None
    info: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtractTask:
    """What a worker needs to turn one file into a Document (plain data: it crosses a process boundary)."""

    path: str
    content_hash: str
    doctype: str | None = None
    date: str | None = None
    entities: EntitySettings | None = None
    external: ExternalMetadata | None = None
    ocr: str = "auto"  # scanned PDF pages: auto, always or never (see corpus.ocr)
    pdf_engine: str | None = None  # pdfium or pdfminer; None: the default (see corpus.pdf)
    terms: bool = False  # count terms for doc_terms in the worker (``add`` sets it)
    known_splits: dict[str, tuple[str, ...]] | None = None  # compound splits other workers made (see Relay)


@dataclass(frozen=True)
class ExtractResult:
    """A worker's result. ``terms`` is (token count, encoded counts) for ``doc_terms`` when the task asked for
    them; ``splits`` are the compound splits the worker made for this file, for the writer's splitter cache."""

    document: Document
    signature: bytes | None
    buckets: tuple[tuple[int, int], ...]
    fingerprint: str | None = None
    terms: tuple[int, bytes] | None = None
    splits: dict[str, tuple[str, ...]] | None = None


def file_hash(path: str | os.PathLike[str]) -> str:
    """SHA-256 of the file content (the document id is its first 16 hex digits)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def document_id(content_hash: str) -> str:
    """Stable, content-derived document id: the same bytes always get the same id."""
    return content_hash[:16]


def extract_document(task: ExtractTask) -> ExtractResult:
    """Read one file and infer its metadata (runs in a worker process)."""
    from clustermine.corpus import readers
    from clustermine.pipeline.annotate import annotate
    from clustermine.pipeline.metadata import analyse
    from clustermine.pipeline.neardup import signature

    splitter = _recording_splitter() if task.terms else None
    if splitter is not None and task.known_splits:
        splitter.add_entries(task.known_splits)
    path = Path(task.path)
    data = readers.read_file_bytes(path)
    try:
        mtime: float | None = path.stat().st_mtime
    except OSError:  # gone right after it was read: the bytes are what counts
        mtime = None
    content_hash = hashlib.sha256(data).hexdigest()
    name = (task.external.source_name if task.external else None) or storable_path(path.name)
    extraction = readers.read_bytes(data, name, ocr=task.ocr, pdf_engine=task.pdf_engine)
    meta = analyse(extraction, source_name=name)
    doctype = task.doctype or meta.doctype
    date = task.date or meta.date
    doc = Document(
        id=document_id(content_hash),
        source=storable_path(path),
        format=extraction.format,
        title=meta.title or extraction.title or Path(storable_path(path)).stem,
        doctype=doctype,
        date=date,
        text=extraction.text,
        pages=extraction.pages,
        sections=meta.sections,
        council=meta.council,
        info=dict(extraction.info),
        doctype_rule="user" if task.doctype else meta.doctype_rule,
        date_rule="user" if task.date else meta.date_rule,
        content_hash=content_hash,
        size=len(data),
        mtime=mtime,
        ingested_at=now_iso(),
        notes=tuple(extraction.notes),
    )
    if task.external is not None:
        doc = apply_external(doc, task.external)
    fingerprint = None
    if task.entities is not None:
        doc = replace(doc, entities=annotate(doc.text, task.entities, date=doc.date))
        fingerprint = task.entities.fingerprint()
    sig = signature(doc.text)
    terms = _term_counts(doc.text) if task.terms else None
    return ExtractResult(doc, sig.to_bytes() if sig else None, tuple(sig.buckets()) if sig else (), fingerprint,
                         terms, splitter.take_new() if splitter is not None else None)


def _recording_splitter() -> Any:
    """The process's compound splitter, noting the words it splits from now on (see ``ExtractResult.splits``)."""
    from clustermine.pipeline.compounds import default_splitter

    splitter = default_splitter()
    splitter.record_new()
    return splitter


def _term_counts(text: str) -> tuple[int, bytes]:
    """The document's term counts as ``doc_terms`` stores them: counted here, in the worker, so that ``trends``
    and ``topics`` find every added document counted and the compound splits are made once, alongside the
    entities."""
    from clustermine.pipeline.terms import count_terms, encode_terms

    counted = count_terms(text)
    return counted.n_tokens, encode_terms(counted)


def apply_external(doc: Document, external: ExternalMetadata) -> Document:
    """``doc`` with the external metadata laid over what the analysis found (a user's override stays)."""
    changes: dict[str, Any] = {}
    if external.source:
        changes["source"] = external.source
    if external.title:
        changes["title"] = external.title
    if external.doctype and doc.doctype_rule != "user":
        changes.update(doctype=external.doctype, doctype_rule=external.rule)
    if external.date and doc.date_rule != "user":
        changes.update(date=external.date, date_rule=external.rule)
    if external.council is not None:
        changes["council"] = merge_council(doc.council, external.council)
    if external.info:
        changes["info"] = {**doc.info, **external.info}
    if external.notes:
        changes["notes"] = tuple(dict.fromkeys((*doc.notes, *external.notes)))
    return replace(doc, **changes)


def merge_council(found: CouncilPaper | None, given: CouncilPaper) -> CouncilPaper:
    """The given council fields where they are set, the ones found in the text elsewhere."""
    if found is None:
        return given
    values = {}
    for item in fields(CouncilPaper):
        value = getattr(given, item.name)
        values[item.name] = value if value not in (None, "", ()) else getattr(found, item.name)
    return CouncilPaper(**values)


def add_paths(
    store: CorpusStore,
    paths: Iterable[str | os.PathLike[str]],
    *,
    doctype: str | None = None,
    date: str | None = None,
    jobs: int | None = None,
    timeout: float = 120.0,
    memory_mb: int | None = 2048,
    entities: EntitySettings | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    ocr: str = "auto",
    pdf_engine: str | None = None,
    scheduler: str | None = None,
    terms: bool = True,
) -> AddReport:
    """Add files, folders and globs to the corpus; returns what happened to each file.

    ``entities`` switches entity extraction on with these settings (None: no entities). ``on_start`` receives
    the number of files found, ``on_file`` each outcome as it happens (for progress bars
    and streaming error lines). ``ocr`` (auto, always, never) says which pages of scanned PDFs are read with
    OCR. ``pdf_engine`` (pdfium, pdfminer; None: the default) chooses how PDFs are read. ``scheduler`` (a Dask
    scheduler address, ``tcp://host:8786``) reads the files on that cluster instead of local processes; the
    documents are still stored here, one by one as they come back. ``terms`` counts each document's terms
    (``doc_terms``, what ``trends`` and ``topics`` read) in the workers, with the entities, so that no separate
    count is needed later. Call inside ``store.writer_lock()``.
    """
    from clustermine.corpus.ocr import check_mode
    from clustermine.corpus.pdf import check_engine
    from clustermine.pipeline.compound_store import Relay, attach, cache_path, flush, merge

    check_mode(ocr)
    if pdf_engine is not None:
        check_engine(pdf_engine)
    if doctype is not None and doctype not in DOCTYPES:
        raise ValueError(f"doctype must be one of {', '.join(DOCTYPES)}. Got {doctype!r} instead.")
    pool: KillablePool[ExtractResult] | DaskPool[ExtractResult] | None = None
    if scheduler:  # connect first: a wrong address should fail before the files are walked and hashed
        from clustermine.corpus import distributed

        pool = distributed.DaskPool(extract_document, scheduler=scheduler, timeout=timeout).connect()
    report = AddReport()
    emit = _emitter(report, on_file)
    files: list[SourceFile] = []
    for item in expand_paths(paths, exclude=[store.home], stats=report.walk):
        if isinstance(item, SourceProblem):
            emit(FileOutcome(storable_path(item.path), "failed", reason=item.reason, hint=item.hint))
        else:
            files.append(item)
    if on_start:
        on_start(len(files))

    tasks: list[ExtractTask] = []
    waiting: dict[str, list[tuple[str, int, float]]] = {}  # content hash -> further paths with the same bytes
    for source in files:
        task = _triage(store, source, doctype, date, waiting, emit)
        if task:
            tasks.append(replace(task, entities=entities, ocr=ocr, pdf_engine=pdf_engine, terms=terms))
    if terms and tasks:  # workers are forked from here: they look words up in the corpus's saved splits
        attach(cache_path(store.home), write=True)

    if pool is None:
        pool = KillablePool(extract_document, jobs=jobs, timeout=timeout, memory_mb=memory_mb)

    relay = Relay(2 * (getattr(pool, "jobs", None) or os.cpu_count() or 2) + 1)
    feed = (replace(task, known_splits=relay.next_batch() or None) if task.terms else task for task in tasks)
    try:
        for task, result in pool.run(feed):
            if not isinstance(result, TaskFailure) and result.splits:
                merge(result.splits)  # the index writer (this process) then splits none of these words again
                relay.learn(result.splits)
            if isinstance(result, TaskFailure):
                # copies with the same bytes waited for this file; they fail for the same reason
                for path in [task.path] + [p for p, _, _ in waiting.pop(task.content_hash, [])]:
                    _fail(store, path, result.message, result.hint, emit)
            else:
                _store_result(store, result, waiting, emit)
    except KeyboardInterrupt:
        report.interrupted = True
    flush()  # the splits the workers made, for the index writer's processes and later runs
    return report


def _emitter(report: AddReport, on_file: Callable[[FileOutcome], None] | None) -> Callable[[FileOutcome], None]:
    def emit(outcome: FileOutcome) -> None:
        report.outcomes.append(outcome)
        if on_file:
            on_file(outcome)

    return emit


def _triage(
    store: CorpusStore,
    source: SourceFile,
    doctype: str | None,
    date: str | None,
    waiting: dict[str, list[tuple[str, int, float]]],
    emit: Callable[[FileOutcome], None],
) -> ExtractTask | None:
    """Decide without extracting whether a file is unchanged, a known duplicate, or needs reading."""
    path = str(source.path)
    try:
        stat = source.path.stat()
    except FileNotFoundError:
        _fail(store, path, "file disappeared before it could be read", "it was moved or deleted during the run", emit)
        return None
    except OSError as exc:
        _fail(store, path, f"cannot read file: {exc.strerror}", "check the file's permissions", emit)
        return None
    if not S_ISREG(stat.st_mode):  # a pipe would block the hashing below forever
        _fail(store, path, "not a regular file (a pipe, socket or device)",
              "copy the content into a normal file and add that", emit)
        return None
    key = storable_path(path)  # the name as the store keeps it (names that are no UTF-8 escaped)
    state = store.source_state(key)
    if state and state.size == stat.st_size and state.mtime == stat.st_mtime:
        _unchanged(store, key, state.doc_id, doctype, date, emit)
        return None
    try:
        content_hash = file_hash(path)
    except FileNotFoundError:
        _fail(store, path, "file disappeared before it could be read", "it was moved or deleted during the run", emit)
        return None
    except PermissionError:
        _fail(store, path, "permission denied", "check the file's read permissions (chmod a+r)", emit)
        return None
    except OSError as exc:
        _fail(store, path, f"cannot read file: {exc.strerror}", "check the disk and the file", emit)
        return None
    known = store.doc_id_for_hash(content_hash)
    if known:
        with store.transaction():
            previous = store.link_source(key, known, content_hash, stat.st_size, stat.st_mtime)
            if previous:
                store.drop_if_orphaned(previous)
        _unchanged(store, key, known, doctype, date, emit, duplicate=state is None or previous is not None)
        return None
    if content_hash in waiting:
        waiting[content_hash].append((key, stat.st_size, stat.st_mtime))
        return None
    waiting[content_hash] = []
    return ExtractTask(path, content_hash, doctype, date)


def _unchanged(
    store: CorpusStore,
    path: str,
    doc_id: str,
    doctype: str | None,
    date: str | None,
    emit: Callable[[FileOutcome], None],
    duplicate: bool = False,
) -> None:
    status = "unchanged"
    if doctype or date:
        with store.transaction():
            if store.set_overrides(doc_id, doctype=doctype, date=date):
                status = "updated"
    row = store.conn.execute("SELECT source, title, doctype, date FROM documents WHERE id = ?", (doc_id,)).fetchone()
    duplicate_of = row["source"] if duplicate and row and row["source"] != path else None
    emit(
        FileOutcome(
            path, status, doc_id, title=row["title"] if row else None, doctype=row["doctype"] if row else None,
            date=row["date"] if row else None, duplicate_of=duplicate_of,
        )
    )


def _fail(store: CorpusStore, path: str, reason: str, hint: str | None, emit: Callable[[FileOutcome], None]) -> None:
    try:
        stat = os.stat(path)
        size, mtime = stat.st_size, stat.st_mtime
    except OSError:
        size, mtime = None, None
    path = storable_path(path)
    with store.transaction():
        store.record_failure(path, reason, hint, size, mtime)
    emit(FileOutcome(path, "failed", reason=reason, hint=hint))


def _store_result(
    store: CorpusStore,
    result: ExtractResult,
    waiting: dict[str, list[tuple[str, int, float]]],
    emit: Callable[[FileOutcome], None],
) -> None:
    doc = result.document
    extra_paths = waiting.pop(doc.content_hash or "", [])
    with store.transaction():
        existing = store.doc_id_for_hash(doc.content_hash or doc.id)
        if existing is None:
            store_new_document(store, result)
        previous = store.link_source(doc.source, doc.id, doc.content_hash or doc.id, doc.size, doc.mtime)
        replaced = bool(previous and store.drop_if_orphaned(previous))
        for path, size, mtime in extra_paths:
            prior = store.link_source(path, doc.id, doc.content_hash or doc.id, size, mtime)
            if prior:
                store.drop_if_orphaned(prior)
    status = "updated" if replaced else "added" if existing is None else "unchanged"
    emit(FileOutcome(doc.source, status, doc.id, title=doc.title, doctype=doc.doctype, date=doc.date))
    for path, _, _ in extra_paths:
        emit(
            FileOutcome(path, "unchanged", doc.id, title=doc.title, doctype=doc.doctype, date=doc.date,
                        duplicate_of=doc.source)
        )


__all__ = [
    "AddReport",
    "ExternalMetadata",
    "FileOutcome",
    "add_paths",
    "apply_external",
    "document_id",
    "extract_document",
    "file_hash",
    "merge_council",
    "store_new_document",
]


def store_new_document(store: CorpusStore, result: ExtractResult) -> None:
    """Write a newly read document with everything its worker derived: entities, term counts, and its
    near-duplicate links (its MinHash signature compared with the candidates of its LSH buckets).

    Call inside ``store.transaction()``, only for a document whose content is not stored yet. Shared by ``add``
    and the OParl importer, so both leave a document in the same state.
    """
    from clustermine.corpus.termstore import put_term_row
    from clustermine.pipeline.neardup import Signature, link_kind
    from clustermine.pipeline.terms import TERMS_FINGERPRINT

    doc = result.document
    store.put_document(doc, fingerprint=result.fingerprint)
    if result.terms is not None:
        put_term_row(store, doc.id, *result.terms, TERMS_FINGERPRINT)
    if not result.signature:
        return
    store.put_signature(doc.id, result.signature, result.buckets)
    mine = Signature.from_bytes(result.signature)
    for other_id, other_sig in store.candidates(doc.id, result.buckets).items():
        similarity = mine.similarity(Signature.from_bytes(other_sig))
        kind = link_kind(similarity)
        if kind:
            store.link_duplicates(doc.id, other_id, similarity, kind)
