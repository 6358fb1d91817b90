"""Search quality on the graded dev set (tests/data/search_dev.jsonl): nDCG@10 and MRR, German chain vs. plain.

The collection is the demo corpus plus, when ``../shared`` is present, the real documents in ``../shared/corpus``
(queries that need them are skipped otherwise, and judgments of shared documents are dropped). Both analysis
profiles are measured in the same run over the same stored documents, so the gain is the analysis chain's alone;
the German chain is measured on both search backends (whoosh, and tantivy when it is installed).
Near-duplicates are not collapsed here: the judgments grade both members of each pair.

Usage: python bench/eval_search.py [--errors] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEV = ROOT / "tests" / "data" / "search_dev.jsonl"
DEMO = ROOT / "demo" / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
K = 10


def load_queries(with_shared: bool) -> list[dict]:
    queries = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("needs_shared") and not with_shared:
            continue
        if not with_shared:
            record["judgments"] = {k: v for k, v in record["judgments"].items() if not k.startswith("shared:")}
        queries.append(record)
    return queries


def doc_key(source: str) -> str:
    path = Path(source)
    return f"shared:{path.stem}" if path.parent.resolve() == SHARED.resolve() else path.stem


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def evaluate(store, queries: list[dict], *, fallbacks: bool = True) -> dict:
    from clustermine.index import search

    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    rows = []
    for q in queries:
        result = search(store, q["query"], limit=K, collapse=False, autocorrect=fallbacks, relax=fallbacks)
        keys = [doc_key(h.source) for h in result.hits]
        grades = [q["judgments"].get(k, 0) for k in keys]
        ideal = sorted(q["judgments"].values(), reverse=True)[:K]
        ndcg = dcg(grades) / dcg(ideal) if ideal else 0.0
        first = next((i for i, g in enumerate(grades) if g >= 2), None)
        mrr = 1.0 / (first + 1) if first is not None else 0.0
        per_kind[q["kind"]].append((ndcg, mrr))
        missed = [k for k, g in sorted(q["judgments"].items(), key=lambda x: -x[1]) if g >= 2 and k not in keys]
        rows.append({"id": q["id"], "query": q["query"], "kind": q["kind"], "ndcg": round(ndcg, 3),
                     "mrr": round(mrr, 3), "top": keys[:3], "missed": missed[:5]})
    all_scores = [s for scores in per_kind.values() for s in scores]
    return {
        "queries": len(rows),
        "ndcg@10": round(sum(s[0] for s in all_scores) / len(all_scores), 3),
        "mrr": round(sum(s[1] for s in all_scores) / len(all_scores), 3),
        "by_kind": {k: {"n": len(v), "ndcg@10": round(sum(s[0] for s in v) / len(v), 3),
                        "mrr": round(sum(s[1] for s in v) / len(v), 3)} for k, v in sorted(per_kind.items())},
        "rows": rows,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list queries below nDCG 0.7 with missed documents")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from clustermine.corpus import add_paths, open_store
    from clustermine.index import sync_index

    with_shared = SHARED.exists()
    paths = [str(DEMO)] + ([str(SHARED)] if with_shared else [])
    work = Path(tempfile.mkdtemp(prefix="cm-eval-search-"))
    try:
        german_home, plain_home, tantivy_home = work / "german", work / "plain", work / "tantivy"
        with open_store(german_home) as store:
            add_paths(store, paths, entities=_entity_settings())
            sync_index(store, backend="whoosh")
        shutil.copytree(german_home, plain_home, ignore=shutil.ignore_patterns("index*"))
        shutil.copytree(german_home, tantivy_home, ignore=shutil.ignore_patterns("index*"))
        results = {}
        with open_store(german_home) as store:
            results["german"] = evaluate(store, load_queries(with_shared))
            results["german, no fallbacks"] = evaluate(store, load_queries(with_shared), fallbacks=False)
        if _has_tantivy():
            with open_store(tantivy_home) as store:
                sync_index(store, backend="tantivy")
                results["german, tantivy"] = evaluate(store, load_queries(with_shared))
                results["german, tantivy, no fallbacks"] = evaluate(store, load_queries(with_shared),
                                                                     fallbacks=False)
        with open_store(plain_home) as store:
            sync_index(store, rebuild=True, analysis="standard", backend="whoosh")
            results["standard"] = evaluate(store, load_queries(with_shared))
            results["standard, no fallbacks"] = evaluate(store, load_queries(with_shared), fallbacks=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps({k: {x: y for x, y in v.items() if x != "rows"} for k, v in results.items()}, indent=2))
        return 0
    german, plain = results["german"], results["standard"]
    print(f"search dev set: {german['queries']} queries ({'with' if with_shared else 'without'} ../shared/corpus)")
    print(f"{'':18}{'German chain':>22}{'StandardAnalyzer':>22}")
    print(f"{'nDCG@10':18}{german['ndcg@10']:>22.3f}{plain['ndcg@10']:>22.3f}")
    print(f"{'MRR':18}{german['mrr']:>22.3f}{plain['mrr']:>22.3f}")
    for kind, scores in german["by_kind"].items():
        base = plain["by_kind"][kind]
        print(f"  {kind:16}{scores['ndcg@10']:>12.3f} / {scores['mrr']:.3f}{base['ndcg@10']:>14.3f} / "
              f"{base['mrr']:.3f}   (n={scores['n']})")
    strict, strict_plain = results["german, no fallbacks"], results["standard, no fallbacks"]
    print("without autocorrect and any-words fallback (the analysis chain alone):")
    print(f"{'nDCG@10':18}{strict['ndcg@10']:>22.3f}{strict_plain['ndcg@10']:>22.3f}")
    print(f"{'MRR':18}{strict['mrr']:>22.3f}{strict_plain['mrr']:>22.3f}")
    if "german, tantivy" in results:
        on_tantivy, strict_tantivy = results["german, tantivy"], results["german, tantivy, no fallbacks"]
        print("German chain on the tantivy backend (BM25 per field instead of whoosh's BM25F):")
        print(f"{'nDCG@10':18}{on_tantivy['ndcg@10']:>22.3f}   (no fallbacks {strict_tantivy['ndcg@10']:.3f})")
        print(f"{'MRR':18}{on_tantivy['mrr']:>22.3f}   (no fallbacks {strict_tantivy['mrr']:.3f})")
    else:
        print("tantivy is not installed: the tantivy backend was not measured (pip install 'clustermine[tantivy]')")
    if args.errors:
        for row in german["rows"]:
            if row["ndcg"] < 0.7:
                print(f"{row['id']} {row['query']!r} nDCG {row['ndcg']} top {row['top']} missed {row['missed']}")
    return 0


def _has_tantivy() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def _entity_settings():
    from clustermine.pipeline.annotate import EntitySettings

    return EntitySettings()


if __name__ == "__main__":
    sys.exit(main())
