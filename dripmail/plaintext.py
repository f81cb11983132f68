"""Placeholder: one paragraph per line (the real structure recovery lands from its branch)."""

import re


def text_to_markdown(text: str) -> str:
    """Title line as `#`, every other line a paragraph, Markdown characters escaped."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    esc = [re.sub(r"([\\`*_{}\[\]<>#+\-.!|&])", r"\\\1", ln) for ln in lines]
    return "\n\n".join(["# " + esc[0], *esc[1:]]) if esc else ""
