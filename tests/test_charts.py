"""Charts: files a paper can use (PNG/SVG/PDF, umlauts, thin periods marked) and sparklines for the terminal."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest

from clustermine.charts import (
    ASCII_LEVELS,
    BLOCK_LEVELS,
    ChartError,
    line_chart,
    sparkline,
    sparklines,
    stacked_area_chart,
    supports_unicode,
    terminal_text,
)

PERIODS = ["1995–1999", "2000–2004", "2005–2009", "2010–2014"]
SERIES = {
    "Cluster (allein)": [1.0, 2.5, None, 4.0],
    "Cluster (in Komposita)": [0.5, 3.0, 4.5, 1.0],
    "Clusterförderung": [0.0, 1.0, 1.5, 2.0],
}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("draw", [line_chart, stacked_area_chart])
def test_png_has_signature_and_a_sane_size(draw, tmp_path: Path) -> None:
    out = draw(PERIODS, SERIES, title="Begriffe", y_label="je 10.000 Wörter", output=tmp_path / "chart.png")
    width, height = png_size(out)
    assert 800 <= width <= 3000 and 400 <= height <= 2000
    assert out.stat().st_size > 5_000


@pytest.mark.parametrize("draw", [line_chart, stacked_area_chart])
def test_svg_keeps_german_labels_as_text(draw, tmp_path: Path) -> None:
    out = draw(PERIODS, SERIES, title="Wortschatz im Ruhrgebiet – Übersicht", y_label="je 10.000 Wörter",
               x_label="Zeitraum", output=tmp_path / "chart.svg", docs_per_x=[2, 9, 9, 9])
    svg = out.read_text(encoding="utf-8")
    for text in ("Clusterförderung", "Übersicht", "Wörter", "Zeitraum", "1995–1999", "fewer than 5 documents"):
        assert text in svg


def test_svg_is_reproducible(tmp_path: Path) -> None:
    a = line_chart(PERIODS, SERIES, title="T", y_label="y", output=tmp_path / "a.svg")
    b = line_chart(PERIODS, SERIES, title="T", y_label="y", output=tmp_path / "b.svg")
    assert a.read_bytes() == b.read_bytes()


def test_thin_note_only_when_a_period_is_thin(tmp_path: Path) -> None:
    out = line_chart(PERIODS, SERIES, title="T", y_label="y", output=tmp_path / "c.svg", docs_per_x=[9, 9, 9, 9],
                     note="Auswahl: Gesundheitswirtschaft")
    svg = out.read_text(encoding="utf-8")
    assert "fewer than" not in svg and "Auswahl: Gesundheitswirtschaft" in svg


def test_pdf_and_single_period_and_many_series(tmp_path: Path) -> None:
    many = {f"Thema {i}: Förderung": [0.1 * i] for i in range(14)}
    assert stacked_area_chart(["2020"], many, title="T", y_label="Anteil", output=tmp_path / "m.pdf",
                              docs_per_x=[1]).read_bytes()[:4] == b"%PDF"
    assert line_chart(["2020"], {"a": [1.0]}, title="T", y_label="y", output=tmp_path / "one.png").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"output": "chart.jpg"}, "must end in"),
        ({"series": {"a": [1.0]}}, "has 1 values for 4 periods"),
        ({"series": {}}, "nothing to draw"),
        ({"output": "no/such/folder/chart.png"}, "does not exist"),
        ({"docs_per_x": [1, 2]}, "docs_per_x"),
    ],
)
def test_bad_input_raises_chart_error(kwargs, message, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = {"series": SERIES, "title": "T", "y_label": "y", "output": "chart.png", **kwargs}
    with pytest.raises(ChartError, match=message):
        line_chart(PERIODS, **args)


def test_sparkline_heights_and_gaps() -> None:
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7], unicode=True) == BLOCK_LEVELS
    assert sparkline([0, None, 7], unicode=True) == "▁ █"
    assert sparkline([0, float("nan"), 7], unicode=False) == "_ #"
    assert sparkline([3, 3, 3], unicode=True) == "███"  # the scale starts at zero
    assert sparkline([0, 0], unicode=True) == "▁▁"
    assert sparkline([], unicode=True) == ""
    assert sparkline([None, None], unicode=True) == "  "
    assert sparkline([0, 1, 2], high=70, unicode=True) == "▁▂▂"  # rare is not absent, and stays small
    assert len(ASCII_LEVELS) == len(BLOCK_LEVELS)


def test_sparklines_align_and_share_a_scale() -> None:
    lines = sparklines({"Cluster": [1, 2, 8], "Förderung": [1, 1, 2]}, shared_scale=True, unicode=True)
    start = len("Förderung") + 2
    assert lines[0][start:start + 3] == "▂▃█" and lines[1][start:start + 3] == "▂▂▃"
    assert lines[0].endswith("1.0–8.0") and lines[1].endswith("1.0–2.0")
    assert sparklines({"a": [None]}, unicode=False) == ["a     no data"]


def test_unicode_detection_follows_the_stream_encoding() -> None:
    assert supports_unicode(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert not supports_unicode(io.TextIOWrapper(io.BytesIO(), encoding="latin-1"))
    assert not supports_unicode(io.TextIOWrapper(io.BytesIO(), encoding="ascii"))


def test_terminal_text_never_fails_on_narrow_terminals() -> None:
    line = "„Förderung“ · 1995–1999 … ▁▄█ ×"
    assert terminal_text(line, io.TextIOWrapper(io.BytesIO(), encoding="utf-8")) == line
    latin = terminal_text(line, io.TextIOWrapper(io.BytesIO(), encoding="latin-1"))
    assert latin == '"Förderung" - 1995-1999 ... _~# x'
    assert terminal_text(line, io.TextIOWrapper(io.BytesIO(), encoding="ascii")) == '"Foerderung" - 1995-1999 ... _~# x'
    assert terminal_text("Ǆ", io.TextIOWrapper(io.BytesIO(), encoding="ascii")) == "?"
