"""Vocabulary trends: how often terms occur per period (or per document type, or per region) in a selection.

What a researcher needs to read a trend honestly, computed from the stored per-document term counts
(:mod:`clustermine.pipeline.termmatrix`), never from the texts again:

- **relative frequency**: occurrences per 10,000 words of the period, so a year with more (or longer)
  documents does not look like a rise;
- **alone and inside compounds, separately**: "Cluster" as a word of its own vs. "Cluster" inside
  "Clusterpolitik" — a rising "Cluster" may only be a rising "Clusterpolitik";
- **share of documents**: a term used 40 times in one report is not a trend; ``docs`` / ``docs_in_period``;
- **how thin each period is**: ``docs_in_period`` on every row and ``thin`` when it is below
  :data:`~clustermine.charts.THIN_BELOW`.

Terms are what users type, keyed like the search index keys words (``pipeline.terms.term_key``): inflected forms
and umlaut spellings meet ("Kompetenzfelder", "Kompetenzfeld", "Foerderung"). Three kinds (:func:`parse_term`):

- a word: its key, counted alone and inside compounds;
- an adjective–noun phrase ("regionale Wirtschaftsförderung"): its phrase key; only such pairs are counted;
- a prefix ("Cluster*"): every key that starts with the folded prefix, summed. Only whole-word counts are
  summed for a prefix — "Clusterpolitik" is both a word starting with "Cluster" and a word containing the part
  "Cluster", so adding compound counts would count it twice; ``count_in_compounds`` is ``None`` for prefixes.

Periods (:func:`year_groups`): one per year by default, bins of N years, or explicit periods; documents without a
date form an "undated" row only on request. Grouping by region (:func:`region_groups`) rolls each document up
the region hierarchy: a document mentioning Bochum counts for Bochum, Regierungsbezirk Arnsberg, NRW and the
Ruhrgebiet — once each, however often it names them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from clustermine.charts import THIN_BELOW
from clustermine.errors import ClustermineError, NotFoundError

__all__ = [
    "BY_CHOICES",
    "DocMeta",
    "EmptySelectionError",
    "Group",
    "TermError",
    "TermNotFoundError",
    "TermSpec",
    "TrendResult",
    "TrendRow",
    "check_found",
    "compute_trends",
    "document_meta",
    "doctype_groups",
    "one_per_version",
    "parse_periods",
    "parse_term",
    "region_groups",
    "resolve_terms",
    "year_groups",
]

#: What rows can be grouped by.
BY_CHOICES: tuple[str, ...] = ("year", "doctype", "region")
#: Label of the row of documents without a date.
UNDATED = "undated"
#: Region levels (the gazetteer's sub-kinds), largest first: the order ties between regions are broken in.
LEVELS: tuple[str, ...] = ("land", "region", "bezirk", "kreis", "city")

_PERIOD = re.compile(r"\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4}))?\s*")


class TermError(ClustermineError, ValueError):
    """A term that cannot be counted as typed (empty, a function word, a wildcard not at the end)."""


class TermNotFoundError(NotFoundError):
    """A term that occurs nowhere in the corpus."""


class EmptySelectionError(ClustermineError, ValueError):
    """The query and filters select no document, or none with what the computation needs (dates, counts)."""


# ------------------------------------------------------------------------------------------------- terms


@dataclass(frozen=True)
class TermSpec:
    """One term as asked for: ``text`` as typed, its ``kind`` (``word``, ``phrase``, ``prefix``) and ``key``
    (the term key, or the folded prefix). ``keys`` are the matrix columns it sums once resolved."""

    text: str
    kind: str
    key: str
    keys: tuple[str, ...] = ()

    @property
    def counts_compounds(self) -> bool:
        """Whether occurrences inside longer words are counted for this term (words only, see module doc)."""
        return self.kind == "word"


def parse_term(text: str) -> TermSpec:
    """Read one term as typed: ``Kompetenzfelder`` (word), ``regionale Wirtschaftsförderung`` (phrase),
    ``Cluster*`` (prefix). Raises :class:`TermError` for terms that can never be counted."""
    from clustermine.index.wordforms import STOP_WORDS, fold
    from clustermine.pipeline.terms import term_key

    raw = " ".join(text.split())
    if raw.endswith("*"):
        stem_text = raw.rstrip("*").strip()
        if not stem_text or "*" in stem_text or " " in stem_text:
            raise TermError(f"a prefix must be one word followed by '*', e.g. 'Cluster*'. Got {text!r} instead.")
        prefix = "".join(ch for ch in fold(stem_text) if ch.isalnum())
        if len(prefix) < 3:
            raise TermError(f"the prefix {text!r} is too short", hint="give at least three letters before '*'")
        return TermSpec(raw, "prefix", prefix)
    if "*" in raw:
        raise TermError(f"'*' is only allowed at the end of a term (a prefix). Got {text!r} instead.")
    key = term_key(raw)
    if not key:
        raise TermError(f"{text!r} contains no word to count", hint="give a word such as 'Clusterpolitik'")
    words = key.split(" ")
    if len(words) > 2:
        raise TermError(
            f"only single words and adjective–noun pairs are counted; {text!r} has {len(words)} words",
            hint="try its noun, or an adjective with its noun such as 'regionale Wirtschaftsförderung'",
        )
    if len(words) == 1 and (fold(raw) in STOP_WORDS or any(ch.isdigit() for ch in raw)):
        raise TermError(f"{text!r} is a function word or contains digits; such words are not counted as terms")
    return TermSpec(raw, "phrase" if len(words) == 2 else "word", key)


def resolve_terms(specs: Sequence[TermSpec], vocabulary: Collection[str]) -> list[TermSpec]:
    """Give each term the columns it sums: its own key if present, or for a prefix every key starting with it
    (plus the key of the prefix word itself, "Kompetenzfelder*" → ``kompetenzfeld``...)."""
    out = []
    for spec in specs:
        if spec.kind == "prefix":
            from clustermine.pipeline.terms import term_key

            own = term_key(spec.key)
            keys = tuple(sorted(k for k in vocabulary if " " not in k and (k.startswith(spec.key) or k == own)))
        else:
            keys = (spec.key,) if spec.key in vocabulary else ()
        out.append(TermSpec(spec.text, spec.kind, spec.key, keys))
    return out


def suggest(spec: TermSpec, vocabulary: dict[str, str], frequency: dict[str, int], n: int = 5) -> list[str]:
    """Close spellings from the corpus for a term not found (labels, commonest first among close ones)."""
    if spec.kind == "phrase":
        noun = spec.key.split(" ")[-1]
        near = [k for k in vocabulary if " " in k and (k.endswith(" " + noun) or k.startswith(spec.key[:4]))]
        near.sort(key=lambda k: (-frequency.get(k, 0), k))
        close = near[:n] or difflib.get_close_matches(spec.key, list(vocabulary), n=n, cutoff=0.75)
    else:
        candidates = [k for k in vocabulary if " " not in k]
        close = difflib.get_close_matches(spec.key, candidates, n=n, cutoff=0.75)
        if spec.kind == "word":
            # compounds containing the word are the commonest "not found" surprise ("Clusterinitiativen")
            longer = sorted((k for k in candidates if spec.key in k and k != spec.key),
                            key=lambda k: (-frequency.get(k, 0), k))
            close = list(dict.fromkeys([*close, *longer]))[:n]
    return [vocabulary[k] for k in close]


# -------------------------------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class DocMeta:
    """What grouping needs of the selected documents, row-aligned with the term matrix: ``year`` (-1 when
    undated), ``doctype`` and ``date`` (ISO, partial, or None) per document."""

    doc_ids: tuple[str, ...]
    year: Any  # numpy int array
    doctype: tuple[str, ...]
    date: tuple[str | None, ...]


def document_meta(store: Any, doc_ids: Sequence[str]) -> DocMeta:
    """Year, type and date of ``doc_ids`` (in that order) from the store."""
    import numpy as np

    found: dict[str, tuple[int, str, str | None]] = {}
    for start in range(0, len(doc_ids), 500):
        chunk = list(doc_ids[start:start + 500])
        marks = ",".join("?" * len(chunk))
        for row in store.conn.execute(f"SELECT id, year, doctype, date FROM documents WHERE id IN ({marks})", chunk):
            found[row[0]] = (row[1] if row[1] is not None else -1, row[2], row[3])
    values = [found.get(i, (-1, "other", None)) for i in doc_ids]
    return DocMeta(
        doc_ids=tuple(doc_ids),
        year=np.asarray([v[0] for v in values], dtype=np.int64),
        doctype=tuple(v[1] for v in values),
        date=tuple(v[2] for v in values),
    )


def one_per_version(store: Any, doc_ids: Sequence[str]) -> list[str]:
    """Keep one document per group of near-duplicates (a Vorlage and its Neufassung): the newest, so a revised
    paper is counted once, in the words it was finally written in. Order of ``doc_ids`` is kept."""
    from clustermine.index.collapse import store_groups

    groups = store_groups(store)
    if not groups:
        return list(doc_ids)
    dates = {}
    grouped = [i for i in doc_ids if i in groups]
    for start in range(0, len(grouped), 500):
        chunk = grouped[start:start + 500]
        marks = ",".join("?" * len(chunk))
        dates.update(store.conn.execute(f"SELECT id, date FROM documents WHERE id IN ({marks})", chunk).fetchall())
    best: dict[str, str] = {}
    for doc_id in grouped:
        root = groups[doc_id]
        current = best.get(root)
        if current is None or (dates.get(doc_id) or "", doc_id) > (dates.get(current) or "", current):
            best[root] = doc_id
    keep = set(best.values())
    return [i for i in doc_ids if i not in groups or i in keep]


# ---------------------------------------------------------------------------------------------------- groups


@dataclass(frozen=True)
class Group:
    """One row group of a trend: a period (``start``..``end`` years), a document type or a region."""

    label: str
    start: int | None = None
    end: int | None = None
    region_id: str | None = None
    level: str | None = None


def parse_periods(text: str) -> list[tuple[int, int]]:
    """``"1995-2005,2006-2015,2016"`` → ``[(1995, 2005), (2006, 2015), (2016, 2016)]``.

    Periods must be in order and must not overlap (a year counted in two periods would be compared with
    itself); gaps are allowed. Raises ``ValueError`` with what is wrong.
    """
    periods: list[tuple[int, int]] = []
    for part in text.split(","):
        match = _PERIOD.fullmatch(part)
        if not match:
            raise ValueError(f"each period must be YEAR or FIRST-LAST, e.g. 1995-2005,2006-2015. Got {part!r}.")
        first = int(match[1])
        last = int(match[2]) if match[2] else first
        if last < first:
            raise ValueError(f"the period {part.strip()!r} ends before it starts")
        if periods and first <= periods[-1][1]:
            raise ValueError(f"periods must be in order and must not overlap: {part.strip()!r} starts before "
                             f"{periods[-1][0]}-{periods[-1][1]} ends")
        periods.append((first, last))
    return periods


def period_label(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def year_groups(
    meta: DocMeta,
    *,
    bin_years: int = 1,
    periods: Sequence[tuple[int, int]] | None = None,
    years: tuple[int, int] | None = None,
    include_undated: bool = False,
) -> tuple[list[Group], list[list[int]]]:
    """Periods and the matrix rows in each: explicit ``periods``, or bins of ``bin_years`` years from the first
    year of the selection (or of ``years``) to its last. Every year in that span gets a period, also years
    without documents, so a chart's x axis is true to time. Undated documents form a last group only with
    ``include_undated``."""
    import numpy as np

    dated = meta.year[meta.year >= 0]
    groups: list[Group] = []
    members: list[list[int]] = []
    if periods:
        spans = list(periods)
    elif dated.size:
        first, last = int(dated.min()), int(dated.max())
        if years is not None:
            first, last = max(first, years[0]), min(last, years[1])
        # bins start at the first year asked for, else at a multiple of the bin size (2000-2004, 2005-2009)
        start = years[0] if years is not None and years[0] <= first else first - first % bin_years
        spans = []
        while start <= last:
            end = start + bin_years - 1
            if end >= first:
                spans.append((max(start, first), min(end, last)))
            start = end + 1
    else:
        spans = []
    for first, last in spans:
        rows = np.flatnonzero((meta.year >= first) & (meta.year <= last))
        groups.append(Group(period_label(first, last), first, last))
        members.append(rows.tolist())
    if include_undated:
        groups.append(Group(UNDATED))
        members.append(np.flatnonzero(meta.year < 0).tolist())
    return groups, members


def doctype_groups(meta: DocMeta) -> tuple[list[Group], list[list[int]]]:
    """One group per document type present, in the order of :data:`clustermine.model.DOCTYPES`."""
    from clustermine.model import DOCTYPES

    order = {t: i for i, t in enumerate(DOCTYPES)}
    present = sorted(set(meta.doctype), key=lambda t: (order.get(t, len(order)), t))
    members = [[i for i, t in enumerate(meta.doctype) if t == doctype] for doctype in present]
    return [Group(t) for t in present], members


def region_groups(store: Any, meta: DocMeta, *, top: int = 15) -> tuple[list[Group], list[list[int]], int]:
    """The ``top`` regions with most documents, each with the rows of the documents about it or about a place
    inside it (roll-up along the gazetteer's hierarchy from the canonical region ids in the entities table).

    Returns the groups, the rows of each, and how many documents name no known region at all.
    Ties go to the higher level (NRW before Dortmund), then the name. ``level`` is the gazetteer's sub-kind:
    ``city`` (a town or kreisfreie Stadt), ``kreis`` (a Landkreis), ``bezirk`` (Regierungsbezirk), ``land``,
    ``region`` (a named region such as the Ruhrgebiet).
    """
    from clustermine.corpus import entity_settings
    from clustermine.pipeline.gazetteer import load_gazetteer

    gazetteer = load_gazetteer(list(entity_settings(store).gazetteer_files))
    row_of = {doc_id: i for i, doc_id in enumerate(meta.doc_ids)}
    mentioned: dict[int, set[str]] = {}
    ids = list(meta.doc_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            "SELECT DISTINCT doc_id, entity_id FROM entities WHERE kind = 'REGION' AND entity_id IS NOT NULL "
            f"AND doc_id IN ({marks})",
            chunk,
        )
        for doc_id, entity_id in rows:
            mentioned.setdefault(row_of[doc_id], set()).add(entity_id)
    members: dict[str, list[int]] = {}
    for row, regions in sorted(mentioned.items()):
        rolled: set[str] = set()
        for region_id in regions:
            entry = gazetteer.get(region_id)
            if entry is None or entry.kind != "REGION":
                continue
            rolled.add(region_id)
            rolled.update(gazetteer.ancestors(region_id))  # a region's ancestors are regions
        for region_id in rolled:
            members.setdefault(region_id, []).append(row)
    rank = {level: i for i, level in enumerate(LEVELS)}

    def order(region_id: str) -> tuple[int, int, str]:
        entry = gazetteer[region_id]
        return (-len(members[region_id]), rank.get(entry.subkind, len(rank)), entry.canonical)

    chosen = sorted(members, key=order)[:top]
    groups = [
        Group(gazetteer[r].canonical, region_id=r, level=gazetteer[r].subkind) for r in chosen
    ]
    placed = {row for rows in members.values() for row in rows}
    return groups, [members[r] for r in chosen], len(meta.doc_ids) - len(placed)


# ------------------------------------------------------------------------------------------------------ rows


@dataclass(frozen=True)
class TrendRow:
    """One term in one group: the tidy row of ``trends --json`` (see the README for each field)."""

    term: str
    key: str
    period: str
    count: int
    count_alone: int
    count_in_compounds: int | None
    per_10k: float | None
    per_10k_alone: float | None
    docs: int
    docs_in_period: int
    tokens_in_period: int
    share_docs: float | None
    thin: bool
    period_start: int | None = None
    period_end: int | None = None
    region_id: str | None = None
    level: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.region_id is None:
            del data["region_id"], data["level"]
        return data


@dataclass(frozen=True)
class TrendResult:
    """Rows of every term × group, plus what a reader needs to judge them."""

    terms: tuple[TermSpec, ...]
    groups: tuple[Group, ...]
    rows: tuple[TrendRow, ...]
    by: str
    n_docs: int
    n_tokens: int
    notes: tuple[str, ...] = field(default=())

    def series(self, value: str = "per_10k") -> dict[str, list[Any]]:
        """Term → the values of one field in group order (for sparklines and charts)."""
        out: dict[str, list[Any]] = {spec.text: [] for spec in self.terms}
        for row in self.rows:
            out[row.term].append(getattr(row, value))
        return out

    def docs_per_group(self) -> list[int]:
        return [row.docs_in_period for row in self.rows[: len(self.groups)]]


def compute_trends(
    store: Any,
    terms: Sequence[str],
    *,
    doc_ids: Sequence[str] | None = None,
    by: str = "year",
    bin_years: int = 1,
    periods: Sequence[tuple[int, int]] | None = None,
    years: tuple[int, int] | None = None,
    include_undated: bool = False,
    top_regions: int = 15,
) -> TrendResult:
    """Count ``terms`` per period (``by="year"``), document type or region in the documents ``doc_ids`` (all
    counted documents when None). Call :func:`~clustermine.pipeline.termmatrix.sync_terms` first.

    Raises :class:`TermError` for a term that cannot be counted, :class:`TermNotFoundError` (with close
    spellings) for a term the corpus does not contain, :class:`EmptySelectionError` when nothing is left to
    count. A term in the corpus but not in the selection gets rows of zeros and a note.
    """
    import numpy as np
    from scipy import sparse

    from clustermine.pipeline.termmatrix import load_term_matrix

    if by not in BY_CHOICES:
        raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}. Got {by!r} instead.")
    if bin_years < 1:
        raise ValueError(f"bin_years must be at least 1. Got {bin_years} instead.")
    specs = [parse_term(t) for t in dict.fromkeys(terms)]
    if not specs:
        raise TermError("no term given", hint="e.g. clustermine trends Cluster Kompetenzfeld")
    if doc_ids is not None and not doc_ids:
        raise EmptySelectionError("the query and filters select no document",
                                  hint="check the query with 'clustermine search', or loosen the filters")
    has_prefix = any(s.kind == "prefix" for s in specs)
    matrix = load_term_matrix(store, doc_ids, keys=None if has_prefix else {s.key for s in specs})
    if not matrix.doc_ids:
        raise EmptySelectionError("no selected document has term counts yet",
                                  hint="add documents first ('clustermine add FOLDER')")
    specs = resolve_terms(specs, matrix.keys)
    notes = check_found(store, specs)
    meta = document_meta(store, matrix.doc_ids)
    if by == "year":
        groups, members = year_groups(meta, bin_years=bin_years, periods=periods, years=years,
                                      include_undated=include_undated)
        if not groups:
            raise EmptySelectionError(
                f"none of the {len(meta.doc_ids)} selected documents has a date",
                hint="use --include-undated, or --by doctype",
            )
        if not any(members[i] for i, g in enumerate(groups) if g.label != UNDATED) and not include_undated:
            raise EmptySelectionError(
                "no selected document is dated in " + ", ".join(g.label for g in groups),
                hint="choose periods that contain documents (see 'clustermine stats')",
            )
        undated = int((meta.year < 0).sum())
        if undated and not include_undated:
            notes.append(f"{_n(undated, 'undated document is', 'undated documents are')} left out "
                         "(--include-undated shows them).")
        outside = len(meta.doc_ids) - undated - len({r for rows in members for r in rows if meta.year[r] >= 0})
        if outside:
            notes.append(f"{_n(outside, 'document lies', 'documents lie')} outside the periods.")
    elif by == "doctype":
        groups, members = doctype_groups(meta)
    else:
        groups, members, without = region_groups(store, meta, top=top_regions)
        if without:
            notes.append(f"{_n(without, 'document names', 'documents name')} no known region.")
        if not groups:
            raise EmptySelectionError("no selected document names a known region", hint="use --by year")

    n_docs, n_groups = len(meta.doc_ids), len(groups)
    membership = sparse.csr_matrix(
        (np.ones(sum(map(len, members))), (np.repeat(np.arange(n_groups), [len(m) for m in members]),
                                           np.fromiter((r for m in members for r in m), dtype=np.int64))),
        shape=(n_groups, n_docs),
    )
    # term × key aggregation: one column per term, summing the keys it stands for
    col_rows, col_cols = [], []
    for t, spec in enumerate(specs):
        for key in spec.keys:
            j = matrix.column(key)
            if j is not None:
                col_rows.append(j)
                col_cols.append(t)
    combine = sparse.csr_matrix((np.ones(len(col_rows)), (col_rows, col_cols)), shape=(len(matrix.keys), len(specs)))
    alone = (matrix.whole @ combine).toarray()  # docs × terms
    parts = (matrix.parts @ combine).toarray()
    with_parts = np.asarray([s.counts_compounds for s in specs])
    total = alone + parts * with_parts
    g_alone = membership @ alone
    g_parts = membership @ parts
    g_total = membership @ total
    g_docs = membership @ (total > 0).astype(np.float64)
    g_tokens = membership @ matrix.n_tokens.astype(np.float64)
    g_n = np.asarray(membership.sum(axis=1)).ravel()

    rows = []
    for t, spec in enumerate(specs):
        for g, group in enumerate(groups):
            tokens = int(g_tokens[g])
            n_in = int(g_n[g])
            count = int(round(g_total[g, t]))
            count_alone = int(round(g_alone[g, t]))
            rows.append(TrendRow(
                term=spec.text,
                key=spec.key,
                period=group.label,
                count=count,
                count_alone=count_alone,
                count_in_compounds=int(round(g_parts[g, t])) if spec.counts_compounds else None,
                per_10k=round(count / tokens * 10_000, 3) if tokens else None,
                per_10k_alone=round(count_alone / tokens * 10_000, 3) if tokens else None,
                docs=int(round(g_docs[g, t])),
                docs_in_period=n_in,
                tokens_in_period=tokens,
                share_docs=round(g_docs[g, t] / n_in, 4) if n_in else None,
                thin=n_in < THIN_BELOW,
                period_start=group.start,
                period_end=group.end,
                region_id=group.region_id,
                level=group.level,
            ))
    return TrendResult(tuple(specs), tuple(groups), tuple(rows), by, n_docs, int(matrix.n_tokens.sum()),
                       tuple(notes))


def check_found(store: Any, specs: Sequence[TermSpec]) -> list[str]:
    """Raise :class:`TermNotFoundError` (with close spellings) for a resolved term the whole corpus lacks;
    return notes for the terms only the selection lacks."""
    missing = [s for s in specs if not s.keys]
    if not missing:
        return []
    from clustermine.pipeline.termmatrix import load_term_matrix

    everything = load_term_matrix(store)
    vocabulary = dict(zip(everything.keys, everything.labels, strict=True))
    notes = []
    for spec in missing:
        in_corpus = resolve_terms([spec], vocabulary)[0].keys
        if in_corpus:
            notes.append(f"„{spec.text}“ occurs in the corpus, but not in the selected documents.")
            continue
        frequency = _frequencies(everything)
        close = suggest(spec, vocabulary, frequency)
        hint = ("close spellings in the corpus: " + ", ".join(close)) if close else None
        if spec.kind == "phrase":
            raise TermNotFoundError(
                f"the phrase „{spec.text}“ was not found in the corpus; only adjective–noun phrases are counted "
                "(„regionale Wirtschaftsförderung“), and this one is not one or does not occur",
                hint=hint or "count its noun instead",
            )
        raise TermNotFoundError(f"„{spec.text}“ was not found in the corpus", hint=hint)
    return notes


def _frequencies(matrix: Any) -> dict[str, int]:
    import numpy as np

    totals = np.asarray(matrix.whole.sum(axis=0)).ravel()
    return dict(zip(matrix.keys, totals.tolist(), strict=True))


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
