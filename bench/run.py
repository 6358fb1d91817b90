"""Benchmarks for clustermine, run by ``make bench``; results go to BENCHMARKS.md and bench/results/.

Figures are medians over repeated runs, each reported with a baseline measured in the same run on the same files
(this machine is noisy; a ratio is more trustworthy than a bare number):
- ``add`` on the demo corpus (cold, new corpus each time) vs. pdfminer's plain ``extract_text`` + reading the
  other files (the floor any PDF-based tool pays);
- incremental re-run of ``add`` on the unchanged demo corpus vs. hashing the same files;
- ``add`` on the 7,083 Karlsruhe council texts (when ../shared is present) vs. reading and hashing them.

Usage: python bench/run.py [--repeat N] [--skip-karlsruhe] [--render-only]

``--render-only`` measures only the (short) NLP throughput and writes BENCHMARKS.md from the results already in
bench/results (a full run includes an ``add`` of the whole Karlsruhe archive).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"
KARLSRUHE = ROOT.parent / "shared" / "karlsruhe" / "files"
RESULTS = ROOT / "bench" / "results"
CLI = [sys.executable, "-m", "clustermine"]


def timed(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def run_add(folder: Path, home: Path, *extra: str) -> None:
    subprocess.run([*CLI, "--home", str(home), "-q", "add", str(folder), *extra], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def files_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def read_and_hash(files: list[Path]) -> None:
    for path in files:
        hashlib.sha256(path.read_bytes()).hexdigest()


def pdfminer_floor(files: list[Path]) -> None:
    from pdfminer.high_level import extract_text

    for path in files:
        if path.suffix == ".pdf":
            extract_text(str(path))
        else:
            path.read_bytes()


def measure(label: str, folder: Path, repeat: int, baseline_name: str, baseline) -> dict:
    files = files_of(folder)
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    cold, warm, base = [], [], []
    for _ in range(repeat):
        home = Path(tempfile.mkdtemp(prefix="cm-bench-"))
        try:
            cold.append(timed(lambda home=home: run_add(folder, home)))
            warm.append(timed(lambda home=home: run_add(folder, home)))
        finally:
            shutil.rmtree(home, ignore_errors=True)
        base.append(timed(lambda: baseline(files)))  # noqa: B023 - called at once
    result = {
        "benchmark": label,
        "files": len(files),
        "megabytes": round(megabytes, 2),
        "add_median_s": round(statistics.median(cold), 2),
        "add_mb_per_s": round(megabytes / statistics.median(cold), 3),
        "add_files_per_s": round(len(files) / statistics.median(cold), 1),
        "rerun_median_s": round(statistics.median(warm), 2),
        "baseline": baseline_name,
        "baseline_median_s": round(statistics.median(base), 2),
        "ratio_add_to_baseline": round(statistics.median(cold) / statistics.median(base), 2),
        "runs": repeat,
    }
    print(json.dumps(result, ensure_ascii=False))
    return result


MANUAL_MARK = "<!-- manual measurements: kept by bench/run.py -->"


def nlp_throughput(repeat: int) -> list[str]:
    """Words per second of the whole NLP + entity step in one process (one core), warm, on the demo texts;
    baseline: spaCy's bare German tokenizer over the same texts in the same run."""
    import spacy

    from clustermine.pipeline.entities import extract_entities_many

    sources = sorted((ROOT / "demo" / "sources").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in sources]
    words = sum(len(t.split()) for t in texts)
    list(extract_entities_many(texts))  # warm: models, gazetteer, compound cache
    tokenizer = spacy.blank("de")
    full = statistics.median(timed(lambda: list(extract_entities_many(texts))) for _ in range(repeat))
    bare = statistics.median(timed(lambda: [tokenizer(t) for t in texts]) for _ in range(repeat))
    return [
        "## NLP and entities (one process)", "",
        "| texts | words | NLP + entities (words/s) | bare spaCy tokenizer (words/s) | ratio |",
        "|---|---|---|---|---|",
        f"| demo sources | {words} | {words / full:,.0f} | {words / bare:,.0f} | {full / bare:.1f} |", "",
    ]


def search_section(path: Path) -> list[str]:
    """The index/search table from ``bench/bench_search.py``'s results (run before this script by make bench)."""
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    lines = [
        "## Index and search (`bench/bench_search.py`)", "",
        "| corpus | documents | analysis | build (s) | docs/s | MB/s | cold build (s) | index (MB) "
        "| query p50 / p95 (ms) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, corpus in data.get("corpora", {}).items():
        for analysis, r in corpus.get("analysis", {}).items():
            q = r.get("queries", {})
            lines.append(
                f"| {name} | {corpus.get('documents')} | {analysis} | {r.get('build_s')} | {r.get('docs_per_s')} | "
                f"{r.get('mb_per_s')} | {r.get('build_cold_s')} | {r.get('index_mb')} | "
                f"{q.get('p50_ms')} / {q.get('p95_ms')} |"
            )
    return lines + [""]


def profile_section(path: Path) -> list[str]:
    """Stage shares of ``add`` from ``bench/profile_add.py``: the latest serial profile, and the latest pipeline
    measurement per number of files."""
    if not path.exists():
        return []
    saved = json.loads(path.read_text())

    def latest(view: str) -> dict | None:
        """The most recent measurement that has ``view``."""
        runs = [run for run in saved.values() if view in run.get("views", {})]
        return max(runs, key=lambda run: run.get("at", "")) if runs else None

    lines = ["## Where `add` spends its time (`bench/profile_add.py`, Karlsruhe texts)", ""]
    serial = latest("stages")
    if serial:
        stages = serial["views"]["stages"]
        lines += [f"Measured {serial['at']} on {serial['files']} files; load average before / after: "
                  f"{serial.get('load_before')} / {serial.get('load_after')} (2 cores; the load averages say how "
                  "busy they were).", ""]
        lines += [
            f"Serial, one process, cold caches: {stages['documents']} documents, {stages['megabytes']} MB in "
            f"{stages['total_s']} s. Compound splitting (HanTa, cold) is shown on its own; it is charged to the "
            "stage that met a word first.", "",
            "| stage | seconds | share | compound splits in it (s) | words split |", "|---|---|---|---|---|",
        ]
        for name, row in stages["stages"].items():
            lines.append(f"| {name} | {row['seconds']} | {row['share']:.1%} | {row['split_seconds']} | "
                         f"{row['split_words']} |")
        lines += [f"| compound splitting | {stages['compound_split_s']} | {stages['compound_split_share']:.1%} | | "
                  f"{stages['compound_split_words']} |", ""]
    newest: dict[int, dict] = {}  # per number of files, the latest measurement of the pipeline
    for run in saved.values():
        measured = any(v in run.get("views", {}) for v in FLOWS)
        if measured and (run["files"] not in newest or run["at"] > newest[run["files"]]["at"]):
            newest[run["files"]] = run
    for data in sorted(newest.values(), key=lambda run: run["files"]):
        shown = [v for v in FLOWS if v in data["views"]]
        flows = [data["views"][v] for v in shown]
        names = list(flows[0]["phases"])
        runs = "; ".join(f"{FLOWS[v]}: {f.get('runs_total_s')}" for v, f in zip(shown, flows, strict=True))
        lines += [
            f"The real pipeline (2 worker processes, one writer) on {data['files']} files, measured {data['at']} "
            f"(load average before / after: {data.get('load_before')} / {data.get('load_after')}); the median run "
            f"of each flow, wall and CPU time of all processes per phase (all runs' totals in s: {runs}):", "",
            "| flow | total (s) | MB/s | CPU (s) | " + " | ".join(names) + " | peak RSS main / largest child / "
            "all together (MB) |",
            "|---|---|---|---|" + "---|" * len(names) + "---|",
        ]
        for view, flow in zip(shown, flows, strict=True):
            label = FLOWS[view]
            cells = [f"{flow['phases'][n]['seconds']} s ({flow['phases'][n]['share']:.0%})" for n in names]
            lines.append(f"| {label} | {flow['total_s']} | {flow['mb_per_s']} | {flow.get('cpu_s', '')} | "
                         + " | ".join(cells) + f" | {flow['peak_rss_main_mb']} / {flow['peak_rss_child_mb']} / "
                         f"{flow.get('peak_tree_mb', '–')} |")
        lines.append("")
        for engine, row in data.get("baselines", {}).items():
            if "skipped" in row:
                lines.append(f"- Baseline bare {engine}: skipped ({row['skipped']}).")
            else:
                lines.append(f"- Baseline, same files and run: {row['baseline']}: {_range(row['build_s'])} s, peak "
                             f"{row['peak_mb']['median']:.0f} MB; {data.get('baselines_vs', 'pipeline')} total / bare "
                             f"{engine}: {row.get('ratio', '–')}.")
        if data.get("baselines"):
            lines.append("")
    return lines


#: Pipeline views of ``profile_add.py`` and how the table names them.
FLOWS = {"pipeline": "whoosh index (default)", "pipeline-tantivy": "tantivy index",
         "pipeline-old": "terms after add (before)",
         "pipeline-nosplit": "whoosh, compound splitting off (a bound, not a mode)",
         "pipeline-tantivy-nosplit": "tantivy, compound splitting off (a bound, not a mode)"}


def direct_section(paths: list[Path]) -> list[str]:
    """The one-off direct builds of ``bench/bench_direct.py`` (not run by make bench: about 40 minutes each)."""
    found = [json.loads(path.read_text()) for path in paths if path.exists()]
    if not found:
        return []
    lines = ["## Direct build at full size (`bench/bench_direct.py`, one build each, not part of `make bench`)", "",
             "| backend | documents | M words | MB | add (s) | topics (s) | build (min) | peak tree / one process "
             "during add (MB) | peak topics (MB) | bare tantivy (s) | add / bare tantivy | add one (s) "
             "| search p50 / p95 (ms) | measured | load before / after |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for data in found:
        add, topics = data["add"], data["topics"]
        bare = data.get("bare_tantivy", {}).get("wall_s")
        ratio = f"{add['wall_s'] / bare:.1f}" if bare else "–"
        bare_cell = f"{bare:.1f}" if bare else "–"
        add_one = ", ".join(f"{s:.2f}" for s in data["add_one_s"])
        lines.append(
            f"| {data['backend']} | {data['corpus']['documents']:,} | {data['corpus']['words'] / 1e6:.1f} | "
            f"{data['megabytes']} | {add['wall_s']:.0f} | {topics['wall_s']:.0f} | "
            f"{(add['wall_s'] + topics['wall_s']) / 60:.1f} | "
            f"{add['peak_tree_mb']:,.0f} / {add['peak_single_mb']:,.0f} | "
            f"{topics['peak_tree_mb']:,.0f} | {bare_cell} | {ratio} | {add_one} (median "
            f"{statistics.median(data['add_one_s']):.2f}) | {data['search_p50_ms']} / {data['search_p95_ms']} | "
            f"{data['at']} | {data['load_before']} / {data['load_after']} |")
    lines += [""] + [f"- {data['backend']}: {data['note']}" for data in found if data.get("note")]
    return lines + ["", "Targets at 100,000 documents: build under 60 min, peak under 2,048 MB (topic model included), "
                    "add one under 3 s, search p50 under 100 ms and p95 under 300 ms.", ""]


def _range(entry: dict, digits: int = 2) -> str:
    return f"{entry['median']:.{digits}f} ({entry['min']:.{digits}f}–{entry['max']:.{digits}f})"


def scale_section(path: Path) -> list[str]:
    """The scale table from ``bench/bench_scale.py`` (run before this script by make bench)."""
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    backend = data.get("backend", "whoosh")
    title = "" if backend == "whoosh" else f", corpus index on the {backend} backend"
    lines = [
        f"## Scale (`bench/bench_scale.py`, corpora from `bench/gen_large.py`{title})", "",
        f"Measured {data['at']} on {data['machine']}; load average before / after: {data['load_before']} / "
        f"{data['load_after']}. Medians (min–max); each baseline measured in the same run.", "",
        "| documents | M words | MB | add (s) | topics (s) | MB/s | peak tree / one process (MB) "
        "| bare whoosh build (s) | add / bare whoosh | bare tantivy build (s) | add / bare tantivy "
        "| bare whoosh / tantivy peak (MB) | search p50 / p95 (ms) | bare whoosh p50 / p95 (ms) "
        "| bare tantivy p50 / p95 (ms) | `search` command (s) | add one (s) "
        "| add unchanged (s) | `--help` (s) | python start (s) |",
        "|" + "---|" * 20,
    ]
    notes = []
    for docs, r in sorted(data["sizes"].items(), key=lambda item: int(item[0])):
        b, s, pr = r["build"], r["search"], r["process"]
        tb = b.get("tantivy", {"skipped": "bare tantivy build not measured"})
        ts = s.get("tantivy", {"skipped": "bare tantivy search not measured"})
        whoosh_peak = f"{b['baseline_peak_mb']['median']:.0f}" if "baseline_peak_mb" in b else "–"
        tantivy_peak = f"{tb['baseline_peak_mb']['median']:.0f}" if "baseline_peak_mb" in tb else "–"
        tantivy_query = f"{ts['baseline_p50_ms']} / {ts['baseline_p95_ms']}" if "baseline_p50_ms" in ts else "–"
        notes += [f"{int(docs):,} documents: {text}" for text in (tb.get("baseline") or tb["skipped"],
                                                                  ts.get("baseline") or ts["skipped"])]
        if ts.get("queries_rejected"):
            notes.append(f"{int(docs):,} documents: {ts['queries_rejected']} dev queries rejected by tantivy's "
                         "parser (skipped)")
        lines.append(
            f"| {int(docs):,} | {r['words'] / 1e6:.1f} | {r['megabytes']} | {_range(b['add_s'], 1)} | "
            f"{_range(b['topics_s'], 1)} | {b['mb_per_s']} | {b['peak_tree_mb']['median']:.0f} / "
            f"{b['peak_single_mb']['median']:.0f} | {_range(b['baseline_s'], 1)} | {b['ratio']} | "
            f"{_range(tb['baseline_s']) if 'baseline_s' in tb else '–'} | {tb.get('ratio', '–')} | "
            f"{whoosh_peak} / {tantivy_peak} | "
            f"{s['p50_ms']} / {s['p95_ms']} | {s['baseline_p50_ms']} / {s['baseline_p95_ms']} | "
            f"{tantivy_query} | "
            f"{_range(pr['search_cli_s'])} | {_range(pr['add_one_s'])} | {_range(pr['add_unchanged_s'])} | "
            f"{_range(pr['help_s'])} | {_range(pr['python_start_s'])} |"
        )
    lines += [""] + [f"- {note}." for note in dict.fromkeys(notes)]
    target = data.get("at_100k")
    if target:
        kind = ("extrapolated from " + " and ".join(f"{n:,}" for n in target["from_sizes"]) + " documents"
                if target["extrapolated"] else "measured")
        lines += ["", f"Against the targets at 100,000 documents ({kind}):", "",
                  "| figure | value | target | met |", "|---|---|---|---|"]
        for name, value in target["figures"].items():
            limit = data["targets"][name]
            lines.append(f"| {name} | {value} | ≤ {limit} | {'yes' if target['meets'][name] else 'no'} |")
        if target.get("notes"):
            lines += [""] + [f"- {note}" for note in target["notes"]]
    return lines + [""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-karlsruhe", action="store_true")
    parser.add_argument("--render-only", action="store_true",
                        help="measure nothing: write BENCHMARKS.md from the results in bench/results")
    args = parser.parse_args()
    if args.render_only:
        latest = json.loads((RESULTS / "latest.json").read_text())
        results, stamp, machine = latest["results"], latest["at"], latest["machine"]
        peak_mb = latest["peak_child_rss_mb"]
    else:
        results = [measure("add demo corpus", DEMO, args.repeat, "pdfminer extract_text + read", pdfminer_floor)]
        if KARLSRUHE.exists() and not args.skip_karlsruhe:
            results.append(measure("add Karlsruhe texts", KARLSRUHE, max(1, args.repeat // 2 + 1),
                                   "read + sha256", read_and_hash))
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
        machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
        (RESULTS / "latest.json").write_text(json.dumps({"at": stamp, "machine": machine, "peak_child_rss_mb":
                                                         round(peak_mb), "results": results}, indent=2))
    lines = [
        "# Benchmarks", "",
        f"Measured {stamp} on {machine} by `make bench` (medians; baselines measured in the same run).", "",
        "| benchmark | files | MB | add (s) | MB/s | files/s | re-run (s) | baseline | baseline (s) | add / baseline |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['benchmark']} | {r['files']} | {r['megabytes']} | {r['add_median_s']} | {r['add_mb_per_s']} | "
            f"{r['add_files_per_s']} | {r['rerun_median_s']} | {r['baseline']} | {r['baseline_median_s']} | "
            f"{r['ratio_add_to_baseline']} |"
        )
    lines += ["", f"Peak memory of one child process: {round(peak_mb)} MB.", ""]
    lines += nlp_throughput(args.repeat)
    lines += search_section(RESULTS / "search.json")
    lines += profile_section(RESULTS / "profile_add.json")
    lines += scale_section(RESULTS / "scale.json")
    lines += scale_section(RESULTS / "scale-tantivy.json")
    lines += direct_section([RESULTS / "direct-whoosh.json", RESULTS / "direct-tantivy.json"])
    target = ROOT / "BENCHMARKS.md"
    kept = ""
    if target.exists() and MANUAL_MARK in target.read_text():
        kept = MANUAL_MARK + target.read_text().split(MANUAL_MARK, 1)[1]
    target.write_text("\n".join(lines) + ("\n" + kept if kept else ""))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
