"""Which style rules can match an email, told from the HTML text before premailer parses it.

premailer runs one XPath query per rule of the stylesheet on every email, though most rules of
a theme find nothing in a given email (no table, no code, no table of contents...). A rule whose
selector names a tag, class or id that the email does not contain matches nothing, so premailer
may skip it: what it inlines is the same. Both sides err towards keeping a rule: selectors outside
a small grammar need nothing (always kept), and the names found in the HTML text are a superset
of what the parser will build (every class and id attribute value, every tag written, plus the
ones the parser may add by itself).
"""

from __future__ import annotations

import re

_IDENT = r"-?[_a-zA-Z][-\w]*"  # with re.ASCII, as all patterns here
# A compound selector premailer keeps for inlining: a type (or *), classes and ids, and at most
# :first-child or :last-child (any other pseudo-class goes to <head> before rules are matched).
_COMPOUND = re.compile(rf"(\*|{_IDENT})?((?:[.#]{_IDENT})*)(?::first-child|:last-child)?", re.A)
_COMBINATOR = re.compile(r"[ \t\r\n\f]*[>+~][ \t\r\n\f]*|[ \t\r\n\f]+")

# Start and end tags as written (libxml2 lowercases the name; both its tokenizers stop the name
# at the first character outside this set whenever the name is an identifier).
_TAG = re.compile(r"</?([\w:.-]+)", re.A)
# The value after every "=" that follows an s, a d or white space (so every class= and id=, any
# case, any spacing): up to the closing quote, or to white space or ">" when unquoted. The value
# is read in a lookahead, so one holding "class=" cannot hide the next attribute. (Unquoted
# values are read up to 256 characters: text such as "s=s=s=…" would otherwise cost its square.)
_VALUE = re.compile(r"""=(?<=[SsDd\s]=)\s*(?=("[^"]*|'[^']*|[^\s>]{0,256}))""")
_WORD = re.compile(r"[-\w]+", re.A)
# A character reference other than those decoding to "&", "<", ">", quotes or a no-break space
# (none of them part of a name or a separator between names).
_REFERENCE = re.compile(r"&(?!amp;|lt;|gt;|quot;|apos;|nbsp;)")
# Elements libxml2 adds without a tag in the text (html, head, body; old versions add <p>).
_IMPLIED = frozenset({"<html", "<head", "<body", "<p"})


def needs(selector: str) -> frozenset[str] | None:
    """The tags (as "<tag") and class or id names an element must have for `selector` to match,
    gathered over all its compounds; None when the selector is not understood (keep the rule)."""
    found: set[str] = set()
    for compound in _COMBINATOR.split(selector.strip()):
        match = _COMPOUND.fullmatch(compound)
        if not compound or match is None:
            return None
        tag, names = match.group(1, 2)
        if tag and tag != "*":
            found.add("<" + tag.lower())
        found.update(names.replace("#", ".").split(".")[1:])
    return frozenset(found)


def present(html: str) -> frozenset[str] | None:
    """The tags (as "<tag") and class or id words the email may contain; None when a class or id
    value holds a character reference that could spell or split a name (keep every rule)."""
    values = " ".join(_VALUE.findall(html))
    if "&" in values and _REFERENCE.search(values):
        return None
    tags = {"<" + tag.lower() for tag in set(_TAG.findall(html))}
    return _IMPLIED.union(tags, _WORD.findall(values))


def matchable(rules: list, rule_needs: list, found: frozenset[str] | None) -> list:
    """The rules (premailer's (specificity, selector, declarations) tuples, in order) whose
    needs are all `found`."""
    if found is None:
        return rules
    return [rule for rule, need in zip(rules, rule_needs, strict=True)
            if need is None or need <= found]
