""""Did you mean …": a corrected query when a query finds (almost) nothing.

Candidates are the index's own ``body`` terms within edit distance 1 (2 for longer words) of the query word's
term (adjacent letters swapped count as one edit), found by an automaton walked over the term tables; the
closest, then the most frequent, wins. Terms are folded stems
("foerderung", "clust"), which no one wants to read, so the suggestion is the *word as written in the corpus*:
the first word of a document holding the term whose own index term it is ("Förderung"). Comparing terms rather
than spellings also means "Foerderunng" and "Förderunng" get the same answer. A suggestion is only offered
when it finds more than the query did. No extra index field is needed (a field of surface words cost a third
of the build time).

Finding the neighbours is the expensive part (a whole-corpus vocabulary has hundreds of thousands of terms), so
it is only done for a word that is unknown or rare (a common word is never corrected), at distance 1 first and
at distance 2 only when nothing is that close, and by a Damerau-Levenshtein automaton walked over each segment's
sorted term table (:func:`terms_within`), which reads a few thousand of the terms rather than all of them.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from clustermine.index import query as q
from clustermine.index.snippets import WORD, Forms

SPELL_FIELD = "body"
MIN_LENGTH = 4

#: Offer a more frequent neighbour even for a word that occurs, if it occurs at most this often …
RARE = 1
#: … and the neighbour is this many times as frequent.
MUCH_MORE = 10

#: Neighbours must share this many leading characters with the word (typos rarely hit the first letter).
PREFIX = 1


@dataclass(frozen=True)
class Vocabulary:
    """What suggestions need to know: the index terms, a word's term, and the texts the terms come from.

    One vocabulary serves one search (and its fallbacks): it remembers the words it looked at and the parts of
    the term tables it read.
    """

    reader: Any
    term_of: Callable[[str], str | None]
    text_of: Callable[[str], str]
    forms: Forms
    id_of: Callable[[int], str] | None = None  # a document's id by number (default: whoosh's id column)
    words: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    tables: dict[int, Any] = field(default_factory=dict, compare=False, repr=False)

    def frequency(self, term: str) -> int:
        return int(self.reader.doc_frequency(SPELL_FIELD, term))

    def near(self, term: str, maxdist: int) -> list[str]:
        """Index terms within ``maxdist`` edits (Damerau-Levenshtein, adjacent transpositions) of ``term`` that
        share its first letter, ``term`` itself included if it is one."""
        return terms_within(self.reader, SPELL_FIELD, term, maxdist, PREFIX, self.tables)

    def surface(self, term: str) -> str | None:
        """A word of the corpus whose index term is ``term`` (the first one in the first document with it)."""
        postings = self.reader.postings(SPELL_FIELD, term)
        if not postings.is_active():
            return None
        docnum = postings.id()
        doc_id = self.id_of(docnum) if self.id_of is not None else self.reader.column_reader("id")[docnum]
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
        if term.text not in vocabulary.words:
            vocabulary.words[term.text] = best_word(vocabulary, term.text)
        better = vocabulary.words[term.text]
        if better:
            out[term.text] = better
    return out


def best_word(vocabulary: Vocabulary, word: str) -> str | None:
    """The corpus word closest to ``word`` (then the most frequent), or None if ``word`` is fine as it is.

    A word in more than ``RARE`` documents is fine as it is, whatever its neighbours: it is not looked up.
    Neighbours at distance 1 are looked for first; at distance 2 (longer words) only when there is none at 1,
    which gives the same word as looking at both at once (the closest wins) for a fraction of the reading.
    """
    term = vocabulary.term_of(word)
    if not term:
        return None
    own = vocabulary.frequency(term)
    if own > RARE:
        return None
    maxdist = 1 if len(term) <= 5 else 2
    best: tuple[int, int, str] | None = None
    for dist in range(1, maxdist + 1):
        for candidate in vocabulary.near(term, dist):
            if candidate == term or not candidate.isalpha():
                continue
            key = (_distance(term, candidate), -vocabulary.frequency(candidate), candidate)
            if best is None or key < best:
                best = key
        if best is not None:
            break
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


# -- neighbours in the term tables ---------------------------------------------------------------------------


def terms_within(
    reader: Any, fieldname: str, term: str, maxdist: int, prefix: int = 0, tables: dict[int, Any] | None = None
) -> list[str]:
    """The terms of ``fieldname`` within ``maxdist`` edits of ``term`` (optimal string alignment distance:
    insertions, deletions, substitutions and adjacent transpositions) whose first ``prefix`` characters are
    ``term``'s, in no particular order.

    The same terms as whoosh's ``reader.terms_within``, which on an index of several segments compares the word
    with every term of the prefix (~1 s at 20,000 documents): here an automaton of the word is walked over each
    segment's sorted term table, jumping from one possible term to the next. ``tables`` keeps the term tables'
    keys read so far, for further words of the same search.
    """
    dfa = edit_automaton(term, maxdist, prefix)
    found: set[str] = set()
    tables = tables if tables is not None else {}
    for leaf, _ in reader.leaf_readers():
        table = tables.get(id(leaf))
        if table is None:
            table = tables[id(leaf)] = _FieldTerms.of(leaf, fieldname) or False
        if table:
            found.update(table.matches(dfa))
        elif hasattr(leaf, "cursor"):
            from whoosh.codec.base import Automata

            found.update(Automata.find_matches(dfa, leaf.cursor(fieldname)))
        else:  # a reader of another kind: whoosh's own (slow) comparison with every term
            found.update(leaf.terms_within(fieldname, term, maxdist, prefix=prefix))
    return sorted(found)


def edit_automaton(term: str, maxdist: int, prefix: int = 0) -> Any:
    """A DFA accepting the strings within ``maxdist`` edits of ``term`` (optimal string alignment distance, as
    :func:`_distance` and whoosh's ``damerau_levenshtein``) that begin with ``term[:prefix]``.

    whoosh's own ``levenshtein_automaton`` has no transpositions ("Clsuter" would be 2 edits from "Cluster");
    the states here are (position, edits) plus (position, edits, 1) halfway through a transposition.
    """
    from whoosh.automata.fsa import ANY, EPSILON, NFA

    nfa = NFA((0, 0))
    for i in range(min(prefix, len(term))):
        nfa.add_transition((i, 0), term[i], (i + 1, 0))
    size = len(term)
    for i in range(min(prefix, size), size):
        char = term[i]
        for e in range(maxdist + 1):
            nfa.add_transition((i, e), char, (i + 1, e))
            if e < maxdist:
                nfa.add_transition((i, e), ANY, (i, e + 1))  # a letter more
                nfa.add_transition((i, e), EPSILON, (i + 1, e + 1))  # a letter less
                nfa.add_transition((i, e), ANY, (i + 1, e + 1))  # another letter
                if i + 1 < size and term[i + 1] != char:  # two letters swapped
                    nfa.add_transition((i, e), term[i + 1], (i, e, 1))
                    nfa.add_transition((i, e, 1), char, (i + 2, e + 1))
    for e in range(maxdist + 1):
        if e < maxdist:
            nfa.add_transition((size, e), ANY, (size, e + 1))
        nfa.add_final_state((size, e))
    return nfa.to_dfa()


_INDEX_TYPES = {"B": ">u1", "H": ">u2", "i": ">i4", "I": ">u4", "q": ">i8"}
_KEY_LENGTH = struct.Struct("!I")  # an entry of whoosh's hash file: key length, value length, key, value

#: Keys of a term table read (and kept) together: neighbouring terms are what an automaton walk asks for.
PAGE = 64


class _FieldTerms:
    """The terms of one field in one segment, in order, read on demand from the segment's term table.

    The walk of an automaton asks for the first term at or after a string, over and over, mostly a few terms
    after the previous answer. So a find gallops forward from where the last one ended, and keys are read a page
    of neighbouring entries at a time (one read) and kept. Relies on whoosh's W3 codec (the only one whoosh 2.7
    writes); :meth:`of` returns None for anything else, and the caller falls back to whoosh's term cursor.
    """

    def __init__(self, tindex: Any, positions: Any, start: bytes, end: bytes) -> None:
        self._key_at = tindex.key_at
        self._read = tindex.dbfile.get
        self._positions = positions
        self._pages: dict[int, list[bytes]] = {}
        self._start = start
        self.lo = self._bisect(start, 0, len(positions))
        self.hi = self._bisect(end, self.lo, len(positions))

    @classmethod
    def of(cls, leaf: Any, fieldname: str) -> _FieldTerms | None:
        try:
            import numpy as np

            terms = leaf._terms
            tindex = terms._tindex
            number = terms._fieldmap.get(fieldname)
            dtype = _INDEX_TYPES[tindex.extras["indextype"]]
            raw = tindex.dbfile.get(tindex.indexbase, tindex.indexlen * np.dtype(dtype).itemsize)
            positions = np.frombuffer(raw, dtype=dtype).astype(np.int64)
            key_of = terms._keycoder
        except (AttributeError, KeyError, TypeError, ImportError):
            return None
        if number is None:
            return None
        return cls(tindex, positions, key_of(fieldname, b""), (number + 1).to_bytes(2, "big"))

    def _bisect(self, key: bytes, lo: int, hi: int) -> int:
        """First index ≥ ``key``, reading single keys (to find where the field's terms are)."""
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key_at(int(self._positions[mid])) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _key(self, i: int) -> bytes:
        page = self._pages.get(i // PAGE)
        if page is None:
            page = self._pages[i // PAGE] = self._page(i // PAGE)
        return page[i % PAGE]

    def _page(self, number: int) -> list[bytes]:
        positions = self._positions[number * PAGE : (number + 1) * PAGE].tolist()
        first, last = positions[0], positions[-1]
        if any(b <= a for a, b in zip(positions, positions[1:], strict=False)):  # not laid out in key order
            return [self._key_at(p) for p in positions]
        chunk = self._read(first, last - first)
        keys = []
        for position in positions[:-1]:
            offset = position - first
            (size,) = _KEY_LENGTH.unpack_from(chunk, offset)
            keys.append(chunk[offset + 8 : offset + 8 + size])
        keys.append(self._key_at(last))
        return keys

    def _find(self, key: bytes, lo: int) -> int:
        """Index of the first key ≥ ``key``, ``hi`` if there is none (galloping forward from ``lo``)."""
        hi = self.hi
        if lo >= hi or self._key(lo) >= key:
            return lo
        step = 1
        while lo + step < hi and self._key(lo + step) < key:
            lo += step
            step *= 2
        hi = min(lo + step, hi)  # key(lo) < key ≤ key(hi)
        lo += 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _text(self, i: int) -> str | None:
        return self._key(i)[len(self._start) :].decode("utf-8") if i < self.hi else None

    def matches(self, dfa: Any) -> Iterator[str]:
        """The terms the automaton accepts (whoosh's ``Automata.find_matches`` over this table)."""
        at = self.lo
        term = self._text(at)
        if term is None:
            return
        match = dfa.next_valid_string(term)
        while match:
            at = self._find(self._start + match.encode("utf-8"), at)
            term = self._text(at)
            if term is None:
                return
            if match == term:
                yield match
                term += "\0"
            match = dfa.next_valid_string(term)
