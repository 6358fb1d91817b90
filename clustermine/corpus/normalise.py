"""Text normalisation shared by every reader.

Readers hand over text as their library produced it: PDF ligature glyphs, soft hyphens, non-breaking spaces,
decomposed umlauts from macOS, mis-decoded UTF-8 from old web servers, words broken across lines and headers
repeated on every page. Search and NLP need one spelling per word, so every reader sends its text through
:func:`normalise_text` and, where the source has lines laid out on pages, through :func:`join_hyphenation` and
:func:`remove_repeated_lines`.

``normalise_text`` is idempotent (``normalise_text(normalise_text(x)) == normalise_text(x)``); the order of
the steps below is what makes it so: everything that deletes characters runs before NFC and mojibake repair,
because a deletion can bring a base letter next to a combining mark or a lead byte next to its continuation.
"""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from collections import Counter

__all__ = ["join_hyphenation", "normalise_text", "remove_repeated_lines"]

# ----------------------------------------------------------------------------------------------------
# normalise_text

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")

#: Characters that carry no text: zero-width spaces and joiners, word joiner, byte order mark.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

#: C0 controls except tab, newline and form feed; DEL. C1 controls are handled later (they may be cp1252).
_C0_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f" + _INVISIBLE + "]")

#: A soft hyphen at a line end means the word goes on in the next line; U+0002 is pdfium's marker for it.
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*(?=\S)")

#: C1 bytes that cp1252 leaves undefined: they cannot be repaired, only dropped.
_C1_UNDEFINED = re.compile("[\x81\x8d\x8f\x90\x9d]")
_C1_DEFINED = re.compile("[\x80-\x9f]")

_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",  # long s + t
        "\ufb06": "st",
        "\u2010": "-",  # Unicode hyphen and non-breaking hyphen: one spelling for search
        "\u2011": "-",
        "\uf0b7": "\u2022",  # Symbol/Wingdings bullets in the private use area, as Word exports them
        "\uf0a7": "\u2022",
        "\uf0d8": "\u2022",
        "\uf0fc": "\u2022",
    }
)

#: Space characters that are not a plain space (NBSP, en/em/thin/narrow spaces, ideographic space ...).
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_MANY_BLANK_LINES = re.compile(r"\n{4,}")


def _build_continuations() -> dict[str, int]:
    """Map every character that a UTF-8 continuation byte (0x80-0xBF) turns into when mis-decoded.

    The same byte shows up as a C1 control (decoded as Latin-1) or as a cp1252 symbol (decoded as cp1252);
    both must map back to the byte.
    """
    table = {chr(b): b for b in range(0x80, 0xC0)}
    for b in range(0x80, 0xA0):
        with contextlib.suppress(UnicodeDecodeError):  # five bytes cp1252 leaves undefined
            table[bytes([b]).decode("cp1252")] = b
    return table


_CONTINUATION = _build_continuations()
_CONT_CLASS = "".join(re.escape(c) for c in sorted(_CONTINUATION))

#: Mojibake of UTF-8 read as cp1252/Latin-1, limited to the lead bytes German text produces: C2/C3 (Latin-1
#: letters and signs: "Ã¶" for ö, "Ã\x9f"/"ÃŸ" for ß) and E2 80-84 (quotes, dashes, bullet, ellipsis, €, ™).
_MOJIBAKE = re.compile(
    f"[\u00c2\u00c3][{_CONT_CLASS}]|\u00e2[\u20ac\u201a\u0192\u201e\x80-\x84][{_CONT_CLASS}]"
)

#: What a repair may produce. Anything else (C1 controls, soft hyphen, exotic punctuation) is left alone, so
#: correct text that happens to match the pattern is never turned into something stranger.
_REPAIRABLE = frozenset(
    [chr(c) for c in range(0xA0, 0x100) if c != 0xAD]
    + list("\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a")
    + ["\u20ac", "\u2122"]
)


def _repair_match(match: re.Match[str]) -> str:
    raw = bytes(_CONTINUATION.get(c, ord(c)) for c in match.group())
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group()
    return fixed if fixed in _REPAIRABLE else match.group()


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as cp1252 or Latin-1 ("FÃ¶rderung" -> "Förderung"), even twice over."""
    while True:  # text encoded twice needs a second round; each round shortens the text, so this ends
        repaired = _MOJIBAKE.sub(_repair_match, text)
        if repaired == text:
            return text
        text = repaired


def _c1_to_cp1252(match: re.Match[str]) -> str:
    """A C1 control in text is a cp1252 byte read as Latin-1: "\\x84" was „, "\\x96" was –."""
    return bytes([ord(match.group())]).decode("cp1252")


def _drop_invisible(text: str) -> str:
    """Remove what carries no text; runs first so later steps see the letters it separated as neighbours."""
    text = _NEWLINES.sub("\n", text)
    text = text.replace("\x02", "\u00ad")
    text = _C0_CONTROLS.sub("", text)
    text = _SOFT_HYPHEN_BREAK.sub("", text)
    text = text.replace("\u00ad", "")
    return _C1_UNDEFINED.sub("", text)


def _tidy_lines(text: str) -> str:
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_BLANK_LINES.sub("\n\n\n", text)
    return text.strip("\n")


def normalise_text(text: str) -> str:
    """Bring extracted text into the one form the rest of clustermine expects.

    NFC, ligatures expanded, soft hyphens removed (joining the word when they end a line), odd spaces made
    plain, control characters dropped (tab, newline and form feed stay), ``\\n`` line ends without trailing
    spaces, at most two blank lines in a row, and UTF-8 mojibake repaired where it is unambiguous.
    """
    if not text:
        return ""
    text = _drop_invisible(text)
    text = unicodedata.normalize("NFC", text)
    text = _repair_mojibake(text)
    text = _C1_DEFINED.sub(_c1_to_cp1252, text)
    text = text.translate(_LIGATURES)
    text = _ODD_SPACES.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    return _tidy_lines(text)


# ----------------------------------------------------------------------------------------------------
# join_hyphenation

#: A word broken at a line end: ``head-`` + newline (maybe trailing spaces, maybe one blank line when a text
#: block ends mid-word) + the start of the next word, which is only looked at, not consumed, so that a chain
#: like ``Ost-\nWest-\nAchse`` is handled link by link.
_LINE_BREAK_HYPHEN = re.compile(
    r"(?P<head>[^\W_]+)[-\u2010][ \t]*\n(?P<blank>[ \t]*\n)?[ \t]*(?=(?P<tail>[^\W_]+)(?P<dot>\.?))"
)

#: Words that continue a coordinated compound: "Wirtschafts- und Sozialpolitik", "Bundes- bzw. Landesmittel".
_CONJUNCTIONS = frozenset(
    {"und", "oder", "bzw", "sowie", "noch", "wie", "als", "u", "od", "beziehungsweise", "respektive"}
)

#: "öffentlich-rechtlichen", "wissenschaftlich-technisch": two adjectives, both keep their hyphen.
_ADJECTIVE_HEAD = re.compile(r"(lich|isch)$")
_ADJECTIVE_TAIL = re.compile(r"(lich|isch|ig)(e|em|en|er|es)?$")
_HYPHENATED_WORD = re.compile(r"[^\W_]+-[^\W_]+")


def _keeps_hyphen(head: str, tail: str, hyphenated: dict[str, set[str]]) -> bool:
    """Whether ``head-`` + ``tail`` is a real hyphenated compound rather than a word split by the layout."""
    if tail[0].isupper() or tail[0].isdigit():
        return True  # EU-Strukturfonds, Ziel-2-Gebiet
    if head[-1].isupper() or head[-1].isdigit():
        return True  # EU-weit, 3-jährig
    if _spelled_with_hyphen(head, tail, hyphenated):
        return True
    return bool(_ADJECTIVE_HEAD.search(head) and _ADJECTIVE_TAIL.search(tail))


def _spelled_with_hyphen(head: str, tail: str, hyphenated: dict[str, set[str]]) -> bool:
    """The document writes the pair with a hyphen elsewhere, maybe inflected or derived.

    "Baden-Württemberg" on one line vouches for "baden-\nwürttembergischen" on another.
    """
    tail = tail.lower()
    known_tails = hyphenated.get(head.lower(), ())
    return any(tail.startswith(known) for known in known_tails if len(known) >= 3 or known == tail)


def _hyphenated_pairs(text: str) -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = {}
    for word in _HYPHENATED_WORD.findall(text):
        head, _, tail = word.lower().partition("-")
        pairs.setdefault(head, set()).add(tail)
    return pairs


def join_hyphenation(text: str) -> str:
    """Join words that the layout broke at a line end, keeping hyphens that belong to the word.

    ``Clusterför-\\nderung`` becomes ``Clusterförderung``; ``EU-\\nStrukturfonds`` and ``Ziel-\\n2-Gebiet``
    keep their hyphen; ``Wirtschafts-\\nund Sozialpolitik`` becomes ``Wirtschafts- und Sozialpolitik``. The
    two lines become one, because the line break was the layout's, not the author's.
    """
    if "-\n" not in text and "\u2010" not in text and not re.search(r"-[ \t]+\n", text):
        return text
    hyphenated = _hyphenated_pairs(text)

    def join(match: re.Match[str]) -> str:
        head, tail = match["head"], match["tail"]
        if tail.lower() in _CONJUNCTIONS and (tail.lower() not in {"u", "od", "bzw"} or match["dot"]):
            return f"{head}- "
        if _keeps_hyphen(head, tail, hyphenated):
            return match.group() if match["blank"] else f"{head}-"
        return head

    return _LINE_BREAK_HYPHEN.sub(join, text)


# ----------------------------------------------------------------------------------------------------
# remove_repeated_lines

#: How many non-blank lines at the top and bottom of a page may be running headers or footers.
_ZONE = 3
#: Shorter lines ("Mo", "TOP", "a)") repeat because of tables and lists, not because they are headers.
_MIN_KEY = 4
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")

#: A line that is nothing but a page number: "3", "- 3 -", "– 3 –", "Seite 3", "Seite 3 von 12", "3 / 12",
#: "S. 3", "Page 3 of 12", "[3]".
_PAGE_NUMBER = re.compile(
    r"^(?:[-\u2013\u2014\[(]\s*)?(?:(?:seite|page|s\.|blatt)\s*)?(?P<n>\d{1,4})"
    r"(?:\s*(?:/|von|of|aus)\s*\d{1,4})?(?:\s*[-\u2013\u2014\])])?$",
    re.IGNORECASE,
)


def _line_key(line: str) -> str:
    """What a running header looks like once page numbers and spacing no longer tell the pages apart."""
    return _DIGITS.sub("#", _SPACES.sub(" ", line.strip())).casefold()


def _zone_indexes(lines: list[str]) -> list[int]:
    """Indexes of the first and last few non-blank lines of a page, where headers and footers live."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:_ZONE] + filled[-_ZONE:]))


def _is_page_number(line: str, page_index: int) -> bool:
    """A bare number counts as a page number only near the page's own position (front matter shifts it)."""
    match = _PAGE_NUMBER.match(line.strip())
    if not match:
        return False
    if any(c.isalpha() for c in line) or "/" in line:
        return True  # "Seite 3 von 12", "3 / 12" say so themselves
    return abs(int(match["n"]) - (page_index + 1)) <= 3


def _repeated_keys(zones: list[list[str]]) -> set[str]:
    """Keys that appear in the header/footer zone of most pages (at least half, and at least twice)."""
    counts: Counter[str] = Counter()
    for keys in zones:
        counts.update(set(keys))
    needed = max(2, math.ceil(len(zones) / 2))
    return {key for key, count in counts.items() if count >= needed and len(key.replace(" ", "")) >= _MIN_KEY}


def remove_repeated_lines(pages: list[str]) -> list[str]:
    """Drop running headers, footers and page numbers from the pages of one document.

    A line in the first or last few lines of a page is dropped when the same line (digits masked, so "Seite 3
    von 12" matches "Seite 4 von 12") is in that zone on most pages. Documents of one or two pages cannot
    show what repeats, so there only bare page numbers go.
    """
    split = [page.split("\n") for page in pages]
    zones = [_zone_indexes(lines) for lines in split]
    repeated: set[str] = set()
    if len(pages) >= 3:
        zone_keys = [[_line_key(lines[i]) for i in zone] for lines, zone in zip(split, zones, strict=True)]
        repeated = _repeated_keys(zone_keys)
    result = []
    for page_index, (lines, zone) in enumerate(zip(split, zones, strict=True)):
        drop = {i for i in zone if _line_key(lines[i]) in repeated or _is_page_number(lines[i], page_index)}
        kept = [line for i, line in enumerate(lines) if i not in drop]
        result.append("\n".join(kept).strip("\n") if drop else pages[page_index])
    return result
