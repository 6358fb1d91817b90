"""What an OParl import reports: per paper and per file what happened, and the counts of the whole run.

Plain records with stable field names, because ``import-oparl --json`` prints them as they are and scripts
depend on them (see the README).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clustermine.corpus.oparl.walker import ListWalk

PAPER_STATUSES = ("new", "updated", "unchanged", "failed")
FILE_STATUSES = ("downloaded", "reused", "failed", "missing")


@dataclass
class FileResult:
    """What happened to one file: downloaded, reused (had it already), failed, or missing (offline)."""

    id: str
    name: str
    url: str | None
    status: str
    doc_id: str | None = None
    reason: str | None = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class PaperResult:
    """What happened to one paper: new, updated, unchanged or failed; its documents, files and data problems."""

    id: str
    status: str
    reference: str | None = None
    title: str | None = None
    body: str | None = None
    doc_ids: list[str] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    reason: str | None = None
    hint: str | None = None

    @property
    def label(self) -> str:
        return self.reference or (self.title or "")[:60] or self.id

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if v is not None and k != "files"}
        data["files"] = [f.to_dict() for f in self.files]
        return data


@dataclass
class ImportReport:
    """The summary of one import run."""

    source: str
    offline: bool = False
    bodies: list[str] = field(default_factory=list)
    papers: list[PaperResult] = field(default_factory=list)
    lists: list[ListWalk] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=lambda: {"since": 0, "paper_type": 0, "deleted": 0})
    duplicates: int = 0
    requests: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    limit_reached: bool = False

    def counts(self) -> dict[str, dict[str, int]]:
        papers = dict.fromkeys(PAPER_STATUSES, 0)
        files = dict.fromkeys(FILE_STATUSES, 0)
        for paper in self.papers:
            papers[paper.status] += 1
            for file in paper.files:
                files[file.status] += 1
        return {"papers": papers, "files": files}

    @property
    def failed_lists(self) -> list[ListWalk]:
        return [w for w in self.lists if w.failed]

    @property
    def ok(self) -> bool:
        counts = self.counts()
        return not (counts["papers"]["failed"] or counts["files"]["failed"] or self.failed_lists
                    or self.interrupted)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "offline": self.offline,
            "counts": self.counts(),
            "skipped": dict(self.skipped),
            "duplicates": self.duplicates,
            "bodies": list(self.bodies),
            "lists": [w.to_dict() for w in self.lists],
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "interrupted": self.interrupted,
            "limit_reached": self.limit_reached,
            "notes": list(self.notes),
            "papers": [p.to_dict() for p in self.papers],
        }


__all__ = ["FILE_STATUSES", "PAPER_STATUSES", "FileResult", "ImportReport", "PaperResult"]
