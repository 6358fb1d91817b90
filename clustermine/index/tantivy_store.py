"""The tantivy backend's side of writing: one index generation as a tantivy index plus a small column table.

Why a second backend: whoosh writes postings in Python, and on two cores it is the serial tail of every
``add`` (95 s of 374 s for the Karlsruhe archive). tantivy (Rust) writes the same postings about ten times
faster. The German analysis stays ours: every text is analysed by the same chain as for whoosh and handed to
tantivy as pre-tokenised text, so both backends index the same terms at the same positions.

Two differences a tantivy index has to make up for:

- Compound parts carry a weight of 0.4 in whoosh (a token boost); tantivy has no token boosts. Parts go into
  a field of their own (``body_parts`` next to ``body``), which a query searches with that weight as a boost.
- Search needs, for every match, its id, date and facet record (collapsing, sorting by date, facet counts).
  Those live in ``columns.sqlite`` beside the tantivy files, keyed by ``seq``: a number tantivy keeps as a
  fast field, so a whole result set maps to rows without reading stored documents. A ``seq`` is never reused
  (the next one is reserved before each commit), so a crash between tantivy's commit and the table's cannot
  mix up two documents; the next sync repairs the table (see :mod:`.writer`).

The classes mimic the few calls :mod:`.writer` makes on a whoosh index (``writer``, ``reader``,
``latest_generation``), so that rebuilds, incremental syncs and their change-journal marks work the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from clustermine.errors import ClustermineError
from clustermine.index.documents import DocState
from clustermine.index.schema import NAME_FIELDS, RESOLUTION_BOOST, TEXT_FIELDS, TITLE_BOOST, analyzer

#: The folder of the tantivy files inside a generation (the generation's own meta.json is clustermine's).
TANTIVY_DIR = "tantivy"
#: The column table of a tantivy generation.
COLUMNS = "columns.sqlite"

#: Suffix of the field holding a text field's compound parts.
PARTS = "_parts"
#: Keyword fields: one value per comma-separated item, lower case, matched whole.
KEYWORD_FIELDS: tuple[str, ...] = ("number", "regions", "regions_all", "clusters", "programs", "orgs")
#: Identifier fields: matched whole, as written.
ID_FIELDS: tuple[str, ...] = ("id", "doctype", "date")
#: Boost of each scored text field (whoosh's ``field_boost``).
FIELD_BOOSTS: dict[str, float] = {"title": TITLE_BOOST, "resolution": RESOLUTION_BOOST}
#: Fields that are scored (BM25); the others match with a constant score of 1, as in whoosh.
SCORED_FIELDS: frozenset[str] = frozenset((*TEXT_FIELDS, *NAME_FIELDS))

#: Heap tantivy's writer may use, in bytes per writer thread (tantivy needs at least 15 MB per thread).
HEAP_PER_THREAD = 64_000_000

_INSTALL_HINT = "install the tantivy backend with: pip install 'clustermine[tantivy]'"


def require_tantivy() -> Any:
    """The ``tantivy`` module, or a clear error saying how to install it."""
    try:
        import tantivy
    except ImportError as exc:
        raise ClustermineError("this corpus uses the tantivy search backend, which is not installed",
                               hint=_INSTALL_HINT) from exc
    return tantivy


def build_schema() -> Any:
    """The tantivy schema: the whoosh schema's fields, plus the parts fields and ``seq``."""
    tantivy = require_tantivy()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("seq", indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="position")
        builder.add_text_field(name + PARTS, tokenizer_name="raw", index_option="freq")
    for name in NAME_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="position")
    for name in (*KEYWORD_FIELDS, "doctype", "date"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", indexed=True, fast=True)
    return builder.build()


class Columns:
    """``columns.sqlite``: per ``seq`` the document's id, date, facet record and indexed state."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.conn.executescript(
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS docs (
                seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, date TEXT NOT NULL, facets BLOB NOT NULL,
                content_hash TEXT NOT NULL, entities_fp TEXT NOT NULL, metadata TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """
        )

    def close(self) -> None:
        self.conn.close()

    def value(self, key: str) -> int:
        row = self.conn.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def set_value(self, key: str, value: int) -> None:
        self.conn.execute("INSERT OR REPLACE INTO info (key, value) VALUES (?, ?)", (key, value))

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM docs").fetchone()[0])

    def state(self, doc_id: str) -> DocState | None:
        row = self.conn.execute(
            "SELECT content_hash, entities_fp, metadata FROM docs WHERE id = ?", (doc_id,)).fetchone()
        return DocState(*row) if row else None

    def states(self) -> dict[str, DocState]:
        rows = self.conn.execute("SELECT id, content_hash, entities_fp, metadata FROM docs")
        return {doc_id: DocState(a, b, c) for doc_id, a, b, c in rows}

    def apply(self, deleted: list[str], rows: list[tuple[Any, ...]], committed: int) -> None:
        """One transaction: drop the deleted ids, store the added rows, count one more commit, and record that
        every seq below ``committed`` is now accounted for (a search ignores documents from ``committed`` on:
        tantivy holds them only after a crash between its commit and this one)."""
        with self.transaction():
            self.conn.executemany("DELETE FROM docs WHERE id = ?", [(i,) for i in deleted])
            self.conn.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            self.set_value("generation", self.value("generation") + 1)
            self.set_value("committed_seq", committed)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")


class TantivyIndex:
    """One generation of a tantivy-backed index, with the calls :mod:`.writer` makes on a whoosh index."""

    def __init__(self, folder: Path, analysis: str, *, create: bool = False) -> None:
        tantivy = require_tantivy()
        self.folder = folder
        self.analysis = analysis
        files = folder / TANTIVY_DIR
        if create:
            files.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(build_schema(), path=str(files), reuse=False)
        else:
            if not (files / "meta.json").exists():
                raise FileNotFoundError(f"no tantivy index in {files}")
            self.index = tantivy.Index.open(str(files))
        self.columns = Columns(folder / COLUMNS)

    @classmethod
    def create_in(cls, folder: Path, analysis: str) -> TantivyIndex:
        return cls(folder, analysis, create=True)

    @classmethod
    def open_dir(cls, folder: Path, analysis: str) -> TantivyIndex:
        return cls(folder, analysis)

    def close(self) -> None:
        self.columns.close()

    def latest_generation(self) -> int:
        """Commits so far (the column table counts them): what a change-journal mark is valid for."""
        return self.columns.value("generation")

    def writer(self, procs: int = 1, **_: Any) -> TantivyWriter:
        return TantivyWriter(self, threads=max(1, min(procs, 4)))

    @contextmanager
    def reader(self) -> Iterator[TantivyStates]:
        yield TantivyStates(self.columns)

    def indexed_states(self) -> dict[str, DocState]:
        return self.columns.states()


class TantivyStates:
    """What :mod:`.writer` asks of an index reader: the document count and each document's indexed state."""

    def __init__(self, columns: Columns) -> None:
        self.columns = columns

    def doc_count(self) -> int:
        return self.columns.count()

    def indexed_state(self, doc_id: str) -> DocState | None:
        return self.columns.state(doc_id)


class TantivyWriter:
    """Deletes and additions of one sync, committed together: tantivy first, then the column table."""

    def __init__(self, index: TantivyIndex, *, threads: int = 1) -> None:
        self.index = index
        self.tantivy = require_tantivy()
        self.writer = index.index.writer(heap_size=HEAP_PER_THREAD * threads, num_threads=threads)
        self.next_seq = index.columns.value("next_seq")
        self.rows: list[tuple[Any, ...]] = []
        self.deleted: list[str] = []

    def delete_by_term(self, field: str, value: str) -> None:
        if field != "id":
            raise ValueError(f"documents are deleted by id, not by {field}")
        self.writer.delete_documents_by_term("id", value)
        self.deleted.append(value)

    def add_document(self, **fields: Any) -> None:
        self.add_analysed(fields, analyse_fields(self.index.analysis, fields))

    def add_analysed(self, fields: dict[str, Any], analysed: Analysed) -> None:
        """Add one document whose texts :func:`analyse_fields` has analysed (maybe in another process)."""
        seq = self.next_seq
        self.next_seq += 1
        self.writer.add_document(self.document(seq, fields, analysed))
        self.rows.append((seq, fields["id"], fields.get("date", ""), fields.get("facets", b""),
                          fields.get("content_hash", ""), fields.get("entities_fp", ""), fields.get("metadata", "")))

    def document(self, seq: int, fields: dict[str, Any], analysed: Analysed) -> Any:
        """The tantivy document of one document's field values (as :func:`.documents.index_fields` makes them)."""
        tantivy = self.tantivy
        Token, Text = tantivy.Token, tantivy.PreTokenizedString
        doc = tantivy.Document()
        doc.add_text("id", fields["id"])
        doc.add_unsigned("seq", seq)
        for name, tokens in analysed.items():
            if tokens:
                doc.add_pre_tokenized_text(name, Text(fields[_source_field(name)], [Token(*t) for t in tokens]))
        for name in KEYWORD_FIELDS:
            for value in keyword_values(fields.get(name, "")):
                doc.add_text(name, value)
        for name in ("doctype", "date"):
            if fields.get(name):
                doc.add_text(name, fields[name])
        if fields.get("year") is not None:
            doc.add_integer("year", int(fields["year"]))
        return doc

    def commit(self) -> None:
        columns = self.index.columns
        with columns.transaction():  # reserved before tantivy commits: a seq is never handed out twice
            columns.set_value("next_seq", self.next_seq)
        self.writer.commit()
        self.writer.wait_merging_threads()
        columns.apply(self.deleted, self.rows, self.next_seq)

    def cancel(self) -> None:
        self.writer.rollback()


def keyword_values(text: str) -> list[str]:
    """The values of a comma-separated keyword field as whoosh's KEYWORD(commas, lowercase) reads them."""
    return [v.strip().lower() for v in text.split(",") if v.strip()]


#: Field name → its tokens as (text, position, start, end): plain tuples, cheap to send between processes.
Analysed = dict[str, list[tuple[str, int, int, int]]]


def analyse_fields(analysis: str, fields: dict[str, Any]) -> Analysed:
    """The tokens of a document's analysed fields: the German chain for the text fields (compound parts to
    their ``_parts`` field), the name chain for names. A pure function, so a rebuild runs it in several
    processes."""
    out: Analysed = {}
    text = analyzer(analysis, "index")
    for name in TEXT_FIELDS:
        if fields.get(name):
            whole, parts = _tokens(text, fields[name]) if analysis != "german" else _german_tokens(fields[name])
            out[name] = whole
            if parts:
                out[name + PARTS] = parts
    names = analyzer(analysis, "names")
    for name in NAME_FIELDS:
        if fields.get(name):
            out[name] = _tokens(names, fields[name])[0]
    return out


def _tokens(chain: Any, text: str) -> tuple[list[tuple[str, int, int, int]], list[tuple[str, int, int, int]]]:
    whole: list[tuple[str, int, int, int]] = []
    parts: list[tuple[str, int, int, int]] = []
    for token in chain(text, positions=True, chars=True):  # whoosh reuses one token object: copy its values
        (parts if token.boost < 1.0 else whole).append((token.text, token.pos, token.startchar, token.endchar))
    return whole, parts


def _german_tokens(text: str) -> tuple[list[tuple[str, int, int, int]], list[tuple[str, int, int, int]]]:
    from clustermine.index.analysis import index_tokens

    whole: list[tuple[str, int, int, int]] = []
    parts: list[tuple[str, int, int, int]] = []
    for term, pos, start, end, boost in index_tokens(text):
        (parts if boost < 1.0 else whole).append((term, pos, start, end))
    return whole, parts


def _source_field(name: str) -> str:
    return name[: -len(PARTS)] if name.endswith(PARTS) else name


# -- analysing in several processes --------------------------------------------------------------------------

#: Documents sent to an analysing process at a time, documents per batch, and batches in flight: the main
#: process adds one batch to tantivy while the next ones are analysed.
CHUNK = 8
BATCH = 64
IN_FLIGHT = 3

_worker_analysis = ""


def analysed_in_parallel(
    items: Iterable[dict[str, Any]], analysis: str, procs: int, compound_cache: Path | None
) -> Iterator[tuple[dict[str, Any], Analysed]]:
    """``(fields, tokens)`` for each document's ``fields``, in order, analysed by ``procs`` processes.

    The German chain is pure Python, and with tantivy writing postings ten times faster than whoosh it is what
    a rebuild waits for. ``items`` is read in this thread only (it may come from the corpus database); only
    the texts travel to the processes, which read the corpus's saved compound splits themselves.
    """
    import multiprocessing as mp
    from collections import deque
    from itertools import islice

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    context = mp.get_context(method)
    source = iter(items)
    with context.Pool(procs, initializer=_start_worker, initargs=(analysis, compound_cache)) as pool:
        flying: deque[tuple[list[dict[str, Any]], Any]] = deque()
        while True:
            while len(flying) < IN_FLIGHT:
                batch = list(islice(source, BATCH))
                if not batch:
                    break
                texts = [{k: v for k, v in f.items() if k in _ANALYSED} for f in batch]
                flying.append((batch, pool.map_async(_analyse_one, texts, chunksize=CHUNK)))
            if not flying:
                return
            batch, result = flying.popleft()
            yield from zip(batch, result.get(), strict=True)


_ANALYSED = frozenset((*TEXT_FIELDS, *NAME_FIELDS))


def _start_worker(analysis: str, compound_cache: Path | None) -> None:
    global _worker_analysis
    from clustermine.pipeline import compound_store

    _worker_analysis = analysis
    compound_store.detach()  # a connection inherited through fork must not be used: open our own
    if compound_cache is not None:
        compound_store.attach(compound_cache)


def _analyse_one(fields: dict[str, Any]) -> Analysed:
    return analyse_fields(_worker_analysis, fields)
