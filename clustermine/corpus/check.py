"""``clustermine check``: does the corpus agree with itself, with its search index and with the files it came from?

A researcher's corpus lives for years and goes through killed runs, full disks, moved folders and edited files.
Each write is atomic (one transaction per document, an index generation switched by one rename), so a crash
cannot corrupt anything; what it can leave is work not yet done — an index that lags the store, a half-built
generation, a lock held by orphaned reader processes — and what the world does to the files the corpus was
built from. ``check`` names each such finding in one line with what to do, and ``--repair`` does what can be
done without the user: re-sync the index, drop orphan rows, re-read changed files, recompute outdated derived
data, clear crash debris and stale locks. Then it checks again, and what is left is reported as a problem.

Nothing is ever deleted that only the user can judge: a document whose file is gone keeps its text.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from clustermine.corpus.locks import LockState, inspect_lock, release_stale
from clustermine.corpus.paths import printable_path, real_path
from clustermine.corpus.store import LOCK_NAME, CorpusStore, is_damage
from clustermine.errors import CorpusBusyError

#: How many ids or paths a finding lists (the count says how many there are in all).
EXAMPLES = 5
_REPAIR = "clustermine check --repair"
_RESTORE = "restore corpus.sqlite from a backup, or move it aside and add your folders again"


@dataclass
class Finding:
    """One thing that is wrong. ``code`` is stable (``index.missing``), ``message`` one line for people,
    ``hint`` what the user can do when ``--repair`` cannot, ``repaired`` what ``--repair`` did."""

    area: str
    code: str
    message: str
    count: int = 1
    examples: list[str] = field(default_factory=list)
    hint: str | None = None
    repairable: bool = True
    repaired: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckReport:
    """Everything ``check`` looked at (``checked``), what it found, and what is still wrong (``remaining``)."""

    home: str
    repair: bool = False
    checked: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.remaining

    def to_dict(self) -> dict[str, Any]:
        return {"home": self.home, "ok": self.ok, "repair": self.repair, "checked": self.checked,
                "findings": [f.to_dict() for f in self.findings],
                "remaining": [f.to_dict() for f in self.remaining]}


def check_corpus(
    store: CorpusStore,
    *,
    repair: bool = False,
    hash_sources: bool = False,
    wait: float = 0.0,
    jobs: int | None = None,
    on_step: Callable[[str], None] | None = None,
) -> CheckReport:
    """Check the corpus of ``store``; with ``repair`` fix what can be fixed and check again.

    Holds the corpus's writer lock while it looks, so that a running ``add`` cannot make the store and the
    index disagree half-way through (raises :class:`CorpusBusyError` after ``wait`` seconds). A lock held only
    by the orphaned readers of a killed run is reported (and with ``repair`` released) instead.
    ``hash_sources`` compares every source file's content, not only its size and time.
    """
    step = on_step or (lambda _: None)
    report = CheckReport(str(store.home), repair=repair)
    writer = _check_lock(store, report, repair)
    try:
        with store.writer_lock(wait=wait):
            return _run(store, report, repair=repair, hash_sources=hash_sources, jobs=jobs, step=step)
    except CorpusBusyError:
        if writer.state != "stale":
            raise
    # the lock is held only by leftovers of a killed run (and may not be taken from them): look without it
    return _run(store, report, repair=False, hash_sources=hash_sources, jobs=jobs, step=step)


def _run(store: CorpusStore, report: CheckReport, *, repair: bool, hash_sources: bool, jobs: int | None,
         step: Callable[[str], None]) -> CheckReport:
    step("store")
    findings = report.findings + _findings(store, report.checked, hash_sources)
    report.findings = findings
    if not repair or not [f for f in findings if f.repairable]:
        report.remaining = [f for f in findings if not f.repaired]
        return report
    step("repair")
    _repair(store, findings, jobs=jobs)
    step("check again")
    again = _findings(store, report.checked, hash_sources)
    codes = {f.code for f in again}
    for finding in findings:
        if finding.repaired is None and finding.repairable and finding.code not in codes:
            finding.repaired = "repaired"
    report.remaining = [f for f in findings if f.area == "locks" and not f.repaired] + again
    return report


def _findings(store: CorpusStore, checked: dict[str, Any], hash_sources: bool) -> list[Finding]:
    try:
        findings = _check_store(store, checked)
        findings += _check_index(store, checked)
        findings += _check_sources(store, checked, hash_sources)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # so damaged that even reading it fails
        if not is_damage(exc):
            raise
        return [Finding("store", "store.integrity", f"the database is damaged: {exc}", hint=_RESTORE,
                        repairable=False)]
    return findings


# ----------------------------------------------------------------------------------------------------
# locks


def _check_lock(store: CorpusStore, report: CheckReport, repair: bool) -> LockState:
    """Report (and with ``repair`` release) the writer lock and the index lock when orphans hold them."""
    from clustermine.index.storage import LOCK as INDEX_LOCK
    from clustermine.index.storage import index_path

    writer = inspect_lock(store.home / LOCK_NAME)
    for lock, what in ((writer, "the corpus"), (inspect_lock(index_path(store.home) / INDEX_LOCK), "the index")):
        if lock.state != "stale":
            continue
        pids = ", ".join(map(str, lock.holders)) or "unknown"
        finding = Finding(
            "locks", "locks.stale",
            f"{what} is locked by leftover reader processes of a killed run (process {pids}; the run that took "
            f"the lock, process {lock.owner}, is gone)",
            len(lock.holders), [str(p) for p in lock.holders],
            hint=f"{_REPAIR} ends them; or wait until they have finished their file",
        )
        report.findings.append(finding)
        if repair:
            ended = release_stale(lock)
            if inspect_lock(Path(lock.path)).state != "stale":
                finding.repaired = f"ended leftover process(es) {', '.join(map(str, ended)) or '-'}"
    return writer


# ----------------------------------------------------------------------------------------------------
# store


def _check_store(store: CorpusStore, checked: dict[str, Any]) -> list[Finding]:
    from clustermine.corpus import entity_settings

    conn = store.conn
    findings: list[Finding] = []
    documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    checked.update(documents=documents, pages=conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        findings.append(Finding(
            "store", "store.integrity", f"the database is damaged: {problems[0]}", len(problems), problems[:EXAMPLES],
            hint=_RESTORE, repairable=False,
        ))
    violations = Counter(row[0] for row in conn.execute("PRAGMA foreign_key_check"))
    if violations:
        listed = ", ".join(f"{table}: {n}" for table, n in sorted(violations.items()))
        total = sum(violations.values())
        findings.append(Finding(
            "store", "store.orphan_rows", f"{total} row(s) referring to documents that are gone ({listed})", total,
            sorted(violations), hint=f"{_REPAIR} deletes them",
        ))
    orphans = [r[0] for r in conn.execute(
        "SELECT id FROM documents WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.doc_id = documents.id) "
        "ORDER BY id")]
    if orphans:
        findings.append(Finding(
            "store", "store.orphan_documents", f"{len(orphans)} document(s) belonging to no file or URL any more",
            len(orphans), orphans[:EXAMPLES], hint=f"{_REPAIR} removes them (adding the file again brings it back)",
        ))
    short = [r[0] for r in conn.execute(
        "SELECT d.id FROM documents d LEFT JOIN (SELECT doc_id, COUNT(*) AS n FROM pages GROUP BY doc_id) p "
        "ON p.doc_id = d.id WHERE COALESCE(p.n, 0) != d.n_pages OR (d.n_pages = 0 AND d.format != 'oparl') "
        "ORDER BY d.id")]
    if short:
        findings.append(Finding(
            "store", "store.pages", f"{len(short)} document(s) lacking pages their record counts", len(short),
            short[:EXAMPLES], hint="read them again: clustermine remove ID, then clustermine add FILE",
            repairable=False,
        ))
    fingerprint = entity_settings(store).fingerprint()
    stale = store.ids_needing_entities(fingerprint)
    if stale:
        findings.append(Finding(
            "store", "store.entities",
            f"{len(stale)} document(s) with entities from older gazetteers or settings, or none", len(stale),
            stale[:EXAMPLES], hint=f"clustermine rebuild (or {_REPAIR})",
        ))
    findings += _check_terms(store, checked)
    return findings


def _check_terms(store: CorpusStore, checked: dict[str, Any]) -> list[Finding]:
    from clustermine.pipeline.terms import TERMS_FINGERPRINT

    rows = store.conn.execute(
        "SELECT COUNT(*), SUM(fingerprint != ?) FROM doc_terms", (TERMS_FINGERPRINT,)).fetchone()
    checked["term_counts"] = rows[0]
    outdated = [r[0] for r in store.conn.execute(
        "SELECT doc_id FROM doc_terms WHERE fingerprint != ? ORDER BY doc_id LIMIT ?", (TERMS_FINGERPRINT, EXAMPLES))]
    if not rows[1]:
        return []
    return [Finding("store", "store.terms", f"{rows[1]} document(s) with term counts made by older rules", rows[1],
                    outdated, hint=f"clustermine trends recounts them when needed (or {_REPAIR})")]


# ----------------------------------------------------------------------------------------------------
# index


def _check_index(store: CorpusStore, checked: dict[str, Any]) -> list[Finding]:
    from clustermine.index.storeview import document_states
    from clustermine.index.verify import inspect_index

    found = inspect_index(store.home)
    checked.update(index_generation=found.generation, indexed=len(found.documents))
    documents = checked.get("documents", 0)
    findings: list[Finding] = []
    fix = f"{_REPAIR} (or clustermine rebuild)"
    if found.pointer == "none":
        if documents:
            message = f"no search index for the {documents} document(s) of the corpus"
            findings.append(Finding("index", "index.none", message, hint=fix))
        return findings
    if found.pointer != "ok":
        what = "is missing" if found.pointer == "missing" else "names no complete index generation"
        findings.append(Finding("index", "index.pointer", f"the index pointer {found.root}/CURRENT {what}", hint=fix))
    elif found.error:
        findings.append(Finding("index", "index.unreadable", f"the search index cannot be read ({found.error})",
                                hint=fix))
    elif found.outdated:
        findings.append(Finding("index", "index.outdated",
                                f"the search index was built by another clustermine version ({found.meta})", hint=fix))
    else:
        findings += _compare_documents(dict(document_states(store)), found)
    if found.stale_generations:
        stale = found.stale_generations
        findings.append(Finding(
            "index", "index.generations", f"{len(stale)} old or half-built index generation(s) left over",
            len(stale), stale[:EXAMPLES], hint=f"{_REPAIR} removes them",
        ))
    if found.debris:
        findings.append(Finding(
            "index", "index.debris", f"{len(found.debris)} file(s) left over from an interrupted index write",
            len(found.debris), found.debris[:EXAMPLES], hint=f"{_REPAIR} removes them",
        ))
    return findings


def _compare_documents(wanted: dict[str, Any], found: Any) -> list[Finding]:
    indexed = found.documents
    findings = []
    missing = sorted(set(wanted) - set(indexed))
    extra = sorted(set(indexed) - set(wanted))
    changed = sorted(i for i in set(wanted) & set(indexed) if wanted[i] != indexed[i])
    fix = f"{_REPAIR} brings the index up to date"
    for code, ids, text in (
        ("index.missing", missing, "document(s) missing from the search index"),
        ("index.extra", extra, "document(s) in the search index but no longer in the corpus"),
        ("index.changed", changed, "document(s) changed since they were indexed"),
        ("index.twice", sorted(set(found.twice)), "document(s) in the search index more than once"),
    ):
        if ids:
            findings.append(Finding("index", code, f"{len(ids)} {text}", len(ids), ids[:EXAMPLES], hint=fix))
    return findings


# ----------------------------------------------------------------------------------------------------
# source files


def _check_sources(store: CorpusStore, checked: dict[str, Any], hash_sources: bool) -> list[Finding]:
    from clustermine.corpus.ingest import file_hash

    rows = store.conn.execute("SELECT path, doc_id, content_hash, size, mtime FROM sources ORDER BY path").fetchall()
    missing: list[str] = []
    changed: list[str] = []
    touched: list[str] = []
    local = 0
    for row in rows:
        path = row["path"]
        if "://" in path or not os.path.isabs(path):
            continue  # a URL (OParl, web): nothing on this disk to compare with
        local += 1
        disk = real_path(path)
        try:
            info = os.stat(disk)
        except OSError:
            missing.append(path)
            continue
        same_stamp = info.st_size == row["size"] and row["mtime"] is not None and info.st_mtime == row["mtime"]
        if same_stamp and not hash_sources:
            continue
        try:
            same = file_hash(disk) == row["content_hash"]
        except OSError:
            missing.append(path)
            continue
        if not same:
            changed.append(path)
        elif not same_stamp:
            touched.append(path)
    checked.update(sources=len(rows), source_files=local)
    findings = []
    if missing:
        findings.append(Finding(
            "sources", "sources.missing", f"{len(missing)} source file(s) gone (moved or deleted)", len(missing),
            [printable_path(p) for p in missing[:EXAMPLES]],
            hint="their texts stay in the corpus; if the files moved, add them from the new place "
                 "(same content, same document) and run check --repair to forget the old paths; "
                 "'clustermine remove ID' takes a document out",
            repairable=_has_other_source(store, missing),
        ))
    if changed:
        findings.append(Finding(
            "sources", "sources.changed", f"{len(changed)} source file(s) changed since they were added", len(changed),
            [printable_path(p) for p in changed[:EXAMPLES]],
            hint=f"{_REPAIR} reads them again (or clustermine add FILE)",
        ))
    if touched:
        findings.append(Finding(
            "sources", "sources.touched", f"{len(touched)} source file(s) with a new date but the same content",
            len(touched), [printable_path(p) for p in touched[:EXAMPLES]], hint=f"{_REPAIR} records the new dates",
        ))
    return findings


def _has_other_source(store: CorpusStore, missing: list[str]) -> bool:
    """Can ``--repair`` forget some of the missing paths (their documents have another path that exists)?"""
    return bool(_forgettable(store, missing))


def _forgettable(store: CorpusStore, missing: list[str]) -> list[str]:
    gone = set(missing)
    out = []
    for path in missing:
        row = store.conn.execute("SELECT doc_id FROM sources WHERE path = ?", (path,)).fetchone()
        if row is None:
            continue
        others = [p for p in store.sources_of(row[0]) if p not in gone]
        if any("://" in p or os.path.exists(real_path(p)) for p in others):
            out.append(path)
    return out


# ----------------------------------------------------------------------------------------------------
# repair


def _repair(store: CorpusStore, findings: list[Finding], *, jobs: int | None) -> None:
    """Fix what can be fixed, in an order where each step leaves the next one less to do: the store's own
    rows first, then re-read files, then derived data (entities, term counts), the index last."""
    by_code = {f.code: f for f in findings if f.repairable and f.repaired is None}
    if "store.orphan_rows" in by_code:
        by_code["store.orphan_rows"].repaired = f"deleted {_delete_orphan_rows(store)} row(s)"
    if "store.orphan_documents" in by_code:
        with store.transaction():
            gone = store.conn.execute(
                "DELETE FROM documents WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.doc_id = documents.id)"
            ).rowcount
        by_code["store.orphan_documents"].repaired = f"removed {gone} document(s)"
    _repair_sources(store, by_code, jobs)
    if "store.entities" in by_code:
        from clustermine.corpus import entity_settings
        from clustermine.corpus.rebuild import rebuild_entities

        done = rebuild_entities(store, entity_settings(store), jobs=jobs)
        by_code["store.entities"].repaired = f"entities found again in {done.annotated} document(s)"
    _repair_index(store, by_code)


def _delete_orphan_rows(store: CorpusStore) -> int:
    deleted = 0
    with store.transaction():
        for table, rowid, _parent, _fk in store.conn.execute("PRAGMA foreign_key_check").fetchall():
            if rowid is not None:  # every such table holds derived rows (pages, entities, links, ...)
                deleted += store.conn.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,)).rowcount
    return deleted


def _repair_sources(store: CorpusStore, by_code: dict[str, Finding], jobs: int | None) -> None:
    rows = {r["path"]: r for r in store.conn.execute("SELECT path, doc_id, content_hash, size, mtime FROM sources")}
    missing = [p for p in rows if "://" not in p and os.path.isabs(p) and not os.path.lexists(real_path(p))]
    if "sources.missing" in by_code:
        forget = _forgettable(store, missing)
        with store.transaction():
            for path in forget:
                store.conn.execute("DELETE FROM sources WHERE path = ?", (path,))
        by_code["sources.missing"].repaired = f"forgot {len(forget)} old path(s) of documents found elsewhere"
    if "sources.touched" in by_code or "sources.changed" in by_code:
        from clustermine.corpus import entity_settings
        from clustermine.corpus.ingest import add_paths, file_hash

        reread: list[str] = []
        updated = 0
        for path, row in rows.items():
            if "://" in path or not os.path.isabs(path) or path in missing:
                continue
            disk = real_path(path)
            try:
                info = os.stat(disk)
                if info.st_size == row["size"] and info.st_mtime == row["mtime"]:
                    continue
                same = file_hash(disk) == row["content_hash"]
            except OSError:
                continue
            if same:
                with store.transaction():
                    store.conn.execute("UPDATE sources SET size = ?, mtime = ? WHERE path = ?",
                                       (info.st_size, info.st_mtime, path))
                updated += 1
            else:
                reread.append(disk)
        if "sources.touched" in by_code:
            by_code["sources.touched"].repaired = f"recorded the new dates of {updated} file(s)"
        if reread and "sources.changed" in by_code:
            result = add_paths(store, reread, entities=entity_settings(store), jobs=jobs)
            counts = result.counts()
            by_code["sources.changed"].repaired = (
                f"read {len(reread)} file(s) again ({counts['updated'] + counts['added']} updated, "
                f"{counts['failed']} failed)")


def _repair_index(store: CorpusStore, by_code: dict[str, Finding]) -> None:
    from clustermine.index import sync_index
    from clustermine.index.verify import clear_debris

    if "index.generations" in by_code or "index.debris" in by_code:  # before a sync, which would keep them
        generations, files = clear_debris(store.home)
        if "index.generations" in by_code and generations:
            by_code["index.generations"].repaired = f"removed {len(generations)} generation(s)"
        if "index.debris" in by_code and files:
            by_code["index.debris"].repaired = f"removed {len(files)} file(s)"
    rebuild_codes = ("index.pointer", "index.unreadable", "index.outdated", "index.twice")
    rebuild = any(code in by_code for code in rebuild_codes)
    sync = rebuild or any(code in by_code for code in ("index.none", "index.missing", "index.extra",
                                                       "index.changed"))
    if sync or any(f.code.startswith(("store.", "sources.")) and f.repaired for f in by_code.values()):
        result = sync_index(store, rebuild=rebuild, full=True)  # every document: damage bypasses the journal
        what = "rebuilt the search index" if result.rebuilt else (
            f"synced the search index ({result.added} added, {result.updated} updated, {result.removed} removed)")
        for code in (*rebuild_codes, "index.none", "index.missing", "index.extra", "index.changed"):
            if code in by_code:
                by_code[code].repaired = what
    for code in ("index.generations", "index.debris"):
        if code in by_code and not by_code[code].repaired:  # no valid pointer before: the rebuild cleared them
            by_code[code].repaired = "cleared by the rebuild"


def repair_terms(store: CorpusStore, report: CheckReport, *, wait: float = 0.0) -> None:
    """Recount outdated term counts (takes the writer lock itself, so call it after :func:`check_corpus`)."""
    finding = next((f for f in report.remaining if f.code == "store.terms"), None)
    if finding is None:
        return
    from clustermine.pipeline.termmatrix import sync_terms

    counted = sync_terms(store, wait=wait)
    finding.repaired = f"counted the terms of {counted} document(s) again"
    report.remaining = [f for f in report.remaining if f is not finding]


def lock_state(home: Path) -> LockState:
    """The corpus's writer lock as :func:`~clustermine.corpus.locks.inspect_lock` sees it."""
    return inspect_lock(Path(home) / LOCK_NAME)


__all__ = ["CheckReport", "Finding", "check_corpus", "lock_state", "repair_terms"]
