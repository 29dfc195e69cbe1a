"""What the SWOT rules read and how they are declared: the thresholds, the two windows, the
evidence computed once per run, the rule registry and the candidate a rule drafts.

A candidate holds no words: its quadrant, its rule, what it is about (``subject``) and the numbers
behind it (``evidence``: raw values, rates as fractions). :mod:`strategy_kit.narrative.swot`
writes its sentence and its evidence in a language. The rules themselves are in
:mod:`strategy_kit.analytics.swot_rules`, the drafting in :mod:`strategy_kit.analytics.swot`.

Two windows are used:

- **the period** (the report's period): KPIs against their baseline (the 12 months before,
  :func:`strategy_kit.analytics.baselines.compute_baselines`) and against the same period a year earlier;
- **the recent year** (:func:`recent_year`: the 12 calendar months ending with the period's last
  month) against **the year before** (the 12 months before it), for what needs more deals to be
  stable: the stage drop-off, best performers, lost reasons, the sales cycle, revenue concentration.

The thresholds are the named constants below; a candidate fires when its number reaches the
threshold (``>=``), as the tests check at the threshold itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

import pandas as pd

from strategy_kit.analytics.baselines import Baselines, compute_baselines
from strategy_kit.analytics.journey import Journey
from strategy_kit.analytics.qualification_score import attribute_lift
from strategy_kit.analytics.segmentation import DEFAULT_KEYS, available_keys, segment_table
from strategy_kit.availability import require_deal_column, require_deals, require_table
from strategy_kit.data import SalesData
from strategy_kit.inputs.market import Market
from strategy_kit.inputs.swot import QUADRANTS
from strategy_kit.kpis import KpiEngine, kpi_definitions
from strategy_kit.periods import Period, month_start

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

# KPIs compared with their baseline and the previous year (with every stage_conversion.<stage>).
# The sales cycle is a threat of its own (lengthening_cycle), so it is not among them.
SWOT_KPIS = (
    "new_deals",
    "deals_won",
    "win_rate",
    "won_value",
    "avg_deal_size",
    "revenue",
    "new_business_revenue",
    "new_leads",
    "lead_to_deal_rate",
    "leads_contacted_24h_rate",
    "lead_response_hours",
    "calls_made",
    "call_connect_rate",
    "call_meeting_rate",
    "email_reply_rate",
)


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    """One item a rule drafts: its ``quadrant``, its ``rule``, what it is about (``subject``: a KPI
    id, a stage, a reason...; empty when the rule drafts one item at most) and the numbers behind
    it (``evidence``: raw values, rates as fractions). No words: see :mod:`strategy_kit.narrative.swot`."""

    quadrant: str
    rule: str
    subject: str
    evidence: dict[str, Any]

    @property
    def ident(self) -> str:
        """``rule:subject``: the same finding on another run has the same ident."""
        return f"{self.rule}:{self.subject}" if self.subject else self.rule


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

    def __init__(self, data: SalesData, period: Period, engine: KpiEngine | None = None, market: Market | None = None):
        self.data = data
        self.period = period
        self.market = market
        self._engine = engine

    @cached_property
    def segments(self) -> pd.DataFrame:
        """:func:`strategy_kit.analytics.segmentation.segment_table` over the recent year (the market's keys)."""
        keys = self.market.keys if self.market is not None else available_keys(self.data) or DEFAULT_KEYS
        return segment_table(self.data, self.period, keys=keys, market=self.market)

    @cached_property
    def lift(self) -> pd.DataFrame:
        """:func:`strategy_kit.analytics.qualification_score.attribute_lift` over the deals closed by the period end."""
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
        engine = self.engine  # its prepared stage history is the journey's: converted once
        return Journey(self.data, engine.prepared if engine.data is self.data else None)

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


def candidate(rule_id: str, subject: str, evidence: dict[str, Any]) -> Candidate:
    """The candidate rule ``rule_id`` drafts about ``subject``, in the rule's quadrant."""
    return Candidate(quadrant=RULES[rule_id].quadrant, rule=rule_id, subject=subject, evidence=dict(evidence))
