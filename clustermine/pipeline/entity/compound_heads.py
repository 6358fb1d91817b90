"""Cluster fields named by a compound's head: closed compounds, truncated compounds and sector words.

Why a rule of its own: German names a field by compounding, and the gazetteer cannot list every compound. A
closed compound whose modifier is a cluster field and whose head is wirtschaft/branche/sektor/industrie/
cluster/netzwerk/kompetenzfeld/standort is that field ("Logistikbranche", rule ``compound``); a compound ending
in a field name is a kind of it ("Spezialmaschinenbau"); a truncated part is completed from its partner
("Kreativ- und Medienwirtschaft" -> Kreativwirtschaft); and a word ending in a sector head names a sector the
gazetteer does not know ("Möbelindustrie" always, "Holzbau" next to a known field; rule ``pattern:sector``).
"""

from __future__ import annotations

# The shared compound splitter; looked up on this module at call time, so tests can switch it off (set it to None)
# to check the small suffix rule that takes over without it.
from ..compounds import split_compound as _split_compound
from ..gazetteer import GazetteerEntry
from .keys import fold_word
from .names import COMPOUND_HEAD_RE, COMPOUND_HEADS, SECTOR_HEADS
from .run import Run

#: Compound heads with the endings COMPOUND_HEAD_RE allows: a word that ends in none of them has no head.
_HEAD_ENDINGS = tuple(h + e for h in COMPOUND_HEADS for e in ("", "e", "en", "n", "s", "es", "er", "ern"))
#: Sector heads with their case endings: a quick test before a word's nominative is sought.
_SECTOR_ENDINGS = tuple(h + e for h in SECTOR_HEADS for e in ("", "s", "es", "n"))
#: Modifiers that make an "-industrie" word generic ("Industriebranchen", "Schlüsselindustrie").
_GENERIC_MODIFIERS = ("industrie", "wirtschaft", "kern", "leit", "schluessel", "zukunft", "wachstum", "ziel", "haupt",
                      "basis", "traditions", "alt", "neu", "nachbar", "gesamt", "export", "heimat", "region",
                      "dienstleistung", "gross", "klein", "mittel", "ansiedlung", "zuliefer", "welt", "inlands")
#: Words with a sector head that name no sector ("Volkswirtschaft", "Ausbau").
_NOT_SECTORS = frozenset({
    "volkswirtschaft", "weltwirtschaft", "marktwirtschaft", "privatwirtschaft", "gesamtwirtschaft",
    "misswirtschaft", "haushaltswirtschaft", "ausbau", "aufbau", "umbau", "neubau", "anbau", "abbau", "rueckbau",
    "zubau", "weiterbau", "wiederaufbau", "einbau", "vorbau", "primaerenergie", "endenergie", "gesamtenergie",
})
#: Heads that complete a truncated part from its partner ("Kreativ- und Medienwirtschaft"), before the splitter.
_TRUNC_HEADS = ("technologien", "technologie", "technik", "industrie", "wirtschaft", "branche", "dienstleistungen",
                "verarbeitung", "bau", "fahrt", "energien", "energie", "medizin", "handwerk", "logistik")


def match_compounds(run: Run) -> None:
    """Closed compounds field + head ("Logistikbranche") and hyphenated ones ("Logistik-Branche")."""
    toks = run.toks
    i = 0
    n = len(toks)
    fields: dict[str, GazetteerEntry | None] = {}  # per word form: the same word gives the same field
    while i < n:
        tok = toks[i]
        if not tok.word or tok.jp:
            i += 1
            continue
        end = run.compound_end(i) if tok.jn else i + 1
        if end - i == 1:  # a closed word; in lower case it is no name (and has no modifier to be a field)
            form = tok.form
            if form[:1].isupper():
                if form in fields:
                    entry = fields[form]
                else:
                    entry = fields[form] = _compound_field(run, form) or run.ix.field_by_head(form)
                if entry is not None:
                    run.add(i, i + 1, "CLUSTER", "compound", 1, entry=entry)
        elif all(toks[k].jp in ("", "-") for k in range(i + 1, end)):
            head = fold_word(toks[end - 1].text)
            if COMPOUND_HEAD_RE.fullmatch(head) or COMPOUND_HEAD_RE.search(head) and \
                    COMPOUND_HEAD_RE.search(head).start() == 0:
                modifier = "".join(toks[k].text for k in range(i, end - 1))
                entry = run.ix.field_of_modifier(modifier)
                if entry is not None:
                    run.add(i, end, "CLUSTER", "compound", 1, entry=entry)
        i = end


def _compound_field(run: Run, word: str) -> GazetteerEntry | None:
    """The field a closed compound names by its modifier ("Logistikbranche" -> Logistik), or None."""
    folded = fold_word(word)
    if not folded.endswith(_HEAD_ENDINGS):  # the quick test: no head, no match of the expression
        return None
    m = COMPOUND_HEAD_RE.search(folded)
    if not m or m.start() < 3:
        return None
    if _split_compound is not None:
        try:
            parts = _split_compound(word)
        except Exception:  # a broken splitter must not stop extraction
            parts = ()
        if len(parts) >= 2 and fold_word(parts[-1]) in COMPOUND_HEADS:
            entry = run.ix.field_of_modifier("".join(parts[:-1]))
            if entry is not None:
                return entry
    return run.ix.field_of_modifier(folded[: m.start()])


def match_truncations(run: Run) -> None:
    """'Kreativ- und Medienwirtschaft' -> Kreativwirtschaft; 'Papier-, Glas- und Chemieindustrie'."""
    toks = run.toks
    n = len(toks)
    for i, tok in enumerate(toks):
        if not (tok.word and tok.trunc) or toks[run.compound_start(i)].jp:
            continue
        j, seen_sep = i + 1, False
        while j < n and j - i < 12 and run.same_sentence(i, j):
            if toks[j].low in (",", "und", "oder", "sowie", "bzw"):
                seen_sep = True
                j += 1
            elif toks[j].word and toks[j].trunc:
                j += 1
            else:
                break
        partner = run.tok_word(j)
        if not seen_sep or partner is None or not partner.text[:1].isupper():
            continue
        head = _head_of(run.surface(j, run.compound_end(j)))
        if not head:
            continue
        first = run.compound_start(i)
        prefix = run.text[toks[first].start : tok.end]
        built = prefix + head
        records = [r for r in run.ix.single_word(built, "CLUSTER")] if "-" not in prefix else []
        if records:
            run.add(first, i + 1, "CLUSTER", "compound", 1, names=records, with_hyphen=True)
        elif _partner_is_field(run, j):
            canonical = built[:1].upper() + built[1:]
            run.add(first, i + 1, "CLUSTER", "pattern:truncation", 2, canonical=canonical, with_hyphen=True)


def _head_of(word: str) -> str:
    """The head of a compound ("Medienwirtschaft" -> "wirtschaft"), or ""."""
    folded = fold_word(word)
    for head in _TRUNC_HEADS:
        if folded.endswith(head) and len(folded) > len(head) + 2:
            return head
    if _split_compound is not None and "-" not in word:
        try:
            parts = _split_compound(word)
        except Exception:  # a broken splitter must not stop extraction
            parts = ()
        if len(parts) >= 2:
            return parts[-1].lower()
    return ""


def _partner_is_field(run: Run, j: int) -> bool:
    """Whether the word at sub-token j, which completes a truncated part, is a known field."""
    end = run.compound_end(j)
    if any(c.e == end and c.kind == "CLUSTER" for c in run.at(j)):
        return True
    return bool(run.ix.single_word(run.toks[j].text, "CLUSTER"))


def match_sector_words(run: Run) -> None:
    """Unknown sector words: "Möbelindustrie" always, "Holzbau", "Telemedizin" next to a known field."""
    for i, tok in enumerate(run.toks):
        if not tok.word or tok.jp or tok.jn or not tok.form[:1].isupper() or tok.trunc:
            continue
        folded = fold_word(tok.form)
        if not folded.endswith(_SECTOR_ENDINGS):  # sector_base's own first test, without the call
            continue
        base = sector_base(folded)
        if base is None:
            continue
        form = tok.form
        canonical = form if len(base) == len(folded) else form[: len(form) - (len(folded) - len(base))]
        strong = base.endswith(("industrie", "branche"))
        run.add(i, i + 1, "CLUSTER", "pattern:sector", 2, canonical=canonical, need="" if strong else "sector")


def sector_base(folded: str) -> str | None:
    """The nominative of a sector word ("holzbaus" -> "holzbau"), or None if the word names no sector."""
    if not folded.endswith(_SECTOR_ENDINGS):
        return None
    for ending in ("", "s", "es", "n"):
        base = folded[: len(folded) - len(ending)] if ending else folded
        if ending and not folded.endswith(ending):
            continue
        for head in SECTOR_HEADS:
            if base.endswith(head) and len(base) >= len(head) + 3 and base not in _NOT_SECTORS \
                    and not base.startswith(_GENERIC_MODIFIERS):
                return base
    return None
