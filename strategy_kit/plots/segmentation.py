"""Charts of the segmentation (strategy_kit.analytics.segmentation): attractiveness, RFM, churn causes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from strategy_kit.analytics.segmentation import ChurnReasons, attractiveness
from strategy_kit.analytics.segmentation_pool import MIN_RATE_DEALS
from strategy_kit.i18n import format_percent, label
from strategy_kit.plots import PALETTE, WIDTH, Chart, style_axes, value_axis, wrap_label

CHOSEN = "#2a9d4b"
SATURATED = "#c0392b"


def attractiveness_chart(table: pd.DataFrame, chosen: pd.DataFrame, language: str, currency: str = "EUR") -> Figure:
    """Win rate (x) × average deal size (y), each segment a bubble sized by revenue; the chosen
    segments in green and named, saturated ones in red, small ones hollow; segments with fewer
    than :data:`~strategy_kit.analytics.segmentation_pool.MIN_RATE_DEALS` closed deals left out."""
    ranked = attractiveness(table)
    shown = ranked[(ranked["won"] > 0) & (ranked["deals"] >= MIN_RATE_DEALS)].copy()  # no rate over 2 to 5 deals
    shown["size"] = pd.to_numeric(shown["avg_deal_size"], errors="coerce")
    figure = Chart(figsize=(WIDTH, 4.4), layout="constrained")
    axes = figure.add_subplot()
    revenue = shown["revenue"].astype(float).clip(lower=0)
    top = float(revenue.max()) if len(revenue) and revenue.max() > 0 else 1.0
    areas = 30 + 900 * revenue / top
    names = set(chosen["segment"])
    for row, area in zip(shown.itertuples(), areas):
        if row.segment in names:
            colour, face = CHOSEN, CHOSEN
        elif row.saturated is True:
            colour, face = SATURATED, SATURATED
        else:
            colour, face = PALETTE["current"], PALETTE["current"]
        if row.small:
            face = "none"
        axes.scatter(row.win_rate, row.size, s=area, color=face, edgecolors=colour, alpha=0.55, linewidths=1.2)
    for row in shown[shown["segment"].isin(names)].itertuples():
        rank = int(chosen.loc[chosen["segment"] == row.segment, "rank"].iloc[0])
        offset = ((8, 6), (8, -14), (8, 18))[(rank - 1) % 3]  # staggered: close bubbles keep readable names
        axes.annotate(
            f"{rank}. {wrap_label(row.segment, 26)}",
            (row.win_rate, row.size),
            xytext=offset,
            textcoords="offset points",
            fontsize=7.5,
            color="#1d5e31",
            fontweight="bold",
        )
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_percent(x, language, 0)))
    value_axis(axes.yaxis, "currency", language, currency)
    if shown["win_rate"].notna().any():
        axes.set_xlim(0, min(1.0, float(shown["win_rate"].max()) * 1.2 + 0.02))
    if shown["size"].notna().any():  # deals without values: no deal size, the bubbles are not drawn
        axes.set_ylim(0, float(shown["size"].max()) * 1.2)
    axes.grid(color=PALETTE["grid"])
    axes.tick_params(labelsize=7.5)
    style_axes(axes)
    axes.set_xlabel(label("segmentation.chart.win_rate", language), fontsize=8)
    axes.set_ylabel(label("segmentation.chart.deal_size", language), fontsize=8)
    axes.set_title(label("segmentation.chart.title", language), loc="left", fontsize=11)
    minimum = table.attrs.get("min_deals", "")
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=CHOSEN,
            alpha=0.6,
            label=label("segmentation.chart.chosen", language),
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=PALETTE["current"],
            alpha=0.6,
            label=label("segmentation.chart.other", language),
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="none",
            color=PALETTE["current"],
            label=label("segmentation.chart.small", language, min=minimum),
        ),
    ]
    if (shown["saturated"] == True).any():  # noqa: E712 (None/True/False column)
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=SATURATED,
                alpha=0.6,
                label=label("segmentation.chart.saturated", language),
            )
        )
    figure.legend(handles=handles, frameon=False, fontsize=7, loc="outside lower center", ncols=len(handles))
    return figure


def rfm_chart(summary: pd.DataFrame, language: str) -> Figure:
    """Per RFM segment, the share of customers and the share of revenue, side by side."""
    figure = Chart(figsize=(WIDTH, 0.42 * len(summary) + 1.6), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(summary))
    height = 0.38
    axes.barh(
        positions - height / 2,
        summary["share"],
        height,
        color=PALETTE["muted"],
        label=label("segmentation.rfm.column.share", language),
    )
    axes.barh(
        positions + height / 2,
        summary["revenue_share"],
        height,
        color=PALETTE["current"],
        label=label("segmentation.rfm.column.revenue_share", language),
    )
    for position, (share, revenue) in enumerate(zip(summary["share"], summary["revenue_share"])):
        for offset, value in ((-height / 2, share), (height / 2, revenue)):
            axes.annotate(
                format_percent(value, language, 0),
                (value, position + offset),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
            )
    axes.set_yticks(positions, [label(f"segmentation.rfm.{key}", language) for key in summary["segment"]], fontsize=8)
    axes.invert_yaxis()
    upper = float(np.nanmax([summary["share"].max(), summary["revenue_share"].max()])) if len(summary) else 1.0
    axes.set_xlim(0, upper * 1.18)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_percent(x, language, 0)))
    axes.grid(axis="x", color=PALETTE["grid"])
    axes.tick_params(axis="x", labelsize=7.5)
    style_axes(axes)
    axes.set_title(label("segmentation.rfm.chart.title", language), loc="left", fontsize=11)
    figure.legend(frameon=False, fontsize=7, loc="outside lower center", ncols=2)
    return figure


def churn_chart(churn: ChurnReasons, language: str) -> Figure:
    """Share of each churn reason; the trust / customer-service reasons highlighted."""
    table = churn.table
    figure = Chart(figsize=(WIDTH, 0.36 * len(table) + 1.6), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(table))
    colours = [SATURATED if trust else PALETTE["muted"] for trust in table["trust"]]
    axes.barh(positions, table["share"], 0.62, color=colours)
    for position, share in enumerate(table["share"]):
        axes.annotate(
            format_percent(share, language, 0),
            (share, position),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
        )
    axes.set_yticks(positions, [wrap_label(reason, 34) for reason in table["reason"]], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, float(table["share"].max()) * 1.18 if len(table) else 1.0)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_percent(x, language, 0)))
    axes.grid(axis="x", color=PALETTE["grid"])
    axes.tick_params(axis="x", labelsize=7.5)
    style_axes(axes)
    axes.set_title(label("segmentation.churn.chart.title", language), loc="left", fontsize=11)
    handles = [
        Line2D(
            [], [], marker="s", linestyle="", color=SATURATED, label=label("segmentation.churn.chart.trust", language)
        ),
        Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            color=PALETTE["muted"],
            label=label("segmentation.churn.chart.other", language),
        ),
    ]
    figure.legend(handles=handles, frameon=False, fontsize=7, loc="outside lower center", ncols=2)
    return figure
