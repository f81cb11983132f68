"""Main-content extraction on the corpus's whole HTML pages: trafilatura, readability-lxml and
what dripmail ships (dripmail.reading.webpage), side by side.

    python benchmarks/extraction.py            # a table per page, then the totals
    python benchmarks/extraction.py -v         # also what each one keeps and drops

Per page and extractor: the words kept; the page's headings kept (of those inside the
article: the headings of the page minus those in its navigation); code kept (the characters
of the page's `<code>`/`<pre>` text found again); links kept; boilerplate left (lines that are
navigation, permalink glyphs, "edit this page" or tag lines: the real-world counters' own
patterns) and the CPU time. Both libraries are optional here: install them to compare
(`pip install trafilatura readability-lxml`).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from defects.reading import _NAV, _PERMALINK  # noqa: E402  (the counters' own patterns)

from dripmail.reading.sources import decode  # noqa: E402

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class Result:
    words: int = 0
    headings: int = 0
    code: float = 0.0  # share of the page's code characters kept
    links: int = 0
    boilerplate: list[str] = field(default_factory=list)
    seconds: float = 0.0
    missing: list[str] = field(default_factory=list)  # headings dropped


def _page(path: Path) -> str:
    text, _warnings = decode(path.read_bytes(), path)
    text = re.sub(r"^\s*---\n.*?\n---\n", "", text, flags=re.S)  # (dip3's front matter)
    return re.sub(r"^\s*<\?xml[^>]*>", "", text)


def _key(text: str) -> str:
    """Letters and digits only (a heading compared without its ¶ or icon glyph)."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _article_headings(page: str) -> list[str]:
    doc = lxml.html.document_fromstring(page)
    for nav in doc.xpath("//nav|//header|//footer|//aside|//*[@role='navigation']"
                         "|//*[@role='dialog']"):
        nav.drop_tree()
    return [" ".join(h.text_content().split()) for h in doc.iter(*_HEADINGS)
            if _key(h.text_content())]


def _code(page: str) -> list[str]:
    """The words of the page's code (`<pre>`, `<code>`)."""
    doc = lxml.html.document_fromstring(page)
    return [w for el in doc.iter("pre", "code") for w in el.text_content().split()]


def measure(html: str, page: str, seconds: float) -> Result:
    """What an extractor's HTML keeps of the page."""
    if not html.strip():
        return Result(seconds=seconds, missing=_article_headings(page))
    doc = lxml.html.fragment_fromstring(html, create_parent="div")
    for el in doc.iter(*_HEADINGS, "p", "li", "pre", "tr", "div", "br"):
        el.tail = "\n" + (el.tail or "")  # (a line per block, as a reader sees it)
    text = doc.text_content()
    kept = {_key(h.text_content()) for h in doc.iter(*_HEADINGS)}
    wanted = _article_headings(page)
    found = set(text.split())
    code = _code(page)
    code_kept = sum(1 for word in code if word in found)
    lines = [" ".join(ln.split()) for ln in text.split("\n")]
    boiler = [ln for ln in lines if ln and ((len(ln) < 80 and _NAV.match(ln))
                                            or _PERMALINK.search(ln))]
    return Result(words=len(text.split()), headings=sum(_key(h) in kept for h in wanted),
                  code=code_kept / max(1, len(code)),
                  links=len(doc.xpath(".//a[@href]")), boilerplate=boiler, seconds=seconds,
                  missing=[h for h in wanted if _key(h) not in kept])


def _trafilatura(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, output_format="html", include_links=True,
                               include_images=True, include_tables=True,
                               include_formatting=True, favor_recall=True) or ""


def _readability(page: str) -> str:
    from readability import Document

    return Document(page).summary(html_partial=True)


def _dripmail(page: str) -> str:
    from dripmail.reading.webpage import read_page

    found = read_page(page)
    return f"<h1>{found.title}</h1>{found.html}"


EXTRACTORS = {"trafilatura": _trafilatura, "readability": _readability, "dripmail": _dripmail}


def run(pages: list[Path], verbose: bool) -> dict[str, list[Result]]:
    results: dict[str, list[Result]] = {name: [] for name in EXTRACTORS}
    for name, extract in EXTRACTORS.items():
        try:
            extract("<html><body><p>warm up the imports</p></body></html>")
        except ImportError:
            print(f"({name} is not installed: pip install it to compare)")
            results.pop(name)
    for path in pages:
        page = _page(path)
        print(f"\n{path.name}: {len(_article_headings(page))} headings in the article")
        for name in results:
            start = time.process_time()
            html = EXTRACTORS[name](page)
            result = measure(html, page, time.process_time() - start)
            results[name].append(result)
            print(f"  {name:12} {result.words:6} words  {result.headings:3} headings  "
                  f"code {result.code:5.0%}  {result.links:4} links  "
                  f"{len(result.boilerplate):3} boilerplate  {result.seconds * 1000:6.1f} ms")
            if verbose:
                for h in result.missing:
                    print(f"      drops heading {h!r}")
                for line in result.boilerplate[:6]:
                    print(f"      keeps {line[:70]!r}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus" / "html")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    results = run(sorted(args.corpus.glob("*.htm*")), args.verbose)
    wanted = sum(len(_article_headings(_page(p))) for p in sorted(args.corpus.glob("*.htm*")))
    print(f"\n{'total':14} {'words':>7} {'headings':>12} {'code':>6} {'boilerplate':>12} "
          f"{'CPU ms':>8}")
    for name, rows in results.items():
        print(f"{name:14} {sum(r.words for r in rows):7} "
              f"{sum(r.headings for r in rows):5} of {wanted:4} "
              f"{sum(r.code for r in rows) / len(rows):6.0%} "
              f"{sum(len(r.boilerplate) for r in rows):12} "
              f"{sum(r.seconds for r in rows) * 1000:8.1f}")


if __name__ == "__main__":
    main()
