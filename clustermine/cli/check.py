"""The ``check`` command: verify the corpus against itself, its search index and its source files."""

from __future__ import annotations

import sys
from typing import Any

import click

from clustermine.cli.app import cli
from clustermine.cli.common import Settings, emit_json, json_option


@cli.command()
@click.option("--repair", is_flag=True,
              help="Fix what can be fixed: re-sync the index, drop orphans, re-read changed files, clear debris.")
@click.option("--hash", "hash_sources", is_flag=True,
              help="Compare the content of every source file, not only its size and date (slower).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes for re-reading (default: all cores).")
@click.option("--wait", type=click.FloatRange(0), default=0.0, help="Seconds to wait if another run is writing.")
@json_option
@click.pass_obj
def check(settings: Settings, repair: bool, hash_sources: bool, jobs: int | None, wait: float, as_json: bool) -> None:
    """Check the corpus: database integrity, search index, source files, locks. Exit 1 if problems remain.

    \b
    Example:
      clustermine check
      clustermine check --repair
      clustermine check --hash --json
    """
    from clustermine.corpus.check import check_corpus, repair_terms

    def step(name: str) -> None:
        if not settings.quiet and not as_json and sys.stderr.isatty():
            click.echo(f"checking: {name} …", err=True)

    with settings.store() as store:
        report = check_corpus(store, repair=repair, hash_sources=hash_sources, wait=wait, jobs=jobs, on_step=step)
        if repair:
            repair_terms(store, report, wait=wait)
    if as_json:
        emit_json(report.to_dict())
    else:
        _render(report)
    if not report.ok:
        sys.exit(1)


def _render(report: Any) -> None:
    checked = report.checked
    click.echo(f"corpus:    {report.home}")
    index = checked.get("index_generation")
    index_text = f"index {index} with {checked.get('indexed', 0)} documents" if index else "no search index"
    click.echo(f"checked:   {checked.get('documents', 0)} documents, {checked.get('pages', 0)} pages, "
               f"{checked.get('sources', 0)} sources ({checked.get('source_files', 0)} files on disk), {index_text}")
    remaining = {id(f) for f in report.remaining}
    for finding in report.findings:
        if finding.repaired:
            click.echo(f"repaired:  [{finding.area}] {finding.message} — {finding.repaired}")
    for finding in report.remaining:
        click.echo(f"problem:   [{finding.area}] {finding.message}{_examples(finding)}")
        if finding.hint:
            click.echo(f"           what to do: {finding.hint}")
    found = [f for f in report.findings if id(f) not in remaining]
    if report.ok:
        click.echo("OK: no problems" + (f" left ({len(found)} repaired)" if found and report.repair else " found"))
    else:
        click.echo(f"{len(report.remaining)} problem(s)" + ("" if report.repair else
                                                            "; 'clustermine check --repair' fixes what it can"))


def _examples(finding: Any) -> str:
    if not finding.examples or finding.code.startswith("locks."):
        return ""
    more = " …" if finding.count > len(finding.examples) else ""
    return f": {', '.join(finding.examples)}{more}"
