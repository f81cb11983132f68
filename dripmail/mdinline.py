"""Python-Markdown's inline processing without the patterns that cannot match a document.

Markdown's InlineProcessor tries every inline pattern (15 with "extra", 18 more for "smarty") on
every piece of text, and most articles have no backtick, backslash, "<", "&", "--" or quote, so
most of those tries find nothing and cost about half of the conversion.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown import inlinepatterns as ip
from markdown.extensions import smarty as sm
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

# What a pattern's regular expression cannot match without: one of these strings (keyed by the
# regex, so a pattern that another Markdown version spells differently is simply always run).
NEEDS: dict[str, tuple[str, ...]] = {
    ip.BACKTICK_RE: ("`",),
    ip.ESCAPE_RE: ("\\",),
    r"\[\^([^\]]*)\]": ("[^",),  # footnotes' FOOTNOTE_RE (a local name there)
    ip.LINK_RE: ("[",),  # also REFERENCE_RE
    ip.IMAGE_LINK_RE: ("![",),  # also IMAGE_REFERENCE_RE
    ip.AUTOLINK_RE: ("<",),
    ip.AUTOMAIL_RE: ("<",),
    ip.HTML_RE: ("<",),
    ip.ENTITY_RE: ("&",),
    ip.LINE_BREAK_RE: ("  \n",),
    r"\*|_": ("*", "_"),  # the emphasis DelimiterProcessor's tokens
    r"(?<!\.)\.{3}(?!\.)": ("...",),  # smarty's ellipses and dashes
    r"(?<!-)---(?!-)": ("---",),
    r"(?<!-)--(?!-)": ("--",),
    **dict.fromkeys((sm.singleQuoteStartRe, sm.decadeAbbrRe, sm.openingSingleQuotesRegex,
                     sm.closingSingleQuotesRegex, sm.closingSingleQuotesRegex2,
                     sm.remainingSingleQuotesRegex), ("'",)),
    **dict.fromkeys((sm.doubleQuoteStartRe, sm.openingDoubleQuotesRegex,
                     sm.closingDoubleQuotesRegex, sm.closingDoubleQuotesRegex2,
                     sm.remainingDoubleQuotesRegex), ('"',)),
    **dict.fromkeys((sm.doubleQuoteSetsRe, sm.singleQuoteSetsRe2), ("\"'",)),
    **dict.fromkeys((sm.singleQuoteSetsRe, sm.doubleQuoteSetsRe2), ("'\"",)),
}


class PrunedInlineProcessor(InlineProcessor):
    """An InlineProcessor that runs, per document, only the patterns whose NEEDS occur in it.

    Why the output cannot change: a pattern acts only where its regex matches (handleMatch is
    never called otherwise), and a pattern that does not match leaves the text and the position
    as they were, so dropping it is the same as trying it in vain. The text the patterns see is
    the tree's text at the moment this processor runs (after block parsing and every earlier
    tree processor: footnotes, attr_list, abbr, the main inline pass for smarty), which is what
    is scanned here, except atomic strings, which no pattern ever sees. While running, patterns
    only cut that text into pieces and put placeholders in it (STX, letters, digits, ":", ETX;
    never empty) or footnote numbers, so no needle can appear that was not already there.
    """

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        every = self.inlinePatterns
        text = "\0".join(t for el in tree.iter() for t in (el.text, el.tail)
                         if t and not isinstance(t, AtomicString))
        # A plain list also spares the Registry's indexing, which the processor does per try.
        self.inlinePatterns = [p for p in every if any(
            needle in text for needle in NEEDS.get(p.getCompiledRegExp().pattern, ("",)))]
        try:
            return super().run(tree, ancestors)
        finally:
            self.inlinePatterns = every


def prune(md: Markdown) -> Markdown:
    """Make `md`'s inline passes (the main one and smarty's) skip patterns that cannot match."""
    for name in ("inline", "smarty"):
        if name in md.treeprocessors and type(md.treeprocessors[name]) is InlineProcessor:
            # The same object stays registered (others look it up by name), with a new run().
            md.treeprocessors[name].__class__ = PrunedInlineProcessor
    return md
