"""Structure rules: language, layout tables, head meta, headings, image alt text."""

from __future__ import annotations

import re

from dripmail.checks.dom import body
from dripmail.checks.model import EmailDoc
from dripmail.checks.registry import rule

THEME_FIX = "fix the theme's email.html (copy it into your project's templates/ to override it)"


@rule("html-lang", "error", "structure", "<html> declares the language (lang)")
def html_lang(doc: EmailDoc):
    """Screen readers pick their voice from lang."""
    if not (doc.tree.get("lang") or "").strip():
        yield ("error", "<html> has no lang attribute; screen readers may mispronounce the text",
               f"add lang=\"en\" (or the `language` setting) to <html>; {THEME_FIX}")


def _is_data_table(table) -> bool:
    return bool(table.xpath(".//th|.//caption|.//thead")) or table.get("role") == "table"


@rule("table-role", "error", "structure", "every layout <table> has role=\"presentation\"")
def table_role(doc: EmailDoc):
    """Without the role, screen readers announce rows and columns of layout tables."""
    bad = [t for t in doc.tree.iter("table")
           if (t.get("role") or "").strip() != "presentation" and not _is_data_table(t)]
    if bad:
        yield ("error", f"{len(bad)} layout table(s) lack role=\"presentation\"; screen readers "
               "read them as data tables",
               f"add role=\"presentation\" to every layout <table>; {THEME_FIX}")


def _metas(doc: EmailDoc) -> list:
    return list(doc.tree.iter("meta"))


@rule("meta-charset", "error", "structure", "the HTML declares charset UTF-8")
def meta_charset(doc: EmailDoc):
    """Gmail clips non-UTF-8 messages and clients guess the encoding wrongly."""
    for meta in _metas(doc):
        charset = meta.get("charset") or ""
        if not charset and (meta.get("http-equiv") or "").lower() == "content-type":
            found = re.search(r"charset=([\w-]+)", meta.get("content") or "", re.I)
            charset = found.group(1) if found else ""
        if charset:
            if charset.lower().replace("_", "-") in {"utf-8", "utf8"}:
                return
            yield ("error", f"the HTML declares charset {charset}, not UTF-8",
                   f"use <meta charset=\"utf-8\">; {THEME_FIX}")
            return
    yield ("error", "no <meta charset=\"utf-8\"> in <head>",
           f"add <meta charset=\"utf-8\"> as the first element of <head>; {THEME_FIX}")


@rule("meta-viewport", "warning", "structure", "a viewport meta for phones")
def meta_viewport(doc: EmailDoc):
    """Without it, some phone clients render the email zoomed out."""
    if not any((m.get("name") or "").lower() == "viewport" for m in _metas(doc)):
        yield ("warning", "no viewport meta; phones may show the email zoomed out",
               "add <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">; "
               + THEME_FIX)


@rule("meta-color-scheme", "warning", "structure", "color-scheme meta declares light and dark")
def meta_color_scheme(doc: EmailDoc):
    """Clients that honour it keep the design instead of force-inverting colours."""
    for meta in _metas(doc):
        if (meta.get("name") or "").lower() == "color-scheme":
            content = (meta.get("content") or "").lower().split()
            if "light" in content and "dark" in content:
                return
    yield ("warning", "no <meta name=\"color-scheme\" content=\"light dark\">; clients may "
           "force-invert the colours in dark mode",
           "add color-scheme and supported-color-schemes metas with content \"light dark\"; "
           + THEME_FIX)


@rule("heading-order", "warning", "structure", "headings start at h1/h2 and skip no level")
def heading_order(doc: EmailDoc):
    """Screen-reader users navigate by headings; skipped levels hide structure."""
    levels = [int(h.tag[1]) for h in body(doc.tree).iter("h1", "h2", "h3", "h4", "h5", "h6")]
    previous = 0
    for level in levels:
        if level > previous + 1 and not (previous == 0 and level == 2):
            where = f"after <h{previous}>" if previous else "as the first heading"
            yield ("warning", f"<h{level}> comes {where}; heading levels are skipped",
                   "use the next heading level (e.g. ## after #) in the article")
            return
        previous = level
    if levels.count(1) > 1:
        yield ("warning", f"{levels.count(1)} <h1> headings; an email has one main heading",
               "demote the extra headings to ## (h2)")


@rule("img-alt", "error", "structure", "every <img> has alt text (alt=\"\" for decoration)")
def img_alt(doc: EmailDoc):
    """Images are often blocked and screen readers read the file name instead."""
    for img in doc.tree.iter("img"):
        if img.get("alt") is None:
            src = img.get("src") or "(no src)"
            yield ("error", f"image {src} has no alt attribute",
                   "describe the image: ![what it shows](url) in Markdown or alt=\"…\" in HTML; "
                   "use alt=\"\" for decorative images")
