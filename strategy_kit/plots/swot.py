"""The SWOT shown in reports: the 2×2 matrix (HTML, so long sentences wrap in the PDF as text) and
the what-if chart (a matplotlib Figure: the additional revenue of each lever, ranked)."""

from __future__ import annotations

import html
from collections.abc import Mapping

from matplotlib.figure import Figure

from strategy_kit.analytics.swot_what_if import WhatIf
from strategy_kit.config import ClientConfig
from strategy_kit.i18n import format_compact_currency, format_percent, label
from strategy_kit.inputs.swot import QUADRANTS, Swot
from strategy_kit.narrative.swot import lever_names
from strategy_kit.plots import PALETTE, Chart, value_axis

# Quadrant colours: internal (top row) green and red, external (bottom row) blue and orange, light.
QUADRANT_COLOURS = {"strengths": "#e6f2e8", "weaknesses": "#f9e3e1", "opportunities": "#e3eef7", "threats": "#fbeedd"}
QUADRANT_BORDERS = {"strengths": "#3b8a4a", "weaknesses": "#b8463a", "opportunities": "#1f5f8b", "threats": "#d9822b"}


def _empty_text(swot: Swot, quadrant: str, language: str, empty: Mapping[str, str]) -> str:
    """Why a quadrant has no item: the strategist kept none (a saved SWOT), else the draft's reason
    (:func:`strategy_kit.narrative.swot.empty_quadrants`); "No item" only when none is given."""
    if not swot.draft:
        return label("swot.matrix.empty_saved", language)
    return empty.get(quadrant) or label("swot.matrix.empty", language)


def _cell(swot: Swot, quadrant: str, language: str, empty: Mapping[str, str]) -> str:
    title = html.escape(label(f"swot.quadrant.{quadrant}", language))
    items = swot.quadrant(quadrant)
    if items:
        entries = "".join(
            '<li style="margin:0 0 0.25em 0">'
            f'<span class="sk-swot-text">{html.escape(item.text)}</span>'
            + (
                # the evidence runs on after the item (an em dash between), so the matrix holds on one page
                f' — <span class="sk-swot-evidence" style="font-size:90%;color:#4a5560">{html.escape(item.evidence)}</span>'
                if item.evidence
                else ""
            )
            + "</li>"
            for item in items
        )
        body = f'<ul style="margin:0.3em 0 0 1.1em;padding:0">{entries}</ul>'
    else:
        text = html.escape(_empty_text(swot, quadrant, language, empty))
        body = f'<p class="sk-swot-empty" style="margin:0.3em 0 0 0;color:#4a5560">{text}</p>'
    style = (
        f"width:50%;vertical-align:top;padding:0.35em 0.5em;background:{QUADRANT_COLOURS[quadrant]};"
        f"border:1.5px solid {QUADRANT_BORDERS[quadrant]}"
    )
    return (
        f'<td class="sk-swot-{quadrant}" style="{style}">'
        f'<strong style="color:{QUADRANT_BORDERS[quadrant]}">{title}</strong>{body}</td>'
    )


def swot_matrix_html(swot: Swot, language: str, empty: Mapping[str, str] | None = None) -> str:
    """The 2×2 matrix: strengths and weaknesses (internal) above, opportunities and threats
    (external) below; each item with its evidence. A draft carries a "Draft" badge. ``empty``:
    quadrant -> why the draft has none (an empty quadrant of a draft says why, not "No item")."""
    badge = ""
    if swot.draft:
        badge = (
            f'<p class="sk-swot-draft" style="margin:0 0 0.3em 0"><span style="border:1px solid #b8463a;'
            f'color:#b8463a;padding:0.05em 0.4em;font-weight:bold;text-transform:uppercase;font-size:85%">'
            f"{html.escape(label('swot.matrix.draft', language))}</span></p>"
        )
    rows = "".join(
        "<tr>" + "".join(_cell(swot, quadrant, language, empty or {}) for quadrant in pair) + "</tr>"
        for pair in (QUADRANTS[:2], QUADRANTS[2:])
    )
    return (
        f'<div class="sk-swot" style="break-inside:avoid;page-break-inside:avoid">{badge}<table class="sk-swot-matrix" '
        f'style="width:100%;border-collapse:separate;border-spacing:2px;table-layout:fixed;font-size:7.5pt;'
        f'line-height:1.2;break-inside:avoid;page-break-inside:avoid">'
        f"<tbody>{rows}</tbody></table></div>"
    )


def what_if_chart(result: WhatIf, config: ClientConfig, language: str) -> Figure:
    """Horizontal bars: the revenue each lever adds over 12 months, the largest on top; the bars
    of the levers ranked first in the period's colour, the others grey; each bar labelled with
    its amount and its share of the base revenue."""
    table = result.table.iloc[::-1]  # barh draws bottom-up: the first rank on top
    currency = config.currency
    height = 0.9 + 0.32 * len(table)
    figure = Chart(figsize=(7.2, height), layout="constrained")
    axes = figure.subplots()
    colours = [PALETTE["current"] if rank == 1 else PALETTE["muted"] for rank in table["rank"]]
    positions = range(len(table))
    axes.barh(list(positions), table["impact"], color=colours, height=0.6)
    axes.set_yticks(list(positions), lever_names(table, config, language), fontsize=7.5)
    top = float(table["impact"].max()) if len(table) else 0.0
    for position, impact, share in zip(positions, table["impact"], table["impact_share"]):
        axes.text(
            impact + top * 0.01,
            position,
            f"{format_compact_currency(impact, language, currency)} ({format_percent(share, language, 1)})",
            va="center",
            fontsize=7,
        )
    axes.set_xlim(0, top * 1.25 if top > 0 else 1)
    value_axis(axes.xaxis, "currency", language, currency)
    axes.tick_params(axis="x", labelsize=7)
    axes.set_xlabel(label("swot.what_if.axis", language), fontsize=7.5)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_axisbelow(True)
    axes.grid(axis="x", color=PALETTE["grid"])
    return figure
