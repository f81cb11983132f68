"""Split an article's blocks into emails along its outline.

A dynamic programme picks the cut points that minimise a cost: how far each email is from the
target length, and what each cut breaks (nothing before a top-level section heading, a little
before a subsection, more between paragraphs, most between the items of a list or the rows of
a table). Some cuts are never made: after a heading, after a paragraph ending in ":" (it
introduces the block that follows), and at the end of an email where a section started less
than LEAD_MIN words before and goes on in the next email. A list, table or quote over
max_words is cut between its items (:mod:`dripmail.planning.pieces`). `<!-- email -->`
markers force a cut.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from copy import copy as shallow_copy
from dataclasses import dataclass

from dripmail.models import Block
from dripmail.planning.pieces import Piece, join, pieces

LEAD_MIN = 40  # words of a section's lead-in an email may end on when the section goes on


@dataclass(frozen=True, slots=True)
class Weights:
    """Cost weights of the splitter (documented defaults; tests cover varied texts)."""

    off_target: float = 1.0  # × ((words - target) / target) ** 2
    not_at_section: float = 0.8  # cut before a non-heading block
    at_subsection: float = 0.3  # cut before a lower-level heading
    inside_block: float = 1.2  # cut between the items of a long list, table or quote
    under_min: float = 3.0  # × (min - words) / target
    over_max: float = 6.0  # × (words - max) / target
    extra_section: float = 0.25  # each top-level section heading beyond the first in one email
    buried_section: float = 1.0  # each heading above the level of the email's first heading


# The most blocks one email may hold: more than any article's email has (an email of 350 words
# in one-word paragraphs has 350), and it bounds the splitter's work per block.
MAX_BLOCKS = 500
_AVOID = 1e6  # the cost of an email over max_words that could be cut (`auto`): never chosen


class CannotSplit(ValueError):
    """The blocks cannot make the requested number of emails; `low` to `high` they can."""

    def __init__(self, message: str, low: int, high: int):
        super().__init__(message)
        self.low, self.high = low, high


def split(blocks: Sequence[Block], *, target: int, min_words: int, max_words: int,
          count: int | None = None, weights: Weights = Weights()) -> list[tuple[Block, ...]]:
    """Group consecutive blocks into emails; every block (or every item of a block cut into
    items) lands in exactly one group, in order."""
    units, forced = _units(blocks, max_words)
    if not units:
        return []
    outline = _Outline(units, forced, target, min_words, max_words, weights, count is None)
    if count is None:
        cuts = outline.best_cuts()
    elif count == len(forced) + 1:
        cuts = sorted(forced)  # no choice left: exactly the markers' emails
    else:
        cuts = outline.exact_cuts(count)
    return _groups(units, cuts)


def feasible(blocks: Sequence[Block], *, max_words: int) -> tuple[int, int]:
    """The fewest and the most emails the blocks can make (the fewest: one more than the
    markers, as `_Outline._reaching` can always thin the places to cut down to them)."""
    units, forced = _units(blocks, max_words)
    if not units:
        return 0, 0
    return len(forced) + 1, _Outline(units, forced, 1, 0, max_words, Weights(), False).span()[1]


def _emails(low: int, high: int) -> str:
    """"3 to 9 emails", "only 1 email"."""
    return f"{low} to {high} emails" if low < high else f"only {low} email{'s' * (low > 1)}"


def _units(blocks: Sequence[Block], max_words: int) -> tuple[list[Piece], set[int]]:
    """The pieces to group (blocks, long ones cut into items) and the forced cuts among them."""
    units: list[Piece] = []
    forced: set[int] = set()
    for b in blocks:
        if b.kind == "break":
            if units:
                forced.add(len(units))
        else:
            units.extend(pieces(b, max_words))
    return units, {c for c in forced if c < len(units)}


def _groups(units: list[Piece], cuts: list[int]) -> list[tuple[Block, ...]]:
    """The groups between the cuts, each run of pieces of one block joined back together."""
    edges = [0, *cuts, len(units)]
    out = []
    for a, b in zip(edges, edges[1:], strict=False):
        if b <= a:
            continue
        group: list[Block] = []
        run: list[Piece] = []
        for piece in units[a:b]:
            if run and (piece.origin is None or piece.origin is not run[-1].origin):
                group.append(join(run))
                run = []
            run.append(piece)
        group.append(join(run))
        out.append(tuple(group))
    return out


class _Outline:
    """The units of an article as the splitter sees them: words, headings, allowed cuts."""

    def __init__(self, units: list[Piece], forced: set[int], target: int, min_words: int,
                 max_words: int, weights: Weights, hard_max: bool):
        self.units, self.forced, self.n = units, forced, len(units)
        self.target, self.min_words, self.max_words = max(target, 1), min_words, max_words
        self.w, self.hard_max = weights, hard_max
        blocks = [u.block for u in units]
        self.top = min((b.level for b in blocks if b.kind == "heading"), default=2)
        self.prefix, self.last_head = [0], [-1]  # words before unit j; last heading before j
        self.at_level = [[0] * 7]  # headings of each level (1..6) or above before unit j
        for k, b in enumerate(blocks):
            self.prefix.append(self.prefix[-1] + b.words)
            self.last_head.append(k if b.kind == "heading" else self.last_head[-1])
            row = self.at_level[-1][:]
            if b.kind == "heading":
                for level in range(max(b.level, 1), 7):
                    row[level] += 1
            self.at_level.append(row)
        self.starts = [0] + [j for j in range(1, self.n) if self.can_cut(j)]
        self.ends = [*self.starts[1:], self.n]

    def can_cut(self, j: int) -> bool:
        """Whether an email may start at unit j: never after a heading or a lead-in ":", nor
        between two blocks without words (a run of images or rules stays together)."""
        if j in self.forced:
            return True
        before, here = self.units[j - 1].block, self.units[j].block
        if before.kind == "heading" or (before.words == 0 and here.words == 0):
            return False
        return not (before.kind == "paragraph" and here.kind != "heading"
                    and before.text.rstrip().endswith(":"))

    def cut_cost(self, j: int) -> float:
        if j == self.n or j in self.forced:
            return 0.0
        unit = self.units[j]
        if unit.block.kind == "heading":
            return 0.0 if unit.block.level <= self.top else self.w.at_subsection
        if unit.origin is not None and unit.origin is self.units[j - 1].origin:
            return self.w.inside_block
        return self.w.not_at_section

    def valid(self, i: int, j: int) -> bool:
        """Whether units i..j may be one email: it does not end on a section's short lead-in
        (a heading inside it, under LEAD_MIN words before the end, the section going on)."""
        if j == self.n or j in self.forced or self.units[j].block.kind == "heading":
            return True
        h = self.last_head[j]
        return h <= i or self.prefix[j] - self.prefix[h + 1] >= LEAD_MIN

    def group_cost(self, i: int, j: int) -> float:
        words, w, target = self.prefix[j] - self.prefix[i], self.w, self.target
        cost = w.off_target * ((words - target) / target) ** 2 + self.cut_cost(j)
        if words < self.min_words:
            cost += w.under_min * (self.min_words - words) / target
        if words > self.max_words:
            cost += w.over_max * (words - self.max_words) / target
            if self.hard_max and self.cut_inside(i, j):
                cost += _AVOID
        tops = self.at_level[j][self.top] - self.at_level[i][self.top]
        cost += w.extra_section * max(0, tops - 1)
        first = self.units[i].block
        if first.kind == "heading" and first.level > 1:
            above = self.at_level[j][first.level - 1] - self.at_level[i + 1][first.level - 1]
            cost += w.buried_section * above
        return cost

    def cut_inside(self, i: int, j: int) -> bool:
        k = bisect_left(self.starts, i + 1)
        return k < len(self.starts) and self.starts[k] < j

    def spans(self, j: int) -> Iterator[int]:
        """Starts i of a group ending at j, nearest first: no forced cut inside, at most
        MAX_BLOCKS starts back (runs of blocks without words, such as images, stay bounded)."""
        first = bisect_left(self.starts, j) - 1
        for k in range(first, max(first - MAX_BLOCKS, -1), -1):
            i = self.starts[k]
            yield i
            if i in self.forced:
                return

    def options(self, j: int, reached: Callable[[int], bool], limit: float) -> Iterator[int]:
        """Valid starts of a group ending at j among those `reached`; past `limit` words only
        until one is found."""
        found = False
        for i in self.spans(j):
            if found and self.prefix[j] - self.prefix[i] > limit:
                return
            if reached(i) and self.valid(i, j):
                found = True
                yield i

    def best_cuts(self) -> list[int]:
        """The cheapest grouping, any number of emails (`auto`)."""
        best: dict[int, tuple[float, int]] = {0: (0.0, -1)}
        for j in self.ends:
            found = [(best[i][0] + self.group_cost(i, j), i)
                     for i in self.options(j, best.__contains__, self.max_words)]
            if found:
                best[j] = min(found)
        if self.n not in best:  # (cannot happen: n is an end of the nearest start's group)
            return sorted(self.forced)
        return self._trace(lambda j: best[j][1])

    def span(self) -> tuple[int, int]:
        """The fewest and the most groups."""
        low: dict[int, int] = {0: 0}
        high: dict[int, int] = {0: 0}
        for j in self.ends:
            found = list(self.options(j, low.__contains__, float("inf")))
            if found:
                low[j] = 1 + min(low[i] for i in found)
                high[j] = 1 + max(high[i] for i in found)
        markers = len(self.forced) + 1
        return low.get(self.n, markers), high.get(self.n, markers)

    def exact_cuts(self, count: int) -> list[int]:
        """The cheapest grouping into exactly `count` emails."""
        low, high = self.span()
        markers = len(self.forced) + 1
        if count < markers:
            many = markers - 1
            raise CannotSplit(f"its {many} '<!-- email -->' marker{'s' * (many > 1)} already "
                              f"make{'s' * (many == 1)} {markers} emails", markers, high)
        if count > high:
            raise CannotSplit(f"it makes {_emails(markers, high)}", markers, high)
        outline, low = self._reaching(count, low)
        return outline.cuts_for(count, low, high)

    def _reaching(self, count: int, low: int) -> tuple[_Outline, int]:
        """This outline, or one with fewer places to cut, whose emails reach far enough to
        make as few as `count` (emails of over MAX_BLOCKS places to cut), and its fewest.
        Every top-level section heading is kept as long as that is enough; then they are
        thinned too, down to none but the markers (which make the fewest there can be)."""
        outline = self
        for keep_tops in (True, False):
            step = 2
            while count < low and step < 2 * len(self.starts):  # (from len(starts) on, no
                thinner = self.thinned(step, keep_tops)  # more places are left out)
                if keep_tops and len(thinner.starts) == len(outline.starts):
                    break  # no fewer places: the headings kept are too many
                outline, low, step = thinner, thinner.span()[0], step * 2
        return outline, low

    def thinned(self, step: int, keep_tops: bool = True) -> _Outline:
        """This outline with every `step`-th place to cut, each marker and each top-level
        section heading (`keep_tops`; else every `step`-th of them) left."""
        copy = shallow_copy(self)
        copy.starts, tops = [], 0
        for k, j in enumerate(self.starts):
            top = self._top_heading(j)
            if k % step == 0 or j in self.forced or (top and (keep_tops or tops % step == 0)):
                copy.starts.append(j)
            tops += top
        copy.ends = [*copy.starts[1:], self.n]
        return copy

    def _top_heading(self, j: int) -> bool:
        block = self.units[j].block
        return block.kind == "heading" and block.level <= self.top

    def cuts_for(self, count: int, low: int, high: int) -> list[int]:
        """The cheapest grouping into exactly `count` emails, within this outline's places
        (`low` to `high` emails: the range the caller reports)."""
        # Emails far longer than max_words and than twice the average are first left out (much
        # less work); only when no grouping is left are they looked at.
        total = self.prefix[self.n]
        for limit in (max(3 * self.max_words, 2 * self.target, 2 * total / count), float("inf")):
            cuts = self._exact(count, limit)
            if cuts is not None:
                return cuts
        raise CannotSplit(f"it makes {_emails(low, high)}, but not {count}", low, high)  # (rare)

    def _exact(self, count: int, limit: float) -> list[int] | None:
        """Cut points for exactly `count` groups (None: none within `limit`)."""
        dp: list[dict[int, tuple[float, int]]] = [{0: (0.0, -1)}] + [{} for _ in range(count)]
        reached = {0}  # ends of fewer than `count` groups
        for j in self.ends:  # (each group's cost once, for every k: rows k - 1 are complete)
            costs = [(i, self.group_cost(i, j))
                     for i in self.options(j, reached.__contains__, limit)]
            for k in range(1, count + 1):
                before = dp[k - 1]
                found = [(before[i][0] + cost, i) for i, cost in costs if i in before]
                if found:
                    dp[k][j] = min(found)
                    if k < count:
                        reached.add(j)
        if self.n not in dp[count]:
            return None
        cuts, j = [], self.n
        for k in range(count, 0, -1):
            j = dp[k][j][1]
            if j > 0:
                cuts.append(j)
        return sorted(cuts)

    def _trace(self, back: Callable[[int], int]) -> list[int]:
        cuts, j = [], self.n
        while j > 0:
            j = back(j)
            if j > 0:
                cuts.append(j)
        return sorted(cuts)
