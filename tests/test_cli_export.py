"""``clustermine export`` end to end: query, filters, ids, formats, files, errors — on a small hand-made corpus.

``build_corpus`` is shared with the ``collect`` and ``search --batch`` tests: six documents of every kind, with
the titles that break naive exports, their entities, and a search index (about two seconds to build).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import pytest
import rispy
from click.testing import CliRunner, Result

from clustermine.cli import cli
from clustermine.corpus.store import CorpusStore
from clustermine.model import CouncilPaper, Document, Entity, Section

METTMANN = Entity("REGION", "Kreis Mettmann", "Kreis Mettmann", 0, 14, "ks-05158")
RUHR = Entity("REGION", "Ruhrgebiet", "Ruhrgebiet", 0, 10)


def _document(doc_id: str, title: str, doctype: str, date: str | None, text: str, **fields: object) -> Document:
    return Document(id=doc_id, source=f"/daten/korpus/{doc_id}.pdf", format="pdf", title=title, doctype=doctype,
                    date=date, text=text, content_hash=doc_id * 4, ingested_at="2024-05-02T10:00:00+00:00",
                    **fields)


def corpus_documents() -> list[Document]:
    resolution = "Der Kreistag beschließt, die Clusterförderung fortzuführen und jährlich zu berichten."
    council = CouncilPaper(number="2013/0295", paper_type="Beschlussvorlage", body="Kreis Mettmann",
                           department="Amt für Wirtschaftsförderung und Planung", subject="Clusterförderung")
    return [
        _document("a1a1a1a1a1a1a1a1", "Clusterförderung im Kreis Mettmann – Zukünftige Aktivitäten", "council_paper",
                  "2013-04-10", f"Betreff: Clusterförderung im Kreis Mettmann\n\nBeschlussvorschlag:\n{resolution}\n\n"
                  "Sachverhalt:\nDie Clusterförderung der Schließ- und Sicherungstechnik in Velbert wirkt.",
                  sections=(Section("beschlussvorschlag", "Beschlussvorschlag:", resolution, 40),),
                  council=council, entities=(METTMANN, Entity("CLUSTER", "x", "Schließ- und Sicherungstechnik", 0, 1))),
        _document("b2b2b2b2b2b2b2b2", "Clusterförderung im Kreis Mettmann – Neufassung", "council_paper", "2013-05-02",
                  "Betreff: Clusterförderung\n\nBeschlussvorschlag:\nDer Kreistag beschließt die Neufassung der "
                  "Clusterförderung mit höheren Mitteln für das Netzwerk.",
                  council=CouncilPaper(number="2013/0295/1", paper_type="Beschlussvorlage", body="Kreis Mettmann"),
                  entities=(METTMANN,)),
        _document("c3c3c3c3c3c3c3c3", "Netzwerk Logistik.NRW – Aktuelles", "web_page", "2015-03-01",
                  "Das Netzwerk Logistik.NRW verbindet Häfen, Spediteure und Hochschulen im Ruhrgebiet. Die "
                  "Clusterförderung des Landes unterstützt die Logistik.",
                  info={"author": "Logistik.NRW, Duisburg", "url": "https://www.logistik.nrw.de/aktuelles"},
                  entities=(RUHR, Entity("CLUSTER", "x", "Logistik", 0, 1))),
        _document("d4d4d4d4d4d4d4d4", "Tagungsbericht Clusterkonferenz Ruhr 2009 – Cluster in der Krise",
                  "conference_report", "2009-10-29",
                  "Das Institut hat die Clusterkonferenz Ruhr dokumentiert und fasst die Beiträge zu Logistik und "
                  "Gesundheitswirtschaft im Ruhrgebiet für alle Interessierten zusammen.",
                  info={"author": "Institut Arbeit und Technik (IAT), Gelsenkirchen"}, entities=(RUHR,)),
        _document("e5e5e5e5e5e5e5e5", 'Straße, Maß & Fuß: {Entwurf} "Wasserstoff" 100 % #1 C:\\Daten_x ~ ^Ziel^',
                  "report", "2020",
                  "Der Bericht untersucht die Wasserstoffwirtschaft im Rheinischen Revier und ihre Folgen für die "
                  "Beschäftigung in der Region.", info={"author": "Zukunftsagentur Rheinisches Revier"}),
        _document("f6f6f6f6f6f6f6f6", "Wasserstoff-Netzwerk im Revier", "project_description", None,
                  "Das Projekt baut ein Wasserstoff-Netzwerk auf und begleitet Unternehmen bei der Umstellung auf "
                  "klimaneutrale Produktion.", info={"author": "Hochschule Niederrhein"}),
    ]


def build_corpus(root: Path) -> Path:
    """A corpus home with :func:`corpus_documents`, indexed; returns the home."""
    from clustermine.index import sync_index

    home = root / "home"
    with CorpusStore(home) as store:
        with store.transaction():
            for doc in corpus_documents():
                store.put_document(doc, fingerprint="test-entities")
                store.link_source(doc.source, doc.id, doc.content_hash, None, None)
        sync_index(store)
    return home


def invoker(home: Path) -> Callable[..., Result]:
    def invoke(*args: object, expect: int | None = 0) -> Result:
        result = CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])
        if expect is not None:
            assert result.exit_code == expect, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
        return result

    return invoke


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("export"))


@pytest.fixture
def run(home: Path) -> Callable[..., Result]:
    return invoker(home)


def test_query_with_filters_to_bibtex(run: Callable[..., Result]) -> None:
    out = run("export", "Clusterförderung", "--region", "Kreis Mettmann").stdout
    library = bibtexparser.parse_string(out)
    assert not library.failed_blocks
    keys = {e.key for e in library.entries}
    assert keys == {"mettmann2013clusterfoerderunga", "mettmann2013clusterfoerderungb"}
    entry = library.entries_dict["mettmann2013clusterfoerderunga"]
    assert entry.entry_type == "techreport" and entry["number"] == "2013/0295"
    assert entry["institution"] == "Kreis Mettmann" and entry["type"] == "Beschlussvorlage"
    assert entry["author"] == "{Kreis Mettmann, Amt für Wirtschaftsförderung und Planung}"
    assert "Clusterförderung fortzuführen" in entry["abstract"]
    assert "Schließ- und Sicherungstechnik" in entry["keywords"]


def test_whole_corpus_every_format_and_all_versions(run: Callable[..., Result]) -> None:
    collapsed = bibtexparser.parse_string(run("export").stdout).entries
    everything = bibtexparser.parse_string(run("export", "--all-versions").stdout).entries
    assert len(everything) == 6 and len(collapsed) <= 6
    assert {e.entry_type for e in everything} == {"techreport", "online", "inproceedings", "misc"}
    assert len(rispy.loads(run("export", "--all-versions", "--format", "ris").stdout)) == 6
    data = json.loads(run("export", "--all-versions", "-f", "csljson").stdout)
    assert {d["type"] for d in data} == {"report", "webpage", "paper-conference", "document"}
    rows = list(csv.DictReader(io.StringIO(run("export", "--all-versions", "-f", "csv").stdout)))
    assert len(rows) == 6 and [int(r["position"]) for r in rows] == list(range(1, 7))
    md = run("export", "--all-versions", "-f", "markdown", "--group-by", "type").stdout
    assert md.startswith("# Literature list") and "## Council papers" in md and "## Web pages" in md


def test_keys_are_the_same_in_every_export(run: Callable[..., Result]) -> None:
    alone = bibtexparser.parse_string(run("export", "--ids", "b2b2").stdout).entries[0].key
    everything = {e["title"]: e.key for e in bibtexparser.parse_string(run("export", "--all-versions").stdout).entries}
    assert alone == "mettmann2013clusterfoerderungb"
    assert alone in everything.values()


def test_ids_limit_and_order(run: Callable[..., Result]) -> None:
    data = json.loads(run("export", "--ids", "e5e5,c3c3", "a1a1a1", "-f", "csljson").stdout)
    assert [d["title"][:8] for d in data] == ["Straße, ", "Netzwerk", "Clusterf"]
    assert len(json.loads(run("export", "--ids", "e5e5", "c3c3", "-n", "1", "-f", "csljson").stdout)) == 1
    tricky = data[0]
    assert tricky["title"] == 'Straße, Maß & Fuß: {Entwurf} "Wasserstoff" 100 % #1 C:\\Daten_x ~ ^Ziel^'
    assert data[1]["URL"] == "https://www.logistik.nrw.de/aktuelles" and data[1]["accessed"]


def test_tricky_title_round_trips_through_the_cli_in_bibtex(run: Callable[..., Result]) -> None:
    from tests.corpus.test_export_bibtex import DECODE

    entry = bibtexparser.parse_string(run("export", "--ids", "e5e5").stdout).entries[0]
    assert DECODE(entry["title"]) == 'Straße, Maß & Fuß: {Entwurf} "Wasserstoff" 100 % #1 C:\\Daten_x ~ ^Ziel^'
    assert entry.key == "zukunftsagentur2020strasse"


def test_markdown_with_a_query_shows_snippets(run: Callable[..., Result]) -> None:
    md = run("export", "Wasserstoff", "--format", "markdown").stdout
    assert md.startswith("# Literature for „Wasserstoff“")
    assert "> " in md and "**Wasserstoff" in md
    assert "## 2020" in md and "## Undated" in md


def test_output_file_format_from_the_extension(run: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "liste.ris"
    result = run("export", "Clusterförderung", "-o", target)
    assert result.stdout == "" and "Wrote" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("TY  - ")
    run("--quiet", "export", "Logistik", "--output", tmp_path / "liste.md")
    assert (tmp_path / "liste.md").read_text(encoding="utf-8").startswith("# Literature for „Logistik“")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["liste.md", "liste.ris"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ids", "a1a1", "zzzz"), "no document with id 'zzzz'"),
        (("Clustrfoerdrung",), "no documents match „Clustrfoerdrung“"),
        (("--collection", "fehlt"), "no collection named 'fehlt'"),
        (('regoin:Ruhr "offen',), "unknown field"),
        (("Logistik", "-o", "/nonexistent-folder/x.bib"), "cannot write"),
    ],
)
def test_bad_input_is_one_error_line(run: Callable[..., Result], args: tuple[str, ...], message: str) -> None:
    result = run("export", *args, expect=1)
    assert result.stderr.startswith("Error:") and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [("--group-by", "year"), ("--ids",), ("--ids", "a1a1", "--type", "report"), ("--collection", "x", "Logistik"),
     ("-f", "endnote")],
)
def test_usage_errors(run: Callable[..., Result], args: tuple[str, ...]) -> None:
    assert run("export", *args, expect=2).exit_code == 2
