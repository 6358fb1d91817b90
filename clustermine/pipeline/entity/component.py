"""The spaCy component ``clustermine_entities`` and the ``doc._.cm_entities`` extension it fills.

Why rows on the doc: results are stored as plain lists so that docs survive ``nlp.pipe(n_process=...)``, and
read back as :class:`~clustermine.model.Entity` records through a getter. Importing this module registers the
factory and the extensions (:mod:`clustermine.pipeline.nlp` does so through :mod:`clustermine.pipeline.entities`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from ...model import Entity
from ..gazetteer import load_gazetteer
from .extractor import EntityExtractor


def _entity_rows(entities: Iterable[Entity]) -> list[list[Any]]:
    return [[e.kind, e.text, e.canonical, e.start, e.end, e.id, e.sentence_start, e.sentence_end, e.rule]
            for e in entities]


def _entities_from_rows(doc: Doc) -> tuple[Entity, ...]:
    rows = doc._.cm_entity_rows or []
    return tuple(Entity(kind=r[0], text=r[1], canonical=r[2], start=r[3], end=r[4], id=r[5], sentence_start=r[6],
                        sentence_end=r[7], rule=r[8]) for r in rows)


def sentence_spans(doc: Doc, text: str | None = None) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of ``doc`` (one span if none are set), without trailing
    white space; read from arrays because iterating ``doc.sents`` costs a Python object per token."""
    text = doc.text if text is None else text
    if len(doc) == 0:
        return [(0, len(text))]
    flags = doc.to_array("SENT_START")
    idx = doc.to_array("IDX")
    starts = [0] + [int(idx[k]) for k in numpy.nonzero(flags == 1)[0] if k > 0]
    spans = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
    return spans


def register_extensions() -> None:
    """Register ``doc._.cm_entities`` (and its serialisable storage); safe to call more than once."""
    if not Doc.has_extension("cm_entity_rows"):
        Doc.set_extension("cm_entity_rows", default=None, force=True)
    if not Doc.has_extension("cm_entities"):
        Doc.set_extension("cm_entities", getter=_entities_from_rows, force=True)
    if not Doc.has_extension("cm_date"):
        Doc.set_extension("cm_date", default=None, force=True)
    if not Doc.has_extension("cm_text"):  # the text itself, kept by clustermine.pipeline.nlp.make_doc
        Doc.set_extension("cm_text", default=None, force=True)


register_extensions()  # at import, so that docs unpickled in worker processes can be read


class EntityComponent:
    """The spaCy pipeline component: runs :class:`EntityExtractor` on ``doc.text`` with the doc's sentences.

    Results are stored as plain rows (so docs survive ``nlp.pipe(n_process=...)``) and read back as
    :class:`Entity` records through ``doc._.cm_entities``. Set ``doc._.cm_date`` before the pipeline runs to
    resolve names by date.
    """

    def __init__(self, *, persons: bool = False, gazetteer_files: Sequence[str] = ()) -> None:
        self.persons = persons
        self.gazetteer_files = tuple(str(p) for p in gazetteer_files)
        self._extractor: EntityExtractor | None = None

    @property
    def extractor(self) -> EntityExtractor:
        if self._extractor is None:
            gaz = load_gazetteer([Path(p) for p in self.gazetteer_files])
            self._extractor = EntityExtractor(gaz, persons=self.persons)
        return self._extractor

    def __getstate__(self) -> dict[str, Any]:
        return {"persons": self.persons, "gazetteer_files": self.gazetteer_files, "_extractor": None}

    def __call__(self, doc: Doc) -> Doc:
        register_extensions()
        text = doc._.cm_text  # kept by nlp.make_doc; doc.text is built from the tokens on every access
        if text is None:
            text = doc.text
        found = self.extractor(text, sentences=sentence_spans(doc, text), date=doc._.cm_date)
        doc._.cm_entity_rows = _entity_rows(found)
        return doc


@Language.factory(
    "clustermine_entities",
    default_config={"persons": False, "gazetteer_files": []},
    assigns=["doc._.cm_entities"],
)
def make_entity_component(nlp: Language, name: str, persons: bool, gazetteer_files: list[str]) -> EntityComponent:
    """Factory for ``nlp.add_pipe("clustermine_entities", config={"persons": ..., "gazetteer_files": [...]})``."""
    return EntityComponent(persons=persons, gazetteer_files=gazetteer_files)
