"""Facet counts over a whole result set: how many hits per document type, year, region, cluster, programme.

Counted after collapsing near-duplicates, from one compact per-document column (see
:func:`clustermine.index.documents.facet_record`), so counting costs one array lookup and a string split per
hit instead of a stored-field read. Regions are counted by direct mention only: a Kreis Mettmann paper counts
for Kreis Mettmann, not for every Land above it, or NRW would top every list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

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
    doctypes: list[str] = []
    years: list[str] = []
    entities: dict[str, list[str]] = {name: [] for name in ENTITY_FACETS}
    slots = [(name, 3 + i) for i, name in enumerate(ENTITY_FACETS)]  # record layout: see facet_record
    for record in records:  # the hot loop of a broad query: plain splits, no per-record objects
        parts = (record.decode("utf-8") if isinstance(record, bytes) else record).split(FACET_SEP)
        doctypes.append(parts[0])
        if parts[1]:
            years.append(parts[1])
        for name, slot in slots:
            if len(parts) > slot and parts[slot]:
                entities[name].extend(parts[slot].split(VALUE_SEP))
    out: dict[str, list[dict[str, object]]] = {
        "doctype": [{"value": v, "label": DOCTYPE_LABELS.get(v, v), "count": c} for v, c in _ordered(doctypes)],
        "year": [{"value": int(v), "label": v, "count": c} for v, c in _ordered(years)],
    }
    top = {name: _ordered(values)[:MAX_VALUES] for name, values in entities.items()}
    names = labels([v for values in top.values() for v, _ in values if not v.startswith(NAME_MARK)])
    for name, values in top.items():
        out[name] = [
            {"value": v, "label": v[1:] if v.startswith(NAME_MARK) else names.get(v, v), "count": c}
            for v, c in values
        ]
    return out


def _ordered(values: list[str]) -> list[tuple[str, int]]:
    return sorted(Counter(values).items(), key=lambda item: (-item[1], item[0]))
