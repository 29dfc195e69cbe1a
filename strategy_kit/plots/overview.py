"""Charts of the overview: open pipeline by stage, revenue by month."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from strategy_kit.analytics.overview import PipelineByStage, RevenueByMonth
from strategy_kit.config import ClientConfig
from strategy_kit.i18n import format_compact_currency, format_date, format_month, label
from strategy_kit.narrative.overview import stage_names
from strategy_kit.plots import PALETTE, Chart, style_axes, value_axis


def pipeline_chart(pipeline: PipelineByStage, config: ClientConfig, language: str) -> Figure:
    """Horizontal bars: open value per stage (stages top to bottom in pipeline order), with counts."""
    table = pipeline.table
    currency = config.currency
    figure = Chart(figsize=(7.2, 0.45 * len(table) + 1.3), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(table))
    axes.barh(positions, table["value"].fillna(0.0), color=PALETTE["current"], height=0.6)  # unknown value: no bar
    axes.set_yticks(positions, stage_names(pipeline, config, language))
    axes.invert_yaxis()
    value_axis(axes.xaxis, "currency", language, currency)
    axes.grid(axis="x", color=PALETTE["grid"])
    style_axes(axes)
    widest = float(table["value"].max()) if table["value"].notna().any() else 0.0
    axes.set_xlim(0, widest * 1.22 if widest > 0 else 1)
    for position, (value, count) in enumerate(zip(table["value"], table["deals"])):
        text = f"{format_compact_currency(value, language, currency)} · " + label(
            "chart.pipeline.deals", language, count=int(count)
        )
        axes.annotate(
            text,
            (0.0 if np.isnan(value) else value, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color="#333333",
        )
    axes.set_xlabel(label("chart.pipeline.axis", language, currency=currency))
    axes.set_title(
        label("chart.pipeline.title", language, end=format_date(pipeline.end, language)), loc="left", fontsize=11
    )
    return figure


def revenue_chart(revenue: RevenueByMonth, language: str, currency: str = "EUR") -> Figure:
    """Bars of revenue per month; the same month a year earlier as a line when the data cover it."""
    table = revenue.table
    figure = Chart(figsize=(7.2, 3.2), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(table))
    axes.bar(
        positions,
        table["revenue"].fillna(0.0),
        color=PALETTE["current"],
        width=0.65,
        label=label("chart.revenue.current", language),
    )  # a month the data do not cover has no bar
    if revenue.has_previous_year:
        axes.plot(
            positions,
            table["previous_year"],
            color=PALETTE["previous"],
            marker="o",
            markersize=4,
            linewidth=1.6,
            label=label("chart.revenue.previous_year", language),
        )
        figure.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=2)
    ticks = [
        format_month(month, language, year=(index == 0 or month.month == 1))
        for index, month in enumerate(table["month"])
    ]
    axes.set_xticks(positions, ticks, fontsize=8)
    value_axis(axes.yaxis, "currency", language, currency)
    axes.grid(axis="y", color=PALETTE["grid"])
    style_axes(axes)
    axes.set_ylabel(label("chart.revenue.axis", language, currency=currency))
    axes.set_title(label("chart.revenue.title", language), loc="left", fontsize=11)
    return figure
