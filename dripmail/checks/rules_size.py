"""Size rules: Gmail clips large HTML and drops oversized or nested style blocks."""

from __future__ import annotations

from dripmail.checks.css import AtRule, parse_css, style_blocks
from dripmail.checks.model import EmailDoc
from dripmail.checks.registry import rule
from dripmail.limits import GMAIL_CLIP, SIZE_WARN

CLIP_BYTES = GMAIL_CLIP  # 104,448: Gmail shows "[Message clipped]"
HEADROOM_BYTES = SIZE_WARN  # leave room for the provider's link tracking
STYLE_BYTES = 16 * 1024  # Gmail removes <style> blocks past 16 KB


def kb(size: int) -> str:
    """A byte count as `123,456 bytes (120.6 KB)`."""
    return f"{size:,} bytes ({size / 1024:.1f} KB)"


@rule("html-size", "error", "size", "HTML under 102 KB (Gmail clips) with 75 KB headroom")
def html_size(doc: EmailDoc):
    """Gmail clips HTML at 102 KB; providers add tracking, so warn from 75 KB."""
    size = doc.html_bytes
    fix = ("shorten this email (split it with `--emails N` or an `<!-- email -->` marker) "
           "or remove heavy markup such as embedded images")
    if size >= CLIP_BYTES:
        yield "error", f"HTML is {kb(size)}; Gmail clips emails at 104,448 bytes (102 KB)", fix
    elif size >= HEADROOM_BYTES:
        yield ("warning", f"HTML is {kb(size)}; over 75 KB leaves little room before Gmail "
               "clips at 102 KB once your provider adds tracking", fix)


@rule("style-size", "error", "size", "<style> blocks total at most 16,384 bytes (Gmail limit)")
def style_size(doc: EmailDoc):
    """Gmail removes the <style> blocks that reach 16 KB in total."""
    total = sum(len(css.encode("utf-8")) for css in style_blocks(doc.tree))
    if total > STYLE_BYTES:
        yield ("error", f"<style> blocks total {kb(total)}; Gmail drops styles past 16,384 bytes",
               "move rules into inline styles (the inliner does this) or remove unused CSS")


@rule("style-nested-at-rule", "error", "size", "no at-rule inside another (Gmail drops the block)")
def style_nested(doc: EmailDoc):
    """An @-rule inside another @-rule makes Gmail strip the whole <style> tag."""
    for css in style_blocks(doc.tree):
        for item in parse_css(css):
            if isinstance(item, AtRule) and item.nested:
                yield ("error", f"`@{item.name} {item.prelude}` contains another at-rule; Gmail "
                       "removes the whole <style> block",
                       "move the inner at-rule (e.g. @font-face, @import) to the top level")
