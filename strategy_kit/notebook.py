"""What the notebooks call to load a client, show labelled tables and charts, and degrade gracefully.

A notebook starts with::

    from strategy_kit import notebook as nb
    ctx = nb.load_context(client, period, language, workspace)

and then shows results with :func:`show_title`, :func:`show_text`, :func:`show_table` and
:func:`show_figure`, wrapping each part in ``with nb.section(ctx, ...)`` so that a part whose data
the client lacks (:class:`~strategy_kit.errors.UnavailableError`) shows "not available: <reason>"
instead of stopping the notebook (and the report).

Every shown text comes from :mod:`strategy_kit.labels` in the report's language, so the PDF is in
the client's language whatever language the notebook's own markdown cells are written in.
"""
from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

import strategy_kit
from strategy_kit.config import LANGUAGES, ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.errors import ConfigError, PeriodError, UnavailableError
from strategy_kit.labels import format_date, format_integer, format_value, label, unavailable_reason
from strategy_kit.periods import Period, latest_complete_quarter, parse_period
from strategy_kit.workspace import WORKSPACE_ENV, Workspace, resolve_root

NUMERIC_KINDS = frozenset({"integer", "number", "currency", "percent"})
DATE_KINDS = frozenset({"date", "month"})


def _cell_class(kind: str | None) -> str:
    """The class of a table cell: numbers are right-aligned, numbers and dates never wrap."""
    return "num" if kind in NUMERIC_KINDS else "date" if kind in DATE_KINDS else "text"


def repository_root() -> Path:
    """The folder holding the repository's notebooks/ (and, by default, data/ and reports/)."""
    return Path(strategy_kit.__file__).resolve().parents[1]


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


def resolve_workspace(workspace: str | Path | Workspace | None = "") -> Workspace:
    """The workspace named, else ``$STRATEGY_KIT_WORKSPACE``, else the repository root."""
    if isinstance(workspace, Workspace):
        return workspace
    if workspace:
        return Workspace.at(workspace)
    if os.environ.get(WORKSPACE_ENV):
        return Workspace(resolve_root(None))
    return Workspace(repository_root())


def resolve_language(language: str | None, config: ClientConfig) -> str:
    language = language or config.language
    if language not in LANGUAGES:
        raise ConfigError(f"report language '{language}' is not supported; use one of {', '.join(LANGUAGES)}")
    return language


def resolve_period(text: str | None, config: ClientConfig,
                   data: SalesData | Callable[[], date | None]) -> Period:
    """The period a label names (fiscal-year aware); empty: the latest complete quarter of the data.

    ``data``: the client's :class:`SalesData`, or its ``last_day`` method (called only when needed).
    A period wholly outside the days the data cover — ending before its first day, or starting
    after its last day (``data_cutoff``, else its latest date) — is refused with
    :class:`PeriodError` naming the data's range: its figures would all be empty, not zero.
    """
    owner = data if isinstance(data, SalesData) else getattr(data, "__self__", None)
    if isinstance(owner, SalesData):  # the data, or one of its bound methods: both ends are known
        last_day, first_day = owner.last_day, owner.first_day
    else:  # a plain function giving the last day
        last_day, first_day = data, lambda: None
    if text:
        period = parse_period(text, config.fiscal_year_start_month)
    else:
        day = last_day()
        if day is None:
            raise UnavailableError(
                f"client '{config.client}' has no dated deals yet, so there is no latest quarter to report on; "
                "import its exports or give a period (--period 2026-Q3)"
            )
        period = latest_complete_quarter(day, config.fiscal_year_start_month)
    check_period_in_data(period, config, first_day(), last_day(), chosen=bool(text))
    return period


def check_period_in_data(period: Period, config: ClientConfig, first: date | None, last: date | None,
                         chosen: bool = True) -> None:
    """:class:`PeriodError` when ``period`` lies wholly before ``first`` or after ``last`` (the days
    the client's data cover); a period that overlaps them by one day is accepted."""
    if first is None and last is None:
        return
    covered = f"{first or '…'} to {last or '…'}"
    client = config.client
    if last is not None and period.start > last:
        where = f"starts on {period.start}, after the last day the data of client '{client}' covers ({last})"
    elif first is not None and period.end < first:
        where = f"ends on {period.end}, before the first day the data of client '{client}' covers ({first})"
    else:
        return
    hint = ("Choose a period that overlaps them" if chosen else
            "The data do not reach a complete quarter yet: give a period (--period) that overlaps them")
    raise PeriodError(
        f"period {period.label} ({period.start} to {period.end}) {where}; the data cover {covered}, so its "
        f"figures would all be empty. {hint}, or import the exports of that time (data_cutoff in client.yml "
        "sets the last day covered)."
    )


@dataclass(frozen=True)
class ReportContext:
    """Everything a notebook needs: the client's settings and data, the period, the language."""

    workspace: Workspace
    config: ClientConfig
    data: SalesData
    period: Period
    language: str

    @property
    def currency(self) -> str:
        return self.config.currency

    def label(self, key: str, **fields: Any) -> str:
        return label(key, self.language, **fields)

    def date(self, day: date) -> str:
        return format_date(day, self.language)

    def format(self, value: Any, kind: str) -> str:
        """``value`` written as a ``kind`` (integer, currency, percent, date, month...) in the report's language."""
        return format_value(value, kind, self.language, self.currency)

    @property
    def period_dates(self) -> str:
        start, end = self.date(self.period.start), self.date(self.period.end)
        return label("report.period_dates", self.language, start=start, end=end)


def load_context(
    client: str, period: str | None = "", language: str | None = "", workspace: str | Path | Workspace = ""
) -> ReportContext:
    """Load a client's settings and data and resolve the period and language (the notebook parameters,
    or a command's options)."""
    from strategy_kit.importer import load_sales_data

    ws = resolve_workspace(workspace)
    config = ws.load_config(client)
    data = load_sales_data(ws, client)
    return ReportContext(
        workspace=ws,
        config=config,
        data=data,
        period=resolve_period(period, config, data),
        language=resolve_language(language, config),
    )


# --------------------------------------------------------------------------- HTML pieces


def table_html(
    frame: pd.DataFrame,
    language: str,
    currency: str = "EUR",
    columns: Sequence[str] | Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    translate: Mapping[str, str] | None = None,
) -> str:
    """A DataFrame as a report table: labelled headers, values written for ``language``.

    ``columns``: the columns to show, in order; a mapping gives each one's header label key
    (default ``column.<name>``). ``kinds``: value kind per column (``integer``, ``currency``,
    ``percent``, ``date``, ``month``, ``text``...; default ``text``); numeric kinds are right-aligned.
    ``translate``: columns whose values are label keys suffixes, e.g. ``{"table": "table"}`` shows
    the value ``deals`` as ``label("table.deals")``.
    """
    kinds = kinds or {}
    translate = translate or {}
    if columns is None:
        columns = list(frame.columns)
    headers = dict(columns) if isinstance(columns, Mapping) else {c: f"column.{c}" for c in columns}
    head = "".join(
        f'<th class="{_cell_class(kinds.get(c))}">{html.escape(label(key, language))}</th>'
        for c, key in headers.items()
    )

    def cell(column: str, value: Any) -> str:
        kind = kinds.get(column, "text")
        if column in translate and isinstance(value, str):
            text = label(f"{translate[column]}.{value}", language)
        else:
            text = format_value(value, kind, language, currency)
        return f'<td class="{_cell_class(kind)}">{html.escape(text)}</td>'

    body = "".join(
        "<tr>" + "".join(cell(c, row[c]) for c in headers) + "</tr>"
        for row in frame[list(headers)].to_dict("records")
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


def show_table(ctx: ReportContext, frame: pd.DataFrame, **options: Any) -> None:
    """Display ``frame`` as a report table (options of :func:`table_html`)."""
    _display_html(table_html(frame, ctx.language, ctx.currency, **options))


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
        show_unavailable(ctx, unavailable_reason(exc, ctx.language))
