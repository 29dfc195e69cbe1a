"""The call analysis as a reader sees it (METHOD.md section 7): findings and tables in a language.

Numbers come from :mod:`strategy_kit.analytics.outreach`; words from the messages ``outreach.*``.
A rate measured on too few calls is written "trop peu d'appels" ("too few calls"), never 0 % or
100 %; an interval is written "fourchette probable" ("likely range").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from strategy_kit.analytics.outreach import MAX_ATTEMPT, MIN_CALLS, UNKNOWN, CallAnalysis
from strategy_kit.i18n import format_list, format_percent, format_weekday, label
from strategy_kit.narrative import Finding, Table

SHOWN_BEST = 3  # slots named as the best time to call, at most


def _percent(value: float | None, language: str) -> str:
    return format_percent(value, language, 0)


def weekday_name(weekday: int, language: str) -> str:
    """``mardi`` / ``Tuesday`` for ISO weekday 2."""
    return format_weekday(int(weekday) - 1, language)


def band_name(band: str, language: str) -> str:
    """An hour band as a table header writes it: ``8 h–10 h``, ``8–10 am``, ``autres heures``."""
    return label(f"outreach.band.{band}", language)


def slot_name(weekday: int, band: str, language: str) -> str:
    """A slot as a sentence writes it: ``le mardi de 16 h à 18 h`` / ``on Tuesday from 4 to 6 pm``."""
    return label(
        "outreach.slot",
        language,
        weekday=weekday_name(weekday, language),
        band=label(f"outreach.when.{band}", language),
    )


def rate_text(rate: float | None, low: float | None, high: float | None, enough: bool, language: str) -> str:
    """``38 % (34 %–43 %)``, or ``trop peu d'appels`` when the cell has too few calls for a rate."""
    if not enough or rate is None or pd.isna(rate):
        return label("outreach.too_few", language)
    return label(
        "outreach.rate_range",
        language,
        rate=_percent(rate, language),
        low=_percent(low, language),
        high=_percent(high, language),
    )


# --------------------------------------------------------------------------- findings


def time_basis_finding(analysis: CallAnalysis, language: str) -> Finding:
    """Whose clock the hours are read on: the client's, or the prospect's for some calls."""
    fields = {"zone": analysis.timezone, "prospect": analysis.prospect_time_calls, "calls": analysis.calls}
    key = "outreach.finding.time_basis.mixed" if analysis.prospect_time_calls else "outreach.finding.time_basis.client"
    return Finding(key, fields, language, subject="time_basis", evidence=fields)


def best_time_findings(analysis: CallAnalysis, language: str) -> list[Finding]:
    """The slots credibly above the average connect and meeting rates, or that none is, or that no
    slot has enough calls to tell."""
    if not analysis.slots["enough"].any():
        counts: dict[str, object] = {"min": MIN_CALLS, "calls": analysis.calls}
        return [Finding("outreach.finding.too_few_slots", counts, language, subject="too_few_slots")]
    findings: list[Finding] = []
    for rate, best, average in (
        ("connect", analysis.best_connect, analysis.connect_rate),
        ("meeting", analysis.best_meeting, analysis.meeting_rate),
    ):
        if average is None:
            continue
        for row in best.head(SHOWN_BEST).itertuples(index=False):
            fields: dict[str, object] = {
                "slot": slot_name(row.weekday, row.hour_band, language),
                "rate": _percent(getattr(row, f"{rate}_rate"), language),
                "low": _percent(getattr(row, f"{rate}_low"), language),
                "high": _percent(getattr(row, f"{rate}_high"), language),
                "average": _percent(average, language),
                "calls": int(row.calls),
            }
            findings.append(
                Finding(
                    f"outreach.finding.best_{rate}", fields, language, subject=f"{rate}:{row.weekday}:{row.hour_band}"
                )
            )
    if analysis.connect_rate is not None and analysis.best_connect.empty and analysis.best_meeting.empty:
        findings.append(
            Finding(
                "outreach.finding.no_difference",
                {"average": _percent(analysis.connect_rate, language)},
                language,
                subject="no_difference",
            )
        )
    return findings


def experiment_finding(analysis: CallAnalysis, language: str) -> Finding | None:
    """Which slots to test and how many calls each needs (None without an average rate)."""
    plan = analysis.experiment
    if plan is None or plan.slots.empty:
        return None
    slots = format_list(
        [slot_name(w, b, language) for w, b in zip(plan.slots["weekday"], plan.slots["hour_band"])], language
    )
    weeks = plan.slots["weeks_needed"].dropna()
    fields = {
        "points": round(plan.difference * 100),
        "average": _percent(plan.baseline, language),
        "calls": plan.calls_per_slot,
        "slots": slots,
        "weeks": int(weeks.min()) if not weeks.empty else 0,
    }
    key = "outreach.finding.experiment" if not weeks.empty else "outreach.finding.experiment_no_pace"
    return Finding(key, fields, language, subject="experiment", evidence={"calls_per_slot": plan.calls_per_slot})


def attempt_name(band: str, language: str) -> str:
    """``1er appel``, ``2e appel``... ``6e appel et suivants``."""
    if band == f"{MAX_ATTEMPT}+":
        return label("outreach.attempt.last", language, n=MAX_ATTEMPT)
    number = int(band)
    return label("outreach.attempt.first" if number == 1 else "outreach.attempt.nth", language, n=number)


def give_up_finding(analysis: CallAnalysis, language: str) -> Finding | None:
    """After how many calls to the same lead another one stops paying off (None: no attempts)."""
    rule = analysis.give_up
    if rule is None or analysis.attempts is None:
        return None
    fields: dict[str, object] = {"share": _percent(rule.share, language), "first": _percent(rule.first_rate, language)}
    if rule.after is not None:
        following = str(rule.after + 1) if rule.after + 1 < MAX_ATTEMPT else f"{MAX_ATTEMPT}+"
        row = analysis.attempts[analysis.attempts["attempt_band"] == following].iloc[0]
        fields.update(
            after=rule.after,
            next=attempt_name(following, language),
            rate=_percent(rule.rate, language),
            calls=int(row["calls"]),
        )
    return Finding(f"outreach.finding.give_up.{rule.reason}", fields, language, subject="give_up", evidence=fields)


def lead_age_finding(analysis: CallAnalysis, language: str) -> Finding | None:
    """The delay after a lead's arrival whose calls book meetings credibly more often than the
    average (the shortest such delay), or None when no delay does or the data cannot tell."""
    frame, average = analysis.lead_ages, analysis.meeting_rate
    if frame is None or average is None:
        return None
    credible = frame[frame["enough"] & (frame["lead_age_band"] != UNKNOWN) & (frame["meeting_low"] > average)]
    if credible.empty:
        return None
    row = credible.iloc[0]
    fields = {
        "delay": label(f"outreach.lead_age_when.{row['lead_age_band']}", language),
        "rate": _percent(row["meeting_rate"], language),
        "low": _percent(row["meeting_low"], language),
        "high": _percent(row["meeting_high"], language),
        "average": _percent(average, language),
    }
    return Finding("outreach.finding.lead_age", fields, language, subject=f"lead_age:{row['lead_age_band']}")


def call_findings(analysis: CallAnalysis, language: str) -> list[Finding]:
    """Every finding of the call analysis, in reading order."""
    findings = [time_basis_finding(analysis, language), *best_time_findings(analysis, language)]
    for extra in (
        experiment_finding(analysis, language),
        lead_age_finding(analysis, language),
        give_up_finding(analysis, language),
    ):
        if extra is not None:
            findings.append(extra)
    return findings


# --------------------------------------------------------------------------- tables


def _rates(frame: pd.DataFrame, shown: pd.DataFrame, language: str) -> pd.DataFrame:
    for rate in ("connect", "meeting"):
        shown[f"{rate}_rate"] = [
            rate_text(r, lo, hi, bool(ok), language)
            for r, lo, hi, ok in zip(
                frame[f"{rate}_rate"], frame[f"{rate}_low"], frame[f"{rate}_high"], frame["enough"]
            )
        ]
    shown["calls"] = frame["calls"].to_numpy()
    return shown


RATE_HEADERS = {
    "calls": "outreach.column.calls",
    "connect_rate": "outreach.column.connect_rate",
    "meeting_rate": "outreach.column.meeting_rate",
}


def _table(shown: pd.DataFrame, first: str, header: str) -> Table:
    return Table(
        shown[[first, "calls", "connect_rate", "meeting_rate"]].reset_index(drop=True),
        columns={first: header, **RATE_HEADERS},
        kinds={"calls": "integer"},
        classes={"connect_rate": "num", "meeting_rate": "num"},
    )


def slot_table(analysis: CallAnalysis, language: str) -> Table:
    """One row per slot with calls: weekday, hour band, calls, both rates with their likely range."""
    frame = analysis.slots
    shown = pd.DataFrame(
        {
            "weekday": [weekday_name(w, language) for w in frame["weekday"]],
            "hour_band": [band_name(b, language) for b in frame["hour_band"]],
        }
    )
    shown = _rates(frame, shown, language)
    return Table(
        shown[["weekday", "hour_band", "calls", "connect_rate", "meeting_rate"]],
        columns={"weekday": "outreach.column.weekday", "hour_band": "outreach.column.hour_band", **RATE_HEADERS},
        kinds={"calls": "integer"},
        classes={"connect_rate": "num", "meeting_rate": "num"},
    )


# The breakdowns of :class:`CallAnalysis` beside the slots: attribute, key column, header, value name.
BREAKDOWNS = {
    "reps": ("owner", "outreach.column.owner"),
    "segments": ("segment", "outreach.column.segment"),
    "attempts": ("attempt_band", "outreach.column.attempt"),
    "durations": ("duration_band", "outreach.column.duration"),
    "lead_ages": ("lead_age_band", "outreach.column.lead_age"),
}


def _value_name(breakdown: str, value: str, language: str) -> str:
    if breakdown == "attempts":
        return attempt_name(value, language)
    if breakdown == "durations":
        return label(f"outreach.duration.{value}", language)
    if breakdown == "lead_ages":
        return label(f"outreach.lead_age.{value}", language)
    return str(value)


def breakdown_table(analysis: CallAnalysis, breakdown: str, language: str) -> Table | None:
    """The calls and rates per rep, segment, attempt, duration or lead age (``breakdown``: a key of
    :data:`BREAKDOWNS`); None when the data cannot tell (no owner, no accounts, no lead...)."""
    frame: pd.DataFrame | None = getattr(analysis, breakdown)
    if frame is None:
        return None
    column, header = BREAKDOWNS[breakdown]
    shown = pd.DataFrame({column: [_value_name(breakdown, v, language) for v in frame[column]]})
    return _table(_rates(frame, shown, language), column, header)


def experiment_table(analysis: CallAnalysis, language: str) -> Table | None:
    """The slots to test: calls so far, rate so far, calls needed and weeks at the current pace."""
    plan = analysis.experiment
    if plan is None or plan.slots.empty:
        return None
    frame = plan.slots
    shown = pd.DataFrame(
        {
            "slot": [
                f"{weekday_name(w, language)}, {band_name(b, language)}"
                for w, b in zip(frame["weekday"], frame["hour_band"])
            ],
            "calls": frame["calls"].to_numpy(),
            "rate": [
                _percent(r, language) if ok else label("outreach.too_few", language)
                for r, ok in zip(frame[f"{plan.rate}_rate"], frame["enough"])
            ],
            "needed": plan.calls_per_slot,
            "weeks": [None if pd.isna(w) or math.isinf(w) else int(w) for w in frame["weeks_needed"]],
        }
    )
    return Table(
        shown,
        columns={
            "slot": "outreach.column.slot",
            "calls": "outreach.column.calls",
            "rate": f"outreach.column.{plan.rate}_rate",
            "needed": "outreach.column.needed",
            "weeks": "outreach.column.weeks",
        },
        kinds={"calls": "integer", "needed": "integer", "weeks": "integer"},
        classes={"rate": "num"},
    )


def breakdown_names(analysis: CallAnalysis) -> Sequence[str]:
    """The breakdowns this client's calls have, in reading order."""
    return [name for name in BREAKDOWNS if getattr(analysis, name) is not None]
