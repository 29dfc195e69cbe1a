"""The customer journey as a reader sees it, in a language: the tables of each section (columns,
headers, kinds, stage and group names) and the findings, whole sentences with their numbers.

The numbers come from :mod:`strategy_kit.analytics.journey`; this module only chooses and writes.
A stage is named by the client's own words (``client.yml``), the sales cycle and a stage that
cannot be placed by the messages ``journey.sales_cycle`` and ``journey.stage_unknown``, and the
missing group of a breakdown (``MISSING_GROUP``, also a missing part of a segment) as every KPI
breakdown names it (``kpis.group.none``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from strategy_kit.analytics.journey import Journey
from strategy_kit.analytics.journey_results import (
    HORIZONS,
    MIN_CHANGE_SHARE,
    MIN_DEALS,
    SALES_CYCLE,
    TOP_REASONS,
    UNKNOWN_STAGE,
    ActivityMix,
    Cohorts,
    Funnel,
    FunnelBreakdown,
    LostReasons,
    TimeInStage,
)
from strategy_kit.analytics.segmentation_pool import MIN_RATE_DEALS
from strategy_kit.config import Stage
from strategy_kit.errors import UnavailableError
from strategy_kit.i18n import MISSING, format_integer, format_month, format_number, format_percent, label, plural
from strategy_kit.kpis.dimensions import MISSING_GROUP, SEGMENT_SEPARATOR
from strategy_kit.narrative import Finding, Table
from strategy_kit.periods import Period

# How each column of the tables below is written in a report (kinds of strategy_kit.i18n.FORMATTERS).
COLUMN_KINDS: dict[str, str] = {
    "stage": "text",
    "label": "text",
    "entered": "integer",
    "reached_next": "integer",
    "advanced": "integer",
    "won": "integer",
    "lost": "integer",
    "still_open": "integer",
    "drop_off": "integer",
    "undated": "integer",
    "next_step_conversion": "percent",
    "conversion": "percent",
    "cumulative_conversion": "percent",
    "drop_off_rate": "percent",
    "lost_rate": "percent",
    "deals": "integer",
    "median": "number",
    "p75": "number",
    "p90": "number",
    "left_out": "integer",
    "previous_deals": "integer",
    "previous_median": "number",
    "change": "number",
    "trend": "text",
    "activities": "integer",
    "total": "number",
    "outcome": "text",
    **dict.fromkeys(("call", "email", "meeting", "linkedin", "other"), "number"),
    "share_of_lost": "percent",
    "main_reasons": "text",
    "reason": "text",
    "group": "text",
    "closed": "integer",
    "win_rate": "percent",
    "weakest_stage": "text",
    "weakest_conversion": "percent",
    "team_conversion": "percent",
    "month": "month",
    "won_to_date": "percent",
    **{f"won_{days}d": "percent" for days in HORIZONS},
}

# The columns each table shows in a report, with their header message keys.
FUNNEL_COLUMNS: dict[str, str] = {
    "label": "journey.column.stage",
    "entered": "journey.column.entered",
    "advanced": "journey.column.advanced",
    "lost": "journey.column.lost",
    "still_open": "journey.column.still_open",
    "next_step_conversion": "journey.column.next_step_conversion",
    "conversion": "journey.column.conversion",
    "cumulative_conversion": "journey.column.cumulative_conversion",
    "drop_off_rate": "journey.column.drop_off_rate",
}
TIME_COLUMNS: dict[str, str] = {
    "label": "journey.column.stage",
    "deals": "journey.column.stays",
    "median": "journey.column.median",
    "p75": "journey.column.p75",
    "p90": "journey.column.p90",
    "previous_median": "journey.column.previous_median",
    "change": "journey.column.change",
    "trend": "journey.column.trend",
}
LOST_COLUMNS: dict[str, str] = {
    "label": "journey.column.stage",
    "lost": "journey.column.lost_deals",
    "share_of_lost": "journey.column.share_of_lost",
    "main_reasons": "journey.column.main_reasons",
}
COHORT_COLUMNS: dict[str, str] = {
    "month": "journey.column.month",
    "deals": "journey.column.created",
    **{f"won_{days}d": f"journey.column.won_{days}d" for days in HORIZONS},
    "won_to_date": "journey.column.won_to_date",
}
MAX_GROUPS = 25  # groups shown in a breakdown table (the largest)


def mix_columns(types: Sequence[str], outcome: bool = False) -> dict[str, str]:
    """The columns of the activity-mix tables for the activity ``types`` present."""
    columns = {"label": "journey.column.stage"}
    if outcome:
        columns["outcome"] = "journey.column.outcome"
    columns["deals"] = "journey.column.deals"
    columns.update({t: f"journey.column.{t}" for t in types})
    columns["total"] = "journey.column.total"
    return columns


def breakdown_columns(dimension: str) -> dict[str, str]:
    return {
        "group": f"journey.column.group.{dimension}",
        "deals": "journey.column.deals",
        "won": "journey.column.won",
        "closed": "journey.column.closed",
        "win_rate": "journey.column.win_rate",
        "weakest_stage": "journey.column.weakest_stage",
        "weakest_conversion": "journey.column.weakest_conversion",
        "team_conversion": "journey.column.team_conversion",
    }


# --------------------------------------------------------------------------- names


def stage_label(stages: Iterable[Stage], stage: str, language: str) -> str:
    """A stage as the client names it in ``language``; the sales cycle and a stage that could not be
    placed by their messages."""
    if stage == SALES_CYCLE:
        return label("journey.sales_cycle", language)
    for known in stages:
        if known.id == stage:
            return known.label(language)
    return label("journey.stage_unknown", language) if stage == UNKNOWN_STAGE else stage


def with_labels(frame: pd.DataFrame, stages: Iterable[Stage], language: str) -> pd.DataFrame:
    """``frame`` with the column ``label`` (the stage's name) right after ``stage``."""
    stages = tuple(stages)
    names = {stage: stage_label(stages, stage, language) for stage in dict.fromkeys(frame["stage"])}
    shown = frame.copy()
    shown.insert(shown.columns.get_loc("stage") + 1, "label", [names[s] for s in frame["stage"]])
    return shown


def group_name(group: str, language: str) -> str:
    """A breakdown group as a reader sees it: the missing group, or a missing part of a segment
    (``sector · size_band``), written as every KPI breakdown writes it."""
    none = label("kpis.group.none", language)
    if group == MISSING_GROUP:
        return none
    return SEGMENT_SEPARATOR.join(none if part == MISSING_GROUP else part for part in group.split(SEGMENT_SEPARATOR))


def format_days(value: float, language: str) -> str:
    """Days as people write them: whole numbers without decimals, half days with one."""
    return format_number(value, language, 0 if float(value).is_integer() else 1)


# --------------------------------------------------------------------------- tables


def funnel_table(result: Funnel, language: str) -> Table:
    return Table(with_labels(result.table, result.client_stages, language), FUNNEL_COLUMNS, COLUMN_KINDS)


def time_table(result: TimeInStage, language: str) -> Table:
    return Table(
        with_labels(result.table, result.client_stages, language),
        TIME_COLUMNS,
        COLUMN_KINDS,
        translate={"trend": "journey.trend"},
    )


def activity_table(result: ActivityMix, language: str) -> Table:
    return Table(with_labels(result.per_stage, result.client_stages, language), mix_columns(result.types), COLUMN_KINDS)


def outcome_table(result: ActivityMix, language: str) -> Table:
    return Table(
        with_labels(result.by_outcome, result.client_stages, language),
        mix_columns(result.types, outcome=True),
        COLUMN_KINDS,
        translate={"outcome": "journey.outcome"},
    )


def main_reasons(result: LostReasons, language: str, top: int = TOP_REASONS) -> pd.Series:
    """Per stage, ``Prix 38 % · Concurrent 22 %``: the most frequent reasons and their share."""

    def describe(reasons: list[tuple[str | None, int]], lost: int) -> str:
        if not lost:
            return MISSING
        return " · ".join(
            f"{reason if isinstance(reason, str) else label('journey.reason.none', language)} "
            f"{format_percent(count / lost, language, 0)}"
            for reason, count in reasons[:top]
        )

    return pd.Series(
        [describe(r, n) for r, n in zip(result.by_stage["reasons"], result.by_stage["lost"])],
        index=result.by_stage.index,
    )


def lost_table(result: LostReasons, language: str) -> Table:
    shown = result.by_stage.drop(columns="reasons").assign(main_reasons=main_reasons(result, language))
    return Table(with_labels(shown, result.client_stages, language), LOST_COLUMNS, COLUMN_KINDS)


def breakdown_table(
    result: FunnelBreakdown, language: str, max_groups: int = MAX_GROUPS, min_closed: int = MIN_RATE_DEALS
) -> tuple[Table, int]:
    """The ``max_groups`` largest groups, named for a reader, and how many groups were left out.
    Groups other than reps with fewer than ``min_closed`` closed deals show no win rate (a rate
    over 2 to 5 deals is noise): they are added up in one last row "Autres (moins de 6 affaires
    conclues)"; every rep keeps a row of their own."""
    table = result.table
    few = (table["closed"] < min_closed) if result.dimension != "owner" else pd.Series(False, index=table.index)
    shown = table[~few].head(max_groups).copy()
    shown["group"] = [group_name(group, language) for group in shown["group"]]
    shown["weakest_stage"] = [
        stage_label(result.client_stages, stage, language) if isinstance(stage, str) else None
        for stage in shown["weakest_stage"]
    ]
    if few.any():
        pooled: dict[str, object] = dict.fromkeys(shown.columns)
        pooled.update(
            group=label("journey.few_group", language, min=min_closed),
            deals=int(table.loc[few, "deals"].sum()),
            won=int(table.loc[few, "won"].sum()),
            closed=int(table.loc[few, "closed"].sum()),
            win_rate=float("nan"),
            weakest_conversion=float("nan"),
            team_conversion=float("nan"),
        )
        shown = pd.concat([shown, pd.DataFrame([pooled], columns=shown.columns)], ignore_index=True)
    hidden = max(int((~few).sum()) - max_groups, 0)
    return Table(shown, breakdown_columns(result.dimension), COLUMN_KINDS), hidden


def cohort_table(result: Cohorts, language: str) -> Table:
    """The cohorts with shares written out and incomplete cells saying so (all text)."""
    shown = pd.DataFrame(
        {
            "month": [format_month(m, language) for m in result.table["month"]],
            "deals": [format_integer(n, language) for n in result.table["deals"]],
        }
    )
    pending = label("journey.cohort.incomplete", language)
    for horizon in result.horizons:
        shown[f"won_{horizon}d"] = [
            format_percent(share, language) if complete else pending
            for share, complete in zip(result.table[f"won_{horizon}d"], result.table[f"complete_{horizon}d"])
        ]
    shown["won_to_date"] = [format_percent(share, language) for share in result.table["won_to_date"]]
    return Table(shown, COHORT_COLUMNS)


# --------------------------------------------------------------------------- findings


def findings(journey: Journey, period: Period, language: str) -> list[Finding]:
    """The narrative of the period: which stage loses most, which got slower or faster, the sales
    cycle, the best and worst owner, and the activity mix that goes with deals that move on (parts
    whose data the client lacks are skipped)."""
    found = funnel_findings(journey.funnel(period), language)
    found += time_findings(journey.time_in_stage(period), language)
    for part in (
        lambda: owner_findings(journey.breakdown(period, "owner"), language),
        lambda: activity_findings(journey.activity_mix(period), language),
    ):
        try:
            found += part()
        except UnavailableError:
            continue
    return found


def funnel_findings(result: Funnel, language: str) -> list[Finding]:
    """Which stage loses the most deals (highest share lost there, among stages at least
    ``MIN_DEALS`` deals entered), with the counts behind."""
    table = result.table
    candidates = table[table["entered"] >= MIN_DEALS]
    if candidates.empty:
        return [Finding("journey.finding.too_few", {"min": format_integer(MIN_DEALS, language)}, language)]
    worst = candidates.sort_values(["lost_rate", "lost"], ascending=False, kind="stable").iloc[0]
    if not worst["lost"]:
        return [Finding("journey.finding.no_loss", {}, language)]
    return [
        Finding(
            "journey.finding.loses_most",
            {
                "stage": stage_label(result.client_stages, worst["stage"], language),
                "lost_rate": format_percent(worst["lost_rate"], language, 0),
                "lost": format_integer(worst["lost"], language),
                "entered": format_integer(worst["entered"], language),
                "drop_off_rate": format_percent(worst["drop_off_rate"], language, 0),
            },
            language,
            subject=str(worst["stage"]),
        )
    ]


def time_findings(result: TimeInStage, language: str) -> list[Finding]:
    """The stage that got slower the most (relative change of the median), the one that got faster
    the most, or that none moved; then the sales cycle against the previous period."""
    found = []
    stages = result.table[result.table["stage"] != SALES_CYCLE].copy()
    stages["relative"] = stages["change"] / stages["previous_median"].where(stages["previous_median"] > 0, 1)

    def sentence(key: str, row: pd.Series) -> Finding:
        return Finding(
            key,
            {
                "stage": stage_label(result.client_stages, row["stage"], language),
                "median": format_days(row["median"], language),
                "median_days": float(row["median"]),
                "previous": format_days(row["previous_median"], language),
                "deals": int(row["deals"]),
                "previous_deals": int(row["previous_deals"]),
            },
            language,
            subject=str(row["stage"]),
        )

    for trend, ascending in (("slower", False), ("faster", True)):
        moved = stages[stages["trend"] == trend].sort_values("relative", ascending=ascending, kind="stable")
        if not moved.empty:
            found.append(sentence(f"journey.finding.{trend}", moved.iloc[0]))
    if not found:
        found.append(
            Finding(
                "journey.finding.steady",
                {
                    "share": format_percent(MIN_CHANGE_SHARE, language, 0),
                    "min": format_integer(MIN_DEALS, language),
                },
                language,
            )
        )

    cycle = result.row(SALES_CYCLE)
    unmeasured = int(cycle["left_out"])  # won in the period without a creation date
    won = {"won": int(cycle["deals"]) + unmeasured, "missing": unmeasured}
    undated = result.left_out.get("no_closed_at", 0)  # won deals without a close date, in any period
    if not cycle["deals"]:
        if unmeasured:
            found.append(Finding("journey.finding.cycle_unmeasured", won, language))
        elif undated:
            found.append(Finding("journey.finding.cycle_no_close_date", {"count": int(undated)}, language))
        else:
            found.append(Finding("journey.finding.cycle_none", {}, language))
    else:
        fields = {
            "median": format_days(cycle["median"], language),
            "median_days": float(cycle["median"]),
            "deals": int(cycle["deals"]),
        }
        if cycle["previous_deals"]:
            fields.update(
                previous=format_days(cycle["previous_median"], language),
                previous_days=float(cycle["previous_median"]),
                previous_deals=int(cycle["previous_deals"]),
            )
            found.append(Finding("journey.finding.cycle", fields, language))
        else:
            found.append(Finding("journey.finding.cycle_no_previous", fields, language))
        if unmeasured:
            found.append(Finding("journey.finding.cycle_partly", won, language))
    return found


def activity_findings(result: ActivityMix, language: str) -> list[Finding]:
    """The stage and activity type where deals that moved on had the most more activities per deal
    than the others (both groups with at least ``MIN_DEALS`` deals)."""
    table = result.by_outcome.set_index(["stage", "outcome"])
    best: tuple[float, str, str] | None = None
    for stage in dict.fromkeys(result.by_outcome["stage"]):
        advanced, other = table.loc[(stage, "advanced")], table.loc[(stage, "not_advanced")]
        if advanced["deals"] < MIN_DEALS or other["deals"] < MIN_DEALS:
            continue
        for activity_type in result.types:
            gap = advanced[activity_type] - other[activity_type]
            if gap > 0 and (best is None or gap > best[0]):
                best = (gap, stage, activity_type)
    if best is None:
        return [Finding("journey.finding.activity_none", {"min": format_integer(MIN_DEALS, language)}, language)]
    _, stage, activity_type = best
    advanced, other = table.loc[(stage, "advanced")], table.loc[(stage, "not_advanced")]
    per_deal = round(float(advanced[activity_type]), 1)  # the noun agrees with the number as written
    return [
        Finding(
            "journey.finding.activity_mix",
            {
                "stage": stage_label(result.client_stages, stage, language),
                "activity": plural(per_deal, label(f"journey.activity_noun.{activity_type}", language), language),
                "advanced": format_number(advanced[activity_type], language, 1),
                "other": format_number(other[activity_type], language, 1),
                "advanced_deals": int(advanced["deals"]),
                "other_deals": int(other["deals"]),
            },
            language,
            subject=f"{stage}.{activity_type}",
        )
    ]


def owner_findings(result: FunnelBreakdown, language: str) -> list[Finding]:
    """Best and worst win rate among the groups (owners) with at least ``MIN_DEALS`` closed deals,
    with the counts, and the worst one's weakest stage against the team."""
    table = result.table[(result.table["closed"] >= MIN_DEALS) & (result.table["group"] != MISSING_GROUP)]
    if len(table) < 2:
        return [Finding("journey.finding.owners_too_few", {"min": format_integer(MIN_DEALS, language)}, language)]
    ranked = table.sort_values(["win_rate", "closed"], ascending=[False, False], kind="stable")
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    found = [
        Finding(
            "journey.finding.owners",
            {
                "best": str(best["group"]),
                "best_rate": format_percent(best["win_rate"], language, 0),
                "best_won": int(best["won"]),
                "best_closed": int(best["closed"]),
                "worst": str(worst["group"]),
                "worst_rate": format_percent(worst["win_rate"], language, 0),
                "worst_won": int(worst["won"]),
                "worst_closed": int(worst["closed"]),
            },
            language,
        )
    ]
    if isinstance(worst["weakest_stage"], str):
        found.append(
            Finding(
                "journey.finding.owner_weakest",
                {
                    "owner": str(worst["group"]),
                    "stage": stage_label(result.client_stages, worst["weakest_stage"], language),
                    "conversion": format_percent(worst["weakest_conversion"], language, 0),
                    "team": format_percent(worst["team_conversion"], language, 0),
                },
                language,
                subject=str(worst["group"]),
            )
        )
    return found
