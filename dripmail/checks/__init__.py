"""The quality gate behind `dripmail check`: rules over built emails, with levels and reports.

Entry points: :func:`load_build` (a build folder), :func:`docs_from_sequences` (an in-memory
build), :func:`run_checks` and the formatters in :mod:`dripmail.checks.report`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dripmail.checks import (  # noqa: F401  (importing registers the rules)
    caniemail,
    rules_links,
    rules_reading,
    rules_script,
    rules_sequence,
    rules_size,
    rules_structure,
    rules_subject,
    rules_text,
    rules_type,
)
from dripmail.checks.loading import docs_from_sequences, load_build
from dripmail.checks.model import LEVELS, EmailDoc, Finding
from dripmail.checks.paint import Paint
from dripmail.checks.registry import REGISTRY
from dripmail.reference import reference

__all__ = ["RULES", "EmailDoc", "Finding", "RuleInfo", "check_sequences", "counts",
           "docs_from_sequences", "level_problems", "load_build", "run_checks", "summary_line",
           "validate_levels"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What config and docs need to know about a rule."""

    severity: str
    area: str
    description: str


AREAS = ("size", "subject", "structure", "links", "compliance", "plain text", "reading",
         "sequence", "type and colour", "client support")
_ORDER = sorted(REGISTRY, key=lambda rid: AREAS.index(REGISTRY[rid].area))
RULES: dict[str, RuleInfo] = {
    rid: RuleInfo(REGISTRY[rid].severity, REGISTRY[rid].area, REGISTRY[rid].description)
    for rid in _ORDER
}


def closest_rule(name: str) -> str | None:
    """The rule id closest to a misspelt one."""
    found = difflib.get_close_matches(name, list(RULES), n=1, cutoff=0.5)
    return found[0] if found else None


def level_problems(levels: Mapping[str, object]) -> list[tuple[str, str]]:
    """(key, message) for each bad entry of a `[check]` table: unknown rule ids (naming the
    closest) and levels other than off/warning/error."""
    problems = []
    for key, value in levels.items():
        if key not in RULES:
            near = closest_rule(key)
            hint = (f"; did you mean '{near}'?" if near
                    else "; `dripmail check --list-rules` lists them")
            problems.append((key, f"unknown check rule '{key}' in [check]{hint}"))
        elif value not in LEVELS:
            problems.append((key, f"[check] '{key}' must be \"off\", \"warning\" or \"error\", "
                                  f"not {value!r}"))
    return problems


def validate_levels(levels: Mapping[str, object]) -> list[str]:
    """The messages of :func:`level_problems`."""
    return [message for _key, message in level_problems(levels)]


def _apply(finding: Finding, levels: Mapping[str, str]) -> Finding | None:
    level = levels.get(finding.rule)
    if level is None:
        return finding
    if level == "off":
        return None
    return Finding(finding.rule, level, finding.file, finding.message, finding.fix,
                   finding.position)


def _raw(docs: Sequence[EmailDoc], active: set[str], paint: Paint) -> Iterable[Finding]:
    rules = [REGISTRY[rid] for rid in _ORDER if rid in active]
    for doc in docs:
        for rule in rules:
            if rule.per == "email":
                found = rule.check(doc, paint) if rule.shared else rule.check(doc)
                for severity, message, fix in found:
                    yield Finding(rule.id, severity, doc.file, message, fix, doc.position)
    by_sequence: dict[str, list[EmailDoc]] = {}
    for doc in docs:
        by_sequence.setdefault(doc.sequence, []).append(doc)
    for group in by_sequence.values():
        for rule in rules:
            if rule.per == "sequence":
                for doc, severity, message, fix in rule.check(group):
                    yield Finding(rule.id, severity, doc.file, message, fix, doc.position)


def run_checks(docs: Sequence[EmailDoc], levels: Mapping[str, str] | None = None,
               paint: Paint | None = None) -> list[Finding]:
    """Every finding for these emails, re-levelled by `levels` (rule id -> off|warning|error).

    A level sets the severity of all of a rule's findings; "off" skips the rule.
    Findings come ordered by file (in document order), errors first, then rule order.
    `paint` holds what the type and colour rules work out (shared by the emails of one run).
    """
    levels = dict(levels or {})
    active = {rid for rid in REGISTRY if levels.get(rid) != "off"}
    paint = paint if paint is not None else new_paint()
    findings = [f for f in (_apply(f, levels) for f in _raw(docs, active, paint))
                if f is not None]
    file_order = {doc.file: n for n, doc in enumerate(docs)}
    rule_order = {rid: n for n, rid in enumerate(RULES)}
    findings.sort(key=lambda f: (file_order.get(f.file, len(file_order)),
                                 f.severity != "error", rule_order[f.rule]))
    return findings


def counts(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    findings = list(findings)
    errors = sum(f.severity == "error" for f in findings)
    return errors, len(findings) - errors


def summary_line(findings: Iterable[Finding]) -> str:
    """One line for `dripmail build`: `check: 0 errors, 2 warnings`."""
    errors, warnings = counts(findings)
    line = f"check: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return line + (" (run `dripmail check` for details)" if errors or warnings else "")


def check_sequences(sequences: Iterable, root: str | Path = "build", paint: Paint | None = None
                    ) -> tuple[list[EmailDoc], list[Finding]]:
    """Check in-memory sequences, each with the `[check]` levels of its own settings (one check
    run: what the type and colour rules work out is shared by all of them, and by later runs
    given the same `paint`)."""
    docs: list[EmailDoc] = []
    findings: list[Finding] = []
    paint = paint if paint is not None else new_paint()
    for seq in sequences:
        mine = docs_from_sequences([seq], root)
        docs += mine
        findings += run_checks(mine, getattr(seq.settings, "check", None) or {}, paint)
    return docs, findings


def new_paint() -> Paint:
    """The type and colour tables of one check run (nothing shared between elements with
    DRIPMAIL_REFERENCE=1)."""
    return Paint(shared=not reference())
