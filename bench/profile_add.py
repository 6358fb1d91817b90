"""Where ``clustermine add`` spends its time: a stage-by-stage profile on a subset of the Karlsruhe texts.

Two views, both on the same files:

- ``stages``: every stage of the pipeline run one after the other in *one* process, with cold caches, so each
  stage's cost can be read off: read (bytes + hash), extract (sniff, decode, normalise), metadata, entities
  (spaCy + gazetteer rules), minhash, store write, index (whoosh analysis + postings + commit) and term counts.
  German compound splitting is shared by entities, index and term counts through one per-word cache; its cold
  cost is reported as a line of its own (attributed to the stage that met the word first), so that a stage
  that merely *warms* the cache for the next one does not hide where the time goes.
- ``pipeline``: the real ``add`` as the command line runs it (worker processes, single writer, index, and the
  term counts ``trends``/``topics`` need), phase by phase with wall times, throughput and peak memory.
  Baselines measured in the same run on the same files, each in a fresh process: a bare whoosh build
  (StandardAnalyzer, id + body) and a bare tantivy build (German stemmer, one writer thread; skipped with a note
  when ``tantivy`` is not installed), as ``bench/bench_scale.py`` runs them.

Each run starts in a fresh process (cold caches, as a first ``add`` meets them). Results go to
``bench/results/profile_add.json`` and, as a table, to stdout.

Usage: python bench/profile_add.py [--files 1000] [--views stages pipeline] [--jobs 2] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KARLSRUHE = ROOT.parent / "shared" / "karlsruhe" / "files"
RESULTS = ROOT / "bench" / "results"

VIEWS = ("stages", "pipeline", "pipeline-old", "pipeline-tantivy", "pipeline-nosplit", "pipeline-tantivy-nosplit")
STAGES = ("read", "extract", "metadata", "entities", "minhash", "store", "index", "terms")


def subset(folder: Path, count: int, seed: int = 8) -> list[Path]:
    """A fixed sample of ``count`` files (spread over the whole archive, not just the first ids)."""
    files = sorted(p for p in folder.iterdir() if p.is_file())
    if count >= len(files):
        return files
    return sorted(random.Random(seed).sample(files, count))


def link_subset(files: list[Path], target: Path) -> Path:
    """A folder of symbolic links to ``files`` (so ``add`` can be given one folder)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        (target / path.name).symlink_to(path)
    return target


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished children: the work done, which on a machine
    shared with other jobs says more than the wall time."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# -- view 1: serial stages ----------------------------------------------------------------------------------


class SplitTimer:
    """Times the compound splitter's cold work (cache misses) and charges it to the stage that is running."""

    def __init__(self) -> None:
        from clustermine.pipeline.compounds import CompoundSplitter

        self.stage = "-"
        self.seconds: dict[str, float] = defaultdict(float)
        self.words: dict[str, int] = defaultdict(int)
        original = CompoundSplitter._split_word
        timer = self

        def timed(splitter: Any, word: str) -> tuple[str, ...]:
            started = time.perf_counter()
            try:
                return original(splitter, word)
            finally:
                timer.seconds[timer.stage] += time.perf_counter() - started
                timer.words[timer.stage] += 1

        CompoundSplitter._split_word = timed  # type: ignore[method-assign]


def profile_stages(files: list[Path], home: Path) -> dict[str, Any]:
    """Run every stage over ``files`` serially in this process; seconds per stage, splitting separated out."""
    import hashlib
    from dataclasses import replace

    from clustermine.corpus import readers
    from clustermine.corpus.ingest import document_id
    from clustermine.corpus.store import CorpusStore, now_iso
    from clustermine.corpus.termstore import put_term_blobs
    from clustermine.index import sync_index
    from clustermine.model import Document
    from clustermine.pipeline.annotate import EntitySettings, annotate
    from clustermine.pipeline.metadata import analyse
    from clustermine.pipeline.neardup import Signature, link_kind, signature
    from clustermine.pipeline.terms import TERMS_FINGERPRINT, count_terms, encode_terms

    splits = SplitTimer()
    seconds: dict[str, float] = defaultdict(float)
    settings = EntitySettings()
    fingerprint = settings.fingerprint()
    started = time.perf_counter()
    annotate("Die Wirtschaftsförderung im Kreis Mettmann.", settings)  # load spaCy and the gazetteer
    setup = time.perf_counter() - started
    store = CorpusStore(home)

    def clock(stage: str, func: Any, *args: Any) -> Any:
        splits.stage = stage
        began = time.perf_counter()
        try:
            return func(*args)
        finally:
            seconds[stage] += time.perf_counter() - began

    docs: list[str] = []
    megabytes = 0.0
    counted: list[tuple[str, int, bytes]] = []
    for path in files:
        data = clock("read", path.read_bytes)
        megabytes += len(data) / 1e6
        content_hash = clock("read", lambda data=data: hashlib.sha256(data).hexdigest())
        try:
            extraction = clock("extract", readers.read_bytes, data, path.name)
        except Exception:  # noqa: BLE001 - unreadable files are not what is measured here
            continue
        meta = clock("metadata", lambda e=extraction, n=path.name: analyse(e, source_name=n))
        doc = Document(
            id=document_id(content_hash), source=str(path), format=extraction.format,
            title=meta.title or extraction.title or path.stem, doctype=meta.doctype, date=meta.date,
            text=extraction.text, pages=extraction.pages, sections=meta.sections, council=meta.council,
            info=dict(extraction.info), doctype_rule=meta.doctype_rule, date_rule=meta.date_rule,
            content_hash=content_hash, size=len(data), mtime=path.stat().st_mtime, ingested_at=now_iso(),
        )
        entities = clock("entities", lambda d=doc: annotate(d.text, settings, date=d.date))
        doc = replace(doc, entities=entities)
        sig = clock("minhash", signature, doc.text)

        def write(doc: Document = doc, sig: Signature | None = sig) -> None:
            with store.transaction():
                if store.doc_id_for_hash(doc.content_hash or doc.id):
                    return
                store.put_document(doc, fingerprint=fingerprint)
                store.link_source(doc.source, doc.id, doc.content_hash or doc.id, doc.size, doc.mtime)
                if sig is not None:
                    buckets = sig.buckets()
                    store.put_signature(doc.id, sig.to_bytes(), buckets)
                    for other_id, other in store.candidates(doc.id, buckets).items():
                        similarity = sig.similarity(Signature.from_bytes(other))
                        kind = link_kind(similarity)
                        if kind:
                            store.link_duplicates(doc.id, other_id, similarity, kind)

        clock("store", write)
        docs.append(doc.id)

        def terms(doc: Document = doc) -> None:
            found = count_terms(doc.text)
            counted.append((doc.id, found.n_tokens, encode_terms(found)))

        clock("terms", terms)
    clock("terms", put_term_blobs, store, counted, TERMS_FINGERPRINT)
    # the index last, as ``add`` does it: one whoosh writer over the stored documents
    clock("index", lambda: sync_index(store, rebuild=True, procs=1))
    store.close()
    total = sum(seconds.values())
    split_total = sum(splits.seconds.values())
    rows = {}
    for stage in STAGES:
        own = seconds.get(stage, 0.0) - splits.seconds.get(stage, 0.0)
        rows[stage] = {"seconds": round(own, 2), "share": round(own / total, 3),
                       "split_seconds": round(splits.seconds.get(stage, 0.0), 2),
                       "split_words": splits.words.get(stage, 0)}
    return {
        "documents": len(docs),
        "megabytes": round(megabytes, 2),
        "setup_s": round(setup, 2),
        "total_s": round(total, 2),
        "mb_per_s_one_core": round(megabytes / total, 3),
        "compound_split_s": round(split_total, 2),
        "compound_split_share": round(split_total / total, 3),
        "compound_split_words": sum(splits.words.values()),
        "stages": rows,
        "peak_rss_mb": round(peak_rss_mb()),
    }


# -- view 2: the real pipeline -------------------------------------------------------------------------------


def profile_pipeline(folder: Path, home: Path, jobs: int, terms: bool = True) -> dict[str, Any]:
    """``add`` phase by phase, as ``clustermine add`` runs it, plus the term counts trends and topics need.

    ``terms=False`` is the flow before term counts moved into the workers (counted by the first ``trends``).
    """
    from clustermine.corpus import add_paths, open_store, update_entity_settings
    from clustermine.corpus.rebuild import rebuild_entities
    from clustermine.index import sync_index
    from clustermine.pipeline.termmatrix import sync_terms

    megabytes = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    from bench.bench_scale import TreeMemory

    phases: dict[str, float] = {}
    cpu: dict[str, float] = {}
    memory = TreeMemory(os.getpid())  # this process and its workers together
    store = open_store(home)
    began = time.perf_counter()
    cpu_began = cpu_seconds()
    settings = update_entity_settings(store)
    started = time.perf_counter()
    report = add_paths(store, [str(folder)], jobs=jobs, entities=settings, terms=terms)
    phases["workers + store"] = time.perf_counter() - started
    cpu["workers + store"] = cpu_seconds()
    with store.writer_lock():
        started = time.perf_counter()
        rebuild_entities(store, settings, jobs=jobs)
        phases["entities catch-up"] = time.perf_counter() - started
        cpu["entities catch-up"] = cpu_seconds()
        started = time.perf_counter()
        sync_index(store)
        phases["index"] = time.perf_counter() - started
        cpu["index"] = cpu_seconds()
    started = time.perf_counter()
    counted = sync_terms(store)
    phases["term counts (first trends/topics)"] = time.perf_counter() - started
    cpu["term counts (first trends/topics)"] = cpu_seconds()
    total = time.perf_counter() - began
    peak_tree, _ = memory.stop()
    marks = [cpu_began, *cpu.values()]
    cpu_used = {name: marks[k + 1] - marks[k] for k, name in enumerate(cpu)}
    store.close()
    return {
        "files": len(report.outcomes),
        "counts": report.counts(),
        "megabytes": round(megabytes, 2),
        "jobs": jobs,
        "terms_in_workers": terms,
        "total_s": round(total, 2),
        "mb_per_s": round(megabytes / total, 3),
        "cpu_s": round(marks[-1] - cpu_began, 1),
        "phases": {name: {"seconds": round(s, 2), "share": round(s / total, 3), "cpu_s": round(cpu_used[name], 1)}
                   for name, s in phases.items()},
        "terms_counted_after_add": counted,
        "peak_rss_main_mb": round(peak_rss_mb()),
        "peak_rss_child_mb": round(peak_rss_mb(resource.RUSAGE_CHILDREN)),
        "peak_tree_mb": round(peak_tree),
    }


# -- driver ---------------------------------------------------------------------------------------------------


def _child(view: str, count: int, jobs: int) -> dict[str, Any]:
    files = subset(KARLSRUHE, count)
    with tempfile.TemporaryDirectory(prefix="cm-profile-") as tmp:
        if view == "stages":
            return profile_stages(files, Path(tmp) / "home")
        folder = link_subset(files, Path(tmp) / "files")
        if "tantivy" in view:  # the same pipeline, the corpus's index on the tantivy backend
            from clustermine.index.storage import BACKEND_VARIABLE

            os.environ[BACKEND_VARIABLE] = "tantivy"
        if "nosplit" in view:
            switch_off_compound_splitting()
        return profile_pipeline(folder, Path(tmp) / "home", jobs, terms=view != "pipeline-old")


def switch_off_compound_splitting() -> None:
    """Make every word its own only part, in this process and the workers it forks: not a way to run clustermine
    (no compound parts in index, entities or trends), but a bound on what any faster splitter could gain."""
    from clustermine.pipeline.compounds import CompoundSplitter

    def whole(self: Any, word: str) -> tuple[str, ...]:
        return (word.lower(),) if word else ()

    CompoundSplitter._split_word = whole  # type: ignore[method-assign]


def run_fresh(view: str, count: int, jobs: int) -> dict[str, Any]:
    """One view in a new Python process, so every cache starts cold."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", view, "--files", str(count), "--jobs", str(jobs)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_baselines(count: int) -> dict[str, dict[str, float]]:
    """Bare whoosh and bare tantivy builds of the same files (``bench_scale``'s child commands, a fresh process
    each): wall seconds and peak memory. Tantivy is left out when it is not installed."""
    from bench.bench_scale import run_measured, tantivy_label

    scale = str(ROOT / "bench" / "bench_scale.py")
    commands = {"whoosh": "bare-build"}
    if tantivy_label() is not None:
        commands["tantivy"] = "bare-tantivy-build"
    out = {}
    with tempfile.TemporaryDirectory(prefix="cm-profile-bare-") as tmp:
        folder = link_subset(subset(KARLSRUHE, count), Path(tmp) / "files")
        for engine, command in commands.items():
            out[engine] = run_measured([sys.executable, scale, "--child", command, str(folder),
                                        str(Path(tmp) / engine)])
    return out


def baseline_summary(runs: list[dict[str, dict[str, float]]], pipeline_s: float | None) -> dict[str, Any]:
    """Median (min–max) wall time and peak memory per bare engine, and the pipeline's median total over it."""
    from bench.bench_scale import summary, tantivy_label

    labels = {"whoosh": "bare whoosh build (StandardAnalyzer, id + body, one process)",
              "tantivy": tantivy_label()}
    out: dict[str, Any] = {}
    for engine, label in labels.items():
        walls = [run[engine]["wall_s"] for run in runs if engine in run]
        if not walls:
            out[engine] = {"skipped": "tantivy not installed"}
            continue
        out[engine] = {"baseline": label, "build_s": summary(walls, 2),
                       "peak_mb": summary([run[engine]["peak_tree_mb"] for run in runs if engine in run], 0)}
        if pipeline_s is not None:
            out[engine]["ratio"] = round(pipeline_s / max(statistics.median(walls), 0.01), 1)
    return out


def print_baselines(baselines: dict[str, Any]) -> None:
    print("\nbaselines, same files, same run (a fresh process each):")
    for engine, row in baselines.items():
        if "skipped" in row:
            print(f"  bare {engine}: skipped ({row['skipped']})")
            continue
        build = row["build_s"]
        ratio = f"; pipeline / bare {engine} {row['ratio']}" if "ratio" in row else ""
        print(f"  {row['baseline']}: {build['median']} s ({build['min']}–{build['max']}), peak "
              f"{row['peak_mb']['median']:.0f} MB{ratio}")


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def print_stages(result: dict[str, Any]) -> None:
    print(f"\nserial stages, one process, cold: {result['documents']} documents, {result['megabytes']} MB, "
          f"{result['total_s']} s ({result['mb_per_s_one_core']} MB/s on one core), setup {result['setup_s']} s")
    print(f"{'stage':<10}{'own s':>9}{'share':>8}{'split s':>10}{'words split':>13}")
    for stage, row in result["stages"].items():
        print(f"{stage:<10}{row['seconds']:>9.2f}{row['share']:>8.1%}{row['split_seconds']:>10.2f}"
              f"{row['split_words']:>13}")
    print(f"{'splitting':<10}{result['compound_split_s']:>9.2f}{result['compound_split_share']:>8.1%}"
          f"{'':>10}{result['compound_split_words']:>13}")


def print_pipeline(result: dict[str, Any]) -> None:
    flow = "terms counted in the workers" if result["terms_in_workers"] else "terms counted after add (old flow)"
    print(f"\npipeline, {flow} ({result['jobs']} jobs): {result['files']} files, {result['megabytes']} MB in "
          f"{result['total_s']} s = {result['mb_per_s']} MB/s; peak RSS main {result['peak_rss_main_mb']} MB, "
          f"largest child {result['peak_rss_child_mb']} MB, all processes together "
          f"{result.get('peak_tree_mb', '?')} MB")
    print(f"  CPU time of all processes: {result['cpu_s']} s")
    for name, row in result["phases"].items():
        print(f"  {name:<36}{row['seconds']:>9.2f} s {row['share']:>7.1%}   CPU {row['cpu_s']:>7.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="files of the Karlsruhe texts to use")
    parser.add_argument("--views", nargs="+", choices=VIEWS,
                        default=[view for view in VIEWS if "nosplit" not in view],
                        help="pipeline-old: term counts after add, as before they moved into the workers; "
                             "pipeline-tantivy: the pipeline with the index on the tantivy backend; "
                             "*-nosplit: compound splitting switched off, a bound for any faster splitter")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the pipeline view")
    parser.add_argument("--repeat", type=int, default=1, help="runs per view (medians of the totals)")
    parser.add_argument("--label", default="current", help="name of this measurement in the results file")
    parser.add_argument("--child", choices=VIEWS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.files, args.jobs)))
        return 0
    if not KARLSRUHE.exists():
        print(f"skipped: {KARLSRUHE} is not there", file=sys.stderr)
        return 0
    out: dict[str, Any] = {"at": time.strftime("%Y-%m-%dT%H:%M:%S"), "files": args.files,
                           "load_before": load_average(), "views": {}}
    runs: dict[str, list[dict[str, Any]]] = {view: [] for view in args.views}
    pipelines = [view for view in args.views if view != "stages"]
    bare: list[dict[str, dict[str, float]]] = []
    if pipelines:
        from bench.bench_scale import tantivy_label

        if tantivy_label() is None:
            print('note: tantivy is not installed (pip install -e ".[bench]"): bare tantivy baseline skipped')
    for _ in range(args.repeat):  # interleaved, so that a burst of load hits every view alike
        for view in args.views:
            runs[view].append(run_fresh(view, args.files, args.jobs))
        if pipelines:
            bare.append(run_baselines(args.files))
    for view, done in runs.items():
        totals = [r["total_s"] for r in done]
        shown = sorted(done, key=lambda r: r["total_s"])[len(done) // 2]  # the median run, shown in full
        shown["runs_total_s"] = totals
        shown["median_total_s"] = statistics.median(totals)
        out["views"][view] = shown
        (print_stages if view == "stages" else print_pipeline)(shown)
    if pipelines:
        main_flow = "pipeline" if "pipeline" in out["views"] else pipelines[0]
        out["baselines"] = baseline_summary(bare, out["views"][main_flow]["median_total_s"])
        out["baselines_vs"] = main_flow
        print_baselines(out["baselines"])
    out["load_after"] = load_average()
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / "profile_add.json"
    saved = json.loads(target.read_text()) if target.exists() else {}
    saved[args.label] = out
    target.write_text(json.dumps(saved, indent=1, ensure_ascii=False) + "\n")
    print(f"\nload average before/after: {out['load_before']} / {out['load_after']}; results: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
