"""Split an article's blocks into emails: only between blocks, preferring section headings.

A dynamic programme picks the cut points that minimise a cost: how far each email is from the
target length, a penalty for cutting anywhere but before a section heading, and a penalty for
emails under the minimum or over the maximum length. `<!-- email -->` markers force a cut.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from dripmail.models import Block


@dataclass(frozen=True, slots=True)
class Weights:
    """Cost weights of the splitter (documented defaults; tests cover varied texts)."""

    off_target: float = 1.0  # × ((words - target) / target) ** 2
    not_at_section: float = 0.8  # cut before a non-heading block
    at_subsection: float = 0.3  # cut before a lower-level heading
    under_min: float = 3.0  # × (min - words) / target
    over_max: float = 6.0  # × (words - max) / target
    extra_section: float = 0.25 # each section heading beyond the first in one email


# The most blocks one email may hold: more than any article's email has (an email of 350 words
# in one-word paragraphs has 350), and it bounds the splitter's work per block.
MAX_BLOCKS = 500


class CannotSplit(ValueError):
    """The blocks cannot make the requested number of emails."""


def split(blocks: Sequence[Block], *, target: int, min_words: int, max_words: int,
          count: int | None = None, weights: Weights = Weights()) -> list[tuple[Block, ...]]:
    """Group consecutive blocks into emails; every block lands in exactly one group, in order."""
    content = [b for b in blocks if b.kind != "break"]
    forced = _forced_cuts(blocks)
    n = len(content)
    if n == 0:
        return []
    top = min((b.level for b in content if b.kind == "heading"), default=2)
    prefix, sections_before = [0], [0]  # words / top-level headings before each block
    for b in content:
        prefix.append(prefix[-1] + b.words)
        sections_before.append(sections_before[-1] + (b.kind == "heading" and b.level <= top))

    def can_cut(j: int) -> bool:
        return 0 < j < n and content[j - 1].kind != "heading"

    def cut_cost(j: int) -> float:
        if j == n or j in forced:
            return 0.0
        nxt = content[j]
        if nxt.kind == "heading":
            return 0.0 if nxt.level <= top else weights.at_subsection
        return weights.not_at_section

    def group_cost(i: int, j: int) -> float:
        words = prefix[j] - prefix[i]
        if hard_max and words > max_words and cut_inside(i, j):
            return float("inf")  # over the maximum although it could be cut: never chosen
        cost = weights.off_target * ((words - target) / target) ** 2
        if words < min_words:
            cost += weights.under_min * (min_words - words) / target
        if words > max_words:
            cost += weights.over_max * (words - max_words) / target
        sections = sections_before[j] - sections_before[i]
        return cost + weights.extra_section * max(0, sections - 1) + cut_cost(j)

    hard_max = count is None  # `auto` keeps every email within max_words wherever it can
    starts = [0] + sorted(j for j in range(1, n) if can_cut(j) or j in forced)

    def cut_inside(i: int, j: int) -> bool:
        k = bisect_right(starts, i)
        return k < len(starts) and starts[k] < j

    def spans(j: int, limit: float) -> list[int]:
        """Valid starts i of a group ending at j (no forced cut inside, bounded length: in
        words, and in blocks for runs of blocks without words such as images and rules).
        The nearest start is always one, so every end has a finite option."""
        out = []
        first = bisect_left(starts, j) - 1
        for k in range(first, max(first - MAX_BLOCKS, -1), -1):
            i = starts[k]
            if k < first and starts[k + 1] in forced:
                break  # (starts holds every forced cut: only the one just above can be inside)
            if out and prefix[j] - prefix[i] > limit:
                break
            out.append(i)
        return out

    ends = [*starts[1:], n]
    if count is None:
        best: dict[int, tuple[float, int]] = {0: (0.0, -1)}
        for j in ends:
            # (longer groups are never chosen: one over max_words with a cut inside costs inf)
            options = [(best[i][0] + group_cost(i, j), i) for i in spans(j, max_words)
                       if i in best]
            if options:
                best[j] = min(options)
        if n not in best:  # a huge unsplittable stretch: fall back to forced cuts only
            return _groups(content, sorted(forced))
        cuts, j = [], n
        while j > 0:
            j = best[j][1]
            if j > 0:
                cuts.append(j)
        return _groups(content, sorted(cuts))
    if count > len(ends):
        raise CannotSplit(f"it has only {len(ends)} places to cut between blocks")
    if count < len(forced) + 1:
        raise CannotSplit(f"its {len(forced)} '<!-- email -->' markers already make "
                          f"{len(forced) + 1} emails")
    # Emails far longer than max_words and than twice the average are first left out (much
    # less work); only when no grouping is left (markers) are they looked at.
    for limit in (max(3 * max_words, 2 * target, 2 * prefix[n] / count), float("inf")):
        cuts = _split_exact(n, count, ends, lambda j, limit=limit: spans(j, limit), group_cost)
        if cuts is not None:
            return _groups(content, cuts)
    raise CannotSplit(f"an email may hold at most {MAX_BLOCKS} blocks (ask for more emails)")


def _split_exact(n: int, count: int, ends: list[int], spans, group_cost) -> list[int] | None:
    """Cut points for exactly `count` groups (None: no grouping within `spans`)."""
    inf = float("inf")
    dp: list[dict[int, tuple[float, int]]] = [{0: (0.0, -1)}] + [{} for _ in range(count)]
    for j in ends:  # (each group's cost once, for every k: rows k - 1 before j are complete)
        costs = [(i, group_cost(i, j)) for i in spans(j)]
        for k in range(1, count + 1):
            before = dp[k - 1]
            options = [(before[i][0] + cost, i) for i, cost in costs if i in before]
            if options:
                dp[k][j] = min(options)
    if dp[count].get(n, (inf, 0))[0] == inf:
        return None
    cuts, j = [], n
    for k in range(count, 0, -1):
        j = dp[k][j][1]
        if j > 0:
            cuts.append(j)
    return sorted(cuts)


def _forced_cuts(blocks: Sequence[Block]) -> set[int]:
    """Indices (in the break-free block list) where `<!-- email -->` markers force a cut."""
    cuts, seen = set(), 0
    for b in blocks:
        if b.kind == "break":
            if seen:
                cuts.add(seen)
        else:
            seen += 1
    return {c for c in cuts if c < seen}


def _groups(content: list[Block], cuts: list[int]) -> list[tuple[Block, ...]]:
    edges = [0, *cuts, len(content)]
    return [tuple(content[a:b]) for a, b in zip(edges, edges[1:], strict=False) if b > a]
