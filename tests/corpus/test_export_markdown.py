"""Markdown reading lists: rendered with markdown-it-py (CommonMark), titles come out exactly as written, no
stray emphasis or links from the documents' own characters, groups in the right order."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

import pytest

from clustermine.corpus.export.markdown import block_safe, escape, groups, highlight, render
from clustermine.corpus.export.record import ExportInfo, Reference
from tests.corpus.test_export_record import tricky_references

markdown_it = pytest.importorskip("markdown_it")


class Collect(HTMLParser):
    """Texts inside <strong>, <h1>/<h2>, <li> count, and whether any <em> or unexpected <a> appeared."""

    def __init__(self) -> None:
        super().__init__()
        self.strong: list[str] = []
        self.headings: list[str] = []
        self.items = 0
        self.em = 0
        self.links: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack.append(tag)
        if tag == "strong":
            self.strong.append("")
        elif tag in ("h1", "h2"):
            self.headings.append("")
        elif tag == "li":
            self.items += 1
        elif tag == "em":
            self.em += 1
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "strong" in self._stack:
            self.strong[-1] += data
        if self._stack and self._stack[-1] in ("h1", "h2"):
            self.headings[-1] += data


def parse(text: str) -> Collect:
    collected = Collect()
    collected.feed(markdown_it.MarkdownIt("commonmark").render(text))
    return collected


def test_titles_survive_markdown_rendering_exactly() -> None:
    refs = tricky_references()
    text = render(refs, info=ExportInfo("Literatur für „*Cluster*“", ("6 documents",)), group_by="none")
    html = parse(text)
    titles = [r.title for r in refs]
    assert [s for s in html.strong if s in titles] == titles
    assert html.items == len(refs) and html.em == 0
    assert html.headings == ["Literatur für „*Cluster*“"]
    assert html.links == [r.url for r in refs if r.url]
    assert all(f"File: `{r.path}`" in text for r in refs if r.path)


def test_snippets_are_quoted_with_matched_words_in_bold() -> None:
    ref = Reference(id="x", key="k", doctype="report", title="T", snippet="… die [[Cluster]][[förderung]] und *x* …")
    html = parse(render([ref]))
    assert "Clusterförderung" in html.strong and html.em == 0
    assert highlight("a [[b]] c_d") == "a **b** c\\_d"


def test_groups_by_year_oldest_first_undated_last_and_by_type_in_readme_order() -> None:
    refs = [
        Reference(id="1", key="a", doctype="report", title="B", date="2013-06", position=1),
        Reference(id="2", key="b", doctype="council_paper", title="A", date="2013-01-02", position=2),
        Reference(id="3", key="c", doctype="web_page", title="C", date=None, position=3),
        Reference(id="4", key="d", doctype="report", title="D", date="1999", position=4),
    ]
    assert [(h, [r.id for r in rs]) for h, rs in groups(refs, "year")] == [
        ("1999", ["4"]), ("2013", ["2", "1"]), ("Undated", ["3"])]
    assert [h for h, _ in groups(refs, "type")] == ["Council papers", "Reports", "Web pages"]
    html = parse(render(refs, group_by="type"))
    assert html.headings[1:] == ["Council papers", "Reports", "Web pages"]


def test_summaries_cannot_start_lists_or_headings() -> None:
    assert block_safe(escape("1. Der Rat beschließt")) == "1\\. Der Rat beschließt"
    assert block_safe(escape("# Kein Titel")) == "\\# Kein Titel"
    ref = Reference(id="x", key="k", doctype="council_paper", title="T", abstract="1. Der Rat beschließt. 2. Mehr.")
    html = parse(render([ref]))
    assert html.items == 1


def test_code_spans_hold_backticks() -> None:
    from clustermine.corpus.export.markdown import code

    assert code("/a/b c.pdf") == "`/a/b c.pdf`"
    assert code("/a/`x`.pdf") == "``/a/`x`.pdf``"
    assert code("`x") == "`` `x ``"


def test_unknown_grouping_is_refused() -> None:
    with pytest.raises(ValueError, match="group_by must be one of"):
        render([], group_by="month")


def test_entry_line_names_issuer_date_genre_number_and_key() -> None:
    ref = replace(tricky_references()[0], key="mettmann2013clusterfoerderung")
    line = render([ref], group_by="none").splitlines()[2]
    assert "Kreis Mettmann · 2013-04-10 · Beschluss-Vorlage & Antrag VO/0\\_2013#a" in line
    assert "`mettmann2013clusterfoerderung`" in line
