"""The executive summary in words: the period's key figures and the findings each chapter offers.

A chapter's notebook builds its :class:`KeyFinding` items (one sentence with its number and the
action it suggests, the amount at stake, the section that shows it) and its :class:`KeyFigure`
rows, and offers them with :func:`strategy_kit.report.notebook.offer`; the report gathers them
from every notebook, ranks the findings (:func:`strategy_kit.analytics.summary.rank`) and puts
them on the first page with links to their sections. The words come from
``i18n/<language>/summary.yml``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from strategy_kit.analytics.followups import FollowupExceptions
from strategy_kit.analytics.objectives_tracking import Attainment, Tracking
from strategy_kit.analytics.overview import RevenueByMonth
from strategy_kit.analytics.rep_targets import Scorecard, slugify
from strategy_kit.analytics.summary import KINDS, MAX_FINDINGS, PER_KIND, SEGMENT_UPLIFT, segment_amount, shortfall
from strategy_kit.analytics.swot_what_if import WhatIf
from strategy_kit.config import ClientConfig
from strategy_kit.i18n import MISSING, format_currency, format_long_month, format_percent, format_value, label
from strategy_kit.narrative.swot import lever_label
from strategy_kit.periods import Period, fiscal_quarter_of, month_end, month_start

ATTAINMENT_SECTION = "objectives.attainment.title"
REVENUE_SECTION = "overview.revenue.title"
SCORECARD_PREFIX = "sk-scorecard-"
REP_BEHIND = 0.90  # a rep whose revenue to date is below 90 % of the target to date is behind


def anchor(section: str) -> str:
    """The id of the heading a section's title key gives (the summary's links point to it); an id
    already (``sk-...``, a rep's scorecard) is kept as it is."""
    if section.startswith("sk-"):
        return section
    return "sk-" + section.removesuffix(".title").replace(".", "-").replace("_", "-")


def scorecard_anchor(owner: str) -> str:
    """The id of a rep's scorecard heading in the report."""
    return SCORECARD_PREFIX + slugify(owner)


@dataclass(frozen=True)
class KeyFinding:
    """A finding offered to the executive summary: ``kind`` (one of
    :data:`~strategy_kit.analytics.summary.KINDS`), the ``amount`` at stake (None when it cannot
    be computed), its sentence and the title key of the section that shows it (or the id of its
    heading: a rep's scorecard)."""

    kind: str
    amount: float | None
    text: str
    section: str

    def to_json(self) -> dict[str, Any]:
        return {"type": "finding", **asdict(self)}


@dataclass(frozen=True)
class KeyFigure:
    """A row of the summary's key figures, already written: what, actual, target, attainment, a
    year earlier and the change; ``order`` places it (the month, the quarter, the year to date,
    the projection)."""

    order: int
    name: str
    actual: str
    target: str
    attainment: str
    last_year: str
    change: str
    section: str

    def to_json(self) -> dict[str, Any]:
        return {"type": "figure", **asdict(self)}


def from_json(payload: Mapping[str, Any]) -> KeyFinding | KeyFigure:
    """What :func:`KeyFinding.to_json` or :func:`KeyFigure.to_json` wrote."""
    fields = {k: v for k, v in payload.items() if k != "type"}
    return KeyFinding(**fields) if payload.get("type") == "finding" else KeyFigure(**fields)


def _money(value: float | None, language: str, currency: str) -> str:
    return format_currency(value, language, currency) if value is not None else MISSING


def _change(actual: float | None, before: float | None, language: str) -> str:
    """``+12 %`` / ``-8 %`` against a year earlier; ``–`` without a year earlier to compare with."""
    if actual is None or before is None or not before or not math.isfinite(before):
        return MISSING
    change = actual / before - 1
    written = format_percent(change, language, 0)
    return f"+{written}" if change > 0 and not written.startswith("-") else written


# --------------------------------------------------------------------------- key figures


def key_figures(
    attainment: Attainment, language: str, currency: str = "EUR", fiscal_year_start_month: int = 1
) -> list[KeyFigure]:
    """Revenue of the month, the quarter and the year to date against objective and a year
    earlier, then the year-end projection against the annual objective."""
    section = ATTAINMENT_SECTION
    rows = []
    for order, row in enumerate(attainment.table.to_dict("records")):
        start, end = row["start"], row["end"]
        if row["scope"] == "month":
            name = label("summary.figure.month", language, month=format_long_month(start, language))
        elif row["scope"] == "quarter":
            year, quarter = fiscal_quarter_of(start, fiscal_year_start_month)
            name = label("objectives.quarter", language, year=year, quarter=quarter)
        else:
            name = label("objectives.scope.ytd", language, year=fiscal_quarter_of(end, fiscal_year_start_month)[0])
        before = row.get("last_year")
        before = None if before is None or pd.isna(before) else float(before)
        rows.append(
            KeyFigure(
                order,
                name,
                _money(row["actual"], language, currency),
                _money(row["target"], language, currency),
                format_percent(row["attainment"], language, 0),
                _money(before, language, currency),
                _change(row["actual"], before, language),
                section,
            )
        )
    rows.append(
        KeyFigure(
            len(rows),
            label("summary.figure.projection", language),
            _money(attainment.projection, language, currency),
            _money(attainment.year_target, language, currency),
            format_percent(attainment.projected_attainment, language, 0),
            MISSING,
            MISSING,
            section,
        )
    )
    return rows


def revenue_figure(revenue: RevenueByMonth, period: Period, language: str, currency: str = "EUR") -> KeyFigure | None:
    """The period's revenue against the same months a year earlier, for a client without saved
    objectives (the objectives chapter's figures replace it otherwise); None for a period that is
    not whole months."""
    if period.start != month_start(period.start) or period.end != month_end(period.end):
        return None
    months = revenue.table[
        (revenue.table["month"].dt.date >= period.start) & (revenue.table["month"].dt.date <= period.end)
    ]
    if months.empty or months["revenue"].isna().any():
        return None
    actual = float(months["revenue"].sum())
    before = None if months["previous_year"].isna().any() else float(months["previous_year"].sum())
    return KeyFigure(
        0,
        period.name(language),
        _money(actual, language, currency),
        MISSING,
        MISSING,
        _money(before, language, currency),
        _change(actual, before, language),
        REVENUE_SECTION,
    )


# --------------------------------------------------------------------------- findings per chapter


def projection_finding(attainment: Attainment, language: str, currency: str = "EUR") -> KeyFinding | None:
    """The year-end projection short of the annual objective (None when it reaches it)."""
    gap = shortfall(attainment.year_target, attainment.projection)
    if not gap:
        return None
    text = label(
        "summary.finding.projection",
        language,
        projection=_money(attainment.projection, language, currency),
        gap=_money(gap, language, currency),
        target=_money(attainment.year_target, language, currency),
    )
    return KeyFinding("objective", gap, text, ATTAINMENT_SECTION)


def rep_findings(cards: Sequence[Scorecard], language: str, currency: str = "EUR") -> list[KeyFinding]:
    """The reps whose revenue to date is below :data:`REP_BEHIND` of their target to date (the
    sentence says so when the rep's targets were flagged as beyond what their history supports)."""
    found = []
    for card in cards:
        if card.actual_to_date is None or not card.target_to_date:
            continue
        if card.actual_to_date >= REP_BEHIND * card.target_to_date:
            continue
        gap = shortfall(card.target_to_date, card.actual_to_date)
        text = label(
            "summary.finding.rep_unrealistic" if card.unrealistic_months else "summary.finding.rep",
            language,
            rep=card.owner,
            actual=_money(card.actual_to_date, language, currency),
            target=_money(card.target_to_date, language, currency),
            attainment=format_percent(card.actual_to_date / card.target_to_date, language, 0),
            gap=_money(gap, language, currency),
        )
        found.append(KeyFinding("rep", gap, text, scorecard_anchor(card.owner)))
    return found


def intermediate_findings(
    trackings: Sequence[Tracking], kpi_labels: Mapping[str, str], language: str, currency: str = "EUR"
) -> list[KeyFinding]:
    """The intermediate objectives at risk or off track at their latest measured month; the amount
    at stake is their shortfall when the objective is an amount."""
    found = []
    for tracking in trackings:
        if tracking.status not in ("at_risk", "off_track") or tracking.months.empty:
            continue
        measured = tracking.months.dropna(subset=["actual"])
        actual = float(measured["actual"].iloc[-1]) if not measured.empty else None
        target = tracking.target_level
        kind = UNIT_KINDS.get(tracking.unit, "number")
        amount = shortfall(target, actual) if tracking.unit == "currency" else None
        text = label(
            f"summary.finding.intermediate.{tracking.status}",
            language,
            kpi=kpi_labels.get(tracking.objective.kpi, tracking.objective.kpi),
            actual=_level(actual, kind, language, currency),
            target=_level(target, kind, language, currency),
            deadline=format_long_month(tracking.objective.deadline, language),
        )
        found.append(KeyFinding("intermediate", amount, text, "objectives.intermediate.title"))
    return found


UNIT_KINDS = {"currency": "currency", "rate": "percent", "count": "integer"}  # a KPI's unit -> how it is written


def _level(value: float | None, kind: str, language: str, currency: str) -> str:
    """A KPI's level in a sentence: rates as whole percentages (86 %, not 85,9 %)."""
    return format_percent(value, language, 0) if kind == "percent" else format_value(value, kind, language, currency)


def followup_finding(late: FollowupExceptions, language: str, currency: str = "EUR") -> KeyFinding | None:
    """The late follow-ups and the value of the distinct open deals they concern (None when none
    is late); the action: send each rep their list."""
    exceptions = late.exceptions
    if exceptions.empty:
        return None
    deals = exceptions.drop_duplicates(["record_type", "record_id"])["value_at_risk"]
    value = float(deals.sum(min_count=1)) if deals.notna().any() else None
    text = label(
        "summary.finding.followup" if value else "summary.finding.followup_no_value",
        language,
        count=len(exceptions),
        value=_money(value, language, currency),
    )
    return KeyFinding("followup", value or None, text, "followups.title")


def lever_finding(result: WhatIf, config: ClientConfig, language: str) -> KeyFinding | None:
    """The what-if lever that brings the most (None when no lever brings anything)."""
    top = result.table.sort_values("impact", ascending=False).head(1)
    if top.empty or not top["impact"].iloc[0] or not math.isfinite(float(top["impact"].iloc[0])):
        return None
    impact = float(top["impact"].iloc[0])
    lever = str(top["lever"].iloc[0])
    stage = lever.split(".", 1)[1] if lever.startswith("stage_conversion.") else None
    how = ("stage_points" if result.mode == "points" else "stage") if stage else "relative"
    name = config.stage_labels(language).get(stage, stage) if stage else lever_label(lever, config, language)
    text = label(
        f"summary.finding.lever.{how}",
        language,
        lever=name,
        points=round(result.increase * 100),
        increase=format_percent(result.increase, language, 0),
        impact=_money(impact, language, config.currency),
    )
    return KeyFinding("lever", impact, text, "swot.what_if.title")


def segment_findings(chosen: pd.DataFrame, language: str, currency: str = "EUR") -> list[KeyFinding]:
    """The segments to target, each with the revenue of 10 % more closed deals in it (a segment
    whose deals carry no amount is named with its conversion rate alone)."""
    found = []
    for row in chosen.to_dict("records"):
        amount = segment_amount(row.get("deals"), _number(row.get("win_rate")), _number(row.get("avg_deal_size")))
        text = label(
            "summary.finding.segment" if amount is not None else "summary.finding.segment_no_amount",
            language,
            segment=str(row["segment"]),
            win_rate=format_percent(_number(row.get("win_rate")), language, 0),
            deal=_money(_number(row.get("avg_deal_size")), language, currency),
            uplift=format_percent(SEGMENT_UPLIFT, language, 0),
            amount=_money(amount, language, currency),
        )
        found.append(KeyFinding("segment", amount, text, "segmentation.attractiveness.title"))
    return found


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def persona_finding(outcomes: pd.DataFrame | None, language: str) -> KeyFinding | None:
    """Deals inside the buyer persona won credibly less often than those outside it (the top of
    the first group's likely range below the second's rate); None otherwise, or without outcomes."""
    if outcomes is None:
        return None
    groups = outcomes.set_index("group")
    if not {"fit", "outside"} <= set(groups.index):
        return None
    fit, outside = groups.loc["fit"], groups.loc["outside"]
    if pd.isna(fit["ci_high"]) or pd.isna(outside["win_rate"]) or fit["ci_high"] >= outside["win_rate"]:
        return None
    text = label(
        "summary.finding.persona",
        language,
        fit=format_percent(fit["win_rate"], language, 0),
        outside=format_percent(outside["win_rate"], language, 0),
    )
    return KeyFinding("persona", None, text, "qualification.findings.title")


# --------------------------------------------------------------------------- the rule, for the appendix


def ranking_rule(language: str) -> list[str]:
    """How the summary's findings are chosen and ordered, in paragraphs."""
    uplift = format_percent(SEGMENT_UPLIFT, language, 0)
    kinds = [label(f"summary.rule.kind.{kind}", language, uplift=uplift) for kind in KINDS]
    return [
        label("summary.rule.intro", language),
        *kinds,
        label(
            "summary.rule.order",
            language,
            limit=MAX_FINDINGS,
            per_kind=PER_KIND,
            behind=format_percent(REP_BEHIND, language, 0),
        ),
    ]


def contents_title(language: str) -> str:
    return label("summary.contents", language)


def period_heading(period: Period, language: str) -> str:
    return label("summary.title", language, period=period.name(language))
