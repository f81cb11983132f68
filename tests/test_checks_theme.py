"""Golden checks: the built-in theme passes every rule, and the bundled example has no errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from dripmail.checks import check_sequences
from dripmail.init import init_project
from dripmail.pipeline.project import render_project
from dripmail.providers.dialect import DIALECTS

ROOT = Path(__file__).resolve().parents[1]
# Content rules: they judge the article's writing (and subjects taken from its headings, which
# may be long), not the theme. The seed is a clinician's essay at about grade 8-9.
CONTENT_RULES = {"reading-ease", "grade-level", "sentence-length", "subject-length"}

SECTION = (
    "This is a short step you can take on your own. You do not need a plan yet. "
    "Start with one small thing each day. Write down how you feel in the morning. "
    "Then write down how you feel at night. Look for what changes. "
    "Most people find that the hard days have something in common. "
    "It may be a talk that went badly, or a day with too little sleep. "
    "When you see the pattern, you can make a choice about it. "
    "You can rest more, or you can plan the talk for a calm time. "
    "Small changes like these add up over a few weeks. "
    "Your partner may notice them before you do. "
    "Be kind to yourself while you try. It is fine to miss a day. "
    "Just pick it up again the next morning and keep going. "
    "If it helps, share what you learn with a friend you trust. "
    "Saying it out loud can make it feel more real and more doable."
)
ARTICLE = f"""---
title: Small steps you can take on your own
---
# Small steps you can take on your own

{SECTION}

## Notice what you feel

{SECTION}

- Write one line a day
- Note the time
- Keep it short

## Choose one small change

{SECTION}

> "I felt better once I stopped waiting for the right moment."

| Day | What to write |
|-----|---------------|
| Monday | One feeling |
| Friday | One small win |

```
I feel ___ when ___.
```

## Share what you learn

{SECTION}

![A calm room with two chairs by a window](https://example.com/room.jpg)
"""


@pytest.fixture(scope="module")
def easy_project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("easy")
    init_project(folder)
    (folder / "sequences" / "when-your-partner-isnt-ready.txt").unlink()
    (folder / "sequences" / "small-steps.md").write_text(ARTICLE, encoding="utf-8")
    return folder


@pytest.mark.parametrize("provider", sorted(DIALECTS))
def test_theme_passes_every_rule_with_clear_writing(easy_project, provider):
    rendered = render_project(easy_project, overrides={"provider": provider})
    docs, findings = check_sequences(rendered.sequences)
    assert len(docs) >= 3
    assert [f"{f.rule}: {f.message}" for f in findings] == []


def test_bundled_example_has_no_errors_and_only_content_warnings():
    rendered = render_project(ROOT)
    docs, findings = check_sequences(rendered.sequences)
    assert len(docs) >= 3
    assert [f.message for f in findings if f.severity == "error"] == []
    theme_warnings = [f"{f.rule}: {f.message}" for f in findings if f.rule not in CONTENT_RULES]
    assert theme_warnings == []


@pytest.mark.parametrize("count", [1, 2])
def test_newsletter_theme_passes_every_rule(easy_project, tmp_path, count):
    from dripmail.newsletter.issue import build_newsletter

    second = tmp_path / "calm-talks.md"  # outside sequences/: the fixture is shared
    second.write_text(ARTICLE.replace("Small steps you can take on your own",
                                      "Calm talks at home"), encoding="utf-8")
    articles = [easy_project / "sequences" / "small-steps.md", second][:count]
    result = build_newsletter(easy_project, articles, {}, tmp_path / "out")
    docs, findings = check_sequences(result.sequences)
    assert len(docs) == 1 and docs[0].kind == "newsletter"
    assert [f"{f.rule}: {f.message}" for f in findings] == []
