"""The PERSON pattern: a title or role followed by capitalised words ("Herr Dr. Hüsing", "Ratsfrau Demir").

Why off by default: council papers name staff on almost every page; the extractor runs this only when asked
(``persons=True``). Why only a pattern: no list of persons is kept.
"""

from __future__ import annotations

from .keys import fold_word, is_acronym
from .name_spans import CAP_STOP, breaks_name
from .run import Run

#: Titles and roles (folded) that introduce a person's name.
_PERSON_TITLES = frozenset({
    "herr", "herrn", "frau", "dr", "prof", "buergermeister", "buergermeisterin", "oberbuergermeister",
    "oberbuergermeisterin", "stadtrat", "stadtraetin", "ratsherr", "ratsfrau", "abgeordnete", "abgeordneten",
    "abgeordneter", "beigeordnete", "beigeordneter", "landrat", "landraetin", "minister", "ministerin",
    "staatssekretaer", "staatssekretaerin", "dezernent", "dezernentin",
})


def match_persons(run: Run) -> None:
    """A title or role followed by one to three capitalised words: 'Herr Dr. Hüsing', 'Ratsfrau Demir'."""
    toks = run.toks
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        if not (tok.word and fold_word(tok.form) in _PERSON_TITLES):
            i += 1
            continue
        j = i + 1
        while j < n and (toks[j].key == "." or toks[j].word and fold_word(toks[j].form) in _PERSON_TITLES):
            j += 1
        s, words = j, 0
        while j < n and words < 3 and toks[j].word and toks[j].text[:1].isupper() and toks[j].text not in CAP_STOP \
                and not is_acronym(toks[j].text) and run.same_sentence(i, j) and (j == s or not breaks_name(run, j)):
            j = run.compound_end(j)
            words += 1
        if words and not any(c.prio == 0 and c.e > s for k in range(max(0, s - 8), s + 1) for c in run.at(k)):
            run.add(i, j, "PERSON", "pattern:person", 2, canonical=run.clean(s, j))
        i = max(j, i + 1)
