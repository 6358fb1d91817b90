"""Why a document matched: per query word, which index terms (exact, stem, compound part, expansion) matched
in which field, and what each field contributed to the score.

Read from the index itself (the postings of the hit) rather than reconstructed from the text, so the
explanation cannot disagree with the ranking. Only computed for the hits of one page, when asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from clustermine.index.schema import TEXT_FIELDS, WordInfo


@dataclass(frozen=True)
class QueryWord:
    """One word or phrase of the query with its analysis and its own compiled whoosh query."""

    text: str
    info: WordInfo
    query: wq.Query
    phrase: bool = False


def expanded_terms(query: wq.Query, reader: Any) -> set[tuple[str, str]]:
    """(field, term) pairs of a query that exist in the index, prefixes and fuzzy words expanded.

    Walks the leaves itself: whoosh's ``Query.existing_terms`` reuses its ``fieldname`` argument as a loop
    variable and so drops every field after the first one it meets.
    """
    out = set()
    for leaf in query.leaves():
        for field, term in leaf.expanded_terms(reader, phrases=True):
            if (field, term) in reader:
                out.add((field, term.decode("utf-8") if isinstance(term, bytes) else str(term)))
    return out


def explain_hit(searcher: Any, docnum: int, score: float, words: Iterable[QueryWord]) -> dict[str, Any]:
    """The explanation of one hit: ``{"terms": [...], "fields": {field: score}, "score": score}``."""
    reader = searcher.reader()
    fields: dict[str, float] = {}
    terms_out = []
    for word in words:
        found = []
        for field, term in sorted(expanded_terms(word.query, reader)):
            if field not in TEXT_FIELDS:
                continue
            value = _term_score(searcher, reader, field, term, docnum)
            if value is None:
                continue
            found.append({"term": term, "field": field, "kind": _kind(word, term), "score": round(value, 3)})
            fields[field] = fields.get(field, 0.0) + value
        terms_out.append(
            {
                "query": word.text,
                "folded": word.info.folded,
                "stem": word.info.stem,
                "parts": list(word.info.parts),
                "matched": _describe(found),
                "details": found,
            }
        )
    return {
        "terms": terms_out,
        "fields": {f: round(v, 3) for f, v in sorted(fields.items(), key=lambda kv: -kv[1])},
        "score": round(score, 3),
    }


def _term_score(searcher: Any, reader: Any, field: str, term: str, docnum: int) -> float | None:
    """BM25F score of ``term`` in ``field`` of one document, or None if the document lacks the term."""
    if hasattr(searcher, "term_score"):  # the tantivy backend
        return searcher.term_score(field, term, docnum)
    try:
        matcher = reader.postings(field, term)
    except Exception:  # whoosh raises TermNotFound (a KeyError subclass in some versions)
        return None
    if not matcher.is_active():
        return None
    if matcher.id() != docnum:
        matcher.skip_to(docnum)
    if not matcher.is_active() or matcher.id() != docnum:
        return None
    scorer = searcher.weighting.scorer(searcher, field, term)
    return float(scorer.score(matcher))


def _kind(word: QueryWord, term: str) -> str:
    if word.phrase:
        return "phrase"
    stems = set(word.info.stem.split())
    if term in stems:
        return "exact"
    if term in word.info.part_stems:
        return "part"
    return "expanded"  # prefix*, wildcard or fuzzy~ match


_KIND_ORDER = ("exact", "phrase", "expanded", "part")


def _describe(found: list[dict[str, Any]]) -> list[str]:
    """Readable lines: "clusterfoerderung in title, body", "cluster + foerderung (parts) in body"."""
    by_kind: dict[tuple[str, str], list[str]] = {}
    for item in sorted(found, key=lambda i: (_KIND_ORDER.index(i["kind"]), TEXT_FIELDS.index(i["field"]))):
        by_kind.setdefault((item["kind"], item["field"]), []).append(item["term"])
    lines: dict[str, list[str]] = {}
    for (kind, field), terms in by_kind.items():
        label = " + ".join(sorted(terms)) if kind in ("part", "phrase") else ", ".join(sorted(terms))
        if kind == "part":
            label += " (parts)"
        elif kind == "phrase":
            label += " (phrase)"
        elif kind == "expanded":
            label += " (expanded)"
        lines.setdefault(label, []).append(field)
    return [f"{label} in {', '.join(fields)}" for label, fields in lines.items()]
