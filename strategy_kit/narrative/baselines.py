"""What a reader sees of the baselines, in a language: the tables of notebook 05 and its findings.

The numbers come from :mod:`strategy_kit.analytics.baselines` (team),
:mod:`strategy_kit.analytics.baselines_reps` (per rep) and
:mod:`strategy_kit.analytics.baselines_history` (charts); every word from ``i18n/<language>/baselines.yml``
and every KPI's name from the KPI registry. Tables are :class:`~strategy_kit.narrative.Table`, sentences
:class:`~strategy_kit.narrative.Finding`, whole sentences with their numbers (lists written by Babel,
plurals by the language's rule).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from strategy_kit.analytics.baselines import (
    BASELINE_MONTHS,
    KEY_KPIS,
    SEASONAL_KPIS,
    Baselines,
    kpi_kind,
)
from strategy_kit.analytics.baselines_moves import LARGE_CHANGE, REFERENCES, moves, revenue_kpi, small_bases
from strategy_kit.analytics.baselines_reps import RepBaselines, rep_moves
from strategy_kit.errors import UnavailableError
from strategy_kit.i18n import (
    MISSING,
    format_currency,
    format_date,
    format_list,
    format_long_month,
    format_number,
    format_percent,
    format_quarter,
    label,
)
from strategy_kit.kpis import KPI, REGISTRY
from strategy_kit.narrative import Finding, Table
from strategy_kit.periods import Period
from strategy_kit.stats import finite_or_none

# Columns of family_table and their header message keys.
FAMILY_COLUMNS: dict[str, str] = {
    "label": "baseline.column.kpi",
    "value": "baseline.column.value",
    "baseline": "baseline.column.baseline",
    "change": "baseline.column.change",
    "verdict": "baseline.column.verdict",
    "previous_year": "baseline.column.previous_year",
    "previous_year_change": "baseline.column.previous_year_change",
    "previous_year_verdict": "baseline.column.verdict",
}


class BaselineUnavailable(UnavailableError):
    """A reason of the baselines whose fields are KPIs (written with the registry's label in the
    reason's language) or other reasons (written in the reason's language), as ``{kpis}`` and
    ``{reasons}`` lists."""

    def __init__(
        self,
        key: str,
        kpis: Sequence[KPI] = (),
        reasons: Sequence[UnavailableError] = (),
        labelled: Mapping[str, str] | None = None,
        **fields: Any,
    ):
        self.kpis, self.reasons = tuple(kpis), tuple(reasons)
        super().__init__(key, labelled, **fields)

    def reason(self, language: str) -> str:
        words = {name: label(key, language) for name, key in self.labelled.items()}
        reasons = sorted({reason.reason(language) for reason in self.reasons})
        return label(
            self.key,
            language,
            **self.fields,
            **words,
            kpis=format_list([kpi.label(language) for kpi in self.kpis], language),
            reasons=format_list(reasons, language),
        )


# --------------------------------------------------------------------------- words for numbers


def kpi_label(kpi: KPI, language: str) -> str:
    """The KPI's name, from the KPI registry."""
    return kpi.label(language)


WHOLE_FROM = 10  # a count from this size on is written whole (rounding moves it by 5 % at most)


def format_kpi_value(value: float | None, unit: str, language: str, currency: str = "EUR") -> str:
    """A KPI value written for its unit: amounts, %, days, hours, and counts as a reader counts
    them: whole from ten on (rounded half up: a baseline of 2 403,5 calls reads 2 404, one of 38,5
    new deals 39), one decimal below only when not whole (a baseline of 2,5 deals, where 3 would
    misstate a change): such a count is an average, and :func:`average_count` says so."""
    value = finite_or_none(value)
    if value is None:
        return MISSING
    if unit == "rate":
        return format_percent(value, language)
    if unit == "currency":
        return format_currency(value, language, currency)
    if unit in ("days", "hours"):
        return label(f"baseline.unit.{unit}", language, value=format_number(value, language, 1))
    if unit == "currency_per_day":
        return label("baseline.unit.per_day", language, value=format_currency(value, language, currency))
    return format_number(value, language, 0 if float(value).is_integer() or abs(value) >= WHOLE_FROM else 1)


def fractional_count(value: Any, unit: str) -> bool:
    """A count written with a decimal by :func:`format_kpi_value` (an average below ten)."""
    number = finite_or_none(value)
    return unit == "count" and number is not None and not number.is_integer() and abs(number) < WHOLE_FROM


def average_count(value: Any, unit: str, language: str, currency: str = "EUR") -> str:
    """:func:`format_kpi_value`, with "on average" after a count written with a decimal: a baseline
    of 2,5 deals reads ``2,5 en moyenne``, never as if half a deal had been made."""
    written = format_kpi_value(value, unit, language, currency)
    return label("baseline.on_average", language, value=written) if fractional_count(value, unit) else written


def format_change(value: float | None, unit: str, language: str) -> str:
    """``+12,5 %`` (relative change) or ``+3,1 pts`` (rates: percentage points)."""
    value = finite_or_none(value)
    if value is None:
        return MISSING
    if unit == "rate":
        text = label("baseline.points", language, value=format_number(value * 100, language, 1))
    else:
        text = format_percent(value, language)
    return text if text.startswith("-") or not any(ch in "123456789" for ch in text) else f"+{text}"


def verdict_text(value: str | float | None, change: float | None, language: str) -> str:
    """The arrow says where the KPI went (▲ up, ▼ down), the word whether that is good: more lost
    deals read ``▲ worse``, fewer ``▼ better``; ``= stable``; a dash when there is nothing to compare."""
    if not isinstance(value, str):
        return MISSING
    if value == "stable":
        return label("baseline.verdict.stable", language)
    move = finite_or_none(change)
    arrow = "" if move is None or move == 0 else "▲" if move > 0 else "▼"
    return label(f"baseline.verdict.{value}", language, arrow=arrow).strip()


_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_WEEK = re.compile(r"(\d{4})-[Ww](\d{1,2})")


def quarter_text(period_label: str, start: date, end: date, language: str) -> str:
    """A three-month block of the baseline: ``T3 2025`` / ``Q3 2025`` for a calendar quarter, ``T1
    exercice 2026`` for a fiscal quarter that is not one, else ``sept. 2025 – nov. 2025``."""
    match = _QUARTER.fullmatch(period_label)
    if match is None:
        return label("baseline.period.months", language, start=start, end=end)
    year, quarter = int(match[1]), int(match[2])
    if (start.year, (start.month - 1) // 3 + 1) == (year, quarter):
        return format_quarter(start, language)
    return label("period.fiscal_quarter", language, quarter=quarter, year=year)


def period_name(period: Period, language: str) -> str | None:
    """The period as a reader says it (:meth:`Period.name`); None for a range of days (its dates name it)."""
    return None if period.kind == "range" else period.name(language)


def _dates(period: Period, language: str) -> str:
    return label(
        "report.period_dates",
        language,
        start=format_date(period.start, language),
        end=format_date(period.end, language),
    )


# --------------------------------------------------------------------------- the tables


# The CSS classes of a family table (:attr:`Table.classes`): numbers right-aligned, the KPI's name
# in a column wide enough not to wrap over many lines, each verdict coloured by whether it is good.
NUMBER_COLUMNS = ("value", "baseline", "change", "previous_year", "previous_year_change")
VERDICT_CLASSES = {"better": "sk-better", "worse": "sk-worse"}
SMALL_BASE_MARK = "*"  # after a figure resting on a small base (see family_notes)


def _flagged(text: str, flagged: bool) -> str:
    return f"{text}\u00a0{SMALL_BASE_MARK}" if flagged and text != MISSING else text


def family_table(baselines: Baselines, family: str, language: str, currency: str = "EUR") -> Table:
    """The family's available KPIs as written in a report (the text columns of :data:`FAMILY_COLUMNS`):
    numbers right-aligned, verdicts green (better) or red (worse); a figure resting on a small base
    (:func:`strategy_kit.analytics.baselines_moves.small_bases`) carries a star that
    :func:`family_notes` explains."""
    rows = []
    for row in baselines.comparison[baselines.comparison["family"] == family].to_dict("records"):
        unit = row["unit"]
        small = small_bases(row)
        rows.append(
            {
                "kpi": row["kpi"],
                "label": kpi_label(baselines.definitions[row["kpi"]], language),
                "value": _flagged(
                    format_kpi_value(row["value"], unit, language, currency),
                    unit == "rate" and _above_one(row["value"]),
                ),
                "baseline": _flagged(
                    average_count(row["baseline"], unit, language, currency),
                    "baseline" in small and unit == "rate" and _above_one(row["baseline"]),
                ),
                "change": _flagged(format_change(row["change"], unit, language), "baseline" in small),
                "verdict": verdict_text(row["verdict"], row["change"], language),
                "previous_year": _flagged(
                    format_kpi_value(row["previous_year"], unit, language, currency),
                    "previous_year" in small and unit == "rate" and _above_one(row["previous_year"]),
                ),
                "previous_year_change": _flagged(
                    format_change(row["previous_year_change"], unit, language), "previous_year" in small
                ),
                "previous_year_verdict": verdict_text(
                    row["previous_year_verdict"], row["previous_year_change"], language
                ),
                "verdict_class": VERDICT_CLASSES.get(str(row["verdict"]), ""),
                "previous_year_verdict_class": VERDICT_CLASSES.get(str(row["previous_year_verdict"]), ""),
            }
        )
    frame = pd.DataFrame(rows, columns=["kpi", *FAMILY_COLUMNS, "verdict_class", "previous_year_verdict_class"])
    # sk-narrow: a tighter padding, so that eight columns fit the page's width
    classes: dict[str, str | Sequence[str]] = {
        "label": "sk-label sk-narrow",
        **dict.fromkeys(NUMBER_COLUMNS, "num sk-narrow"),
        "verdict": frame["verdict_class"].tolist(),
        "previous_year_verdict": frame["previous_year_verdict_class"].tolist(),
    }
    return Table(frame, columns=FAMILY_COLUMNS, classes=classes)


def _above_one(value: Any) -> bool:
    number = finite_or_none(value)
    return number is not None and abs(number) > LARGE_CHANGE


def family_notes(baselines: Baselines, family: str, language: str, currency: str = "EUR") -> list[Finding]:
    """One note per KPI of the family whose comparison rests on a small base (a star in
    :func:`family_table`): for a growth rate above 100 %, that its earlier base was less than half;
    for a count or an amount more than doubled, that the reference was small. The figure is right,
    the change says more about the base than about the period."""
    notes = []
    for row in baselines.comparison[baselines.comparison["family"] == family].to_dict("records"):
        for reference in small_bases(row):
            change = row[REFERENCES[reference]]
            fields = {
                "kpi": kpi_label(baselines.definitions[row["kpi"]], language),
                "value": format_kpi_value(row["value"], row["unit"], language, currency),
                "reference": format_kpi_value(row[reference], row["unit"], language, currency),
                "change": format_change(change, row["unit"], language),
                "mark": SMALL_BASE_MARK,
            }
            kind = "rate" if row["unit"] == "rate" else "amount"
            notes.append(
                Finding(
                    f"baseline.small_base.{kind}.{reference}",
                    fields,
                    language,
                    subject=row["kpi"],
                    evidence={"reference": reference, "value": row["value"], "compared": row[reference]},
                )
            )
    return notes


def kpi_reason(baselines: Baselines, kpi: str, language: str) -> str:
    """Why ``kpi`` is unavailable, in ``language``."""
    return baselines.unavailable_error(kpi).reason(language)


def unavailable_table(baselines: Baselines, family: str, language: str) -> Table:
    """The family's KPIs the data cannot support (``label``) and why (``reason``); an empty frame when none."""
    rows = [
        {
            "kpi": kpi_id,
            "label": kpi_label(baselines.definitions[kpi_id], language),
            "reason": kpi_reason(baselines, kpi_id, language),
        }
        for kpi_id in baselines.unavailable
        if baselines.definitions[kpi_id].family == family
    ]
    return Table(
        pd.DataFrame(rows, columns=["kpi", "label", "reason"]),
        columns={"label": "baseline.column.kpi", "reason": "baseline.column.reason"},
    )


def excluded_finding(baselines: Baselines, family: str, language: str) -> Finding | None:
    """``Rows left out for a missing date: Sales cycle (3 rows) and ...`` for the family's KPIs (None when none)."""
    comparison = baselines.comparison
    rows = comparison[(comparison["family"] == family) & (comparison["excluded"] > 0)]
    if rows.empty:
        return None
    items = [
        label("baseline.excluded_item", language, kpi=kpi_label(baselines.definitions[kpi], language), count=int(count))
        for kpi, count in zip(rows["kpi"], rows["excluded"])
    ]
    return Finding(
        "baseline.excluded",
        {"items": format_list(items, language)},
        language,
        subject=family,
        evidence=dict(zip(rows["kpi"], (int(n) for n in rows["excluded"]))),
    )


def _kpi_headers(baselines: Baselines | RepBaselines, kpis: Sequence[str], language: str) -> dict[str, str]:
    return {kpi_id: kpi_label(baselines.definitions[kpi_id], language) for kpi_id in kpis}


def seasonal_table(baselines: Baselines, language: str, kpis: Sequence[str] = SEASONAL_KPIS) -> Table:
    """The seasonal profile: one row per baseline month (``month``) and, per available flow KPI of
    ``kpis``, the month's share of the 12-month total (null when the 12 months are not all covered)."""
    frame = pd.DataFrame({"month": [pd.Timestamp(m.start) for m in baselines.window.months]})
    columns, kinds = {"month": "column.month"}, {"month": "month"}
    for kpi_id in kpis:
        rows = baselines.monthly[baselines.monthly["kpi"] == kpi_id]
        if rows.empty or kpi_kind(baselines.definitions[kpi_id]) != "flow":
            continue
        frame[kpi_id] = rows["share"].to_numpy()
        columns[kpi_id] = "baseline.column.kpi"
        kinds[kpi_id] = "percent"
    if len(columns) == 1:
        raise BaselineUnavailable("baseline.reason.no_seasonal_kpi", kpis=_registry(baselines, kpis))
    return Table(frame, columns, kinds, headers=_kpi_headers(baselines, list(columns)[1:], language))


def _registry(baselines: Baselines, kpis: Sequence[str]) -> list[KPI]:
    """The KPIs of ``kpis``, for their names (those not asked for from the registry)."""
    known = {**REGISTRY, **baselines.definitions}
    return [known[kpi_id] for kpi_id in kpis if kpi_id in known]


def quarterly_table(
    baselines: Baselines, language: str, currency: str = "EUR", kpis: Sequence[str] = KEY_KPIS
) -> Table:
    """One row per baseline quarter (``quarter``: its name in ``language``) then a row with the
    baseline for a quarter; one column per available KPI of ``kpis``, written for its unit."""
    quarters = baselines.window.quarters
    frame = pd.DataFrame(
        {
            "quarter": [
                *(quarter_text(q.label, q.start, q.end, language) for q in quarters),
                label("baseline.quarter_baseline", language),
            ]
        }
    )
    columns = {"quarter": "baseline.column.quarter"}
    for kpi_id in kpis:
        values = baselines.quarterly[baselines.quarterly["kpi"] == kpi_id]["value"]
        if values.empty:
            continue
        unit = baselines.definitions[kpi_id].unit
        frame[kpi_id] = [
            *(format_kpi_value(v, unit, language, currency) for v in values),
            format_kpi_value(baselines.level(kpi_id, "quarter"), unit, language, currency),
        ]
        columns[kpi_id] = "baseline.column.kpi"
    if len(columns) == 1:
        raise BaselineUnavailable("baseline.reason.no_key_kpi", kpis=_registry(baselines, kpis))
    shown = list(columns)[1:]
    classes = dict.fromkeys(shown, "num")  # numbers already written, right-aligned
    return Table(frame, columns, headers=_kpi_headers(baselines, shown, language), classes=classes)


def rep_table(reps: RepBaselines, language: str, currency: str = "EUR") -> Table:
    """Per rep: months of history (with the short-history flag) and the baseline of each KPI,
    written for its unit, counts whole (a rep's baseline of 1,5 deals won reads 2: the note under
    the table says the baselines are averages, counts rounded), numbers right-aligned."""
    frame = reps.table[["owner"]].copy()
    frame["months_of_history"] = [
        label("baseline.months_flagged", language, months=int(months)) if flagged else format_number(months, language)
        for months, flagged in zip(reps.table["months_of_history"], reps.table["flagged"])
    ]
    columns = {"owner": "baseline.column.owner", "months_of_history": "baseline.column.months_of_history"}
    for kpi_id in reps.kpis:
        unit = reps.definitions[kpi_id].unit
        # averages over the rep's months (the note says so): counts whole, one form for the column
        frame[kpi_id] = [
            format_number(v, language, 0)
            if unit == "count" and finite_or_none(v) is not None
            else format_kpi_value(v, unit, language, currency)
            for v in reps.table[kpi_id]
        ]
        columns[kpi_id] = "baseline.column.kpi"
    classes = dict.fromkeys(reps.kpis, "num")  # numbers already written, right-aligned
    return Table(frame, columns, headers=_kpi_headers(reps, reps.kpis, language), classes=classes)


def require_family(baselines: Baselines, family: str) -> None:
    """Raise :class:`UnavailableError` (with the reasons) when none of the family's KPIs is
    available; the notebook's section then shows "not available"."""
    if (baselines.comparison["family"] == family).any():
        return
    reasons = [
        baselines.unavailable_error(kpi_id)
        for kpi_id in baselines.unavailable
        if baselines.definitions[kpi_id].family == family
    ]
    if reasons:
        raise BaselineUnavailable("baseline.reason.family_unavailable", reasons=reasons)
    raise BaselineUnavailable("baseline.reason.family_not_asked", labelled={"family": f"baseline.family.{family}"})


# --------------------------------------------------------------------------- the findings


def intro(baselines: Baselines, language: str) -> Finding:
    """Which period is compared with which twelve months."""
    period, window = baselines.period, baselines.window.window
    fields: dict[str, Any] = {
        "dates": _dates(period, language),
        "start": format_long_month(window.start, language),
        "end": format_long_month(window.end, language),
    }
    name = period_name(period, language)
    if name is None:
        return Finding("baseline.intro_dates", fields, language)
    return Finding("baseline.intro", {**fields, "period": name}, language)


def rule_finding(baselines: Baselines, language: str) -> Finding:
    """How the period is compared with its baseline, for this period's kind."""
    window = baselines.window
    kind = window.period.kind if window.period.kind in ("quarter", "month", "year") else "other"
    previous = window.previous_year
    return Finding(
        f"baseline.rule.{kind}",
        {
            "start": window.window.start,
            "end": window.window.end,
            "previous_year": format_long_month(previous.start, language)
            if previous.kind == "month"
            else _dates(previous, language),
        },
        language,
        subject=kind,
    )


def _item(baselines: Baselines, row: Mapping[str, Any], language: str, currency: str) -> str:
    return label(
        "baseline.narrative.item",
        language,
        kpi=kpi_label(baselines.definitions[row["kpi"]], language),
        change=format_change(row["change"], row["unit"], language),
        value=format_kpi_value(row["value"], row["unit"], language, currency),
        baseline=average_count(row["baseline"], row["unit"], language, currency),
    )


def highlights(baselines: Baselines, language: str, currency: str = "EUR", count: int = 3) -> list[Finding]:
    """What moved most against the baseline (up to ``count`` improvements and declines, ranked by
    relative change in the KPI's good direction), revenue over the window against the year before,
    and a caution when some baselines rest on fewer than 12 months of data (or on none)."""
    comparison = baselines.comparison
    window = baselines.window.window
    if comparison.empty or comparison["months_covered"].max() == 0:
        return [Finding("baseline.narrative.no_baseline", {"start": window.start, "end": window.end}, language)]
    findings: list[Finding] = []
    moved = moves(baselines, count)
    for key, rows in (("improvements", moved.better), ("declines", moved.worse)):
        if rows:
            items = [_item(baselines, row, language, currency) for row in rows]
            findings.append(
                Finding(
                    f"baseline.narrative.{key}",
                    {"count": len(rows), "items": format_list(items, language)},
                    language,
                    subject=key,
                    evidence={row["kpi"]: row["change"] for row in rows},
                )
            )
        else:
            findings.append(Finding(f"baseline.narrative.no_{key}", {}, language, subject=key))

    revenue = revenue_kpi(baselines)
    if revenue is not None:
        row = baselines.row(revenue)
        fields: dict[str, Any] = {
            "kpi": kpi_label(baselines.definitions[revenue], language),
            "start": window.start,
            "end": window.end,
            "value": format_kpi_value(row["window_value"], row["unit"], language, currency),
        }
        evidence = {"window_value": row["window_value"], "yoy_growth": row["yoy_growth"]}
        if finite_or_none(row["yoy_growth"]) is None:
            findings.append(Finding("baseline.narrative.window_no_yoy", fields, language, revenue, evidence))
        else:
            fields.update(
                change=format_change(row["yoy_growth"], row["unit"], language),
                previous=format_kpi_value(row["previous_window_value"], row["unit"], language, currency),
            )
            findings.append(Finding("baseline.narrative.window_yoy", fields, language, revenue, evidence))

    if baselines.months_covered < BASELINE_MONTHS:
        findings.append(Finding("baseline.narrative.partial", {"months": baselines.months_covered}, language))
    return findings


def rep_highlights(reps: RepBaselines, language: str, currency: str = "EUR", kpi: str = "won_value") -> list[Finding]:
    """Reps flagged for a short history; among the others, who moved most against their own baseline on ``kpi``."""
    findings: list[Finding] = []
    flagged = reps.flagged
    if flagged.empty:
        findings.append(Finding("baseline.narrative.reps_none_flagged", {"min": reps.min_months}, language))
    else:
        names = [
            label("baseline.narrative.rep_months", language, owner=owner, months=int(months))
            for owner, months in zip(flagged["owner"], flagged["months_of_history"])
        ]
        findings.append(
            Finding(
                "baseline.narrative.reps_flagged",
                {
                    "count": len(flagged),
                    "min": reps.min_months,
                    "reps": format_list(names, language),
                },
                language,
                evidence=dict(zip(flagged["owner"], (int(m) for m in flagged["months_of_history"]))),
            )
        )
    moved = rep_moves(reps, kpi)
    if moved is not None:
        unit = reps.definitions[kpi].unit
        fields = {
            "kpi": kpi_label(reps.definitions[kpi], language),
            "best": moved.best["owner"],
            "best_change": format_change(moved.best[f"{kpi}.change"], unit, language),
            "worst": moved.worst["owner"],
            "worst_change": format_change(moved.worst[f"{kpi}.change"], unit, language),
        }
        key = (
            "baseline.narrative.reps_moves"
            if moved.best_move > 0 > moved.worst_move
            else ("baseline.narrative.reps_all_up" if moved.worst_move > 0 else "baseline.narrative.reps_all_down")
        )
        findings.append(
            Finding(key, fields, language, subject=kpi, evidence={"best": moved.best_move, "worst": moved.worst_move})
        )
    return findings
