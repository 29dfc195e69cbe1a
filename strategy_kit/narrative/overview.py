"""The data overview as a reader sees it, in a language: the tables (headers, kinds, order) and
the notes under them. The numbers come from :mod:`strategy_kit.analytics.overview`; the words
from ``i18n/*/overview.yml``."""

from __future__ import annotations

import pandas as pd

from strategy_kit.analytics.overview import UNKNOWN_STAGE, DealFlows, PipelineByStage, RevenueByMonth
from strategy_kit.config import ClientConfig
from strategy_kit.i18n import format_date, label
from strategy_kit.narrative import Finding, Table
from strategy_kit.periods import Period

# How each column of the tables below is written in a report (kinds of strategy_kit.i18n.FORMATTERS).
COLUMN_KINDS: dict[str, str] = {
    "table": "text",
    "imported": "text",
    "rows": "integer",
    "date_column": "text",
    "in_period": "integer",
    "undated": "integer",
    "first_date": "date",
    "last_date": "date",
    "stage": "text",
    "label": "text",
    "deals": "integer",
    "value": "currency",
    "share_of_value": "percent",
    "measure": "text",
    "count": "integer",
    "month": "month",
    "revenue": "currency",
    "previous_year": "currency",
}
VOLUME_COLUMNS = ["table", "imported", "rows", "in_period", "date_column", "first_date", "last_date", "undated"]
PIPELINE_COLUMNS = {
    "label": "column.stage",
    "deals": "column.deals",
    "value": "column.value",
    "share_of_value": "column.share_of_value",
}


def intro(config: ClientConfig, period: Period, language: str) -> Finding:
    """ "<client>'s data at a glance for the period ...": what the section shows."""
    dates = label(
        "report.period_dates",
        language,
        start=format_date(period.start, language),
        end=format_date(period.end, language),
    )
    return Finding(
        "overview.intro", {"client": config.display_name, "period": period.name(language), "dates": dates}, language
    )


def volumes_table(volumes: pd.DataFrame) -> Table:
    """Rows per table, in the period and undated, and the dates each table covers."""
    return Table(volumes, VOLUME_COLUMNS, COLUMN_KINDS, {"table": "table", "date_column": "overview.date_used"})


def volumes_note(period: Period, language: str) -> Finding:
    return Finding(
        "overview.volumes.note",
        {"start": format_date(period.start, language), "end": format_date(period.end, language)},
        language,
    )


def stage_names(pipeline: PipelineByStage, config: ClientConfig, language: str) -> list[str]:
    """The name of each stage row of the pipeline (the unknown stage at the end says so)."""
    labels = config.stage_labels(language)
    return [
        label("stage.unknown", language) if stage == UNKNOWN_STAGE else labels.get(stage, stage)
        for stage in pipeline.table["stage"]
    ]


def pipeline_table(pipeline: PipelineByStage, config: ClientConfig, language: str) -> Table:
    """The open pipeline by stage: the stage's name, its deals, their value and share."""
    frame = pipeline.table.assign(label=stage_names(pipeline, config, language))
    return Table(frame, PIPELINE_COLUMNS, COLUMN_KINDS)


def pipeline_note(pipeline: PipelineByStage, config: ClientConfig, language: str) -> Finding:
    """Which deals are open at the end, how many and worth how much, and where the stage comes from."""
    return Finding(
        "overview.pipeline.note",
        {
            "end": format_date(pipeline.end, language),
            "total_deals": pipeline.total_deals,
            "total_value": pipeline.total_value,
            "currency": config.currency,
            "from_history": pipeline.stage_from_history,
        },
        language,
    )


def flows_table(flows: DealFlows) -> Table:
    """Deals created, won and lost: how many and their value."""
    return Table(flows.table, ["measure", "count", "value"], COLUMN_KINDS, {"measure": "overview.flows"})


def revenue_table(revenue: RevenueByMonth) -> Table:
    return Table(revenue.table, ["month", "revenue", "previous_year"], COLUMN_KINDS)


def revenue_notes(revenue: RevenueByMonth, language: str) -> list[Finding]:
    """Where the revenue comes from, and what "previous year" means when it is shown."""
    notes = [Finding(f"overview.revenue.source.{revenue.source}", {}, language)]
    if revenue.has_previous_year:
        notes.append(Finding("overview.revenue.previous_year_note", {}, language))
    return notes
