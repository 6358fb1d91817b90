"""The plain entry points: entities of one text or of many, through the German spaCy pipeline.

Why through spaCy: the sentence spans (and so ``Entity.sentence_start``/``sentence_end``) come from the
pipeline's sentencizer and its German fixes, and ``extract_entities_many`` gets spaCy's batching and processes.
Texts longer than :data:`CHUNK_CHARS` are processed in pieces cut at blank lines, with offsets corrected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ...model import Entity
from . import component as _component  # noqa: F401  (registers the factory and doc._.cm_entities)

#: Texts longer than this are processed in pieces cut at blank lines (offsets are corrected).
CHUNK_CHARS = 500_000


def _chunks(text: str, size: int | None = None) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering ``text``, cut at paragraph breaks where possible."""
    size = size or CHUNK_CHARS  # read at call time, so the limit can be changed (and tested)
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind("\n", start + size // 2, end)
            end = cut + 1 if cut != -1 else end
        yield start, text[start:end]
        start = end


def _shift(entities: Iterable[Entity], offset: int) -> list[Entity]:
    if not offset:
        return list(entities)
    return [Entity(kind=e.kind, text=e.text, canonical=e.canonical, start=e.start + offset, end=e.end + offset,
                   id=e.id, sentence_start=e.sentence_start + offset, sentence_end=e.sentence_end + offset,
                   rule=e.rule) for e in entities]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while one text is read.

    Why: reading a text makes hundreds of thousands of small objects (sub-tokens, candidates, spaCy tokens)
    without reference cycles, which reference counting frees; the collector would only walk them, and everything
    else alive, again and again (a tenth of the extraction time). It runs again afterwards, and it is left off if
    it was off.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pipeline(persons: bool, gazetteer_files: Sequence[Path]) -> Language:
    from ..nlp import german_pipeline  # late import: nlp.py imports the entities facade, which imports this module

    return german_pipeline(entities=True, persons=persons, gazetteer_files=gazetteer_files, lemmas=False)


def _make_doc(nlp: Language, text: str) -> Doc:
    from ..nlp import make_doc  # late import, as above

    return make_doc(nlp, text)


def extract_entities(
    text: str, *, persons: bool = False, gazetteer_files: Sequence[Path] = (), date: str | None = None
) -> tuple[Entity, ...]:
    """The entities of one German text, sorted by offset; ``text[e.start:e.end] == e.text`` for each.

    ``persons`` adds PERSON mentions (off by default), ``gazetteer_files`` adds user TSVs, ``date`` (the
    document date, YYYY[-MM[-DD]]) prefers entries valid then when several share a name.
    """
    nlp = _pipeline(persons, gazetteer_files)
    out: list[Entity] = []
    with _collector_paused():
        for offset, piece in _chunks(text):
            doc = _make_doc(nlp, piece)
            doc._.cm_date = date
            for _, proc in nlp.pipeline:
                doc = proc(doc)
            out.extend(_shift(doc._.cm_entities, offset))
    return tuple(out)


def extract_entities_many(
    texts: Iterable[str],
    *,
    persons: bool = False,
    gazetteer_files: Sequence[Path] = (),
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[tuple[Entity, ...]]:
    """Entities of many texts, streamed in order, with spaCy batching (``n_process`` > 1 uses processes)."""
    nlp = _pipeline(persons, gazetteer_files)

    def pieces() -> Iterator[tuple[Doc, tuple[int, int, bool]]]:
        for n, text in enumerate(texts):
            parts = list(_chunks(text)) or [(0, "")]
            for k, (offset, piece) in enumerate(parts):
                yield _make_doc(nlp, piece), (n, offset, k == len(parts) - 1)

    current: list[Entity] = []
    for doc, (_, offset, last) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        current.extend(_shift(doc._.cm_entities, offset))
        if last:
            yield tuple(current)
            current = []
