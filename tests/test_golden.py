"""Golden files for the example build, and equivalence of .md, .txt and .html input.

Regenerate after an intended change with `pytest tests/test_golden.py --update-golden`, then
review `git diff tests/golden`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from dripmail.pipeline.build import build
from dripmail.pipeline.cache import CACHE_NAME
from dripmail.pipeline.project import render_project
from tests.conftest import ROOT, SEED

GOLDEN = Path(__file__).parent / "golden" / "example"
DATA = Path(__file__).parent / "data"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != CACHE_NAME}


def test_example_build_matches_golden(example: Path, update_golden: bool,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27, the .eml Date
    build(example)
    got = files(example / "build")
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in got.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    want = files(GOLDEN)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], f"{name} differs from tests/golden/example/{name}"


def words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[’']\w+)*", text)


def test_seed_sequence_shape(example: Path) -> None:
    """4–7 emails, cut on the seed's section headings, every word once and in order."""
    seq, = render_project(example).sequences
    assert 4 <= len(seq.emails) <= 7
    headings = ["Why One Partner Often Feels Ready Before the Other",
                "A Fictional Example (Drawn from Real Clinical Themes)",
                "Why Starting Therapy Alone Can Be Transformative",
                "Why Your Partner’s Readiness Isn’t the Only Measure of Progress",
                "A Shift in One Person Can Shift the Entire Dynamic",
                "If You’re Ready for Change, You Don’t Need to Wait"]
    for e in seq.emails[1:]:
        assert e.title in headings, f"email {e.position} does not start at a section heading"
    assert [e.day for e in seq.emails][0] == 0
    content = []
    for e in seq.emails:
        doc = lxml.html.fromstring(e.html)
        td = doc.xpath("//td[contains(@class, 'content')]")[0]
        for junk in td.xpath(".//*[contains(@class,'greeting') or contains(@class,'recap') or "
                             "contains(@class,'teaser') or contains(@class,'signoff') or "
                             "contains(@class,'postscript')]"
                             "|.//table"):
            junk.drop_tree()
        content += words(td.text_content())
    seed = re.sub(r"^\d+\. ", "", SEED.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert content == words(seed)  # list numbers are <ol> markup in the HTML


def test_seed_structure_is_recovered(example: Path) -> None:
    seq, = render_project(example).sequences
    html = "".join(e.html for e in seq.emails)
    doc = lxml.html.fromstring(html)
    assert len(doc.xpath("//td[contains(@class,'content')]//h2")) + len(seq.emails) - 1 >= 6
    assert sorted(len(ul.findall("li")) for ul in doc.xpath("//ul")) == [4, 6, 6]
    assert [len(ol.findall("li")) for ol in doc.xpath("//ol")] == [5]
    assert len(doc.xpath("//blockquote")) == 2


@pytest.mark.parametrize("other", ["seed.md", "seed.html"])
def test_md_txt_html_give_equivalent_sequences(tmp_path: Path, other: str) -> None:
    def sequence(name: str, source: Path):
        project = tmp_path / name
        (project / "sequences").mkdir(parents=True)
        shutil.copy(ROOT / "dripmail.toml", project / "dripmail.toml")
        shutil.copy(source, project / "sequences" / f"seed{source.suffix}")
        seq, = render_project(project).sequences
        return seq

    txt = sequence("txt", SEED)
    alt = sequence("alt", DATA / other)
    assert [(e.day, e.subject, e.preheader, e.words) for e in alt.emails] == \
        [(e.day, e.subject, e.preheader, e.words) for e in txt.emails]
    for a, t in zip(alt.emails, txt.emails, strict=True):
        assert words(a.text) == words(t.text)
