"""Context rules: which candidates that are ambiguous on their own have the support they need.

Why: a name that is also a common word ("essen", "Lage") or a very general one ("Energie") would otherwise be
tagged wherever the word occurs. Names that are also common words or very short
(ambiguous_regions.tsv: Essen, Hamm, Lage, ...) count only with the gazetteer's capitalisation and a place
context: a preposition or designator before them (in, aus, Stadt, Kreis, ...), a coordination with another
region ("Dortmund, Essen und Bochum"), or an earlier such mention of the same place in the text. Generic cluster
words (Energie, Logistik, Chemie, Mobilität, ...) count only next to another cluster or in a sentence that talks
about fields (Kompetenzfeld, Branche, Cluster, Leitmarkt, Bereich, Themen, ...); a programme named by a word
and a small number ("Ziel 3") only in a sentence about funding, since council papers number their goals.
"""

from __future__ import annotations

from collections import defaultdict

from .keys import SEPARATORS, fold_word
from .run import Cand, Run

#: Words right before a name that make it a place. Contractions with an article ("im", "vom") do not: a town
#: takes no article, a common noun does ("im Norden", "vom Essen").
_PLACE_WORDS_STRICT = frozenset({
    "in", "aus", "bei", "zwischen", "stadt", "staedte", "kreis", "kreise", "kreises", "landkreis", "landkreise",
    "region", "raum", "standort", "standorte", "gemeinde", "gemeinden", "nahe",
})
#: For short names that are no common word, "nach" and "von" count as well ("nach Bonn").
_PLACE_WORDS = _PLACE_WORDS_STRICT | {"nach", "von"}
#: Determiners before a name that make it a common noun ("das Essen").
_DETERMINERS = frozenset({
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "zum", "zur",
    "beim", "am", "kein", "keine", "viele", "alle",
})
#: Words in a sentence that show it is about fields and clusters (support for generic field names).
_FIELD_CUES = ("kompetenzfeld", "kompetenzfelder", "cluster", "branche", "branch", "leitmarkt", "leitmaerkt",
               "them", "themenfeld", "schwerpunkt", "bereich", "sektor", "forum", "wirtschaftszweig",
               "spezialisierung", "zukunftsfeld", "handlungsfeld", "technologiefeld", "innovationsfeld",
               "wachstumsfeld", "leitbranche", "kompetenzzentr", "felder", "feldern", "foren")
#: Word beginnings that show a sentence is about funding ("Ziel 2 der Europäischen Strukturpolitik").
_PROGRAMME_CUES = ("europ", "struktur", "gebiet", "region", "programm", "kommission", "gemeinschaft", "gefoerdert",
                   "mittel", "foerder", "ziel-")
#: Words ending like a field cue that are none.
_NOT_FIELD_CUES = frozenset({"umfeld", "vorfeld", "spielfeld", "feld", "umfelder"})
#: Words that show a field context wherever they occur in a word ("Clusterpolitik", "Leitmarktwettbewerb").
_FIELD_WORDS = ("cluster", "kompetenzfeld", "leitmarkt", "leitmaerkt", "branche", "themen")


def support(run: Run) -> None:
    """Decide which candidates that need context have it (sets ``ok``); see the module docstring."""
    cands = run.cands
    by_start: dict[int, list[Cand]] = defaultdict(list)
    by_end: dict[int, list[Cand]] = defaultdict(list)
    for c in cands:
        by_start[c.s].append(c)
        by_end[c.e].append(c)
    pending = [c for c in cands if c.need]
    for c in pending:
        c.ok = (
            (c.need == "place" and _place_context(run, c))
            or (c.need in ("weak", "sector") and _field_cue(run, c))
            or (c.need == "programme" and _programme_cue(run, c))
        )
    changed = True
    while changed:
        changed = False
        for c in pending:
            if c.ok:
                continue
            for other in _neighbours(run, c, by_start, by_end):
                if not other.ok or other is c or other.kind != c.kind:
                    continue
                if c.need == "sector" and other.need == "sector":
                    continue
                c.ok = changed = True
                break
    # mutual support: a weak known field next to an unknown sector word ("Tourismus und Landwirtschaft")
    for c in pending:
        if c.ok or c.need != "weak":
            continue
        for other in _neighbours(run, c, by_start, by_end):
            if other.need == "sector" and other.kind == "CLUSTER":
                c.ok = other.ok = True
    # a place confirmed once in the text confirms its other exact mentions ("in Hamm" ... "wo Hamm")
    confirmed = {r.entry.id for c in cands if c.need == "place" and c.ok for r in c.names}
    for c in pending:
        if c.ok or c.need != "place":
            continue
        if any(r.entry.id in confirmed for r in c.names) and run.prev_word(c.s) not in _DETERMINERS:
            c.ok = True


def _place_context(run: Run, c: Cand) -> bool:
    """Whether a place word or a designator stands right before c ("in Hamm", "Stadt Essen")."""
    prev = run.prev_word(c.s)
    common = any(r.entry.id in run.ix.common_word for r in c.names)
    if prev in (_PLACE_WORDS_STRICT if common else _PLACE_WORDS) or prev.endswith("stadt"):
        return True
    return bool(c.subkind_hint)


def _field_cue(run: Run, c: Cand) -> bool:
    """Whether the sentence around c talks about fields or clusters ("Kompetenzfelder", "Clusterpolitik")."""
    sentence = run.sent[c.s]
    lo = c.s
    while lo > 0 and run.sent[lo - 1] == sentence and c.s - lo < 60:
        lo -= 1
    hi = c.e
    while hi < len(run.toks) and run.sent[hi] == sentence and hi - c.e < 40:
        hi += 1
    for k in range(lo, hi):
        t = run.toks[k]
        if not t.word or c.s <= k < c.e:
            continue
        key = fold_word(t.form)
        if key in _NOT_FIELD_CUES:
            continue
        if key.endswith(_FIELD_CUES) or t.key.endswith(_FIELD_CUES) or any(w in key for w in _FIELD_WORDS):
            return True
    return False


def _programme_cue(run: Run, c: Cand) -> bool:
    """Whether the sentence of c talks about EU or other funding ("Ziel 2 der EU", "Ziel-2-Gebiet")."""
    sentence = run.sent[c.s]
    lo, hi = c.s, c.e
    while lo > 0 and run.sent[lo - 1] == sentence and c.s - lo < 40:
        lo -= 1
    while hi < len(run.toks) and run.sent[hi] == sentence and hi - c.e < 30:
        hi += 1
    words = [t.low for k in range(lo, hi) if run.toks[k].word and not c.s <= k < c.e for t in (run.toks[k],)]
    return any(w in ("eu", "efre", "esf") or w.startswith(_PROGRAMME_CUES) or "foerder" in w for w in words)


def _neighbours(run: Run, c: Cand, by_start: dict[int, list[Cand]], by_end: dict[int, list[Cand]]) -> list[Cand]:
    """Candidates coordinated with c: separated only by , und oder sowie / (and an article)."""
    toks = run.toks
    out: list[Cand] = []
    j = c.e
    steps = 0
    while j < len(toks) and steps < 3 and toks[j].low in SEPARATORS | _DETERMINERS | {"in", "im"}:
        j += 1
        steps += 1
    if steps and j < len(toks) and run.same_sentence(c.s, j):
        out.extend(by_start.get(j, ()))
    j = c.s - 1
    steps = 0
    while j >= 0 and steps < 3 and toks[j].low in SEPARATORS | _DETERMINERS | {"in", "im"}:
        j -= 1
        steps += 1
    if steps and j >= 0 and run.same_sentence(c.s, j):
        out.extend(by_end.get(j + 1, ()))
    return out
