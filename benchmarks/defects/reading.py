"""Reading defects (issue 13): what a reader notices when an article was not read the way its
writer meant it."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

import lxml.html

from defects.corpus_model import Article

# Lines of front matter printed as text (YAML/TOML keys of the common engines, or fences).
_FRONT_MATTER = re.compile(
    r"^\s*(title|layout|date|lastmod|tags|categories|category|permalink|draft|slug|author|"
    r"authors|description|summary|excerpt|weight|aliases|toc|template|lang|status|modified|"
    r"image|cover|hero_?image|pub_?date|updated_?date|sidebar_\w+|published)\s*[:=]\s*\S",
    re.IGNORECASE)
_FENCE = re.compile(r"^\s*(\+\+\+|---)\s*$")
# Navigation and page furniture as a line of its own.
_NAV = re.compile(
    r"^\s*((next|previous|prev|up|home|back)\s*([:»›→|]|$)|[«‹←]\s*(previous|prev)|"
    r"(table of contents|contents|on this page|in this article|edit this page|edit on github|"
    r"improve this page|skip to (main )?content|back to top|toggle navigation|share this( post)?|"
    r"leave a comment|\d+ comments?|related (posts|content))\s*:?\s*$|"
    r"(tags|categories|posted in|filed under)\s*:)", re.IGNORECASE)
_PERMALINK = re.compile("[¶\U0001f517\uf0c1]")
_SEPARATOR = re.compile(r"\s+[|–—·:»-]\s+")
# Rules whose findings only the theme (or the pipeline's own markup) can cause.
THEME_RULES = {"style-size", "style-nested-at-rule", "html-lang", "table-role", "meta-charset",
               "meta-viewport", "meta-color-scheme", "heading-order", "img-alt",
               "unsubscribe-link", "postal-address", "text-present", "text-filler",
               "font-size", "contrast", "contrast-dark", "client-support"}
_ABSOLUTE = re.compile(r"^([a-z][a-z0-9+.-]*:|//|#|\{\{|\*\||%%|\{\$|\[\[)", re.IGNORECASE)


def _norm(text: str) -> str:
    """Letters and digits only, case-folded (NFKC)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def refused(art: Article) -> list[str]:
    return [art.refused] if art.refused else []


def front_matter_or_nav(art: Article) -> list[str]:
    """Front matter printed at the top of the first email; navigation lines anywhere."""
    found = []
    for email in art.emails:
        lines = [ln for b in email.blocks for ln in b.text.split("\n")]
        for n, ln in enumerate([email.subject, email.preheader, email.title, *lines]):
            top = email.position == 1 and n < 3 + 12
            if (top and (_FRONT_MATTER.match(ln) or _FENCE.match(ln))) or _PERMALINK.search(ln):
                found.append(f"email {email.position}: {ln.strip()[:70]!r}")
            elif len(ln) < 80 and _NAV.match(ln):
                found.append(f"email {email.position}: {ln.strip()[:70]!r} (navigation)")
    return found


def _page_site(art: Article) -> str:
    """The site name a web page's <title> carries after a separator ('' if none)."""
    if art.fmt not in ("html", "htm"):
        return ""
    try:
        doc = lxml.html.fromstring(art.source.read_bytes())
    except (ValueError, lxml.etree.ParserError):
        return ""
    title = " ".join((doc.findtext(".//title") or "").split())
    parts = _SEPARATOR.split(title)
    return parts[-1] if len(parts) > 1 and len(parts[-1]) >= 3 else ""


# (an underscore counts as markup only as emphasis around words, `_this_`: inside or in front
# of a name, `mod_rewrite`, `_site`, it is the name's own)
_MARKUP = re.compile(r"<[a-z/!]|[*`]\w|\w[*`]|(?<!\w)_[^\W_][^_]*_(?!\w)|\{\{|\{%|\]\(|^#|\s#$|"
                     r"\\[\\*_`]")


def _carries_site(text: str, site: str) -> bool:
    """Whether a title carries the site's name as the site adds it: a part of its own after
    (or before) a separator, or in brackets ("Post | Site", "Site - Post", "Post [Site]"); a
    title whose own words name the site ("Getting Started with MkDocs") does not."""
    parts = [p.strip(" []()") for p in _SEPARATOR.split(re.sub(r"[\[(]", " | ", text))]
    return len(parts) > 1 and any(_norm(p) == _norm(site) for p in parts)


def title_suffix_or_markup(art: Article) -> list[str]:
    found = []
    site = _page_site(art)
    texts = [("title", art.title)] + [(f"subject {e.position}", e.subject) for e in art.emails]
    for where, text in texts:
        if site and _carries_site(text, site):
            found.append(f"{where}: {text!r} carries the site name {site!r}")
        elif _MARKUP.search(text) or _PERMALINK.search(text):
            found.append(f"{where}: {text!r} has markup")
    return found


def _match_headings(labels: list[str], recognised: list[str]) -> tuple[list[str], list[str]]:
    """(labels not recognised, recognised headings that are no label), matched in order on
    letters and digits (a recognised heading may drop numbering or decoration)."""
    norm_rec = [_norm(r) for r in recognised]
    used: set[int] = set()
    missed = []
    start = 0
    for label in labels:
        key = _norm(label)
        hit = None
        for i in range(start, len(norm_rec)):
            r = norm_rec[i]
            if r and key and (r == key or (len(r) >= 0.5 * len(key) and r in key)
                              or (len(key) >= 0.5 * len(r) and key in r)):
                hit = i
                break
        if hit is None:
            missed.append(label)
        else:
            used.add(hit)
            start = hit + 1
    extra = [recognised[i] for i in range(len(recognised)) if i not in used]
    return missed, extra


def heading_not_recognised(art: Article) -> list[str]:
    """Plain text: labelled headings missed and lines taken for headings that are none."""
    if art.labels is None or art.refused:
        return []
    recognised = art.headings[1:]
    missed, extra = _match_headings(art.labels, recognised)
    out = [f"missed: {m!r}" for m in missed]
    out += [f"not a heading: {x!r}" for x in extra]
    if art.label_title and art.headings and _norm(art.headings[0]) not in _norm(art.label_title) \
            and _norm(art.label_title) not in _norm(art.headings[0]):
        out.append(f"title {art.headings[0]!r}, labelled {art.label_title!r}")
    return out


def _heading_summary(articles: list[Article]) -> str:
    labels = recognised = hit = 0
    for art in articles:
        if art.labels is None or art.refused:
            continue
        missed, extra = _match_headings(art.labels, art.headings[1:])
        labels += len(art.labels)
        recognised += len(art.headings) - 1
        hit += len(art.labels) - len(missed)
    if not labels:
        return ""
    precision = hit / recognised if recognised else 0.0
    return f"recall {hit / labels:.1%} ({hit}/{labels}), precision {precision:.1%}"


heading_not_recognised.summary = _heading_summary


def _body(email_html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(email_html)


def _relative(url: str) -> bool:
    url = url.strip()
    return bool(url) and not _ABSOLUTE.match(url)


def relative_link_without_finding(art: Article) -> list[str]:
    found = []
    for email in art.emails:
        doc = _body(email.html)
        urls = [a.get("href", "") for a in doc.iter("a")]
        urls += [img.get("src", "") for img in doc.iter("img")]
        bad = [u for u in urls if _relative(u)]
        flagged = any("relative" in (f.get("message", "") + f.get("rule", "")).lower()
                      for f in email.findings)
        if bad and not flagged:
            found += [f"email {email.position}: {u[:70]}" for u in bad]
    return found


def dead_anchor(art: Article) -> list[str]:
    found = []
    for email in art.emails:
        doc = _body(email.html)
        ids = {el.get("id") for el in doc.iter() if el.get("id")}
        ids |= {a.get("name") for a in doc.iter("a") if a.get("name")}
        for a in doc.iter("a"):
            href = a.get("href", "")
            if href.startswith("#") and len(href) > 1 and unquote(href[1:]) not in ids:
                found.append(f"email {email.position}: {href[:60]}")
    return found


_HIDDEN = re.compile(r"display\s*:\s*none|max-height\s*:\s*0|mso-hide\s*:\s*all", re.I)
_WORD = re.compile(r"[^\W_]{3,}")


def _visible_words(html: str) -> set[str]:
    doc = _body(html)
    for el in list(doc.iter("style", "script", "head", "title")):
        el.drop_tree()
    for el in list(doc.iter()):
        if isinstance(el.tag, str) and _HIDDEN.search(el.get("style", "")) \
                and el.getparent() is not None:
            el.drop_tree()
    return {w.casefold() for w in _WORD.findall(" ".join(doc.itertext()))}


def text_part_loss(art: Article) -> list[str]:
    """Words the HTML part shows that the plain-text part never has."""
    found = []
    for email in art.emails:
        text = {w.casefold() for w in _WORD.findall(email.text)}
        lost = sorted(_visible_words(email.html) - text)
        if lost:
            found.append(f"email {email.position}: {len(lost)} words, e.g. {lost[:6]}")
    return found


def theme_finding(art: Article) -> list[str]:
    return [f"email {e.position}: {f['rule']}: {f['message'][:80]}" for e in art.emails
            for f in e.findings if f["rule"] in THEME_RULES]


COUNTERS = [
    ("refused", "reading", refused),
    ("front-matter-or-nav", "reading", front_matter_or_nav),
    ("title-suffix-or-markup", "reading", title_suffix_or_markup),
    ("heading-not-recognised", "reading", heading_not_recognised),
    ("relative-link-no-finding", "reading", relative_link_without_finding),
    ("dead-anchor", "reading", dead_anchor),
    ("text-part-loss", "reading", text_part_loss),
    ("theme-finding", "reading", theme_finding),
]
