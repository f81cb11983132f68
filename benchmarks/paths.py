"""What each speed path gains: `python benchmarks/paths.py` (see benchmarks/README.md).

Each speed path of dripmail against its reference (what DRIPMAIL_REFERENCE=1 runs) on the
inputs of the benchmark corpus (120 articles, about 600 emails), in this process: CPU time per
email (or per article), best of several rounds. Start-up paths are timed in new processes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from corpus import write_corpus  # noqa: E402


def best(work: Callable[[], object], rounds: int) -> float:
    """The least CPU time of `rounds` runs of `work`, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def line(name: str, fast: float, slow: float, unit: str, count: int) -> None:
    gain = (slow - fast) * 1000
    print(f"{name:34} {fast / count * 1000:8.3f} vs {slow / count * 1000:8.3f} ms per {unit}"
          f"  gain {gain / count:7.3f} ms per {unit}, {gain:6.0f} ms on the corpus")


def inputs(folder: Path, articles: int) -> tuple[list, list, list]:
    """(sources with their settings, sequences, every email's theme HTML before inlining)."""
    from dripmail.pipeline.build import _environment, load, render_one
    from dripmail.planning import plan
    from dripmail.reading.article import parse_article
    from dripmail.rendering.compose import context
    from dripmail.rendering.theme import render

    write_corpus(folder, articles=articles)
    loaded = load(folder)
    env = _environment(folder)
    html = []
    for src, settings in loaded:
        article = parse_article(src, settings)
        parts = plan.plan(article)
        html += [render(env, "email.html", context(article, parts, p)) for p in parts]
    sequences = [render_one(src, settings, folder)[0] for src, settings in loaded]
    return loaded, sequences, html


def stdlib_qp_body(text: str) -> str:
    """What set_content(cte="quoted-printable") and as_bytes() make of a body."""
    import re
    from email import quoprimime

    body = b"\n".join(text.encode("utf-8").splitlines()) + b"\n"
    encoded = quoprimime.body_encode(body.decode("latin-1"), 78)
    return "\r\n".join(re.split(r"\r\n|\r|\n", encoded)) + "\r\n"


def eml_parts(mails: list, rounds: int) -> None:
    """Each part of the fast .eml writer against the stdlib code it stands in for."""
    from dripmail.writing import eml

    subjects = [mail.subject for mail, _s, _kw in mails]
    ids = [kw["message_id"] for _m, _s, kw in mails]
    boundaries = [kw["boundary"] for _m, _s, kw in mails]
    bodies = [text for mail, _s, _kw in mails for text in (mail.text, mail.html)]
    parts = {
        "  quoted-printable bodies": (lambda: [eml._qp_body(b) for b in bodies],
                                      lambda: [stdlib_qp_body(b) for b in bodies]),
        "  Content-Type line": (
            lambda: [eml._content_type_line(b) for b in boundaries],
            lambda: [eml._header("Content-Type", f'multipart/alternative; boundary="{b}"')
                     for b in boundaries]),
        "  Message-ID line": (lambda: [eml._message_id_line(m) for m in ids],
                              lambda: [eml._header("Message-ID", m) for m in ids]),
        "  Subject line": (lambda: [eml._subject_line(s) for s in subjects],
                           lambda: [eml._header("Subject", s) for s in subjects]),
    }
    for name, (fast, slow) in parts.items():
        line(name, best(fast, rounds), best(slow, rounds), "email", len(mails))


def start_up(code: str, reference: bool, runs: int) -> float:
    """Median CPU seconds of a new process running `code`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DRIPMAIL_REFERENCE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if reference:
        env["DRIPMAIL_REFERENCE"] = "1"
    times = []
    for _ in range(runs):
        proc = subprocess.Popen([sys.executable, "-c", code], env=env)
        _pid, _status, usage = os.wait4(proc.pid, 0)
        times.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=120)
    ap.add_argument("--rounds", type=int, default=5, help="rounds per measurement (best)")
    args = ap.parse_args(argv)

    import hashlib
    from datetime import UTC, datetime

    from dripmail.checks import check_sequences
    from dripmail.checks.model import parse_html
    from dripmail.checks.paint import Paint
    from dripmail.reading.article import to_html
    from dripmail.rendering.inline import inline_css
    from dripmail.writing import eml

    with tempfile.TemporaryDirectory() as tmp:
        loaded, sequences, html = inputs(Path(tmp), args.articles)
    n = len(html)
    print(f"{args.articles} articles, {n} emails; fast vs reference (CPU, best of "
          f"{args.rounds}), load average {os.getloadavg()[0]:.2f}")

    inline_css(html[0])
    line("inlining", best(lambda: [inline_css(h) for h in html], args.rounds),
         best(lambda: [inline_css(h, fast=False) for h in html], max(1, args.rounds // 3)),
         "email", n)

    md = [(src, settings) for src, settings in loaded if src.fmt in ("md", "txt")]
    os.environ.pop("DRIPMAIL_REFERENCE", None)
    fast = best(lambda: [to_html(src, settings) for src, settings in md], args.rounds)
    os.environ["DRIPMAIL_REFERENCE"] = "1"
    slow = best(lambda: [to_html(src, settings) for src, settings in md], args.rounds)
    del os.environ["DRIPMAIL_REFERENCE"]
    line("Markdown converter", fast, slow, "article", len(md))

    date = datetime(2026, 1, 1, tzinfo=UTC)
    mails = []
    for seq in sequences:
        domain = seq.settings.sender_email.partition("@")[2] or "dripmail.invalid"
        for mail in seq.emails:
            digest = hashlib.sha256((mail.html + mail.text).encode()).hexdigest()
            mails.append((mail, seq.settings, {
                "date": date, "boundary": f"dripmail-{digest[:32]}",
                "message_id": f"<{mail.stem}.{digest[:20]}@{domain}>"}))
    line(".eml bytes", best(lambda: [eml.message_bytes(m, s, **kw) for m, s, kw in mails],
                            args.rounds),
         best(lambda: [eml.stdlib_bytes(m, s, **kw) for m, s, kw in mails], args.rounds),
         "email", n)
    eml_parts(mails, args.rounds)

    def checks(shared: bool) -> Callable[[], None]:
        def run() -> None:
            parse_html.cache_clear()
            for seq in sequences:  # one check run per sequence, as a build's workers do
                check_sequences([seq], "build", paint=Paint(shared=shared))
        return run
    line("quality gate (type and colour)", best(checks(True), args.rounds),
         best(checks(False), args.rounds), "email", n)

    code = "import dripmail.rendering.inline, dripmail.reading.article as a; a._extensions(True)"
    runs = max(5, args.rounds * 2)
    fast, slow = start_up(code, False, runs), start_up(code, True, runs)
    print(f"{'lazy imports (start-up)':34} {fast * 1000:8.1f} vs {slow * 1000:8.1f} ms per "
          f"process  gain {(slow - fast) * 1000:7.1f} ms per process")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
