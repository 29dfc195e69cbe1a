"""What moved most against the baselines (:mod:`strategy_kit.analytics.baselines`): the KPIs and
the reps furthest ahead of or behind their reference, in each KPI's good direction; and the
comparisons a reader should not take at face value (:func:`small_bases`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strategy_kit.analytics.baselines import BASELINE_MONTHS, Baselines
from strategy_kit.stats import finite_or_none


def relative_move(value: Any, baseline: Any, verdict: Any, direction: str) -> float | None:
    """How much better (positive) or worse (negative) than ``baseline``, relative to it, in the
    KPI's good ``direction``; None when the baseline is not positive or the verdict is ``stable``."""
    value, baseline = finite_or_none(value), finite_or_none(baseline)
    if value is None or baseline is None or baseline <= 0 or verdict in (None, "stable"):
        return None
    relative = value / baseline - 1
    return relative if direction == "higher" else -relative


@dataclass(frozen=True)
class Moves:
    """The KPIs that moved most against their baseline: ``better`` and ``worse``, each a list of
    comparison rows (dicts, see :class:`Baselines`), the biggest move first."""

    better: list[dict[str, Any]]
    worse: list[dict[str, Any]]


def moves(baselines: Baselines, count: int = 3) -> Moves:
    """Up to ``count`` improvements and ``count`` declines, ranked by :func:`relative_move`."""
    scored = []
    for row in baselines.comparison.to_dict("records"):
        score = relative_move(row["value"], row["baseline"], row["verdict"], row["direction"])
        if score is not None:
            scored.append((score, row))
    better = sorted((s for s in scored if s[0] > 0), key=lambda s: -s[0])[:count]
    worse = sorted((s for s in scored if s[0] < 0), key=lambda s: s[0])[:count]
    return Moves(better=[row for _, row in better], worse=[row for _, row in worse])


def revenue_kpi(baselines: Baselines) -> str | None:
    """The KPI that stands for revenue (``revenue``, else ``won_value``) when its 12 baseline months
    are all covered; None otherwise."""
    kpis = set(baselines.comparison["kpi"])
    chosen = next((k for k in ("revenue", "won_value") if k in kpis), None)
    if chosen is None or baselines.row(chosen)["months_covered"] != BASELINE_MONTHS:
        return None
    return chosen


# A comparison whose change passes 100 % (the reference less than half the value, or a growth rate
# above 100 %) rests on a small base: the table flags it and a note says so.
LARGE_CHANGE = 1.0

# The references of a comparison row (see :class:`Baselines`) and the column of their change.
REFERENCES = {"baseline": "change", "previous_year": "previous_year_change"}


def small_bases(row: dict[str, Any]) -> list[str]:
    """The references of a comparison ``row`` (``baseline``, ``previous_year``) whose comparison
    rests on a small base: for a count or an amount, a change above :data:`LARGE_CHANGE` (+100 %:
    the reference is less than half the value); for a rate, the period's value or the reference
    above 100 % (only a growth rate can be: its own earlier base was less than half)."""
    found = []
    for reference, change in REFERENCES.items():
        if row["unit"] == "rate":
            values = (finite_or_none(row["value"]), finite_or_none(row[reference]))
            if any(v is not None and abs(v) > LARGE_CHANGE for v in values):
                found.append(reference)
        else:
            moved = finite_or_none(row[change])
            if moved is not None and moved > LARGE_CHANGE:
                found.append(reference)
    return found
