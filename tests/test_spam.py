"""SpamAssassin (Debian's `spamassassin`, offline rules) scores every .eml dripmail writes: the
bundled example and a newsletter (one article, and a digest), for every provider. Only the
header rules that no unsent file can satisfy may fire (no To: yet, no Received: lines); every
content rule scores 0.

One spamassassin process checks all the messages (an mbox), so the test takes seconds: each
process spends about a second loading its rules.
"""

from __future__ import annotations

import mailbox
import os
import re
import shutil
import subprocess
from email import message_from_bytes
from email.policy import compat32
from pathlib import Path

import pytest

from dripmail import providers
from dripmail.newsletter.issue import build_newsletter
from dripmail.pipeline.build import build
from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.slow
SPAMASSASSIN = shutil.which("spamassassin")
# Rules about the envelope of a message that has not been sent yet: nothing in the file can
# satisfy them (the provider adds To: and Received: when it sends).
UNSENT = {"MISSING_HEADERS", "NO_RECEIVED", "NO_RELAYS", "MISSING_DATE"}
INFORMATIONAL = 0.01  # e.g. HTML_MESSAGE scores 0.001: "HTML included in message"
SECOND = """---
title: Small rituals that keep a couple talking
url: https://example.com/blog/small-rituals
---
# Small rituals that keep a couple talking

Most couples who come to see me do not lack love. They lack the small, regular moments in
which love gets said out loud. Life fills the calendar, and the conversations that matter
get pushed to the weekend, then to the holidays, then to never.

## A ten-minute check-in

Pick a time that already exists in your day: the walk after dinner, the drive to school,
the last cup of tea. Each of you answers three questions. What went well today? What was
hard? What do you need from me tomorrow? Listen without fixing. Thank your partner for
answering.

## Repair before bed

Disagreements are normal. What hurts a relationship is leaving them unrepaired. Before you
sleep, name one thing you regret about how you spoke, and one thing you appreciated about
your partner today. It takes two minutes and it changes the next morning.

## When talking feels impossible

If every conversation turns into the same argument, that is a sign, not a verdict. Many
couples find that a few sessions with a therapist give them a shared language again. You
can also start on your own: noticing your part in the pattern is the first step to
changing it.
"""


def _emls(project: Path, out: Path, provider: str) -> dict[str, bytes]:
    """Every .eml of the example, one-article newsletter and digest for `provider`."""
    article = project / "sequences" / SEED.name
    second = project / "posts" / "second.md"
    build(project, out_dir=out / "example", overrides={"provider": provider})
    build_newsletter(project, [article], {"provider": provider}, out_dir=out / "single")
    build_newsletter(project, [article, second], {"provider": provider, "title": "Notes"},
                     out_dir=out / "digest")
    return {f"{provider}/{p.relative_to(out)}": p.read_bytes() for p in sorted(out.rglob("*.eml"))}


@pytest.fixture(scope="module")
def every_eml(tmp_path_factory) -> dict[str, bytes]:
    project = tmp_path_factory.mktemp("spam")
    shutil.copy(ROOT / "dripmail.toml", project / "dripmail.toml")
    shutil.copytree(ROOT / "sequences", project / "sequences")
    (project / "posts").mkdir()
    (project / "posts" / "second.md").write_text(SECOND, encoding="utf-8")
    found: dict[str, bytes] = {}
    for provider in providers.ALL:
        found.update(_emls(project, tmp_path_factory.mktemp(provider), provider))
    return found


def spamassassin_scores(messages: dict[str, bytes], work: Path) -> dict[str, dict[str, float]]:
    """name -> {rule: score} for each message, from one offline spamassassin process."""
    if not SPAMASSASSIN:
        message = "spamassassin is not installed (apt-get install spamassassin; .ci/run does)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    box = mailbox.mbox(work / "in.mbox")
    for name, raw in messages.items():
        msg = message_from_bytes(raw, policy=compat32)
        msg["X-Dripmail-Name"] = name
        box.add(msg)
    box.flush()
    prefs = work / "user_prefs"
    prefs.write_text("")
    home = work / "home"
    home.mkdir()
    with open(work / "in.mbox", "rb") as source:
        done = subprocess.run(
            [SPAMASSASSIN, "--mbox", "-L", "-p", str(prefs), "--cf", "use_bayes 0",
             "--cf", "report_safe 0", "--cf", "add_header all Tests _TESTSSCORES(,)_"],
            stdin=source, capture_output=True, timeout=300, env={**os.environ, "HOME": str(home)})
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    (work / "out.mbox").write_bytes(done.stdout)
    scores = {}
    for msg in mailbox.mbox(work / "out.mbox"):
        tests = " ".join(str(msg["X-Spam-Tests"] or "").split())
        pairs = (item.split("=") for item in re.split(r"\s*,\s*", tests) if "=" in item)
        scores[str(msg["X-Dripmail-Name"])] = {rule: float(score) for rule, score in pairs}
    return scores


def test_every_eml_scores_zero_in_content_rules(every_eml, tmp_path):
    assert len(every_eml) == len(providers.ALL) * 7  # 5 emails, one newsletter, one digest
    scores = spamassassin_scores(every_eml, tmp_path)
    assert set(scores) == set(every_eml)
    content = {name: {rule: score for rule, score in hits.items()
                      if rule not in UNSENT and abs(score) >= INFORMATIONAL}
               for name, hits in scores.items()}
    assert {name: hits for name, hits in content.items() if hits} == {}


def test_the_scores_are_read(tmp_path):
    """The harness sees a content rule fire (the preheader hidden with transparent text, as
    dripmail wrote it before): a broken harness cannot pass the test above."""
    raw = (ROOT / "tests" / "golden" / "example" / "when-your-partner-isnt-ready" /
           "02-a-fictional-example.eml").read_bytes()
    msg = message_from_bytes(raw, policy=compat32)
    html = msg.get_payload()[1]
    body = html.get_payload(decode=True).decode().replace(
        "line-height: 1px; opacity: 0;", "line-height: 1px; color: transparent; opacity: 0;")
    html.set_payload(body, "utf-8")
    scores = spamassassin_scores({"transparent": msg.as_bytes()}, tmp_path)["transparent"]
    assert scores.get("HTML_FONT_LOW_CONTRAST", 0) > 0.5, scores
