"""Commands that fill and inspect the corpus: add, ls, show, stats, duplicates, remove."""

from __future__ import annotations

import sys
from typing import Any

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
    render_table,
    validate_date,
)
from clustermine.model import DOCTYPES


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--type", "doctype", type=click.Choice(DOCTYPES), help="Set the document type of these files.")
@click.option("--date", callback=validate_date, help="Set the date of these files (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes (default: all cores).")
@click.option("--timeout", type=click.FloatRange(1), default=120.0, show_default=True,
              help="Seconds allowed for reading one file.")
@click.option("--memory-limit", type=click.IntRange(256), default=2048, show_default=True,
              help="Megabytes of memory allowed for reading one file.")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Read scanned PDF pages with OCR (Tesseract): pages without text (auto), all pages, or none.")
@click.option("--pdf-engine", type=click.Choice(["pdfium", "pdfminer"]), default=None,
              help="How PDFs are read: pdfium (default; fast, pdfminer takes over files it cannot read) or "
                   "pdfminer (pdfminer.six only).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Read the files on a Dask cluster (tcp://HOST:8786) instead of local processes; "
                   "needs pip install 'clustermine[dask]'.")
@click.option("--wait", type=click.FloatRange(0), default=0.0, help="Seconds to wait if another run is writing.")
@index_backend_option
@gazetteer_options
@json_option
@click.pass_obj
def add(settings: Settings, paths: tuple[str, ...], doctype: str | None, date: str | None, jobs: int | None,
        timeout: float, memory_limit: int, wait: float, gazetteers: tuple[str, ...], persons: bool | None,
        as_json: bool, ocr: str = "auto", pdf_engine: str | None = None, scheduler: str | None = None,
        index_backend: str | None = None) -> None:
    """Add files, folders (recursively) and glob patterns to the corpus.

    Re-running on the same folder only reads what is new or changed. Files that cannot be read are reported
    one line each; the others are added. Exit code 1 if any file failed.

    \b
    Example:
      clustermine add Vorlagen/ berichte/*.pdf
      clustermine add alte_scans/ --type council_paper --date 1998 --ocr always
      clustermine add Vorlagen/ --gazetteer meine_netzwerke.tsv
      clustermine add archiv/ --scheduler tcp://rechenknoten1:8786
      clustermine add grosses_archiv/ --index-backend tantivy
    """
    from clustermine.corpus import add_paths, update_entity_settings
    from clustermine.corpus.rebuild import rebuild_entities
    from clustermine.index import sync_index

    check_index_backend(index_backend)
    store = settings.store(create=True)
    try:
        entity_settings = update_entity_settings(store, gazetteers=gazetteers, persons=persons)

        def on_file(outcome: Any) -> None:
            if outcome.status == "failed":
                click.echo(f"FAILED {outcome.line()}", err=True)
            bar.advance()

        with LazyProgress(settings, "Reading") as bar:
            report = add_paths(store, list(paths), doctype=doctype, date=date, jobs=jobs, timeout=timeout,
                               memory_mb=memory_limit, wait=wait, entities=entity_settings,
                               on_start=bar.start, on_file=on_file, ocr=ocr, pdf_engine=pdf_engine,
                               scheduler=scheduler)
        if not report.interrupted:
            with store.writer_lock(wait=wait):
                # documents found with other gazetteers or settings are brought up to date, then the index
                with LazyProgress(settings, "Updating entities") as bar:
                    rebuild_entities(store, entity_settings, jobs=jobs, on_start=bar.start,
                                     on_document=bar.advance)
                with LazyProgress(settings, "Indexing") as bar:
                    sync_index(store, on_start=bar.start, on_document=bar.advance, backend=index_backend)
    finally:
        store.close()
    counts = report.counts()
    if as_json:
        emit_json({
            "counts": counts,
            "skipped_other_types": report.walk.skipped_other_types,
            "interrupted": report.interrupted,
            "files": [o.to_dict() for o in report.outcomes],
        })
    else:
        click.echo(", ".join(f"{n} {status}" for status, n in counts.items()))
        if report.walk.skipped_other_types and not settings.quiet:
            click.echo(f"({report.walk.skipped_other_types} files in folders were not documents and were skipped)",
                       err=True)
    if report.interrupted:
        click.echo("Interrupted. Run the same command again to continue where it stopped.", err=True)
        sys.exit(130)
    if report.failed:
        sys.exit(1)


@cli.command("ls")
@click.option("--type", "doctype", type=click.Choice(DOCTYPES), help="Only documents of this type.")
@click.option("--year", type=int, help="Only documents of this year.")
@json_option
@click.pass_obj
def ls_command(settings: Settings, doctype: str | None, year: int | None, as_json: bool) -> None:
    """List the documents in the corpus.

    \b
    Example:
      clustermine ls --type council_paper --year 2013
    """
    with settings.store() as store:
        rows = [r.to_dict() for r in store.list_rows(doctype=doctype, year=year)]
    if as_json:
        emit_json(rows)
        return
    render_table(rows, ["id", "date", "doctype", "format", "title"])
    if not settings.quiet:
        click.echo(f"{len(rows)} documents", err=True)


@cli.command()
@click.argument("doc_id")
@click.option("--text", "with_text", is_flag=True, help="Include the full text.")
@click.option("--entities", "with_entities", is_flag=True,
              help="Include the regions, clusters, programmes and organisations found in it.")
@json_option
@click.pass_obj
def show(settings: Settings, doc_id: str, with_text: bool, with_entities: bool, as_json: bool) -> None:
    """Show one document's metadata (the id may be shortened to its first characters).

    \b
    Example:
      clustermine show 3f2a9c --text
      clustermine show 3f2a9c --entities --json
    """
    with settings.store() as store:
        doc = store.get(doc_id)
        sources = store.sources_of(doc.id)
        duplicates = store.duplicates_of(doc.id)
    data = doc.to_dict(text=with_text)
    data.pop("entities", None)
    if with_entities:
        data["entities"] = [
            {"kind": e.kind, "text": e.text, "canonical": e.canonical, "start": e.start, "end": e.end, "id": e.id,
             "rule": e.rule, "sentence": doc.text[e.sentence_start : e.sentence_end].strip()
             if e.sentence_start >= 0 else None}
            for e in doc.entities
        ]
    data["sources"] = sources
    data["duplicates"] = duplicates
    data["sections"] = [
        {"name": s.name, "heading": s.heading, "start": s.start, **({"text": s.text} if with_text else {})}
        for s in doc.sections
    ]
    if as_json:
        emit_json(data)
        return
    _print_document(doc, sources, duplicates)
    if with_entities:
        _print_entities(doc.entities)
    if with_text:
        click.echo()
        click.echo(doc.text)


def _print_entities(found: Any) -> None:
    from collections import Counter

    by_kind: dict[str, Counter[str]] = {}
    for entity in found:
        by_kind.setdefault(entity.kind, Counter())[entity.canonical] += 1
    if not by_kind:
        click.echo("entities:     none found")
    for kind, counts in by_kind.items():
        listing = ", ".join(f"{name} ({n}×)" if n > 1 else name for name, n in counts.most_common())
        click.echo(f"{kind.lower() + ':':<14}{listing}")


def _print_document(doc: Any, sources: list[str], duplicates: list[dict[str, Any]]) -> None:
    lines: list[tuple[str, Any]] = [
        ("id", doc.id), ("title", doc.title), ("type", f"{doc.doctype}  (rule: {doc.doctype_rule})"),
        ("date", f"{doc.date or '-'}  (rule: {doc.date_rule or '-'})"), ("format", doc.format),
        ("pages", len(doc.pages)), ("characters", len(doc.text)), ("source", doc.source),
    ]
    lines += [("also at", s) for s in sources if s != doc.source]
    lines += [(k, v) for k, v in sorted(doc.info.items())]
    if doc.council:
        c = doc.council
        lines += [("paper number", c.number), ("paper type", c.paper_type), ("subject", c.subject),
                  ("department", c.department), ("body", c.body), ("outcome", c.outcome),
                  ("public", {True: "yes", False: "no"}.get(c.public))]
        for step in c.consultations:
            parts = [step.committee, step.date, step.role, step.outcome]
            lines.append(("consultation", " | ".join(p for p in parts if p)))
    lines += [("section", f"{s.name}: {s.heading}  ({len(s.text)} chars)") for s in doc.sections]
    lines += [("linked", f"{d['id']}  {d['kind']} ({d['similarity']:.2f})") for d in duplicates]
    lines += [("note", n) for n in doc.notes]
    for key, value in lines:
        if value not in (None, ""):
            click.echo(f"{key + ':':<14}{value}")


@cli.command()
@json_option
@click.pass_obj
def stats(settings: Settings, as_json: bool) -> None:
    """Summarise the corpus: documents by type, format and year, failures, duplicates.

    \b
    Example:
      clustermine stats --json
    """
    with settings.store() as store:
        data = store.stats()
        data["failed_files"] = store.failures()
    if as_json:
        emit_json(data)
        return
    click.echo(f"corpus:      {data['home']}")
    click.echo(f"documents:   {data['documents']}  ({data['pages']} pages, {data['characters']:,} characters)")
    click.echo(f"undated:     {data['undated']}")
    click.echo(f"duplicates:  {data['duplicate_links']} linked pairs")
    for title, key in (("by type", "by_doctype"), ("by format", "by_format")):
        click.echo(f"{title}:".ljust(13) + ", ".join(f"{k} {v}" for k, v in data[key].items()))
    years = data["by_year"]
    if years:
        click.echo("by year:     " + ", ".join(f"{k}: {v}" for k, v in years.items()))
    if data["failed_files"]:
        click.echo(f"failed:      {len(data['failed_files'])} files (last run's reasons):")
        for failure in data["failed_files"]:
            click.echo(f"  {failure['path']}: {failure['reason']}")


@cli.command()
@json_option
@click.pass_obj
def duplicates(settings: Settings, as_json: bool) -> None:
    """List linked near-duplicates: the same text filed twice, or amended versions of a paper.

    \b
    Example:
      clustermine duplicates
    """
    with settings.store() as store:
        pairs = store.duplicate_pairs()
        titles = {r.id: r for r in store.list_rows()}
    rows = [
        {**p, "title": titles[p["doc_id"]].title, "other_title": titles[p["other_id"]].title} for p in pairs
    ]
    if as_json:
        emit_json(rows)
        return
    render_table(
        [{**r, "similarity": f"{r['similarity']:.2f}", "titles": f"{r['title']} ~ {r['other_title']}"} for r in rows],
        ["doc_id", "other_id", "kind", "similarity", "titles"],
    )


@cli.command()
@click.argument("doc_ids", nargs=-1, required=True)
@click.pass_obj
def remove(settings: Settings, doc_ids: tuple[str, ...]) -> None:
    """Remove documents (and everything derived from them) from the corpus; the files stay untouched.

    \b
    Example:
      clustermine remove 3f2a9c1b
    """
    from clustermine.index import sync_index

    with settings.store() as store, store.writer_lock():
        ids = [store.resolve_id(d) for d in doc_ids]
        with store.transaction():
            for doc_id in ids:
                store.remove(doc_id)
        sync_index(store)
    for doc_id in ids:
        click.echo(f"removed {doc_id}")
