"""Kill -9 torture: many rounds of SIGKILL at random moments during ``add``, indexing and ``rebuild``.

The CI test (``tests/reliability/test_kill.py``) runs two rounds per stage; this runs as many as asked, on a
larger corpus, and reports per stage how many kill points were survived, whether any integrity problem showed
after a kill, and whether anything was lost compared with a corpus built without interruption.

Usage: python bench/kill_torture.py [--rounds 25] [--docs 30] [--seed 1] [--stages add index rebuild]
Results go to bench/results/kill_torture.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.killing import reference_corpus, stages, torture, write_documents  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25, help="kills per stage")
    parser.add_argument("--docs", type=int, default=30, help="documents in the test corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stages", nargs="+", default=["add", "index", "rebuild"])
    options = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kill-torture-") as folder:
        root = Path(folder)
        docs = root / "Vorlagen"
        write_documents(docs, options.docs, seed=options.seed)
        reference, seconds = reference_corpus(docs, root / "reference")
        print(f"reference corpus: {len(reference['documents'])} documents, add took {seconds:.1f} s", flush=True)
        results = []
        for stage in stages(docs):
            if stage.name not in options.stages:
                continue
            home = root / f"home-{stage.name}"
            if stage.name != "add":
                shutil.copytree(root / "reference", home)
            rng = random.Random(f"{options.seed}-{stage.name}")
            result = torture(stage, home, reference, rounds=options.rounds, longest=seconds, rng=rng)
            print(result.line(), flush=True)
            for problem in result.problems + result.lost:
                print(f"  {problem}", flush=True)
            results.append(result)
    summary = {
        "documents": options.docs, "rounds": options.rounds, "seed": options.seed,
        "seconds": round(time.monotonic() - started, 1),
        "stages": [asdict(r) for r in results],
        "kill_points_survived": sum(r.killed for r in results),
        "integrity_problems": sum(len(r.problems) for r in results),
        "lost": sum(len(r.lost) for r in results),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "kill_torture.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(f"total: {summary['kill_points_survived']} kill points survived, {summary['integrity_problems']} "
          f"integrity problems, {summary['lost']} things lost, {summary['seconds']:.0f} s")
    return 0 if not summary["integrity_problems"] and not summary["lost"] else 1


if __name__ == "__main__":
    sys.exit(main())
