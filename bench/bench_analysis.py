"""Quality and speed of the German analysis chain (``clustermine.index.analysis``); not part of ``make bench`` yet.

Quality: which way of conflating word forms meets the most inflection pairs without merging distinct words,
on hand-made German cases from this domain: the light stemmer alone, the spaCy lemma table alone, both
(``wordforms.stem``), and whoosh's Snowball German stemmer as a reference.

Speed: tokens per second of ``german_analyzer`` against whoosh's ``StandardAnalyzer`` on the same texts in the
same run: demo/sources/*.txt and 500 Karlsruhe council texts (when ../shared is present). "cold" is one pass
with empty word caches (the compound splitter's included; the lemma exceptions already built), "warm" the
median of 3 passes after it.

Usage: python bench/bench_analysis.py [--quality] [--speed] [--files N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clustermine.index import wordforms  # noqa: E402

#: Word forms a searcher expects to meet (one group per lemma).
SAME = [
    ("Kreis", "Kreises", "Kreise", "Kreisen"),
    ("Cluster", "Clustern", "Clusters"),
    ("Förderung", "Förderungen", "Foerderung", "FÖRDERUNG"),
    ("regional", "regionalen", "regionale", "regionaler", "regionales", "regionalem"),
    ("Unternehmen", "Unternehmens"),
    ("Straße", "Strasse", "STRASSE", "Straßen"),
    ("Stadt", "Städte", "Städten", "Stadt"),
    ("Markt", "Märkte", "Märkten", "Marktes"),
    ("Zentrum", "Zentren", "Zentrums"),
    ("Region", "Regionen"),
    ("Projekt", "Projekte", "Projekten", "Projektes"),
    ("Netzwerk", "Netzwerke", "Netzwerken", "Netzwerks"),
    ("Hochschule", "Hochschulen"),
    ("Gemeinde", "Gemeinden"),
    ("Land", "Landes", "Länder", "Ländern"),
    ("Bund", "Bundes"),
    ("Ziel", "Ziele", "Zielen", "Ziels"),
    ("Mittel", "Mitteln"),
    ("Innovation", "Innovationen"),
    ("Standort", "Standorte", "Standorten", "Standortes"),
    ("Betrieb", "Betriebe", "Betrieben", "Betriebs"),
    ("Prozess", "Prozesse", "Prozesses", "Prozeß"),
    ("Maßnahme", "Maßnahmen", "Massnahmen"),
    ("Platz", "Plätze", "Plätzen"),
    ("Arbeitsplatz", "Arbeitsplätze"),
    ("Partner", "Partnern", "Partners"),
    ("Bürger", "Bürgern"),
    ("wirtschaftlich", "wirtschaftliche", "wirtschaftlichen", "wirtschaftlicher"),
    ("innovativ", "innovative", "innovativen"),
    ("Wirtschaft", "Wirtschaften"),
    ("Hafen", "Häfen"),
    ("Rat", "Räte", "Rates", "Raete"),
    ("Ort", "Orte", "Orten"),
    ("Studie", "Studien"),
    ("Kompetenzfeld", "Kompetenzfelder", "Kompetenzfeldern"),
    ("Kreisstadt", "Kreisstädte"),
    ("Technologiezentrum", "Technologiezentren"),
    ("Gebäude", "Gebäuden", "Gebaeude"),
    ("Unternehmerin", "Unternehmerinnen"),
    ("Technologie", "Technologien"),
    ("Gewerbefläche", "Gewerbeflächen"),
    ("Haushalt", "Haushalts", "Haushalte"),
    ("Beschluss", "Beschlüsse", "Beschlusses"),
    ("Ausschuss", "Ausschüsse", "Ausschusses"),
    ("Betriebsrat", "Betriebsräte"),
    ("Entscheidungsträger", "Entscheidungsträgern"),
]

#: Pairs that must stay apart.
DIFFERENT = [
    ("Förderung", "Forderung"),
    ("fördern", "Förderung"),
    ("Kreis", "Kreisel"),
    ("Daten", "Datum"),
    ("Betriebe", "betreiben"),
    ("Markt", "Mark"),
    ("Bau", "Bauer"),
    ("Stadt", "Staat"),
    ("Land", "Länge"),
    ("Rat", "Rate"),
    ("EU", "EFRE"),
    ("Wald", "Welt"),
    ("Mittel", "Mittler"),
    ("Region", "regional"),
    ("Unternehmen", "Unternehmer"),
    ("Wirtschaft", "wirtschaftlich"),
    ("Ziel", "Zielgruppe"),
    ("Messe", "Messer"),
    ("Rechte", "Rechner"),
    ("Kompetenz", "Kompetenzfeld"),
]


def method_light(word: str) -> str:
    return wordforms.light_stem(wordforms.fold(word))


_LOOKUP: dict[str, str] = {}


def method_lemma(word: str) -> str:
    lemma = _LOOKUP.get(word) or _LOOKUP.get(word.capitalize()) or word
    return wordforms.fold(lemma)


def method_both(word: str) -> str:
    return wordforms.stem(word)


def method_snowball(word: str) -> str:
    from whoosh.lang.snowball.german import GermanStemmer

    return GermanStemmer().stem(wordforms.fold(word))


def score(method: Callable[[str], str]) -> tuple[int, int, int, int, list[str]]:
    met = total = 0
    misses: list[str] = []
    for group in SAME:
        stems = [method(word) for word in group]
        for word, stemmed in zip(group[1:], stems[1:], strict=True):
            total += 1
            if stemmed == stems[0]:
                met += 1
            else:
                misses.append(f"{group[0]}≠{word} ({stems[0]}/{stemmed})")
    merged = sum(method(a) == method(b) for a, b in DIFFERENT)
    for a, b in DIFFERENT:
        if method(a) == method(b):
            misses.append(f"{a}={b} ({method(a)})")
    return met, total, merged, len(DIFFERENT), misses


def quality() -> None:
    started = time.perf_counter()
    _LOOKUP.update(wordforms.read_lemma_lookup())
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    table = wordforms._exceptions()
    built = time.perf_counter() - started
    print(f"lemma table: {len(_LOOKUP)} forms read in {loaded:.2f} s; exceptions ({len(table.nouns)} noun forms, "
          f"{len(table.others)} others) built in {built:.2f} s")
    print("| method | inflection pairs met | distinct pairs merged | misses |")
    print("|---|---|---|---|")
    for name, method in (("light stemmer", method_light), ("lemma table", method_lemma),
                         ("both (stem)", method_both), ("Snowball (whoosh)", method_snowball)):
        met, total, merged, pairs, misses = score(method)
        print(f"| {name} | {met}/{total} | {merged}/{pairs} | {'; '.join(misses)} |")


def texts_of(paths: Iterable[Path]) -> list[str]:
    return [path.read_text(encoding="utf-8", errors="replace") for path in paths]


def count_tokens(analyzer, texts: list[str]) -> int:
    count = 0
    for text in texts:
        for _ in analyzer(text, positions=True, chars=True, mode="index"):
            count += 1
    return count


def timed(analyzer, texts: list[str]) -> float:
    started = time.perf_counter()
    count_tokens(analyzer, texts)
    return time.perf_counter() - started


def speed(files: int) -> None:
    from whoosh.analysis import StandardAnalyzer

    from clustermine.index import analysis
    from clustermine.pipeline.compounds import default_splitter

    wordforms.stem("Kreises")  # the lemma exceptions are built once per process (~1.5 s), not per run

    sets = [("demo/sources", texts_of(sorted((ROOT / "demo" / "sources").glob("*.txt"))))]
    karlsruhe = ROOT.parent / "shared" / "karlsruhe" / "files"
    if karlsruhe.exists():
        sample = sorted(karlsruhe.glob("*.txt"))
        random.Random(42).shuffle(sample)
        sets.append((f"Karlsruhe ({files} files)", texts_of(sample[:files])))
    print("| texts | MB | analyzer | tokens | cold s | warm s (median of 3) | tokens/s warm | warm / Standard |")
    print("|---|---|---|---|---|---|---|---|")
    for label, texts in sets:
        megabytes = sum(len(text.encode()) for text in texts) / 1e6
        standard = StandardAnalyzer()
        rows = [("StandardAnalyzer", standard), ("german_analyzer(compounds=False)",
                                                 analysis.german_analyzer(compounds=False)),
                ("german_analyzer()", analysis.german_analyzer())]
        baseline = None
        for name, analyzer in rows:
            analysis.clear_caches()
            default_splitter().clear_cache()
            cold = timed(analyzer, texts)
            warm = statistics.median(timed(analyzer, texts) for _ in range(3))
            tokens = count_tokens(analyzer, texts)
            baseline = baseline or warm
            print(f"| {label} | {megabytes:.1f} | {name} | {tokens} | {cold:.2f} | {warm:.2f} | "
                  f"{tokens / warm:,.0f} | {warm / baseline:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--files", type=int, default=500)
    args = parser.parse_args()
    both = not (args.quality or args.speed)
    if args.quality or both:
        quality()
    if args.speed or both:
        speed(args.files)


if __name__ == "__main__":
    main()
