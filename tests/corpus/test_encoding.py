"""Decoding German text: BOMs, UTF-8 first, declared charsets, and a German-aware guess for the rest."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clustermine.corpus.encoding import GERMAN_ENCODINGS, MIXED_UTF8, decode_text, german_score
from clustermine.corpus.normalise import normalise_text

GERMAN = "Die „Förderung“ der Clusterinitiative kostet 1.500 € – Größe, Straße, Ärger, Öl, Übersicht."


def test_utf8() -> None:
    assert decode_text(GERMAN.encode("utf-8")) == (GERMAN, "utf-8")


def test_cp1252_quotes_and_euro() -> None:
    text, encoding = decode_text(GERMAN.encode("cp1252"))
    assert text == GERMAN
    assert encoding == "cp1252"


def test_iso_8859_1() -> None:
    plain = "Größe und Straße in Ärger über Öl"
    text, encoding = decode_text(plain.encode("iso-8859-1"))
    assert text == plain
    assert encoding in {"iso-8859-1", "cp1252", "iso-8859-15"}  # identical bytes for these letters


def test_iso_8859_15_euro_sign() -> None:
    plain = "Kosten der Förderung: 500 € pro Jahr"
    text, encoding = decode_text(plain.encode("iso-8859-15"))
    assert text == plain
    assert encoding == "iso-8859-15"


@pytest.mark.parametrize(
    ("codec", "expected"), [("utf-16", "utf-16"), ("utf-32", "utf-32"), ("utf-8-sig", "utf-8")]
)
def test_byte_order_marks(codec: str, expected: str) -> None:
    text, encoding = decode_text(GERMAN.encode(codec))
    assert text == GERMAN  # without the BOM
    assert encoding.startswith(expected)


def test_utf16_without_bom() -> None:
    assert decode_text(GERMAN.encode("utf-16-le"))[0] == GERMAN
    assert decode_text(GERMAN.encode("utf-16-be"))[0] == GERMAN


@pytest.mark.parametrize("codec", ["cp850", "mac_roman"])
def test_dos_and_mac_code_pages(codec: str) -> None:
    plain = "Größe und Straße: Förderung für Ärzte über Öfen"
    assert decode_text(plain.encode(codec)) == (plain, codec)


def test_declared_charset_wins_a_tie() -> None:
    assert decode_text("Größe".encode("latin-1"), declared="ISO-8859-15") == ("Größe", "iso-8859-15")


def test_declared_latin1_means_cp1252_like_browsers() -> None:
    data = "„Förderung“".encode("cp1252")
    assert decode_text(data, declared="iso-8859-1") == ("„Förderung“", "cp1252")


def test_wrong_declaration_loses_to_utf8() -> None:
    assert decode_text("Förderung".encode(), declared="windows-1252") == ("Förderung", "utf-8")


def test_bogus_declaration_is_ignored() -> None:
    assert decode_text("Förderung".encode("cp1252"), declared="x-no-such-charset")[0] == "Förderung"


def test_utf8_with_stray_cp1252_bytes() -> None:
    data = "Größe ".encode() + "Förderung".encode("cp1252")
    assert decode_text(data) == ("Größe Förderung", MIXED_UTF8)


def test_mojibake_is_repaired_by_normalise() -> None:
    mangled = GERMAN.encode("utf-8").decode("cp1252")  # what an old web server delivered
    text, _ = decode_text(mangled.encode("utf-8"))
    assert text == mangled
    assert normalise_text(text) == GERMAN


def test_score_prefers_german() -> None:
    assert german_score("Förderung") > german_score("F”rderung") > german_score("F\x94rderung")


@given(st.binary(max_size=300))
def test_never_raises(data: bytes) -> None:
    text, encoding = decode_text(data)
    assert isinstance(text, str) and encoding


WORDS = ["Förderung", "Straße", "Größe", "Ärger", "Öffentlichkeit", "Übersicht", "für", "über", "Maß",
         "Cluster", "die", "Region", "„Kompetenzfeld“", "1.500 €", "–", "Wirtschaftsförderung", "Bürger",
         "schließt", "NRW"]


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join))
def test_round_trip_for_german_text(plain: str) -> None:
    assert decode_text(plain.encode("utf-8"))[0] == plain
    data = plain.encode("cp1252")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assert decode_text(data)[0] == plain
    else:  # "Ä“" in cp1252 is valid UTF-8 ("ē"): strict UTF-8 first is the documented choice
        assume(False)


def test_german_encodings_all_exist() -> None:
    import codecs

    for name in GERMAN_ENCODINGS:
        codecs.lookup(name)
