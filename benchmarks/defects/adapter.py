"""The one place that calls dripmail's own functions: read, parse and plan an article the way
`dripmail build` does, and hand back plain data (the counters never import dripmail)."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class BlockInfo:
    kind: str  # heading | paragraph | list | quote | code | table | image | rule ...
    text: str
    words: int
    level: int = 0


@dataclass
class PlanInfo:
    headings: list[str] = field(default_factory=list)  # the title first, then each heading
    emails: list[list[BlockInfo]] = field(default_factory=list)
    max_words: int = 350


def _api():
    """(load, parse, plan) for this checkout's layout."""
    from dripmail.pipeline.project import load_articles
    from dripmail.planning.plan import plan
    from dripmail.reading.article import parse_article

    def load(project_dir, paths):
        return [(item.source, item.settings) for item in load_articles(project_dir, paths)]

    return load, parse_article, plan


def plan(project: Path, path: Path) -> PlanInfo:
    """How dripmail reads and plans one article of `project` (empty when it refuses it)."""
    load, parse, make_plan = _api()
    cwd = os.getcwd()
    try:
        os.chdir(project)
        with contextlib.redirect_stderr(io.StringIO()):
            (src, settings), = load(Path("."), [Path("sequences") / path.name])
            article = parse(src, settings)
            parts = make_plan(article)
    except Exception:  # noqa: BLE001 (a refused article: the build says why)
        return PlanInfo()
    finally:
        os.chdir(cwd)
    info = PlanInfo(max_words=settings.max_words)
    info.headings = [article.title] + [b.text.split("\n")[0].strip() for b in article.blocks
                                       if b.kind == "heading"]
    info.emails = [[BlockInfo(b.kind, b.text, b.words, b.level) for b in p.blocks]
                   for p in parts]
    return info
