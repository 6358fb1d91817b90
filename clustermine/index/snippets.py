"""The passage of a hit's text that shows why it matched, with the matched words marked ``[[like this]]``.

The text comes from the store (the index does not keep the body). Words are matched through the *index*
analysis of each word, so what is highlighted is exactly what matched: for the query "Förderung" the word
"Clusterförderung" lights up (its compound part matched), and so do "Förderungen" and "Foerderung". For a
compound query ("Clusterförderung") its parts are highlighted only in a text that lacks the compound itself,
so a paper about Clusterförderung does not light up every "Wirtschaftsförderung".

The window of about 260 characters with the most distinct query terms (then the most matches) wins; when it
misses query terms that occur elsewhere, a second shorter passage that has them is added.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

#: What counts as a word of the text (hyphenated and dotted forms stay one word, as in the index).
WORD = re.compile(r"\w+(?:[-\u2010\u2011.]\w+)*")
_SPACE = re.compile(r"\s+")

WIDTH = 260
SECOND_WIDTH = 140
ELLIPSIS = "…"

#: Index terms of one word with their character spans inside the word.
Forms = Callable[[str], list[tuple[str, int, int]]]

#: Per query word: its own index terms (the word, its stem, prefix or fuzzy expansions) and its compound parts.
TermGroup = tuple[Collection[str], Collection[str]]


@dataclass(frozen=True)
class Match:
    """A word of the text that matched, with the query terms it matched (parts of one word may match two)."""

    start: int
    end: int
    terms: frozenset[str]


def find_matches(text: str, groups: Sequence[TermGroup], forms: Forms) -> list[Match]:
    """Spans of ``text`` that match the query, in text order, one per word of the text.

    A query word's compound parts count only where the text does not contain the word itself.
    """
    primary = {t for group in groups for t in group[0]}
    secondary = {t for group in groups for t in group[1]} - primary
    wanted = primary | secondary
    spans: list[tuple[int, list[tuple[str, int, int]]]] = []
    present: set[str] = set()
    for m in WORD.finditer(text):
        hits = [(term, m.start() + s, m.start() + e) for term, s, e in forms(m.group()) if term in wanted]
        if hits:
            spans.append((m.start(), hits))
            present.update(term for term, _, _ in hits)
    allowed = set(primary)
    for own, parts in groups:
        if not present.intersection(own):
            allowed.update(parts)
    found = []
    for _, hits in spans:
        kept = [h for h in hits if h[0] in allowed]
        if kept:  # "Cluster-Förderung" for the parts cluster + foerderung: mark the whole word
            found.append(Match(min(h[1] for h in kept), max(h[2] for h in kept), frozenset(h[0] for h in kept)))
    return found


def make_snippet(text: str, groups: Sequence[TermGroup], forms: Forms, *, width: int = WIDTH) -> str:
    """The best passage of ``text`` for the query's term groups, matched words marked, whitespace cleaned."""
    matches = find_matches(text, groups, forms) if groups else []
    if not matches:
        return _render(text, 0, _cut_end(text, min(len(text), width)), [])
    first = _best_window(matches, width)
    missing = _terms(matches) - _terms(first)
    second = _best_window([m for m in matches if m.terms & missing], SECOND_WIDTH) if missing else None
    if not second:
        start, end = _frame(text, first, width)
        return _render(text, start, end, matches)
    windows = sorted([(first, width - SECOND_WIDTH), (second, SECOND_WIDTH)], key=lambda w: w[0][0].start)
    frames = [_frame(text, window, limit) for window, limit in windows]
    if frames[0][1] >= frames[1][0]:  # the two passages touch: one passage
        return _render(text, frames[0][0], max(frames[0][1], frames[1][1]), matches)
    return _join([_render(text, s, e, matches) for s, e in frames])


def _best_window(matches: list[Match], width: int) -> list[Match]:
    """The run of consecutive matches within ``width`` characters with most distinct terms, then most matches."""
    best: list[Match] = []
    best_key = (-1, -1, 0)
    j = 0
    for i in range(len(matches)):
        if j < i:
            j = i
        while j + 1 < len(matches) and matches[j + 1].end - matches[i].start <= width * 0.8:
            j += 1
        window = matches[i : j + 1]
        key = (len(_terms(window)), len(window), -matches[i].start)
        if key > best_key:
            best, best_key = window, key
    return best


def _terms(matches: list[Match]) -> set[str]:
    return {term for m in matches for term in m.terms}


def _frame(text: str, window: list[Match], width: int) -> tuple[int, int]:
    """Characters around a window of matches: a little before the first match (from a sentence start if one
    is near), the rest after; both ends on word boundaries."""
    span_start, span_end = window[0].start, window[-1].end
    spare = max(0, width - (span_end - span_start))
    start = max(0, span_start - min(spare // 3, 80))
    if start > 0:
        sentence = max(text.rfind(". ", start, span_start), text.rfind("\n", start, span_start))
        word = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start))  # else back to the start of the word
        start = (sentence if sentence >= 0 else word) + 1
    end = _cut_end(text, min(len(text), start + max(width, span_end - start)))
    return start, max(end, span_end)


def _cut_end(text: str, end: int) -> int:
    """Move ``end`` back to the end of a word (never before the text's first word)."""
    if end >= len(text) or text[end].isspace():
        return end
    space = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end))
    return space if space > 0 else end


def _render(text: str, start: int, end: int, matches: list[Match]) -> str:
    pieces, at = [], start
    for m in matches:
        if m.start < start or m.end > end:
            continue
        pieces.append(text[at : m.start])
        pieces.append(f"[[{text[m.start : m.end]}]]")
        at = m.end
    pieces.append(text[at:end])
    body = _SPACE.sub(" ", "".join(pieces)).strip()
    if start > 0:
        body = ELLIPSIS + " " + body
    if end < len(text.rstrip()):
        body = body + " " + ELLIPSIS
    return body


def _join(parts: list[str]) -> str:
    out = parts[0]
    for part in parts[1:]:
        if out.endswith(ELLIPSIS) and part.startswith(ELLIPSIS):
            part = part[len(ELLIPSIS) :].lstrip()
        out = out + " " + part
    return out


_FORMS_LIMIT = 200_000
_forms_cache: dict[tuple[str, str], list[tuple[str, int, int]]] = {}


def index_forms(profile_name: str) -> Forms:
    """Index terms of a word under an analysis profile, with their spans, cached per word (texts repeat)."""
    from clustermine.index.schema import analyzer

    chain = analyzer(profile_name, "index")

    def forms(word: str) -> list[tuple[str, int, int]]:
        key = (profile_name, word)
        found = _forms_cache.get(key)
        if found is None:
            found = [(t.text, t.startchar, t.endchar) for t in chain(word, chars=True, positions=True)]
            if len(_forms_cache) >= _FORMS_LIMIT:
                _forms_cache.clear()
            _forms_cache[key] = found
        return found

    return forms
