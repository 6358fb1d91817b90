"""Patterns for organisations the gazetteer does not know (rule ``pattern:legal_form`` / ``pattern:institution``).

Why patterns: companies, institutes and chambers are too many to list, but their names follow a few forms:
"… GmbH", "Institut für …", "Universität X", "Technologiezentrum Dortmund". The canonical name is put into the
nominative ("des Bayerischen Staatsministeriums" -> "Bayerisches Staatsministerium"). Their entities have no id.
"""

from __future__ import annotations

import re

from .keys import Tok, fold_word, is_brand, is_cap
from .name_spans import CAP_STOP, breaks_name, gap_before, name_after, region_at
from .run import Run

#: Legal forms that end a company name ("Duisburger Hafen AG").
_LEGAL_FORMS = frozenset({"GmbH", "gGmbH", "mbH", "AG", "eG", "KG", "SE", "GbR", "AöR"})
#: Heads of names of the form "X für Y" ("Institut für Werkzeugmaschinen", "Ministerium für ...").
_ORG_FUER_HEADS = ("institut", "ministerium", "amt", "agentur", "hochschule", "akademie", "gesellschaft", "anstalt",
                   "zentrum", "stiftung")
#: Heads followed by a name or place ("Universität Stuttgart", "Handwerkskammer Cottbus").
_ORG_NAME_HEADS = ("universitaet", "hochschule", "fachhochschule", "handwerkskammer")
#: Heads of institution words followed by a place ("Technologiezentrum Dortmund").
_ORG_CITY_HEADS = ("zentrum", "institut", "klinikum", "kammer", "agentur", "gesellschaft", "akademie", "verband",
                   "campus")
#: Words with such a head that name no organisation ("Stadtzentrum", "Zweckverband").
_NOT_ORG = frozenset({"stadtzentrum", "ortszentrum", "oberzentrum", "mittelzentrum", "grundzentrum", "unterzentrum",
                      "innenstadtzentrum", "einkaufszentrum", "kompetenzzentrum", "stadtteilzentrum", "zentrum",
                      "gesellschaft", "kammer", "verband", "gemeindeverband", "zweckverband"})
#: Grammatical gender of heads, to put a name and its adjectives into the nominative.
_NEUTER_HEADS = ("institut", "ministerium", "amt", "zentrum", "klinikum")
_HEAD_GENITIVES = tuple(h + e for h in _NEUTER_HEADS for e in ("s", "es"))
_FEMININE_HEADS = ("universitaet", "hochschule", "akademie", "gesellschaft", "agentur", "anstalt", "kammer",
                   "stiftung", "bank")


def _nominative_head(word: str) -> str:
    """'Ministeriums' -> 'Ministerium', 'Instituts' -> 'Institut', 'TechnologieZentrums' -> '...Zentrum'."""
    low = fold_word(word)
    for head in _NEUTER_HEADS + ("campus",):
        for ending in ("es", "s"):
            if low.endswith(head + ending) and not low.endswith("campus"):
                return word[: len(word) - len(ending)]
    return word


def _nominative_adjective(word: str, head: str) -> str:
    """'Bayerischen' before a neuter head -> 'Bayerisches'; before a feminine head -> 'Bayerische'."""
    low = fold_word(head)
    if low.endswith(_NEUTER_HEADS):
        if word.endswith("en"):
            return word[:-2] + "es"
        if word.endswith("e"):
            return word + "s"
    elif low.endswith(_FEMININE_HEADS) and word.endswith("en"):
        return word[:-1]
    return word


#: Every ending _org_head looks for.
_ANY_HEAD = _ORG_FUER_HEADS + _ORG_NAME_HEADS + _ORG_CITY_HEADS + _HEAD_GENITIVES

_NAME_ADJECTIVE = re.compile(r"(isch|sch|lich)(e|en|er|es)?$|^Technische[n]?$|^(Freie|Freien|Deutsche|Deutschen)$")


def _is_adjective(tok: Tok) -> bool:
    """A capitalised adjective that can start a name ("Bayerisches", "Technische", "Deutsches")."""
    return tok.word and tok.text[:1].isupper() and _NAME_ADJECTIVE.search(tok.text) is not None


def _org_head(run: Run, i: int, heads: tuple[str, ...]) -> str | None:
    """The nominative of the word ending at sub-token i if it ends with one of ``heads``; else None."""
    low = run.toks[i].low
    if not (low.endswith(heads) or low.endswith(_HEAD_GENITIVES)):
        return None
    word = run.surface(run.compound_start(i), i + 1)
    nominative = _nominative_head(word)
    folded = fold_word(nominative)
    if folded in _NOT_ORG or not nominative[:1].isupper() or not folded.endswith(heads):
        return None
    if folded.endswith("amt") and not folded.endswith(("bundesamt", "landesamt")) and len(folded) > 3 \
            and not folded.endswith(("ordnungsamt", "umweltamt", "stadtamt")) and folded != "amt":
        return None
    return nominative


def _adjective_start(run: Run, start: int, i: int) -> int:
    while start > 0 and _is_adjective(run.toks[start - 1]) and run.same_sentence(start - 1, i) \
            and not breaks_name(run, start):
        start -= 1
    return start


def _gazetteer_org_at(run: Run, s: int) -> bool:
    return any(c.kind == "ORG" and c.prio == 0 for c in run.at(s))


def match_orgs(run: Run) -> None:
    """Add ORG candidates for legal forms, "X für Y", "Universität X" / "IHK X" and institution + place."""
    for i, tok in enumerate(run.toks):
        if not tok.word or tok.jn:
            continue
        if tok.text in _LEGAL_FORMS or tok.key == "ev":
            _legal_form(run, i)
            continue
        if not tok.low.endswith(_ANY_HEAD) and tok.text != "IHK":
            continue  # the quick test: _org_head finds nothing in a word without a head
        nxt = run.toks[i + 1] if i + 1 < len(run.toks) else None
        if nxt is not None and nxt.low == "fuer" and _org_head(run, i, _ORG_FUER_HEADS):
            _org_fuer(run, i)
        elif tok.text == "IHK" or _org_head(run, i, _ORG_NAME_HEADS):
            _org_named(run, i)
        if _org_head(run, i, _ORG_CITY_HEADS):
            _org_city(run, i)


def _legal_form(run: Run, i: int) -> None:
    """Capitalised words ending in a legal form: 'Duisburger Hafen AG', 'Muster Technologie GmbH'."""
    toks = run.toks
    j, start, words = i - 1, None, 0
    while j >= 0 and words < 6 and run.same_sentence(i, j) and not breaks_name(run, j + 1, wrapped=True) \
            and "," not in gap_before(run, j + 1):
        t = toks[j]
        if t.word and (t.text[:1].isupper() or is_brand(t)) and t.text not in CAP_STOP \
                and not (t.text.isupper() and len(t.text) > 6):
            start = run.compound_start(j)
            j = start - 1
            words += 1
            continue
        if t.low in ("&", "+") or (t.low in ("fuer", "und", "zu") and j > 0 and is_cap(toks[j - 1])):
            j -= 1
            continue
        break
    if start is None:
        return
    while start < i and not toks[start].word:
        start += 1
    if start >= i:
        return
    legal = run.clean(i, i + 1)
    canonical = run.clean(start, i + 1)
    # "TRK GmbH": a known short name with a legal form is the known name with that legal form
    known = [c for c in run.at(start) if c.prio == 0 and c.e == i and not c.dropped and c.names]
    if len(known) == 1 and len({r.entry.id for r in known[0].names}) == 1:
        canonical = f"{known[0].names[0].entry.canonical} {legal}"
    run.add(start, i + 1, "ORG", "pattern:legal_form", 2, canonical=canonical)


def _org_fuer(run: Run, i: int) -> None:
    """'Institut für Werkzeugmaschinen', 'Bayerisches Staatsministerium für Wirtschaft, ... und Technologie'."""
    toks = run.toks
    n = len(toks)
    j, last, cut, after_und = i + 2, None, None, False
    while j < n and run.same_sentence(i, j) and j - i < 20 \
            and not breaks_name(run, j, wrapped=toks[j - 1].low in ("und", "fuer", "&")):
        t = toks[j]
        if t.word and t.text[:1].isupper() and t.text not in CAP_STOP:
            j = run.compound_end(j)
            last = j
            if after_und:
                cut, after_und = None, False
            continue
        if t.word and t.trunc:
            j += 1
            continue
        if t.key == "," and last is not None and j + 1 < n and is_cap(toks[j + 1]):
            cut = cut if cut is not None else last
            j += 1
            continue
        if t.low in ("und", "&") and last is not None and j + 1 < n and (is_cap(toks[j + 1]) or toks[j + 1].trunc):
            after_und = True
            j += 1
            continue
        if t.word and re.fullmatch(r"[a-zäöüß]+(e|en|er|es)", t.text) and j + 1 < n and is_cap(toks[j + 1]) \
                and t.text not in ("der", "die", "des", "dem", "den", "in", "und", "oder"):
            j += 1  # "für angewandte Forschung"
            continue
        break
    if last is None:
        return
    if cut is not None:
        last = cut  # "Agentur für Arbeit, Hochschulen sowie ...": the list after the comma is not the name
    head_start = run.compound_start(i)
    start = _adjective_start(run, head_start, i)
    if _gazetteer_org_at(run, start) or _gazetteer_org_at(run, head_start):
        return
    head = _org_head(run, i, _ORG_FUER_HEADS) or toks[i].text
    adjectives = [_nominative_adjective(toks[k].text, head) for k in range(start, head_start)]
    rest = " ".join(run.text[toks[i + 1].start : toks[last - 1].end].split())
    run.add(start, last, "ORG", "pattern:institution", 2, canonical=" ".join([*adjectives, head, rest]))


def _org_named(run: Run, i: int) -> None:
    """'Universität Stuttgart', 'Hochschule Lausitz (FH) Senftenberg', 'Handwerkskammer Cottbus', 'IHK Siegen'."""
    toks = run.toks
    found = name_after(run, i + 1, max_words=3)
    if found is None or found[1]:
        return
    e = found[0]
    if e < len(toks) - 2 and toks[e].text == "FH" and "(" in gap_before(run, e) and is_cap(toks[e + 1]):
        more = name_after(run, e + 1, max_words=2)  # "Hochschule Lausitz (FH) Senftenberg"
        e = more[0] if more and not more[1] else e + 1
    head_start = run.compound_start(i)
    start = _adjective_start(run, head_start, i)
    if _gazetteer_org_at(run, start) or _gazetteer_org_at(run, head_start):
        return
    head = _org_head(run, i, _ORG_NAME_HEADS) or toks[i].text
    adjectives = [_nominative_adjective(toks[k].text, head) for k in range(start, head_start)]
    name = " ".join(run.text[toks[i + 1].start : toks[e - 1].end].split())
    if name.endswith("(FH"):
        name += ")"
    run.add(start, e, "ORG", "pattern:institution", 2, canonical=" ".join([*adjectives, head, name]))


def _org_city(run: Run, i: int) -> None:
    """An institution word followed by a place: 'Technologiezentrum Dortmund', 'Kunststoff-Institut Lüdenscheid'."""
    toks = run.toks
    e = region_at(run, i + 1)
    if not e or breaks_name(run, i + 1) or "," in gap_before(run, i + 1):
        return
    start = run.compound_start(i)
    if start >= 2 and toks[start - 1].low == "und" and toks[start - 2].trunc:
        start = run.compound_start(start - 2)  # "Gründer- und Technologiezentrum Hamm"
    elif fold_word(toks[i].form) == "campus" and start == i and i > 0 and is_cap(toks[i - 1]) \
            and toks[i - 1].text not in CAP_STOP and not breaks_name(run, i):
        start = run.compound_start(i - 1)  # "Energie Campus Nürnberg"
    if _gazetteer_org_at(run, start):
        return
    head = _org_head(run, i, _ORG_CITY_HEADS) or toks[i].text
    prefix = run.text[toks[start].start : toks[run.compound_start(i)].start]
    canonical = " ".join((prefix + head + " " + run.clean(i + 1, e)).split())
    for c in run.at(i + 1):
        if c.kind == "REGION":
            c.need = ""  # the institution word is context enough ("Universitätsklinikum Essen")
    run.add(start, e, "ORG", "pattern:institution", 2, canonical=canonical)
