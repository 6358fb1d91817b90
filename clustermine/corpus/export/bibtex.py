"""BibTeX (biblatex flavour, UTF-8) for LaTeX, JabRef, Zotero and Citavi.

Decisions, each for a reader of the file:

- UTF-8 stays UTF-8 (biber and modern BibTeX read it); only the characters LaTeX treats as commands are
  escaped: ``{ } % & # _ $ ~ ^ \\`` and the straight double quote, which German babel makes a shorthand.
- Literal braces become ``\\{``/``\\}`` when they pair up; an unpaired one becomes ``\\textbraceleft{}``, because
  BibTeX counts braces even after a backslash and one stray brace would break the whole file.
- TeX ligatures that would change the text (``--`` → en dash, ``''`` → quote, ``<<``) are broken with ``{}``.
- Classic BibTeX styles lower-case titles; German nouns must keep their capitals, so every word with a capital
  letter is protected with braces. Corporate authors are wrapped in braces so that "Kreis Mettmann, Amt für …"
  is not read as "Lastname, Firstname".
- ``url`` and ``file`` are verbatim fields in biblatex: they are written as they are, not escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from clustermine.corpus.export.record import Reference, normalise_space

#: Entry type per citation kind.
ENTRY_TYPES = {"report": "techreport", "online": "online", "misc": "misc", "event": "inproceedings"}

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    '"': r"\textquotedbl{}",
}
_LIGATURES = re.compile(r"(?<=-)(?=-)|(?<=')(?=')|(?<=`)(?=`)|(?<=<)(?=<)|(?<=>)(?=>)|(?<=[!?])(?=`)")
_WORD = re.compile(r"(?<!\\)(?<![^\W_])[^\W_]+")  # a run of letters/digits that is not a macro name


def render(references: Sequence[Reference], *, header: Sequence[str] = ()) -> str:
    """The entries, separated by blank lines, after a ``% Encoding: UTF-8`` line (JabRef reads it).

    BibTeX has no comments outside entries: it skips text up to the next ``@``. The header lines (query,
    collection note) therefore must not contain one, or it would start a broken entry.
    """
    lines = ["% Encoding: UTF-8", *(f"% {normalise_space(line).replace('@', '(at)')}" for line in header), ""]
    return "\n".join(lines) + "\n" + "\n".join(entry(ref) for ref in references)


def entry(ref: Reference) -> str:
    """One ``@type{key, field = {value}, …}`` block."""
    fields = [(name, value) for name, value in _fields(ref) if value]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{ENTRY_TYPES[ref.kind]}{{{ref.key},\n{body},\n}}\n"


def _fields(ref: Reference) -> list[tuple[str, str | None]]:
    kind = ref.kind
    corporate = f"{{{escape(ref.issuer)}}}" if ref.issuer else None
    fields: list[tuple[str, str | None]] = [("author", corporate), ("title", protect(escape(ref.title)))]
    if kind == "event":
        event = protect(escape(ref.event or ref.title))
        fields += [("booktitle", event), ("eventtitle", event), ("eventdate", ref.date),
                   ("organization", escape(ref.institution))]
    elif kind == "report":
        fields += [("institution", escape(ref.institution)), ("type", escape(ref.genre)),
                   ("number", escape(ref.number))]
    else:
        fields += [("organization", escape(ref.institution)), ("type", escape(ref.genre))]
    fields += [
        ("date", ref.date),
        ("year", str(ref.year) if ref.year else None),
        ("language", "german" if ref.language == "de" else ref.language),
        ("langid", "ngerman" if ref.language == "de" else None),
        ("keywords", escape(", ".join(ref.keywords))),
        ("abstract", escape(ref.abstract)),
        ("url", verbatim(ref.url, url=True)),
        ("urldate", ref.accessed if ref.url else None),
        ("file", verbatim(ref.path)),
    ]
    return fields


def escape(text: str | None) -> str | None:
    """Plain text → LaTeX text that prints the same characters (see the module notes)."""
    if text is None:
        return None
    text = normalise_space(text)
    paired = _braces_pair(text)
    out = []
    for char in text:
        if char in "{}":
            out.append(f"\\{char}" if paired else (r"\textbraceleft{}" if char == "{" else r"\textbraceright{}"))
        else:
            out.append(_SPECIALS.get(char, char))
    return _LIGATURES.sub("{}", "".join(out))


def protect(latex: str | None) -> str | None:
    """Brace every word that holds a capital letter, so BibTeX styles cannot lower-case German nouns."""
    if latex is None:
        return None
    return _WORD.sub(lambda m: f"{{{m.group()}}}" if any(c.isupper() for c in m.group()) else m.group(), latex)


def verbatim(value: str | None, *, url: bool = False) -> str | None:
    """A verbatim field as it is; braces are percent-encoded in URLs, and a path with braces is left out."""
    if not value:
        return None
    if url:
        return value.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")
    return None if "{" in value or "}" in value else value


def _braces_pair(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
