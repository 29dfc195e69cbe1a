"""The per-rep targets and scorecards for a reader, in a language: the tables of notebook 06, the
sentences (the rule, the realistic total, why a target is flagged) and each rep's scorecard page
as texts (:mod:`strategy_kit.report.scorecards` lays it out in HTML).

The numbers come from :mod:`strategy_kit.analytics.rep_targets`; every word from
``i18n/<language>/rep_targets.yml`` and ``scorecard.yml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from strategy_kit.analytics.followups import FollowupExceptions
from strategy_kit.analytics.journey_results import MIN_DEALS as MIN_STAGE_DEALS
from strategy_kit.analytics.rep_help import ACTIVITY_GAP, HELP_MONTHS, MIN_CLOSED, RepHelp
from strategy_kit.analytics.rep_targets import REALISM_PERCENTILE, TREND_MONTHS, RepTargets, Scorecard
from strategy_kit.i18n import (
    MISSING,
    format_currency,
    format_date,
    format_long_month,
    format_month,
    format_number,
    format_percent,
    label,
)
from strategy_kit.narrative import Finding, Table
from strategy_kit.narrative.journey import stage_label

SCORECARD_COLUMNS = ("month", "target", "actual", "attainment", "percentile", "deals", "calls", "emails")
UNREALISTIC_FLAG = " ⚠"


# --------------------------------------------------------------------------- sentences


def window_text(first: date, last: date, language: str) -> str:
    """The months a figure covers, named: ``de janvier 2025 à décembre 2025`` (``first``: a month's
    first day, ``last``: the first or last day of the last month)."""
    return label(
        "rep_targets.window", language, start=format_long_month(first, language), end=format_long_month(last, language)
    )


def days_text(first: date, last: date, language: str) -> str:
    """A window named by its months when it starts on a month's first day and ends on a month's
    last day, else by its dates: ``du 16/03/2025 au 15/03/2026``."""
    if first.day == 1 and (last + timedelta(days=1)).day == 1:
        return window_text(first, last, language)
    return label(
        "rep_targets.window_days", language, start=format_date(first, language), end=format_date(last, language)
    )


def rule_finding(min_months: int, ramp: Sequence[float], language: str, history: tuple[date, date]) -> Finding:
    """The targets' rule in a sentence or three (own baseline over the ``history`` months, ramp,
    scaling, realism)."""
    steps = " / ".join(format_percent(f, language, 0) for f in ramp)
    return Finding(
        "rep_targets.rule",
        {
            "min_months": min_months,
            "ramp": steps,
            "count": len(ramp),
            "percentile": format_number(REALISM_PERCENTILE, language),
            "window": window_text(*history, language),
        },
        language,
    )


def rule_text(targets: RepTargets, language: str) -> str:
    return rule_finding(targets.min_months, targets.ramp, language, targets.history_months).text


def realistic_finding(targets: RepTargets, language: str, currency: str = "EUR") -> Finding:
    """The objective and the total a realistic plan would reach, in a sentence."""
    objective, realistic = targets.objective_total, targets.realistic_total
    return Finding(
        "rep_targets.realistic_total",
        {
            "objective": format_currency(objective, language, currency),
            "realistic": format_currency(realistic, language, currency),
            "share": format_percent(realistic / objective if objective else None, language),
        },
        language,
        evidence={"objective": objective, "realistic": realistic},
    )


def reason_text(row: dict[str, Any], language: str, currency: str = "EUR", window: str = "") -> str:
    """Why a row's target is flagged (or has no realism check), in ``language``, naming the
    ``window`` of the rep's history (:func:`window_text`); empty when realistic."""
    code = row.get("reason")
    if not code or (not isinstance(code, str) and pd.isna(code)):
        return ""
    if code == "no_history":
        return label("rep_targets.reason.no_history", language)
    money = lambda v: format_currency(v, language, currency)  # noqa: E731
    return label(
        f"rep_targets.reason.{code}",
        language,
        target=money(row["revenue_target"]),
        p90=money(row["p90"]),
        best=money(row["best_month"]),
        months=int(row["months_of_history"]),
        window=window,
    )


def reasons(targets: RepTargets, language: str, currency: str = "EUR") -> pd.Series:
    """Why each row of ``targets.table`` is flagged, in ``language``."""
    window = window_text(*targets.history_months, language)
    return pd.Series(
        [reason_text(row, language, currency, window) for row in targets.table.to_dict("records")],
        index=targets.table.index,
        dtype=object,
    )


def rep_reason_findings(targets: RepTargets, language: str, currency: str = "EUR") -> list[Finding]:
    """One sentence per rep with a realism finding: the rep and the reason of the rep's first such month."""
    texts = reasons(targets, language, currency)
    findings = []
    for owner, part in targets.table.groupby("owner", sort=True):
        found = [(code, text) for code, text in zip(part["reason"], texts.loc[part.index]) if text]
        if not found:
            continue
        if found[0][0] == "no_history":
            findings.append(
                Finding("rep_targets.rep_reason.no_history", {"owner": owner}, language, subject=str(owner))
            )
        else:
            findings.append(
                Finding("rep_targets.rep_reason", {"owner": owner, "reason": found[0][1]}, language, subject=str(owner))
            )
    return findings


# --------------------------------------------------------------------------- tables (notebook 06)


def targets_table(targets: RepTargets, language: str) -> Table:
    """One row per rep: history, baseline, the plan's total target and its share of the team's,
    the ramp rule, the highest percentile demanded and the months flagged unrealistic."""
    rows = []
    for owner in targets.owners:
        rep = targets.rep(owner)
        percentiles = rep["percentile"].dropna()
        rows.append(
            {
                "owner": owner,
                "months_of_history": int(rep["months_of_history"].iloc[0]),
                "baseline_monthly": rep["baseline_monthly"].iloc[0],
                "revenue_target": int(rep["revenue_target"].sum()),
                "share": rep["revenue_target"].sum() / targets.objective_total if targets.objective_total else None,
                "ramp": label("rep_targets.yes" if rep["ramp"].any() else "rep_targets.no", language),
                "percentile": percentiles.max() / 100 if len(percentiles) else None,
                "unrealistic": int(rep["unrealistic"].sum()),
            }
        )
    columns = {
        name: f"rep_targets.column.{name}"
        for name in (
            "owner",
            "months_of_history",
            "baseline_monthly",
            "revenue_target",
            "share",
            "ramp",
            "percentile",
            "unrealistic",
        )
    }
    kinds = {
        "months_of_history": "integer",
        "baseline_monthly": "currency",
        "revenue_target": "currency",
        "share": "percent",
        "percentile": "percent",
        "unrealistic": "integer",
    }
    return Table(pd.DataFrame(rows, columns=list(columns)), columns, kinds)


def team_table(targets: RepTargets) -> Table:
    """Per month: the team's objective and what a realistic plan would reach."""
    frame = targets.team.assign(month=pd.to_datetime(targets.team["month"]))
    columns = {
        "month": "column.month",
        "revenue_target": "rep_targets.column.objective",
        "realistic": "rep_targets.column.realistic",
    }
    return Table(frame, columns, {"month": "month", "revenue_target": "currency", "realistic": "currency"})


# --------------------------------------------------------------------------- scorecards


def _number(value: float | None, language: str, decimals: int = 0) -> str:
    return MISSING if value is None or pd.isna(value) else format_number(value, language, decimals)


def _money(value: float | None, language: str, currency: str) -> str:
    return MISSING if value is None or pd.isna(value) else format_currency(value, language, currency)


def _pct(value: float | None, language: str) -> str:
    return MISSING if value is None or pd.isna(value) else format_percent(value, language)


def trend_text(card: Scorecard, language: str) -> str:
    if card.trend is None:
        return label("scorecard.trend.unknown", language, months=2 * TREND_MONTHS)
    if card.trend_change is None:
        return label(f"scorecard.trend.{card.trend}.no_change", language, months=TREND_MONTHS)
    return label(
        f"scorecard.trend.{card.trend}",
        language,
        months=TREND_MONTHS,
        change=format_percent(card.trend_change, language),
    )


def _history_window(card: Scorecard, language: str) -> str:
    return window_text(*card.history, language) if card.history else MISSING


def realism_text(card: Scorecard, language: str) -> str:
    if card.months_of_history == 0:
        return label("rep_targets.reason.no_history", language)
    fields = {"percentile": format_number(REALISM_PERCENTILE, language), "window": _history_window(card, language)}
    if card.unrealistic_months == 0:
        return label("scorecard.realistic", language, **fields)
    return label("scorecard.unrealistic", language, count=card.unrealistic_months, total=len(card.months), **fields)


def means_finding(card: Scorecard, language: str, currency: str = "EUR") -> Finding:
    if card.avg_deal_size is None:
        return Finding("scorecard.means.unknown", {}, language, subject=card.owner)
    key = "scorecard.means.own" if card.means_source == "own" else "scorecard.means.team"
    shown = {
        "deals": (card.deals_per_month, 1),
        "calls": (card.per_month("calls"), 0),
        "emails": (card.per_month("emails"), 0),
        "calls_per_deal": (card.means.get("calls"), 1),
        "emails_per_deal": (card.means.get("emails"), 1),
    }
    fields: dict[str, Any] = {
        "deal": format_currency(card.avg_deal_size, language, currency),
        "window": _history_window(card, language),
    }
    for name, (value, decimals) in shown.items():
        fields[name] = _number(value, language, decimals)
        fields[f"{name}_n"] = shown_count(value, decimals)  # the plural follows the number as written
    return Finding(key, fields, language, subject=card.owner, evidence={"avg_deal_size": card.avg_deal_size})


def shown_count(value: float | None, decimals: int) -> Decimal | None:
    """``value`` rounded as :func:`strategy_kit.i18n.format_number` writes it (``1.0`` stays ``1.0``:
    "1.0 calls" in English, "1,0 appel" in French)."""
    if value is None or pd.isna(value):
        return None
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def help_findings(help: RepHelp | None, language: str, currency: str = "EUR") -> list[Finding]:
    """What would help the rep, from the rep's own numbers against the team's over the last
    :data:`~strategy_kit.analytics.rep_help.HELP_MONTHS` months (:mod:`strategy_kit.analytics.rep_help`):
    the stage where the rep loses most against the team, the activity the rep's won deals get least
    of, the average won deal; one sentence each. Too few closed deals: one sentence saying so."""
    if help is None:
        return []
    window = days_text(help.window.start, help.window.end, language)
    if not help.enough:
        fields = {"closed": help.closed, "min": MIN_CLOSED, "window": window, "months": HELP_MONTHS}
        return [Finding("scorecard.help.too_few", fields, language, subject="too_few")]
    said = []
    if help.stage is not None:
        said.append(
            Finding(
                "scorecard.help.stage",
                {
                    "stage": stage_label(help.client_stages, help.stage, language),
                    "rate": format_percent(help.stage_conversion, language, 0),
                    "team": format_percent(help.team_stage_conversion, language, 0),
                },
                language,
                subject="stage",
            )
        )
    else:
        said.append(Finding("scorecard.help.stage_none", {"min": MIN_STAGE_DEALS}, language, subject="stage"))
    if help.won and help.activity is not None:
        said.append(
            Finding(
                "scorecard.help.activity",
                {
                    "kind": label(f"scorecard.activity.{help.activity}", language),
                    "rate": format_number(help.activity_per_won, language, 1),
                    "team": format_number(help.team_activity_per_won, language, 1),
                },
                language,
                subject="activity",
            )
        )
    elif help.won:
        gap = format_percent(1 - ACTIVITY_GAP, language, 0)
        said.append(Finding("scorecard.help.activity_none", {"gap": gap}, language, subject="activity"))
    if help.deal_size is not None and help.team_deal_size is not None:
        key = "scorecard.help.deal_size_below" if help.deal_size < help.team_deal_size else "scorecard.help.deal_size"
        said.append(
            Finding(
                key,
                {
                    "rate": format_currency(help.deal_size, language, currency),
                    "team": format_currency(help.team_deal_size, language, currency),
                },
                language,
                subject="deal_size",
            )
        )
    return said


def help_note(help: RepHelp, language: str) -> str:
    """How the lines of :func:`help_findings` are computed (the scorecard's footnote)."""
    return label(
        "scorecard.help.note",
        language,
        window=days_text(help.window.start, help.window.end, language),
        min=MIN_STAGE_DEALS,
        closed=MIN_CLOSED,
    )


@dataclass(frozen=True)
class ScorecardPage:
    """A rep's scorecard as a reader sees it, every text written: the title, the period line, the
    summary (header, value), the monthly table (headers and written cells; ``flagged`` rows hold
    an unrealistic target), the notes under it, what would help, and the method as footnotes."""

    title: str
    period: str
    summary: list[tuple[str, str]]
    monthly_title: str
    headers: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    help_title: str = ""
    help: list[str] = field(default_factory=list)  # what would help, one sentence a line
    footnotes: list[str] = field(default_factory=list)  # the method, in small type


def late_followups_text(late: FollowupExceptions, owner: str, language: str, currency: str = "EUR") -> str:
    """``owner``'s overdue follow-ups in a few words: how many, of which kinds, the value at stake
    ("5 : 3 leads pas encore contactés, 2 affaires sans prochaine étape ; 12 400 € en jeu")."""
    rows = late.per_rep[late.per_rep["owner"] == owner]
    if rows.empty:
        return label("scorecard.followups.none", language)
    row = rows.iloc[0]
    parts = [
        label(f"scorecard.followups.kind.{kind}", language, count=int(row[kind]))
        for kind in late.checked
        if kind in row and row[kind] > 0
    ]
    fields = {"count": int(row["total"]), "detail": ", ".join(parts)}
    value = row["value_at_risk"]
    if pd.isna(value) or value <= 0:
        return label("scorecard.followups.value_no_amount", language, **fields)
    return label("scorecard.followups.value", language, **fields, amount=format_currency(value, language, currency))


def scorecard_page(
    card: Scorecard, language: str, currency: str = "EUR", late: FollowupExceptions | None = None
) -> ScorecardPage:
    """The texts of ``card``'s page in ``language``; ``late``: the follow-up exceptions, whose
    count for the rep joins the summary (not when not given, or when no rule could be checked)."""
    lang = language
    summary = [
        (label("scorecard.target_total", lang), _money(card.target_total, lang, currency)),
        (label("scorecard.target_to_date", lang), _money(card.target_to_date, lang, currency)),
        (label("scorecard.actual_to_date", lang), _money(card.actual_to_date, lang, currency)),
        (label("scorecard.attainment", lang), _pct(card.attainment, lang)),
        (label("scorecard.trend", lang), trend_text(card, lang)),
        (label("scorecard.realism", lang), realism_text(card, lang)),
    ]
    if late is not None and late.checked:  # no rule checked: "none" would claim what was not seen
        summary.append(
            (
                label("scorecard.followups", lang, as_of=format_date(late.as_of, lang)),
                late_followups_text(late, card.owner, lang, currency),
            )
        )
    rows = [
        [
            format_month(row["month"], lang),
            _money(row["revenue_target"], lang, currency),
            _money(row["actual"], lang, currency),
            _pct(row["attainment"], lang),
            _number(row["percentile"], lang) + (UNREALISTIC_FLAG if row["unrealistic"] else ""),
            _number(row["deals_needed"], lang, 1),
            _number(row["calls_needed"], lang),
            _number(row["emails_needed"], lang),
        ]
        for row in card.months.to_dict("records")
    ]
    notes = []
    flagged = card.months[card.months["unrealistic"]]
    if len(flagged):
        notes.append(
            label(
                "scorecard.unrealistic_detail",
                lang,
                months=", ".join(format_month(m, lang) for m in flagged["month"]),
                p90=_money(flagged["p90"].iloc[0], lang, currency),
                best=_money(flagged["best_month"].iloc[0], lang, currency),
                history=card.months_of_history,
                window=_history_window(card, lang),
            )
        )
    notes.append(means_finding(card, lang, currency).text)
    footnotes = []
    if card.help is not None and card.help.enough:
        footnotes.append(help_note(card.help, lang))
    if card.ramp and card.history is not None:
        footnotes.append(
            label(
                "scorecard.ramp_note",
                lang,
                min_months=card.min_months,
                window=window_text(*card.history, lang),
                ramp=" / ".join(format_percent(f, lang, 0) for f in card.ramp_factors),
                count=len(card.ramp_factors),
            )
        )
    period = f"{label('report.period', lang)} {card.period.name(lang)}"
    if card.cutoff:
        period += " · " + label("scorecard.cutoff", lang, date=format_month(card.cutoff, lang))
    return ScorecardPage(
        title=label("scorecard.title", lang, owner=card.owner),
        period=period,
        summary=summary,
        monthly_title=label("scorecard.monthly", lang),
        headers=[label(f"scorecard.column.{c}", lang) for c in SCORECARD_COLUMNS],
        rows=rows,
        notes=notes,
        help_title=label("scorecard.help.title", lang),
        help=[finding.text for finding in help_findings(card.help, lang, currency)],
        footnotes=footnotes,
    )
