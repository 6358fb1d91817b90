"""The entity extractor: runs the steps on one text in their order and resolves overlaps.

Why this order: gazetteer names come first because the compound, pattern and context rules look at them
(a pattern does not claim a known name, a field next to a known field is supported); patterns come before
the context rules because some of them supply context ("Kompetenzzentrum Mechatronik"); entries are chosen
only for confirmed candidates, and periods only after that. Where candidates overlap, the longest wins; on
equal length a gazetteer match beats a compound, which beats a pattern.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Sequence

from ...model import Entity
from ..gazetteer import Gazetteer, load_gazetteer
from .choice import apply_periods, choose_entries
from .cluster_patterns import match_clusters, match_programs
from .compound_heads import match_compounds, match_sector_words, match_truncations
from .context import support
from .matching import match_designated_lists, match_gazetteer
from .names import index_for
from .org_patterns import match_orgs
from .person_patterns import match_persons
from .run import Cand, Run


class EntityExtractor:
    """Finds entities in one text. Constructing it is cheap once the gazetteer is loaded (the index is cached).

    ``persons`` switches on the PERSON pattern (off by default: council papers name staff).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, persons: bool = False) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self.persons = persons
        self.index_ = index_for(self.gazetteer)

    def __call__(
        self, text: str, *, sentences: Sequence[tuple[int, int]] | None = None, date: str | None = None
    ) -> tuple[Entity, ...]:
        """Entities of ``text``, sorted by offset. ``sentences`` are (start, end) character spans (one sentence
        for the whole text if None); ``date`` (YYYY, YYYY-MM or YYYY-MM-DD) picks entries valid then."""
        if not text.strip():
            return ()
        run = Run(self.index_, self.gazetteer, text, sentences or [(0, len(text))], date)
        match_gazetteer(run)
        match_designated_lists(run)
        match_compounds(run)
        match_truncations(run)
        match_sector_words(run)
        match_programs(run)
        match_clusters(run)
        match_orgs(run)
        if self.persons:
            match_persons(run)
        support(run)
        choose_entries(run)
        apply_periods(run)
        return resolve_overlaps(run)


def resolve_overlaps(run: Run) -> tuple[Entity, ...]:
    """The confirmed candidates that win their overlaps (longest first, then lower ``prio``), as entities."""
    pool = [c for c in run.cands if c.ok and not c.dropped and (c.entry is not None or c.canonical)]
    pool.sort(key=lambda c: (-(c.end - c.start), c.prio, c.start))
    # the spans taken so far never overlap, so kept in order of start only the neighbours of a new span can
    # overlap it: a bisection per candidate instead of a scan (a 4 MB text has some 100,000 candidates)
    taken: list[tuple[int, int]] = []
    chosen: list[Cand] = []
    for c in pool:
        i = bisect_right(taken, (c.start, c.end))
        if (i and taken[i - 1][1] > c.start) or (i < len(taken) and taken[i][0] < c.end):
            continue
        insort(taken, (c.start, c.end))
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    out = []
    for c in chosen:
        k = max(0, bisect_right(run.sent_starts, c.start) - 1)
        s_start, s_end = run.sent_spans[k] if run.sent_spans else (0, len(run.text))
        entry = c.entry
        out.append(Entity(
            kind=c.kind,
            text=run.text[c.start : c.end],
            canonical=entry.canonical if entry is not None else c.canonical,
            start=c.start,
            end=c.end,
            id=entry.id if entry is not None else None,
            sentence_start=s_start,
            sentence_end=s_end,
            rule=c.rule,
        ))
    return tuple(out)
