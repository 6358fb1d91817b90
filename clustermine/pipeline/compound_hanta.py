"""HanTa, the morphology model behind compound splitting: loaded once per process, its analyses turned into parts.

HanTa (``HanoverTagger``, LGPL, used unmodified as a library) analyses a word into morphemes with tags
("wirtschaft/NN s/FUGE förderung/NN"). This module keeps the one tagger of the process and converts HanTa's
morphemes into ``Piece`` records (start and end in the word, tag, the Fuge after it), which is what the checks in
``compounds`` work on. ``hanta_split`` is HanTa's own answer in the splitter's format, unchecked: the baseline the
benchmark compares with.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

#: Hyphen-like characters a compound may be joined with ("EU-Strukturfonds").
HYPHENS = re.compile(r"[-\u2010\u2011\u2012\u2013]")
#: Inflection endings of nouns: what HanTa's lemma of an unknown noun may have dropped.
NOUN_ENDINGS = ("e", "en", "n", "s", "es", "er", "ern", "nen", "se", "sen")

# HanTa morpheme tags that carry no part of their own.
_PREFIX_TAGS = ("PTKVZ", "PREF")
_INFLECTION_TAGS = ("SUF_NN", "SUF_ADJ", "SUF_ADJ_NN", "SUF_FIN", "SUF_INF", "SUF_IMP", "SUF_NE")
_DERIVATION_TAGS = ("SUF", "ADJ_COMP", "ADJ_SUP", "PRESPART")
CONTENT_TAGS = ("NN", "NE", "FM", "ADJ")

# ---------------------------------------------------------------------- HanTa, once per process

HANTA_MODEL = "morphmodel_ger.pgz"
_hanta_lock = threading.Lock()
_hanta_tagger: Any = None


def tagger_class() -> Any:
    """HanTa's tagger class, imported on first use (importing HanTa is not free, and the CLI must start fast)."""
    from HanTa import HanoverTagger as ht

    return ht.HanoverTagger


def tagger() -> Any:
    """HanTa's German tagger, loaded once per process on first use (about 0.3 s)."""
    global _hanta_tagger
    if _hanta_tagger is None:
        with _hanta_lock:
            if _hanta_tagger is None:
                _hanta_tagger = tagger_class()(HANTA_MODEL)
    return _hanta_tagger


#: Endings of adjectives and participles, also when capitalised ("Wirtschaftliche", "Übergreifenden"): such a
#: word is not analysed as a noun (see ``noun_hint``).
ADJECTIVE_ENDING = re.compile(
    r"(?:lich|ig|isch|bar|sam|haft|los|voll|end|iert|ell|iv|är|ös|gerecht|fähig|bedingt|bezogen|fremd|verwandt"
    r"|eigen|gemäß|reich|arm|wert|nah|frei|fest|weit|lang|tet)(?:e|en|er|es|em|ste|sten|ster)?$"
)

#: Endings of place names ("Deutschland", "Palmbach", "Ludwigsburg"): HanTa's own choice of the part of speech
#: (a name, left whole) is kept for them.
NAME_ENDINGS = (
    "land",
    "bach",
    "berg",
    "burg",
    "dorf",
    "heim",
    "hausen",
    "ingen",
    "kirchen",
    "stedt",
    "stadt",
    "leben",
    "rode",
    "born",
    "werth",
    "feld",
    "felde",
    "tal",
    "au",
    "weier",
    "weiler",
    "wald",
    "furt",
    "hafen",
)


def noun_hint(word: str) -> bool:
    """Whether ``word`` may be analysed as a noun without asking HanTa for its part of speech first.

    Why: HanTa spends about two thirds of an analysis choosing the part of speech (a pass over every tag), and
    the index and the term counts hand every long word to the splitter capitalised, as the nouns they mostly
    are. A capitalised word without an adjective or participle ending is analysed as a noun straight away,
    which makes the analysis about 2.5 times faster; on 4,000 word types of a council archive 1.3 % split
    differently, mostly for the better ("Städtebauförderungsprogramms" now splits, before it stayed whole).
    """
    low = word.lower()
    name = low.endswith(NAME_ENDINGS) or (low.endswith("s") and low[:-1].endswith(NAME_ENDINGS))  # "Palmbachs"
    return word[:1].isupper() and not name and not ADJECTIVE_ENDING.search(low)


def analyse(word: str, *, noun: bool = False) -> tuple[str, list[tuple[str, str]], str]:
    """HanTa's analysis at taglevel 3: (lemma, [(morpheme, tag), ...], part of speech); ``noun=True`` skips
    HanTa's choice of the part of speech and analyses the word as a common noun (see ``noun_hint``)."""
    model = tagger()
    with _hanta_lock:  # HanTa is plain Python: the lock costs nothing under the GIL and keeps it safe
        if noun:
            return model.analyze(word, pos="NN", taglevel=3)
        return model.analyze(word, taglevel=3)


def lemma_of(word: str) -> str:
    """HanTa's lemma at taglevel 1 (with the infinitive ending of verbs: "gefördert" → "fördern")."""
    model = tagger()
    with _hanta_lock:
        return model.analyze(word, taglevel=1)[0]


@dataclass
class Piece:
    """One part of a word as HanTa cut it: where it starts and ends in the word, its tag, the Fuge after it."""

    start: int
    end: int
    tag: str
    link: str = ""


def group(word: str, morphemes: list[tuple[str, str]]) -> list[Piece] | None:
    """Turn HanTa's morphemes into parts: prefixes and particles join the next stem, suffixes the previous one.

    Offsets refer to ``word`` (lower case); None if HanTa's morphemes do not spell the word.
    """
    pieces: list[Piece] = []
    position = 0
    prefix_start: int | None = None
    for morpheme, tag in morphemes:
        if word[position : position + len(morpheme)] != morpheme:
            return None
        end = position + len(morpheme)
        if pieces and (tag == "FUGE" or tag.startswith(_INFLECTION_TAGS)):
            pieces[-1].link += morpheme
        elif tag.startswith(_PREFIX_TAGS):
            prefix_start = position if prefix_start is None else prefix_start
        elif pieces and tag.startswith(_DERIVATION_TAGS):
            if pieces[-1].link:  # "beschäftig|t|en|statistik": a derivation after an ending stays an ending
                pieces[-1].link += morpheme
            else:
                pieces[-1].end = end
        elif tag != "HYPHEN":
            pieces.append(Piece(position if prefix_start is None else prefix_start, end, tag))
            prefix_start = None
        position = end
    if position != len(word) or not pieces:
        return None
    if prefix_start is not None:  # a trailing particle: keep it with the last part
        pieces[-1].end = len(word)
    return pieces


def fix_sz(lemma: str, surface: str) -> str:
    """HanTa lemmatises to the old spelling ("prozeß"); keep the text's ss where the text has no ß."""
    return lemma.replace("ß", "ss") if "ß" in lemma and "ß" not in surface else lemma


def plausible_stem(stem: str, low: str) -> bool:
    """Whether HanTa's lemma of an unknown word only drops an inflection ("Insolvenzen" → "insolvenz").

    For words it does not know HanTa often cuts off a letter that belongs to the stem ("Anschluss" → "anschlus",
    "Montan" → "monta"); such lemmas are not used.
    """
    if stem == low:
        return True
    if len(stem) < 4:
        return False
    if not low.startswith(stem):
        umlauts = str.maketrans("äöü", "aou")  # "Engpässe" → "engpass"
        return low.translate(umlauts).startswith(stem) and low[len(stem) :] in ("e", "en", "er", "ern")
    ending = low[len(stem) :]
    if ending not in NOUN_ENDINGS or (stem.endswith("s") and ending.startswith("s")):
        return False
    return not (ending in ("n", "en") and stem.endswith(("i", "a", "o", "u")) and not stem.endswith("ei"))


def word_case(low: str, capitalised: bool) -> str:
    """``low`` with its first letter upper case again if it was: HanTa's tags depend on it."""
    return low[:1].upper() + low[1:] if capitalised else low


def head_from_lemma(stem: str, low: str, start: int) -> str:
    """The head's base form from HanTa's lemma of the whole word, or "" if the lemma does not line up."""
    prefix = low[:start]
    return stem[start:] if stem.startswith(prefix) and len(stem) > start else ""


# ---------------------------------------------------------------------- HanTa alone (baseline)


def hanta_split(word: str) -> tuple[str, ...]:
    """HanTa's own split in the same format, without any checking: the baseline the benchmark compares with."""
    parts: list[str] = []
    for segment in (s for s in HYPHENS.split(unicodedata.normalize("NFC", word.strip())) if s):
        low = segment.lower()
        if not low.isalpha():
            parts.append(low)
            continue
        stem, morphemes, _ = analyse(segment)
        stem = fix_sz(stem.lower(), low)
        pieces = group(low, morphemes)
        if not pieces:
            parts.append(stem)
            continue
        parts.extend(low[piece.start : piece.end] for piece in pieces[:-1])
        parts.append(head_from_lemma(stem, low, pieces[-1].start) or low[pieces[-1].start :])
    return tuple(parts)


def _reset_lock_after_fork() -> None:
    """A lock held by another thread at fork time would never be released in the child."""
    global _hanta_lock
    _hanta_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_lock_after_fork)
