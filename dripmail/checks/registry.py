"""The rule registry: every rule has an id, a default severity, an area and a one-line purpose."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dripmail.checks.model import EmailDoc

# An email rule yields (severity, message, fix) for one email (a `shared` rule is also given the
# check run's checks.paint.Paint).
EmailCheck = Callable[[EmailDoc], Iterable[tuple[str, str, str]]]
# A sequence rule yields (doc, severity, message, fix) for the emails of one sequence.
SequenceCheck = Callable[[Sequence[EmailDoc]], Iterable[tuple[EmailDoc, str, str, str]]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered check."""

    id: str
    severity: str  # default (highest) severity
    area: str
    description: str
    check: Callable
    per: str = "email"  # "email" | "sequence"
    shared: bool = False  # called with the check run's Paint as well


REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, area: str, description: str, *, per: str = "email",
         shared: bool = False):
    """Register the decorated function as rule `rule_id` (`shared`: it takes the check run's
    `Paint` after the email)."""

    def register(func: Callable) -> Callable:
        if rule_id in REGISTRY:
            raise ValueError(f"duplicate rule id {rule_id}")
        REGISTRY[rule_id] = Rule(rule_id, severity, area, description, func, per, shared)
        return func

    return register
