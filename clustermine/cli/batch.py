"""``search --batch``: run a list of queries and report the hits of each, as tables, JSON rows or one CSV.

Literature reviews run dozens of queries and keep the hits as data. A query file is either plain text (one
query per line; blank lines and lines starting with ``#`` are skipped) or a CSV with a ``query`` column and an
optional ``label`` column (comma, semicolon or tab separated, as spreadsheets save them). A line that cannot
be run gets one ``Error:`` line on stderr and the rest goes on; the exit code says whether any failed.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from clustermine.cli.common import Settings, emit_json, render_table
from clustermine.errors import ClustermineError

#: Columns of the rows (``--json``) and of the CSV (``-o``), in this order.
ROW_COLUMNS: tuple[str, ...] = (
    "label", "query", "rank", "id", "title", "year", "date", "type", "score", "snippet", "source",
)

_DELIMITERS = (",", ";", "\t")


class BatchFileError(ClustermineError, ValueError):
    """A query file that cannot be read or holds no queries."""


@dataclass(frozen=True)
class BatchQuery:
    """One query of a batch; ``problem`` says why its line cannot be run (it is then reported, not run)."""

    line: int
    label: str
    query: str
    problem: str | None = None


def read_batch(path: str | Path) -> list[BatchQuery]:
    """The queries of a plain-text or CSV query file, in file order."""
    from clustermine.corpus.encoding import decode_text

    source = Path(path)
    try:
        data = source.read_bytes()
    except IsADirectoryError:
        raise BatchFileError(f"the query file {source} is a folder", hint="give a text or CSV file") from None
    except OSError as exc:
        raise BatchFileError(f"cannot read the query file {source}: {exc.strerror or exc}",
                             hint="check the path; one query per line, or a CSV with a 'query' column") from None
    text = decode_text(data)[0].lstrip("\ufeff") if data else ""
    delimiter = _csv_delimiter(text)
    if delimiter is None and source.suffix.lower() in (".csv", ".tsv"):
        first = next((line for line in text.splitlines() if line.strip()), "")
        raise BatchFileError(f"the CSV file {source} has no column named 'query' (its first line: {first[:80]!r})",
                             hint="name the columns in the first line: label,query")
    queries = _read_csv(text, delimiter) if delimiter else _read_lines(text)
    if not queries:
        raise BatchFileError(f"no queries in {source}",
                             hint="write one query per line, or a CSV with the columns label and query")
    return queries


def _csv_delimiter(text: str) -> str | None:
    """The delimiter whose header line has a ``query`` column, or None for a plain list of queries."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    for delimiter in _DELIMITERS:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        if "query" in (c.strip().casefold() for c in cells):
            return delimiter
    return None


def _read_lines(text: str) -> list[BatchQuery]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        query = line.strip()
        if query and not query.startswith("#"):
            out.append(BatchQuery(number, f"q{len(out) + 1}", query))
    return out


def _read_csv(text: str, delimiter: str) -> list[BatchQuery]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [c.strip().casefold() for c in next(reader)]
    query_at = header.index("query")
    label_at = header.index("label") if "label" in header else None
    out: list[BatchQuery] = []
    seen: dict[str, int] = {}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        number = reader.line_num
        label = row[label_at].strip() if label_at is not None and label_at < len(row) else ""
        label = label or f"q{len(out) + 1}"
        query = row[query_at].strip() if query_at < len(row) else ""
        problem = None
        if not query:
            problem = "the query is empty"
        elif label in seen:
            problem = f"the label {label!r} is used twice (first on line {seen[label]})"
        seen.setdefault(label, number)
        out.append(BatchQuery(number, label, query, problem))
    return out


def hit_rows(label: str, query: str, result: Any) -> list[dict[str, Any]]:
    """One tidy row per hit."""
    return [
        {"label": label, "query": query, "rank": hit.rank, "id": hit.id, "title": hit.title,
         "year": int(hit.date[:4]) if hit.date else None, "date": hit.date, "type": hit.doctype,
         "score": hit.score, "snippet": hit.snippet, "source": hit.source}
        for hit in result.hits
    ]


def rows_csv(rows: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ROW_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return buffer.getvalue()


def write_rows(settings: Settings, rows: list[dict[str, Any]], output: Path, queries: int) -> None:
    from clustermine.corpus.export import write_atomic

    write_atomic(output, rows_csv(rows))
    if not settings.quiet:
        click.echo(f"Wrote {len(rows)} rows for {queries} {'query' if queries == 1 else 'queries'} to {output}",
                   err=True)


def run_batch(settings: Settings, store: Any, queries: list[BatchQuery], *, output: Path | None, as_json: bool,
              **options: Any) -> bool:
    """Run every query with the same filters and paging; returns True when all of them ran."""
    from clustermine.index.engine import search

    rows: list[dict[str, Any]] = []
    ok = True
    ran = 0
    for item in queries:
        if item.problem:
            _report(item, item.problem, None)
            ok = False
            continue
        try:
            result = search(store, item.query, **options)
        except ClustermineError as exc:
            _report(item, exc.message, exc.hint)
            ok = False
            continue
        ran += 1
        found = hit_rows(item.label, item.query, result)
        rows += found
        if output is None and not as_json:
            _render(item, result, found)
        elif not settings.quiet:
            click.echo(f"{item.label}: {_headline(item, result)}", err=True)
    if output is not None:
        write_rows(settings, rows, output, ran)
    if as_json:
        emit_json(rows)
    return ok


def _report(item: BatchQuery, message: str, hint: str | None) -> None:
    """One line per failed query, so a long batch stays readable."""
    click.echo(f"Error: line {item.line} ({item.label}): {message}" + (f" — {hint}" if hint else ""), err=True)
    sys.stderr.flush()


def _headline(item: BatchQuery, result: Any) -> str:
    text = f"„{item.query}“ · {result.total} results"
    if result.total > len(result.hits):
        first = (result.page - 1) * result.limit + 1
        text += f" (showing {first}–{first + len(result.hits) - 1})" if result.hits else f" (page {result.page})"
    if result.corrected_from:
        text += f" for „{result.query}“ (nothing matched as typed; spelling corrected)"
    if result.any_words:
        text += " · no document has all the words: documents with most of them"
    return text


def _render(item: BatchQuery, result: Any, rows: list[dict[str, Any]]) -> None:
    click.echo(click.style(f"{item.label} · {_headline(item, result)}", bold=True))
    table = [{**row, "score": f"{row['score']:.2f}"} for row in rows]
    render_table(table, ["rank", "date", "type", "score", "id", "title"])
    click.echo()
