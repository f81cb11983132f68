"""Command line: thin click commands that parse, call one core function and report."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dripmail import __version__
from dripmail.limits import UPLOAD_TIME_LIMIT
from dripmail.providers import UPLOADERS

if TYPE_CHECKING:
    from dripmail.models import BuildResult


def _emails(value: str | None) -> int | str | None:
    """Parse --emails: a positive number or 'auto'."""
    if value is None or value == "auto":
        return value
    if not value.isdigit() or int(value) < 1:
        raise click.BadParameter(f"'{value}' is not a number of emails; use a number from 1 "
                                 "up, or 'auto'")
    return int(value)


def _warn(warnings: tuple[str, ...] | list[str]) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


class ProgressBar:
    """A click progress bar over sequences, shown only on a terminal and for long builds."""

    def __init__(self, enabled: bool | None = None, threshold: int = 8):
        self.enabled = sys.stdout.isatty() if enabled is None else enabled
        self.threshold = threshold
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.threshold:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Rendering sequences")
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    """SIGTERM (a CI timeout, `docker stop`) stops a build as Ctrl-C does: it cleans up what it
    staged and leaves the previous output whole (exit status 143)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dripmail")
def cli() -> None:
    """Turn an article into a dated email sequence (an email course) and newsletter emails.

    \b
    Quick start:
      dripmail init mycourse && cd mycourse
      dripmail build          # writes build/, open build/index.html
    """


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (default: build/ in the project). Not the project folder, "
                   "sequences/ or templates/, nor a folder holding them.")
@click.option("--emails", callback=lambda _c, _p, v: _emails(v), metavar="N|auto",
              help="Number of emails per sequence (default: auto, from words_per_email).")
@click.option("--provider", help="Merge-tag dialect and import package (default: generic).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Render N sequences at once, in separate processes (default: the number "
                   "of cores). The output is the same whatever N is.")
@click.option("--check/--no-check", default=True, show_default=True,
              help="Run the quality gate on what was built and print its summary line.")
@click.option("--drafts", is_flag=True, default=None,
              help="Build the articles marked as drafts too (draft: true, published: false, "
                   "Status: draft).")
@click.option("--verbose", "-v", is_flag=True,
              help="Also list what each article's front matter holds that dripmail leaves out "
                   "(another blog engine's keys).")
@click.pass_context
def build(ctx: click.Context, sources: tuple[Path, ...], out_dir: Path | None,
          emails: int | str | None, provider: str | None, jobs: int | None, check: bool,
          drafts: bool | None, verbose: bool) -> None:
    """Build every article into a dated email sequence.

    SOURCES are article files (.md, .txt, .html) or folders; the default is the project's
    sequences/ folder. Each article becomes one sequence in build/<slug>/. An article that
    cannot be built is reported as `Error: file:line: what is wrong` and keeps its previous
    output; the others are built, and the exit status is 1.

    \b
    Example:
      dripmail build
      dripmail build sequences/welcome.md --emails 5 --out dist
      dripmail build --jobs 1     # one process

    Sequences whose article, settings and templates are unchanged since the last build are
    kept from the cache in the output folder (.dripmail-cache.json).
    """
    from dripmail.pipeline.build import build as run_build
    from dripmail.pipeline.executor import cores

    overrides = {k: v for k, v in {"emails": emails, "provider": provider,
                                   "drafts": drafts}.items() if v is not None}
    bar = ProgressBar()
    try:
        with _sigterm_stops():
            result = run_build(Path("."), sources, out_dir, overrides, jobs=jobs or cores(),
                               progress=bar, check=check)
    finally:
        bar.close()
    _report_build(result, check, verbose)
    for refused in result.refused:
        click.echo(f"Error: {refused.message}", err=True)
    if result.refused:
        ctx.exit(1)


def _report_build(result: BuildResult, check: bool, verbose: bool = False) -> None:
    """What a build made: its warnings, one line per sequence, the quality gate's summary."""
    for line in result.notes if verbose else ():
        click.echo(line)
    for line in result.skipped:
        click.echo(line)
    _warn(result.warnings)
    if not result.sequences and result.refused:
        return
    count = sum(len(s.emails) for s in result.sequences)
    click.echo(f"Built {count} emails in {len(result.sequences)} sequence(s) into "
               f"{result.out_dir}/ (open {result.out_dir / 'index.html'})")
    rendered = {p.parent.name for p in result.written if p.name == "manifest.json"}
    for seq in result.sequences:
        days = ", ".join(str(e.day) for e in seq.emails)
        kept = "" if seq.slug in rendered else " (unchanged)"
        n = len(seq.emails)
        click.echo(f"  {seq.slug}: {n} email{'s' * (n != 1)}, day{'s' * (n != 1)} {days}{kept}")
    if check:
        from dripmail.checks import summary_line

        click.echo(summary_line(result.findings))  # checked per sequence in the workers, cached


def _language_tag(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Check --language: a language tag such as de or pt-BR."""
    from dripmail.settings.kinds import language

    if problem := language(value):
        raise click.BadParameter(f"'{value}' {problem}")
    return value.replace("_", "-")


@cli.command()
@click.argument("directory", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--language", default="en", show_default=True, callback=_language_tag,
              help="The emails' language; `de` writes a German sample project.")
def init(directory: Path, language: str) -> None:
    """Start a new project: dripmail.toml, a sample article in sequences/, a templates note.

    \b
    Examples:
      dripmail init mycourse && cd mycourse && dripmail build
      dripmail init --language de meinkurs
    """
    from dripmail.init import init_project, starter

    for path in init_project(directory, language):
        click.echo(f"  created {path}")
    if note := starter(language).note:
        click.echo(f"Note: {note}")
    here = directory.resolve() == Path.cwd().resolve()
    click.echo("Project ready. Next: dripmail build" if here else
               f"Project ready in {directory}/. Next: cd {directory} && dripmail build")


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Check --date: YYYY-MM-DD."""
    if value is None:
        return None
    from dripmail.newsletter.options import parse_date

    if parse_date(value) is None:
        raise click.BadParameter(f"'{value}' is not a date; write it YYYY-MM-DD, e.g. 2026-11-01")
    return value


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--title", help="The issue's title (default: the article's title, or "
              "'<brand> newsletter' for a digest).")
@click.option("--date", callback=_date, metavar="YYYY-MM-DD", help="Issue date, in the header.")
@click.option("--issue", type=click.IntRange(1, 100_000), metavar="N",
              help="Issue number, in the header.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (default: build/ in the project). Not the project folder, "
                   "sequences/ or templates/, nor a folder holding them.")
@click.option("--provider", help="Merge-tag dialect (default: generic).")
def newsletter(articles: tuple[Path, ...], title: str | None, date: str | None,
               issue: int | None, out_dir: Path | None, provider: str | None) -> None:
    """Make one newsletter email from ARTICLES.

    One article gives the whole article as one email. Several give a digest: an
    introduction, a contents list, and per article an excerpt with a "Read the full
    article" button. Settings: the [newsletter] table in dripmail.toml.

    \b
    Example:
      dripmail newsletter posts/one.md posts/two.md --title "November notes" --issue 12
      dripmail newsletter sequences/when-your-partner-isnt-ready.txt
    """
    from dripmail.newsletter.issue import build_newsletter

    options = {"title": title, "date": date, "issue": issue, "provider": provider}
    with _sigterm_stops():
        result = build_newsletter(Path.cwd(), articles, options, out_dir)
    _warn(result.warnings)
    seq = result.sequences[0]
    email = seq.emails[0]
    click.echo(f"Built newsletter '{seq.title}' into {result.out_dir / seq.slug}/ "
               f"(open {result.out_dir / 'index.html'})")
    click.echo(f"  {email.stem}.html: subject \"{email.subject}\", {email.words} words")
    from dripmail.checks import summary_line

    click.echo(summary_line(result.findings))  # checked when built, or kept from the cache


@cli.command()
@click.argument("sequences", nargs=-1, metavar="[SEQUENCE]...")
@click.option("--provider", required=True,
              type=click.Choice(UPLOADERS),
              help="Where to upload.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
@click.option("--api-url", metavar="URL",
              help="Override the provider's base URL (proxies, regional endpoints, tests).")
@click.option("--time-limit", type=click.IntRange(min=1), default=UPLOAD_TIME_LIMIT,
              show_default=True, metavar="SECONDS",
              help="Stop the whole upload after this many seconds.")
@click.option("--publish", is_flag=True,
              help="Kit only: publish the sequence's emails (Kit's default is drafts).")
def upload(sequences: tuple[str, ...], provider: str, dry_run: bool, api_url: str | None,
           time_limit: int, publish: bool) -> None:
    """Create or update the provider's templates (or Kit sequence) for each sequence.

    SEQUENCE is a sequence slug or an article path (default: every sequence of the project).
    Credentials come only from the environment: POSTMARK_SERVER_TOKEN, MAILCHIMP_API_KEY,
    BREVO_API_KEY, KIT_API_KEY, or the standard AWS variables for ses. A second run updates
    what the first created.

    Credentials go only to the provider's host: a redirect to another host is refused. Waits
    the provider asks for (429) are announced on stderr; one longer than 60 s stops the upload.

    \b
    Example:
      export POSTMARK_SERVER_TOKEN=...
      dripmail upload --provider postmark --dry-run
      dripmail upload when-your-partner-isnt-ready --provider postmark
    """
    from dripmail.delivery.upload import upload as run_upload
    from dripmail.providers.pacing import Pacing

    pacing = Pacing(time_limit=time_limit, notify=lambda message: click.echo(message, err=True))
    report = run_upload(Path("."), sequences, provider, dry_run=dry_run, api_url=api_url,
                        pacing=pacing, publish=publish)
    _warn(report.warnings)
    for line in report.lines:
        click.echo(line)


def _recipient(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Check --to: exactly one plain address."""
    from dripmail.delivery.smtp import SendError, recipient

    try:
        return recipient(value)
    except SendError as exc:
        raise click.BadParameter(exc.message) from None


@cli.command()
@click.argument("sequence", required=False)
@click.option("--to", "to", required=True, metavar="ADDRESS", callback=_recipient,
              help="Recipient of the test send: exactly one address, like me@example.com.")
@click.option("--email", "position", type=click.IntRange(min=1), metavar="N",
              help="Send only email N (default: every email).")
@click.option("--smtp-host", metavar="HOST", help="SMTP server (default: $DRIPMAIL_SMTP_HOST "
              "or localhost).")
@click.option("--smtp-port", type=click.IntRange(1, 65535), metavar="PORT",
              help="SMTP port (default: $DRIPMAIL_SMTP_PORT, else 465 with --ssl, 587 with "
              "--starttls, 25).")
@click.option("--smtp-user", metavar="USER",
              help="Log in as USER; the password is read from $DRIPMAIL_SMTP_PASSWORD.")
@click.option("--starttls", is_flag=True, help="Upgrade the connection with STARTTLS.")
@click.option("--ssl", "use_ssl", is_flag=True, help="Connect over TLS from the start.")
@click.option("--allow-plaintext-login", is_flag=True,
              help="Allow --smtp-user without --starttls/--ssl to a host other than this "
              "machine (the password travels unencrypted).")
def send(sequence: str | None, to: str, position: int | None, smtp_host: str | None,
         smtp_port: int | None, smtp_user: str | None, starttls: bool, use_ssl: bool,
         allow_plaintext_login: bool) -> None:
    """Send a sequence's emails to one address over SMTP, as a test.

    SEQUENCE is a sequence slug or an article path (default: every sequence of the project).
    If sending stops part-way, the error says which emails already went out.

    \b
    Example:
      DRIPMAIL_SMTP_PASSWORD=... dripmail send --to me@example.com --email 1 \\
        --smtp-host smtp.example.com --smtp-user me --starttls
    """
    from dripmail.delivery.upload import send as run_send

    if starttls and use_ssl:
        raise click.UsageError("choose one of --starttls and --ssl")
    security = "starttls" if starttls else "ssl" if use_ssl else ""
    report = run_send(Path("."), sequence, to=to, position=position, host=smtp_host,
                      port=smtp_port, user=smtp_user, security=security,
                      plaintext_login=allow_plaintext_login)
    _warn(report.warnings)
    for line in report.lines:
        click.echo(line)
    click.echo(f"Sent {len(report.lines)} email(s) to {to}.")


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback exposes the preview to your network.")
@click.option("--open/--no-open", "open_browser", default=True, show_default=True,
              help="Open the preview in your web browser.")
def preview(sources: tuple[Path, ...], port: int, host: str, open_browser: bool) -> None:
    """Preview the sequences in your browser, rebuilding as you edit.

    Builds into a temporary folder (never build/), serves it on HOST:PORT and rebuilds when an
    article, dripmail.toml or a template changes; open pages reload by themselves. A build error,
    or a build stopped after 60 s, is shown in the page until it is fixed. Ctrl-C or SIGTERM
    stops and deletes the temporary folder.

    \b
    Example:
      dripmail preview
      dripmail preview sequences/welcome.md --port 8001 --no-open
    """
    from dripmail.preview import server
    from dripmail.preview.pages import is_loopback

    if not is_loopback(host):
        click.echo(
            f"Warning: listening on {host}: anyone who can reach this machine can see the "
            "preview. Use --host 127.0.0.1 to keep it private.",
            err=True,
        )
    server.serve(Path.cwd(), sources, host=host, port=port, open_browser=open_browser,
                log=click.echo)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format; json has a stable, versioned schema.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only errors.")
@click.option("--list-rules", is_flag=True, help="List the rule ids and their default levels.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], fmt: str, strict: bool,
          list_rules: bool) -> None:
    """Check built emails for clipping, accessibility, compliance, readability and client support.

    PATHS are build folders (default: the project's build/), built .html emails, or article
    sources, which are rendered in memory first. Exit status 1 when there are errors (or,
    with --strict, warnings). Switch a rule off or re-level it in dripmail.toml:
    [check] subject-length = "off" (--list-rules lists the rules).

    \b
    Example:
      dripmail build && dripmail check
      dripmail check sequences/welcome.md --format json --strict
    """
    from dripmail.checks.report import format_json, format_rules, format_text
    from dripmail.pipeline.check import check_paths, failed

    if list_rules:
        click.echo(format_rules())
        return
    run = check_paths(Path.cwd(), paths)
    _warn(run.warnings)
    if fmt == "json":
        click.echo(format_json(run.findings, run.docs))
    else:
        click.echo(format_text(run.findings, run.docs))
    if failed(run.findings, strict=strict):
        ctx.exit(1)
