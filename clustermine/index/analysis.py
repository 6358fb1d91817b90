"""The German analysis chain: how text becomes index terms, as whoosh tokenizers and filters.

``german_analyzer()`` is one whoosh chain of small steps, each doing one thing::

    GermanTokenizer        words; "EU-Strukturfonds", "surface.net", "Ziel-2", "§ 5", "z. B." stay one token
    | WordPartsFilter      + the parts of hyphenated and dotted tokens ("eu", "strukturfonds")      (index only)
    | LowercaseFilter
    | GermanStopFilter     German function words out; positions closed up, shared positions kept
    | CompoundFilter       + the parts of closed compounds ("cluster", "förderung"), lower weight   (index only)
    | FoldFilter           ä → ae, ß → ss, …: "Förderung", "Foerderung", "FÖRDERUNG" meet
    | GermanStemFilter     inflection off: "Kreises", "Kreise", "Kreis" meet

Decisions a schema or query builder must know:

- **Positions.** Every part (of "EU-Strukturfonds" or of "Clusterförderung") has the position of its whole
  word, like a synonym, so a word keeps one position whatever it contains and phrase queries stay aligned:
  "EU-Strukturfonds Förderung" is at positions 0 and 1 in the index and in the query. Stop words are removed
  and the positions closed up (as whoosh's own ``StopFilter`` does), so the phrase "Förderung von Clustern"
  matches the text "Förderung von Clustern". Cost: the phrase "EU Strukturfonds" (with a space) does not
  match the text "EU-Strukturfonds" as a phrase (it does as two words), and a phrase may match through a
  part ("Förderung im Kreis" matches "Clusterförderung im Kreis").
- **Weights.** A part that is visible in the text (a hyphenated or dotted part) counts fully; a part found
  only by compound splitting has ``token.boost = PART_BOOST``. whoosh sums token boosts into the stored
  weight of every posting for the formats ``TEXT`` uses (``Positions``, ``Frequency``; not ``Existence``), and
  BM25F scores that weight, so "Förderung" finds "Clusterförderung" but ranks "Förderung" itself higher.
  Nothing is needed on the field (keep ``field_boost=1.0``, ``phrase=True`` for phrases); a field with
  ``scorable=True`` counts the parts in its length.
- **Query side.** whoosh calls a field's analyzer with ``mode="query"`` at query time; then the parts filters
  pass tokens through, so one word is one query term (phrases stay aligned) and the same folding and stemming
  apply. ``german_query_analyzer()`` is that chain on its own. To let "Clusterförderung" also find
  "Cluster-Förderung" and "Förderung von Clustern", build ``exact OR (part AND part)`` from
  ``query_terms(word)``, with the exact alternative boosted.

Compound splitting is ``clustermine.pipeline.compounds.split_compound``, for alphabetic words of at least
``MIN_COMPOUND_LENGTH`` letters, always given the word capitalised (most such words are nouns, and the same
word must split the same way in a query typed in lower case), cached per word.

All classes are module-level and hold only plain settings (caches live in module dictionaries), so whoosh
can pickle the analyzers into its schema. ``ANALYSIS_VERSION`` changes whenever index terms would change: an
index built under another version must be rebuilt.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import NamedTuple

from whoosh.analysis import Analyzer, Filter, LowercaseFilter, StandardAnalyzer, Token, Tokenizer

from ..pipeline.compounds import split_compound
from . import wordforms
from .wordforms import STOP_WORDS, fold, stem

__all__ = [
    "ANALYSIS_VERSION",
    "MIN_COMPOUND_LENGTH",
    "PART_BOOST",
    "PARTS_QUERY_WEIGHT",
    "CompoundFilter",
    "FoldFilter",
    "GermanStemFilter",
    "GermanStopFilter",
    "GermanTokenizer",
    "WordAnalysis",
    "WordPartsFilter",
    "analyse_word",
    "clear_caches",
    "compound_parts",
    "expand_word",
    "fold",
    "german_analyzer",
    "german_query_analyzer",
    "plain_analyzer",
    "query_terms",
    "stem",
]

#: Bump when a change here or in ``wordforms`` changes the terms of already indexed text.
ANALYSIS_VERSION = 1

#: Weight of a compound part found by splitting ("förderung" in "Clusterförderung"), relative to a word
#: that stands in the text. Low enough that the word itself ranks first, high enough to be found.
PART_BOOST = 0.4

#: Weight of the "all parts" alternative of a query word against its exact form (``expand_word``): a text with
#: "Cluster-Förderung" or "Förderung von Clustern" is found by "Clusterförderung", after the exact compound.
PARTS_QUERY_WEIGHT = 0.5

#: Shortest word handed to the compound splitter; shorter words are rarely compounds and splitting them
#: mostly produces junk.
MIN_COMPOUND_LENGTH = 8

#: Longest token indexed; longer ones are URLs, hashes or extraction junk (their parts are still indexed).
MAX_TOKEN_LENGTH = 80

_HYPHENS = "-\u2010\u2011"
_WORD = r"[^\W_][\w\u00ad\u0300-\u036f]*"  # letters and digits, with soft hyphens and combining marks inside
_CONNECTOR = rf"[{_HYPHENS}.]"

#: One alternative per kind of token, tried in this order at each position.
_TOKEN = re.compile(
    rf"""
    (?P<para>§+\s*\d+(?:[a-z](?!\w))?)                  # § 5, §§ 3a
    | (?P<abbr>(?<!\w)[^\W\d_]\.(?:\s?[^\W\d_]\.)+)     # z. B., d.h., i. d. R., e.V.
    | (?P<number>\d+(?:[.,]\d+)+)                       # 1.000.000, 12,5, 14.03.1995
    | (?P<word>{_WORD}(?:{_CONNECTOR}{_WORD})*)         # Kreis, EU-Strukturfonds, surface.net, Ziel-2
    """,
    re.VERBOSE,
)
_PART = re.compile(r"[^\-.]+")  # after the tokenizer, every hyphen is "-"
_SPACES = re.compile(r"\s+")
_UNIFY_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})


# -- tokenizer ----------------------------------------------------------------------------------------------


class GermanTokenizer(Tokenizer):
    """Split text into words, keeping together what a German reader reads as one token.

    Hyphenated and dotted forms stay whole ("EU-Strukturfonds", "Ziel-2", "surface.net", "logistik.nrw";
    ``WordPartsFilter`` adds their parts), numbers with separators stay whole ("1.000.000", "12,5"),
    "§ 5" and "§§ 5" become "§5" and abbreviations with dots lose their spaces ("z. B." → "z.B."), so that each is one
    searchable token whatever the spacing. A hyphen at the end of a word ("Forschungs- und …") is not kept.

    Sets ``token.part = False`` on every token (filters that add parts set it True).
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.part = False
        token.stopped = False
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, match in enumerate(_TOKEN.finditer(value), start_pos):
            text = match.group()
            kind = match.lastgroup
            if kind == "word":
                text = text.translate(_UNIFY_HYPHENS)
            elif kind == "para":
                text = "§" + _SPACES.sub("", text).lstrip("§")
            elif kind == "abbr":
                text = _SPACES.sub("", text)
            token.text = text
            token.boost = 1.0
            token.stopped = False
            token.part = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


# -- filters ------------------------------------------------------------------------------------------------


class WordPartsFilter(Filter):
    """After a hyphenated or dotted token, add its parts: "EU-Strukturfonds" → + "EU", "Strukturfonds".

    Parts share the position of the whole and keep their own character span (for highlighting); they count as
    much as the whole (``boost``), since they stand in the text. Tokens whose parts would all be single
    characters ("z.B.") stay whole. In query mode tokens pass unchanged: a query word is one term.
    """

    def __init__(self, boost: float = 1.0) -> None:
        self.boost = boost

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        part_boost = self.boost
        for token in tokens:
            text = token.text
            if token.mode == "query" or ("-" not in text and "." not in text):
                yield token
                continue
            # Read everything before yielding: later filters change the token in place.
            boost, chars, positions = token.boost * part_boost, token.chars, token.positions
            whole_start = token.startchar if chars else 0
            pos = token.pos if positions else 0
            yield token
            parts = [match.span() for match in _PART.finditer(text)]
            if len(parts) < 2 or all(end - start == 1 for start, end in parts) or _is_number(text):
                continue
            for start, end in parts:
                token.text = text[start:end]
                token.boost = boost
                token.part = True
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = whole_start + start
                    token.endchar = whole_start + end
                yield token


def _is_number(text: str) -> bool:
    """ "1.000.000" or "14.03.1995": digits and dots only, whose parts would be meaningless numbers."""
    return text.replace(".", "").isdigit()


class GermanStopFilter(Filter):
    """Drop German function words (``wordforms.STOP_WORDS``) and over-long tokens.

    Like whoosh's ``StopFilter`` it closes up the positions of the remaining tokens (so a phrase query, whose
    stop words are dropped too, still lines up), but tokens that shared a position still share one
    afterwards (a word and its parts). With ``removestops=False`` (whoosh's highlighter) stop words are kept
    and marked ``token.stopped``. Expects lower-case text.
    """

    def __init__(self, stoplist: frozenset[str] = STOP_WORDS, max_length: int = MAX_TOKEN_LENGTH) -> None:
        self.stops = frozenset(stoplist)
        self.max_length = max_length

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stops = self.stops
        max_length = self.max_length
        last_pos: int | None = None
        new_pos = -1
        for token in tokens:
            text = token.text
            if text in stops or len(text) > max_length:
                if not token.removestops:
                    token.stopped = True
                    yield token
                continue
            if token.positions:
                if token.pos != last_pos:
                    last_pos = token.pos
                    new_pos = token.pos if new_pos < 0 else new_pos + 1
                token.pos = new_pos
            token.stopped = False
            yield token


class CompoundFilter(Filter):
    """After a closed compound, add its parts: "clusterförderung" → + "cluster", "förderung".

    Parts come from ``compound_parts`` (the pipeline's splitter, cached), share the position and character span
    of the whole and carry ``boost`` times the whole's boost, so a text that only *contains* a word in a
    compound ranks below one that uses the word itself. Only alphabetic tokens of ``min_length`` letters or
    more are split. In query mode tokens pass unchanged (see ``query_terms`` for compounds in queries).
    """

    def __init__(self, boost: float = PART_BOOST, min_length: int = MIN_COMPOUND_LENGTH) -> None:
        self.boost = boost
        self.min_length = min_length

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        part_boost = self.boost
        min_length = self.min_length
        for token in tokens:
            text = token.text
            if len(text) < min_length or token.mode == "query" or token.stopped or not text.isalpha():
                yield token
                continue
            # Read before yielding: later filters change the token in place.
            boost, positions, chars = token.boost * part_boost, token.positions, token.chars
            pos = token.pos if positions else 0
            span = (token.startchar, token.endchar) if chars else (0, 0)
            yield token
            for part in compound_parts(text):
                token.text = part
                token.boost = boost
                token.part = True
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar, token.endchar = span
                yield token


class FoldFilter(Filter):
    """Fold spellings (``wordforms.fold``): lower case, ä → ae, ö → oe, ü → ue, ß → ss, accents off."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


class GermanStemFilter(Filter):
    """Remove inflection (``wordforms.stem``); of a hyphenated token only the last part inflects
    ("cluster-förderungen" → "cluster-foerderung"). Dotted names, numbers, "§5" and stop words that are
    kept (``removestops=False``) stay as they are."""

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if token.stopped:
                pass
            elif text.isalpha():
                token.text = stem(text)
            elif "-" in text:
                head, _, last = text.rpartition("-")
                if last.isalpha():
                    token.text = f"{head}-{stem(last)}"
            yield token


# -- analyzers ----------------------------------------------------------------------------------------------


def german_analyzer(*, compounds: bool = True) -> Analyzer:
    """The index-side chain (see the module docstring); use it as the field analyzer of German text fields.

    ``compounds=False`` leaves out compound splitting (faster, no HanTa; "Förderung" then no longer finds
    "Clusterförderung"). Query mode (``mode="query"``, which whoosh passes when parsing) adds no parts.
    """
    chain = GermanTokenizer() | WordPartsFilter() | LowercaseFilter() | GermanStopFilter()
    if compounds:
        chain = chain | CompoundFilter()
    return chain | FoldFilter() | GermanStemFilter()


# -- the index chain, fused ------------------------------------------------------------------------------------

#: One tokenizer token's output after the filters: (term, boost, start, end), the span relative to the token
#: (end -1: the token's own end).
Outputs = tuple[tuple[str, float, int, int], ...]

#: Token texts whose output is kept before the cache is emptied. Bounded because every index writer process
#: (whoosh runs two on a large rebuild) holds its own. The Karlsruhe texts have 320,000 token texts: with room
#: for all of them the index analysis is 7-10 % faster than with 200,000.
TOKEN_CACHE_LIMIT = 400_000
_token_outputs: dict[str, Outputs | str] = {}
_FILTERS: Analyzer | None = None


def index_tokens(value: str, start_pos: int = 0, start_char: int = 0) -> list[tuple[str, int, int, int, float]]:
    """The tokens ``german_analyzer()`` makes of ``value`` in index mode, as (term, position, start, end, boost).

    The same tokens in the same order, about five times faster: the filters after the tokenizer work on one
    token at a time, so their output for a token text is computed once (by the filters themselves) and kept;
    only the stop filter's closing-up of positions depends on the neighbours, and is done here as it does it.
    """
    out: list[tuple[str, int, int, int, float]] = []
    cache = _token_outputs
    new_pos = -1
    for pos, match in enumerate(_TOKEN.finditer(value), start_pos):
        text = match.group()
        kind = match.lastgroup
        if kind == "word":
            text = text.translate(_UNIFY_HYPHENS)
        elif kind == "para":
            text = "§" + _SPACES.sub("", text).lstrip("§")
        elif kind == "abbr":
            text = _SPACES.sub("", text)
        found = cache.get(text)
        if found is None:
            found = _outputs(text, match.end() - match.start())
        if not found:
            continue
        new_pos = pos if new_pos < 0 else new_pos + 1
        if found.__class__ is str:  # the common case: one term over the whole token
            out.append((found, new_pos, start_char + match.start(), start_char + match.end(), 1.0))
            continue
        base = start_char + match.start()
        for term, boost, start, end in found:
            out.append((term, new_pos, base + start, base + end if end >= 0 else start_char + match.end(), boost))
    return out


def _outputs(text: str, length: int) -> Outputs | str:
    """The filters' output for one token (``length``: its span in the text), kept in the cache: the tuple of
    (term, boost, start, end), or just the term when it is one term over the whole token with boost 1. Terms are
    interned: "Förderung", "förderung" and "FÖRDERUNG" keep one string between them."""
    global _FILTERS
    if _FILTERS is None:
        _FILTERS = WordPartsFilter() | LowercaseFilter() | GermanStopFilter() | CompoundFilter() | FoldFilter() \
            | GermanStemFilter()
    token = Token(positions=True, chars=True, removestops=True, mode="index")
    token.text, token.boost, token.pos, token.startchar, token.endchar = text, 1.0, 0, 0, length
    token.part = token.stopped = False
    # a span that is the whole token is kept as "to its end" (-1): "z. B." and "z.B." are one token text
    found: Outputs | str = tuple(
        (sys.intern(t.text), t.boost, t.startchar, -1 if (t.startchar, t.endchar) == (0, length) else t.endchar)
        for t in _FILTERS(iter([token])))
    if len(found) == 1 and found[0][1:] == (1.0, 0, -1) and found[0][0]:
        found = found[0][0]  # kept as the bare term: a third of the memory of the tuples
    if len(_token_outputs) >= TOKEN_CACHE_LIMIT:
        _token_outputs.clear()
    _token_outputs[text] = found
    return found


class GermanIndexAnalyzer(Analyzer):
    """``german_analyzer()`` with the fused path (:func:`index_tokens`) for what indexing asks of it.

    Anything else (query mode, stop words kept for highlighting, original texts) goes through the chain.
    """

    def __init__(self) -> None:
        self.chain = german_analyzer()

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: object) -> Iterator[Token]:
        if mode == "query" or keeporiginal or not removestops or not tokenize:
            yield from self.chain(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                                  removestops=removestops, start_pos=start_pos, start_char=start_char,
                                  tokenize=tokenize, mode=mode, **kwargs)
            return
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for term, pos, start, end, boost in index_tokens(value, start_pos, start_char):
            token.text, token.boost = term, boost
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start, end
            yield token

    def has_morph(self) -> bool:
        return True


def german_query_analyzer() -> Analyzer:
    """The query-side chain: the same tokens, folding, stop words and stems, one term per word, no parts."""
    return GermanTokenizer() | LowercaseFilter() | GermanStopFilter() | FoldFilter() | GermanStemFilter()


def plain_analyzer() -> Analyzer:
    """whoosh's ``StandardAnalyzer`` (English stop words, no stemming): the baseline for comparisons."""
    return StandardAnalyzer()


# -- word level ---------------------------------------------------------------------------------------------

#: Words whose compound parts are kept here before this cache is emptied. Small: it is only asked for token
#: texts the token cache does not hold, and the splitter behind it keeps its own cache.
COMPOUND_CACHE_LIMIT = 50_000
_compound_cache: dict[str, tuple[str, ...]] = {}


def compound_parts(word: str) -> tuple[str, ...]:
    """The compound parts of ``word`` as lower-case words (umlauts kept), or ``()`` if it is no compound.

    Only alphabetic words of ``MIN_COMPOUND_LENGTH`` letters or more are split. The splitter always sees the
    word capitalised ("clusterförderung" splits like "Clusterförderung"). Cached per lower-case word.
    """
    key = word.lower()
    parts = _compound_cache.get(key)
    if parts is None:
        parts = ()
        if len(key) >= MIN_COMPOUND_LENGTH and key.isalpha():
            split = tuple(part for part in split_compound(key.capitalize()) if part)
            if len(split) > 1:
                parts = split
        if len(_compound_cache) >= COMPOUND_CACHE_LIMIT:
            _compound_cache.clear()
        _compound_cache[key] = parts
    return parts


def clear_caches() -> None:
    """Forget every cached word analysis (for benchmarks of a cold start; the splitter keeps its own cache)."""
    _compound_cache.clear()
    _token_outputs.clear()
    wordforms._fold_cache.clear()
    wordforms._stem_cache.clear()


_QUERY_ANALYZER = german_query_analyzer()
_PARTS_ANALYZER = GermanTokenizer() | WordPartsFilter()


def _query_tokens(text: str) -> list[str]:
    return [token.text for token in _QUERY_ANALYZER(text, mode="query")]


class WordAnalysis(NamedTuple):
    """What the index makes of one word, for ``search --explain`` (a tuple, so ``analysis[1]`` is ``folded``).

    ``stem`` is the word's index term ("" for a stop word); ``parts`` are its parts as written
    ("EU-Strukturfonds" → "EU", "Strukturfonds") or as split ("Clusterförderung" → "Cluster", "Förderung",
    capitalised like the word); ``part_stems`` are the index terms of the parts.
    """

    surface: str
    folded: str
    stem: str
    parts: tuple[str, ...] = ()
    part_stems: tuple[str, ...] = ()
    stop: bool = False

    def __str__(self) -> str:
        if self.stop:
            return f"{self.surface} (stop word, not indexed)"
        if self.parts:
            return f"{self.surface} = {' + '.join(self.parts)}"
        return self.surface


def analyse_word(word: str) -> WordAnalysis:
    """Explain one word: its folded spelling, index term and parts (hyphenated, dotted or compound)."""
    surface = word.strip()
    terms = _query_tokens(surface)
    folded = fold(surface)
    if not terms:
        return WordAnalysis(surface, folded, "", stop=bool(surface))
    parts: tuple[str, ...] = ()
    if len(terms) == 1:
        tokens = [(token.text, token.part) for token in _PARTS_ANALYZER(surface, mode="index")]
        parts = tuple(text for text, is_part in tokens if is_part)
        if not parts and len(tokens) == 1:
            split = compound_parts(tokens[0][0])
            parts = tuple(part.capitalize() if surface[:1].isupper() else part for part in split)
    part_stems = tuple(term for part in parts for term in _query_tokens(part))
    return WordAnalysis(surface, folded, " ".join(terms), parts, part_stems)


def query_terms(word: str) -> list[list[str]]:
    """The ways a query word can match, best first: each inner list is a set of terms that must all occur.

    ``query_terms("Clusterförderung") == [["clusterfoerderung"], ["cluster", "foerderung"]]``: build
    ``Or([Term(f, exact, boost=2), And([Term(f, "cluster"), Term(f, "foerderung")])])``, so the exact compound
    ranks first and "Cluster-Förderung" and "Förderung von Clustern" are found too. Hyphenated and dotted
    words give their visible parts ("EU-Strukturfonds" → ``[["eu-strukturfonds"], ["eu", "strukturfonds"]]``,
    stemmed). A word that is one term and no compound gives one alternative; a stop word gives ``[]``; text
    that holds several words gives one alternative with all of their terms.
    """
    analysis = analyse_word(word)
    if not analysis.stem:
        return []
    exact = analysis.stem.split(" ")
    parts = list(dict.fromkeys(analysis.part_stems))
    if len(exact) == 1 and len(parts) > 1:
        return [exact, parts]
    return [exact]


def expand_word(word: str) -> list[tuple[tuple[str, ...], float]]:
    """``query_terms`` with a weight per alternative: the exact form 1.0, the parts ``PARTS_QUERY_WEIGHT``.

    The shape ``clustermine.index.schema.AnalysisProfile.expand`` expects.
    """
    alternatives = query_terms(word)
    return [(tuple(terms), 1.0 if index == 0 else PARTS_QUERY_WEIGHT) for index, terms in enumerate(alternatives)]
