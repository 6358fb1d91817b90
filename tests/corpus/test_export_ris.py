"""RIS: parsed back with rispy, every tag equal to the record; one line per tag whatever the text holds."""

from __future__ import annotations

import rispy

from clustermine.corpus.export.record import Reference
from clustermine.corpus.export.ris import author, file_uri, render, ris_date
from tests.corpus.test_export_record import tricky_references


def expected_tags(ref: Reference) -> dict[str, object]:
    tags: dict[str, object] = {
        "type_of_reference": {"report": "RPRT", "online": "ELEC", "misc": "GEN", "event": "CONF"}[ref.kind],
        "title": ref.title, "authors": [ref.issuer.split(",")[0].strip()] if ref.issuer else None,
        "publisher": ref.issuer, "year": str(ref.year) if ref.year else None, "date": ris_date(ref.date),
        "issn": ref.number,  # rispy names SN after its journal meaning; for RPRT it is the report number
        "type_of_work": ref.genre, "language": "de", "keywords": list(ref.keywords) or None,
        "abstract": ref.abstract, "urls": [ref.url] if ref.url else None,
        "access_date": ris_date(ref.accessed) if ref.url else None,
        "file_attachments1": file_uri(ref.path), "secondary_title": ref.event if ref.kind == "event" else None,
    }
    return {k: v for k, v in tags.items() if v}


def test_round_trip_of_every_tag() -> None:
    refs = tricky_references()
    text = render(refs)
    records = rispy.loads(text)
    assert len(records) == len(refs)
    compared = 0
    for ref, record in zip(refs, records, strict=True):
        expected = expected_tags(ref)
        assert set(record) == set(expected), ref.title
        for tag, value in expected.items():
            assert record[tag] == value, (tag, record[tag])
            compared += 1
    assert compared >= 60


def test_records_are_crlf_lines_from_ty_to_er() -> None:
    text = render(tricky_references())
    assert text.count("TY  - ") == text.count("ER  - ") == len(tricky_references())
    lines = text.split("\r\n")
    assert all(line == "" or line[2:6] == "  - " for line in lines)
    assert "\n" not in text.replace("\r\n", "")


def test_values_stay_on_one_line() -> None:
    ref = Reference(id="x", key="k", doctype="report", title="Zeile eins\nER  - zwei", abstract="a\r\nb")
    (record,) = rispy.loads(render([ref]))
    assert record["title"] == "Zeile eins ER - zwei" and record["abstract"] == "a b"


def test_helpers() -> None:
    assert author("Kreis Mettmann, Amt 80") == "Kreis Mettmann"
    assert author(None) is None and author(", x") is None
    assert ris_date("2013-04") == "2013/04//" and ris_date(None) is None
    assert file_uri("/a b/c.pdf") == "file:///a%20b/c.pdf" and file_uri("rel/c.pdf") == "rel/c.pdf"
