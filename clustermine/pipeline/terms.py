"""Count the words of one document the way vocabulary trends and topic models need them.

``count_terms(text)`` turns a text into a bag of *term keys* — one key per word whatever its inflection or
spelling ("Kompetenzfelder", "Kompetenzfeldern" and "Kompetenzfeld" share ``kompetenzfeld``; "Förderung"
and "Foerderung" share one key) — with four counts per key:

- ``whole``: occurrences as a word of its own ("Cluster" in "die Cluster der Region");
- ``part``: occurrences inside a longer word, found by compound splitting or visible hyphens ("Cluster" in
  "Clusterpolitik" or "Cluster-Management"). Researchers ask for both separately: a rising "Cluster" may
  only be a rising "Clustermanagement";
- ``cap`` and ``lower``: how often the word was written capitalised in mid-sentence, and in lower case. German
  capitalises nouns, so a key with ``cap > lower`` is a noun (or a name). spaCy's blank German pipeline has no
  tagger, and HanTa tags ~1,400 tokens/s; the capitalisation vote costs nothing and is right for nouns that
  occur a few times.

Adjective + noun pairs ("regionale Wirtschaftsförderung", "kleine Unternehmen") are counted too, as keys with a
space, so topic labels can be phrases. A word is a maximal run of letters and digits, hyphenated words are one
word (their key is written without the hyphen, so "Cluster-Förderung" meets "Clusterförderung"); words with
digits count as tokens but are no terms, and German function words are no terms.

The key function is the search index's (``fold`` then ``stem``), so a trend and a search for the same word agree
on what counts as that word. ``TERMS_FINGERPRINT`` changes whenever stored counts would change.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from clustermine.index.wordforms import STOP_WORDS, fold, stem
from clustermine.pipeline.compounds import split_compound

__all__ = [
    "TERMS_FINGERPRINT",
    "DocTerms",
    "TermCounts",
    "clear_cache",
    "count_terms",
    "decode_terms",
    "encode_terms",
    "phrase_key",
    "term_key",
]

#: Bump when counting changes; stored counts with another fingerprint are recounted.
TERMS_VERSION = 2  # 2: compound terms inside longer compounds ("Kompetenzfeld" in "Kompetenzfeldanalyse")
#: Words shorter than this are not split into compound parts (the index uses the same length).
MIN_COMPOUND_LENGTH = 8

_HYPHENS = "-\u2010\u2011"
_WORD = re.compile(rf"[^\W_]+(?:[{_HYPHENS}][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?:[.!?:]|\n[ \t]*\n)[\s\"'»«„“”)(\[\]]*$")
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
_CLEAN = str.maketrans({"\u00ad": None, "\u200b": None})


def _fingerprint() -> str:
    from clustermine.index.analysis import ANALYSIS_VERSION
    from clustermine.pipeline.compounds import RULES_VERSION

    return f"terms{TERMS_VERSION}-analysis{ANALYSIS_VERSION}-compounds{RULES_VERSION}"


@dataclass
class TermCounts:
    """The counts of one term key in one document (see the module docstring); ``surface`` is its commonest spelling."""

    whole: int = 0
    part: int = 0
    cap: int = 0
    lower: int = 0
    surface: str = ""


@dataclass(frozen=True)
class DocTerms:
    """One document's bag of terms: ``n_tokens`` words in all (function words included) and counts per key."""

    n_tokens: int
    terms: dict[str, TermCounts]


def term_key(word: str) -> str:
    """The key under which ``word`` is counted: hyphens dropped, folded, stemmed (``"Cluster-Förderungen"`` →
    the key of ``"Clusterförderung"``). A phrase of several words gets the keys of its words joined by a space."""
    words = _WORD.findall(word.translate(_CLEAN))
    if len(words) > 1:
        return " ".join(_word_key(w) for w in words)
    return _word_key(words[0]) if words else ""


def phrase_key(words: Iterable[str]) -> str:
    """The key of a phrase given as words."""
    return " ".join(_word_key(w) for w in words)


def _word_key(word: str) -> str:
    for hyphen in _HYPHENS:
        word = word.replace(hyphen, "")
    return stem(word)


def count_terms(text: str) -> DocTerms:
    """Count the terms of ``text``; pure and deterministic, so it can run in any worker process."""
    text = text.translate(_CLEAN)
    terms: dict[str, TermCounts] = {}
    surfaces: dict[str, Counter[str]] = {}
    n_tokens = 0
    previous_end = 0
    sentence_start = True
    previous_adjective: tuple[str, str] | None = None  # (key, spelling) of an adjective right before this word

    def counts(key: str) -> TermCounts:
        found = terms.get(key)
        if found is None:
            found = terms[key] = TermCounts()
        return found

    def spellings(key: str) -> Counter[str]:
        found = surfaces.get(key)
        if found is None:
            found = surfaces[key] = Counter()
        return found

    for match in _WORD.finditer(text):
        word = match.group()
        between = text[previous_end:match.start()]
        previous_end = match.end()
        if between and _SENTENCE_END.search(between):
            sentence_start = True
            previous_adjective = None
        elif between.strip(" \t\n"):  # a comma, bracket or the like breaks an adjective-noun pair
            previous_adjective = None
        n_tokens += 1
        at_start, sentence_start = sentence_start, False
        info = _word_info(word)
        if info is None:
            previous_adjective = None
            continue
        key, parts, adjective = info
        entry = counts(key)
        entry.whole += 1
        capitalised = word[0].isupper()
        if not capitalised:
            entry.lower += 1
        elif not at_start:
            entry.cap += 1
        # mid-sentence spellings win: "Regionale" at a sentence start is the adjective "regionale"
        spellings(key)[word] += 1 if at_start else 2
        for part, spelling in parts:
            counts(part).part += 1
            spellings(part)[spelling] += 0  # a spelling for keys seen only inside words
        if capitalised and not at_start and previous_adjective is not None:
            phrase = f"{previous_adjective[0]} {key}"
            pair = counts(phrase)
            pair.whole += 1
            pair.cap += 1
            spellings(phrase)[f"{previous_adjective[1]} {word}"] += 1
        previous_adjective = (key, word) if not capitalised and adjective else None
    for key, forms in surfaces.items():
        terms[key].surface = _commonest(forms)
    return DocTerms(n_tokens, terms)


#: Per word type: (key, parts, may be an attributive adjective), or None for a word that is no term. Texts repeat
#: their vocabulary, and the key and the compound parts of a word cost far more than a dictionary look-up.
_WORD_INFO: dict[str, tuple[str, list[tuple[str, str]], bool] | None] = {}
_WORD_INFO_LIMIT = 300_000


def _word_info(word: str) -> tuple[str, list[tuple[str, str]], bool] | None:
    """What ``count_terms`` needs of one word, cached per spelling (a bounded cache, emptied when full)."""
    try:
        return _WORD_INFO[word]
    except KeyError:
        pass
    lower = word.lower()
    info: tuple[str, list[tuple[str, str]], bool] | None = None
    if _is_term(word, lower):
        key = _word_key(word)
        if key:
            info = (key, _parts(word), len(lower) >= 5 and lower.endswith(_ADJECTIVE_ENDINGS))
    if len(_WORD_INFO) >= _WORD_INFO_LIMIT:
        _WORD_INFO.clear()
    _WORD_INFO[word] = info
    return info


def clear_cache() -> None:
    """Forget the per-word cache of ``count_terms`` (after the compound rules or the stemmer changed in-process)."""
    _WORD_INFO.clear()


def _is_term(word: str, lower: str) -> bool:
    if len(word) < 2 or lower in STOP_WORDS:
        return False
    return not any(ch.isdigit() for ch in word)


def _parts(word: str) -> list[tuple[str, str]]:
    """(key, spelling) of the parts inside ``word``: visible hyphen parts, and the compound parts of each long
    part (spelt capitalised, as the nouns they mostly are). Each key once per word."""
    pieces = [p for p in re.split(f"[{_HYPHENS}]", word) if p]
    found: dict[str, str] = {}
    for piece in pieces:
        inner: tuple[str, ...] = ()
        if len(piece) >= MIN_COMPOUND_LENGTH and piece.isalpha():
            split = split_compound(piece.capitalize())
            if len(split) > 1:
                inner = split
        if len(pieces) > 1 and fold(piece) not in STOP_WORDS:
            found.setdefault(_word_key(piece), piece)
        for part in inner:
            if part:
                found.setdefault(_word_key(part), part.capitalize())
        for run in _runs(piece, inner):
            found.setdefault(_word_key(run), run.capitalize())
    whole = _word_key(word)
    return [(key, spelling) for key, spelling in found.items() if key and key != whole]


def _runs(piece: str, parts: tuple[str, ...]) -> list[str]:
    """Spellings of the runs of two or more adjacent parts inside ``piece``, shorter than the piece itself.

    Compound terms hide in longer compounds: "Kompetenzfeld" in "Kompetenzfeldanalyse", "Wirtschaftsförderung"
    in "Wirtschaftsförderungsgesellschaft"; the splitter only gives the smallest parts. Each part is found
    in the spelling (after a linking element such as "s" or "en"), and a run is the text from its first part to
    its last (the last part of the word to the end, with its inflection). Where the parts cannot be lined up
    with the spelling (an umlaut in a modifier), no runs are given.
    """
    low = piece.lower()
    if len(parts) < 3 or len(low) != len(piece):
        return []
    spans: list[tuple[int, int]] = []
    position = 0
    for k, part in enumerate(parts):
        skips = range(4) if k else range(1)  # a linking element before every part but the first
        start = next((position + n for n in skips if low.startswith(part, position + n)), -1)
        if start < 0:
            return []
        position = start + len(part)
        spans.append((start, position))
    spans[-1] = (spans[-1][0], len(piece))
    runs = []
    for length in range(2, len(parts)):
        for first in range(len(parts) - length + 1):
            runs.append(piece[spans[first][0]:spans[first + length - 1][1]])
    return runs


def _commonest(forms: Counter[str]) -> str:
    # ties go to the capitalised form, then alphabetically, so the choice does not depend on text order
    return min(forms.items(), key=lambda item: (-item[1], not item[0][:1].isupper(), item[0]))[0]


def encode_terms(doc: DocTerms) -> bytes:
    """Compact, versionless storage form of the counts (zlib-compressed JSON)."""
    payload = {key: [c.whole, c.part, c.cap, c.lower, c.surface] for key, c in sorted(doc.terms.items())}
    return zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def decode_terms(blob: bytes, n_tokens: int) -> DocTerms:
    """The inverse of :func:`encode_terms`."""
    payload = json.loads(zlib.decompress(blob).decode("utf-8"))
    return DocTerms(n_tokens, {key: TermCounts(*values) for key, values in payload.items()})


TERMS_FINGERPRINT = _fingerprint()
