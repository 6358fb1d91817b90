"""The ``clustermine`` command line: thin click commands over the library.

Each command parses its options, calls one library function and renders the result as a readable table (default)
or stable JSON (``--json``). Data goes to stdout; progress, per-file problems and hints go to stderr. Heavy
libraries are imported inside the commands so that ``clustermine --help`` answers instantly.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from clustermine import __version__
from clustermine.errors import ClustermineError
from clustermine.model import DOCTYPES

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Settings:
    """Global options shared by all commands (stored on the click context)."""

    def __init__(self, home: Path | None, quiet: bool, debug: bool) -> None:
        self.home = home
        self.quiet = quiet
        self.debug = debug

    def store(self, *, create: bool = False) -> Any:
        from clustermine.corpus import open_store

        return open_store(self.home, create=create)


class ClustermineGroup(click.Group):
    """Turns :class:`ClustermineError` into ``Error: ...`` with exit code 1 (a traceback only with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClustermineError as exc:
            settings = ctx.find_object(Settings)
            if settings is not None and settings.debug:
                raise
            click.echo(f"Error: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"Hint: {exc.hint}", err=True)
            ctx.exit(1)


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout.")(func)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def progress(settings: Settings, total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr, shown only on a terminal and without --quiet."""
    if settings.quiet or not sys.stderr.isatty() or total <= 1:
        yield lambda n: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True) as bar:
        yield bar.update


def render_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Print rows as aligned columns; the last column is cut to the terminal width."""
    if not rows:
        return
    width = shutil.get_terminal_size((120, 20)).columns
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    sizes = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    fixed = sum(sizes[:-1]) + 2 * (len(columns) - 1)
    sizes[-1] = max(10, min(sizes[-1], width - fixed))
    click.echo("  ".join(c.upper().ljust(s) for c, s in zip(columns, sizes, strict=True)).rstrip())
    for row in cells:
        pairs = enumerate(zip(row, sizes, strict=True))
        parts = [v.ljust(s) if i < len(columns) - 1 else _cut(v, s) for i, (v, s) in pairs]
        click.echo("  ".join(parts).rstrip())


def _cut(value: str, size: int) -> str:
    return value if len(value) <= size else value[: size - 1] + "…"


def validate_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from clustermine.errors import BadDateError
    from clustermine.pipeline.dates import parse_user_date

    try:
        return parse_user_date(value)
    except BadDateError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group(cls=ClustermineGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CLUSTERMINE_HOME",
    help="Corpus folder (default: $CLUSTERMINE_HOME or ./.clustermine).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or notes on stderr.")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(__version__, prog_name="clustermine")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, quiet: bool, debug: bool) -> None:
    """Search and mine German documents on cluster policy and regional economic development.

    \b
    Example:
      clustermine add ~/Dokumente/Clusterpolitik
      clustermine ls --type council_paper
    """
    ctx.obj = Settings(home, quiet, debug)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--type", "doctype", type=click.Choice(DOCTYPES), help="Set the document type of these files.")
@click.option("--date", callback=validate_date, help="Set the date of these files (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes (default: all cores).")
@click.option("--timeout", type=click.FloatRange(1), default=120.0, show_default=True,
              help="Seconds allowed for reading one file.")
@click.option("--memory-limit", type=click.IntRange(256), default=2048, show_default=True,
              help="Megabytes of memory allowed for reading one file.")
@click.option("--wait", type=click.FloatRange(0), default=0.0, help="Seconds to wait if another run is writing.")
@json_option
@click.pass_obj
def add(settings: Settings, paths: tuple[str, ...], doctype: str | None, date: str | None, jobs: int | None,
        timeout: float, memory_limit: int, wait: float, as_json: bool) -> None:
    """Add files, folders (recursively) and glob patterns to the corpus.

    Re-running on the same folder only reads what is new or changed. Files that cannot be read are reported
    one line each; the others are added. Exit code 1 if any file failed.

    \b
    Example:
      clustermine add Vorlagen/ berichte/*.pdf
      clustermine add alte_scans/ --type council_paper --date 1998
    """
    from clustermine.corpus import add_paths

    store = settings.store(create=True)
    updater: list[Callable[[int], None]] = []
    stack: list[Any] = []

    def on_start(total: int) -> None:
        cm = progress(settings, total, "Reading")
        stack.append(cm)
        updater.append(cm.__enter__())

    def on_file(outcome: Any) -> None:
        if outcome.status == "failed":
            click.echo(f"FAILED {outcome.line()}", err=True)
        if updater:
            updater[0](1)

    try:
        report = add_paths(store, list(paths), doctype=doctype, date=date, jobs=jobs, timeout=timeout,
                           memory_mb=memory_limit, wait=wait, on_start=on_start, on_file=on_file)
    finally:
        for cm in stack:
            cm.__exit__(None, None, None)
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
@json_option
@click.pass_obj
def show(settings: Settings, doc_id: str, with_text: bool, as_json: bool) -> None:
    """Show one document's metadata (the id may be shortened to its first characters).

    \b
    Example:
      clustermine show 3f2a9c --text
    """
    with settings.store() as store:
        doc = store.get(doc_id)
        sources = store.sources_of(doc.id)
        duplicates = store.duplicates_of(doc.id)
    data = doc.to_dict(text=with_text)
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
    if with_text:
        click.echo()
        click.echo(doc.text)


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
    with settings.store() as store, store.writer_lock():
        ids = [store.resolve_id(d) for d in doc_ids]
        with store.transaction():
            for doc_id in ids:
                store.remove(doc_id)
    for doc_id in ids:
        click.echo(f"removed {doc_id}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="clustermine")


if __name__ == "__main__":
    main()
