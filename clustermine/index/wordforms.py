"""German word forms for search: spelling folding, a light stemmer, lemma exceptions and stop words.

These are plain functions of one word (no whoosh here), so the analysis chain, the query side and the
``--explain`` output all agree on what a word becomes. The pipeline is ``fold`` then ``stem``:

- ``fold`` makes spelling variants one string: lower case, ``ä/ö/ü`` → ``ae/oe/ue`` and ``ß`` → ``ss`` (so
  "Förderung", "Foerderung" and "FÖRDERUNG" meet, and "Straße", "Strasse" and "STRASSE" meet), other accents
  dropped ("Café" → "cafe"). Umlauts are *expanded*, never stripped: "Förderung" must not meet "Forderung".
- ``stem`` removes inflection: a light suffix stripper (``light_stem``, written for this project in the spirit
  of the published "light" German stemmers: case and number endings only, no derivational suffixes), plus
  exceptions taken from spaCy's German lemma lookup table (spacy-lookups-data) for what suffix stripping
  cannot see: umlaut plurals ("Städte" → "stadt"), irregular plurals ("Zentren" → "zentrum"), adjective forms
  in "-er"/"-em" ("regionaler"), verb forms ("gefördert" → "foerder"), and compounds the table does not list
  but whose last noun it does ("Arbeitsplätze" → "arbeitsplatz"). Measured on hand-made pairs from this
  domain (``bench/bench_analysis.py --quality``): rules alone meet 66 of 90 inflection pairs, the table alone
  71, whoosh's Snowball German stemmer 70, both together 90, merging 1 of 20 pairs that must stay apart.

The exception table is built on first use, once per process: about 1.5 s and 45 MB (the raw table is read
and dropped). Every word is folded before it is stemmed, and the table is keyed by folded forms, so "Raete" and
"Räte" both become "rat". Results are cached per word (texts repeat their vocabulary); the caches are cleared
when they grow past ``CACHE_LIMIT`` entries, which bounds memory on very large corpora.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CACHE_LIMIT", "STOP_WORDS", "fold", "is_stop_word", "light_stem", "stem"]

#: Cached words per cache before it is emptied. The index asks these caches only for token texts its own token
#: cache misses (see ``analysis.TOKEN_CACHE_LIMIT``), so a smaller bound costs no time; each of the index
#: writer processes holds its own copy, and at 500,000 entries each cache took 50-80 MB per process.
CACHE_LIMIT = 100_000

#: Shortest word the stemmer touches and shortest stem it leaves: keeps "EFRE", "Orte", "Gase" whole (the
#: exception table handles the short plurals that matter, "Orte" → "ort").
MIN_WORD = 5
MIN_STEM = 3

#: Letters after which a final "s" is a genitive or plural ending ("Verlags", "Fonds"), not part of the stem
#: ("Kreis", "Prozess", "Status").
_S_ENDING_AFTER = frozenset("bdfghklmnrt")

#: Endings removed by the second step, longest first; at most one is removed.
_ENDINGS = ("en", "es", "e")

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss", "\u00ad": None, "\u200b": None})

_fold_cache: dict[str, str] = {}
_stem_cache: dict[str, str] = {}


def fold(text: str) -> str:
    """The spelling every index term uses: lower case, umlauts expanded, ß → ss, other diacritics dropped.

    Works on any text (a word, a phrase); a hyphen, digit or dot is kept as it is.
    """
    folded = _fold_cache.get(text)
    if folded is None:
        folded = _fold(text)
        if len(_fold_cache) >= CACHE_LIMIT:
            _fold_cache.clear()
        _fold_cache[text] = folded
    return folded


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    # NFC first so that a decomposed "o" + combining diaeresis is an "ö" before it is expanded.
    low = unicodedata.normalize("NFC", text).lower().translate(_UMLAUTS)
    if low.isascii():
        return low
    decomposed = unicodedata.normalize("NFKD", low)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def light_stem(word: str) -> str:
    """Strip German case and number endings from a folded word: the rule part of ``stem``, without exceptions.

    Two steps, each removing at most one ending, and never leaving fewer than ``MIN_STEM`` letters:

    1. a final "s" after a consonant that can end a German stem ("Unternehmens" → "unternehmen",
       "Clusters" → "cluster"), or "-innen" → "-in" ("Unternehmerinnen" → "unternehmerin");
    2. the "n" of "-ern" and "-eln" ("Clustern" → "cluster", "Mitteln" → "mittel"), or one of "-en", "-es",
       "-e" ("Kreises" → "kreis", "regionalen" → "regional", "Hochschule" → "hochschul").

    "-er" itself is kept: German has too many nouns ending in it ("Cluster", "Unternehmer", "Partner") that a
    stripper would merge with other words ("Unternehmen"); the adjective forms in "-er"/"-em" ("regionaler")
    come from the lemma exceptions instead. Derivational suffixes ("-ung", "-lich") are kept too:
    "Förderung" is not "fördern".
    """
    if len(word) < MIN_WORD or not word.isalpha():
        return word
    if word.endswith("innen"):
        word = word[:-3]
    elif word[-1] == "s" and word[-2] in _S_ENDING_AFTER:
        word = word[:-1]
    if word.endswith(("ern", "eln")):
        return word[:-1]
    for ending in _ENDINGS:
        if word.endswith(ending):
            if len(word) - len(ending) >= MIN_STEM:
                return word[: -len(ending)]
            break
    return word


def stem(word: str) -> str:
    """The index term of one word: folded, then its lemma exception or its light stem.

    ``stem("Kreises") == stem("Kreise") == stem("Kreis")``, ``stem("Städte") == stem("Stadt")``,
    ``stem("Foerderungen") == stem("Förderung")``. Words with digits or other non-letters are only folded.
    """
    result = _stem_cache.get(word)
    if result is None:
        result = _stem(fold(word))
        if len(_stem_cache) >= CACHE_LIMIT:
            _stem_cache.clear()
        _stem_cache[word] = result
    return result


def _stem(folded: str) -> str:
    table = _exceptions()
    known = table.others.get(folded) or table.nouns.get(folded)
    if known:
        return known
    if len(folded) >= MIN_COMPOUND and folded.isalpha() and not folded.endswith("innen"):
        # A compound the table does not list may end in a noun it does: "Arbeitsplätze" → arbeits|platz. The
        # longest noun ending decides; where its stem is the rule stem anyway, the rule stem stands. Feminine
        # plurals ("Unternehmerinnen") are left to the rule, or they would end in "Rinnen".
        for start in range(MIN_MODIFIER, len(folded) - MIN_HEAD + 1):
            tail = folded[start:]
            head = table.nouns.get(tail)
            if head:
                if head != light_stem(tail):
                    return folded[:start] + head
                break
    return light_stem(folded)


# -- lemma exceptions ---------------------------------------------------------------------------------------

#: Compounds (by length) whose last noun is looked up in the exception table, and the shortest modifier and
#: head that lookup accepts (shorter tails such as "orte" match too many words by accident).
MIN_COMPOUND = 9
MIN_MODIFIER = 4
MIN_HEAD = 5

#: Lemma-table entries a searcher would not want: "Daten" (data) is not a plural of "Datum" (date).
_NOT_INFLECTIONS = frozenset({"daten"})


@dataclass(frozen=True)
class Exceptions:
    """Folded word form → stem: ``others`` where the lemma table knows better than ``light_stem``; ``nouns``
    for every noun form, because only a noun form may end a compound, and a word the table lists as a noun
    must not be taken for a compound ending in some shorter noun ("Unternehmerinnen" is no "…|innen")."""

    nouns: dict[str, str]
    others: dict[str, str]


#: Bump when ``build_exceptions`` or ``light_stem`` change, so cached tables are built again.
EXCEPTIONS_VERSION = 1


@functools.cache
def _exceptions() -> Exceptions:
    """The exception table, kept for the life of the process.

    Building it costs about 1.2 s (reading the 355,000-entry lemma table and boiling it down), which every
    ``clustermine search`` would pay at start; so the result is cached as JSON (about 0.15 s to read) in the
    user's cache folder, keyed by the lemma table file and ``EXCEPTIONS_VERSION``. A cache that cannot be read
    or written is ignored: it only saves time.
    """
    cache = _exceptions_cache_path()
    if cache is not None:
        try:
            nouns, others = json.loads(cache.read_text(encoding="utf-8"))
            return Exceptions(nouns, others)
        except (OSError, ValueError, TypeError):
            pass
    table = build_exceptions(read_lemma_lookup())
    if cache is not None:
        _write_cache(cache, json.dumps([table.nouns, table.others], ensure_ascii=False, separators=(",", ":")))
    return table


def _lemma_lookup_path() -> Path | None:
    try:
        import spacy_lookups_data
    except ImportError:
        return None
    return Path(spacy_lookups_data.__file__).parent / "data" / "de_lemma_lookup.json.gz"


def _exceptions_cache_path() -> Path | None:
    source = _lemma_lookup_path()
    try:
        stat = source.stat() if source is not None else None
    except OSError:
        return None
    if stat is None:
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clustermine"
    return base / f"stem-exceptions-v{EXCEPTIONS_VERSION}-{stat.st_size}-{int(stat.st_mtime)}.json"


def _write_cache(path: Path, text: str) -> None:
    """Write atomically (another process may read it at the same moment); failures are silent."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".stem-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temp)


def read_lemma_lookup() -> dict[str, str]:
    """spaCy's German lemma lookup table (form → lemma), read straight from spacy-lookups-data's data file.

    An empty table (stemming by rule only) when the package is not installed: search still works, a few
    irregular plurals just do not meet their singular.
    """
    path = _lemma_lookup_path()
    if path is None:
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table: dict[str, str] = json.load(handle)
    return table


def build_exceptions(lookup: dict[str, str]) -> Exceptions:
    """The lemma table boiled down to what ``stem`` needs, keyed by folded form (see ``Exceptions``).

    Only letters-only forms and lemmas are used, and only where case shows form and lemma to be of the same
    word class (a capitalised form with a capitalised lemma: nouns; lower case with lower case: adjectives and
    verbs); cross-class entries ("Beschäftigten" → "beschäftigen") would merge words a searcher keeps apart.
    When a folded form is both a noun (a noun form or a noun lemma) and another word's form ("Betriebe": noun
    plural, or a form of "betreiben"; "Garten", or a form of "garen"; "Dienst", or a form of "dienen"), the
    noun wins: nouns carry the topics of a policy text.
    """
    nouns: dict[str, str] = {}
    others: dict[str, str] = {}
    noun_lemmas: set[str] = set()
    for form, lemma in lookup.items():
        if not form.isalpha() or not lemma.isalpha() or form[0].isupper() != lemma[0].isupper():
            continue
        if form.isupper() and len(form) > 1:  # acronyms
            continue
        key = _fold(form)
        if key in _NOT_INFLECTIONS:
            continue
        target = light_stem(_fold(lemma))
        if form[0].isupper():
            nouns[key] = target
            noun_lemmas.add(_fold(lemma))
        elif light_stem(key) != target:
            others[key] = target
    for key in (nouns.keys() | noun_lemmas) & others.keys():
        del others[key]
    return Exceptions(nouns, others)


# -- stop words ---------------------------------------------------------------------------------------------

_STOP_WORDS_TEXT = """
der die das des dem den ein eine einer eines einem einen kein keine keiner keines keinem keinen
ich du er sie es wir ihr mich dich sich uns euch mir dir ihm ihn ihnen
mein meine meiner meines meinem meinen dein deine sein seine seiner seines seinem seinen
ihre ihrer ihres ihrem ihren unser unsere unserer unseres unserem unseren euer eure
dieser diese dieses diesem diesen jener jene jenes jenem jenen jeder jede jedes jedem jeden
welcher welche welches welchem welchen derselbe dieselbe dasselbe derjenige diejenige dasjenige
man wer was wem wen wessen dessen deren denen
und oder aber sondern denn doch sowie bzw beziehungsweise sowohl als auch weder noch entweder
dass daß ob wenn weil da damit obwohl obgleich während bevor nachdem sobald solange soweit sofern falls
wie wo woran worauf woraus wobei wodurch wofür wogegen womit wonach worüber wozu
an am auf aus bei beim bis durch für gegen hinter in im ins mit nach neben ohne seit über um unter
vom von vor zu zum zur zwischen gegenüber entlang innerhalb außerhalb oberhalb unterhalb
aufgrund anhand mittels laut gemäß trotz wegen statt anstatt je pro per samt
bin bist ist sind seid war warst waren wart gewesen wäre wären sei
habe hast hat haben habt hatte hatten hätte hätten gehabt
werde wirst wird werden werdet wurde wurden würde würden worden geworden
kann kannst können könnt konnte konnten könnte könnten
muss musst müssen müsst musste mussten müsste müssten
soll sollst sollen sollt sollte sollten will willst wollen wollt wollte wollten
darf dürfen durfte dürfte mag mögen möchte möchten
nicht nur noch schon auch sehr so sowie dann dort hier da daher darum deshalb deswegen somit also
dabei dadurch dafür dagegen daher damit danach daneben daran darauf daraus darin darüber darunter davon
davor dazu hierzu hierbei hierfür hiermit hierüber
etwa ebenso ebenfalls bereits jedoch zudem außerdem ferner insbesondere sogar sonst stets immer oft
mehr weniger viel viele vielen vieler wenig wenige einige einigen einiger alle allen aller alles
andere anderen anderer anderes anderem sämtliche sämtlichen solche solchen solcher solches
hin her wieder weiter bzw ca usw etc ggf evtl bspw inkl sog
"""

#: German function words: articles, pronouns, prepositions, conjunctions, auxiliary and modal verb forms,
#: frequent adverbs. Each in its written and its folded spelling ("für", "fuer"), so the list works before and
#: after folding. Deliberately absent: abbreviations that look like words in other languages ("EU", "IT") and
#: anything that names a topic.
STOP_WORDS: frozenset[str] = frozenset(
    spelling for word in _STOP_WORDS_TEXT.split() for spelling in (word, fold(word))
)


def is_stop_word(word: str) -> bool:
    """True for a German function word, in any case or spelling ("Für", "fuer", "DASS", "daß")."""
    return word.lower() in STOP_WORDS or fold(word) in STOP_WORDS
