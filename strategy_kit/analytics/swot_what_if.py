"""The what-if: which improvement of the sales funnel is worth most.

The baseline funnel: over the 12 months of the baseline window,
``revenue = new deals × product of the stage conversions × average deal size``, taken as the
revenue of the next 12 months. Each lever (the lead volume, each stage's conversion, the average
deal size) is raised by ``increase`` alone, the others held, and the levers are ranked by the
revenue they add. ``mode="relative"`` multiplies (``+10 %``: x 1.1; a conversion is capped at
100 %), ``mode="points"`` adds percentage points to conversions (``+0.10``: 30 % -> 40 %) and
raises the lead volume and deal size by the same fraction. In relative mode every stage adds the
same revenue (the funnel is a product) unless the cap binds; in points mode the weakest stage adds
the most. The assumptions (each factor and the window it comes from) are returned with the ranking.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from strategy_kit.analytics.baselines import Baselines, compute_baselines
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.inputs.swot import SwotError
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import Period
from strategy_kit.stats import finite_or_none

WHAT_IF_INCREASE = 0.10  # default raise of each lever in the what-if
WHAT_IF_MODES = ("relative", "points")


@dataclass(frozen=True)
class WhatIf:
    """The what-if ranking and the assumptions behind it.

    ``table``: one row per lever, most revenue first: ``lever`` (``lead_volume``,
    ``stage_conversion.<stage>``, ``avg_deal_size``), ``current``, ``improved``, ``unit``,
    ``revenue`` (12 months with the lever raised), ``impact`` (revenue − base revenue),
    ``impact_share`` (impact / base revenue), ``rank``.
    ``assumptions``: ``factor`` (``new_deals``, ``stage_conversion.<stage>``, ``avg_deal_size``,
    ``base_revenue``), ``value``, ``unit``; every factor but the base revenue comes from ``window``.
    """

    base_revenue: float
    increase: float
    mode: str
    window: Period
    table: pd.DataFrame
    assumptions: pd.DataFrame
    left_out: tuple[str, ...] = ()  # stages without a conversion in the window (taken as 100 %)
    actual_won_value: float | None = None  # won value of the window, to check the model against


def funnel_revenue(new_deals: float, conversions: Sequence[float], avg_deal_size: float) -> float:
    """``new deals × product of the stage conversions × average deal size``."""
    return new_deals * math.prod(conversions) * avg_deal_size


def _raised(value: float, increase: float, mode: str, rate: bool) -> float:
    if rate and mode == "points":
        return min(1.0, value + increase)
    raised = value * (1 + increase)
    return min(1.0, raised) if rate else raised


def what_if(
    data: SalesData,
    period: Period,
    increase: float = WHAT_IF_INCREASE,
    mode: str = "relative",
    engine: KpiEngine | None = None,
    baselines: Baselines | None = None,
) -> WhatIf:
    """Revenue over the next 12 months of raising each lever by ``increase`` (see the module
    docstring), ranked; the baseline funnel comes from the 12 months before ``period``."""
    if mode not in WHAT_IF_MODES:
        raise SwotError(f"what-if mode '{mode}' is not one of {', '.join(WHAT_IF_MODES)}")
    if not isinstance(increase, (int, float)) or not 0 < increase <= 1:
        raise SwotError(f"what-if increase must be a fraction in (0, 1], e.g. 0.1 for +10 %; got {increase!r}")
    stage_ids = list(data.config.stage_ids[:-1])
    stage_kpis = [f"stage_conversion.{s}" for s in stage_ids]
    wanted = ["new_deals", "avg_deal_size", "won_value", *stage_kpis]
    if baselines is None or not set(wanted) <= set(baselines.definitions):
        baselines = compute_baselines(data, period, kpis=wanted, engine=engine)
    window = baselines.window.window
    comparison = baselines.comparison.set_index("kpi")

    def window_value(kpi_id: str) -> float | None:
        return finite_or_none(comparison.at[kpi_id, "window_value"]) if kpi_id in comparison.index else None

    new_deals, deal_size = window_value("new_deals"), window_value("avg_deal_size")
    if not new_deals or not deal_size:
        raise UnavailableError("swot.unavailable.what_if_volume")
    conversions = {s: window_value(f"stage_conversion.{s}") for s in stage_ids}
    left_out = tuple(s for s, c in conversions.items() if c is None)
    known = {s: c for s, c in conversions.items() if c is not None}
    if not known:
        raise UnavailableError("swot.unavailable.what_if_conversions")
    base = funnel_revenue(new_deals, list(known.values()), deal_size)

    levers: list[tuple[str, float, str, float]] = [  # lever, current, unit, improved
        ("lead_volume", new_deals, "count", _raised(new_deals, increase, mode, False)),
        *(
            (f"stage_conversion.{stage}", conversion, "rate", _raised(conversion, increase, mode, True))
            for stage, conversion in known.items()
        ),
        ("avg_deal_size", deal_size, "currency", _raised(deal_size, increase, mode, False)),
    ]
    rows = []
    for lever, current, unit, improved in levers:
        revenue = base * improved / current if current else base
        rows.append(
            {
                "lever": lever,
                "current": current,
                "improved": improved,
                "unit": unit,
                "revenue": revenue,
                "impact": revenue - base,
                "impact_share": (revenue - base) / base,
            }
        )
    # Rounded to the cent before ranking, so that levers adding the same revenue tie (in lever order).
    table = pd.DataFrame(rows)
    table["rank"] = table["impact"].round(2).rank(ascending=False, method="min").astype(int)
    table = table.sort_values("rank", kind="stable").reset_index(drop=True)

    assumptions = [{"factor": "new_deals", "value": new_deals, "unit": "count"}]
    assumptions += [{"factor": f"stage_conversion.{s}", "value": c, "unit": "rate"} for s, c in known.items()]
    assumptions += [
        {"factor": "avg_deal_size", "value": deal_size, "unit": "currency"},
        {"factor": "base_revenue", "value": base, "unit": "currency"},
    ]
    return WhatIf(
        base_revenue=base,
        increase=float(increase),
        mode=mode,
        window=window,
        table=table,
        assumptions=pd.DataFrame(assumptions),
        left_out=left_out,
        actual_won_value=window_value("won_value"),
    )
