"""Lead qualification as a reader sees it, in a language: the findings (the persona, the shares
outside it and the effort they take, win rates of fit vs non-fit, what the persona misses or
wrongly includes, whether the score holds) and the tables of notebook 02.

The numbers are :mod:`strategy_kit.analytics.qualification`'s; the words are the messages
``qualification.*`` of :mod:`strategy_kit.i18n`.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.analytics.qualification import MIN_COMPARE, Qualification
from strategy_kit.analytics.qualification_attributes import OTHER
from strategy_kit.analytics.qualification_score import Calibration, NaiveBayesModel, open_deal_extremes
from strategy_kit.i18n import (
    MISSING,
    format_date,
    format_list,
    format_number,
    format_percent,
    label,
)
from strategy_kit.inputs.persona import CRITERIA, Persona
from strategy_kit.narrative import Finding, Table
from strategy_kit.ranges import range_sort_key

# How each column is written in a report (kinds of strategy_kit.i18n.FORMATTERS).
COLUMN_KINDS: dict[str, str] = {
    "attribute": "text",
    "value": "text",
    "deals": "integer",
    "won": "integer",
    "win_rate": "percent",
    "ci_low": "percent",
    "ci_high": "percent",
    "lift": "number",
    "group": "text",
    "created": "integer",
    "closed": "integer",
    "cycle_days": "number",
    "items": "integer",
    "share": "percent",
    "activities": "integer",
    "activity_share": "percent",
    "per_item": "number",
    "hours": "number",
    "band": "text",
    "predicted": "percent",
    "actual": "percent",
    "score": "percent",
    "reasons": "text",
    "deal_id": "text",
    "account": "text",
    "owner": "text",
    "amount": "currency",
    "stage": "text",
    "verdict": "text",
    "weight": "number",
    "lost": "integer",
    "odds": "number",
    "probability": "percent",
    "interval": "text",
    "scope": "text",
}
LIFT_COLUMNS = {
    "attribute": "qualification.column.attribute",
    "value": "qualification.column.value",
    "deals": "qualification.column.closed",
    "won": "qualification.column.won",
    "win_rate": "qualification.column.win_rate",
    "interval": "qualification.column.interval",
    "lift": "qualification.column.lift",
}
OUTCOME_COLUMNS = {
    "group": "qualification.column.group",
    "created": "qualification.column.created",
    "closed": "qualification.column.closed",
    "won": "qualification.column.won",
    "win_rate": "qualification.column.win_rate",
    "interval": "qualification.column.interval",
    "cycle_days": "qualification.column.cycle_days",
}
EFFORT_COLUMNS = {
    "scope": "qualification.column.scope",
    "group": "qualification.column.group",
    "items": "qualification.column.items",
    "share": "qualification.column.share",
    "activities": "qualification.column.activities",
    "activity_share": "qualification.column.activity_share",
    "per_item": "qualification.column.per_item",
    "hours": "qualification.column.hours",
}
LEAD_COLUMNS = {
    "group": "qualification.column.group",
    "items": "qualification.column.items",
    "share": "qualification.column.share",
}
CALIBRATION_COLUMNS = {
    "band": "qualification.column.band",
    "deals": "qualification.column.deals",
    "predicted": "qualification.column.predicted",
    "won": "qualification.column.won",
    "actual": "qualification.column.actual",
    "interval": "qualification.column.interval",
}
OPEN_SCORE_COLUMNS = {
    "account": "qualification.column.account",
    "owner": "qualification.column.owner",
    "amount": "qualification.column.amount",
    "stage": "qualification.column.stage",
    "probability": "qualification.column.probability",
    "reasons": "qualification.column.contributions",
}
WEIGHT_COLUMNS = {
    "attribute": "qualification.column.attribute",
    "value": "qualification.column.value",
    "won": "qualification.column.won",
    "lost": "qualification.column.lost",
    "odds": "qualification.column.odds",
}
OPEN_DEAL_FACTORS = 3  # attributes shown per open deal: those that move its odds most
PERSONA_LISTS = ("sectors", "size_bands", "regions", "needs", "pain_points", "disqualifiers")
PERSONA_VALUES = ("sectors", "size_bands", "regions")  # values of the data, the others phrases


# --------------------------------------------------------------------------- names and values


def attribute_name(attribute: str, language: str) -> str:
    return label(f"qualification.attribute.{attribute}", language)


def value_name(value: str, language: str) -> str:
    return label("qualification.other", language) if value == OTHER else str(value)


def _percent(value: float | None, language: str) -> str:
    return format_percent(value, language, 0)


def interval_text(low: float | None, high: float | None, language: str) -> str:
    """``19 %–24 %``, or the missing mark."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return MISSING
    return f"{_percent(low, language)}–{_percent(high, language)}"


def _whole(value: float | None) -> float | None:
    """``value`` rounded half away from zero, as it is written (so that a plural agrees with it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(decimal.Decimal(repr(float(value))).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))


def fit_reasons(fit: pd.DataFrame, language: str) -> pd.Series:
    """Why each row of :func:`~strategy_kit.analytics.qualification.persona_fit` (or lead_fit,
    account_fit) is in, outside or not checkable: one clause per criterion the persona sets."""
    separator = label("report.list_separator", language)
    clauses = []
    for criterion in (c for c in CRITERIA if f"{c}_met" in fit.columns):
        name = label(f"qualification.criterion.{criterion}", language)
        unknown = label(f"qualification.reason.unknown.{criterion}", language)
        texts = []
        for met, value in zip(fit[f"{criterion}_met"], fit[f"{criterion}_value"]):
            if met is pd.NA or met is None:
                texts.append(unknown)
                continue
            if isinstance(value, (int, float, np.number)):  # a headcount
                value = label("qualification.reason.employees", language, count=value)
            texts.append(label(f"qualification.reason.{'in' if met else 'out'}", language, criterion=name, value=value))
        clauses.append(texts)
    reasons = [separator.join(parts) for parts in zip(*clauses)] if clauses else [""] * len(fit)
    return pd.Series(reasons, index=fit.index, dtype=object)


# --------------------------------------------------------------------------- findings


def persona_findings(persona: Persona | None, language: str) -> list[Finding]:
    """What the persona says, one sentence per part it sets (or that none is saved)."""
    if persona is None:
        return [Finding("qualification.persona.none", {}, language)]
    findings = []
    separator = label("report.list_separator", language)
    for key in PERSONA_LISTS:
        values = getattr(persona, key)
        if values:  # names read as a list (a, b and c); needs and pain points are phrases, kept apart
            written = format_list(values, language) if key in PERSONA_VALUES else separator.join(values)
            findings.append(Finding(f"qualification.persona.{key}", {"values": written}, language, subject=key))
    low, high = persona.employees_min, persona.employees_max
    if low is not None and high is not None:
        findings.append(Finding("qualification.persona.employees", {"low": low, "high": high}, language))
    elif low is not None:
        findings.append(Finding("qualification.persona.employees_min", {"low": low}, language))
    elif high is not None:
        findings.append(Finding("qualification.persona.employees_max", {"high": high}, language))
    if not persona.criteria:
        findings.append(Finding("qualification.persona.no_criteria", {}, language))
    return findings


def share_findings(
    outcomes: pd.DataFrame | None, lead_table: pd.DataFrame | None, effort_table: pd.DataFrame | None, language: str
) -> list[Finding]:
    """Shares of deals (:func:`fit_outcomes`) and leads (:func:`lead_counts`) outside the persona,
    the effort spent on them (:func:`effort`), and the win rate and cycle of fit vs non-fit deals;
    parts given as None are skipped."""
    findings: list[Finding] = []
    scopes = []
    if outcomes is not None:
        scopes.append(("deals", outcomes.set_index("group")["created"]))
    if lead_table is not None:
        scopes.append(("leads", lead_table.set_index("group")["items"]))
    for scope, created in scopes:
        total = int(created.sum())
        if not total:
            findings.append(Finding(f"qualification.finding.no_{scope}", {}, language, subject=scope))
            continue
        findings.append(
            Finding(
                # "0 ne peut pas être vérifiée" says nothing: the clause is left out when every item could be checked
                f"qualification.finding.outside_{scope}" + ("" if int(created["unknown"]) else "_all_checked"),
                {
                    "share": _percent(created["outside"] / total, language),
                    "count": int(created["outside"]),
                    "total": total,
                    "unknown": int(created["unknown"]),
                },
                language,
                subject=scope,
            )
        )
    if effort_table is not None:
        for scope in ("deals", "leads"):
            mine = effort_table[effort_table["scope"] == scope].set_index("group")
            total = int(mine["activities"].sum()) if not mine.empty else 0
            if not total:
                continue
            outside = mine.loc["outside"]
            logged = not np.isnan(outside["hours"])
            findings.append(
                Finding(
                    f"qualification.finding.{'effort_hours' if logged else 'effort'}.{scope}",
                    {
                        "share": _percent(outside["activity_share"], language),
                        "count": int(outside["activities"]),
                        "total": total,
                        "hours": format_number(outside["hours"], language, 1) if logged else MISSING,
                        "per_outside": format_number(outside["per_item"], language, 1),
                        "per_fit": format_number(mine.loc["fit", "per_item"], language, 1),
                    },
                    language,
                    subject=scope,
                )
            )
    if outcomes is not None:
        table = outcomes.set_index("group")
        fit, outside = table.loc["fit"], table.loc["outside"]
        if fit["closed"] >= MIN_COMPARE and outside["closed"] >= MIN_COMPARE:
            findings.append(
                Finding(
                    "qualification.finding.win_rates",
                    {
                        "fit_rate": _percent(fit["win_rate"], language),
                        "fit_closed": int(fit["closed"]),
                        "outside_rate": _percent(outside["win_rate"], language),
                        "outside_closed": int(outside["closed"]),
                        "fit_cycle": _whole(fit["cycle_days"]),
                        "outside_cycle": _whole(outside["cycle_days"]),
                    },
                    language,
                )
            )
        else:
            findings.append(Finding("qualification.finding.too_few", {"min": MIN_COMPARE}, language))
    return findings


def review_findings(review: pd.DataFrame, language: str) -> list[Finding]:
    """One sentence per value the persona misses or wrongly includes, or that none does."""
    if review.empty:
        return [Finding("qualification.finding.review_none", {}, language)]
    return [
        Finding(
            f"qualification.finding.{row.verdict}",
            {
                "attribute": label(f"qualification.subject.{row.attribute}", language),
                "value": value_name(row.value, language),
                "win_rate": _percent(row.win_rate, language),
                "ci_low": _percent(row.ci_low, language),
                "ci_high": _percent(row.ci_high, language),
                "deals": int(row.deals),
                "lift": format_number(row.lift, language, 1),
                "overall": _percent(row.overall_win_rate, language),
            },
            language,
            subject=f"{row.attribute}:{row.value}",
        )
        for row in review.itertuples(index=False)
    ]


def calibration_findings(result: Calibration, language: str) -> list[Finding]:
    table = result.table[result.table["deals"] > 0]
    low, high = table.iloc[0], table.iloc[-1]
    key = "qualification.finding.calibration" if result.skill > 0 else "qualification.finding.calibration_weak"
    return [
        Finding(
            key,
            {
                "cut": format_date(result.cut, language),
                "test": result.test_deals,
                "train": result.train_deals,
                "top_band": interval_text(high["low"], high["high"], language),
                "top_actual": _percent(high["actual"], language),
                "bottom_band": interval_text(low["low"], low["high"], language),
                "bottom_actual": _percent(low["actual"], language),
                "skill": _percent(result.skill, language),
            },
            language,
            evidence={"brier": result.brier, "base_brier": result.base_brier},
        )
    ]


def findings(result: Qualification, language: str) -> list[Finding]:
    """The narrative: the persona, shares outside it and the effort they take, win rates of fit
    vs non-fit, what the persona misses or wrongly includes, and whether the score holds."""
    parts = result.parts
    said = persona_findings(result.persona, language)
    said += share_findings(parts.get("outcomes"), parts.get("leads"), parts.get("effort"), language)
    if "review" in parts:
        said += review_findings(parts["review"], language)
    if "calibration" in parts:
        said += calibration_findings(parts["calibration"], language)
    return said


# --------------------------------------------------------------------------- tables


def lift_table(lift: pd.DataFrame, language: str) -> Table:
    """The lift with attribute names, pooled values and intervals written for ``language``."""
    shown = lift.copy()
    shown["attribute"] = shown["attribute"].map(lambda a: attribute_name(a, language))
    shown["value"] = shown["value"].map(lambda v: value_name(v, language))
    shown["interval"] = [interval_text(lo, hi, language) for lo, hi in zip(shown["ci_low"], shown["ci_high"])]
    return Table(shown, LIFT_COLUMNS, COLUMN_KINDS)


def _groups(table: pd.DataFrame, language: str) -> pd.DataFrame:
    """Outcome, lead or effort rows with the group (and scope) names and intervals written for
    ``language``; the "cannot be checked" rows are left out when they hold nothing."""
    counts = [c for c in ("created", "closed", "items", "activities") if c in table.columns]
    empty_unknown = table["group"].eq("unknown") & table[counts].fillna(0).eq(0).all(axis=1)
    shown = table[~empty_unknown].copy()
    shown["group"] = shown["group"].map(lambda g: label(f"qualification.group.{g}", language))
    if "scope" in shown.columns:
        shown["scope"] = shown["scope"].map(lambda s: label(f"qualification.scope.{s}", language))
    if "ci_low" in shown.columns:
        shown["interval"] = [interval_text(lo, hi, language) for lo, hi in zip(shown["ci_low"], shown["ci_high"])]
    return shown


def outcome_table(outcomes: pd.DataFrame, language: str) -> Table:
    return Table(_groups(outcomes, language), OUTCOME_COLUMNS, COLUMN_KINDS)


def lead_table(leads: pd.DataFrame, language: str) -> Table:
    return Table(_groups(leads, language), LEAD_COLUMNS, COLUMN_KINDS)


def effort_table(effort: pd.DataFrame, language: str) -> Table:
    return Table(_groups(effort, language), EFFORT_COLUMNS, COLUMN_KINDS)


def calibration_table(result: Calibration, language: str) -> Table:
    shown = result.table.copy()
    shown["band"] = [interval_text(lo, hi, language) for lo, hi in zip(shown["low"], shown["high"])]
    shown["interval"] = [interval_text(lo, hi, language) for lo, hi in zip(shown["ci_low"], shown["ci_high"])]
    return Table(shown, CALIBRATION_COLUMNS, COLUMN_KINDS)


def _value_order(values: pd.Series) -> list[float]:
    """Each value's place in its natural order: ranges (company sizes 1-9 ... 1000+) from the
    smallest (:func:`~strategy_kit.ranges.range_order`), others alphabetically; "other" last."""
    listed = [str(v) for v in values]
    positions = range_sort_key(listed, last={OTHER}) or {
        v: i for i, v in enumerate(sorted(set(listed), key=lambda v: (v == OTHER, v)))
    }
    return [float(positions[v]) for v in listed]


def weights_table(model: NaiveBayesModel, language: str) -> Table:
    """The learned weight of every attribute value as an odds factor, with the counts behind;
    attributes in the model's order, values in their natural order (:func:`_value_order`)."""
    shown = model.likelihoods.copy()
    order = {attribute: position for position, attribute in enumerate(model.attributes)}
    place = pd.Series(0.0, index=shown.index)
    for attribute in model.attributes:
        mine = shown["attribute"].eq(attribute)
        place[mine] = _value_order(shown.loc[mine, "value"])
    shown = shown.assign(_order=shown["attribute"].map(order), _place=place)
    shown = shown.sort_values(["_order", "_place"], kind="stable")
    shown["odds"] = np.exp(shown["weight"])
    shown["attribute"] = shown["attribute"].map(lambda a: attribute_name(a, language))
    shown["value"] = shown["value"].map(lambda v: value_name(v, language))
    return Table(shown, WEIGHT_COLUMNS, COLUMN_KINDS)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def open_deals_table(
    model: NaiveBayesModel, scores: pd.DataFrame, language: str, stages: Mapping[str, str] | None = None
) -> Table:
    """The open deals with the highest and lowest scores, each named as a person finds it (the
    account, the rep, the amount and the stage, its label from ``stages`` when given: see
    :func:`~strategy_kit.analytics.qualification_attributes.deal_context`), and the
    :data:`OPEN_DEAL_FACTORS` attributes that weigh most on its score, strongest first, as odds
    factors (×1,5: the value multiplies the odds of winning by 1.5)."""
    separator = label("report.list_separator", language)
    stages = stages or {}
    rows = []
    for _, row in open_deal_extremes(scores).iterrows():
        known = [a for a in model.attributes if not _missing(row[f"{a}_value"])]
        strongest = sorted(known, key=lambda a: -abs(float(row[a])))[:OPEN_DEAL_FACTORS]
        parts = [
            label(
                "qualification.contribution",
                language,
                attribute=attribute_name(attribute, language),
                value=row[f"{attribute}_value"],
                factor=format_number(math.exp(row[attribute]), language, 2),
            )
            for attribute in strongest
        ]
        account, owner, stage = (row.get(column) for column in ("account", "owner", "stage"))
        rows.append(
            {
                "account": row["deal_id"] if _missing(account) else account,
                "owner": MISSING if _missing(owner) else owner,
                "amount": None if _missing(row.get("value")) else float(row["value"]),
                "stage": MISSING if _missing(stage) else stages.get(str(stage), str(stage)),
                "probability": row["probability"],
                "reasons": separator.join(parts),
            }
        )
    return Table(pd.DataFrame(rows), OPEN_SCORE_COLUMNS, COLUMN_KINDS)
