"""SWOT drafted from evidence, and the what-if saying which improvement is worth most.

Canonical data (:class:`~strategy_kit.data.SalesData`) and a :class:`~strategy_kit.periods.Period`
in, candidates with their numbers out; no words, no I/O. Each candidate comes from one rule of
:data:`RULES` (:mod:`strategy_kit.analytics.swot_rules` lists every rule and threshold; what they
read: :mod:`strategy_kit.analytics.swot_evidence`). A rule whose data the client lacks is skipped
and its reason kept (:attr:`Draft.unavailable`, a keyed :class:`~strategy_kit.errors.UnavailableError`).

**One item per fact.** A KPI is compared twice, with its baseline (the 12 months before) and with
the same period a year earlier; when both moves reach the threshold the four KPI rules would draft
the same KPI twice ("vs baseline" and "vs a year earlier"). :func:`merge_kpi_moves` keeps one item
per KPI, so a reader counts each fact once:

- both moves count in the same direction: one item, under the baseline's rule (its quadrant and
  ident), whose sentence states both changes (``other_counts`` is true);
- the two moves count in opposite directions (above the baseline, below a year earlier): one item,
  under the larger move's rule (the baseline's on a tie), which mentions the other change;
- one move counts: one item under its rule, which mentions the other reference and the change
  from it when the data have it, as context.

The what-if: :mod:`strategy_kit.analytics.swot_what_if`. The sentences:
:mod:`strategy_kit.narrative.swot`; the strategist's saved SWOT: :mod:`strategy_kit.inputs.swot`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

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
    "KPI_RULES",
    "QUADRANTS",
    "RULES",
    "WHAT_IF_MODES",
    "Candidate",
    "Draft",
    "Evidence",
    "WhatIf",
    "draft_swot",
    "evaluate_rules",
    "merge_kpi_moves",
    "rule",
    "what_if",
]


@dataclass(frozen=True)
class Draft:
    """Every candidate of every rule, strengths first, and the rules that could not run with why."""

    period: Period
    candidates: list[Candidate]
    unavailable: dict[str, UnavailableError] = field(default_factory=dict)
    rules: tuple[str, ...] = ()  # the rules asked for (empty: every rule of RULES)

    @property
    def evaluated(self) -> list[str]:
        """The rules that ran (asked for and not unavailable), in the order of :data:`RULES`."""
        asked = set(self.rules or RULES)
        return [rule_id for rule_id in RULES if rule_id in asked and rule_id not in self.unavailable]

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
    asked = list(RULES) if rules is None else list(rules)
    for rule_id in asked:
        try:
            candidates += RULES[rule_id].function(evidence)
        except UnavailableError as exc:
            unavailable[rule_id] = exc
    candidates = merge_kpi_moves(candidates)
    candidates.sort(key=lambda c: QUADRANTS.index(c.quadrant))  # stable: rule order within a quadrant
    return Draft(period=period, candidates=candidates, unavailable=unavailable, rules=tuple(asked))


# The KPI rules, and the reference each compares the period with.
KPI_RULES = {
    "kpi_above_baseline": "baseline",
    "kpi_below_baseline": "baseline",
    "kpi_above_previous_year": "previous_year",
    "kpi_below_previous_year": "previous_year",
}


def merge_kpi_moves(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per KPI among those of the KPI rules (:data:`KPI_RULES`), by the rule of the
    module's docstring; the others as they are, in their order."""
    by_kpi: dict[str, list[Candidate]] = {}
    for found in candidates:
        if found.rule in KPI_RULES:
            by_kpi.setdefault(found.subject, []).append(found)
    kept: dict[int, Candidate] = {}
    for moves in by_kpi.values():
        if len(moves) == 1:
            kept[id(moves[0])] = moves[0]
            continue
        baseline = next(m for m in moves if KPI_RULES[m.rule] == "baseline")
        previous = next(m for m in moves if KPI_RULES[m.rule] == "previous_year")
        if baseline.quadrant == previous.quadrant:
            chosen, both = baseline, True
        else:
            larger = abs(previous.evidence["change"]) > abs(baseline.evidence["change"])
            chosen, both = (previous if larger else baseline), False
        kept[id(chosen)] = replace(chosen, evidence={**chosen.evidence, "other_counts": both})
    return [kept.get(id(c), c) for c in candidates if c.rule not in KPI_RULES or id(c) in kept]


def draft_swot(
    data: SalesData, period: Period, engine: KpiEngine | None = None, market: Market | None = None
) -> list[Candidate]:
    """The candidates every rule drafts from the evidence, strengths first."""
    return evaluate_rules(data, period, engine, market).candidates
