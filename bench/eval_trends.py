"""Vocabulary trends against planted truth: how exactly `trends` recovers term curves, how `--emerging` ranks them.

A corpus with planted drift (``tools/driftgen.py``) is generated, added with ``clustermine add`` and asked through
the command line, as a user would. Measured:

- **curves**: per planted term and year, ``trends --json`` against what the generator wrote — the mean absolute
  relative error (MARE) of ``per_10k`` alone and in compounds over the years the term was written, and the largest
  count error in occurrences;
- **emerging terms**: for each later period, the planted direction of every term (from its curve: mean planted
  rate up by half or more = rising, down by a third or more = falling, else flat) against ``trends --emerging``:
  the rank of each planted rising/falling term in its list (1 = top; "strong" when the rate doubles or halves,
  or the term is new; planted rates under 1 per 10,000 words in both periods are "rare" and not judged), also
  counted without the words of the planted terms' own carrier sentences (they are planted alongside and rise
  with them), the z of flat terms, and whether each planted new term is flagged ``new`` in the right period;
- **speed**: wall time of ``add``, of ``trends`` (first run, which counts the terms, and later runs) and of
  ``trends --emerging``, each as a fresh process.

Usage: python bench/eval_trends.py [--docs-per-year 20] [--seed 0] [--json]
Results go to bench/results/trends.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
PERIODS = ((1996, 2005), (2006, 2015), (2016, 2025))
RISE, FALL = 1.5, 2 / 3  # planted mean-rate ratios that make a term rising / falling
STRONG = 2.0  # ratios beyond this (or below its inverse), and new terms, are "strong" movers
RARE = 1.0  # planted per-10k rates below this in both periods are too rare for any minimum count


def clustermine(home: Path, *args: str) -> str:
    """Run the command line as a fresh process; stdout."""
    done = subprocess.run([sys.executable, "-m", "clustermine", "--home", str(home), "-q", *args],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"clustermine {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def build(out: Path, *, seed: int, years: tuple[int, int], docs_per_year: int) -> tuple[Any, Path, float]:
    """Generate the corpus under ``out`` and add it to a new corpus home; (truth, home, seconds for add)."""
    from tools.driftgen import generate

    truth = generate(out / "drift", seed=seed, years=years, docs_per_year=docs_per_year)
    home = out / "home"
    started = time.perf_counter()
    clustermine(home, "add", str(out / "drift" / "docs"))
    return truth, home, time.perf_counter() - started


def curve_agreement(rows: list[dict[str, Any]], truth: Any) -> dict[str, dict[str, Any]]:
    """Per planted term: MARE of per_10k alone / in compounds over the years it was written, largest count error."""
    out = {}
    for lemma, term in truth.terms.items():
        errors_alone, errors_parts, worst = [], [], 0
        for row in (r for r in rows if r["term"] == lemma):
            year = int(row["period"])
            written = term.years[year]
            tokens = truth.tokens_per_year[year]
            worst = max(worst, abs(row["count_alone"] - written.count),
                        abs((row["count_in_compounds"] or 0) - written.compound_count))
            if written.count:
                errors_alone.append(abs(row["per_10k_alone"] - 10_000 * written.count / tokens)
                                    / (10_000 * written.count / tokens))
            if written.compound_count:
                measured = 10_000 * (row["count_in_compounds"] or 0) / row["tokens_in_period"]
                planted = 10_000 * written.compound_count / tokens
                errors_parts.append(abs(measured - planted) / planted)
        first = next((int(r["period"]) for r in rows if r["term"] == lemma and r["count_alone"] > 0), None)
        out[lemma] = {
            "mare_alone": _mean(errors_alone),
            "mare_compounds": _mean(errors_parts),
            "max_count_error": worst,
            "first_year": first,
            "planted_first_year": next((y for y in sorted(term.years) if term.years[y].count), None),
        }
    return out


def carrier_keys(truth: Any) -> set[str]:
    """Term keys of every word (and adjacent pair) in the planted terms' carrier sentences, terms excluded."""
    from clustermine.pipeline.terms import count_terms, term_key
    from tools.driftgen import DEFAULT_TERMS

    own = {term_key(lemma) for lemma in truth.terms}
    keys: set[str] = set()
    for spec in DEFAULT_TERMS:
        for carrier in spec.carriers:
            keys.update(count_terms(carrier.replace("{T}", "").replace("{R}", "").replace("{S}", "")).terms)
    return keys - own


def emerging_ranks(rows: list[dict[str, Any]], truth: Any) -> list[dict[str, Any]]:
    """For each planted term and later period: planted direction, measured direction, z, ranks, new flag."""
    from clustermine.pipeline.terms import term_key
    from tools.driftgen import Curve

    collateral = carrier_keys(truth)
    out = []
    for lemma, term in truth.terms.items():
        curve = Curve(term.curve)
        means = [sum(curve.at(y) for y in range(a, b + 1)) / (b - a + 1) for a, b in PERIODS]
        key = term_key(lemma)
        for p in range(1, len(PERIODS)):
            label = f"{PERIODS[p][0]}-{PERIODS[p][1]}"
            before, now = means[p - 1], means[p]
            if max(before, now) < RARE:
                planted = "rare"
            elif not before:
                planted = "rising"
            else:
                planted = "rising" if now > RISE * before else "falling" if now < FALL * before else "flat"
            strong = planted in ("rising", "falling") and (not before or not STRONG ** -1 < now / before < STRONG)
            listed = [r for r in rows if r["period"] == label]
            found = next((r for r in listed if r["key"] == key), None)
            record = {"term": lemma, "period": label, "planted": planted, "strong": strong,
                      "planted_ratio": _ratio(now, before),
                      "direction": None, "z": None, "rank": None, "rank_without_carriers": None,
                      "new": None, "planted_new": bool(term.new and now and not before)}
            if found is not None:
                same = [r for r in listed if r["direction"] == found["direction"]]
                clean = [r for r in same if r["key"] not in collateral]
                record.update(direction=found["direction"], z=found["z"], new=found["new"],
                              rank=same.index(found) + 1, rank_without_carriers=clean.index(found) + 1)
            out.append(record)
    return out


def measure(home: Path, truth: Any) -> dict[str, Any]:
    """Curves and emerging ranks of a corpus made from ``truth`` (see the module docstring)."""
    lemmas = list(truth.terms)
    rows = json.loads(clustermine(home, "trends", *lemmas, "--json"))
    periods = ",".join(f"{a}-{b}" for a, b in PERIODS)
    emerging = json.loads(clustermine(home, "trends", "--emerging", "--periods", periods, "--top", "100000",
                                      "--json"))
    return {"curves": curve_agreement(rows, truth), "emerging": emerging_ranks(emerging, truth)}


def summary(result: dict[str, Any]) -> dict[str, Any]:
    curves = result["curves"].values()
    moving = [r for r in result["emerging"] if r["planted"] in ("rising", "falling")]
    flat = [r for r in result["emerging"] if r["planted"] == "flat"]
    new = [r for r in result["emerging"] if r["planted_new"]]
    return {
        "mare_alone": _mean([c["mare_alone"] for c in curves if c["mare_alone"] is not None]),
        "mare_compounds": _mean([c["mare_compounds"] for c in curves if c["mare_compounds"] is not None]),
        "max_count_error": max(c["max_count_error"] for c in curves),
        "first_years_right": sum(c["first_year"] == c["planted_first_year"] for c in curves),
        "terms": len(result["curves"]),
        "moving_in_right_direction": sum(r["direction"] == r["planted"] for r in moving),
        "moving": len(moving),
        "median_rank": _median([r["rank"] for r in moving if r["direction"] == r["planted"]]),
        "median_rank_without_carriers": _median(
            [r["rank_without_carriers"] for r in moving if r["direction"] == r["planted"]]),
        "worst_rank_without_carriers": max(
            (r["rank_without_carriers"] or 10**6 for r in moving), default=None),
        "flat_max_abs_z": max((abs(r["z"]) for r in flat if r["z"] is not None), default=0.0),
        "new_flagged": sum(bool(r["new"]) for r in new),
        "new_planted": len(new),
    }


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _median(values: list[Any]) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _ratio(now: float, before: float) -> float | None:
    return round(now / before, 2) if before else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs-per-year", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="eval-trends-") as tmp:
        out = Path(tmp)
        truth, home, add_seconds = build(out, seed=args.seed, years=(PERIODS[0][0], PERIODS[-1][1]),
                                         docs_per_year=args.docs_per_year)
        lemmas = list(truth.terms)[:3]
        timings = {"add": round(add_seconds, 2)}
        for name, cmd in (("trends_first", ["trends", *lemmas, "--json"]),
                          ("trends", ["trends", *lemmas, "--json"]),
                          ("trends_by_region", ["trends", lemmas[0], "--by", "region", "--json"]),
                          ("emerging", ["trends", "--emerging", "--periods",
                                        ",".join(f"{a}-{b}" for a, b in PERIODS), "--json"])):
            started = time.perf_counter()
            clustermine(home, *cmd)
            timings[name] = round(time.perf_counter() - started, 2)
        result = measure(home, truth)
    report = {"documents": len(truth.documents), "tokens": sum(truth.tokens_per_year.values()), "seed": args.seed,
              "seconds": timings, "summary": summary(result), **result}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "trends.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(f"{report['documents']} documents, {report['tokens']:,} words (seed {args.seed})")
    print("seconds:", ", ".join(f"{k} {v}" for k, v in timings.items()))
    for key, value in report["summary"].items():
        print(f"  {key}: {value}")
    print("emerging, planted rising/falling terms:")
    for r in result["emerging"]:
        if r["planted"] in ("rising", "falling") or r["planted_new"]:
            print(f"  {r['period']}  {r['term']:<26} planted {r['planted']:<7} (×{r['planted_ratio']})  "
                  f"found {r['direction']}  z {r['z']}  rank {r['rank']} ({r['rank_without_carriers']} without "
                  f"carrier words){'  new' if r['new'] else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
