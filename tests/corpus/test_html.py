"""Web pages: main text without boilerplate, meta information, charsets, and robustness to broken markup."""

from __future__ import annotations

import time

import pytest

from clustermine.corpus.html import read_html

MAIN = "Die Stadt Dortmund fördert seit 2005 gezielt Cluster in der Logistik und der IT-Wirtschaft."
PAGE = f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>Clusterpolitik in Dortmund | Wirtschaftsförderung Dortmund</title>
<meta name="description" content="Wie Dortmund seine Cluster fördert.">
<meta name="keywords" content="Cluster, Logistik, IT">
<meta name="author" content="Amt für Wirtschaft">
<meta name="DC.date" content="2013-04-10">
<meta name="generator" content="TYPO3 CMS">
<link rel="canonical" href="https://www.example.org/cluster">
<script>var tracking = "SKRIPTTEXT";</script>
<style>.x {{ color: red }}</style>
</head>
<body>
<div id="cookie-banner" class="cc-window"><p>Wir verwenden Cookies, um unsere Website zu verbessern.</p>
<a class="btn">Alle akzeptieren</a></div>
<a class="skip-link" href="#main">Zum Inhalt springen</a>
<header><a href="/"><img src="logo.png" alt="Logo"></a>
<nav class="main-nav"><ul><li><a href="/">Startseite</a></li><li><a href="/wirtschaft">Standort</a></li>
<li><a href="/presse">Pressemitteilungen</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/cluster">Cluster</a></div>
<main id="main">
<h1>Clusterpolitik in Dortmund</h1>
<p>{MAIN}</p>
<p>Erste Zeile<br>zweite Zeile</p>
<h2>Kompetenzfelder</h2>
<ul><li>Logistik</li><li>IT &amp; Software</li><li>Mikro- und Nanotechnologie</li></ul>
<table><caption>Fördermittel</caption><tr><th>Jahr</th><th>Mittel</th></tr>
<tr><td>2012</td><td>1,2 Mio. €</td></tr></table>
<div class="social-share"><a>Auf Facebook teilen</a> <a>Twittern</a></div>
</main>
<aside class="sidebar"><h3>Veranstaltungen</h3><p>Clustertag am 12. Mai, jetzt anmelden.</p></aside>
<footer class="site-footer"><p>© 2013 Wirtschaftsförderung Dortmund · Impressum · Datenschutz</p></footer>
</body>
</html>
"""


@pytest.fixture(scope="module")
def page():
    return read_html(PAGE.encode("utf-8"), "cluster.html")


def test_main_text_is_kept(page) -> None:
    assert page.format == "html"
    assert len(page.pages) == 1
    assert MAIN in page.text
    assert "Kompetenzfelder" in page.text


@pytest.mark.parametrize(
    "boilerplate",
    ["Cookies", "akzeptieren", "Zum Inhalt", "Startseite", "Pressemitteilungen", "Home", "Facebook",
     "Veranstaltungen", "Clustertag", "Impressum", "Datenschutz", "SKRIPTTEXT", "color: red"],
)
def test_boilerplate_is_dropped(page, boilerplate: str) -> None:
    assert boilerplate not in page.text


def test_structure_survives(page) -> None:
    assert "Erste Zeile\nzweite Zeile" in page.text
    assert "\nLogistik\nIT & Software\nMikro- und Nanotechnologie" in page.text
    assert "Jahr | Mittel\n2012 | 1,2 Mio. €" in page.text
    assert f"Clusterpolitik in Dortmund\n\n{MAIN}" in page.text
    assert "\n\n\n" not in page.text


def test_title_without_site_name(page) -> None:
    assert page.title == "Clusterpolitik in Dortmund"


def test_meta_information(page) -> None:
    assert page.info["description"] == "Wie Dortmund seine Cluster fördert."
    assert page.info["keywords"] == "Cluster, Logistik, IT"
    assert page.info["author"] == "Amt für Wirtschaft"
    assert page.info["date"] == "2013-04-10"
    assert page.info["language"] == "de"
    assert page.info["producer"] == "TYPO3 CMS"
    assert page.info["url"] == "https://www.example.org/cluster"


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('<meta property="article:published_time" content="2019-06-03T10:00:00+02:00">',
         "2019-06-03T10:00:00+02:00"),
        ('<meta http-equiv="last-modified" content="Wed, 10 Apr 2013 08:00:00 GMT">',
         "2013-04-10T08:00:00+00:00"),
        ('<meta name="date" content="10.04.2013">', "2013-04-10"),
    ],
)
def test_date_sources(meta: str, expected: str) -> None:
    html = f"<html><head>{meta}<title>T</title></head><body><p>{MAIN}</p></body></html>"
    assert read_html(html.encode()).info["date"] == expected


def test_windows_1252_with_meta_charset() -> None:
    html = PAGE.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; '
                        'charset=windows-1252">')
    page = read_html(html.encode("cp1252"))
    assert MAIN in page.text and "1,2 Mio. €" in page.text
    assert page.title == "Clusterpolitik in Dortmund"


def test_windows_1252_without_meta_charset() -> None:
    html = PAGE.replace('<meta charset="utf-8">', "")
    page = read_html(html.encode("cp1252"))
    assert MAIN in page.text and "1,2 Mio. €" in page.text
    assert "decoded as cp1252" in page.notes


def test_utf8_page_that_claims_latin1() -> None:
    html = PAGE.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    assert MAIN in read_html(html.encode("utf-8")).text


def test_deeply_nested_html_does_not_crash() -> None:
    html = "<html><body><p>vorher</p>" + "<div>" * 5000 + "tief" + "</div>" * 5000 + "<p>danach</p></body>"
    started = time.monotonic()
    page = read_html(html.encode())
    assert time.monotonic() - started < 10
    assert page.text.split() == ["vorher", "tief", "danach"]
    assert any("flattened" in note for note in page.notes)


def test_deeply_nested_unclosed_tags() -> None:
    html = "<body>" + "<div><span><b>x " * 3000 + "Ende"
    page = read_html(html.encode())
    assert page.text.endswith("Ende")


def test_density_fallback_without_main() -> None:
    article = " ".join([MAIN] * 4)
    html = f"""<html><body>
    <div id="top"><a href="/">Start</a> <a href="/a">Themen</a> <a href="/c">Kontakt</a></div>
    <div id="links"><ul><li><a href="/1">Link eins zum Thema</a></li>
    <li><a href="/2">Link zwei zum Thema</a></li><li><a href="/3">Link drei zum Thema</a></li></ul></div>
    <div id="inhalt"><h1>Clusterpolitik</h1><p>{article}</p><p>{article}</p></div>
    </body></html>"""
    page = read_html(html.encode())
    assert article in page.text
    assert "Link eins" not in page.text


def test_asp_net_form_wrapping_the_page_is_kept() -> None:
    html = f"<html><body><form id='aspnetForm'><div class='content'><p>{MAIN}</p></div></form></body></html>"
    assert MAIN in read_html(html.encode()).text


def test_hidden_elements_are_dropped() -> None:
    html = f"<body><p>{MAIN}</p><div style='display: none'>Unsichtbar</div><p hidden>Versteckt</p></body>"
    text = read_html(html.encode()).text
    assert MAIN in text and "Unsichtbar" not in text and "Versteckt" not in text


@pytest.mark.parametrize("data", [b"", b"   ", b"<html></html>", b"<<<>>>", b"</p></div>"])
def test_junk_does_not_raise(data: bytes) -> None:
    assert read_html(data).format == "html"


def test_content_after_closing_html_is_kept() -> None:
    html = "<html><body><p>Erster Absatz.</p></body></html><p>Nachgeschoben.</p>"
    assert read_html(html.encode()).text.split("\n\n") == ["Erster Absatz.", "Nachgeschoben."]
