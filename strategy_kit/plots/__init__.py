"""Charts of the analyses: each function takes analysis results and returns a matplotlib Figure.

Figures are built with :class:`matplotlib.figure.Figure` (not pyplot), so they hold no global
state: nothing is shown, saved or closed here. Notebooks display them; reports embed them as SVG.
Every shown text comes from :mod:`strategy_kit.labels` in the requested language.
"""
from __future__ import annotations

# Colours shared by the charts (colour-blind-safe pair for "now" and "before").
PALETTE = {"current": "#1f5f8b", "previous": "#d9822b", "muted": "#9aa5b1", "grid": "#e3e7eb"}
