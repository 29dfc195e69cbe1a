"""What the notebooks call to load a client, show labelled tables and charts, and degrade gracefully.

A notebook starts with::

    from strategy_kit.report import notebook as nb
    ctx = nb.load_context(client, period, language, workspace)

and then shows results with :func:`show_title`, :func:`show_text`, :func:`show_table` and
:func:`show_figure`, wrapping each part in ``with nb.section(ctx, ...)`` so that a part whose data
the client lacks (:class:`~strategy_kit.errors.UnavailableError`) shows "not available: <reason>"
instead of stopping the notebook (and the report).

What several parts need is set up once, and a set-up that is not available is carried forward:
the set-up says why once, and each later part says "not available" instead of repeating a
``try``/``except``::

    with nb.section(ctx) as baseline:             # no title: the reason is shown here once
        team = baselines.compute_baselines(ctx.data, ctx.period)
    with nb.section(ctx, "baseline.highlights.title"):
        baseline.require()                        # not available: the set-up's reason (or ``later=``)
        ...

or, for an object whose every use is a part of its own, :func:`or_unavailable` returns a
stand-in that raises the reason wherever it is used.

Every shown text comes from :mod:`strategy_kit.i18n` in the report's language, so the PDF is in
the client's language whatever language the notebook's own markdown cells are written in.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, NoReturn, TypeVar

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
from strategy_kit.i18n import format_list, format_value, label
from strategy_kit.narrative import Finding, Table
from strategy_kit.narrative.summary import KeyFigure, KeyFinding, anchor

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
    classes: Mapping[str, str | Sequence[str]] | None = None,
) -> str:
    """A DataFrame as a report table: labelled headers, values written for ``language``.

    ``columns``: the columns to show, in order; a mapping gives each one's header label key
    (default ``column.<name>``). ``kinds``: value kind per column (``integer``, ``currency``,
    ``percent``, ``date``, ``month``, ``text``...; default ``text``); numeric kinds are right-aligned.
    ``translate``: columns whose values are label keys suffixes, e.g. ``{"table": "table"}`` shows
    the value ``deals`` as ``label("table.deals")``. ``headers``: headers already written (a KPI's
    label from the registry), in place of the label of ``columns``. ``classes``: column -> a CSS
    class added to its header and cells, or a sequence of one class per row added to its cells.
    """
    kinds = kinds or {}
    translate = translate or {}
    if columns is None:
        columns = list(frame.columns)
    keys = dict(columns) if isinstance(columns, Mapping) else {c: f"column.{c}" for c in columns}
    written = headers or {}
    added = classes or {}

    def css(column: str, kind: str | None, row: int | None) -> str:
        extra = added.get(column)
        if extra is not None and not isinstance(extra, str):
            extra = None if row is None else extra[row]
        return f"{_cell_class(kind)} {extra}" if extra else _cell_class(kind)

    head = "".join(
        f'<th class="{css(c, kinds.get(c), None)}">{html.escape(written.get(c) or label(key, language))}</th>'
        for c, key in keys.items()
    )

    def cell(column: str, value: Any, row: int) -> str:
        kind = kinds.get(column, "text")
        if column in translate and isinstance(value, str):
            text = label(f"{translate[column]}.{value}", language)
        else:
            text = format_value(value, kind, language, currency)
        return f'<td class="{css(column, kind, row)}">{html.escape(text)}</td>'

    body = "".join(
        "<tr>" + "".join(cell(c, values[c], row) for c in keys) + "</tr>"
        for row, values in enumerate(frame[list(keys)].to_dict("records"))
    )
    return f'<table class="sk-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def left_out_text(left_out: Mapping[str, int], language: str) -> str:
    """``Rows left out: 2 without a creation date and 1 without a value.`` (empty when nothing was)."""
    details = [label(f"excluded.{reason}", language, count=count) for reason, count in left_out.items() if count]
    return label("report.left_out", language, details=format_list(details, language)) if details else ""


def _display_html(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def show_title(ctx: ReportContext, key: str, level: int = 1, **fields: Any) -> None:
    """A heading; chapters (level 1) and sections (level 2) get an id for the contents and the
    summary's links (:func:`strategy_kit.narrative.summary.anchor`)."""
    identifier = f' id="{anchor(key)}"' if level <= 2 else ""
    _display_html(f"<h{level}{identifier}>{html.escape(ctx.label(key, **fields))}</h{level}>")


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
    """Display a matplotlib Figure (SVG after :func:`notebook_setup`), with its title as the
    image's alternative text in the report's HTML version (:func:`figure_title`)."""
    from IPython.display import display

    display(figure, metadata={"image/svg+xml": {"alt": figure_title(figure)}})


def figure_title(figure: Any) -> str:
    """What a chart says it shows, as written on it: its title (the figure's, else its first axes'
    left, centre or right title), else its axes' labels, else its legend's entries ("Objectif ·
    Réalisé"); empty when it has none of them."""
    if suptitle := figure.get_suptitle().strip() if hasattr(figure, "get_suptitle") else "":  # matplotlib 3.8+
        return str(suptitle)
    axes = figure.get_axes()
    titles = [a.get_title(loc=loc).strip() for a in axes for loc in ("left", "center", "right")]
    labels = [text.strip() for a in axes for text in (a.get_xlabel(), a.get_ylabel())]
    legends = [a.get_legend() for a in axes]
    entries = [t.get_text().strip() for legend in legends if legend is not None for t in legend.get_texts()]
    for found in ([t for t in titles if t][:1], [t for t in labels if t], [t for t in entries if t]):
        if found:
            return " · ".join(found)
    return ""


def unavailable_html(reason: str, language: str) -> str:
    return f'<p class="sk-unavailable">{html.escape(label("report.unavailable", language, reason=reason))}</p>'


def show_unavailable(ctx: ReportContext | str, reason: str) -> None:
    """Show "not available: <reason>" in the report's language (``ctx`` or a language code)."""
    language = ctx if isinstance(ctx, str) else ctx.language
    _display_html(unavailable_html(reason, language))


class SetUpUnavailable(UnavailableError):
    """A part that needed an earlier set-up which was not available: that set-up's reason, carried
    forward as it is (a KPI's reason included, which writes itself)."""

    def __init__(self, error: UnavailableError) -> None:
        self.original: UnavailableError = error.original if isinstance(error, SetUpUnavailable) else error
        super().__init__(error.key, error.labelled, **error.fields)

    def reason(self, language: str) -> str:
        return self.original.reason(language)


class Section:
    """A part of a notebook (see :func:`section`): shows its title, says "not available: <reason>"
    when its data is unavailable, and carries that forward to the parts that need it."""

    def __init__(
        self, ctx: ReportContext, title_key: str | None = None, level: int = 2, later: str | None = None, **fields: Any
    ) -> None:
        self.ctx, self.title_key, self.level, self.later, self.fields = ctx, title_key, level, later, fields
        self.error: UnavailableError | None = None  # why this part was not available
        self.carried: UnavailableError | None = None  # what the parts that need it say

    @property
    def available(self) -> bool:
        """False once the part has said "not available"."""
        return self.error is None

    def require(self) -> None:
        """Nothing when this part was available; else raise its reason again, for a later part that
        needs it (inside that part's own ``with nb.section(...)``, which then says "not available")."""
        if self.carried is not None:
            raise SetUpUnavailable(self.carried)

    def __enter__(self) -> Section:
        if self.title_key:
            show_title(self.ctx, self.title_key, self.level, **self.fields)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> bool:
        if not isinstance(error, UnavailableError):
            return False
        self.error = error
        show_unavailable(self.ctx, error.reason(self.ctx.language))
        # A part that failed because it needed an earlier one passes that one's reason on as it is.
        self.carried = (
            error if isinstance(error, SetUpUnavailable) or self.later is None else UnavailableError(self.later)
        )
        return True


def section(
    ctx: ReportContext, title_key: str | None = None, level: int = 2, *, later: str | None = None, **fields: Any
) -> Section:
    """A part of a notebook, used as ``with nb.section(ctx, "title.key"):``. When its data is
    unavailable it says so ("not available: <reason>") and the notebook goes on.

    ``fields`` fill the title. Without a title, the part is a set-up that later parts need
    (``with nb.section(ctx) as setup:``): they call ``setup.require()`` first, and say "not
    available" with the set-up's reason, or with the message ``later`` when given (e.g. "the
    baselines could not be computed (the reason is given at the top of this chapter)").
    ``setup.later`` may also be set inside the set-up, once the reason worth repeating has been
    ruled out (no objectives saved: every part repeats it; the plan failed: "see above"). A part
    that failed because of a set-up passes that reason on to the parts that need it in turn.
    """
    return Section(ctx, title_key, level, later, **fields)


Built = TypeVar("Built")


class Unavailable:
    """Stands for what could not be built: using any of its attributes raises the reason, so each
    part that uses it says "not available" (see :func:`or_unavailable`)."""

    __slots__ = ("_error",)

    def __init__(self, error: UnavailableError) -> None:
        self._error = error

    def __getattr__(self, name: str) -> NoReturn:
        if name.startswith("_"):  # a protocol looked up by Python or IPython (copy, display...), not a use
            raise AttributeError(name)
        raise SetUpUnavailable(self._error)

    def __repr__(self) -> str:
        return f"Unavailable({str(self._error)!r})"


def or_unavailable(build: Callable[..., Built], *args: Any, **kwargs: Any) -> Built | Unavailable:
    """``build(*args, **kwargs)``, or when that is unavailable, an :class:`Unavailable` stand-in:
    every part of the notebook that uses it then says why, in its own ``nb.section``."""
    try:
        return build(*args, **kwargs)
    except UnavailableError as exc:
        return Unavailable(exc)


# --------------------------------------------------------------------------- the executive summary

SUMMARY_MIME = "application/vnd.strategy-kit.summary+json"


def offer(ctx: ReportContext, items: Iterable[KeyFinding | KeyFigure | None]) -> None:
    """Offer findings and key figures to the report's executive summary (None items are skipped).

    Each is a display output the report gathers from the executed notebooks (and leaves out of the
    chapter's own pages); in JupyterLab it shows as a line of plain text."""
    from IPython.display import display

    for item in items:
        if item is None:
            continue
        text = item.text if isinstance(item, KeyFinding) else f"{item.name}: {item.actual}"
        display({SUMMARY_MIME: item.to_json(), "text/plain": f"→ {ctx.label('summary.title_short')}: {text}"}, raw=True)
