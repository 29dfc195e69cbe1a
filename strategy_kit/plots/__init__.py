"""Charts of the analyses: each function takes analysis results and returns a matplotlib Figure.

Figures are built with :class:`matplotlib.figure.Figure` (not pyplot), so they hold no global
state: nothing is shown, saved or closed here. Notebooks display them; reports embed them as SVG.
Every shown text comes from :mod:`strategy_kit.i18n` in the requested language.

Charts are :class:`Chart` figures: their texts are never read as matplotlib mathtext, because most
of them come from the client's data (products, owners, stages, sectors, sources, lost reasons),
where a name like ``MG $\\bad{x}$ Special`` is text, not a formula.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import matplotlib
from matplotlib.axis import Axis, YAxis
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from strategy_kit.i18n import format_compact_currency, format_number, format_percent

# Colours shared by the charts (colour-blind-safe pair for "now" and "before").
PALETTE = {"current": "#1f5f8b", "previous": "#d9822b", "muted": "#9aa5b1", "grid": "#e3e7eb"}

WIDTH = 7.2  # inches: the printable width of an A4 page at the report's margins


# Text from data is shown as written: "$" is a dollar sign, "\\" a backslash.
PLAIN_TEXT: dict[Any, Any] = {"text.parse_math": False}  # rc keys are typed only from matplotlib 3.9


class Chart(Figure):
    """A Figure whose texts are drawn as plain text, never parsed as mathtext.

    Texts are made plain when the figure is laid out or drawn (every path to pixels, SVG or a
    tight bounding box goes through :meth:`draw` or :meth:`get_tightbbox`), and the tick labels
    matplotlib creates while drawing are created plain, so that no plot function has to escape
    its labels one by one.
    """

    def _plain_text(self) -> None:
        for text in self.findobj(Text):
            text.set_parse_math(False)

    def draw(self, renderer: Any) -> None:
        with matplotlib.rc_context(PLAIN_TEXT):
            self._plain_text()
            super().draw(renderer)
            self._plain_text()

    def get_tightbbox(self, *args: Any, **kwargs: Any) -> Any:
        with matplotlib.rc_context(PLAIN_TEXT):
            self._plain_text()
            return super().get_tightbbox(*args, **kwargs)


def style_axes(axes: Any, grid: bool = False) -> None:
    """The house style: no top and right spines, grid (when asked) behind the data."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_axisbelow(True)
    if grid:
        axes.grid(axis="y", color=PALETTE["grid"])


def value_axis(axis: Axis, unit: str, language: str, currency: str = "EUR", ticks: int = 5) -> None:
    """Ticks of ``axis`` for values of ``unit``: amounts in short form (``1,2 M€``), rates in %,
    counts as numbers. Amounts and counts tick on whole values only, and an axis shorter than one
    unit is widened to one, so a small or empty range never repeats a label ("0 € 0 € 0 € 1 €").
    Call it once the values are drawn."""
    if unit == "rate":
        axis.set_major_locator(MaxNLocator(nbins=ticks))
        axis.set_major_formatter(FuncFormatter(lambda v, _: format_percent(v, language, 0)))
        return
    low, high = sorted(axis.get_view_interval())
    if high - low < 1:  # an empty or tiny range: show one whole unit from 0, not ticks between
        limits = (min(0.0, math.floor(low)), max(1.0, math.ceil(high)))
        (axis.axes.set_ylim if isinstance(axis, YAxis) else axis.axes.set_xlim)(*limits)
    axis.set_major_locator(MaxNLocator(nbins=ticks, integer=True))
    if unit in ("currency", "currency_per_day"):
        axis.set_major_formatter(FuncFormatter(lambda v, _: format_compact_currency(v, language, currency)))
    else:
        axis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, language, 0)))


def wrap_label(text: object, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters, words kept whole."""
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False)) or str(text)


def empty_figure(title: str, message: str) -> Chart:
    """A small figure saying there is nothing to draw (rather than an empty chart)."""
    figure = Chart(figsize=(WIDTH, 1.2), layout="constrained")
    axes = figure.add_subplot()
    axes.axis("off")
    axes.text(0.5, 0.4, message, ha="center", va="center", fontsize=9, color="#4b5660", transform=axes.transAxes)
    axes.set_title(title, loc="left", fontsize=11)
    return figure
