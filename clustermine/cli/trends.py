"""Commands about vocabulary over time: ``trends`` (frequencies, emerging terms) and ``concordance``."""

from __future__ import annotations

from typing import Any

import click

from clustermine.cli.app import cli
from clustermine.cli.common import LazyProgress, Settings, emit_json, json_option, render_table
from clustermine.cli.search import build_filters, ensure_index, search_options

BY_CHOICES = ("year", "doctype", "region")


def _periods_option(ctx: click.Context, param: click.Parameter, value: str | None) -> list[tuple[int, int]] | None:
    if value is None:
        return None
    from clustermine.pipeline.trends import parse_periods

    try:
        return parse_periods(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def selection_options(func: Any) -> Any:
    """``--query`` plus the search filters and ``--all-versions``: which documents a command works on."""
    func = click.option("--all-versions", is_flag=True,
                        help="Count every near-duplicate version (default: only the newest of each group).")(func)
    func = search_options(func)
    return click.option("--query", default=None, metavar="TEXT",
                        help="Only documents matching this search query (same syntax as 'search').")(func)


def select_documents(settings: Settings, store: Any, query: str | None, filters: dict[str, Any],
                     all_versions: bool) -> list[str] | None:
    """The ids of the documents the command works on, None for "every document" (no query, no filters).

    Selection goes through the search index, built first if needed, so a query means exactly what it means
    in 'search'. Near-duplicates are reduced to their newest version unless ``all_versions``.
    """
    from clustermine.index import select_ids
    from clustermine.pipeline.trends import one_per_version

    text = (query or "").strip()
    ids: list[str] | None = None
    if text or any(filters.values()):
        ensure_index(settings, store)
        ids = select_ids(store, text, filters=build_filters(filters))
    if all_versions:
        return ids
    everything = ids if ids is not None else [row[0] for row in store.conn.execute("SELECT id FROM documents")]
    kept = one_per_version(store, everything)
    return None if ids is None and len(kept) == len(everything) else kept


def count_terms_first(settings: Settings, store: Any) -> None:
    """Count the terms of documents that have no counts yet (the first time: the whole corpus), with progress."""
    from clustermine.pipeline.termmatrix import sync_terms

    with LazyProgress(settings, "Counting terms") as bar:
        sync_terms(store, on_start=bar.start, on_document=bar.advance, wait=30)


def note(settings: Settings, text: str) -> None:
    if not settings.quiet:
        import sys

        from clustermine.charts import terminal_text

        click.echo(terminal_text(f"Note: {text}", sys.stderr), err=True)


@cli.command()
@click.argument("terms", nargs=-1, metavar="TERM...")
@click.option("--by", type=click.Choice(BY_CHOICES), default="year", show_default=True,
              help="Rows per year (or period), per document type, or per region (rolled up the hierarchy).")
@click.option("--bin", "bin_years", type=click.IntRange(1, 100), default=1, show_default=True,
              help="With --by year: periods of N years (e.g. 5).")
@click.option("--periods", callback=_periods_option, metavar="A-B,C-D,...",
              help="Your own periods, e.g. 1995-2005,2006-2015,2016-2025.")
@click.option("--include-undated", is_flag=True, help="With --by year: add a row for documents without a date.")
@click.option("--emerging", is_flag=True, help="List rising, falling and new terms between periods instead.")
@click.option("--all-words", is_flag=True, help="With --emerging: all words, not only nouns and noun phrases.")
@click.option("--keep-places", is_flag=True, help="With --emerging: keep place names (left out by default).")
@click.option("--min-count", type=click.IntRange(1), default=5, show_default=True,
              help="With --emerging: occurrences a term needs in a period to be listed.")
@click.option("--min-docs", type=click.IntRange(1), default=2, show_default=True,
              help="With --emerging: documents a term needs in a period to be listed.")
@click.option("--top", type=click.IntRange(1), default=None,
              help="Regions shown with --by region (default 15); terms per list with --emerging (default 20).")
@selection_options
@click.option("--plot", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also draw a line chart: FILE.png, FILE.svg or FILE.pdf.")
@json_option
@click.pass_obj
def trends(settings: Settings, terms: tuple[str, ...], by: str, bin_years: int,
           periods: list[tuple[int, int]] | None, include_undated: bool, emerging: bool, all_words: bool,
           keep_places: bool, min_count: int, min_docs: int, top: int | None, query: str | None, all_versions: bool,
           plot: str | None, as_json: bool, **filters: Any) -> None:
    """How often terms occur over time: per 10,000 words and share of documents, per period.

    Inflected forms count (Kompetenzfelder = Kompetenzfeld), and occurrences inside compounds are counted
    separately ("Cluster" alone vs. in "Clusterpolitik"). A TERM can be a word, an adjective-noun phrase
    ("regionale Wirtschaftsförderung") or a prefix ("Cluster*": every word beginning with it). With
    --emerging: the terms that rose, fell or appeared between periods (weighted log-odds, z-scores).

    \b
    Example:
      clustermine trends Cluster Kompetenzfeld --bin 5
      clustermine trends Wasserstoff --query Strukturwandel --type council_paper --plot wasserstoff.png
      clustermine trends Cluster --by region --region NRW --top 10
      clustermine trends --emerging --periods 1995-2005,2006-2015,2016-2025 --top 15
    """
    _check_usage(terms, by, bin_years, periods, include_undated, emerging, all_words or keep_places, plot)
    with settings.store() as store:
        count_terms_first(settings, store)
        doc_ids = select_documents(settings, store, query, filters, all_versions)
        if emerging:
            from clustermine.pipeline.emerging import compute_emerging

            if periods is None and bin_years > 1:
                periods = _bins(store, doc_ids, bin_years, filters.get("years"))
            result = compute_emerging(store, doc_ids=doc_ids, periods=periods, top=top or 20,
                                      min_count=min_count, min_docs=min_docs, all_words=all_words,
                                      keep_places=keep_places)
        else:
            from clustermine.pipeline.trends import compute_trends

            result = compute_trends(store, terms, doc_ids=doc_ids, by=by, bin_years=bin_years, periods=periods,
                                    years=filters.get("years"), include_undated=include_undated,
                                    top_regions=top or 15)
    for text in result.notes:
        note(settings, text)
    if emerging:
        render_emerging(result, as_json=as_json)
        return
    if plot:
        path = draw_trends(result, plot, query=query, filters=filters)
        note(settings, f"chart written to {path}")
    if as_json:
        emit_json([row.to_dict() for row in result.rows])
        return
    render_trends(result)


def _check_usage(terms: tuple[str, ...], by: str, bin_years: int, periods: Any, include_undated: bool,
                 emerging: bool, emerging_only: bool, plot: str | None) -> None:
    if emerging and terms:
        raise click.UsageError("give terms or --emerging, not both (--emerging finds the terms itself)")
    if not emerging and not terms:
        raise click.UsageError("give one or more terms (e.g. clustermine trends Cluster), or --emerging")
    if by != "year" and (periods or bin_years > 1 or include_undated):
        raise click.UsageError("--periods, --bin and --include-undated only go with --by year")
    if periods and bin_years > 1:
        raise click.UsageError("give --periods or --bin, not both")
    if emerging and (by != "year" or include_undated or plot):
        raise click.UsageError("--emerging compares periods of time: it takes no --by, --include-undated or --plot")
    given = _given_on_command_line()
    if not emerging and (emerging_only or given & {"min_count", "min_docs"}):
        raise click.UsageError("--all-words, --keep-places, --min-count and --min-docs only go with --emerging")
    if "top" in given and not emerging and by != "region":
        raise click.UsageError("--top goes with --by region or --emerging")
    if plot and by != "year":
        raise click.UsageError("--plot draws lines over time; use it with --by year")
    if plot:
        from pathlib import Path

        from clustermine.charts import CHART_FORMATS

        if Path(plot).suffix.lower() not in CHART_FORMATS:
            raise click.BadParameter(f"must end in {', '.join(CHART_FORMATS)}. Got {plot!r} instead.",
                                     param_hint="--plot")


def _given_on_command_line() -> set[str]:
    """Names of the parameters the user typed (not defaults), to refuse options that would be ignored."""
    ctx = click.get_current_context()
    return {name for name in ctx.params if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE}


def _bins(store: Any, doc_ids: list[str] | None, size: int, years: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Periods of ``size`` years over the selection, as ``--bin`` makes them for trends."""
    from clustermine.pipeline.trends import document_meta, year_groups

    ids = doc_ids if doc_ids is not None else [r[0] for r in store.conn.execute("SELECT id FROM documents")]
    groups, _ = year_groups(document_meta(store, ids), bin_years=size, years=years)
    return [(g.start, g.end) for g in groups if g.start is not None and g.end is not None]


# ------------------------------------------------------------------------------------------------ rendering


def echo(text: str = "") -> None:
    """Print a line to stdout in a form the terminal can show (see ``charts.terminal_text``)."""
    from clustermine.charts import terminal_text

    click.echo(terminal_text(text))


def table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    from clustermine.charts import terminal_text

    render_table([{k: None if v is None else terminal_text(str(v)) for k, v in row.items()} for row in rows], columns)


def render_trends(result: Any) -> None:
    from clustermine.charts import sparklines, supports_unicode

    names = ", ".join(f"„{spec.text}“" for spec in result.terms)
    grouping = {"year": "period", "doctype": "document type", "region": "region"}[result.by]
    echo(f"{names} per 10,000 words, by {grouping} · {result.n_docs} documents, "
               f"{result.n_tokens:,} words")
    if result.by == "year" and len(result.groups) > 1:
        echo()
        for line in sparklines(result.series(), shared_scale=True, unicode=supports_unicode()):
            echo(line)
        first, last = result.groups[0].label, result.groups[-1].label
        echo(f"{'':{max(len(s.text) for s in result.terms)}}  {first} … {last}")
    echo()
    rows = []
    for row in result.rows:
        rows.append({
            "term": row.term,
            "period": row.period,
            "level": row.level,
            "per_10k": "–" if row.per_10k is None else f"{row.per_10k:.1f}",
            "alone": row.count_alone,
            "in_compounds": "–" if row.count_in_compounds is None else row.count_in_compounds,
            "docs": row.docs,
            "docs_in_period": row.docs_in_period,
            "share": "–" if row.share_docs is None else f"{row.share_docs:.0%}",
            "note": "thin" if row.thin else "",
        })
    heading = {"year": "period", "doctype": "type", "region": "region"}[result.by]
    for row in rows:
        row[heading] = row.pop("period")
        row[f"docs_in_{heading}"] = row.pop("docs_in_period")
    columns = ["term", heading] + (["level"] if result.by == "region" else [])
    columns += ["per_10k", "alone", "in_compounds", "docs", f"docs_in_{heading}", "share", "note"]
    table(rows, columns)
    from clustermine.charts import THIN_BELOW

    if any(row.thin for row in result.rows):
        echo(f"\nthin: fewer than {THIN_BELOW} documents in the {heading}; read with care.")
    if any(spec.kind == "prefix" for spec in result.terms):
        echo("A prefix counts words beginning with it; inside compounds it is not counted (in_compounds –).")


def render_emerging(result: Any, *, as_json: bool) -> None:
    if as_json:
        emit_json([row.to_dict() for row in result.rows])
        return
    settings = result.settings
    words = "all words" if settings["all_words"] else "nouns and noun phrases"
    words += "" if settings.get("keep_places") else " except place names"
    echo(f"Emerging terms: whole-word counts of {words}, at least {settings['min_count']} occurrences in "
               f"{settings['min_docs']} documents; z = weighted log-odds (informative Dirichlet prior)")
    for info in result.periods:
        echo()
        what = "characteristic terms compared with" if info.label == result.periods[0].label else "compared with"
        echo(click.style(f"{info.label}", bold=True)
                   + f" · {_plural(info.docs, 'document')}, {info.tokens:,} words · {what} {info.compared_with}")
        rows = [r for r in result.rows if r.period == info.label]
        if not rows:
            echo("  (no term meets the minimum; try --min-count 2 or a wider selection)")
            continue
        table([
            {
                "term": r.term,
                "direction": r.direction,
                "z": f"{r.z:+.2f}",
                "count": r.count,
                "before": "" if r.count_before is None else r.count_before,
                "per_10k": f"{r.per_10k:.1f}",
                "delta": "" if r.delta is None else f"{r.delta:+.1f}",
                "docs": r.docs,
                "new": "new" if r.new else "",
            }
            for r in rows
        ], ["term", "direction", "z", "count", "before", "per_10k", "delta", "docs", "new"])
        new = [r for r in rows if r.new]
        if new:
            echo("new: " + ", ".join(f"{r.term} ({r.count})" for r in new))


def draw_trends(result: Any, output: str, *, query: str | None, filters: dict[str, Any]) -> str:
    """A line chart of per-10k frequencies over the periods; one term also gets its alone/in-compounds lines."""
    from clustermine.charts import line_chart

    labels = [g.label.replace("-", "–") for g in result.groups]
    series: dict[str, list[Any]] = dict(result.series("per_10k"))
    if len(result.terms) == 1 and result.terms[0].counts_compounds:
        name = result.terms[0].text
        tokens = [row.tokens_in_period for row in result.rows]
        alone = [row.count_alone for row in result.rows]
        parts = [row.count_in_compounds or 0 for row in result.rows]
        series = {
            f"{name} (all)": series[name],
            f"{name} (alone)": [a / t * 10_000 if t else None for a, t in zip(alone, tokens, strict=True)],
            f"{name} (in compounds)": [p / t * 10_000 if t else None for p, t in zip(parts, tokens, strict=True)],
        }
    selection = _describe_selection(query, filters)
    path = line_chart(
        labels,
        series,
        title=", ".join(spec.text for spec in result.terms) + " over time",
        y_label="occurrences per 10,000 words",
        x_label="year" if all(g.start == g.end for g in result.groups) else "period",
        output=output,
        docs_per_x=result.docs_per_group(),
        note=f"{result.n_docs} documents{selection}; inflected forms included. Source: clustermine.",
    )
    return str(path)


def _describe_selection(query: str | None, filters: dict[str, Any]) -> str:
    parts = [f"query „{query}“"] if query else []
    for name, label in (("doctypes", "type"), ("regions", "region"), ("clusters", "cluster"),
                        ("programs", "programme"), ("orgs", "organisation")):
        values = filters.get(name) or ()
        if values:
            parts.append(f"{label} {', '.join(values)}")
    if filters.get("years"):
        first, last = filters["years"]
        parts.append(f"years {first}–{last}" if last != 9999 else f"from {first}")
    return (" · " + " · ".join(parts)) if parts else ""


# --------------------------------------------------------------------------------------------- concordance


@cli.command()
@click.argument("term", nargs=-1, required=True, metavar="TERM")
@selection_options
@click.option("--width", type=click.IntRange(10, 300), default=50, show_default=True,
              help="Characters of context on each side.")
@click.option("-n", "--limit", type=click.IntRange(1, 100_000), default=50, show_default=True,
              help="Lines to show at most (oldest first).")
@click.option("--no-compounds", is_flag=True, help="Only the word itself, not its occurrences inside compounds.")
@json_option
@click.pass_obj
def concordance(settings: Settings, term: tuple[str, ...], query: str | None, all_versions: bool, width: int,
                limit: int, no_compounds: bool, as_json: bool, **filters: Any) -> None:
    """Keyword in context: each occurrence of TERM in its sentence, oldest first.

    Finds what 'trends' counts: inflected forms (marked ~) and occurrences inside compounds (marked +), so a
    trend can be read in its sentences. TERM may be a word, an adjective-noun phrase or a prefix (Cluster*).

    \b
    Example:
      clustermine concordance Kompetenzfeld --years 1995-2005
      clustermine concordance Cluster --type council_paper --region Ruhrgebiet --width 40 --no-compounds
    """
    from clustermine.pipeline.concordance import concordance as run_concordance

    text = " ".join(term)
    with settings.store() as store:
        count_terms_first(settings, store)
        doc_ids = select_documents(settings, store, query, filters, all_versions)
        result = run_concordance(store, text, doc_ids=doc_ids, width=width, limit=limit,
                                 compounds=not no_compounds)
    for line in result.notes:
        note(settings, line)
    if as_json:
        emit_json(result.to_dict())
        return
    render_concordance(result, width)


def render_concordance(result: Any, width: int) -> None:
    where = "" if result.compounds or not result.term.counts_compounds else " (compounds left out)"
    echo(f"„{result.term.text}“: {_plural(result.total, 'occurrence')} in {_plural(result.docs, 'document')}"
               f"{where}"
               + (f"; showing the first {len(result.lines)} by date" if len(result.lines) < result.total else ""))
    if not result.lines:
        return
    marks = {"exact": " ", "form": "~", "compound": "+"}
    current = None
    for line in result.lines:
        if line.doc_id != current:
            current = line.doc_id
            echo()
            echo(click.style(f"{line.date or 'undated'} · {line.doctype} · {line.title or '(untitled)'}",
                                   bold=True) + f" · {line.doc_id[:8]}")
        match = click.style(line.match, bold=True, fg="yellow")
        echo(f"  {marks.get(line.kind, ' ')} {line.left:>{width}} {match} {line.right}")
    echo()
    echo("~ another form of the word · + inside a compound")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
