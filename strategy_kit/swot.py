"""SWOT drafted from evidence (METHOD.md section 1: "identify opportunities from the strengths and
weaknesses of the process"), and a what-if saying which improvement is worth most.

Pure functions: a :class:`~strategy_kit.data.SalesData` and a :class:`~strategy_kit.periods.Period`
in, dataclasses out; no I/O. The strategist's final SWOT is read and written by
:mod:`strategy_kit.widgets.swot` through :mod:`strategy_kit.inputs`.

**Evidence rules.** Each candidate comes from one rule of :data:`RULES`, declared once with
:func:`rule` (id, quadrant, what it reads). A rule returns zero or more :class:`Candidate`, each
with the numbers behind it (``evidence``: raw values; ``evidence_text``: the same written for the
report). A rule whose data the client lacks is skipped and its reason kept
(:attr:`Draft.unavailable`). Two windows are used:

- **the period** (the report's period): KPIs against their baseline (the 12 months before,
  :func:`strategy_kit.baselines.compute_baselines`) and against the same period a year earlier;
- **the recent year** (:func:`recent_year`: the 12 calendar months ending with the period's last
  month) against **the year before** (the 12 months before it), for what needs more deals to be
  stable: the stage drop-off, best performers, lost reasons, the sales cycle, revenue concentration.

The thresholds are the named constants below; a candidate fires when its number reaches the
threshold (``>=``), as the tests check at the threshold itself.

- ``kpi_above_baseline`` / ``kpi_below_baseline`` (strengths / weaknesses): the KPIs of
  :data:`SWOT_KPIS` (and every ``stage_conversion.<stage>``) whose value in the period moved by at
  least :data:`KPI_MOVE` (relative, in the KPI's good or bad direction; rates too, so 20 % -> 25 %
  is +25 %) from the baseline; the :data:`MAX_PER_RULE` largest moves.
- ``kpi_above_previous_year`` / ``kpi_below_previous_year``: the same against the same period a
  year earlier.
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
- ``high_win_small_share`` (opportunities): segments (:func:`strategy_kit.segmentation.segment_table`,
  over the recent year; not small, not ``(none)``) whose win rate is at least :data:`SEGMENT_WIN_LIFT`
  above the win rate of all segments together (relative) while holding at most
  :data:`SMALL_DEAL_SHARE` of the closed deals.
- ``under_penetrated_segment`` (opportunities): segments whose penetration (customers or revenue over
  the addressable market the strategist entered in inputs/market.yml) is at most
  :data:`LOW_PENETRATION`; not available without that input.
- ``winning_attribute`` (opportunities): attribute values (sector, size band, region, source,
  product; :func:`strategy_kit.qualification.attribute_lift` over the deals closed by the period's
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

**What-if** (:func:`what_if`). The baseline funnel: over the 12 months of the baseline window,
``revenue = new deals × product of the stage conversions × average deal size``, taken as the
revenue of the next 12 months. Each lever (the lead volume, each stage's conversion, the average
deal size) is raised by ``increase`` alone, the others held, and the levers are ranked by the
revenue they add. ``mode="relative"`` multiplies (``+10 %``: x 1.1; a conversion is capped at
100 %), ``mode="points"`` adds percentage points to conversions (``+0.10``: 30 % -> 40 %) and
raises the lead volume and deal size by the same fraction. In relative mode every stage adds the
same revenue (the funnel is a product) unless the cap binds; in points mode the weakest stage adds
the most. The assumptions (each factor and where it comes from) are returned with the ranking.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

import pandas as pd

from strategy_kit.availability import require_deal_column, require_deals, require_table
from strategy_kit.baselines import Baselines, compute_baselines
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.i18n import (
    format_currency,
    format_date,
    format_integer,
    format_number,
    format_percent,
    label,
)
from strategy_kit.inputs.swot import QUADRANTS, Swot, SwotError, SwotItem  # noqa: F401
from strategy_kit.journey import Journey
from strategy_kit.kpis import MISSING_GROUP, KpiEngine, kpi_definitions
from strategy_kit.periods import Period, month_start
from strategy_kit.analytics.qualification_attributes import OTHER
from strategy_kit.analytics.qualification_score import attribute_lift
from strategy_kit.analytics.segmentation import available_keys, overall_rates, segment_table
from strategy_kit.inputs.market import DEFAULT_KEYS, Market
from strategy_kit.narrative.qualification import attribute_name
from strategy_kit.stats import finite_or_none

# --------------------------------------------------------------------------- thresholds
TOLERANCE = 1e-9  # a number equal to its threshold up to rounding (1.15 - 1 < 0.15 in binary) reaches it
KPI_MOVE = 0.15  # a KPI moved by at least 15 % (relative) from its reference
MAX_PER_RULE = 3  # candidates a rule may draft at most (the largest first)
MIN_DEALS = 5  # deals a window needs before a rate or median of it is compared
MIN_STAGE_DEALS = 10  # deals that entered a stage before its drop-off is named
STAGE_DROP_OFF = 0.5  # a stage losing (or holding) half of the deals entering it is a weakness
MIN_REP_CLOSED = 10  # closed deals a rep needs to count among the performers
BEST_PERFORMER_GAP = 0.10  # best performers' win rate ahead of the team's by 10 points or more
LOST_REASON_RISE = 0.10  # a lost reason's share of lost deals up by 10 points or more
CYCLE_RISE = 0.20  # the median sales cycle longer by 20 % or more
TOP_ACCOUNTS = 5  # the largest accounts whose share of revenue is measured
CONCENTRATION_SHARE = 0.5  # the top accounts bring half of the revenue or more
SEGMENT_WIN_LIFT = 0.20  # a segment winning 20 % more often (relative) than all segments together
SMALL_DEAL_SHARE = 0.10  # ... while holding at most 10 % of the closed deals
LOW_PENETRATION = 0.10  # a segment whose customers are at most 10 % of its addressable market
ATTRIBUTE_LIFT = 1.2  # an attribute value winning 1.2 times as often as all deals (interval above the rate)
SEGMENT_SHRINK = 0.20  # a segment whose revenue fell by 20 % or more from the year before
MIN_SEGMENT_SHARE = 0.05  # ... and that brings at least 5 % of the revenue
WHAT_IF_INCREASE = 0.10  # default raise of each lever in the what-if
WHAT_IF_MODES = ("relative", "points")

# KPIs compared with their baseline and the previous year (with every stage_conversion.<stage>).
# The sales cycle is a threat of its own (lengthening_cycle), so it is not among them.
SWOT_KPIS = (
    "new_deals", "deals_won", "win_rate", "won_value", "avg_deal_size", "revenue", "new_business_revenue",
    "new_leads", "lead_to_deal_rate", "leads_contacted_24h_rate", "lead_response_hours",
    "calls_made", "call_connect_rate", "call_meeting_rate", "email_reply_rate",
)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Candidate:
    """One drafted SWOT item: the rule that found it, its sentence and the numbers behind it.

    ``key``: the label of the sentence (``swot.<rule>.text``), ``fields``: its values already
    written for ``language``; ``evidence``: the raw numbers (rates as fractions);
    ``evidence_text``: the numbers written for the report (label ``swot.<rule>.evidence``).
    """

    quadrant: str
    rule: str
    key: str
    fields: dict[str, str]
    evidence: dict[str, Any]
    language: str
    subject: str = ""  # what it is about (a KPI id, a stage, a reason...), to tell candidates apart

    @property
    def text(self) -> str:
        return label(self.key, self.language, **self.fields)

    @property
    def evidence_text(self) -> str:
        return label(f"swot.{self.rule}.evidence", self.language, **self.fields)

    @property
    def ident(self) -> str:
        """``rule:subject``: the same finding on another run has the same ident."""
        return f"{self.rule}:{self.subject}" if self.subject else self.rule


@dataclass(frozen=True)
class Draft:
    """Every candidate of every rule, and the rules that could not run with why (English)."""

    candidates: list[Candidate]
    unavailable: dict[str, str] = field(default_factory=dict)

    def quadrant(self, name: str) -> list[Candidate]:
        return [c for c in self.candidates if c.quadrant == name]


# --------------------------------------------------------------------------- windows


def _range(start: date, end: date) -> Period:
    return Period(f"{start.isoformat()}..{end.isoformat()}", start, end, "range")


def recent_year(period: Period) -> Period:
    """The 12 calendar months ending with the last month of ``period``."""
    return _range(month_start(period.end, -11), month_start(period.end, 1) - timedelta(days=1))


def year_before(period: Period) -> Period:
    """The 12 months before :func:`recent_year`."""
    recent = recent_year(period)
    return _range(month_start(recent.start, -12), recent.start - timedelta(days=1))


# --------------------------------------------------------------------------- what the rules read


class Evidence:
    """What the rules read, computed once on first use: the baselines, the journey, the deals."""

    def __init__(self, data: SalesData, period: Period, language: str, engine: KpiEngine | None = None,
                 market: Market | None = None):
        self.data = data
        self.period = period
        self.language = language
        self.currency = data.config.currency
        self.market = market
        self._engine = engine

    @cached_property
    def segments(self) -> pd.DataFrame:
        """:func:`strategy_kit.segmentation.segment_table` over the recent year (the market's keys)."""
        keys = self.market.keys if self.market is not None else available_keys(self.data) or DEFAULT_KEYS
        return segment_table(self.data, self.period, keys=keys, market=self.market)

    @cached_property
    def lift(self) -> pd.DataFrame:
        """:func:`strategy_kit.qualification.attribute_lift` over the deals closed by the period end."""
        return attribute_lift(self.data, until=self.period.end)

    @cached_property
    def engine(self) -> KpiEngine:
        return self._engine or KpiEngine(self.data)

    @cached_property
    def recent(self) -> Period:
        return recent_year(self.period)

    @cached_property
    def before(self) -> Period:
        return year_before(self.period)

    @cached_property
    def kpi_ids(self) -> list[str]:
        known = {k.id for k in kpi_definitions(self.data.config)}
        stages = [k for k in known if k.startswith("stage_conversion.")]
        return [k for k in SWOT_KPIS if k in known] + sorted(stages, key=self._stage_rank)

    def _stage_rank(self, kpi_id: str) -> int:
        stage = kpi_id.split(".", 1)[1]
        ids = self.data.config.stage_ids
        return ids.index(stage) if stage in ids else len(ids)

    @cached_property
    def baselines(self) -> Baselines:
        return compute_baselines(self.data, self.period, kpis=self.kpi_ids, engine=self.engine)

    @cached_property
    def journey(self) -> Journey:
        require_table(self.data, "stage_history")
        return Journey(self.data, self.language)

    def kpi_label(self, kpi_id: str) -> str:
        return self.baselines.definitions[kpi_id].label(self.language)

    def format(self, value: float | None, unit: str) -> str:
        if unit == "rate":
            return format_percent(value, self.language, 0)
        if unit in ("currency", "currency_per_day"):
            return format_currency(value, self.language, self.currency)
        if unit == "count":
            return format_integer(value, self.language)
        return format_number(value, self.language, 1)

    def percent(self, value: float | None, decimals: int = 0) -> str:
        return format_percent(value, self.language, decimals)

    def closed_deals(self, window: Period) -> pd.DataFrame:
        """Deals won or lost with ``closed_at`` in ``window`` (status, owner, lost_reason...)."""
        deals = require_deals(self.data)
        closed = require_deal_column(self.data, "closed_at")
        inside = (closed >= pd.Timestamp(window.start)) & (closed < pd.Timestamp(window.end + timedelta(days=1)))
        status = deals["status"].astype(str)
        return deals[inside.fillna(False).to_numpy(bool) & status.isin(("won", "lost")).to_numpy()]


# --------------------------------------------------------------------------- the rule registry

RuleFunction = Callable[[Evidence], list[Candidate]]


@dataclass(frozen=True)
class Rule:
    id: str
    quadrant: str
    reads: tuple[str, ...]  # what it reads, for the documentation and the report's note
    function: RuleFunction = field(repr=False, compare=False)


RULES: dict[str, Rule] = {}


def rule(id: str, quadrant: str, reads: tuple[str, ...]) -> Callable[[RuleFunction], RuleFunction]:
    """Declare the decorated function as evidence rule ``id`` of ``quadrant`` (once)."""

    def register(function: RuleFunction) -> RuleFunction:
        if id in RULES:
            raise ValueError(f"SWOT rule '{id}' is declared twice")
        if quadrant not in QUADRANTS:
            raise ValueError(f"SWOT rule '{id}': quadrant '{quadrant}' is not one of {', '.join(QUADRANTS)}")
        RULES[id] = Rule(id, quadrant, reads, function)
        return function

    return register


def _candidate(evidence: Evidence, rule_id: str, subject: str, fields: Mapping[str, str],
               values: Mapping[str, Any]) -> Candidate:
    return Candidate(quadrant=RULES[rule_id].quadrant, rule=rule_id, key=f"swot.{rule_id}.text",
                     fields=dict(fields), evidence=dict(values), language=evidence.language, subject=subject)



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
        if move is None or sign * move < KPI_MOVE - TOLERANCE:
            continue
        found.append((round(sign * move, 9), row, value, base))
    found.sort(key=lambda item: -item[0])  # stable: the registry's order among equal moves
    candidates = []
    for _, row, value, base in found[:MAX_PER_RULE]:
        relative = value / base - 1
        fields = {
            "kpi": evidence.kpi_label(row["kpi"]),
            "value": evidence.format(value, row["unit"]),
            "reference": evidence.format(base, row["unit"]),
            "change": ("+" if relative > 0 else "") + evidence.percent(relative),
            "period": evidence.period.label,
        }
        candidates.append(_candidate(evidence, rule_id, row["kpi"], fields,
                                     {"kpi": row["kpi"], "value": value, "reference": base, "change": relative}))
    return candidates


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
        raise UnavailableError("unavailable.swot_win_and_new_deals")
    win, win_base = finite_or_none(comparison.at["win_rate", "value"]), finite_or_none(comparison.at["win_rate", "baseline"])
    new, new_base = finite_or_none(comparison.at["new_deals", "value"]), finite_or_none(comparison.at["new_deals", "baseline"])
    move = good_move(new, new_base, "higher")
    if win is None or win_base is None or win < win_base or move is None or -move < KPI_MOVE - TOLERANCE:
        return []
    fields = {"win_rate": evidence.percent(win), "win_rate_baseline": evidence.percent(win_base),
              "new_deals": format_integer(new, evidence.language),
              "new_deals_baseline": format_number(new_base, evidence.language, 1),
              "change": evidence.percent(new / new_base - 1)}
    return [_candidate(evidence, "closing_strong_generation_weak", "", fields,
                       {"win_rate": win, "win_rate_baseline": win_base, "new_deals": new,
                        "new_deals_baseline": new_base})]


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
    fields = {"stage": str(worst["label"]), "drop_off_rate": evidence.percent(worst["drop_off_rate"]),
              "drop_off": format_integer(worst["drop_off"], evidence.language),
              "entered": format_integer(worst["entered"], evidence.language),
              "lost": format_integer(worst["lost"], evidence.language)}
    return [_candidate(evidence, "worst_drop_off_stage", str(worst["stage"]), fields,
                       {"stage": str(worst["stage"]), "entered": int(worst["entered"]),
                        "drop_off": int(worst["drop_off"]), "lost": int(worst["lost"]),
                        "drop_off_rate": float(worst["drop_off_rate"])})]


@rule("best_performers_gap", "weaknesses", reads=("deals (owner, status, closed_at)", "recent year"))
def best_performers_gap(evidence: Evidence) -> list[Candidate]:
    require_deal_column(evidence.data, "owner")
    closed = evidence.closed_deals(evidence.recent)
    closed = closed[closed["owner"].notna()]
    won = closed["status"].astype(str) == "won"
    reps = pd.DataFrame({"won": won.groupby(closed["owner"].astype(str)).sum(),
                         "closed": won.groupby(closed["owner"].astype(str)).size()})
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
    fields = {"best": ", ".join(best.index), "best_rate": evidence.percent(best_rate),
              "min": format_integer(MIN_REP_CLOSED, evidence.language),
              "team_rate": evidence.percent(team_rate), "reps": format_integer(len(reps), evidence.language),
              "gap": format_number((best_rate - team_rate) * 100, evidence.language, 0)}
    return [_candidate(evidence, "best_performers_gap", "", fields,
                       {"best": list(best.index), "best_rate": float(best_rate), "team_rate": float(team_rate),
                        "reps": len(reps)})]


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
    candidates = []
    for reason, points in rising.items():
        fields = {"reason": reason, "share": evidence.percent(recent[reason]),
                  "previous_share": evidence.percent(before.get(reason, 0.0)),
                  "lost": format_integer(recent_counts[reason], evidence.language),
                  "total": format_integer(recent_total, evidence.language),
                  "points": format_number(points * 100, evidence.language, 0)}
        candidates.append(_candidate(evidence, "rising_lost_reason", reason, fields,
                                     {"reason": reason, "share": float(recent[reason]),
                                      "previous_share": float(before.get(reason, 0.0)), "lost": int(recent_counts[reason]),
                                      "lost_total": recent_total, "previous_lost_total": before_total}))
    return candidates


@rule("lengthening_cycle", "threats", reads=("sales_cycle_days and deals_won", "recent year vs year before"))
def lengthening_cycle(evidence: Evidence) -> list[Candidate]:
    kpis = ["sales_cycle_days", "deals_won"]
    recent = evidence.engine.compute(evidence.recent, kpis=kpis)
    before = evidence.engine.compute(evidence.before, kpis=kpis)
    if "sales_cycle_days" in recent.unavailable:
        raise UnavailableError(recent.unavailable["sales_cycle_days"])
    cycle, previous = finite_or_none(recent.values.get("sales_cycle_days")), finite_or_none(before.values.get("sales_cycle_days"))
    won, previous_won = recent.values.get("deals_won") or 0, before.values.get("deals_won") or 0
    if won < MIN_DEALS or previous_won < MIN_DEALS or cycle is None or not previous:
        return []
    if cycle / previous - 1 < CYCLE_RISE - TOLERANCE:
        return []
    fields = {"cycle": format_number(cycle, evidence.language, 0 if cycle.is_integer() else 1),
              "previous": format_number(previous, evidence.language, 0 if previous.is_integer() else 1),
              "change": "+" + evidence.percent(cycle / previous - 1),
              "won": format_integer(won, evidence.language), "previous_won": format_integer(previous_won, evidence.language)}
    return [_candidate(evidence, "lengthening_cycle", "", fields,
                       {"cycle_days": cycle, "previous_cycle_days": previous, "deals_won": won,
                        "previous_deals_won": previous_won})]


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
        inside = ((deals["closed_at"] >= pd.Timestamp(window.start)) & (deals["closed_at"] < end)
                  & (deals["status"].astype(str) == "won"))
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
    fields = {"top": format_integer(min(TOP_ACCOUNTS, len(revenue)), evidence.language),
              "share": evidence.percent(share), "accounts": format_integer(len(revenue), evidence.language),
              "top_revenue": format_currency(top, evidence.language, evidence.currency),
              "revenue": format_currency(total, evidence.language, evidence.currency)}
    return [_candidate(evidence, "revenue_concentration", "", fields,
                       {"top_share": share, "top_revenue": top, "revenue": total, "accounts": len(revenue),
                        "top_accounts": list(revenue.head(TOP_ACCOUNTS).index)})]


# --------------------------------------------------------------------------- segments and attributes


def _segment_rows(evidence: Evidence) -> tuple[pd.DataFrame, float | None]:
    """The segments that may be named (not small, not the ``(none)`` group) and the overall win rate."""
    table = evidence.segments
    overall = overall_rates(table)[0]
    named = table[(~table["small"].astype(bool)) & (table["segment"] != MISSING_GROUP)]
    return named, overall


def _segment_fields(evidence: Evidence, row: Mapping[str, Any], overall: float | None) -> dict[str, str]:
    return {"segment": str(row["segment"]), "win_rate": evidence.percent(row["win_rate"]),
            "overall": evidence.percent(overall), "deals": format_integer(row["deals"], evidence.language),
            "deal_share": evidence.percent(row["deal_share"]), "revenue_share": evidence.percent(row["revenue_share"])}


@rule("high_win_small_share", "opportunities", reads=("segment_table (segmentation)", "recent year"))
def high_win_small_share(evidence: Evidence) -> list[Candidate]:
    named, overall = _segment_rows(evidence)
    if overall is None:
        return []
    chosen = named[(named["win_rate"] >= overall * (1 + SEGMENT_WIN_LIFT) - TOLERANCE)
                   & (named["deal_share"] <= SMALL_DEAL_SHARE + TOLERANCE)]
    chosen = chosen.sort_values(["win_rate", "deals"], ascending=False, kind="stable").head(MAX_PER_RULE)
    return [_candidate(evidence, "high_win_small_share", str(row["segment"]), _segment_fields(evidence, row, overall),
                       {"segment": row["segment"], "win_rate": float(row["win_rate"]), "overall_win_rate": overall,
                        "deals": int(row["deals"]), "deal_share": float(row["deal_share"])})
            for row in chosen.to_dict("records")]


@rule("under_penetrated_segment", "opportunities", reads=("segment_table with the market input", "recent year"))
def under_penetrated_segment(evidence: Evidence) -> list[Candidate]:
    named, overall = _segment_rows(evidence)
    if named["penetration"].isna().all():
        raise UnavailableError("unavailable.swot_market")
    penetration = pd.to_numeric(named["penetration"], errors="coerce")
    chosen = named[penetration.notna() & (penetration <= LOW_PENETRATION + TOLERANCE)]
    chosen = chosen.assign(_p=penetration).sort_values(["_p", "deals"], ascending=[True, False], kind="stable")
    candidates = []
    for row in chosen.head(MAX_PER_RULE).to_dict("records"):
        fields = {**_segment_fields(evidence, row, overall), "penetration": evidence.percent(row["penetration"]),
                  "customers": format_integer(row["customers"], evidence.language),
                  "addressable": format_number(row["addressable"], evidence.language, 0)}
        candidates.append(_candidate(evidence, "under_penetrated_segment", str(row["segment"]), fields,
                                     {"segment": row["segment"], "penetration": float(row["penetration"]),
                                      "customers": row["customers"], "addressable": row["addressable"]}))
    return candidates


@rule("winning_attribute", "opportunities", reads=("attribute_lift (qualification)", "closed deals to the period end"))
def winning_attribute(evidence: Evidence) -> list[Candidate]:
    lift = evidence.lift
    chosen = lift[(lift["value"] != OTHER) & (lift["lift"] >= ATTRIBUTE_LIFT - TOLERANCE)
                  & (lift["ci_low"] > lift["overall_win_rate"])]
    chosen = chosen.sort_values(["lift", "deals"], ascending=False, kind="stable").head(MAX_PER_RULE)
    candidates = []
    for row in chosen.to_dict("records"):
        fields = {"attribute": attribute_name(row["attribute"], evidence.language), "value": str(row["value"]),
                  "win_rate": evidence.percent(row["win_rate"]), "overall": evidence.percent(row["overall_win_rate"]),
                  "lift": format_number(row["lift"], evidence.language, 2),
                  "ci_low": evidence.percent(row["ci_low"]), "ci_high": evidence.percent(row["ci_high"]),
                  "deals": format_integer(row["deals"], evidence.language)}
        candidates.append(_candidate(evidence, "winning_attribute", f"{row['attribute']}={row['value']}", fields,
                                     {"attribute": row["attribute"], "value": row["value"], "lift": float(row["lift"]),
                                      "win_rate": float(row["win_rate"]), "ci_low": float(row["ci_low"]),
                                      "deals": int(row["deals"]), "overall_win_rate": float(row["overall_win_rate"])}))
    return candidates


@rule("shrinking_segment", "threats", reads=("segment_table (segmentation)", "recent year vs year before"))
def shrinking_segment(evidence: Evidence) -> list[Candidate]:
    named, overall = _segment_rows(evidence)
    growth = pd.to_numeric(named["growth"], errors="coerce")
    if growth.isna().all():
        raise UnavailableError("unavailable.swot_growth")
    chosen = named[growth.notna() & (growth <= -SEGMENT_SHRINK + TOLERANCE)
                   & (named["revenue_share"] >= MIN_SEGMENT_SHARE - TOLERANCE)]
    chosen = chosen.sort_values(["revenue_share"], ascending=False, kind="stable").head(MAX_PER_RULE)
    candidates = []
    for row in chosen.to_dict("records"):
        fields = {**_segment_fields(evidence, row, overall), "growth": evidence.percent(row["growth"]),
                  "revenue": format_currency(row["revenue"], evidence.language, evidence.currency)}
        candidates.append(_candidate(evidence, "shrinking_segment", str(row["segment"]), fields,
                                     {"segment": row["segment"], "growth": float(row["growth"]),
                                      "revenue_share": float(row["revenue_share"]), "revenue": float(row["revenue"])}))
    return candidates


# --------------------------------------------------------------------------- drafting


def evaluate_rules(data: SalesData, period: Period, language: str, engine: KpiEngine | None = None,
                   market: Market | None = None, rules: Iterable[str] | None = None) -> Draft:
    """Run the rules (default: all of :data:`RULES`) and collect their candidates, by quadrant.
    ``market``: the strategist's market input (penetration needs it)."""
    evidence = Evidence(data, period, language, engine, market)
    candidates: list[Candidate] = []
    unavailable: dict[str, str] = {}
    for rule_id in (list(RULES) if rules is None else list(rules)):
        try:
            candidates += RULES[rule_id].function(evidence)
        except UnavailableError as exc:
            unavailable[rule_id] = exc.reason(language)
    candidates.sort(key=lambda c: QUADRANTS.index(c.quadrant))  # stable: rule order within a quadrant
    return Draft(candidates=candidates, unavailable=unavailable)


def draft_swot(data: SalesData, period: Period, language: str, engine: KpiEngine | None = None,
               market: Market | None = None) -> list[Candidate]:
    """The candidates every rule drafts from the evidence, strengths first (see the module docstring)."""
    return evaluate_rules(data, period, language, engine, market).candidates


# --------------------------------------------------------------------------- what-if


@dataclass(frozen=True)
class WhatIf:
    """The what-if ranking and the assumptions behind it.

    ``table``: one row per lever, most revenue first: ``lever`` (``lead_volume``,
    ``stage_conversion.<stage>``, ``avg_deal_size``), ``label``, ``current``, ``improved``,
    ``unit``, ``revenue`` (12 months with the lever raised), ``impact`` (revenue − base revenue),
    ``impact_share`` (impact / base revenue), ``rank``.
    ``assumptions``: ``factor``, ``label``, ``value``, ``unit``, ``source``.
    """

    base_revenue: float
    increase: float
    mode: str
    window: Period
    table: pd.DataFrame
    assumptions: pd.DataFrame
    left_out: tuple[str, ...] = ()  # stages without a conversion in the window (taken as 100 %)
    actual_won_value: float | None = None  # won value of the window, to check the model against


def funnel_revenue(new_deals: float, conversions: Sequence[float], avg_deal_size: float) -> float:
    """``new deals × product of the stage conversions × average deal size``."""
    return new_deals * math.prod(conversions) * avg_deal_size


def _raised(value: float, increase: float, mode: str, rate: bool) -> float:
    if rate and mode == "points":
        return min(1.0, value + increase)
    raised = value * (1 + increase)
    return min(1.0, raised) if rate else raised


def what_if(data: SalesData, period: Period, increase: float = WHAT_IF_INCREASE, mode: str = "relative",
            language: str | None = None, engine: KpiEngine | None = None,
            baselines: Baselines | None = None) -> WhatIf:
    """Revenue over the next 12 months of raising each lever by ``increase`` (see the module
    docstring), ranked; the baseline funnel comes from the 12 months before ``period``."""
    if mode not in WHAT_IF_MODES:
        raise SwotError(f"what-if mode '{mode}' is not one of {', '.join(WHAT_IF_MODES)}")
    if not isinstance(increase, (int, float)) or not 0 < increase <= 1:
        raise SwotError(f"what-if increase must be a fraction in (0, 1], e.g. 0.1 for +10 %; got {increase!r}")
    language = language or data.config.language
    stage_ids = [s for s in data.config.stage_ids[:-1]]
    stage_kpis = [f"stage_conversion.{s}" for s in stage_ids]
    wanted = ["new_deals", "avg_deal_size", "won_value", *stage_kpis]
    if baselines is None or not set(wanted) <= set(baselines.definitions):
        baselines = compute_baselines(data, period, kpis=wanted, engine=engine)
    window = baselines.window.window
    comparison = baselines.comparison.set_index("kpi")

    def window_value(kpi_id: str) -> float | None:
        return finite_or_none(comparison.at[kpi_id, "window_value"]) if kpi_id in comparison.index else None

    new_deals, deal_size = window_value("new_deals"), window_value("avg_deal_size")
    if not new_deals or not deal_size:
        raise UnavailableError("unavailable.what_if_volume")
    conversions = {s: window_value(f"stage_conversion.{s}") for s in stage_ids}
    left_out = tuple(s for s, c in conversions.items() if c is None)
    known = {s: c for s, c in conversions.items() if c is not None}
    if not known:
        raise UnavailableError("unavailable.what_if_conversions")
    base = funnel_revenue(new_deals, list(known.values()), deal_size)
    stage_labels = data.config.stage_labels(language)

    levers: list[tuple[str, str, float, str, float]] = []  # lever, label, current, unit, improved
    levers.append(("lead_volume", label("swot.what_if.lead_volume", language), new_deals, "count",
                   _raised(new_deals, increase, mode, False)))
    for stage, conversion in known.items():
        levers.append((f"stage_conversion.{stage}", label("swot.what_if.stage", language, stage=stage_labels[stage]),
                       conversion, "rate", _raised(conversion, increase, mode, True)))
    levers.append(("avg_deal_size", label("swot.what_if.deal_size", language), deal_size, "currency",
                   _raised(deal_size, increase, mode, False)))

    rows = []
    for lever, name, current, unit, improved in levers:
        revenue = base * improved / current if current else base
        rows.append({"lever": lever, "label": name, "current": current, "improved": improved, "unit": unit,
                     "revenue": revenue, "impact": revenue - base, "impact_share": (revenue - base) / base})
    # Rounded to the cent before ranking, so that levers adding the same revenue tie (in lever order).
    table = pd.DataFrame(rows)
    table["rank"] = table["impact"].round(2).rank(ascending=False, method="min").astype(int)
    table = table.sort_values("rank", kind="stable").reset_index(drop=True)

    source = label("swot.what_if.source", language, start=format_date(window.start, language),
                   end=format_date(window.end, language))
    assumptions = [{"factor": "new_deals", "label": label("swot.what_if.lead_volume", language), "value": new_deals,
                    "unit": "count", "source": source}]
    assumptions += [{"factor": f"stage_conversion.{s}", "label": label("swot.what_if.stage", language, stage=stage_labels[s]),
                     "value": c, "unit": "rate", "source": source} for s, c in known.items()]
    assumptions += [{"factor": "avg_deal_size", "label": label("swot.what_if.deal_size", language), "value": deal_size,
                     "unit": "currency", "source": source},
                    {"factor": "base_revenue", "label": label("swot.what_if.base_revenue", language), "value": base,
                     "unit": "currency", "source": label("swot.what_if.formula", language)}]
    return WhatIf(base_revenue=base, increase=float(increase), mode=mode, window=window, table=table,
                  assumptions=pd.DataFrame(assumptions), left_out=left_out,
                  actual_won_value=window_value("won_value"))


# The what-if tables as reports show them: column -> header label, and each column's value kind.
WHAT_IF_COLUMNS = {"rank": "swot.column.rank", "label": "swot.column.lever", "current": "swot.column.current",
                   "improved": "swot.column.improved", "revenue": "swot.column.revenue", "impact": "swot.column.impact",
                   "impact_share": "swot.column.impact_share"}
WHAT_IF_KINDS = {"rank": "integer", "current": "text", "improved": "text", "revenue": "currency", "impact": "currency",
                 "impact_share": "percent"}
ASSUMPTION_COLUMNS = {"label": "swot.column.factor", "value": "swot.column.value", "source": "swot.column.source"}


def what_if_display(result: WhatIf, language: str, currency: str = "EUR") -> pd.DataFrame:
    """The ranking with ``current`` and ``improved`` written by unit (all text but the money)."""
    def written(value: float, unit: str) -> str:
        if unit == "rate":
            return format_percent(value, language, 1)
        if unit == "currency":
            return format_currency(value, language, currency)
        return format_number(value, language, 0)

    shown = result.table.copy()
    shown["current"] = [written(v, u) for v, u in zip(shown["current"], shown["unit"])]
    shown["improved"] = [written(v, u) for v, u in zip(shown["improved"], shown["unit"])]
    return shown


def assumptions_display(result: WhatIf, language: str, currency: str = "EUR") -> pd.DataFrame:
    shown = result.assumptions.copy()
    shown["value"] = [format_percent(v, language, 1) if u == "rate" else format_currency(v, language, currency)
                      if u == "currency" else format_number(v, language, 0)
                      for v, u in zip(shown["value"], shown["unit"])]
    return shown


def what_if_finding(result: WhatIf, language: str, currency: str = "EUR") -> tuple[str, dict[str, str]]:
    """The sentence naming the lever worth most (or saying the top levers tie): a label key and its fields."""
    top = result.table[result.table["rank"] == 1]
    fields = {"impact": format_currency(top["impact"].iloc[0], language, currency),
              "share": format_percent(top["impact_share"].iloc[0], language, 1),
              "base": format_currency(result.base_revenue, language, currency)}
    if len(top) > 1:
        return "swot.what_if.finding_tie", {**fields, "levers": ", ".join(top["label"])}
    return "swot.what_if.finding", {**fields, "lever": top["label"].iloc[0]}

