"""Charts of the analyses: each function takes analysis results and returns a matplotlib Figure.

Figures are built with :class:`matplotlib.figure.Figure` (not pyplot), so they hold no global
state: nothing is shown, saved or closed here. Notebooks display them; reports embed them as SVG.
Every shown text comes from :mod:`strategy_kit.labels` in the requested language.
"""
from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.figure import Figure

# Colours shared by the charts (colour-blind-safe pair for "now" and "before").
PALETTE = {"current": "#1f5f8b", "previous": "#d9822b", "muted": "#9aa5b1", "grid": "#e3e7eb"}

WIDTH = 7.2  # inches: the printable width of an A4 page at the report's margins


def style_axes(axes: Any, grid: bool = False) -> None:
    """The house style: no top and right spines, grid (when asked) behind the data."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_axisbelow(True)
    if grid:
        axes.grid(axis="y", color=PALETTE["grid"])


def wrap_label(text: object, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters, words kept whole."""
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False)) or str(text)


def empty_figure(title: str, message: str) -> Figure:
    """A small figure saying there is nothing to draw (rather than an empty chart)."""
    figure = Figure(figsize=(WIDTH, 1.2), layout="constrained")
    axes = figure.add_subplot()
    axes.axis("off")
    axes.text(0.5, 0.4, message, ha="center", va="center", fontsize=9, color="#4b5660", transform=axes.transAxes)
    axes.set_title(title, loc="left", fontsize=11)
    return figure
