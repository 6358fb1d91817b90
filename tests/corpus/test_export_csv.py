"""CSV: read back with the csv module, the same columns every time, every value as in the record."""

from __future__ import annotations

import csv
import io

from clustermine.corpus.export.record import Reference
from clustermine.corpus.export.table import COLUMNS, render, row
from tests.corpus.test_export_record import tricky_references


def test_round_trip() -> None:
    refs = tricky_references()
    rows = list(csv.DictReader(io.StringIO(render(refs), newline="")))
    assert len(rows) == len(refs)
    for ref, got in zip(refs, rows, strict=True):
        assert tuple(got) == COLUMNS
        assert got["title"] == ref.title and got["issuer"] == (ref.issuer or "")
        assert got["keywords"].split("; ") == list(ref.keywords)
        assert got["snippet"] == ref.snippet and got["abstract"] == (ref.abstract or "")
        assert got["date"] == (ref.date or "") and got["year"] == (str(ref.year) if ref.year else "")
        assert got == row(ref)


def test_columns_do_not_depend_on_the_documents() -> None:
    bare = Reference(id="x", key="k", doctype="other", title="T")
    header = render([bare]).splitlines()[0]
    assert header.split(",") == list(COLUMNS)
    assert render([]).splitlines() == [",".join(COLUMNS)]
