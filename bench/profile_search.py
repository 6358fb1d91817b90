"""Per-query search latency on an existing corpus home, and a cProfile of the slowest queries.

Runs the query mix of ``tests/data/search_dev.jsonl`` through ``clustermine.index.search`` exactly as
``bench/bench_scale.py`` does (facets and snippets of the first page included, warm, one store), ``--rounds``
fresh interpreters of ``--repeat`` runs per query each; reports p50 / p95 over all runs (medians across rounds)
and the slowest queries by their median time. ``--profile N`` then profiles the N slowest queries.

``--code DIR`` measures the ``clustermine`` package in DIR instead of this checkout (a copy of an earlier version,
for before/after figures on the same machine at the same time).

Usage: python bench/profile_search.py [--home /tmp/clustermine-scale/home-20000] [--rounds 3] [--repeat 3]
       [--profile 3] [--code DIR] [--json]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if "--code" in sys.argv:  # before anything imports clustermine
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
else:
    sys.path.insert(0, str(ROOT))

DEV_QUERIES = ROOT / "tests" / "data" / "search_dev.jsonl"
DEFAULT_HOME = Path("/tmp/clustermine-scale/home-20000")


def dev_queries() -> list[str]:
    return [json.loads(line)["query"] for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines() if line]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def one_round(home: Path, repeat: int) -> dict[str, list[float]]:
    """Seconds per run for every dev query (a warm-up run first, as bench_scale does)."""
    from clustermine.corpus import open_store
    from clustermine.index import search

    out: dict[str, list[float]] = {}
    with open_store(home, create=False) as store:
        for query in dev_queries():
            search(store, query)
            times = out.setdefault(query, [])
            for _ in range(repeat):
                started = time.perf_counter()
                search(store, query)
                times.append(time.perf_counter() - started)
    return out


def profile_queries(home: Path, queries: list[str], top: int) -> str:
    from clustermine.corpus import open_store
    from clustermine.index import search

    text = io.StringIO()
    with open_store(home, create=False) as store:
        for query in queries:
            search(store, query)
            profiler = cProfile.Profile()
            profiler.enable()
            result = search(store, query)
            profiler.disable()
            text.write(f"\n=== {query!r}: total {result.total}, any_words {result.any_words}, "
                       f"corrected_from {result.corrected_from!r}, suggestion {result.suggestion!r}\n")
            pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    return text.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME)
    parser.add_argument("--rounds", type=int, default=3, help="fresh interpreters (medians over them)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query per round")
    parser.add_argument("--worst", type=int, default=5, help="list this many slowest queries")
    parser.add_argument("--profile", type=int, default=0, help="cProfile this many slowest queries")
    parser.add_argument("--lines", type=int, default=30, help="profile lines per query")
    parser.add_argument("--code", type=Path, help="measure the clustermine package in this folder")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_round(args.home, args.repeat)))
        return 0
    rounds = []
    for _ in range(args.rounds):
        code = ["--code", str(args.code)] if args.code else []
        out = subprocess.run([sys.executable, __file__, "--child", "--home", str(args.home), "--repeat",
                              str(args.repeat), *code], check=True, capture_output=True, text=True)
        rounds.append(json.loads(out.stdout.strip().splitlines()[-1]))
    p50 = statistics.median(statistics.median([t for ts in r.values() for t in ts]) for r in rounds) * 1000
    p95 = statistics.median(percentile([t for ts in r.values() for t in ts], 0.95) for r in rounds) * 1000
    per_query = {q: statistics.median([t for r in rounds for t in r[q]]) * 1000 for q in rounds[0]}
    worst = sorted(per_query.items(), key=lambda kv: -kv[1])[: args.worst]
    report = {"home": str(args.home), "code": str(args.code or ROOT), "rounds": args.rounds, "repeat": args.repeat,
              "p50_ms": round(p50, 1), "p95_ms": round(p95, 1),
              "rounds_p50_ms": [round(statistics.median([t for ts in r.values() for t in ts]) * 1000, 1)
                                for r in rounds],
              "rounds_p95_ms": [round(percentile([t for ts in r.values() for t in ts], 0.95) * 1000, 1)
                                for r in rounds],
              "worst": [{"query": q, "median_ms": round(ms, 1)} for q, ms in worst]}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(f"{args.home} ({report['code']}): p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms "
              f"(rounds p50 {report['rounds_p50_ms']}, p95 {report['rounds_p95_ms']})")
        for row in report["worst"]:
            print(f"  {row['median_ms']:8.1f} ms  {row['query']}")
    if args.profile:
        print(profile_queries(args.home, [q for q, _ in worst[: args.profile]], args.lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
