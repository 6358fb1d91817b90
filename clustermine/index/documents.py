"""One stored document → the field values the index keeps for it.

A pure function of the document, its entities and the region hierarchy, so the same code serves a full rebuild
and an incremental update, and a test can look at exactly what gets indexed. Regions are indexed twice: the
ids the text names (``regions``: facets, "only direct mentions") and those ids with all their ancestors
(``regions_all``: a filter on NRW finds a paper of the Kreis Mettmann).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from clustermine.index.taxonomy import NAME_MARK, Taxonomy, entity_key
from clustermine.model import Document, Entity

#: Section names that hold what a council is asked to decide (searchable as ``resolution:``).
RESOLUTION_SECTIONS = ("beschlussvorschlag", "beschluss", "beschlussempfehlung", "antrag")

#: Entity kind → the keyword field of its keys.
ENTITY_FIELDS: dict[str, str] = {"REGION": "regions", "CLUSTER": "clusters", "PROGRAM": "programs", "ORG": "orgs"}

#: Separators inside the compact per-document facet column (values never contain them).
FACET_SEP, VALUE_SEP = "\x1f", "\x1e"


@dataclass(frozen=True)
class DocState:
    """What the index remembers of a document to tell whether its entry is still current.

    The content hash covers the text, the entities fingerprint the gazetteers the entities were found with
    (and so the region hierarchy indexed with them), ``metadata`` what a user may change without touching the
    file (type and date overrides: ``updated_at`` alone has only second resolution).
    """

    content_hash: str
    entities_fingerprint: str
    metadata: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> DocState:
        metadata = "\x1f".join(str(row[k] or "") for k in ("doctype", "date", "title", "updated_at"))
        return cls(row["content_hash"] or "", row["entities_fingerprint"] or "", metadata)


def index_fields(doc: Document, state: DocState, taxonomy: Taxonomy) -> dict[str, Any]:
    """The whoosh field values of ``doc`` (its ``entities`` must be filled)."""
    keys = _entity_keys(doc.entities)
    names = _entity_names(doc.entities)
    resolution = "\n".join(s.text for s in doc.sections if s.name in RESOLUTION_SECTIONS)
    council = doc.council
    committees = [c.committee for c in council.consultations] if council else []
    fields: dict[str, Any] = {
        "id": doc.id,
        "content_hash": state.content_hash,
        "entities_fp": state.entities_fingerprint,
        "metadata": state.metadata,
        "title": doc.title or "",
        "body": doc.text,
        "resolution": resolution,
        "doctype": doc.doctype,
        "date": doc.date or "",
        "source": doc.source,
        "number": _keyword(council.number) if council and council.number else "",
        "council": (council.body or "") if council else "",
        "committee": "\n".join(committees),
        "regions_all": ",".join(taxonomy.with_ancestors(keys["regions"])),
        "facets": facet_record(doc, keys).encode("utf-8"),
    }
    if doc.year is not None:
        fields["year"] = doc.year
    for field in ENTITY_FIELDS.values():
        fields[field] = ",".join(keys[field])
        fields[field + "_names"] = "\n".join(names[field])
    return {k: v for k, v in fields.items() if v != ""}


def facet_record(doc: Document, keys: Mapping[str, list[str]]) -> str:
    """Doctype, year, date and direct entity keys (regions, clusters, programmes, orgs) in one compact string,
    fields separated by ``FACET_SEP`` and values by ``VALUE_SEP``; :mod:`.facets` reads it for every hit."""
    parts = [doc.doctype, str(doc.year or ""), doc.date or ""]
    parts += [VALUE_SEP.join(keys[field]) for field in ("regions", "clusters", "programs", "orgs")]
    return FACET_SEP.join(parts)


def _keyword(text: str) -> str:
    """A free value (paper number) as one keyword: lower case, no commas (the keyword separator)."""
    return " ".join(text.replace(",", " ").lower().split())


def _entity_keys(entities: Iterable[Entity]) -> dict[str, list[str]]:
    keys: dict[str, dict[str, None]] = {field: {} for field in ENTITY_FIELDS.values()}
    for entity in entities:
        field = ENTITY_FIELDS.get(entity.kind)
        if field:
            keys[field][entity_key(entity)] = None
    return {field: [k for k in found if k and k != NAME_MARK] for field, found in keys.items()}


def _entity_names(entities: Iterable[Entity]) -> dict[str, list[str]]:
    names: dict[str, dict[str, None]] = {field: {} for field in ENTITY_FIELDS.values()}
    for entity in entities:
        field = ENTITY_FIELDS.get(entity.kind)
        if field:
            names[field][entity.canonical] = None
            names[field][entity.text] = None
    return {field: list(found) for field, found in names.items()}
