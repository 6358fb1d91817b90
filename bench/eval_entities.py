"""Evaluate entity extraction on the hand-labelled dev set tests/data/entities_dev.jsonl; run by ``make eval``.

For every labelled passage the extractor runs on the passage text alone, and its entities are compared with the
labels in two ways:

- **mention level**: a predicted and a gold entity match when they have the same kind, the same canonical name
  (compared case-insensitively with spaces collapsed) and overlapping spans; each gold entity matches at most one
  prediction;
- **document level**: the set of (kind, canonical) per passage, which is what a search or facet sees.

Recall is also shown separately for gold entities whose canonical name is in the gazetteers and for those that
are not (the ``in_gazetteer`` flag of the label). Throughput is measured on the passages and on the whole demo
corpus texts (demo/sources/*.txt) after one warm-up run. ``--errors`` lists false positives and negatives with
context; ``--karlsruhe N`` prints what the extractor finds in N real Karlsruhe council texts, most frequent first,
for a manual look at false positives (no labels there).

Passages are located like tests/data/check_entities_dev.py does: ``demo/...`` relative to the project,
``shared/...`` relative to the folder containing the project; records of absent shared files are skipped.

Usage: python bench/eval_entities.py [--errors] [--kind KIND] [--karlsruhe N] [--data FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clustermine.model import Entity  # noqa: E402
from clustermine.pipeline.entities import extract_entities  # noqa: E402

DATA = ROOT / "tests" / "data" / "entities_dev.jsonl"
DEMO_SOURCES = ROOT / "demo" / "sources"
KARLSRUHE = ROOT.parent / "shared" / "karlsruhe" / "files"
KINDS = ("REGION", "CLUSTER", "PROGRAM", "ORG")


@dataclass(frozen=True)
class Gold:
    kind: str
    text: str
    canonical: str
    start: int
    end: int
    in_gazetteer: bool


@dataclass
class Passage:
    id: str
    text: str
    gold: list[Gold]


def norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def load_passages(path: Path) -> tuple[list[Passage], int]:
    passages, skipped = [], 0
    cache: dict[Path, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        source = rec["source"]
        if source.startswith("shared/"):
            file = ROOT.parent / source
            if not (ROOT.parent / "shared").is_dir():
                skipped += 1
                continue
        else:
            file = ROOT / source
        if file not in cache:
            cache[file] = file.read_text(encoding="utf-8")
        text = cache[file][rec["start"] : rec["end"]]
        gold = [Gold(e["kind"], e["text"], e["canonical"], e["start"], e["end"], e["in_gazetteer"])
                for e in rec["entities"]]
        passages.append(Passage(rec["id"], text, gold))
    return passages, skipped


def match_mentions(gold: list[Gold], pred: list[Entity]) -> tuple[list[tuple[Gold, Entity]], list[Gold], list[Entity]]:
    """One-to-one matching: same kind, same canonical, overlapping spans."""
    used: set[int] = set()
    pairs, missed = [], []
    for g in gold:
        hit = None
        for k, p in enumerate(pred):
            if k in used or p.kind != g.kind or norm(p.canonical) != norm(g.canonical):
                continue
            if p.start < g.end and g.start < p.end:
                hit = k
                break
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
            pairs.append((g, pred[hit]))
    spurious = [p for k, p in enumerate(pred) if k not in used]
    return pairs, missed, spurious


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def context(text: str, start: int, end: int, width: int = 45) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"…{left}[{text[start:end]}]{right}…".replace("\n", " ")


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def throughput(texts: list[str]) -> tuple[int, float]:
    for t in texts[:2]:
        extract_entities(t)  # warm-up: pipeline, gazetteer index, compound splitter
    started = time.perf_counter()
    for t in texts:
        extract_entities(t)
    elapsed = time.perf_counter() - started
    n = sum(words(t) for t in texts)
    return n, n / elapsed if elapsed else 0.0


def karlsruhe_sample(n: int, seed: int = 7) -> None:
    files = sorted(KARLSRUHE.glob("*.txt"))
    if not files:
        print(f"no Karlsruhe texts in {KARLSRUHE}")
        return
    random.Random(seed).shuffle(files)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[tuple[str, str], str] = {}
    total_words = 0
    started = time.perf_counter()
    for file in files[:n]:
        text = file.read_text(encoding="utf-8", errors="replace")
        total_words += words(text)
        for e in extract_entities(text):
            counts[e.kind][f"{e.canonical} ({e.rule})"] += 1
            examples.setdefault((e.kind, f"{e.canonical} ({e.rule})"), f"{file.name}: {context(text, e.start, e.end)}")
    elapsed = time.perf_counter() - started
    print(f"\nKarlsruhe sample: {n} files, {total_words} words, {total_words / elapsed:,.0f} words/s")
    for kind in (*KINDS, "PERSON"):
        if not counts[kind]:
            continue
        print(f"\n{kind}: {sum(counts[kind].values())} mentions, {len(counts[kind])} distinct")
        for name, c in counts[kind].most_common(40):
            print(f"  {c:5}  {name:60}  {examples[(kind, name)][:150]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--errors", action="store_true", help="list false positives and false negatives")
    parser.add_argument("--kind", choices=KINDS, help="only list errors of this kind")
    parser.add_argument("--karlsruhe", type=int, default=0, metavar="N", help="inspect N Karlsruhe texts")
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput measurement")
    args = parser.parse_args(argv)

    passages, skipped = load_passages(args.data)
    mention = {k: Counter() for k in KINDS}
    document = {k: Counter() for k in KINDS}
    gaz_recall = {k: Counter() for k in KINDS}
    errors: list[str] = []
    for passage in passages:
        pred = [e for e in extract_entities(passage.text) if e.kind in KINDS]
        for e in pred:
            assert passage.text[e.start : e.end] == e.text, (passage.id, e)
        pairs, missed, spurious = match_mentions(passage.gold, pred)
        for g, _ in pairs:
            mention[g.kind]["tp"] += 1
            gaz_recall[g.kind][(g.in_gazetteer, "tp")] += 1
        for g in missed:
            mention[g.kind]["fn"] += 1
            gaz_recall[g.kind][(g.in_gazetteer, "fn")] += 1
            if not args.kind or g.kind == args.kind:
                errors.append(f"FN {passage.id} {g.kind:8} {g.canonical!r:45} {context(passage.text, g.start, g.end)}")
        for p in spurious:
            mention[p.kind]["fp"] += 1
            if not args.kind or p.kind == args.kind:
                errors.append(
                    f"FP {passage.id} {p.kind:8} {p.canonical!r:45} {p.rule:20} {context(passage.text, p.start, p.end)}"
                )
        gold_set = {(g.kind, norm(g.canonical)) for g in passage.gold}
        pred_set = {(p.kind, norm(p.canonical)) for p in pred}
        for kind in KINDS:
            g = {x for x in gold_set if x[0] == kind}
            p = {x for x in pred_set if x[0] == kind}
            document[kind]["tp"] += len(g & p)
            document[kind]["fp"] += len(p - g)
            document[kind]["fn"] += len(g - p)

    note = f" ({skipped} shared passages skipped: ../shared absent)" if skipped else ""
    print(f"entity evaluation on {len(passages)} passages, {sum(len(p.gold) for p in passages)} gold entities{note}")
    for title, table in (("mention level", mention), ("document level", document)):
        print(f"\n{title:16}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}")
        totals = Counter()
        for kind in KINDS:
            c = table[kind]
            totals.update(c)
            p, r, f = prf(c["tp"], c["fp"], c["fn"])
            print(f"{kind:16}{p:7.3f}{r:7.3f}{f:7.3f}{c['tp']:6}{c['fp']:6}{c['fn']:6}")
        p, r, f = prf(totals["tp"], totals["fp"], totals["fn"])
        print(f"{'all':16}{p:7.3f}{r:7.3f}{f:7.3f}{totals['tp']:6}{totals['fp']:6}{totals['fn']:6}")
    print(f"\nmention recall  {'in gazetteer':>16}{'not in gazetteer':>20}")
    for kind in KINDS:
        c = gaz_recall[kind]
        cells = []
        for flag in (True, False):
            tp, fn = c[(flag, "tp")], c[(flag, "fn")]
            cells.append(f"{tp / (tp + fn):.3f} ({tp}/{tp + fn})" if tp + fn else "-")
        print(f"{kind:16}{cells[0]:>16}{cells[1]:>20}")

    if args.errors:
        print()
        for line in sorted(errors, key=lambda s: (s.split()[2], s.split()[0], s.split()[1])):
            print(line)

    if not args.no_speed:
        n, rate = throughput([p.text for p in passages])
        print(f"\nthroughput: passages {n:,} words, {rate:,.0f} words/s", end="")
        demo = [f.read_text(encoding="utf-8") for f in sorted(DEMO_SOURCES.glob("*.txt"))]
        if demo:
            n, rate = throughput(demo)
            print(f"; demo corpus {len(demo)} texts, {n:,} words, {rate:,.0f} words/s")
        else:
            print()
    if args.karlsruhe:
        karlsruhe_sample(args.karlsruhe)
    return 0


if __name__ == "__main__":
    sys.exit(main())
