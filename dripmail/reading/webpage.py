"""A whole saved web page read as its writer's article: its metadata, the element that holds
the article, and the page furniture around and inside it dropped.

- The article is the page's `<article>`, `<main>` or `role="main"` element; a page without
  one (old manuals, hand-written pages) is measured by readability-lxml, which picks the
  element holding the article's paragraphs (benchmarks/extraction.py compares it with
  trafilatura; both libraries' own cleaning lose headings, lists or inline code on real
  pages, so only the choice of element is theirs).
- Furniture is dropped by the rules below, all data: elements by tag, ARIA role, and
  class or id words (navigation, tables of contents, tag lists, comments, share and edit
  links, DocBook and Texinfo navigation); permalink anchors inside headings (¶, #, 🔗, icon
  glyphs, `aria-hidden` anchors, "link to this section" images), whose target is kept; lines
  of Next/Up/Previous links.
- The title is the page's `og:title` or `h1`, before `<title>`, without the " | Site" the site
  adds; the article's URL is `<link rel="canonical">`, `og:url`, or `<base href>`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import lxml.html

from dripmail.reading.htmlparser import PARSER, without_xml_declaration

# Removed with everything inside them, wherever they are.
FURNITURE_TAGS = ("nav", "header", "footer", "aside", "form", "script", "style", "noscript",
                  "iframe", "menu", "dialog", "template", "button", "select", "textarea")
FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search",
                             "dialog", "menu", "menubar", "toolbar"})
CONTAINERS = frozenset({"div", "section", "ul", "ol", "dl", "table", "p", "span", "small",
                        "center", "details", "li", "td"})
# A class or id word (or its last `-`/`_` part) that names page furniture.
FURNITURE_WORDS = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navigation|navheader|navfooter|footernavigation|breadcrumbs?|"
    r"toc|toctree-wrapper|table-of-contents|quickview|sidebar|sidenav|menu|related|"
    r"related-posts|comments?|comment-section|comments_section|disqus|share|sharing|social|"
    r"tags|tag-list|post-tags|categories|taxonomy|pagination|pager|paginator|footer|"
    r"edit-page|edit-link|editlink|edit-this-page|edit-on-github|skip-link|skiplink|modal|"
    r"advertisement|ads?|newsletter-signup|cookie-banner|headerlink|toplang|bottomlang|"
    r"rst-footer-buttons|prev-next|next-prev|post-nav|navigation-arrow|navigationarrow|"
    r"linenos|linenodiv)$",
    re.IGNORECASE)
# What a permalink anchor shows: ¶ (Sphinx, Python-Markdown toc), #, §, 🔗, private-use icon
# glyphs (Font Awesome and the like), or nothing but an image or icon.
PERMALINK_TEXT = re.compile(r"[\s¶#§🔗\U0001f517\ue000-\uf8ff]*", re.UNICODE)
PERMALINK_WORDS = re.compile(r"permalink|link to this|headerlink|anchor|direct link", re.I)
# A paragraph that is only page-to-page navigation (Texinfo node lines, "← Previous | Next →").
NAV_LINE = re.compile(
    r"^\s*(?:(?:next|previous|prev|up|home|back|top|contents|index)\s*[:»›→|]\s*.*"
    r"|[«‹←☜]?\s*(?:previous|prev|next|up)\b.*[»›→☞]?\s*"
    r"|[☜☞←→‹›«»|\s]+)$", re.IGNORECASE)
NAV_WORDS = frozenset({"next", "previous", "prev", "up", "home", "back", "top", "contents",
                       "index"})
EDIT_LINK = re.compile(r"^\s*(edit (this page|on github|on gitlab|page)|improve this page|"
                       r"suggest an edit|view (page )?source|you are here:?.*)\s*$", re.I)
TAG_LINE = re.compile(r"^\s*(tags|tagged|categories|category|posted in|filed under)\s*:",
                      re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|·|::|»|•)\s+")
_BRACKETED = re.compile(r"\s*[\[(][^\[\]()]{2,80}[\])]\s*$")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True, slots=True)
class WebPage:
    """What a whole page holds for dripmail: its title, URL and language, and the article."""

    title: str
    url: str
    language: str
    html: str  # the article element's inner HTML, furniture dropped


def read_page(page: str) -> WebPage:
    """The article of a whole HTML page."""
    page = without_xml_declaration(page)
    doc = lxml.html.document_fromstring(page, parser=PARSER)
    url, language = page_url(doc), (doc.get("lang") or doc.get("xml:lang") or "").strip()
    site_title = " ".join((doc.findtext(".//title") or "").split())
    og_title = _meta(doc, "og:title")
    drop_furniture(doc)
    root = article_root(doc)
    drop_inner_furniture(root)
    h1 = _first_heading(root)
    title = page_title(h1, og_title, site_title)
    inner = html.escape(root.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root)
    return WebPage(title, url, language, inner)


def _meta(doc: lxml.html.HtmlElement, name: str) -> str:
    for meta in doc.iter("meta"):
        if name in ((meta.get("property") or "").lower(), (meta.get("name") or "").lower()):
            return " ".join((meta.get("content") or "").split())
    return ""


def page_url(doc: lxml.html.HtmlElement) -> str:
    """The page's own address: its canonical link, `og:url`, or `<base href>` (absolute)."""
    found = [link.get("href", "") for link in doc.iter("link")
             if "canonical" in (link.get("rel") or "").lower().split()]
    found += [_meta(doc, "og:url")]
    found += [base.get("href", "") for base in doc.iter("base")]
    return next((u.strip() for u in found if re.match(r"https?://\S+$", u.strip())), "")


def page_title(h1: str, og_title: str, site_title: str) -> str:
    """The article's title: `og:title` (its `h1` when that is what it carries), else the
    `h1`, else `<title>`; without the site's name (" | Site")."""
    if og_title:
        return h1 if h1 and _plain(h1) in _plain(og_title) else without_site(og_title)
    return h1 or without_site(site_title)


def without_site(title: str) -> str:
    """A page title without the site's name: "Post | Site", "Post — Site", "Post [Site]"."""
    parts = _SEPARATORS.split(title)
    if len(parts) > 1:
        title = max(parts[:-1], key=len) if len(parts) > 2 else parts[0]
    return _BRACKETED.sub("", title).strip() or title


def _plain(text: str) -> str:
    return " ".join(re.sub(r"\W+", " ", text.casefold()).split())


def _first_heading(root: lxml.html.HtmlElement) -> str:
    """The text of the article's `h1`; a page whose article opens with another heading
    (Texinfo's `h4`) has that one made its `h1`."""
    h1 = root.find(".//h1")
    if h1 is None:
        first = next((el for el in root.iter() if isinstance(el.tag, str) and el is not root
                      and (el.tag in _HEADINGS or (el.text or "").strip())), None)
        if first is None or first.tag not in _HEADINGS:
            return ""
        first.tag, h1 = "h1", first
    return " ".join(h1.text_content().split())


def _words(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.get(name) or "" for name in ("class", "id"))


def is_furniture(el: lxml.html.HtmlElement) -> bool:
    """Whether an element is page furniture by its tag, role, or class and id words (those
    of containers only: a heading's anchor named "related" is the heading's)."""
    if el.tag in FURNITURE_TAGS or (el.get("role") or "").lower() in FURNITURE_ROLES:
        return True
    return el.tag in CONTAINERS and any(FURNITURE_WORDS.search(word)
                                        for word in _words(el).split())


def drop_furniture(doc: lxml.html.HtmlElement) -> None:
    """Drop the page's furniture (keeping `<main>`/`<article>` and what holds them)."""
    keep = {el for top in doc.xpath("//article|//main|//*[@role='main']")
            for el in (top, *top.iterancestors())}  # (the set keeps the proxies alive)
    for el in list(doc.iter()):
        if isinstance(el.tag, str) and el not in keep and el.getparent() is not None \
                and el.tag not in ("html", "body") and is_furniture(el):
            el.drop_tree()


def article_root(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element that holds the article: <article>, <main> or role=main, else the one
    readability-lxml scores highest (when it holds half the page's words at least), else
    <body>."""
    found = next(iter(doc.xpath("//article|//main|//*[@role='main']")), None)
    if found is not None:
        return found
    body = doc.find("body") if doc.find("body") is not None else doc
    scored = _scored_root(doc)
    if scored is None or len(scored.text_content().split()) < 0.5 * len(
            body.text_content().split()):
        return body  # (an element with less than half the page's words is not its article)
    return scored


def _scored_root(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """readability-lxml's best candidate for the article, found again in `doc` (elements are
    numbered before it reads a copy of the page)."""
    from readability import Document  # only pages without semantic markup need it

    elements = [el for el in doc.iter() if isinstance(el.tag, str)]
    for n, el in enumerate(elements):
        el.set("data-dripmail", str(n))
    try:
        reader = Document(lxml.html.tostring(doc, encoding="unicode"))
        reader._html(True)
        reader.remove_unlikely_candidates()
        reader.transform_misused_divs_into_paragraphs()
        best = reader.select_best_candidate(reader.score_paragraphs())
        number = best["elem"].get("data-dripmail") if best else None
    except Exception:  # noqa: BLE001 (a page it cannot score: the body is the article)
        number = None
    finally:
        for el in elements:
            el.attrib.pop("data-dripmail", None)
    return elements[int(number)] if number is not None and number.isdigit() else None


def drop_inner_furniture(root: lxml.html.HtmlElement) -> None:
    """Inside the article: furniture elements, permalink anchors, tables of contents,
    navigation lines, tag lines and edit links."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el is root or _gone(el, root):
            continue
        if is_furniture(el) or _is_toc(el) or _is_line_of_links(el):
            _drop(el)
    for heading in list(root.iter(*_HEADINGS)):
        for number in heading.iter("span"):  # "1.1.2" before "Naming…" (a stylesheet's gap)
            if re.search(r"num", number.get("class", "")) and not (number.tail or "")[:1].isspace():
                number.tail = " " + (number.tail or "")
        for a in list(heading.iter("a")):
            if _is_permalink(a):
                _keep_target(a, heading)
                _drop(a)
        if not heading.text_content().strip():
            _drop(heading)
    for table in list(root.iter("table")):
        code = table.findall(".//pre")
        if len(code) == 1 and not " ".join(table.text_content().split()) \
                .replace(" ".join(code[0].text_content().split()), "").strip():
            code[0].tail = table.tail  # a code listing laid out in a table (line numbers gone)
            table.getparent().replace(table, code[0])
    for a in list(root.iter("a")):
        if a.get("href", "").startswith("#") and _is_permalink(a) and not _gone(a, root):
            _keep_target(a, a.getparent())
            _drop(a)
        elif not a.get("href") and not a.text_content().strip() and not _gone(a, root):
            _keep_target(a, a.getnext())  # an empty link target: to the element after it
            _drop(a)


def _gone(el: lxml.html.HtmlElement, root: lxml.html.HtmlElement) -> bool:
    """Whether `el` was dropped with an ancestor already."""
    return el is not root and root not in el.iterancestors()


def _drop(el: lxml.html.HtmlElement) -> None:
    if el.getparent() is not None:
        el.drop_tree()


def _is_permalink(a: lxml.html.HtmlElement) -> bool:
    """An anchor that only links its own heading or paragraph: a glyph, an icon or an image."""
    text = a.text_content()
    if a.get("aria-hidden") == "true" or PERMALINK_WORDS.search(
            f"{a.get('class', '')} {a.get('title', '')}"):
        return True
    return bool(a.get("href", "").startswith("#")) and PERMALINK_TEXT.fullmatch(text) is not None


def _keep_target(a: lxml.html.HtmlElement, holder: lxml.html.HtmlElement | None) -> None:
    """A dropped anchor that was also a link target gives its name to what held it."""
    target = a.get("id") or a.get("name")
    if holder is not None and target and not holder.get("id"):
        holder.set("id", target)


def _is_toc(el: lxml.html.HtmlElement) -> bool:
    """A list (or a table) whose entries are all links into the same page."""
    if el.tag not in ("ul", "ol", "dl", "table"):
        return False
    links = list(el.iter("a"))
    if len(links) < 3 or not all(a.get("href", "").startswith("#") for a in links):
        return False
    linked = sum(len(a.text_content().split()) for a in links)
    return linked >= 0.8 * len(el.text_content().split())


def _is_line_of_links(el: lxml.html.HtmlElement) -> bool:
    """A paragraph that is navigation, an edit link, a tag list or "You are here": its words
    all say so, or are links."""
    if el.tag not in ("p", "div", "span", "li", "table", "td") or el.find(".//p") is not None \
            and el.tag != "table":
        return False
    text = " ".join(el.text_content().split())
    if not text or len(text) > 200:
        return False
    if EDIT_LINK.match(text) or (TAG_LINE.match(text) and el.find(".//a") is not None):
        return True
    if el.find(".//a") is None and not re.fullmatch(r"[☜☞←→‹›«»|\s]+", text):
        return False
    words = {w.casefold() for w in re.findall(r"[^\W\d_]+", _text_outside_links(el))}
    return bool(NAV_LINE.match(text)) and words <= NAV_WORDS


def _text_outside_links(el: lxml.html.HtmlElement) -> str:
    parts = [el.text or ""]
    for child in el.iterdescendants():
        inside = child.tag == "a" or any(p.tag == "a" for p in child.iterancestors())
        if not inside and isinstance(child.tag, str):
            parts.append(child.text or "")
        if not any(p.tag == "a" for p in child.iterancestors()):
            parts.append(child.tail or "")
    return " ".join(parts)
