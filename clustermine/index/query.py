"""The query language: parse a user's query string into a small tree, with errors a researcher can act on.

Why an own parser instead of whoosh's ``QueryParser``: whoosh's parser forgives everything (an unknown field
becomes text, an open quote runs to the end), so a mistyped ``regoin:Mettmann`` silently searches for the word
"regoin". Researchers need to know when their query was not understood. The tree is also what the rest of the
package reads: the compiler turns it into a whoosh query, and snippets, explanations and suggestions take the
query's words from it. Nothing here imports whoosh.

Syntax (see :data:`SYNTAX_HELP`): words (all must match), ``"exact phrase"`` (``„…“`` too; ``"…"~3`` allows
three words in between), ``OR``/``ODER``, ``AND``/``UND``, ``NOT``/``NICHT`` or a leading ``-``, parentheses,
``prefix*``, ``wild?card``, ``fuzzy~`` / ``fuzzy~2``, and ``field:value`` for the fields in :data:`FIELD_ALIASES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clustermine.errors import BadQueryError
from clustermine.model import DOCTYPES

#: Query fields that search text, mapped to the index fields they search.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "resolution": ("resolution",),
    "text": ("body",),
}

#: Query fields that filter on metadata or entities.
FILTER_FIELDS: tuple[str, ...] = (
    "type", "year", "region", "cluster", "program", "org", "number", "council", "committee", "source", "id",
)

#: Every spelling of a field a user may type (lower-case), mapped to its canonical name.
FIELD_ALIASES: dict[str, str] = {
    "title": "title", "titel": "title", "betreff": "title",
    "resolution": "resolution", "beschluss": "resolution", "beschlussvorschlag": "resolution",
    "text": "text", "body": "text", "inhalt": "text",
    "type": "type", "typ": "type", "doctype": "type", "art": "type",
    "year": "year", "years": "year", "jahr": "year", "date": "year",
    "region": "region", "ort": "region",
    "cluster": "cluster", "branche": "cluster",
    "program": "program", "programme": "program", "programm": "program", "förderprogramm": "program",
    "org": "org", "organisation": "org", "organization": "org", "institution": "org",
    "number": "number", "nr": "number", "nummer": "number", "vorlage": "number", "drucksache": "number",
    "council": "council", "rat": "council", "kommune": "council",
    "committee": "committee", "ausschuss": "committee", "gremium": "committee",
    "source": "source", "quelle": "source", "datei": "source", "file": "source",
    "id": "id",
}

#: German (and short) names for the document types, as a user might type them after ``type:``.
DOCTYPE_ALIASES: dict[str, str] = {
    **{name: name for name in DOCTYPES},
    "vorlage": "council_paper", "ratsvorlage": "council_paper", "beschlussvorlage": "council_paper",
    "drucksache": "council_paper", "antrag": "council_paper", "anfrage": "council_paper", "paper": "council_paper",
    "niederschrift": "minutes", "protokoll": "minutes", "sitzung": "minutes",
    "projekt": "project_description", "projektbeschreibung": "project_description", "project": "project_description",
    "tagungsbericht": "conference_report", "tagung": "conference_report", "konferenz": "conference_report",
    "conference": "conference_report", "veranstaltung": "conference_report",
    "bericht": "report", "studie": "report", "gutachten": "report",
    "webseite": "web_page", "website": "web_page", "web": "web_page", "internetseite": "web_page",
    "sonstige": "other", "sonstiges": "other", "andere": "other",
}

_OPERATORS = {"AND": "AND", "UND": "AND", "OR": "OR", "ODER": "OR", "NOT": "NOT", "NICHT": "NOT"}
_QUOTES = str.maketrans({"„": '"', "“": '"', "”": '"', "«": '"', "»": '"'})
_FIELD = re.compile(r"^([^\W\d_][\w]*):(.*)$", re.UNICODE)
_FUZZY = re.compile(r"^(.*?)~(\d?)$")
_YEAR_RANGE = re.compile(r"^(\d{4})?\s*(?:\.\.|-|–|—)\s*(\d{4})?$")

SYNTAX_HELP = (
    'words (all must match), "exact phrase", OR, NOT / -word, (groups), prefix*, fuzzy~, and fields: '
    + ", ".join(f"{name}:" for name in (*TEXT_FIELDS, *FILTER_FIELDS))
)


# -- the tree -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A word to find in text fields (all text fields when ``field`` is None)."""

    text: str
    field: str | None = None
    prefix: bool = False  # Cluster*
    wildcard: bool = False  # Clust?r, Wirtschafts*förderung
    fuzzy: int = 0  # edit distance allowed (Förderunng~ → 1)


@dataclass(frozen=True)
class Phrase:
    """Words that must stand together (``slop`` other words may stand in between)."""

    text: str
    field: str | None = None
    slop: int = 0


@dataclass(frozen=True)
class Filter:
    """A metadata or entity condition, e.g. ``region:Mettmann`` or ``type:council_paper``."""

    field: str
    value: str


@dataclass(frozen=True)
class YearRange:
    """``year:2010..2015``; an open end is None."""

    start: int | None
    end: int | None


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Word | Phrase | Filter | YearRange | And | Or | Not


# -- public helpers -----------------------------------------------------------------------------------------


def parse_query(text: str) -> Node | None:
    """Parse ``text`` into a tree; None for an empty query. Raises :class:`BadQueryError` with the fix."""
    tokens = _tokenize(text.translate(_QUOTES))
    if not tokens:
        return None
    parser = _Parser(tokens)
    node = parser.parse()
    return node


def text_terms(node: Node | None, *, include_negated: bool = False) -> list[Word | Phrase]:
    """The words and phrases of a query in reading order (for highlighting, explanations and suggestions).

    Negated parts are left out unless asked for: a snippet should not highlight what the user excluded.
    """
    found: list[Word | Phrase] = []

    def walk(n: Node, negated: bool) -> None:
        if isinstance(n, (Word, Phrase)):
            if include_negated or not negated:
                found.append(n)
        elif isinstance(n, (And, Or)):
            for item in n.items:
                walk(item, negated)
        elif isinstance(n, Not):
            walk(n.item, not negated)

    if node is not None:
        walk(node, False)
    return found


def parse_doctype(value: str) -> str:
    """A document type from its name or German alias (``vorlage`` → ``council_paper``)."""
    key = value.strip().lower().replace("-", "_")
    if key in DOCTYPE_ALIASES:
        return DOCTYPE_ALIASES[key]
    raise BadQueryError(
        f"unknown document type {value!r}",
        hint="use one of " + ", ".join(DOCTYPES) + " (German: vorlage, niederschrift, projekt, tagungsbericht, "
        "bericht, webseite)",
    )


def parse_years(value: str) -> YearRange:
    """``2010``, ``2010..2015``, ``2010-2015``, ``2010..`` or ``..2015`` as a :class:`YearRange`."""
    text = value.strip()
    if re.fullmatch(r"\d{4}", text):
        return YearRange(int(text), int(text))
    match = _YEAR_RANGE.match(text)
    if not match or not (match.group(1) or match.group(2)):
        raise BadQueryError(
            f"bad year range {value!r}", hint="write year:2010, year:2010..2015, year:2010-2015 or year:2010.."
        )
    start = int(match.group(1)) if match.group(1) else None
    end = int(match.group(2)) if match.group(2) else None
    if start is not None and end is not None and start > end:
        raise BadQueryError(
            f"bad year range {value!r}: it runs backwards", hint=f"did you mean year:{end}..{start}?"
        )
    return YearRange(start, end)


# -- tokenizer ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # word | phrase | open | close | op
    text: str
    pos: int
    field: str | None = None  # for word/phrase/open tokens written as field:…
    negate: bool = False  # -word
    slop: int = 0  # "phrase"~3


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    pending_field: tuple[str, int] | None = None  # "region:" waiting for a phrase or group
    pending_negate = False
    while i < n:
        ch = text[i]
        if ch.isspace():  # "region: Mettmann" is read as region:Mettmann
            i += 1
            continue
        if ch in "-+" and i + 1 < n and (text[i + 1] == '"' or text[i + 1] == "(") and not pending_field:
            pending_negate = ch == "-"
            i += 1
            continue
        if ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                start = text[i : i + 30]
                raise BadQueryError(
                    f"unbalanced quotes: the phrase starting at character {i + 1} ({start!r}) is never closed",
                    hint='close the phrase with a second " or remove the quote',
                )
            slop, after = 0, end + 1
            fuzzy = re.match(r"~(\d+)", text[after:])
            if fuzzy:
                slop, after = int(fuzzy.group(1)), after + fuzzy.end()
            field = pending_field[0] if pending_field else None
            tokens.append(_Token("phrase", text[i + 1 : end], i, field, pending_negate, slop))
            pending_field, pending_negate = None, False
            i = after
            continue
        if ch == "(":
            tokens.append(_Token("open", "(", i, pending_field[0] if pending_field else None, pending_negate))
            pending_field, pending_negate = None, False
            i += 1
            continue
        if ch == ")":
            if pending_field:
                _no_value(*pending_field)
            tokens.append(_Token("close", ")", i))
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in '()"':
            j += 1
        raw = text[i:j]
        if pending_field:
            tokens.append(_Token("word", raw, i, pending_field[0]))
            pending_field = None
            i = j
            continue
        token = _word_token(raw, i)
        if token.kind == "field":
            pending_field = (token.field or "", i)
            pending_negate = token.negate
        else:
            tokens.append(token)
        i = j
    if pending_field:
        _no_value(*pending_field)
    return tokens


def _word_token(raw: str, pos: int) -> _Token:
    if raw in _OPERATORS:
        return _Token("op", _OPERATORS[raw], pos)
    negate = False
    if len(raw) > 1 and raw[0] == "-" and raw[1] not in "-":
        negate, raw = True, raw[1:]
    elif len(raw) > 1 and raw[0] == "+":
        raw = raw[1:]
    match = _FIELD.match(raw)
    if match:
        field = _canonical_field(match.group(1), pos)
        value = match.group(2)
        if not value:
            return _Token("field", "", pos, field, negate)
        return _Token("word", value, pos, field, negate)
    return _Token("word", raw, pos, None, negate)


def _canonical_field(name: str, pos: int) -> str:
    key = name.lower()
    if key in FIELD_ALIASES:
        return FIELD_ALIASES[key]
    raise BadQueryError(
        f"unknown field {name + ':'!r} at character {pos + 1}",
        hint="known fields: " + ", ".join(f"{f}:" for f in (*TEXT_FIELDS, *FILTER_FIELDS))
        + '; to search for the text itself, put it in quotes ("' + name + ':…")',
    )


def _no_value(field: str, pos: int) -> None:
    raise BadQueryError(
        f"field {field + ':'!r} at character {pos + 1} has no value",
        hint=f'write {field}:value or {field}:"two words"',
    )


# -- parser -------------------------------------------------------------------------------------------------


#: How deep brackets and NOTs may nest (people write two or three levels).
MAX_DEPTH = 40


class _Parser:
    """Recursive descent: ``or := and (OR and)*``, ``and := unary ((AND)? unary)*``, ``unary := NOT unary | atom``."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def _nest(self, token: _Token) -> None:
        """One more level of brackets or NOT; a crafted query must not exhaust Python's recursion limit."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise BadQueryError(
                f"the query nests brackets or NOTs more than {MAX_DEPTH} deep (at character {token.pos + 1})",
                hint="simplify the query: fewer brackets, no repeated NOT",
            )

    def parse(self) -> Node:
        node = self.parse_or(None)
        if self.i < len(self.tokens):  # only a stray ")" stops parse_or early
            token = self.tokens[self.i]
            raise BadQueryError(
                f"unbalanced parentheses: ')' at character {token.pos + 1} closes nothing",
                hint="remove it or add the matching '('",
            )
        return node

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse_or(self, field: str | None) -> Node:
        items = [self.parse_and(field)]
        while (token := self.peek()) is not None and token.kind == "op" and token.text == "OR":
            self.i += 1
            items.append(self.parse_and(field, after=token))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self, field: str | None, after: _Token | None = None) -> Node:
        items = [self.parse_unary(field, after)]
        while (token := self.peek()) is not None and token.kind != "close":
            if token.kind == "op" and token.text == "OR":
                break
            if token.kind == "op" and token.text == "AND":
                self.i += 1
                items.append(self.parse_unary(field, token))
            else:
                items.append(self.parse_unary(field, None))
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self, field: str | None, after: _Token | None) -> Node:
        token = self.peek()
        if token is None or token.kind == "close" or (token.kind == "op" and token.text in ("AND", "OR")):
            self._missing_operand(after, token)
        assert token is not None
        if token.kind == "op":  # NOT
            self.i += 1
            self._nest(token)
            node = Not(self.parse_unary(field, token))
            self.depth -= 1
            return node
        node = self.parse_atom(field)
        return Not(node) if token.negate else node

    def parse_atom(self, field: str | None) -> Node:
        token = self.tokens[self.i]
        self.i += 1
        if token.kind == "open":
            # a field distributes over its group: title:(Cluster OR Netzwerk), region:(Mettmann OR Hilden)
            self._nest(token)
            node = self.parse_or(token.field or field)
            self.depth -= 1
            close = self.peek()
            if close is None or close.kind != "close":
                raise BadQueryError(
                    f"unbalanced parentheses: '(' at character {token.pos + 1} is never closed",
                    hint="add the matching ')'",
                )
            self.i += 1
            return node
        fieldname = token.field or field
        if token.kind == "phrase":
            return _phrase_node(token.text, fieldname, token.slop)
        return _word_node(token.text, fieldname)

    def _missing_operand(self, after: _Token | None, token: _Token | None) -> None:
        if after is not None:
            where = "at the end of the query" if token is None else f"before {token.text!r}"
            raise BadQueryError(
                f"{after.text} at character {after.pos + 1} has nothing to its right ({where})",
                hint=f"write a word after {after.text}, or remove it",
            )
        if token is None:
            raise BadQueryError("empty group '()' in the query", hint="put words inside the parentheses")
        if token.kind == "close":
            raise BadQueryError(
                f"empty group: nothing before ')' at character {token.pos + 1}",
                hint="put words inside the parentheses",
            )
        raise BadQueryError(
            f"{token.text} at character {token.pos + 1} has nothing to its left",
            hint=f"write a word before {token.text}, or remove it",
        )


def _phrase_node(text: str, field: str | None, slop: int) -> Node:
    if field is not None and field not in TEXT_FIELDS:
        return _filter_node(field, text)
    if not text.strip():
        raise BadQueryError('empty phrase "" in the query', hint="put words between the quotes or remove them")
    return Phrase(" ".join(text.split()), field, slop)


def _word_node(text: str, field: str | None) -> Node:
    if field is not None and field not in TEXT_FIELDS:
        return _filter_node(field, text)
    fuzzy = 0
    match = _FUZZY.match(text)
    if match and match.group(1):
        text, fuzzy = match.group(1), int(match.group(2) or 1)
        if fuzzy > 2:
            raise BadQueryError(f"fuzzy distance ~{fuzzy} is too large", hint="use word~1 or word~2")
    wildcard = "?" in text or "*" in text.rstrip("*")
    prefix = text.endswith("*") and not wildcard
    if prefix:
        text = text.rstrip("*")
    if not text.strip("*?"):
        raise BadQueryError("a wildcard alone would match everything", hint="write at least one letter before the *")
    return Word(text, field, prefix=prefix, wildcard=wildcard, fuzzy=fuzzy)


def _filter_node(field: str, value: str) -> Node:
    value = value.strip()
    if field == "year":
        return parse_years(value)
    if field == "type":
        return Filter("type", parse_doctype(value))
    if not value:
        raise BadQueryError(f"field '{field}:' has no value", hint=f"write {field}:value")
    return Filter(field, value)
