"""Properties no input may break: text normalisation, the analysis chain and the query parser never crash and never
take unbounded time — not on random text, and not on long repetitions of awkward pieces, where a regular
expression that backtracks or a loop that rescans would turn seconds into hours.

The unit tests beside each module check the functions' meaning on short inputs (tests/corpus/test_normalise.py,
tests/index/test_analysis.py); these add scale, the query parser and the whole search path behind it.
A watchdog timer turns a hang into a failing example instead of a stuck CI run.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clustermine.corpus.normalise import join_hyphenation, normalise_text, remove_repeated_lines
from clustermine.errors import BadQueryError, ClustermineError
from clustermine.index.analysis import german_analyzer, query_terms
from clustermine.index.query import parse_query, text_terms


class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (raise :class:`Hang`) when the block runs longer than ``seconds`` of wall time."""

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: Pieces that text extraction and analysis treat specially: hyphens at line ends, soft hyphens, page numbers,
#: mojibake, combining marks, invisible characters, quotes, numbers with dots, paragraph marks.
PIECES = st.sampled_from([
    "Förder-\n", "-\n", "\u00ad", "\u00ad\n", "Seite 3\n", "\f", "Ã¶", "Ã", "â€ž", "\u0308", "o\u0308", "\u200b",
    "\ufeff", "\r\n", "\n\n\n", "  ", "\t", "„", "“", "EU-", "Struktur", "fonds", "z.B.", "1.", "§ 5", "Abs.",
    "Straße", "STRASSE", "Clusterförderung", "-", "–", ".", "ﬁ", "\x02", "\x84", "Verwal-\ntung", "(", ")", "*",
    "\"", ":", "aaaaaaaaaaaaaaaaaaaa", "Kreis", "NRW", "surface.net", "2013/0295",
])
CHUNKS = st.lists(PIECES, min_size=1, max_size=8).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHUNKS, st.sampled_from([200, 2000]))
@example("-\n", 5000)
@example("\u00ad", 20000)
@example("Ã", 20000)
@example("Seite 3\n", 3000)
def test_normalisation_scales_with_repetition(chunk: str, times: int) -> None:
    text = chunk * times
    with deadline(20):
        started = time.monotonic()
        normalised = normalise_text(text)
        joined = join_hyphenation(normalised)
        pages = remove_repeated_lines([joined] * 3)
        spent = time.monotonic() - started
    assert len(pages) == 3
    assert spent < 10, f"{spent:.1f} s for {len(text)} characters"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHUNKS, st.sampled_from([100, 1000]))
@example("aaaaaaaaaaaaaaaaaaaa", 500)
@example("EU-", 3000)
@example("z.B.", 3000)
def test_analysis_chain_scales_with_repetition(chunk: str, times: int) -> None:
    text = chunk * times
    with deadline(30):
        tokens = sum(1 for _ in german_analyzer()(text, mode="index"))
        for word in text.split()[:50]:
            query_terms(word)
    assert tokens <= 10 * (len(text) + 1)


QUERY_PIECES = st.sampled_from([
    "Cluster", "Förderung", "Clusterförderung", " ", "  ", '"', "„", "“", "(", ")", "OR", "AND", "NOT", "ODER",
    "-", "*", "~", "~2", ":", "title:", "type:", "year:", "region:", "cluster:", "number:", "resolution:", "2010..2015",
    "..", "council_paper", "Kreis Mettmann", "EU-Strukturfonds", "surface.net", "\\", "'", "?", "§", "ß", "\u0308",
    "regoin:", "year:abc", "2013/0295", "\n", "\t", "Ä", "^", "+",
])
QUERIES = st.one_of(st.text(max_size=60), st.lists(QUERY_PIECES, max_size=25).map("".join))


@settings(max_examples=500, deadline=None)
@given(QUERIES)
@example("(" * 5000)
@example('"' * 999)
@example("NOT " * 2000 + "Cluster")
@example("a OR " * 2000 + "b")
def test_query_parser_answers_or_says_what_is_wrong(text: str) -> None:
    with deadline(10):
        try:
            tree = parse_query(text)
        except BadQueryError as exc:
            assert exc.message and "\n" not in exc.message
            return
        text_terms(tree, include_negated=True)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from clustermine.corpus import add_paths, open_store
    from clustermine.index import sync_index

    root = tmp_path_factory.mktemp("properties")
    folder = root / "docs"
    folder.mkdir()
    texts = ["Clusterförderung im Kreis Mettmann: die Wirtschaftsförderung unterstützt Netzwerke.",
             "Der EU-Strukturfonds fördert Logistik in Dortmund (Ziel-2-Programm, 2013/0295).",
             "Bericht über surface.net und die Förderung von Clustern in NRW."]
    for i, text in enumerate(texts):
        (folder / f"d{i}.txt").write_text(text, encoding="utf-8")
    with open_store(root / "home") as store:
        add_paths(store, [str(folder)], jobs=1)
        sync_index(store)
    return root / "home"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(QUERIES)
@example("Clustermanagment~")
@example("year:2010..2015 region:Mettmann")
@example("(" * 300 + "Cluster" + ")" * 300)
def test_any_query_searches_or_says_what_is_wrong(small_corpus: Path, text: str) -> None:
    from clustermine.corpus.store import CorpusStore
    from clustermine.index import search

    with CorpusStore(small_corpus, create=False) as store, deadline(30):
        try:
            result = search(store, text, limit=5)
        except ClustermineError as exc:
            assert exc.message and "\n" not in exc.message
            return
    assert result.total >= len(result.hits)
