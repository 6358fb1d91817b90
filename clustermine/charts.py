"""Charts for papers and quick looks in the terminal: one place, plain data in, a file or a string out.

Two kinds of output, because researchers need both:

- files for a paper — :func:`line_chart` (a few series over periods, e.g. term frequencies) and
  :func:`stacked_area_chart` (parts of a whole over periods, e.g. topic shares). PNG, SVG or PDF, chosen by the
  suffix of the output path. Axes are labelled, there is a legend, German labels render right (SVG keeps text as
  text, so „Clusterförderung“ stays searchable and editable), and periods resting on few documents are marked so
  nobody over-reads them;
- strings for the terminal — :func:`sparkline` and :func:`sparklines` (``▁▂▃▄▅▆▇█``), falling back to ASCII on
  terminals that cannot print those blocks, and :func:`terminal_text` to make any line printable there.

All functions take plain Python data (labels, a mapping of series name → values), so any command can use them:
``trends`` and ``topics`` do. matplotlib is imported inside the drawing functions and only its object-oriented
API is used (a ``Figure`` rendered by the Agg canvas, never ``pyplot``), so importing this module is instant,
no window ever opens and no global plotting state leaks between calls.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from clustermine.errors import ClustermineError

__all__ = [
    "ASCII_LEVELS",
    "BLOCK_LEVELS",
    "CHART_FORMATS",
    "THIN_BELOW",
    "ChartError",
    "line_chart",
    "sparkline",
    "sparklines",
    "stacked_area_chart",
    "supports_unicode",
    "terminal_text",
]

#: Output formats, by file suffix.
CHART_FORMATS: tuple[str, ...] = (".png", ".svg", ".pdf")
#: A period with fewer documents than this is "thin": marked in charts and tables.
THIN_BELOW = 5
#: Sparkline levels, lowest first.
BLOCK_LEVELS = "▁▂▃▄▅▆▇█"
#: The same eight levels in ASCII, for terminals that cannot print block characters.
ASCII_LEVELS = "_.-~=+*#"

_MISSING_UNICODE = " "
_MISSING_ASCII = " "
_DPI = 200
_MANY_SERIES = 10  # more series than this: a colour map with more colours, legend beside the plot


class ChartError(ClustermineError, ValueError):
    """Data or an output path a chart cannot be made from (unknown suffix, mismatched lengths, no data)."""


# ------------------------------------------------------------------------------------------------- terminal


def supports_unicode(stream: IO[str] | None = None) -> bool:
    """Whether ``stream`` (stdout by default) can print the block characters of a sparkline.

    Decided by its declared encoding: a UTF-8 terminal can, a Latin-1 or ASCII one (old Windows consoles,
    ``LANG=C``) cannot, and gets the ASCII levels instead of mojibake.
    """
    stream = stream if stream is not None else sys.stdout
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        (BLOCK_LEVELS + "–…").encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


_TYPOGRAPHY = str.maketrans({
    "„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "·": "-",
    "×": "x", "→": "->", **dict(zip(BLOCK_LEVELS, ASCII_LEVELS, strict=True)),
})


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def terminal_text(text: str, stream: IO[str] | None = None) -> str:
    """``text`` as ``stream`` (stdout by default) can print it: unchanged on UTF-8; elsewhere typographic quotes,
    dashes, ellipses and sparkline blocks become ASCII; umlauts stay on Latin-1 terminals and are spelt out on
    ASCII ones ("ae"), and anything else unprintable becomes ``?``. Use it for every line a command prints, so
    no terminal ever gets a traceback."""
    stream = stream if stream is not None else sys.stdout
    if supports_unicode(stream):
        return text
    encoding = getattr(stream, "encoding", None) or "ascii"
    plain = text.translate(_TYPOGRAPHY)
    try:
        plain.encode(encoding)
        return plain
    except UnicodeEncodeError:
        plain = plain.translate(_UMLAUTS)  # an ASCII terminal: "Förderung" → "Foerderung", still readable
    except LookupError:
        encoding = "ascii"
        plain = plain.translate(_UMLAUTS)
    return plain.encode(encoding, errors="replace").decode(encoding)


def sparkline(
    values: Sequence[float | None],
    *,
    low: float | None = None,
    high: float | None = None,
    unicode: bool | None = None,
) -> str:
    """One character per value, its height proportional to the value: ``[0, 2, 5, 9]`` → ``"▁▂▄█"``.

    The scale runs from ``low`` (default: 0, or the smallest value if any is negative) to ``high`` (default:
    the largest value), so a zero is always the lowest bar and two sparklines drawn with the same ``high``
    can be compared by eye; any value above ``low`` gets at least the second level, so "rare" never looks
    like "absent". ``None`` or NaN (no data for that period, e.g. no documents) prints a blank, which
    is different from a true zero (``▁``). ``unicode=None`` asks :func:`supports_unicode` about stdout.
    """
    levels = BLOCK_LEVELS if (supports_unicode() if unicode is None else unicode) else ASCII_LEVELS
    missing = _MISSING_UNICODE if levels is BLOCK_LEVELS else _MISSING_ASCII
    numbers = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if not numbers:
        return missing * len(values)
    bottom = low if low is not None else min(0.0, min(numbers))
    top = high if high is not None else max(numbers)
    span = top - bottom
    out = []
    for value in values:
        if value is None or math.isnan(float(value)):
            out.append(missing)
            continue
        share = 0.0 if span <= 0 else min(1.0, max(0.0, (float(value) - bottom) / span))
        index = round(share * (len(levels) - 1))
        out.append(levels[max(1, index) if share > 0 else 0])  # any occurrence stands above a true zero
    return "".join(out)


def sparklines(
    series: Mapping[str, Sequence[float | None]],
    *,
    shared_scale: bool = False,
    unicode: bool | None = None,
    value_format: str = "{:.1f}",
) -> list[str]:
    """Aligned lines ``name  ▁▂▅█  0.0–9.3``, one per series, for a quick look at several curves.

    With ``shared_scale`` all lines use the largest value of all series as their top, so their heights compare
    across lines (use it for terms measured in the same unit); otherwise each line fills its own height and
    shows only its shape. The range printed after each line is that series' own minimum and maximum.
    """
    if not series:
        return []
    use_unicode = supports_unicode() if unicode is None else unicode
    dash = "–" if use_unicode else "-"
    finite = {name: [float(v) for v in vals if v is not None and not math.isnan(float(v))]
              for name, vals in series.items()}
    top = max((max(v) for v in finite.values() if v), default=0.0) if shared_scale else None
    width = max(len(name) for name in series)
    lines = []
    for name, values in series.items():
        line = sparkline(values, high=top, unicode=use_unicode)
        numbers = finite[name]
        scale = (f"{value_format.format(min(numbers))}{dash}{value_format.format(max(numbers))}"
                 if numbers else "no data")
        lines.append(f"{name.ljust(width)}  {line}  {scale}")
    return lines


# ------------------------------------------------------------------------------------------------ files


def line_chart(
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    y_label: str,
    output: str | Path,
    x_label: str | None = None,
    docs_per_x: Sequence[int] | None = None,
    thin_below: int = THIN_BELOW,
    note: str | None = None,
) -> Path:
    """Draw one line per series over the periods ``x_labels`` and write it to ``output``; returns the path.

    ``series`` maps a legend label (e.g. ``"Cluster (alone)"``) to one value per x label, in the same order;
    ``None`` leaves a gap. ``docs_per_x`` (documents per period, optional) marks thin periods: where it is
    below ``thin_below`` the markers are hollow and a note under the chart says so. ``note`` adds your own line
    there (e.g. the query the chart was made from). The format follows the suffix: ``.png`` (200 dpi),
    ``.svg`` (text kept as text) or ``.pdf``. Raises :class:`ChartError` for an unknown suffix or series
    whose length differs from ``x_labels``.
    """
    path, fmt = _check(x_labels, series, output)
    thin = _thin_mask(x_labels, docs_per_x, thin_below)
    with _rc():
        fig, ax = _figure(len(series))
        colours = _colours(len(series))
        positions = list(range(len(x_labels)))
        for (name, values), colour in zip(series.items(), colours, strict=True):
            ys = [math.nan if v is None else float(v) for v in values]
            ax.plot(positions, ys, color=colour, linewidth=1.8, label=name, zorder=2)
            full = [(x, y) for x, y, t in zip(positions, ys, thin, strict=True) if not t]
            hollow = [(x, y) for x, y, t in zip(positions, ys, thin, strict=True) if t]
            if full:
                ax.plot(*zip(*full, strict=True), linestyle="none", marker="o", markersize=4.5, color=colour,
                        zorder=3)
            if hollow:
                ax.plot(*zip(*hollow, strict=True), linestyle="none", marker="o", markersize=5.5,
                        markerfacecolor="white", markeredgecolor=colour, markeredgewidth=1.4, zorder=3)
        ax.set_ylim(bottom=0)
        notes = [f"Hollow markers: fewer than {thin_below} documents in the period."] if any(thin) else []
        _finish(fig, ax, x_labels, title=title, x_label=x_label, y_label=y_label, n_series=len(series),
                notes=notes + ([note] if note else []))
        _save(fig, path, fmt)
    return path


def stacked_area_chart(
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    y_label: str,
    output: str | Path,
    x_label: str | None = None,
    docs_per_x: Sequence[int] | None = None,
    thin_below: int = THIN_BELOW,
    note: str | None = None,
) -> Path:
    """Stack the series on top of each other over the periods ``x_labels`` and write the chart to ``output``.

    Made for shares of a whole (topic shares per period, which add up to 1 or 100 %): the first series lies
    at the bottom and the legend lists the series in the same order as the stack, top of the legend = top of
    the stack. ``None`` counts as 0. Pass the values as they should be drawn: the chart does not normalise
    them, so a y label such as ``"share of words (%)"`` stays true. Thin periods (``docs_per_x`` below
    ``thin_below``) get a hatched grey band and a note under the chart. Formats and errors as
    :func:`line_chart`; returns the path written.
    """
    path, fmt = _check(x_labels, series, output)
    thin = _thin_mask(x_labels, docs_per_x, thin_below)
    with _rc():
        fig, ax = _figure(len(series))
        positions = list(range(len(x_labels)))
        values = [[0.0 if v is None or math.isnan(float(v)) else float(v) for v in vals] for vals in series.values()]
        if len(positions) == 1:  # an area needs two periods; one period becomes one stacked bar
            bottom = 0.0
            for name, vals, colour in zip(series, values, _colours(len(series)), strict=True):
                ax.bar(positions, vals, bottom=bottom, width=0.5, color=colour, label=name, alpha=0.9)
                bottom += vals[0]
        else:
            ax.stackplot(positions, values, labels=list(series), colors=_colours(len(series)), alpha=0.9,
                         linewidth=0.4, edgecolor="white")
        left, right = (0, len(x_labels) - 1) if len(x_labels) > 1 else (-0.5, 0.5)
        for x, is_thin in enumerate(thin):
            if is_thin:
                # a veil over the period: the stack stays readable, the doubt is visible
                ax.axvspan(max(left, x - 0.5), min(right, x + 0.5), facecolor=(1, 1, 1, 0.45),
                           edgecolor="0.55", hatch="//", linewidth=0, zorder=3)
        ax.set_xlim(left, right)
        ax.set_ylim(bottom=0)
        notes = [f"Hatched: fewer than {thin_below} documents in the period."] if any(thin) else []
        handles, labels = ax.get_legend_handles_labels()
        _finish(fig, ax, x_labels, title=title, x_label=x_label, y_label=y_label, n_series=len(series),
                notes=notes + ([note] if note else []), legend=(handles[::-1], labels[::-1]))
        _save(fig, path, fmt)
    return path


# ------------------------------------------------------------------------------------------------ helpers


def _check(x_labels: Sequence[str], series: Mapping[str, Sequence[float | None]],
           output: str | Path) -> tuple[Path, str]:
    path = Path(output)
    fmt = path.suffix.lower()
    if fmt not in CHART_FORMATS:
        raise ChartError(
            f"chart file must end in {', '.join(CHART_FORMATS)}. Got {str(path)!r} instead.",
            hint="e.g. --plot trends.png or --plot trends.svg",
        )
    if not x_labels or not series:
        raise ChartError("nothing to draw: no periods or no series")
    for name, values in series.items():
        if len(values) != len(x_labels):
            raise ChartError(f"series {name!r} has {len(values)} values for {len(x_labels)} periods")
    if not path.parent.exists():
        raise ChartError(f"the folder of the chart file {str(path)!r} does not exist", hint="create it first")
    return path, fmt.lstrip(".")


def _thin_mask(x_labels: Sequence[str], docs_per_x: Sequence[int] | None, thin_below: int) -> list[bool]:
    if docs_per_x is None:
        return [False] * len(x_labels)
    if len(docs_per_x) != len(x_labels):
        raise ChartError(f"docs_per_x has {len(docs_per_x)} values for {len(x_labels)} periods")
    return [n < thin_below for n in docs_per_x]


def _rc() -> Any:
    import matplotlib

    return matplotlib.rc_context({
        "svg.fonttype": "none",  # text stays text: searchable, editable, umlauts intact
        "svg.hashsalt": "clustermine",  # stable ids, so the same data gives the same file
        "pdf.fonttype": 42,  # embed TrueType, so umlauts survive copy and paste from the PDF
        "font.family": "DejaVu Sans",  # ships with matplotlib and covers German
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "0.9",
        "grid.linewidth": 0.6,
        "axes.axisbelow": True,
    })


def _figure(n_series: int) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    width = 7.5 if n_series <= _MANY_SERIES else 9.5  # room for a legend beside the plot
    fig = Figure(figsize=(width, 4.2), layout="constrained")
    return fig, fig.add_subplot()


def _colours(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


def _finish(fig: Any, ax: Any, x_labels: Sequence[str], *, title: str, x_label: str | None, y_label: str,
            n_series: int, notes: list[str], legend: tuple[list[Any], list[str]] | None = None) -> None:
    ax.set_title(title, loc="left", fontsize=11)
    ax.set_ylabel(y_label)
    if x_label:
        ax.set_xlabel(x_label)
    positions = list(range(len(x_labels)))
    step = max(1, math.ceil(len(x_labels) / 20))  # at most ~20 tick labels
    longest = max(len(str(label)) for label in x_labels)
    ax.set_xticks(positions[::step], [str(label) for label in x_labels][::step],
                  rotation=45 if longest * len(positions[::step]) > 70 else 0,
                  ha="right" if longest * len(positions[::step]) > 70 else "center")
    handles, labels = legend if legend is not None else ax.get_legend_handles_labels()
    if n_series > _MANY_SERIES:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    else:
        ax.legend(handles, labels, loc="best", frameon=False)
    if notes:
        fig.supxlabel("\n".join(notes), x=0.01, ha="left", fontsize=7.5, color="0.35")


def _save(fig: Any, path: Path, fmt: str) -> None:
    metadata: dict[str, Any] = {"Date": None} if fmt in ("svg", "pdf") else {}
    try:
        fig.savefig(path, format=fmt, dpi=_DPI, metadata=metadata or None)
    except OSError as exc:
        raise ChartError(f"cannot write the chart to {str(path)!r}: {exc.strerror or exc}") from None
