"""The word knowledge behind compound splitting: the domain lists shipped with clustermine and spaCy's German
lemma table.

The splitter needs three kinds of knowledge that HanTa's morphology model lacks: which strings are real German
words (so that a piece like "apo" or "dat" can be recognised as junk), which words of *this* domain must stay
whole ("Standort" is not "Stand" + "Ort"), and the few compounds HanTa gets wrong. The lemma table of
spacy-lookups-data (``de_lemma_lookup``, 355,000 forms) answers the first; it is large, so it is read once per
process, on first use, and boiled down to the sets the splitter looks at (``Lexicon.known``, ``noun_lemmas``,
``verb_stems``), dropping the raw table.
"""

from __future__ import annotations

import csv
import functools
import gzip
import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import ClustermineError

DATA_PACKAGE = "clustermine"
DATA_DIR = ("data", "compounds")
DOMAIN_WORDS = "domain_words.txt"
DOMAIN_SPLITS = "domain_splits.tsv"
LEMMA_TABLE = "de_lemma_lookup.json.gz"

#: Longest and shortest word the lemma table contributes; longer entries are compounds the splitter should
#: analyse itself, shorter ones are mostly abbreviations that would license junk parts.
MIN_KNOWN_LENGTH = 4
MAX_KNOWN_LENGTH = 30


def normalise(word: str) -> str:
    """NFC and lower case: the one spelling every list and cache key uses (umlauts and ß are kept)."""
    return unicodedata.normalize("NFC", word).lower()


def data_file(name: str) -> Path:
    """The path of a file shipped in ``clustermine/data/compounds``."""
    return Path(str(resources.files(DATA_PACKAGE).joinpath(*DATA_DIR, name)))


def _content_lines(path: Path) -> Iterable[tuple[int, str]]:
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.strip()
            if line and not line.startswith("#"):
                yield number, line


def read_domain_words(path: Path | None = None) -> frozenset[str]:
    """The domain word list: one lower-case word per line, ``#`` comments."""
    path = path or data_file(DOMAIN_WORDS)
    words = set()
    for number, line in _content_lines(path):
        word = normalise(line)
        if not word.isalpha():
            raise ClustermineError(
                f"{path}:{number}: a domain word must be one word of letters. Got {line!r} instead.",
                "remove the line or write the word without spaces, digits or hyphens",
            )
        words.add(word)
    return frozenset(words)


def read_domain_splits(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """The override list: ``word<TAB>part part ...`` per line; a single part means "never split this word"."""
    path = path or data_file(DOMAIN_SPLITS)
    splits: dict[str, tuple[str, ...]] = {}
    for number, line in _content_lines(path):
        word, _, parts = line.partition("\t")
        words = tuple(normalise(part) for part in parts.split())
        if not words or not word.strip():
            raise ClustermineError(
                f"{path}:{number}: a split line must be 'word<TAB>part part ...'. Got {line!r} instead.",
                "separate the word from its parts with one tab and the parts with spaces",
            )
        splits[normalise(word.strip())] = words
    return splits


def place_names_file() -> Path:
    """The region gazetteer of entity extraction, where the place names come from."""
    return Path(str(resources.files(DATA_PACKAGE).joinpath("data", "gazetteers", "regions.tsv")))


def _never(word: str) -> bool:
    return False


def read_place_names(path: Path | None = None, *, is_common: Callable[[str], bool] = _never) -> frozenset[str]:
    """One-word place names from the region gazetteer ("Mettmann", "Warendorf", "Münsterland"), lower case.

    Place names are often compounds on the surface (HanTa reads "Warendorf" as "Ware" + "Dorf"), so the splitter
    keeps them whole. Names that are also short common words ("Lage", "Waren", "Essen" are towns) are left
    out, so that the common word keeps its analysis. The gazetteer belongs to entity extraction; this reads only
    its ``canonical`` and ``aliases`` columns and treats a missing or changed file as "no place names".
    """
    path = path or place_names_file()
    names: set[str] = set()
    try:
        with path.open(encoding="utf-8") as handle:
            rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
            for row in rows:
                for name in [row.get("canonical") or "", *(row.get("aliases") or "").split("|")]:
                    name = normalise(name.strip())
                    if name.isalpha() and len(name) >= 4 and (len(name) > 7 or not is_common(name)):
                        names.add(name)
    except (OSError, csv.Error):
        return frozenset()
    return frozenset(names)


@dataclass(frozen=True)
class LemmaTable:
    """What the splitter keeps of spaCy's German lemma table (all lower case, NFC).

    ``known`` are lemmas of 4 to 30 letters that are not acronyms (both old and new ß/ss spelling, since the table
    is written in the old one: "Prozeß"); ``nouns`` are the noun lemmas among them, plus three-letter nouns ("Fuß",
    "Amt"); ``noun_lemmas`` maps inflected noun forms to their lemma ("zentren" → "zentrum"), used for the head
    of a compound; ``verb_stems`` are infinitives without "-en"/"-n" ("förder", "zuliefer"), which occur as
    modifiers ("Förderprogramm").
    """

    known: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    noun_lemmas: dict[str, str] = field(default_factory=dict)
    verb_stems: frozenset[str] = frozenset()

    def is_common(self, word: str) -> bool:
        """Whether ``word`` is a lemma or noun form: a place name that is one is not treated as a name only."""
        return word in self.known or word in self.nouns or word in self.noun_lemmas


def _spellings(word: str) -> tuple[str, ...]:
    return (word, word.replace("ß", "ss")) if "ß" in word else (word,)


def _is_acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) > 1


def read_lemma_table(path: Path | None = None) -> LemmaTable:
    """Read ``de_lemma_lookup`` from spacy-lookups-data and keep only what the splitter needs."""
    if path is None:
        try:
            import spacy_lookups_data
        except ImportError as error:  # a declared dependency, but say what to do if it is missing
            raise ClustermineError(
                "spacy-lookups-data is not installed, so compound splitting has no German lemma list.",
                "pip install spacy-lookups-data",
            ) from error
        path = Path(spacy_lookups_data.__file__).parent / "data" / LEMMA_TABLE
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table: dict[str, str] = json.load(handle)
    known: set[str] = set()
    nouns: set[str] = set()
    noun_lemmas: dict[str, str] = {}
    verb_stems: set[str] = set()
    for lemma in set(table.values()):
        if _is_acronym(lemma) or not lemma.isalpha():
            continue
        low = normalise(lemma)
        if MIN_KNOWN_LENGTH <= len(low) <= MAX_KNOWN_LENGTH:
            known.update(_spellings(low))
        if lemma[0].isupper() and 3 <= len(low) <= MAX_KNOWN_LENGTH:
            nouns.update(_spellings(low))
        if lemma[0].islower() and len(low) >= 6 and low.endswith(("en", "ern", "eln")):
            stem = low[:-2] if low.endswith("en") else low[:-1]
            verb_stems.update(_spellings(stem))
    for form, lemma in table.items():
        if form[0].isupper() and form != lemma and not _is_acronym(form) and form.isalpha():
            low_lemma = normalise(lemma)
            for spelling in _spellings(normalise(form)):
                noun_lemmas[spelling] = low_lemma.replace("ß", "ss") if "ß" not in spelling else low_lemma
    del table
    return LemmaTable(frozenset(known), frozenset(nouns), noun_lemmas, frozenset(verb_stems))


@functools.cache
def lemma_table() -> LemmaTable:
    """The process-wide lemma table, read on first use (about 0.6 s) and shared by every splitter."""
    return read_lemma_table()
