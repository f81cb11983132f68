"""premailer, wrapped safely: no network, media queries keep !important, quiet cssutils,
`&nbsp;` and the doctype preserved. Merge tags are inert tokens at this point, so they survive."""

from __future__ import annotations

import logging
import re

import cssutils
from premailer import Premailer

_QUIET = logging.getLogger("dripmail.cssutils")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False
_QUIET.setLevel(logging.CRITICAL)
cssutils.log.setLog(_QUIET)
cssutils.log.setLevel(logging.CRITICAL)
cssutils.ser.prefs.minimizeColorHash = False  # keep six-digit hex colours (#111111, not #111)

DOCTYPE = "<!DOCTYPE html>"


def inline_css(html: str) -> str:
    """Inline the <style> rules into style attributes; keep @media rules in <head>."""
    out = Premailer(
        html,
        allow_network=False,
        allow_loading_external_files=False,
        strip_important=False,
        keep_style_tags=False,
        remove_classes=False,
        disable_validation=True,
        disable_leftover_css=False,
        cssutils_logging_handler=logging.NullHandler(),
        cssutils_logging_level=logging.CRITICAL,
    ).transform(pretty_print=False)
    out = out.replace("\xa0", "&nbsp;")
    out = re.sub(r"^\s*<!DOCTYPE[^>]*>\s*", "", out, flags=re.IGNORECASE)
    return f"{DOCTYPE}\n{out}"
