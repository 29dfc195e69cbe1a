"""The call analysis's chart: a weekday × hour-band heatmap of the connect or meeting rate.

Cells with too few calls for a rate are grey and carry no number (never 0 % or 100 %).
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from strategy_kit.analytics.outreach import BAND_ORDER, MIN_CALLS, CallAnalysis
from strategy_kit.i18n import format_percent, label
from strategy_kit.narrative.outreach import band_name, weekday_name
from strategy_kit.plots import PALETTE, WIDTH, Chart, empty_figure, style_axes

TOO_FEW = "#d5d9de"  # the grey of a cell with too few calls
WORKDAYS = (1, 2, 3, 4, 5)


def heatmap(analysis: CallAnalysis, language: str, rate: str = "connect", min_calls: int = MIN_CALLS) -> Figure:
    """Weekdays (Monday to Friday, and the weekend days that had calls) × hour bands, coloured by
    ``rate`` (``connect`` or ``meeting``) and labelled with it; cells under ``min_calls`` calls grey."""
    title = label(f"outreach.heatmap.title_{rate}", language)
    slots = analysis.slots
    if slots.empty:
        return empty_figure(title, label("outreach.heatmap.empty", language))
    days = sorted(set(WORKDAYS) | {int(w) for w in slots["weekday"]})
    values = np.full((len(days), len(BAND_ORDER)), np.nan)
    for row in slots.itertuples(index=False):
        if row.enough:
            values[days.index(int(row.weekday)), BAND_ORDER.index(row.hour_band)] = getattr(row, f"{rate}_rate")
    figure = Chart(figsize=(WIDTH, 0.45 * len(days) + 1.3), layout="constrained")
    axes = figure.add_subplot()
    colours = LinearSegmentedColormap.from_list("rate", ["#f4f7fa", PALETTE["current"]]).with_extremes(bad=TOO_FEW)
    masked = np.ma.masked_invalid(values)
    top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
    axes.imshow(masked, cmap=colours, vmin=0.0, vmax=max(top, 1e-9), aspect="auto")
    for i in range(len(days)):
        for j in range(len(BAND_ORDER)):
            value = values[i, j]
            if np.isnan(value):
                continue
            dark = value > 0.6 * top
            axes.text(
                j,
                i,
                format_percent(value, language, 0),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "#1b2733",
            )
    axes.set_xticks(range(len(BAND_ORDER)), [band_name(b, language) for b in BAND_ORDER], fontsize=8)
    axes.set_yticks(range(len(days)), [weekday_name(d, language) for d in days], fontsize=8)
    axes.tick_params(length=0)
    style_axes(axes)
    for side in ("left", "bottom"):
        axes.spines[side].set_visible(False)
    axes.set_title(title, loc="left", fontsize=11)
    axes.set_xlabel(
        label("outreach.heatmap.too_few", language, min=min_calls), loc="left", fontsize=7.5, color="#4b5660"
    )
    return figure
