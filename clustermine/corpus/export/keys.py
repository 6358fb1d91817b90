"""Citation keys such as ``mettmann2013clusterfoerderung``: who or where, when, and what, readable and stable.

A key is the issuer's (or place's) first telling word, the year and the first significant word of the title,
transliterated to ASCII (``ö`` → ``oe``, ``ß`` → ``ss``). Documents whose keys would collide get ``a``, ``b``,
``c`` … in the order of their dates. Keys are assigned over the whole corpus, not over one export, so a
document keeps its key in every list you export from the same corpus and a manuscript's citations keep working
when you export a larger list later.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                                  "ẞ": "SS", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l"})

#: Words that say what kind of body issued a document, not which one: skipped to reach the place or name.
_ISSUER_GENERIC = """
    kreis landkreis herzogtum stadt gemeinde markt samtgemeinde verbandsgemeinde amt region regionalverband verband
    landeshauptstadt hansestadt freie kreisfreie städteregion staedteregion bezirk bezirksregierung regierungsbezirk
    landtag bundestag rat kreistag stadtrat regionalrat regionalversammlung deputation senat senator senatorin
    ministerium staatsministerium landesregierung landesamt bundesministerium bundesamt der die das des dem den
    für fuer und im in am an zu zur zum von vom bei mit c o
    fraktion kreistagsfraktion ratsfraktion geschäftsstelle geschaeftsstelle stabsstelle dezernat fachbereich
    ressort referat abteilung arbeitsgruppe lehrstuhl institut universität universitaet hochschule fachhochschule
    technische gesellschaft wirtschaftsförderung wirtschaftsfoerderung wirtschaftsförderungsgesellschaft
    wirtschaftsfoerderungsgesellschaft e v ev gmbh mbh ag eg kg ggmbh gbr
"""
ISSUER_GENERIC = frozenset(_ISSUER_GENERIC.split())

#: German (and a few English) function words that never make a good key word.
_TITLE_STOPWORDS = """
    der die das des dem den ein eine einer eines einem einen und oder sowie für fuer im in am an auf aus bei
    mit nach über ueber unter vom von vor zu zur zum zwischen gegen durch als wie nicht neue neuer neues
    the of and for on to a an
"""
TITLE_STOPWORDS = frozenset(_TITLE_STOPWORDS.split())


@dataclass(frozen=True)
class KeySource:
    """What a key is made of: the document's title, date, council body, issuer, and its main region (a place
    to fall back on when nobody is named as issuer)."""

    id: str
    title: str
    date: str | None = None
    body: str | None = None
    issuer: str | None = None
    place: str | None = None


def transliterate(text: str) -> str:
    """Lower-case ASCII letters and digits only: ``Clusterförderung`` → ``clusterfoerderung``."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text or "")


def issuer_word(body: str | None, issuer: str | None) -> str:
    """The place or name that identifies the issuer: ``Kreis Mettmann`` → ``mettmann``.

    A parenthesised acronym in the issuer wins (``Institut Arbeit und Technik (IAT)`` → ``iat``).
    """
    for text in (body, issuer):
        if not text:
            continue
        head = text.split(",")[0]
        acronym = re.search(r"\(([A-ZÄÖÜ][A-Za-zÄÖÜäöü]{1,9})\)", head)
        if acronym and sum(c.isupper() for c in acronym.group(1)) >= 2:
            return transliterate(acronym.group(1))
        for word in _words(head):
            folded = word.casefold()
            if folded not in ISSUER_GENERIC and len(word) > 1:
                return transliterate(word)
    return ""


def title_word(title: str) -> str:
    """The first word of the title that is not a function word and has three letters or more."""
    for word in _words(title):
        if len(word) >= 3 and word.casefold() not in TITLE_STOPWORDS:
            return transliterate(word)
    return ""


def key_base(source: KeySource) -> str:
    """The key before disambiguation; ``anon`` stands in for an unknown issuer and place."""
    who = issuer_word(source.body, source.issuer) or issuer_word(source.place, None) or "anon"
    year = source.date[:4] if source.date and source.date[:4].isdigit() else ""
    return f"{who}{year}{title_word(source.title)}"


def suffix(n: int) -> str:
    """0 → ``a``, 25 → ``z``, 26 → ``aa`` … (as many letters as needed)."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def assign_keys(sources: Iterable[KeySource]) -> dict[str, str]:
    """A unique key for every document id. Colliding keys get a, b, c … by date (undated last), then id."""
    groups: dict[str, list[KeySource]] = defaultdict(list)
    for source in sources:
        groups[key_base(source)].append(source)
    keys: dict[str, str] = {}
    taken = {base for base, members in groups.items() if len(members) == 1}
    for base in sorted(groups):
        members = groups[base]
        if len(members) == 1:
            keys[members[0].id] = base
            continue
        members.sort(key=lambda s: (s.date is None, s.date or "", s.title, s.id))
        n = 0
        for member in members:
            while f"{base}{suffix(n)}" in taken:  # a base that happens to end like another key plus a letter
                n += 1
            keys[member.id] = f"{base}{suffix(n)}"
            taken.add(keys[member.id])
            n += 1
    return keys
