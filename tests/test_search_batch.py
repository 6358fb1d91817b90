"""``search --batch``: query files (text and CSV, as spreadsheets save them), tables, JSON rows, one tidy CSV,
and a bad line that is reported while the rest runs."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from clustermine.cli.batch import ROW_COLUMNS, BatchFileError, BatchQuery, read_batch
from tests.test_cli_export import build_corpus, invoker


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- reading query files ------------------------------------------------------------------------------------


def test_plain_text_one_query_per_line(tmp_path: Path) -> None:
    path = write(tmp_path, "q.txt", "# Clusterpolitik\nClusterförderung\n\n  Wasserstoff OR H2  \n")
    assert read_batch(path) == [BatchQuery(2, "q1", "Clusterförderung"), BatchQuery(4, "q2", "Wasserstoff OR H2")]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_with_label_and_query_columns(tmp_path: Path, delimiter: str) -> None:
    rows = [["Label", "Query", "Notiz"], ["foerderung", "Clusterförderung", "x"], ["", "Logistik", ""],
            ["h2", '"Wasserstoff, grün" OR H2', ""]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    queries = read_batch(write(tmp_path, "q.csv", buffer.getvalue()))
    assert [(q.label, q.query) for q in queries] == [("foerderung", "Clusterförderung"), ("q2", "Logistik"),
                                                    ("h2", '"Wasserstoff, grün" OR H2')]
    assert [q.line for q in queries] == [2, 3, 4]


def test_csv_from_excel_in_windows_1252_with_a_bom_free_header(tmp_path: Path) -> None:
    data = "label;query\nf;Clusterförderung im Kreis\n".encode("cp1252")
    assert read_batch(write(tmp_path, "q.csv", data))[0].query == "Clusterförderung im Kreis"
    bom = "\ufefflabel,query\nf,Straße\n".encode()
    assert read_batch(write(tmp_path, "b.csv", bom))[0] == BatchQuery(2, "f", "Straße")


def test_a_query_column_is_enough_and_problems_are_kept_per_line(tmp_path: Path) -> None:
    queries = read_batch(write(tmp_path, "q.txt", "query,notiz\nLogistik,\n,ohne Suche\n,\n"))
    assert [q.problem for q in queries] == [None, "the query is empty"]
    twice = read_batch(write(tmp_path, "d.csv", "label,query\na,Logistik\na,Verkehr\n"))
    assert twice[1].problem == "the label 'a' is used twice (first on line 2)"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leer.txt", "", "no queries in"),
        ("nur-kommentare.txt", "# a\n\n", "no queries in"),
        ("ohne.csv", "titel,suche\nx,y\n", "has no column named 'query'"),
    ],
)
def test_unusable_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    with pytest.raises(BatchFileError, match=message) as info:
        read_batch(write(tmp_path, name, content))
    assert info.value.hint


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BatchFileError, match="cannot read the query file"):
        read_batch(tmp_path / "fehlt.txt")
    with pytest.raises(BatchFileError, match="is a folder"):
        read_batch(tmp_path)


# -- running through the CLI -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("batch"))


@pytest.fixture
def run(home: Path) -> Callable[..., Result]:
    return invoker(home)


QUERIES = "Clusterförderung\nregoin:Ruhr \"offen\nWasserstoff\nLogistik type:web_page\n"


def test_tables_per_query_and_a_bad_line_does_not_stop_the_rest(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("search", "--batch", write(tmp_path, "q.txt", QUERIES), "-n", "5", expect=1)
    out = result.stdout
    assert "q1 · „Clusterförderung“ · " in out and "q3 · „Wasserstoff“ · " in out and "q4 · " in out
    assert out.count("RANK  DATE") == 3
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 1 and errors[0].startswith("Error: line 2 (q2): unknown field 'regoin:'")


def test_json_rows(run: Callable[..., Result], tmp_path: Path) -> None:
    path = write(tmp_path, "q.csv", "label;query\nfoerderung;Clusterförderung\nweb;Logistik type:web_page\n")
    rows = json.loads(run("search", "--batch", path, "--json").stdout)
    assert rows and all(set(row) == set(ROW_COLUMNS) for row in rows)
    assert {row["label"] for row in rows} == {"foerderung", "web"}
    web = [row for row in rows if row["label"] == "web"]
    assert [(r["rank"], r["id"], r["type"], r["year"]) for r in web] == [(1, "c3c3c3c3c3c3c3c3", "web_page", 2015)]
    assert all(isinstance(r["score"], float) and r["query"] for r in rows)


def test_one_tidy_csv_with_filters_applied_to_every_query(run: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "hits.csv"
    queries = write(tmp_path, "q.txt", "Clusterförderung\nWasserstoff\n")
    result = run("search", "--batch", queries, "--type", "council_paper", "-o", target)
    assert result.stdout == "" and "Wrote 2 rows for 2 queries" in result.stderr
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert tuple(rows[0]) == ROW_COLUMNS
    assert [(r["label"], r["type"]) for r in rows] == [("q1", "council_paper"), ("q1", "council_paper")]
    assert "q2: „Wasserstoff“ · 0 results" in result.stderr


def test_single_search_can_write_the_csv_too(run: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "one.csv"
    run("--quiet", "search", "Wasserstoff", "--output", target)
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert rows and rows[0]["query"] == "Wasserstoff" and rows[0]["label"] == ""
    assert json.loads(run("search", "Wasserstoff", "--json", "-o", tmp_path / "two.csv").stdout)["total"] == len(rows)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--batch", "{missing}"), 1, "cannot read the query file"),
        (("--batch", "{empty}"), 1, "no queries in"),
        (("Logistik", "--batch", "{queries}"), 2, "either a query or --batch"),
        (("--batch", "{queries}", "--explain"), 2, "--explain works on one query"),
    ],
)
def test_file_and_usage_errors(run: Callable[..., Result], tmp_path: Path, args: tuple[str, ...], code: int,
                               message: str) -> None:
    paths = {"missing": tmp_path / "fehlt.txt", "empty": write(tmp_path, "leer.txt", ""),
             "queries": write(tmp_path, "q.txt", "Logistik\n")}
    result = run("search", *(a.format(**paths) for a in args), expect=code)
    assert message in result.stderr and "Traceback" not in result.stderr
