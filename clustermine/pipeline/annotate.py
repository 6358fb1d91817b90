"""Entity annotation as the corpus runs it: which settings, and a fingerprint of them.

The store keeps, for every document, the fingerprint of the gazetteers and settings its entities were found
with. When a user adds a gazetteer file or switches persons on, the fingerprint changes and ``rebuild`` knows
exactly which documents to annotate again, without reading any file twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clustermine.model import Entity

#: Bump when the extraction rules change in a way that should refresh stored entities.
ENTITY_RULES_VERSION = "1"


@dataclass(frozen=True)
class EntitySettings:
    """How entities are extracted in one corpus: user gazetteer files and whether persons are wanted."""

    persons: bool = False
    gazetteer_files: tuple[str, ...] = ()

    def fingerprint(self) -> str:
        return _fingerprint(self)


@lru_cache(maxsize=8)
def _fingerprint(settings: EntitySettings) -> str:
    from clustermine.pipeline.gazetteer import load_gazetteer

    gazetteer = load_gazetteer([Path(p) for p in settings.gazetteer_files])
    persons = "persons" if settings.persons else "no-persons"
    return f"rules-{ENTITY_RULES_VERSION}:{gazetteer.fingerprint}:{persons}"


def annotate(text: str, settings: EntitySettings, *, date: str | None = None) -> tuple[Entity, ...]:
    """The entities of one document text under the corpus settings."""
    from clustermine.pipeline.entities import extract_entities

    return extract_entities(
        text, persons=settings.persons, gazetteer_files=[Path(p) for p in settings.gazetteer_files], date=date
    )
