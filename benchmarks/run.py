"""dripmail benchmarks: `python benchmarks/run.py` (see benchmarks/README.md).

Every figure is a whole `dripmail build` process (start-up included), timed from outside,
several runs, median. Peak memory and CPU time come from the child's rusage (os.wait4).
When `mjml` is installed (npm i -g mjml, or node_modules/.bin/mjml here), MJML builds the same
number of comparable emails in the same run, alternating with dripmail, and the ratios are
checked against the targets of the issue.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from corpus import write_corpus  # noqa: E402

TARGETS = {"cold": 0.6, "corpus": 0.5, "corpus_cpu": 0.9, "nochange": 0.25}
MEMORY_TARGET_MB = 200


@dataclass
class Run:
    wall: float
    cpu: float  # user + system, the build's worker processes included
    rss_mb: float
    stdout: str
    system: float = 0.0  # of which in the kernel (mostly creating files)


def run_measured(cmd: list[str], cwd: Path) -> Run:
    """Like run(), with the child's own rusage from os.wait4 (CPU time and peak RSS)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    # Bytecode as an installed wheel has it (pip compiles on install): without this, a shell
    # with PYTHONDONTWRITEBYTECODE set recompiles every dripmail module in every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n"
                             f"{err.read()}")
        return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read(),
                   usage.ru_stime)


def dripmail(*args: str) -> list[str]:
    return [sys.executable, "-m", "dripmail", "build", *args]


def find_mjml() -> list[str] | None:
    for candidate in (HERE / "node_modules" / ".bin" / "mjml", ROOT / "node_modules" / ".bin" /
                      "mjml"):
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("mjml")
    return [found] if found else None


def mjml_email(subject: str, paragraphs: list[str], last: bool) -> str:
    """An MJML email comparable to dripmail's: header, content, button or link, footer."""
    body = "\n".join(f'<mj-text font-size="17px" line-height="1.6">{html.escape(p)}</mj-text>'
                     for p in paragraphs)
    cta = ('<mj-button background-color="#2d5f5d" href="https://example.com/book">Book a call'
           '</mj-button>') if last else \
        '<mj-text><a href="https://example.com/blog">Read the whole article</a></mj-text>'
    return f"""<mjml>
  <mj-head>
    <mj-title>{html.escape(subject)}</mj-title>
    <mj-preview>{html.escape(paragraphs[0][:90] if paragraphs else subject)}</mj-preview>
    <mj-attributes><mj-all font-family="Helvetica, Arial, sans-serif" /></mj-attributes>
    <mj-style>@media (prefers-color-scheme: dark) {{ .card {{ background: #1f262d !important; }} }}
    </mj-style>
  </mj-head>
  <mj-body background-color="#f4f1ec" width="600px">
    <mj-section background-color="#ffffff" css-class="card">
      <mj-column>
        <mj-text font-weight="bold">Benchmark Practice</mj-text>
        <mj-text font-size="28px">{html.escape(subject)}</mj-text>
        <mj-text>Hi {{{{ first_name }}}},</mj-text>
        {body}
        {cta}
      </mj-column>
    </mj-section>
    <mj-section>
      <mj-column>
        <mj-text font-size="14px">You are receiving this email because you signed up.
          <a href="{{{{ unsubscribe_url }}}}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
"""


def write_mjml(build_dir: Path, folder: Path) -> list[Path]:
    """One .mjml file per email dripmail built, with the same subject and text."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for manifest in sorted(build_dir.glob("*/manifest.json")):
        doc = json.loads(manifest.read_text(encoding="utf-8"))
        emails = doc["emails"]
        for e in emails:
            text = (manifest.parent / e["text"]).read_text(encoding="utf-8")
            paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
            path = folder / f"{doc['sequence']['slug']}-{e['html'][:-5]}.mjml"
            path.write_text(mjml_email(e["subject"], paragraphs,
                                       e["position"] == len(emails)), encoding="utf-8")
            paths.append(path)
    return paths


def mjml_cmd(mjml: list[str], files: list[Path], out: Path) -> list[str]:
    """MJML's command line, writing into a new folder beside `out` (see `fresh_dir`)."""
    out = fresh_dir(out.parent, out.name)
    out.mkdir(parents=True)
    return [*mjml, *map(str, files), "-o", str(out) + os.sep]


def median(runs: list[Run], attr: str = "wall") -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def emails_in(build_dir: Path) -> int:
    return sum(json.loads(m.read_text())["sequence"]["emails"]
               for m in build_dir.glob("*/manifest.json"))


_TRASH: list[Path] = []


def set_trash(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    _TRASH[:] = [folder]


def fresh_out(project: Path) -> None:
    """Move the last output aside; everything moved is deleted when the script ends.

    Deleting it here would time the file system, not the tool: ext4 allocates inodes slowly for
    minutes after many files were deleted (`recently_deleted()` in `find_inode_bit`), and a
    build creates about 3.4 files per email (MJML one), which made dripmail's figures depend on
    the benchmark's own clean-up (file creation up to 10 times slower on this machine).
    """
    out = project / "build"
    if out.exists():
        out.rename(_TRASH[0] / f"{project.name}-{len(list(_TRASH[0].iterdir()))}")


SLOW_CREATE_MS = 0.15  # about 0.04 normally on the reference machine


def file_creation_ms(folder: Path, files: int = 400) -> float:
    """How long creating a small file takes here now (median of `files`, in ms)."""
    folder.mkdir()
    times = []
    for n in range(files):
        start = time.perf_counter()
        (folder / f"f{n}.txt").write_text("x" * 2000, encoding="utf-8")
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def fresh_dir(parent: Path, name: str) -> Path:
    """A new, empty output folder for one MJML run (MJML then creates its files, as dripmail
    does, instead of overwriting the previous run's)."""
    n = 0
    while (parent / f"{name}-{n}").exists():
        n += 1
    return parent / f"{name}-{n}"


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:.2f}x (target <= {target}x: {'met' if ratio <= target else 'NOT met'})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per small measurement (median)")
    ap.add_argument("--corpus-runs", type=int, default=3, help="runs per corpus measurement")
    ap.add_argument("--articles", type=int, default=120, help="articles in the corpus")
    ap.add_argument("--jobs", type=int, default=None, help="dripmail --jobs (default: cores)")
    ap.add_argument("--no-mjml", action="store_true", help="skip the MJML comparison")
    ap.add_argument("--no-scaling", action="store_true", help="skip the 30/60-article builds")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    from dripmail import __version__
    from dripmail.pipeline.executor import cores

    jobs = args.jobs or cores()
    mjml = None if args.no_mjml else find_mjml()
    figures: dict[str, object] = {
        "machine": {"cores": os.cpu_count(), "usable_cores": cores(),
                    "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_at_start": os.getloadavg()},
        "dripmail": __version__, "jobs": jobs}
    print(f"dripmail {__version__} benchmarks - {os.cpu_count()} cores ({cores()} usable), "
          f"Python {platform.python_version()}, --jobs {jobs}, "
          f"load average {os.getloadavg()[0]:.2f}")
    if mjml:
        version = subprocess.run([*mjml, "--version"], capture_output=True, text=True).stdout
        print(f"MJML: {mjml[0]} ({' '.join(version.split())})")
        figures["mjml"] = " ".join(version.split())
    else:
        print("MJML: not installed (npm i -g mjml) - ratios against MJML are skipped")

    with tempfile.TemporaryDirectory(prefix="dripmail-bench-") as tmp_name:
        tmp = Path(tmp_name)
        set_trash(tmp / "trash")
        per_file = file_creation_ms(tmp / "probe")
        figures["file_creation_ms"] = per_file
        print(f"File creation: {per_file:.3f} ms per file"
              + (" - SLOW: files were deleted in bulk in the last minutes; wait about six "
                 "minutes for representative figures (see benchmarks/README.md)"
                 if per_file > SLOW_CREATE_MS else ""))
        # 1. cold build of the bundled example
        example = tmp / "example"
        example.mkdir()
        shutil.copy(ROOT / "dripmail.toml", example / "dripmail.toml")
        shutil.copytree(ROOT / "sequences", example / "sequences")
        run_measured(dripmail(), example)  # warm the OS file cache and .pyc files
        n_example = emails_in(example / "build")
        mj_example = write_mjml(example / "build", tmp / "mjml-example") if mjml else []
        cold, cold_nc, mj_cold = [], [], []
        for _ in range(args.runs):
            fresh_out(example)
            cold.append(run_measured(dripmail(f"--jobs={jobs}"), example))
            fresh_out(example)
            cold_nc.append(run_measured(dripmail(f"--jobs={jobs}", "--no-check"), example))
            if mjml:
                mj_cold.append(run_measured(mjml_cmd(mjml, mj_example, tmp / "mj-out-ex"), tmp))
        figures["cold_example"] = {"emails": n_example, "median_s": median(cold),
                                   "cpu_s": median(cold, "cpu"),
                                   "no_check_median_s": median(cold_nc),
                                   "peak_mb": max(r.rss_mb for r in cold)}
        line = (f"\nCold build of the example ({n_example} emails): median {median(cold):.3f} s "
                f"(CPU {median(cold, 'cpu'):.3f} s); with --no-check {median(cold_nc):.3f} s; "
                f"{args.runs} runs")
        if mjml:
            ratio, ratio_nc = median(cold) / median(mj_cold), median(cold_nc) / median(mj_cold)
            cpu_ratio = median(cold, "cpu") / median(mj_cold, "cpu")
            figures["cold_example"].update(mjml_s=median(mj_cold), ratio=ratio,
                                           ratio_no_check=ratio_nc,
                                           mjml_cpu_s=median(mj_cold, "cpu"), cpu_ratio=cpu_ratio)
            line += (f"\n  MJML, same {n_example} emails: {median(mj_cold):.3f} s (CPU "
                     f"{median(mj_cold, 'cpu'):.3f} s) -> ratio {verdict(ratio, TARGETS['cold'])}"
                     f"; --no-check {ratio_nc:.2f}x; CPU {cpu_ratio:.2f}x")
        print(line)

        # 2. the corpus
        corpus = tmp / "corpus"
        write_corpus(corpus, articles=args.articles)
        run_measured(dripmail(f"--jobs={jobs}"), corpus)  # warm-up
        n_corpus = emails_in(corpus / "build")
        mj_files = write_mjml(corpus / "build", tmp / "mjml-corpus") if mjml else []
        full, full_nc, mj_full = [], [], []
        for _ in range(args.corpus_runs):
            fresh_out(corpus)
            full.append(run_measured(dripmail(f"--jobs={jobs}"), corpus))
            fresh_out(corpus)
            full_nc.append(run_measured(dripmail(f"--jobs={jobs}", "--no-check"), corpus))
            if mjml:
                mj_full.append(run_measured(mjml_cmd(mjml, mj_files, tmp / "mj-out"), tmp))
        fresh_out(corpus)
        run_measured(dripmail(f"--jobs={jobs}"), corpus)  # a checked build for the rebuilds
        t_full, t_nc = median(full), median(full_nc)
        figures["corpus"] = {"articles": args.articles, "emails": n_corpus, "median_s": t_full,
                             "cpu_s": median(full, "cpu"), "system_s": median(full, "system"),
                             "emails_per_s": n_corpus / t_full,
                             "no_check_median_s": t_nc, "no_check_cpu_s": median(full_nc, "cpu"),
                             "peak_mb_largest_process": max(r.rss_mb for r in full)}
        print(f"\nCorpus: {args.articles} articles, {n_corpus} emails, --jobs {jobs}: median "
              f"{t_full:.3f} s (CPU {median(full, 'cpu'):.3f} s, of which system "
              f"{median(full, 'system'):.3f} s), "
              f"{n_corpus / t_full:.0f} emails/s; with --no-check {t_nc:.3f} s "
              f"(CPU {median(full_nc, 'cpu'):.3f} s), {n_corpus / t_nc:.0f} emails/s")
        if mjml:
            ratio, ratio_nc = t_full / median(mj_full), t_nc / median(mj_full)
            cpu_ratio = median(full, "cpu") / median(mj_full, "cpu")
            figures["corpus"].update(mjml_s=median(mj_full), ratio=ratio,
                                     ratio_no_check=ratio_nc,
                                     mjml_cpu_s=median(mj_full, "cpu"), cpu_ratio=cpu_ratio)
            print(f"  MJML, same {len(mj_files)} emails: {median(mj_full):.3f} s (CPU "
                  f"{median(mj_full, 'cpu'):.3f} s) -> ratio {verdict(ratio, TARGETS['corpus'])}"
                  f"; --no-check {ratio_nc:.2f}x; CPU {verdict(cpu_ratio, TARGETS['corpus_cpu'])}")

        # 3. rebuild with nothing changed
        nochange = [run_measured(dripmail(f"--jobs={jobs}"), corpus) for _ in range(args.runs)]
        ratio = median(nochange) / t_full
        figures["rebuild_nothing_changed"] = {"median_s": median(nochange), "ratio": ratio}
        print(f"\nRebuild, nothing changed: median {median(nochange):.3f} s -> "
              f"{verdict(ratio, TARGETS['nochange'])} of the full build")

        # 4. rebuild after editing one article
        edited, rebuilt = [], set()
        article = sorted((corpus / "sequences").glob("*.md"))[0]
        for n in range(args.runs):
            with article.open("a", encoding="utf-8") as fh:
                fh.write(f"\nAn edit made by the benchmark, number {n}.\n")
            r = run_measured(dripmail(f"--jobs={jobs}"), corpus)
            edited.append(r)
            rebuilt.add(sum(1 for ln in r.stdout.splitlines()
                            if ln.startswith("  ") and "(unchanged)" not in ln))
        figures["rebuild_one_edited"] = {"median_s": median(edited),
                                         "sequences_rebuilt": sorted(rebuilt)}
        print(f"Rebuild after editing one article: median {median(edited):.3f} s, "
              f"sequences rebuilt per run: {sorted(rebuilt)}")

        # 5. peak memory, one process
        fresh_out(corpus)
        single = run_measured(dripmail("--jobs=1"), corpus)
        figures["memory"] = {"peak_mb_jobs_1": single.rss_mb,
                             "peak_mb_largest_process_jobs_n": figures["corpus"][
                                 "peak_mb_largest_process"], "corpus_jobs_1_s": single.wall}
        print(f"\nPeak memory (ru_maxrss): {single.rss_mb:.0f} MB building the corpus in one "
              f"process (--jobs 1, {single.wall:.2f} s); largest process with --jobs {jobs}: "
              f"{figures['corpus']['peak_mb_largest_process']:.0f} MB "
              f"(target <= {MEMORY_TARGET_MB} MB: "
              f"{'met' if single.rss_mb <= MEMORY_TARGET_MB else 'NOT met'})")

        # 6. scaling
        if not args.no_scaling:
            rows = []
            for size in (args.articles // 4, args.articles // 2, args.articles):
                project = tmp / f"scale-{size}"
                write_corpus(project, articles=size)
                r = run_measured(dripmail("--jobs=1"), project)
                rows.append((size, emails_in(project / "build"), r.wall, r.cpu))
            figures["scaling_jobs_1"] = [dict(zip(("articles", "emails", "wall_s", "cpu_s"), row,
                                                  strict=True)) for row in rows]
            print("\nScaling (--jobs 1, one run each): " + "; ".join(
                f"{a} articles/{e} emails: {w:.2f} s ({c / e * 1000:.1f} ms CPU per email)"
                for a, e, w, c in rows))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
