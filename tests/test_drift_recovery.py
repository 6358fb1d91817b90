"""Trends recover planted drift: a generated corpus (tools/driftgen.py) is added and asked through the CLI.

Stated tolerances (measured values are printed; run with ``-s`` to see them):

- curves: per planted term, the mean absolute relative error of ``per_10k`` alone and in compounds over the
  years the term was written is at most 2 %, and no year's count is off by more than one occurrence; each
  term's first year is found;
- emerging terms (periods 1996-2005, 2006-2015, 2016-2025): every term planted to rise (mean rate ×1.5 or more)
  or fall (×2/3 or less) is listed in that direction; the strong movers (rate doubled or halved, or new) are
  among the top 5 of their list once the words of the planted carrier sentences (which rise with them) are set
  aside, and among the top 15 without that; the moderate ones (×1.5-2) among the top 10 without carrier words;
  planted constant terms (mean rate ×0.9-1.1) have |z| < 1.96; planted new terms are flagged new in the period
  they start in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustermine.cli import cli

pytest.importorskip("tools.driftgen")

from bench.eval_trends import PERIODS, curve_agreement, emerging_ranks, summary  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def drift(tmp_path_factory: pytest.TempPathFactory):
    from tools.driftgen import generate

    root = tmp_path_factory.mktemp("drift")
    truth = generate(root / "drift", seed=0, years=(PERIODS[0][0], PERIODS[-1][1]), docs_per_year=5)
    home = root / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "-q", "add", str(root / "drift" / "docs")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return truth, home


def ask(home: Path, *args: str):
    result = CliRunner().invoke(cli, ["--home", str(home), "-q", *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_curves_match_the_planted_counts(drift) -> None:
    truth, home = drift
    assert len(truth.documents) == 150
    rows = ask(home, "trends", *truth.terms)
    curves = curve_agreement(rows, truth)
    for lemma, c in curves.items():
        print(f"{lemma:<26} MARE alone {c['mare_alone']}  in compounds {c['mare_compounds']}  "
              f"max count error {c['max_count_error']}  first year {c['first_year']} (planted "
              f"{c['planted_first_year']})")
        assert c["mare_alone"] is None or c["mare_alone"] <= 0.02, lemma
        assert c["mare_compounds"] is None or c["mare_compounds"] <= 0.02, lemma
        assert c["max_count_error"] <= 1, lemma
        assert c["first_year"] == c["planted_first_year"], lemma
    by_year = {int(r["period"]): r for r in rows if r["term"] == "Cluster"}
    assert all(by_year[y]["tokens_in_period"] == truth.tokens_per_year[y] for y in truth.tokens_per_year)
    assert all(by_year[y]["docs_in_period"] == truth.docs_per_year[y] for y in truth.docs_per_year)


def test_emerging_ranks_planted_terms_at_the_top(drift) -> None:
    truth, home = drift
    periods = ",".join(f"{a}-{b}" for a, b in PERIODS)
    rows = ask(home, "trends", "--emerging", "--periods", periods, "--top", "100000")
    ranks = emerging_ranks(rows, truth)
    for r in ranks:
        print(f"{r['period']} {r['term']:<26} planted {r['planted']:<7} ×{r['planted_ratio']}  found "
              f"{r['direction']}  z {r['z']}  rank {r['rank']} ({r['rank_without_carriers']} without carrier words)"
              f"{'  new' if r['new'] else ''}")
    print(summary({"curves": curve_agreement(ask(home, "trends", *truth.terms), truth), "emerging": ranks}))
    moving = [r for r in ranks if r["planted"] in ("rising", "falling")]
    assert len(moving) >= 8
    for r in moving:
        assert r["direction"] == r["planted"], r
        if r["strong"]:
            assert r["rank_without_carriers"] <= 5 and r["rank"] <= 15, r
        else:
            assert r["rank_without_carriers"] <= 10, r
    for r in ranks:
        if r["planted"] == "flat" and 0.9 <= r["planted_ratio"] <= 1.1 and r["z"] is not None:
            assert abs(r["z"]) < 1.96, r
    new = [r for r in ranks if r["planted_new"]]
    assert len(new) == 3 and all(r["new"] for r in new)
