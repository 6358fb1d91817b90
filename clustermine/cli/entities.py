"""Commands about entities: the ``entities`` overview and ``rebuild``."""

from __future__ import annotations

import sys

import click

from clustermine.cli.app import cli
from clustermine.cli.common import (
    LazyProgress,
    Settings,
    check_index_backend,
    emit_json,
    gazetteer_options,
    index_backend_option,
    json_option,
    parse_years,
    render_table,
)
from clustermine.model import DOCTYPES, ENTITY_KINDS


@cli.command()
@click.option("--kind", type=click.Choice(ENTITY_KINDS, case_sensitive=False), help="Only entities of this kind.")
@click.option("--top", type=click.IntRange(1), default=30, show_default=True, help="How many entities to list.")
@click.option("--type", "doctype", type=click.Choice(DOCTYPES), help="Only documents of this type.")
@click.option("--years", callback=parse_years, help="Only documents of these years, e.g. 2005-2015.")
@json_option
@click.pass_obj
def entities(settings: Settings, kind: str | None, top: int, doctype: str | None, years: tuple[int, int] | None,
             as_json: bool) -> None:
    """Count regions, clusters, programmes and organisations: documents and mentions per canonical name.

    \b
    Example:
      clustermine entities --kind PROGRAM --years 2007-2013
      clustermine entities --kind CLUSTER --type council_paper --top 10
    """
    from clustermine.corpus import entity_settings

    with settings.store() as store:
        rows = store.entity_counts(kind=kind.upper() if kind else None, doctype=doctype, years=years, top=top)
        stale = len(store.ids_needing_entities(entity_settings(store).fingerprint()))
    if stale and not settings.quiet:
        click.echo(f"Note: {stale} documents have entities from older gazetteers or settings; "
                   "run 'clustermine rebuild' to update them.", err=True)
    if as_json:
        emit_json(rows)
        return
    render_table(rows, ["kind", "documents", "mentions", "id", "canonical"])


@cli.command()
@click.option("--all", "force", is_flag=True, help="Annotate every document again, not only out-of-date ones.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes (default: all cores).")
@click.option("--wait", type=click.FloatRange(0), default=0.0, help="Seconds to wait if another run is writing.")
@index_backend_option
@gazetteer_options
@json_option
@click.pass_obj
def rebuild(settings: Settings, force: bool, jobs: int | None, wait: float, gazetteers: tuple[str, ...],
            persons: bool | None, as_json: bool, index_backend: str | None = None) -> None:
    """Recompute what clustermine derives from the stored texts (entities, search index), no files read.

    Entities are redone only for documents whose results are out of date (new gazetteer, changed settings,
    newer clustermine), unless --all is given; the search index is re-created from the store and swapped in
    atomically. An interrupted rebuild continues when run again.

    \b
    Example:
      clustermine rebuild --gazetteer meine_netzwerke.tsv
      clustermine rebuild --all
      clustermine rebuild --index-backend tantivy
    """
    from clustermine.corpus import update_entity_settings
    from clustermine.corpus.rebuild import rebuild_entities
    from clustermine.index import sync_index

    check_index_backend(index_backend)
    with settings.store() as store, store.writer_lock(wait=wait):
        entity_settings = update_entity_settings(store, gazetteers=gazetteers, persons=persons)
        with LazyProgress(settings, "Finding entities") as bar:
            report = rebuild_entities(store, entity_settings, force=force, jobs=jobs, on_start=bar.start,
                                      on_document=bar.advance)
        if not report.interrupted:
            with LazyProgress(settings, "Indexing") as bar:  # re-created from the store, swapped in atomically
                sync_index(store, rebuild=True, on_start=bar.start, on_document=bar.advance,
                           backend=index_backend)
    for doc_id, reason in report.failed:
        click.echo(f"FAILED {doc_id}: {reason}", err=True)
    if as_json:
        emit_json({"annotated": report.annotated, "failed": [{"id": i, "reason": r} for i, r in report.failed],
                   "interrupted": report.interrupted})
    else:
        click.echo(f"{report.annotated} documents annotated, {len(report.failed)} failed")
    if report.interrupted:
        click.echo("Interrupted. Run the same command again to continue where it stopped.", err=True)
        sys.exit(130)
    if report.failed:
        sys.exit(1)
