"""Turn the bytes of a text-like file into a string, guessing the encoding the way German material needs.

German documents come from two decades of Windows offices, DOS-era exports, old Macs and the web, so a file
may be UTF-8, cp1252, Latin-1/-9, UTF-16 or worse. Generic detectors often tie between single-byte encodings
on short texts; the tie is broken here by asking which decoding reads like German (umlauts, ß, „…“, €)
rather than like mojibake. The function never raises for bytes that decode somehow: a slightly wrong
character is better than losing a document from a batch.
"""

from __future__ import annotations

import codecs
import re
from itertools import islice

#: The encodings German documents actually use, in order of preference when everything else ties.
GERMAN_ENCODINGS: tuple[str, ...] = ("cp1252", "iso-8859-15", "iso-8859-1", "cp850", "mac_roman")

#: What a mixed decode is called: UTF-8 with stray cp1252 bytes (a page edited in two editors).
MIXED_UTF8 = "utf-8+cp1252"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# charset-normalizer spells the same encodings its own way.
_CN_NAMES = {"cp1252": "cp1252", "iso-8859-15": "iso8859_15", "iso-8859-1": "latin_1", "cp850": "cp850",
             "mac_roman": "mac_roman", "utf-16": "utf_16"}

# Friendly, stable names for what codecs.lookup() returns.
_CANONICAL = {"iso8859-1": "iso-8859-1", "latin-1": "iso-8859-1", "iso8859-15": "iso-8859-15",
              "mac-roman": "mac_roman", "windows-1252": "cp1252", "ascii": "ascii", "utf-8": "utf-8",
              "utf_8": "utf-8", "utf-16": "utf-16", "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be"}

#: DOS and Mac code pages are rare today: they must read clearly better to beat cp1252 and Latin-9.
_PRIOR = {"cp850": -1.5, "mac_roman": -1.5}
_GERMAN = set("äöüßÄÖÜ")
_GOOD_PUNCT = set("„“‚‘–—§…")
# Characters that a right decoding of German text almost never yields, but wrong ones often do.
_SUSPECT = set(
    "¤¦¨¯´¸¹²³¼½¾×÷±µ¬¿¡ªº¢¥ÃÂ"  # Latin-1 symbols and the lead bytes of UTF-8 read as Latin-1
    "ŠšŽžŸŒœƒ‰†‡ˆ˜"  # cp1252 extras that stand in for DOS/Mac umlauts
    "õðþýÐÞÝÕÌÍÎÏìíîïÒÓÔòóôùúûÙÚÛåÅæÆ"  # letters German does not use (cp850/mac umlauts read wrongly)
    "∂∑∏π∫Ω√≈∆◊ıˇ˘˙˚˛˝ﬁﬂ"  # mac_roman symbols
    "\ufffd"
)
_SUSPECT_LIGHT = set("éèàáçÇñøØ«»")  # real in names and loanwords, but also typical of wrong decodings
_INWORD_OK = set("’·\u00ad\u200b\u200c\u200d\u2010\u2011")  # may sit between two letters in real German
_NOTABLE = re.compile(r"[^\x20-\x7e\t\n\r\f\v]")
_HIGH_CONTEXT = re.compile(rb"[\x00-\x7f]{0,12}[\x80-\xff]+[\x00-\x7f]{0,12}")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_C1_BYTES = re.compile(rb"[\x80-\x9f]")


def _mixed_handler(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejected as cp1252 (Latin-1 for the five bytes cp1252 leaves undefined)."""
    bad = error.object[error.start:error.end]
    text = "".join(bytes([b]).decode("cp1252", errors="replace").replace("\ufffd", chr(b)) for b in bad)
    return text, error.end


codecs.register_error("clustermine-cp1252", _mixed_handler)


def canonical_name(encoding: str) -> str:
    """A stable spelling of ``encoding`` (``latin-1`` → ``iso-8859-1``); unknown names come back lowered."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding.strip().lower()
    return _CANONICAL.get(name, name)


def german_score(text: str) -> float:
    """How much ``text`` reads like German rather than mojibake; higher is better, comparable per input.

    Umlauts, ß and German quotes count for a decoding; controls, replacement characters, symbols wedged
    between letters ("F”rderung", "Stra§e") and letters German does not use count against it.
    """
    score = 0.0
    length = len(text)
    for match in _NOTABLE.finditer(text):  # plain ASCII scores zero, so only the rest is looked at
        ch = match.group()
        i = match.start()
        if ch in _GERMAN or ch == "€":
            score += 2.0
        elif ch in _GOOD_PUNCT:
            score += 1.0
        elif ch in _SUSPECT:
            score -= 3.0
        elif ch in _SUSPECT_LIGHT:
            score -= 0.5
        elif ch < " " or "\x7f" <= ch <= "\x9f":
            score -= 5.0
        elif ch > "\u02ff" and not ("\u2000" <= ch <= "\u20cf" or "\u2100" <= ch <= "\u214f"):
            score -= 2.0  # CJK and friends: what UTF-16 read with the wrong byte order looks like
        if (ch > "\x7f" and not ch.isalnum() and ch not in _INWORD_OK and 0 < i < length - 1
                and text[i - 1].isalpha() and text[i + 1].isalpha()):
            score -= 4.0
    return score


def _strip_bom(data: bytes) -> tuple[bytes, str | None]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):], name
    return data, None


def _utf16_without_bom(data: bytes) -> str | None:
    """Spot BOM-less UTF-16 by its NUL bytes: Latin text has one in every other position."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detector_order(data: bytes) -> list[str]:
    """Ask charset-normalizer, restricted to German encodings, for its ranking (best first)."""
    try:
        from charset_normalizer import from_bytes

        matches = from_bytes(data[:200_000], cp_isolation=list(_CN_NAMES.values()))
    except Exception:  # a detector failure must not cost the document; our own ranking still runs
        return []
    return [canonical_name(m.encoding) for m in matches]


def _declared_encoding(declared: str | None, data: bytes) -> str | None:
    """The declared charset as browsers would apply it (Latin-1/ASCII labels mean cp1252 on the web)."""
    if not declared:
        return None
    name = canonical_name(declared.strip().strip("'\""))
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    if name in ("iso-8859-1", "ascii") and _C1_BYTES.search(data):
        return "cp1252"
    return name


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and say how: ``(text, encoding)``.

    Order of trust: a byte-order mark; strict UTF-8 (it almost never decodes non-UTF-8 bytes by accident);
    BOM-less UTF-16; then the ``declared`` charset (HTML meta or HTTP header) competing with the German
    encodings ranked by charset-normalizer and :func:`german_score`; the declared charset wins ties,
    because being told beats guessing. A leading BOM is removed from the text.
    """
    body, bom_encoding = _strip_bom(data)
    if bom_encoding:
        return body.decode(bom_encoding, errors="replace"), bom_encoding
    text = _try(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16

    # Only the bytes around non-ASCII characters tell encodings apart, so rank on those snippets and
    # decode the whole file once, with the winner.
    sample = b"\n".join(m.group() for m in islice(_HIGH_CONTEXT.finditer(data), 20_000))
    candidates: list[tuple[str, float]] = []  # (encoding, bonus)
    declared_name = _declared_encoding(declared, data)
    if declared_name and declared_name != "utf-8" and _try(data, declared_name) is not None:
        candidates.append((declared_name, 0.5))
    ranked = _detector_order(data)
    order = [e for e in ranked if e in GERMAN_ENCODINGS] + [e for e in GERMAN_ENCODINGS if e not in ranked]
    for rank, encoding in enumerate(order):
        if _try(data, encoding) is not None:
            candidates.append((encoding, _PRIOR.get(encoding, 0.0) - 0.01 * rank))
    if _UTF8_MULTIBYTE.search(data):
        candidates.append((MIXED_UTF8, 0.0))

    best: tuple[float, str] | None = None
    for encoding, bonus in candidates:
        score = german_score(_decode(sample, encoding)) + bonus
        if best is None or score > best[0]:
            best = (score, encoding)
    if best is None:  # nothing decodes strictly: the fallback maps every byte, so this cannot fail
        return data.decode("cp1252", errors="clustermine-cp1252"), "cp1252"
    return _decode(data, best[1]), best[1]


def _decode(data: bytes, encoding: str) -> str:
    if encoding == MIXED_UTF8:
        return data.decode("utf-8", errors="clustermine-cp1252")
    return data.decode(encoding, errors="replace")


__all__ = ["GERMAN_ENCODINGS", "MIXED_UTF8", "canonical_name", "decode_text", "german_score"]
