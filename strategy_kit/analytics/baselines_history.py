"""The history of the key KPIs by month and by quarter, against their baseline level and the same
month or quarter a year earlier: the numbers of the baseline charts (:mod:`strategy_kit.plots.baselines`).

Pure functions: canonical tables and a period in, numbers and frames out; no language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from strategy_kit.analytics.baselines import (
    KEY_KPIS,
    Baselines,
    BaselineWindow,
    Coverage,
    block_period,
    first_months,
    kpi_coverage,
    month_period,
    request_values,
)
from strategy_kit.data import SalesData
from strategy_kit.kpis import KPI, KpiEngine
from strategy_kit.periods import Period, month_start
from strategy_kit.stats import finite_or_none


@dataclass(frozen=True)
class History:
    """One KPI by month and by quarter: the baseline window and the period, a year earlier beside.

    ``monthly``: ``month`` (first day), ``value``, ``previous_year`` (the same month a year
    earlier), ``in_period`` (False for the baseline months). ``quarterly``: ``quarter`` (label),
    ``start``, ``value``, ``previous_year``, ``in_period``. Periods the data do not cover are NaN.
    ``monthly_baseline`` / ``quarterly_baseline``: the baseline for a month and for a quarter.
    """

    kpi: KPI
    monthly: pd.DataFrame
    quarterly: pd.DataFrame
    monthly_baseline: float | None
    quarterly_baseline: float | None

    @property
    def has_previous_year(self) -> bool:
        return bool(self.monthly["previous_year"].notna().any() or self.quarterly["previous_year"].notna().any())


def _period_months(window: BaselineWindow) -> list[Period]:
    """The calendar months the period overlaps, after the window."""
    months, first = [], month_start(window.period.start)
    first = max(first, month_start(window.window.end, 1))
    while first <= window.period.end:
        months.append(month_period(first))
        first = month_start(first, 1)
    return months


def _period_blocks(window: BaselineWindow, fiscal_year_start_month: int) -> list[Period]:
    """The three-month blocks after the window that end by the period's end."""
    blocks: list[Period] = []
    first = month_start(window.window.end, 1)
    while True:
        block = block_period(first, fiscal_year_start_month)
        if block.end > window.period.end:
            return blocks
        blocks.append(block)
        first = month_start(first, 3)


def _shift_year(period: Period, fiscal_year_start_month: int) -> Period:
    if period.kind == "month":
        return month_period(month_start(period.start, -12))
    return block_period(month_start(period.start, -12), fiscal_year_start_month)


def history(
    data: SalesData,
    baselines: Baselines,
    kpis: Sequence[str] = KEY_KPIS,
    engine: KpiEngine | None = None,
) -> dict[str, History]:
    """The history of ``kpis`` (those available in ``baselines``), by month and by quarter.

    One ``series`` call for what ``baselines`` does not hold yet: the period's months and
    quarters and every shown month and quarter a year earlier.
    """
    engine = engine or KpiEngine(data)
    fy = data.config.fiscal_year_start_month
    window = baselines.window
    chosen = [kpi for kpi in kpis if kpi in set(baselines.comparison["kpi"])]
    months = [*window.months, *_period_months(window)]
    blocks = [*window.quarters, *_period_blocks(window, fy)]
    earlier_months = [_shift_year(m, fy) for m in months]
    earlier_blocks = [_shift_year(b, fy) for b in blocks]
    known = {m.label for m in window.months} | {q.label for q in window.quarters}
    wanted = [p for p in (*months, *blocks, *earlier_months, *earlier_blocks) if p.label not in known]
    values = request_values(engine, wanted, chosen)

    firsts, last = first_months(data), data.last_day()  # once, not once per KPI
    result: dict[str, History] = {}
    for kpi_id in chosen:
        kpi = baselines.definitions[kpi_id]
        coverage = kpi_coverage(kpi, data, firsts, last)
        stored = baselines.monthly[baselines.monthly["kpi"] == kpi_id].set_index("label")["value"]
        stored_quarters = baselines.quarterly[baselines.quarterly["kpi"] == kpi_id].set_index("quarter")["value"]

        def value_of(period: Period, saved: pd.Series, coverage: Coverage = coverage, kpi_id: str = kpi_id) -> float:
            if not coverage.covers(period):
                return float("nan")
            found = (
                finite_or_none(saved.get(period.label)) if period.label in saved.index else values.get(kpi_id, period)
            )
            return float("nan") if found is None else found

        monthly = pd.DataFrame(
            {
                "month": [pd.Timestamp(m.start) for m in months],
                "value": [value_of(m, stored) for m in months],
                "previous_year": [value_of(m, stored) for m in earlier_months],
                "in_period": [index >= len(window.months) for index in range(len(months))],
            }
        )
        quarterly = pd.DataFrame(
            {
                "quarter": [b.label for b in blocks],
                "start": [pd.Timestamp(b.start) for b in blocks],
                "value": [value_of(b, stored_quarters) for b in blocks],
                "previous_year": [value_of(b, stored_quarters) for b in earlier_blocks],
                "in_period": [index >= len(window.quarters) for index in range(len(blocks))],
            }
        )
        result[kpi_id] = History(
            kpi=kpi,
            monthly=monthly,
            quarterly=quarterly,
            monthly_baseline=baselines.level(kpi_id, "month"),
            quarterly_baseline=baselines.level(kpi_id, "quarter"),
        )
    return result
