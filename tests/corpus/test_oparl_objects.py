"""OParl objects: validation at the boundary, and the 1.1 / 1.0 / pre-1.0 spellings read as one."""

from __future__ import annotations

import pytest

from clustermine.corpus.oparl.objects import (
    InvalidObjectError,
    fingerprint,
    id_tail,
    object_kind,
    parse_day,
    parse_moment,
    parse_paper,
    spec_version,
)

BASE = "https://ris.example.org/oparl/v1"


def paper_11(**changes: object) -> dict:
    data = {
        "id": f"{BASE}/bodies/1/papers/10",
        "type": "https://schema.oparl.org/1.1/Paper",
        "body": f"{BASE}/bodies/1",
        "name": "Clusterförderung  Gesundheitswirtschaft",
        "reference": "2013/0295",
        "date": "2013-12-13",
        "paperType": "Beschlussvorlage",
        "modified": "2025-03-03T14:30:22+01:00",
        "web": "https://ris.example.org/vo/10",
        "auxiliaryFile": [
            {"id": f"{BASE}/files/145055", "type": "https://schema.oparl.org/1.1/File", "name": "Vorlage",
             "fileName": "00145055.pdf", "mimeType": "application/pdf", "date": "2013-12-13",
             "accessUrl": "https://ris.example.org/files/a/00145055.pdf",
             "downloadUrl": "https://ris.example.org/files/00145055.pdf", "sha512Checksum": "AB12",
             "modified": "2025-03-03T14:30:18+01:00"},
        ],
        "consultation": [
            {"id": f"{BASE}/consultations/1822", "type": "https://schema.oparl.org/1.1/Consultation",
             "organization": [f"{BASE}/organizations/gr/32130"], "meeting": f"{BASE}/meetings/1095",
             "role": "Entscheidung", "authoritative": True},
        ],
        "underDirectionOf": [f"{BASE}/organizations/at/882950"],
    }
    data.update(changes)
    return data


def test_oparl_11_paper() -> None:
    paper = parse_paper(paper_11())
    assert paper.name == "Clusterförderung Gesundheitswirtschaft"  # white space normalised
    assert (paper.reference, paper.date, paper.paper_type, paper.version) == ("2013/0295", "2013-12-13",
                                                                              "Beschlussvorlage", "1.1")
    assert paper.main_file is None and [f.file_name for f in paper.files] == ["00145055.pdf"]
    file = paper.files[0]
    assert file.sha512 == "ab12" and file.url == "https://ris.example.org/files/a/00145055.pdf"
    assert paper.consultations[0].organizations == (f"{BASE}/organizations/gr/32130",)
    assert paper.consultations[0].authoritative is True
    assert paper.under_direction_of == (f"{BASE}/organizations/at/882950",) and paper.problems == ()


def test_oparl_10_spelling_reads_the_same() -> None:
    data = paper_11(type="https://schema.oparl.org/1.0/Paper")
    data["auxiliaryFile"][0]["sha1Checksum"] = "ff00"
    paper = parse_paper(data)
    assert paper.version == "1.0" and paper.reference == "2013/0295" and paper.files[0].sha1 == "ff00"


def test_pre_10_draft_spelling_and_references_by_url() -> None:
    files = {f"{BASE}/files/7": {"id": f"{BASE}/files/7", "type": "http://oparl.org/schema/1.0/File",
                                  "accessUrl": "https://ris.example.org/7.pdf", "fileName": "7.pdf"}}
    consultations = {f"{BASE}/consultations/3": {"id": f"{BASE}/consultations/3",
                                                  "organization": f"{BASE}/organizations/5", "role": "Vorberatung"}}
    asked: list[tuple[str, str]] = []

    def lookup(url: str, kind: str) -> dict | None:
        asked.append((url, kind))
        return {**files, **consultations}.get(url)

    draft = {
        "id": f"{BASE}/papers/7", "type": "http://oparl.org/schema/1.0/Paper", "name": "Logistik",
        "publishedDate": "2012-03-01T10:00:00+01:00", "mainFile": f"{BASE}/files/7",
        "auxiliaryFile": [f"{BASE}/files/404"], "consultation": [f"{BASE}/consultations/3"],
        "underDirectionof": [f"{BASE}/organizations/9"], "PaperType": "Antrag",
    }
    paper = parse_paper(draft, lookup=lookup)
    assert paper.date == "2012-03-01" and paper.paper_type == "Antrag"
    assert paper.main_file is not None and paper.main_file.file_name == "7.pdf"
    assert paper.under_direction_of == (f"{BASE}/organizations/9",)
    assert paper.consultations[0].organizations == (f"{BASE}/organizations/5",)
    assert paper.problems == (f"file {BASE}/files/404 could not be fetched; left out",)
    assert (f"{BASE}/files/7", "File") in asked and object_kind(draft) == "Paper" and spec_version(draft) == "1.0"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("a string", "expected a Paper object, got str"),
        ({"type": "https://schema.oparl.org/1.1/Paper", "name": "x"}, "the paper has no id"),
        ({"id": "x", "type": "https://schema.oparl.org/1.1/Meeting"}, "is a Meeting, not a Paper"),
    ],
)
def test_objects_that_cannot_be_imported(raw: object, message: str) -> None:
    with pytest.raises(InvalidObjectError, match=message) as caught:
        parse_paper(raw)
    assert caught.value.hint


def test_problems_are_recorded_and_read_around() -> None:
    data = paper_11(date="31.02.2024", modified="gestern", name="", consultation={"role": "Beratung"},
                    auxiliaryFile=[{"name": "ohne Adresse"}, 42, {"id": "f", "accessUrl": "u", "size": "groß"}])
    paper = parse_paper(data)
    assert paper.date is None and paper.modified is None and paper.name is None
    assert [c.role for c in paper.consultations] == ["Beratung"]
    assert [f.id for f in paper.files] == ["f"] and paper.files[0].size is None
    text = " | ".join(paper.problems)
    for expected in ("date '31.02.2024' is not a date", "modified 'gestern' is not a date-time", "has no name",
                     "neither id nor accessUrl", "not an object (42)", "size 'groß' is not a number"):
        assert expected in text


def test_deleted_papers_are_marked() -> None:
    paper = parse_paper({"id": "p", "type": "https://schema.oparl.org/1.1/Paper", "deleted": True})
    assert paper.deleted and paper.files == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2013-12-13", "2013-12-13"), ("2013-12-13T00:00:00+01:00", "2013-12-13"), ("13.12.2013", "2013-12-13"),
     ("1.4.2013", "2013-04-01"), ("2013-02-30", None), ("2013", None), (20131213, None), (None, None)],
)
def test_parse_day(value: object, expected: str | None) -> None:
    assert parse_day(value) == expected


def test_parse_moment_reads_z_and_missing_zones_as_utc() -> None:
    assert parse_moment("2024-01-01T10:00:00Z").isoformat() == "2024-01-01T10:00:00+00:00"
    assert parse_moment("2024-01-01T10:00:00").utcoffset().total_seconds() == 0
    assert parse_moment("2024-01-01").isoformat() == "2024-01-01T00:00:00+00:00"
    assert parse_moment("kaputt") is None


def test_fingerprint_ignores_time_stamps_everywhere() -> None:
    a = paper_11()
    b = paper_11(modified="2030-01-01T00:00:00+01:00", created="2030-01-01T00:00:00+01:00")
    b["auxiliaryFile"][0]["modified"] = "2030-01-01T00:00:00+01:00"
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(paper_11(name="Anderer Titel"))


def test_file_versions_change_with_content_facts_not_time_stamps() -> None:
    base = parse_paper(paper_11()).files[0]
    restamped = paper_11()
    restamped["auxiliaryFile"][0]["modified"] = "2031-01-01T00:00:00+01:00"
    assert parse_paper(restamped).files[0].version() == base.version()
    resized = paper_11()
    resized["auxiliaryFile"][0]["size"] = 1234
    assert parse_paper(resized).files[0].version() != base.version()


def test_id_tail() -> None:
    assert id_tail(f"{BASE}/files/145055") == "145055" and id_tail(f"{BASE}/bodies/0001/") == "0001"
