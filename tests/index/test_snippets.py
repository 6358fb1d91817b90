"""Snippets and collapsing as plain functions: properties that hold for any text and any result list."""

from __future__ import annotations

import pytest

from clustermine.index.collapse import collapse, duplicate_groups
from clustermine.index.snippets import find_matches, index_forms, make_snippet

FORMS = index_forms("german")

TEXT = (
    "Der Kreis Mettmann fördert seit Jahren die Schlüsselindustrie. " * 6
    + "Die Clusterförderung des Kreises wird 2013 neu geordnet; die Wirtschaftsförderung berichtet. "
    + "Weitere Sätze ohne Bezug folgen hier, damit der Text lang genug ist. " * 8
    + "Am Ende steht noch einmal die Förderung von Clustern im Mittelpunkt."
)


def test_window_holds_the_most_distinct_terms() -> None:
    snippet = make_snippet(TEXT, [({"clusterfoerderung"}, {"cluster", "foerderung"}), ({"kreis"}, ())], FORMS)
    assert "[[Clusterförderung]]" in snippet and "[[Kreises]]" in snippet
    assert "[[Wirtschaftsförderung]]" not in snippet  # the compound itself is in the text: parts stay unmarked
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_parts_are_marked_where_the_compound_is_missing() -> None:
    text = "Die Förderung von Clustern und die Cluster-Förderung im Kreis."
    snippet = make_snippet(text, [({"clusterfoerderung"}, {"cluster", "foerderung"})], FORMS)
    assert snippet == "Die [[Förderung]] von [[Clustern]] und die [[Cluster-Förderung]] im Kreis."


@pytest.mark.parametrize("width", [120, 260])
def test_snippet_length_and_clean_whitespace(width: int) -> None:
    text = "Erste Zeile\n\n  mit   vielen\tLeerzeichen. " + "Füllwort " * 200 + "Netzwerk am Schluss."
    snippet = make_snippet(text, [({"netzwerk"}, ())], FORMS, width=width)
    assert "[[Netzwerk]]" in snippet
    assert len(snippet) <= width + 40
    assert "  " not in snippet and "\n" not in snippet and "\t" not in snippet


def test_no_match_gives_the_beginning_of_the_text() -> None:
    snippet = make_snippet("Kurzer Text ohne Treffer.\nZweite Zeile.", [({"netzwerk"}, ())], FORMS)
    assert snippet == "Kurzer Text ohne Treffer. Zweite Zeile."
    assert make_snippet("", [({"netzwerk"}, ())], FORMS) == ""


def test_second_passage_for_terms_far_apart() -> None:
    text = "Der Braunkohlerevier beginnt hier. " + "Füllwort " * 120 + "Der Flughafen kommt zum Schluss."
    groups = [({"braunkohlerevier"}, ()), ({"flughaf"}, ())]
    assert len(find_matches(text, groups, FORMS)) == 2
    snippet = make_snippet(text, groups, FORMS)
    assert "[[Braunkohlerevier]]" in snippet and "[[Flughafen]]" in snippet
    assert " … " in snippet and len(snippet) <= 340


def test_marks_are_balanced_and_wrap_whole_words() -> None:
    snippet = make_snippet(TEXT, [({"foerderung"}, ())], FORMS)
    assert snippet.count("[[") == snippet.count("]]") > 0
    for marked in snippet.split("[[")[1:]:
        word = marked.split("]]")[0]
        assert word and " " not in word


def test_duplicate_groups_follow_chains() -> None:
    groups = duplicate_groups([("b", "c"), ("a", "b"), ("x", "y")])
    assert groups["a"] == groups["b"] == groups["c"]
    assert groups["x"] == groups["y"] != groups["a"]


def test_collapse_keeps_the_first_of_each_group_in_rank_order() -> None:
    groups = duplicate_groups([("a", "b"), ("b", "c")])
    kept = collapse(["c", "x", "a", "b", "y"], groups)
    assert [(g.doc_id, g.position, g.duplicates) for g in kept] == [
        ("c", 0, ["a", "b"]),
        ("x", 1, []),
        ("y", 4, []),
    ]
    assert [g.doc_id for g in collapse(["c", "x", "a"], groups, enabled=False)] == ["c", "x", "a"]
