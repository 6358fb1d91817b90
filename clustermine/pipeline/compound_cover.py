"""Cover a word with known words and Fugen: the fallback of the compound splitter when HanTa fails.

Dynamic programming over split points finds the cheapest sequence "modifier (+ Fuge) ... head". Each part costs
about 1, domain words a little less, short and verb-stem parts more, so the cover with the fewest and most
familiar parts wins ("regionalentwicklung" → "regional" + "entwicklung", not "region" + "al" + ...). The rules
for Fugen follow German word formation: -s-/-es- after nouns and adjectives, never after a verb stem; the other
Fugen (-n-, -en-, -e-, -er-, -ns-, -ens-) only where modifier + Fuge is itself a form of a noun ("flächen",
"städte"). In ``strict`` mode, used when guessing at words HanTa left whole, only nouns, adjectives and domain
words of four or more letters count, so that "Beraterinnen" does not become "berat" + "rinne".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .compound_lexicon import LemmaTable

#: Fugen and what they need from the modifier before them.
_FUGEN_ALWAYS = ("s", "es")
_FUGEN_PARADIGM = ("n", "en", "e", "er", "ns", "ens")
#: When guessing, -e- and -er- are left out: rare as Fugen, but they cut "Besucherinnen" into "besuch" + "rinne".
_FUGEN_STRICT = ("n", "en", "ns", "ens")
#: Endings an inflected head may carry when the lemma table does not list the form ("Clustern", "Managements").
HEAD_ENDINGS = ("ern", "en", "es", "er", "n", "s", "e")
#: Words that are prefixes or verb particles rather than modifiers of a compound ("Internationalisierung",
#: "Bereitstellung"): a cover never starts a part with them alone.
BOUND = frozenset(
    {
        "ab", "an", "auf", "aus", "bei", "ein", "mit", "nach", "vor", "zu", "um", "durch", "gegen", "hinter", "neben",
        "über", "unter", "wider", "zwischen", "inter", "ober", "nieder", "anti", "pro", "sub", "super", "ultra", "semi",
        "bereit", "fest", "zusammen", "statt", "weiter", "wieder", "voran", "heraus", "hinaus", "zurück", "vorbei",
        "hin", "her", "da", "dar",
    }
)


@dataclass(frozen=True)
class Vocabulary:
    """Everything the splitter knows about words: domain list, place names and the lemma table."""

    domain: frozenset[str]
    lemmas: LemmaTable
    places: frozenset[str] = frozenset()
    units: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", self.domain | self.places)

    def is_word(self, word: str) -> bool:
        """A known word: domain word, place name, lemma or inflected noun form."""
        return (
            word in self.units
            or word in self.lemmas.known
            or word in self.lemmas.nouns
            or word in self.lemmas.noun_lemmas
        )


def _modifier_cost(part: str, vocabulary: Vocabulary, strict: bool, first: bool) -> tuple[float, bool] | None:
    """(cost, is_verb_stem) of ``part`` as a modifier, or None if it cannot be one.

    When guessing (``strict``), a four-letter word that is no domain word may only open the compound
    ("Sägeindustrie"): in the middle it is more often a piece of something else ("Eins|ende|schluss").
    """
    if part in vocabulary.units:
        return (0.8 if len(part) > 3 else 1.0), False
    if len(part) < 4 or part in BOUND or (strict and len(part) == 4 and not first):
        return None
    lemmas = vocabulary.lemmas
    if part in lemmas.nouns:
        return (1.0 if len(part) > 4 else 1.3), False
    if part in lemmas.known:
        if len(part) == 4 and strict:
            return None
        return (1.1 if len(part) > 4 else 1.4), False
    if not strict and len(part) > 4 and part in lemmas.noun_lemmas:
        return 1.5, False  # a plural as modifier ("medien"), dearer than lemma + Fuge ("name|ns|aufruf")
    if not strict and part in lemmas.verb_stems:
        return 1.4, True
    return None


def _head(
    surface: str, vocabulary: Vocabulary, noun_head: bool, strict: bool, unit_head: bool
) -> tuple[float, str] | None:
    """(cost, base form) of ``surface`` as the head, or None if it cannot be one."""
    if len(surface) < (5 if unit_head else 3):
        return None
    if surface in vocabulary.units:
        return 0.8, surface
    if unit_head:
        return None
    for ending in HEAD_ENDINGS:  # "Clustern", "Rats"
        if surface.endswith(ending) and surface[: -len(ending)] in vocabulary.domain and len(surface) > len(ending) + 2:
            return 0.9, surface[: -len(ending)]
    minimum = 6 if strict else 4  # a short head of a word HanTa did not split is too often a name's tail
    if len(surface) < minimum:
        return None
    lemmas = vocabulary.lemmas
    lemma = lemmas.noun_lemmas.get(surface)
    if lemma:
        return 1.0, lemma
    if surface in lemmas.nouns or (not noun_head and surface in lemmas.known):
        return 1.0, surface
    for ending in HEAD_ENDINGS:
        base = surface[: -len(ending)]
        if surface.endswith(ending) and len(base) >= minimum - 1 and base in lemmas.nouns:
            return 1.1, base
    return None


def _fugen(part: str, verb_stem: bool, vocabulary: Vocabulary, strict: bool) -> tuple[str, ...]:
    if verb_stem:
        return ("",)
    allowed = ["", *_FUGEN_ALWAYS]
    lemmas = vocabulary.lemmas
    for fuge in _FUGEN_STRICT if strict else _FUGEN_PARADIGM:
        form = part + fuge
        if form in lemmas.noun_lemmas or form in vocabulary.domain or form in lemmas.nouns:
            allowed.append(fuge)
    return tuple(allowed)


def best_cover(
    low: str, vocabulary: Vocabulary, *, noun_head: bool = True, strict: bool = False, unit_head: bool = False
) -> tuple[str, ...] | None:
    """The cheapest split of ``low`` into modifiers and a head, all known words; None if there is none.

    The result has the modifiers as written (Fugen dropped) and the head in its base form. ``unit_head``
    accepts only a domain word or place name as the head.
    """
    n = len(low)
    best: list[tuple[float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0.0, ())
    for start in range(n):
        entry = best[start]
        if entry is None:
            continue
        cost_so_far, parts = entry
        for end in range(start + 2, n - 1):
            part = low[start:end]
            found = _modifier_cost(part, vocabulary, strict, start == 0)
            if found is None:
                continue
            cost, verb_stem = found
            for fuge in _fugen(part, verb_stem, vocabulary, strict):
                after = end + len(fuge)
                if after >= n or not low.startswith(fuge, end):
                    continue
                total = cost_so_far + cost + (0.1 if fuge else 0.0)
                current = best[after]
                if current is None or total < current[0]:
                    best[after] = (total, (*parts, part))
    winner: tuple[float, tuple[str, ...]] | None = None
    for start in range(2, n - 1):
        entry = best[start]
        if entry is None:
            continue
        head = _head(low[start:], vocabulary, noun_head, strict, unit_head)
        if head is None:
            continue
        total = entry[0] + head[0]
        if winner is None or total < winner[0]:
            winner = (total, (*entry[1], head[1]))
    return winner[1] if winner else None
