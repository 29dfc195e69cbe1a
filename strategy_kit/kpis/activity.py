"""Activity KPIs (KPIS.md "Activity — mesures d'activité") and the activity counts outreach shares.

Activities of a period are counted once per scope by class (type × direction × outcome, see
strategy_kit.kpis.prepared), so every activity and outreach KPI of the period is a sum of cells.
"""

from __future__ import annotations

import numpy as np

from strategy_kit.kpis.arrays import MISSING_DAY
from strategy_kit.kpis.prepared import OUTCOME_COUNT, OUTCOMES, TYPE_COUNT, ActivityRows
from strategy_kit.kpis.reasons import Unavailable
from strategy_kit.kpis.registry import Family, kpi
from strategy_kit.kpis.scope import Measure, Scope
from strategy_kit.schema import ACTIVITY_TYPES

ACTIVITY = Family(family="activity", rows="activities")
CLASSES = TYPE_COUNT * 2 * OUTCOME_COUNT
OUTBOUND, INBOUND = 1, 0


def type_index(name: str) -> int:
    return ACTIVITY_TYPES.index(name)


def outcome_index(*names: str) -> list[int]:
    return [OUTCOMES.index(name) for name in names]


def activities(scope: Scope) -> ActivityRows:
    found = scope.prepared.activities
    if found is None:
        raise Unavailable("no_table", table="activities")
    if scope.prepared.column("activities", "at") is None:  # no activity can be placed in a period
        raise Unavailable("no_column", column="at", table="activities")
    return found


def period_rows(scope: Scope) -> np.ndarray:
    """Indices of the activities with ``at`` in the period."""
    rows = activities(scope)
    return scope.rows_in_period("activities.at", rows.day)


def counts(scope: Scope) -> np.ndarray:
    """Activities of the period per group × type × direction (inbound, outbound) × outcome."""

    def build() -> np.ndarray:
        rows = activities(scope)
        chosen = period_rows(scope)
        kind = rows.kind[chosen].astype(np.int64)
        codes = scope.codes("activities")
        cell = kind if codes is None else codes[chosen] * CLASSES + kind
        return np.bincount(cell, minlength=scope.size * CLASSES).reshape(scope.size, TYPE_COUNT, 2, OUTCOME_COUNT)

    return scope.once("activity_counts", build)


def all_counts(scope: Scope, undated: bool = False) -> np.ndarray:
    """Every activity of the data (or those without an ``at``) by type × direction × outcome."""
    rows = activities(scope)

    def build() -> np.ndarray:
        kind = rows.kind[rows.day == MISSING_DAY] if undated else rows.kind
        return np.bincount(kind, minlength=CLASSES).reshape(TYPE_COUNT, 2, OUTCOME_COUNT)

    return scope.engine.constant(f"activity_classes:{undated}", build)


def require_type(scope: Scope, name: str, reason: str, outbound_only: bool = False) -> None:
    """Unavailable when the data holds no activity of that type at all (not exported, not 0)."""
    present = all_counts(scope)[type_index(name)]
    if (present[OUTBOUND] if outbound_only else present).sum() == 0:
        raise Unavailable(reason)


@kpi(
    "calls_made",
    fr="Appels passés",
    en="Calls made",
    unit="count",
    direction="higher",
    definition="activities of type call with at in P",
    needs=("activities.type", "activities.at"),
    **ACTIVITY,
)
def calls_made(scope: Scope) -> Measure:
    require_type(scope, "call", "no_calls")
    t = type_index("call")
    return Measure(counts(scope)[:, t].sum(axis=(1, 2)).astype(float), int(all_counts(scope, True)[t].sum()))


@kpi(
    "emails_sent",
    fr="E-mails envoyés",
    en="Emails sent",
    unit="count",
    direction="higher",
    definition="outbound activities of type email with at in P",
    needs=("activities.type", "activities.at", "activities.direction"),
    **ACTIVITY,
)
def emails_sent(scope: Scope) -> Measure:
    require_type(scope, "email", "no_emails", outbound_only=True)
    t = type_index("email")
    return Measure(
        counts(scope)[:, t, OUTBOUND].sum(axis=1).astype(float), int(all_counts(scope, True)[t, OUTBOUND].sum())
    )


@kpi(
    "meetings_held",
    fr="Rendez-vous tenus",
    en="Meetings held",
    unit="count",
    direction="higher",
    definition="activities of type meeting with at in P",
    needs=("activities.type", "activities.at"),
    **ACTIVITY,
)
def meetings_held(scope: Scope) -> Measure:
    require_type(scope, "meeting", "no_meetings")
    t = type_index("meeting")
    return Measure(counts(scope)[:, t].sum(axis=(1, 2)).astype(float), int(all_counts(scope, True)[t].sum()))


def _outbound_undated(scope: Scope) -> int:
    return int(all_counts(scope, True)[:, OUTBOUND].sum())


@kpi(
    "followups_done",
    fr="Relances effectuées",
    en="Follow-ups done",
    unit="count",
    direction="higher",
    definition="outbound activities in P on a lead or deal that already had an earlier outbound activity",
    needs=("activities.at", "activities.direction", "activities.deal_id or activities.lead_id"),
    **ACTIVITY,
)
def followups_done(scope: Scope) -> Measure:
    activities(scope)
    prepared = scope.prepared
    if prepared.column("activities", "deal_id") is None and prepared.column("activities", "lead_id") is None:
        raise Unavailable("no_activity_links")
    followups = scope.prepared.followups
    chosen = period_rows(scope)
    return Measure(scope.count("activities", chosen[followups[chosen]]), _outbound_undated(scope))


@kpi(
    "activities_per_rep",
    fr="Activités par commercial",
    en="Activities per rep",
    unit="count",
    direction="higher",
    definition="outbound activities in P / reps with at least one activity in P",
    needs=("activities.at", "activities.direction", "activities.owner"),
    **ACTIVITY,
)
def activities_per_rep(scope: Scope) -> Measure:
    activities(scope)
    if scope.prepared.column("activities", "owner") is None:
        raise Unavailable("no_column", column="owner", table="activities")
    owner_labels = scope.prepared.labels("activities", "owner")
    owners = len(owner_labels.categories)
    chosen = period_rows(scope)
    owner = owner_labels.codes[chosen]
    has_owner = owner >= 0
    codes = scope.codes("activities")
    if codes is None:
        reps = np.array([float(np.count_nonzero(np.bincount(owner[has_owner], minlength=owners)))])
    else:  # distinct (group, owner) pairs per group
        pairs = codes[chosen[has_owner]] * owners + owner[has_owner]
        present = np.zeros(scope.size * owners, dtype=bool)
        present[pairs] = True
        reps = present.reshape(scope.size, owners).sum(axis=1).astype(float)
    # Outbound activities without an owner count (KPIS.md's numerator); their rep cannot.
    outbound = counts(scope)[:, :, OUTBOUND].sum(axis=(1, 2)).astype(float)
    return Measure(scope.ratio(outbound, reps), _outbound_undated(scope))
