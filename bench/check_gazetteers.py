"""Validate the gazetteers in ``clustermine/data/gazetteers`` and print counts per kind.

Checks, per file: UTF-8, ``#`` comment lines only at the top, one header line with the expected columns, the same
number of tab-separated fields on every row, no stray whitespace, unique ids (across all files), known kinds and
levels, references that resolve (parents, members, predecessors/successors, regions of clusters and orgs), and
for regions that official keys are well formed and agree with the id and the parent (a Kreis key starts with its
Land key and, where the Land has Regierungsbezirke, with the Bezirk key). Canonical names must be unique within a
kind; ``|``-separated aliases must not repeat or restate the canonical name.

Errors make the script exit with status 1; notes (such as aliases shared by several entries, which the extractor
has to disambiguate) are printed but do not fail.

Usage::

    .venv/bin/python bench/check_gazetteers.py [--dir DIR] [--quiet]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "clustermine" / "data" / "gazetteers"

COLUMNS = {
    "regions.tsv": ["id", "canonical", "kind", "parent", "aliases", "key"],
    "region_members.tsv": ["region_id", "member_id"],
    "ambiguous_regions.tsv": ["canonical", "reason"],
    "programs.tsv": [
        "id",
        "canonical",
        "level",
        "aliases",
        "valid_from",
        "valid_to",
        "predecessor",
        "successor",
        "note",
    ],
    "clusters.tsv": ["id", "canonical", "kind", "aliases", "region", "valid_from", "valid_to", "note"],
    "orgs.tsv": ["id", "canonical", "kind", "aliases", "region"],
}

REGION_KINDS = {"land", "bezirk", "kreis", "city", "region"}
PROGRAM_LEVELS = {"eu", "federal", "land", "regional"}
CLUSTER_KINDS = {"field", "landescluster", "kompetenzfeld_ruhr", "leitmarkt", "initiative"}
ORG_KINDS = {"institute", "agency", "chamber", "ministry", "company", "association", "university", "body"}

# ISO 3166-2 code -> two-digit Land key (Amtlicher Gemeindeschlüssel, first two digits)
LAND_KEYS = {
    "sh": "01",
    "hh": "02",
    "ni": "03",
    "hb": "04",
    "nw": "05",
    "he": "06",
    "rp": "07",
    "bw": "08",
    "by": "09",
    "sl": "10",
    "be": "11",
    "bb": "12",
    "mv": "13",
    "sn": "14",
    "st": "15",
    "th": "16",
}

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def note(self, where: str, message: str) -> None:
        self.notes.append(f"{where}: {message}")


def read_table(path: Path, report: Report) -> list[dict[str, str]]:
    """Read one gazetteer file into dicts keyed by the header, recording format errors."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        report.error(name, "file is missing")
        return []
    except UnicodeDecodeError as exc:
        report.error(name, f"not UTF-8 ({exc})")
        return []
    if text.startswith("\ufeff"):
        report.error(name, "starts with a byte-order mark; save as UTF-8 without BOM")
    if not text.endswith("\n"):
        report.error(name, "last line has no newline")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    if i == len(lines):
        report.error(name, "no header line")
        return []
    header = lines[i].split("\t")
    expected = COLUMNS[name]
    if header != expected:
        report.error(name, f"header must be {expected}. Got {header} instead.")
        return []
    rows: list[dict[str, str]] = []
    for lineno, line in enumerate(lines[i + 1 :], start=i + 2):
        where = f"{name}:{lineno}"
        if line.startswith("#"):
            report.error(where, "comment lines are only allowed at the top of the file")
            continue
        if not line.strip():
            report.error(where, "empty line")
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            report.error(where, f"expected {len(header)} tab-separated fields, got {len(fields)}")
            continue
        for col, value in zip(header, fields, strict=True):
            if value != value.strip():
                report.error(where, f"column {col!r} has leading or trailing whitespace: {value!r}")
        row = dict(zip(header, fields, strict=True))
        row["_where"] = where
        rows.append(row)
    return rows


def check_aliases(row: dict[str, str], report: Report) -> list[str]:
    where = row["_where"]
    raw = row["aliases"]
    if not raw:
        return []
    aliases = raw.split("|")
    if any(not a.strip() or a != a.strip() for a in aliases):
        report.error(where, f"empty or padded alias in {raw!r}")
    dupes = [a for a, n in Counter(aliases).items() if n > 1]
    if dupes:
        report.error(where, f"alias listed twice: {dupes}")
    if row["canonical"] in aliases:
        report.error(where, f"alias repeats the canonical name {row['canonical']!r}")
    return [a for a in aliases if a]


def check_unique_canonical(rows: list[dict[str, str]], kind_col: str | None, name: str, report: Report) -> None:
    seen: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row[kind_col] if kind_col else "", row["canonical"])
        if key in seen:
            report.error(row["_where"], f"canonical name {row['canonical']!r} already used by {seen[key]} (same kind)")
        else:
            seen[key] = row["id"]


def check_years(row: dict[str, str], report: Report) -> None:
    where = row["_where"]
    start, end = row["valid_from"], row["valid_to"]
    for col, value in (("valid_from", start), ("valid_to", end)):
        if value and not YEAR.match(value):
            report.error(where, f"{col} must be a four-digit year or empty. Got {value!r} instead.")
    if start and end and YEAR.match(start) and YEAR.match(end) and int(start) > int(end):
        report.error(where, f"valid_from {start} is after valid_to {end}")


def check_regions(rows: list[dict[str, str]], report: Report) -> dict[str, dict[str, str]]:
    by_id: dict[str, dict[str, str]] = {}
    for row in rows:
        if row["id"] in by_id:
            report.error(row["_where"], f"duplicate id {row['id']!r}")
        by_id[row["id"]] = row
    keys: dict[str, str] = {}
    for row in rows:
        where, rid, kind, parent, key = row["_where"], row["id"], row["kind"], row["parent"], row["key"]
        if not row["canonical"]:
            report.error(where, "canonical name is empty")
        if kind not in REGION_KINDS:
            report.error(where, f"kind must be one of {sorted(REGION_KINDS)}. Got {kind!r} instead.")
            continue
        if not ID_PATTERN.match(rid):
            report.error(where, f"id {rid!r} is not an ASCII slug")
        check_aliases(row, report)
        if key:
            if key in keys:
                report.error(where, f"key {key} already used by {keys[key]}")
            keys[key] = rid
        if parent and parent not in by_id:
            report.error(where, f"parent {parent!r} does not exist")
            continue
        parent_row = by_id.get(parent)
        parent_kind = parent_row["kind"] if parent_row else ""
        parent_key = parent_row["key"] if parent_row else ""
        if kind == "land":
            code = rid[3:] if rid.startswith("de-") else ""
            if code not in LAND_KEYS:
                report.error(where, f"a Land id must be de-<ISO 3166-2 code>. Got {rid!r} instead.")
            elif key != LAND_KEYS[code]:
                report.error(where, f"key of {rid} must be {LAND_KEYS[code]}. Got {key!r} instead.")
            if parent:
                report.error(where, "a Land has no parent")
        elif kind == "bezirk":
            if not re.fullmatch(r"\d{3}", key) or rid != f"rb-{key}":
                report.error(where, f"a Bezirk has a 3-digit key and id rb-<key>. Got id {rid!r}, key {key!r}.")
            if parent_kind != "land":
                report.error(where, f"parent of a Bezirk must be a Land. Got {parent!r} instead.")
            elif not key.startswith(parent_key):
                report.error(where, f"key {key} does not start with the Land key {parent_key}")
        elif kind == "region":
            if not rid.startswith("rg-"):
                report.error(where, f"a named region has an rg- id. Got {rid!r} instead.")
            if key:
                report.error(where, "a named region has no official key")
            if parent and parent_kind != "land":
                report.error(where, f"parent of a named region must be a Land or empty. Got {parent!r} instead.")
        elif rid.startswith("ks-"):  # Kreis or kreisfreie Stadt
            if not re.fullmatch(r"\d{5}", key) or rid != f"ks-{key}":
                report.error(where, f"a Kreis has a 5-digit key and id ks-<key>. Got id {rid!r}, key {key!r}.")
            elif parent_kind not in ("land", "bezirk"):
                report.error(where, f"parent of a Kreis must be a Land or Bezirk. Got {parent!r} instead.")
            elif not key.startswith(parent_key):
                report.error(where, f"key {key} does not start with the parent key {parent_key} ({parent})")
        elif rid.startswith("gm-"):  # kreisangehörige Gemeinde
            if kind != "city":
                report.error(where, f"gm- ids are for cities. Got kind {kind!r}.")
            if parent_kind != "kreis" and not (parent_row and parent_row["id"].startswith("ks-")):
                report.error(where, f"parent of a Gemeinde must be a Kreis. Got {parent!r} instead.")
            if key:
                if not re.fullmatch(r"\d{8}", key) or rid != f"gm-{key}":
                    report.error(where, f"a Gemeinde key is the 8-digit AGS and the id gm-<AGS>. Got {rid!r}, {key!r}.")
                elif not key.startswith(parent_key):
                    report.error(where, f"AGS {key} does not start with the Kreis key {parent_key} ({parent})")
            else:
                m = re.fullmatch(r"gm-(\d{5})-[a-z0-9-]+", rid)
                if not m or m.group(1) != parent_key:
                    report.error(where, f"a Gemeinde without AGS has id gm-<Kreis key>-<slug>. Got {rid!r}.")
        else:
            report.error(where, f"unexpected id {rid!r} for kind {kind}")
    check_unique_canonical(rows, "kind", "regions.tsv", report)
    # within one Land, either all Kreise hang below Regierungsbezirke or none do
    parent_kinds: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row["id"].startswith("ks-") and row["parent"] in by_id:
            parent_kinds[row["key"][:2]].add(by_id[row["parent"]]["kind"])
    for land, kinds in sorted(parent_kinds.items()):
        if len(kinds) > 1:
            report.error("regions.tsv", f"Kreise of Land {land} mix Land and Bezirk parents")
    # current Kreise: the brief expects all ~400
    n_kreise = sum(1 for r in rows if r["id"].startswith("ks-"))
    if n_kreise != 400:
        report.note("regions.tsv", f"{n_kreise} Kreise and kreisfreie Städte (Destatis counts 400 since 2021)")
    return by_id


def check_members(rows, regions, report) -> None:
    seen = set()
    with_members = set()
    for row in rows:
        where, rid, mid = row["_where"], row["region_id"], row["member_id"]
        if (rid, mid) in seen:
            report.error(where, f"pair {rid} {mid} listed twice")
        seen.add((rid, mid))
        if rid not in regions:
            report.error(where, f"region {rid!r} does not exist")
        elif regions[rid]["kind"] != "region":
            report.error(where, f"{rid} is a {regions[rid]['kind']}, not a named region")
        if mid not in regions:
            report.error(where, f"member {mid!r} does not exist")
        elif not mid.startswith("ks-"):
            report.error(where, f"members are Kreise or kreisfreie Städte (ks- ids). Got {mid!r}.")
        with_members.add(rid)
    empty = sorted(r for r, row in regions.items() if row["kind"] == "region" and r not in with_members)
    if empty:
        report.note("region_members.tsv", f"named regions without members: {', '.join(empty)}")


def check_ambiguous(rows, regions, report) -> None:
    canonical = {row["canonical"] for row in regions.values()}
    seen = set()
    for row in rows:
        where = row["_where"]
        if row["canonical"] not in canonical:
            report.error(where, f"{row['canonical']!r} is not a canonical name in regions.tsv")
        if row["canonical"] in seen:
            report.error(where, f"{row['canonical']!r} listed twice")
        seen.add(row["canonical"])
        if not row["reason"]:
            report.error(where, "reason is empty")


def check_simple(rows, name, kind_col, allowed, regions, report) -> dict[str, dict[str, str]]:
    by_id: dict[str, dict[str, str]] = {}
    for row in rows:
        where = row["_where"]
        if row["id"] in by_id:
            report.error(where, f"duplicate id {row['id']!r}")
        by_id[row["id"]] = row
        if not ID_PATTERN.match(row["id"]):
            report.error(where, f"id {row['id']!r} is not an ASCII slug")
        if not row["canonical"]:
            report.error(where, "canonical name is empty")
        if row[kind_col] not in allowed:
            report.error(where, f"{kind_col} must be one of {sorted(allowed)}. Got {row[kind_col]!r} instead.")
        check_aliases(row, report)
        if "region" in row and row["region"] and row["region"] not in regions:
            report.error(where, f"region {row['region']!r} does not exist in regions.tsv")
        if "valid_from" in row:
            check_years(row, report)
    check_unique_canonical(rows, kind_col, name, report)
    return by_id


def check_program_links(programs, report) -> None:
    for pid, row in programs.items():
        where = row["_where"]
        for col in ("predecessor", "successor"):
            other = row[col]
            if not other:
                continue
            if other not in programs:
                report.error(where, f"{col} {other!r} does not exist")
            elif other == pid:
                report.error(where, f"{col} points to itself")
        succ = row["successor"]
        if succ in programs and programs[succ]["predecessor"] not in ("", pid):
            report.note(where, f"{pid} -> {succ}, but {succ} names {programs[succ]['predecessor']} as predecessor")
        pred = row["predecessor"]
        if pred in programs and programs[pred]["successor"] not in ("", pid):
            report.note(where, f"{pid} <- {pred}, but {pred} names {programs[pred]['successor']} as successor")


def shared_aliases(tables: dict[str, list[dict[str, str]]], report: Report) -> None:
    """Note surface forms that point to several entries (within one file); the extractor must disambiguate."""
    for name, rows in tables.items():
        if not rows or "aliases" not in rows[0]:
            continue
        forms: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            for form in [row["canonical"], *filter(None, row["aliases"].split("|"))]:
                forms[form.casefold()].add(row["id"])
        shared = {f: ids for f, ids in forms.items() if len(ids) > 1}
        if shared:
            sample = ", ".join(sorted(shared)[:8])
            report.note(name, f"{len(shared)} surface forms name more than one entry (e.g. {sample})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="gazetteer folder (default: package data)")
    parser.add_argument("--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)

    report = Report()
    tables = {name: read_table(args.dir / name, report) for name in COLUMNS}
    regions = check_regions(tables["regions.tsv"], report)
    check_members(tables["region_members.tsv"], regions, report)
    check_ambiguous(tables["ambiguous_regions.tsv"], regions, report)
    programs = check_simple(tables["programs.tsv"], "programs.tsv", "level", PROGRAM_LEVELS, regions, report)
    check_program_links(programs, report)
    clusters = check_simple(tables["clusters.tsv"], "clusters.tsv", "kind", CLUSTER_KINDS, regions, report)
    orgs = check_simple(tables["orgs.tsv"], "orgs.tsv", "kind", ORG_KINDS, regions, report)
    all_ids = Counter(list(regions) + list(programs) + list(clusters) + list(orgs))
    for rid, n in all_ids.items():
        if n > 1:
            report.error("ids", f"{rid!r} is used in more than one file")
    shared_aliases(tables, report)

    if not args.quiet:
        print(f"gazetteers in {args.dir}")
        for name, kind_col in (
            ("regions.tsv", "kind"),
            ("programs.tsv", "level"),
            ("clusters.tsv", "kind"),
            ("orgs.tsv", "kind"),
        ):
            counts = Counter(row[kind_col] for row in tables[name])
            detail = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
            print(f"  {name:22} {len(tables[name]):5} rows  ({detail})")
        cities = [r for r in tables["regions.tsv"] if r["kind"] == "city"]
        print(
            f"  {'':22}       cities: {sum(r['id'].startswith('ks-') for r in cities)} kreisfrei, "
            f"{sum(r['id'].startswith('gm-') and bool(r['key']) for r in cities)} with AGS, "
            f"{sum(r['id'].startswith('gm-') and not r['key'] for r in cities)} without AGS"
        )
        n_members = len(tables["region_members.tsv"])
        n_regions = len({r["region_id"] for r in tables["region_members.tsv"]})
        print(f"  {'region_members.tsv':22} {n_members:5} rows  ({n_regions} named regions)")
        print(f"  {'ambiguous_regions.tsv':22} {len(tables['ambiguous_regions.tsv']):5} rows")
        for note in report.notes:
            print(f"note: {note}")
    for err in report.errors:
        print(f"error: {err}", file=sys.stderr)
    if report.errors:
        print(f"{len(report.errors)} error(s)", file=sys.stderr)
        return 1
    if not args.quiet:
        print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
