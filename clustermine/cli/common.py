"""Shared pieces of the command line: global settings, output helpers, progress, validation."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from clustermine.errors import ClustermineError

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
        except sqlite3.DatabaseError as exc:
            from clustermine.corpus.store import is_damage

            settings = ctx.find_object(Settings)
            if not is_damage(exc) or (settings is not None and settings.debug):
                raise
            click.echo(f"Error: the corpus database is damaged: {exc}", err=True)
            click.echo("Hint: run 'clustermine check' for details; restore corpus.sqlite from a backup, or move it "
                       "aside and add your folders again", err=True)
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


def parse_years(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    """``2010``, ``2010-2015``, ``2010..2015`` or ``2010–2015`` → an inclusive (first, last) year range."""
    if value is None:
        return None
    import re

    match = re.fullmatch(r"\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4})?)?\s*", value)
    if not match:
        raise click.BadParameter(f"must be YEAR or FIRST-LAST (e.g. 2010-2015). Got {value!r} instead.")
    first = int(match[1])
    last = int(match[2]) if match[2] else (9999 if value.strip().endswith(("-", "–", "..")) else first)
    if last < first:
        raise click.BadParameter(f"the range {value!r} ends before it starts")
    return first, last


class LazyProgress:
    """A progress bar whose total is known only once the work has been listed (``start``), then ``advance``.

    Use as a context manager around the library call; the library reports through its ``on_start`` and
    per-item callbacks.
    """

    def __init__(self, settings: Settings, label: str) -> None:
        self.settings = settings
        self.label = label
        self._context: Any = None
        self._update: Callable[[int], None] = lambda n: None

    def start(self, total: int) -> None:
        self.finish()
        self._context = progress(self.settings, total, self.label)
        self._update = self._context.__enter__()

    def advance(self, *_: object) -> None:
        self._update(1)

    def finish(self) -> None:
        if self._context is not None:
            self._context.__exit__(None, None, None)
            self._context = None
            self._update = lambda n: None

    def __enter__(self) -> LazyProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.finish()


def index_backend_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--index-backend whoosh|tantivy``: the search engine of the corpus's index, kept until changed."""
    return click.option(
        "--index-backend",
        type=click.Choice(["whoosh", "tantivy"]),
        default=None,
        help="Search engine of this corpus's index: whoosh (default) or tantivy (builds about ten times faster; "
             "needs pip install 'clustermine[tantivy]'). Kept for the corpus; a change re-creates the index.",
    )(func)


def check_index_backend(backend: str | None) -> None:
    """Fail before any work when the chosen backend is not installed (not after an hour of reading files)."""
    if backend == "tantivy":
        from clustermine.index.tantivy_store import require_tantivy

        require_tantivy()


def gazetteer_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--gazetteer FILE`` (repeatable) and ``--persons/--no-persons``, stored as corpus settings."""
    func = click.option(
        "--persons/--no-persons",
        default=None,
        help="Also extract person names (off by default: council papers name staff). Kept for the corpus.",
    )(func)
    return click.option(
        "--gazetteer",
        "gazetteers",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        help="A TSV file of your own regions, clusters, programmes or organisations (kept in the corpus).",
    )(func)
