#!/usr/bin/env python3
"""Regenerate dripmail/checks/data/caniemail.json from the caniemail npm package.

Usage (needs npm and network access to the npm registry; run from the repository root):

    python scripts/refresh_caniemail.py            # newest published version
    python scripts/refresh_caniemail.py 2.0.2      # a given version
    python scripts/refresh_caniemail.py --from path/to/caniemail.json

It runs `npm pack caniemail@VERSION` in a temporary folder, reads the package's
data/caniemail.json (the caniemail.com data, MIT licence) and keeps a compact subset: for each
feature that dripmail can detect (CSS properties and values, at-rules, media features, HTML
elements and attributes), the latest test result per platform of Gmail, Outlook for Windows,
Apple Mail and Yahoo Mail. The package's LICENSE is copied next to the data file.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "dripmail" / "checks" / "data"
CLIENTS = {
    "gmail": ("Gmail", "gmail", ("desktop-webmail", "ios", "android")),
    "outlook-windows": ("Outlook for Windows", "outlook", ("windows",)),
    "apple-mail": ("Apple Mail", "apple-mail", ("macos", "ios")),
    "yahoo": ("Yahoo Mail", "yahoo", ("desktop-webmail", "ios", "android")),
}
# Classic (Word-engine) Outlook for Windows builds; the newest of these is the one reported.
CLASSIC_OUTLOOK = ("2007", "2010", "2013", "2016", "2019", "2021")
PROPERTY = re.compile(r"^-?[a-z][a-z-]*$")
# Features whose property names are listed in `keywords` rather than the title.
KEYWORD_PROPERTIES = {
    "css-border", "css-margin", "css-grid-template", "css-column-layout-properties",
    "css-inset", "css-border-inline-block", "css-border-inline-block-individual",
    "css-border-inline-block-longhand", "css-border-radius-logical", "css-margin-block-start-end",
    "css-margin-inline-block", "css-margin-inline-start-end", "css-padding-block-start-end",
    "css-padding-inline-block", "css-padding-inline-start-end", "css-overflow",
}
EXTRA_PROPERTIES = {
    "css-padding": ["padding-top", "padding-right", "padding-bottom", "padding-left"],
    "css-border-radius": ["border-top-left-radius", "border-top-right-radius",
                          "border-bottom-left-radius", "border-bottom-right-radius"],
    "css-gap": ["gap", "column-gap", "row-gap"],
    "css-left-right-top-bottom": ["left", "right", "top", "bottom"],
    "css-text-wrap": ["text-wrap"],
    "css-inline-size": ["inline-size"],
    "css-block-inline-size": ["block-size"],
    "css-height": ["height"], "css-width": ["width"], "css-max-height": ["max-height"],
    "css-min-height": ["min-height"], "css-min-width": ["min-width"],
    "css-color-scheme": ["color-scheme"], "css-font": ["font"],
    "css-animation": ["animation", "animation-name", "animation-duration"],
}
VALUES = {
    "css-display-flex": {"display": ["flex", "inline-flex"]},
    "css-display-grid": {"display": ["grid", "inline-grid"]},
    "css-display-none": {"display": ["none"]},
    "css-flex-direction": {"flex-direction": ["column", "column-reverse"]},
    "css-flex-wrap": {"flex-wrap": ["wrap", "wrap-reverse"]},
}
SKIP = {"css-display", "css-unit-initial", "css-important", "css-comments", "css-nesting"}
SEMANTIC = ["article", "aside", "details", "figcaption", "figure", "footer", "header", "main",
            "mark", "nav", "section", "summary", "time"]
ELEMENTS = {
    "html-lists": ["ul", "ol", "dl"], "html-h1-h6": ["h1", "h2", "h3", "h4", "h5", "h6"],
    "html-semantics": SEMANTIC, "html-address": ["address"], "html-svg": ["svg"],
    "html-image-maps": ["map", "area"], "html-ruby": ["ruby"], "html-rt": ["rt"],
    "html-rp": ["rp"],
}
ATTRIBUTES = {
    "html-align": ["align"], "html-background": ["background"], "html-cellpadding": ["cellpadding"],
    "html-cellspacing": ["cellspacing"], "html-dir": ["dir"], "html-height": ["height"],
    "html-hidden": ["hidden"], "html-lang": ["lang"], "html-role": ["role"],
    "html-srcset": ["srcset", "sizes"], "html-target": ["target"], "html-valign": ["valign"],
    "html-width": ["width"], "html-aria-describedby": ["aria-describedby"],
    "html-aria-hidden": ["aria-hidden"], "html-aria-label": ["aria-label"],
    "html-aria-labelledby": ["aria-labelledby"], "html-aria-live": ["aria-live"],
    "html-loading-attribute": ["loading"], "html-required": ["required"],
    "html-popover": ["popover"], "css-inert-attribute": ["inert"],
}


def latest(versions: dict[str, str], classic: bool) -> str:
    """The support letter (y, a, n, u) of the newest tested version."""
    keys = list(versions)
    if classic:
        keys = [k for k in keys if k in CLASSIC_OUTLOOK] or keys
    return (versions[keys[-1]] or "u").strip()[:1]


def support(stats: dict) -> dict[str, dict[str, str]]:
    """Latest result per platform of each reported client."""
    out: dict[str, dict[str, str]] = {}
    for key, (_name, family, platforms) in CLIENTS.items():
        found = stats.get(family, {})
        out[key] = {p: latest(found[p], key == "outlook-windows") for p in platforms if p in found}
    return out


def matchers(feature: dict) -> dict[str, object]:
    """What dripmail looks for in an email to detect this feature."""
    slug, title = feature["slug"], feature["title"].strip()
    keywords = [k.strip() for k in (feature.get("keywords") or "").split(",") if k.strip()]
    if slug in SKIP:
        return {}
    if slug in ATTRIBUTES:
        return {"attributes": ATTRIBUTES[slug]}
    if slug in VALUES:
        return {"values": VALUES[slug]}
    if slug.startswith("css-at-media-"):
        names = re.findall(r"\((?:-webkit-)?([a-z-]+)\)", title)
        return {"media_features": names}
    if slug.startswith("css-at-"):
        return {"at_rules": [slug.removeprefix("css-at-")]}
    if slug.startswith("css-") and not slug.startswith(("css-pseudo", "css-selector", "css-unit",
                                                        "css-function")):
        names = [title] if PROPERTY.match(title) else []
        if slug in KEYWORD_PROPERTIES:
            names += [k for k in keywords if PROPERTY.match(k) and "-" in k or k == "overflow"]
        names += EXTRA_PROPERTIES.get(slug, [])
        return {"properties": sorted(set(names))} if names else {}
    if slug in ELEMENTS:
        return {"elements": ELEMENTS[slug]}
    element = re.fullmatch(r"<([a-z0-9]+)>(?: element)?", title)
    if slug.startswith("html-") and element:
        return {"elements": [element.group(1)]}
    return {}


def compact(data: dict, version: str) -> dict:
    """The subset dripmail ships."""
    features = {}
    for feature in data["data"]:
        found = matchers(feature)
        if found:
            features[feature["slug"]] = {"title": feature["title"].strip(),
                                         "url": feature["url"], **found,
                                         "support": support(feature["stats"])}
    return {
        "source": f"caniemail npm package {version} (data from caniemail.com, MIT licence)",
        "last_update_date": data.get("last_update_date", ""),
        "clients": {key: value[0] for key, value in CLIENTS.items()},
        "features": features,
    }


def fetch(version: str, work: Path) -> tuple[dict, str, str]:
    """npm pack the package; return its data, version and licence text."""
    if version == "latest":  # ask for the dist-tag explicitly; a bare `npm pack` may differ
        version = subprocess.run(["npm", "view", "caniemail@latest", "version"], check=True,
                                 capture_output=True, text=True).stdout.strip()
    spec = f"caniemail@{version}"
    name = subprocess.run(["npm", "pack", spec, "--silent"], cwd=work, check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    with tarfile.open(work / name) as tar:
        tar.extractall(work, filter="data")
    pkg = work / "package"
    meta = json.loads((pkg / "package.json").read_text())
    return (json.loads((pkg / "data" / "caniemail.json").read_text()), meta["version"],
            (pkg / "LICENSE").read_text())


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", nargs="?", default="latest")
    parser.add_argument("--from", dest="source", type=Path, help="a caniemail.json to read")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.source:
        data, version, licence = json.loads(args.source.read_text()), args.version, None
    else:
        if shutil.which("npm") is None:
            print("npm is needed (apt-get install npm)", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory() as tmp:
            data, version, licence = fetch(args.version, Path(tmp))
    args.out.mkdir(parents=True, exist_ok=True)
    result = compact(data, version)
    (args.out / "caniemail.json").write_text(json.dumps(result, indent=0, sort_keys=True) + "\n")
    if licence:
        (args.out / "LICENSE").write_text(licence)
    print(f"wrote {len(result['features'])} features from {result['source']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
