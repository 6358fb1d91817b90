"""Fuzz the readers: thousands of mutated PDFs, DOCX, ODT, HTML, text and JSON files (good ones and the hostile
corpus of tests/reliability/hostile.py: flipped bytes, cuts, repeated or removed slices, junk spliced in,
recompressed streams with changed bytes), each read in the killable worker pool with a time and memory limit.

Reports files tried, read, failures handled (a clear reason) and crashes (a reader exception nobody foresaw,
a dead worker) and timeouts; both must be 0.

Usage: python bench/fuzz_readers.py [--files 3000] [--seed 1] [--jobs 2] [--timeout 60]
Results go to bench/results/fuzz_readers.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.fuzzing import run_fuzz  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    options = parser.parse_args()

    def progress(report) -> None:
        if report.tried % 250 == 0:
            print(f"{report.tried} files: {report.read} read, {report.handled} handled, "
                  f"{len(report.crashes)} crashes, {len(report.timeouts)} timeouts", flush=True)

    report = run_fuzz(options.files, seed=options.seed, jobs=options.jobs, timeout=options.timeout,
                      progress=progress)
    summary = {"seed": options.seed, **report.summary()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fuzz_readers.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    return 0 if not report.crashes and not report.timeouts else 1


if __name__ == "__main__":
    sys.exit(main())
