"""spaCy component ``clustermine_compounds``: sets ``token._.compound_parts`` from the shared compound splitter.

Importing this module registers the factory and the token extension, so ``nlp.add_pipe("clustermine_compounds")``
works on ``spacy.blank("de")``. Only tokens that can be compounds are analysed (nouns and capitalised words of at
least ``min_length`` letters, hyphenated ones included: "EU-Strukturfonds"); every other token keeps ``None``.
The value is a list of lower-case parts (a fresh copy, so that changing it cannot touch the shared cache; a list
rather than a tuple because that is what comes back from worker processes, and both ways should look the same).
The component holds no state of its own: it uses the process-wide ``default_splitter()`` and its word-type cache,
so ``nlp.pipe(..., n_process=N)`` works (each worker process builds its own splitter on first use).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Token

from .compounds import CompoundSplitter, default_splitter

EXTENSION = "compound_parts"
FACTORY = "clustermine_compounds"
_CANDIDATE = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*")  # letters, maybe joined by hyphens

if not Token.has_extension(EXTENSION):
    Token.set_extension(EXTENSION, default=None)


class CompoundComponent:
    """Annotate candidate tokens of a ``Doc`` with their compound parts (a list of lower-case strings)."""

    def __init__(
        self, name: str = FACTORY, *, min_length: int = 7, splitter: CompoundSplitter | None = None
    ) -> None:
        if not isinstance(min_length, int) or min_length < 1:
            raise ValueError(f"min_length must be an integer >= 1. Got {min_length!r} instead.")
        self.name = name
        self.min_length = min_length
        self.splitter = splitter

    def wants(self, token: Token) -> bool:
        """Whether ``token`` is worth analysing: a noun or capitalised word of letters, long enough."""
        text = token.text
        if len(text) < self.min_length or not _CANDIDATE.fullmatch(text):
            return False
        return token.pos_ in ("NOUN", "PROPN") or text[0].isupper()

    def __call__(self, doc: Doc) -> Doc:
        splitter = self.splitter or default_splitter()
        for token in doc:
            if self.wants(token):
                token._.set(EXTENSION, list(splitter(token.text)))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Process documents one by one: the splitter's cache already shares work across documents."""
        for doc in stream:
            yield self(doc)


@Language.factory(
    FACTORY,
    default_config={"min_length": 7},
    assigns=[f"token._.{EXTENSION}"],
)
def make_compound_component(nlp: Language, name: str, min_length: int) -> CompoundComponent:
    """Factory for ``nlp.add_pipe("clustermine_compounds", config={"min_length": 7})``."""
    return CompoundComponent(name, min_length=min_length)
