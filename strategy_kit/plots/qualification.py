"""Charts of lead qualification: win rate by attribute value with its interval (persona values
marked), win rate inside and outside the persona, and the calibration of the win score."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from strategy_kit.analytics.qualification import STATUSES, persona_accepts
from strategy_kit.analytics.qualification_score import Calibration
from strategy_kit.i18n import format_percent, label
from strategy_kit.inputs.persona import Persona
from strategy_kit.narrative.qualification import attribute_name, value_name
from strategy_kit.plots import PALETTE, WIDTH, Chart, empty_figure, style_axes

OUTSIDE_COLOUR = "#c8553d"


def _percent_axis(axis: Axis, language: str) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: format_percent(v, language, 0)))


def _in_persona(attribute: str, value: str, persona: Persona | None) -> bool | None:
    return None if persona is None else persona_accepts(persona, attribute, value)


def lift_chart(
    lift: pd.DataFrame,
    language: str,
    persona: Persona | None = None,
    attributes: tuple[str, ...] = ("sector", "size_band", "region"),
) -> Figure:
    """Win rate of each value of ``attributes`` with its 95 % interval, one panel per attribute, the
    overall rate as a line; values the persona accepts in blue, those it leaves out in red, values
    of attributes it does not constrain in grey."""
    title = label("qualification.chart.lift", language)
    rows = lift[lift["attribute"].isin(attributes)]
    shown = [a for a in attributes if a in set(rows["attribute"])]
    if not shown:
        return empty_figure(title, label("qualification.chart.empty", language))
    heights = [max(len(rows[rows["attribute"] == a]), 1) for a in shown]
    figure = Chart(figsize=(WIDTH, 0.9 + 0.24 * sum(heights) + 0.35 * len(shown)), layout="constrained")
    grid = figure.add_gridspec(len(shown), 1, height_ratios=heights)
    overall = float(rows["overall_win_rate"].iloc[0])
    high = float(np.nanmax(rows["ci_high"])) if rows["ci_high"].notna().any() else 1.0
    for position, attribute in enumerate(shown):
        axes = figure.add_subplot(grid[position])
        mine = rows[rows["attribute"] == attribute].iloc[::-1]
        y = np.arange(len(mine))
        colours = []
        for value in mine["value"]:
            inside = _in_persona(attribute, value, persona)
            colours.append(PALETTE["muted"] if inside is None else PALETTE["current"] if inside else OUTSIDE_COLOUR)
        axes.barh(y, mine["win_rate"], color=colours, height=0.6)
        errors = np.vstack([mine["win_rate"] - mine["ci_low"], mine["ci_high"] - mine["win_rate"]])
        axes.errorbar(
            mine["win_rate"], y, xerr=np.nan_to_num(errors), fmt="none", ecolor="#333333", elinewidth=0.8, capsize=2
        )
        axes.axvline(overall, color="#333333", linestyle="--", linewidth=0.8)
        axes.set_yticks(y, [value_name(v, language) for v in mine["value"]], fontsize=8)
        axes.set_xlim(0, min(1.0, high * 1.1))
        _percent_axis(axes.xaxis, language)
        axes.tick_params(axis="x", labelsize=8)
        axes.set_title(attribute_name(attribute, language), loc="left", fontsize=9)
        axes.grid(axis="x", color=PALETTE["grid"], linewidth=0.6)
        style_axes(axes)
    handles = [
        Line2D(
            [],
            [],
            color="#333333",
            linestyle="--",
            linewidth=0.8,
            label=label("qualification.chart.overall", language, rate=format_percent(overall, language, 0)),
        )
    ]
    if persona is not None:
        handles += [
            Line2D(
                [], [], color=PALETTE["current"], linewidth=6, label=label("qualification.chart.in_persona", language)
            ),
            Line2D(
                [], [], color=OUTSIDE_COLOUR, linewidth=6, label=label("qualification.chart.not_in_persona", language)
            ),
        ]
    figure.legend(handles=handles, loc="outside upper right", ncols=len(handles), fontsize=8, frameon=False)
    figure.suptitle(title, x=0.01, ha="left", fontsize=11)
    return figure


def fit_chart(outcomes: pd.DataFrame, language: str) -> Figure:
    """Win rate of the deals closed in the window inside, outside the persona and not checkable,
    with the 95 % interval and the number of closed deals on each bar."""
    title = label("qualification.chart.fit", language)
    table = outcomes[outcomes["closed"] > 0]
    if table.empty:
        return empty_figure(title, label("qualification.chart.empty", language))
    figure = Chart(figsize=(WIDTH, 0.8 + 0.45 * len(table)), layout="constrained")
    axes = figure.add_subplot()
    colours = {"fit": PALETTE["current"], "outside": OUTSIDE_COLOUR, "unknown": PALETTE["muted"]}
    order = [g for g in STATUSES if g in set(table["group"])][::-1]
    table = table.set_index("group").loc[order]
    y = np.arange(len(table))
    axes.barh(y, table["win_rate"], color=[colours[g] for g in table.index], height=0.6)
    errors = np.vstack([table["win_rate"] - table["ci_low"], table["ci_high"] - table["win_rate"]])
    axes.errorbar(table["win_rate"], y, xerr=errors, fmt="none", ecolor="#333333", elinewidth=0.8, capsize=3)
    for position, (rate, high) in enumerate(zip(table["win_rate"], table["ci_high"])):
        axes.text(high + 0.01, position, format_percent(rate, language, 0), va="center", fontsize=8)
    axes.set_yticks(y, [label(f"qualification.group.{g}", language) for g in table.index], fontsize=8)
    axes.set_xlim(0, min(1.0, float(table["ci_high"].max()) * 1.25))
    _percent_axis(axes.xaxis, language)
    axes.tick_params(axis="x", labelsize=8)
    axes.grid(axis="x", color=PALETTE["grid"], linewidth=0.6)
    axes.set_title(title, loc="left", fontsize=11)
    style_axes(axes)
    return figure


def calibration_chart(result: Calibration, language: str) -> Figure:
    """Actual win rate (with its interval) against mean predicted probability per score band, and
    the diagonal of a perfectly calibrated score; each point carries its number of deals."""
    title = label("qualification.chart.calibration", language)
    table = result.table[result.table["deals"] > 0]
    if table.empty:
        return empty_figure(title, label("qualification.chart.empty", language))
    figure = Chart(figsize=(WIDTH * 0.62, WIDTH * 0.5), layout="constrained")
    axes = figure.add_subplot()
    axes.plot(
        [0, 1],
        [0, 1],
        color=PALETTE["muted"],
        linestyle="--",
        linewidth=0.8,
        label=label("qualification.chart.perfect", language),
    )
    errors = np.vstack([table["actual"] - table["ci_low"], table["ci_high"] - table["actual"]])
    axes.errorbar(
        table["predicted"],
        table["actual"],
        yerr=errors,
        fmt="o",
        color=PALETTE["current"],
        ecolor=PALETTE["current"],
        elinewidth=0.8,
        capsize=3,
        markersize=4,
        label=label("qualification.chart.actual", language),
    )
    for predicted, actual, deals in zip(table["predicted"], table["actual"], table["deals"]):
        axes.annotate(
            f"n={deals}", (predicted, actual), textcoords="offset points", xytext=(6, -3), fontsize=7, color="#4b5660"
        )
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    _percent_axis(axes.xaxis, language)
    _percent_axis(axes.yaxis, language)
    axes.set_xlabel(label("qualification.chart.predicted", language), fontsize=8)
    axes.set_ylabel(label("qualification.chart.actual", language), fontsize=8)
    axes.tick_params(labelsize=8)
    axes.grid(color=PALETTE["grid"], linewidth=0.6)
    axes.legend(fontsize=8, frameon=False, loc="upper left")
    axes.set_title(title, loc="left", fontsize=11)
    style_axes(axes)
    return figure
