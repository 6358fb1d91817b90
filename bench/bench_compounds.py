"""Benchmark of compound splitting: accuracy and speed of clustermine's splitter against HanTa alone.

Measured in one run, on the same words (this machine is noisy; compare ratios, not bare numbers):
- load time and memory of what the splitter keeps of spaCy's German lemma table, and of HanTa's model;
- full-split and head accuracy on the labelled set of ``tests/pipeline/test_compounds.py``, for (a) HanTa alone
  (``hanta_split``: HanTa's morphemes in the same format, unchecked) and (b) ``CompoundSplitter``;
- words per second, median of 3 runs: HanTa alone, the splitter without cache (a fresh cache per run) and the
  splitter with a warm cache, on the labelled words and on all word types of demo/sources/*.txt.

Usage: python bench/bench_compounds.py [--repeat 3] [--json bench/results/compounds.json]
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clustermine.pipeline import compound_hanta, compound_lexicon  # noqa: E402
from clustermine.pipeline.compounds import CompoundSplitter, hanta_split  # noqa: E402

DEMO = ROOT / "demo" / "sources"
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def measure_load(load: Callable[[], object]) -> tuple[float, float, float]:
    """(seconds, MB kept, MB peak) of one call: time from a plain call, memory from a second one under tracemalloc
    (which slows the call down about threefold)."""
    started = time.perf_counter()
    result = load()
    seconds = time.perf_counter() - started
    del result
    gc.collect()
    tracemalloc.start()
    result = load()
    gc.collect()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return seconds, kept / 1e6, peak / 1e6


def demo_words() -> list[str]:
    """All distinct word types of the demo sources (header lines skipped), in first-seen order."""
    seen: dict[str, None] = {}
    for path in sorted(DEMO.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for word in _WORD.findall(body):
            seen.setdefault(word, None)
    return list(seen)


def words_per_second(run: Callable[[Iterable[str]], None], words: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run(words)
        times.append(time.perf_counter() - started)
    return len(words) / statistics.median(times)


def accuracy(split: Callable[[str], tuple[str, ...]], gold: list[tuple[str, tuple[str, ...]]]) -> tuple[float, float]:
    full = sum(split(word) == parts for word, parts in gold)
    heads = sum(split(word)[-1:] == parts[-1:] for word, parts in gold)
    return full / len(gold), heads / len(gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args()

    results: dict[str, object] = {}
    started = time.perf_counter()
    CompoundSplitter()("Clusterförderung")  # first use in this process: lemma table, HanTa, domain lists
    results["splitter_first_call_seconds"] = round(time.perf_counter() - started, 3)
    seconds, kept, peak = measure_load(compound_lexicon.read_lemma_table)
    table = compound_lexicon.read_lemma_table()
    results["lemma_table"] = {
        "load_seconds": round(seconds, 3), "kept_mb": round(kept, 1), "peak_mb": round(peak, 1),
        "known": len(table.known), "nouns": len(table.nouns), "noun_forms": len(table.noun_lemmas),
        "verb_stems": len(table.verb_stems),
    }
    seconds, kept, peak = measure_load(lambda: compound_hanta.tagger_class()(compound_hanta.HANTA_MODEL))
    results["hanta_model"] = {"load_seconds": round(seconds, 3), "kept_mb": round(kept, 1), "peak_mb": round(peak, 1)}

    from tests.pipeline.test_compounds import GOLD

    results["labelled_words"] = len(GOLD)
    results["accuracy"] = {
        name: dict(zip(("full_split", "head"), (round(value, 3) for value in accuracy(split, GOLD)), strict=True))
        for name, split in (("hanta_alone", hanta_split), ("clustermine", CompoundSplitter()))
    }

    def hanta_only(words: Iterable[str]) -> None:
        for word in words:
            hanta_split(word)

    def uncached(words: Iterable[str]) -> None:
        splitter = CompoundSplitter()
        for word in words:
            splitter(word)

    warm = CompoundSplitter()

    def cached(words: Iterable[str]) -> None:
        for word in words:
            warm(word)

    speed: dict[str, dict[str, float]] = {}
    for name, words in (("labelled", [word for word, _ in GOLD]), ("demo_word_types", demo_words())):
        cached(words)  # warm the cache
        speed[name] = {
            "words": len(words),
            "hanta_alone_wps": round(words_per_second(hanta_only, words, args.repeat)),
            "uncached_wps": round(words_per_second(uncached, words, args.repeat)),
            "cached_wps": round(words_per_second(cached, words, args.repeat)),
        }
    results["speed"] = speed

    table_info = results["lemma_table"]
    print(f"lemma table: {table_info['load_seconds']} s to read, {table_info['kept_mb']} MB kept "
          f"({table_info['peak_mb']} MB peak); {table_info['known']} known lemmas, {table_info['noun_forms']} noun "
          f"forms, {table_info['verb_stems']} verb stems")
    hanta_info = results["hanta_model"]
    print(f"HanTa model: {hanta_info['load_seconds']} s to load, {hanta_info['kept_mb']} MB kept")
    print(f"first call of a splitter in a fresh process: {results['splitter_first_call_seconds']} s")
    print(f"accuracy on {len(GOLD)} labelled words (full split / head):")
    for name, values in results["accuracy"].items():  # type: ignore[union-attr]
        print(f"  {name:12} {values['full_split']:.1%} / {values['head']:.1%}")
    print(f"speed, words/s (median of {args.repeat}):")
    for name, values in speed.items():
        print(f"  {name:16} ({values['words']} words): HanTa alone {values['hanta_alone_wps']}, "
              f"splitter uncached {values['uncached_wps']}, cached {values['cached_wps']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
