"""Commands for literature lists: ``export`` (BibTeX, RIS, CSL-JSON, CSV, Markdown) and ``collect``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from clustermine.cli.app import cli
from clustermine.cli.common import Settings, emit_json, json_option, render_table
from clustermine.cli.search import build_filters, ensure_index, search_options

#: Shown in ``--help`` without importing the export package's modules.
FORMATS = ("bibtex", "ris", "csljson", "csv", "markdown")

#: How many documents of a list the human output of ``collect --verify`` shows before "… and N more".
SHOWN = 20

_FILTER_KEYS = ("doctypes", "years", "regions", "no_subregions", "clusters", "programs", "orgs")


@cli.command()
@click.argument("terms", nargs=-1)
@search_options
@click.option("--ids", "by_ids", is_flag=True,
              help="The arguments are document ids (or unambiguous prefixes), not a query.")
@click.option("--collection", help="Export a collection kept with 'clustermine collect'.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS),
              help="Output format (default: from the -o file extension, else bibtex).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (replaced atomically) instead of stdout.")
@click.option("-n", "--limit", type=click.IntRange(1), help="At most N documents (the best N for a query).")
@click.option("--group-by", type=click.Choice(["year", "type", "none"]),
              help="Markdown only: headings by year (default) or by document type, or none.")
@click.option("--all-versions", is_flag=True, help="Keep near-duplicates instead of the best of each group.")
@click.pass_obj
def export(settings: Settings, terms: tuple[str, ...], by_ids: bool, collection: str | None, fmt: str | None,
           output: Path | None, limit: int | None, group_by: str | None, all_versions: bool,
           **filters: Any) -> None:
    """Export documents as a literature list: BibTeX, RIS, CSL-JSON, CSV or a Markdown reading list.

    Without a query the whole corpus (or what the filters select) is exported; --ids exports the documents
    you name, --collection a kept collection. Citation keys such as mettmann2013clusterfoerderung are the same
    in every export from one corpus.

    \b
    Example:
      clustermine export Clusterförderung --region "Kreis Mettmann" -o mettmann.bib
      clustermine export --type council_paper --years 2010-2015 --format ris -o vorlagen.ris
      clustermine export --ids 3f2a9c 77e0a2 --format csljson
      clustermine export --collection mettmann-cluster --format markdown --group-by type
    """
    from clustermine import __version__
    from clustermine.corpus.export import ExportError, build_references, format_for_path, render
    from clustermine.corpus.export.record import ExportInfo

    fmt = fmt or format_for_path(output)
    if group_by and fmt != "markdown":
        raise click.UsageError("--group-by only applies to --format markdown")
    query = " ".join(terms).strip()
    with settings.store() as store:
        if collection is not None:
            if query or by_ids or _has_filters(filters):
                raise click.UsageError("--collection exports the kept selection: give no query, ids or filters")
            ids, snippets, info = _collection_selection(settings, store, collection, fmt, limit)
        elif by_ids:
            if _has_filters(filters):
                raise click.UsageError("filters cannot be combined with --ids")
            if not query:
                raise click.UsageError("--ids needs at least one document id")
            ids = _resolve_ids(store, terms)[:limit]
            snippets, info = {}, ExportInfo("Selected documents", (documents(len(ids)),))
        else:
            ids = _select(settings, store, query, filters, collapse=not all_versions, limit=limit)
            if not ids:
                described = f"„{query}“" if query else "the filters"
                raise ExportError(f"no documents match {described}",
                                  hint="try the query with 'clustermine search' first (it also suggests spellings)")
            snippets = _snippets(store, query, build_filters(filters), ids, collapse=not all_versions, fmt=fmt)
            details = [documents(len(ids))] + ([f"query „{query}“"] if query else [])
            if _has_filters(filters):
                details.append("filters: " + describe_filters(filter_record(filters)))
            info = ExportInfo(f"Literature for „{query}“" if query else "Literature list", tuple(details))
        info = ExportInfo(info.title, (*info.details, f"exported {_today()} with clustermine {__version__}"))
        text = render(build_references(store, ids, snippets=snippets), fmt, info=info, group_by=group_by or "year")
    _deliver(settings, text, output, f"{documents(len(ids))} as {fmt}")


@cli.command()
@click.argument("name", required=False)
@click.argument("terms", nargs=-1)
@search_options
@click.option("--ids", "by_ids", is_flag=True,
              help="The arguments after NAME are document ids (or unambiguous prefixes), not a query.")
@click.option("-n", "--limit", type=click.IntRange(1), help="Keep at most the best N documents of the query.")
@click.option("--all-versions", is_flag=True, help="Keep near-duplicates instead of the best of each group.")
@click.option("--note", help="A note kept with the collection (what it is for).")
@click.option("--replace", is_flag=True, help="Overwrite an existing collection of the same name.")
@click.option("--list", "list_", is_flag=True, help="List the collections.")
@click.option("--show", is_flag=True, help="Show the documents of collection NAME.")
@click.option("--verify", is_flag=True,
              help="Say what changed since collection NAME was made (changed, removed, now added or dropped).")
@click.option("--delete", is_flag=True, help="Delete collection NAME (the documents stay in the corpus).")
@json_option
@click.pass_obj
def collect(settings: Settings, name: str | None, terms: tuple[str, ...], by_ids: bool, limit: int | None,
            all_versions: bool, note: str | None, replace: bool, list_: bool, show: bool, verify: bool,
            delete: bool, as_json: bool, **filters: Any) -> None:
    """Keep a named, reproducible selection of documents (a query with filters, or hand-picked ids).

    A collection records the query, filters, date, clustermine version and analysis settings, and each
    document's content hash, so --verify can tell later what changed and what the query would now add or drop.

    \b
    Example:
      clustermine collect mettmann-cluster Clusterförderung --region "Kreis Mettmann"
      clustermine collect lesen --ids 3f2a9c 77e0a2 --note "für Kapitel 3"
      clustermine collect --verify mettmann-cluster
      clustermine export --collection mettmann-cluster -o mettmann.bib
    """
    actions = [flag for flag, on in (("--list", list_), ("--show", show), ("--verify", verify),
                                     ("--delete", delete)) if on]
    if len(actions) > 1:
        raise click.UsageError(f"{' and '.join(actions)} cannot be combined")
    action = actions[0] if actions else None
    if action == "--list":
        if name or terms:
            raise click.UsageError("--list takes no name or query")
        _list_collections(settings, as_json)
        return
    if not name:
        raise click.UsageError("give the name of the collection (see 'clustermine collect --help')")
    if action:
        if terms or by_ids or _has_filters(filters):
            raise click.UsageError(f"{action} takes only the collection name")
        {"--show": _show_collection, "--verify": _verify_collection, "--delete": _delete_collection}[action](
            settings, name, as_json
        )
        return
    _make_collection(settings, name, terms, by_ids, limit, not all_versions, note, replace, as_json, filters)


# -- collect actions ----------------------------------------------------------------------------------------


def _make_collection(settings: Settings, name: str, terms: tuple[str, ...], by_ids: bool, limit: int | None,
                     collapse: bool, note: str | None, replace: bool, as_json: bool, filters: dict[str, Any]) -> None:
    from clustermine import __version__
    from clustermine.corpus.collections import check_name, save_collection

    name = check_name(name)
    query = " ".join(terms).strip()
    with settings.store() as store:
        if by_ids:
            if _has_filters(filters) or not query:
                raise click.UsageError("--ids takes document ids and no filters")
            ids = _resolve_ids(store, terms)[:limit]
            record: dict[str, Any] = {}
            query_kept = None
        else:
            if not query and not _has_filters(filters):
                raise click.UsageError("give a query, at least one filter, or --ids with document ids")
            ids = _select(settings, store, query, filters, collapse=collapse, limit=limit)
            record, query_kept = filter_record(filters), (query or None)
        run = run_settings(store, selection="ids" if by_ids else "query", collapse=collapse, limit=limit)
        kept = save_collection(store, name, ids, query=query_kept, filters=record, version=__version__,
                               settings=run, note=note, replace=replace)
    if as_json:
        emit_json(kept.to_dict())
        return
    click.echo(f"Collected {documents(len(kept.items))} as „{kept.name}“ ({describe_selection(kept)}).")
    if not settings.quiet:
        click.echo(f"Export it with: clustermine export --collection {_quote(kept.name)} -o {_slug(kept.name)}.bib",
                   err=True)


def _list_collections(settings: Settings, as_json: bool) -> None:
    from clustermine.corpus.collections import list_collections

    with settings.store() as store:
        rows = list_collections(store)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("No collections yet. Make one with: clustermine collect NAME QUERY")
        return
    table = [{"name": r["name"], "documents": r["documents"], "updated": r["updated"][:10],
              "selection": _selection_text(r["query"], r["filters"]) + (f" — {r['note']}" if r["note"] else "")}
             for r in rows]
    render_table(table, ["name", "documents", "updated", "selection"])


def _show_collection(settings: Settings, name: str, as_json: bool) -> None:
    from clustermine.corpus.collections import load_collection, snapshot

    with settings.store() as store:
        kept = load_collection(store, name)
        present = snapshot(store, kept.ids)
    if as_json:
        emit_json(kept.to_dict())
        return
    _print_header(kept)
    rows = [{"position": i.position, "id": i.doc_id, "title": i.title or "",
             "status": "" if i.doc_id in present else "removed"} for i in kept.items]
    render_table(rows, ["position", "id", "status", "title"])


def _delete_collection(settings: Settings, name: str, as_json: bool) -> None:
    from clustermine.corpus.collections import delete_collection

    with settings.store() as store:
        gone = delete_collection(store, name)
    if as_json:
        emit_json({"deleted": gone.name, "documents": len(gone.items)})
        return
    click.echo(f"Deleted collection „{gone.name}“ ({documents(len(gone.items))}; they stay in the corpus).")


def _verify_collection(settings: Settings, name: str, as_json: bool) -> None:
    from clustermine import __version__
    from clustermine.corpus.collections import load_collection, verify_collection
    from clustermine.index import select_ids

    with settings.store() as store:
        kept = load_collection(store, name)
        current = None
        if not kept.hand_picked:
            ensure_index(settings, store)
            collapse = bool(kept.settings.get("collapse", True))
            current = select_ids(store, kept.query, filters=filters_from_record(kept.filters), collapse=collapse)
            limit = kept.settings.get("limit")
            current = current[: int(limit)] if limit else current
        now = {"clustermine": __version__, **run_settings(store, selection="", collapse=True, limit=None)}
        result = verify_collection(store, kept, current_ids=current, settings=now)
    if as_json:
        emit_json({**result.to_dict(), "collected": kept.updated, "query": kept.query, "filters": dict(kept.filters),
                   "version": kept.version})
        return
    _print_header(kept)
    click.echo(f"  {result.unchanged} unchanged")
    _print_docs("changed", result.changed, lambda d: " and ".join(d["changed"]) + " changed")
    _print_docs("removed from the corpus", result.removed,
                lambda d: f"replaced by {d['replaced_by']}?" if d.get("replaced_by") else "")
    if result.added is None:
        click.echo("  (hand-picked: there is no query to run again)")
    else:
        _print_docs("would now be added (the query finds them today)", result.added,
                    lambda d: f"new version of {d['replaces']}?" if d.get("replaces") else "")
        _print_docs("would now be dropped (the query no longer finds them)", result.dropped or [], lambda d: "")
    for setting, (then, today) in result.settings.items():
        click.echo(f"  {setting} changed since: {then} → {today}")
    if result.up_to_date:
        click.echo("Up to date: the collection matches the corpus.")
    else:
        present = [i.doc_id for i in kept.items if i.doc_id not in {d["id"] for d in result.removed}]
        click.echo(f"Not up to date. Re-collect with: {recollect_command(kept, present)}")


def recollect_command(kept: Any, present: list[str]) -> str:
    """The ``collect … --replace`` command line that makes the collection again from today's corpus."""
    import shlex

    words = ["clustermine", "collect", kept.name]
    if kept.hand_picked:
        words += ["--ids", *present]
    else:
        words += [kept.query] if kept.query else []
        options = {"doctypes": "--type", "regions": "--region", "clusters": "--cluster", "programs": "--program",
                   "orgs": "--org"}
        for key, option in options.items():
            for value in kept.filters.get(key, ()):
                words += [option, value]
        if kept.filters.get("years"):
            first, last = kept.filters["years"]
            words += ["--years", f"{first}-{'' if last >= 9999 else last}"]
        if kept.filters.get("include_subregions") is False:
            words.append("--no-subregions")
        if kept.settings.get("limit"):
            words += ["-n", str(kept.settings["limit"])]
        if kept.settings.get("collapse") is False:
            words.append("--all-versions")
    if kept.note:
        words += ["--note", kept.note]
    return " ".join(shlex.quote(w) for w in [*words, "--replace"])


def _print_header(kept: Any) -> None:
    click.echo(f"Collection „{kept.name}“: {documents(len(kept.items))}, collected {kept.updated} "
               f"with clustermine {kept.version}")
    click.echo(f"  {describe_selection(kept)}" + (f" — {kept.note}" if kept.note else ""))


def _print_docs(label: str, docs: list[dict[str, Any]], remark: Any) -> None:
    if not docs:
        return
    click.echo(f"  {label} ({len(docs)}):")
    for doc in docs[:SHOWN]:
        extra = remark(doc)
        click.echo(f"    {doc['id']}  {doc.get('title') or '(untitled)'}" + (f"  ({extra})" if extra else ""))
    if len(docs) > SHOWN:
        click.echo(f"    … and {len(docs) - SHOWN} more (see --json)")


# -- selections ---------------------------------------------------------------------------------------------


def _select(settings: Settings, store: Any, query: str, filters: dict[str, Any], *, collapse: bool,
            limit: int | None) -> list[str]:
    """Ids that a query with filters selects, best first (the whole corpus for neither), at most ``limit``."""
    from clustermine.index import select_ids

    ensure_index(settings, store)
    ids = select_ids(store, query or None, filters=build_filters(filters), collapse=collapse)
    return ids[:limit] if limit else ids


def _snippets(store: Any, query: str, filters: Any, ids: list[str], *, collapse: bool, fmt: str,
              depth: int | None = None) -> dict[str, str]:
    """The search passage of each selected document, for the formats that show one (Markdown, CSV)."""
    from clustermine.index.engine import search

    if not query or fmt not in ("markdown", "csv") or not ids:
        return {}
    result = search(store, query, filters=filters, limit=max(depth or len(ids), 1), collapse=collapse,
                    autocorrect=False, relax=False)
    wanted = set(ids)
    return {hit.id: hit.snippet for hit in result.hits if hit.id in wanted and hit.snippet}


def _collection_selection(settings: Settings, store: Any, name: str, fmt: str,
                          limit: int | None) -> tuple[list[str], dict[str, str], Any]:
    from clustermine.corpus.collections import load_collection, snapshot
    from clustermine.corpus.export.record import ExportInfo

    kept = load_collection(store, name)
    present = snapshot(store, kept.ids)
    missing = [item for item in kept.items if item.doc_id not in present]
    if missing and not settings.quiet:
        listed = ", ".join(f"{i.doc_id} ({i.title or 'untitled'})" for i in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        click.echo(f"Note: {documents(len(missing))} of „{kept.name}“ no longer in the corpus, left out: "
                   f"{listed}{more}. See 'clustermine collect --verify {_quote(kept.name)}'.", err=True)
    ids = [doc_id for doc_id in kept.ids if doc_id in present][:limit]
    snippets: dict[str, str] = {}
    if kept.query and fmt in ("markdown", "csv") and ids:
        from clustermine.index import select_ids

        ensure_index(settings, store)
        filters = filters_from_record(kept.filters)
        collapse = bool(kept.settings.get("collapse", True))
        depth = len(select_ids(store, kept.query, filters=filters, collapse=collapse))
        snippets = _snippets(store, kept.query, filters, ids, collapse=collapse, fmt=fmt, depth=depth)
    details = (documents(len(ids)), describe_selection(kept), f"collected {kept.updated[:10]}",
               *((kept.note,) if kept.note else ()))
    return ids, snippets, ExportInfo(f"Collection „{kept.name}“", details)


def _resolve_ids(store: Any, values: tuple[str, ...]) -> list[str]:
    """Full ids for ids or prefixes given as arguments (also comma-separated); every unknown one is named."""
    from clustermine.errors import NotFoundError

    wanted = [v for value in values for v in re.split(r"[\s,;]+", value) if v]
    ids, problems = [], []
    for value in wanted:
        try:
            ids.append(store.resolve_id(value))
        except NotFoundError as exc:
            problems.append(exc.message)
    if problems:
        raise NotFoundError("; ".join(problems), hint="list ids with 'clustermine ls' or 'clustermine search'")
    return list(dict.fromkeys(ids))


def run_settings(store: Any, *, selection: str, collapse: bool, limit: int | None) -> dict[str, Any]:
    """What a selection depends on besides query and filters: index analysis, entity gazetteers, options."""
    from clustermine.corpus import entity_settings
    from clustermine.index.storage import IndexLocation

    location = IndexLocation(store.home)
    folder = location.current()
    meta = location.meta(folder) if folder else None
    return {
        "selection": selection,
        "collapse": collapse,
        "limit": limit,
        "analysis": meta.analysis if meta else None,
        "analysis_version": meta.analysis_version if meta else None,
        "index_format": meta.format if meta else None,
        "index_backend": meta.backend if meta else None,  # the two backends may order close hits differently
        "entities": entity_settings(store).fingerprint(),
    }


# -- filters as stored data ---------------------------------------------------------------------------------


def _has_filters(options: dict[str, Any]) -> bool:
    return any(options.get(key) for key in _FILTER_KEYS if key != "no_subregions")


def filter_record(options: dict[str, Any]) -> dict[str, Any]:
    """The search filter options as a JSON-ready dict (only what was given)."""
    record: dict[str, Any] = {}
    for key in ("doctypes", "regions", "clusters", "programs", "orgs"):
        if options.get(key):
            record[key] = list(options[key])
    if options.get("years"):
        record["years"] = list(options["years"])
    if options.get("no_subregions"):
        record["include_subregions"] = False
    return record


def filters_from_record(record: Any) -> Any:
    from clustermine.index import SearchFilters

    years = record.get("years")
    return SearchFilters(
        doctypes=tuple(record.get("doctypes", ())), years=tuple(years) if years else None,
        regions=tuple(record.get("regions", ())), clusters=tuple(record.get("clusters", ())),
        programs=tuple(record.get("programs", ())), orgs=tuple(record.get("orgs", ())),
        include_subregions=record.get("include_subregions", True),
    )


def describe_filters(record: Any) -> str:
    """``type council_paper; years 2010–2015; region Mettmann`` for people."""
    parts = []
    names = {"doctypes": "type", "regions": "region", "clusters": "cluster", "programs": "program", "orgs": "org"}
    for key, label in names.items():
        if record.get(key):
            parts.append(f"{label} {' or '.join(record[key])}")
    if record.get("years"):
        first, last = record["years"]
        parts.append(f"years {first}–{'' if last >= 9999 else last}" if first != last else f"year {first}")
    if record.get("include_subregions") is False:
        parts.append("direct region mentions only")
    return "; ".join(parts)


def describe_selection(kept: Any) -> str:
    if kept.hand_picked:
        return "hand-picked documents"
    return _selection_text(kept.query, kept.filters)


def _selection_text(query: str | None, filters: Any) -> str:
    parts = [f"query „{query}“"] if query else []
    if filters:
        parts.append("filters: " + describe_filters(filters))
    return "; ".join(parts) or "hand-picked documents"


# -- output -------------------------------------------------------------------------------------------------


def _deliver(settings: Settings, text: str, output: Path | None, what: str) -> None:
    """stdout, or the file (written atomically) with a note on stderr."""
    if output is None:
        click.echo(text, nl=False)
        return
    from clustermine.corpus.export import write_atomic

    write_atomic(output, text)
    if not settings.quiet:
        click.echo(f"Wrote {what} to {output}", err=True)


def documents(n: int) -> str:
    return f"{n} document" if n == 1 else f"{n} documents"


def _today() -> str:
    from datetime import date

    return date.today().isoformat()


def _quote(name: str) -> str:
    return name if re.fullmatch(r"[\w.-]+", name) else "'" + name.replace("'", "'\\''") + "'"


def _slug(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-") or "collection"
