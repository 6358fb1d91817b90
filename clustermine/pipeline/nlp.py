"""The German spaCy pipeline clustermine uses: blank ``de``, sentences, lookup lemmas, entities.

Why a blank pipeline: clustermine must work offline and must never download a model, so everything here comes
with spaCy itself or with packages that are installed with clustermine (spacy-lookups-data for the lemma table).
The rule-based sentencizer splits at every full stop that stands alone; a small component after it repairs the
cases German administrative text is full of: names with inner dots ("Logistik.NRW", "Reg.-Bez. Düsseldorf"),
abbreviations the tokenizer split off ("z. B.", "u. a."), a lower-case word after a full stop, a year ending a
sentence ("im Jahr 2020. Danach"), and blank lines between headings, which end a sentence unless a list
continues after a colon or comma.

Pipelines are cached per process and settings, because loading the lemma table takes about a second.
:func:`make_doc` is how clustermine tokenizes a text for them: it keeps spaCy's tokenizer cache useful (see
:class:`TokenizerWarmer`) and keeps the text on the doc (``doc._.cm_text``), so that the components need not
rebuild it from the tokens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy
import spacy
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from . import entities as _entities  # noqa: F401  (registers the clustermine_entities factory)

#: Longest text ``nlp(text)`` accepts; the entity facade cuts longer texts into pieces anyway.
MAX_LENGTH = 10_000_000

#: Abbreviations after which a full stop does not end a sentence (lower case, without the dot).
ABBREVIATIONS = frozenset({
    "z", "b", "d", "h", "u", "a", "o", "ä", "s", "vgl", "ca", "bzw", "ggf", "nr", "abs", "dr", "prof", "dipl", "ing",
    "str", "tel", "fax", "inkl", "zzgl", "ggü", "gem", "lt", "lfd", "sog", "usw", "etc", "evtl", "jh", "jhd", "mio",
    "mrd", "tsd", "kap", "ziff", "anl", "bzgl", "i", "v", "e", "g", "co", "reg", "bez", "st", "hr", "fr", "mwst",
    "ff", "f", "min", "max", "rd", "insb", "allg",
})
_MONTHS = frozenset({
    "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
    "dezember", "jan", "feb", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dez",
})


#: Places where a new sentence starts that the sentencizer misses: after "usw."/"etc." or a year with a full
#: stop before a capital, and after a blank line.
#: (One expression was ``(?:\b(?:usw|etc)\.|(?<![\d.])\d{4}\.)[ \t]*\n?[ \t]*(?=[A-ZÄÖÜ])|\n[ \t]*\n\s*(?=\S)``; as
#: three, each begins with a character the regex engine can look for, which makes them three times as fast.
#: Their matches never overlap, so together, in order, they are the matches of the one.)
_EXTRA_STARTS = (
    re.compile(r"(?:usw|etc)(?<!\w...)\.[ \t]*\n?[ \t]*(?=[A-ZÄÖÜ])"),  # (?<!\w...): a word starts at "usw"
    re.compile(r"\d(?<![\d.]\d)\d{3}\.[ \t]*\n?[ \t]*(?=[A-ZÄÖÜ])"),  # no digit or dot before the year
    re.compile(r"\n[ \t]*\n\s*(?=\S)"),
)


_FULL_STOP = get_string_id(".")

#: Chunks as spaCy's tokenizer cuts a text: runs of non-space characters, and runs of white space.
_CHUNKS = re.compile(r"\S+|\s+")


class TokenizerWarmer:
    """Fills spaCy's tokenizer cache with the chunks of a text before the text itself is tokenized.

    Why: spaCy's tokenizer caches the tokens of every chunk between white space, but it stops adding to its cache
    for the rest of a text once one chunk is a special case (any abbreviation, "Nr.", "bzw.", "Abs.", which a
    council paper has in its first lines), and it keeps at most 10,000 chunks. So nearly every chunk of a German
    administrative text was cut afresh with the prefix, suffix and infix expressions, and that was the larger part
    of the time spent in spaCy. Here the chunks not seen before are tokenized first on their own (those that
    cannot be or contain a special case together in one string, the others one by one), which puts them into the
    cache; the text itself then mostly reads from the cache. The tokens are exactly the same: spaCy's cache holds,
    per chunk, what tokenizing that chunk gives, and it is only a cache. At most :attr:`LIMIT` chunks are kept
    (some 40 MB; a Karlsruhe council paper brings about 80 new ones); then cache and memory start afresh.
    """

    LIMIT = 200_000
    _BATCH = 2_000

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        rules = tokenizer.rules
        self.specials = frozenset(rules)
        marks = sorted({ch for key in rules for ch in key if not ch.isalnum()})
        words = sorted(key for key in rules if key.isalnum())  # "XD": a special case without punctuation
        self.unsafe = re.compile("|".join([*map(re.escape, words), "[" + "".join(map(re.escape, marks)) + "]"]))
        self.seen: set[str] = set()
        # room for the chunks warmed here and for those that other calls of the tokenizer cache
        tokenizer.max_cache_size = max(tokenizer.max_cache_size, 2 * self.LIMIT)

    def __call__(self, text: str) -> None:
        """Tokenize the chunks of ``text`` not seen before on their own, so that they are in the cache."""
        new = set(_CHUNKS.findall(text))
        new.difference_update(self.seen)
        if not new:
            return
        if len(self.seen) + len(new) > self.LIMIT:
            self.tokenizer._flush_cache()
            self.seen.clear()
        self.seen.update(new)
        plain: list[str] = []
        alone: list[str] = []
        blanks: list[str] = []
        for chunk in new:
            if chunk[0].isspace():
                # white space after a word loses its first blank (that is the word's trailing space)
                blank = chunk[1:] if chunk[0] == " " else chunk
                if blank and blank not in self.specials:
                    blanks.append(blank)
            elif chunk not in self.specials:
                (alone if self.unsafe.search(chunk) else plain).append(chunk)
        tokenize = self.tokenizer
        for k in range(0, len(plain), self._BATCH):
            tokenize(" ".join(plain[k : k + self._BATCH]))
        for chunk in alone:
            tokenize(chunk)
        if blanks:
            tokenize("".join(("x " if blank[0] == " " else "x") + blank for blank in blanks))


@lru_cache(maxsize=8)
def _warmer(nlp: Language) -> TokenizerWarmer:
    return TokenizerWarmer(nlp.tokenizer)


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)`` with a warm tokenizer cache (:class:`TokenizerWarmer`; same tokens, less time), and
    the text kept as ``doc._.cm_text`` for the components (``doc.text`` is rebuilt from the tokens on every
    access)."""
    _warmer(nlp)(text)
    doc = nlp.make_doc(text)
    doc._.cm_text = text
    return doc


def doc_text(doc: Doc) -> str:
    """The text of ``doc``: the one :func:`make_doc` kept, else rebuilt from the tokens."""
    text = doc._.cm_text
    return doc.text if text is None else text


class Sentencizer:
    """spaCy's rule-based ``sentencizer`` (same rule, same sentence starts), read from token arrays.

    Why: spaCy's own makes a Python token object for every token; on long council papers that cost more than
    the rest of the sentence work. The rule: a sentence starts at the first token after one of ``punct_chars``
    that is neither punctuation nor one of them; the first token starts one too. Starts set before are kept.
    """

    def __init__(self, nlp: Language, punct_chars: Sequence[str] | None = None) -> None:
        from spacy.pipeline import Sentencizer as SpacySentencizer

        chars = punct_chars or SpacySentencizer.default_punct_chars
        self.punct_chars = sorted(set(chars))
        self._single = all(len(ch) == 1 for ch in self.punct_chars)  # then only one-character tokens can be one
        self._orths = numpy.array(sorted({get_string_id(ch) for ch in self.punct_chars}), dtype="uint64")

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array(["ORTH", "IS_PUNCT", "SENT_START", "LENGTH"])
        ends = numpy.zeros(n, dtype=bool)  # tokens that end a sentence: one of punct_chars
        some = numpy.nonzero(arr[:, 3] == 1)[0] if self._single else numpy.arange(n)
        ends[some] = numpy.isin(arr[some, 0], self._orths)
        plain = ~ends & (arr[:, 1] == 0)
        # a plain token starts a sentence if an end stands between it and the plain token before it
        seen = numpy.cumsum(ends)
        where = numpy.nonzero(plain)[0]
        before = numpy.concatenate(([0], seen[where[:-1]])) if len(where) else where
        guess = numpy.zeros(n, dtype=bool)
        guess[where[seen[where] > before]] = True
        guess[0] = True
        sent = arr[:, 2].view("int64")
        new = numpy.where(sent == 0, numpy.where(guess, 1, -1), sent)
        doc.from_array(["SENT_START"], new.astype("int64").view("uint64").reshape(-1, 1))
        return doc


@Language.factory("clustermine_sentencizer", default_config={"punct_chars": None})
def make_sentencizer(nlp: Language, name: str, punct_chars: list[str] | None) -> Sentencizer:
    """Factory of :class:`Sentencizer`; the pipeline names it ``sentencizer``, as spaCy's own."""
    return Sentencizer(nlp, punct_chars)


@Language.component("clustermine_sentence_fixes")
def fix_sentences(doc: Doc) -> Doc:
    """Repair sentence starts set by the ``sentencizer`` for German text (see the module docstring).

    Only the few tokens where something can be wrong are looked at (sentence starts after a full stop and the
    places found by a regular expression), and they are read from token arrays and the text, because walking
    every token in Python would cost more than the sentencizer itself.
    """
    n = len(doc)
    if n < 2:
        return doc
    arr = doc.to_array(["SENT_START", "IS_SPACE", "ORTH", "SPACY", "IDX", "LENGTH"])
    sent = arr[:, 0].view("int64").copy()  # -1 comes back as a huge unsigned number
    idx = arr[:, 4]
    text = doc_text(doc)

    def token_text(i: int) -> str:
        start = int(idx[i])
        return text[start : start + int(arr[i, 5])]

    # starts that are no white space and follow a full stop
    after_stop = (sent[1:] == 1) & (arr[1:, 1] == 0) & (arr[:-1, 2] == _FULL_STOP)
    for i in (int(k) for k in numpy.nonzero(after_stop)[0] + 1):
        if (
            not arr[i - 1, 3]  # "Logistik.NRW"
            or text[int(idx[i])].islower()
            or (i >= 2 and token_text(i - 2).lower().rstrip(".").split("-")[-1] in ABBREVIATIONS)
        ):
            sent[i] = -1
    matches = sorted((m for pattern in _EXTRA_STARTS for m in pattern.finditer(text)), key=lambda m: m.start())
    if matches:
        at = numpy.searchsorted(idx, numpy.array([m.end() for m in matches], dtype="uint64"))
        for m, i in zip(matches, (int(k) for k in at), strict=True):
            if not 0 < i < n or int(idx[i]) != m.end():
                continue
            if m.group(0).startswith("\n"):  # a blank line ends a sentence unless a list goes on after ":" or ","
                k = m.start()  # the last character before it that is no white space (without copying the text)
                while k and text[k - 1].isspace():
                    k -= 1
                sent[i] = -1 if k and text[k - 1] in ":,;" else 1
            elif token_text(i).lower() not in _MONTHS:
                sent[i] = 1
    sent[0] = 1
    doc.from_array(["SENT_START"], sent.view("uint64").reshape(-1, 1))
    return doc


def german_pipeline(
    *,
    entities: bool = True,
    persons: bool = False,
    gazetteer_files: Sequence[Path | str] = (),
    lemmas: bool = True,
) -> Language:
    """``spacy.blank("de")`` with sentencizer, the German fixes, lookup lemmas and the entity component.

    Cached per process for the same settings. ``lemmas=False`` leaves out the lemmatizer (the entity facade
    does not need it and is faster without). Nothing is downloaded: the lemma table comes from the installed
    spacy-lookups-data package.
    """
    files = tuple(str(Path(p).expanduser()) for p in gazetteer_files)
    return _cached(entities, persons, files, lemmas)


@lru_cache(maxsize=8)
def _cached(entities: bool, persons: bool, files: tuple[str, ...], lemmas: bool) -> Language:
    nlp = spacy.blank("de")
    nlp.max_length = MAX_LENGTH
    nlp.add_pipe("clustermine_sentencizer", name="sentencizer")
    nlp.add_pipe("clustermine_sentence_fixes")
    if lemmas:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    if entities:
        nlp.add_pipe("clustermine_entities", config={"persons": persons, "gazetteer_files": list(files)})
    nlp.initialize()
    return nlp


__all__ = ["ABBREVIATIONS", "MAX_LENGTH", "TokenizerWarmer", "doc_text", "fix_sentences", "german_pipeline", "make_doc"]
