"""One direct build at a large size (100,000 documents by default): the figures ``bench_scale.py`` extrapolates.

``bench_scale.py`` measures several sizes with repeats and extrapolates to 100,000 documents; building
100,000 documents takes about 40 minutes on 2 cores, so this script builds that size once, as a user would, and
measures what the issue's targets are about:

- ``clustermine add`` of the generated corpus into a fresh home (wall time, peak memory of the process tree and
  of the largest process, sampled from ``/proc``), then ``clustermine topics --k K``;
- the baseline in the same run: a bare tantivy build of the same texts (``bench_scale``'s child command);
- adding one new document to the corpus (three documents, one process each);
- the search dev query mix through ``clustermine.index.search`` in a fresh interpreter (facets and snippets of
  the first page included): p50 and p95.

The corpus comes from ``bench/gen_large.py`` and is kept in ``--work`` (generating 100,000 documents takes about
two minutes). Results go to ``bench/results/direct-<backend>.json``; ``bench/run.py`` shows them.

Usage: python bench/bench_direct.py [--docs 100000] [--backend whoosh|tantivy] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_scale as scale  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def measure(docs: int, backend: str, work: Path, topics_k: int) -> dict[str, Any]:
    """Build ``docs`` generated documents once on ``backend`` and measure; see the module docstring."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}"
    out: dict[str, Any] = {"at": time.strftime("%Y-%m-%dT%H:%M:%S"), "docs": docs, "backend": backend,
                           "machine": machine, "load_before": scale.load_average()}
    folder, made = scale.corpus(work, docs)
    out["corpus"] = made
    out["megabytes"] = round(scale.corpus_megabytes(folder), 1)
    home = work / f"direct-home-{docs}-{backend}"
    shutil.rmtree(home, ignore_errors=True)
    add = [*scale.CLI, "--home", str(home), "-q", "add", "--index-backend", backend, str(folder / "docs")]
    out["add"] = scale.run_measured(add)
    print("add", out["add"], flush=True)
    out["topics"] = scale.run_measured([*scale.CLI, "--home", str(home), "-q", "topics", "--k", str(topics_k)])
    print("topics", out["topics"], flush=True)
    if scale.tantivy_label():
        bare = work / f"direct-bare-tantivy-{docs}"
        shutil.rmtree(bare, ignore_errors=True)
        out["bare_tantivy"] = scale.run_measured(
            [sys.executable, scale.__file__, "--child", "bare-tantivy-build", str(folder / "docs"), str(bare)])
        shutil.rmtree(bare, ignore_errors=True)
        print("bare tantivy", out["bare_tantivy"], flush=True)
    out["add_one_s"] = [scale.wall([*scale.CLI, "--home", str(home), "-q", "add", str(path)])
                        for path in scale.extra_documents(work, 3)]
    times = scale.child("search", str(home), repeat=2)
    out["search_p50_ms"] = round(statistics.median(times) * 1000, 1)
    out["search_p95_ms"] = round(scale.percentile(times, 0.95) * 1000, 1)
    out["load_after"] = scale.load_average()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=scale.TARGET_DOCS, help="documents to generate and build")
    parser.add_argument("--backend", choices=["whoosh", "tantivy"], default="whoosh")
    parser.add_argument("--topics-k", type=int, default=12)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "clustermine-scale",
                        help="where the generated corpus and the corpus home are kept")
    args = parser.parse_args()
    result = measure(args.docs, args.backend, args.work, args.topics_k)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"direct-{args.backend}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
