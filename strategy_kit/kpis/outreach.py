"""Outreach KPIs (KPIS.md "Outreach — sensibilisation"): email, call and LinkedIn outcomes.

A rate is unavailable when the data records no outcome of that kind at all (an email export
without open tracking is not a 0 % open rate). When the data does record outcomes, the
denominators are exactly KPIS.md's (emails sent, calls made, requests sent): an activity without
an outcome is one where nothing of the kind was recorded (not opened, not reached, not accepted).
"""

from __future__ import annotations

import numpy as np

from strategy_kit.kpis.activity import (
    OUTBOUND,
    all_counts,
    counts,
    outcome_index,
    require_type,
    type_index,
)
from strategy_kit.kpis.reasons import Unavailable
from strategy_kit.kpis.registry import Family, kpi
from strategy_kit.kpis.scope import Measure, Scope
from strategy_kit.schema import ACTIVITY_OUTCOMES, CALL_REACHED

OUTREACH = Family(family="outreach", rows="activities")


def _require_outcomes(
    scope: Scope, type_name: str, outcomes: tuple[str, ...], reason: str, outbound_only: bool
) -> None:
    present = all_counts(scope)[type_index(type_name)]
    present = present[OUTBOUND] if outbound_only else present.sum(axis=0)
    if present[outcome_index(*outcomes)].sum() == 0:
        raise Unavailable(reason)


def _outcomes(scope: Scope, type_name: str, outbound_only: bool) -> np.ndarray:
    """Activities of that type in the period per group × outcome."""
    cells = counts(scope)[:, type_index(type_name)]
    return (cells[:, OUTBOUND] if outbound_only else cells.sum(axis=1)).astype(float)


def _rate(
    scope: Scope, type_name: str, counted: tuple[str, ...], base: np.ndarray, outbound_only: bool, undated: int
) -> Measure:
    numerator = _outcomes(scope, type_name, outbound_only)[:, outcome_index(*counted)].sum(axis=1)
    return Measure(scope.ratio(numerator, base), undated)


# Outcomes that show the data tracks what happened to emails ("sent" alone does not).
EMAIL_OUTCOMES = ("opened", "replied", "bounced")


@kpi(
    "email_open_rate",
    fr="Taux d'ouverture des e-mails",
    en="Email open rate",
    unit="rate",
    direction="higher",
    definition="emails sent in P that were opened (or replied) / emails sent in P",
    needs=("activities.type", "activities.at", "activities.direction", "activities.outcome"),
    **OUTREACH,
)
def email_open_rate(scope: Scope) -> Measure:
    scope.measure("emails_sent")
    _require_outcomes(scope, "email", EMAIL_OUTCOMES, "no_email_outcomes", outbound_only=True)
    return _rate(scope, "email", ("opened", "replied"), scope.get("emails_sent"), True, scope.excluded("emails_sent"))


@kpi(
    "email_reply_rate",
    fr="Taux de réponse aux e-mails",
    en="Email reply rate",
    unit="rate",
    direction="higher",
    definition="emails sent in P that were replied / emails sent in P",
    needs=("activities.type", "activities.at", "activities.direction", "activities.outcome"),
    **OUTREACH,
)
def email_reply_rate(scope: Scope) -> Measure:
    scope.measure("emails_sent")
    _require_outcomes(scope, "email", EMAIL_OUTCOMES, "no_email_outcomes", outbound_only=True)
    return _rate(scope, "email", ("replied",), scope.get("emails_sent"), True, scope.excluded("emails_sent"))


CALL_OUTCOMES = ACTIVITY_OUTCOMES["call"]


@kpi(
    "call_connect_rate",
    fr="Taux de joignabilité",
    en="Call connect rate",
    unit="rate",
    direction="higher",
    definition="calls in P that reached the person (connected, meeting booked, callback requested) / calls_made",
    needs=("activities.type", "activities.at", "activities.outcome"),
    **OUTREACH,
)
def call_connect_rate(scope: Scope) -> Measure:
    scope.measure("calls_made")
    _require_outcomes(scope, "call", CALL_OUTCOMES, "no_call_outcomes", outbound_only=False)
    return _rate(scope, "call", CALL_REACHED, scope.get("calls_made"), False, scope.excluded("calls_made"))


@kpi(
    "call_meeting_rate",
    fr="Taux de prise de rendez-vous",
    en="Call-to-meeting rate",
    unit="rate",
    direction="higher",
    definition="calls in P with outcome meeting booked / calls_made (prospects who accept a meeting)",
    needs=("activities.type", "activities.at", "activities.outcome"),
    **OUTREACH,
)
def call_meeting_rate(scope: Scope) -> Measure:
    scope.measure("calls_made")
    _require_outcomes(scope, "call", CALL_OUTCOMES, "no_call_outcomes", outbound_only=False)
    return _rate(scope, "call", ("meeting_booked",), scope.get("calls_made"), False, scope.excluded("calls_made"))


@kpi(
    "callbacks",
    fr="Rappels demandés",
    en="Callbacks requested",
    unit="count",
    direction="higher",
    definition="calls in P with outcome callback requested",
    needs=("activities.type", "activities.at", "activities.outcome"),
    **OUTREACH,
)
def callbacks(scope: Scope) -> Measure:
    scope.measure("calls_made")
    _require_outcomes(scope, "call", CALL_OUTCOMES, "no_call_outcomes", outbound_only=False)
    cells = _outcomes(scope, "call", outbound_only=False)
    return Measure(cells[:, outcome_index("callback_requested")].sum(axis=1), scope.excluded("calls_made"))


LINKEDIN_OUTCOMES = ("accepted", "declined")


@kpi(
    "linkedin_acceptance_rate",
    fr="Taux d'acceptation LinkedIn",
    en="LinkedIn acceptance rate",
    unit="rate",
    direction="higher",
    definition="LinkedIn connection requests sent in P that were accepted / requests sent in P",
    needs=("activities.type", "activities.at", "activities.direction", "activities.outcome"),
    **OUTREACH,
)
def linkedin_acceptance_rate(scope: Scope) -> Measure:
    require_type(scope, "linkedin", "no_linkedin", outbound_only=True)
    _require_outcomes(scope, "linkedin", LINKEDIN_OUTCOMES, "no_linkedin_outcomes", outbound_only=True)
    t = type_index("linkedin")
    sent = counts(scope)[:, t, OUTBOUND].sum(axis=1).astype(float)
    return _rate(scope, "linkedin", ("accepted",), sent, True, int(all_counts(scope, True)[t, OUTBOUND].sum()))
