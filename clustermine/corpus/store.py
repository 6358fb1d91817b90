"""The corpus store: one SQLite database (WAL) per corpus home.

Why SQLite: a researcher's corpus must survive crashes and interrupted runs, be copyable as one folder and need no
server. Every document write happens in one transaction, so a killed run never leaves half a document behind; the
next run simply does what is still missing.

Schema changes go through numbered migrations (``PRAGMA user_version``), so a corpus built by an older
clustermine opens in a newer one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from clustermine.errors import CorpusBusyError, CorpusError, NotFoundError
from clustermine.model import Document, Entity, Section, council_from_dict

DB_NAME = "corpus.sqlite"
LOCK_NAME = "write.lock"


def _journal_trigger(name: str, event: str, key: str, when: str = "") -> str:
    """A trigger giving document ``key`` the next number of the change journal (migration 5).

    An UPDATE then an INSERT of a missing row rather than INSERT OR REPLACE: a conflict clause of the statement
    that fires a trigger overrides the trigger's own (an ``INSERT OR IGNORE INTO documents`` would leave the old
    number), and the next number is taken before anything of the journal changes, so numbers never repeat.
    """
    condition = f" WHEN {when}" if when else ""
    return f"""
    CREATE TRIGGER {name} AFTER {event} ON documents{condition} BEGIN
        UPDATE doc_changes SET seq = (SELECT MAX(seq) FROM doc_changes) + 1 WHERE doc_id = {key};
        INSERT INTO doc_changes(doc_id, seq) SELECT {key}, COALESCE((SELECT MAX(seq) FROM doc_changes), 0) + 1
            WHERE NOT EXISTS (SELECT 1 FROM doc_changes WHERE doc_id = {key});
    END;
    """


#: Numbered schema migrations; index i upgrades a database from version i to i + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        id            TEXT PRIMARY KEY,
        content_hash  TEXT NOT NULL UNIQUE,
        source        TEXT NOT NULL,
        format        TEXT NOT NULL,
        title         TEXT,
        doctype       TEXT NOT NULL,
        doctype_rule  TEXT,
        date          TEXT,
        date_rule     TEXT,
        year          INTEGER,
        text          TEXT NOT NULL,
        n_pages       INTEGER NOT NULL DEFAULT 0,
        n_chars       INTEGER NOT NULL DEFAULT 0,
        info_json     TEXT NOT NULL DEFAULT '{}',
        council_json  TEXT,
        notes_json    TEXT NOT NULL DEFAULT '[]',
        size          INTEGER,
        mtime         REAL,
        ingested_at   TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE INDEX documents_doctype ON documents(doctype);
    CREATE INDEX documents_year ON documents(year);
    CREATE TABLE pages (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        n      INTEGER NOT NULL,
        text   TEXT NOT NULL,
        PRIMARY KEY (doc_id, n)
    );
    CREATE TABLE sections (
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        n       INTEGER NOT NULL,
        name    TEXT NOT NULL,
        heading TEXT NOT NULL,
        text    TEXT NOT NULL,
        start   INTEGER NOT NULL DEFAULT -1,
        PRIMARY KEY (doc_id, n)
    );
    CREATE INDEX sections_name ON sections(name);
    CREATE TABLE sources (
        path         TEXT PRIMARY KEY,
        doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        content_hash TEXT NOT NULL,
        size         INTEGER,
        mtime        REAL,
        seen_at      TEXT NOT NULL
    );
    CREATE INDEX sources_doc ON sources(doc_id);
    CREATE TABLE failures (
        path   TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        hint   TEXT,
        size   INTEGER,
        mtime  REAL,
        at     TEXT NOT NULL
    );
    CREATE TABLE minhash (
        doc_id    TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        signature BLOB NOT NULL
    );
    CREATE TABLE minhash_bands (
        band   INTEGER NOT NULL,
        bucket INTEGER NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
    );
    CREATE INDEX minhash_bands_bucket ON minhash_bands(band, bucket);
    CREATE INDEX minhash_bands_doc ON minhash_bands(doc_id);
    CREATE TABLE duplicates (
        doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        other_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        similarity REAL NOT NULL,
        kind       TEXT NOT NULL,
        PRIMARY KEY (doc_id, other_id)
    );
    CREATE INDEX duplicates_other ON duplicates(other_id);
    """,
    # 2: entities (issue 3) and corpus-level settings such as user gazetteers
    """
    CREATE TABLE entities (
        doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        n              INTEGER NOT NULL,
        kind           TEXT NOT NULL,
        entity_id      TEXT,
        canonical      TEXT NOT NULL,
        text           TEXT NOT NULL,
        start          INTEGER NOT NULL,
        end            INTEGER NOT NULL,
        sentence_start INTEGER NOT NULL DEFAULT -1,
        sentence_end   INTEGER NOT NULL DEFAULT -1,
        rule           TEXT NOT NULL DEFAULT 'gazetteer',
        PRIMARY KEY (doc_id, n)
    );
    CREATE INDEX entities_canonical ON entities(kind, canonical);
    CREATE INDEX entities_entity_id ON entities(entity_id);
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    ALTER TABLE documents ADD COLUMN entities_fingerprint TEXT;
    """,
    # 3: per-document term counts and topic models (issue 5), collections (issue 6)
    """
    CREATE TABLE doc_terms (
        doc_id      TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        n_tokens    INTEGER NOT NULL,
        terms       BLOB NOT NULL
    );
    CREATE TABLE topic_models (
        id          INTEGER PRIMARY KEY,
        created     TEXT NOT NULL,
        settings    TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        n_docs      INTEGER NOT NULL,
        topics      TEXT NOT NULL
    );
    CREATE TABLE doc_topics (
        model_id INTEGER NOT NULL REFERENCES topic_models(id) ON DELETE CASCADE,
        doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        topic    INTEGER NOT NULL,
        share    REAL NOT NULL,
        PRIMARY KEY (model_id, doc_id, topic)
    );
    CREATE INDEX doc_topics_doc ON doc_topics(doc_id);
    CREATE TABLE collections (
        name     TEXT PRIMARY KEY,
        created  TEXT NOT NULL,
        updated  TEXT NOT NULL,
        query    TEXT,
        filters  TEXT NOT NULL DEFAULT '{}',
        version  TEXT NOT NULL,
        settings TEXT NOT NULL DEFAULT '{}',
        note     TEXT
    );
    CREATE TABLE collection_items (
        collection   TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE,
        position     INTEGER NOT NULL,
        doc_id       TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        title        TEXT,
        PRIMARY KEY (collection, position)
    );
    CREATE INDEX collection_items_doc ON collection_items(doc_id);
    """,
    # 4: OParl import (issue 7): what each paper and file gave, and how far each paper list was read
    """
    CREATE TABLE oparl_papers (
        id          TEXT PRIMARY KEY,
        body        TEXT,
        reference   TEXT,
        name        TEXT,
        fingerprint TEXT NOT NULL,
        modified    TEXT,
        sources     TEXT NOT NULL DEFAULT '[]',
        with_files  INTEGER NOT NULL DEFAULT 1,
        complete    INTEGER NOT NULL DEFAULT 0,
        seen_at     TEXT NOT NULL
    );
    CREATE INDEX oparl_papers_body ON oparl_papers(body);
    CREATE TABLE oparl_files (
        id        TEXT PRIMARY KEY,
        paper_id  TEXT,
        url       TEXT,
        version   TEXT NOT NULL,
        path      TEXT,
        sha256    TEXT,
        size      INTEGER,
        status    TEXT NOT NULL,
        reason    TEXT,
        at        TEXT NOT NULL
    );
    CREATE TABLE oparl_marks (
        list_url TEXT NOT NULL,
        filters  TEXT NOT NULL,
        since    TEXT NOT NULL,
        PRIMARY KEY (list_url, filters)
    );
    """,
    # 5: work proportional to the change, not the corpus (issue 8). ``doc_changes`` is a change journal kept by
    # triggers, so that no write path can forget it: every insert, update or delete of a document gives its id
    # the next sequence number (MAX over the seq index: O(log n)). The index remembers the number it was synced
    # up to and reads only what came after (see clustermine.index.writer); ``journal`` names this database's
    # numbering, so an index never trusts the numbers of another corpus file. Documents whose entities are out
    # of date are found through an index on their fingerprint instead of a scan of the whole table.
    """
    CREATE TABLE doc_changes (
        doc_id TEXT PRIMARY KEY,
        seq    INTEGER NOT NULL
    );
    CREATE INDEX doc_changes_seq ON doc_changes(seq);
    """
    + _journal_trigger("documents_journal_insert", "INSERT", "NEW.id")
    + _journal_trigger("documents_journal_update", "UPDATE", "NEW.id")
    + _journal_trigger("documents_journal_rename", "UPDATE OF id", "OLD.id", when="OLD.id IS NOT NEW.id")
    + _journal_trigger("documents_journal_delete", "DELETE", "OLD.id")
    + """
    INSERT OR REPLACE INTO settings(key, value) VALUES ('journal', '"' || lower(hex(randomblob(8))) || '"');
    CREATE INDEX documents_entities_fp ON documents(entities_fingerprint);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds, for provenance fields."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class SourceState:
    """What the store remembers of a file path: which document it gave, and the file's size/mtime then."""

    path: str
    doc_id: str
    content_hash: str
    size: int | None
    mtime: float | None


@dataclass(frozen=True)
class DocumentRow:
    """A light listing row (no text), for ``ls`` and exports that do not need the body."""

    id: str
    source: str
    title: str | None
    doctype: str
    date: str | None
    format: str
    n_pages: int
    n_chars: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_damage(exc: BaseException) -> bool:
    """Whether an error from SQLite means the file is damaged, as opposed to busy, locked or read-only.

    Damage shows up in three shapes: ``DatabaseError`` ("malformed", "not a database"), an ``OperationalError``
    for text that no longer decodes, and a bare ``UnicodeDecodeError`` when a garbled column *name* is read.
    Telling them apart matters because damage needs a restore while a lock only needs a wait.
    """
    if isinstance(exc, UnicodeDecodeError):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        message = str(exc).lower()
        return any(sign in message for sign in ("decode", "malformed", "not a database", "corrupt"))
    return isinstance(exc, sqlite3.DatabaseError)


class CorpusStore:
    """Access to one corpus database. Use as a context manager; writes go through :meth:`transaction`."""

    def __init__(self, home: str | os.PathLike[str], *, create: bool = True, readonly: bool = False) -> None:
        self.home = Path(home)
        self.path = self.home / DB_NAME
        if not self.path.exists():
            if not create:
                raise CorpusError(
                    f"no corpus found in {self.home}",
                    hint="add documents first with 'clustermine add FOLDER', or point --home at your corpus",
                )
            self.home.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise CorpusError(f"cannot open corpus database {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            if not is_damage(exc):  # busy, locked, read-only: not damage
                raise
            self.conn.close()  # "database disk image is malformed", "file is not a database", garbled text
            raise CorpusError(
                f"cannot open corpus database {self.path}: {exc}",
                hint="restore corpus.sqlite from a backup, or move it aside and add your folders again",
            ) from exc

    # -- lifecycle -------------------------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> CorpusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise CorpusError(
                f"the corpus in {self.home} has schema version {version}, this clustermine knows {SCHEMA_VERSION}",
                hint="upgrade clustermine (pip install -U clustermine)",
            )
        for target in range(version, SCHEMA_VERSION):
            with self.transaction():
                # another process may have migrated while this one waited for the write lock
                if self.conn.execute("PRAGMA user_version").fetchone()[0] != target:
                    continue
                for statement in _split_sql(MIGRATIONS[target]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {target + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: everything inside is committed together or not at all."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    @contextmanager
    def writer_lock(self, wait: float = 0.0) -> Iterator[None]:
        """Make sure only one clustermine process writes to this corpus at a time.

        SQLite would serialise the writes anyway, but two ``add`` runs interleaving would confuse the
        "unchanged / updated" bookkeeping and double the work; a clear "busy" message is better.
        """
        import fcntl

        self.home.mkdir(parents=True, exist_ok=True)
        handle = open(self.home / LOCK_NAME, "a+")  # noqa: SIM115 - held for the duration of the context
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise CorpusBusyError(
                            f"the corpus in {self.home} is busy: another clustermine process is writing to it",
                            hint="wait for it to finish, or use --wait SECONDS",
                        ) from None
                    time.sleep(0.2)
            yield
        finally:
            handle.close()

    # -- sources and failures --------------------------------------------------------------------------------

    def source_state(self, path: str) -> SourceState | None:
        row = self.conn.execute(
            "SELECT path, doc_id, content_hash, size, mtime FROM sources WHERE path = ?", (path,)
        ).fetchone()
        return SourceState(**dict(row)) if row else None

    def doc_id_for_hash(self, content_hash: str) -> str | None:
        row = self.conn.execute("SELECT id FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def link_source(
        self, path: str, doc_id: str, content_hash: str, size: int | None, mtime: float | None
    ) -> str | None:
        """Point ``path`` at ``doc_id``; returns the document the path pointed at before, if it was another."""
        previous = self.source_state(path)
        self.conn.execute(
            "INSERT INTO sources(path, doc_id, content_hash, size, mtime, seen_at) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT(path) DO UPDATE SET doc_id=excluded.doc_id, content_hash=excluded.content_hash, "
            "size=excluded.size, mtime=excluded.mtime, seen_at=excluded.seen_at",
            (path, doc_id, content_hash, size, mtime, now_iso()),
        )
        self.conn.execute("DELETE FROM failures WHERE path = ?", (path,))
        if previous and previous.doc_id != doc_id:
            return previous.doc_id
        return None

    def drop_if_orphaned(self, doc_id: str) -> bool:
        """Delete a document no source path refers to any more (a file that changed at its path)."""
        left = self.conn.execute("SELECT 1 FROM sources WHERE doc_id = ? LIMIT 1", (doc_id,)).fetchone()
        if left:
            return False
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return True

    def record_failure(self, path: str, reason: str, hint: str | None, size: int | None, mtime: float | None) -> None:
        self.conn.execute(
            "INSERT INTO failures(path, reason, hint, size, mtime, at) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT(path) DO UPDATE SET reason=excluded.reason, hint=excluded.hint, size=excluded.size, "
            "mtime=excluded.mtime, at=excluded.at",
            (path, reason, hint, size, mtime, now_iso()),
        )

    def failures(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM failures ORDER BY path")]

    # -- documents -------------------------------------------------------------------------------------------

    def put_document(self, doc: Document, *, fingerprint: str | None = None) -> None:
        """Insert or replace a document with its pages, sections and (given a fingerprint) entities.

        Call inside :meth:`transaction`.
        """
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
        stamp = now_iso()
        self.conn.execute(
            "INSERT INTO documents(id, content_hash, source, format, title, doctype, doctype_rule, date, date_rule,"
            " year, text, n_pages, n_chars, info_json, council_json, notes_json, size, mtime, ingested_at,"
            " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.id,
                doc.content_hash or doc.id,
                doc.source,
                doc.format,
                doc.title,
                doc.doctype,
                doc.doctype_rule,
                doc.date,
                doc.date_rule,
                doc.year,
                doc.text,
                len(doc.pages),
                len(doc.text),
                json.dumps(dict(doc.info), ensure_ascii=False),
                json.dumps(asdict(doc.council), ensure_ascii=False) if doc.council else None,
                json.dumps(list(doc.notes), ensure_ascii=False),
                doc.size,
                doc.mtime,
                doc.ingested_at or stamp,
                stamp,
            ),
        )
        self.conn.executemany(
            "INSERT INTO pages(doc_id, n, text) VALUES (?,?,?)", ((doc.id, i + 1, p) for i, p in enumerate(doc.pages))
        )
        self.conn.executemany(
            "INSERT INTO sections(doc_id, n, name, heading, text, start) VALUES (?,?,?,?,?,?)",
            ((doc.id, i, s.name, s.heading, s.text, s.start) for i, s in enumerate(doc.sections)),
        )
        if fingerprint is not None:
            self.put_entities(doc.id, doc.entities, fingerprint)

    def put_entities(self, doc_id: str, entities: Iterable[Entity], fingerprint: str) -> None:
        """Replace a document's entities; ``fingerprint`` names the gazetteers and settings that found them."""
        self.conn.execute("DELETE FROM entities WHERE doc_id = ?", (doc_id,))
        self.conn.executemany(
            "INSERT INTO entities(doc_id, n, kind, entity_id, canonical, text, start, end, sentence_start,"
            " sentence_end, rule) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                (doc_id, i, e.kind, e.id, e.canonical, e.text, e.start, e.end, e.sentence_start, e.sentence_end,
                 e.rule)
                for i, e in enumerate(entities)
            ),
        )
        self.conn.execute("UPDATE documents SET entities_fingerprint = ? WHERE id = ?", (fingerprint, doc_id))

    def entities_of(self, doc_id: str) -> tuple[Entity, ...]:
        rows = self.conn.execute(
            "SELECT kind, text, canonical, start, end, entity_id AS id, sentence_start, sentence_end, rule"
            " FROM entities WHERE doc_id = ? ORDER BY n",
            (doc_id,),
        )
        return tuple(Entity(**dict(r)) for r in rows)

    def ids_needing_entities(self, fingerprint: str) -> list[str]:
        """Documents whose entities were computed with other gazetteers or settings (or never)."""
        rows = self.conn.execute(  # three ranges of the fingerprint index, not a scan of every document
            "SELECT id FROM documents WHERE entities_fingerprint IS NULL OR entities_fingerprint < ?"
            " OR entities_fingerprint > ?", (fingerprint, fingerprint)
        )
        return sorted(r[0] for r in rows)

    def entity_counts(
        self,
        *,
        kind: str | None = None,
        doctype: str | None = None,
        years: tuple[int, int] | None = None,
        top: int | None = None,
    ) -> list[dict[str, Any]]:
        """Per canonical entity: how many documents mention it and how often, most documents first."""
        where, args = ["1 = 1"], []
        if kind:
            where.append("e.kind = ?")
            args.append(kind)
        if doctype:
            where.append("d.doctype = ?")
            args.append(doctype)
        if years:
            where.append("d.year BETWEEN ? AND ?")
            args += list(years)
        sql = (
            "SELECT e.kind, e.canonical, MAX(e.entity_id) AS id, COUNT(DISTINCT e.doc_id) AS documents,"
            " COUNT(*) AS mentions FROM entities e JOIN documents d ON d.id = e.doc_id WHERE "
            + " AND ".join(where)
            + " GROUP BY e.kind, e.canonical ORDER BY documents DESC, mentions DESC, e.canonical"
        )
        if top:
            sql += f" LIMIT {int(top)}"
        return [dict(r) for r in self.conn.execute(sql, args)]

    # -- settings --------------------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False)),
        )

    def set_overrides(self, doc_id: str, *, doctype: str | None = None, date: str | None = None) -> bool:
        """Apply a user's ``--type``/``--date`` to a stored document; True if something changed."""
        doc = self.conn.execute("SELECT doctype, date FROM documents WHERE id = ?", (doc_id,)).fetchone()
        changed = False
        if doctype and doc["doctype"] != doctype:
            self.conn.execute(
                "UPDATE documents SET doctype = ?, doctype_rule = 'user', updated_at = ? WHERE id = ?",
                (doctype, now_iso(), doc_id),
            )
            changed = True
        if date and doc["date"] != date:
            self.conn.execute(
                "UPDATE documents SET date = ?, year = ?, date_rule = 'user', updated_at = ? WHERE id = ?",
                (date, int(date[:4]), now_iso(), doc_id),
            )
            changed = True
        return changed

    def resolve_id(self, id_or_prefix: str) -> str:
        """Accept a full id or an unambiguous prefix (at least 4 characters), as git does for commits."""
        key = id_or_prefix.strip().lower()
        row = self.conn.execute("SELECT id FROM documents WHERE id = ?", (key,)).fetchone()
        if row:
            return row[0]
        if len(key) >= 4:
            rows = self.conn.execute(
                "SELECT id FROM documents WHERE id LIKE ? ESCAPE '\\' LIMIT 3", (_like_prefix(key),)
            ).fetchall()
            if len(rows) == 1:
                return rows[0][0]
            if len(rows) > 1:
                raise NotFoundError(
                    f"document id prefix {id_or_prefix!r} is ambiguous", hint="give more characters of the id"
                )
        raise NotFoundError(f"no document with id {id_or_prefix!r}", hint="list ids with 'clustermine ls'")

    def get(self, id_or_prefix: str) -> Document:
        """The whole document, with pages, sections and entities."""
        doc_id = self.resolve_id(id_or_prefix)
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return replace(self._document(row), entities=self.entities_of(doc_id))

    def _document(self, row: sqlite3.Row, *, with_pages: bool = True) -> Document:
        doc_id = row["id"]
        pages: tuple[str, ...] = ()
        if with_pages:
            rows = self.conn.execute("SELECT text FROM pages WHERE doc_id = ? ORDER BY n", (doc_id,))
            pages = tuple(r[0] for r in rows)
        sections = tuple(
            Section(name=r["name"], heading=r["heading"], text=r["text"], start=r["start"])
            for r in self.conn.execute("SELECT * FROM sections WHERE doc_id = ? ORDER BY n", (doc_id,))
        )
        council = council_from_dict(json.loads(row["council_json"])) if row["council_json"] else None
        return Document(
            id=doc_id,
            source=row["source"],
            format=row["format"],
            title=row["title"],
            doctype=row["doctype"],
            date=row["date"],
            text=row["text"],
            pages=pages,
            sections=sections,
            council=council,
            info=json.loads(row["info_json"] or "{}"),
            doctype_rule=row["doctype_rule"],
            date_rule=row["date_rule"],
            content_hash=row["content_hash"],
            size=row["size"],
            mtime=row["mtime"],
            ingested_at=row["ingested_at"],
            notes=tuple(json.loads(row["notes_json"] or "[]")),
        )

    def iter_documents(self, *, doctype: str | None = None, with_pages: bool = False) -> Iterator[Document]:
        """Stream documents one by one (bounded memory even for large corpora)."""
        sql, args = "SELECT * FROM documents", []
        if doctype:
            sql, args = sql + " WHERE doctype = ?", [doctype]
        cursor = self.conn.cursor()
        for row in cursor.execute(sql + " ORDER BY date IS NULL, date, id", args):
            yield self._document(row, with_pages=with_pages)

    def list_rows(self, *, doctype: str | None = None, year: int | None = None) -> list[DocumentRow]:
        sql = "SELECT id, source, title, doctype, date, format, n_pages, n_chars FROM documents"
        where, args = [], []
        if doctype:
            where.append("doctype = ?")
            args.append(doctype)
        if year:
            where.append("year = ?")
            args.append(year)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date IS NULL, date, source"
        return [DocumentRow(**dict(r)) for r in self.conn.execute(sql, args)]

    def sources_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT path FROM sources WHERE doc_id = ? ORDER BY path", (doc_id,))]

    def remove(self, doc_id: str) -> None:
        """Delete a document and everything derived from it (pages, sections, sources, duplicate links)."""
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    # -- near-duplicates -------------------------------------------------------------------------------------

    def put_signature(self, doc_id: str, signature: bytes, buckets: Iterable[tuple[int, int]]) -> None:
        self.conn.execute("DELETE FROM minhash_bands WHERE doc_id = ?", (doc_id,))
        self.conn.execute("INSERT OR REPLACE INTO minhash(doc_id, signature) VALUES (?, ?)", (doc_id, signature))
        self.conn.executemany(
            "INSERT INTO minhash_bands(band, bucket, doc_id) VALUES (?,?,?)", ((b, h, doc_id) for b, h in buckets)
        )

    def candidates(self, doc_id: str, buckets: Iterable[tuple[int, int]]) -> dict[str, bytes]:
        """Documents sharing at least one LSH bucket with ``doc_id``, with their signatures."""
        found: set[str] = set()
        for band, bucket in buckets:
            for (other,) in self.conn.execute(
                "SELECT doc_id FROM minhash_bands WHERE band = ? AND bucket = ?", (band, bucket)
            ):
                if other != doc_id:
                    found.add(other)
        out: dict[str, bytes] = {}
        for other in sorted(found):
            row = self.conn.execute("SELECT signature FROM minhash WHERE doc_id = ?", (other,)).fetchone()
            if row:
                out[other] = row[0]
        return out

    def link_duplicates(self, doc_id: str, other_id: str, similarity: float, kind: str) -> None:
        first, second = sorted((doc_id, other_id))
        self.conn.execute(
            "INSERT OR REPLACE INTO duplicates(doc_id, other_id, similarity, kind) VALUES (?,?,?,?)",
            (first, second, round(similarity, 4), kind),
        )

    def duplicates_of(self, doc_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT CASE WHEN doc_id = ? THEN other_id ELSE doc_id END AS id, similarity, kind FROM duplicates "
            "WHERE doc_id = ? OR other_id = ? ORDER BY similarity DESC",
            (doc_id, doc_id, doc_id),
        )
        return [dict(r) for r in rows]

    def duplicate_pairs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM duplicates ORDER BY similarity DESC")]

    # -- statistics ------------------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        by = lambda col: {  # noqa: E731
            (r[0] if r[0] is not None else "unknown"): r[1]
            for r in self.conn.execute(f"SELECT {col}, COUNT(*) FROM documents GROUP BY {col} ORDER BY {col}")
        }
        return {
            "home": str(self.home),
            "schema_version": SCHEMA_VERSION,
            "documents": one("SELECT COUNT(*) FROM documents"),
            "sources": one("SELECT COUNT(*) FROM sources"),
            "pages": one("SELECT COUNT(*) FROM pages"),
            "characters": one("SELECT COALESCE(SUM(n_chars), 0) FROM documents"),
            "undated": one("SELECT COUNT(*) FROM documents WHERE date IS NULL"),
            "duplicate_links": one("SELECT COUNT(*) FROM duplicates"),
            "failures": one("SELECT COUNT(*) FROM failures"),
            "entity_mentions": one("SELECT COUNT(*) FROM entities"),
            "by_doctype": by("doctype"),
            "by_format": by("format"),
            "by_year": by("year"),
            "database_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }


def _split_sql(script: str) -> list[str]:
    """The statements of a migration script (a trigger's body keeps its inner semicolons)."""
    statements, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    if pending.strip(" \n;"):
        statements.append(pending.strip())
    return statements


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def default_home() -> Path:
    """``$CLUSTERMINE_HOME`` or ``./.clustermine``."""
    return Path(os.environ.get("CLUSTERMINE_HOME") or ".clustermine")
