"""Check the hand-labelled entity evaluation set tests/data/entities_dev.jsonl.

Each record names a passage by file and character offsets (the passage text itself is not stored, because the
shared sources must not be copied into the project). This script re-reads every passage, verifies its sha1 and
that every entity's ``text`` equals ``passage[start:end]``, and prints counts per kind, per source group and
in/out of gazetteer. It also reports (as warnings) labels whose ``in_gazetteer`` flag no longer agrees with the
canonical names in clustermine/data/gazetteers, e.g. after the gazetteers were extended.

Paths: ``demo/...`` is relative to the project root; ``shared/...`` is relative to the folder that contains the
project (``<project>/..``). Records from ``shared`` are skipped with a notice when that folder is absent.

Usage: python tests/data/check_entities_dev.py [path/to/entities_dev.jsonl]
Exit status 0 when clean, 1 on any error.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
SHARED_ROOT = PROJECT.parent
GAZ_DIR = PROJECT / "clustermine" / "data" / "gazetteers"
KINDS = {"REGION": "regions.tsv", "CLUSTER": "clusters.tsv", "PROGRAM": "programs.tsv", "ORG": "orgs.tsv"}
FIELDS = {"id", "source", "start", "end", "sha1", "entities"}
ENTITY_FIELDS = {"kind", "text", "canonical", "start", "end", "in_gazetteer"}


def source_path(source: str) -> Path:
    if source.startswith("shared/"):
        return SHARED_ROOT / source
    return PROJECT / source


def group_of(source: str) -> str:
    if source.startswith("demo/"):
        return "demo"
    if source.startswith("shared/seeds/"):
        return "seeds"
    if source.startswith("shared/karlsruhe/"):
        return "karlsruhe"
    return "other"


def gazetteer_canonicals() -> dict[str, set[str]] | None:
    if not GAZ_DIR.is_dir():
        return None
    out: dict[str, set[str]] = {}
    for kind, name in KINDS.items():
        with open(GAZ_DIR / name, encoding="utf-8") as f:
            lines = [line for line in f if not line.startswith("#")]
        out[kind] = {row["canonical"] for row in csv.DictReader(lines, delimiter="\t")}
    return out


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else HERE / "entities_dev.jsonl"
    gaz = gazetteer_canonicals()
    errors: list[str] = []
    warnings: list[str] = []
    skipped = 0
    seen_ids: set[str] = set()
    per_kind: Counter[str] = Counter()
    per_kind_gaz: Counter[tuple[str, bool]] = Counter()
    per_group_records: Counter[str] = Counter()
    per_group_kind: Counter[tuple[str, str]] = Counter()
    per_group_gaz: Counter[tuple[str, bool]] = Counter()
    texts: dict[Path, str] = {}
    n_records = 0

    with open(data, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            rid = rec.get("id", f"line {lineno}")
            if set(rec) != FIELDS:
                errors.append(f"{rid}: fields {sorted(rec)} != {sorted(FIELDS)}")
                continue
            if rid in seen_ids:
                errors.append(f"{rid}: duplicate id")
            seen_ids.add(rid)
            path = source_path(rec["source"])
            if rec["source"].startswith("shared/") and not (SHARED_ROOT / "shared").is_dir():
                skipped += 1
                continue
            if not path.is_file():
                errors.append(f"{rid}: missing source file {path}")
                continue
            if path not in texts:
                texts[path] = path.read_text(encoding="utf-8")
            text = texts[path]
            start, end = rec["start"], rec["end"]
            if not (0 <= start < end <= len(text)):
                errors.append(f"{rid}: passage offsets {start}:{end} outside file of length {len(text)}")
                continue
            passage = text[start:end]
            if hashlib.sha1(passage.encode("utf-8")).hexdigest() != rec["sha1"]:
                errors.append(f"{rid}: sha1 mismatch (file changed?)")
                continue
            n_records += 1
            group = group_of(rec["source"])
            per_group_records[group] += 1
            last_end = -1
            for i, ent in enumerate(rec["entities"]):
                where = f"{rid} entity {i}"
                if set(ent) != ENTITY_FIELDS:
                    errors.append(f"{where}: fields {sorted(ent)}")
                    continue
                kind = ent["kind"]
                if kind not in KINDS:
                    errors.append(f"{where}: unknown kind {kind!r}")
                    continue
                s, e = ent["start"], ent["end"]
                if not (0 <= s < e <= len(passage)):
                    errors.append(f"{where}: offsets {s}:{e} outside passage")
                    continue
                if passage[s:e] != ent["text"]:
                    errors.append(f"{where}: text {ent['text']!r} != passage[{s}:{e}] {passage[s:e]!r}")
                if s < last_end:
                    errors.append(f"{where}: overlaps or is out of order with the previous entity")
                last_end = e
                if not ent["canonical"].strip():
                    errors.append(f"{where}: empty canonical")
                if not isinstance(ent["in_gazetteer"], bool):
                    errors.append(f"{where}: in_gazetteer must be true or false")
                elif gaz is not None and (ent["canonical"] in gaz[kind]) != ent["in_gazetteer"]:
                    warnings.append(
                        f"{where}: in_gazetteer={ent['in_gazetteer']} but canonical {ent['canonical']!r} is "
                        f"{'' if ent['canonical'] in gaz[kind] else 'not '}a {kind} canonical in the gazetteers"
                    )
                per_kind[kind] += 1
                per_kind_gaz[(kind, ent["in_gazetteer"])] += 1
                per_group_kind[(group, kind)] += 1
                per_group_gaz[(group, ent["in_gazetteer"])] += 1

    total = sum(per_kind.values())
    note = f" (skipped {skipped} shared records: ../shared absent)" if skipped else ""
    print(f"records checked: {n_records}{note}")
    print(f"entities: {total}")
    print()
    print(f"{'kind':<10}{'total':>7}{'in gaz':>8}{'not gaz':>9}{'% in':>7}")
    for kind in KINDS:
        n = per_kind[kind]
        yes = per_kind_gaz[(kind, True)]
        no = per_kind_gaz[(kind, False)]
        share = f"{100 * yes / n:.0f}%" if n else "-"
        print(f"{kind:<10}{n:>7}{yes:>8}{no:>9}{share:>7}")
    yes = sum(v for (_, g), v in per_kind_gaz.items() if g)
    print(f"{'all':<10}{total:>7}{yes:>8}{total - yes:>9}{(f'{100 * yes / total:.0f}%' if total else '-'):>7}")
    print()
    header = "".join(f"{k:>9}" for k in KINDS)
    print(f"{'group':<11}{'passages':>9}{header}{'total':>7}{'in gaz':>8}{'not gaz':>9}")
    for group in ("demo", "seeds", "karlsruhe", "other"):
        if not per_group_records[group]:
            continue
        counts = [per_group_kind[(group, k)] for k in KINDS]
        print(
            f"{group:<11}{per_group_records[group]:>9}"
            + "".join(f"{c:>9}" for c in counts)
            + f"{sum(counts):>7}{per_group_gaz[(group, True)]:>8}{per_group_gaz[(group, False)]:>9}"
        )
    for w in warnings:
        print("WARNING:", w)
    for err in errors:
        print("ERROR:", err)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
