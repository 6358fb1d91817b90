"""The ``clustermine`` command group and its entry point."""

from __future__ import annotations

from pathlib import Path

import click

from clustermine import __version__
from clustermine.cli.common import CONTEXT_SETTINGS, ClustermineGroup, Settings


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


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="clustermine")


if __name__ == "__main__":
    main()
