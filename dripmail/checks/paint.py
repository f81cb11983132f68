"""How an element renders (font size, weight, text and background colour), computed once per
*context* and shared by every email a process checks.

What these depend on is the element's tag, inline style, classes, `bgcolor`, `<font color>`,
the dark-mode declarations that apply to it, and the same of its ancestors: its context. Emails
built from one theme share a few hundred contexts, so each is worked out once and every email
only looks up the contexts of its own elements.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import tinycss2.color3
from lxml.html import HtmlElement

from dripmail.checks.dom import parse_style
from dripmail.checks.select import Compound, classes

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
# A dark-mode stylesheet as matched here: (compounds, specificity + rule order, declarations).
DarkSheet = tuple[tuple[tuple[Compound, ...], tuple[int, ...], Declarations], ...]
LIMIT = 200_000  # contexts kept before every table is reset (a build has a few hundred)


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


_IDS: dict[tuple, int] = {}
_CONTEXTS: list[Context] = []
_SIZE: dict[int, float] = {}
_BOLD: dict[int, bool] = {}
_INHERITED: dict[int, tuple[Layer | None, RGB]] = {}
_COLOURS: dict[int, tuple[RGB, RGB]] = {}
_DARK: dict[DarkSheet, dict[int, Declarations]] = {}
_VERDICTS: dict[int, tuple[str, str, float, float] | None] = {}


def _reset() -> None:
    for table in (_IDS, _SIZE, _BOLD, _INHERITED, _COLOURS, _DARK, _VERDICTS):
        table.clear()
    _CONTEXTS.clear()
    light_ids.cache_clear()
    dark_ids.cache_clear()


def context_id(el: HtmlElement, memo: dict[HtmlElement, int],
               override: Callable[[HtmlElement], Declarations] | None = None) -> int:
    """The context id of `el` (ids of this document kept in `memo`, one memo per override)."""
    found = memo.get(el)
    if found is not None:
        return found
    parent = el.getparent()
    up = context_id(parent, memo, override) if parent is not None else -1
    tag = el.tag
    key = (up, tag, el.get("style") or "", el.get("class") or "", el.get("bgcolor"),
           el.get("color") if tag == "font" else None, override(el) if override else ())
    found = _IDS.get(key)
    if found is None:
        found = _IDS[key] = len(_CONTEXTS)
        _CONTEXTS.append(Context(up, tag, key[2], frozenset(classes(el)), key[4], key[5],
                                 key[6]))
    memo[el] = found
    return found


@lru_cache(maxsize=32)  # one per document (trees are shared per email, see model.parse_html)
def light_ids(tree: HtmlElement) -> dict[HtmlElement, int]:
    """The memo of light-mode context ids of one document (the first thing the rules ask for
    a document, so the tables are reset here, between documents, when they have grown large)."""
    if len(_CONTEXTS) >= LIMIT:
        _reset()
    return {}


@lru_cache(maxsize=32)
def dark_ids(tree: HtmlElement) -> dict[HtmlElement, int]:
    """The memo of dark-mode context ids of one document."""
    return {}


def _size_token(style: dict[str, str]) -> str | None:
    if "font-size" in style:
        return style["font-size"].lower()
    if "font" in style:
        found = SIZE.search(style["font"]) or _KEYWORD.search(style["font"])
        return found.group(0).lower() if found else None
    return None


def font_size(cid: int) -> float:
    """Computed font size in px from inline styles, tag defaults and inheritance."""
    found = _SIZE.get(cid)
    if found is not None:
        return found
    ctx = _CONTEXTS[cid]
    inherited = font_size(ctx.parent) if ctx.parent >= 0 else ROOT_PX
    size = inherited * TAG_EM.get(ctx.tag, 1.0)
    token = _size_token(parse_style(ctx.style))
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
    _SIZE[cid] = size
    return size


def is_bold(cid: int) -> bool:
    """Whether text in this context renders bold (inline font-weight or a bold tag)."""
    found = _BOLD.get(cid)
    if found is not None:
        return found
    ctx = _CONTEXTS[cid]
    style = parse_style(ctx.style)
    weight = style.get("font-weight", "").lower()
    if not weight and "font" in style:
        match = _WEIGHT.search(style["font"].lower())
        weight = match.group(1) if match else ""
    if weight:
        bold = weight in {"bold", "bolder"} or (weight.isdigit() and int(weight) >= 600)
    else:
        bold = ctx.tag in BOLD_TAGS or (ctx.parent >= 0 and is_bold(ctx.parent))
    _BOLD[cid] = bold
    return bold


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


def _own(ctx: Context) -> tuple[Layer | None, Layer | None]:
    """A context's own text colour and visible background layer (None where it sets none)."""
    style = parse_style(ctx.style)
    if ctx.override:
        style = {**style, **dict(ctx.override)}
    value = style.get("color") or ctx.font_color
    fg = parse_color(value) if value else None
    value = _background_value(style) or ctx.bgcolor
    layer = parse_color(value) if value else None
    return fg, (layer if layer is not None and layer[3] > 0 else None)


def _inherited(cid: int) -> tuple[Layer | None, RGB]:
    """(text colour set here or above, up to the first opaque background; the background
    composited from there down to this context)."""
    if cid < 0:
        return None, WHITE
    found = _INHERITED.get(cid)
    if found is not None:
        return found
    ctx = _CONTEXTS[cid]
    fg, layer = _own(ctx)
    if layer is not None and layer[3] >= 1:
        result = fg, _blend(layer, WHITE)
    else:
        up_fg, under = _inherited(ctx.parent)
        result = (fg if fg is not None else up_fg), (_blend(layer, under) if layer else under)
    _INHERITED[cid] = result
    return result


def colours(cid: int) -> tuple[RGB, RGB]:
    """(text colour, background colour) of text in this context."""
    found = _COLOURS.get(cid)
    if found is None:
        fg, background = _inherited(cid)
        if _CONTEXTS[cid].tag == "a" and _own(_CONTEXTS[cid])[0] is None:
            fg = (*LINK_BLUE, 1.0)  # an unstyled link itself is blue; its children inherit
        found = _COLOURS[cid] = (_blend(fg or (*BLACK, 1.0), background), background)
    return found


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def verdict(cid: int) -> tuple[str, str, float, float] | None:
    """(text hex, background hex, ratio, ratio needed) when text in this context fails WCAG
    1.4.3 (4.5:1, or 3:1 for large text), else None."""
    if cid in _VERDICTS:
        return _VERDICTS[cid]
    fg, bg = colours(cid)
    size = font_size(cid)
    need = 3.0 if size >= 24 or (size >= 18.66 and is_bold(cid)) else 4.5
    ratio = contrast(fg, bg)
    found = _VERDICTS[cid] = (_hex(fg), _hex(bg), round(ratio, 2), need) if ratio < need else None
    return found


def _fits(ctx: Context, compound: Compound) -> bool:
    tag, names = compound
    return (tag is None or ctx.tag == tag) and names <= ctx.classes


def _matches(cid: int, compounds: tuple[Compound, ...]) -> bool:
    """Whether a chain of compounds joined by descendant combinators matches a context."""
    *outer, last = compounds
    if not _fits(_CONTEXTS[cid], last):
        return False
    i = len(outer) - 1
    up = _CONTEXTS[cid].parent
    while i >= 0 and up >= 0:
        if _fits(_CONTEXTS[up], outer[i]):
            i -= 1
        up = _CONTEXTS[up].parent
    return i < 0


def dark_table(sheet: DarkSheet) -> dict[int, Declarations]:
    """The memo of :func:`dark_override` for one sheet (fetch it once per email: hashing a
    sheet costs more than the lookups it serves)."""
    return _DARK.setdefault(sheet, {})


def dark_override(sheet: DarkSheet, table: dict[int, Declarations], cid: int) -> Declarations:
    """The dark-mode declarations that win for a (light-mode) context: the most specific
    selector, then the later rule, as in a browser (they are `!important`)."""
    found = table.get(cid)
    if found is None:
        best: dict[str, tuple[tuple[int, ...], str]] = {}
        for compounds, rank, decls in sheet:
            if _matches(cid, compounds):
                for prop, value in decls:
                    if prop not in best or best[prop][0] <= rank:
                        best[prop] = (rank, value)
        found = table[cid] = tuple((p, v) for p, (_r, v) in best.items())
    return found
