"""The fused index path (``analysis.index_tokens``) gives exactly the tokens of the analysis chain."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clustermine.index import analysis
from clustermine.index.analysis import GermanIndexAnalyzer, german_analyzer, index_tokens
from tests.conftest import REPO
from tests.index.corpus_texts import DOCUMENTS

TRICKY = [
    "Die Clusterförderung im Ruhrgebiet, Wirtschaftsförderung.",
    "EU-Strukturfonds, Ziel-2-Gebiete und surface.net; z. B. und z.B. und d.h. im Kreis.",
    "§ 5 und §§ 3a sowie §5: 1.000.000 Euro, 12,5 % und 14.03.1995.",
    "Forschungs- und Entwicklungszentren der Logistik.nrw, e. V. und e.V.",
    "Die die die der: Stoppwörter allein; " + "x" * 90 + " Langwort.",
    "Cluster\u2010Förderung und Cluster\u2011Management, Kompetenz\u00adfeld.",
    "",
]


def chain_tokens(text: str, **options: int) -> list[tuple[str, int, int, int, float]]:
    tokens = german_analyzer()(text, positions=True, chars=True, mode="index", **options)
    return [(t.text, t.pos, t.startchar, t.endchar, t.boost) for t in tokens]


@pytest.mark.parametrize("text", TRICKY + [text for _, _, text in DOCUMENTS.values()])
def test_fused_tokens_equal_the_chain(text: str) -> None:
    assert index_tokens(text) == chain_tokens(text)
    analysis._token_outputs.clear()  # and again, from a cold cache
    assert index_tokens(text) == chain_tokens(text)


def test_offsets_of_positions_and_characters_are_honoured() -> None:
    text = TRICKY[1]
    assert index_tokens(text, 7, 100) == chain_tokens(text, start_pos=7, start_char=100)


def test_the_demo_corpus_gives_the_same_tokens() -> None:
    for path in sorted((REPO / "demo" / "sources").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert index_tokens(text) == chain_tokens(text), path.name


def test_the_index_analyzer_uses_the_chain_for_queries_and_highlighting() -> None:
    fused = GermanIndexAnalyzer()
    text = "Die Förderung von Clustern im Kreis"
    for options in ({"mode": "query"}, {"removestops": False}, {"keeporiginal": True}):
        got = [(t.text, t.pos) for t in fused(text, positions=True, **options)]
        want = [(t.text, t.pos) for t in german_analyzer()(text, positions=True, **options)]
        assert got == want, options


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aäbcdefghiklmnoöprstuüßzAÄBCDEKMNÖSZ-. §,0123456789\u00ad\u2010", max_size=80))
def test_fused_tokens_equal_the_chain_on_any_text(text: str) -> None:
    assert index_tokens(text) == chain_tokens(text)


def test_word_caches_stay_within_their_limits_and_give_the_same_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each index writer process holds these caches, so they must stay bounded on any corpus (issue 8)."""
    from clustermine.index import wordforms

    text = " ".join(text for _, _, text in DOCUMENTS.values())
    analysis.clear_caches()
    unbounded = index_tokens(text)
    analysis.clear_caches()
    monkeypatch.setattr(analysis, "TOKEN_CACHE_LIMIT", 50)
    monkeypatch.setattr(analysis, "COMPOUND_CACHE_LIMIT", 20)
    monkeypatch.setattr(wordforms, "CACHE_LIMIT", 30)
    assert len(set(text.split())) > 150  # enough distinct words to fill every cache several times
    assert index_tokens(text) == unbounded
    assert 0 < len(analysis._token_outputs) <= 50
    assert 0 < len(analysis._compound_cache) <= 20
    assert 0 < len(wordforms._fold_cache) <= 30 and 0 < len(wordforms._stem_cache) <= 30
    analysis.clear_caches()
