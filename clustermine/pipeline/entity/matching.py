"""Gazetteer matching: greedy longest match of key sequences, with spelling and compound checks.

Why the checks: keys ignore case and inflection so that "des Kreises Mettmann" finds "Kreis Mettmann"; the
checks here take back what that generosity would wrongly let through. A match that is only the first part of
a hyphen compound ("NRW-Innovationsstrategie") is dropped, except for programmes and named initiatives
("EFRE-Mittel" -> EFRE). One-word matches must also agree in spelling (a genitive -s is fine, "Bayer" is not
"Bayern"), and acronyms must be written in capitals ("NRW", not "nrw"). A plural designator governs a list:
"die Landkreise Germersheim, Karlsruhe und Rastatt" are Landkreise, "in den Leitmärkten Gesundheit, ..." are
Leitmärkte.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from .keys import PARAGRAPH, SEPARATORS, fold_word, is_acronym, is_cap
from .names import LIST_DESIGNATORS, Name
from .run import Run

#: Designator words that say which sub-kind of region is meant.
_REGION_DESIGNATORS: dict[str, str] = {
    "kreis": "kreis", "kreise": "kreis", "kreises": "kreis", "landkreis": "kreis", "landkreise": "kreis",
    "landkreises": "kreis", "stadt": "city", "staedte": "city", "stadtkreis": "city", "region": "region",
    "land": "land", "bundesland": "land", "freistaat": "land", "regierungsbezirk": "bezirk", "bezirk": "bezirk",
}
#: Adjective endings: a capitalised adjective before a noun is no name ("Regionale Einbindung").
_ADJECTIVE_FORM = re.compile(r"(?:isch|lich|al|iv|ell|ig|bar)(?:e|en|er|es|em)$")
#: Facilities named after a place: the name after them is not the place.
_FACILITIES = frozenset({"zeche", "schacht", "bergwerk", "kraftwerk", "tagebau", "kokerei", "grube", "hotel"})


def match_gazetteer(run: Run) -> None:
    """Add a candidate for the longest acceptable gazetteer name starting at each word."""
    toks, trie = run.toks, run.ix.trie
    n = len(toks)
    for i in range(n):
        tok = toks[i]
        if not tok.word:
            continue
        node = trie.get(tok.key)
        if node is None:
            continue
        found: list[tuple[int, list[Name]]] = []
        j = i + 1
        if "" in node:
            found.append((j, node[""]))
        while j < n and toks[j].key in node and toks[j].key != PARAGRAPH:
            node = node[toks[j].key]
            j += 1
            if "" in node:
                found.append((j, node[""]))
        for end, records in reversed(found):
            kept = [r for r in records if _acceptable(run, i, end, r)]
            if kept:
                _add_gazetteer(run, i, end, kept)
                break


def _acceptable(run: Run, s: int, e: int, name: Name) -> bool:
    """Spelling, capitals and compound-position checks for one name matched at sub-tokens s..e."""
    toks = run.toks
    for tok, acronym in zip(toks[s:e], name.acronyms, strict=False):
        if acronym and tok.word and not is_acronym(tok.text):
            return False
    first, last = toks[s], toks[e - 1]
    kind = name.entry.kind
    brand = kind == "PROGRAM" or (kind == "CLUSTER" and name.entry.subkind != "field")
    if first.jp == ".":
        return False  # inside a dotted name ("www.bottrop.de")
    if last.jn == "." or last.jn == "+":
        return False
    if first.jp == "-" and kind not in ("CLUSTER", "PROGRAM") and not _region_dvandva(run, s, e):
        return False
    if first.jp == "-" and last.jn:
        return False  # a middle part
    if len(name.keys) == 2 and name.keys[1].isdigit() and e < len(toks) and toks[e].text == ":":
        return False  # "Ziel 2: Karlsruhe steht für ..." enumerates goals
    if last.jn == "-" and not brand and not (kind == "REGION" and _region_dvandva(run, s, e)):
        return False  # first part of a compound: "NRW-Innovationsstrategie", "Logistik-Kompetenzzentrum"
    if name.single:
        form = first.form
        surface = fold_word(form)
        target = name.folded
        if kind == "PROGRAM" or (kind == "CLUSTER" and name.entry.subkind == "field"):
            endings: tuple[str, ...] = ("", "s", "es", "n", "en", "e")  # "Leitmarktwettbewerben"
        else:  # names: only a genitive -s ("Ruhrgebiets"); "Prognose" is not "Prognos"
            endings = ("", "s") if not target.endswith(("s", "ss", "x", "z")) else ("",)
        if not any(surface == target + ending for ending in endings):
            return False
        if name.text[:1].isupper() and not form[:1].isupper():
            return False
        if name.needs_context and not (form == name.text or form == name.text + "s"):
            return False
        if kind == "REGION" and run.prev_word(s) in _FACILITIES:
            return False  # "Zeche Sachsen", "Kraftwerk Lippendorf": a facility named after a place
        if not is_acronym(form) and _ADJECTIVE_FORM.search(surface) and e < len(toks) and is_cap(toks[e]):
            return False  # "Regionale Einbindung", "des Regionalen Innovationsmanagements": an adjective
    return True


def _region_dvandva(run: Run, s: int, e: int) -> bool:
    """Whether the hyphen compound around s..e is made only of region names ("Duisburg-Essen")."""
    a, b = run.compound_start(s), run.compound_end(e - 1)
    if b - a < 2:
        return False
    return all(any(r.entry.kind == "REGION" for r in run.ix.single_word(run.toks[i].form)) for i in range(a, b))


def _add_gazetteer(run: Run, s: int, e: int, names: list[Name], *, hint: str = "") -> None:
    """One candidate per kind for names matched at s..e, noting which support it still needs."""
    by_kind: dict[str, list[Name]] = defaultdict(list)
    for r in names:
        by_kind[r.entry.kind].append(r)
    for kind, records in by_kind.items():
        need = ""
        if any(r.needs_context for r in records):
            need = "place"
        elif all(r.weak for r in records) and not (kind == "PROGRAM" and run.toks[s].jn):
            need = "weak" if kind != "PROGRAM" else "programme"  # "Ziel-2-Programm" needs no support
        prev = run.prev_word(s)
        run.add(s, e, kind, "gazetteer", 0, names=records, need=need,
                subkind_hint=hint or _REGION_DESIGNATORS.get(prev, ""))


def match_designated_lists(run: Run) -> None:
    """'die Landkreise Germersheim, Karlsruhe, Rastatt', 'in den Leitmärkten Gesundheit, ...'."""
    toks = run.toks
    n = len(toks)
    # the designators are few: find them in one comprehension instead of a loop over every sub-token
    for d in [k for k, t in enumerate(toks) if t.key in LIST_DESIGNATORS and t.word and not t.jn]:
        group = LIST_DESIGNATORS[toks[d].key]
        tail = run.ix.tails.get(group)
        if not tail:
            continue
        i = d + 1
        if i < n and not _tail_at(run, tail, i):
            colon = next((k for k in range(i, min(n, i + 30)) if toks[k].key == ":"
                          and run.same_sentence(d, k)), None)
            if colon is None:
                continue
            i = colon + 1
        hint = {"kreis": "kreis", "stadt": "city", "bezirk": "bezirk"}.get(group, "")
        items = 0
        while i < n and items < 40:
            i = _skip_list_marks(run, i)
            if i >= n:
                break
            hit = _tail_at(run, tail, i)
            if hit is None:
                single = [c for c in run.at(i) if c.prio == 0 and c.kind in ("REGION", "CLUSTER")]
                if not single:
                    break
                end = max(c.e for c in single)
                for c in single:
                    if hint and c.kind == "REGION":
                        c.subkind_hint = hint
            else:
                end, records = hit
                kinds = {r.entry.kind for r in records}
                for c in run.at(i):
                    if c.e == end and c.prio == 0 and c.kind in kinds:
                        c.dropped = True
                _add_gazetteer(run, i, end, records, hint=hint)
            items += 1
            i = end
            if i < n and toks[i].low in SEPARATORS | {";"}:
                i += 1
                if i < n and toks[i].low in ("und", "sowie", "oder"):
                    i += 1
            elif i < n and toks[i].key == PARAGRAPH:
                continue
            else:
                break


def _skip_list_marks(run: Run, i: int) -> int:
    """Skip a paragraph mark and list numbering ("2.", "b)") at the start of a list item."""
    toks = run.toks
    while i < len(toks) and toks[i].key == PARAGRAPH:
        i += 1
    if i + 1 < len(toks) and toks[i].word and (toks[i].text.isdigit() or len(toks[i].text) == 1) \
            and toks[i + 1].key in (".", ")"):
        i += 2
    return i


def _tail_at(run: Run, tail: dict[str, Any], i: int) -> tuple[int, list[Name]] | None:
    """The longest name without its designator ("Wesel" of "Kreis Wesel") at sub-token i: (end, names)."""
    toks = run.toks
    node = tail.get(toks[i].key) if toks[i].word else None
    best = None
    j = i + 1
    while node is not None:
        if "" in node:
            kept = [r for r in node[""] if all(not a or is_acronym(t.text)
                                               for t, a in zip(toks[i:j], r.acronyms[1:], strict=False))]
            if kept and not toks[j - 1].jn:
                best = (j, kept)
        if j >= len(toks):
            break
        node = node.get(toks[j].key)
        j += 1
    return best
