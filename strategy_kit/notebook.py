"""What the notebooks call to load a client, show labelled tables and charts, and degrade gracefully.

A notebook starts with::

    from strategy_kit import notebook as nb
    ctx = nb.load_context(client, period, language, workspace)

and then shows results with :func:`show_title`, :func:`show_text`, :func:`show_table` and
:func:`show_figure`, wrapping each part in ``with nb.section(ctx, ...)`` so that a part whose data
the client lacks (:class:`~strategy_kit.errors.UnavailableError`) shows "not available: <reason>"
instead of stopping the notebook (and the report).

Every shown text comes from :mod:`strategy_kit.i18n` in the report's language, so the PDF is in
the client's language whatever language the notebook's own markdown cells are written in.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd

from strategy_kit.context import (  # noqa: F401  (the notebooks call them as nb.load_context...)
    ReportContext,
    check_period_in_data,
    load_context,
    resolve_language,
    resolve_period,
    resolve_workspace,
)
from strategy_kit.errors import UnavailableError
from strategy_kit.i18n import format_integer, format_value, label
from strategy_kit.narrative import Finding, Table

NUMERIC_KINDS = frozenset({"integer", "number", "currency", "percent"})
DATE_KINDS = frozenset({"date", "month"})


def _cell_class(kind: str | None) -> str:
    """The class of a table cell: numbers are right-aligned, numbers and dates never wrap."""
    return "num" if kind in NUMERIC_KINDS else "date" if kind in DATE_KINDS else "text"


def notebook_setup() -> None:
    """Charts as SVG (vector, sharp in the PDF) with reproducible ids and no timestamp.

    Text stays text in the SVG (``svg.fonttype = none``) instead of glyph outlines: the PDF's
    charts are searchable and WeasyPrint lays them out about five times faster.
    """
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "strategy-kit"
    matplotlib.rcParams["svg.fonttype"] = "none"
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # outside Jupyter: nothing to configure
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg", bbox_inches="tight", metadata={"Date": None})


# --------------------------------------------------------------------------- HTML pieces


def table_html(
    frame: pd.DataFrame,
    language: str,
    currency: str = "EUR",
    columns: Sequence[str] | Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    translate: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> str:
    """A DataFrame as a report table: labelled headers, values written for ``language``.

    ``columns``: the columns to show, in order; a mapping gives each one's header label key
    (default ``column.<name>``). ``kinds``: value kind per column (``integer``, ``currency``,
    ``percent``, ``date``, ``month``, ``text``...; default ``text``); numeric kinds are right-aligned.
    ``translate``: columns whose values are label keys suffixes, e.g. ``{"table": "table"}`` shows
    the value ``deals`` as ``label("table.deals")``. ``headers``: headers already written (a KPI's
    label from the registry), in place of the label of ``columns``.
    """
    kinds = kinds or {}
    translate = translate or {}
    if columns is None:
        columns = list(frame.columns)
    keys = dict(columns) if isinstance(columns, Mapping) else {c: f"column.{c}" for c in columns}
    written = headers or {}
    head = "".join(
        f'<th class="{_cell_class(kinds.get(c))}">{html.escape(written.get(c) or label(key, language))}</th>'
        for c, key in keys.items()
    )

    def cell(column: str, value: Any) -> str:
        kind = kinds.get(column, "text")
        if column in translate and isinstance(value, str):
            text = label(f"{translate[column]}.{value}", language)
        else:
            text = format_value(value, kind, language, currency)
        return f'<td class="{_cell_class(kind)}">{html.escape(text)}</td>'

    body = "".join(
        "<tr>" + "".join(cell(c, row[c]) for c in keys) + "</tr>"
        for row in frame[list(keys)].to_dict("records")
    )
    return f'<table class="sk-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def left_out_text(left_out: Mapping[str, int], language: str) -> str:
    """``Rows left out: 2 without a creation date, 1 without a value.`` (empty when nothing was)."""
    details = [label(f"excluded.{reason}", language, count=format_integer(count, language))
               for reason, count in left_out.items() if count]
    return label("report.left_out", language, details=", ".join(details)) if details else ""


def _display_html(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def show_title(ctx: ReportContext, key: str, level: int = 1, **fields: Any) -> None:
    _display_html(f'<h{level}>{html.escape(ctx.label(key, **fields))}</h{level}>')


def show_text(ctx: ReportContext, key: str, css_class: str = "", **fields: Any) -> None:
    """A paragraph from the label ``key``."""
    attribute = f' class="{css_class}"' if css_class else ""
    _display_html(f"<p{attribute}>{html.escape(ctx.label(key, **fields))}</p>")


def show_note(ctx: ReportContext, text: str) -> None:
    """A small paragraph of already-labelled text (sources, rows left out); nothing when empty."""
    if text:
        _display_html(f'<p class="sk-note">{html.escape(text)}</p>')


def show_left_out(ctx: ReportContext, left_out: Mapping[str, int]) -> None:
    show_note(ctx, left_out_text(left_out, ctx.language))


def show_table(ctx: ReportContext, table: Table | pd.DataFrame, **options: Any) -> None:
    """Display a narrative :class:`~strategy_kit.narrative.Table`, or a DataFrame with the options
    of :func:`table_html`."""
    if isinstance(table, Table):
        options = {**table.options(), **options}
        table = table.frame
    _display_html(table_html(table, ctx.language, ctx.currency, **options))


def show_finding(ctx: ReportContext, finding: Finding, css_class: str = "") -> None:
    """A paragraph: one sentence of a step's narrative."""
    attribute = f' class="{css_class}"' if css_class else ""
    _display_html(f"<p{attribute}>{html.escape(finding.text)}</p>")


def show_findings(ctx: ReportContext, findings: Iterable[Finding], css_class: str = "") -> None:
    for finding in findings:
        show_finding(ctx, finding, css_class)


def show_figure(figure: Any) -> None:
    """Display a matplotlib Figure (SVG after :func:`notebook_setup`)."""
    from IPython.display import display

    display(figure)


def unavailable_html(reason: str, language: str) -> str:
    return f'<p class="sk-unavailable">{html.escape(label("report.unavailable", language, reason=reason))}</p>'


def show_unavailable(ctx: ReportContext | str, reason: str) -> None:
    """Show "not available: <reason>" in the report's language (``ctx`` or a language code)."""
    language = ctx if isinstance(ctx, str) else ctx.language
    _display_html(unavailable_html(reason, language))


@contextmanager
def section(ctx: ReportContext, title_key: str | None = None, level: int = 2, **fields: Any) -> Iterator[None]:
    """A titled part of a notebook; when its data is unavailable it says so and the notebook goes on."""
    if title_key:
        show_title(ctx, title_key, level, **fields)
    try:
        yield
    except UnavailableError as exc:
        show_unavailable(ctx, exc.reason(ctx.language))
