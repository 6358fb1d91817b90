"""Entity extraction, the public face: regions, clusters, funding programmes, organisations (and persons).

Why a facade: the rules live in the subpackage :mod:`clustermine.pipeline.entity`, one module per step (its
docstring describes how a text is read); callers import from here, so the cut between those modules can change
without touching them. Importing this module also registers the spaCy factory ``clustermine_entities`` and the
``doc._.cm_entities`` extension, which :mod:`clustermine.pipeline.nlp` relies on.
"""

from __future__ import annotations

from .entity.api import CHUNK_CHARS, extract_entities, extract_entities_many
from .entity.component import EntityComponent, make_entity_component, register_extensions, sentence_spans
from .entity.extractor import EntityExtractor
from .entity.keys import fold_word, token_key, tokenize

__all__ = [
    "CHUNK_CHARS",
    "EntityComponent",
    "EntityExtractor",
    "extract_entities",
    "extract_entities_many",
    "fold_word",
    "make_entity_component",
    "register_extensions",
    "sentence_spans",
    "token_key",
    "tokenize",
]
