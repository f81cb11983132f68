"""How an element renders (font size, weight, text and background colour), computed once per
*context* and shared by every email of one check run (a :class:`Paint`).

What these depend on is the element's tag, inline style, classes, `bgcolor`, `<font color>`,
the dark-mode declarations that apply to it, and the same of its ancestors: its context. Emails
built from one theme share a few hundred contexts, so each is worked out once and every email
only looks up the contexts of its own elements. With DRIPMAIL_REFERENCE=1 every element is its
own context and nothing is kept from one document to the next: the findings are the same
(tests/test_checks_paint.py, tests/test_reference.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import tinycss2.color3
from lxml.html import HtmlElement

from dripmail import cssmatch
from dripmail.checks.dom import parse_style

ROOT_PX = 16.0
KEYWORD_PX = {"xx-small": 9, "x-small": 10, "small": 13, "medium": 16, "large": 18,
              "x-large": 24, "xx-large": 32, "xxx-large": 48}
TAG_EM = {"h1": 2.0, "h2": 1.5, "h3": 1.17, "h5": 0.83, "h6": 0.67, "small": 0.83,
          "sub": 0.83, "sup": 0.83}
SIZE = re.compile(r"(?<![\w.-])(\d*\.?\d+)(px|pt|em|rem|%)(?![\w])", re.IGNORECASE)
_KEYWORD = re.compile(r"\b(" + "|".join(KEYWORD_PX) + r")\b")
_WEIGHT = re.compile(r"\b(bold|bolder|[6-9]00)\b")
BOLD_TAGS = {"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th"}
RGB = tuple[float, float, float]
Layer = tuple[float, float, float, float]
WHITE, BLACK, LINK_BLUE = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0), (0.0, 0.0, 0.933)
Declarations = tuple[tuple[str, str], ...]
Match = tuple[tuple[int, ...], Declarations]  # a dark-mode rule that applies: (rank, declarations)
Path = tuple[tuple[str, frozenset[str]], ...]  # (tag, classes) of an element and its ancestors
Found = tuple[tuple[Match, ...], Declarations]  # the rules that apply, the declarations that win
LIMIT = 200_000  # contexts kept before every table is reset (a build has a few hundred)


class DarkSheet:
    """Dark-mode rules whose selectors are chains (`cssmatch`): (chain, specificity and rule
    order, declarations), in order; and which of them apply to each element path met (a memo
    of a pure function, kept with the sheet, at most LIMIT paths)."""

    LIMIT = 100_000

    def __init__(self, rules: tuple[tuple[cssmatch.Chain, tuple[int, ...], Declarations], ...]):
        self.rules = rules
        self._found: dict[Path, Found] = {}

    def matches(self, path: Path) -> Found:
        """(The rules that apply to the first element of `path`, the declarations that win.)"""
        found = self._found.get(path)
        if found is None:
            (tag, names), ancestors = path[0], path[1:]
            if len(self._found) >= self.LIMIT:
                self._found.clear()
            matched = tuple((rank, decls) for compounds, rank, decls in self.rules
                            if cssmatch.matches(compounds, tag, names, ancestors))
            found = self._found[path] = (matched, winners(matched))
        return found


@dataclass(frozen=True, slots=True)
class Context:
    """Everything that decides how one element renders; `parent` is its parent's context id."""

    parent: int  # -1 above the root
    tag: str
    style: str
    classes: frozenset[str]
    bgcolor: str | None
    font_color: str | None  # the color attribute of <font>
    override: Declarations  # dark-mode declarations that apply (they beat inline styles)


Override = Callable[[HtmlElement], Declarations]


class Paint:
    """The contexts of the emails of one check run and what each renders like (tables indexed
    by context id), and the context ids of the elements of the document being checked."""

    def __init__(self, *, shared: bool = True) -> None:
        self.shared = shared  # False: every element its own context, tables reset per document
        self._ids: dict[tuple, int] = {}
        self._contexts: list[Context] = []
        self._size: dict[int, float] = {}
        self._bold: dict[int, bool] = {}
        self._inherited: dict[int, tuple[Layer | None, RGB]] = {}
        self._colours: dict[int, tuple[RGB, RGB]] = {}
        self._dark: dict[DarkSheet, dict[int, Found]] = {}
        self._verdicts: dict[int, tuple[str, str, float, float] | None] = {}
        self._paths: dict[int, Path] = {}
        self._tree: HtmlElement | None = None
        self._memos: dict[str, dict[HtmlElement, int]] = {}

    def _reset(self) -> None:
        for table in (self._ids, self._size, self._bold, self._inherited, self._colours,
                      self._dark, self._verdicts, self._paths):
            table.clear()
        self._contexts.clear()

    def memo(self, tree: HtmlElement, mode: str) -> dict[HtmlElement, int]:
        """The context ids found so far of the elements of `tree`, light or dark ("light" /
        "dark"). A new document forgets the last one's, and, when the tables have grown large
        or nothing is shared, every table."""
        if tree is not self._tree:
            if not self.shared or len(self._contexts) >= LIMIT:
                self._reset()
            self._tree, self._memos = tree, {}
        return self._memos.setdefault(mode, {})

    def ids(self, tree: HtmlElement, override: Override | None = None, mode: str = "light"
            ) -> Callable[[HtmlElement], int]:
        """Element of `tree` -> its context id (with dark-mode `override`s in mode "dark")."""
        memo = self.memo(tree, mode)
        return lambda el: self.context_id(el, memo, override)

    def context_id(self, el: HtmlElement, memo: dict[HtmlElement, int],
                   override: Override | None = None) -> int:
        """The context id of `el` (ids of this document kept in `memo`, one memo per mode)."""
        found = memo.get(el)
        if found is not None:
            return found
        parent = el.getparent()
        up = self.context_id(parent, memo, override) if parent is not None else -1
        tag = el.tag
        key = (up, tag, el.get("style") or "", el.get("class") or "", el.get("bgcolor"),
               el.get("color") if tag == "font" else None, override(el) if override else (),
               None if self.shared else el)
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = len(self._contexts)
            self._contexts.append(Context(up, tag, key[2], cssmatch.classes(key[3]), key[4],
                                          key[5], key[6]))
        memo[el] = found
        return found

    def font_size(self, cid: int) -> float:
        """Computed font size in px from inline styles, tag defaults and inheritance."""
        found = self._size.get(cid)
        if found is None:
            ctx = self._contexts[cid]
            inherited = self.font_size(ctx.parent) if ctx.parent >= 0 else ROOT_PX
            found = self._size[cid] = _size(ctx.tag, ctx.style, inherited)
        return found

    def is_bold(self, cid: int) -> bool:
        """Whether text in this context renders bold (inline font-weight or a bold tag)."""
        found = self._bold.get(cid)
        if found is None:
            ctx = self._contexts[cid]
            found = _weight_bold(ctx.style)
            if found is None:
                found = ctx.tag in BOLD_TAGS or (ctx.parent >= 0 and self.is_bold(ctx.parent))
            self._bold[cid] = found
        return found

    def _inherited_colours(self, cid: int) -> tuple[Layer | None, RGB]:
        """(text colour set here or above, up to the first opaque background; the background
        composited from there down to this context)."""
        if cid < 0:
            return None, WHITE
        found = self._inherited.get(cid)
        if found is None:
            ctx = self._contexts[cid]
            fg, layer = _own(ctx.style, ctx.override, ctx.font_color, ctx.bgcolor)
            if layer is not None and layer[3] >= 1:
                found = fg, _blend(layer, WHITE)
            else:
                up_fg, under = self._inherited_colours(ctx.parent)
                found = ((fg if fg is not None else up_fg),
                         (_blend(layer, under) if layer else under))
            self._inherited[cid] = found
        return found

    def colours(self, cid: int) -> tuple[RGB, RGB]:
        """(text colour, background colour) of text in this context."""
        found = self._colours.get(cid)
        if found is None:
            fg, background = self._inherited_colours(cid)
            ctx = self._contexts[cid]
            if ctx.tag == "a" and _own(ctx.style, ctx.override, ctx.font_color,
                                       ctx.bgcolor)[0] is None:
                fg = (*LINK_BLUE, 1.0)  # an unstyled link itself is blue; its children inherit
            found = self._colours[cid] = (_blend(fg or (*BLACK, 1.0), background), background)
        return found

    def verdict(self, cid: int) -> tuple[str, str, float, float] | None:
        """(text hex, background hex, ratio, ratio needed) when text in this context fails
        WCAG 1.4.3 (4.5:1, or 3:1 for large text), else None."""
        if cid not in self._verdicts:
            fg, bg = self.colours(cid)
            size = self.font_size(cid)
            need = 3.0 if size >= 24 or (size >= 18.66 and self.is_bold(cid)) else 4.5
            ratio = contrast(fg, bg)
            self._verdicts[cid] = ((_hex(fg), _hex(bg), round(ratio, 2), need)
                                   if ratio < need else None)
        return self._verdicts[cid]

    def _path(self, cid: int) -> Path:
        found = self._paths.get(cid)
        if found is None:
            ctx = self._contexts[cid]
            found = self._paths[cid] = ((ctx.tag, ctx.classes),
                                        *(self._path(ctx.parent) if ctx.parent >= 0 else ()))
        return found

    def dark_table(self, sheet: DarkSheet) -> dict[int, Found]:
        """The memo of :meth:`dark_matches` for one sheet (fetch it once per email)."""
        return self._dark.setdefault(sheet, {})

    def dark_matches(self, sheet: DarkSheet, table: dict[int, Found], cid: int) -> Found:
        """(The rules of a dark-mode sheet of chains that apply to a (light-mode) context, the
        declarations that win.)"""
        found = table.get(cid)
        if found is None:
            found = table[cid] = sheet.matches(self._path(cid))
        return found


def winners(matches: Iterable[Match]) -> Declarations:
    """The dark-mode declarations that win among the rules that apply: the most specific
    selector, then the later rule, as in a browser (they are `!important`)."""
    best: dict[str, tuple[tuple[int, ...], str]] = {}
    for rank, decls in matches:
        for prop, value in decls:
            if prop not in best or best[prop][0] <= rank:
                best[prop] = (rank, value)
    return tuple((p, v) for p, (_r, v) in best.items())


def _size_token(style: dict[str, str]) -> str | None:
    if "font-size" in style:
        return style["font-size"].lower()
    if "font" in style:
        found = SIZE.search(style["font"]) or _KEYWORD.search(style["font"])
        return found.group(0).lower() if found else None
    return None


# The functions below are pure: memoised for the process by value (contexts of one theme share
# their styles and colours), unlike the tables of a Paint, which are indexed by its context ids.

@lru_cache(maxsize=4096)
def _size(tag: str, style: str, inherited: float) -> float:
    """The font size in px of an element with this tag and `style`, given its parent's."""
    size = inherited * TAG_EM.get(tag, 1.0)
    token = _size_token(parse_style(style))
    if token:
        found = SIZE.fullmatch(token.split("/")[0].strip()) or SIZE.search(token)
        if token in KEYWORD_PX:
            size = float(KEYWORD_PX[token])
        elif token == "smaller":
            size = inherited / 1.2
        elif token == "larger":
            size = inherited * 1.2
        elif found:
            number, unit = float(found.group(1)), found.group(2).lower()
            size = {"px": number, "pt": number * 4 / 3, "em": number * inherited,
                    "rem": number * ROOT_PX, "%": number * inherited / 100}[unit]
    return size


@lru_cache(maxsize=4096)
def _weight_bold(inline: str) -> bool | None:
    """Whether a `style` sets a bold font-weight (None: it sets none)."""
    style = parse_style(inline)
    weight = style.get("font-weight", "").lower()
    if not weight and "font" in style:
        match = _WEIGHT.search(style["font"].lower())
        weight = match.group(1) if match else ""
    if not weight:
        return None
    return weight in {"bold", "bolder"} or (weight.isdigit() and int(weight) >= 600)


@lru_cache(maxsize=1024)  # a theme uses a handful of colours
def parse_color(value: str) -> Layer | None:
    """An (r, g, b, alpha) colour from a CSS colour value, or None."""
    parsed = tinycss2.color3.parse_color(value.strip().removesuffix("!important").strip())
    if parsed is None or parsed == "currentColor":
        return None
    return (parsed.red, parsed.green, parsed.blue, parsed.alpha)


def _background_value(style: dict[str, str]) -> str | None:
    if "background-color" in style:
        return style["background-color"]
    if "background" in style:
        for token in style["background"].split():
            if parse_color(token) is not None:
                return token
    return None


def _blend(top: Layer, under: RGB) -> RGB:
    r, g, b, a = top
    return (r * a + under[0] * (1 - a), g * a + under[1] * (1 - a), b * a + under[2] * (1 - a))


@lru_cache(maxsize=4096)
def _own(inline: str, override: Declarations, font_color: str | None, bgcolor: str | None
         ) -> tuple[Layer | None, Layer | None]:
    """An element's own text colour and visible background layer (None where it sets none)."""
    style = parse_style(inline)
    if override:
        style = {**style, **dict(override)}
    value = style.get("color") or font_color
    fg = parse_color(value) if value else None
    value = _background_value(style) or bgcolor
    layer = parse_color(value) if value else None
    return fg, (layer if layer is not None and layer[3] > 0 else None)


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@lru_cache(maxsize=4096)
def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
