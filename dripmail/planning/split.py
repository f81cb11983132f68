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
    if not content:
        return []
    costs = _Costs.of(content, _forced_cuts(blocks), target, min_words, max_words,
                      hard_max=count is None, weights=weights)
    if count is None:
        return _groups(content, _split_auto(costs))
    return _groups(content, _split_exact(costs, count))


@dataclass(frozen=True, slots=True)
class _Costs:
    """What the cut points of one article cost, and where they may be."""

    content: list[Block]
    forced: set[int]
    prefix: list[int]  # words before each block
    sections_before: list[int]  # top-level headings before each block
    top: int  # the top heading level
    starts: list[int]  # where a group may start: 0, then every possible cut
    target: int
    min_words: int
    max_words: int
    hard_max: bool  # `auto` keeps every email within max_words wherever it can
    limit: int  # the most words a group may hold (longer groups are never chosen)
    weights: Weights

    @classmethod
    def of(cls, content: list[Block], forced: set[int], target: int, min_words: int,
           max_words: int, *, hard_max: bool, weights: Weights) -> _Costs:
        n = len(content)
        top = min((b.level for b in content if b.kind == "heading"), default=2)
        prefix, sections_before = [0], [0]
        for b in content:
            prefix.append(prefix[-1] + b.words)
            sections_before.append(sections_before[-1] + (b.kind == "heading" and b.level <= top))
        # In `auto` a group over max_words with a cut inside costs inf, and every end has a
        # finite option (the group from the nearest start).
        limit = max_words if hard_max else max(3 * max_words, 2 * target)
        can_cut = [0 < j < n and content[j - 1].kind != "heading" for j in range(n)]
        starts = [0] + sorted(j for j in range(1, n) if can_cut[j] or j in forced)
        return cls(content, forced, prefix, sections_before, top, starts, target, min_words,
                   max_words, hard_max, limit, weights)

    @property
    def ends(self) -> list[int]:
        """Where a group may end."""
        return [*self.starts[1:], len(self.content)]

    def cut_cost(self, j: int) -> float:
        """The cost of cutting before block j."""
        if j == len(self.content) or j in self.forced:
            return 0.0
        nxt = self.content[j]
        if nxt.kind == "heading":
            return 0.0 if nxt.level <= self.top else self.weights.at_subsection
        return self.weights.not_at_section

    def group_cost(self, i: int, j: int) -> float:
        """The cost of one email holding blocks i to j (excluded)."""
        w, words = self.weights, self.prefix[j] - self.prefix[i]
        if self.hard_max and words > self.max_words and self.cut_inside(i, j):
            return float("inf")  # over the maximum although it could be cut: never chosen
        cost = w.off_target * ((words - self.target) / self.target) ** 2
        if words < self.min_words:
            cost += w.under_min * (self.min_words - words) / self.target
        if words > self.max_words:
            cost += w.over_max * (words - self.max_words) / self.target
        sections = self.sections_before[j] - self.sections_before[i]
        return cost + w.extra_section * max(0, sections - 1) + self.cut_cost(j)

    def cut_inside(self, i: int, j: int) -> bool:
        k = bisect_right(self.starts, i)
        return k < len(self.starts) and self.starts[k] < j

    def spans(self, j: int) -> list[int]:
        """Valid starts i of a group ending at j (no forced cut inside, bounded length: in
        words, and in blocks for runs of blocks without words such as images and rules)."""
        out, starts = [], self.starts
        first = bisect_left(starts, j) - 1
        for k in range(first, max(first - MAX_BLOCKS, -1), -1):
            i = starts[k]
            if k < first and starts[k + 1] in self.forced:
                break  # (starts holds every forced cut: only the one just above can be inside)
            if out and self.prefix[j] - self.prefix[i] > self.limit:
                break
            out.append(i)
        return out


def _split_auto(costs: _Costs) -> list[int]:
    """The cheapest cut points, for as many emails as that takes."""
    n = len(costs.content)
    best: dict[int, tuple[float, int]] = {0: (0.0, -1)}
    for j in costs.ends:
        options = [(best[i][0] + costs.group_cost(i, j), i) for i in costs.spans(j) if i in best]
        if options:
            best[j] = min(options)
    if n not in best:  # a huge unsplittable stretch: fall back to forced cuts only
        return sorted(costs.forced)
    cuts, j = [], n
    while j > 0:
        j = best[j][1]
        if j > 0:
            cuts.append(j)
    return sorted(cuts)


def _split_exact(costs: _Costs, count: int) -> list[int]:
    """Cut points for exactly `count` groups."""
    n, ends, forced = len(costs.content), costs.ends, costs.forced
    if count > len(ends):
        raise CannotSplit(f"it has only {len(ends)} places to cut between blocks")
    if count < len(forced) + 1:
        raise CannotSplit(f"its {len(forced)} '<!-- email -->' markers already make "
                          f"{len(forced) + 1} emails")
    inf = float("inf")
    dp: list[dict[int, tuple[float, int]]] = [{0: (0.0, -1)}] + [{} for _ in range(count)]
    for j in ends:  # (each group's cost once, for every k: rows k - 1 before j are complete)
        group = [(i, costs.group_cost(i, j)) for i in costs.spans(j)]
        for k in range(1, count + 1):
            before = dp[k - 1]
            options = [(before[i][0] + cost, i) for i, cost in group if i in before]
            if options:
                dp[k][j] = min(options)
    if dp[count].get(n, (inf, 0))[0] == inf:
        raise CannotSplit("its blocks cannot be grouped that way")
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
