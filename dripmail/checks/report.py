"""Text and JSON reports of check findings.

JSON schema (version 1; fields are only ever added, never renamed or removed):

    {
      "version": 1,
      "summary": {"errors": int, "warnings": int, "emails": int, "emails_with_findings": int,
                  "passed": bool},          # passed: no errors
      "emails": [{"file": str, "sequence": str, "position": int, "day": int, "subject": str,
                  "words": int, "reading_minutes": float, "reading_ease": float|null,
                  "grade": float|null, "html_bytes": int, "errors": int, "warnings": int,
                  "language": str, "reading_formula": str|null}],
      "findings": [{"rule": str, "severity": "error"|"warning", "file": str,
                    "position": int|null, "message": str, "fix": str}],
      "notes": [str]
    }

`reading_ease` is the score of the email's language's formula (`reading_formula`: flesch,
amstad, kandel-moles, fernandez-huerta, douma, martins, gulpease, lix), null for a language
without one; `grade` (Flesch–Kincaid) is null except for English. `notes` says which rules a
language turns off, one line per language.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from dripmail.checks.model import EmailDoc, Finding
from dripmail.checks.notes import language_notes

SCHEMA_VERSION = 1


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def format_text(findings: Sequence[Finding], docs: Sequence[EmailDoc] = ()) -> str:
    """Findings grouped by email file: severity, rule id, explanation and fix; then a summary."""
    lines: list[str] = []
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    width = max((len(f.rule) for f in findings), default=0)
    for file, group in by_file.items():
        lines.append(file)
        for f in group:
            lines.append(f"  {f.severity:<7}  {f.rule:<{width}}  {f.message}")
            lines.append(f"  {'':<7}  {'':<{width}}  fix: {f.fix}")
        lines.append("")
    notes = language_notes(docs)
    lines += [f"note: {note}" for note in notes] + ([""] if notes else [])
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    total = len(docs) if docs else len(by_file)
    if not findings:
        lines.append(f"All {_plural(total, 'email')} pass: 0 errors, 0 warnings.")
    elif not errors:
        lines.append(f"No errors: {'all ' if total > 1 else ''}{_plural(total, 'email')} "
                     f"ready to send. {_plural(warnings, 'warning')} to consider "
                     "(--strict fails on warnings).")
    else:
        lines.append(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in "
                     f"{len(by_file)} of {_plural(total, 'email')}: fix the errors before "
                     "sending.")
    return "\n".join(lines)


def _email_entry(doc: EmailDoc, findings: Sequence[Finding]) -> dict:
    from dripmail.checks.rules_reading import stats

    s = stats(doc)
    mine = [f for f in findings if f.file == doc.file]
    errors = sum(f.severity == "error" for f in mine)
    return {"file": doc.file, "sequence": doc.sequence, "position": doc.position, "day": doc.day,
            "subject": doc.subject, "words": s.words, "reading_minutes": s.minutes,
            "reading_ease": s.reading_ease, "grade": s.grade, "html_bytes": doc.html_bytes,
            "errors": errors, "warnings": len(mine) - errors, "language": doc.language,
            "reading_formula": s.formula}


def report_data(findings: Sequence[Finding], docs: Sequence[EmailDoc] = ()) -> dict:
    """The JSON report as a dict (see the module docstring for the schema)."""
    errors = sum(f.severity == "error" for f in findings)
    files = {f.file for f in findings}
    return {
        "version": SCHEMA_VERSION,
        "summary": {"errors": errors, "warnings": len(findings) - errors,
                    "emails": len(docs) if docs else len(files),
                    "emails_with_findings": len(files), "passed": errors == 0},
        "emails": [_email_entry(doc, findings) for doc in docs],
        "findings": [{"rule": f.rule, "severity": f.severity, "file": f.file,
                      "position": f.position, "message": f.message, "fix": f.fix}
                     for f in findings],
        "notes": language_notes(docs),
    }


def format_json(findings: Sequence[Finding], docs: Sequence[EmailDoc] = ()) -> str:
    """The JSON report as text."""
    return json.dumps(report_data(findings, docs), indent=2, ensure_ascii=False)


def format_rules() -> str:
    """Every rule id with its default level, area and purpose (for `--list-rules`)."""
    from dripmail.checks import RULES

    width = max(len(rid) for rid in RULES)
    lines = [f"{'rule':<{width}}  {'default':<7}  checks", f"{'-' * width}  -------  ------"]
    lines += [f"{rid:<{width}}  {info.severity:<7}  {info.description}"
              for rid, info in RULES.items()]
    lines.append('\nRe-level or switch off in dripmail.toml, e.g. [check] subject-length = "off"')
    return "\n".join(lines)
