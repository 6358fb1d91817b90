"""The index schema, and the analysis profiles an index can be built with.

Fields (see DESIGN.md): ``title`` (boost 3), ``body`` (the text, not stored: snippets come from the store),
``resolution`` (the Beschlussvorschlag, boost 2), metadata keywords, entity keys (``regions`` direct,
``regions_all`` with ancestors), entity names (``*_names``, for names the gazetteer does not know), and a
compact ``facets`` column. "Did you mean" works from the ``body`` terms (see :mod:`.suggest`).

Why the analyzers are referenced by name: whoosh pickles the schema into every commit's table of contents.
A :class:`NamedAnalyzer` pickles as its profile name only, so the index neither carries nor depends on the
internals of the analysis chain (caches, compound splitter); the running code supplies the chain, and the
profile's version in ``meta.json`` says when an index must be rebuilt because the chain changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import Analyzer, LowercaseFilter, RegexTokenizer, StandardAnalyzer

TITLE_BOOST = 3.0
RESOLUTION_BOOST = 2.0

#: The analysed text fields a query word searches by default.
TEXT_FIELDS: tuple[str, ...] = ("title", "body", "resolution")

#: Text fields analysed word by word without stemming (entity names, committees, file names).
NAME_FIELDS: tuple[str, ...] = (
    "regions_names", "clusters_names", "programs_names", "orgs_names", "council", "committee", "source",
)


@dataclass(frozen=True)
class WordInfo:
    """What the index makes of one query word (for ``--explain``, prefixes and fuzzy matching)."""

    surface: str
    folded: str
    stem: str
    parts: tuple[str, ...] = ()
    part_stems: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnalysisProfile:
    """One way of turning text into index terms: the chain for indexing, for query words, and for names.

    ``expand`` turns one query word into alternatives, each a tuple of index terms that must all match, with a
    weight: ``Clusterförderung`` → exact ``clusterfoerderung`` (1.0) or its parts ``cluster`` + ``foerderung``
    (``PARTS_WEIGHT``); ``word_info`` explains one word.
    """

    name: str
    version: str
    index: Callable[[], Analyzer]
    query: Callable[[], Analyzer]
    names: Callable[[], Analyzer]
    expand: Callable[[str], list[tuple[tuple[str, ...], float]]]
    word_info: Callable[[str], WordInfo]


#: Weight of the "all parts of the compound" alternative of a query word, relative to the exact word.
PARTS_WEIGHT = 0.3


def _names_default() -> Analyzer:
    return RegexTokenizer(r"\w+") | LowercaseFilter()


def _standard() -> AnalysisProfile:
    """whoosh's StandardAnalyzer: no German stemming, folding or compounds (the benchmark's baseline)."""

    def terms(word: str) -> tuple[str, ...]:
        return tuple(t.text for t in analyzer("standard", "query")(word))

    def expand(word: str) -> list[tuple[tuple[str, ...], float]]:
        found = terms(word)
        return [(found, 1.0)] if found else []

    def word_info(word: str) -> WordInfo:
        return WordInfo(word, word.lower(), " ".join(terms(word)))

    return AnalysisProfile(
        "standard", "whoosh-standard-1", StandardAnalyzer, StandardAnalyzer, _names_default, expand, word_info
    )


def _german() -> AnalysisProfile:
    from clustermine.index import analysis

    def names() -> Analyzer:  # every word of a name or path, folded like the text; not stemmed, no stop words
        return RegexTokenizer(r"\w+") | LowercaseFilter() | analysis.FoldFilter()

    def expand(word: str) -> list[tuple[tuple[str, ...], float]]:
        alternatives = analysis.query_terms(word)
        return [(tuple(terms), 1.0 if i == 0 else PARTS_WEIGHT) for i, terms in enumerate(alternatives)]

    def word_info(word: str) -> WordInfo:
        found = analysis.analyse_word(word)
        return WordInfo(found.surface, found.folded, found.stem, tuple(found.parts), tuple(found.part_stems))

    from clustermine.pipeline.compounds import RULES_VERSION

    return AnalysisProfile(
        "german",
        f"{analysis.ANALYSIS_VERSION}-compounds{RULES_VERSION}",  # new splitting rules change the indexed parts
        analysis.GermanIndexAnalyzer,  # german_analyzer()'s tokens, fused for speed
        analysis.german_query_analyzer,
        names,
        expand,
        word_info,
    )


#: Profile name → factory. "german" is the default; "standard" (whoosh's StandardAnalyzer) is the baseline
#: the benchmark compares against. Tests may add their own.
PROFILES: dict[str, Callable[[], AnalysisProfile]] = {"german": _german, "standard": _standard}
DEFAULT_PROFILE = "german"

_profiles: dict[str, AnalysisProfile] = {}
_analyzers: dict[tuple[str, str], Analyzer] = {}


def profile(name: str) -> AnalysisProfile:
    """The analysis profile called ``name`` (built once per process)."""
    if name not in _profiles:
        try:
            factory = PROFILES[name]
        except KeyError:
            raise ValueError(f"analysis must be one of {', '.join(PROFILES)}. Got {name!r} instead.") from None
        _profiles[name] = factory()
    return _profiles[name]


def analyzer(name: str, role: str) -> Analyzer:
    """The analyzer of profile ``name`` for ``role`` (``index``, ``query`` or ``names``), built once."""
    key = (name, role)
    if key not in _analyzers:
        _analyzers[key] = getattr(profile(name), role)()
    return _analyzers[key]


class NamedAnalyzer(Analyzer):
    """An analyzer that delegates to a profile's chain and pickles as the profile name and role only."""

    def __init__(self, profile_name: str, role: str) -> None:
        self.profile_name = profile_name
        self.role = role

    def __call__(self, value: Any, **kwargs: Any) -> Any:
        return analyzer(self.profile_name, self.role)(value, **kwargs)

    def has_morph(self) -> bool:
        return False  # whoosh's own spelling field is not used; see :mod:`clustermine.index.suggest`

    def __getstate__(self) -> dict[str, str]:
        return {"profile_name": self.profile_name, "role": self.role}

    def __setstate__(self, state: dict[str, str]) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return f"NamedAnalyzer({self.profile_name!r}, {self.role!r})"


def build_schema(profile_name: str = DEFAULT_PROFILE) -> fields.Schema:
    """The schema of an index built with analysis profile ``profile_name``."""
    text = NamedAnalyzer(profile_name, "index")
    plain = NamedAnalyzer(profile_name, "names")
    keyword = {"commas": True, "lowercase": True, "scorable": False}
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        content_hash=fields.STORED(),
        entities_fp=fields.STORED(),
        metadata=fields.STORED(),
        title=fields.TEXT(analyzer=text, field_boost=TITLE_BOOST, stored=False),
        body=fields.TEXT(analyzer=text, stored=False),
        resolution=fields.TEXT(analyzer=text, field_boost=RESOLUTION_BOOST, stored=False),
        doctype=fields.ID(),
        date=fields.ID(sortable=True),
        year=fields.NUMERIC(int),  # 32 bits: whoosh 2.7 gets ranges on 16-bit numerics wrong
        number=fields.KEYWORD(**keyword),
        council=fields.TEXT(analyzer=plain),
        committee=fields.TEXT(analyzer=plain),
        source=fields.TEXT(analyzer=plain),
        regions=fields.KEYWORD(**keyword),
        regions_all=fields.KEYWORD(**keyword),
        clusters=fields.KEYWORD(**keyword),
        programs=fields.KEYWORD(**keyword),
        orgs=fields.KEYWORD(**keyword),
        regions_names=fields.TEXT(analyzer=plain),
        clusters_names=fields.TEXT(analyzer=plain),
        programs_names=fields.TEXT(analyzer=plain),
        orgs_names=fields.TEXT(analyzer=plain),
        facets=fields.COLUMN(columns.VarBytesColumn()),
    )
