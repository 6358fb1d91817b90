"""``rebuild``: derive again what clustermine computes from stored text, without reading any file.

Gazetteers change (a user adds a TSV, a new clustermine ships better rules); the stored text does not. Each
document remembers the fingerprint of the settings its entities were found with, so a rebuild touches only the
documents that are out of date (or all of them with ``force``), in parallel, one transaction per document, and an
interrupted rebuild simply continues where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from clustermine.corpus.store import CorpusStore
from clustermine.corpus.workers import KillablePool, TaskFailure
from clustermine.model import Entity
from clustermine.pipeline.annotate import EntitySettings, annotate


@dataclass(frozen=True)
class EntityTask:
    doc_id: str
    text: str
    date: str | None
    settings: EntitySettings


@dataclass
class RebuildReport:
    """What a rebuild did: documents annotated, failures (id, reason), and whether it was interrupted."""

    annotated: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False


def _annotate_task(task: EntityTask) -> tuple[Entity, ...]:
    return annotate(task.text, task.settings, date=task.date)


def rebuild_entities(
    store: CorpusStore,
    settings: EntitySettings,
    *,
    force: bool = False,
    jobs: int | None = None,
    timeout: float = 600.0,
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[str], None] | None = None,
) -> RebuildReport:
    """Annotate every document whose entities are missing or were found with other settings."""
    fingerprint = settings.fingerprint()
    ids = [r.id for r in store.list_rows()] if force else store.ids_needing_entities(fingerprint)
    if on_start:
        on_start(len(ids))
    report = RebuildReport()

    def tasks() -> Iterator[EntityTask]:
        for doc_id in ids:
            row = store.conn.execute("SELECT text, date FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is not None:
                yield EntityTask(doc_id, row["text"], row["date"], settings)

    pool: KillablePool[tuple[Entity, ...]] = KillablePool(_annotate_task, jobs=jobs, timeout=timeout)
    try:
        for task, result in pool.run(tasks()):
            if isinstance(result, TaskFailure):
                report.failed.append((task.doc_id, result.message))
            else:
                with store.transaction():
                    store.put_entities(task.doc_id, result, fingerprint)
                report.annotated += 1
            if on_document:
                on_document(task.doc_id)
    except KeyboardInterrupt:
        report.interrupted = True
    return report
