"""End to end on the bundled demo corpus: real PDFs, DOCX, HTML, entities and near-duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from clustermine.corpus.store import CorpusStore
from clustermine.index import SearchFilters, search, similar

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def short(demo: CorpusStore) -> dict[str, str]:
    """Document id → the file's short name ("c06", "p15")."""
    return {row.id: Path(row.source).name[:3] for row in demo.list_rows()}


def found(demo: CorpusStore, short: dict[str, str], query: str, **options: object) -> list[str]:
    return [short[h.id] for h in search(demo, query, limit=100, **options).hits]  # type: ignore[arg-type]


def test_neufassung_is_collapsed_into_one_hit(demo: CorpusStore, short: dict[str, str]) -> None:
    result = search(demo, "Wasserstoff Düren")
    kept = [h for h in result.hits if short[h.id] in ("c27", "c28")]
    assert len(kept) == 1
    other = ({"c27", "c28"} - {short[kept[0].id]}).pop()
    assert [short[d] for d in kept[0].duplicates] == [other]
    assert search(demo, "Wasserstoff Düren", collapse=False).total == result.total + 1


def test_region_hierarchy_on_real_entities(demo: CorpusStore, short: dict[str, str]) -> None:
    mettmann = set(found(demo, short, "", filters=SearchFilters(regions=("Mettmann",))))
    assert {"c06", "c25", "p09"} <= mettmann  # Velbert/Heiligenhaus, the Kreis itself, the Kompetenzfeldanalyse
    nrw = set(found(demo, short, "", filters=SearchFilters(regions=("NRW",))))
    nrw_direct = set(found(demo, short, "", filters=SearchFilters(regions=("NRW",), include_subregions=False)))
    assert mettmann <= nrw and nrw_direct < nrw
    assert "c06" not in nrw_direct  # the Velbert paper does not name the Land


def test_query_features_on_the_demo(demo: CorpusStore, short: dict[str, str]) -> None:
    assert found(demo, short, "number:80/0145/2000") == ["c06"]
    assert "c06" in found(demo, short, "Schliesstechnik")  # ß spelt ss
    assert set(found(demo, short, "Clusterkonferenz")) >= {"p19"}
    assert {"p15", "p16"} & set(found(demo, short, "Clusterkonferenz"))
    assert search(demo, "Wasserstof", autocorrect=False).suggestion == "Wasserstoff"


def test_facets_and_date_sort(demo: CorpusStore) -> None:
    result = search(demo, "Strukturwandel", sort="date", limit=100)
    dates = [h.date or "" for h in result.hits]
    assert dates == sorted(dates, reverse=True)
    assert sum(v["count"] for v in result.facets["doctype"]) == result.total
    assert sum(v["count"] for v in result.facets["year"]) <= result.total
    assert result.facets["region"] and all(v["label"] for v in result.facets["region"])


def test_snippets_and_council_fields_on_the_demo(demo: CorpusStore, short: dict[str, str]) -> None:
    hits = search(demo, "Clusterförderung", limit=20).hits
    assert all("[[" in h.snippet for h in hits)
    c06 = search(demo, "number:80/0145/2000").hits[0]
    assert c06.council and c06.council["number"] == "80/0145/2000"


def test_similar_on_the_demo(demo: CorpusStore, short: dict[str, str]) -> None:
    c27 = next(doc_id for doc_id, name in short.items() if name == "c27")
    result = similar(demo, c27, limit=5)
    names = [short[h.id] for h in result.hits]
    assert "c27" not in names and "c28" not in names  # itself and its Neufassung
    assert names[0] == "p30"  # the other hydrogen project in the Rheinisches Revier
