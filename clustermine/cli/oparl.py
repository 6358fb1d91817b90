"""``import-oparl``: council papers from an OParl server or dump, with their council metadata."""

from __future__ import annotations

import shutil
import sys
import time
from collections import Counter
from typing import Any

import click

from clustermine.cli.app import cli
from clustermine.cli.common import LazyProgress, Settings, emit_json, json_option, validate_date

#: Data problems printed one by one before the rest is only counted (all of them are in --json).
MAX_WARNINGS = 20


class ImportProgress:
    """One status line on stderr with the counts of papers and files, redrawn as papers finish.

    The total is what the servers' lists announce (when they do). Off when stderr is not a terminal or with
    --quiet; messages printed through :meth:`message` keep the line intact below them.
    """

    def __init__(self, settings: Settings) -> None:
        self.enabled = not settings.quiet and sys.stderr.isatty()
        self.total = 0
        self.papers: Counter[str] = Counter()
        self.files: Counter[str] = Counter()
        self._last = 0.0
        self._shown = False

    def add_total(self, n: int) -> None:
        self.total += n
        self.draw()

    def paper(self, result: Any) -> None:
        self.papers[result.status] += 1
        for file in result.files:
            self.files[file.status] += 1
        self.draw()

    def line(self) -> str:
        done = sum(self.papers.values())
        of = f"/{self.total}" if self.total else ""
        p, f = self.papers, self.files
        return (f"Importing: {done}{of} papers ({p['new']} new, {p['updated']} updated, {p['unchanged']} unchanged,"
                f" {p['failed']} failed) · files {f['downloaded']} downloaded, {f['reused']} reused,"
                f" {f['failed']} failed")

    def draw(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        width = shutil.get_terminal_size((100, 20)).columns - 1
        click.echo("\r" + self.line()[:width].ljust(width), err=True, nl=False)
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            width = shutil.get_terminal_size((100, 20)).columns - 1
            click.echo("\r" + " " * width + "\r", err=True, nl=False)
            self._shown = False

    def message(self, text: str) -> None:
        self.clear()
        click.echo(text, err=True)
        self.draw(force=True)


@cli.command("import-oparl")
@click.argument("source", metavar="URL_OR_PATH")
@click.option("--body", help="Only this body: its id, the last part of its id, or (part of) its name.")
@click.option("--since", callback=validate_date,
              help="Only papers changed on or after this date (OParl 'modified', e.g. 2024-01-01).")
@click.option("--paper-type", "paper_types", multiple=True,
              help="Only papers whose type contains this text, e.g. Beschlussvorlage (repeatable; case ignored).")
@click.option("--limit", type=click.IntRange(1), help="Stop after this many papers.")
@click.option("--files/--no-files", default=True, show_default=True,
              help="Download and read the papers' files (with --no-files only the metadata is imported).")
@click.option("--full", is_flag=True,
              help="Walk the whole paper list, not only what changed since the last complete run.")
@click.option("--rate", type=click.FloatRange(0), default=2.0, show_default=True,
              help="At most this many requests per second (0: no limit).")
@click.option("--timeout", type=click.FloatRange(0.01), default=120.0, show_default=True,
              help="Seconds to wait for the server's answer before asking again (some take a minute per page).")
@click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True,
              help="How often a request is repeated after a busy or failing server (429, 5xx, time-out).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes reading files (default: all cores).")
@click.option("--wait", type=click.FloatRange(0), default=0.0, help="Seconds to wait if another run is writing.")
@json_option
@click.pass_obj
def import_oparl(settings: Settings, source: str, body: str | None, since: str | None, paper_types: tuple[str, ...],
                 limit: int | None, files: bool, full: bool, rate: float, timeout: float, retries: int,
                 jobs: int | None, wait: float, as_json: bool) -> None:
    """Import council papers from an OParl server (or an OParl JSON dump on disk).

    Walks the system's bodies and their paper lists, downloads each paper's files and reads them like
    'add' does, with the OParl metadata (paper number, type, date, body, consultations) winning over what the
    text analysis guesses. Re-runs ask only for what changed and download nothing twice; an interrupted run
    continues where it stopped. Exit code 1 if any paper or file failed.

    \b
    Example:
      clustermine import-oparl https://oparl.example.org/oparl/v1/system --body 1 --since 2024-01-01
      clustermine import-oparl https://oparl.example.org/oparl/v1/system --paper-type Beschlussvorlage --limit 50
      clustermine import-oparl ~/oparl-dump/ --no-files
    """
    from clustermine.corpus import entity_settings
    from clustermine.corpus.oparl.client import HttpClient
    from clustermine.corpus.oparl.importer import ImportOptions
    from clustermine.corpus.oparl.importer import import_oparl as run_import
    from clustermine.corpus.rebuild import rebuild_entities
    from clustermine.index import sync_index

    options_ = ImportOptions(body=body, since=since, paper_types=paper_types, limit=limit, files=files, full=full,
                             jobs=jobs)
    client = HttpClient(rate=rate, timeout=timeout, retries=retries)
    store = settings.store(create=True)
    progress = ImportProgress(settings)
    warnings = 0

    def on_paper(result: Any) -> None:
        nonlocal warnings
        if result.status == "failed":
            progress.message(f"FAILED paper {result.label} ({result.id}): {_why(result)}")
        for file in result.files:
            if file.status == "failed":
                progress.message(f"FAILED file {file.name!r} of paper {result.label} ({file.url or file.id}): "
                                 f"{_why(file)}")
        if result.problems and not settings.quiet:
            for problem in result.problems:
                warnings += 1
                if warnings <= MAX_WARNINGS:
                    progress.message(f"WARNING paper {result.label}: {problem}")
        progress.paper(result)

    def on_note(text: str) -> None:
        if not settings.quiet:
            progress.message(f"Note: {text}")

    try:
        with store.writer_lock(wait=wait):
            options_ = _with_entities(options_, entity_settings(store))
            try:
                report = run_import(store, source, options_, client=client, on_total=progress.add_total,
                                    on_paper=on_paper, on_note=on_note)
            finally:
                progress.clear()
            if not report.interrupted:
                with LazyProgress(settings, "Updating entities") as bar:
                    rebuild_entities(store, options_.entities, jobs=jobs, on_start=bar.start,
                                     on_document=bar.advance)
                with LazyProgress(settings, "Indexing") as bar:
                    sync_index(store, on_start=bar.start, on_document=bar.advance)
    finally:
        store.close()
    _report(settings, report, warnings, as_json)
    if report.interrupted:
        click.echo("Interrupted. Run the same command again to continue where it stopped.", err=True)
        sys.exit(130)
    if not report.ok:
        sys.exit(1)


def _with_entities(options: Any, entities: Any) -> Any:
    from dataclasses import replace

    return replace(options, entities=entities)


def _why(item: Any) -> str:
    text = item.reason or "unknown problem"
    return f"{text} — {item.hint}" if item.hint else text


def _report(settings: Settings, report: Any, warnings: int, as_json: bool) -> None:
    for walk in report.failed_lists:
        for problem in walk.problems:
            click.echo(f"FAILED paper list {walk.url}: {problem}", err=True)
    if as_json:
        emit_json(report.to_dict())
        return
    counts = report.counts()
    papers = ", ".join(f"{n} {status}" for status, n in counts["papers"].items())
    shown = {k: v for k, v in counts["files"].items() if k != "missing" or v}
    file_line = ", ".join(f"{n} {status}" for status, n in shown.items())
    click.echo(f"papers: {papers} · files: {file_line}")
    if settings.quiet:
        return
    if warnings > MAX_WARNINGS:
        click.echo(f"({warnings - MAX_WARNINGS} more data warnings; --json lists them all)", err=True)
    skipped = report.skipped
    reasons = [(skipped["since"], "changed before --since"), (skipped["paper_type"], "of other paper types"),
               (skipped["deleted"], "deleted on the server")]
    for n, why in reasons:
        if n:
            click.echo(f"({n} papers {why} were skipped)", err=True)
    if counts["files"]["missing"]:
        click.echo(f"({counts['files']['missing']} files are not in the dump; import from the server's URL to "
                   "download them)", err=True)
    for walk in report.lists:
        if walk.since:
            click.echo(f"(asked {walk.url} only for papers changed since {walk.since}; --full asks for all)",
                       err=True)
    if report.limit_reached:
        click.echo("(stopped at --limit; run again without it to import the rest)", err=True)
    if not report.offline:
        click.echo(f"({report.requests} requests in {report.seconds:.0f} s)", err=True)
