"""The objectives for a reader, in a language: the tables of notebook 06 (phasing, reverse funnel,
assumptions, variant, intermediate objectives, attainment), its sentences (the annual objective,
the projection, the status rule) and the plan as text for ``strategy-kit objectives``.

The numbers come from :mod:`strategy_kit.analytics.objectives` and
:mod:`strategy_kit.analytics.objectives_tracking`; every word from ``i18n/<language>/objectives.yml``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from strategy_kit.analytics.objectives import LEAD_STEP, FunnelRates, ObjectivePlan
from strategy_kit.analytics.objectives_tracking import (
    AT_RISK_LAG,
    ON_TRACK_LAG,
    RUN_RATE_MONTHS,
    START_MONTHS,
    Attainment,
    Tracking,
)
from strategy_kit.i18n import (
    format_currency,
    format_date,
    format_long_month,
    format_number,
    format_percent,
    format_value,
    label,
)
from strategy_kit.inputs.objectives import TEAM
from strategy_kit.kpis import KpiEngine
from strategy_kit.narrative import Finding, Table
from strategy_kit.narrative.baselines import format_kpi_value
from strategy_kit.narrative.rep_targets import shown_count
from strategy_kit.periods import Period, fiscal_quarter_of

QUARTER_COLUMNS = ("q1", "q2", "q3", "q4", "year")


# --------------------------------------------------------------------------- names


def step_label(step: str, config: Any, language: str) -> str:
    """The name of a funnel step: the stage's name, or "new leads"."""
    if step == LEAD_STEP:
        return label("objectives.step.lead", language)
    for stage in config.stages:
        if stage.id == step:
            return stage.fr if language == "fr" else stage.en
    return step


def quarter_text(quarter: str, language: str) -> str:
    """A fiscal quarter of the analytics (``2026-Q3``) as the language writes it: ``T3 2026``."""
    year, _, number = quarter.partition("-Q")
    return label("objectives.quarter", language, year=year, quarter=number)


# --------------------------------------------------------------------------- sentences


def intro_findings(plan: ObjectivePlan, language: str, currency: str = "EUR") -> list[Finding]:
    """The annual objective in one sentence, and its new-business part when there is one."""
    growth = plan.growth
    money = lambda v: format_currency(v, language, currency)  # noqa: E731
    findings = [
        Finding(
            "objectives.intro",
            {
                "year": plan.year.label,
                "target": money(plan.revenue_target),
                "growth": ("+" if growth and growth > 0 else "") + format_percent(growth, language),
                "baseline_year": plan.baseline_year.label,
                "baseline": money(plan.baseline_revenue),
            },
            language,
            evidence={"revenue_target": plan.revenue_target, "baseline_revenue": plan.baseline_revenue},
        )
    ]
    if plan.new_business_target is not None:
        findings.append(
            Finding(
                "objectives.new_business",
                {
                    "share": format_percent(plan.objectives.new_business_share, language),
                    "amount": money(plan.new_business_target),
                },
                language,
                evidence={"new_business_target": plan.new_business_target},
            )
        )
    return findings


def intro_text(plan: ObjectivePlan, language: str, currency: str = "EUR") -> str:
    """The annual objective and its new-business part, as one paragraph."""
    return " ".join(f.text for f in intro_findings(plan, language, currency))


def projection_finding(attainment: Attainment, language: str, currency: str = "EUR") -> Finding:
    money = lambda v: format_currency(v, language, currency)  # noqa: E731
    return Finding(
        "objectives.projection",
        {
            "projection": money(attainment.projection),
            "attainment": format_percent(attainment.projected_attainment, language),
            "target": money(attainment.year_target),
            "by_run": money(attainment.projection_run_rate),
            "run_months": RUN_RATE_MONTHS,
            "run_rate": money(attainment.run_rate),
            "months_left": attainment.months_left,
            "by_pipeline": money(attainment.projection_pipeline),
            "pipeline": money(attainment.weighted_pipeline),
        },
        language,
        evidence={"projection": attainment.projection, "year_target": attainment.year_target},
    )


def intermediate_note(language: str) -> Finding:
    """The starting level, the path and the status rule."""
    return Finding(
        "objectives.intermediate.note",
        {
            "months": START_MONTHS,
            "on_track": format_percent(ON_TRACK_LAG, language, 0),
            "at_risk": format_percent(AT_RISK_LAG, language, 0),
        },
        language,
    )


def funnel_unavailable(plan: ObjectivePlan, language: str) -> str:
    """Why the plan has no reverse funnel, in ``language`` (empty when it has one)."""
    return "" if plan.funnel_unavailable is None else plan.funnel_unavailable.reason(language)


# --------------------------------------------------------------------------- tables


def phasing_table(phasing: pd.DataFrame, language: str) -> Table:
    """Months with their quarter, target, share of the baseline year and baseline revenue."""
    frame = phasing.assign(quarter=[quarter_text(q, language) for q in phasing["quarter"]])
    return Table(
        frame,
        {
            "month": "column.month",
            "quarter": "objectives.column.quarter",
            "revenue_target": "objectives.column.target",
            "share": "objectives.column.share",
            "baseline": "objectives.column.baseline",
        },
        {"month": "month", "revenue_target": "currency", "share": "percent", "baseline": "currency"},
    )


def funnel_table(funnel: pd.DataFrame, config: Any, language: str, measure: str = "objective") -> Table:
    """One row per step (funnel order), one column per fiscal quarter and the year: the results
    objectives (``measure="objective"``) or a means objective (``calls``, ``emails``), in whole units
    (rounded up: a plan asks for whole deals and calls)."""
    quarters = list(dict.fromkeys(funnel["quarter"]))
    pivot = funnel.pivot_table(index="step", columns="quarter", values=measure, aggfunc="sum", sort=False)
    steps = [s for s in dict.fromkeys(funnel["step"]) if s in pivot.index and pivot.loc[s].notna().any()]
    if measure != "objective":
        steps = [s for s in steps if funnel.loc[funnel["step"] == s, measure].notna().all()]
    frame = pd.DataFrame({"step": [step_label(s, config, language) for s in steps]})
    columns = {"step": "objectives.column.step"}
    kinds = {}
    for name, quarter in zip(QUARTER_COLUMNS, quarters):
        frame[name] = [math.ceil(float(pivot.loc[s, quarter]) - 1e-9) for s in steps]
    frame["year"] = [math.ceil(float(pivot.loc[s].sum()) - 1e-9) for s in steps]
    for name in [*QUARTER_COLUMNS[: len(quarters)], "year"]:
        columns[name] = f"objectives.column.{name}"
        kinds[name] = "integer"
    return Table(frame, columns, kinds)


def assumptions_table(rates: FunnelRates, config: Any, language: str, currency: str = "EUR") -> Table:
    """The rates the reverse funnel uses, each with its value, written for its unit."""
    rows = [
        (
            label("objectives.assumption.avg_deal_size", language),
            format_currency(rates.avg_deal_size, language, currency),
        ),
        (label("objectives.assumption.won_value_ratio", language), format_percent(rates.won_value_ratio, language)),
    ]
    for stage, value in rates.conversions.items():
        rows.append(
            (
                label("objectives.assumption.conversion", language, stage=step_label(stage, config, language)),
                format_percent(value, language),
            )
        )
    if rates.lead_to_deal_rate:
        rows.append(
            (label("objectives.assumption.lead_to_deal", language), format_percent(rates.lead_to_deal_rate, language))
        )
    for step, per in rates.activities_per_advance.items():
        name = (
            label("objectives.assumption.lead_activities", language)
            if step == LEAD_STEP
            else label("objectives.assumption.activities", language, step=step_label(step, config, language))
        )
        rows.append(
            (
                name,
                label(
                    "objectives.assumption.per_deal",
                    language,
                    calls=format_number(per["call"], language, 2),
                    call_count=shown_count(per["call"], 2),
                    emails=format_number(per["email"], language, 2),
                    email_count=shown_count(per["email"], 2),
                ),
            )
        )
    frame = pd.DataFrame(rows, columns=["assumption", "value"])
    return Table(frame, {"assumption": "objectives.column.assumption", "value": "objectives.column.value"})


def variant_table(variant: pd.DataFrame, config: Any, language: str) -> Table:
    frame = variant.copy()
    frame["step"] = [
        label(f"objectives.means.{s}", language) if s in ("calls", "emails") else step_label(s, config, language)
        for s in frame["step"]
    ]
    for column in ("base", "variant"):
        frame[column] = [math.ceil(v - 1e-9) for v in frame[column]]
    return Table(
        frame,
        {
            "step": "objectives.column.step",
            "base": "objectives.column.base",
            "variant": "objectives.column.variant",
            "change": "objectives.column.change",
        },
        {"base": "integer", "variant": "integer", "change": "percent"},
    )


def intermediate_table(trackings: Sequence[Tracking], engine: KpiEngine, language: str, currency: str = "EUR") -> Table:
    """One row per intermediate objective: KPI, owner, start and deadline, starting level, target,
    latest actual against the path, status."""
    rows = []
    for tracking in trackings:
        item = tracking.objective
        measured = tracking.months[tracking.months["actual"].notna()]
        latest = measured.iloc[-1] if not measured.empty else None
        unit = tracking.unit
        rows.append(
            {
                "kpi": engine.definition(item.kpi).label(language),
                "owner": label("objectives.form.team", language) if item.owner == TEAM else item.owner,
                "dates": label(
                    "objectives.dates",
                    language,
                    start=format_date(item.start, language),
                    deadline=format_date(item.deadline, language),
                ),
                "start_level": format_kpi_value(tracking.start_level, unit, language, currency),
                "target_level": format_kpi_value(tracking.target_level, unit, language, currency),
                "actual": format_kpi_value(None if latest is None else latest["actual"], unit, language, currency),
                "path": format_kpi_value(None if latest is None else latest["path"], unit, language, currency),
                "status": label(f"objectives.status.{tracking.status}", language),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["kpi", "owner", "dates", "start_level", "target_level", "actual", "path", "status"]
    )
    return Table(frame, {c: f"objectives.column.{c}" for c in frame.columns})


def attainment_table(attainment: Attainment, language: str, fiscal_year_start_month: int = 1) -> Table:
    """The month, the quarter and the fiscal year to date: actual, target, attainment."""
    frame = attainment.table.copy()
    scopes = []
    for scope, start, end in zip(frame["scope"], frame["start"], frame["end"]):
        year, quarter = fiscal_quarter_of(start, fiscal_year_start_month)
        if scope == "month":
            scopes.append(label("objectives.scope.month", language, month=format_long_month(start, language)))
        elif scope == "quarter":
            scopes.append(label("objectives.quarter", language, year=year, quarter=quarter))
        else:
            scopes.append(
                label("objectives.scope.ytd", language, year=fiscal_quarter_of(end, fiscal_year_start_month)[0])
            )
    frame["scope"] = scopes
    return Table(
        frame[["scope", "actual", "target", "attainment"]],
        {
            "scope": "objectives.column.scope",
            "actual": "objectives.column.actual",
            "target": "objectives.column.target",
            "attainment": "objectives.column.attainment",
        },
        {"actual": "currency", "target": "currency", "attainment": "percent"},
    )


# --------------------------------------------------------------------------- the command's text


def render_plan(
    plan: ObjectivePlan,
    trackings: Sequence[Tracking],
    attainment: Attainment | None,
    period: Period,
    config: Any,
    language: str,
    engine: KpiEngine,
) -> str:
    """The plan and the tracking as text for a terminal, in ``language``."""
    currency = config.currency
    lines: list[str] = [intro_text(plan, language, currency), ""]

    def table(title: str, shown: Table) -> None:
        frame = shown.frame
        assert isinstance(shown.columns, Mapping), "the objectives' tables name each column's header"
        columns = dict(shown.columns)
        cells = [[label(key, language) for key in columns.values()]]
        for record in frame[list(columns)].to_dict("records"):
            cells.append([format_value(record[c], shown.kinds.get(c, "text"), language, currency) for c in columns])
        widths = [max(len(str(row[i])) for row in cells) for i in range(len(cells[0]))]
        lines.extend([title, "-" * len(title)])
        for row in cells:
            lines.append(
                "  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths)))
            )
        lines.append("")

    table(label("objectives.phasing.title", language), phasing_table(plan.phasing, language))
    if plan.funnel is not None and plan.rates is not None:
        table(label("objectives.funnel.results", language), funnel_table(plan.funnel, config, language))
        table(label("objectives.funnel.calls", language), funnel_table(plan.funnel, config, language, "calls"))
        table(label("objectives.funnel.emails", language), funnel_table(plan.funnel, config, language, "emails"))
        table(
            label("objectives.assumptions.title", language, period=plan.baseline_year.label),
            assumptions_table(plan.rates, config, language, currency),
        )
    else:
        lines += [label("report.unavailable", language, reason=funnel_unavailable(plan, language)), ""]
    if trackings:
        table(
            label("objectives.intermediate.title_for", language, period=period.name(language)),
            intermediate_table(trackings, engine, language, currency),
        )
    if attainment is not None:
        table(
            label("objectives.attainment.title_for", language, period=period.name(language)),
            attainment_table(attainment, language, config.fiscal_year_start_month),
        )
        lines += [projection_finding(attainment, language, currency).text, ""]
    return "\n".join(lines)
