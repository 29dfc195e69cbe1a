"""SWOT drafted from evidence, and the what-if saying which improvement is worth most.

Canonical data (:class:`~strategy_kit.data.SalesData`) and a :class:`~strategy_kit.periods.Period`
in, candidates with their numbers out; no words, no I/O. Each candidate comes from one rule of
:data:`RULES` (:mod:`strategy_kit.analytics.swot_rules` lists every rule and threshold; what they
read: :mod:`strategy_kit.analytics.swot_evidence`). A rule whose data the client lacks is skipped
and its reason kept (:attr:`Draft.unavailable`, a keyed :class:`~strategy_kit.errors.UnavailableError`).
The what-if: :mod:`strategy_kit.analytics.swot_what_if`. The sentences:
:mod:`strategy_kit.narrative.swot`; the strategist's saved SWOT: :mod:`strategy_kit.inputs.swot`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from strategy_kit.analytics import swot_rules  # noqa: F401  (defining the rules registers them in RULES)
from strategy_kit.analytics.swot_evidence import (
    RULES,
    Candidate,
    Evidence,
    rule,
)
from strategy_kit.analytics.swot_what_if import WHAT_IF_MODES, WhatIf, what_if
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.inputs.market import Market
from strategy_kit.inputs.swot import QUADRANTS
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import Period

__all__ = [
    "QUADRANTS",
    "RULES",
    "WHAT_IF_MODES",
    "Candidate",
    "Draft",
    "Evidence",
    "WhatIf",
    "draft_swot",
    "evaluate_rules",
    "rule",
    "what_if",
]


@dataclass(frozen=True)
class Draft:
    """Every candidate of every rule, strengths first, and the rules that could not run with why."""

    period: Period
    candidates: list[Candidate]
    unavailable: dict[str, UnavailableError] = field(default_factory=dict)

    def quadrant(self, name: str) -> list[Candidate]:
        return [c for c in self.candidates if c.quadrant == name]


def evaluate_rules(
    data: SalesData,
    period: Period,
    engine: KpiEngine | None = None,
    market: Market | None = None,
    rules: Iterable[str] | None = None,
) -> Draft:
    """Run the rules (default: all of :data:`RULES`) and collect their candidates, by quadrant.
    ``market``: the strategist's market input (penetration needs it)."""
    evidence = Evidence(data, period, engine, market)
    candidates: list[Candidate] = []
    unavailable: dict[str, UnavailableError] = {}
    for rule_id in list(RULES) if rules is None else list(rules):
        try:
            candidates += RULES[rule_id].function(evidence)
        except UnavailableError as exc:
            unavailable[rule_id] = exc
    candidates.sort(key=lambda c: QUADRANTS.index(c.quadrant))  # stable: rule order within a quadrant
    return Draft(period=period, candidates=candidates, unavailable=unavailable)


def draft_swot(
    data: SalesData, period: Period, engine: KpiEngine | None = None, market: Market | None = None
) -> list[Candidate]:
    """The candidates every rule drafts from the evidence, strengths first."""
    return evaluate_rules(data, period, engine, market).candidates
