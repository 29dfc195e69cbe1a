"""Charts of the baselines: a KPI's history by month and by quarter against its baseline level."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from strategy_kit.analytics.baselines_history import History
from strategy_kit.i18n import format_month, label
from strategy_kit.narrative.baselines import kpi_label, quarter_text
from strategy_kit.plots import PALETTE, Chart, style_axes, value_axis

LEVEL_COLOUR = "#14324a"


def _panel(
    axes: Axes, table: pd.DataFrame, ticks: list[str], level: float | None, unit: str, language: str, currency: str
) -> None:
    positions = np.arange(len(table))
    colours = [PALETTE["current"] if in_period else PALETTE["muted"] for in_period in table["in_period"]]
    axes.bar(positions, table["value"].fillna(0.0), color=colours, width=0.65)  # not covered: no bar
    if table["previous_year"].notna().any():
        axes.plot(
            positions, table["previous_year"], color=PALETTE["previous"], marker="o", markersize=3.5, linewidth=1.4
        )
    if level is not None:
        axes.axhline(level, color=LEVEL_COLOUR, linestyle=(0, (4, 3)), linewidth=1.1)
    axes.set_xticks(positions, ticks, fontsize=6.5)
    axes.tick_params(axis="y", labelsize=7)
    value_axis(axes.yaxis, unit, language, currency, ticks=4)
    style_axes(axes, grid=True)


def history_chart(history: History, language: str, currency: str = "EUR") -> Figure:
    """Bars by month (left) and by quarter (right): baseline periods grey, the period blue; the same
    month or quarter a year earlier as an orange line; the baseline level for a month and for a
    quarter as a dashed line."""
    kpi = history.kpi
    figure = Chart(figsize=(7.2, 2.7), layout="constrained")
    month_axes, quarter_axes = figure.subplots(1, 2, width_ratios=[3.2, 1.3])

    months = history.monthly
    month_ticks = [
        format_month(month, language, year=False) + (f"\n{month.year}" if index == 0 or month.month == 1 else "")
        for index, month in enumerate(months["month"])
    ]
    _panel(month_axes, months, month_ticks, history.monthly_baseline, kpi.unit, language, currency)
    month_axes.set_title(label("baseline.chart.by_month", language), loc="left", fontsize=8.5)

    quarters = history.quarterly
    quarter_ticks = [
        quarter_text(
            name, start.date(), (start + pd.DateOffset(months=3) - pd.Timedelta(days=1)).date(), language
        ).replace(" ", "\n", 1)
        for name, start in zip(quarters["quarter"], quarters["start"])
    ]
    _panel(quarter_axes, quarters, quarter_ticks, history.quarterly_baseline, kpi.unit, language, currency)
    quarter_axes.set_title(label("baseline.chart.by_quarter", language), loc="left", fontsize=8.5)

    handles = [
        Patch(color=PALETTE["muted"], label=label("baseline.chart.baseline_periods", language)),
        Patch(color=PALETTE["current"], label=label("baseline.chart.period", language)),
        Line2D([], [], color=LEVEL_COLOUR, linestyle=(0, (4, 3)), label=label("baseline.chart.level", language)),
    ]
    if history.has_previous_year:
        handles.append(
            Line2D(
                [],
                [],
                color=PALETTE["previous"],
                marker="o",
                markersize=3.5,
                label=label("baseline.chart.previous_year", language),
            )
        )
    figure.legend(handles=handles, frameon=False, fontsize=7.5, loc="outside lower center", ncols=len(handles))
    figure.suptitle(kpi_label(kpi, language), x=0.01, ha="left", fontsize=10.5)
    return figure
