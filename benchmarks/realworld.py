"""Build the real-article corpus (tests/corpus/) as one project and count what a reader notices.

    python benchmarks/realworld.py                 # table per article, then the totals
    python benchmarks/realworld.py --json out.json # the same as JSON
    python benchmarks/realworld.py --only reading  # or: planning

The corpus is built exactly as a user would (`python -m dripmail build` on a folder of the
articles, then `python -m dripmail check --format json` on the output); the planner's email
boundaries come from dripmail's own reading and planning functions, run in this process on
the same files and settings. Every counter is defined in `defects/`, one function per defect
kind, and is independent of how dripmail is written: it reads the built files, the labels in
tests/corpus/labels/ and the planned blocks. The goal for every count is 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from defects import corpus_model, planning, reading  # noqa: E402

SETTINGS = """\
brand = "Corpus Reader"
sender_name = "Corpus Reader"
sender_email = "reader@example.org"
postal_address = "1 Test Street, Testville"
unsubscribe_url = "https://example.org/unsubscribe"
"""


def make_project(corpus: Path, where: Path) -> Path:
    """A project whose sequences/ folder holds every corpus article (flat, names kept)."""
    (where / "sequences").mkdir(parents=True)
    (where / "dripmail.toml").write_text(SETTINGS, encoding="utf-8")
    for sub in ("md", "html", "txt"):
        for path in sorted((corpus / sub).glob("*")):
            if path.is_file():
                shutil.copy2(path, where / "sequences" / path.name)
    return where


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "dripmail", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def build(project: Path, out: Path) -> dict[str, str]:
    """Build the folder; where the whole build is refused, build each article alone.
    Returns {article file name: error line} for the articles that were not built."""
    done = run(["build", "sequences", "--out", str(out), "--no-check"], project)
    refused: dict[str, str] = {}
    built = {m["sequence"]["source"] for m in corpus_model.manifests(out)}
    if done.returncode == 0 and built:
        return refused
    for path in sorted((project / "sequences").iterdir()):
        rel = f"sequences/{path.name}"
        if rel in built:
            continue
        one = run(["build", rel, "--out", str(out), "--no-check"], project)
        if one.returncode != 0:
            lines = [ln for ln in one.stderr.splitlines() if ln.startswith("Error")]
            refused[path.name] = (lines[0] if lines else one.stderr.strip()[-200:])
    return refused


def check(project: Path, out: Path) -> list[dict]:
    done = run(["check", str(out), "--format", "json"], project)
    try:
        return json.loads(done.stdout)["findings"]
    except (ValueError, KeyError):
        print(done.stderr[-2000:], file=sys.stderr)
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--only", choices=["reading", "planning"])
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument("-v", "--verbose", action="store_true", help="show each defect")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(args.corpus, Path(tmp) / "project")
        out = args.keep.resolve() if args.keep else Path(tmp) / "out"
        if args.keep and out.exists():
            shutil.rmtree(out)
        refused = build(project, out)
        findings = check(project, out)
        corpus = corpus_model.load(project, out, findings, refused, args.corpus / "labels")
        counters = []
        if args.only in (None, "reading"):
            counters += reading.COUNTERS
        if args.only in (None, "planning"):
            counters += planning.COUNTERS
        report = corpus_model.count(corpus, counters)
    corpus_model.print_report(report, verbose=args.verbose)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
