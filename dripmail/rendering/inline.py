"""premailer, wrapped safely: no network, media queries keep !important, quiet cssutils,
`&nbsp;` and the doctype preserved. Merge tags are inert tokens at this point, so they survive.

Speed paths (DRIPMAIL_REFERENCE=1 turns them off: plain premailer for every email; the output
is the same bytes, tests/test_inline_fast.py and tests/test_reference.py):

- premailer's `requests` and `cssutils` run on first use (`dripmail.lazy`): the built-in
  theme never uses them, and importing them is about 100 ms of every start-up;
- :class:`SheetCache`: premailer's parse of each distinct stylesheet, kept for the process
  (it depends only on the CSS text and the fixed options below); the built-in theme's parse
  ships with the package (`themecss`);
- a stylesheet of tag and class selectors (the built-in theme's) is applied per element
  context (`restyle`); any other goes through premailer.
"""

from __future__ import annotations

import logging
import re
import threading
import types
from typing import Any

from dripmail import lazy
from dripmail.reference import reference

_QUIET = logging.getLogger("dripmail.cssutils")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False
_QUIET.setLevel(logging.CRITICAL)


def _configure(cssutils: types.ModuleType) -> None:
    """Quiet cssutils' log and keep six-digit hex colours (#111111, not #111); run when
    cssutils loads."""
    cssutils.log.setLog(_QUIET)
    cssutils.log.setLevel(logging.CRITICAL)
    cssutils.ser.prefs.minimizeColorHash = False


lazy.defer("requests")  # premailer fetches nothing here (allow_network is off)
lazy.defer("cssutils", _configure)

from premailer.premailer import Premailer  # noqa: E402

from dripmail.rendering import restyle, themecss  # noqa: E402

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


class SheetCache:
    """What premailer makes of each distinct stylesheet, and the restylers of each set of them:
    a process cache (a build has one or two stylesheets), emptied when it holds LIMIT."""

    LIMIT = 16

    def __init__(self) -> None:
        self.sheets: dict[tuple[str, int], tuple[list, list]] = {}
        self.leftover_text: dict[int, str] = {}  # id(a cached leftover list) -> its text
        self.restylers: dict[tuple[tuple[str, int], ...], restyle.Restyler] = {}
        self.lock = threading.Lock()

    def sheet(self, premailer: Premailer, css: str | None, index: int) -> tuple[list, list]:
        """premailer's (rules, leftover) for the `index`th <style> element's CSS."""
        key = (css or "", index)
        with self.lock:
            found = self.sheets.get(key)
            if found is None:
                if len(self.sheets) >= self.LIMIT:
                    self.sheets.clear()
                    self.leftover_text.clear()
                stored = themecss.lookup(*key)
                if stored is not None:
                    found = self._adopt(premailer, *stored)
                else:
                    found = Premailer._parse_style_rules(premailer, css, index)
                self.sheets[key] = found
            return found

    def _adopt(self, premailer: Premailer, rules: list, leftover_text: str | None,
               pairs: dict[str, list]) -> tuple[list, list]:
        """Take a stored parse of the built-in theme (`themecss`) instead of parsing it: the
        rules, the leftover @media text, and premailer's style pairs of each rule and of the
        templates' `style` attributes, put in premailer's own cache of them."""
        from cachetools.keys import hashkey
        from premailer.cache import cache, cache_access_lock

        leftover = [leftover_text] if leftover_text is not None else []
        if leftover:
            self.leftover_text[id(leftover)] = leftover_text
        with cache_access_lock:  # what premailer.merge_style.csstext_to_pairs would compute
            for bulk, found in pairs.items():
                cache[hashkey(bulk, validate=not premailer.disable_validation)] = found
            for style, found in themecss.inline_pairs().items():
                cache[hashkey(style)] = found
        return rules, leftover

    def text(self, premailer: Premailer, leftover: list) -> str:
        """premailer's text of a leftover list (@media rules for <head>)."""
        with self.lock:
            text = self.leftover_text.get(id(leftover))
            if text is None:
                text = Premailer._css_rules_to_string(premailer, leftover)
                # Only lists owned by the cache have stable ids; others are not remembered.
                if any(leftover is left for _r, left in self.sheets.values()):
                    self.leftover_text[id(leftover)] = text
            return text

    def restyler(self, premailer: Premailer, key: tuple[tuple[str, int], ...],
                 sheets: list[tuple[list, list]]) -> restyle.Restyler:
        """The restyler of a set of stylesheets (started afresh when it has grown large)."""
        with self.lock:
            found = self.restylers.get(key)
            if found is None or found.full():
                if len(self.restylers) >= self.LIMIT:
                    self.restylers.clear()
                found = self.restylers[key] = restyle.Restyler(premailer, sheets)
            return found


CACHE = SheetCache()


class _OncePremailer(Premailer):
    """Premailer that takes each stylesheet's parse from a :class:`SheetCache`."""

    def __init__(self, html: str, cache: SheetCache = CACHE, **options: Any):
        super().__init__(html, **options)
        self.cache = cache

    def _parse_style_rules(self, css_body, ruleset_index):
        return self._sheet(css_body, ruleset_index)

    def _sheet(self, css_body: str | None, ruleset_index: int) -> tuple[list, list]:
        """(rules, leftover) of one <style> element: every stylesheet goes through here."""
        return self.cache.sheet(self, css_body, ruleset_index)

    def _css_rules_to_string(self, rules):
        return self.cache.text(self, rules)


def inline_css(html: str, *, fast: bool | None = None) -> str:
    """Inline the <style> rules into style attributes; keep @media rules in <head>.

    `fast=False` runs plain premailer, as DRIPMAIL_REFERENCE=1 does (None: as it says).
    """
    if fast is None:
        fast = not reference()
    if fast:
        premailer = _OncePremailer(html, **OPTIONS)
        out = restyle.inline(premailer, html)
        if out is None:
            out = premailer.transform(pretty_print=False)
    else:
        out = Premailer(html, **OPTIONS).transform(pretty_print=False)
    out = out.replace("\xa0", "&nbsp;")
    out = _DOCTYPE_RE.sub("", out)
    return f"{DOCTYPE}\n{out}"
