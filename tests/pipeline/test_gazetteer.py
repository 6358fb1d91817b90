"""Gazetteers: loading and validating the TSVs, the region hierarchy, name lookup and user extensions."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from clustermine.errors import ClustermineError
from clustermine.pipeline.gazetteer import (
    COLUMNS,
    Gazetteer,
    GazetteerEntry,
    GazetteerError,
    bare_name,
    fold,
    load_gazetteer,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------------------------------------- packaged data


def test_packaged_gazetteers_load(gaz: Gazetteer) -> None:
    kinds = {e.kind for e in gaz.entries}
    assert kinds == {"REGION", "CLUSTER", "PROGRAM", "ORG"}
    assert len(gaz.of_kind("REGION")) > 1000
    assert gaz["ks-05158"].canonical == "Kreis Mettmann"
    assert gaz["ks-05158"].key == "05158"
    assert gaz.get("no-such-id") is None
    assert "de-nw" in gaz and "no-such-id" not in gaz
    with pytest.raises(KeyError, match="no-such-id"):
        gaz["no-such-id"]


def test_load_is_cached_per_file_list(gaz: Gazetteer) -> None:
    assert load_gazetteer() is gaz
    assert load_gazetteer(()) is gaz


def test_entries_are_frozen_records(gaz: Gazetteer) -> None:
    entry = gaz["pg-efre-2014-2020"]
    assert isinstance(entry, GazetteerEntry)
    assert (entry.valid_from, entry.valid_to) == (2014, 2020)
    assert entry.predecessor == "pg-efre-2007-2013" and entry.successor == "pg-efre-2021-2027"
    assert entry.valid_in(2016) and not entry.valid_in(2021)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.canonical = "x"  # type: ignore[misc]


def test_fingerprint_is_stable_and_short(gaz: Gazetteer) -> None:
    assert len(gaz.fingerprint) == 16
    assert gaz.fingerprint == load_gazetteer().fingerprint


def test_ambiguous_regions_are_marked(gaz: Gazetteer) -> None:
    assert "ks-05113" in gaz.ambiguous  # Essen
    assert "ks-05158" not in gaz.ambiguous


# ---------------------------------------------------------------------------------------------- hierarchy


def test_gemeinde_lies_in_kreis_bezirk_land(gaz: Gazetteer) -> None:
    velbert = gaz.find("Velbert", "REGION")[0]
    chain = gaz.ancestors(velbert.id)
    assert chain[:3] == ("ks-05158", "rb-051", "de-nw")  # Kreis Mettmann -> RB Düsseldorf -> NRW
    assert gaz.within(velbert.id, "de-nw")


def test_named_regions_through_their_members(gaz: Gazetteer) -> None:
    assert "rg-ruhrgebiet" in gaz.ancestors("ks-05911")  # Bochum
    assert not gaz.within("ks-05158", "rg-ruhrgebiet")  # Kreis Mettmann is not in the Ruhrgebiet
    assert gaz.within("ks-05158", "rg-rheinland")
    inside = gaz.descendants("rg-ruhrgebiet")
    assert "ks-05911" in inside and "ks-05158" not in inside
    recklinghausen_towns = [e.id for e in gaz.entries if e.parent == "ks-05562"]
    assert recklinghausen_towns and set(recklinghausen_towns) <= set(inside)  # Gemeinden of member Kreise


def test_descendants_of_a_land(gaz: Gazetteer) -> None:
    inside = set(gaz.descendants("de-nw"))
    assert {"rb-051", "ks-05158", "rg-ruhrgebiet"} <= inside
    assert gaz.find("Velbert")[0].id in inside
    assert "ks-08212" not in inside  # Karlsruhe
    assert gaz.descendants("no-such-id") == () and gaz.ancestors("no-such-id") == ()


def test_cluster_ancestors_start_at_its_region(gaz: Gazetteer) -> None:
    assert gaz.ancestors("cl-in-schluesselregion")[:2] == ("ks-05158", "rb-051")


def test_programme_lineage(gaz: Gazetteer) -> None:
    assert gaz.lineage("pg-ziel-2") == ("pg-ziel-2", "pg-ziel-rwb", "pg-ziel-iwb")
    assert gaz.lineage("pg-efre-2014-2020")[0] == "pg-efre-1994-1999"
    assert gaz.lineage("no-such-id") == ()


# ---------------------------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Mettmann", "Mettmann"),
        ("kreis mettmann", "Kreis Mettmann"),
        ("KREIS METTMANN", "Kreis Mettmann"),
        ("Duesseldorf", "Düsseldorf"),
        ("Nordrhein Westfalen", "Nordrhein-Westfalen"),
        ("NRW", "Nordrhein-Westfalen"),
        ("Oldenburg", "Oldenburg (Oldb)"),
        ("efre", "Europäischer Fonds für regionale Entwicklung"),
        ("Foerderprogramm InnoNet", "InnoNet"),
    ],
)
def test_find_ignores_case_umlauts_hyphens(gaz: Gazetteer, name: str, first: str) -> None:
    assert gaz.find(name)[0].canonical == first


def test_find_adds_and_drops_designators(gaz: Gazetteer) -> None:
    assert [e.canonical for e in gaz.find("Mettmann")] == ["Mettmann", "Kreis Mettmann"]
    assert [e.id for e in gaz.find("Karlsruhe", "REGION")][:2] == ["ks-08212", "ks-08215"]
    assert gaz.find("Logistik", "REGION") == ()
    assert gaz.find("Unbekanntes Wort") == ()


def test_fold_and_bare_name() -> None:
    assert fold("Förderung") == fold("FOERDERUNG") == "foerderung"
    assert fold("Ziel-2-Programm") == "ziel 2 programm"
    assert bare_name("Neunkirchen (Saar)") == "Neunkirchen"
    assert bare_name("Ruhrgebiet") == "Ruhrgebiet"


# ---------------------------------------------------------------------------------------------- user files


def test_simple_user_file_adds_entries_and_aliases(tmp_path: Path, gaz: Gazetteer) -> None:
    path = write(
        tmp_path,
        "mine.tsv",
        "# my names\nkind\tcanonical\taliases\n"
        "CLUSTER\tNetzwerk Testfeld Nord\tTestfeld Nord|TFN\n"
        "region\tKreis Mettmann\tME-Kreis\n",
    )
    mine = load_gazetteer([path])
    assert mine is not gaz and mine.fingerprint != gaz.fingerprint
    new = mine.find("TFN")[0]
    assert new.id == "user-cluster-netzwerk-testfeld-nord"
    assert (new.kind, new.canonical) == ("CLUSTER", "Netzwerk Testfeld Nord")
    assert "ME-Kreis" in mine["ks-05158"].aliases
    assert "ME-Kreis" not in gaz["ks-05158"].aliases  # the packaged gazetteer is untouched
    assert load_gazetteer([str(path)]) is mine  # cached for the same file list


def test_user_file_with_packaged_columns(tmp_path: Path) -> None:
    header = "\t".join(COLUMNS["clusters.tsv"])
    row = "my-cl-1\tWasserstoffnetz Testland\tinitiative\tH2-Testnetz\tde-nw\t2020\t\t"
    path = write(tmp_path, "clusters.tsv", f"{header}\n{row}\n")
    entry = load_gazetteer([path])["my-cl-1"]
    assert (entry.kind, entry.subkind, entry.parent, entry.valid_from) == ("CLUSTER", "initiative", "de-nw", 2020)


def test_edited_user_file_is_read_again(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.tsv", "kind\tcanonical\taliases\nORG\tTestamt Eins\t\n")
    first = load_gazetteer([path])
    path.write_text("kind\tcanonical\taliases\nORG\tTestamt Eins\t\nORG\tTestamt Zwei\t\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000))
    second = load_gazetteer([path])
    assert second is not first and second.find("Testamt Zwei")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name\tvalue\nx\ty\n", r"bad\.tsv:1: header must be"),
        ("kind\tcanonical\taliases\nCLUSTER\tOnly two\n", r"bad\.tsv:2: expected 3 tab-separated fields"),
        ("kind\tcanonical\taliases\nPLACE\tSomewhere\t\n", r"bad\.tsv:2: kind must be one of .*Got 'PLACE'"),
        ("kind\tcanonical\taliases\nORG\t\t\n", r"bad\.tsv:2: canonical name is empty"),
        ("kind\tcanonical\taliases\nORG\tAmt X\ta||b\n", r"bad\.tsv:2: empty alias"),
        ("kind\tcanonical\taliases\nORG\tAmt X\t\n# late comment\n", r"bad\.tsv:3: comment lines"),
        ("\t".join(COLUMNS["programs.tsv"]) + "\npg-x\tProgramm X\teu\t\t1999\t1990\t\t\t\n",
         r"bad\.tsv:2: valid_from 1999 is after valid_to 1990"),
        ("\t".join(COLUMNS["programs.tsv"]) + "\npg-x\tProgramm X\teu\t\t99\t\t\t\t\n",
         r"bad\.tsv:2: valid_from must be a four-digit year"),
        ("\t".join(COLUMNS["programs.tsv"]) + "\npg-x\tProgramm X\tglobal\t\t\t\t\t\t\n",
         r"bad\.tsv:2: level must be one of"),
        ("\t".join(COLUMNS["programs.tsv"]) + "\nPG X\tProgramm X\teu\t\t\t\t\t\t\n", r"bad\.tsv:2: id must be"),
        ("\t".join(COLUMNS["programs.tsv"]) + "\npg-x\tProgramm X\teu\t\t\t\tpg-nope\t\t\n",
         r"bad\.tsv:2: predecessor 'pg-nope' is not a programme id"),
        ("\t".join(COLUMNS["regions.tsv"]) + "\nrg-x\tTestregion\tregion\tde-xx\t\t\n",
         r"bad\.tsv:2: parent 'de-xx' is not a region id"),
        ("\t".join(COLUMNS["regions.tsv"]) + "\nks-05158\tNochmal Mettmann\tkreis\tde-nw\t\t\n",
         r"bad\.tsv:2: id 'ks-05158' is already used at regions\.tsv:\d+"),
        ("\t".join(COLUMNS["region_members.tsv"]) + "\nrg-ruhrgebiet\tks-99999\n",
         r"bad\.tsv:2: member_id 'ks-99999' is not a region id"),
        ("\t".join(COLUMNS["ambiguous_regions.tsv"]) + "\nAtlantis\tmyth\n",
         r"bad\.tsv:2: 'Atlantis' is not the canonical name of a region"),
        ("# only comments\n\n", r"bad\.tsv: no header line"),
    ],
)
def test_validation_errors_name_file_line_and_problem(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, "bad.tsv", content)
    with pytest.raises(GazetteerError, match=message) as info:
        load_gazetteer([path])
    assert isinstance(info.value, ClustermineError) and isinstance(info.value, ValueError)
    assert info.value.hint  # every message says what to do


def test_not_utf8_and_missing_files(tmp_path: Path) -> None:
    latin = write(tmp_path, "latin.tsv", "kind\tcanonical\taliases\nORG\tMünchner Amt\t\n", encoding="latin-1")
    with pytest.raises(GazetteerError, match=r"latin\.tsv: not UTF-8"):
        load_gazetteer([latin])
    with pytest.raises(GazetteerError, match="does not exist"):
        load_gazetteer([tmp_path / "nope.tsv"])


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.tsv", "\ufeffkind\tcanonical\taliases\nORG\tBOM-Amt\t\n")
    assert load_gazetteer([path]).find("BOM-Amt")
