"""The built corpus as plain data: per article its emails (files, subject, preheader, planned
blocks, findings), its recognised headings and, for plain text, the labelled ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defects import adapter


@dataclass
class Email:
    position: int
    subject: str
    preheader: str
    title: str
    words: int
    html: str
    text: str
    file: str
    blocks: list[adapter.BlockInfo] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)


@dataclass
class Article:
    name: str
    fmt: str
    source: Path
    refused: str | None = None
    title: str = ""
    emails: list[Email] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)  # recognised (plain text), in order
    labels: list[str] | None = None  # labelled headings (plain text), in order
    label_title: str | None = None
    max_words: int = 350


Counter = tuple[str, str, Callable[[Article], list[str]]]  # (id, group, function)


def manifests(out: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(out.glob("*/manifest.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["folder"] = path.parent
        found.append(doc)
    return found


def _labels(labels_dir: Path, name: str) -> tuple[list[str] | None, str | None]:
    path = labels_dir / (Path(name).stem + ".headings")
    if not path.is_file():
        return None, None
    lines = path.read_text(encoding="utf-8").splitlines()
    title = lines[0].removeprefix("title:").strip() if lines and lines[0].startswith("title:") \
        else None
    return [ln.strip() for ln in lines[1:] if ln.strip()], title


def load(project: Path, out: Path, findings: list[dict], refused: dict[str, str],
         labels_dir: Path) -> list[Article]:
    """Every article of the project, built or refused."""
    by_file: dict[str, list[dict]] = {}
    for f in findings:
        by_file.setdefault(str(Path(f["file"]).resolve()), []).append(f)
    built = {Path(m["sequence"]["source"]).name: m for m in manifests(out)}
    articles = []
    for path in sorted((project / "sequences").iterdir()):
        art = Article(name=path.name, fmt=path.suffix.lstrip("."), source=path)
        art.labels, art.label_title = _labels(labels_dir, path.name)
        if path.name in refused or path.name not in built:
            art.refused = refused.get(path.name, "not built")
            articles.append(art)
            continue
        doc = built[path.name]
        art.title = doc["sequence"]["title"]
        plan = adapter.plan(project, path)
        art.headings, art.max_words = plan.headings, plan.max_words
        for n, entry in enumerate(doc["emails"]):
            html_path = doc["folder"] / entry["html"]
            email = Email(position=entry["position"], subject=entry["subject"],
                          preheader=entry["preheader"], title=entry.get("title", ""),
                          words=entry.get("words", 0),
                          html=html_path.read_text(encoding="utf-8"),
                          text=(doc["folder"] / entry["text"]).read_text(encoding="utf-8"),
                          file=str(html_path))
            email.blocks = plan.emails[n] if n < len(plan.emails) else []
            email.findings = by_file.get(str(html_path.resolve()), [])
            art.emails.append(email)
        articles.append(art)
    return articles


def count(articles: list[Article], counters: list[Counter]) -> dict[str, Any]:
    """{"articles": {name: {counter: [defects]}}, "totals": {counter: n}, ...}."""
    per: dict[str, dict[str, list[str]]] = {}
    totals = {cid: 0 for cid, _g, _f in counters}
    for art in articles:
        row = per.setdefault(art.name, {})
        for cid, _group, fn in counters:
            found = fn(art)
            row[cid] = found
            totals[cid] += len(found)
    emails = sum(len(a.emails) for a in articles)
    extra = {}
    for cid, _g, fn in counters:
        summary = getattr(fn, "summary", None)
        if summary:
            extra[cid] = summary(articles)
    return {"articles": per, "totals": totals, "emails": emails,
            "built": sum(a.refused is None for a in articles), "total": len(articles),
            "groups": {cid: g for cid, g, _f in counters}, "summaries": extra}


def print_report(report: dict[str, Any], *, verbose: bool = False) -> None:
    ids = list(report["totals"])
    short = {cid: cid[:14] for cid in ids}
    print(f"{'article':44} " + " ".join(f"{short[c]:>14}" for c in ids))
    for name, row in report["articles"].items():
        print(f"{name[:44]:44} " + " ".join(f"{len(row[c]):>14}" for c in ids))
        if verbose:
            for c in ids:
                for d in row[c]:
                    print(f"    {c}: {d}")
    print(f"{'TOTAL':44} " + " ".join(f"{report['totals'][c]:>14}" for c in ids))
    print(f"\n{report['built']} of {report['total']} articles built, {report['emails']} emails")
    for cid, total in report["totals"].items():
        note = report["summaries"].get(cid, "")
        print(f"  {cid:28} {total:5}  ({report['groups'][cid]}) {note}")
