"""Killing real ``clustermine`` processes at random moments, and proving afterwards that nothing was lost.

Used by ``tests/reliability/test_kill.py`` (a few rounds per stage, in CI) and ``bench/kill_torture.py`` (as many
as you like). A stage is one command a user runs — ``add`` of a folder, ``add`` that only has the index left to
build, ``rebuild --all`` — started as ``python -m clustermine …`` and sent SIGKILL after a random delay. After
every kill the store must pass ``check`` (no store problems; the index may lag, which is work not done yet), and
after the last one the same command, run to its end, must leave a corpus equal to one built without any kill:
the same documents with the same texts, pages, sources and entities, and an index holding exactly them.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

#: Findings that a kill may leave and the next run (or ``check --repair``) completes: the index lagging the store,
#: a half-built generation, debris of an interrupted write, orphaned readers still holding the lock.
RESUMABLE = frozenset({"index.none", "index.missing", "index.extra", "index.changed", "index.pointer",
                       "index.generations", "index.debris", "locks.stale", "store.entities"})

TOPICS = [
    ("Dortmund", "Logistik", "EFRE"), ("Kreis Mettmann", "Clusterförderung", "Ziel-2-Programm"),
    ("Duisburg", "Hafenwirtschaft", "IHK"), ("Karlsruhe", "Energie", "Landesprogramm"),
    ("Bochum", "Gesundheitswirtschaft", "EFRE"), ("Ruhrgebiet", "Strukturwandel", "Wirtschaftsförderung"),
]


def write_documents(folder: Path, count: int, *, seed: int = 0, sentences: int = 60) -> list[Path]:
    """``count`` German text documents of different content (council-paper-like, with places and programmes)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        place, field_, programme = TOPICS[i % len(TOPICS)]
        lines = [f"Beschlussvorlage {2000 + i}/{i:04d}: {field_} in {place}", "", "Sachverhalt", ""]
        for _ in range(sentences):
            lines.append(rng.choice([
                f"Die Wirtschaftsförderung in {place} stärkt das Kompetenzfeld {field_} mit Mitteln aus {programme}.",
                f"Im Jahr {rng.randint(1995, 2024)} wurden {rng.randint(2, 90)} Unternehmen der {field_} beraten.",
                f"Die Clusterförderung stärkt Netzwerke zwischen Hochschulen und Betrieben ({rng.randint(1, 999)}).",
                f"Der Ausschuss für Wirtschaft in {place} nimmt den Bericht Nr. {i}-{rng.randint(1, 99)} zur Kenntnis.",
            ]))
        path = folder / f"vorlage_{i:03d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def cli(home: Path, *args: object, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``python -m clustermine --home HOME ARGS`` to its end."""
    return subprocess.run(_command(home, args), capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          env=_env(), check=False)


def _command(home: Path, args: tuple[object, ...]) -> list[str]:
    return [sys.executable, "-m", "clustermine", "--quiet", "--home", str(home), *map(str, args)]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "CLUSTERMINE_TESSERACT": ""}


def kill_after(home: Path, args: tuple[object, ...], delay: float) -> tuple[bool, float]:
    """Start the command, SIGKILL its main process after ``delay`` seconds. Returns (killed, seconds run);
    ``killed`` is False when it had already finished."""
    started = time.monotonic()
    process = subprocess.Popen(_command(home, args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=REPO, env=_env())
    try:
        process.wait(timeout=delay)
        return False, time.monotonic() - started
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        return True, time.monotonic() - started


def store_problems(home: Path) -> list[str]:
    """What ``check`` finds that a kill must never cause (anything not in :data:`RESUMABLE`)."""
    from clustermine.corpus.check import check_corpus
    from clustermine.corpus.store import CorpusStore

    if not (home / "corpus.sqlite").exists():
        return []
    with CorpusStore(home, create=False) as store:
        report = check_corpus(store, wait=120)
    return [f"{f.code}: {f.message}" for f in report.findings if f.code not in RESUMABLE]


def snapshot(home: Path) -> dict[str, Any]:
    """What must survive: per document its text, pages, sources, entities; and the ids in the index."""
    from clustermine.index.verify import inspect_index

    conn = sqlite3.connect(home / "corpus.sqlite")
    try:
        docs = {}
        for doc_id, text, n_pages in conn.execute("SELECT id, text, n_pages FROM documents ORDER BY id"):
            entities = conn.execute("SELECT kind, canonical, start, end FROM entities WHERE doc_id = ? ORDER BY n",
                                    (doc_id,)).fetchall()
            sources = [Path(r[0]).name for r in conn.execute("SELECT path FROM sources WHERE doc_id = ?", (doc_id,))]
            docs[doc_id] = {"text": hashlib.sha256(text.encode()).hexdigest(), "pages": n_pages,
                            "entities": hashlib.sha256(repr(entities).encode()).hexdigest(),
                            "n_entities": len(entities), "sources": sorted(sources)}
        sources = conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
    finally:
        conn.close()
    return {"documents": docs, "sources": sources, "indexed": sorted(inspect_index(home).documents)}


def lost(reference: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """Differences between a corpus built without kills and one built through them (empty: nothing lost)."""
    problems = []
    ref_docs, docs = reference["documents"], found["documents"]
    problems += [f"document {d} lost" for d in sorted(set(ref_docs) - set(docs))]
    problems += [f"document {d} extra" for d in sorted(set(docs) - set(ref_docs))]
    for doc_id in sorted(set(ref_docs) & set(docs)):
        for key, value in ref_docs[doc_id].items():
            if docs[doc_id][key] != value:
                problems.append(f"document {doc_id}: {key} differs")
    if found["sources"] != reference["sources"]:
        problems.append(f"{found['sources']} source rows instead of {reference['sources']}")
    if found["indexed"] != sorted(docs):
        problems.append(f"index holds {len(found['indexed'])} documents, the store {len(docs)}")
    return problems


@dataclass
class StageResult:
    """One stage's rounds: how many kills hit a running process, how many runs ended before their kill."""

    stage: str
    killed: int = 0
    finished_early: int = 0
    problems: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        return (f"{self.stage}: {self.killed} kill points survived ({self.finished_early} runs ended before "
                f"their kill), {len(self.problems)} integrity problems, {len(self.lost)} things lost, "
                f"{self.seconds:.0f} s")


@dataclass(frozen=True)
class Stage:
    """A command to torture. ``prepare(home)`` runs before each round (e.g. to give the command work again)."""

    name: str
    args: tuple[object, ...]
    prepare: Callable[[Path], None] = lambda home: None
    share: float = 1.0  # about how long it runs, as a share of a full ``add`` (the range of the kill delays)


def stages(docs: Path) -> list[Stage]:
    add = ("add", docs, "--jobs", "2", "--wait", "120")
    return [
        Stage("add", add),
        Stage("index", add, prepare=lambda home: _drop_complete_index(home), share=0.4),
        Stage("rebuild", ("rebuild", "--all", "--jobs", "2", "--wait", "120"), share=0.6),
    ]


def _drop_complete_index(home: Path) -> None:
    """Give ``add`` the index to build again (only when the last round finished it: partial states stay)."""
    from clustermine.index.storage import IndexLocation

    if IndexLocation(home).current() is not None:
        shutil.rmtree(home / "index", ignore_errors=True)


def torture(stage: Stage, home: Path, reference: dict[str, Any], *, rounds: int, longest: float,
            rng: random.Random) -> StageResult:
    """``rounds`` kills of ``stage`` in ``home`` after random delays up to ``longest`` seconds, a check after each,
    then the command once to its end, the check, and the comparison with ``reference``."""
    result = StageResult(stage.name)
    started = time.monotonic()
    longest *= stage.share
    for _ in range(rounds):
        stage.prepare(home)
        killed, ran = kill_after(home, stage.args, rng.uniform(0.2, longest))
        result.killed += killed
        result.finished_early += not killed
        if not killed:  # this command is quicker than the range assumed: aim the next kills inside it
            longest = max(0.5, min(longest, ran * 0.9))
        result.problems += store_problems(home)
    done = cli(home, *stage.args)
    if done.returncode != 0:
        result.problems.append(f"the run after the kills failed (exit {done.returncode}): {done.stderr[-500:]}")
    result.problems += store_problems(home)
    result.problems += _check_command(home)
    result.lost = lost(reference, snapshot(home))
    result.seconds = time.monotonic() - started
    return result


def _check_command(home: Path) -> list[str]:
    done = cli(home, "check", "--wait", "120")
    return [] if done.returncode == 0 else [f"clustermine check exit {done.returncode}: {done.stdout[-800:]}"]


def reference_corpus(docs: Path, home: Path) -> tuple[dict[str, Any], float]:
    """The corpus built without interruption, and how long ``add`` took (the range for the kill delays)."""
    started = time.monotonic()
    done = cli(home, "add", docs, "--jobs", "2")
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"reference add failed: {done.stderr[-800:]}")
    return snapshot(home), seconds
