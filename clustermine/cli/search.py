"""Commands that find documents: ``search`` and ``similar``."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import click

from clustermine.cli.app import cli
from clustermine.cli.common import Settings, emit_json, json_option, parse_years
from clustermine.model import DOCTYPES

_MARK = re.compile(r"\[\[(.+?)\]\]")


def search_options(func: Any) -> Any:
    """The filters shared by every command that takes a query (search now; export and trends later)."""
    options = [
        click.option("--type", "doctypes", multiple=True, type=click.Choice(DOCTYPES),
                     help="Only documents of this type (repeatable)."),
        click.option("--years", callback=parse_years, help="Only documents of these years, e.g. 2010-2015."),
        click.option("--region", "regions", multiple=True,
                     help="Only documents about this region (name or id; includes what lies inside it)."),
        click.option("--no-subregions", is_flag=True, help="With --region: only direct mentions of the region."),
        click.option("--cluster", "clusters", multiple=True, help="Only documents mentioning this cluster."),
        click.option("--program", "programs", multiple=True, help="Only documents mentioning this programme."),
        click.option("--org", "orgs", multiple=True, help="Only documents mentioning this organisation."),
        click.option("--body", "bodies", multiple=True,
                     help="Only council papers of this council or district (e.g. Karlsruhe; repeatable)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_filters(options: dict[str, Any]) -> Any:
    from clustermine.index import SearchFilters

    return SearchFilters(
        doctypes=tuple(options.get("doctypes") or ()),
        years=options.get("years"),
        regions=tuple(options.get("regions") or ()),
        clusters=tuple(options.get("clusters") or ()),
        programs=tuple(options.get("programs") or ()),
        orgs=tuple(options.get("orgs") or ()),
        include_subregions=not options.get("no_subregions"),
        bodies=tuple(options.get("bodies") or ()),
    )


def ensure_index(settings: Settings, store: Any) -> None:
    """Build the index when it is missing or was built by another clustermine version (sync rebuilds then)."""
    from clustermine.index import index_path, sync_index
    from clustermine.index.engine import open_searcher
    from clustermine.index.storage import IndexOutdatedError

    try:
        if index_path(store.home).exists():
            with open_searcher(store.home):
                return
    except IndexOutdatedError:
        pass
    if not settings.quiet:
        click.echo("Building the search index (first use or a new clustermine version) …", err=True)
    with store.writer_lock(wait=60):
        sync_index(store)


@cli.command()
@click.argument("query", nargs=-1)
@search_options
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Which page of hits.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="Order by relevance or by date (newest first).")
@click.option("--all-versions", is_flag=True, help="Show near-duplicates separately instead of collapsing them.")
@click.option("--explain", is_flag=True, help="Show which terms, stems, compound parts and fields matched.")
@click.option("--batch", "batch_file", type=click.Path(path_type=Path),
              help="Run every query of this file (one per line, or a CSV with label and query columns).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the hits as one tidy CSV to this file instead of the tables on stdout.")
@json_option
@click.pass_obj
def search(settings: Settings, query: tuple[str, ...], limit: int, page: int, sort: str, all_versions: bool,
           explain: bool, batch_file: Path | None, output: Path | None, as_json: bool, **filters: Any) -> None:
    """Search the corpus. German-aware: inflections, umlaut spellings and compounds meet.

    Query syntax: words (all must match), "exact phrase", OR, NOT, prefix*, fuzzy~, and fields such as
    type:council_paper year:2010..2015 region:Mettmann cluster:BioRiver program:EFRE title:… resolution:….

    With --batch FILE every query of the file is run with the same options; -o FILE.csv keeps the hits.

    \b
    Example:
      clustermine search Clusterförderung --region "Kreis Mettmann"
      clustermine search '"Wachstums- und Beschäftigungspakt" NOT Dortmund' --type council_paper --years 2003-2010
      clustermine search --batch queries.txt --type council_paper -n 20 -o hits.csv
    """
    from clustermine.index.engine import search as run_search

    text = " ".join(query).strip()
    if batch_file is not None:
        _batch(settings, batch_file, text, explain=explain, output=output, as_json=as_json, filters=build_filters(
            filters), limit=limit, page=page, sort=sort, collapse=not all_versions)
        return
    if not text and not any(filters.values()):
        raise click.UsageError("give a query or at least one filter (e.g. --region Mettmann)")
    with settings.store() as store:
        ensure_index(settings, store)
        result = run_search(store, text, filters=build_filters(filters), limit=limit, page=page, sort=sort,
                            collapse=not all_versions, explain=explain)
    if output is not None:
        from clustermine.cli.batch import hit_rows, write_rows

        write_rows(settings, hit_rows("", text, result), output, 1)
    if as_json:
        emit_json(result.to_dict())
    elif output is None:
        render_result(result, explain=explain)


def _batch(settings: Settings, batch_file: Path, text: str, *, explain: bool, output: Path | None, as_json: bool,
           **options: Any) -> None:
    """``search --batch``: every query of the file, one table (or rows) each; exit 1 if any query failed."""
    from clustermine.cli.batch import read_batch, run_batch

    if text:
        raise click.UsageError("give either a query or --batch FILE, not both")
    if explain:
        raise click.UsageError("--explain works on one query; run the query of interest on its own")
    queries = read_batch(batch_file)
    with settings.store() as store:
        ensure_index(settings, store)
        ok = run_batch(settings, store, queries, output=output, as_json=as_json, **options)
    if not ok:
        sys.exit(1)


@cli.command()
@click.argument("doc_id")
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many.")
@json_option
@click.pass_obj
def similar(settings: Settings, doc_id: str, limit: int, as_json: bool) -> None:
    """Documents most like this one (more like this: the same key terms).

    \b
    Example:
      clustermine similar 3f2a9c --limit 5
    """
    from clustermine.index import similar as run_similar

    with settings.store() as store:
        ensure_index(settings, store)
        result = run_similar(store, store.resolve_id(doc_id), limit=limit)
    if as_json:
        emit_json(result.to_dict())
        return
    render_result(result, explain=False)


def highlight(snippet: str) -> str:
    return _MARK.sub(lambda m: click.style(m.group(1), bold=True, fg="yellow"), snippet)


def render_result(result: Any, *, explain: bool) -> None:
    pages = max(1, -(-result.total // result.limit))
    quoted = f"„{result.query}“" if result.query else "the filters"
    if getattr(result, "corrected_from", None):
        click.echo(f"No results for „{result.corrected_from}“; showing results for „{result.query}“ instead.")
    click.echo(f"{result.total} results for {quoted}" + (f" (page {result.page} of {pages})" if pages > 1 else ""))
    if getattr(result, "any_words", False):
        click.echo("No document has all the words; showing documents with the most of them.")
    if result.suggestion and not getattr(result, "corrected_from", None):
        click.echo(f"Did you mean: {result.suggestion}")
    for hit in result.hits:
        click.echo()
        click.echo(click.style(f"{hit.rank:>3}. {hit.title or '(untitled)'}", bold=True))
        click.echo(f"     {hit.date or 'undated'} · {hit.doctype} · score {hit.score:.2f} · id {hit.id}")
        if hit.council:
            parts = [hit.council.get(k) for k in ("paper_type", "number", "committee", "meeting_date")]
            line = " · ".join(str(p) for p in parts if p)
            if line:
                click.echo(f"     {line}")
        if hit.snippet:
            click.echo(f"     {highlight(hit.snippet)}")
        click.echo(f"     {hit.source}")
        if hit.duplicates:
            click.echo(f"     + {len(hit.duplicates)} near-duplicate(s): {', '.join(hit.duplicates)}")
        if explain and hit.explanation:
            for line in explanation_lines(hit.explanation):
                click.echo(f"     ? {line}")
    if result.facets:
        click.echo()
        for name, values in result.facets.items():
            if values:
                shown = ", ".join(f"{v['label']} {v['count']}" for v in values[:8])
                click.echo(f"{name + ':':<10}{shown}")


def explanation_lines(explanation: dict[str, Any]) -> list[str]:
    lines = []
    for term in explanation.get("terms", []):
        detail = ", ".join(str(m) for m in term.get("matched", []))
        parts = term.get("parts")
        text = f"{term.get('query')}: {detail or 'no direct match'}"
        if parts and len(parts) > 1:
            text += f"  (compound: {' + '.join(parts)})"
        lines.append(text)
    if "fields" in explanation:
        lines.append("fields: " + ", ".join(f"{k} {v}" for k, v in explanation["fields"].items()))
    return lines
