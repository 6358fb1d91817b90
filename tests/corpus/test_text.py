"""Plain text and JSON documents: decoding, pages at form feeds, titles, and prose out of JSON streams."""

from __future__ import annotations

import json

import pytest

from clustermine.corpus.text import is_prose, read_json, read_text
from clustermine.errors import EmptyDocumentError, UnreadableError
from tests.conftest import shared_path

BODY = "Der Rat der Stadt beschließt die Fortschreibung der Clusterstrategie für die Region."


def test_utf8_text_with_title() -> None:
    extraction = read_text(f"Clusterstrategie 2020\n\n{BODY}\n".encode())
    assert extraction.format == "text"
    assert extraction.title == "Clusterstrategie 2020"
    assert extraction.pages == (f"Clusterstrategie 2020\n\n{BODY}",)
    assert extraction.notes == ()


def test_cp1252_with_crlf() -> None:
    extraction = read_text(f"Förderung „Cluster“\r\n\r\n{BODY}\r\n".encode("cp1252"))
    assert extraction.text == f"Förderung „Cluster“\n\n{BODY}"
    assert extraction.notes == ("decoded as cp1252",)


def test_pages_split_at_form_feeds() -> None:
    extraction = read_text(b"Seite eins\fSeite zwei\f")
    assert extraction.pages == ("Seite eins", "Seite zwei")


@pytest.mark.parametrize(
    "first_line",
    [BODY, "Dies ist ein Satz.", "https://www.example.org/seite", "12345", "Sehr geehrte Damen und Herren,"],
)
def test_no_title_when_the_first_line_is_not_one(first_line: str) -> None:
    assert read_text(f"{first_line}\n\n{BODY}".encode()).title is None


def test_title_skips_leading_blank_lines() -> None:
    title = "TOP 5: Kompetenzfeld Logistik"
    assert read_text(f"\n\n   \n{title}\n{BODY}".encode()).title == title


def test_mojibake_is_repaired() -> None:
    mangled = BODY.encode("utf-8").decode("cp1252").encode("utf-8")
    assert read_text(mangled).text == BODY


# ----------------------------------------------------------------------------------------------------------
# JSON

RECORDS = [
    {"top_nr": "1", "drucksache_nr": None, "person_resp": "OB/OB-2 Meier, 2108",
     "topic": "Beschlussfassung über Ausschussvorlagen",
     "content1": "Die in den Ausschüssen gefassten Beschlüsse werden genehmigt.",
     "pars": {"page_start": 15, "rect_y_min": 192}, "date": "24.02.2025"},
    {"top_nr": "2", "drucksache_nr": "25-0198", "person_resp": "Dez. II",
     "topic": "Fortschreibung der Clusterstrategie Logistik",
     "content1": "Der Rat nimmt den Bericht zur Kenntnis und beauftragt die Verwaltung.",
     "url": "https://ratsinfo.example.org/vo0050.asp?__kvonr=123", "date": "24.02.2025"},
]
EXPECTED = (
    "Beschlussfassung über Ausschussvorlagen\nDie in den Ausschüssen gefassten Beschlüsse werden genehmigt."
    "\n\nFortschreibung der Clusterstrategie Logistik\n"
    "Der Rat nimmt den Bericht zur Kenntnis und beauftragt die Verwaltung."
)


@pytest.mark.parametrize(
    "data",
    [
        "\n".join(json.dumps(r, indent=2, ensure_ascii=False) for r in RECORDS),  # a stream, like s006
        json.dumps(RECORDS, ensure_ascii=False),  # one list
        "\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n",  # JSON Lines
        "\ufeff" + json.dumps({"tops": RECORDS}, ensure_ascii=True),  # BOM, escaped umlauts, nested
    ],
    ids=["stream", "list", "jsonl", "nested"],
)
def test_json_shapes_give_one_paragraph_per_object(data: str) -> None:
    extraction = read_json(data.encode("utf-8"), "all_tops.pdf")
    assert extraction.format == "text"
    assert extraction.text == EXPECTED
    assert extraction.title is None


def test_single_object_title() -> None:
    data = json.dumps({"id": "a1", "title": "Clusterbericht 2013", "text": BODY}).encode()
    extraction = read_json(data)
    assert extraction.title == "Clusterbericht 2013"
    assert BODY in extraction.text


def test_list_of_strings_gives_paragraphs() -> None:
    data = json.dumps([BODY, "kurz", BODY.upper()]).encode()
    assert read_json(data).text == f"{BODY}\n\n{BODY.upper()}"


def test_json_without_prose() -> None:
    data = json.dumps([{"id": "x-1", "url": "https://example.org/a", "n": 3, "code": "AB-12"}]).encode()
    with pytest.raises(EmptyDocumentError, match="no prose"):
        read_json(data)


def test_broken_json() -> None:
    with pytest.raises(UnreadableError, match="not valid JSON"):
        read_json(b'{"text": ')


def test_truncated_stream_keeps_what_parsed() -> None:
    data = json.dumps(RECORDS[0], ensure_ascii=False) + "\n" + json.dumps(RECORDS[1], ensure_ascii=False)[:40]
    extraction = read_json(data.encode())
    assert "Ausschussvorlagen" in extraction.text
    assert extraction.notes and "broken" in extraction.notes[0]


def test_deeply_nested_json_is_refused_cleanly() -> None:
    with pytest.raises(UnreadableError, match="nested too deeply"):
        read_json(b"[" * 100_000 + b"]" * 100_000)


@pytest.mark.parametrize(
    ("value", "prose"),
    [(BODY, True), ("Beschlussfassung über Ausschussvorlagen", True), ("OB/OB-2 Meier, 2108", False),
     ("https://www.example.org/seite/mit/vielen/worten", False), ("25-0198", False), ("24.02.2025", False),
     ("und vom 02.12.2024", False)],
)
def test_is_prose(value: str, prose: bool) -> None:
    assert is_prose(value) is prose


def test_shared_json_stream_named_pdf() -> None:
    path = shared_path("corpus", "s006.json")
    extraction = read_json(path.read_bytes(), "all_tops.pdf")
    assert extraction.format == "text"
    assert "Niederschriften über die öffentlichen Sitzungen" in extraction.text
    assert "Beschlüsse" in extraction.text and "gemäß" in extraction.text
    assert "Ã" not in extraction.text and "\ufffd" not in extraction.text
    assert extraction.text.count("\n\n") >= 50  # one paragraph per agenda item (57 objects)


def test_a_markdown_heading_is_a_title_without_its_marks() -> None:
    extraction = read_text(f"## Technische Textilien im Westmünsterland\n\n{BODY}\n".encode())
    assert extraction.title == "Technische Textilien im Westmünsterland"
