"""Where a name the gazetteer does not know begins and ends: the boundaries every pattern relies on.

Why shared: the patterns for clusters, programmes, organisations and persons all start from a trigger word and
must decide how far the name after (or before) it goes: a quoted phrase, a made-up name ("SmartHealth.Ruhr"),
or capitalised words, never across a bracket, quote or new list item.
"""

from __future__ import annotations

from .keys import is_brand, is_cap
from .run import Run

#: Quotation marks that open and close a quoted name („X“, "X", »X«).
_QUOTES_OPEN = "„“\"»‚"
_QUOTES_CLOSE = "“”\"«‘"
#: Marks a name does not run across.
_BREAKS = frozenset("()[];„“”\"»«|")
#: Capitalised words that are no part of a name: function words at a sentence start, titles, "Firma", "Tel".
CAP_STOP = frozenset({
    "Die", "Der", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Mit", "Von", "Bei", "In", "Im", "Aus", "Auf", "Am",
    "An", "Zu", "Zum", "Zur", "Für", "Nach", "Seit", "Unter", "Vor", "Bis", "Auch", "Als", "Wie", "Dass", "Wenn",
    "Diese", "Dieser", "Dieses", "Herr", "Frau", "Sie", "Er", "Es", "Wir", "Ihr", "Unser", "Unsere", "Beim", "Vom",
    "Über", "Durch", "Gegen", "Sowie", "Und", "Oder", "Zudem", "Daher", "Damit", "Hier", "Dort", "Dazu", "So",
    "Nur", "Noch", "Bereits", "Ab", "Um", "Ob", "Da", "Was", "Wer", "Welche", "Welcher", "Jeder", "Alle",
    "Firma", "Fa", "Quelle", "Tel", "Fax",
})


def gap_before(run: Run, j: int) -> str:
    """The text between sub-token j-1 and sub-token j."""
    return run.text[run.toks[j - 1].end : run.toks[j].start] if j > 0 else ""


def breaks_name(run: Run, j: int, *, wrapped: bool = False) -> bool:
    """Whether a name cannot continue into sub-token j (bracket, quote, semicolon or line break before it).

    ``wrapped`` allows a single line break (PDF text wraps names: "TRK\nGmbH")."""
    gap = gap_before(run, j)
    if wrapped:  # a wrapped line goes on, a new list item ("\n– ...") does not
        return gap.count("\n") > 1 or any(ch in _BREAKS or ch in "–—-•*" for ch in gap)
    return "\n" in gap or any(ch in _BREAKS for ch in gap)


def region_at(run: Run, j: int) -> int:
    """End of a gazetteer region starting at sub-token j, or 0."""
    return max((c.e for c in run.at(j) if c.kind == "REGION" and c.prio == 0 and not c.dropped),
               default=0)


def name_after(run: Run, i: int, *, max_words: int = 6) -> tuple[int, bool] | None:
    """End (exclusive) of a name starting at sub-token i, and whether it was quoted; None if there is none.

    A name is a quoted phrase („X“); or a made-up name ("SmartHealth.Ruhr", "LausitzEnergie") optionally
    followed by a place; or capitalised words joined by "und"/"&" and hyphens.
    """
    toks, text = run.toks, run.text
    if i >= len(toks) or not run.same_sentence(i - 1, i):
        return None
    first = toks[i]
    before = text[toks[i - 1].end if i > 0 else 0 : first.start].strip()
    if before and before[-1] in _QUOTES_OPEN:
        j = i
        while j < len(toks) - 1 and j - i < 12 and run.same_sentence(i, j):
            if any(q in gap_before(run, j + 1) for q in _QUOTES_CLOSE):
                return j + 1, True
            j += 1
        return None
    if "\n" in gap_before(run, i) or not is_cap(first) or first.text in CAP_STOP:
        return None
    j, words = i, 0
    if is_brand(first):
        j = run.compound_end(i)
        while j < len(toks) and not breaks_name(run, j) and (is_brand(toks[j]) or region_at(run, j)):
            j = region_at(run, j) or run.compound_end(j)
        return j, False
    while j < len(toks) and words < max_words and (j == i or not breaks_name(run, j)):
        t = toks[j]
        if t.word and (t.text[:1].isupper() or t.text[:1].isdigit()) and (j == i or t.text not in CAP_STOP):
            j = run.compound_end(j)
            words += 1
            continue
        if t.word and t.trunc and j + 1 < len(toks) and toks[j + 1].low == "und":
            j += 1
            continue
        if j > i and t.low in ("und", "&") and j + 1 < len(toks) and is_cap(toks[j + 1]) \
                and toks[j + 1].text not in CAP_STOP:
            j += 1
            continue
        break
    return (j, False) if j > i else None


def followed_by_break(run: Run, e: int) -> bool:
    """Whether the name ending before sub-token e stands at the end of a phrase (punctuation or lower case)."""
    if e >= len(run.toks):
        return True
    t = run.toks[e]
    return not t.word or t.text[:1].islower() or breaks_name(run, e)
