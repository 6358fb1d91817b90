"""Facet counts over a whole result set: how many hits per document type, year, region, cluster, programme.

Counted after collapsing near-duplicates, from one compact per-document column (see
:func:`clustermine.index.documents.facet_record`), so counting costs one array lookup and a string split per
hit instead of a stored-field read. Regions are counted by direct mention only: a Kreis Mettmann paper counts
for Kreis Mettmann, not for every Land above it, or NRW would top every list.

A search with many hits counts from a :class:`FacetTable`: a segment's facet records decoded once into arrays
(kept while the process runs), so that counting 40,000 hits is a few array operations instead of 40,000
record reads. The counts are the same, exact, either way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from clustermine.index.documents import FACET_SEP, VALUE_SEP
from clustermine.index.taxonomy import NAME_MARK

#: Facets of entities, in the order of their lists in the facet record (regions, clusters, programmes).
ENTITY_FACETS: tuple[str, ...] = ("region", "cluster", "program")

#: At most this many values are reported for the entity facets (document types and years: all).
MAX_VALUES = 50

DOCTYPE_LABELS: dict[str, str] = {
    "council_paper": "Vorlage",
    "minutes": "Niederschrift",
    "project_description": "Projektbeschreibung",
    "conference_report": "Tagungsbericht",
    "report": "Bericht",
    "web_page": "Webseite",
    "other": "Sonstiges",
}


def count_facets(
    records: Iterable[bytes | str], labels: Callable[[Iterable[str]], Mapping[str, str]]
) -> dict[str, list[dict[str, object]]]:
    """Facets of the given facet records; ``labels`` maps entity ids to display names.

    Each facet is a list of ``{"value", "label", "count"}``, most frequent first (ties by label). Entities
    found only by patterns have the value ``~Name`` (usable as a filter value) and their name as label.
    """
    return FacetCounter().add_records(records).facets(labels)


#: Record layout (see :func:`clustermine.index.documents.facet_record`): the slot of each entity facet.
_SLOTS = [(name, 3 + i) for i, name in enumerate(ENTITY_FACETS)]


class FacetCounter:
    """Counts of facet values, added from facet records or from a :class:`FacetTable` and its documents."""

    def __init__(self) -> None:
        self.doctypes: Counter[str] = Counter()
        self.years: Counter[str] = Counter()
        self.entities: dict[str, Counter[str]] = {name: Counter() for name in ENTITY_FACETS}

    def add_records(self, records: Iterable[bytes | str]) -> FacetCounter:
        doctypes: list[str] = []
        years: list[str] = []
        entities: dict[str, list[str]] = {name: [] for name in ENTITY_FACETS}
        for record in records:  # the hot loop of a broad query: plain splits, no per-record objects
            parts = (record.decode("utf-8") if isinstance(record, bytes) else record).split(FACET_SEP)
            doctypes.append(parts[0])
            if len(parts) > 1 and parts[1]:
                years.append(parts[1])
            for name, slot in _SLOTS:
                if len(parts) > slot and parts[slot]:
                    entities[name].extend(parts[slot].split(VALUE_SEP))
        self.doctypes.update(doctypes)
        self.years.update(years)
        for name, values in entities.items():
            self.entities[name].update(values)
        return self

    def add_table(self, table: FacetTable, docnums: Sequence[int] | np.ndarray) -> FacetCounter:
        """Add the records of documents ``docnums`` (numbers within the table's segment, each at most once)."""
        docnums = np.asarray(docnums, dtype=np.int64)
        _add_codes(self.doctypes, table.doctype_values, table.doctype[docnums])
        years = table.year[docnums]
        _add_codes(self.years, table.year_values, years[years >= 0])
        chosen = np.zeros(len(table.doctype), dtype=bool)
        chosen[docnums] = True
        for name, (values, owners, codes) in table.entities.items():
            _add_codes(self.entities[name], values, codes[chosen[owners]])
        return self

    def facets(self, labels: Callable[[Iterable[str]], Mapping[str, str]]) -> dict[str, list[dict[str, object]]]:
        """The facet lists (see :func:`count_facets`)."""
        out: dict[str, list[dict[str, object]]] = {
            "doctype": [
                {"value": v, "label": DOCTYPE_LABELS.get(v, v), "count": c} for v, c in _ordered(self.doctypes)
            ],
            "year": [{"value": int(v), "label": v, "count": c} for v, c in _ordered(self.years)],
        }
        top = {name: _ordered(counts)[:MAX_VALUES] for name, counts in self.entities.items()}
        names = labels([v for values in top.values() for v, _ in values if not v.startswith(NAME_MARK)])
        for name, values in top.items():
            out[name] = [
                {"value": v, "label": v[1:] if v.startswith(NAME_MARK) else names.get(v, v), "count": c}
                for v, c in values
            ]
        return out


def _add_codes(counter: Counter[str], values: Sequence[str], codes: np.ndarray) -> None:
    if not len(codes):
        return
    counts = np.bincount(codes, minlength=len(values))
    for code in np.flatnonzero(counts).tolist():
        counter[values[code]] += int(counts[code])


@dataclass(frozen=True)
class FacetTable:
    """The facet records of one index segment, decoded once: per document a code for its type and year (-1 for
    none) and its date, and per entity facet the (document, value code) pairs of all its values."""

    doctype_values: list[str]
    doctype: np.ndarray
    year_values: list[str]
    year: np.ndarray
    dates: list[str]
    entities: dict[str, tuple[list[str], np.ndarray, np.ndarray]]

    @classmethod
    def build(cls, records: Iterable[bytes | str]) -> FacetTable:
        """The table of a segment's records, in document order (one record per document, deleted ones too)."""
        codes: dict[str, dict[str, int]] = {"doctype": {}, "year": {}, **{name: {} for name in ENTITY_FACETS}}
        doctype: list[int] = []
        year: list[int] = []
        dates: list[str] = []
        owners: dict[str, list[int]] = {name: [] for name in ENTITY_FACETS}
        values: dict[str, list[int]] = {name: [] for name in ENTITY_FACETS}
        doctype_codes, year_codes = codes["doctype"], codes["year"]
        for docnum, record in enumerate(records):
            parts = (record.decode("utf-8") if isinstance(record, bytes) else (record or "")).split(FACET_SEP)
            doctype.append(doctype_codes.setdefault(parts[0], len(doctype_codes)))
            found = parts[1] if len(parts) > 1 else ""
            year.append(year_codes.setdefault(found, len(year_codes)) if found else -1)
            dates.append(parts[2] if len(parts) > 2 else "")
            for name, slot in _SLOTS:
                if len(parts) > slot and parts[slot]:
                    own = codes[name]
                    for value in parts[slot].split(VALUE_SEP):
                        owners[name].append(docnum)
                        values[name].append(own.setdefault(value, len(own)))
        return cls(
            list(doctype_codes),
            np.asarray(doctype, dtype=np.int64),
            list(year_codes),
            np.asarray(year, dtype=np.int64),
            dates,
            {
                name: (list(codes[name]), np.asarray(owners[name], dtype=np.int64),
                       np.asarray(values[name], dtype=np.int64))
                for name in ENTITY_FACETS
            },
        )


def _ordered(values: Iterable[str] | Counter[str]) -> list[tuple[str, int]]:
    counts = values if isinstance(values, Counter) else Counter(values)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
