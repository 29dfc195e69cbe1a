"""The SWOT as a reader sees it, in a language: each drafted item's sentence and evidence, why some
rules could not run, how the candidates are drawn, and the what-if's finding and tables.

The numbers come from :mod:`strategy_kit.analytics.swot`; every word from ``i18n/*/swot.yml``.
A :class:`DraftedItem` wraps the sentence (a :class:`~strategy_kit.narrative.Finding`) with its
quadrant and rule; the form (:mod:`strategy_kit.widgets.swot`) and the saved SWOT
(:func:`strategy_kit.inputs.swot.shown_swot`) read its ``quadrant``, ``text``, ``evidence_text``,
``rule`` and ``ident``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from strategy_kit.analytics.swot import KPI_RULES, QUADRANTS, RULES, Draft
from strategy_kit.analytics.swot_evidence import (
    ATTRIBUTE_LIFT,
    BEST_PERFORMER_GAP,
    CONCENTRATION_SHARE,
    CYCLE_RISE,
    KPI_MOVE,
    LOST_REASON_RISE,
    LOW_PENETRATION,
    MIN_SEGMENT_SHARE,
    SEGMENT_SHRINK,
    SEGMENT_WIN_LIFT,
    SMALL_DEAL_SHARE,
    STAGE_DROP_OFF,
    TOP_ACCOUNTS,
    Candidate,
)
from strategy_kit.analytics.swot_what_if import WhatIf
from strategy_kit.config import ClientConfig
from strategy_kit.i18n import (
    format_currency,
    format_date,
    format_integer,
    format_list,
    format_number,
    format_percent,
    label,
)
from strategy_kit.kpis import kpi_definitions
from strategy_kit.narrative import Finding, Table
from strategy_kit.periods import Period


@dataclass(frozen=True)
class DraftedItem:
    """A drafted SWOT item: the candidate's sentence (``finding``) and the sentence of the numbers
    behind it (``evidence_finding``), with the candidate's quadrant and rule."""

    quadrant: str
    rule: str
    finding: Finding
    evidence_finding: Finding

    @property
    def text(self) -> str:
        return self.finding.text

    @property
    def evidence_text(self) -> str:
        return self.evidence_finding.text

    @property
    def subject(self) -> str:
        return self.finding.subject

    @property
    def evidence(self) -> Mapping[str, Any]:
        """The raw numbers behind the item (rates as fractions)."""
        return self.finding.evidence

    @property
    def ident(self) -> str:
        """``rule:subject``: the same finding on another run has the same ident."""
        return f"{self.rule}:{self.subject}" if self.subject else self.rule


def intro(config: ClientConfig, period: Period, language: str) -> Finding:
    """ "Strengths, weaknesses, opportunities and threats of <client> for the period ..."."""
    dates = label(
        "report.period_dates",
        language,
        start=format_date(period.start, language),
        end=format_date(period.end, language),
    )
    return Finding(
        "swot.intro", {"client": config.display_name, "period": period.name(language), "dates": dates}, language
    )


def saved_note(saved_period: str | None, period: Period, language: str) -> Finding:
    """The note above a saved SWOT: for which period the strategist saved it."""
    return Finding("swot.saved_note", {"period": saved_period or period.name(language)}, language)


class _Writer:
    """How a SWOT's numbers are written for one client, period and language."""

    def __init__(self, config: ClientConfig, period: Period, language: str):
        self.config, self.period, self.language = config, period, language

    @cached_property
    def kpi_labels(self) -> dict[str, str]:
        return {k.id: k.label(self.language) for k in kpi_definitions(self.config)}

    @cached_property
    def stage_labels(self) -> dict[str, str]:
        return self.config.stage_labels(self.language)

    def percent(self, value: float | None, decimals: int = 0) -> str:
        return format_percent(value, self.language, decimals)

    def change(self, value: float) -> str:
        return ("+" if value > 0 else "") + self.percent(value)

    def money(self, value: float | None) -> str:
        return format_currency(value, self.language, self.config.currency)

    def value(self, value: float | None, unit: str) -> str:
        if unit == "rate":
            return self.percent(value)
        if unit in ("currency", "currency_per_day"):
            return self.money(value)
        if unit == "count":
            return format_integer(value, self.language)
        return format_number(value, self.language, 1)

    def days(self, value: float) -> str:
        return format_number(value, self.language, 0 if float(value).is_integer() else 1)


# --------------------------------------------------------------------------- each rule's fields
# Counts are passed as numbers: the messages write them ({deals:integer}) and agree with them
# ({deals:plural:affaire|affaires}); rates, amounts and decimals are written here.


def _kpi_move(w: _Writer, e: Mapping[str, Any]) -> dict[str, Any]:
    fields = {
        "kpi": w.kpi_labels[e["kpi"]],
        "value": w.value(e["value"], e["unit"]),
        "reference": w.value(e["reference"], e["unit"]),
        "change": w.change(e["change"]),
        "period": w.period.name(w.language),
    }
    if e.get("other_change") is not None:  # the other reference, mentioned (analytics.swot.merge_kpi_moves)
        fields.update(other=w.value(e["other_reference"], e["unit"]), other_change=w.change(e["other_change"]))
    return fields


def _closing(w: _Writer, e: Mapping[str, Any]) -> dict[str, Any]:
    # The baseline of new deals is an average over a window: the message writes it as a whole
    # number of deals ({new_deals_baseline:integer}, half up), never half a deal.
    return {
        "win_rate": w.percent(e["win_rate"]),
        "win_rate_baseline": w.percent(e["win_rate_baseline"]),
        "new_deals": e["new_deals"],
        "new_deals_baseline": e["new_deals_baseline"],
        "change": w.percent(e["change"]),
    }


def _drop_off(w: _Writer, e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "stage": w.stage_labels.get(e["stage"], e["stage"]),
        "drop_off_rate": w.percent(e["drop_off_rate"]),
        "entered": e["entered"],
        "drop_off": e["drop_off"],
        "lost": e["lost"],
    }


def _best_performers(w: _Writer, e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "best": format_list(e["best"], w.language),
        "best_rate": w.percent(e["best_rate"]),
        "team_rate": w.percent(e["team_rate"]),
        "reps": e["reps"],
        "min": e["min_closed"],
        "gap": format_number((e["best_rate"] - e["team_rate"]) * 100, w.language, 0),
    }


def _lost_reason(w: _Writer, e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "reason": e["reason"],
        "share": w.percent(e["share"]),
        "previous_share": w.percent(e["previous_share"]),
        "lost": e["lost"],
        "total": e["lost_total"],
        "points": format_number(e["rise"] * 100, w.language, 0),
    }


def _cycle(w: _Writer, e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "cycle": w.days(e["cycle_days"]),
        "cycle_days": e["cycle_days"],
        "previous": w.days(e["previous_cycle_days"]),
        "previous_days": e["previous_cycle_days"],
        "change": "+" + w.percent(e["change"]),
        "won": e["deals_won"],
        "previous_won": e["previous_deals_won"],
    }


def _concentration(w: _Writer, e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "top": len(e["top_accounts"]),
        "share": w.percent(e["top_share"]),
        "accounts": e["accounts"],
        "top_revenue": w.money(e["top_revenue"]),
        "revenue": w.money(e["revenue"]),
    }


def _segment(w: _Writer, e: Mapping[str, Any]) -> dict[str, Any]:
    fields = {
        "segment": str(e["segment"]),
        "win_rate": w.percent(e["win_rate"]),
        "overall": w.percent(e["overall_win_rate"]),
        "deals": e["deals"],
        "deal_share": w.percent(e["deal_share"]),
        "revenue_share": w.percent(e["revenue_share"]),
    }
    if "penetration" in e:
        fields.update(
            penetration=w.percent(e["penetration"]),
            customers=e["customers"],
            addressable=format_number(e["addressable"], w.language, 0),
        )
    if "growth" in e:
        fields.update(growth=w.percent(e["growth"]), revenue=w.money(e["revenue"]))
    return fields


def _attribute(w: _Writer, e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "attribute": label(f"qualification.attribute.{e['attribute']}", w.language),
        "value": str(e["value"]),
        "win_rate": w.percent(e["win_rate"]),
        "overall": w.percent(e["overall_win_rate"]),
        "lift": format_number(e["lift"], w.language, 2),
        "ci_low": w.percent(e["ci_low"]),
        "ci_high": w.percent(e["ci_high"]),
        "deals": e["deals"],
    }


FIELDS: dict[str, Callable[[_Writer, Mapping[str, Any]], dict[str, Any]]] = {
    "kpi_above_baseline": _kpi_move,
    "kpi_below_baseline": _kpi_move,
    "kpi_above_previous_year": _kpi_move,
    "kpi_below_previous_year": _kpi_move,
    "closing_strong_generation_weak": _closing,
    "worst_drop_off_stage": _drop_off,
    "best_performers_gap": _best_performers,
    "rising_lost_reason": _lost_reason,
    "lengthening_cycle": _cycle,
    "revenue_concentration": _concentration,
    "high_win_small_share": _segment,
    "under_penetrated_segment": _segment,
    "shrinking_segment": _segment,
    "winning_attribute": _attribute,
}


def _kpi_variant(candidate: Candidate) -> str:
    """For a KPI move: ``_both`` when the other reference's move counts too, ``_other`` when the
    other reference is only mentioned, ``""`` when the data lack it (or for any other rule)."""
    if candidate.rule not in KPI_RULES or candidate.evidence.get("other_change") is None:
        return ""
    return "_both" if candidate.evidence.get("other_counts") else "_other"


def _text_key(candidate: Candidate) -> str:
    """Both changes in the sentence when both count: "Won value: better than the baseline (+33 %)
    and than a year earlier (+35 %)"."""
    return f"swot.{candidate.rule}.text" + ("_both" if _kpi_variant(candidate) == "_both" else "")


def _evidence_key(candidate: Candidate) -> str:
    if candidate.rule == "revenue_concentration" and len(candidate.evidence["top_accounts"]) == 1:
        return "swot.revenue_concentration.evidence_one"  # one account: "the largest account brings ..."
    return f"swot.{candidate.rule}.evidence" + _kpi_variant(candidate)


def _item(writer: _Writer, candidate: Candidate) -> DraftedItem:
    fields = FIELDS[candidate.rule](writer, candidate.evidence)
    if "currency" not in fields:
        fields["currency"] = writer.config.currency
    finding = Finding(_text_key(candidate), fields, writer.language, candidate.subject, candidate.evidence)
    evidence = Finding(_evidence_key(candidate), fields, writer.language, candidate.subject, candidate.evidence)
    return DraftedItem(candidate.quadrant, candidate.rule, finding, evidence)


def drafted_item(candidate: Candidate, period: Period, config: ClientConfig, language: str) -> DraftedItem:
    """One candidate of ``period`` written in ``language``."""
    return _item(_Writer(config, period, language), candidate)


def drafted_items(draft: Draft, config: ClientConfig, language: str) -> list[DraftedItem]:
    """Every candidate of the draft written in ``language``, strengths first."""
    writer = _Writer(config, draft.period, language)
    return [_item(writer, candidate) for candidate in draft.candidates]


def unavailable_reasons(draft: Draft, language: str) -> dict[str, str]:
    """Rule id -> why it could not run, in ``language``."""
    return {rule_id: error.reason(language) for rule_id, error in draft.unavailable.items()}


def unavailable_finding(draft: Draft, language: str) -> Finding | None:
    """ "Rules not applicable for lack of data: <rule> (<why>); ...", or None when every rule ran."""
    if not draft.unavailable:
        return None
    items = [
        label("swot.rules.unavailable_item", language, rule=label(f"swot.rule.{rule_id}", language), reason=reason)
        for rule_id, reason in unavailable_reasons(draft, language).items()
    ]
    return Finding("swot.rules.unavailable", {"rules": label("report.list_separator", language).join(items)}, language)


def _thresholds(language: str) -> dict[str, Any]:
    """The thresholds of the rules, written for ``language`` (the fields of ``swot.rules.note`` and
    ``swot.none.<rule>``)."""
    return {
        "move": format_percent(KPI_MOVE, language, 0),
        "drop_off": format_percent(STAGE_DROP_OFF, language, 0),
        "gap": round(BEST_PERFORMER_GAP * 100),
        "rise": round(LOST_REASON_RISE * 100),
        "cycle": format_percent(CYCLE_RISE, language, 0),
        "top": TOP_ACCOUNTS,
        "share": format_percent(CONCENTRATION_SHARE, language, 0),
        "win_lift": format_percent(SEGMENT_WIN_LIFT, language, 0),
        "deal_share": format_percent(SMALL_DEAL_SHARE, language, 0),
        "penetration": format_percent(LOW_PENETRATION, language, 0),
        "lift": format_number(ATTRIBUTE_LIFT, language, 1),
        "shrink": format_percent(SEGMENT_SHRINK, language, 0),
        "segment_share": format_percent(MIN_SEGMENT_SHARE, language, 0),
    }


# The KPI rules run against both references read as one clause: "no KPI improved by 15 % or more
# against its baseline or over a year".
_BOTH_REFERENCES = {
    ("kpi_above_baseline", "kpi_above_previous_year"): "kpi_above_both",
    ("kpi_below_baseline", "kpi_below_previous_year"): "kpi_below_both",
}


def empty_quadrants(draft: Draft, language: str) -> dict[str, str]:
    """Quadrant -> why the draft has no item there, for each empty quadrant: what its rules looked
    for and did not find ("No threat reaches the thresholds: no lost reason gained 10 points over a
    year, ..."), then the rules the data could not feed and why (the market input not entered yet,
    with where to enter it). The matrix shows it in place of a bare "No item"."""
    thresholds = _thresholds(language)
    reasons: dict[str, str] = {}
    for quadrant in QUADRANTS:
        if draft.quadrant(quadrant):
            continue
        rules = [rule_id for rule_id, rule in RULES.items() if rule.quadrant == quadrant]
        ran = [rule_id for rule_id in draft.evaluated if rule_id in rules]
        for pair, both in _BOTH_REFERENCES.items():  # one clause for a KPI rule run against both references
            if set(pair) <= set(ran):
                ran = [both if rule_id == pair[0] else rule_id for rule_id in ran if rule_id != pair[1]]
        clauses = [label(f"swot.none.{rule_id}", language, **thresholds) for rule_id in ran]
        missing = [
            label("swot.rules.unavailable_item", language, rule=label(f"swot.rule.{r}", language), reason=reason)
            for r, reason in unavailable_reasons(draft, language).items()
            if r in rules
        ]
        sentences = []
        if clauses:
            sentences.append(label(f"swot.empty.{quadrant}", language, reasons=format_list(clauses, language)))
        if missing:
            separator = label("report.list_separator", language)
            sentences.append(label("swot.empty.unavailable", language, rules=separator.join(missing)))
        if sentences:
            reasons[quadrant] = " ".join(sentences)
    return reasons


def rules_note(language: str) -> Finding:
    """How the candidates are drawn: the thresholds."""
    return Finding("swot.rules.note", _thresholds(language), language)


# --------------------------------------------------------------------------- what-if


def lever_label(lever: str, config: ClientConfig, language: str) -> str:
    """``lead_volume``, ``new_deals``, ``stage_conversion.<stage>``, ``avg_deal_size``, ``base_revenue``."""
    if lever.startswith("stage_conversion."):
        stage = lever.split(".", 1)[1]
        return label("swot.what_if.stage", language, stage=config.stage_labels(language).get(stage, stage))
    names = {
        "lead_volume": "lead_volume",
        "new_deals": "lead_volume",
        "avg_deal_size": "deal_size",
        "base_revenue": "base_revenue",
    }
    return label(f"swot.what_if.{names[lever]}", language)


def what_if_intro(result: WhatIf, language: str) -> Finding:
    return Finding(
        f"swot.what_if.intro.{result.mode}",
        {"increase": format_percent(result.increase, language, 0), "points": round(result.increase * 100)},
        language,
    )


def what_if_finding(result: WhatIf, config: ClientConfig, language: str) -> Finding:
    """The sentence naming the lever worth most (or saying the top levers tie)."""
    top = result.table[result.table["rank"] == 1]
    fields = {
        "impact": format_currency(top["impact"].iloc[0], language, config.currency),
        "share": format_percent(top["impact_share"].iloc[0], language, 1),
        "base": format_currency(result.base_revenue, language, config.currency),
    }
    levers = [lever_label(lever, config, language) for lever in top["lever"]]
    if len(levers) > 1:
        return Finding("swot.what_if.finding_tie", {**fields, "levers": format_list(levers, language)}, language)
    return Finding("swot.what_if.finding", {**fields, "lever": levers[0]}, language)


def _written(value: float, unit: str, language: str, currency: str) -> str:
    if unit == "rate":
        return format_percent(value, language, 1)
    if unit == "currency":
        return format_currency(value, language, currency)
    return format_number(value, language, 0)


# The what-if tables: column -> header message key, and each column's value kind.
WHAT_IF_COLUMNS = {
    "rank": "swot.column.rank",
    "label": "swot.column.lever",
    "current": "swot.column.current",
    "improved": "swot.column.improved",
    "revenue": "swot.column.revenue",
    "impact": "swot.column.impact",
    "impact_share": "swot.column.impact_share",
}
WHAT_IF_KINDS = {
    "rank": "integer",
    "current": "text",
    "improved": "text",
    "revenue": "currency",
    "impact": "currency",
    "impact_share": "percent",
}
ASSUMPTION_COLUMNS = {"label": "swot.column.factor", "value": "swot.column.value", "source": "swot.column.source"}


def what_if_table(result: WhatIf, config: ClientConfig, language: str) -> Table:
    """The ranking: each lever's name, its current and improved value (written by unit), the revenue."""
    shown = result.table.copy()
    shown["label"] = [lever_label(lever, config, language) for lever in shown["lever"]]
    for column in ("current", "improved"):
        shown[column] = [_written(v, u, language, config.currency) for v, u in zip(shown[column], shown["unit"])]
    return Table(shown, WHAT_IF_COLUMNS, WHAT_IF_KINDS)


def assumptions_table(result: WhatIf, config: ClientConfig, language: str) -> Table:
    """Each factor of the baseline funnel, its value and where it comes from."""
    shown = result.assumptions.copy()
    source = label(
        "swot.what_if.source",
        language,
        start=format_date(result.window.start, language),
        end=format_date(result.window.end, language),
    )
    shown["label"] = [lever_label(factor, config, language) for factor in shown["factor"]]
    shown["source"] = [
        label("swot.what_if.formula", language) if factor == "base_revenue" else source for factor in shown["factor"]
    ]
    shown["value"] = [_written(v, u, language, config.currency) for v, u in zip(shown["value"], shown["unit"])]
    return Table(shown, ASSUMPTION_COLUMNS)


def what_if_notes(result: WhatIf, config: ClientConfig, language: str) -> list[Finding]:
    """What the base revenue assumes, against the value actually won; the stages left out."""
    notes = [
        Finding(
            "swot.what_if.note",
            {"actual": format_currency(result.actual_won_value, language, config.currency)},
            language,
        )
    ]
    if result.left_out:
        labels = config.stage_labels(language)
        notes.append(
            Finding(
                "swot.what_if.left_out",
                {"stages": format_list([labels.get(s, s) for s in result.left_out], language)},
                language,
            )
        )
    return notes


def lever_names(table: pd.DataFrame, config: ClientConfig, language: str) -> list[str]:
    """The name of each lever of a what-if ``table``, in its order (for charts)."""
    return [lever_label(lever, config, language) for lever in table["lever"]]
