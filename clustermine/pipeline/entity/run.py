"""The state of one extraction: sub-tokens, sentence of each sub-token, candidates, and shared helpers.

Why a separate module: every step (:mod:`.matching`, :mod:`.compound_heads`, the pattern modules,
:mod:`.context`, :mod:`.choice`) reads and extends the same candidate list, so the list, the candidate record
and the helpers they share (surface text of a span, the word around a sub-token, adding a candidate) live here,
apart from the steps and from :mod:`.extractor`, which runs them in order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..gazetteer import Gazetteer, GazetteerEntry
from .keys import Tok, tokenize
from .names import Name, NameIndex


@dataclass(slots=True)
class Cand:
    """A possible entity over sub-tokens ``s`` to ``e`` (exclusive)."""

    s: int
    e: int
    start: int
    end: int
    kind: str
    rule: str
    prio: int  # 0 gazetteer, 1 compound, 2 pattern (lower wins on equal length)
    names: list[Name] = field(default_factory=list)
    canonical: str = ""
    entry: GazetteerEntry | None = None
    need: str = ""  # "", "place", "weak", "sector": which support the candidate still needs
    subkind_hint: str = ""  # a designator in the text ("kreis", "city", ...)
    ok: bool = True
    dropped: bool = False  # replaced by a better reading of the same words


def _year_of(date: str | None) -> int | None:
    """The year of a YYYY[-MM[-DD]] date, or None."""
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def _sentence_of_tokens(toks: list[Tok], starts: list[int]) -> list[int]:
    """Per sub-token, the index of the last sentence starting at or before it (0 before the first): one
    bisection per sentence instead of one per sub-token."""
    offsets = [t.start for t in toks]
    sent: list[int] = []
    lo = 0
    for k in range(len(starts) - 1):
        hi = bisect_left(offsets, starts[k + 1], lo)
        sent.extend([k] * (hi - lo))
        lo = max(lo, hi)
    sent.extend([max(0, len(starts) - 1)] * (len(offsets) - lo))
    return sent


class Run:
    """The work on one text: its sub-tokens, sentences and candidates, and small helpers every rule uses.

    Kept out of :class:`~.extractor.EntityExtractor` so that the extractor stays stateless; each step of the
    extraction is a function of a ``Run`` that adds candidates or decides about them.
    """

    def __init__(self, index: NameIndex, gazetteer: Gazetteer, text: str, sentences: Sequence[tuple[int, int]],
                 date: str | None):
        self.ix, self.gaz = index, gazetteer
        self.text = text
        self.year = _year_of(date)
        self.toks = tokenize(text)
        self.sent_spans = sorted(sentences)
        starts = [s for s, _ in self.sent_spans]
        self.sent_starts = starts
        self.sent = _sentence_of_tokens(self.toks, starts)
        self.cands: list[Cand] = []
        self.starts: dict[int, list[Cand]] = defaultdict(list)  # candidates by first sub-token

    # -- small helpers --------------------------------------------------------------------------------------------

    def tok_word(self, i: int) -> Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) and self.toks[i].word else None

    def same_sentence(self, i: int, j: int) -> bool:
        return 0 <= i < len(self.toks) and 0 <= j < len(self.toks) and self.sent[i] == self.sent[j]

    def surface(self, s: int, e: int) -> str:
        return self.text[self.toks[s].start : self.toks[e - 1].end]

    def clean(self, s: int, e: int) -> str:
        """The words s..e as a name: line-end hyphens undone, white space collapsed ("Klimaschutz mit System")."""
        parts = []
        for k in range(s, e):
            t = self.toks[k]
            if k > s:
                parts.append(self.text[self.toks[k - 1].end : t.start])
            parts.append(t.form if t.word else t.text)
        name = " ".join("".join(parts).split())
        if name.count("(") > name.count(")"):
            name += ")"
        return name

    def prev_word(self, i: int) -> str:
        j = i - 1
        if j >= 0 and self.toks[j].word and self.same_sentence(i, j):
            return self.toks[j].low
        return ""

    def compound_start(self, i: int) -> int:
        while i > 0 and self.toks[i].jp:
            i -= 1
        return i

    def compound_end(self, i: int) -> int:
        """Index after the last part of the word that contains sub-token i."""
        while i < len(self.toks) - 1 and self.toks[i].jn:
            i += 1
        return i + 1

    def add(self, s: int, e: int, kind: str, rule: str, prio: int, **kw: Any) -> Cand:
        end = self.toks[e - 1].end
        if kw.pop("with_hyphen", False):
            end += 1
        opened = self.text.count("(", self.toks[s].start, end) - self.text.count(")", self.toks[s].start, end)
        if opened > 0 and self.text[end : end + 1] == ")":
            end += 1  # "Integration durch Qualifizierung (IQ)"
        cand = Cand(s, e, self.toks[s].start, end, kind, rule, prio, **kw)
        self.cands.append(cand)
        self.starts[s].append(cand)
        return cand

    def at(self, s: int) -> list[Cand]:
        """Candidates starting at sub-token s."""
        return self.starts.get(s, [])
