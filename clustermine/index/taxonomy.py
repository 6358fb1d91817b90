"""The gazetteer as the index sees it: entity keys, the region hierarchy, and names typed by users.

Why this layer: facets, filters and the index must agree on one key per entity. A gazetteer entity is keyed by
its stable id (``ks-05158``), an entity found only by a pattern by ``~`` + its canonical name, so it can still
be counted and filtered on. Filters take what a user types (``Mettmann``, ``Kreis Mettmann``, ``ks-05158``) and
resolve it here; a name the gazetteer does not know falls back to matching the entities' canonical text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from clustermine.model import Entity

#: Query/filter field → entity kind.
FIELD_KINDS: dict[str, str] = {"region": "REGION", "cluster": "CLUSTER", "program": "PROGRAM", "org": "ORG"}

#: Gazetteer id prefix → entity kind (ids are unique across the gazetteer files).
_ID_PREFIX_KINDS: dict[str, str] = {
    "de": "REGION", "rb": "REGION", "ks": "REGION", "gm": "REGION", "rg": "REGION",
    "cl": "CLUSTER", "pg": "PROGRAM", "org": "ORG",
}

NAME_MARK = "~"


def name_key(text: str) -> str:
    """A canonical name as a key: NFC, single spaces, no commas (the index's keyword separator)."""
    return " ".join(unicodedata.normalize("NFC", text).replace(",", " ").split())


def entity_key(entity: Entity) -> str:
    """The key facets and filters use: the gazetteer id, or ``~name`` for entities found by patterns only.

    The index lower-cases keys; facets keep the name's case so that it can be shown as it is.
    """
    return entity.id or NAME_MARK + name_key(entity.canonical)


def kind_of_id(entity_id: str) -> str | None:
    """The entity kind of a gazetteer id, judged by its prefix (``ks-05158`` → ``REGION``)."""
    return _ID_PREFIX_KINDS.get(entity_id.split("-", 1)[0])


class Taxonomy:
    """Resolves names to gazetteer ids and ids to their ancestors; works (by names only) without a gazetteer."""

    def __init__(self, gazetteer: Any | None) -> None:
        self.gazetteer = gazetteer
        self._ancestors = lru_cache(maxsize=65536)(self._compute_ancestors)

    @classmethod
    def for_store(cls, store: Any) -> Taxonomy:
        """The gazetteer the corpus's entities were found with (package data plus the user's files)."""
        try:
            from clustermine.corpus import entity_settings
            from clustermine.pipeline.gazetteer import load_gazetteer
        except ImportError:  # no gazetteer module: filters fall back to names
            return cls(None)
        from pathlib import Path

        files = [Path(p) for p in entity_settings(store).gazetteer_files]
        return cls(load_gazetteer(files))

    # -- index side -----------------------------------------------------------------------------------------

    def ancestors(self, entity_id: str) -> tuple[str, ...]:
        """Every id above ``entity_id`` (Gemeinde → Kreis → Regierungsbezirk → Land, named regions)."""
        return self._ancestors(entity_id)

    def _compute_ancestors(self, entity_id: str) -> tuple[str, ...]:
        if self.gazetteer is None:
            return ()
        try:
            found = self.gazetteer.ancestors(entity_id)
        except (KeyError, LookupError):
            return ()
        return tuple(dict.fromkeys(_id_of(e) for e in found or () if _id_of(e)))

    def with_ancestors(self, keys: Iterable[str]) -> list[str]:
        out: dict[str, None] = {}
        for key in keys:
            out[key] = None
            if not key.startswith(NAME_MARK):
                for parent in self.ancestors(key):
                    out[parent] = None
        return list(out)

    # -- query side -----------------------------------------------------------------------------------------

    def resolve(self, field: str, value: str) -> list[str]:
        """Gazetteer ids a user's value stands for in a ``region``/``cluster``/``program``/``org`` filter.

        An id is taken as it is; a name or alias may stand for several entries (``Mettmann`` is the town and,
        with the designator the gazetteer adds, Kreis Mettmann), and all of them are returned. An empty list
        means "not in the gazetteer".
        """
        kind = FIELD_KINDS[field]
        text = value.strip()
        entry = self._get(text.lower())
        if entry is not None and getattr(entry, "kind", kind) == kind:
            return [text.lower()]
        ids = (_id_of(e) for e in self._find(text, kind))
        return list(dict.fromkeys(i for i in ids if i))

    def label(self, entity_id: str) -> str | None:
        entry = self._get(entity_id)
        return getattr(entry, "canonical", None) if entry is not None else None

    def _get(self, entity_id: str) -> Any | None:
        if self.gazetteer is None:
            return None
        try:
            return self.gazetteer.get(entity_id)
        except (KeyError, LookupError):
            return None

    def _find(self, name: str, kind: str) -> list[Any]:
        if self.gazetteer is None:
            return []
        try:
            found = self.gazetteer.find(name, kind)
        except (KeyError, LookupError):
            return []
        if found is None:
            return []
        if isinstance(found, (list, tuple, set, frozenset)):
            return list(found)
        return [found]


def _id_of(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    return getattr(entry, "id", None)
