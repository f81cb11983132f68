"""The Markdown reader, and the reusable converter behind it (plain text is read through it too).

The converter leaves out the processors a document cannot use. Markdown tries every inline
pattern (15 with "extra", 18 more for "smarty") on every piece of text and every block processor
on every block, and most articles have no backtick, backslash, "<", "&", "--", quote, "|" or
footnote, so most of those tries find nothing and cost about half of the conversion.
With DRIPMAIL_REFERENCE=1 every article gets a new `markdown.Markdown` instead (`read`);
tests/test_markdown_fast.py compares the two.
"""

from __future__ import annotations

import importlib
import re
import threading
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown import inlinepatterns as ip
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import smarty as sm
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString, Registry

from dripmail import languages, lazy
from dripmail.models import Page, Settings, Source
from dripmail.reading import nesting
from dripmail.reading.cut import CUT, CUT_LINE
from dripmail.reference import reference

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


# Block processors (by name) that cannot act on a block without this text. Blocks are pieces of
# the source's lines (markers and indents cut from line starts; tabs become spaces; STX and ETX
# are dropped), or of raw HTML inside markdown="1", so the text to look in is the source.
# "table" needs a "|" to split cells; the others search their regex and give the block back
# untouched (test() False, or run() False) when it does not match.
BLOCK_NEEDS = {"table": "|", "footnote": "[^", "abbr": "*[", "reference": "]:", "deflist": ": ",
               "quote": ">"}


class Converter:
    """A Markdown converter for one document after another, as if each had a new Markdown.

    Python-Markdown documents reset() between documents as the way to reuse one (a new one costs
    about 0.3 ms); per document it then runs only the block processors and inline patterns
    that can act on it (see BLOCK_NEEDS, NEEDS and PrunedInlineProcessor).
    """

    def __init__(self, md: Markdown):
        self.md = md
        for name in ("inline", "smarty"):
            if name in md.treeprocessors and type(md.treeprocessors[name]) is InlineProcessor:
                # The same object stays registered (others look it up by name), with a new run().
                md.treeprocessors[name].__class__ = PrunedInlineProcessor
        self.blocks = md.parser.blockprocessors
        self.variants: dict[tuple[str, ...], Registry[BlockProcessor]] = {}

    def convert(self, text: str) -> str:
        seen = text.replace("\x02", "").replace("\x03", "").replace("\t", " ")
        skip = tuple(name for name, needle in BLOCK_NEEDS.items()
                     if name in self.blocks and needle not in seen)
        if skip not in self.variants:
            self.variants[skip] = self.blocks[:]  # a copy
            for name in skip:
                self.variants[skip].deregister(name)
        self.md.parser.blockprocessors = self.variants[skip]
        return self.md.reset().convert(text)


def read(source: Source, settings: Settings) -> Page:
    """A Markdown article as raw HTML (no page title: the first heading is the title)."""
    nesting.check_markdown(source)
    return Page("", convert(source.body, source, settings, nested_by_two(source.body)))


def convert(text: str, source: Source, settings: Settings, by_two: bool = False) -> str:
    """Markdown text (of `source`) to raw HTML, each `<!-- email -->` line kept as CUT
    (`by_two`: lists nest by two spaces, as GitHub and CommonMark write them)."""
    text = CUT_LINE.sub(f"\n\n{CUT}\n\n", text)
    key = (smart_quotes(settings), by_two)
    try:
        if reference():  # DRIPMAIL_REFERENCE=1: a new Markdown for every article
            return Markdown(extensions=_extensions(*key), output_format="html").convert(text)
        return _converter(key).convert(text)
    except BaseException as exc:
        _CONVERTERS.__dict__.get("by_kind", {}).pop(key, None)  # half done
        if isinstance(exc, RecursionError):  # e.g. <div markdown="1"> nested 1000 deep
            raise nesting.NestingError(source, None, nesting.source_line(source)) from None
        raise


def _quotes_config(name: str, smart_quotes: tuple[str, str] | bool) -> dict:
    """smarty's substitutions for the language's double quotes (English ones need none)."""
    if name != "smarty" or not isinstance(smart_quotes, tuple) or smart_quotes == ("“", "”"):
        return {}
    return {"substitutions": {"left-double-quote": smart_quotes[0],
                              "right-double-quote": smart_quotes[1]}}


_CONVERTERS = threading.local()
_ITEM = re.compile(r"([ ]*)(?:[*+-]|\d{1,9}[.)])[ ]+\S")
_FENCE = re.compile(r"[ ]*(```|~~~)")


def nested_by_two(text: str) -> bool:
    """Whether the text nests its lists by two or three spaces (GitHub, CommonMark: the
    item's text column) and never by four (Python-Markdown's own way). One pass over the
    lines, outside fenced code; a nested item is measured from the item it is under."""
    two = four = fenced = False
    above: list[int] = []  # the indents of the items the current line may be under
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or not line.strip():
            continue
        item = _ITEM.match(line)
        if item is None:
            if not line.startswith(" "):
                above = []
            continue
        indent = len(item.group(1))
        while above and above[-1] >= indent:
            above.pop()
        if above:
            two, four = two or indent - above[-1] < 4, four or indent - above[-1] >= 4
        above.append(indent)
    return two and not four


def smart_quotes(settings: Settings) -> tuple[str, str] | bool:
    """What `smart_quotes` makes of "straight" double quotes: the language's own marks
    (CLDR, dripmail.languages: „…“ in German, « … » in French), or False when it is off.
    Single quotes and apostrophes stay ’ (smarty writes an apostrophe as a closing single
    quote, which is ‘ in German)."""
    if not settings.smart_quotes:
        return False
    marks = languages.quotes(settings.language)
    return (marks.open + marks.space, marks.space + marks.close)


def _converter(key: tuple[tuple[str, str] | bool, bool]) -> Converter:
    """This thread's Markdown converter of this kind, built on first use."""
    cache = _CONVERTERS.__dict__.setdefault("by_kind", {})
    if key not in cache:
        cache[key] = Converter(Markdown(extensions=_extensions(*key), output_format="html"))
    return cache[key]


def _extensions(smart_quotes: tuple[str, str] | bool, by_two: bool = False) -> list:
    """Python-Markdown's "extra" and "sane_lists" (and "smarty": True for English quotes, or
    the (opening, closing) double quotes) as instances, in the order "extra" registers them:
    named extensions make Markdown scan the entry points of every installed package, about
    20 ms per process. `by_two`: lists nest by two spaces (mdx_truly_sane_lists'
    `nested_indent`, its paragraphs left as Python-Markdown makes them)."""
    from markdown.extensions import extra

    # fenced_code imports codehilite, which imports Pygments when it is installed (about 16 ms);
    # dripmail never enables codehilite, so Pygments is hidden while they load.
    with lazy.hidden("pygments"):
        importlib.import_module("markdown.extensions.fenced_code")
    names = [*extra.extensions, "sane_lists", *(["smarty"] if smart_quotes else [])]
    found = [importlib.import_module(f"markdown.extensions.{name}").makeExtension(
        **_quotes_config(name, smart_quotes)) for name in names]
    if by_two:
        import mdx_truly_sane_lists

        found.append(mdx_truly_sane_lists.makeExtension(nested_indent=2, truly_sane=False))
    return found
