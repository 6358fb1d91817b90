"""Entity extraction: regions, clusters, funding programmes and organisations (and, if asked, persons).

Why rules and gazetteers instead of a statistical model: clustermine must run offline without downloaded
models, the names that matter are known lists (400 Kreise, the Landescluster, EFRE periods), and a researcher
has to be able to see why a mention was tagged (every :class:`~clustermine.model.Entity` carries its ``rule``).

How a text is read, in order:

1. **Sub-tokens.** The text is cut into words, and words into parts at hyphens, slashes and inner dots
   ("Ziel-2-Programm" -> Ziel | 2 | Programm, "EFRE.NRW" -> EFRE | NRW), each with character offsets. A word
   broken at a line end ("Bruch-\\nsal") is joined again. Every part gets a *key*: lower case, umlauts and ß
   spelled out, German inflection endings stripped, so that "des Kreises Mettmann" meets "Kreis Mettmann" and
   "im Bergischen Land" meets "Bergisches Land". Aliases are cut and keyed by the same code.
2. **Gazetteer matching.** Greedy longest match of key sequences against a trie of all names. A match that is
   only the first part of a hyphen compound ("NRW-Innovationsstrategie") is dropped, except for programmes and
   named initiatives ("EFRE-Mittel" -> EFRE). One-word matches must also agree in spelling (a genitive -s is
   fine, "Bayer" is not "Bayern"), and acronyms must be written in capitals ("NRW", not "nrw").
3. **Context.** Names that are also common words or very short (ambiguous_regions.tsv: Essen, Hamm, Lage, ...)
   count only with the gazetteer's capitalisation and a place context: a preposition or designator before them
   (in, aus, Stadt, Kreis, ...), a coordination with another region ("Dortmund, Essen und Bochum"), or an
   earlier such mention of the same place in the text. Generic cluster words (Energie, Logistik, Chemie,
   Mobilität, ...) count only next to another cluster or in a sentence that talks about fields (Kompetenzfeld,
   Branche, Cluster, Leitmarkt, Bereich, Themen, ...); a programme named by a word and a small number ("Ziel 3")
   only in a sentence about funding, since council papers number their goals. A plural designator governs a
   list: "die Landkreise Germersheim, Karlsruhe und Rastatt" are Landkreise, "in den Leitmärkten Gesundheit,
   ..." are Leitmärkte.
4. **Choosing between entries that share a name** (documented rule, in this order): a designator in the text
   ("Landkreis Karlsruhe" / "Stadt Karlsruhe"); for programmes and clusters the entry valid at the document
   date; for regions the entry lying in a region that the text names elsewhere (Neunkirchen in a text about
   the Saarland); then the more general entry (a Land before its city, a city before a Landkreis, an EU
   programme before a federal one before a Land programme, a cluster of a whole Land before one of a region
   inside it); then gazetteer order.
5. **Periods.** A programme followed closely by an explicit period ("EFRE-Mittel der Förderperiode 2021–2027",
   "Ziel-2-Programm NRW 2007–2013") becomes the entry for that period (a period entry, or a predecessor or
   successor valid exactly then); otherwise the general programme stays. The document date never picks a
   period by itself: "EFRE" in a 2016 paper stays the general programme.
6. **Compounds and patterns.** A closed compound whose modifier is a cluster field and whose head is
   wirtschaft/branche/sektor/industrie/cluster/netzwerk/kompetenzfeld/standort is that field ("Logistikbranche",
   rule ``compound``); a truncated part is completed from its partner ("Kreativ- und Medienwirtschaft" ->
   Kreativwirtschaft). Patterns find names the gazetteer does not know (rule ``pattern:<name>``, id None):
   "Cluster X", "Netzwerk „X“", "X-Wettbewerb", "… GmbH", "Institut für …", "Universität X", sector words in a
   list with a known field, and persons after a title when switched on.
7. **Overlaps.** The longest candidate wins; on equal length gazetteer beats compound beats pattern.

The spaCy component (factory ``clustermine_entities``) stores the result on ``doc._.cm_entities``;
:func:`extract_entities` and :func:`extract_entities_many` are the plain facade.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from ..model import Entity
from .gazetteer import Gazetteer, GazetteerEntry, bare_name, fold, load_gazetteer

try:  # the compound splitter is optional: without it a small suffix rule of our own does the job
    from .compounds import split_compound as _split_compound
except ImportError:  # pragma: no cover - depends on the tree
    _split_compound = None

# ================================================================================================ keys

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "’": "'", "`": "'"})
#: Stems that make a following "-er" an adjective ending (erneuerbarer, bergischer, regionaler).
_ADJECTIVE_STEMS = ("isch", "lich", "ig", "bar", "al", "iv", "ell", "ar", "eu")


@lru_cache(maxsize=300_000)
def fold_word(word: str) -> str:
    """Lower case with umlauts spelled out and accents dropped: ``Förderung`` -> ``foerderung``."""
    word = word.lower().translate(_UMLAUTS)
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


@lru_cache(maxsize=300_000)
def token_key(word: str) -> str:
    """The matching key of one (sub)token: folded, with German inflection endings stripped.

    ``Kreises``/``Kreis``/``Kreise`` -> ``krei``; ``Bergischen``/``Bergisches`` -> ``bergisch``;
    ``neuen``/``neue`` -> ``neu``; ``Ruhrgebiets`` -> ``ruhrgebiet``. Endings are removed repeatedly while more
    than three letters remain, so that a word and its inflected forms end on the same stem; "-er" only goes
    from lower-case words and after adjective stems, so "Dortmunder" stays apart from "Dortmund".
    """
    w = fold_word(word)
    if not w.isalpha():
        return w
    lower = word[:1].islower()
    while len(w) > 3:
        if len(w) > 4 and (
            w.endswith(("es", "en", "em")) or w.endswith("er") and (lower or w[:-2].endswith(_ADJECTIVE_STEMS))
        ):
            w = w[:-2]
        elif w[-1] in "esn":
            w = w[:-1]
        else:
            break
    return w


# ================================================================================================ sub-tokens

_ITEMS = re.compile(r"(?P<w>[^\W_]+(?:['’][^\W_]+)*)|(?P<s>\s+)|(?P<p>.)", re.DOTALL)
#: Characters that join two word parts without a space ("EU-Strukturfonds", "Köln/Bonn", "EFRE.NRW").
_JOINERS = frozenset("-/.+–‐‑")
_HYPHENS = frozenset("-–‐‑")
#: Punctuation left out of the key sequence (brackets, quotes, dashes, bullets).
_IGNORED = frozenset("()[]{}„“”\"'‚‘’»«›‹–—-‐‑/*•·|_~^°")
_CONJUNCTIONS = frozenset({"und", "oder", "sowie", "bzw"})
PARAGRAPH = "¶"


@dataclass(slots=True)
class Tok:
    """One sub-token: a word part or a punctuation mark (or ¶ for a blank line)."""

    start: int
    end: int
    text: str
    key: str
    word: bool
    jp: str = ""  # joiner to the previous part of the same word ("-", "/", ".", "+") or ""
    jn: str = ""  # joiner to the next part
    trunc: bool = False  # word part followed by a hyphen and a space: "Kreativ- und ..."
    nl: bool = False  # a line break lies between this token and the previous one
    form: str = ""  # the word as written without a line-end hyphen ("Bruchsal" for "Bruch-\nsal")
    low: str = ""  # folded form, for comparing function words ("sowie", "für") without stemming

    def __post_init__(self) -> None:
        if not self.form:
            self.form = self.text
        if not self.low:
            self.low = fold_word(self.form) if self.word else self.text


def tokenize(text: str) -> list[Tok]:
    """Cut ``text`` into sub-tokens with offsets; see the module docstring for the rules."""
    items = [(m.lastgroup, m.start(), m.end()) for m in _ITEMS.finditer(text)]
    toks: list[Tok] = []
    n = len(items)
    nl = False
    i = 0
    while i < n:
        kind, s, e = items[i]
        if kind == "s":
            chunk = text[s:e]
            if chunk.count("\n") >= 2:
                toks.append(Tok(s, e, PARAGRAPH, PARAGRAPH, False))
            nl = nl or "\n" in chunk
            i += 1
            continue
        if kind == "w":
            tok = Tok(s, e, text[s:e], "", True, nl=nl)
            prev = items[i - 1] if i else None
            if prev and prev[0] == "p" and text[prev[1]] in _JOINERS and i >= 2 and items[i - 2][0] == "w" \
                    and items[i - 2][2] == prev[1] and prev[2] == s and toks and toks[-1].word:
                tok.jp = "-" if text[prev[1]] in _HYPHENS else text[prev[1]]
                toks[-1].jn = tok.jp
            tok.key = token_key(tok.text)
            toks.append(tok)
            nl = False
            i += 1
            continue
        ch = text[s]
        prev_word = i >= 1 and items[i - 1][0] == "w" and items[i - 1][2] == s
        next_item = items[i + 1] if i + 1 < n else None
        next_word = next_item is not None and next_item[0] == "w" and next_item[1] == e
        if ch in _JOINERS and prev_word and next_word:
            i += 1  # joiner: recorded on the next word
            continue
        if ch in _HYPHENS and prev_word and toks and toks[-1].word:
            # a broken line ("Bruch-\nsal") or a truncated compound ("Kreativ- und")
            if next_item is not None and next_item[0] == "s" and "\n" in text[next_item[1] : next_item[2]] \
                    and i + 2 < n and items[i + 2][0] == "w":
                w2s, w2e = items[i + 2][1], items[i + 2][2]
                second = text[w2s:w2e]
                if second[:1].islower() and fold_word(second) not in _CONJUNCTIONS:
                    last = toks[-1]
                    last.end, last.text = w2e, text[last.start : w2e]
                    last.form = text[last.start : s] + second
                    last.key = token_key(last.form)
                    last.low = fold_word(last.form)
                    i += 3
                    continue
            toks[-1].trunc = True
            i += 1
            continue
        if ch in _IGNORED or ch == "\ufeff":
            i += 1
            continue
        toks.append(Tok(s, e, ch, "." if ch == "…" else ch, False, nl=nl))
        nl = False
        i += 1
    return _merge_legal_forms(toks)


def _merge_legal_forms(toks: list[Tok]) -> list[Tok]:
    """Turn "e. V." / "e.V." into one token keyed ``ev`` so that both spellings match."""
    out: list[Tok] = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if t.word and t.text in ("e", "E") and i + 2 < n:
            nxt = toks[i + 1]
            if nxt.text == "." and i + 3 < n and toks[i + 2].text == "V" and toks[i + 3].text == ".":
                out.append(Tok(t.start, toks[i + 3].end, "e.V.", "ev", True, jp=t.jp, nl=t.nl, low="ev"))
                i += 4
                continue
            if t.jn == "." and nxt.text == "V" and toks[i + 2].text == ".":
                out.append(Tok(t.start, toks[i + 2].end, "e.V.", "ev", True, jp=t.jp, nl=t.nl, low="ev"))
                i += 3
                continue
        out.append(t)
        i += 1
    return out


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_cap(tok: Tok) -> bool:
    return tok.word and tok.text[:1].isupper()


def _is_brand(tok: Tok) -> bool:
    """A part of a made-up name: CamelCase, capitals only, digits, or dotted ("surface.net", "BioRiver")."""
    t = tok.text
    return tok.word and any(c.isalpha() for c in t) and (
        tok.jp == "." or tok.jn == "." or _is_acronym(t) or any(c.isdigit() for c in t)
        or any(c.isupper() for c in t[1:]) and any(c.islower() for c in t)
    )


# ================================================================================================ the index

#: Designators whose aliases ("Kreis Wesel", "Leitmarkt Gesundheit") may be named in a governed list.
_LIST_DESIGNATORS: dict[str, str] = {
    "krei": "kreis", "landkrei": "kreis", "stadt": "stadt", "staedt": "stadt", "leitmarkt": "leitmarkt",
    "leitmaerkt": "leitmarkt", "regierungsbezirk": "bezirk",
}
#: Designator words that say which sub-kind of region is meant.
_REGION_DESIGNATORS: dict[str, str] = {
    "kreis": "kreis", "kreise": "kreis", "kreises": "kreis", "landkreis": "kreis", "landkreise": "kreis",
    "landkreises": "kreis", "stadt": "city", "staedte": "city", "stadtkreis": "city", "region": "region",
    "land": "land", "bundesland": "land", "freistaat": "land", "regierungsbezirk": "bezirk", "bezirk": "bezirk",
}
#: Words right before a name that make it a place. Contractions with an article ("im", "vom") do not: a town
#: takes no article, a common noun does ("im Norden", "vom Essen").
_PLACE_WORDS_STRICT = frozenset({
    "in", "aus", "bei", "zwischen", "stadt", "staedte", "kreis", "kreise", "kreises", "landkreis", "landkreise",
    "region", "raum", "standort", "standorte", "gemeinde", "gemeinden", "nahe",
})
#: For short names that are no common word, "nach" and "von" count as well ("nach Bonn").
_PLACE_WORDS = _PLACE_WORDS_STRICT | {"nach", "von"}
#: Determiners before a name that make it a common noun ("das Essen").
_DETERMINERS = frozenset({
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "zum", "zur",
    "beim", "am", "kein", "keine", "viele", "alle",
})
_SEPARATORS = frozenset({",", "und", "oder", "sowie", "bzw", "/", "&"})
#: Facilities named after a place: the name after them is not the place.
_ADJECTIVE_FORM = re.compile(r"(?:isch|lich|al|iv|ell|ig|bar)(?:e|en|er|es|em)$")
_FACILITIES = frozenset({"zeche", "schacht", "bergwerk", "kraftwerk", "tagebau", "kokerei", "grube", "hotel"})
#: Heads of compounds that name a cluster field by its modifier (brief: Logistikbranche, Gesundheitscluster).
_COMPOUND_HEADS = ("wirtschaft", "branche", "sektor", "industrie", "cluster", "netzwerk", "kompetenzfeld",
                   "standort")
_COMPOUND_HEAD_RE = re.compile(r"(" + "|".join(_COMPOUND_HEADS) + r")(?:e|en|n|s|es|er|ern)?$")
#: Heads of words that name an economic sector ("Werkzeugindustrie", "Holzbau", "Telemedizin").
_SECTOR_HEADS = ("wirtschaft", "industrie", "branche", "technik", "technologie", "technologien", "handwerk",
                 "medizin", "oekonomie", "elektronik", "energie", "energien", "logistik", "tourismus", "chemie",
                 "dienstleistungen", "verarbeitung")
_SECTOR_ENDINGS = tuple(h + e for h in _SECTOR_HEADS for e in ("", "s", "es", "n"))
#: Modifiers that make an "-industrie" word generic ("Industriebranchen", "Schlüsselindustrie").
_GENERIC_MODIFIERS = ("industrie", "wirtschaft", "kern", "leit", "schluessel", "zukunft", "wachstum", "ziel", "haupt",
                      "basis", "traditions", "alt", "neu", "nachbar", "gesamt", "export", "heimat", "region",
                      "dienstleistung", "gross", "klein", "mittel", "ansiedlung", "zuliefer", "welt", "inlands")
_NOT_SECTORS = frozenset({
    "volkswirtschaft", "weltwirtschaft", "marktwirtschaft", "privatwirtschaft", "gesamtwirtschaft",
    "misswirtschaft", "haushaltswirtschaft", "ausbau", "aufbau", "umbau", "neubau", "anbau", "abbau", "rueckbau",
    "zubau", "weiterbau", "wiederaufbau", "einbau", "vorbau", "primaerenergie", "endenergie", "gesamtenergie",
})
#: Words in a sentence that show it is about fields and clusters (support for generic field names).
_FIELD_CUES = ("kompetenzfeld", "kompetenzfelder", "cluster", "branche", "branch", "leitmarkt", "leitmaerkt",
               "them", "themenfeld", "schwerpunkt", "bereich", "sektor", "forum", "wirtschaftszweig",
               "spezialisierung", "zukunftsfeld", "handlungsfeld", "technologiefeld", "innovationsfeld",
               "wachstumsfeld", "leitbranche", "kompetenzzentr", "felder", "feldern", "foren")
#: Word beginnings that show a sentence is about funding ("Ziel 2 der Europäischen Strukturpolitik").
_PROGRAMME_CUES = ("europ", "struktur", "gebiet", "region", "programm", "kommission", "gemeinschaft", "gefoerdert",
                   "mittel", "foerder", "ziel-")
_NOT_FIELD_CUES = frozenset({"umfeld", "vorfeld", "spielfeld", "feld", "umfelder"})
#: Words that show a field context wherever they occur in a word ("Clusterpolitik", "Leitmarktwettbewerb").
_FIELD_WORDS = ("cluster", "kompetenzfeld", "leitmarkt", "leitmaerkt", "branche", "themen")
_TRUNC_HEADS = ("technologien", "technologie", "technik", "industrie", "wirtschaft", "branche", "dienstleistungen",
                "verarbeitung", "bau", "fahrt", "energien", "energie", "medizin", "handwerk", "logistik")
_SUBKIND_ORDER = {"land": 0, "city": 1, "kreis": 3, "region": 4, "bezirk": 5}
_LEVEL_ORDER = {"eu": 0, "federal": 1, "land": 2, "regional": 3}
_PERIOD_IN_NAME = re.compile(r"\s*\(?\s*((?:19|20)\d\d)\s*[–-]\s*((?:19|20)\d\d)\s*\)?\s*$")
_LAND_SUFFIX = re.compile(r"^((?:Bayerisches\s+)?\S*[Mm]inisterium\b.*?)\s+(?:des\s+(?:Landes|Freistaate?s)\s+)?"
                          r"(Nordrhein-Westfalen|Baden-Württemberg|Niedersachsen|Hessen|Bayern|Sachsen|Sachsen-Anhalt|"
                          r"Thüringen|Brandenburg|Schleswig-Holstein|Rheinland-Pfalz|Saarland|Berlin|Hamburg|Bremen|"
                          r"Mecklenburg-Vorpommern)$")
_COMMON_WORD_REASON = re.compile(
    r"common|verb|adjective|surname|first name|family name|brand|word|breed|plural|tense|store|novel|reads like|"
    r"comparative|bank|part of|noun|name of a", re.IGNORECASE)
_SHARED_REASON = re.compile(r"share|also |many places|shortened|confused|versus|other places", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Name:
    """One surface form of an entry, prepared for matching."""

    entry: GazetteerEntry
    text: str
    keys: tuple[str, ...]
    acronyms: tuple[bool, ...]  # per key: must be written in capitals
    single: bool  # one word part
    folded: str  # fold_word of the whole name (for one-word names)
    derived: bool
    needs_context: bool  # one-word region name that is also a common word or very short
    weak: bool  # generic cluster word, or a programme called "Ziel 3": needs a context that confirms it


_NUMBER = re.compile(r"^\d{1,2}[a-z]?$")  # "Ziel 3", "Ziel 5b"; years make names ("Regionale 2006")


def _is_numbered(entry: GazetteerEntry, toks: list[Tok]) -> bool:
    """A programme named by a common word and a number ("Ziel 3"): in a council paper that is often a goal."""
    return (entry.kind == "PROGRAM" and len(toks) == 2 and toks[0].text.isalpha() and not _is_acronym(toks[0].text)
            and bool(_NUMBER.match(toks[1].text)))


def _name_tokens(name: str) -> list[Tok]:
    return [t for t in tokenize(name) if t.key != PARAGRAPH]


class _Index:
    """Everything derived from the gazetteer once per extractor: tries, field modifiers, period variants."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.trie: dict[str, Any] = {}
        self.tails: dict[str, dict[str, Any]] = defaultdict(dict)  # designator group -> trie of the rest
        self.common_word: set[str] = set()
        for entry_id, reason in gazetteer.ambiguous.items():
            if _COMMON_WORD_REASON.search(reason) or not _SHARED_REASON.search(reason):
                self.common_word.add(entry_id)
        explicit: set[tuple[str, ...]] = set()
        pending: list[tuple[GazetteerEntry, str, bool]] = []
        for entry in gazetteer.entries:
            for name in entry.names:
                pending.append((entry, name, False))
        for entry in gazetteer.entries:
            for name in self._derived_names(entry):
                pending.append((entry, name, True))
        seen: set[tuple[str, str]] = set()
        for entry, name, derived in pending:
            toks = _name_tokens(name)
            keys = tuple(t.key for t in toks)
            acronyms = tuple(t.word and _is_acronym(t.text) for t in toks)
            if not keys or (entry.id, keys, acronyms) in seen:
                continue
            if derived and keys in explicit:
                continue  # an explicit name of another entry wins over a derived bare form
            if not derived:
                explicit.add(keys)
            seen.add((entry.id, keys, acronyms))
            single = len(toks) == 1 and toks[0].word
            record = _Name(
                entry=entry,
                text=name,
                keys=keys,
                acronyms=acronyms,
                single=single,
                folded=fold_word(name) if single else "",
                derived=derived,
                needs_context=single and entry.kind == "REGION" and self._needs_context(entry, name),
                weak=(single and self._is_weak(entry, name)) or _is_numbered(entry, toks),
            )
            self._insert(self.trie, keys, record)
            group = _LIST_DESIGNATORS.get(keys[0])
            if group and len(keys) > 1 and toks[1].word:
                self._insert(self.tails[group], keys[1:], record)
        self.modifiers = self._field_modifiers()
        self.field_heads = {
            fold_word(name): entry
            for entry in gazetteer.entries if entry.kind == "CLUSTER" and entry.subkind == "field"
            for name in entry.names
            if " " not in name and "-" not in name and len(name) >= 8 and not self._is_weak(entry, name)
        }
        self.head_tails = {head[-4:] for head in self.field_heads}
        self.variants = self._period_variants()

    # -- building -----------------------------------------------------------------------------------------------

    @staticmethod
    def _insert(trie: dict[str, Any], keys: tuple[str, ...], record: _Name) -> None:
        node = trie
        for key in keys:
            node = node.setdefault(key, {})
        node.setdefault("", []).append(record)

    @staticmethod
    def _derived_names(entry: GazetteerEntry) -> list[str]:
        out = []
        for name in entry.names:
            bare = bare_name(name)
            if bare != name and bare[:1].isupper():
                out.append(bare)
            if entry.kind == "ORG":
                m = _LAND_SUFFIX.match(name)
                if m and " für " in m.group(1):
                    out.append(m.group(1))
        return out

    def _needs_context(self, entry: GazetteerEntry, name: str) -> bool:
        if _is_acronym(name):
            return False
        letters = sum(c.isalpha() for c in name)
        return entry.id in self.common_word or letters <= 4

    @staticmethod
    def _is_weak(entry: GazetteerEntry, name: str) -> bool:
        if entry.kind != "CLUSTER" or entry.subkind != "field" or _is_acronym(name):
            return False
        folded = fold_word(name)
        if folded in ("energie", "chemie", "logistik", "tourismus"):
            return True
        return len(folded) <= 11 and not folded.endswith((*_SECTOR_HEADS, "kohle", "bau"))

    def _field_modifiers(self) -> dict[str, GazetteerEntry]:
        """Modifier -> field, from the field names: "logistik", "gesundheit" (Gesundheitswirtschaft), ..."""
        found: dict[str, GazetteerEntry] = {}
        clashes: set[str] = set()

        def add(modifier: str, entry: GazetteerEntry) -> None:
            if len(modifier) < 4:
                return
            if modifier in found and found[modifier].id != entry.id:
                clashes.add(modifier)
            found.setdefault(modifier, entry)

        for entry in self.gaz.entries:
            if entry.kind != "CLUSTER" or entry.subkind != "field":
                continue
            for name in entry.names:
                if " " in name or _is_acronym(name):
                    continue
                folded = fold_word(name.replace("-", ""))
                add(folded, entry)
                m = _COMPOUND_HEAD_RE.search(folded)
                if m and m.start() > 0:
                    stem = folded[: m.start()]
                    add(stem, entry)
                    if stem.endswith("s"):
                        add(stem[:-1], entry)
        for modifier in clashes:
            found.pop(modifier, None)
        return found

    def _period_variants(self) -> dict[str, dict[tuple[int, int], str]]:
        """Programme id -> {(from, to): id of the entry for that period}, from names like "EFRE 2014–2020"."""
        by_name: dict[str, list[str]] = defaultdict(list)
        for entry in self.gaz.entries:
            if entry.kind == "PROGRAM":
                for name in entry.names:
                    by_name[fold(name)].append(entry.id)
        variants: dict[str, dict[tuple[int, int], str]] = defaultdict(dict)
        for entry in self.gaz.entries:
            if entry.kind != "PROGRAM" or not (entry.valid_from and entry.valid_to):
                continue
            for name in entry.names:
                m = _PERIOD_IN_NAME.search(name)
                if not m or (int(m.group(1)), int(m.group(2))) != (entry.valid_from, entry.valid_to):
                    continue
                for parent in by_name.get(fold(name[: m.start()]), ()):
                    if parent != entry.id:
                        variants[parent].setdefault((entry.valid_from, entry.valid_to), entry.id)
        return variants

    # -- lookups ------------------------------------------------------------------------------------------------

    def field_of_modifier(self, modifier: str) -> GazetteerEntry | None:
        modifier = fold_word(modifier)
        for candidate in (modifier, modifier[:-1] if modifier.endswith("s") else "", modifier[:-2]
                          if modifier.endswith("es") else ""):
            if candidate and candidate in self.modifiers:
                return self.modifiers[candidate]
        return None

    def field_by_head(self, word: str) -> GazetteerEntry | None:
        """The field a closed compound ends with: "Spezialmaschinenbau" -> Maschinenbau (a kind of it)."""
        folded = fold_word(word)
        if folded[-4:] not in self.head_tails and folded[-5:-1] not in self.head_tails \
                and folded[-6:-2] not in self.head_tails:
            return None
        for cut in range(4, len(folded) - 7):
            entry = self.field_heads.get(folded[cut:])
            if entry is not None:
                return entry
        for ending in ("s", "es"):  # genitive: "des Spezialmaschinenbaus"
            if folded.endswith(ending):
                stem = folded[: -len(ending)]
                for cut in range(4, len(stem) - 7):
                    entry = self.field_heads.get(stem[cut:])
                    if entry is not None:
                        return entry
        return None

    def single_word(self, word: str, kind: str | None = None) -> list[_Name]:
        """Names that are exactly this one word (inflection allowed), optionally of one kind."""
        node = self.trie.get(token_key(word))
        if not node:
            return []
        return [r for r in node.get("", []) if r.single and (kind is None or r.entry.kind == kind)]


@lru_cache(maxsize=8)
def _index_for(gazetteer: Gazetteer) -> _Index:
    return _Index(gazetteer)


# ================================================================================================ candidates


@dataclass(slots=True)
class _Cand:
    """A possible entity over sub-tokens ``s`` to ``e`` (exclusive)."""

    s: int
    e: int
    start: int
    end: int
    kind: str
    rule: str
    prio: int  # 0 gazetteer, 1 compound, 2 pattern (lower wins on equal length)
    names: list[_Name] = field(default_factory=list)
    canonical: str = ""
    entry: GazetteerEntry | None = None
    need: str = ""  # "", "place", "weak", "sector": which support the candidate still needs
    subkind_hint: str = ""  # a designator in the text ("kreis", "city", ...)
    ok: bool = True
    dropped: bool = False  # replaced by a better reading of the same words


class EntityExtractor:
    """Finds entities in one text. Constructing it is cheap once the gazetteer is loaded (the index is cached).

    ``persons`` switches on the PERSON pattern (off by default: council papers name staff).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, persons: bool = False) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self.persons = persons
        self.index_ = _index_for(self.gazetteer)

    def __call__(
        self, text: str, *, sentences: Sequence[tuple[int, int]] | None = None, date: str | None = None
    ) -> tuple[Entity, ...]:
        """Entities of ``text``, sorted by offset. ``sentences`` are (start, end) character spans (one sentence
        for the whole text if None); ``date`` (YYYY, YYYY-MM or YYYY-MM-DD) picks entries valid then."""
        if not text.strip():
            return ()
        return _Run(self, text, sentences or [(0, len(text))], date).entities()


def _year_of(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


class _Run:
    """The work on one text (kept out of EntityExtractor so that the extractor stays stateless)."""

    def __init__(self, ex: EntityExtractor, text: str, sentences: Sequence[tuple[int, int]], date: str | None):
        self.ex, self.ix, self.gaz = ex, ex.index_, ex.gazetteer
        self.text = text
        self.year = _year_of(date)
        self.toks = tokenize(text)
        self.sent_spans = sorted(sentences)
        starts = [s for s, _ in self.sent_spans]
        self.sent_starts = starts
        self.sent = [max(0, bisect_right(starts, t.start) - 1) for t in self.toks]
        self.cands: list[_Cand] = []
        self.starts: dict[int, list[_Cand]] = defaultdict(list)  # candidates by first sub-token

    # -- small helpers --------------------------------------------------------------------------------------------

    def tok_word(self, i: int) -> Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) and self.toks[i].word else None

    def same_sentence(self, i: int, j: int) -> bool:
        return 0 <= i < len(self.toks) and 0 <= j < len(self.toks) and self.sent[i] == self.sent[j]

    def surface(self, s: int, e: int) -> str:
        return self.text[self.toks[s].start : self.toks[e - 1].end]

    def clean(self, s: int, e: int) -> str:
        """The words s..e as a name: line-end hyphens undone, white space collapsed ("Klimaschutz mit System")."""
        parts = []
        for k in range(s, e):
            t = self.toks[k]
            if k > s:
                parts.append(self.text[self.toks[k - 1].end : t.start])
            parts.append(t.form if t.word else t.text)
        name = " ".join("".join(parts).split())
        if name.count("(") > name.count(")"):
            name += ")"
        return name

    def prev_word(self, i: int) -> str:
        j = i - 1
        if j >= 0 and self.toks[j].word and self.same_sentence(i, j):
            return self.toks[j].low
        return ""

    def compound_start(self, i: int) -> int:
        while i > 0 and self.toks[i].jp:
            i -= 1
        return i

    def compound_end(self, i: int) -> int:
        """Index after the last part of the word that contains sub-token i."""
        while i < len(self.toks) - 1 and self.toks[i].jn:
            i += 1
        return i + 1

    def add(self, s: int, e: int, kind: str, rule: str, prio: int, **kw: Any) -> _Cand:
        end = self.toks[e - 1].end
        if kw.pop("with_hyphen", False):
            end += 1
        opened = self.text.count("(", self.toks[s].start, end) - self.text.count(")", self.toks[s].start, end)
        if opened > 0 and self.text[end : end + 1] == ")":
            end += 1  # "Integration durch Qualifizierung (IQ)"
        cand = _Cand(s, e, self.toks[s].start, end, kind, rule, prio, **kw)
        self.cands.append(cand)
        self.starts[s].append(cand)
        return cand

    def at(self, s: int) -> list[_Cand]:
        """Candidates starting at sub-token s."""
        return self.starts.get(s, [])

    # -- the whole run --------------------------------------------------------------------------------------------

    def entities(self) -> tuple[Entity, ...]:
        self.match_gazetteer()
        self.match_designated_lists()
        self.match_compounds()
        self.match_truncations()
        self.match_sector_words()
        _patterns_program(self)
        _patterns_cluster(self)
        _patterns_org(self)
        if self.ex.persons:
            _patterns_person(self)
        self.support()
        self.choose_entries()
        self.apply_periods()
        return self.select()

    # -- 2. gazetteer ---------------------------------------------------------------------------------------------

    def match_gazetteer(self) -> None:
        toks, trie = self.toks, self.ix.trie
        n = len(toks)
        for i in range(n):
            tok = toks[i]
            if not tok.word:
                continue
            node = trie.get(tok.key)
            if node is None:
                continue
            found: list[tuple[int, list[_Name]]] = []
            j = i + 1
            if "" in node:
                found.append((j, node[""]))
            while j < n and toks[j].key in node and toks[j].key != PARAGRAPH:
                node = node[toks[j].key]
                j += 1
                if "" in node:
                    found.append((j, node[""]))
            for end, records in reversed(found):
                kept = [r for r in records if self.acceptable(i, end, r)]
                if kept:
                    self.add_gazetteer(i, end, kept)
                    break

    def acceptable(self, s: int, e: int, name: _Name) -> bool:
        """Spelling, capitals and compound-position checks for one name matched at sub-tokens s..e."""
        toks = self.toks
        for tok, acronym in zip(toks[s:e], name.acronyms, strict=False):
            if acronym and tok.word and not _is_acronym(tok.text):
                return False
        first, last = toks[s], toks[e - 1]
        kind = name.entry.kind
        brand = kind == "PROGRAM" or (kind == "CLUSTER" and name.entry.subkind != "field")
        if first.jp == ".":
            return False  # inside a dotted name ("www.bottrop.de")
        if last.jn == "." or last.jn == "+":
            return False
        if first.jp == "-" and kind not in ("CLUSTER", "PROGRAM") and not self.region_dvandva(s, e):
            return False
        if first.jp == "-" and last.jn:
            return False  # a middle part
        if len(name.keys) == 2 and name.keys[1].isdigit() and e < len(toks) and toks[e].text == ":":
            return False  # "Ziel 2: Karlsruhe steht für ..." enumerates goals
        if last.jn == "-" and not brand and not (kind == "REGION" and self.region_dvandva(s, e)):
            return False  # first part of a compound: "NRW-Innovationsstrategie", "Logistik-Kompetenzzentrum"
        if name.single:
            form = first.form
            surface = fold_word(form)
            target = name.folded
            if kind == "PROGRAM" or (kind == "CLUSTER" and name.entry.subkind == "field"):
                endings: tuple[str, ...] = ("", "s", "es", "n", "en", "e")  # "Leitmarktwettbewerben"
            else:  # names: only a genitive -s ("Ruhrgebiets"); "Prognose" is not "Prognos"
                endings = ("", "s") if not target.endswith(("s", "ss", "x", "z")) else ("",)
            if not any(surface == target + ending for ending in endings):
                return False
            if name.text[:1].isupper() and not form[:1].isupper():
                return False
            if name.needs_context and not (form == name.text or form == name.text + "s"):
                return False
            if kind == "REGION" and self.prev_word(s) in _FACILITIES:
                return False  # "Zeche Sachsen", "Kraftwerk Lippendorf": a facility named after a place
            if not _is_acronym(form) and _ADJECTIVE_FORM.search(surface) and e < len(toks) and _is_cap(toks[e]):
                return False  # "Regionale Einbindung", "des Regionalen Innovationsmanagements": an adjective
        return True

    def region_dvandva(self, s: int, e: int) -> bool:
        """Whether the hyphen compound around s..e is made only of region names ("Duisburg-Essen")."""
        a, b = self.compound_start(s), self.compound_end(e - 1)
        if b - a < 2:
            return False
        return all(any(r.entry.kind == "REGION" for r in self.ix.single_word(self.toks[i].form)) for i in range(a, b))

    def add_gazetteer(self, s: int, e: int, names: list[_Name], *, hint: str = "") -> None:
        by_kind: dict[str, list[_Name]] = defaultdict(list)
        for r in names:
            by_kind[r.entry.kind].append(r)
        for kind, records in by_kind.items():
            need = ""
            if any(r.needs_context for r in records):
                need = "place"
            elif all(r.weak for r in records) and not (kind == "PROGRAM" and self.toks[s].jn):
                need = "weak" if kind != "PROGRAM" else "programme"  # "Ziel-2-Programm" needs no support
            prev = self.prev_word(s)
            self.add(s, e, kind, "gazetteer", 0, names=records, need=need,
                     subkind_hint=hint or _REGION_DESIGNATORS.get(prev, ""))

    def match_designated_lists(self) -> None:
        """'die Landkreise Germersheim, Karlsruhe, Rastatt', 'in den Leitmärkten Gesundheit, ...'."""
        toks = self.toks
        n = len(toks)
        for d in range(n):
            group = _LIST_DESIGNATORS.get(toks[d].key) if toks[d].word and not toks[d].jn else None
            if group is None:
                continue
            tail = self.ix.tails.get(group)
            if not tail:
                continue
            i = d + 1
            if i < n and not self.tail_at(tail, i):
                colon = next((k for k in range(i, min(n, i + 30)) if toks[k].key == ":"
                              and self.same_sentence(d, k)), None)
                if colon is None:
                    continue
                i = colon + 1
            hint = {"kreis": "kreis", "stadt": "city", "bezirk": "bezirk"}.get(group, "")
            items = 0
            while i < n and items < 40:
                i = self.skip_list_marks(i)
                if i >= n:
                    break
                hit = self.tail_at(tail, i)
                if hit is None:
                    single = [c for c in self.at(i) if c.prio == 0 and c.kind in ("REGION", "CLUSTER")]
                    if not single:
                        break
                    end = max(c.e for c in single)
                    for c in single:
                        if hint and c.kind == "REGION":
                            c.subkind_hint = hint
                else:
                    end, records = hit
                    kinds = {r.entry.kind for r in records}
                    for c in self.at(i):
                        if c.e == end and c.prio == 0 and c.kind in kinds:
                            c.dropped = True
                    self.add_gazetteer(i, end, records, hint=hint)
                items += 1
                i = end
                if i < n and toks[i].low in _SEPARATORS | {";"}:
                    i += 1
                    if i < n and toks[i].low in ("und", "sowie", "oder"):
                        i += 1
                elif i < n and toks[i].key == PARAGRAPH:
                    continue
                else:
                    break

    def skip_list_marks(self, i: int) -> int:
        """Skip a paragraph mark and list numbering ("2.", "b)") at the start of a list item."""
        toks = self.toks
        while i < len(toks) and toks[i].key == PARAGRAPH:
            i += 1
        if i + 1 < len(toks) and toks[i].word and (toks[i].text.isdigit() or len(toks[i].text) == 1) \
                and toks[i + 1].key in (".", ")"):
            i += 2
        return i

    def tail_at(self, tail: dict[str, Any], i: int) -> tuple[int, list[_Name]] | None:
        toks = self.toks
        node = tail.get(toks[i].key) if toks[i].word else None
        best = None
        j = i + 1
        while node is not None:
            if "" in node:
                kept = [r for r in node[""] if all(not a or _is_acronym(t.text)
                                                   for t, a in zip(toks[i:j], r.acronyms[1:], strict=False))]
                if kept and not toks[j - 1].jn:
                    best = (j, kept)
            if j >= len(toks):
                break
            node = node.get(toks[j].key)
            j += 1
        return best

    # -- 6. compounds ---------------------------------------------------------------------------------------------

    def match_compounds(self) -> None:
        """Closed compounds field + head ("Logistikbranche") and hyphenated ones ("Logistik-Branche")."""
        toks = self.toks
        i = 0
        n = len(toks)
        while i < n:
            tok = toks[i]
            if not tok.word or tok.jp:
                i += 1
                continue
            end = self.compound_end(i)
            if end - i == 1 and tok.form[:1].isupper():
                entry = self.compound_field(tok.form) or self.ix.field_by_head(tok.form)
                if entry is not None:
                    self.add(i, i + 1, "CLUSTER", "compound", 1, entry=entry)
            elif all(toks[k].jp in ("", "-") for k in range(i + 1, end)):
                head = fold_word(toks[end - 1].text)
                if _COMPOUND_HEAD_RE.fullmatch(head) or _COMPOUND_HEAD_RE.search(head) and \
                        _COMPOUND_HEAD_RE.search(head).start() == 0:
                    modifier = "".join(toks[k].text for k in range(i, end - 1))
                    entry = self.ix.field_of_modifier(modifier)
                    if entry is not None:
                        self.add(i, end, "CLUSTER", "compound", 1, entry=entry)
            i = end

    def compound_field(self, word: str) -> GazetteerEntry | None:
        folded = fold_word(word)
        m = _COMPOUND_HEAD_RE.search(folded)
        if not m or m.start() < 3:
            return None
        if _split_compound is not None:
            try:
                parts = _split_compound(word)
            except Exception:  # a broken splitter must not stop extraction
                parts = ()
            if len(parts) >= 2 and fold_word(parts[-1]) in _COMPOUND_HEADS:
                entry = self.ix.field_of_modifier("".join(parts[:-1]))
                if entry is not None:
                    return entry
        return self.ix.field_of_modifier(folded[: m.start()])

    def match_truncations(self) -> None:
        """'Kreativ- und Medienwirtschaft' -> Kreativwirtschaft; 'Papier-, Glas- und Chemieindustrie'."""
        toks = self.toks
        n = len(toks)
        for i, tok in enumerate(toks):
            if not (tok.word and tok.trunc) or toks[self.compound_start(i)].jp:
                continue
            j, seen_sep = i + 1, False
            while j < n and j - i < 12 and self.same_sentence(i, j):
                if toks[j].low in (",", "und", "oder", "sowie", "bzw"):
                    seen_sep = True
                    j += 1
                elif toks[j].word and toks[j].trunc:
                    j += 1
                else:
                    break
            partner = self.tok_word(j)
            if not seen_sep or partner is None or not partner.text[:1].isupper():
                continue
            head = self.head_of(self.surface(j, self.compound_end(j)))
            if not head:
                continue
            first = self.compound_start(i)
            prefix = self.text[toks[first].start : tok.end]
            built = prefix + head
            records = [r for r in self.ix.single_word(built, "CLUSTER")] if "-" not in prefix else []
            if records:
                self.add(first, i + 1, "CLUSTER", "compound", 1, names=records, with_hyphen=True)
            elif self.partner_is_field(j):
                canonical = built[:1].upper() + built[1:]
                self.add(first, i + 1, "CLUSTER", "pattern:truncation", 2, canonical=canonical, with_hyphen=True)

    def head_of(self, word: str) -> str:
        """The head of a compound ("Medienwirtschaft" -> "wirtschaft"), or ""."""
        folded = fold_word(word)
        for head in _TRUNC_HEADS:
            if folded.endswith(head) and len(folded) > len(head) + 2:
                return head
        if _split_compound is not None and "-" not in word:
            try:
                parts = _split_compound(word)
            except Exception:  # a broken splitter must not stop extraction
                parts = ()
            if len(parts) >= 2:
                return parts[-1].lower()
        return ""

    def partner_is_field(self, j: int) -> bool:
        end = self.compound_end(j)
        if any(c.e == end and c.kind == "CLUSTER" for c in self.at(j)):
            return True
        return bool(self.ix.single_word(self.toks[j].text, "CLUSTER"))

    def match_sector_words(self) -> None:
        """Unknown sector words: "Möbelindustrie" always, "Holzbau", "Telemedizin" next to a known field."""
        for i, tok in enumerate(self.toks):
            if not tok.word or tok.jp or tok.jn or not tok.form[:1].isupper() or tok.trunc:
                continue
            folded = fold_word(tok.form)
            base = _sector_base(folded)
            if base is None:
                continue
            form = tok.form
            canonical = form if len(base) == len(folded) else form[: len(form) - (len(folded) - len(base))]
            strong = base.endswith(("industrie", "branche"))
            self.add(i, i + 1, "CLUSTER", "pattern:sector", 2, canonical=canonical, need="" if strong else "sector")

    # -- 3. support -----------------------------------------------------------------------------------------------

    def support(self) -> None:
        """Decide which candidates that need context have it; see the module docstring (3.)."""
        cands = self.cands
        by_start: dict[int, list[_Cand]] = defaultdict(list)
        by_end: dict[int, list[_Cand]] = defaultdict(list)
        for c in cands:
            by_start[c.s].append(c)
            by_end[c.e].append(c)
        pending = [c for c in cands if c.need]
        for c in pending:
            c.ok = (
                (c.need == "place" and self.place_context(c))
                or (c.need in ("weak", "sector") and self.field_cue(c))
                or (c.need == "programme" and self.programme_cue(c))
            )
        changed = True
        while changed:
            changed = False
            for c in pending:
                if c.ok:
                    continue
                for other in self.neighbours(c, by_start, by_end):
                    if not other.ok or other is c or other.kind != c.kind:
                        continue
                    if c.need == "sector" and other.need == "sector":
                        continue
                    c.ok = changed = True
                    break
        # mutual support: a weak known field next to an unknown sector word ("Tourismus und Landwirtschaft")
        for c in pending:
            if c.ok or c.need != "weak":
                continue
            for other in self.neighbours(c, by_start, by_end):
                if other.need == "sector" and other.kind == "CLUSTER":
                    c.ok = other.ok = True
        # a place confirmed once in the text confirms its other exact mentions ("in Hamm" ... "wo Hamm")
        confirmed = {r.entry.id for c in cands if c.need == "place" and c.ok for r in c.names}
        for c in pending:
            if c.ok or c.need != "place":
                continue
            if any(r.entry.id in confirmed for r in c.names) and self.prev_word(c.s) not in _DETERMINERS:
                c.ok = True

    def place_context(self, c: _Cand) -> bool:
        prev = self.prev_word(c.s)
        common = any(r.entry.id in self.ix.common_word for r in c.names)
        if prev in (_PLACE_WORDS_STRICT if common else _PLACE_WORDS) or prev.endswith("stadt"):
            return True
        return bool(c.subkind_hint)

    def field_cue(self, c: _Cand) -> bool:
        sentence = self.sent[c.s]
        lo = c.s
        while lo > 0 and self.sent[lo - 1] == sentence and c.s - lo < 60:
            lo -= 1
        hi = c.e
        while hi < len(self.toks) and self.sent[hi] == sentence and hi - c.e < 40:
            hi += 1
        for k in range(lo, hi):
            t = self.toks[k]
            if not t.word or c.s <= k < c.e:
                continue
            key = fold_word(t.form)
            if key in _NOT_FIELD_CUES:
                continue
            if key.endswith(_FIELD_CUES) or t.key.endswith(_FIELD_CUES) or any(w in key for w in _FIELD_WORDS):
                return True
        return False

    def programme_cue(self, c: _Cand) -> bool:
        """Whether the sentence of c talks about EU or other funding ("Ziel 2 der EU", "Ziel-2-Gebiet")."""
        sentence = self.sent[c.s]
        lo, hi = c.s, c.e
        while lo > 0 and self.sent[lo - 1] == sentence and c.s - lo < 40:
            lo -= 1
        while hi < len(self.toks) and self.sent[hi] == sentence and hi - c.e < 30:
            hi += 1
        words = [t.low for k in range(lo, hi) if self.toks[k].word and not c.s <= k < c.e for t in (self.toks[k],)]
        return any(w in ("eu", "efre", "esf") or w.startswith(_PROGRAMME_CUES) or "foerder" in w for w in words)

    def neighbours(self, c: _Cand, by_start: dict[int, list[_Cand]], by_end: dict[int, list[_Cand]]) -> list[_Cand]:
        """Candidates coordinated with c: separated only by , und oder sowie / (and an article)."""
        toks = self.toks
        out: list[_Cand] = []
        j = c.e
        steps = 0
        while j < len(toks) and steps < 3 and toks[j].low in _SEPARATORS | _DETERMINERS | {"in", "im"}:
            j += 1
            steps += 1
        if steps and j < len(toks) and self.same_sentence(c.s, j):
            out.extend(by_start.get(j, ()))
        j = c.s - 1
        steps = 0
        while j >= 0 and steps < 3 and toks[j].low in _SEPARATORS | _DETERMINERS | {"in", "im"}:
            j -= 1
            steps += 1
        if steps and j >= 0 and self.same_sentence(c.s, j):
            out.extend(by_end.get(j + 1, ()))
        return out

    # -- 4. choosing between entries ------------------------------------------------------------------------------

    def choose_entries(self) -> None:
        context: set[str] = set()
        for c in self.cands:
            if c.ok and c.kind == "REGION" and len({r.entry.id for r in c.names}) == 1:
                entry_id = c.names[0].entry.id
                context.add(entry_id)
                context.update(self.gaz.ancestors(entry_id))
        for c in self.cands:
            if not c.ok or c.entry is not None or not c.names:
                continue
            entries = list(dict.fromkeys(r.entry for r in c.names))
            c.entry = entries[0] if len(entries) == 1 else self.best(entries, c, context)

    def best(self, entries: list[GazetteerEntry], c: _Cand, context: set[str]) -> GazetteerEntry:
        order = {e.id: k for k, e in enumerate(self.gaz.entries)} if len(entries) > 1 else {}
        year = self.year

        def rank(e: GazetteerEntry) -> tuple:
            designated = 0 if c.subkind_hint and e.subkind == c.subkind_hint else 1
            valid = 0 if year is None or e.valid_in(year) else 1
            in_context = 0
            if e.kind == "REGION":
                in_context = 0 if (set(self.gaz.ancestors(e.id)) & context) or e.id in context else 1
            return (designated, valid, in_context, self.generality(e), order.get(e.id, 0))

        return min(entries, key=rank)

    def generality(self, e: GazetteerEntry) -> tuple[int, int]:
        if e.kind == "REGION":
            rank = _SUBKIND_ORDER.get(e.subkind, 6)
            if e.subkind == "city" and not e.id.startswith("ks-"):
                rank = 2
            return (rank, 0)
        if e.kind == "PROGRAM":
            return (_LEVEL_ORDER.get(e.subkind, 4), 0)
        if e.kind == "CLUSTER":
            depth = len(self.gaz.ancestors(e.parent)) + 1 if e.parent else 0
            return (depth, 0)
        return (0, 0)

    # -- 5. periods -----------------------------------------------------------------------------------------------

    def apply_periods(self) -> None:
        for c in self.cands:
            if not c.ok or c.kind != "PROGRAM" or c.entry is None:
                continue
            found = self.period_after(c.e, c.s)
            if found is None:
                continue
            (y1, y2), p_end, direct = found
            target = self.period_entry(c.entry, y1, y2)
            if target is None:
                continue
            c.entry = target
            if direct:
                c.e = p_end
                c.end = self.toks[p_end - 1].end

    def period_after(self, e: int, s: int) -> tuple[tuple[int, int], int, bool] | None:
        toks = self.toks
        j = e
        rest_of_word = self.compound_end(e - 1)  # "EFRE-Programm 2021–2027": the rest of the word is allowed
        limit = e + 8
        while j < len(toks) and j < limit and self.same_sentence(s, j) and toks[j].key not in (PARAGRAPH, ".", ";"):
            if j > e and toks[j].nl:
                break
            t = toks[j]
            if t.word and t.text.isdigit() and len(t.text) == 4:
                nxt = j + 1
                if nxt < len(toks) and toks[nxt].low == "bis":
                    nxt += 1
                if nxt < len(toks) and toks[nxt].word and toks[nxt].text.isdigit() and len(toks[nxt].text) == 4:
                    y1, y2 = int(t.text), int(toks[nxt].text)
                    if 1950 < y1 < y2 < 2100:
                        between = self.text[toks[rest_of_word - 1].end : t.start] if j >= rest_of_word else ""
                        direct = j >= rest_of_word and not between.strip()
                        return (y1, y2), nxt + 1, direct
                return None
            j += 1
        return None

    def period_entry(self, entry: GazetteerEntry, y1: int, y2: int) -> GazetteerEntry | None:
        if (entry.valid_from, entry.valid_to) == (y1, y2):
            return None
        family = self.gaz.lineage(entry.id) or (entry.id,)
        candidates = [self.ix.variants.get(entry.id, {}).get((y1, y2))]
        for member in family:
            m = self.gaz.get(member)
            if m is not None and (m.valid_from, m.valid_to) == (y1, y2):
                candidates.append(member)
            candidates.append(self.ix.variants.get(member, {}).get((y1, y2)))
        for cid in candidates:
            if cid and cid != entry.id:
                return self.gaz[cid]
        return None

    # -- 7. overlaps ----------------------------------------------------------------------------------------------

    def select(self) -> tuple[Entity, ...]:
        pool = [c for c in self.cands if c.ok and not c.dropped and (c.entry is not None or c.canonical)]
        pool.sort(key=lambda c: (-(c.end - c.start), c.prio, c.start))
        taken: list[tuple[int, int]] = []
        chosen: list[_Cand] = []
        for c in pool:
            if any(c.start < e and s < c.end for s, e in taken):
                continue
            taken.append((c.start, c.end))
            chosen.append(c)
        chosen.sort(key=lambda c: c.start)
        out = []
        for c in chosen:
            k = max(0, bisect_right(self.sent_starts, c.start) - 1)
            s_start, s_end = self.sent_spans[k] if self.sent_spans else (0, len(self.text))
            entry = c.entry
            out.append(Entity(
                kind=c.kind,
                text=self.text[c.start : c.end],
                canonical=entry.canonical if entry is not None else c.canonical,
                start=c.start,
                end=c.end,
                id=entry.id if entry is not None else None,
                sentence_start=s_start,
                sentence_end=s_end,
                rule=c.rule,
            ))
        return tuple(out)


def _sector_base(folded: str) -> str | None:
    """The nominative of a sector word ("holzbaus" -> "holzbau"), or None if the word names no sector."""
    if not folded.endswith(_SECTOR_ENDINGS):
        return None
    for ending in ("", "s", "es", "n"):
        base = folded[: len(folded) - len(ending)] if ending else folded
        if ending and not folded.endswith(ending):
            continue
        for head in _SECTOR_HEADS:
            if base.endswith(head) and len(base) >= len(head) + 3 and base not in _NOT_SECTORS \
                    and not base.startswith(_GENERIC_MODIFIERS):
                return base
    return None


# ================================================================================================ patterns

_QUOTES_OPEN = "„“\"»‚"
_QUOTES_CLOSE = "“”\"«‘"
_BREAKS = frozenset("()[];„“”\"»«|")
_LEGAL_FORMS = frozenset({"GmbH", "gGmbH", "mbH", "AG", "eG", "KG", "SE", "GbR", "AöR"})
_CAP_STOP = frozenset({
    "Die", "Der", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Mit", "Von", "Bei", "In", "Im", "Aus", "Auf", "Am",
    "An", "Zu", "Zum", "Zur", "Für", "Nach", "Seit", "Unter", "Vor", "Bis", "Auch", "Als", "Wie", "Dass", "Wenn",
    "Diese", "Dieser", "Dieses", "Herr", "Frau", "Sie", "Er", "Es", "Wir", "Ihr", "Unser", "Unsere", "Beim", "Vom",
    "Über", "Durch", "Gegen", "Sowie", "Und", "Oder", "Zudem", "Daher", "Damit", "Hier", "Dort", "Dazu", "So",
    "Nur", "Noch", "Bereits", "Ab", "Um", "Ob", "Da", "Was", "Wer", "Welche", "Welcher", "Jeder", "Alle",
    "Firma", "Fa", "Quelle", "Tel", "Fax",
})


def _gap(run: _Run, j: int) -> str:
    """The text between sub-token j-1 and sub-token j."""
    return run.text[run.toks[j - 1].end : run.toks[j].start] if j > 0 else ""


def _breaks_name(run: _Run, j: int, *, wrapped: bool = False) -> bool:
    """Whether a name cannot continue into sub-token j (bracket, quote, semicolon or line break before it).

    ``wrapped`` allows a single line break (PDF text wraps names: "TRK\nGmbH")."""
    gap = _gap(run, j)
    if wrapped:  # a wrapped line goes on, a new list item ("\n– ...") does not
        return gap.count("\n") > 1 or any(ch in _BREAKS or ch in "–—-•*" for ch in gap)
    return "\n" in gap or any(ch in _BREAKS for ch in gap)


def _region_at(run: _Run, j: int) -> int:
    """End of a gazetteer region starting at sub-token j, or 0."""
    return max((c.e for c in run.at(j) if c.kind == "REGION" and c.prio == 0 and not c.dropped),
               default=0)


def _name_after(run: _Run, i: int, *, max_words: int = 6) -> tuple[int, bool] | None:
    """End (exclusive) of a name starting at sub-token i, and whether it was quoted; None if there is none.

    A name is a quoted phrase („X“); or a made-up name ("SmartHealth.Ruhr", "LausitzEnergie") optionally
    followed by a place; or capitalised words joined by "und"/"&" and hyphens.
    """
    toks, text = run.toks, run.text
    if i >= len(toks) or not run.same_sentence(i - 1, i):
        return None
    first = toks[i]
    before = text[toks[i - 1].end if i > 0 else 0 : first.start].strip()
    if before and before[-1] in _QUOTES_OPEN:
        j = i
        while j < len(toks) - 1 and j - i < 12 and run.same_sentence(i, j):
            if any(q in _gap(run, j + 1) for q in _QUOTES_CLOSE):
                return j + 1, True
            j += 1
        return None
    if "\n" in _gap(run, i) or not _is_cap(first) or first.text in _CAP_STOP:
        return None
    j, words = i, 0
    if _is_brand(first):
        j = run.compound_end(i)
        while j < len(toks) and not _breaks_name(run, j) and (_is_brand(toks[j]) or _region_at(run, j)):
            j = _region_at(run, j) or run.compound_end(j)
        return j, False
    while j < len(toks) and words < max_words and (j == i or not _breaks_name(run, j)):
        t = toks[j]
        if t.word and (t.text[:1].isupper() or t.text[:1].isdigit()) and (j == i or t.text not in _CAP_STOP):
            j = run.compound_end(j)
            words += 1
            continue
        if t.word and t.trunc and j + 1 < len(toks) and toks[j + 1].low == "und":
            j += 1
            continue
        if j > i and t.low in ("und", "&") and j + 1 < len(toks) and _is_cap(toks[j + 1]) \
                and toks[j + 1].text not in _CAP_STOP:
            j += 1
            continue
        break
    return (j, False) if j > i else None


def _followed_by_break(run: _Run, e: int) -> bool:
    """Whether the name ending before sub-token e stands at the end of a phrase (punctuation or lower case)."""
    if e >= len(run.toks):
        return True
    t = run.toks[e]
    return not t.word or t.text[:1].islower() or _breaks_name(run, e)


# -- CLUSTER ----------------------------------------------------------------------------------------------------


def _patterns_cluster(run: _Run) -> None:
    toks = run.toks
    for i, tok in enumerate(toks):
        if not tok.word or tok.jn:
            continue
        key = tok.key
        if tok.jp == "-":
            if key in ("netzwerk", "cluster", "initiativ"):
                _hyphen_network(run, i)
            continue
        if tok.jp:
            continue
        if key in ("cluster", "clusterinitiativ", "kompetenzfeld", "kompetenzfelder"):
            _designated_field(run, i, include_trigger=True)
        elif key in ("kompetenzzentrum", "kompetenzzentr"):
            _designated_field(run, i, include_trigger=False)
        elif key in ("netzwerk", "initiativ"):
            _named_network(run, i)
        elif i + 1 < len(toks) and _region_at(run, i + 1) and _is_brand(tok) and not _is_acronym(tok.text):
            _brand_with_place(run, i)


def _designated_field(run: _Run, i: int, *, include_trigger: bool) -> None:
    """'Cluster Energietechnik', 'Kompetenzfeld X'; 'Kompetenzzentrum Mechatronik' -> the field Mechatronik."""
    found = _name_after(run, i + 1, max_words=4)
    if found is None:
        return
    e, quoted = found
    s = i + 1
    known = [c for c in run.at(s) if c.kind == "CLUSTER" and c.prio <= 1 and c.e == e]
    if known:
        for c in known:
            c.need = ""  # the trigger word is the support a generic field name needs
        return
    words = [t for t in run.toks[s:e] if t.word]
    inside = [c for k in range(s, e) for c in run.at(k) if c.kind in ("CLUSTER", "PROGRAM", "ORG") and c.prio == 0
              and c.e <= e]
    if inside and (len(words) == 1 or any(c.kind != "CLUSTER" for c in inside)):
        return  # a known name inside is the gazetteer's
    if any(c.kind == "REGION" and c.prio == 0 and c.e == e for c in run.at(s)):
        return  # "Cluster Ruhr" names a place, not a field
    plain_single = len(words) == 1 and not quoted and not _is_brand(words[0])
    if plain_single and _sector_base(fold_word(words[0].text)) is None \
            and (include_trigger or not _followed_by_break(run, e)):
        return  # "im Cluster Unternehmen gewinnen" is no name
    name = run.clean(s, e)
    if not include_trigger:
        run.add(s, e, "CLUSTER", "pattern:field", 2, canonical=name)
        return
    trigger = fold_word(run.toks[i].form)
    label = "Clusterinitiative" if "initiativ" in trigger else "Cluster" if trigger.startswith("cluster") \
        else "Kompetenzfeld"
    run.add(i, e, "CLUSTER", "pattern:cluster", 2, canonical=f"{label} {name}")


def _named_network(run: _Run, i: int) -> None:
    """'Netzwerk „Leistungselektronik“' -> Netzwerk Leistungselektronik; 'Netzwerk SmartHealth.Ruhr' -> the name."""
    found = _name_after(run, i + 1, max_words=4)
    if found is None:
        return
    e, quoted = found
    s = i + 1
    if any(c.kind in ("CLUSTER", "ORG", "PROGRAM") and c.prio == 0 for c in run.at(s)):
        return  # "Netzwerk surface.net": the gazetteer name stands alone
    name = run.clean(s, e)
    trigger = "Netzwerk" if run.toks[i].key == "netzwerk" else "Initiative"
    if quoted:
        run.add(i, e, "CLUSTER", "pattern:network", 2, canonical=f"{trigger} {name}")
    elif _is_brand(run.toks[s]):
        run.add(s, e, "CLUSTER", "pattern:network", 2, canonical=name)


def _hyphen_network(run: _Run, i: int) -> None:
    """'Kunststoff-Netzwerk Franken', 'Automotive-Cluster Region Stuttgart'."""
    first = run.compound_start(i)
    if not _is_cap(run.toks[first]) or i + 1 >= len(run.toks):
        return
    found = _name_after(run, i + 1, max_words=3)
    if found is None:
        return
    e, _ = found
    if not (_region_at(run, i + 1) or _is_brand(run.toks[i + 1]) or _followed_by_break(run, e)):
        return
    run.add(first, e, "CLUSTER", "pattern:network", 2, canonical=run.clean(first, e))


_ORG_LIKE_HEADS = ("zentrum", "zentrums", "institut", "instituts", "gmbh", "bank", "agentur", "verband", "park",
                   "parks", "campus")


def _brand_with_place(run: _Run, i: int) -> None:
    """A made-up name followed by a place: 'MikroNetz Dortmund', 'KunststoffRegion Südwestfalen'."""
    tok = run.toks[i]
    if tok.jp or tok.jn or fold_word(tok.form).endswith(_ORG_LIKE_HEADS) or _breaks_name(run, i + 1):
        return
    end = _region_at(run, i + 1)
    if not end or any(c.prio == 0 or c.kind != "CLUSTER" for c in run.at(i)):
        return
    if _is_acronym(run.toks[i + 1].text):
        return  # "GemO BW", "NatSchG BW": abbreviations of laws
    # a guess, so it needs a sentence about clusters ("... das Clustermanagement der KunststoffRegion Südwestfalen")
    run.add(i, end, "CLUSTER", "pattern:brand", 2, canonical=run.clean(i, end), need="weak")


# -- PROGRAM ----------------------------------------------------------------------------------------------------

_PROGRAM_TRIGGERS = frozenset(token_key(w) for w in (
    "Programm", "Förderprogramm", "Landesprogramm", "Bundesprogramm", "Wettbewerb", "Förderaufruf",
    "Förderwettbewerb", "Landeswettbewerb", "Förderlinie"))


def _patterns_program(run: _Run) -> None:
    toks = run.toks
    for i, tok in enumerate(toks):
        if not tok.word:
            continue
        if not tok.jp and not tok.jn and tok.key in _PROGRAM_TRIGGERS:
            found = _name_after(run, i + 1, max_words=5)
            if found is None:
                continue
            e, quoted = found
            s = i + 1
            if any(c.prio == 0 for c in run.at(s)):
                continue
            if quoted or _is_brand(toks[s]):
                run.add(s, e, "PROGRAM", "pattern:program", 2, canonical=run.clean(s, e))
        elif tok.jp == "-" and not tok.jn and tok.key in ("wettbewerb", "fond", "programm"):
            first = run.compound_start(i)
            parts = toks[first:i]
            if not parts or not _is_cap(parts[0]) or not (_region_at(run, first) or any(_is_brand(t) for t in parts)):
                continue
            if any(c.prio == 0 and c.kind == "PROGRAM" for c in run.at(first)):
                continue  # "Ziel2.NRW-Wettbewerbe": the programme is known
            surface = run.clean(first, i + 1)
            canonical = surface if tok.key == "fond" else re.sub(r"(?<=[a-z])(e|en|n|s|es)$", "", surface)
            if tok.key == "programm":
                canonical = re.sub(r"(?i)programm\w*$", "Programm", canonical)
            elif tok.key == "wettbewerb":
                canonical = re.sub(r"(?i)wettbewerb\w*$", "Wettbewerb", canonical)
            run.add(first, i + 1, "PROGRAM", "pattern:program", 2, canonical=canonical)


# -- ORG --------------------------------------------------------------------------------------------------------

_ORG_FUER_HEADS = ("institut", "ministerium", "amt", "agentur", "hochschule", "akademie", "gesellschaft", "anstalt",
                   "zentrum", "stiftung")
_ORG_NAME_HEADS = ("universitaet", "hochschule", "fachhochschule", "handwerkskammer")
_ORG_CITY_HEADS = ("zentrum", "institut", "klinikum", "kammer", "agentur", "gesellschaft", "akademie", "verband",
                   "campus")
_NOT_ORG = frozenset({"stadtzentrum", "ortszentrum", "oberzentrum", "mittelzentrum", "grundzentrum", "unterzentrum",
                      "innenstadtzentrum", "einkaufszentrum", "kompetenzzentrum", "stadtteilzentrum", "zentrum",
                      "gesellschaft", "kammer", "verband", "gemeindeverband", "zweckverband"})
_NEUTER_HEADS = ("institut", "ministerium", "amt", "zentrum", "klinikum")
_HEAD_GENITIVES = tuple(h + e for h in _NEUTER_HEADS for e in ("s", "es"))
_FEMININE_HEADS = ("universitaet", "hochschule", "akademie", "gesellschaft", "agentur", "anstalt", "kammer",
                   "stiftung", "bank")


def _nominative_head(word: str) -> str:
    """'Ministeriums' -> 'Ministerium', 'Instituts' -> 'Institut', 'TechnologieZentrums' -> '...Zentrum'."""
    low = fold_word(word)
    for head in _NEUTER_HEADS + ("campus",):
        for ending in ("es", "s"):
            if low.endswith(head + ending) and not low.endswith("campus"):
                return word[: len(word) - len(ending)]
    return word


def _nominative_adjective(word: str, head: str) -> str:
    """'Bayerischen' before a neuter head -> 'Bayerisches'; before a feminine head -> 'Bayerische'."""
    low = fold_word(head)
    if low.endswith(_NEUTER_HEADS):
        if word.endswith("en"):
            return word[:-2] + "es"
        if word.endswith("e"):
            return word + "s"
    elif low.endswith(_FEMININE_HEADS) and word.endswith("en"):
        return word[:-1]
    return word


_NAME_ADJECTIVE = re.compile(r"(isch|sch|lich)(e|en|er|es)?$|^Technische[n]?$|^(Freie|Freien|Deutsche|Deutschen)$")


def _is_adjective(tok: Tok) -> bool:
    """A capitalised adjective that can start a name ("Bayerisches", "Technische", "Deutsches")."""
    return tok.word and tok.text[:1].isupper() and _NAME_ADJECTIVE.search(tok.text) is not None


def _org_head(run: _Run, i: int, heads: tuple[str, ...]) -> str | None:
    """The nominative of the word ending at sub-token i if it ends with one of ``heads``; else None."""
    low = run.toks[i].low
    if not (low.endswith(heads) or low.endswith(_HEAD_GENITIVES)):
        return None
    word = run.surface(run.compound_start(i), i + 1)
    nominative = _nominative_head(word)
    folded = fold_word(nominative)
    if folded in _NOT_ORG or not nominative[:1].isupper() or not folded.endswith(heads):
        return None
    if folded.endswith("amt") and not folded.endswith(("bundesamt", "landesamt")) and len(folded) > 3 \
            and not folded.endswith(("ordnungsamt", "umweltamt", "stadtamt")) and folded != "amt":
        return None
    return nominative


def _adjective_start(run: _Run, start: int, i: int) -> int:
    while start > 0 and _is_adjective(run.toks[start - 1]) and run.same_sentence(start - 1, i) \
            and not _breaks_name(run, start):
        start -= 1
    return start


def _gazetteer_org_at(run: _Run, s: int) -> bool:
    return any(c.kind == "ORG" and c.prio == 0 for c in run.at(s))


def _patterns_org(run: _Run) -> None:
    for i, tok in enumerate(run.toks):
        if not tok.word or tok.jn:
            continue
        if tok.text in _LEGAL_FORMS or tok.key == "ev":
            _legal_form(run, i)
            continue
        nxt = run.toks[i + 1] if i + 1 < len(run.toks) else None
        if nxt is not None and nxt.low == "fuer" and _org_head(run, i, _ORG_FUER_HEADS):
            _org_fuer(run, i)
        elif tok.text == "IHK" or _org_head(run, i, _ORG_NAME_HEADS):
            _org_named(run, i)
        if _org_head(run, i, _ORG_CITY_HEADS):
            _org_city(run, i)


def _legal_form(run: _Run, i: int) -> None:
    """Capitalised words ending in a legal form: 'Duisburger Hafen AG', 'Muster Technologie GmbH'."""
    toks = run.toks
    j, start, words = i - 1, None, 0
    while j >= 0 and words < 6 and run.same_sentence(i, j) and not _breaks_name(run, j + 1, wrapped=True) \
            and "," not in _gap(run, j + 1):
        t = toks[j]
        if t.word and (t.text[:1].isupper() or _is_brand(t)) and t.text not in _CAP_STOP \
                and not (t.text.isupper() and len(t.text) > 6):
            start = run.compound_start(j)
            j = start - 1
            words += 1
            continue
        if t.low in ("&", "+") or (t.low in ("fuer", "und", "zu") and j > 0 and _is_cap(toks[j - 1])):
            j -= 1
            continue
        break
    if start is None:
        return
    while start < i and not toks[start].word:
        start += 1
    if start >= i:
        return
    legal = run.clean(i, i + 1)
    canonical = run.clean(start, i + 1)
    # "TRK GmbH": a known short name with a legal form is the known name with that legal form
    known = [c for c in run.at(start) if c.prio == 0 and c.e == i and not c.dropped and c.names]
    if len(known) == 1 and len({r.entry.id for r in known[0].names}) == 1:
        canonical = f"{known[0].names[0].entry.canonical} {legal}"
    run.add(start, i + 1, "ORG", "pattern:legal_form", 2, canonical=canonical)


def _org_fuer(run: _Run, i: int) -> None:
    """'Institut für Werkzeugmaschinen', 'Bayerisches Staatsministerium für Wirtschaft, ... und Technologie'."""
    toks = run.toks
    n = len(toks)
    j, last, cut, after_und = i + 2, None, None, False
    while j < n and run.same_sentence(i, j) and j - i < 20 \
            and not _breaks_name(run, j, wrapped=toks[j - 1].low in ("und", "fuer", "&")):
        t = toks[j]
        if t.word and t.text[:1].isupper() and t.text not in _CAP_STOP:
            j = run.compound_end(j)
            last = j
            if after_und:
                cut, after_und = None, False
            continue
        if t.word and t.trunc:
            j += 1
            continue
        if t.key == "," and last is not None and j + 1 < n and _is_cap(toks[j + 1]):
            cut = cut if cut is not None else last
            j += 1
            continue
        if t.low in ("und", "&") and last is not None and j + 1 < n and (_is_cap(toks[j + 1]) or toks[j + 1].trunc):
            after_und = True
            j += 1
            continue
        if t.word and re.fullmatch(r"[a-zäöüß]+(e|en|er|es)", t.text) and j + 1 < n and _is_cap(toks[j + 1]) \
                and t.text not in ("der", "die", "des", "dem", "den", "in", "und", "oder"):
            j += 1  # "für angewandte Forschung"
            continue
        break
    if last is None:
        return
    if cut is not None:
        last = cut  # "Agentur für Arbeit, Hochschulen sowie ...": the list after the comma is not the name
    head_start = run.compound_start(i)
    start = _adjective_start(run, head_start, i)
    if _gazetteer_org_at(run, start) or _gazetteer_org_at(run, head_start):
        return
    head = _org_head(run, i, _ORG_FUER_HEADS) or toks[i].text
    adjectives = [_nominative_adjective(toks[k].text, head) for k in range(start, head_start)]
    rest = " ".join(run.text[toks[i + 1].start : toks[last - 1].end].split())
    run.add(start, last, "ORG", "pattern:institution", 2, canonical=" ".join([*adjectives, head, rest]))


def _org_named(run: _Run, i: int) -> None:
    """'Universität Stuttgart', 'Hochschule Lausitz (FH) Senftenberg', 'Handwerkskammer Cottbus', 'IHK Siegen'."""
    toks = run.toks
    found = _name_after(run, i + 1, max_words=3)
    if found is None or found[1]:
        return
    e = found[0]
    if e < len(toks) - 2 and toks[e].text == "FH" and "(" in _gap(run, e) and _is_cap(toks[e + 1]):
        more = _name_after(run, e + 1, max_words=2)  # "Hochschule Lausitz (FH) Senftenberg"
        e = more[0] if more and not more[1] else e + 1
    head_start = run.compound_start(i)
    start = _adjective_start(run, head_start, i)
    if _gazetteer_org_at(run, start) or _gazetteer_org_at(run, head_start):
        return
    head = _org_head(run, i, _ORG_NAME_HEADS) or toks[i].text
    adjectives = [_nominative_adjective(toks[k].text, head) for k in range(start, head_start)]
    name = " ".join(run.text[toks[i + 1].start : toks[e - 1].end].split())
    if name.endswith("(FH"):
        name += ")"
    run.add(start, e, "ORG", "pattern:institution", 2, canonical=" ".join([*adjectives, head, name]))


def _org_city(run: _Run, i: int) -> None:
    """An institution word followed by a place: 'Technologiezentrum Dortmund', 'Kunststoff-Institut Lüdenscheid'."""
    toks = run.toks
    e = _region_at(run, i + 1)
    if not e or _breaks_name(run, i + 1) or "," in _gap(run, i + 1):
        return
    start = run.compound_start(i)
    if start >= 2 and toks[start - 1].low == "und" and toks[start - 2].trunc:
        start = run.compound_start(start - 2)  # "Gründer- und Technologiezentrum Hamm"
    elif fold_word(toks[i].form) == "campus" and start == i and i > 0 and _is_cap(toks[i - 1]) \
            and toks[i - 1].text not in _CAP_STOP and not _breaks_name(run, i):
        start = run.compound_start(i - 1)  # "Energie Campus Nürnberg"
    if _gazetteer_org_at(run, start):
        return
    head = _org_head(run, i, _ORG_CITY_HEADS) or toks[i].text
    prefix = run.text[toks[start].start : toks[run.compound_start(i)].start]
    canonical = " ".join((prefix + head + " " + run.clean(i + 1, e)).split())
    for c in run.at(i + 1):
        if c.kind == "REGION":
            c.need = ""  # the institution word is context enough ("Universitätsklinikum Essen")
    run.add(start, e, "ORG", "pattern:institution", 2, canonical=canonical)


# -- PERSON -----------------------------------------------------------------------------------------------------

_PERSON_TITLES = frozenset({
    "herr", "herrn", "frau", "dr", "prof", "buergermeister", "buergermeisterin", "oberbuergermeister",
    "oberbuergermeisterin", "stadtrat", "stadtraetin", "ratsherr", "ratsfrau", "abgeordnete", "abgeordneten",
    "abgeordneter", "beigeordnete", "beigeordneter", "landrat", "landraetin", "minister", "ministerin",
    "staatssekretaer", "staatssekretaerin", "dezernent", "dezernentin",
})


def _patterns_person(run: _Run) -> None:
    """A title or role followed by one to three capitalised words: 'Herr Dr. Hüsing', 'Ratsfrau Demir'."""
    toks = run.toks
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        if not (tok.word and fold_word(tok.form) in _PERSON_TITLES):
            i += 1
            continue
        j = i + 1
        while j < n and (toks[j].key == "." or toks[j].word and fold_word(toks[j].form) in _PERSON_TITLES):
            j += 1
        s, words = j, 0
        while j < n and words < 3 and toks[j].word and toks[j].text[:1].isupper() and toks[j].text not in _CAP_STOP \
                and not _is_acronym(toks[j].text) and run.same_sentence(i, j) and (j == s or not _breaks_name(run, j)):
            j = run.compound_end(j)
            words += 1
        if words and not any(c.prio == 0 and c.e > s for k in range(max(0, s - 8), s + 1) for c in run.at(k)):
            run.add(i, j, "PERSON", "pattern:person", 2, canonical=run.clean(s, j))
        i = max(j, i + 1)


# ================================================================================================ spaCy


def _entity_rows(entities: Iterable[Entity]) -> list[list[Any]]:
    return [[e.kind, e.text, e.canonical, e.start, e.end, e.id, e.sentence_start, e.sentence_end, e.rule]
            for e in entities]


def _entities_from_rows(doc: Doc) -> tuple[Entity, ...]:
    rows = doc._.cm_entity_rows or []
    return tuple(Entity(kind=r[0], text=r[1], canonical=r[2], start=r[3], end=r[4], id=r[5], sentence_start=r[6],
                        sentence_end=r[7], rule=r[8]) for r in rows)


def sentence_spans(doc: Doc, text: str | None = None) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of ``doc`` (one span if none are set), without trailing
    white space; read from arrays because iterating ``doc.sents`` costs a Python object per token."""
    text = doc.text if text is None else text
    if len(doc) == 0:
        return [(0, len(text))]
    flags = doc.to_array("SENT_START")
    idx = doc.to_array("IDX")
    starts = [0] + [int(idx[k]) for k in numpy.nonzero(flags == 1)[0] if k > 0]
    spans = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
    return spans


def register_extensions() -> None:
    """Register ``doc._.cm_entities`` (and its serialisable storage); safe to call more than once."""
    if not Doc.has_extension("cm_entity_rows"):
        Doc.set_extension("cm_entity_rows", default=None, force=True)
    if not Doc.has_extension("cm_entities"):
        Doc.set_extension("cm_entities", getter=_entities_from_rows, force=True)
    if not Doc.has_extension("cm_date"):
        Doc.set_extension("cm_date", default=None, force=True)


register_extensions()


class EntityComponent:
    """The spaCy pipeline component: runs :class:`EntityExtractor` on ``doc.text`` with the doc's sentences.

    Results are stored as plain rows (so docs survive ``nlp.pipe(n_process=...)``) and read back as
    :class:`Entity` records through ``doc._.cm_entities``. Set ``doc._.cm_date`` before the pipeline runs to
    resolve names by date.
    """

    def __init__(self, *, persons: bool = False, gazetteer_files: Sequence[str] = ()) -> None:
        self.persons = persons
        self.gazetteer_files = tuple(str(p) for p in gazetteer_files)
        self._extractor: EntityExtractor | None = None

    @property
    def extractor(self) -> EntityExtractor:
        if self._extractor is None:
            gaz = load_gazetteer([Path(p) for p in self.gazetteer_files])
            self._extractor = EntityExtractor(gaz, persons=self.persons)
        return self._extractor

    def __getstate__(self) -> dict[str, Any]:
        return {"persons": self.persons, "gazetteer_files": self.gazetteer_files, "_extractor": None}

    def __call__(self, doc: Doc) -> Doc:
        register_extensions()
        text = doc.text  # built from the tokens on every access: read it once
        found = self.extractor(text, sentences=sentence_spans(doc, text), date=doc._.cm_date)
        doc._.cm_entity_rows = _entity_rows(found)
        return doc


@Language.factory(
    "clustermine_entities",
    default_config={"persons": False, "gazetteer_files": []},
    assigns=["doc._.cm_entities"],
)
def make_entity_component(nlp: Language, name: str, persons: bool, gazetteer_files: list[str]) -> EntityComponent:
    """Factory for ``nlp.add_pipe("clustermine_entities", config={"persons": ..., "gazetteer_files": [...]})``."""
    return EntityComponent(persons=persons, gazetteer_files=gazetteer_files)


# ================================================================================================ facade

#: Texts longer than this are processed in pieces cut at blank lines (offsets are corrected).
CHUNK_CHARS = 500_000


def _chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering ``text``, cut at paragraph breaks where possible."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind("\n", start + size // 2, end)
            end = cut + 1 if cut != -1 else end
        yield start, text[start:end]
        start = end


def _shift(entities: Iterable[Entity], offset: int) -> list[Entity]:
    if not offset:
        return list(entities)
    return [Entity(kind=e.kind, text=e.text, canonical=e.canonical, start=e.start + offset, end=e.end + offset,
                   id=e.id, sentence_start=e.sentence_start + offset, sentence_end=e.sentence_end + offset,
                   rule=e.rule) for e in entities]


def _pipeline(persons: bool, gazetteer_files: Sequence[Path]) -> Language:
    from .nlp import german_pipeline  # late import: nlp.py imports this module to register the factory

    return german_pipeline(entities=True, persons=persons, gazetteer_files=gazetteer_files, lemmas=False)


def extract_entities(
    text: str, *, persons: bool = False, gazetteer_files: Sequence[Path] = (), date: str | None = None
) -> tuple[Entity, ...]:
    """The entities of one German text, sorted by offset; ``text[e.start:e.end] == e.text`` for each.

    ``persons`` adds PERSON mentions (off by default), ``gazetteer_files`` adds user TSVs, ``date`` (the
    document date, YYYY[-MM[-DD]]) prefers entries valid then when several share a name.
    """
    nlp = _pipeline(persons, gazetteer_files)
    out: list[Entity] = []
    for offset, piece in _chunks(text):
        doc = nlp.make_doc(piece)
        doc._.cm_date = date
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        out.extend(_shift(doc._.cm_entities, offset))
    return tuple(out)


def extract_entities_many(
    texts: Iterable[str],
    *,
    persons: bool = False,
    gazetteer_files: Sequence[Path] = (),
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[tuple[Entity, ...]]:
    """Entities of many texts, streamed in order, with spaCy batching (``n_process`` > 1 uses processes)."""
    nlp = _pipeline(persons, gazetteer_files)

    def pieces() -> Iterator[tuple[Doc, tuple[int, int, bool]]]:
        for n, text in enumerate(texts):
            parts = list(_chunks(text)) or [(0, "")]
            for k, (offset, piece) in enumerate(parts):
                yield nlp.make_doc(piece), (n, offset, k == len(parts) - 1)

    current: list[Entity] = []
    for doc, (_, offset, last) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        current.extend(_shift(doc._.cm_entities, offset))
        if last:
            yield tuple(current)
            current = []


__all__ = [
    "CHUNK_CHARS",
    "EntityComponent",
    "EntityExtractor",
    "extract_entities",
    "extract_entities_many",
    "fold_word",
    "make_entity_component",
    "register_extensions",
    "sentence_spans",
    "token_key",
    "tokenize",
]

