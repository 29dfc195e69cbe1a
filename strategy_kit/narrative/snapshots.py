"""What changed since the last report, and how close the earlier projections came, in a language.

The numbers come from :mod:`strategy_kit.analytics.snapshots` (the snapshots each report stores);
the words from ``i18n/*/snapshots.yml``, each KPI's name from the KPI registry. The first report of
a client says so in one sentence, without an empty table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from strategy_kit.analytics.objectives import fiscal_year
from strategy_kit.analytics.snapshots import ForecastAccuracy, Snapshot
from strategy_kit.config import ClientConfig
from strategy_kit.i18n import MISSING, format_currency, format_date, format_list, format_percent
from strategy_kit.kpis import KPI
from strategy_kit.narrative import Finding, Table
from strategy_kit.narrative.baselines import VERDICT_CLASSES, format_change, format_kpi_value, verdict_text
from strategy_kit.periods import Period

CHANGE_COLUMNS = {
    "label": "snapshots.column.kpi",
    "previous": "snapshots.column.previous",
    "current": "snapshots.column.current",
    "change": "snapshots.column.change",
    "verdict": "snapshots.column.verdict",
}
ACCURACY_COLUMNS = {
    "report": "snapshots.accuracy.column.report",
    "made_on": "snapshots.accuracy.column.made_on",
    "months_left": "snapshots.accuracy.column.months_left",
    "projection": "snapshots.accuracy.column.projection",
    "actual": "snapshots.accuracy.column.actual",
    "error": "snapshots.accuracy.column.error",
    "error_share": "snapshots.accuracy.column.error_share",
}


def _signed(text: str, value: float | None) -> str:
    """``+`` before a positive amount or share (a negative one carries its own sign)."""
    if value is None or not math.isfinite(value) or text == MISSING or text.startswith(("-", "−")):
        return text
    return f"+{text}" if any(ch in "123456789" for ch in text) else text


# --------------------------------------------------------------------------- since the last report


def first_report(config: ClientConfig, earlier: Sequence[Snapshot], language: str) -> Finding:
    """One sentence for a report with no earlier report to compare with: none at all, or none of a
    period of the same kind (monthly reports before the first quarterly one)."""
    key = "snapshots.first_of_kind" if earlier else "snapshots.first"
    return Finding(key, {"client": config.display_name}, language)


def since_intro(previous: Snapshot, language: str) -> Finding:
    """Which report this one is compared with: its period, the day it was made, its data's last day."""
    fields: dict[str, Any] = {
        "period": previous.period.name(language),
        "made_on": format_date(previous.created.date(), language),
    }
    if previous.data_last_day is not None:
        fields["last_day"] = format_date(previous.data_last_day, language)
        return Finding("snapshots.intro", fields, language)
    return Finding("snapshots.intro_no_last_day", fields, language)


def changes_table(
    changes: pd.DataFrame,
    definitions: Mapping[str, KPI],
    previous: Snapshot,
    current: Snapshot,
    language: str,
    currency: str = "EUR",
) -> Table:
    """One row per KPI of ``changes`` (:func:`strategy_kit.analytics.snapshots.changes_since`): its
    name, its value in the last report and in this one, the change and whether it is better; a
    KPI that cannot be compared shows ``–`` (never 0)."""
    rows = []
    for row in changes.to_dict("records"):
        definition = definitions.get(row["kpi"])
        unit = row["unit"]
        rows.append(
            {
                "kpi": row["kpi"],
                "label": definition.label(language) if definition is not None else row["kpi"],
                "previous": format_kpi_value(_finite(row["previous"]), unit, language, currency),
                "current": format_kpi_value(_finite(row["current"]), unit, language, currency),
                "change": format_change(_finite(row["change"]), unit, language) if row["comparable"] else MISSING,
                "verdict": verdict_text(row["verdict"], _finite(row["difference"]), language)
                if row["comparable"]
                else MISSING,
                "verdict_class": VERDICT_CLASSES.get(str(row["verdict"]), "") if row["comparable"] else "",
            }
        )
    frame = pd.DataFrame(rows, columns=["kpi", *CHANGE_COLUMNS, "verdict_class"])
    # The periods name the two columns (the sentence above the table says which report is which).
    headers = {"previous": previous.period.name(language), "current": current.period.name(language)}
    classes: dict[str, str | Sequence[str]] = {
        "label": "sk-label",
        "previous": "num",
        "current": "num",
        "change": "num",
        "verdict": frame["verdict_class"].tolist(),
    }
    return Table(frame, columns=CHANGE_COLUMNS, headers=headers, classes=classes)


def _finite(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def changes_notes(changes: pd.DataFrame, language: str) -> list[Finding]:
    """How the change is written (points for rates), and what ``–`` means when a KPI is not comparable."""
    notes = [Finding("snapshots.note.change", {}, language)]
    not_comparable = int((~changes["comparable"]).sum()) if not changes.empty else 0
    if not_comparable:
        notes.append(Finding("snapshots.note.not_comparable", {"count": not_comparable, "missing": MISSING}, language))
    return notes


def projection_change(previous: Snapshot, current: Snapshot, config: ClientConfig, language: str) -> list[Finding]:
    """The year-end projection in this report against the last one's, for the same fiscal year
    (nothing when either has none, or they project different years)."""
    before, now = previous.projection, current.projection
    if before is None or now is None or before.fiscal_year != now.fiscal_year:
        return []
    share = now.projection / before.projection - 1 if before.projection else None
    finding = Finding(
        "snapshots.projection" if share is not None else "snapshots.projection_no_change",
        {
            "year": str(now.fiscal_year),
            "current": now.projection,
            "previous": before.projection,
            "change": _signed(format_percent(share, language), share) if share is not None else MISSING,
            "target": now.year_target,
            "currency": config.currency,
        },
        language,
        subject="projection",
        evidence={"previous": before.projection, "current": now.projection, "change": share},
    )
    return [finding]


def unreadable_notes(unreadable: Sequence[tuple[Path, str]], language: str) -> list[Finding]:
    """The history files that could not be read and were left out (nothing when all were read)."""
    if not unreadable:
        return []
    files = format_list([f"{path.parent.name}/{path.name}" for path, _ in unreadable], language)
    return [Finding("snapshots.unreadable", {"count": len(unreadable), "files": files}, language)]


# --------------------------------------------------------------------------- forecast accuracy


def accuracy_pending(
    snapshots: Sequence[Snapshot], last_day: date | None, config: ClientConfig, language: str
) -> list[Finding]:
    """The projections recorded for a fiscal year not closed yet, to be compared once it has
    (nothing when no snapshot holds a projection of an open year)."""
    open_years = sorted(
        {
            s.projection.fiscal_year
            for s in snapshots
            if s.projection is not None
            and s.projection.months_left > 0
            and (last_day is None or s.projection.year_end > last_day)
        }
    )
    if not open_years:
        return []
    year = open_years[-1]
    reports = {s.period.label for s in snapshots if s.projection is not None and s.projection.fiscal_year == year}
    end = fiscal_year(year, config.fiscal_year_start_month).end
    return [
        Finding(
            "snapshots.accuracy.pending",
            {"count": len(reports), "year": str(year), "end": format_date(end, language)},
            language,
        )
    ]


def accuracy_intro(language: str) -> Finding:
    return Finding("snapshots.accuracy.intro", {}, language)


def accuracy_findings(accuracy: ForecastAccuracy, config: ClientConfig, language: str) -> list[Finding]:
    """Per closed fiscal year: the revenue made and how far, on average, the projections made
    during the year were from it, in % and in amount."""
    found = []
    for row in accuracy.years.to_dict("records"):
        share = _finite(row["mean_error_share"])
        found.append(
            Finding(
                "snapshots.accuracy.year_one" if row["projections"] == 1 else "snapshots.accuracy.year_many",
                {
                    "year": str(int(row["fiscal_year"])),
                    "actual": row["actual"],
                    "count": int(row["projections"]),
                    "share": format_percent(share, language, 0) if share is not None else MISSING,
                    "error": row["mean_absolute_error"],
                    "currency": config.currency,
                },
                language,
                subject=str(row["fiscal_year"]),
                evidence={"mean_error_share": share, "mean_absolute_error": row["mean_absolute_error"]},
            )
        )
    return found


def accuracy_table(accuracy: ForecastAccuracy, config: ClientConfig, language: str) -> Table:
    """One row per projection: the report it was made in, the day, the months left in the year, the
    projection, the actual, and the error in amount and in % of the actual (signed: + too high)."""
    rows = []
    for row in accuracy.table.to_dict("records"):
        share = _finite(row["error_share"])
        error = float(row["error"])
        rows.append(
            {
                "report": _report_name(row, language),
                "made_on": format_date(row["made_on"], language),
                "months_left": int(row["months_left"]),
                "projection": format_currency(row["projection"], language, config.currency),
                "actual": format_currency(row["actual"], language, config.currency),
                "error": _signed(format_currency(error, language, config.currency), error),
                "error_share": _signed(format_percent(share, language), share) if share is not None else MISSING,
            }
        )
    frame = pd.DataFrame(rows, columns=list(ACCURACY_COLUMNS))
    classes: dict[str, str | Sequence[str]] = dict.fromkeys(
        ("made_on", "projection", "actual", "error", "error_share"), "num"
    )
    return Table(frame, columns=ACCURACY_COLUMNS, kinds={"months_left": "integer"}, classes=classes)


def _report_name(row: Mapping[str, Any], language: str) -> str:
    """A report's period as the reader says it (``T2 2025``)."""
    return Period(row["period"], row["period_start"], row["period_end"], row["period_kind"]).name(language)
