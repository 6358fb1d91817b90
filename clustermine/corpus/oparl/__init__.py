"""Import council papers from OParl servers (or dumps of them) into the corpus.

The facade is :func:`import_oparl`; the modules each do one job: :mod:`.client` (polite HTTP: rate limit,
retries, time-outs), :mod:`.walker` (pagination that never loops), :mod:`.objects` (validation and the 1.0/1.1
spellings), :mod:`.cache` (raw JSON and files under the corpus home), :mod:`.sources` (server or dump),
:mod:`.mapping` (OParl → clustermine metadata), :mod:`.state` (what earlier runs did) and :mod:`.importer`
(the run). Imports stay lazy so that ``clustermine --help`` is fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clustermine.corpus.oparl.importer import ImportOptions, ImportReport, import_oparl

__all__ = ["ImportOptions", "ImportReport", "import_oparl"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from clustermine.corpus.oparl import importer

        return getattr(importer, name)
    raise AttributeError(f"module 'clustermine.corpus.oparl' has no attribute {name!r}")
