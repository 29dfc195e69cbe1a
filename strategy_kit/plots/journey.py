"""Charts of the customer journey: the journey map, the funnel, time in stage with its spread,
where deals are lost, and conversion per stage by group (owner, source...)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from strategy_kit.analytics.journey_results import (
    MIN_DEALS,
    SALES_CYCLE,
    ActivityMix,
    Funnel,
    FunnelBreakdown,
    LostReasons,
    TimeInStage,
)
from strategy_kit.i18n import format_integer, format_number, format_percent, label
from strategy_kit.narrative.journey import format_days, group_name, stage_label, with_labels
from strategy_kit.plots import PALETTE, WIDTH, Chart, empty_figure, style_axes, wrap_label

# One colour per activity type (colour-blind-safe, distinct from the current/previous pair).
ACTIVITY_COLOURS = {
    "call": "#1f5f8b",
    "email": "#5fa2ce",
    "meeting": "#d9822b",
    "linkedin": "#7a5195",
    "other": "#9aa5b1",
}
OUTCOME_COLOURS = {"advanced": PALETTE["current"], "lost": "#c8553d", "still_open": PALETTE["muted"]}
REASON_COLOURS = ("#1f5f8b", "#d9822b", "#5fa2ce", "#7a5195", "#c8553d", "#59a14f", "#edc948")


def _percent(value: float, language: str) -> str:
    return format_percent(value, language, 0)


# --------------------------------------------------------------------------- journey map


def journey_map(funnel: Funnel, times: TimeInStage, mix: ActivityMix | None, language: str) -> Figure:
    """Stages left to right: deals that entered each one in the period (box shade grows with the
    volume), the conversion to the next stage on the arrows, the median days spent, and below,
    the mean activities per deal at each stage by type (omitted when ``mix`` is None)."""
    table = with_labels(funnel.table, funnel.client_stages, language)
    count = len(table)
    with_mix = mix is not None and bool(len(mix.per_stage))
    figure = Chart(figsize=(WIDTH, 4.0 if with_mix else 2.4), layout="constrained")
    grid = figure.add_gridspec(2 if with_mix else 1, 1, height_ratios=[2.0, 1.4] if with_mix else [1])
    axes = figure.add_subplot(grid[0])
    axes.set_xlim(-0.5, count - 0.5)
    axes.set_ylim(0, 1)
    axes.axis("off")

    medians = times.table.set_index("stage")["median"]
    cycle = medians.get(SALES_CYCLE, np.nan)
    widest = max(int(table["entered"].max()), 1)
    box, top = 0.62, 0.7
    scale = min(1.0, 7 / max(count, 1))  # smaller type when there are more than seven stages
    label_width = 13 if count > 5 else 18
    for position, row in enumerate(table.itertuples(index=False)):
        shade = 0.15 + 0.6 * row.entered / widest
        axes.add_patch(
            FancyBboxPatch(
                (position - box / 2, 0.04),
                box,
                top - 0.04,
                boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=PALETTE["current"],
                alpha=shade,
                edgecolor=PALETTE["current"],
                linewidth=0.8,
            )
        )
        ink = "white" if shade > 0.45 else "#14324a"
        axes.text(
            position,
            top + 0.04,
            wrap_label(row.label, label_width),
            ha="center",
            va="bottom",
            fontsize=7.2 * scale,
            fontweight="bold",
            color="#14324a",
            linespacing=1.1,
        )
        axes.text(
            position,
            0.52,
            format_integer(row.entered, language),
            ha="center",
            va="center",
            fontsize=10.5 * scale,
            fontweight="bold",
            color=ink,
        )
        axes.text(
            position,
            0.38,
            label("journey.chart.map.entered", language),
            ha="center",
            va="center",
            fontsize=6.3 * scale,
            color=ink,
        )
        if row.stage in medians.index and not pd.isna(medians[row.stage]):
            days = label("journey.chart.map.median", language, days=format_days(medians[row.stage], language))
        elif position == count - 1 and not pd.isna(cycle):
            days = label("journey.chart.map.cycle", language, days=format_days(cycle, language))
        else:
            days = ""
        axes.text(position, 0.16, days, ha="center", va="center", fontsize=6.3 * scale, color=ink)
        if position < count - 1:
            axes.annotate(
                "",
                xy=(position + 1 - box / 2 - 0.02, 0.34),
                xytext=(position + box / 2 + 0.02, 0.34),
                arrowprops={"arrowstyle": "-|>", "color": "#4b5660", "linewidth": 0.9},
            )
            axes.text(
                position + 0.5,
                0.43,
                _percent(row.next_step_conversion, language),
                ha="center",
                va="bottom",
                fontsize=7 * scale,
                color="#14324a",
            )
    axes.set_title(label("journey.chart.map.title", language), loc="left", fontsize=11)

    if mix is not None and with_mix:
        bars = figure.add_subplot(grid[1], sharex=axes)
        per_stage = mix.per_stage.set_index("stage")
        positions = [i for i, stage in enumerate(table["stage"]) if stage in per_stage.index]
        stages = [table["stage"].iloc[i] for i in positions]
        bottom = np.zeros(len(positions))
        for activity_type in mix.types:
            values = per_stage.loc[stages, activity_type].fillna(0.0).to_numpy()
            bars.bar(
                positions,
                values,
                bottom=bottom,
                width=box,
                color=ACTIVITY_COLOURS[activity_type],
                label=label(f"journey.activity_type.{activity_type}", language),
            )
            bottom += values
        for position, total in zip(positions, bottom):
            bars.annotate(
                format_number(total, language, 1),
                (position, total),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=6.5,
                color="#333333",
            )
        bars.set_xticks([])
        bars.spines["bottom"].set_visible(False)
        bars.set_ylim(0, max(float(bottom.max()) if len(bottom) else 0.0, 0.1) * 1.18)
        bars.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10]))
        bars.yaxis.set_major_formatter(FuncFormatter(lambda y, _: format_days(round(y, 1), language)))
        bars.grid(axis="y", color=PALETTE["grid"])
        style_axes(bars)
        bars.set_ylabel(label("journey.chart.map.mix_axis", language), fontsize=8)
        bars.tick_params(labelsize=7)
        handles, names = bars.get_legend_handles_labels()
        figure.legend(handles, names, frameon=False, fontsize=7.5, loc="outside lower center", ncols=len(mix.types))
    return figure


# --------------------------------------------------------------------------- funnel


def funnel_chart(funnel: Funnel, language: str) -> Figure:
    """Centred bars per stage: the deals that entered it in the period, split into those that moved
    on, were lost there and are still there; next-step and cumulative conversion on the right."""
    table = with_labels(funnel.table, funnel.client_stages, language)
    figure = Chart(figsize=(WIDTH, 0.42 * len(table) + 1.4), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(table))
    widest = max(int(table["entered"].max()), 1)
    left = (widest - table["entered"].to_numpy()) / 2
    for part in ("advanced", "lost", "still_open"):
        values = table[part].to_numpy()
        axes.barh(
            positions,
            values,
            left=left,
            height=0.66,
            color=OUTCOME_COLOURS[part],
            label=label(f"journey.chart.funnel.{part}", language),
        )
        left = left + values
    axes.set_yticks(positions, [wrap_label(text, 30) for text in table["label"]], fontsize=8)
    axes.set_ylim(len(table) - 0.5, -1.2)  # top to bottom, with a row for the header
    axes.set_xlim(0, widest * 1.62)
    axes.set_xticks([])
    axes.tick_params(axis="y", length=0)
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)
    header = widest * 1.04
    axes.text(header, -0.85, label("journey.chart.funnel.header", language), fontsize=7, color="#4b5660", va="center")
    for position, row in enumerate(table.itertuples(index=False)):
        text = label(
            "journey.chart.funnel.row",
            language,
            entered=format_integer(row.entered, language),
            next_step=_percent(row.next_step_conversion, language),
            cumulative=_percent(row.cumulative_conversion, language),
        )
        axes.text(header, position, text, va="center", fontsize=7.5, color="#1d2731")
    axes.set_title(label("journey.chart.funnel.title", language), loc="left", fontsize=11)
    figure.legend(frameon=False, fontsize=7.5, loc="outside lower center", ncols=3)
    return figure


# --------------------------------------------------------------------------- time in stage


def _spread_rows(axes: Axes, rows: pd.DataFrame, language: str, show_labels: bool) -> None:
    positions = np.arange(len(rows))
    median, p75, p90 = rows["median"].to_numpy(), rows["p75"].to_numpy(), rows["p90"].to_numpy()
    axes.hlines(
        positions,
        median,
        p90,
        color=PALETTE["current"],
        linewidth=1,
        zorder=2,
        label=label("journey.chart.time.p90", language) if show_labels else "_nolegend_",
    )
    axes.barh(
        positions,
        p75 - median,
        left=median,
        height=0.42,
        color="#9cc3e0",
        zorder=2,
        label=label("journey.chart.time.p75", language) if show_labels else None,
    )
    axes.plot(p90, positions, "|", color=PALETTE["current"], markersize=9, zorder=3)
    axes.plot(
        median,
        positions,
        "o",
        color=PALETTE["current"],
        markersize=5,
        zorder=4,
        label=label("journey.chart.time.median", language) if show_labels else None,
    )
    axes.plot(
        rows["previous_median"],
        positions,
        "D",
        markerfacecolor="white",
        markeredgecolor=PALETTE["previous"],
        markersize=4.5,
        zorder=5,
        label=label("journey.chart.time.previous", language) if show_labels else None,
    )
    for position, (m, p) in enumerate(zip(median, p90)):
        if not pd.isna(m):
            axes.annotate(
                format_days(m, language),
                (p, position),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
                color="#333333",
            )
    axes.set_yticks(positions, [wrap_label(text, 30) for text in rows["label"]], fontsize=8)
    axes.invert_yaxis()
    highest = np.nanmax(np.concatenate([p90, rows["previous_median"].to_numpy(), [1.0]]))
    axes.set_xlim(0, highest * 1.15)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_number(x, language, 0)))
    axes.grid(axis="x", color=PALETTE["grid"])
    axes.tick_params(axis="x", labelsize=7.5)
    style_axes(axes)


def time_in_stage_chart(times: TimeInStage, language: str) -> Figure:
    """Per stage, the median days spent (dot) with the P75 (box) and P90 (whisker) of the stays
    that ended in the period and the previous period's median (diamond); the whole sales cycle on
    its own scale below."""
    table = with_labels(times.table, times.client_stages, language)
    stages = table[table["stage"] != SALES_CYCLE]
    cycle = table[table["stage"] == SALES_CYCLE]
    figure = Chart(figsize=(WIDTH, 0.4 * len(stages) + 2.2), layout="constrained")
    grid = figure.add_gridspec(2, 1, height_ratios=[max(len(stages), 1), 1.25])
    axes = figure.add_subplot(grid[0])
    _spread_rows(axes, stages, language, show_labels=True)
    axes.set_title(label("journey.chart.time.title", language), loc="left", fontsize=11)
    below = figure.add_subplot(grid[1])
    _spread_rows(below, cycle, language, show_labels=False)
    below.set_xlabel(label("journey.chart.time.axis", language), fontsize=8)
    figure.legend(*axes.get_legend_handles_labels(), frameon=False, fontsize=7.5, loc="outside lower center", ncols=4)
    return figure


# --------------------------------------------------------------------------- lost deals


def lost_reasons_chart(lost: LostReasons, language: str, top: int = 6) -> Figure:
    """Deals lost in the period per stage, split by reason (the ``top`` most frequent, then others)."""
    by_stage = with_labels(lost.by_stage, lost.client_stages, language)
    totals: dict[object, int] = {}
    for reasons in by_stage["reasons"]:
        for reason, count in reasons:
            totals[reason] = totals.get(reason, 0) + count
    named = [r for r, _ in sorted(totals.items(), key=lambda item: -item[1]) if r is not None][:top]
    figure = Chart(figsize=(WIDTH, 0.42 * len(by_stage) + 1.7), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(by_stage))
    left = np.zeros(len(by_stage))
    series = [(reason, str(reason)) for reason in named]
    series.append(("__rest__", label("journey.chart.lost.other", language)))
    for index, (reason, text) in enumerate(series):
        values = np.array(
            [
                sum(n for r, n in reasons if (r not in named if reason == "__rest__" else r == reason))
                for reasons in by_stage["reasons"]
            ],
            dtype=float,
        )
        if not values.any():
            continue
        colour = PALETTE["muted"] if reason == "__rest__" else REASON_COLOURS[index % len(REASON_COLOURS)]
        axes.barh(positions, values, left=left, height=0.62, color=colour, label=wrap_label(text, 28))
        left += values
    for position, total in enumerate(by_stage["lost"]):
        axes.annotate(
            format_integer(total, language),
            (left[position], position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            color="#333333",
        )
    axes.set_yticks(positions, [wrap_label(text, 30) for text in by_stage["label"]], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, max(float(left.max()) if len(left) else 0.0, 1.0) * 1.12)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_integer(x, language)))
    axes.grid(axis="x", color=PALETTE["grid"])
    axes.tick_params(axis="x", labelsize=7.5)
    style_axes(axes)
    axes.set_xlabel(label("journey.chart.lost.axis", language), fontsize=8)
    axes.set_title(label("journey.chart.lost.title", language), loc="left", fontsize=11)
    if axes.get_legend_handles_labels()[0]:
        figure.legend(frameon=False, fontsize=7, loc="outside lower center", ncols=4)
    return figure


# --------------------------------------------------------------------------- breakdown


def breakdown_chart(breakdown: FunnelBreakdown, language: str, max_groups: int = 12) -> Figure:
    """Conversion per stage (columns) for each group (rows, most deals first, at most
    ``max_groups``), shaded against the whole team's conversion (orange below, blue above), and
    the group's win rate; cells resting on fewer than ``MIN_DEALS`` deals are greyed."""
    groups = breakdown.table[breakdown.table["deals"] > 0].head(max_groups)
    stages = breakdown.stages
    if groups.empty or stages.empty:
        title = label(f"journey.chart.breakdown.title.{breakdown.dimension}", language)
        return empty_figure(title, label("journey.chart.empty", language))
    present = set(stages["stage"])
    columns = [s for s in breakdown.stage_order if s in present] or list(dict.fromkeys(stages["stage"]))
    column_labels = {stage: stage_label(breakdown.client_stages, stage, language) for stage in present}
    entered = stages.pivot_table(index="group", columns="stage", values="entered", aggfunc="sum")
    advanced = stages.pivot_table(index="group", columns="stage", values="advanced", aggfunc="sum")
    team = advanced.sum() / entered.sum()
    entered = entered.reindex(index=groups["group"], columns=columns).fillna(0)
    conversion = advanced.reindex(index=groups["group"], columns=columns) / entered.where(entered > 0)
    gap = conversion - team.reindex(columns)

    figure = Chart(figsize=(WIDTH, 0.3 * len(groups) + 1.9), layout="constrained")
    axes = figure.add_subplot()
    colours = LinearSegmentedColormap.from_list("gap", [PALETTE["previous"], "#f7f7f7", PALETTE["current"]])
    shade = np.clip(gap.to_numpy(dtype=float) / 0.3, -1, 1)  # ±30 points saturate
    thin = entered.to_numpy() < MIN_DEALS
    shade = np.where(thin | np.isnan(shade), np.nan, shade)
    axes.imshow(
        shade, cmap=colours, vmin=-1, vmax=1, aspect="auto", extent=(-0.5, len(columns) - 0.5, len(groups) - 0.5, -0.5)
    )
    for row in range(len(groups)):
        for column in range(len(columns)):
            value = conversion.iat[row, column]
            axes.text(
                column,
                row,
                _percent(value, language),
                ha="center",
                va="center",
                fontsize=7,
                color="#9aa5b1" if thin[row, column] else "#1d2731",
                fontstyle="italic" if thin[row, column] else "normal",
            )
        won, closed = (format_integer(groups[c].iat[row], language) for c in ("won", "closed"))
        axes.text(
            len(columns) + 0.1,
            row,
            f"{_percent(groups['win_rate'].iat[row], language)} ({won}/{closed})",
            ha="left",
            va="center",
            fontsize=7,
            color="#1d2731",
        )
    axes.set_xticks(range(len(columns)), [wrap_label(column_labels[c], 13) for c in columns], fontsize=7)
    axes.xaxis.tick_top()
    names = [group_name(g, language) for g in groups["group"]]
    axes.set_yticks(range(len(groups)), [wrap_label(name, 34) for name in names], fontsize=7.5)
    axes.set_xlim(-0.5, len(columns) + 1.3)
    axes.text(
        len(columns) + 0.1,
        -0.62,
        wrap_label(label("journey.chart.breakdown.win_rate", language), 16),
        ha="left",
        va="bottom",
        fontsize=7,
    )
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(length=0)
    axes.set_title(label(f"journey.chart.breakdown.title.{breakdown.dimension}", language), loc="left", fontsize=11)
    axes.set_xlabel(
        label("journey.chart.breakdown.note", language, min=MIN_DEALS), fontsize=6.5, color="#4b5660", loc="left"
    )
    return figure
