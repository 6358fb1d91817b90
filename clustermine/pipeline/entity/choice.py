"""Choosing the gazetteer entry of a mention when several share its name, and the entry for a period.

Why a fixed order: a researcher must be able to predict which entry a name gets. The documented rule, in this
order: a designator in the text ("Landkreis Karlsruhe" / "Stadt Karlsruhe"); for programmes and clusters the
entry valid at the document date; for regions the entry lying in a region that the text names elsewhere
(Neunkirchen in a text about the Saarland); then the more general entry (a Land before its city, a city before a
Landkreis, an EU programme before a federal one before a Land programme, a cluster of a whole Land before one of
a region inside it); then gazetteer order.

A programme followed closely by an explicit period ("EFRE-Mittel der Förderperiode 2021–2027", "Ziel-2-Programm
NRW 2007–2013") becomes the entry for that period (a period entry, or a predecessor or successor valid exactly
then); otherwise the general programme stays. The document date never picks a period by itself: "EFRE" in a
2016 paper stays the general programme.
"""

from __future__ import annotations

from ..gazetteer import GazetteerEntry
from .keys import PARAGRAPH
from .run import Cand, Run

#: Generality of region sub-kinds (a Land before its city; a city that is no Stadtkreis ranks 2), and of
#: programme levels (an EU programme before a federal one before a Land programme).
_SUBKIND_ORDER = {"land": 0, "city": 1, "kreis": 3, "region": 4, "bezirk": 5}
_LEVEL_ORDER = {"eu": 0, "federal": 1, "land": 2, "regional": 3}


def choose_entries(run: Run) -> None:
    """Set the entry of every confirmed gazetteer candidate; the regions named unambiguously are the context."""
    context: set[str] = set()
    for c in run.cands:
        if c.ok and c.kind == "REGION" and len({r.entry.id for r in c.names}) == 1:
            entry_id = c.names[0].entry.id
            context.add(entry_id)
            context.update(run.gaz.ancestors(entry_id))
    for c in run.cands:
        if not c.ok or c.entry is not None or not c.names:
            continue
        entries = list(dict.fromkeys(r.entry for r in c.names))
        c.entry = entries[0] if len(entries) == 1 else _best(run, entries, c, context)


def _best(run: Run, entries: list[GazetteerEntry], c: Cand, context: set[str]) -> GazetteerEntry:
    """The entry the documented order prefers: designator, date, regional context, generality, gazetteer order."""
    order = {e.id: k for k, e in enumerate(run.gaz.entries)} if len(entries) > 1 else {}
    year = run.year

    def rank(e: GazetteerEntry) -> tuple:
        designated = 0 if c.subkind_hint and e.subkind == c.subkind_hint else 1
        valid = 0 if year is None or e.valid_in(year) else 1
        in_context = 0
        if e.kind == "REGION":
            in_context = 0 if (set(run.gaz.ancestors(e.id)) & context) or e.id in context else 1
        return (designated, valid, in_context, _generality(run, e), order.get(e.id, 0))

    return min(entries, key=rank)


def _generality(run: Run, e: GazetteerEntry) -> tuple[int, int]:
    """Sort key: lower is more general (sub-kind of a region, level of a programme, depth of a cluster)."""
    if e.kind == "REGION":
        rank = _SUBKIND_ORDER.get(e.subkind, 6)
        if e.subkind == "city" and not e.id.startswith("ks-"):
            rank = 2
        return (rank, 0)
    if e.kind == "PROGRAM":
        return (_LEVEL_ORDER.get(e.subkind, 4), 0)
    if e.kind == "CLUSTER":
        depth = len(run.gaz.ancestors(e.parent)) + 1 if e.parent else 0
        return (depth, 0)
    return (0, 0)


def apply_periods(run: Run) -> None:
    """Replace a programme by its entry for an explicit period that follows it; a period right after the name
    becomes part of the mention."""
    for c in run.cands:
        if not c.ok or c.kind != "PROGRAM" or c.entry is None:
            continue
        found = _period_after(run, c.e, c.s)
        if found is None:
            continue
        (y1, y2), p_end, direct = found
        target = _period_entry(run, c.entry, y1, y2)
        if target is None:
            continue
        c.entry = target
        if direct:
            c.e = p_end
            c.end = run.toks[p_end - 1].end


def _period_after(run: Run, e: int, s: int) -> tuple[tuple[int, int], int, bool] | None:
    """The period (from, to) a few words after a name ending at e, the end of the period, and whether it follows
    the name directly; None if there is none."""
    toks = run.toks
    j = e
    rest_of_word = run.compound_end(e - 1)  # "EFRE-Programm 2021–2027": the rest of the word is allowed
    limit = e + 8
    while j < len(toks) and j < limit and run.same_sentence(s, j) and toks[j].key not in (PARAGRAPH, ".", ";"):
        if j > e and toks[j].nl:
            break
        t = toks[j]
        if t.word and t.text.isdigit() and len(t.text) == 4:
            nxt = j + 1
            if nxt < len(toks) and toks[nxt].low == "bis":
                nxt += 1
            if nxt < len(toks) and toks[nxt].word and toks[nxt].text.isdigit() and len(toks[nxt].text) == 4:
                y1, y2 = int(t.text), int(toks[nxt].text)
                if 1950 < y1 < y2 < 2100:
                    between = run.text[toks[rest_of_word - 1].end : t.start] if j >= rest_of_word else ""
                    direct = j >= rest_of_word and not between.strip()
                    return (y1, y2), nxt + 1, direct
            return None
        j += 1
    return None


def _period_entry(run: Run, entry: GazetteerEntry, y1: int, y2: int) -> GazetteerEntry | None:
    """The entry of ``entry``'s programme family valid exactly y1–y2 (a period variant, predecessor or successor)."""
    if (entry.valid_from, entry.valid_to) == (y1, y2):
        return None
    family = run.gaz.lineage(entry.id) or (entry.id,)
    candidates = [run.ix.variants.get(entry.id, {}).get((y1, y2))]
    for member in family:
        m = run.gaz.get(member)
        if m is not None and (m.valid_from, m.valid_to) == (y1, y2):
            candidates.append(member)
        candidates.append(run.ix.variants.get(member, {}).get((y1, y2)))
    for cid in candidates:
        if cid and cid != entry.id:
            return run.gaz[cid]
    return None
