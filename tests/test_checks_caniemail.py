"""The bundled caniemail subset and the script that regenerates it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from dripmail.checks.caniemail import data, unsupported

ROOT = Path(__file__).resolve().parents[1]


def load_script():
    spec = importlib.util.spec_from_file_location("refresh_caniemail",
                                                  ROOT / "scripts" / "refresh_caniemail.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bundled_data_has_the_four_clients_and_a_licence():
    d = data()
    assert d.clients == {"gmail": "Gmail", "outlook-windows": "Outlook for Windows",
                         "apple-mail": "Apple Mail", "yahoo": "Yahoo Mail"}
    assert "MIT" in d.source
    assert "MIT License" in (ROOT / "dripmail/checks/data/LICENSE").read_text()
    assert d.properties["border-radius"] == ["css-border-radius"]
    assert "css-display-flex" in d.values[("display", "flex")]
    assert d.elements["svg"] == ["html-svg"]
    assert unsupported("css-at-media-prefers-color-scheme") == [
        "Gmail", "Outlook for Windows", "Yahoo Mail"]
    assert unsupported("css-padding") == []


SAMPLE = {
    "api_version": "1.0.4", "last_update_date": "2026-01-01",
    "data": [
        {"slug": "css-padding", "title": "padding", "url": "https://www.caniemail.com/p/",
         "category": "css", "keywords": None,
         "stats": {"gmail": {"desktop-webmail": {"2020": "y"}, "ios": {"2020": "y"}},
                   "outlook": {"windows": {"2013": "n", "2019": "a #1", "2024": "y"},
                               "macos": {"2019": "y"}},
                   "apple-mail": {"macos": {"12": "y"}},
                   "yahoo": {"desktop-webmail": {"2019": "n", "2023": "y"}}}},
        {"slug": "html-marquee", "title": "<marquee> element", "url": "u", "category": "html",
         "keywords": "marquee", "stats": {}},
        {"slug": "css-at-media-hover", "title": "@media (hover), @media (any-hover)",
         "url": "u", "category": "css", "keywords": None, "stats": {}},
        {"slug": "amp", "title": "AMP for Email", "url": "u", "category": "others",
         "keywords": None, "stats": {}},
    ],
}


def test_compact_keeps_latest_result_per_platform(tmp_path):
    script = load_script()
    out = script.compact(SAMPLE, "9.9.9")
    padding = out["features"]["css-padding"]
    assert padding["properties"] == ["padding", "padding-bottom", "padding-left",
                                     "padding-right", "padding-top"]
    # classic Outlook: the newest Word-engine build (2019), not the new Outlook (2024)
    assert padding["support"]["outlook-windows"] == {"windows": "a"}
    assert padding["support"]["yahoo"] == {"desktop-webmail": "y"}
    assert out["features"]["html-marquee"]["elements"] == ["marquee"]
    assert out["features"]["css-at-media-hover"]["media_features"] == ["hover", "any-hover"]
    assert "amp" not in out["features"]
    assert out["source"].startswith("caniemail npm package 9.9.9")


def test_script_regenerates_from_a_local_file(tmp_path):
    source = tmp_path / "caniemail.json"
    source.write_text(json.dumps(SAMPLE))
    assert load_script().main(["1.2.3", "--from", str(source), "--out", str(tmp_path)]) == 0
    written = json.loads((tmp_path / "caniemail.json").read_text())
    assert set(written["features"]) == {"css-padding", "html-marquee", "css-at-media-hover"}
