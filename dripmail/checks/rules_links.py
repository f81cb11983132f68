"""Link rules and the compliance footer (unsubscribe link, postal address)."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import unquote

from lxml import etree
from lxml.html import HtmlElement

from dripmail import languages
from dripmail.checks.dom import MERGE_TAG, body, visible_text
from dripmail.checks.model import EmailDoc
from dripmail.checks.registry import rule

VAGUE_TEXT = languages.EN.vague_links  # and each language's own (dripmail.languages)
# (the lookahead on the first letters lets the engine skip most positions quickly)
UNSUBSCRIBE = re.compile(r"(?=[uo])(?:unsub|opt[-_ ]?out)", re.IGNORECASE)
# Provider tags that print the sender's address.
ADDRESS_TAG = re.compile(
    r"\*\|(?:HTML:)?LIST_ADDRESS(?:_HTML)?\|\*|\*\|LIST:ADDRESS(?:LINE)?\|\*"
    r"|\{\{\s*(?:address|sender\.address|sender_address)\s*\}\}"
    r"|\{contactfield=companyaddress\d?\}",
    re.IGNORECASE,
)
# Providers that append the account's address themselves.
APPENDS_ADDRESS = frozenset({"mailerlite"})
ADDRESS_SHAPE = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:[A-Z][\w.'-]*\s+){0,4}"
    r"(?:st|street|rd|road|ave|avenue|blvd|boulevard|ln|lane|dr|drive|way|ct|court|pl|place"
    r"|sq|square|hwy|highway|pkwy|parkway|terrace|row|close|strasse|straße|weg)\b\.?"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+"
    r"|\b(?:[A-Z]{2}\s+)?\d{5}(?:-\d{4})?\b"  # US ZIP (with state)
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"  # UK postcode
    r"|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"  # Canadian postcode
    r"|\b\d{4,5}\s+[A-ZÄÖÜ][a-zäöüß]+",  # EU postcode + town
    re.IGNORECASE,
)


def _links(doc: EmailDoc) -> tuple[tuple[HtmlElement, str, str], ...]:
    return _links_of(doc.tree)


@lru_cache(maxsize=32)  # six rules read them; trees are shared per email (model.parse_html)
def _links_of(tree: HtmlElement) -> tuple[tuple[HtmlElement, str, str], ...]:
    """(element, href, text) of every link in the body."""
    return tuple((a, (a.get("href") or "").strip(), " ".join(_TEXT(a).split()))
                 for a in body(tree).iter("a"))


_TEXT = etree.XPath("string()")  # what lxml.html's text_content() evaluates


@rule("link-empty", "error", "links", "no empty or \"#\" link targets")
def link_empty(doc: EmailDoc):
    """A link that goes nowhere frustrates readers and looks like spam."""
    for a, href, text in _links(doc):
        if a.get("href") is not None and href in {"", "#"}:
            yield ("error", f"link \"{text or '(no text)'}\" has href=\"{href}\"",
                   "give the link a real URL or remove it")


@rule("link-javascript", "error", "links", "no javascript: links")
def link_javascript(doc: EmailDoc):
    """Email clients strip scripts; such links are broken and flagged by spam filters."""
    for _a, href, text in _links(doc):
        if re.sub(r"\s", "", href).lower().startswith("javascript:"):
            yield ("error", f"link \"{text or '(no text)'}\" uses a javascript: URL",
                   "link to a web page instead")


@rule("link-insecure", "warning", "links", "links use https://")
def link_insecure(doc: EmailDoc):
    """Plain http links trigger browser warnings and some spam filters."""
    for _a, href, text in _links(doc):
        if href.lower().startswith("http://"):
            yield ("warning", f"link \"{text or href}\" uses http:// ({href})",
                   "use the https:// address")


def vague_texts(lang: str) -> frozenset[str]:
    """Link texts that do not say where they go: the language's and English ones (an English
    "click here" is as vague in a German email)."""
    found = languages.language(lang)
    return VAGUE_TEXT | found.vague_links if found else VAGUE_TEXT


@rule("link-text", "warning", "links",
      "link text says where it goes (no \"click here\", \"hier klicken\", \"cliquez ici\")")
def link_text(doc: EmailDoc):
    """Screen-reader users list links out of context (WCAG 2.2 SC 2.4.4)."""
    vague = vague_texts(doc.language)
    for _a, _href, text in _links(doc):
        if text.lower().replace("’", "'").strip(" .!:→»>…«←؟") in vague:
            yield ("warning", f"link text \"{text}\" does not say where the link goes",
                   "name the destination, e.g. \"Read the full article\" → "
                   "\"Read: When your partner isn't ready\"")


def has_unsubscribe(doc: EmailDoc) -> bool:
    """Whether the HTML has an unsubscribe link (a merge tag or a URL/text saying so)."""
    for _a, href, text in _links(doc):
        if href and (UNSUBSCRIBE.search(href) or UNSUBSCRIBE.search(text)):
            return True
    return False


@rule("unsubscribe-link", "error", "compliance", "every email has an unsubscribe link")
def unsubscribe_link(doc: EmailDoc):
    """CAN-SPAM, GDPR and Gmail/Yahoo bulk-sender rules require a visible way out."""
    if not has_unsubscribe(doc):
        yield ("error", "no unsubscribe link (neither a provider tag such as "
               "{{ unsubscribe_url }} / *|UNSUB|* nor a link saying unsubscribe)",
               "keep the theme's footer, or set `unsubscribe_url` / `provider` in dripmail.toml")
    elif doc.text is not None and not (UNSUBSCRIBE.search(doc.text)):
        yield ("error", "the plain-text part has no unsubscribe link",
               "add the unsubscribe tag to the theme's email.txt footer")


def has_address(doc: EmailDoc) -> bool:
    """Whether the email shows a postal address (the configured one, a tag, or one shaped so)."""
    if doc.provider in APPENDS_ADDRESS:
        return True
    raw = doc.html
    if ADDRESS_TAG.search(raw):
        return True
    text = " ".join(visible_text(doc.tree).split())
    if doc.postal_address.strip():
        wanted = " ".join(doc.postal_address.split())
        return wanted in text or html.escape(wanted) in raw
    if doc.tree.find(".//address") is not None:
        return True
    return bool(ADDRESS_SHAPE.search(MERGE_TAG.sub(" ", text)))


@rule("postal-address", "error", "compliance", "every email shows the sender's postal address")
def postal_address(doc: EmailDoc):
    """CAN-SPAM requires a valid physical postal address in commercial email."""
    if not has_address(doc):
        yield ("error", "no postal address found in the email",
               "set `postal_address = \"…\"` in dripmail.toml (it is printed in the footer)")


# Schemes and the merge-tag shapes of the providers: an address that does not depend on the
# page it is on.
_NOT_RELATIVE = re.compile(r"([a-z][a-z0-9+.-]*:|//|#|\{\{|\{%|\*\||%%|\{\$|\[\[|\$\{)",
                           re.IGNORECASE)


@rule("relative-url", "error", "links", "no relative link or image address (it cannot work "
      "in an inbox)")
def relative_url(doc: EmailDoc):
    """An inbox has no page to resolve `/img/x.png` or `../guide/` against. (Mailchimp's
    import zip carries an email's local images, so its relative images are not errors; the
    build warns about those it could not find.)"""
    seen: set[str] = set()
    for el in body(doc.tree).iter("a", "img"):
        if el.tag == "img" and doc.provider == "mailchimp" and not (el.get("src") or "").strip(
                ).startswith("/"):
            continue
        url = (el.get("href") if el.tag == "a" else el.get("src")) or ""
        url = url.strip()
        if url and not _NOT_RELATIVE.match(url) and not MERGE_TAG.search(url) \
                and url not in seen:
            seen.add(url)
            what = "link" if el.tag == "a" else "image"
            yield ("error", f"relative {what} address {url!r} cannot work in an inbox",
                   "set `url:` (the article's web address) in its front matter or `base_url` "
                   "in dripmail.toml, or write the full https:// address")


@rule("dead-anchor", "error", "links", "every in-page #anchor link has its target in the "
      "same email")
def dead_anchor(doc: EmailDoc):
    """A link to a part of the article that is in another email (or nowhere) goes nowhere."""
    tree = body(doc.tree)
    ids = {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
    ids |= {a.get("name") for a in tree.iter("a") if a.get("name")}
    for _a, href, text in _links(doc):
        if href.startswith("#") and len(href) > 1 and unquote(href[1:]) not in ids:
            yield ("error", f"link \"{text or href}\" points to {href}, which is not in this "
                   "email", "link to the article's web page (set `url:` in its front matter) "
                   "or remove the link")
