"""Charts of the objectives: the phased revenue target by month, and an intermediate objective's
trend against its straight-line path."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.dates import MonthLocator, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from strategy_kit.analytics.objectives_tracking import Tracking
from strategy_kit.i18n import format_month, label
from strategy_kit.plots import PALETTE, Chart, style_axes, value_axis

PATH_COLOUR = "#14324a"
STATUS_COLOURS = {"on_track": "#2e7d32", "at_risk": "#d9822b", "off_track": "#b00020", "no_data": "#9aa5b1"}


def phasing_chart(
    phasing: pd.DataFrame, language: str, currency: str = "EUR", actual: Mapping[pd.Timestamp, float] | None = None
) -> Figure:
    """Bars: each month's revenue target; grey line: the same month of the baseline year; blue
    dots: the revenue achieved (months with data)."""
    figure = Chart(figsize=(7.2, 2.8), layout="constrained")
    axes = figure.subplots()
    positions = np.arange(len(phasing))
    axes.bar(
        positions,
        phasing["revenue_target"],
        color=PALETTE["muted"],
        width=0.65,
        label=label("objectives.chart.target", language),
    )
    axes.plot(
        positions,
        phasing["baseline"],
        color=PALETTE["previous"],
        marker="o",
        markersize=3,
        linewidth=1.2,
        label=label("objectives.chart.baseline", language),
    )
    if actual:
        values = [actual.get(pd.Timestamp(m), np.nan) for m in phasing["month"]]
        axes.plot(
            positions,
            values,
            color=PALETTE["current"],
            marker="o",
            markersize=4.5,
            linewidth=0,
            label=label("objectives.chart.actual", language),
        )
    axes.set_xticks(positions, [format_month(m, language, year=False) for m in phasing["month"]], fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    value_axis(axes.yaxis, "currency", language, currency)
    axes.legend(fontsize=7, frameon=False, loc="upper left", ncols=3)
    style_axes(axes, grid=True)
    return figure


def tracking_chart(tracking: Tracking, title: str, language: str, currency: str = "EUR") -> Figure:
    """The KPI month by month (line), the straight-line path from the starting level to the target
    (dashed), the target at the deadline (diamond); the title carries the status colour."""
    figure = Chart(figsize=(7.2, 2.5), layout="constrained")
    axes = figure.subplots()
    months = tracking.months
    objective = tracking.objective
    if tracking.start_level is not None and tracking.target_level is not None:
        start, deadline = pd.Timestamp(objective.start), pd.Timestamp(objective.deadline)
        axes.plot(
            [start, deadline],
            [tracking.start_level, tracking.target_level],
            color=PATH_COLOUR,
            linestyle=(0, (4, 3)),
            linewidth=1.1,
            label=label("objectives.chart.path", language),
        )
        axes.plot([deadline], [tracking.target_level], marker="D", color=PATH_COLOUR, markersize=5)
    if not months.empty:
        ends = [pd.Timestamp(m) + pd.offsets.MonthEnd(0) for m in months["month"]]
        axes.plot(
            ends,
            months["actual"],
            color=PALETTE["current"],
            marker="o",
            markersize=3.5,
            linewidth=1.5,
            label=label("objectives.chart.actual", language),
        )
    value_axis(axes.yaxis, tracking.unit, language, currency, ticks=4)
    axes.xaxis.set_major_locator(MonthLocator(bymonth=(1, 4, 7, 10)))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_month(num2date(x).date(), language)))
    axes.tick_params(labelsize=7)
    status = label(f"objectives.status.{tracking.status}", language)
    axes.set_title(f"{title} · {status}", fontsize=9, loc="left", color=STATUS_COLOURS[tracking.status])
    axes.legend(fontsize=7, frameon=False, loc="lower right")
    style_axes(axes, grid=True)
    return figure
