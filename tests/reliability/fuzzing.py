"""Fuzzing the readers: mutated good and hostile files through ``read_bytes`` in the killable worker pool.

Every file must end as text or as a clear, expected failure (damaged, empty, unsupported, encrypted, no text, too
deeply nested, too big); a *crash* is anything else: an exception the readers did not foresee (caught only by the
safety net, "could not read …" or "unexpected error"), a worker that died, or a file that hit the time limit
although it is small. ``bench/fuzz_readers.py`` runs thousands; ``tests/reliability/test_fuzz.py`` a few hundred.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.reliability.hostile import Case, all_cases, docx, mutations, text_pdf

#: Failure kinds that are an answer, not a crash.
HANDLED = frozenset({"UnreadableError", "EmptyDocumentError", "UnsupportedFormatError", "EncryptedError",
                     "NoTextLayerError", "MemoryError"})
SAFETY_NET = ("could not read ", "unexpected error")


@dataclass
class FuzzReport:
    tried: int = 0
    read: int = 0
    handled: int = 0
    crashes: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        return {"files_tried": self.tried, "read": self.read, "failures_handled": self.handled,
                "crashes": len(self.crashes), "timeouts": len(self.timeouts), "failure_kinds": dict(self.kinds),
                "seconds": round(self.seconds, 1), "crash_examples": self.crashes[:20],
                "timeout_examples": self.timeouts[:20]}


def seeds() -> list[Case]:
    """The files to mutate: the light hostile cases plus good files of every format."""
    from tools.officegen import make_odt

    good = [
        Case("seed.pdf", text_pdf(layout="two-column"), "added"),
        Case("seed.docx", docx("Die Clusterförderung im Kreis Mettmann."), "added"),
        Case("seed.odt", make_odt([("h", "Antrag"), "Förderung der Logistik in Duisburg."]), "added"),
        Case("seed.json", '[{"title": "Förderung", "text": "Clusterpolitik in NRW."}]'.encode(), "added"),
    ]
    return good + [c for c in all_cases(heavy=False) if len(c.data) < 2_000_000]


def _read(task: tuple[str, bytes]) -> tuple[str, int, int]:
    from clustermine.corpus.readers import read_bytes

    name, data = task
    extraction = read_bytes(data, name, ocr="never")
    return extraction.format, len(extraction.pages), len(extraction.text)


def run_fuzz(count: int, *, seed: int = 0, jobs: int = 2, timeout: float = 60.0, memory_mb: int = 1024,
             progress: Any = None) -> FuzzReport:
    """Read ``count`` mutated files; see the module docstring for what counts as a crash."""
    from clustermine.corpus.workers import KillablePool, TaskFailure

    rng = random.Random(seed)
    pool_seeds = seeds()

    def tasks() -> Any:
        for i in range(count):
            case = rng.choice(pool_seeds)
            data = case.data
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                data = mutations(data, rng)
            name = case.shown if rng.random() < 0.8 else rng.choice(["x.pdf", "x.docx", "x.html", "x", "x.txt"])
            yield f"{i:05d}-{name}", data

    report = FuzzReport()
    started = time.monotonic()
    pool = KillablePool(_read, jobs=jobs, timeout=timeout, memory_mb=memory_mb)
    for (name, data), result in pool.run(tasks()):
        report.tried += 1
        label = f"{name} ({len(data)} bytes)"
        if not isinstance(result, TaskFailure):
            report.read += 1
        elif result.kind == "ExtractionTimeoutError":
            report.timeouts.append(label)
        elif result.kind in HANDLED and not result.message.startswith(SAFETY_NET):
            report.handled += 1
            report.kinds[result.kind] += 1
        else:
            report.crashes.append(f"{label}: {result.kind}: {result.message}")
        if progress is not None:
            progress(report)
    report.seconds = time.monotonic() - started
    return report
