"""The context of one run: which client, which period, which language, and the client's data.

The command line, the report and the notebooks all start from :func:`load_context` (or its
parts :func:`resolve_period` and :func:`resolve_language`), so a period the data do not cover or
an unknown language is refused the same way everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import strategy_kit
from strategy_kit.config import LANGUAGES, ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.errors import ConfigError, PeriodWithoutDataError, UnavailableError
from strategy_kit.i18n import format_date, format_value, label
from strategy_kit.periods import Period, latest_complete_quarter, parse_period
from strategy_kit.workspace import WORKSPACE_ENV, Workspace, resolve_root


def repository_root() -> Path:
    """The folder holding the repository's notebooks/ (and, by default, data/ and reports/)."""
    return Path(strategy_kit.__file__).resolve().parents[1]


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


def resolve_period(text: str | None, config: ClientConfig, data: SalesData | Callable[[], date | None]) -> Period:
    """The period a label names (fiscal-year aware); empty: the latest complete quarter of the data.

    ``data``: the client's :class:`SalesData`, or its ``last_day`` method (called only when needed).
    A period wholly outside the days the data cover — ending before its first day, or starting
    after its last day (``data_cutoff``, else its latest date) — is refused with
    :class:`~strategy_kit.errors.PeriodWithoutDataError` naming the data's range: its figures would
    all be empty, not zero.
    """
    owner = data if isinstance(data, SalesData) else getattr(data, "__self__", None)
    if isinstance(owner, SalesData):  # the data, or one of its bound methods: both ends are known
        last_day, first_day = owner.last_day, owner.first_day
    else:  # a plain function giving the last day
        assert not isinstance(data, SalesData), "the data itself is its own owner, handled above"
        last_day, first_day = data, lambda: None
    if text:
        period = parse_period(text, config.fiscal_year_start_month)
    else:
        day = last_day()
        if day is None:
            raise UnavailableError("unavailable.no_dated_data", client=config.client)
        period = latest_complete_quarter(day, config.fiscal_year_start_month)
    check_period_in_data(period, config, first_day(), last_day(), chosen=bool(text))
    return period


def check_period_in_data(
    period: Period, config: ClientConfig, first: date | None, last: date | None, chosen: bool = True
) -> None:
    """:class:`PeriodWithoutDataError` when ``period`` lies wholly before ``first`` or after ``last`` (the days
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
    hint = (
        "Choose a period that overlaps them"
        if chosen
        else "The data do not reach a complete quarter yet: give a period (--period) that overlaps them"
    )
    raise PeriodWithoutDataError(
        f"period {period.label} ({period.start} to {period.end}) {where}; the data cover {covered}, so its "
        f"figures would all be empty. {hint}, or import the exports of that time (data_cutoff in client.yml "
        "sets the last day covered).",
        period.label,
        first,
        last,
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

    @property
    def period_name(self) -> str:
        """The period as the reader says it: ``T3 2026``, ``septembre 2026``, ``exercice 2026``."""
        return self.period.name(self.language)


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
