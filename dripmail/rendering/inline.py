"""premailer, wrapped safely: no network, media queries keep !important, quiet cssutils,
`&nbsp;` and the doctype preserved. Merge tags are inert tokens at this point, so they survive.

The theme's CSS is the same for every email of a build, so the parsed style rules and the
leftover @media text are computed once per stylesheet and reused (`_OncePremailer`). A
stylesheet of tag and class selectors (the built-in theme's) is then applied per element
context (`restyle`); any other goes through premailer, matched only against the rules that can
match the email (`rulefilter`). The output is byte-identical to plain premailer
(tests/test_inline_fast.py).
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import types
from functools import cache, cached_property, lru_cache

from dripmail import lazy


def _fetch_later(url: str):
    """cssutils' URL fetcher, imported when cssutils first fetches (dripmail never asks it to)."""
    import importlib

    return importlib.import_module("cssutils._fetch")._defaultFetcher(url)


def _configure(cssutils: types.ModuleType) -> types.ModuleType:
    """Quiet cssutils' log and keep six-digit hex colours (#111111, not #111)."""
    cssutils.log.setLog(_QUIET)
    cssutils.log.setLevel(logging.CRITICAL)
    cssutils.ser.prefs.minimizeColorHash = False
    return cssutils


@cache
def _cssutils() -> types.ModuleType:
    """cssutils, imported without its URL fetcher (which loads `importlib.metadata`) and
    `urllib.request` (they load when cssutils first fetches, which dripmail never asks), and
    configured."""
    fetcher = types.ModuleType("cssutils._fetch")
    fetcher._defaultFetcher = _fetch_later
    stand_ins = {"cssutils._fetch": fetcher, "urllib.request": lazy.Deferred("urllib.request")}
    return _configure(lazy.import_with(stand_ins, "cssutils"))


class _LazyCssutils(types.ModuleType):
    """premailer's `cssutils`: the real module is imported on first use. A build with the
    built-in theme may never use it (its parse ships with the package, see `themecss`), and
    importing it is about 50 ms of every start-up."""

    def __getattr__(self, attr: str):
        return getattr(_cssutils(), attr)


def _import_premailer():
    """Import premailer without the modules it does not need yet: `requests` and
    `urllib.request` (with `http.client` and `ssl`), which it uses only to fetch remote
    stylesheets (dripmail never allows that), and cssutils (see `_LazyCssutils`). Together they
    are most of premailer's import time."""
    if "cssutils" in sys.modules:
        _configure(sys.modules["cssutils"])
    stand_ins = {"requests": lazy.Deferred("requests"),
                 "urllib.request": lazy.Deferred("urllib.request"),
                 "cssutils": _LazyCssutils("cssutils")}
    module = lazy.import_with(stand_ins, "premailer.premailer")
    _memoise(module)
    return module.Premailer


def _memoise(module: types.ModuleType) -> None:
    """Put a plain memo in front of premailer's two cached helpers (selector -> XPath, style
    text -> declarations). premailer caches them in a shared, locked LFU cache whose lookup
    costs more than the work it saves for a theme's few dozen selectors; both are pure
    functions, so answering repeats from a dict changes nothing (a miss still goes through
    premailer's own cache, which `_OncePremailer._adopt` seeds)."""
    from premailer import merge_style

    if getattr(module._create_cssselector, "dripmail_memo", False):
        return
    selector = lru_cache(maxsize=4096)(module._create_cssselector)
    pairs = lru_cache(maxsize=4096)(merge_style.csstext_to_pairs)
    selector.dripmail_memo = pairs.dripmail_memo = True
    module._create_cssselector = selector
    module.csstext_to_pairs = merge_style.csstext_to_pairs = pairs


_QUIET = logging.getLogger("dripmail.cssutils")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False
_QUIET.setLevel(logging.CRITICAL)
Premailer = _import_premailer()

from lxml import etree  # noqa: E402

from dripmail.rendering import restyle, rulefilter, themecss  # noqa: E402

DOCTYPE = "<!DOCTYPE html>"
OPTIONS = {
    "allow_network": False,
    "allow_loading_external_files": False,
    "strip_important": False,
    "keep_style_tags": False,
    "remove_classes": False,
    "disable_validation": True,
    "disable_leftover_css": False,
    # premailer copies `height: auto` into an invalid `height="auto"` attribute on images.
    "disable_basic_attributes": ["height"],
    # (cssutils' log is quietened once, when cssutils loads: see `_configure`)
}
_DOCTYPE_RE = re.compile(r"^\s*<!DOCTYPE[^>]*>\s*", flags=re.IGNORECASE)


class _OncePremailer(Premailer):
    """Premailer that parses each distinct stylesheet once per process, not once per email,
    and gives each email only the rules that can match it.

    premailer re-walks and re-serialises every cssutils rule of the sheet on each transform;
    both results depend only on the CSS text (and the fixed options above), so they are kept.
    For the built-in theme they are not even computed once: `themecss` ships them. premailer
    then runs one XPath query per rule; rules naming a tag, class or id the email lacks match
    nothing and are left out (`rulefilter`), which changes nothing in what is inlined. The
    HTML attributes premailer derives from each merged style are likewise worked out once.
    """

    _rules: dict[tuple[str, int], tuple[list, list, list]] = {}
    _leftover_text: dict[int, str] = {}
    _attributes: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}
    _lock = threading.Lock()
    LIMIT = 16  # distinct stylesheets kept (a build has one or two)
    ATTRIBUTES_LIMIT = 4096  # distinct merged styles kept (a theme makes a few dozen)

    def _parse_style_rules(self, css_body, ruleset_index):
        rules, leftover, rule_needs = self._sheet(css_body, ruleset_index)
        return rulefilter.matchable(rules, rule_needs, self._present), leftover

    @cached_property
    def _present(self) -> frozenset[str] | None:
        """The tags, classes and ids this email may contain (None: unknown, keep every rule)."""
        return rulefilter.present(self.html) if isinstance(self.html, str) else None

    def _sheet(self, css_body, ruleset_index) -> tuple[list, list, list]:
        """premailer's rules and leftover for a stylesheet, and what each rule's selector needs."""
        key = (css_body or "", ruleset_index)
        with self._lock:
            hit = self._rules.get(key)
            if hit is None:
                if len(self._rules) >= self.LIMIT:
                    self._rules.clear()
                    self._leftover_text.clear()
                stored = themecss.lookup(*key)
                if stored is not None:
                    rules, leftover = self._adopt(*stored)
                else:
                    rules, leftover = super()._parse_style_rules(css_body, ruleset_index)
                hit = rules, leftover, [rulefilter.needs(selector) for _s, selector, _b in rules]
                self._rules[key] = hit
            return hit

    def _adopt(self, rules: list, leftover_text: str | None, pairs: dict[str, list]
               ) -> tuple[list, list]:
        """Take a stored parse of the built-in theme (`themecss`) instead of parsing it: the
        rules, the leftover @media text, and premailer's cached style pairs of each rule."""
        from cachetools.keys import hashkey
        from premailer.cache import cache, cache_access_lock

        leftover = [leftover_text] if leftover_text is not None else []
        if leftover:
            self._leftover_text[id(leftover)] = leftover_text
        with cache_access_lock:  # what premailer.merge_style.csstext_to_pairs would compute
            for bulk, found in pairs.items():
                cache[hashkey(bulk, validate=not self.disable_validation)] = found
            for style, found in themecss.inline_pairs().items():  # the templates' style=""
                cache[hashkey(style)] = found
        return rules, leftover

    def _style_to_basic_html_attributes(self, element, style_content, force=False):
        """premailer's HTML attributes for an inlined style (align, valign, bgcolor, width),
        worked out once per distinct style: the same few styles recur on every email."""
        if not force:  # without force the result depends on the element's attributes
            return super()._style_to_basic_html_attributes(element, style_content, force)
        for name, value in self.basic_attributes(style_content):
            element.attrib[name] = value

    def basic_attributes(self, style_content: str) -> tuple[tuple[str, str], ...]:
        """(name, value) of the HTML attributes premailer sets, in order, for an inlined style."""
        key = (style_content, tuple(self.disable_basic_attributes))
        found = self._attributes.get(key)
        if found is None:
            scratch = etree.Element("scratch")
            super()._style_to_basic_html_attributes(scratch, style_content, force=True)
            found = tuple(scratch.attrib.items())
            if len(self._attributes) >= self.ATTRIBUTES_LIMIT:
                self._attributes.clear()
            self._attributes[key] = found
        return found

    def _css_rules_to_string(self, rules):
        with self._lock:
            text = self._leftover_text.get(id(rules))
            if text is None:
                text = super()._css_rules_to_string(rules)
                # Only lists owned by the cache have stable ids; others are not remembered.
                if any(rules is left for _r, left, _n in self._rules.values()):
                    self._leftover_text[id(rules)] = text
            return text


def inline_css(html: str, *, once: bool = True) -> str:
    """Inline the <style> rules into style attributes; keep @media rules in <head>.

    `once=False` runs plain premailer (the reference the fast path is tested against).
    """
    premailer = (_OncePremailer if once else Premailer)(html, **OPTIONS)
    out = restyle.inline(premailer, html) if once else None
    if out is None:
        out = premailer.transform(pretty_print=False)
    out = out.replace("\xa0", "&nbsp;")
    out = _DOCTYPE_RE.sub("", out)
    return f"{DOCTYPE}\n{out}"
