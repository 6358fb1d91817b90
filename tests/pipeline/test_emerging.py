"""Emerging terms: the log-odds statistic's properties, and rising/falling/new terms on a matrix we built."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from clustermine.pipeline.emerging import default_periods, emerging_terms, log_odds_z
from clustermine.pipeline.termmatrix import TermMatrix
from clustermine.pipeline.trends import DocMeta, EmptySelectionError

KEYS = ("cluster", "kompetenzfeld", "reallabor", "foerderung", "einmalwort", "zeigen", "dortmund", "energi")
NOUN = (True, True, True, True, True, False, True, True)


def matrix(rows: list[dict[str, int]], years: list[int], *, parts: dict[tuple[int, str], int] | None = None,
           tokens: int = 1000) -> tuple[TermMatrix, DocMeta]:
    """A term matrix of len(rows) documents with the given whole-word counts."""
    whole = sparse.lil_matrix((len(rows), len(KEYS)), dtype=np.int32)
    part = sparse.lil_matrix((len(rows), len(KEYS)), dtype=np.int32)
    for i, counts in enumerate(rows):
        for key, n in counts.items():
            whole[i, KEYS.index(key)] = n
    for (i, key), n in (parts or {}).items():
        part[i, KEYS.index(key)] = n
    ids = tuple(f"d{i}" for i in range(len(rows)))
    labels = ("Cluster", "Kompetenzfeld", "Reallabor", "Förderung", "Einmalwort", "zeigen", "Dortmund", "Energie")
    tm = TermMatrix(ids, KEYS, labels, whole.tocsr(), part.tocsr(), np.full(len(rows), tokens, dtype=np.int64),
                    np.asarray(NOUN))
    meta = DocMeta(ids, np.asarray(years, dtype=np.int64), ("report",) * len(rows), tuple(str(y) for y in years))
    return tm, meta


def steady(extra: dict[str, int] | None = None) -> dict[str, int]:
    return {"foerderung": 20, "energi": 10, "zeigen": 15, "dortmund": 5, **(extra or {})}


def corpus() -> tuple[TermMatrix, DocMeta]:
    early = [steady({"kompetenzfeld": 12, "cluster": 2}) for _ in range(4)]
    late = [steady({"kompetenzfeld": 1, "cluster": 12, "reallabor": 4}) for _ in range(4)]
    fluke = [steady({"einmalwort": 40})]  # one long document repeating one word
    return matrix(early + late + fluke, [2000] * 4 + [2010] * 5)


def test_log_odds_is_zero_for_equal_rates_and_antisymmetric() -> None:
    prior = np.array([5.0, 5.0])
    _, z_same = log_odds_z(np.array([10.0, 90.0]), np.array([10.0, 90.0]), prior, 100, 100)
    assert np.allclose(z_same, 0)
    _, z_ab = log_odds_z(np.array([30.0, 70.0]), np.array([10.0, 90.0]), prior, 100, 100)
    _, z_ba = log_odds_z(np.array([10.0, 90.0]), np.array([30.0, 70.0]), prior, 100, 100)
    assert np.allclose(z_ab, -z_ba) and z_ab[0] > 0 > z_ab[1]


def test_more_evidence_gives_a_larger_z_for_the_same_change() -> None:
    prior = np.array([1.0, 1.0])
    _, small = log_odds_z(np.array([6.0, 94.0]), np.array([3.0, 97.0]), prior, 100, 100)
    _, large = log_odds_z(np.array([60.0, 940.0]), np.array([30.0, 970.0]), prior * 10, 1000, 1000)
    assert large[0] > small[0] > 0


def test_rising_falling_and_new_terms() -> None:
    tm, meta = corpus()
    result = emerging_terms(tm, meta, [(2000, 2005), (2006, 2015)], top=5, min_count=5, min_docs=2,
                            keep_places=True)
    later = {r.term: r for r in result.rows if r.period == "2006-2015"}
    assert later["Cluster"].direction == "rising" and later["Cluster"].z > 1.96
    assert later["Kompetenzfeld"].direction == "falling" and later["Kompetenzfeld"].z < -1.96
    assert later["Reallabor"].new and later["Reallabor"].count == 16 and later["Reallabor"].count_before == 0
    assert "Einmalwort" not in later  # one document is no trend (min_docs)
    assert "zeigen" not in later  # not a noun
    assert later["Cluster"].count_before == 8 and later["Cluster"].delta == pytest.approx(
        later["Cluster"].per_10k - later["Cluster"].per_10k_before)
    rising = [r.term for r in result.rows if r.period == "2006-2015" and r.direction == "rising"]
    assert rising[0] == "Cluster"  # ordered by z


def test_first_period_lists_its_characteristic_terms() -> None:
    tm, meta = corpus()
    result = emerging_terms(tm, meta, [(2000, 2005), (2006, 2015)], keep_places=True)
    first = [r for r in result.rows if r.period == "2000-2005"]
    assert first[0].term == "Kompetenzfeld" and first[0].direction == "characteristic"
    assert all(r.count_before is None and not r.new for r in first)
    assert result.periods[0].compared_with == "2006-2015"
    assert [p.docs for p in result.periods] == [4, 5]


def test_all_words_and_min_count() -> None:
    tm, meta = corpus()
    with_all = emerging_terms(tm, meta, [(2000, 2005), (2006, 2015)], all_words=True, min_docs=1, min_count=1,
                              keep_places=True)
    assert "Einmalwort" in {r.term for r in with_all.rows}
    strict = emerging_terms(tm, meta, [(2000, 2005), (2006, 2015)], min_count=1000, keep_places=True)
    assert strict.rows == ()


def test_place_names_are_left_out_by_default() -> None:
    early = [steady({"dortmund": 1}) for _ in range(3)]
    late = [steady({"dortmund": 30}) for _ in range(3)]
    tm, meta = matrix(early + late, [2000] * 3 + [2010] * 3)
    kept = emerging_terms(tm, meta, [(2000, 2005), (2006, 2015)], keep_places=True)
    assert "Dortmund" in {r.term for r in kept.rows}
    dropped = emerging_terms(tm, meta, [(2000, 2005), (2006, 2015)])
    assert "Dortmund" not in {r.term for r in dropped.rows}


def test_a_word_known_inside_compounds_is_not_new() -> None:
    rows = [steady() for _ in range(3)] + [steady({"reallabor": 6}) for _ in range(3)]
    tm, meta = matrix(rows, [2000] * 3 + [2010] * 3, parts={(0, "reallabor"): 2})
    later = {r.term: r for r in emerging_terms(tm, meta, [(2000, 2005), (2006, 2015)]).rows}
    assert later["Reallabor"].direction == "rising" and not later["Reallabor"].new


def test_needs_two_periods_with_documents() -> None:
    tm, meta = corpus()
    with pytest.raises(EmptySelectionError, match="two periods"):
        emerging_terms(tm, meta, [(2000, 2015)])
    with pytest.raises(EmptySelectionError, match="1990-1995"):
        emerging_terms(tm, meta, [(1990, 1995), (2000, 2015)])


def test_default_periods_split_the_years_evenly() -> None:
    _, meta = matrix([{}] * 4, [1995, 2000, 2010, 2025])
    assert default_periods(meta, 3) == [(1995, 2004), (2005, 2015), (2016, 2025)]
    _, one_year = matrix([{}], [2001])
    assert default_periods(one_year, 3) == [(2001, 2001)]
