"""The ``clustermine`` command line: thin click commands over the library.

Each command parses its options, calls one library function and renders the result as a readable table (default)
or stable JSON (``--json``). Data goes to stdout; progress, per-file problems and hints go to stderr. Heavy
libraries are imported inside the commands so that ``clustermine --help`` answers instantly.
"""

from clustermine.cli import check as _check  # noqa: F401 - registers the commands
from clustermine.cli import corpus as _corpus  # noqa: F401
from clustermine.cli import entities as _entities  # noqa: F401
from clustermine.cli import export as _export  # noqa: F401
from clustermine.cli import oparl as _oparl  # noqa: F401
from clustermine.cli import search as _search  # noqa: F401
from clustermine.cli import topics as _topics  # noqa: F401
from clustermine.cli import trends as _trends  # noqa: F401
from clustermine.cli.app import cli, main

__all__ = ["cli", "main"]
