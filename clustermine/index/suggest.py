""""Did you mean …": a corrected query when a query finds (almost) nothing.

Candidates are the index's own ``body`` terms within edit distance 1 (2 for longer words) of the query word's
term, found by whoosh's term automaton; the closest, then the most frequent, wins. Terms are folded stems
("foerderung", "clust"), which no one wants to read, so the suggestion is the *word as written in the corpus*:
the first word of a document holding the term whose own index term it is ("Förderung"). Comparing terms rather
than spellings also means "Foerderunng" and "Förderunng" get the same answer. A suggestion is only offered
when it finds more than the query did. No extra index field is needed (a field of surface words cost a third
of the build time).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clustermine.index import query as q
from clustermine.index.snippets import WORD, Forms

SPELL_FIELD = "body"
MIN_LENGTH = 4

#: Offer a more frequent neighbour even for a word that occurs, if it occurs at most this often …
RARE = 1
#: … and the neighbour is this many times as frequent.
MUCH_MORE = 10


@dataclass(frozen=True)
class Vocabulary:
    """What suggestions need to know: the index terms, a word's term, and the texts the terms come from."""

    reader: Any
    term_of: Callable[[str], str | None]
    text_of: Callable[[str], str]
    forms: Forms

    def frequency(self, term: str) -> int:
        return int(self.reader.doc_frequency(SPELL_FIELD, term))

    def near(self, term: str, maxdist: int) -> list[str]:
        found = self.reader.terms_within(SPELL_FIELD, term, maxdist, prefix=1)
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in found]

    def surface(self, term: str) -> str | None:
        """A word of the corpus whose index term is ``term`` (the first one in the first document with it)."""
        postings = self.reader.postings(SPELL_FIELD, term)
        if not postings.is_active():
            return None
        doc_id = self.reader.column_reader("id")[postings.id()]
        for match in WORD.finditer(self.text_of(doc_id)):
            forms = self.forms(match.group())
            if forms and forms[0][0] == term and match.group().isalpha():
                return match.group()
        return None


def corrections(vocabulary: Vocabulary, node: q.Node | None) -> dict[str, str]:
    """Query word → the corpus word it probably should be (only words worth correcting)."""
    out: dict[str, str] = {}
    for term in q.text_terms(node):
        if not isinstance(term, q.Word) or term.prefix or term.wildcard or len(term.text) < MIN_LENGTH:
            continue
        if not term.text.isalpha():
            continue
        better = best_word(vocabulary, term.text)
        if better:
            out[term.text] = better
    return out


def best_word(vocabulary: Vocabulary, word: str) -> str | None:
    """The corpus word closest to ``word`` (then the most frequent), or None if ``word`` is fine as it is."""
    term = vocabulary.term_of(word)
    if not term:
        return None
    own = vocabulary.frequency(term)
    maxdist = 1 if len(term) <= 5 else 2
    best: tuple[int, int, str] | None = None
    for candidate in vocabulary.near(term, maxdist):
        if candidate == term or not candidate.isalpha():
            continue
        key = (_distance(term, candidate), -vocabulary.frequency(candidate), candidate)
        if best is None or key < best:
            best = key
    if best is None or (own and not (own <= RARE and -best[1] >= MUCH_MORE * own)):
        return None
    surface = vocabulary.surface(best[2])
    return _like(word, surface) if surface else None


def suggest(
    vocabulary: Vocabulary, node: q.Node | None, query: str, total: int, count: Callable[[str], int]
) -> str | None:
    """The corrected query text, if it would find more than ``total`` hits."""
    fixes = corrections(vocabulary, node)
    if not fixes:
        return None
    text = query
    for wrong, right in fixes.items():
        text = re.sub(rf"(?<![\w-]){re.escape(wrong)}(?![\w-])", right, text, count=1)
    if text == query:
        return None
    try:
        found = count(text)
    except Exception:  # a suggestion must never break a search
        return None
    return text if found > total else None


def _like(original: str, word: str) -> str:
    """``word`` in the case pattern of ``original``: as the corpus writes it if the user capitalised, else lower."""
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word.lower()


def _distance(a: str, b: str) -> int:
    """Levenshtein distance with adjacent transpositions (a typo's usual shapes)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]
