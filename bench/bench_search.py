"""Search index benchmark: build rate, index size and query latency, German analysis vs. whoosh's StandardAnalyzer.

Corpora: the demo corpus (66 real documents through the normal ``add``) and generated corpora of 1,000 and
10,000 documents (100,000 with ``--large``). Generated documents recombine the sentences of the demo sources
(``demo/sources/*.txt``) into new German texts of 15–60 sentences, each with 1–3 random regions of the
gazetteer (named in the text and tagged as entities), a random cluster and programme, a year from 1995 to 2025,
a document type, a Beschlussvorschlag for council papers, and 2 % near-duplicate pairs; they are written
straight into the store (the extraction pipeline is not what is measured here).

For each corpus and analysis: a full build (``sync_index(rebuild=True)``; for German the first build splits
compounds cold, the second reuses the saved compound cache, both are reported), an incremental sync after
changing 1 % of the documents, the index size on disk, and the latency of a fixed set of queries (words,
compounds, phrases, prefixes, fuzzy words, filters, region hierarchy, date sort, explain), each run
``--query-repeat`` times; p50/p95 over all runs. Build figures are medians of ``--repeat`` builds.

Usage: python bench/bench_search.py [--sizes 1000 10000] [--large] [--repeat 3] [--procs 2] [--out FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clustermine.corpus import add_paths, open_store  # noqa: E402
from clustermine.index import SearchFilters, search, sync_index  # noqa: E402
from clustermine.index.storage import IndexLocation  # noqa: E402
from clustermine.model import CouncilPaper, Document, Entity, Section  # noqa: E402

DEMO = ROOT / "demo"
RESULTS = ROOT / "bench" / "results"
DOCTYPES = ("council_paper", "minutes", "project_description", "conference_report", "report", "web_page")

#: (query, filters) pairs run against every index.
QUERIES: list[tuple[str, SearchFilters | None]] = [
    ("Clusterförderung", None),
    ("Förderung", None),
    ("Wirtschaftsförderung Kreises", None),
    ("Strukturwandel Logistik", None),
    ('"regionale Wirtschaftsförderung"', None),
    ("Cluster-Management OR Netzwerkmanagement", None),
    ("Kompetenzfeld NOT Logistik", None),
    ("Innovations*", None),
    ("Wasserstof~", None),
    ("title:Cluster", None),
    ("resolution:Verwaltung", None),
    ("type:council_paper year:2010..2015", None),
    ("Fachkräfte", SearchFilters(regions=("NRW",))),
    ("Netzwerk", SearchFilters(regions=("Mettmann",), include_subregions=False)),
    ("", SearchFilters(programs=("EFRE",), years=(2000, 2010))),
    ("Technologiezentrum", None),
]


# -- corpora ------------------------------------------------------------------------------------------------


def demo_sentences() -> list[str]:
    """Sentences of the demo sources' bodies (long enough to read as prose)."""
    sentences = []
    for path in sorted((DEMO / "sources").glob("*.txt")):
        body = path.read_text(encoding="utf-8").partition("\n---\n")[2]
        text = " ".join(line.strip() for line in body.splitlines() if line.strip() and not line.startswith("##"))
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„])", text):
            if 40 <= len(sentence) <= 400 and not re.search(r"\d{2}\.\d{2}\.\d{4}\s{2,}", sentence):
                sentences.append(sentence)
    return sentences


def gazetteer_pool() -> dict[str, list[Any]]:
    from clustermine.pipeline.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    return {kind: list(gazetteer.of_kind(kind)) for kind in ("REGION", "CLUSTER", "PROGRAM")}


def generate(store: Any, count: int, seed: int = 20130410) -> None:
    """Write ``count`` generated documents (with entities and near-duplicate links) into ``store``."""
    rng = random.Random(seed)
    sentences = demo_sentences()
    pool = gazetteer_pool()
    batch: list[Document] = []
    links: list[tuple[str, str]] = []
    previous: Document | None = None
    for n in range(count):
        if previous is not None and rng.random() < 0.02:  # a Neufassung of the previous document
            doc = replace(previous, text=previous.text + "\n\nNeufassung: " + rng.choice(sentences))
        else:
            doc = _new_document(rng, n, sentences, pool)
        digest = hashlib.sha256(f"{n}\0{doc.text}".encode()).hexdigest()
        doc = replace(doc, id=digest[:16], content_hash=digest, source=f"generated/{n:06d}.txt")
        if previous is not None and doc.text.startswith(previous.text):
            links.append((previous.id, doc.id))
        batch.append(doc)
        previous = doc
        if len(batch) >= 500:
            _flush(store, batch, links)
            batch, links = [], []
    _flush(store, batch, links)


def _new_document(rng: random.Random, n: int, sentences: list[str], pool: dict[str, list[Any]]) -> Document:
    regions = rng.sample(pool["REGION"], rng.randint(1, 3))
    cluster, program = rng.choice(pool["CLUSTER"]), rng.choice(pool["PROGRAM"])
    year = rng.randint(1995, 2025)
    paragraphs = [" ".join(rng.choice(sentences) for _ in range(rng.randint(5, 10))) for _ in range(rng.randint(3, 6))]
    mentions = [f"Beteiligt ist {r.canonical}." for r in regions]
    mentions.append(f"Das Vorhaben gehört zum Bereich {cluster.canonical} und wird aus {program.canonical} gefördert.")
    text = "\n\n".join(paragraphs[:1] + mentions + paragraphs[1:])
    doctype = rng.choice(DOCTYPES)
    title = rng.choice(sentences)[:120]
    sections: tuple[Section, ...] = ()
    council = None
    if doctype == "council_paper":
        resolution = rng.choice(sentences)
        text = f"Betreff: {title}\n\nBeschlussvorschlag:\n{resolution}\n\n{text}"
        sections = (Section("beschlussvorschlag", "Beschlussvorschlag", resolution, 0),)
        council = CouncilPaper(number=f"{n % 997}/{year}", paper_type="Beschlussvorlage", body=regions[0].canonical)
    entities = tuple(
        Entity(e.kind, e.canonical, e.canonical, 0, len(e.canonical), e.id) for e in [*regions, cluster, program]
    )
    return Document(id="", source="", format="text", title=title, doctype=doctype,
                    date=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", text=text,
                    sections=sections, council=council, entities=entities)


def _flush(store: Any, batch: list[Document], links: list[tuple[str, str]]) -> None:
    with store.transaction():
        for doc in batch:
            store.put_document(doc, fingerprint="bench-1")
        for first, second in links:
            store.link_duplicates(first, second, 0.95, "duplicate")


def change_some(store: Any, fraction: float, seed: int = 7) -> int:
    """Override the type of a fraction of the documents (what an incremental sync must pick up)."""
    rng = random.Random(seed)
    rows = store.list_rows()
    chosen = rng.sample(rows, max(1, int(len(rows) * fraction)))
    with store.transaction():
        for row in chosen:
            store.set_overrides(row.id, doctype="report" if row.doctype != "report" else "other")
    return len(chosen)


# -- measurements ---------------------------------------------------------------------------------------------


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def text_megabytes(store: Any) -> float:
    return store.conn.execute("SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM documents").fetchone()[0] / 1e6


def time_build(store: Any, analysis: str, procs: int = 1) -> float:
    started = time.perf_counter()
    sync_index(store, rebuild=True, analysis=analysis, procs=procs)
    return time.perf_counter() - started


def query_latencies(store: Any, repeat: int) -> dict[str, Any]:
    times: list[float] = []
    per_query: dict[str, float] = {}
    totals: dict[str, int] = {}
    for query, filters in QUERIES:
        search(store, query, filters=filters)  # warm the page cache and the analysis caches
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = search(store, query, filters=filters, explain=query == "Clusterförderung")
            runs.append(time.perf_counter() - started)
        times += runs
        label = query + (f" {filters}" if filters else "")
        per_query[label] = round(statistics.median(runs) * 1000, 1)
        totals[label] = result.total
    times.sort()
    return {
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))] * 1000, 1),
        "per_query_median_ms": per_query,
        "hits": totals,
    }


def bench_corpus(name: str, store: Any, args: argparse.Namespace) -> dict[str, Any]:
    docs = store.count()
    megabytes = text_megabytes(store)
    out: dict[str, Any] = {"documents": docs, "text_mb": round(megabytes, 2), "analysis": {}}
    repeat = args.repeat if docs <= 2000 else 1
    for analysis in ("german", "standard"):
        from clustermine.pipeline.compound_store import cache_path, forget
        from clustermine.pipeline.compounds import default_splitter

        forget(cache_path(store.home))  # the splits saved by add or an earlier build: a cold build splits anew

        default_splitter().clear_cache()
        from clustermine.index import analysis as german

        german.clear_caches()
        first = time_build(store, analysis)  # cold: every word type is new to the compound splitter
        builds = [time_build(store, analysis) for _ in range(repeat)]
        warm = statistics.median(builds)
        changed = change_some(store, 0.01)
        started = time.perf_counter()
        report = sync_index(store)
        incremental = time.perf_counter() - started
        size = folder_size(IndexLocation(store.home).require())
        entry = {
            "build_cold_s": round(first, 2),
            "build_s": round(warm, 2),
            "docs_per_s": round(docs / warm, 1),
            "mb_per_s": round(megabytes / warm, 2),
            "docs_per_s_cold": round(docs / first, 1),
            "incremental_sync_s": round(incremental, 2),
            "incremental_changed": changed,
            "incremental_report": report.to_dict(),
            "index_mb": round(size / 1e6, 2),
            "index_to_text": round(size / 1e6 / megabytes, 2) if megabytes else None,
            "queries": query_latencies(store, args.query_repeat),
        }
        if args.procs > 1 and docs >= 5000:
            entry[f"build_s_procs{args.procs}"] = round(time_build(store, analysis, procs=args.procs), 2)
        out["analysis"][analysis] = entry
        print(f"{name:>8} {analysis:<8} {docs:>7} docs {megabytes:7.1f} MB | build {warm:7.2f} s "
              f"({docs / warm:7.1f} docs/s, {megabytes / warm:5.2f} MB/s; cold {first:.2f} s) | "
              f"sync 1% {incremental:5.2f} s | index {size / 1e6:7.1f} MB | "
              f"query p50 {entry['queries']['p50_ms']:6.1f} ms p95 {entry['queries']['p95_ms']:6.1f} ms"
              + (f" | procs={args.procs}: {entry[f'build_s_procs{args.procs}']:.2f} s"
                 if f"build_s_procs{args.procs}" in entry else ""),
              flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="generated corpus sizes")
    parser.add_argument("--large", action="store_true", help="also 100,000 generated documents")
    parser.add_argument("--repeat", type=int, default=3, help="builds per corpus (medians; 1 above 2,000 docs)")
    parser.add_argument("--query-repeat", type=int, default=5, help="runs per query")
    parser.add_argument("--procs", type=int, default=2, help="also build the 10,000+ corpora with whoosh procs")
    parser.add_argument("--out", type=Path, default=RESULTS / "search.json")
    args = parser.parse_args()
    sizes = list(args.sizes) + ([100_000] if args.large else [])
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": __import__("os").cpu_count()},
        "corpora": {},
    }
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        store = open_store(work / "demo")
        from clustermine.corpus import entity_settings

        add_paths(store, [str(DEMO / "corpus")], entities=entity_settings(store))
        results["corpora"]["demo"] = bench_corpus("demo", store, args)
        store.close()
        for size in sizes:
            store = open_store(work / f"gen-{size}")
            started = time.perf_counter()
            generate(store, size)
            print(f"generated {size} documents in {time.perf_counter() - started:.1f} s", flush=True)
            results["corpora"][f"generated-{size}"] = bench_corpus(f"{size}", store, args)
            store.close()
            shutil.rmtree(work / f"gen-{size}", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results: {args.out}")


if __name__ == "__main__":
    main()
