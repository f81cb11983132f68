"""Deterministic corpora for the benchmarks: varied Markdown and plain-text articles from a seed."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "relationship partner therapy change conflict trust listen notice pattern feeling moment "
    "gentle anxiety distance repair habit morning evening quiet patience honest question "
    "answer small steady practice attention boundary family history voice space support "
    "curious grounded clear kind brave tired hopeful careful story week season garden kitchen "
    "letter walk coffee window river bridge light shadow signal rhythm balance weight choice"
).split()
TITLES = ("Why", "How", "When", "What Happens When", "The Quiet Work of", "Notes on",
          "A Short Guide to", "Learning")


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _sentence(rng: random.Random) -> str:
    text = _words(rng, rng.randint(6, 18))
    if rng.random() < 0.15:
        text += f" (see https://example.com/{rng.choice(WORDS)}/{rng.randint(1, 999)})"
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def _paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 6)) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(*sentences)))


def _title(rng: random.Random) -> str:
    return f"{rng.choice(TITLES)} {_words(rng, rng.randint(2, 5)).title()}"


def markdown_article(rng: random.Random, sections: int) -> str:
    """A Markdown article: title, intro, then sections with lists, quotes, emphasis, links."""
    out = [f"# {_title(rng)}", _paragraph(rng), _paragraph(rng)]
    for _ in range(sections):
        out.append(f"## {_title(rng)}")
        for _ in range(rng.randint(2, 4)):
            roll = rng.random()
            if roll < 0.15:
                out.append("\n".join(f"- {_words(rng, rng.randint(3, 9))}"
                                     for _ in range(rng.randint(3, 6))))
            elif roll < 0.25:
                out.append("\n".join(f"{i}. **{_words(rng, 2).title()}** {_sentence(rng)}"
                                     for i in range(1, rng.randint(3, 6))))
            elif roll < 0.32:
                out.append(f"> {_paragraph(rng, (1, 3))}")
            elif roll < 0.38:
                out.append(f"### {_title(rng)}")
            else:
                p = _paragraph(rng)
                if rng.random() < 0.3:
                    w = rng.choice(WORDS)
                    p += f" Read *more* about [{w}](https://example.com/{w})."
                out.append(p)
    return "\n\n".join(out) + "\n"


def text_article(rng: random.Random, sections: int) -> str:
    """A plain-text article: title line, heading lines, paragraphs, list lines after a colon."""
    out = [_title(rng), _paragraph(rng)]
    for _ in range(sections):
        out.append(_title(rng))
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.2:
                out.append(_sentence(rng)[:-1] + ":")
                out += [_words(rng, rng.randint(3, 7)) for _ in range(rng.randint(3, 6))]
            else:
                out.append(_paragraph(rng))
    return "\n".join(out) + "\n"


def write_corpus(folder: Path, articles: int = 120, seed: int = 1234) -> list[Path]:
    """Write `articles` articles (3 of 4 Markdown, 1 of 4 plain text) into folder/sequences."""
    rng = random.Random(seed)
    seq = folder / "sequences"
    seq.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(articles):
        sections = rng.randint(5, 8)
        if n % 4 == 3:
            path, body = seq / f"article-{n:03d}.txt", text_article(rng, sections)
        else:
            path, body = seq / f"article-{n:03d}.md", markdown_article(rng, sections)
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    (folder / "dripmail.toml").write_text(
        'brand = "Benchmark Practice"\npostal_address = "1 Example Street, Springfield"\n'
        '[cta]\ntext = "Book a call"\nurl = "https://example.com/book"\n', encoding="utf-8")
    return paths
