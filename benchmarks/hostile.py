"""Hostile-input timings: `python benchmarks/hostile.py` (see benchmarks/README.md).

Each case is a family of articles built at growing depth or size, one `dripmail build --jobs 1`
process per article (start-up included, like run.py), timed from outside with a time limit.
For the size families the script prints how the time grows when the input doubles (after
subtracting the start-up): about 2 is linear, about 4 quadratic. Not a test: the figures depend
on the machine; the tests check the nesting bound and the outputs, not times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEEPEST_MARKDOWN_LIST = 3000  # 4 spaces of indent per level: 3000 levels are 18 MB
PROSE = ("Some ordinary words of prose that make this article long enough to be worth an email. "
         "A second sentence follows the first one, as sentences do. ")

# Depth families: (file suffix, body at depth d).
DEEP: dict[str, Callable[[int], tuple[str, str]]] = {
    "markdown list": lambda d: ("md", f"# T\n\n{PROSE}\n\n"
                                + "".join("    " * i + f"- item {i}\n" for i in range(d))),
    "markdown quote": lambda d: ("md", f"# T\n\n{PROSE}\n\n" + "> " * d + "deep quote\n"),
    "markdown <div markdown=1>": lambda d: ("md", f"# T\n\n{PROSE}\n\n"
                                            + '<div markdown="1">\n' * d + "x\n"
                                            + "</div>\n" * d),
    "html list": lambda d: ("html", f"<h1>T</h1><p>{PROSE}</p>" + "<ul><li>x" * d
                            + "</li></ul>" * d),
    "html div": lambda d: ("html", f"<h1>T</h1><p>{PROSE}</p>" + "<div>x" * d + "</div>" * d),
    "html span": lambda d: ("html", f"<h1>T</h1><p>{PROSE}" + "<span>x" * d + "</span>" * d
                            + "</p>"),
    "html table": lambda d: ("html", f"<h1>T</h1><p>{PROSE}</p>" + "<table><tr><td>x" * d
                             + "</td></tr></table>" * d),
}

# Size families: (file suffix, body with n units).
WIDE: dict[str, Callable[[int], tuple[str, str]]] = {
    "prose paragraphs (baseline)": lambda n: ("md", "# T\n\n" + f"{PROSE}\n\n" * n),
    "30-deep lists, side by side": lambda n: ("html", f"<h1>T</h1><p>{PROSE}</p>" + (
        "<ul><li>x" * 30 + "</li></ul>" * 30 + f"<p>{PROSE}</p>") * n),
    "one-word paragraphs": lambda n: ("html", "<h1>T</h1>" + "<p>word</p>" * (10 * n)),
    "open formatting tags": lambda n: ("html", f"<h1>T</h1><p>{PROSE}</p>" + "".join(
        f'<p><b title="{i}">word ' for i in range(n))),
    "email markers": lambda n: ("md", "# T\n\n" + f"{PROSE}\n\n<!-- email -->\n\n" * n),
    "empty blocks": lambda n: ("html", f"<h1>T</h1><p>{PROSE}</p>" + "<hr>" * (10 * n)
                               + f"<p>{PROSE}</p>"),
    "inline markup in one paragraph": lambda n: ("md", "# T\n\n" + "*word* " * (10 * n)),
    "links in one paragraph": lambda n: ("md", "# T\n\n" + "[w](https://example.com/) " * n),
    "one long word": lambda n: ("md", "# T\n\n" + f"{PROSE}\n\n" + "x" * (1000 * n)),
    "dots": lambda n: ("md", "# T\n\n" + f"{PROSE}\n\nA" + "." * (1000 * n) + "\n"),
    "braces": lambda n: ("md", "# T\n\n" + f"{PROSE}\n\n" + "{{" * (500 * n) + "\n"),
    "dots, then a letter": lambda n: ("md", "# T\n\n" + f"{PROSE}\n\nA" + "." * (1000 * n)
                                     + "x\n"),
    "a merge tag, then braces": lambda n: ("md", "# T\n\n" + f"{PROSE}\n\n{{{{ first_name }}}}"
                                           + "{" * (1000 * n) + "\n"),
    "s=s=s=": lambda n: ("md", "# T\n\n" + f"{PROSE}\n\n" + "s=" * (500 * n) + "\n"),
    "<<<<": lambda n: ("md", "# T\n\n" + f"{PROSE}\n\n" + "<" * (1000 * n) + "\n"),
    "one-word paragraphs, emails: 20": lambda n: ("md", "---\nemails: 20\n---\n# T\n\n"
                                                  + "word\n\n" * (10 * n)),
    "short sentences": lambda n: ("md", "# T\n\n" + "Go. " * (100 * n) + "\n"),
    "plain-text lines": lambda n: ("txt", "Title\n\n" + "Short line here\n" * (10 * n)),
    "table rows": lambda n: ("md", "# T\n\n" + f"{PROSE}\n\n| a | b |\n|---|---|\n"
                             + "| x | y |\n" * (10 * n)),
}


def build_seconds(folder: Path, suffix: str, body: str, limit: float) -> tuple[float, str]:
    """Wall time of one build of one article (the process's last stderr line if it failed)."""
    seq = folder / "sequences"
    for old in seq.iterdir():
        old.unlink()
    (seq / f"article.{suffix}").write_text(body, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "dripmail", "build", "--jobs", "1"],
                              cwd=folder, env=env, capture_output=True, text=True,
                              timeout=limit)
    except subprocess.TimeoutExpired:
        return float("inf"), f"over the {limit:.0f} s limit"
    seconds = time.perf_counter() - start
    last = (done.stderr.strip().splitlines() or [""])[-1]
    return seconds, "" if done.returncode == 0 else last


def project(folder: Path) -> Path:
    (folder / "sequences").mkdir(parents=True)
    (folder / "dripmail.toml").write_text('postal_address = "1 Example Street"\n', "utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="250,500,1000,2000",
                        help="units per size family, doubling (default: %(default)s)")
    parser.add_argument("--depths", default="8,16,32,33,1000,10000,100000",
                        help="levels per depth family (default: %(default)s)")
    parser.add_argument("--limit", type=float, default=120, help="seconds per build")
    parser.add_argument("--only", help="run only the families whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dripmail-hostile-") as tmp:
        folder = project(Path(tmp))
        base = min(build_seconds(folder, "md", f"# T\n\n{PROSE}\n", args.limit)[0]
                   for _ in range(3))
        print(f"start-up and a one-paragraph build: {base:.2f} s\n")
        print("Depth (levels -> seconds; the limit is 32 levels)")
        for name, make in DEEP.items():
            if args.only and args.only not in name:
                continue
            cells = []
            for d in map(int, args.depths.split(",")):
                if name == "markdown list" and d > DEEPEST_MARKDOWN_LIST:
                    continue
                seconds, error = build_seconds(folder, *make(d), args.limit)
                cells.append(f"{d}: {seconds:.2f}" + (" (refused)" if "nests" in error else
                                                      f" ({error})" if error else ""))
            print(f"  {name:28} " + ", ".join(cells))
        print("\nSize (units -> seconds; x = growth per doubling, start-up subtracted)")
        for name, make in WIDE.items():
            if args.only and args.only not in name:
                continue
            cells, previous = [], None
            for n in map(int, args.sizes.split(",")):
                suffix, body = make(n)
                seconds, error = build_seconds(folder, suffix, body, args.limit)
                growth = (f" x{(seconds - base) / (previous - base):.1f}"
                          if previous and previous - base > 0.05 else "")
                cells.append(f"{n} ({len(body) // 1024} KB): {seconds:.2f}{growth}"
                             + (f" [{error[:60]}]" if error else ""))
                previous = seconds
            print(f"  {name:32} " + ", ".join(cells))


if __name__ == "__main__":
    main()
