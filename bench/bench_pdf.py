"""Speed of PDF extraction: pages per second per engine, in 1 and in 2 (or more) worker processes.

The work is what ``add`` does per PDF in its workers, without the analysis after it: read the file, extract the
pages with :func:`clustermine.corpus.pdf.read_pdf`, send the :class:`Extraction` back to the parent. It runs in
:class:`clustermine.corpus.workers.KillablePool`, the pool ``add`` uses, so process start-up, imports and the
pipes are paid as in a real run.

This machine is shared and noisy, so every repetition measures all settings back to back, the table shows the
median of the repetitions with min–max, and the speed-up of N processes is the median of the per-repetition
ratios against 1 process of the same engine in the same repetition. Before each engine, a repetition also runs a
calibration: 2 s of a pure-Python busy loop, split the same way (``ceiling``). It shows what N processes can
gain on this machine at that moment; when other programs keep the cores busy, the ceiling drops below N and
the extraction speed-up with it, so ``speedup / ceiling`` (the parallel efficiency) is the figure that says
whether extraction itself scales. ``cpu ms/page`` (CPU time of the workers and the parent per page) barely
depends on what else runs: if it is the same for N processes as for 1, the processes do no extra work and
need nothing from each other, and on N free cores the speed-up is N less the start-up of the workers:
``free cores`` = N × (CPU per page with 1 process) / (CPU per page with N), an estimate, not a measurement.

Files: ../shared/corpus/*.pdf and demo/corpus/*.pdf (or the PDFs given), repeated ``--copies`` times so that one
single-process measurement takes about ten seconds (start-up and imports of the workers are then a small part,
as in a real run).

Usage: python bench/bench_pdf.py [PDF or folder ...] [--repeat 5] [--copies N] [--jobs 1 2]
       [--engines pdfium pdfminer] [--json bench/results/pdf_speed.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clustermine.corpus.workers import KillablePool, TaskFailure  # noqa: E402

DEFAULT_SOURCES = [ROOT.parent / "shared" / "corpus", ROOT / "demo" / "corpus"]
#: Seconds one measurement of the slowest setting should take at least (to choose --copies).
TARGET_SECONDS = {"pdfium": 10.0, "pdfminer": 12.0}


def extract(task: tuple[str, str]) -> Any:
    """One file in a worker, as ``add`` reads it (the result travels back through the pipe)."""
    from clustermine.corpus.pdf import read_pdf

    path, engine = task
    return read_pdf(Path(path).read_bytes(), Path(path).name, engine=engine)


def spin(rounds: int) -> int:
    """Pure CPU work for the calibration: no I/O, no imports, nothing shared."""
    total = 0
    for i in range(rounds):
        total += i * i % 7
    return total


def calibrate(seconds: float, jobs: int) -> float:
    """Seconds for ``seconds`` of busy loop (measured on one core) cut into pieces for ``jobs`` processes."""
    rounds = 2_000_000
    started = time.perf_counter()
    spin(rounds)
    per_second = rounds / (time.perf_counter() - started)
    pieces = [int(per_second * seconds / 16)] * 16
    pool: KillablePool[int] = KillablePool(spin, jobs=jobs, timeout=600, memory_mb=None)
    started = time.perf_counter()
    for _ in pool.run(pieces):
        pass
    return time.perf_counter() - started


def measure(files: list[Path], engine: str, jobs: int) -> tuple[float, int, float]:
    """Seconds, pages and CPU seconds (workers and this process) for extracting ``files`` with ``engine`` in ``jobs``
    worker processes. The workers are ended by the pool, so their CPU time is in RUSAGE_CHILDREN afterwards."""
    pool: KillablePool[Any] = KillablePool(extract, jobs=jobs, timeout=600, memory_mb=None)
    pages = 0
    cpu_before = _cpu()
    started = time.perf_counter()
    for task, result in pool.run([(str(f), engine) for f in files]):
        if isinstance(result, TaskFailure):
            raise SystemExit(f"{task[0]}: {result.message}")
        pages += len(result.pages)
    return time.perf_counter() - started, pages, _cpu() - cpu_before


def _cpu() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pdf_files(sources: list[Path]) -> list[Path]:
    found: list[Path] = []
    for source in sources:
        found += sorted(source.glob("*.pdf")) if source.is_dir() else [source]
    return found


def copies_for(files: list[Path], engine: str) -> int:
    """How often to repeat the file list so that one single-process measurement takes TARGET_SECONDS."""
    seconds, _, _ = measure(files, engine, 1)
    return max(1, round(TARGET_SECONDS[engine] / max(seconds, 1e-3)))


def run(files: list[Path], engines: list[str], jobs: list[int], repeat: int, copies: int | None) -> dict[str, Any]:
    workload = {e: files * (copies or copies_for(files, e)) for e in engines}
    rates: dict[tuple[str, int], list[float]] = {(e, j): [] for e in engines for j in jobs}
    ratios: dict[tuple[str, int], list[float]] = {(e, j): [] for e in engines for j in jobs}
    pages: dict[str, int] = {}
    ceiling: dict[tuple[str, int], list[float]] = {(e, j): [] for e in engines for j in jobs}
    cpu: dict[tuple[str, int], list[float]] = {(e, j): [] for e in engines for j in jobs}
    for round_ in range(repeat):
        for engine in engines:
            order = jobs if round_ % 2 == 0 else jobs[::-1]  # alternate, so a trend in load hits both alike
            spins = {j: calibrate(2.0, j) for j in order}
            seconds = {}
            for j in order:
                seconds[j], pages[engine], used = measure(workload[engine], engine, j)
                rates[engine, j].append(pages[engine] / seconds[j])
                cpu[engine, j].append(1000 * used / pages[engine])
            for j in jobs:
                ratios[engine, j].append(seconds[jobs[0]] / seconds[j])
                ceiling[engine, j].append(spins[jobs[0]] / spins[j])
            print(f"  round {round_ + 1}: {engine}: " + ", ".join(
                f"{j} proc {pages[engine] / seconds[j]:.1f} pages/s" for j in jobs), file=sys.stderr)
    results = []
    for engine in engines:
        for j in jobs:
            values = rates[engine, j]
            results.append({
                "engine": engine, "processes": j, "pages": pages[engine],
                "files": len(workload[engine]),
                "pages_per_s": round(statistics.median(values), 1),
                "min": round(min(values), 1), "max": round(max(values), 1),
                "speedup": round(statistics.median(ratios[engine, j]), 2),
                "speedup_min": round(min(ratios[engine, j]), 2),
                "speedup_max": round(max(ratios[engine, j]), 2),
                "cpu_ms_per_page": round(statistics.median(cpu[engine, j]), 2),
                "ceiling": round(statistics.median(ceiling[engine, j]), 2),
                "efficiency": round(statistics.median(r / c for r, c in zip(ratios[engine, j], ceiling[engine, j],
                                                                             strict=True)), 2),
            })
    for r in results:  # what N free cores would give: N processes, each doing the work at the CPU cost measured
        one = next(x for x in results if x["engine"] == r["engine"] and x["processes"] == jobs[0])
        r["speedup_free_cores"] = round(r["processes"] / jobs[0] * one["cpu_ms_per_page"] / r["cpu_ms_per_page"], 2)
    base = {r["engine"]: r["pages_per_s"] for r in results if r["processes"] == jobs[0]}
    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None},
        "repeat": repeat,
        "distinct_files": len(files),
        "results": results,
        "pdfium_vs_pdfminer": (round(base["pdfium"] / base["pdfminer"], 1)
                               if {"pdfium", "pdfminer"} <= base.keys() else None),
    }


def show(report: dict[str, Any]) -> None:
    print(f"{report['distinct_files']} distinct PDFs, median of {report['repeat']} runs; "
          f"{report['machine']['cpus']} CPUs, load average {report['machine']['load_average']}")
    print(f"{'engine':9} {'proc':>4} {'files':>6} {'pages':>6} {'pages/s':>9} {'min–max':>15} {'speed-up':>9} "
          f"{'min–max':>11} {'ceiling':>8} {'efficiency':>10} {'cpu ms/page':>11} {'free cores':>10}")
    for r in report["results"]:
        print(f"{r['engine']:9} {r['processes']:>4} {r['files']:>6} {r['pages']:>6} {r['pages_per_s']:>9.1f} "
              f"{r['min']:>7.1f}–{r['max']:<7.1f} {r['speedup']:>9.2f} "
              f"{r['speedup_min']:>5.2f}–{r['speedup_max']:<5.2f} {r['ceiling']:>8.2f} {r['efficiency']:>10.2f} "
              f"{r['cpu_ms_per_page']:>11.2f} {r['speedup_free_cores']:>10.2f}")
    if report["pdfium_vs_pdfminer"]:
        print(f"pdfium / pdfminer.six, 1 process: {report['pdfium_vs_pdfminer']}×")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, help="repeat the file list N times (default: a few seconds' worth)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--engines", nargs="+", default=["pdfium", "pdfminer"], choices=["pdfium", "pdfminer"])
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    files = pdf_files(args.sources or [s for s in DEFAULT_SOURCES if s.exists()])
    if not files:
        parser.error("no PDF files found")
    report = run(files, args.engines, sorted(set(args.jobs)), args.repeat, args.copies)
    show(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
