"""``import-oparl``: council papers from an OParl server (or a dump of one) into the corpus.

The flow per run: find the bodies, walk each body's paper list (only what changed since the last complete walk,
``modified_since``, and checked on our side too because some servers ignore the filter), and for each paper
that is new or changed fetch its files (reusing what the cache has), read them through the normal readers in
the killable worker pool, and store the documents with the OParl metadata laid over what the text analysis
found. A paper without (readable) files is stored as a small document of its metadata, so it can still be
found. Papers whose files could not all be had are tried again on the next run even when the server does not
list them as changed.

Why it is robust to interruption: files land in the cache atomically; each document is stored in one
transaction; a paper's state is written only when all its files are done; and the list's "changed since" mark
moves forward only after a complete walk. A killed run therefore leaves a state from which the same command
continues, downloading nothing twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from clustermine.corpus.ingest import (
    ExternalMetadata,
    ExtractResult,
    ExtractTask,
    extract_document,
    store_new_document,
)
from clustermine.corpus.oparl import state
from clustermine.corpus.oparl.cache import RawCache
from clustermine.corpus.oparl.client import HttpClient, HttpError
from clustermine.corpus.oparl.mapping import council_metadata, file_metadata, paper_document, split_files
from clustermine.corpus.oparl.objects import (
    InvalidObjectError,
    OParlFile,
    OParlPaper,
    parse_day,
    parse_moment,
    parse_paper,
)
from clustermine.corpus.oparl.report import FILE_STATUSES, PAPER_STATUSES, FileResult, ImportReport, PaperResult
from clustermine.corpus.oparl.sources import Body, DumpSource, FileUnavailable, ServerSource
from clustermine.corpus.oparl.verify import check_bytes
from clustermine.corpus.oparl.walker import ListWalk
from clustermine.corpus.store import CorpusStore
from clustermine.corpus.workers import KillablePool, TaskFailure
from clustermine.model import CouncilPaper, Document
from clustermine.pipeline.annotate import EntitySettings

#: Part of every stored paper fingerprint: a clustermine whose mapping differs maps every paper again
#: (from the cached files, without downloading them).
MAPPING_VERSION = "1"

#: Reading failures worth trying again on the next run (the machine was busy); any other failure to read bytes
#: that were had is a property of the file (a scan without text, a damaged PDF) and is reported once, until the
#: server changes the file.
RETRYABLE_READ_FAILURES = frozenset({"ExtractionTimeoutError", "WorkerDied", "MemoryError"})

#: The "changed since" mark is moved back by this much, against servers whose clocks or time zones are off.
MARK_MARGIN = timedelta(days=1)

CACHE_FOLDER = "oparl"


@dataclass(frozen=True)
class ImportOptions:
    """What to import. ``since`` is a date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``): only papers changed on or
    after it; ``paper_types`` keep papers whose type contains one of them (case ignored); ``limit`` stops after
    that many papers; ``full`` walks the whole list instead of only what changed since the last complete run."""

    body: str | None = None
    since: str | None = None
    paper_types: tuple[str, ...] = ()
    limit: int | None = None
    files: bool = True
    full: bool = False
    jobs: int | None = None
    read_timeout: float = 120.0
    memory_mb: int | None = 2048
    entities: EntitySettings | None = None


def is_url(target: str) -> bool:
    return target.strip().lower().startswith(("http://", "https://"))


def import_oparl(
    store: CorpusStore,
    target: str,
    options: ImportOptions | None = None,
    *,
    client: HttpClient | None = None,
    on_total: Callable[[int], None] | None = None,
    on_paper: Callable[[PaperResult], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import the papers of an OParl server (``target`` an http(s) URL) or dump (a file or folder).

    Callbacks: ``on_total`` gets the number of papers a list announces, ``on_paper`` each paper's result as it
    is done, ``on_file`` each file's, ``on_note`` messages about the source (loops, 404 windows, …).
    Call inside ``store.writer_lock()``. Raises :class:`~clustermine.errors.ClustermineError` only when the
    source cannot be opened at all; everything later is reported in the :class:`ImportReport`.
    """
    options = options or ImportOptions()
    started = time.monotonic()
    if is_url(target):
        source: ServerSource | DumpSource = ServerSource(
            url=target.strip(), client=client or HttpClient(), cache=RawCache(store.home / CACHE_FOLDER)
        )
    else:
        source = DumpSource(path=Path(target).expanduser()).load()
    report = ImportReport(source=target, offline=source.offline)
    run = _Import(store, source, options, report, on_total, on_paper, on_file, on_note)
    pool: KillablePool[ExtractResult] = KillablePool(
        extract_document, jobs=options.jobs, timeout=options.read_timeout, memory_mb=options.memory_mb
    )
    try:
        for task, result in pool.run(run.tasks()):
            run.finish_task(task, result)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        run.flush_notes()
        report.requests = source.client.requests if isinstance(source, ServerSource) and source.client else 0
        report.seconds = time.monotonic() - started
    return report


@dataclass
class _Work:
    """A paper on its way in: waiting for its files to be read."""

    paper: OParlPaper
    council: CouncilPaper
    result: PaperResult
    prior: state.PaperState | None
    fingerprint: str
    sources: list[str] = field(default_factory=list)
    pending: int = 0
    incomplete: bool = False
    changed: bool = False


@dataclass
class _Waiting:
    work: _Work
    file: OParlFile
    external: ExternalMetadata
    result: FileResult


class _Import:
    """One run: the generator of extraction tasks and the handler of their results (same thread)."""

    def __init__(self, store: CorpusStore, source: ServerSource | DumpSource, options: ImportOptions,
                 report: ImportReport, on_total: Callable[[int], None] | None,
                 on_paper: Callable[[PaperResult], None] | None, on_file: Callable[[FileResult], None] | None,
                 on_note: Callable[[str], None] | None) -> None:
        self.store = store
        self.source = source
        self.options = options
        self.report = report
        self.on_total = on_total
        self.on_paper = on_paper
        self.on_file = on_file
        self.on_note = on_note
        self.started = datetime.now(timezone.utc).replace(microsecond=0)
        self.since = _start_of(options.since) if options.since else None
        self.types = tuple(t.casefold().strip() for t in options.paper_types if t.strip())
        self.filters = json.dumps(sorted(self.types))
        self.seen: set[str] = set()
        self.selected = 0
        self.waiting: dict[str, list[_Waiting]] = {}
        self.body_names: dict[str | None, str | None] = {}
        self._noted = 0

    # -- notes ---------------------------------------------------------------------------------------------

    def note(self, text: str) -> None:
        if text not in self.report.notes:
            self.report.notes.append(text)
            if self.on_note:
                self.on_note(text)

    def flush_notes(self) -> None:
        for text in self.source.notes[self._noted:]:
            self.note(text)
        self._noted = len(self.source.notes)

    # -- walking -------------------------------------------------------------------------------------------

    def tasks(self) -> Iterator[ExtractTask]:
        """Walk bodies and papers; yield a task for every file that must be read."""
        bodies = self.source.bodies(self.options.body)
        self.flush_notes()
        for body in bodies:
            self.report.bodies.append(body.label)
            self.body_names[body.id] = body.name or body.short_name
            yield from self._body(body)
            self.flush_notes()
            if self.report.limit_reached:
                break

    def _body(self, body: Body) -> Iterator[ExtractTask]:
        list_url = body.papers_url or body.id or self.report.source
        walk = ListWalk(list_url)
        self.report.lists.append(walk)
        mark = None
        if not self.source.offline and body.papers_url and not self.options.full:
            mark = state.get_mark(self.store, body.papers_url, self.filters)
        params = None
        since_param = self.since or (parse_moment(mark) - MARK_MARGIN if mark else None)
        if since_param is not None and not self.source.offline:
            params = {"modified_since": since_param.isoformat()}
            walk.since = params["modified_since"]
        for raw in self.source.papers(body, params, walk, on_total=self.on_total):
            yield from self._paper(raw, body, walk)
            self.flush_notes()
            if self.report.limit_reached:
                break
        if not walk.failed:  # a failed list is the caller's to report; these are things read around
            for problem in walk.problems:
                self.note(f"paper list {walk.url}: {problem}")
        if not self.report.limit_reached:  # papers whose files were not all had last time: try again
            for paper_id in state.incomplete_papers(self.store, body.id):
                if paper_id not in self.seen:
                    raw = self.source.lookup(paper_id, "Paper")
                    if raw is not None:
                        yield from self._paper(raw, body, walk)
                if self.report.limit_reached:
                    break
        if walk.complete and not walk.failed and not self.report.limit_reached and body.papers_url \
                and not self.source.offline:
            covers_all = self.since is None or (mark is not None and self.since <= parse_moment(mark))
            if covers_all:
                with self.store.transaction():
                    state.set_mark(self.store, body.papers_url, self.filters, self.started.isoformat())

    def _paper(self, raw: Any, body: Body, walk: ListWalk) -> Iterator[ExtractTask]:
        try:
            paper = parse_paper(raw, lookup=self.source.lookup)
        except InvalidObjectError as exc:
            self._invalid(raw, exc, walk)
            return
        if paper.id in self.seen:
            self.report.duplicates += 1
            return
        self.seen.add(paper.id)
        if paper.deleted:
            self.report.skipped["deleted"] += 1
            return
        if self.since is not None:
            modified = parse_moment(paper.modified)
            if modified is not None and modified < self.since:
                self.report.skipped["since"] += 1
                return
        if self.types and not any(t in (paper.paper_type or "").casefold() for t in self.types):
            self.report.skipped["paper_type"] += 1
            return
        self.selected += 1
        if self.options.limit is not None and self.selected >= self.options.limit:
            self.report.limit_reached = True  # the walks stop after this paper
        self.source.remember(raw, "Paper")
        fingerprint = f"{MAPPING_VERSION}:{paper.fingerprint}"
        prior = state.paper_state(self.store, paper.id)
        result = PaperResult(paper.id, "new" if prior is None else "updated", paper.reference,
                             paper.name, problems=list(paper.problems))
        if self._unchanged(paper, prior, fingerprint, result):
            return
        body_name = self._body_name(body, paper)
        result.body = body_name
        council = council_metadata(paper, body=body_name, name_of=self._org_name, meeting_date=self._meeting_date)
        # pending starts at 1 for the preparation itself: the pool may hand back a file's result while the
        # paper's later files are still being fetched, and the paper must not be finished before they are
        work = _Work(paper, council, result, prior, fingerprint, pending=1)
        if self.options.files:
            main, others = split_files(paper)
            for file in ([main] if main else []) + list(others):
                task = self._file(work, file, main=file is main)
                if task is not None:
                    yield task
        work.pending -= 1
        if work.pending == 0:
            self._finish_paper(work)

    def _unchanged(self, paper: OParlPaper, prior: state.PaperState | None, fingerprint: str,
                   result: PaperResult) -> bool:
        if prior is None or prior.fingerprint != fingerprint or not prior.complete:
            return False
        if self.options.files and not prior.with_files:
            return False
        if not state.sources_present(self.store, prior.sources):
            return False
        result.status = "unchanged"
        if prior.with_files:
            result.files = [FileResult(f.id, f.label, f.url, "reused") for f in paper.files
                            if not self._known_unreadable(f)]
        rows = self.store.conn.execute(
            f"SELECT doc_id FROM sources WHERE path IN ({','.join('?' * len(prior.sources))})", prior.sources
        )
        result.doc_ids = list(dict.fromkeys(r[0] for r in rows))
        self._emit(result)
        return True

    def _known_unreadable(self, file: OParlFile) -> bool:
        known = state.file_state(self.store, file.id)
        return known is not None and known.status == "unreadable" and known.version == file.version()

    def _invalid(self, raw: Any, exc: InvalidObjectError, walk: ListWalk) -> None:
        object_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        key = object_id or f"{walk.url}#item-{walk.items}"
        with self.store.transaction():
            self.store.record_failure(key, exc.message, exc.hint, None, None)
        name = raw.get("name") if isinstance(raw, dict) and isinstance(raw.get("name"), str) else None
        reference = raw.get("reference") if isinstance(raw, dict) and isinstance(raw.get("reference"), str) else None
        self._emit(PaperResult(key, "failed", reference, name, reason=exc.message, hint=exc.hint))

    # -- names ---------------------------------------------------------------------------------------------

    def _body_name(self, body: Body, paper: OParlPaper) -> str | None:
        if body.name or body.short_name:
            return body.name or body.short_name
        key = paper.body
        if key not in self.body_names:
            found = self.source.lookup(key, "Body") if key else None
            self.body_names[key] = (found.get("name") or found.get("shortName")) if found else None
        return self.body_names[key] or key

    def _org_name(self, url: str) -> str | None:
        found = self.source.lookup(url, "Organization")
        if not found:
            return None
        name = found.get("name") or found.get("shortName")
        return " ".join(name.split()) if isinstance(name, str) and name.strip() else None

    def _meeting_date(self, url: str) -> str | None:
        found = self.source.lookup(url, "Meeting")
        return parse_day(found.get("start")) if found else None

    # -- files ---------------------------------------------------------------------------------------------

    def _file(self, work: _Work, file: OParlFile, *, main: bool) -> ExtractTask | None:
        paper = work.paper
        if self._known_unreadable(file):  # reported when it failed; tried again when the server changes it
            return None
        result = FileResult(file.id, file.label, file.url, "failed")
        work.result.files.append(result)
        external = file_metadata(paper, file, main=main, council=work.council)
        if paper.problems:
            external = _with_notes(external, tuple(f"OParl data: {p}" for p in paper.problems))
        if not file.url:
            return self._file_failed(work, result, "the file has no accessUrl or downloadUrl",
                                     "the server lists the file without saying where it is")
        try:
            fetched = self.source.fetch_file(file)
        except FileUnavailable as exc:
            if exc.missing:
                result.status, result.reason, result.hint = "missing", exc.message, exc.hint
                work.incomplete = True
                self._emit_file(result)
                return None
            return self._file_failed(work, result, exc.message, exc.hint)
        except HttpError as exc:
            return self._file_failed(work, result, exc.message, exc.hint)
        result.status = "downloaded" if fetched.downloaded else "reused"
        checked = check_bytes(fetched.path, file)
        if checked.problem:
            if not self.source.offline:
                fetched.path.unlink(missing_ok=True)  # a later run downloads it again
            return self._file_failed(work, result, checked.problem, checked.hint)
        if checked.notes:
            external = _with_notes(external, checked.notes)
        with self.store.transaction():
            state.save_file(self.store, file, paper.id, path=str(fetched.path), sha256=checked.sha256,
                            size=checked.size, status="ok")
        known = self.store.doc_id_for_hash(checked.sha256)
        if known is not None:  # the bytes are in the corpus already: only the metadata may be new
            with self.store.transaction():
                if known not in work.result.doc_ids:  # two files of one paper with the same bytes: first wins
                    work.changed |= state.update_metadata(self.store, known, external)
                self._link(work, file.url, known, checked.sha256, checked.size)
            result.doc_id = known
            self._emit_file(result)
            return None
        key = str(fetched.path)
        work.pending += 1
        waiting = _Waiting(work, file, external, result)
        if key in self.waiting:  # the same file of another paper is being read already
            self.waiting[key].append(waiting)
            return None
        self.waiting[key] = [waiting]
        return ExtractTask(key, checked.sha256, entities=self.options.entities, external=external)

    def _file_failed(self, work: _Work, result: FileResult, reason: str, hint: str | None, *,
                     retry: bool = True) -> None:
        result.status, result.reason, result.hint = "failed", reason, hint
        work.incomplete |= retry
        if result.url:
            with self.store.transaction():
                self.store.record_failure(result.url, reason, hint, None, None)
        self._emit_file(result)
        return None

    def _link(self, work: _Work, url: str, doc_id: str, content_hash: str, size: int | None) -> None:
        previous = self.store.link_source(url, doc_id, content_hash, size, None)
        if previous is not None:
            self.store.drop_if_orphaned(previous)
            work.changed = True
        elif work.prior is None or url not in work.prior.sources:
            work.changed = True
        work.sources.append(url)
        work.result.doc_ids.append(doc_id)

    # -- results -------------------------------------------------------------------------------------------

    def finish_task(self, task: ExtractTask, result: ExtractResult | TaskFailure) -> None:
        """Store what a worker read (or report why it could not), then finish papers that are complete."""
        entries = self.waiting.pop(task.path, [])
        if isinstance(result, TaskFailure):
            retry = result.kind in RETRYABLE_READ_FAILURES
            for entry in entries:
                entry.work.pending -= 1
                self._file_failed(entry.work, entry.result, result.message, result.hint, retry=retry)
                if not retry:
                    with self.store.transaction():
                        state.save_file(self.store, entry.file, entry.work.paper.id, path=task.path,
                                        sha256=task.content_hash, size=None, status="unreadable",
                                        reason=result.message)
                if entry.work.pending == 0:
                    self._finish_paper(entry.work)
            return
        doc = result.document
        with self.store.transaction():
            existing = self.store.doc_id_for_hash(doc.content_hash or doc.id)
            if existing is None:
                store_new_document(self.store, result)
            for n, entry in enumerate(entries):
                if existing is None and n == 0:
                    entry.work.changed = True
                elif doc.id not in entry.work.result.doc_ids:  # a file another paper brought, or stored meanwhile
                    entry.work.changed |= state.update_metadata(self.store, doc.id, entry.external)
                entry.result.doc_id = doc.id
                self._link(entry.work, entry.file.url or doc.source, doc.id, doc.content_hash or doc.id, doc.size)
        for entry in entries:
            self._emit_file(entry.result)
            entry.work.pending -= 1
            if entry.work.pending == 0:
                self._finish_paper(entry.work)

    def _finish_paper(self, work: _Work) -> None:
        paper = work.paper
        with self.store.transaction():
            if not work.sources:  # no file could be had: the paper stands for itself
                doc = paper_document(paper, work.council)
                if paper.problems:
                    doc = _doc_with_notes(doc, tuple(f"OParl data: {p}" for p in paper.problems))
                work.changed |= _put_paper_document(self.store, doc)
                self._link(work, paper.id, doc.id, doc.content_hash or doc.id, doc.size)
            stale = [s for s in (work.prior.sources if work.prior else ()) if s not in work.sources]
            if stale:
                state.drop_sources(self.store, stale)
                work.changed = True
            state.save_paper(self.store, paper, work.fingerprint, work.sources, with_files=self.options.files,
                             complete=not work.incomplete)
        if work.prior is not None:
            work.result.status = "updated" if work.changed else "unchanged"
        work.result.doc_ids = list(dict.fromkeys(work.result.doc_ids))
        self._emit(work.result)

    def _emit(self, result: PaperResult) -> None:
        self.report.papers.append(result)
        if self.on_paper:
            self.on_paper(result)

    def _emit_file(self, result: FileResult) -> None:
        if self.on_file:
            self.on_file(result)


# -- helpers ---------------------------------------------------------------------------------------------------


def _with_notes(external: ExternalMetadata, notes: tuple[str, ...]) -> ExternalMetadata:
    return replace(external, notes=tuple(dict.fromkeys((*external.notes, *notes))))


def _doc_with_notes(doc: Document, notes: tuple[str, ...]) -> Document:
    return replace(doc, notes=tuple(dict.fromkeys((*doc.notes, *notes))))


def _put_paper_document(store: CorpusStore, doc: Document) -> bool:
    """Store (or refresh) a paper's metadata document; True when it is new or different."""
    existing = store.conn.execute(
        "SELECT title, date, text, council_json, notes_json FROM documents WHERE id = ?", (doc.id,)
    ).fetchone()
    council = json.dumps(asdict(doc.council), ensure_ascii=False) if doc.council else None
    if existing is not None and (existing["title"], existing["date"], existing["text"], existing["council_json"],
                                 json.loads(existing["notes_json"])) == (doc.title, doc.date, doc.text, council,
                                                                         list(doc.notes)):
        return False
    store.put_document(doc)
    return True


def _start_of(value: str) -> datetime:
    """The first moment (UTC) of a partial date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    parts = [int(p) for p in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return datetime(parts[0], parts[1], parts[2], tzinfo=timezone.utc)


__all__ = [
    "FILE_STATUSES",
    "PAPER_STATUSES",
    "FileResult",
    "ImportOptions",
    "ImportReport",
    "PaperResult",
    "import_oparl",
    "is_url",
]
