"""CSL-JSON: a bibliography rendered by citeproc-py from the export, with a minimal style written here and with
a style citeproc-py ships; every variable arrives as written."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from clustermine.corpus.export.csljson import item, render
from clustermine.corpus.export.record import Reference
from tests.corpus.test_export_record import tricky_references

#: Prints each variable the export fills, separated by " | ", so a rendered entry can be compared exactly.
STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="de-DE">
  <info><title>clustermine round trip</title><id>clustermine-round-trip</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <layout>
      <group delimiter=" | ">
        <names variable="author"><name/></names>
        <date variable="issued"><date-part name="year"/></date>
        <text variable="title"/>
        <text variable="genre"/>
        <text variable="number"/>
        <text variable="publisher"/>
        <text variable="event"/>
        <text variable="URL"/>
        <text variable="archive_location"/>
        <text variable="keyword"/>
        <text variable="abstract"/>
      </group>
    </layout>
  </bibliography>
</style>
"""


def bibliography(data: list[dict], style: CitationStylesStyle) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # citeproc-py (CSL 1.0.1) does not know citation-key
        bib = CitationStylesBibliography(style, CiteProcJSON(data), formatter.plain)
        for entry in data:
            bib.register(Citation([CitationItem(entry["id"])]))
        return [str(entry) for entry in bib.bibliography()]


def expected_entry(ref: Reference) -> str:
    parts = [ref.issuer, str(ref.year) if ref.year else None, ref.title, ref.genre, ref.number, ref.institution,
             ref.event, ref.url, ref.path, ", ".join(ref.keywords), ref.abstract]
    return " | ".join(p for p in parts if p)


@pytest.fixture(scope="module")
def style(tmp_path_factory: pytest.TempPathFactory) -> CitationStylesStyle:
    path = Path(tmp_path_factory.mktemp("csl")) / "round-trip.csl"
    path.write_text(STYLE, encoding="utf-8")
    return CitationStylesStyle(str(path), validate=False)


def test_rendered_bibliography_holds_every_field(style: CitationStylesStyle) -> None:
    refs = tricky_references()
    data = json.loads(render(refs))
    rendered = bibliography(data, style)
    assert sorted(rendered) == sorted(expected_entry(r) for r in refs)


def test_dates_titles_and_types(style: CitationStylesStyle) -> None:
    refs = tricky_references()
    data = json.loads(render(refs))
    for ref, entry in zip(refs, data, strict=True):
        assert entry["id"] == entry["citation-key"] == ref.key
        assert entry["type"] == {"report": "report", "online": "webpage", "misc": "document",
                                 "event": "paper-conference"}[ref.kind]
        assert entry["title"] == ref.title and entry["language"] == "de"
        assert entry.get("issued", {}).get("date-parts") == ([ref.date_parts] if ref.date else None)
    rendered = bibliography(data, style)
    assert len(rendered) == len(refs)
    for ref in refs:
        assert any(ref.title in line and (not ref.year or str(ref.year) in line) for line in rendered)


def test_a_style_citeproc_py_ships_renders_every_type() -> None:
    refs = tricky_references()
    rendered = bibliography(json.loads(render(refs)), CitationStylesStyle("harvard-cite-them-right", validate=False))
    assert len(rendered) == len(refs)
    for ref in refs:
        assert any(ref.title in line and ref.issuer in line for line in rendered), ref.title


def test_empty_values_are_left_out_and_web_pages_have_accessed() -> None:
    ref = Reference(id="x", key="k", doctype="web_page", title="Seite", url="https://a.de", accessed="2024-05-02")
    assert item(ref) == {"id": "k", "citation-key": "k", "type": "webpage", "title": "Seite", "language": "de",
                         "URL": "https://a.de", "accessed": {"date-parts": [[2024, 5, 2]]}}
