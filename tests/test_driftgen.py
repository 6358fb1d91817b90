"""tools.driftgen: the files and the truth agree, and the planted drift has the shape the specs promise.

Counts are checked by recounting the files with regexes written here, not with the generator's own counter, so a
bug in one cannot hide in the other.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tools.driftgen import (
    DEFAULT_DOCTYPES,
    DEFAULT_TERMS,
    DEFAULT_TOPICS,
    Curve,
    DriftTruth,
    TermSpec,
    TopicSpec,
    generate,
    main,
)

YEARS = range(1995, 2026)
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")  # fmt: skip
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DriftTruth, dict[str, str]]:
    out = tmp_path_factory.mktemp("drift")
    truth = generate(out, seed=7)
    texts = {d.file: (out / d.file).read_text(encoding="utf-8") for d in truth.documents}
    return out, truth, texts


def _rate(truth: DriftTruth, lemma: str, years: range) -> float:
    """Mean observed rate per 10,000 tokens over ``years``."""
    return sum(truth.rate(lemma, y) for y in years) / len(years)


# ------------------------------------------------------------------------------------------ files and truth


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate(tmp_path / name, seed=seed, years=(2010, 2015))
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    assert (tmp_path / "a" / "truth.json").read_bytes() != (tmp_path / "c" / "truth.json").read_bytes()


def test_truth_json_round_trips(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    out, truth, _ = corpus
    assert DriftTruth.load(out / "truth.json") == truth
    assert DriftTruth.from_json(truth.to_json()) == truth


def test_files_titles_and_token_totals(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    out, truth, texts = corpus
    assert sorted(p.name for p in (out / "docs").iterdir()) == sorted(Path(f).name for f in texts)
    assert [d.file for d in truth.documents] == sorted(texts)  # numbered in date order
    tokens_per_year: Counter[int] = Counter()
    for d in truth.documents:
        text = texts[d.file]
        assert text.split("\n")[0] == d.title and text.split("\n")[1] == ""
        n = len(re.findall(r"[^\W_]+(?:-[^\W_]+)*", text))
        assert n == d.n_tokens
        assert truth.words_per_doc[0] <= n <= truth.words_per_doc[1] + 60
        tokens_per_year[d.year] += n
    assert truth.tokens_per_year == dict(tokens_per_year)
    assert truth.docs_per_year == {y: 6 for y in YEARS}
    assert Counter(d.year for d in truth.documents) == Counter(truth.docs_per_year)


def test_term_counts_agree_with_independent_recount(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    _, truth, texts = corpus
    words_of = {f: re.findall(r"[\w-]+", text) for f, text in texts.items()}  # hyphenated words stay whole
    for spec in DEFAULT_TERMS:
        forms: dict[int, Counter[str]] = {y: Counter() for y in YEARS}
        compounds: dict[int, Counter[str]] = {y: Counter() for y in YEARS}
        docs, compound_docs = Counter(), Counter()
        for d in truth.documents:
            text = texts[d.file]
            found = Counter({f: len(re.findall(rf"(?<![\w-]){f}(?![\w-])", text)) for f in spec.forms}) + Counter()
            inside = Counter(w for w in words_of[d.file] if spec.lemma.lower() in w.lower() and w not in spec.forms)
            forms[d.year] += found
            compounds[d.year] += inside
            docs[d.year] += bool(found)
            compound_docs[d.year] += bool(inside)
        for y in YEARS:
            entry = truth.terms[spec.lemma].years[y]
            assert entry.forms == dict(forms[y]), (spec.lemma, y)
            assert entry.compounds == dict(compounds[y]), (spec.lemma, y)
            assert (entry.docs, entry.compound_docs) == (docs[y], compound_docs[y]), (spec.lemma, y)
            assert entry.planted_rate == pytest.approx(spec.curve.at(y))


def test_inflected_forms_and_compounds_are_all_written(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    _, truth, _ = corpus
    for spec in DEFAULT_TERMS:
        written = Counter[str]()
        compounds = Counter[str]()
        for entry in truth.terms[spec.lemma].years.values():
            written.update(entry.forms)
            compounds.update(entry.compounds)
        assert set(written) == set(spec.forms), spec.lemma
        assert set(spec.compounds) <= set(compounds), spec.lemma
    # a planted term that is itself a compound counts as a compound of the shorter one
    cluster = Counter[str]()
    for entry in truth.terms["Cluster"].years.values():
        cluster.update(entry.compounds)
    assert cluster["Clustermanagement"] + cluster["Clustermanagements"] == sum(
        e.count for e in truth.terms["Clustermanagement"].years.values()
    )
    assert cluster["Cluster-Wettbewerb"] > 0  # a hyphenated compound is one token


# ----------------------------------------------------------------------------------------------- the drift


def test_observed_rates_follow_the_planted_curves(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    _, truth, _ = corpus
    for spec in DEFAULT_TERMS:
        for y in YEARS:
            planted, observed = spec.curve.at(y), truth.rate(spec.lemma, y)
            if planted == 0:
                assert observed == 0, (spec.lemma, y)
            else:  # rounding to whole occurrences (and at least one) costs up to ~1 occurrence per year
                assert abs(observed - planted) <= 0.1 * planted + 1.5e4 / truth.tokens_per_year[y], (spec.lemma, y)


def test_curve_shapes(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    _, truth, _ = corpus
    early, late = range(1995, 2005), range(2016, 2026)
    assert _rate(truth, "Kompetenzfeld", early) > 5 * _rate(truth, "Kompetenzfeld", late)  # falling
    assert all(truth.rate("Clustermanagement", y) == 0 for y in range(1995, 2003))  # rising from 2003, then flat
    assert truth.rate("Clustermanagement", 2003) > 0
    plateau = [truth.rate("Clustermanagement", y) for y in range(2010, 2026)]
    assert max(plateau) < 1.5 * min(plateau)
    assert all(truth.rate("Resilienz", y) == 0 for y in range(1995, 2015))  # absent, then steep
    assert _rate(truth, "Resilienz", range(2021, 2026)) > 3 * _rate(truth, "Resilienz", range(2015, 2020))
    assert _rate(truth, "Nachhaltigkeit", range(2021, 2026)) > 3 * _rate(truth, "Nachhaltigkeit", range(1995, 2000))
    control = [truth.rate("Wirtschaftsförderung", y) for y in YEARS]  # flat control
    assert max(control) < 1.6 * min(control)
    assert abs(_rate(truth, "Wirtschaftsförderung", early) - _rate(truth, "Wirtschaftsförderung", late)) < 2
    assert _rate(truth, "Cluster", range(2008, 2013)) > 3 * _rate(truth, "Cluster", range(1995, 2000))


def test_new_terms_absent_before_their_first_year(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    _, truth, texts = corpus
    new = [spec for spec in DEFAULT_TERMS if spec.new]
    assert {s.lemma: s.curve.first_positive(YEARS) for s in new} == truth.new_terms
    assert truth.new_terms == {"Reallabor": 2019, "Sprunginnovation": 2020, "Transformationsmanagement": 2021}
    for spec in new:
        first = truth.new_terms[spec.lemma]
        per_year = Counter[int]()
        for d in truth.documents:
            per_year[d.year] += len(re.findall(spec.lemma, texts[d.file], flags=re.IGNORECASE))
        assert all(per_year[y] == 0 for y in YEARS if y < first), spec.lemma
        assert all(per_year[y] > 0 for y in YEARS if y >= first), spec.lemma
        assert truth.terms[spec.lemma].first_year == first


def test_topic_prevalence_drifts_as_planted(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    _, truth, _ = corpus
    assert {t.name for t in DEFAULT_TOPICS} == set(truth.topics)
    assert all(15 <= len(t.words) <= 25 for t in truth.topics.values())
    words = [w for t in truth.topics.values() for w in t.words]
    assert len(words) == len(set(words))
    for y in YEARS:
        assert sum(t.prevalence[y] for t in truth.topics.values()) == pytest.approx(1.0, abs=1e-5)
        dominant = Counter(d.topic for d in truth.documents if d.year == y)
        for name, topic in truth.topics.items():  # dominant topics are allotted exactly, year by year
            assert abs(dominant[name] - 6 * topic.prevalence[y]) < 1, (name, y)
    digital = Counter(d.year for d in truth.documents if d.topic == "Digitalisierung")
    assert sum(digital[y] for y in range(2016, 2026)) > 2 * sum(digital[y] for y in range(1995, 2005))


def test_documents_are_dominated_by_their_topic(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    _, truth, texts = corpus
    owner = {w: name for name, t in truth.topics.items() for w in t.words}
    agree = 0
    for d in truth.documents:
        assert d.topic in d.mixture and sum(d.mixture.values()) == pytest.approx(1.0)
        assert max(d.mixture, key=d.mixture.__getitem__) == d.topic
        counts = Counter(owner[t] for t in re.findall(r"[^\W_]+(?:-[^\W_]+)*", texts[d.file]) if t in owner)
        assert dict(counts) == d.topic_tokens
        assert set(counts) <= set(d.mixture)
        agree += counts.most_common(1)[0][0] == d.topic
    assert agree >= 0.95 * len(truth.documents)


# ---------------------------------------------------------------------------------------- dates and doctypes


def _written_date(doctype: str, text: str) -> str:
    """The document's date as written in its header, read with the generator's own formats."""
    head = text[:1500]
    if doctype == "council_paper":
        d, m, y = re.search(r"^Datum: (\d\d)\.(\d\d)\.(\d{4})$", head, re.MULTILINE).groups()
        return f"{y}-{m}-{d}"
    if doctype == "minutes":
        wd, d, m, y = re.search(r"^öffentliche Sitzung am (\w+), (\d\d)\.(\d\d)\.(\d{4}),", head, re.M).groups()
        assert WEEKDAYS[date(int(y), int(m), int(d)).weekday()] == wd
        return f"{y}-{m}-{d}"
    if doctype == "project_description":
        m, y = re.search(r"^Laufzeit: (\d\d)/(\d{4}) – \d\d/\d{4}$", head, re.MULTILINE).groups()
        return f"{y}-{m}"
    if doctype == "conference_report":
        d, month, y = re.search(r"^(?:Fachtagung|Workshop|Fachkonferenz) „[^“]+“ am (\d{1,2})\. (\w+) (\d{4}) in ",
                                head, re.MULTILINE).groups()  # fmt: skip
        return f"{y}-{MONTHS.index(month) + 1:02d}-{int(d):02d}"
    month, y = re.search(r"^Stand: (\w+) (\d{4})$", head, re.MULTILINE).groups()
    return f"{y}-{MONTHS.index(month) + 1:02d}"


def test_written_date_is_the_recorded_date(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    _, truth, texts = corpus
    for d in truth.documents:
        assert _written_date(d.doctype, texts[d.file]) == d.date, d.file
        assert int(d.date[:4]) == d.year


GENRE = {
    "council_paper": r"(?:Beschluss|Informations|Sitzungs)vorlage",
    "minutes": r"Niederschrift über die \d+\. Sitzung des .+",
    "project_description": r"Projekt(?:beschreibung|steckbrief)",
    "conference_report": r"(?:Tagungs|Veranstaltungs)bericht",
    "report": r"(?:Abschluss|Zwischen)bericht|Gutachten|Studie",
}


def test_doctype_proportions_and_cues(corpus: tuple[Path, DriftTruth, dict[str, str]]) -> None:
    _, truth, texts = corpus
    assert truth.doctypes == dict(DEFAULT_DOCTYPES)
    counts = Counter(d.doctype for d in truth.documents)
    n = len(truth.documents)
    for name, share in DEFAULT_DOCTYPES:
        assert abs(counts[name] - share * n) < 1, name
    for d in truth.documents:
        lines = [line for line in texts[d.file].split("\n")[:3] if line]
        assert any(re.fullmatch(GENRE[d.doctype], line) for line in lines), (d.file, lines)
    assert len({d.doctype for d in truth.documents if d.year == 2010}) > 1  # doctypes are mixed over the years


# ------------------------------------------------------------------------------------ arguments and the CLI


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="years must be"):
        generate(tmp_path, years=(2010, 2000))
    with pytest.raises(ValueError, match="doctypes must be"):
        generate(tmp_path, doctypes=(("leaflet", 1.0),))
    with pytest.raises(ValueError, match="no carrier sentence writes"):
        TermSpec("Reallabor", ("Reallabor", "Reallabore"), ("Das Reallabor läuft.",), Curve(((2019, 1.0),)))
    with pytest.raises(ValueError, match="exactly one"):
        TermSpec("Reallabor", ("Reallabor",), ("Ein Reallabor und noch ein Reallabor.",), Curve(((2019, 1.0),)))
    with pytest.raises(ValueError, match="strictly increasing"):
        Curve(((2010, 1.0), (2005, 2.0)))
    leaky = TopicSpec("Leck", ("Clusterbranche", "Wald", "Holz", "Forst", "Sägewerk"), Curve(((1995, 1.0),)))
    with pytest.raises(ValueError, match="contains the planted term 'Cluster'"):
        generate(tmp_path, topics=(*DEFAULT_TOPICS, leaky))


def test_cli_writes_corpus_and_removes_stale_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--seed", "1", "--docs-per-year", "3", "--years", "2019", "2021"]) == 0
    assert len(list((tmp_path / "docs").glob("doc-*.txt"))) == 9
    assert main([str(tmp_path), "--docs-per-year", "2", "--years", "2020", "2021"]) == 0
    truth = DriftTruth.load(tmp_path / "truth.json")
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == [Path(d.file).name for d in truth.documents]
    assert len(truth.documents) == 4 and truth.new_terms["Reallabor"] == 2020
    assert capsys.readouterr().out.strip().endswith("truth.json")
    assert main([str(tmp_path), "--years", "2021", "2020"]) == 1
    assert "Error: years must be" in capsys.readouterr().err
