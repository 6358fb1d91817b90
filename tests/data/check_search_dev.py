"""Check the graded-relevance search evaluation set tests/data/search_dev.jsonl.

Each line is one query::

    {"id": "q01", "query": "...", "intent": "...", "kind": "region",
     "judgments": {"c06-kreis-mettmann-kompetenzfeld-schliesstechnik": 3, "shared:s006": 2, ...},
     "needs_shared": true}            # optional

Grades: 3 = exactly what was asked, 2 = clearly relevant, 1 = marginally relevant; unlisted documents are 0.
Documents are named by file stem: ``<stem>`` for demo/sources/<stem>.txt, ``shared:<id>`` for an entry of the
shared corpus MANIFEST (``<project>/../shared/corpus/MANIFEST.jsonl``).

``needs_shared: true`` marks queries whose relevant documents are (mainly) in the shared corpus; skip them when
the shared corpus is absent. Other queries may still list a shared document; when evaluating without the shared
corpus, drop the ``shared:`` judgments of those queries.

Checks: valid JSON with exactly the known fields, unique ids and query texts, non-empty query and intent, known
kind, grades are integers 1-3, every judged stem exists (demo/sources or the MANIFEST), at least one grade-2 or
grade-3 document per query, at least 40 queries, at least 3 needs_shared queries and every kind present.
A query must set ``needs_shared`` if it has no grade>=2 demo document, and a query that sets it must judge at
least one shared document. Prints counts per kind and judgment statistics.

Usage: python tests/data/check_search_dev.py [path/to/search_dev.jsonl]
Exit status 0 when clean, 1 on any error.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
DEMO_SOURCES = PROJECT / "demo" / "sources"
MANIFEST = Path(os.environ.get("CLUSTERMINE_SHARED_MANIFEST", PROJECT.parent / "shared" / "corpus" / "MANIFEST.jsonl"))
SHARED_PREFIX = "shared:"
KINDS = (
    "cluster_name",
    "region",
    "program",
    "concept",
    "inflection",
    "umlaut",
    "compound",
    "phrase_boolean",
    "doctype_intent",
    "typo",
)
REQUIRED = {"id", "query", "intent", "kind", "judgments"}
OPTIONAL = {"needs_shared"}
MIN_QUERIES = 40
MIN_SHARED_QUERIES = 3


def demo_stems() -> set[str]:
    return {p.stem for p in DEMO_SOURCES.glob("*.txt")}


def shared_ids() -> set[str] | None:
    if not MANIFEST.is_file():
        return None
    ids = set()
    with open(MANIFEST, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                ids.add(json.loads(line)["id"])
    return ids


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else HERE / "search_dev.jsonl"
    demo = demo_stems()
    shared = shared_ids()
    errors: list[str] = []
    notices: list[str] = []
    if shared is None:
        notices.append(f"shared MANIFEST not found at {MANIFEST}; shared: stems are not verified")

    seen_ids: set[str] = set()
    seen_queries: Counter[str] = Counter()
    per_kind: Counter[str] = Counter()
    per_kind_shared: Counter[str] = Counter()
    grade_counts: Counter[int] = Counter()
    judged_per_query: list[int] = []
    demo_docs_judged: set[str] = set()
    n_shared_queries = 0
    mixed: list[str] = []

    with open(data, encoding="utf-8") as f:
        lines = f.readlines()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: invalid JSON ({e})")
            continue
        if not isinstance(rec, dict):
            errors.append(f"{where}: not a JSON object")
            continue
        qid = rec.get("id")
        where = f"line {lineno} ({qid})"
        missing = REQUIRED - rec.keys()
        extra = rec.keys() - REQUIRED - OPTIONAL
        if missing:
            errors.append(f"{where}: missing fields {sorted(missing)}")
            continue
        if extra:
            errors.append(f"{where}: unknown fields {sorted(extra)}")
        if not isinstance(qid, str) or not qid:
            errors.append(f"{where}: id must be a non-empty string")
        elif qid in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(qid)
        for field in ("query", "intent"):
            if not isinstance(rec[field], str) or not rec[field].strip():
                errors.append(f"{where}: {field} must be a non-empty string")
        seen_queries[str(rec["query"]).strip().lower()] += 1
        kind = rec["kind"]
        if kind not in KINDS:
            errors.append(f"{where}: unknown kind {kind!r} (allowed: {', '.join(KINDS)})")
        needs_shared = rec.get("needs_shared", False)
        if not isinstance(needs_shared, bool):
            errors.append(f"{where}: needs_shared must be true or false")
            needs_shared = bool(needs_shared)

        judgments = rec["judgments"]
        if not isinstance(judgments, dict) or not judgments:
            errors.append(f"{where}: judgments must be a non-empty object")
            continue
        strong_demo = strong_shared = 0
        has_shared = False
        for stem, grade in judgments.items():
            if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 3:
                errors.append(f"{where}: grade for {stem!r} must be an integer 1-3, got {grade!r}")
                continue
            grade_counts[grade] += 1
            if stem.startswith(SHARED_PREFIX):
                has_shared = True
                sid = stem[len(SHARED_PREFIX) :]
                if shared is not None and sid not in shared:
                    errors.append(f"{where}: {stem!r} is not in the shared MANIFEST")
                strong_shared += grade >= 2
            else:
                if stem not in demo:
                    errors.append(f"{where}: {stem!r} is not a file stem in demo/sources")
                demo_docs_judged.add(stem)
                strong_demo += grade >= 2
        if strong_demo + strong_shared == 0:
            errors.append(f"{where}: no document graded 2 or 3")
        if strong_demo == 0 and strong_shared > 0 and not needs_shared:
            errors.append(f"{where}: all grade>=2 documents are shared but needs_shared is not set")
        if needs_shared and not has_shared:
            errors.append(f"{where}: needs_shared is set but no shared document is judged")
        if has_shared and not needs_shared:
            mixed.append(qid)
        if needs_shared:
            n_shared_queries += 1
            per_kind_shared[kind] += 1
        per_kind[kind] += 1
        judged_per_query.append(len(judgments))

    for q, n in seen_queries.items():
        if n > 1:
            errors.append(f"query text {q!r} occurs {n} times")
    n = len(judged_per_query)
    if n < MIN_QUERIES:
        errors.append(f"only {n} queries, at least {MIN_QUERIES} expected")
    if n_shared_queries < MIN_SHARED_QUERIES:
        errors.append(f"only {n_shared_queries} needs_shared queries, at least {MIN_SHARED_QUERIES} expected")
    for kind in KINDS:
        if per_kind[kind] == 0:
            errors.append(f"no query of kind {kind!r}")

    print(f"{data}: {n} queries, {sum(judged_per_query)} judgments")
    print("queries per kind (needs_shared in brackets):")
    for kind in KINDS:
        extra_s = f" [{per_kind_shared[kind]}]" if per_kind_shared[kind] else ""
        print(f"  {kind:<15} {per_kind[kind]:>3}{extra_s}")
    if n:
        print(
            f"judged documents per query: mean {sum(judged_per_query) / n:.1f}, "
            f"min {min(judged_per_query)}, max {max(judged_per_query)}"
        )
    print("grades: " + ", ".join(f"{g}: {grade_counts[g]}" for g in (3, 2, 1)))
    print(f"demo documents judged at least once: {len(demo_docs_judged)} of {len(demo)}")
    print(f"needs_shared queries: {n_shared_queries}")
    if mixed:
        print(
            "queries without needs_shared that also judge shared documents "
            "(drop those judgments when running without the shared corpus): " + ", ".join(mixed)
        )
    for msg in notices:
        print(f"NOTICE: {msg}")
    for msg in errors:
        print(f"ERROR: {msg}")
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
