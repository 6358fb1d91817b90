"""Search filters as the command line and the library pass them (``--type``, ``--years``, ``--region`` …).

They are validated when built, so a bad ``--years 2015-2010`` fails before any index is opened, and they turn
into the same query-tree nodes as the ``type:``/``year:``/``region:`` fields of the query language: one compiler
handles both, so an option and the equivalent query field can never behave differently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clustermine.errors import BadQueryError
from clustermine.index.query import Filter, Node, Or, YearRange, parse_doctype


@dataclass(frozen=True)
class SearchFilters:
    """Conditions every hit must meet. Several values of one kind mean "any of them"; kinds combine with AND.

    ``regions``, ``clusters``, ``programs`` and ``orgs`` take gazetteer names, aliases or ids (``Mettmann``,
    ``ks-05158``); names the gazetteer does not know match the entity names found in the documents.
    ``include_subregions`` makes a region match documents about places inside it (NRW finds Kreis Mettmann).
    ``bodies`` match the council or district that issued a council paper (``Karlsruhe``, ``Stadt Karlsruhe``),
    as the ``council:`` field does.
    """

    doctypes: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    regions: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    include_subregions: bool = True
    bodies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise once, here, at the boundary
        set_(self, "doctypes", tuple(dict.fromkeys(parse_doctype(t) for t in _strings("doctypes", self.doctypes))))
        for name in ("regions", "clusters", "programs", "orgs", "bodies"):
            set_(self, name, _strings(name, getattr(self, name)))
        if self.years is not None:
            try:
                start, end = (int(y) for y in self.years)
            except (TypeError, ValueError):
                raise BadQueryError(
                    f"years must be a pair of years (start, end). Got {self.years!r} instead."
                ) from None
            if start > end:
                raise BadQueryError(f"years {start}-{end} run backwards", hint=f"did you mean {end}-{start}?")
            set_(self, "years", (start, end))

    def is_empty(self) -> bool:
        return not (self.doctypes or self.years or self.regions or self.clusters or self.programs or self.orgs
                    or self.bodies)

    def nodes(self) -> list[Node]:
        """The filters as query-tree nodes, one per kind (values of a kind OR-ed)."""
        out: list[Node] = []
        groups = (
            ("type", self.doctypes),
            ("region", self.regions),
            ("cluster", self.clusters),
            ("program", self.programs),
            ("org", self.orgs),
            ("council", self.bodies),
        )
        for field, values in groups:
            items = tuple(Filter(field, v) for v in values)
            if items:
                out.append(items[0] if len(items) == 1 else Or(items))
        if self.years is not None:
            out.append(YearRange(*self.years))
        return out


def _strings(name: str, values: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(values, str):  # a lone string would otherwise be split into characters
        values = (values,)
    out = tuple(str(v).strip() for v in values if str(v).strip())
    return tuple(dict.fromkeys(out))
