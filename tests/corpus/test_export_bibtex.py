"""BibTeX: parsed back with bibtexparser 2, LaTeX decoded with pylatexenc, every field equal to the record.

pylatexenc is taught the four text-mode macros it lacks (``\\textquotedbl``, ``\\textasciicircum``,
``\\textbraceleft``, ``\\textbraceright``) with the characters LaTeX prints for them. bibtexparser accepts an
unpaired ``\\{`` that BibTeX itself would reject, so brace pairing is checked separately, the way BibTeX counts.
"""

from __future__ import annotations

import bibtexparser
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from clustermine.corpus.export.bibtex import entry, escape, protect, render
from clustermine.corpus.export.record import Reference, normalise_space
from tests.corpus.test_export_record import TRICKY_TITLES, make_document, tricky_references


def _decoder() -> LatexNodes2Text:
    db = get_default_latex_context_db()
    db.add_context_category("latex-text-macros", prepend=True, macros=[
        MacroTextSpec("textquotedbl", '"'), MacroTextSpec("textasciicircum", "^"),
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"),
    ])
    return LatexNodes2Text(latex_context=db)


DECODE = _decoder().latex_to_text


def bibtex_braces_pair(text: str) -> bool:
    """BibTeX's own rule: every brace counts, backslash or not."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def expected_fields(ref: Reference) -> dict[str, str]:
    """What each BibTeX field must read as, in plain text, for this reference."""
    fields = {"author": ref.issuer, "title": ref.title, "language": "german", "langid": "ngerman",
              "keywords": ", ".join(ref.keywords), "abstract": ref.abstract, "url": ref.url, "file": ref.path,
              "date": ref.date, "year": str(ref.year) if ref.year else None,
              "urldate": ref.accessed if ref.url else None}
    if ref.kind == "report":
        fields |= {"institution": ref.institution, "type": ref.genre, "number": ref.number}
    elif ref.kind == "event":
        fields |= {"booktitle": ref.event, "eventtitle": ref.event, "eventdate": ref.date,
                   "organization": ref.institution}
    else:
        fields |= {"organization": ref.institution, "type": ref.genre}
    return {k: v for k, v in fields.items() if v}


VERBATIM = {"url", "file", "date", "year", "urldate", "eventdate", "language", "langid"}


def test_round_trip_of_every_field() -> None:
    refs = tricky_references()
    library = bibtexparser.parse_string(render(refs, header=("Literatur für „Clusterförderung“ & 100 %",)))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert list(entries) == [r.key for r in refs]
    compared = agreed = 0
    for ref in refs:
        got = entries[ref.key]
        assert got.entry_type == {"report": "techreport", "online": "online", "misc": "misc",
                                  "event": "inproceedings"}[ref.kind]
        fields = got.fields_dict
        expected = expected_fields(ref)
        assert set(fields) == set(expected), ref.title
        for name, value in expected.items():
            raw = fields[name].value
            assert bibtex_braces_pair(raw), (name, raw)
            text = raw if name in VERBATIM else normalise_space(DECODE(raw))
            compared += 1
            agreed += text == value
            assert text == value, (name, raw)
    assert compared == agreed and compared >= 60


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_each_tricky_title_escapes_to_balanced_latex_that_reads_back(title: str) -> None:
    latex = protect(escape(title))
    assert bibtex_braces_pair(latex)
    assert DECODE(latex) == title
    for special in "%&#_$":
        assert f"{special}" not in latex.replace(f"\\{special}", "")  # every one escaped


def test_capitalised_words_are_protected_but_macros_and_lower_case_words_not() -> None:
    assert protect(escape("Clusterförderung im Kreis Mettmann")) == "{Clusterförderung} im {Kreis} {Mettmann}"
    assert protect(escape("Pfad C:\\Daten")) == "{Pfad} {C}:\\textbackslash{}{Daten}"
    assert protect(escape('"Zukunft" & NRW')) == "\\textquotedbl{}{Zukunft}\\textquotedbl{} \\& {NRW}"


def test_corporate_author_is_braced_and_verbatim_fields_are_not_escaped() -> None:
    ref = Reference(id="x", key="k", doctype="web_page", title="T", issuer="Kreis Mettmann, Amt 80",
                    url="https://a.de/x_y?p=1&q=%20{z}", path="/daten/a_b/{c.pdf", accessed="2024-05-02")
    text = " ".join(entry(ref).split())
    assert "author = {{Kreis Mettmann, Amt 80}}" in text
    assert "url = {https://a.de/x_y?p=1&q=%20%7Bz%7D}" in text
    assert "file" not in text  # a path with an unpaired brace cannot be written verbatim
    assert text.startswith("@online{k,")


def test_output_starts_with_the_encoding_line_jabref_reads() -> None:
    assert render([]).startswith("% Encoding: UTF-8\n")
    ref = Reference(id="x", key="k", doctype="report", title="Ä", issuer="B")
    assert render([ref], header=("Quelle:\na",)).startswith("% Encoding: UTF-8\n% Quelle: a\n\n@techreport{k,")


def test_an_at_sign_in_the_header_cannot_start_an_entry() -> None:
    ref = Reference(id="x", key="k", doctype="report", title="T@U", issuer="B")
    library = bibtexparser.parse_string(render([ref], header=("query „info@kreis.de“", "@misc{evil,")))
    assert [e.key for e in library.entries] == ["k"] and not library.failed_blocks
    assert DECODE(library.entries[0]["title"]) == "T@U"


def test_undated_documents_have_no_year_fields() -> None:
    from clustermine.corpus.export.record import reference_from_document

    text = entry(reference_from_document(make_document(date=None), key="k"))
    assert "year" not in text and "date " not in text


_ALPHABET = st.sampled_from(list("aAzZäÖüßẞ09 {}%&#_$~^\\\"'`-<>!?.,;:„“–—/\t\n") + ["\u00a0", "é", "Ł"])


@given(st.text(_ALPHABET, max_size=40))
def test_any_text_escapes_to_balanced_latex_that_reads_back(text: str) -> None:
    latex = protect(escape(text))
    assert bibtex_braces_pair(latex)
    assert normalise_space(DECODE(latex)) == normalise_space(text)
