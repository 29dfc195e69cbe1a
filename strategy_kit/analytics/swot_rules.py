"""The SWOT evidence rules (METHOD.md section 1: "identify opportunities from the strengths and
weaknesses of the process"), each declared once with :func:`~strategy_kit.analytics.swot_evidence.rule`.

A rule reads :class:`~strategy_kit.analytics.swot_evidence.Evidence` and returns zero or more
candidates with the numbers behind them; a rule whose data the client lacks raises
:class:`~strategy_kit.errors.UnavailableError` (a message key), kept as the rule's reason.

- ``kpi_above_baseline`` / ``kpi_below_baseline`` (strengths / weaknesses): the KPIs of
  :data:`~strategy_kit.analytics.swot_evidence.SWOT_KPIS` (and every ``stage_conversion.<stage>``) whose value in the period moved by at
  least :data:`KPI_MOVE` (relative, in the KPI's good or bad direction; rates too, so 20 % -> 25 %
  is +25 %) from the baseline; the :data:`MAX_PER_RULE` largest moves.
- ``kpi_above_previous_year`` / ``kpi_below_previous_year``: the same against the same period a
  year earlier. A KPI drafted by two of these four rules is one item, not two
  (:func:`strategy_kit.analytics.swot.merge_kpi_moves`).
- ``closing_strong_generation_weak`` (weaknesses; the guide's "your closing rate is high but lead
  generation could improve"): the win rate at or above its baseline while new deals fell by at
  least :data:`KPI_MOVE` below theirs.
- ``worst_drop_off_stage`` (weaknesses): over the recent year, the stage (among those at least
  :data:`MIN_STAGE_DEALS` deals entered, the won stage aside) with the highest drop-off rate
  (journey: lost there or still there / entered), when it reaches :data:`STAGE_DROP_OFF`.
- ``best_performers_gap`` (weaknesses): over the recent year, the pooled win rate of the best
  performers (the top quarter, at least one, of the reps with at least :data:`MIN_REP_CLOSED`
  closed deals, by win rate) against the whole team's; fires when the gap reaches
  :data:`BEST_PERFORMER_GAP` (percentage points): the rest of the team closes that much less.
- ``high_win_small_share`` (opportunities): segments (:func:`strategy_kit.analytics.segmentation.segment_table`,
  over the recent year; not small, not ``(none)``) whose win rate is at least :data:`SEGMENT_WIN_LIFT`
  above the win rate of all segments together (relative) while holding at most
  :data:`SMALL_DEAL_SHARE` of the closed deals.
- ``under_penetrated_segment`` (opportunities): segments whose penetration (customers or revenue over
  the addressable market the strategist entered in inputs/market.yml) is at most
  :data:`LOW_PENETRATION`; not available without that input.
- ``winning_attribute`` (opportunities): attribute values (sector, size band, region, source,
  product; :func:`strategy_kit.analytics.qualification_score.attribute_lift` over the deals closed by the period's
  end) whose lift reaches :data:`ATTRIBUTE_LIFT` and whose 95 % interval lies above the overall win
  rate, so that the lift is not noise.
- ``shrinking_segment`` (threats): segments bringing at least :data:`MIN_SEGMENT_SHARE` of the recent
  year's revenue whose revenue fell by :data:`SEGMENT_SHRINK` or more against the year before.
- ``rising_lost_reason`` (threats): lost reasons whose share of the deals lost rose by at least
  :data:`LOST_REASON_RISE` points from the year before to the recent year (each year with at least
  :data:`MIN_DEALS` lost deals with a reason; the :data:`MAX_PER_RULE` largest rises).
- ``lengthening_cycle`` (threats): the median sales cycle (KPIS.md ``sales_cycle_days``) of the
  recent year against the year before, longer by at least :data:`CYCLE_RISE` (each year with at
  least :data:`MIN_DEALS` won deals).
- ``revenue_concentration`` (threats): the :data:`TOP_ACCOUNTS` largest accounts' share of the
  recent year's revenue (revenue lines when the client has them, else the value of deals won),
  when it reaches :data:`CONCENTRATION_SHARE`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd

from strategy_kit.analytics.qualification_attributes import OTHER
from strategy_kit.analytics.segmentation import overall_rates
from strategy_kit.analytics.swot_evidence import (
    ATTRIBUTE_LIFT,
    BEST_PERFORMER_GAP,
    CONCENTRATION_SHARE,
    CYCLE_RISE,
    KPI_MOVE,
    LOST_REASON_RISE,
    LOW_PENETRATION,
    MAX_PER_RULE,
    MIN_DEALS,
    MIN_REP_CLOSED,
    MIN_SEGMENT_SHARE,
    MIN_STAGE_DEALS,
    SEGMENT_SHRINK,
    SEGMENT_WIN_LIFT,
    SMALL_DEAL_SHARE,
    STAGE_DROP_OFF,
    TOLERANCE,
    TOP_ACCOUNTS,
    Candidate,
    Evidence,
    candidate,
    rule,
)
from strategy_kit.availability import require_deal_column, require_deals
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis import MISSING_GROUP
from strategy_kit.periods import Period
from strategy_kit.stats import finite_or_none

# --------------------------------------------------------------------------- KPIs against a reference


def good_move(value: float | None, reference: float | None, direction: str) -> float | None:
    """The relative change from ``reference`` to ``value``, positive when it is in the KPI's good
    direction; None when either is missing or the reference is not positive."""
    if value is None or reference is None or reference <= 0:
        return None
    move = value / reference - 1
    return move if direction == "higher" else -move


def _kpi_moves(evidence: Evidence, rule_id: str, reference: str, sign: int) -> list[Candidate]:
    """KPIs that moved by at least KPI_MOVE from ``reference`` (``baseline`` or
    ``previous_year``), in the good (sign 1) or bad (sign -1) direction, the largest first."""
    found = []
    for row in evidence.baselines.comparison.to_dict("records"):
        value, base = finite_or_none(row["value"]), finite_or_none(row[reference])
        move = good_move(value, base, row["direction"])
        if move is None or value is None or base is None or sign * move < KPI_MOVE - TOLERANCE:
            continue
        found.append((round(sign * move, 9), row, value, base))
    found.sort(key=lambda item: -item[0])  # stable: the registry's order among equal moves
    other = "previous_year" if reference == "baseline" else "baseline"
    return [
        candidate(
            rule_id,
            row["kpi"],
            {
                "kpi": row["kpi"],
                "unit": row["unit"],
                "value": value,
                "reference": base,
                "change": value / base - 1,
                **_other_reference(value, finite_or_none(row[other])),
            },
        )
        for _, row, value, base in found[:MAX_PER_RULE]
    ]


def _other_reference(value: float, other: float | None) -> dict[str, Any]:
    """The other reference of a KPI move (the year earlier for a move against the baseline, and
    the reverse), so that the item can mention it: its value and the change from it (None when
    it is missing or not positive). ``other_counts`` is set when the other move counts too
    (:func:`strategy_kit.analytics.swot.merge_kpi_moves`)."""
    change = value / other - 1 if other is not None and other > 0 else None
    return {"other_reference": other, "other_change": change, "other_counts": False}


@rule("kpi_above_baseline", "strengths", reads=("KPIs of the period", "baselines (12 months before)"))
def kpi_above_baseline(evidence: Evidence) -> list[Candidate]:
    return _kpi_moves(evidence, "kpi_above_baseline", "baseline", 1)


@rule("kpi_below_baseline", "weaknesses", reads=("KPIs of the period", "baselines (12 months before)"))
def kpi_below_baseline(evidence: Evidence) -> list[Candidate]:
    return _kpi_moves(evidence, "kpi_below_baseline", "baseline", -1)


@rule("kpi_above_previous_year", "strengths", reads=("KPIs of the period", "same period a year earlier"))
def kpi_above_previous_year(evidence: Evidence) -> list[Candidate]:
    return _kpi_moves(evidence, "kpi_above_previous_year", "previous_year", 1)


@rule("kpi_below_previous_year", "weaknesses", reads=("KPIs of the period", "same period a year earlier"))
def kpi_below_previous_year(evidence: Evidence) -> list[Candidate]:
    return _kpi_moves(evidence, "kpi_below_previous_year", "previous_year", -1)


@rule("closing_strong_generation_weak", "weaknesses", reads=("win_rate and new_deals", "baselines"))
def closing_strong_generation_weak(evidence: Evidence) -> list[Candidate]:
    comparison = evidence.baselines.comparison.set_index("kpi")
    if not {"win_rate", "new_deals"} <= set(comparison.index):
        raise UnavailableError("swot.unavailable.win_and_new_deals")
    win, win_base = (
        finite_or_none(comparison.at["win_rate", "value"]),
        finite_or_none(comparison.at["win_rate", "baseline"]),
    )
    new, new_base = (
        finite_or_none(comparison.at["new_deals", "value"]),
        finite_or_none(comparison.at["new_deals", "baseline"]),
    )
    move = good_move(new, new_base, "higher")
    if win is None or win_base is None or win < win_base or move is None or -move < KPI_MOVE - TOLERANCE:
        return []
    assert new is not None and new_base is not None  # a move needs both
    return [
        candidate(
            "closing_strong_generation_weak",
            "",
            {
                "win_rate": win,
                "win_rate_baseline": win_base,
                "new_deals": new,
                "new_deals_baseline": new_base,
                "change": new / new_base - 1,
            },
        )
    ]


# --------------------------------------------------------------------------- stages and reps


@rule("worst_drop_off_stage", "weaknesses", reads=("stage history (journey funnel)", "recent year"))
def worst_drop_off_stage(evidence: Evidence) -> list[Candidate]:
    table = evidence.journey.funnel(evidence.recent).table
    won_stage = evidence.data.config.stage_ids[-1]
    table = table[(table["entered"] >= MIN_STAGE_DEALS) & (table["stage"] != won_stage)]
    if table.empty:
        return []
    worst = table.sort_values(["drop_off_rate", "entered"], ascending=[False, False], kind="stable").iloc[0]
    if worst["drop_off_rate"] < STAGE_DROP_OFF:
        return []
    return [
        candidate(
            "worst_drop_off_stage",
            str(worst["stage"]),
            {
                "stage": str(worst["stage"]),
                "entered": int(worst["entered"]),
                "drop_off": int(worst["drop_off"]),
                "lost": int(worst["lost"]),
                "drop_off_rate": float(worst["drop_off_rate"]),
            },
        )
    ]


@rule("best_performers_gap", "weaknesses", reads=("deals (owner, status, closed_at)", "recent year"))
def best_performers_gap(evidence: Evidence) -> list[Candidate]:
    require_deal_column(evidence.data, "owner")
    closed = evidence.closed_deals(evidence.recent)
    closed = closed[closed["owner"].notna()]
    won = closed["status"].astype(str) == "won"
    reps = pd.DataFrame(
        {
            "won": won.groupby(closed["owner"].astype(str)).sum(),
            "closed": won.groupby(closed["owner"].astype(str)).size(),
        }
    )
    reps = reps[reps["closed"] >= MIN_REP_CLOSED]
    if len(reps) < 2:
        return []
    reps["win_rate"] = reps["won"] / reps["closed"]
    count = max(1, len(reps) // 4)
    best = reps.sort_values(["win_rate", "closed"], ascending=False, kind="stable").head(count)
    best_rate = best["won"].sum() / best["closed"].sum()
    team_rate = reps["won"].sum() / reps["closed"].sum()
    if best_rate - team_rate < BEST_PERFORMER_GAP - TOLERANCE:
        return []
    return [
        candidate(
            "best_performers_gap",
            "",
            {
                "best": list(best.index),
                "best_rate": float(best_rate),
                "team_rate": float(team_rate),
                "reps": len(reps),
                "min_closed": MIN_REP_CLOSED,
            },
        )
    ]


# --------------------------------------------------------------------------- threats


@rule("rising_lost_reason", "threats", reads=("deals (lost_reason, closed_at)", "recent year vs year before"))
def rising_lost_reason(evidence: Evidence) -> list[Candidate]:
    require_deal_column(evidence.data, "lost_reason")

    def shares(window: Period) -> tuple[pd.Series, pd.Series, int]:
        closed = evidence.closed_deals(window)
        lost = closed[(closed["status"].astype(str) == "lost") & closed["lost_reason"].notna()]
        counts = lost["lost_reason"].astype(str).value_counts()
        return counts / max(len(lost), 1), counts, len(lost)

    recent, recent_counts, recent_total = shares(evidence.recent)
    before, _, before_total = shares(evidence.before)
    if recent_total < MIN_DEALS or before_total < MIN_DEALS:
        return []
    rise = recent.sub(before, fill_value=0.0)
    rising = rise[rise >= LOST_REASON_RISE - TOLERANCE].sort_values(ascending=False, kind="stable").head(MAX_PER_RULE)
    return [
        candidate(
            "rising_lost_reason",
            reason,
            {
                "reason": reason,
                "share": float(recent[reason]),
                "previous_share": float(before.get(reason, 0.0)),
                "rise": float(points),
                "lost": int(recent_counts[reason]),
                "lost_total": recent_total,
                "previous_lost_total": before_total,
            },
        )
        for reason, points in rising.items()
    ]


@rule("lengthening_cycle", "threats", reads=("sales_cycle_days and deals_won", "recent year vs year before"))
def lengthening_cycle(evidence: Evidence) -> list[Candidate]:
    kpis = ["sales_cycle_days", "deals_won"]
    recent = evidence.engine.compute(evidence.recent, kpis=kpis)
    before = evidence.engine.compute(evidence.before, kpis=kpis)
    if "sales_cycle_days" in recent.unavailable:
        raise recent.reasons["sales_cycle_days"]  # keyed: translated where it is shown
    cycle, previous = (
        finite_or_none(recent.values.get("sales_cycle_days")),
        finite_or_none(before.values.get("sales_cycle_days")),
    )
    won, previous_won = recent.values.get("deals_won") or 0, before.values.get("deals_won") or 0
    if won < MIN_DEALS or previous_won < MIN_DEALS or cycle is None or not previous:
        return []
    if cycle / previous - 1 < CYCLE_RISE - TOLERANCE:
        return []
    return [
        candidate(
            "lengthening_cycle",
            "",
            {
                "cycle_days": cycle,
                "previous_cycle_days": previous,
                "deals_won": won,
                "previous_deals_won": previous_won,
                "change": cycle / previous - 1,
            },
        )
    ]


def account_revenue(data: SalesData, window: Period) -> pd.Series:
    """Revenue per account in ``window``: revenue lines when the client has them, else the value of
    deals won (``closed_at`` in the window); largest first. Rows without an account are left out."""
    end = pd.Timestamp(window.end + timedelta(days=1))
    if data.has("revenue"):
        lines = data.tables["revenue"]
        inside = (lines["date"] >= pd.Timestamp(window.start)) & (lines["date"] < end)
        amounts, accounts = lines.loc[inside, "amount"], lines.loc[inside, "account_id"]
    else:
        deals = require_deals(data)
        for column in ("account_id", "closed_at", "value"):
            require_deal_column(data, column)
        inside = (
            (deals["closed_at"] >= pd.Timestamp(window.start))
            & (deals["closed_at"] < end)
            & (deals["status"].astype(str) == "won")
        )
        amounts, accounts = deals.loc[inside, "value"], deals.loc[inside, "account_id"]
    known = accounts.notna() & amounts.notna()
    return amounts[known].astype(float).groupby(accounts[known].astype(str)).sum().sort_values(ascending=False)


@rule("revenue_concentration", "threats", reads=("revenue lines or deals won (account_id)", "recent year"))
def revenue_concentration(evidence: Evidence) -> list[Candidate]:
    revenue = account_revenue(evidence.data, evidence.recent)
    total = float(revenue.sum())
    if total <= 0:
        return []
    top = float(revenue.head(TOP_ACCOUNTS).sum())
    share = top / total
    if share < CONCENTRATION_SHARE - TOLERANCE:
        return []
    return [
        candidate(
            "revenue_concentration",
            "",
            {
                "top_share": share,
                "top_revenue": top,
                "revenue": total,
                "accounts": len(revenue),
                "top_accounts": list(revenue.head(TOP_ACCOUNTS).index),
            },
        )
    ]


# --------------------------------------------------------------------------- segments and attributes


def _segment_rows(evidence: Evidence) -> tuple[pd.DataFrame, float | None]:
    """The segments that may be named (not small, not the ``(none)`` group) and the overall win rate."""
    table = evidence.segments
    overall = overall_rates(table)[0]
    named = table[(~table["small"].astype(bool)) & (table["segment"] != MISSING_GROUP)]
    return named, overall


def _segment_evidence(row: dict[str, Any], overall: float | None, *extra: str) -> dict[str, Any]:
    """A segment's numbers: win rate against ``overall``, its deals and shares, and the ``extra`` columns."""
    found = {
        "segment": row["segment"],
        "win_rate": float(row["win_rate"]),
        "overall_win_rate": overall,
        "deals": int(row["deals"]),
        "deal_share": float(row["deal_share"]),
        "revenue_share": float(row["revenue_share"]),
    }
    return {**found, **{column: row[column] for column in extra}}


@rule("high_win_small_share", "opportunities", reads=("segment_table (segmentation)", "recent year"))
def high_win_small_share(evidence: Evidence) -> list[Candidate]:
    named, overall = _segment_rows(evidence)
    if overall is None:
        return []
    chosen = named[
        (named["win_rate"] >= overall * (1 + SEGMENT_WIN_LIFT) - TOLERANCE)
        & (named["deal_share"] <= SMALL_DEAL_SHARE + TOLERANCE)
    ]
    chosen = chosen.sort_values(["win_rate", "deals"], ascending=False, kind="stable").head(MAX_PER_RULE)
    return [
        candidate("high_win_small_share", str(row["segment"]), _segment_evidence(row, overall))
        for row in chosen.to_dict("records")
    ]


@rule("under_penetrated_segment", "opportunities", reads=("segment_table with the market input", "recent year"))
def under_penetrated_segment(evidence: Evidence) -> list[Candidate]:
    named, overall = _segment_rows(evidence)
    if named["penetration"].isna().all():
        raise UnavailableError("swot.unavailable.market")
    # the column is added before filtering: assigning a Series to an empty frame would adopt its rows
    ranked = named.assign(_p=pd.to_numeric(named["penetration"], errors="coerce"))
    chosen = ranked[ranked["_p"].notna() & (ranked["_p"] <= LOW_PENETRATION + TOLERANCE)]
    chosen = chosen.sort_values(["_p", "deals"], ascending=[True, False], kind="stable")
    return [
        candidate(
            "under_penetrated_segment",
            str(row["segment"]),
            _segment_evidence(row, overall, "penetration", "customers", "addressable"),
        )
        for row in chosen.head(MAX_PER_RULE).to_dict("records")
    ]


@rule("winning_attribute", "opportunities", reads=("attribute_lift (qualification)", "closed deals to the period end"))
def winning_attribute(evidence: Evidence) -> list[Candidate]:
    lift = evidence.lift
    chosen = lift[
        (lift["value"] != OTHER)
        & (lift["lift"] >= ATTRIBUTE_LIFT - TOLERANCE)
        & (lift["ci_low"] > lift["overall_win_rate"])
    ]
    chosen = chosen.sort_values(["lift", "deals"], ascending=False, kind="stable").head(MAX_PER_RULE)
    return [
        candidate(
            "winning_attribute",
            f"{row['attribute']}={row['value']}",
            {
                "attribute": row["attribute"],
                "value": row["value"],
                "lift": float(row["lift"]),
                "win_rate": float(row["win_rate"]),
                "ci_low": float(row["ci_low"]),
                "ci_high": float(row["ci_high"]),
                "deals": int(row["deals"]),
                "overall_win_rate": float(row["overall_win_rate"]),
            },
        )
        for row in chosen.to_dict("records")
    ]


@rule("shrinking_segment", "threats", reads=("segment_table (segmentation)", "recent year vs year before"))
def shrinking_segment(evidence: Evidence) -> list[Candidate]:
    named, overall = _segment_rows(evidence)
    growth = pd.to_numeric(named["growth"], errors="coerce")
    if growth.isna().all():
        raise UnavailableError("swot.unavailable.growth")
    chosen = named[
        growth.notna()
        & (growth <= -SEGMENT_SHRINK + TOLERANCE)
        & (named["revenue_share"] >= MIN_SEGMENT_SHARE - TOLERANCE)
    ]
    chosen = chosen.sort_values(["revenue_share"], ascending=False, kind="stable").head(MAX_PER_RULE)
    return [
        candidate("shrinking_segment", str(row["segment"]), _segment_evidence(row, overall, "growth", "revenue"))
        for row in chosen.to_dict("records")
    ]
