"""Near-duplicates in a result list: keep the best-ranked document of each linked group, list the others.

Why at query time, from the store: the duplicate links change when a *new* document arrives (its Neufassung
links to the old paper), without the old document changing. Reading the links when searching keeps collapsing
right without re-indexing old documents, and the table is small (one row per linked pair).

A search does not read the id of every match to collapse it: only the matches that are linked to another document
can fold, so :func:`fold_duplicates` takes just those (by position in the ranking); the result is the same as
:func:`collapse` over the whole ranked list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class Group:
    """One result after collapsing: the document shown and the near-duplicates folded into it."""

    doc_id: str
    position: int  # index into the uncollapsed result list
    duplicates: list[str] = field(default_factory=list)


def duplicate_groups(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Document id → a representative id of its linked group (union-find over the pairs; links chain)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}


def collapse(ids: Sequence[str], groups: dict[str, str], *, enabled: bool = True) -> list[Group]:
    """Walk ``ids`` in rank order; the first document of a group stays, later ones become its duplicates."""
    out: list[Group] = []
    kept: dict[str, Group] = {}
    for position, doc_id in enumerate(ids):
        root = groups.get(doc_id) if enabled else None
        if root is None:
            out.append(Group(doc_id, position))
            continue
        group = kept.get(root)
        if group is None:
            group = kept[root] = Group(doc_id, position)
            out.append(group)
        else:
            group.duplicates.append(doc_id)
    return out


def fold_duplicates(members: Mapping[int, str]) -> tuple[list[int], dict[int, list[int]]]:
    """Collapse a ranking given only its linked documents: ``members`` maps a position in the ranking to the
    document's group root (positions of unlinked documents are left out: they stay as they are).

    Returns the positions that fold away and, for each position that stays and has near-duplicates, their
    positions in rank order — what :func:`collapse` does, walking only the linked documents.
    """
    dropped: list[int] = []
    folded: dict[int, list[int]] = {}
    kept: dict[str, int] = {}
    for position in sorted(members):
        root = members[position]
        first = kept.get(root)
        if first is None:
            kept[root] = position
        else:
            dropped.append(position)
            folded.setdefault(first, []).append(position)
    return dropped, folded


def store_groups(store: object) -> dict[str, str]:
    """The duplicate groups of a corpus store (``duplicate_pairs()`` rows)."""
    pairs = store.duplicate_pairs()  # type: ignore[attr-defined]
    return duplicate_groups((row["doc_id"], row["other_id"]) for row in pairs)
