"""DRIPMAIL_REFERENCE=1 puts every speed path back on its library: a build and `dripmail check`
give the same bytes and findings both ways; and no speed path leaves a library patched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dripmail import reference
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import write_corpus  # noqa: E402

PROVIDERS = ("generic", "mailchimp", "kit", "mailerlite", "brevo", "ses", "postmark",
             "sendgrid", "mailgun")
CACHE = ".dripmail-cache.json"  # (it records file times)


def _dripmail(project: Path, *args: str, ref: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1767225600"}
    env.pop(reference.VARIABLE, None)
    if ref:
        env[reference.VARIABLE] = "1"
    return subprocess.run([sys.executable, "-m", "dripmail", *args], cwd=project, env=env,
                          capture_output=True, text=True)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != CACHE}


def _corpus(folder: Path) -> Path:
    """A few dozen generated articles, one provider each, some with smart quotes and curly
    subjects (non-ASCII headers), and a sender name the .eml header paths must quote."""
    paths = write_corpus(folder, articles=27, seed=11)
    for n, path in enumerate(paths):
        meta = f"provider: {PROVIDERS[n % len(PROVIDERS)]}\n"
        if n % 3 == 0:
            meta += "smart_quotes: true\n"
        body = path.read_text(encoding="utf-8")
        if n % 4 == 0:
            body = body.replace("\n", " \u2019Quoted\u2019\n", 1)
        path.write_text(f"---\n{meta}---\n{body}", encoding="utf-8")
    toml = folder / "dripmail.toml"
    toml.write_text('sender_name = "Dr. Maya Ellis, PhD"\nsender_email = "maya@example.com"\n'
                    + toml.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("kind", ["example", "corpus"])
def test_builds_and_checks_are_the_same_with_the_reference_path(tmp_path: Path, kind: str):
    project = tmp_path / "project"
    if kind == "example":
        shutil.copytree(ROOT / "sequences", project / "sequences")
        shutil.copy(ROOT / "dripmail.toml", project / "dripmail.toml")
    else:
        _corpus(project)
    outputs = {}
    for ref in (False, True):
        out = tmp_path / ("reference" if ref else "fast")
        built = _dripmail(project, "build", "--out", str(out), "--jobs", "2", ref=ref)
        assert built.returncode == 0, built.stderr
        checked = _dripmail(project, "check", "--format", "json", str(out), ref=ref)
        assert checked.returncode in (0, 1), checked.stderr
        findings = json.loads(checked.stdout.replace(str(out), "OUT"))
        outputs[ref] = (_files(out), built.stdout.replace(str(out), "OUT"), findings)
    fast, slow = outputs[False], outputs[True]
    assert len(fast[0]) > (15 if kind == "example" else 300)
    assert sorted(fast[0]) == sorted(slow[0])
    for name in fast[0]:
        assert fast[0][name] == slow[0][name], name
    assert fast[1] == slow[1]  # the build's own check summary
    assert fast[2] == slow[2]
    if kind == "corpus":
        assert any(f["rule"] for f in fast[2]["findings"])  # (the comparison is not empty)


def test_the_switch_is_read_on_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, expected in (("", False), ("0", False), ("1", True), ("yes", True)):
        monkeypatch.setenv(reference.VARIABLE, value)
        assert reference.reference() is expected
    monkeypatch.delenv(reference.VARIABLE)
    assert reference.reference() is False


NO_STAND_INS = """
import inspect, pathlib, sys, types, urllib
from dripmail.pipeline.build import build
build(pathlib.Path('.'), out_dir=pathlib.Path(sys.argv[1]), check=True)
from dripmail.lazy import Pending
import premailer.premailer as p, premailer.merge_style as m
bad = [name for name, mod in list(sys.modules.items()) if isinstance(mod, types.ModuleType)
       and (type(mod) not in (types.ModuleType, Pending)
            or type(mod) is Pending and mod.__spec__.name != name)]
print('odd modules:', bad)
request = vars(urllib).get('request')
print('urllib.request:', request is None or request is sys.modules.get('urllib.request'))
print('premailer bindings:', p.cssutils is sys.modules['cssutils'],
      p.requests is sys.modules['requests'], m.cssutils is sys.modules['cssutils'])
print('premailer functions:', all(
      f.__module__.startswith('premailer') and not hasattr(f, 'dripmail_memo')
      for f in (p._create_cssselector, p.csstext_to_pairs, m.csstext_to_pairs)),
      p.csstext_to_pairs is m.csstext_to_pairs)
import urllib.request, cssutils, requests
cssutils.parseString, requests.get  # (run on first use)
print('real:', type(urllib.request) is types.ModuleType, callable(urllib.request.urlopen),
      type(cssutils) is types.ModuleType, type(requests) is types.ModuleType,
      p.cssutils is cssutils)
"""


def test_no_stand_in_or_patched_attribute_survives_a_build(tmp_path: Path) -> None:
    """After importing dripmail and building the example: every module in sys.modules is an
    ordinary module under its own name (or one not run yet, which runs on first use), the
    stdlib's urllib.request is the real module, and premailer holds its own functions."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "sequences", project / "sequences")
    shutil.copy(ROOT / "dripmail.toml", project / "dripmail.toml")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(reference.VARIABLE, None)
    done = subprocess.run([sys.executable, "-c", NO_STAND_INS, str(tmp_path / "out")],
                          cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "odd modules: []", "urllib.request: True", "premailer bindings: True True True",
        "premailer functions: True True", "real: True True True True True"]


def test_a_deferred_module_runs_once_on_first_use(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    from dripmail import lazy

    (tmp_path / "dm_lazy_ok.py").write_text("RUNS = []\nRUNS.append(1)\nvalue = 42\n")
    (tmp_path / "dm_lazy_bad.py").write_text("raise ValueError('broken')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv(reference.VARIABLE, raising=False)
    seen: list[types.ModuleType] = []
    lazy.defer("dm_lazy_ok", seen.append)
    lazy.defer("dm_lazy_ok", seen.append)  # (deferred once)
    lazy.defer("dm_lazy_missing")  # not installed: nothing happens
    try:
        import dm_lazy_ok  # the import statement does not run it

        assert type(dm_lazy_ok) is lazy.Pending and not seen
        assert dm_lazy_ok.value == 42 and dm_lazy_ok.RUNS == [1]
        assert type(dm_lazy_ok) is types.ModuleType and seen == [dm_lazy_ok]
        assert sys.modules["dm_lazy_ok"] is dm_lazy_ok and dm_lazy_ok.__spec__.loader
        assert "dm_lazy_missing" not in sys.modules
        lazy.defer("dm_lazy_bad")
        import dm_lazy_bad

        with pytest.raises(ValueError, match="broken"):
            dm_lazy_bad.anything  # noqa: B018
        assert "dm_lazy_bad" not in sys.modules  # as a failed import leaves it
    finally:
        for name in ("dm_lazy_ok", "dm_lazy_bad"):
            sys.modules.pop(name, None)
