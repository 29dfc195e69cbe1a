"""Lead-generation KPIs (KPIS.md "Lead generation — génération de leads").

A lead's first outbound activity and its number of outbound activities are computed once over
the whole history (strategy_kit.kpis.prepared): "the first outbound activity on the lead" is its
earliest one at or after the lead's created_at. An activity logged before the lead was created is
not a response to it (the lead was entered after a first contact): a lead contacted only before
its created_at is left out of ``lead_response_hours`` (counted in its excluded rows) and is not
contacted within 24 h (it stays in that rate's denominator, all leads created in P).
"""

from __future__ import annotations

import numpy as np

from strategy_kit.kpis.arrays import HOUR_NS, MISSING_DAY, NO_TIME
from strategy_kit.kpis.prepared import LeadRows
from strategy_kit.kpis.reasons import Unavailable
from strategy_kit.kpis.registry import Family, kpi
from strategy_kit.kpis.scope import Measure, Scope

LEADS = Family(family="lead_generation", rows="leads")


def _leads(scope: Scope) -> LeadRows:
    found = scope.prepared.leads
    if found is None:
        raise Unavailable("no_table", table="leads")
    return found


def _created_in_period(scope: Scope) -> np.ndarray:
    leads = _dated_leads(scope)
    return scope.rows_in_period("leads.created", leads.created)


def _dated_leads(scope: Scope) -> LeadRows:
    """The leads, when they have a created_at (optional in the data model: without one, no lead
    can be placed in a period, so every KPI over leads created in P is unavailable, never 0)."""
    leads = _leads(scope)
    if scope.prepared.column("leads", "created_at") is None:
        raise Unavailable("no_column", column="created_at", table="leads")
    return leads


def _contacts(scope: Scope) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per lead: first outbound activity at or after created_at (NO_TIME: none), number of
    outbound activities, and contacted only before created_at."""
    _leads(scope)
    prepared = scope.prepared
    if prepared.activities is None:
        raise Unavailable("no_table", table="activities")
    if prepared.column("activities", "lead_id") is None:
        raise Unavailable("no_lead_activities")
    if prepared.column("activities", "at") is None:  # no contact can be dated: not "never contacted"
        raise Unavailable("no_column", column="at", table="activities")
    return prepared.lead_contacts


@kpi(
    "new_leads",
    fr="Nouveaux leads",
    en="New leads",
    unit="count",
    direction="higher",
    definition="leads with created_at in P",
    needs=("leads.created_at",),
    **LEADS,
)
def new_leads(scope: Scope) -> Measure:
    leads = _dated_leads(scope)
    undated = scope.engine.constant("undated:leads", lambda: int(np.count_nonzero(leads.created == MISSING_DAY)))
    return Measure(scope.count("leads", _created_in_period(scope)), undated)


def _response_ns(scope: Scope) -> tuple[np.ndarray, np.ndarray, int]:
    """Leads created in P that have an outbound activity at or after their created_at, the time to
    the first one in nanoseconds, and the number of leads created in P contacted only before."""

    def build() -> tuple[np.ndarray, np.ndarray, int]:
        first, _, only_before = _contacts(scope)
        created = _created_in_period(scope)
        contacted = created[first[created] != NO_TIME]
        return (
            contacted,
            first[contacted] - _leads(scope).created_ns[contacted],
            int(np.count_nonzero(only_before[created])),
        )

    return scope.per_period("lead_response", build)


@kpi(
    "lead_response_hours",
    fr="Délai de premier contact (médiane, heures)",
    en="Lead response time (median hours)",
    unit="hours",
    direction="lower",
    definition="median hours from created_at to the first outbound activity on the lead, over leads created in "
    "P that have one",
    needs=("leads.created_at", "activities.lead_id", "activities.at", "activities.direction"),
    **LEADS,
)
def lead_response_hours(scope: Scope) -> Measure:
    scope.measure("new_leads")
    contacted, delay, only_before = _response_ns(scope)
    return Measure(scope.median("leads", contacted, delay / HOUR_NS), scope.excluded("new_leads") + only_before)


@kpi(
    "leads_contacted_24h_rate",
    fr="Leads contactés sous 24 h",
    en="Leads contacted within 24 h",
    unit="rate",
    direction="higher",
    definition="share of leads created in P whose first outbound activity came within 24 hours of created_at "
    "(denominator: all leads created in P)",
    needs=("leads.created_at", "activities.lead_id", "activities.at", "activities.direction"),
    **LEADS,
)
def leads_contacted_24h_rate(scope: Scope) -> Measure:
    contacted, delay, _ = _response_ns(scope)
    quick = contacted[delay <= 24 * HOUR_NS]
    return Measure(scope.ratio(scope.count("leads", quick), scope.get("new_leads")), scope.excluded("new_leads"))


@kpi(
    "leads_followed_up_rate",
    fr="Leads relancés",
    en="Leads followed up",
    unit="rate",
    direction="higher",
    definition="share of leads created in P with at least two outbound activities",
    needs=("leads.created_at", "activities.lead_id", "activities.direction"),
    **LEADS,
)
def leads_followed_up_rate(scope: Scope) -> Measure:
    _, outbound, _ = _contacts(scope)
    created = _created_in_period(scope)
    followed = created[outbound[created] >= 2]
    return Measure(scope.ratio(scope.count("leads", followed), scope.get("new_leads")), scope.excluded("new_leads"))


@kpi(
    "lead_to_deal_rate",
    fr="Taux de conversion lead → affaire",
    en="Lead-to-deal rate",
    unit="rate",
    direction="higher",
    definition="share of leads created in P that became a deal (at any time in the data)",
    needs=("leads.created_at", "leads.deal_id, leads.converted_at or deals.lead_id"),
    **LEADS,
)
def lead_to_deal_rate(scope: Scope) -> Measure:
    _leads(scope)
    became = scope.prepared.lead_became_deal
    if became is None:
        raise Unavailable("no_lead_deal_link")
    created = _created_in_period(scope)
    converted = created[became[created]]
    return Measure(scope.ratio(scope.count("leads", converted), scope.get("new_leads")), scope.excluded("new_leads"))
