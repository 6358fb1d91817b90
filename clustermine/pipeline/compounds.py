"""German compound splitting, shared by entity extraction, the search index and vocabulary trends.

``split_compound("Wirtschaftsförderungsgesellschaft")`` → ``("wirtschaft", "förderung", "gesellschaft")``: lower-case
parts (NFC, umlauts kept: folding is the index's job), linking elements (Fugen) dropped, the head (last part) in
its base form, a word that is no compound as its lemma (``"Kreises"`` → ``("kreis",)``).

Why this design: HanTa's morphology model splits most policy compounds right, but it over-splits lexicalised
words ("Standort" → "stand" + "ort"), leaves some compounds whole ("Regionalentwicklung") and sometimes cuts off
junk ("Apotheken" → "apo" + "theke"). So every HanTa analysis is checked against known words (the domain list,
spaCy's German lemma table), pieces that spell a domain word are joined again, and when HanTa's pieces fail the
check a small dynamic-programming splitter over known words and Fugen takes over. If nothing convincing is
found the word stays whole: a missing split costs a little recall, a wrong one pollutes index, entities and
trends. Results are cached per word type (texts repeat their vocabulary), and the cache can be saved in the
corpus home so that a second run costs nothing.

The pieces: ``compound_hanta`` (HanTa, loaded once per process, and its morphemes as parts),
``compound_lexicon`` (domain lists, place names, the lemma table), ``compound_cover`` (the fallback splitter),
this module (the checks, the cache, the public API) and ``compound_component`` (the spaCy component).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ClustermineError
from .compound_cover import BOUND, Vocabulary, best_cover
from .compound_hanta import (
    CONTENT_TAGS,
    Piece,
    fix_sz,
    group,
    hanta_split,
    head_from_lemma,
    noun_hint,
    plausible_stem,
    word_case,
)
from .compound_hanta import analyse as analyse_hanta
from .compound_hanta import lemma_of as hanta_lemma
from .compound_lexicon import (
    DOMAIN_SPLITS,
    DOMAIN_WORDS,
    LemmaTable,
    data_file,
    lemma_table,
    place_names_file,
    read_domain_splits,
    read_domain_words,
    read_place_names,
)

__all__ = [
    "CacheInfo",
    "CompoundSplitter",
    "default_splitter",
    "hanta_split",
    "head",
    "is_compound",
    "modifiers",
    "split_compound",
]

#: Bump when the splitting rules change, so that caches saved by an older version are not reused.
RULES_VERSION = 2  # 2: capitalised words without an adjective ending are analysed as nouns
CACHE_FORMAT = "clustermine-compound-cache"

#: Hyphen-like characters a compound may be joined with ("EU-Strukturfonds").
_SEGMENT = re.compile(r"[^-\u2010\u2011\u2012\u2013]+")
_FUGE_S = ("es", "s")
#: Longer runs of letters are left whole: HanTa's analysis grows with the square of the length (a 4,000-letter
#: run in a damaged file took minutes), and the longest German compounds in use have about 60 letters.
MAX_SPLIT_LETTERS = 64
#: Endings of German place names ("Neunkirchen", "Ludwigsburg", "Ratingen"): a word HanTa leaves whole with one
#: of these is not guessed apart, since it is far more often a name than a compound of known words.
_PLACE_ENDINGS = ("kirchen", "hausen", "ingen", "burg", "dorf", "heim", "stedt", "leben", "rode", "born", "werth")

# ---------------------------------------------------------------------- the splitter


@dataclass(frozen=True)
class CacheInfo:
    """Cache statistics, as ``functools.lru_cache`` reports them."""

    hits: int
    misses: int
    size: int
    maxsize: int


class CompoundSplitter:
    """Split German compounds into lower-case parts; see the module docstring for the strategy.

    Parameters are stored, not used, until the first call (scikit-learn style):

    - ``cache_size``: how many word types to remember (least recently used ones are dropped); 0 disables it.
    - ``domain_words`` / ``domain_splits``: paths of the domain list and the override list; None for the ones
      shipped in ``clustermine/data/compounds``.
    - ``use_lemma_table``: use spaCy's German lemma table as known words (off only for tests and benchmarks).
    - ``use_place_names``: keep one-word place names of the region gazetteer whole ("Warendorf").
    - ``min_unknown_length``: HanTa parts of at least this length are accepted although no list knows them
      ("modul", "emscher"); shorter parts must be known words.

    Learned state ends in ``_``: ``cache_``, ``hits_``, ``misses_``, ``vocabulary_``, ``splits_``.
    Thread safe; each process has its own state (HanTa and the lemma table are loaded once per process and
    shared by all splitters in it).
    """

    def __init__(
        self,
        *,
        cache_size: int = 200_000,
        domain_words: str | Path | None = None,
        domain_splits: str | Path | None = None,
        use_lemma_table: bool = True,
        use_place_names: bool = True,
        min_unknown_length: int = 5,
    ) -> None:
        if not isinstance(cache_size, int) or isinstance(cache_size, bool) or cache_size < 0:
            raise ClustermineError(f"cache_size must be an integer >= 0. Got {cache_size!r} instead.")
        if not isinstance(min_unknown_length, int) or min_unknown_length < 4:
            raise ClustermineError(f"min_unknown_length must be an integer >= 4. Got {min_unknown_length!r} instead.")
        self.cache_size = cache_size
        self.domain_words = domain_words
        self.domain_splits = domain_splits
        self.use_lemma_table = use_lemma_table
        self.use_place_names = use_place_names
        self.min_unknown_length = min_unknown_length
        self._lock = threading.RLock()
        self._ready = False
        self._journal: list[str] | None = None
        #: Consulted on a cache miss before splitting (a saved cache on disk, see ``compound_store``); not
        #: pickled, a worker process gets it by forking.
        self.backing: Callable[[str], tuple[str, ...] | None] | None = None

    def _settings(self) -> dict[str, Any]:
        return {
            "cache_size": self.cache_size,
            "domain_words": self.domain_words,
            "domain_splits": self.domain_splits,
            "use_lemma_table": self.use_lemma_table,
            "use_place_names": self.use_place_names,
            "min_unknown_length": self.min_unknown_length,
        }

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the settings only (for worker processes): each process builds its own state and cache."""
        return self._settings()

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"CompoundSplitter(cache_size={self.cache_size}, use_lemma_table={self.use_lemma_table})"

    def _setup(self) -> None:
        """The cache and its counters. The word lists are loaded only when a word must really be split (see
        ``_lexicon``): a process whose words are all in a saved cache (a search) never pays the ~0.6 s."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            self._vocabulary: Vocabulary | None = None
            self._splits: dict[str, tuple[str, ...]] = {}
            self.cache_: OrderedDict[str, tuple[str, ...]] = OrderedDict()
            self.hits_ = 0
            self.misses_ = 0
            self._ready = True

    def _lexicon(self) -> Vocabulary:
        """The known words (domain list, lemma table, place names) and the override splits, loaded on first use."""
        self._setup()
        vocabulary = self._vocabulary
        if vocabulary is not None:
            return vocabulary
        with self._lock:
            if self._vocabulary is None:
                domain = read_domain_words(Path(self.domain_words) if self.domain_words else None)
                lemmas = lemma_table() if self.use_lemma_table else LemmaTable()
                places = read_place_names(is_common=lemmas.is_common) if self.use_place_names else frozenset()
                self._splits = read_domain_splits(Path(self.domain_splits) if self.domain_splits else None)
                self._vocabulary = Vocabulary(domain=domain, lemmas=lemmas, places=places - domain)
            return self._vocabulary

    @property
    def vocabulary_(self) -> Vocabulary:
        return self._lexicon()

    @property
    def splits_(self) -> dict[str, tuple[str, ...]]:
        self._lexicon()
        return self._splits

    # ------------------------------------------------------------------ public API

    def __call__(self, word: str) -> tuple[str, ...]:
        """The parts of ``word`` (see ``split_compound``), from the cache when the word type was seen before."""
        if not isinstance(word, str):
            raise ClustermineError(f"word must be a str. Got {type(word).__name__} instead.")
        self._setup()
        key = unicodedata.normalize("NFC", word.strip())
        with self._lock:
            parts = self.cache_.get(key)
            if parts is not None:
                self.hits_ += 1
                self.cache_.move_to_end(key)
                return parts
            self.misses_ += 1
        saved = self.backing(key) if self.backing is not None else None
        parts = self._split_word(key) if saved is None else saved
        if self.cache_size:
            with self._lock:
                self.cache_[key] = parts
                if len(self.cache_) > self.cache_size:
                    self.cache_.popitem(last=False)
                if self._journal is not None and saved is None:
                    self._journal.append(key)
        return parts

    def is_compound(self, word: str) -> bool:
        """True if ``word`` splits into more than one part."""
        return len(self(word)) > 1

    def head(self, word: str) -> str:
        """The head (last part, base form) of ``word``; its lemma for a word that is no compound."""
        parts = self(word)
        return parts[-1] if parts else ""

    def modifiers(self, word: str) -> tuple[str, ...]:
        """All parts but the head ("Logistikbranche" → ``("logistik",)``); empty for a word that is no compound."""
        return self(word)[:-1]

    def cache_info(self) -> CacheInfo:
        """Hits, misses and size of the per-word-type cache."""
        self._setup()
        with self._lock:
            return CacheInfo(self.hits_, self.misses_, len(self.cache_), self.cache_size)

    def record_new(self) -> None:
        """Start noting the word types split from now on (for :meth:`take_new`); calling it again changes nothing.

        Why: splitting a new word type costs about a millisecond (HanTa), and ``add`` meets each type in several
        processes (entity and term workers, the index writer). A worker hands what it split to the writer
        process with its result, so the writer never splits the same word again.
        """
        with self._lock:
            if self._journal is None:
                self._journal = []

    def take_new(self) -> dict[str, tuple[str, ...]]:
        """The word types split since the last call (or since :meth:`record_new`) with their parts."""
        self._setup()
        with self._lock:
            keys, self._journal = self._journal or [], [] if self._journal is not None else None
            return {key: self.cache_[key] for key in keys if key in self.cache_}

    def add_entries(self, entries: dict[str, tuple[str, ...]]) -> int:
        """Put splits made by another process with the same rules into the cache; returns how many were new."""
        self._setup()
        if not self.cache_size:
            return 0
        added = 0
        with self._lock:
            for word, parts in entries.items():
                if word not in self.cache_:
                    added += 1
                self.cache_[word] = tuple(parts)
            while len(self.cache_) > self.cache_size:
                self.cache_.popitem(last=False)
        return added

    def clear_cache(self) -> None:
        """Forget all cached word types and reset the statistics."""
        self._setup()
        with self._lock:
            self.cache_.clear()
            self.hits_ = self.misses_ = 0

    def fingerprint(self) -> str:
        """What cached results depend on: rules version, settings, HanTa and lemma-table versions, and the content
        of the domain lists and the place names."""
        from importlib import metadata

        settings = {key: value for key, value in self._settings().items() if key != "cache_size"}
        digest = hashlib.sha256(f"rules={RULES_VERSION};{sorted(settings.items(), key=str)}".encode())
        for package in ("HanTa", "spacy-lookups-data"):
            try:
                digest.update(f"{package}={metadata.version(package)}".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"{package}=?".encode())
        files = [
            Path(self.domain_words or data_file(DOMAIN_WORDS)),
            Path(self.domain_splits or data_file(DOMAIN_SPLITS)),
        ]
        if self.use_place_names:
            files.append(place_names_file())
        for path in files:
            digest.update(path.read_bytes() if path.exists() else b"-")
        return digest.hexdigest()[:16]

    def save_cache(self, path: str | Path) -> int:
        """Write the cache as JSON to ``path`` atomically (temp file + ``os.replace``); returns the entry count.

        A reader never sees a half-written file, and a crash while saving leaves the previous file intact.
        """
        self._setup()
        path = Path(path)
        with self._lock:
            entries = {word: list(parts) for word, parts in self.cache_.items()}
        payload = {"format": CACHE_FORMAT, "fingerprint": self.fingerprint(), "entries": entries}
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return len(entries)

    def load_cache(self, path: str | Path) -> int:
        """Add the entries saved in ``path`` to the cache; returns how many were loaded.

        A missing file loads nothing. A file written under other rules, settings or domain lists is ignored (its
        splits may be stale); a file that is not a compound cache raises ``ClustermineError``.
        """
        self._setup()
        path = Path(path)
        if not path.exists():
            return 0
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(payload, dict) or payload.get("format") != CACHE_FORMAT:
                raise ValueError("no compound-cache header")
            entries = payload["entries"]
            if not isinstance(entries, dict):
                raise ValueError("entries must be an object")
        except (ValueError, KeyError, UnicodeDecodeError) as error:
            raise ClustermineError(
                f"{path} is not a compound cache written by clustermine ({error}).",
                "delete the file; it is rebuilt on the next run",
            ) from error
        if payload.get("fingerprint") != self.fingerprint():
            return 0
        with self._lock:
            for word, parts in entries.items():
                self.cache_[word] = tuple(parts)
            while len(self.cache_) > self.cache_size:
                self.cache_.popitem(last=False)
        return len(entries)

    # ------------------------------------------------------------------ splitting

    def _split_word(self, word: str) -> tuple[str, ...]:
        """Hyphenated words split at hyphens first; each segment is then split on its own."""
        low = word.lower()
        if not any(ch.isalpha() for ch in low):
            return (low,) if low else ()
        spans: list[list[int]] = []
        for match in _SEGMENT.finditer(word):
            if spans and spans[-1][1] - spans[-1][0] == 1:  # "E-Mobilität": one letter is no part of its own
                spans[-1][1] = match.end()
            else:
                spans.append([match.start(), match.end()])
        if len(spans) > 1 and spans[-1][1] - spans[-1][0] == 1:
            spans[-2:] = [[spans[-2][0], spans[-1][1]]]
        if not spans:
            return (low,)
        segments = [word[start:end] for start, end in spans]
        parts: list[str] = []
        for index, segment in enumerate(segments):
            split = self._split_segment(segment)
            if index < len(segments) - 1 and split:  # "Innovations-Netzwerk": the Fuge before a hyphen goes too
                last = segment.lower() if len(split) == 1 else split[-1]  # a modifier is not lemmatised
                split = (*split[:-1], self._strip_fuge(segment.lower(), last))
            parts.extend(split)
        return tuple(parts)

    def _strip_fuge(self, segment: str, part: str) -> str:
        if not segment.endswith(part):
            return part  # already lemmatised
        vocabulary = self.vocabulary_
        for fuge in _FUGE_S:
            if part.endswith(fuge) and vocabulary.is_word(part[: -len(fuge)]):
                return part[: -len(fuge)]
        return part

    def _split_segment(self, word: str) -> tuple[str, ...]:
        low = word.lower()
        if low in self.splits_:
            return self.splits_[low]
        if not low.isalpha() or (word.isupper() and len(word) <= 5) or not 3 < len(low) <= MAX_SPLIT_LETTERS:
            return (low,)  # numbers, abbreviations ("NRW", "EFRE"), short words, junk runs: nothing to split
        unit = self._unit(low)
        if unit:
            return (unit,)  # "Standorte", "Saarlandes": domain words and place names stay whole
        stem, morphemes, pos = analyse_hanta(word, noun=noun_hint(word))
        stem = fix_sz(stem.lower(), low)
        if stem in self.splits_:
            return self.splits_[stem]
        noun = word[:1].isupper()
        pieces = group(low, morphemes)
        parts = self._from_hanta(low, pieces, stem, pos, noun) if pieces else None
        if parts is None:  # HanTa cut off junk: cover the word with known words instead, or keep it whole
            parts = self._cover(low, noun=noun, strict=False) or (self._lemma(low, stem, pos, noun),)
        elif len(parts) > 2 and any(self._weak(part) for part in parts):
            cover = self._cover(low, noun=noun, strict=False)  # "Namensaufruf": not "name" + "sauf" + "ruf"
            parts = cover if cover and len(cover) < len(parts) else parts
        elif len(parts) == 1 and parts[0] not in self.vocabulary_.units and self._worth_guessing(low, stem, pos, noun):
            # A word the lemma table lists may be a lexicalised compound ("Wissenschaft" is no "wissen" + "schaft"):
            # guess it apart only where the head is a domain word of five letters or more ("Kommunalpolitik", but
            # not "Deutsch|land", "Donners|tag").
            known = self.vocabulary_.is_word(low) or self.vocabulary_.is_word(stem)
            guess = self._cover(stem, strict=True, unit_head=known) or self._cover(low, strict=True, unit_head=known)
            parts = guess or parts
        return self._resplit_long(parts)

    def _unit(self, low: str) -> str:
        """``low`` if it is a domain word or place name, the place name of a genitive ("Saarlandes"), or ""."""
        vocabulary = self.vocabulary_
        if low in vocabulary.units:
            return low
        for ending in _FUGE_S:
            if low.endswith(ending) and low[: -len(ending)] in vocabulary.places:
                return low[: -len(ending)]
        return ""

    def _worth_guessing(self, low: str, stem: str, pos: str, noun: bool) -> bool:
        """Whether a noun HanTa left whole may be a compound it does not know ("Regionalentwicklung")."""
        return (
            noun
            and pos.startswith(("NN", "NE"))  # HanTa calls many an unknown noun a name
            and len(low) >= 8
            and not low.endswith(_PLACE_ENDINGS)
            and low not in self.vocabulary_.lemmas.noun_lemmas  # an inflected form the table knows is no new one
        )

    def _lemma(self, low: str, stem: str, pos: str, noun: bool) -> str:
        """The base form of a word that is no compound ("Kreises" → "kreis", "Zentren" → "zentrum")."""
        vocabulary = self.vocabulary_
        table = vocabulary.lemmas.noun_lemmas.get(low)
        if noun and table and not vocabulary.is_word(stem):
            return table  # HanTa guesses "gremi" for "Gremien"; the table knows "gremium"
        if pos.startswith("V") and not table:
            stem = fix_sz(hanta_lemma(word_case(low, noun)).lower(), low)  # "Gefördert" → "fördern"
        if vocabulary.is_word(stem):
            return stem
        if table:
            return table
        if low.endswith("innen"):
            return low[:-3]  # "Beraterinnen" → "beraterin"
        return stem if plausible_stem(stem, low) else low

    def _weak(self, part: str) -> bool:
        """A short part that is neither a domain word nor a noun ("sauf", "heiz"): a reason to look again."""
        vocabulary = self.vocabulary_
        return len(part) <= 4 and part not in vocabulary.units and part not in vocabulary.lemmas.nouns

    def _acceptable(self, part: str, tag: str) -> bool:
        """A part HanTa proposed is fine if it is a known word, or long and tagged as a noun, name or adjective."""
        vocabulary = self.vocabulary_
        if len(part) <= 3:
            return part in vocabulary.domain or part in vocabulary.lemmas.nouns
        if vocabulary.is_word(part) or part in vocabulary.lemmas.verb_stems:
            return True
        return len(part) >= self.min_unknown_length and tag.startswith(CONTENT_TAGS)

    def _from_hanta(self, low: str, pieces: list[Piece], stem: str, pos: str, noun: bool) -> tuple[str, ...] | None:
        """HanTa's parts after joining domain words and checking every part; None if a part is junk."""
        pieces = self._join_units(low, pieces, stem)
        if len(pieces) == 1:
            return (self._lemma(low, stem, pos, noun),)
        parts: list[str] = []
        for piece in pieces[:-1]:
            part = self._modifier(low, piece)
            if not self._acceptable(part, piece.tag):
                return None
            parts.append(part)
        last = pieces[-1]
        head = self._head(low[last.start :], head_from_lemma(stem, low, last.start))
        if not self._acceptable(head, last.tag):
            return None
        parts.append(head)
        return tuple(parts)

    def _join_units(self, low: str, pieces: list[Piece], stem: str) -> list[Piece]:
        """Join neighbouring pieces that spell a domain word or place name ("stand" + "ort" → "standort")."""
        units = self.vocabulary_.units
        joined: list[Piece] = []
        i = 0
        while i < len(pieces):
            best = i
            for j in range(len(pieces) - 1, i, -1):
                span = low[pieces[i].start : pieces[j].end]
                with_link = low[pieces[i].start : pieces[j].end + len(pieces[j].link)]
                lemma = head_from_lemma(stem, low, pieces[i].start) if j == len(pieces) - 1 else ""
                feminine = span.endswith("in") and span[:-2] in units  # "bürgermeister|in"
                if span in units or with_link in units or lemma in units or feminine:
                    best = j
                    break
            last = pieces[best]
            joined.append(pieces[i] if best == i else Piece(pieces[i].start, last.end, last.tag, last.link))
            i = best + 1
        return joined

    def _modifier(self, low: str, piece: Piece) -> str:
        """A non-head part as a word, without its Fuge: "flächen" → "fläche", "hochschul" → "hochschule"."""
        vocabulary = self.vocabulary_
        bare = low[piece.start : piece.end]
        with_link = bare + piece.link
        if with_link in vocabulary.domain and piece.link not in _FUGE_S:
            return with_link  # "fachkräfte": the plural is the unit
        if bare in vocabulary.units or vocabulary.is_word(bare) or bare in vocabulary.lemmas.nouns:
            return bare
        restored = bare + "e"  # elided e: "Hochschul-", "Metropol-", but not verb stems ("Mess-", "Back-")
        elided = piece.tag.endswith("_EL") or (
            bare not in vocabulary.lemmas.verb_stems and bare not in BOUND and len(bare) > 3
        )
        if elided and (restored in vocabulary.lemmas.nouns or restored in vocabulary.domain):
            return restored
        if piece.link and with_link in vocabulary.lemmas.noun_lemmas:
            return with_link  # "güter", "städte", "medien": the stem alone is no word, the plural is
        for fuge in _FUGE_S:  # "aufsichtsrats" as one piece: the Fuge is still no part of the word
            if bare.endswith(fuge) and vocabulary.is_word(bare[: -len(fuge)]):
                return bare[: -len(fuge)]
        return bare

    def _head(self, surface: str, hanta_head: str) -> str:
        """The head's base form: HanTa's if it is a known word, else the lemma table's, else the surface."""
        vocabulary = self.vocabulary_
        if hanta_head in vocabulary.domain:
            return hanta_head
        if surface in vocabulary.domain:
            return surface  # "fonds", "daten": the lemma table would say "fond", "datum"
        if hanta_head and vocabulary.is_word(hanta_head):
            return hanta_head
        if surface in vocabulary.places:
            return surface
        table = vocabulary.lemmas.noun_lemmas.get(surface)
        if table:
            return table
        return hanta_head or surface

    # ------------------------------------------------------------------ fallback: cover by known words

    def _cover(self, low: str, *, noun: bool = True, strict: bool, unit_head: bool = False) -> tuple[str, ...] | None:
        """The cheapest cover of ``low`` by known words with Fugen (see ``compound_cover``); None if none."""
        if len(low) < 7 or not low.isalpha():
            return None
        parts = best_cover(low, self.vocabulary_, noun_head=noun, strict=strict, unit_head=unit_head)
        return parts if parts and len(parts) > 1 else None

    def _resplit_long(self, parts: tuple[str, ...]) -> tuple[str, ...]:
        """Split parts HanTa left whole although they are compounds of known words ("kreativwirtschaft")."""
        if len(parts) < 2:
            return parts  # a word HanTa left whole was already considered by ``_worth_guessing``
        vocabulary = self.vocabulary_
        result: list[str] = []
        for part in parts:
            if len(part) >= 10 and part.isalpha() and not vocabulary.is_word(part) and part not in self.splits_:
                sub = self._cover(part, strict=True)
                if sub:
                    result.extend(sub)
                    continue
            result.append(part)
        return tuple(result)


# ---------------------------------------------------------------------- module-level default


@functools.cache
def default_splitter() -> CompoundSplitter:
    """The process-wide splitter every caller shares (and so its cache); created on first use."""
    return CompoundSplitter()


def _reset_locks_after_fork() -> None:
    """A lock held by another thread at fork time would never be released in the child."""
    if default_splitter.cache_info().currsize:  # the splitter exists in this process
        default_splitter()._lock = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_locks_after_fork)


def split_compound(word: str) -> tuple[str, ...]:
    """Lower-case parts of a German word, Fugen dropped, head in base form; ``(lemma,)`` for a non-compound.

    >>> split_compound("Clusterförderung")
    ('cluster', 'förderung')
    """
    return default_splitter()(word)


def is_compound(word: str) -> bool:
    """True if ``word`` is a compound ("Clusterpolitik"), False for a simple word ("Cluster")."""
    return default_splitter().is_compound(word)


def head(word: str) -> str:
    """The head of ``word`` in base form ("Logistikbranchen" → "branche")."""
    return default_splitter().head(word)


def modifiers(word: str) -> tuple[str, ...]:
    """The parts before the head ("Logistikbranche" → ``("logistik",)``)."""
    return default_splitter().modifiers(word)
