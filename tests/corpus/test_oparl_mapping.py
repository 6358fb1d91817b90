"""OParl → clustermine metadata: which file is the paper, the council fields, and OParl winning over guesses."""

from __future__ import annotations

from dataclasses import replace

from clustermine.corpus.ingest import ExternalMetadata, apply_external, merge_council
from clustermine.corpus.oparl.mapping import (
    council_metadata,
    file_metadata,
    looks_like_attachment,
    paper_document,
    split_files,
)
from clustermine.corpus.oparl.objects import OParlFile, parse_paper
from clustermine.model import Consultation, CouncilPaper, Document

ORG = "https://ris.example.org/organizations"


def paper(**changes: object):
    data = {
        "id": "https://ris.example.org/papers/7", "type": "https://schema.oparl.org/1.1/Paper",
        "name": "Clusterförderung Logistik", "reference": "2023/0007", "date": "2023-04-20",
        "paperType": "Beschlussvorlage", "web": "https://ris.example.org/vo/7",
        "auxiliaryFile": [{"id": "a1", "name": "Anlage 1 Lageplan", "accessUrl": "https://x/a1.pdf"},
                          {"id": "v", "name": "Vorlage Logistik", "accessUrl": "https://x/v.pdf"},
                          {"id": "a2", "name": "Stellungnahme", "accessUrl": "https://x/a2.pdf"}],
        "consultation": [{"organization": [f"{ORG}/2"], "meeting": "https://ris.example.org/meetings/1",
                          "role": "Vorberatung"},
                         {"organization": [f"{ORG}/1", f"{ORG}/9"], "meeting": "https://ris.example.org/meetings/2",
                          "authoritative": True}],
        "underDirectionOf": [f"{ORG}/at"],
    }
    data.update(changes)
    return parse_paper(data)


NAMES = {f"{ORG}/1": "Rat", f"{ORG}/2": "Wirtschaftsausschuss", f"{ORG}/at": "Amt für Wirtschaftsförderung"}
MEETINGS = {"https://ris.example.org/meetings/1": "2023-05-02", "https://ris.example.org/meetings/2": "2023-06-01"}


def council(p=None) -> CouncilPaper:
    return council_metadata(p or paper(), body="Stadt Musterstadt", name_of=NAMES.get, meeting_date=MEETINGS.get)


def test_main_file_is_the_first_that_is_not_an_attachment() -> None:
    main, others = split_files(paper())
    assert main.id == "v" and [f.id for f in others] == ["a1", "a2"]


def test_main_file_named_by_the_server_wins() -> None:
    main, others = split_files(paper(mainFile={"id": "m", "name": "Anlage", "accessUrl": "https://x/m.pdf"}))
    assert main.id == "m" and len(others) == 3


def test_all_attachments_means_the_first_file() -> None:
    files = [{"id": "a", "name": "Anlage 1", "accessUrl": "u"}, {"id": "b", "name": "Anlage 2", "accessUrl": "u"}]
    assert split_files(paper(auxiliaryFile=files))[0].id == "a"
    assert split_files(paper(auxiliaryFile=[])) == (None, ())


def test_attachment_names() -> None:
    for name in ("Anlage 1", "Anlagen", "2. Anlage", "Protokollauszug", "Stellungnahme der Verwaltung", "Lageplan"):
        assert looks_like_attachment(OParlFile("x", name=name)), name
    for name in ("Vorlage", "Antrag der Fraktion", "Planungsausschuss Bericht", "FW-Wildparkstadion"):
        assert not looks_like_attachment(OParlFile("x", name=name)), name


def test_council_metadata() -> None:
    fields = council()
    assert (fields.number, fields.paper_type, fields.subject, fields.body) == (
        "2023/0007", "Beschlussvorlage", "Clusterförderung Logistik", "Stadt Musterstadt")
    assert fields.department == "Amt für Wirtschaftsförderung" and fields.public is True
    assert fields.consultations == (
        Consultation("Wirtschaftsausschuss", "2023-05-02", "Vorberatung"),
        Consultation(f"Rat / {ORG}/9", "2023-06-01", "Entscheidung"),  # unknown organisation: its URL stands in
    )


def test_file_metadata_main_and_attachment() -> None:
    p = paper()
    main, others = split_files(p)
    own = file_metadata(p, main, main=True, council=council(p))
    assert (own.title, own.doctype, own.date, own.rule, own.source) == (
        "Clusterförderung Logistik", "council_paper", "2023-04-20", "oparl", "https://x/v.pdf")
    assert own.info["oparl_paper"] == p.id and own.info["web"] == "https://ris.example.org/vo/7"
    extra = file_metadata(p, others[0], main=False, council=council(p))
    assert extra.title == "Clusterförderung Logistik – Anlage 1 Lageplan" and extra.doctype is None
    assert extra.info["attached_to"] == "2023/0007"


def test_paper_document_for_a_paper_without_files() -> None:
    p = paper(auxiliaryFile=[])
    doc = paper_document(p, council(p))
    assert doc.id == paper_document(p, council(p)).id  # stable: the paper's id, not its changing text
    assert doc.format == "oparl" and doc.doctype == "council_paper" and doc.date_rule == "oparl"
    assert "Clusterförderung Logistik" in doc.text and "Beschlussvorlage 2023/0007" in doc.text
    assert "Wirtschaftsausschuss – 2023-05-02 – Vorberatung" in doc.text
    assert doc.source == "https://ris.example.org/vo/7" and doc.council.number == "2023/0007"


def analysed() -> Document:
    return Document(
        id="d", source="/tmp/x.pdf", format="pdf", title="Vorlage Nr. 80/017", doctype="minutes", date="2013-04-10",
        text="…", doctype_rule="cues:minutes", date_rule="field:Datum",
        council=CouncilPaper(number="80/017/2013", subject="Betreff aus dem Text", outcome="beschlossen",
                             consultations=(Consultation("Ausschuss"),)),
        info={"author": "Kreis"},
    )


def test_external_metadata_wins_and_says_so() -> None:
    external = ExternalMetadata(rule="oparl", source="https://x/v.pdf", title="Titel", doctype="council_paper",
                                date="2013-04-20", council=CouncilPaper(number="2013/0295", body="Stadt"),
                                info={"web": "w"}, notes=("n",))
    doc = apply_external(analysed(), external)
    assert (doc.title, doc.doctype, doc.doctype_rule, doc.date, doc.date_rule) == (
        "Titel", "council_paper", "oparl", "2013-04-20", "oparl")
    assert doc.source == "https://x/v.pdf" and doc.info == {"author": "Kreis", "web": "w"} and doc.notes == ("n",)
    assert doc.council.number == "2013/0295" and doc.council.body == "Stadt"
    assert doc.council.outcome == "beschlossen" and doc.council.subject == "Betreff aus dem Text"  # kept from text
    assert doc.council.consultations == (Consultation("Ausschuss"),)


def test_a_users_override_still_wins() -> None:
    user = replace(analysed(), doctype="report", doctype_rule="user", date="1999", date_rule="user")
    doc = apply_external(user, ExternalMetadata(rule="oparl", doctype="council_paper", date="2013-04-20"))
    assert (doc.doctype, doc.date) == ("report", "1999")


def test_merge_council_without_analysis() -> None:
    given = CouncilPaper(number="1")
    assert merge_council(None, given) is given


def test_downloads_are_checked_against_what_the_server_promised(tmp_path) -> None:
    import hashlib

    from clustermine.corpus.oparl.verify import check_bytes

    pdf = tmp_path / "v.pdf"
    pdf.write_bytes(b"%PDF-1.4 ...")
    promised = OParlFile("f", file_name="v.pdf", size=3, sha1="00", mime_type="application/pdf")
    checked = check_bytes(pdf, promised)
    assert checked.problem is None and checked.sha256 == hashlib.sha256(b"%PDF-1.4 ...").hexdigest()
    assert checked.notes == ("OParl gives the file size as 3 bytes, the download has 12",
                             "the file's SHA-1 checksum does not match the one OParl gives")
    page = tmp_path / "login.pdf"
    page.write_bytes(b"\n <!DOCTYPE html><html>Anmeldung</html>")
    assert "web page" in check_bytes(page, OParlFile("f", file_name="login.pdf")).problem
    assert check_bytes(page, OParlFile("f", file_name="seite.html")).problem is None  # an HTML file may be HTML
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert check_bytes(empty, promised).problem == "the server sent an empty file"
