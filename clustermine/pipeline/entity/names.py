"""The alias index: every gazetteer name cut into keys and stored in tries, built once per gazetteer.

Why an index of keys: matching a text is a walk through a trie of key sequences (:mod:`.matching`), so the work
on the names (sub-tokens, derived bare forms, which names need context or are weak, which field a compound
modifier names, which programme entry stands for a period) is done here once and cached per gazetteer instead
of once per text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..gazetteer import Gazetteer, GazetteerEntry, bare_name, fold
from .keys import PARAGRAPH, Tok, fold_word, is_acronym, token_key, tokenize

#: Designators whose aliases ("Kreis Wesel", "Leitmarkt Gesundheit") may be named in a governed list.
LIST_DESIGNATORS: dict[str, str] = {
    "krei": "kreis", "landkrei": "kreis", "stadt": "stadt", "staedt": "stadt", "leitmarkt": "leitmarkt",
    "leitmaerkt": "leitmarkt", "regierungsbezirk": "bezirk",
}
# The field vocabulary: the index derives field modifiers and weak field names from it, and
# :mod:`.compound_heads` reads compounds with it.
#: Heads of compounds that name a cluster field by its modifier (brief: Logistikbranche, Gesundheitscluster).
COMPOUND_HEADS = ("wirtschaft", "branche", "sektor", "industrie", "cluster", "netzwerk", "kompetenzfeld",
                  "standort")
COMPOUND_HEAD_RE = re.compile(r"(" + "|".join(COMPOUND_HEADS) + r")(?:e|en|n|s|es|er|ern)?$")
#: Heads of words that name an economic sector ("Werkzeugindustrie", "Holzbau", "Telemedizin").
SECTOR_HEADS = ("wirtschaft", "industrie", "branche", "technik", "technologie", "technologien", "handwerk",
                "medizin", "oekonomie", "elektronik", "energie", "energien", "logistik", "tourismus", "chemie",
                "dienstleistungen", "verarbeitung")
#: A period ending a programme name ("EFRE 2014–2020"): that entry is the period variant of the bare name.
_PERIOD_IN_NAME = re.compile(r"\s*\(?\s*((?:19|20)\d\d)\s*[–-]\s*((?:19|20)\d\d)\s*\)?\s*$")
#: A ministry named with its Land: "Ministerium für X des Landes NRW" is also called "Ministerium für X".
_LAND_SUFFIX = re.compile(r"^((?:Bayerisches\s+)?\S*[Mm]inisterium\b.*?)\s+(?:des\s+(?:Landes|Freistaate?s)\s+)?"
                          r"(Nordrhein-Westfalen|Baden-Württemberg|Niedersachsen|Hessen|Bayern|Sachsen|Sachsen-Anhalt|"
                          r"Thüringen|Brandenburg|Schleswig-Holstein|Rheinland-Pfalz|Saarland|Berlin|Hamburg|Bremen|"
                          r"Mecklenburg-Vorpommern)$")
#: Reasons in ambiguous_regions.tsv that make a name a common word, and reasons that only say several places
#: share it; a name is treated as a common word unless its reason is only a shared name.
_COMMON_WORD_REASON = re.compile(
    r"common|verb|adjective|surname|first name|family name|brand|word|breed|plural|tense|store|novel|reads like|"
    r"comparative|bank|part of|noun|name of a", re.IGNORECASE)
_SHARED_REASON = re.compile(r"share|also |many places|shortened|confused|versus|other places", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Name:
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
    return (entry.kind == "PROGRAM" and len(toks) == 2 and toks[0].text.isalpha() and not is_acronym(toks[0].text)
            and bool(_NUMBER.match(toks[1].text)))


def _name_tokens(name: str) -> list[Tok]:
    return [t for t in tokenize(name) if t.key != PARAGRAPH]


class NameIndex:
    """Everything derived from the gazetteer once: tries, field modifiers, period variants."""

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
            acronyms = tuple(t.word and is_acronym(t.text) for t in toks)
            if not keys or (entry.id, keys, acronyms) in seen:
                continue
            if derived and keys in explicit:
                continue  # an explicit name of another entry wins over a derived bare form
            if not derived:
                explicit.add(keys)
            seen.add((entry.id, keys, acronyms))
            single = len(toks) == 1 and toks[0].word
            record = Name(
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
            group = LIST_DESIGNATORS.get(keys[0])
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
    def _insert(trie: dict[str, Any], keys: tuple[str, ...], record: Name) -> None:
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
        if is_acronym(name):
            return False
        letters = sum(c.isalpha() for c in name)
        return entry.id in self.common_word or letters <= 4

    @staticmethod
    def _is_weak(entry: GazetteerEntry, name: str) -> bool:
        if entry.kind != "CLUSTER" or entry.subkind != "field" or is_acronym(name):
            return False
        folded = fold_word(name)
        if folded in ("energie", "chemie", "logistik", "tourismus"):
            return True
        return len(folded) <= 11 and not folded.endswith((*SECTOR_HEADS, "kohle", "bau"))

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
                if " " in name or is_acronym(name):
                    continue
                folded = fold_word(name.replace("-", ""))
                add(folded, entry)
                m = COMPOUND_HEAD_RE.search(folded)
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

    def single_word(self, word: str, kind: str | None = None) -> list[Name]:
        """Names that are exactly this one word (inflection allowed), optionally of one kind."""
        node = self.trie.get(token_key(word))
        if not node:
            return []
        return [r for r in node.get("", []) if r.single and (kind is None or r.entry.kind == kind)]


@lru_cache(maxsize=8)
def index_for(gazetteer: Gazetteer) -> NameIndex:
    """The index of ``gazetteer``, built once and shared by all extractors on it (building takes a while)."""
    return NameIndex(gazetteer)
