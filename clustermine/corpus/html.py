"""Read web pages: the page's own text without menus, cookie banners and footers, plus its meta tags.

Municipal and agency sites wrap a few paragraphs about a cluster initiative in navigation, breadcrumbs,
cookie dialogs, share buttons and footers that repeat on every page. Left in, that boilerplate would
dominate term counts and topics, so the reader drops it by tag and by class/id/role cues, prefers the
page's declared main content (``<main>``, ``<article>``, ``role=main``) and falls back to the densest
block of text. Block structure survives as blank lines, list items and table rows as lines.

libxml2 refuses to build trees deeper than 256 levels without ``huge_tree`` (and drops everything below);
broken CMS output can nest far deeper. So the parser drives a small tree builder of ours that flattens
anything below :data:`MAX_DEPTH` into its ancestor instead of losing it, and every walk over the tree is
iterative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import parsedate_to_datetime

from lxml import etree

from clustermine.corpus.encoding import decode_text
from clustermine.corpus.normalise import normalise_text
from clustermine.errors import UnreadableError
from clustermine.model import Extraction

#: Elements deeper than this are flattened into their ancestor (their text is kept, their structure not).
MAX_DEPTH = 200

# Never content; skipped while the tree is built, so their text never reaches it.
_SKIP_CONTENT = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "audio",
     "video", "select", "textarea", "button", "input", "map"}
)
# Page furniture by tag; ``header`` and ``footer`` only outside the main content (an article's header holds
# its headline).
_BOILERPLATE_TAGS = frozenset({"nav", "aside", "dialog", "menu"})
_BOILERPLATE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog",
     "alertdialog", "toolbar"}
)
# Class/id cues. Strong ones are dropped wherever they are; weak ones only if they are not most of the page.
_STRONG_CONTAINS = ("cookie", "consent", "gdpr", "dsgvo", "breadcrumb", "skiplink", "shariff", "sharing",
                    "socialmedia", "offcanvas", "backtotop", "totop")
_STRONG_PREFIX = ("skip", "social", "share", "popup", "modal", "overlay", "advert", "werbung", "print-hide")
_STRONG_EXACT = frozenset({"ad", "ads", "banner-cookie"})
_WEAK_CONTAINS = ("footer", "sidebar", "marginal", "randspalte", "navigation", "pagination", "newsletter",
                  "sitemap", "tagcloud", "servicelinks", "quicklinks")
_WEAK_PREFIX = ("nav", "menu", "toolbar", "pager", "related", "search", "suche", "login", "topbar", "subnav")
_WEAK_SUFFIX = ("nav", "navi", "menu", "menue")

_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2", "h3", "h4",
     "h5", "h6", "ul", "ol", "dl", "blockquote", "pre", "table", "figure", "figcaption", "address", "hr",
     "form", "fieldset", "details", "summary", "center", "caption", "body", "html", "hgroup", "legend",
     "frameset", "frame"}
)
_LINE_TAGS = frozenset({"li", "dt", "dd", "tr", "option"})
_CELL_TAGS = frozenset({"td", "th"})
_PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "li", "td", "dd", "h2", "h3", "h4"})

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_NAME = re.compile(r"^[A-Za-z_][\w.-]*$", re.ASCII)  # lxml refuses what XML does not allow
_TAG_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[^a-z0-9]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_TITLE_SPLIT = re.compile(r"(\s+[|–—·»•:]\s+|\s+-\s+|\s*::\s*)")

_DATE_KEYS = ("date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.issued", "dc.date.created",
              "dcterms.created", "article:published_time", "og:published_time", "datepublished",
              "publish-date", "pubdate", "last-modified")
_MODIFIED_KEYS = ("article:modified_time", "dc.date.modified", "dcterms.modified", "og:updated_time",
                  "datemodified", "last-modified")
_INFO_KEYS = {
    "description": ("description", "og:description", "dc.description", "dcterms.description",
                    "twitter:description"),
    "keywords": ("keywords", "news_keywords", "dc.subject"),
    "author": ("author", "dc.creator", "dcterms.creator", "article:author"),
    "producer": ("generator",),
    "site_name": ("og:site_name", "application-name"),
    "publisher": ("dc.publisher", "dcterms.publisher", "publisher"),
}


def read_html(data: bytes, name: str = "") -> Extraction:
    """Extract the main text, title and meta information of an HTML page.

    The text is one page (web pages have none); ``info`` may hold ``description``, ``keywords``, ``author``,
    ``date``, ``modified``, ``language``, ``producer`` (the CMS), ``site_name``, ``publisher`` and ``url``.
    Raises :class:`UnreadableError` only when the bytes do not parse as markup at all.
    """
    declared = _declared_charset(data)
    text, encoding = decode_text(data, declared)
    builder = _CappedTreeBuilder()
    parser = etree.HTMLParser(target=builder, encoding="utf-8", no_network=True, huge_tree=False,
                              remove_comments=True, remove_pis=True, recover=True)
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser)
    except etree.LxmlError as exc:
        if not text.strip():
            return Extraction(format="html", pages=("",))
        hint = "open it in a browser and save it again"
        raise UnreadableError("the HTML could not be parsed", hint=hint) from exc
    notes = []
    if encoding not in ("utf-8", "ascii"):
        notes.append(f"decoded as {encoding}")
    if builder.flattened:
        notes.append(f"markup nested deeper than {MAX_DEPTH} levels was flattened")

    info, meta_title, site_name = _page_info(root)
    body = _body(root)
    first_h1 = _first_text(body.iter("h1"))
    _drop_boilerplate(body)
    roots = _content_roots(body)
    h1 = _first_text(el for r in roots for el in r.iter("h1")) or first_h1
    page_title = _clean_title(_first_text(root.iter("title")), site_name, h1, meta_title)
    title = page_title or _clean_title(meta_title, site_name, h1, None) or h1
    page = normalise_text(_render(roots))
    return Extraction(format="html", pages=(page,), title=title or None, info=info, notes=tuple(notes))


# ----------------------------------------------------------------------------------------------------------
# Building the tree


class _CappedTreeBuilder:
    """A parser target that builds the tree like lxml would, but never deeper than :data:`MAX_DEPTH`.

    It also merges what libxml2 reports after ``</html>`` back into the one document and skips the
    content of elements that are never text (scripts, styles, SVG ...).
    """

    def __init__(self) -> None:
        self.root = etree.Element("html")
        self._stack: list[etree._Element] = []
        self._pushed: list[bool] = []
        self._ignore_from: int | None = None
        self.flattened = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        depth = len(self._pushed) + 1
        if self._ignore_from is not None:
            self._pushed.append(False)
            return
        tag = tag.lower() if isinstance(tag, str) else "span"
        if tag in _SKIP_CONTENT:
            self._ignore_from = depth
            self._pushed.append(False)
            return
        if tag == "html":
            if not self._stack:
                self._open_root(attrib)
            else:
                self._pushed.append(False)  # a nested <html>: ignore the tag, keep its content
            return
        if not self._stack:  # content after </html> that libxml2 reports outside any root
            self._stack.append(self.root)
            self._pushed.append(False)
        if tag in ("head", "body") and self._stack[-1] is self.root:
            existing = self.root.find(tag)
            if existing is not None:  # libxml2 reopens body for content after </html>
                self._stack.append(existing)
                self._pushed.append(True)
                return
        if len(self._stack) >= MAX_DEPTH:
            self.flattened = True
            if tag in _BLOCK_TAGS or tag in _LINE_TAGS or tag in _CELL_TAGS or tag == "br":
                etree.SubElement(self._stack[-1], "br")
            self._pushed.append(False)
            return
        element = etree.SubElement(self._parent(), tag if _TAG_NAME.match(tag) else "span")
        _copy_attributes(attrib, element)
        self._stack.append(element)
        self._pushed.append(True)

    def _open_root(self, attrib: dict[str, str]) -> None:
        fresh = {k: v for k, v in attrib.items()
                 if _ATTR_NAME.match(k.replace(":", "-")) and self.root.get(k.replace(":", "-")) is None}
        _copy_attributes(fresh, self.root)
        self._stack.append(self.root)
        self._pushed.append(True)

    def _parent(self) -> etree._Element:
        """Where new content goes: content that libxml2 reports after </body> still belongs in the body."""
        parent = self._stack[-1]
        if parent is self.root and len(parent) and parent[-1].tag == "body":
            return parent[-1]
        return parent

    def end(self, tag: str) -> None:
        if not self._pushed:
            return
        depth = len(self._pushed)
        pushed = self._pushed.pop()
        if pushed and self._stack:
            self._stack.pop()
        if self._ignore_from == depth:
            self._ignore_from = None

    def data(self, data: str) -> None:
        if self._ignore_from is not None or not self._stack:
            return
        data = _INVALID_XML.sub(" ", data)
        parent = self._parent()
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + data
        else:
            parent.text = (parent.text or "") + data

    def close(self) -> etree._Element:
        return self.root


def _copy_attributes(attrib: dict[str, str], element: etree._Element) -> None:
    """Copy what XML can hold; ``xml:lang`` becomes ``xml-lang`` (a prefix would need a namespace)."""
    for key, value in attrib.items():
        key = key.replace(":", "-")
        if _ATTR_NAME.match(key):
            element.set(key, _INVALID_XML.sub(" ", value or ""))


def _declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (meta charset, http-equiv, XML declaration)."""
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


# ----------------------------------------------------------------------------------------------------------
# Meta information


def _clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _first_text(elements: Iterable[etree._Element]) -> str:
    for element in elements:
        text = _clean("".join(element.itertext()))
        if text:
            return text
    return ""


def _page_info(root: etree._Element) -> tuple[dict[str, str], str, str]:
    """Collect meta tags into ``info``; also return og:title and the site name for the title."""
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("name") or meta.get("property") or meta.get("http-equiv") or meta.get("itemprop")
        content = _clean(meta.get("content"))
        if key and content:
            metas.setdefault(key.strip().lower(), content)
    info: dict[str, str] = {}
    for field, keys in _INFO_KEYS.items():
        value = next((metas[k] for k in keys if k in metas), None)
        if value:
            info[field] = value
    date = next((metas[k] for k in _DATE_KEYS if k in metas), None)
    if date:
        info["date"] = _iso_date(date)
    modified = next((metas[k] for k in _MODIFIED_KEYS if k in metas), None)
    if modified:
        info["modified"] = _iso_date(modified)
    language = (root.get("lang") or root.get("xml-lang") or metas.get("content-language")
                or metas.get("dc.language"))
    if language and language.strip():
        info["language"] = language.strip()
    links = root.iter("link")
    canonical = (link.get("href") for link in links if (link.get("rel") or "").lower() == "canonical")
    url = next(canonical, None) or metas.get("og:url")
    if url and url.strip():
        info["url"] = url.strip()
    return info, metas.get("og:title", ""), info.get("site_name", "")


def _iso_date(value: str) -> str:
    """HTTP dates ("Wed, 10 Apr 2013 08:00:00 GMT") and German dates ("10.04.2013") become ISO 8601;
    anything else stays as written, for the metadata stage to judge.
    """
    german = _GERMAN_DATE.match(value)
    if german:
        day, month, year = german.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if re.match(r"^[A-Za-z]{3},", value):
        try:
            return parsedate_to_datetime(value).isoformat()
        except (TypeError, ValueError, IndexError):
            return value
    return value


def _clean_title(raw: str, site_name: str, h1: str, og_title: str | None) -> str:
    """Strip the site name from a page title: "Clusterpolitik | Wirtschaftsförderung Dortmund"."""
    raw = _clean(raw)
    pieces = _TITLE_SPLIT.split(raw)
    parts, seps = pieces[0::2], pieces[1::2]
    if len(parts) < 2:
        return raw
    for known in (h1, og_title):
        if known and raw.casefold().startswith(known.casefold()) and len(known) < len(raw):
            return known  # "Überschrift | Site", even when the headline itself contains a separator
        if known and any(p.strip().casefold() == known.casefold() for p in parts):
            return known
    site = site_name.casefold()
    if site:
        keep = [i for i, p in enumerate(parts)
                if p.strip().casefold() not in site and site not in p.casefold()]
        if keep and len(keep) < len(parts):
            return "".join(parts[i] + (seps[i] if i < keep[-1] else "") for i in range(keep[0], keep[-1] + 1))
    # Without other clues the site name is the last part ("Seite | Site", "Bereich - Seite - Site").
    return "".join(p + s for p, s in zip(parts[:-1], [*seps[:-1], ""], strict=True))


# ----------------------------------------------------------------------------------------------------------
# Boilerplate and main content


def _body(root: etree._Element) -> etree._Element:
    body = root.find("body")
    if body is None:
        body = root.find("frameset")
    return body if body is not None else root


def _tokens(element: etree._Element) -> list[str]:
    words = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return [t for t in _TOKEN.split(words) if t]


def _cue(tokens: list[str]) -> str | None:
    """``"strong"``, ``"weak"`` or None for class/id tokens that name page furniture."""
    for token in tokens:
        if (token in _STRONG_EXACT or any(c in token for c in _STRONG_CONTAINS)
                or token.startswith(_STRONG_PREFIX)):
            return "strong"
    for token in tokens:
        if (any(c in token for c in _WEAK_CONTAINS) or token.startswith(_WEAK_PREFIX)
                or token.endswith(_WEAK_SUFFIX)):
            return "weak"
    return None


def _is_main(element: etree._Element) -> bool:
    return element.tag in ("main", "article") or (element.get("role") or "").lower() == "main"


def _text_lengths(root: etree._Element) -> tuple[dict[etree._Element, int], dict[etree._Element, int]]:
    """Characters of text (and of link text) under every element, in one bottom-up pass."""
    elements = list(root.iter())
    total: dict[etree._Element, int] = {}
    links: dict[etree._Element, int] = {}
    for element in reversed(elements):  # children come after their parent in document order
        own = len(_SPACE.sub("", element.text or ""))
        own_links = own if element.tag == "a" else 0
        for child in element:
            tail = len(_SPACE.sub("", child.tail or ""))
            own += total.get(child, 0) + tail
            own_links += links.get(child, 0) + (tail if element.tag == "a" else 0)
        total[element] = own
        links[element] = own if element.tag == "a" else own_links
    return total, links


def _drop(element: etree._Element) -> None:
    """Remove ``element`` but keep its tail text, which belongs to the parent."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _drop_boilerplate(body: etree._Element) -> None:
    """Drop navigation, banners, footers and the like; never what holds the page's main content."""
    total, _ = _text_lengths(body)
    page = max(total.get(body, 0), 1)
    protected: set[etree._Element] = set()
    inside_main: set[etree._Element] = set()
    for element in body.iter():
        if _is_main(element):
            protected.update(element.iterancestors())
            protected.add(element)
            inside_main.update(element.iterdescendants())
    doomed = []
    for element in body.iter():
        if element in protected and not _is_main(element):
            continue
        tag = element.tag
        role = (element.get("role") or "").lower()
        if element is body or _is_main(element):
            continue
        small = total.get(element, 0) < 0.5 * page
        hidden = (element.get("hidden") is not None or (element.get("aria-hidden") or "").lower() == "true"
                  or bool(_HIDDEN_STYLE.search(element.get("style") or "")))
        furniture = (tag in _BOILERPLATE_TAGS or role in _BOILERPLATE_ROLES
                     or (tag in ("header", "footer") and element not in inside_main)
                     or (tag == "form" and small))  # search forms; ASP.NET wraps whole pages in one form
        cue = None if hidden or furniture else _cue(_tokens(element))
        if hidden or furniture or cue == "strong" or (cue == "weak" and small):
            doomed.append(element)
    for element in doomed:
        if element not in protected:
            _drop(element)


def _content_roots(body: etree._Element) -> list[etree._Element]:
    """The elements that hold the page's own text: declared main content, else the densest block."""
    total, links = _text_lengths(body)
    page = total.get(body, 0)
    if page < 200:
        return [body]
    declared = [e for e in body.iter() if _is_main(e) and total.get(e, 0) >= min(200, 0.2 * page)]
    if declared:
        best = max(declared, key=lambda e: total.get(e, 0))
        if best.tag != "article" or total.get(best, 0) >= 0.5 * page or len(declared) == 1:
            return [best]
    scores: dict[etree._Element, float] = {}
    for element in body.iter(*_PARAGRAPH_TAGS):
        length = total.get(element, 0) - links.get(element, 0)
        if length < 25:
            continue
        parent = element.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + length
            grandparent = parent.getparent()
            if grandparent is not None:
                scores[grandparent] = scores.get(grandparent, 0.0) + length / 2
    scores.pop(body, None)
    if not scores:
        return [body]
    best = max(scores, key=lambda e: scores[e])
    parent = best.getparent()
    if parent is None:
        return [best]
    roots = []
    for sibling in parent:
        length = total.get(sibling, 0)
        link_share = links.get(sibling, 0) / length if length else 1.0
        prose = length >= 80 and link_share < 0.25
        if sibling is best or scores.get(sibling, 0.0) >= 0.2 * scores[best] or prose:
            roots.append(sibling)
    if sum(total.get(r, 0) for r in roots) < 0.5 * page:
        return [body]
    return roots


# ----------------------------------------------------------------------------------------------------------
# Rendering text


class _Writer:
    """Collects text with HTML whitespace rules; breaks are requested, and written only before more text."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self._pending = 0
        self._line_start = True

    def brk(self, lines: int) -> None:
        self._pending = max(self._pending, lines)

    def text(self, text: str, pre: bool = False) -> None:
        if not pre:
            text = _SPACE.sub(" ", text)
        if not text or (not pre and text == " " and (self._line_start or self._pending)):
            return
        if self._pending:
            if self.parts:
                self.parts.append("\n" * self._pending)
            self._pending = 0
            self._line_start = True
        if self._line_start and not pre:
            text = text.lstrip(" ")
        elif not pre and text.startswith(" ") and self.parts and self.parts[-1].endswith(" "):
            text = text[1:]
        if text:
            self.parts.append(text)
            self._line_start = text.endswith("\n")

    def result(self) -> str:
        return "".join(self.parts)


def _is_data_table(table: etree._Element) -> bool:
    """A table of data (rows as lines, cells joined by " | "), not one used for page layout."""
    for element in table.iterdescendants():
        if element.tag in ("table", "p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"):
            return False
    return any(len([c for c in row if c.tag in _CELL_TAGS]) > 1 for row in table.iter("tr"))


def _table_lines(table: etree._Element) -> list[str]:
    lines = []
    caption = table.find("caption")
    if caption is not None:
        lines.append(_clean("".join(caption.itertext())))
    for row in table.iter("tr"):
        cells = [_clean(" ".join(cell.itertext())) for cell in row if cell.tag in _CELL_TAGS]
        line = " | ".join(cell for cell in cells if cell)
        if line:
            lines.append(line)
    return [line for line in lines if line]


def _render(roots: list[etree._Element]) -> str:
    writer = _Writer()
    for root in roots:
        pre_depth = 0
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, element in walker:
            tag = element.tag
            if event == "start":
                if tag == "table" and _is_data_table(element):
                    writer.brk(2)
                    for line in _table_lines(element):
                        writer.text(line)
                        writer.brk(1)
                    writer.brk(2)
                    walker.skip_subtree()
                    continue
                if tag in _BLOCK_TAGS or tag in _CELL_TAGS:
                    writer.brk(2)
                elif tag in _LINE_TAGS or tag == "br":
                    writer.brk(1)
                if tag == "pre":
                    pre_depth += 1
                if element.text:
                    writer.text(element.text, pre=pre_depth > 0)
            else:
                if tag == "pre":
                    pre_depth -= 1
                if tag in _BLOCK_TAGS or tag in _CELL_TAGS:
                    writer.brk(2)
                elif tag in _LINE_TAGS:
                    writer.brk(1)
                if element is not root and element.tail:
                    writer.text(element.tail, pre=pre_depth > 0)
        writer.brk(2)
    return writer.result()


__all__ = ["MAX_DEPTH", "read_html"]
