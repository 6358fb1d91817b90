"""The German spaCy pipeline clustermine uses: blank ``de``, sentences, lookup lemmas, entities.

Why a blank pipeline: clustermine must work offline and must never download a model, so everything here comes
with spaCy itself or with packages that are installed with clustermine (spacy-lookups-data for the lemma table).
The rule-based sentencizer splits at every full stop that stands alone; a small component after it repairs the
cases German administrative text is full of: names with inner dots ("Logistik.NRW", "Reg.-Bez. Düsseldorf"),
abbreviations the tokenizer split off ("z. B.", "u. a."), a lower-case word after a full stop, a year ending a
sentence ("im Jahr 2020. Danach"), and blank lines between headings, which end a sentence unless a list
continues after a colon or comma.

Pipelines are cached per process and settings, because loading the lemma table takes about a second.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy
import spacy
from spacy.language import Language
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
_EXTRA_STARTS = re.compile(r"(?:\b(?:usw|etc)\.|(?<![\d.])\d{4}\.)[ \t]*\n?[ \t]*(?=[A-ZÄÖÜ])|\n[ \t]*\n\s*(?=\S)")


@Language.component("clustermine_sentence_fixes")
def fix_sentences(doc: Doc) -> Doc:
    """Repair sentence starts set by the ``sentencizer`` for German text (see the module docstring).

    Only the few tokens where something can be wrong are looked at (sentence starts and the places found by a
    regular expression), because walking every token in Python would cost more than the sentencizer itself.
    """
    n = len(doc)
    if n < 2:
        return doc
    sent = doc.to_array("SENT_START").view("int64").copy()  # -1 comes back as a huge unsigned number
    for i in (int(k) for k in numpy.nonzero(sent[1:] == 1)[0] + 1):
        tok, prev = doc[i], doc[i - 1]
        if tok.is_space:
            continue
        if prev.text == "." and (
            not prev.whitespace_  # "Logistik.NRW"
            or tok.text[:1].islower()
            or (i >= 2 and doc[i - 2].text.lower().rstrip(".").split("-")[-1] in ABBREVIATIONS)
        ):
            sent[i] = -1
    starts = doc.to_array("IDX")
    text = doc.text
    for m in _EXTRA_STARTS.finditer(text):
        i = int(numpy.searchsorted(starts, m.end()))
        if not 0 < i < n or int(starts[i]) != m.end():
            continue
        if m.group(0).startswith("\n"):  # a blank line ends a sentence unless a list goes on after ":" or ","
            before = text[: m.start()].rstrip()
            sent[i] = -1 if before.endswith((":", ",", ";")) else 1
        elif doc[i].text.lower() not in _MONTHS:
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
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("clustermine_sentence_fixes")
    if lemmas:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    if entities:
        nlp.add_pipe("clustermine_entities", config={"persons": persons, "gazetteer_files": list(files)})
    nlp.initialize()
    return nlp


__all__ = ["ABBREVIATIONS", "MAX_LENGTH", "fix_sentences", "german_pipeline"]
