"""What the corpus remembers of earlier OParl imports (schema v4), and the few writes an import makes to it.

Per paper: the fingerprint of its object (time stamps left out), the sources (file URLs, or the paper's id for
a paper without files) whose documents belong to it, and whether every file was had. Per file: which version
was downloaded to where. Per paper list: the moment from which on the last complete walk saw every change (the
"mark" that makes the next run ask for ``modified_since``).

The store's own class stays unaware of OParl; these are plain functions over its connection. Writes happen
inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone

from clustermine.corpus.ingest import ExternalMetadata, apply_external
from clustermine.corpus.oparl.objects import OParlFile, OParlPaper
from clustermine.corpus.store import CorpusStore, now_iso
from clustermine.errors import NotFoundError
from clustermine.model import Document


@dataclass(frozen=True)
class PaperState:
    id: str
    fingerprint: str
    sources: tuple[str, ...]
    with_files: bool
    complete: bool


def paper_state(store: CorpusStore, paper_id: str) -> PaperState | None:
    row = store.conn.execute(
        "SELECT id, fingerprint, sources, with_files, complete FROM oparl_papers WHERE id = ?", (paper_id,)
    ).fetchone()
    if row is None:
        return None
    return PaperState(row["id"], row["fingerprint"], tuple(json.loads(row["sources"] or "[]")),
                      bool(row["with_files"]), bool(row["complete"]))


def save_paper(store: CorpusStore, paper: OParlPaper, fingerprint: str, sources: Iterable[str], *,
               with_files: bool, complete: bool) -> None:
    store.conn.execute(
        "INSERT INTO oparl_papers(id, body, reference, name, fingerprint, modified, sources, with_files, complete,"
        " seen_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET body=excluded.body,"
        " reference=excluded.reference, name=excluded.name, fingerprint=excluded.fingerprint,"
        " modified=excluded.modified, sources=excluded.sources, with_files=excluded.with_files,"
        " complete=excluded.complete, seen_at=excluded.seen_at",
        (paper.id, paper.body, paper.reference, paper.name, fingerprint, paper.modified,
         json.dumps(list(dict.fromkeys(sources))), int(with_files), int(complete), now_iso()),
    )
    store.conn.execute("DELETE FROM failures WHERE path = ?", (paper.id,))


def incomplete_papers(store: CorpusStore, body_id: str | None) -> list[str]:
    """Papers of ``body_id`` whose files were not all had last time (to try again even when unchanged)."""
    rows = store.conn.execute(
        "SELECT id FROM oparl_papers WHERE complete = 0 AND body IS ? ORDER BY id", (body_id,)
    )
    return [r[0] for r in rows]


def save_file(store: CorpusStore, file: OParlFile, paper_id: str, *, path: str | None, sha256: str | None,
              size: int | None, status: str, reason: str | None = None) -> None:
    store.conn.execute(
        "INSERT INTO oparl_files(id, paper_id, url, version, path, sha256, size, status, reason, at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET paper_id=excluded.paper_id,"
        " url=excluded.url, version=excluded.version, path=excluded.path, sha256=excluded.sha256,"
        " size=excluded.size, status=excluded.status, reason=excluded.reason, at=excluded.at",
        (file.id, paper_id, file.url, file.version(), path, sha256, size, status, reason, now_iso()),
    )


@dataclass(frozen=True)
class FileState:
    id: str
    version: str
    status: str
    reason: str | None


def file_state(store: CorpusStore, file_id: str) -> FileState | None:
    row = store.conn.execute("SELECT id, version, status, reason FROM oparl_files WHERE id = ?", (file_id,)).fetchone()
    return FileState(row["id"], row["version"], row["status"], row["reason"]) if row else None


def sources_present(store: CorpusStore, sources: Iterable[str]) -> bool:
    """True when every source still points at a document (a user may have removed some since)."""
    wanted = list(dict.fromkeys(sources))
    if not wanted:
        return False
    marks = ",".join("?" * len(wanted))
    found = store.conn.execute(f"SELECT COUNT(*) FROM sources WHERE path IN ({marks})", wanted).fetchone()[0]
    return found == len(wanted)


def drop_sources(store: CorpusStore, paths: Iterable[str]) -> int:
    """Forget sources that no longer belong to a paper; documents left without any source go. Returns how many
    documents were removed."""
    removed = 0
    for path in paths:
        state = store.source_state(path)
        if state is None:
            continue
        store.conn.execute("DELETE FROM sources WHERE path = ?", (path,))
        removed += store.drop_if_orphaned(state.doc_id)
    return removed


def update_metadata(store: CorpusStore, doc_id: str, external: ExternalMetadata) -> bool:
    """Lay ``external`` over a stored document's metadata (not its source or text); True if anything changed.

    ``updated_at`` gets microseconds so that the search index sees the change even within the same second.
    """
    try:
        doc = store.get(doc_id)
    except NotFoundError:
        return False
    new = apply_external(doc, replace(external, source=None))

    def metadata(d: Document) -> tuple[object, ...]:
        return d.title, d.doctype, d.doctype_rule, d.date, d.date_rule, d.council, dict(d.info), d.notes

    if metadata(new) == metadata(doc):
        return False
    store.conn.execute(
        "UPDATE documents SET title = ?, doctype = ?, doctype_rule = ?, date = ?, date_rule = ?, year = ?,"
        " council_json = ?, info_json = ?, notes_json = ?, updated_at = ? WHERE id = ?",
        (new.title, new.doctype, new.doctype_rule, new.date, new.date_rule, new.year,
         json.dumps(asdict(new.council), ensure_ascii=False) if new.council else None,
         json.dumps(dict(new.info), ensure_ascii=False), json.dumps(list(new.notes), ensure_ascii=False),
         datetime.now(timezone.utc).isoformat(), doc_id),
    )
    return True


def get_mark(store: CorpusStore, list_url: str, filters: str) -> str | None:
    row = store.conn.execute(
        "SELECT since FROM oparl_marks WHERE list_url = ? AND filters = ?", (list_url, filters)
    ).fetchone()
    return row[0] if row else None


def set_mark(store: CorpusStore, list_url: str, filters: str, since: str) -> None:
    store.conn.execute(
        "INSERT INTO oparl_marks(list_url, filters, since) VALUES (?,?,?) ON CONFLICT(list_url, filters)"
        " DO UPDATE SET since = excluded.since",
        (list_url, filters, since),
    )


__all__ = [
    "FileState",
    "PaperState",
    "file_state",
    "drop_sources",
    "get_mark",
    "incomplete_papers",
    "paper_state",
    "save_file",
    "save_paper",
    "set_mark",
    "sources_present",
    "update_metadata",
]
