"""Sub-tokens and their match keys: the one way both texts and gazetteer names are cut and normalised.

Why one module for both: a name can only match if the text and the alias were cut and keyed by the same code,
so the index (:mod:`.names`) and every rule read sub-tokens made here. A word is cut into parts at hyphens,
slashes and inner dots ("Ziel-2-Programm" -> Ziel | 2 | Programm, "EFRE.NRW" -> EFRE | NRW), each with
character offsets, and a word broken at a line end ("Bruch-\\nsal") is joined again. Every part gets a *key*:
lower case, umlauts and ß spelled out, German inflection endings stripped, so that "des Kreises Mettmann" meets
"Kreis Mettmann" and "im Bergischen Land" meets "Bergisches Land".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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


#: The items of a text: a word, a run of white space, or any other single character (no groups: ``findall``
#: gives the strings).
_ITEMS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\s+|.", re.DOTALL)
#: Characters that join two word parts without a space ("EU-Strukturfonds", "Köln/Bonn", "EFRE.NRW").
_JOINERS = frozenset("-/.+–‐‑")
_HYPHENS = frozenset("-–‐‑")
#: Punctuation left out of the key sequence (brackets, quotes, dashes, bullets).
_IGNORED = frozenset("()[]{}„“”\"'‚‘’»«›‹–—-‐‑/*•·|_~^°")
_CONJUNCTIONS = frozenset({"und", "oder", "sowie", "bzw"})
PARAGRAPH = "¶"
#: Marks and words that separate the items of a list ("Dortmund, Essen und Bochum").
SEPARATORS = frozenset({",", "und", "oder", "sowie", "bzw", "/", "&"})


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
    # One pass over the items as strings (words, runs of white space, single other characters), with offsets
    # counted along: cheaper than match objects, and the kind of an item shows in its first character. Sub-tokens
    # are built with positional arguments, all fields given (keywords make the call three times as slow).
    items = _ITEMS.findall(text)
    toks: list[Tok] = []
    append = toks.append
    new_tok, key_of, fold = Tok, token_key, fold_word
    n = len(items)
    nl = False
    e = 0
    skip = 0  # items already consumed (the rest of a word broken at a line end)
    for i, item in enumerate(items):
        s = e
        e = s + len(item)
        if skip:
            skip -= 1
            continue
        if item == " ":  # most white space: nothing to record
            continue
        first = item[0]
        if first.isspace():
            if item.count("\n") >= 2:
                append(new_tok(s, e, PARAGRAPH, PARAGRAPH, False, "", "", False, False, PARAGRAPH, PARAGRAPH))
            if not nl and "\n" in item:
                nl = True
            continue
        if first.isalnum():  # a word ([^\W_] is what str.isalnum accepts)
            tok = new_tok(s, e, item, key_of(item), True, "", "", False, nl, item, fold(item))
            if i >= 2 and items[i - 1] in _JOINERS and items[i - 2][0].isalnum() and toks and toks[-1].word:
                tok.jp = "-" if items[i - 1] in _HYPHENS else items[i - 1]
                toks[-1].jn = tok.jp
            append(tok)
            nl = False
            continue
        prev_word = i >= 1 and items[i - 1][0].isalnum()
        next_item = items[i + 1] if i + 1 < n else None
        if first in _JOINERS and prev_word and next_item is not None and next_item[0].isalnum():
            continue  # joiner: recorded on the next word
        if first in _HYPHENS and prev_word and toks and toks[-1].word:
            # a broken line ("Bruch-\nsal") or a truncated compound ("Kreativ- und")
            if next_item is not None and next_item[0].isspace() and "\n" in next_item and i + 2 < n \
                    and items[i + 2][0].isalnum():
                second = items[i + 2]
                if second[:1].islower() and fold(second) not in _CONJUNCTIONS:
                    w2e = e + len(next_item) + len(second)
                    last = toks[-1]
                    last.end, last.text = w2e, text[last.start : w2e]
                    last.form = text[last.start : s] + second
                    last.key = key_of(last.form)
                    last.low = fold(last.form)
                    skip = 2
                    continue
            toks[-1].trunc = True
            continue
        if first in _IGNORED or first == "\ufeff":
            continue
        append(new_tok(s, e, first, "." if first == "…" else first, False, "", "", False, nl, first, first))
        nl = False
    return _merge_legal_forms(toks)


def _merge_legal_forms(toks: list[Tok]) -> list[Tok]:
    """Turn "e. V." / "e.V." into one token keyed ``ev`` so that both spellings match."""
    if not any(t.text == "e" or t.text == "E" for t in toks):
        return toks
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


def is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_cap(tok: Tok) -> bool:
    return tok.word and tok.text[:1].isupper()


def is_brand(tok: Tok) -> bool:
    """A part of a made-up name: CamelCase, capitals only, digits, or dotted ("surface.net", "BioRiver")."""
    t = tok.text
    return tok.word and any(c.isalpha() for c in t) and (
        tok.jp == "." or tok.jn == "." or is_acronym(t) or any(c.isdigit() for c in t)
        or any(c.isupper() for c in t[1:]) and any(c.islower() for c in t)
    )
