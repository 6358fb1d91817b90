"""Collections: named, reproducible selections of documents kept inside the corpus.

A literature review cites "the 23 council papers the query „Clusterförderung“ found in the Kreis Mettmann
on 3 May". A collection keeps exactly that: the query and filters, when it was run, with which clustermine
version and analysis settings, and each document's id, title and content hash. :func:`verify_collection`
later says what changed since: documents changed or removed, and (given the query's current result)
documents that would now be added or dropped.

This module only reads and writes the ``collections`` and ``collection_items`` tables (schema version 3);
running the query again is the caller's job, so the corpus package does not depend on the search index.
Items have no foreign key on purpose: a removed document stays listed, so that verification can report it.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from clustermine.corpus.store import now_iso
from clustermine.errors import ClustermineError, NotFoundError

#: Longest collection name accepted (names show up in tables and file names).
MAX_NAME = 100

#: Recorded settings whose change can explain why a query finds other documents than before.
RESULT_SETTINGS = ("clustermine", "analysis", "analysis_version", "index_format", "index_backend", "entities")


class CollectionError(ClustermineError, ValueError):
    """A collection name that is not acceptable, or a selection that cannot be kept."""


class CollectionExistsError(CollectionError):
    """A collection of that name exists already and ``replace`` was not asked for."""


class UnknownCollectionError(NotFoundError):
    """No collection has that name."""


@dataclass(frozen=True)
class CollectionItem:
    """One document of a collection as it was when collected."""

    position: int
    doc_id: str
    content_hash: str
    title: str | None = None


@dataclass(frozen=True)
class Collection:
    """A stored selection. ``query`` is None and ``filters`` empty for a hand-picked list of ids."""

    name: str
    created: str
    updated: str
    query: str | None
    filters: Mapping[str, Any]
    version: str
    settings: Mapping[str, Any]
    note: str | None = None
    items: tuple[CollectionItem, ...] = ()

    @property
    def ids(self) -> list[str]:
        return [item.doc_id for item in self.items]

    @property
    def hand_picked(self) -> bool:
        """True for ``collect NAME --ids …``: there is no query to run again."""
        return self.settings.get("selection") == "ids"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["filters"] = dict(self.filters)
        data["settings"] = dict(self.settings)
        data["documents"] = len(self.items)
        data["items"] = [{"position": i.position, "id": i.doc_id, "content_hash": i.content_hash, "title": i.title}
                         for i in self.items]
        return data


@dataclass(frozen=True)
class Verification:
    """What changed since a collection was made.

    ``changed``: still in the corpus but with other content or title; ``removed``: no longer in the corpus;
    ``added``/``dropped``: what running the query today would add to or drop from the collection (None when
    the query was not run again, e.g. for hand-picked collections); ``settings``: settings that differ now
    (name → [then, now]), which may explain added or dropped documents.
    """

    name: str
    documents: int
    unchanged: int
    changed: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    added: list[dict[str, Any]] | None = None
    dropped: list[dict[str, Any]] | None = None
    settings: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def up_to_date(self) -> bool:
        return not (self.changed or self.removed or self.added or self.dropped)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "up_to_date": self.up_to_date}


# -- names --------------------------------------------------------------------------------------------------


def check_name(name: str | None) -> str:
    """A usable collection name (German and spaces allowed), normalised to NFC and trimmed."""
    text = unicodedata.normalize("NFC", (name or "").strip())
    if not text:
        raise CollectionError("a collection needs a name", hint="e.g. clustermine collect mettmann-cluster QUERY")
    if len(text) > MAX_NAME or any(not c.isprintable() for c in text):
        raise CollectionError(
            f"collection names must be at most {MAX_NAME} printable characters. Got {name!r} instead.",
            hint="choose a short name such as 'mettmann-cluster'",
        )
    return text


# -- reading ------------------------------------------------------------------------------------------------


def list_collections(store: Any) -> list[dict[str, Any]]:
    """Every collection with its size, newest change first."""
    rows = store.conn.execute(
        "SELECT c.name, c.created, c.updated, c.query, c.filters, c.version, c.note, "
        "(SELECT COUNT(*) FROM collection_items i WHERE i.collection = c.name) AS documents "
        "FROM collections c ORDER BY c.updated DESC, c.name"
    )
    return [{**dict(r), "filters": json.loads(r["filters"] or "{}")} for r in rows]


def load_collection(store: Any, name: str) -> Collection:
    """The collection called ``name`` with its items in their collected order."""
    key = check_name(name)
    row = store.conn.execute("SELECT * FROM collections WHERE name = ?", (key,)).fetchone()
    if row is None:
        names = [r[0] for r in store.conn.execute("SELECT name FROM collections ORDER BY name")]
        raise UnknownCollectionError(
            f"no collection named {key!r}" + (f" (there are: {', '.join(names)})" if names else ""),
            hint="list them with 'clustermine collect --list'" if names
            else "make one with 'clustermine collect NAME QUERY'",
        )
    items = tuple(
        CollectionItem(r["position"], r["doc_id"], r["content_hash"], r["title"])
        for r in store.conn.execute(
            "SELECT position, doc_id, content_hash, title FROM collection_items WHERE collection = ? "
            "ORDER BY position", (key,)
        )
    )
    return Collection(
        name=row["name"], created=row["created"], updated=row["updated"], query=row["query"],
        filters=json.loads(row["filters"] or "{}"), version=row["version"],
        settings=json.loads(row["settings"] or "{}"), note=row["note"], items=items,
    )


def snapshot(store: Any, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """id → (content hash, title) for the ids that are in the corpus now."""
    ids = list(dict.fromkeys(ids))
    found: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(ids), 500):  # stay below SQLite's limit on bound parameters
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.conn.execute(f"SELECT id, content_hash, title FROM documents WHERE id IN ({marks})", chunk):
            found[row["id"]] = (row["content_hash"], row["title"])
    return found


# -- writing ------------------------------------------------------------------------------------------------


def save_collection(
    store: Any,
    name: str,
    ids: Sequence[str],
    *,
    query: str | None,
    filters: Mapping[str, Any],
    version: str,
    settings: Mapping[str, Any],
    note: str | None = None,
    replace: bool = False,
) -> Collection:
    """Keep ``ids`` (in this order) as collection ``name`` with the content hashes and titles they have now.

    Refuses an existing name unless ``replace``; a replaced collection keeps its creation date.
    """
    key = check_name(name)
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise CollectionError(f"nothing to keep in collection {key!r}: the selection is empty",
                              hint="check the query with 'clustermine search'")
    current = snapshot(store, ids)
    missing = [doc_id for doc_id in ids if doc_id not in current]
    if missing:
        raise NotFoundError(f"no document with id {missing[0]!r}", hint="list ids with 'clustermine ls'")
    stamp = now_iso()
    with store.transaction() as conn:
        row = conn.execute("SELECT created, (SELECT COUNT(*) FROM collection_items WHERE collection = ?) "
                           "FROM collections WHERE name = ?", (key, key)).fetchone()
        if row is not None and not replace:
            raise CollectionExistsError(
                f"a collection named {key!r} exists already ({row[1]} documents, collected {row[0]})",
                hint="add --replace to overwrite it, or choose another name",
            )
        created = row[0] if row is not None else stamp
        conn.execute("DELETE FROM collections WHERE name = ?", (key,))  # items go with it (ON DELETE CASCADE)
        conn.execute(
            "INSERT INTO collections(name, created, updated, query, filters, version, settings, note) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (key, created, stamp, query, json.dumps(dict(filters), ensure_ascii=False, sort_keys=True), version,
             json.dumps(dict(settings), ensure_ascii=False, sort_keys=True), note),
        )
        conn.executemany(
            "INSERT INTO collection_items(collection, position, doc_id, content_hash, title) VALUES (?,?,?,?,?)",
            ((key, n, doc_id, *current[doc_id]) for n, doc_id in enumerate(ids, start=1)),
        )
    return load_collection(store, key)


def delete_collection(store: Any, name: str) -> Collection:
    """Remove a collection (the documents stay in the corpus); returns what was removed."""
    collection = load_collection(store, name)
    with store.transaction() as conn:
        conn.execute("DELETE FROM collections WHERE name = ?", (collection.name,))
    return collection


# -- verifying ----------------------------------------------------------------------------------------------


def verify_collection(
    store: Any,
    collection: Collection,
    *,
    current_ids: Sequence[str] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Verification:
    """Compare a collection with the corpus now.

    ``current_ids`` is what the collection's query selects today (the caller runs it; None skips the
    comparison); ``settings`` are today's settings, compared with the recorded ones.
    """
    now = snapshot(store, collection.ids)
    changed, removed = [], []
    for item in collection.items:
        if item.doc_id not in now:
            removed.append({"id": item.doc_id, "title": item.title})
            continue
        content_hash, title = now[item.doc_id]
        what = [name for name, differs in (("content", content_hash != item.content_hash),
                                           ("title", (title or "") != (item.title or ""))) if differs]
        if what:
            changed.append({"id": item.doc_id, "title": title, "was_title": item.title, "changed": what})
    added = dropped = None
    if current_ids is not None:
        kept = set(collection.ids)
        today = list(dict.fromkeys(current_ids))
        titles = snapshot(store, [doc_id for doc_id in today if doc_id not in kept])
        added = [{"id": doc_id, "title": titles[doc_id][1]} for doc_id in today if doc_id not in kept
                 and doc_id in titles]
        selected = set(today)
        dropped = [{"id": i.doc_id, "title": now[i.doc_id][1]} for i in collection.items
                   if i.doc_id in now and i.doc_id not in selected]
        _mark_replacements(removed, added)
    differences = {}
    if settings is not None:
        then = {"clustermine": collection.version, **collection.settings}
        for name, value in settings.items():
            if name in RESULT_SETTINGS and name in then and then[name] != value:
                differences[name] = [then[name], value]
    return Verification(
        name=collection.name,
        documents=len(collection.items),
        unchanged=len(collection.items) - len(changed) - len(removed),
        changed=changed,
        removed=removed,
        added=added,
        dropped=dropped,
        settings=differences,
    )


def _mark_replacements(removed: list[dict[str, Any]], added: list[dict[str, Any]]) -> None:
    """A changed file becomes a new document (ids follow the content): pair removed and added by title."""
    by_title: dict[str, dict[str, Any]] = {}
    for doc in added:
        if doc.get("title"):
            by_title.setdefault(doc["title"].casefold(), doc)
    for doc in removed:
        match = by_title.get((doc.get("title") or "").casefold())
        if match is not None:
            doc["replaced_by"] = match["id"]
            match["replaces"] = doc["id"]
