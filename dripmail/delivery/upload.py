"""Upload and test-send: pick sequences by slug or article path, render them, hand them over."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dripmail.errors import DripmailError
from dripmail.models import EmailSequence


@dataclass(frozen=True, slots=True)
class Report:
    """What an upload or a send did, line by line, and the warnings met while rendering."""

    lines: tuple[str, ...]
    warnings: tuple[str, ...]


def pick(project_dir: Path, items: Iterable[str], overrides: Mapping[str, Any] | None = None
         ) -> tuple[tuple[EmailSequence, ...], tuple[str, ...]]:
    """Render the sequences named by slug or article path (none: every sequence)."""
    from dripmail.pipeline.project import render_project

    items = list(items)
    paths = [Path(i) for i in items if Path(i).exists()]
    slugs = [i for i in items if not Path(i).exists()]
    found: list[EmailSequence] = []
    warnings: list[str] = []
    if paths or not items:
        rendered = render_project(project_dir, paths, overrides)
        found += rendered.sequences
        warnings += rendered.warnings
    if slugs:
        rendered = render_project(project_dir, (), overrides)
        known = {s.slug: s for s in rendered.sequences}
        unknown = [s for s in slugs if s not in known]
        if unknown:
            names = ", ".join(sorted(known)) or "none"
            raise DripmailError(f"no article or sequence '{unknown[0]}' in this project "
                                f"(sequences: {names}); give a sequence slug or an article path")
        found += [known[s] for s in slugs if known[s] not in found]
        warnings += rendered.warnings
    return tuple(found), tuple(dict.fromkeys(warnings))


def upload(
    project_dir: Path,
    items: Iterable[str],
    provider: str,
    *,
    dry_run: bool = False,
    api_url: str | None = None,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
    pacing: Any = None,
    publish: bool = False,
) -> Report:
    """Render the sequences for `provider` and create or update them there. `pacing`
    (a dripmail.providers.pacing.Pacing) bounds the whole upload: its time limit starts now.
    `publish` (Kit only) makes the emails live instead of drafts."""
    from dripmail import providers
    from dripmail.providers.pacing import Pacing

    if provider not in providers.UPLOADERS:
        raise DripmailError(f"cannot upload to {provider}; upload supports "
                            f"{', '.join(providers.UPLOADERS)} (use `dripmail build --provider "
                            f"{provider}` for an import package)")
    if publish and provider != "kit":
        raise DripmailError(f"--publish works with kit only; {provider} templates are not sent "
                            "by themselves (see the README, Mailing providers, for the steps)")
    from dripmail.providers.notices import build_warnings

    sequences, warnings = pick(project_dir, items, {"provider": provider})
    warnings = tuple(dict.fromkeys([*warnings, *(w for s in sequences
                                                 for w in build_warnings(s))]))
    module = providers.get(provider)
    pacing = (pacing or Pacing()).start(sleep) if not dry_run else None
    extra = {"publish": True} if publish else {}
    lines: list[str] = []
    for seq in sequences:
        lines.append(f"{seq.slug} -> {provider}:")
        lines += ["  " + line for line in module.upload(
            seq, api_url=api_url, dry_run=dry_run, env=os.environ if env is None else env,
            pacing=pacing, **extra)]
    if dry_run:
        lines.append("Dry run: nothing was sent.")
    return Report(tuple(lines), warnings)


def send(
    project_dir: Path,
    item: str | None,
    *,
    to: str,
    position: int | None,
    host: str | None,
    port: int | None,
    user: str | None,
    security: str,
    plaintext_login: bool = False,
    env: Mapping[str, str] | None = None,
    context: Any = None,
) -> Report:
    """Render the sequence(s) and send every email (or email `position`) to `to` over SMTP.
    A failure names the emails that already went out."""
    from dripmail.delivery import smtp

    env = os.environ if env is None else env
    to = smtp.recipient(to)
    server = smtp.smtp_settings(host=host, port=port, user=user, security=security, env=env,
                                plaintext_login=plaintext_login)
    smtp.check_login(server)
    sequences, warnings = pick(project_dir, [item] if item else [])
    lines: list[str] = []
    sent: list[str] = []
    for seq in sequences:
        emails = seq.emails
        if position is not None:
            if position > len(emails):
                raise DripmailError(f"--email {position}: sequence '{seq.slug}' has only "
                                    f"{len(emails)} emails")
            emails = (emails[position - 1],)
        prefix = f"{seq.slug}/" if len(sequences) > 1 else ""
        lines += smtp.send(emails, seq.settings, to=to, smtp=server, context=context,
                           sent=sent, prefix=prefix)
    return Report(tuple(lines), warnings)
