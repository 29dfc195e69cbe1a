"""Lead qualification (METHOD.md section 1): are leads and deals checked against the buyer
persona, how much effort goes to the ones that do not fit, and which attribute values actually go
with winning.

Pure functions: a :class:`~strategy_kit.data.SalesData` and a
:class:`~strategy_kit.inputs.persona.Persona` in, DataFrames and dataclasses out; no language and no
I/O: the saved persona is read by :func:`strategy_kit.inputs.persona.load_persona`, the words are
:mod:`strategy_kit.narrative.qualification`'s. The attributes are read in
:mod:`~strategy_kit.analytics.qualification_attributes`, the lift, the score and its calibration
computed in :mod:`~strategy_kit.analytics.qualification_score`.

Definitions:

- **Attributes** of a deal: ``sector``, ``size_band``, ``employees`` and ``region`` of its account
  (``deals.account_id`` → ``accounts``), ``source`` and ``product`` of the deal itself. A lead's are
  its own ``sector``, ``employees`` and ``region``, else its account's. ``size_band`` is the
  account's when it has one, else derived from ``employees`` with the bands of
  :data:`strategy_kit.analytics.segmentation.SIZE_BANDS`.
- **Rule-based fit**: each criterion the persona sets (sectors, company size, regions; an empty
  list sets none) is *met*, *missed* or *unknown* (the value is missing). Company size is checked
  on ``employees`` against ``employees_min``/``employees_max`` when both are known, else on the
  size band against ``size_bands`` (a band written ``10-49``, ``1000+`` or ``<10`` is also checked
  on ``employees`` when the band itself is missing). The **score** is the share of the persona's
  criteria met (unknown counts as not met); the **status** is ``outside`` when a criterion is
  missed, ``fit`` when all are met, else ``unknown``; ``fit`` is ``status == "fit"``.
- **Win-rate lift** of an attribute value: the win rate of the closed deals (won or lost) having
  it, with its 95 % Wilson interval, divided by the win rate of all closed deals. Values with fewer
  than ``min_deals`` closed deals are pooled into :data:`OTHER`; deals without the value are left
  out of that attribute's rows (but counted in the overall rate).
- **Naive Bayes score** (in the manner of Odoo's predictive lead scoring): for each attribute,
  P(value | won) = (won with the value + α) / (won with a known value + α·K), K the number of
  distinct values after pooling values seen on fewer than ``min_sample`` training deals into
  :data:`OTHER`, the same for lost. A deal's log-odds = log(won / lost) + Σ log(P(v | won) /
  P(v | lost)): each attribute's **contribution** is its term (0 when the value is missing, or
  unseen and nothing was pooled); the probability is the logistic of the log-odds clamped to
  [:data:`CLAMP_LOW`, :data:`CLAMP_HIGH`].
- **Calibration** on deals held out by time: trained on the deals closed before a cut date (by
  default the date 75 % of the closed deals had closed by), tested on those closed on or after it:
  mean predicted probability against actual win rate, by score band.
- **Window** of what the strategist reads (shares outside the persona, effort, win rate and
  cycle of fit vs non-fit): the 12 months ending on the period's last day. Deals and leads
  *created* in the window are counted; activities dated in the window, attached to a deal
  (``deal_id``) or else to a lead (``lead_id``), are the effort, with their ``duration_seconds``
  where the export has them; win rates over the deals *closed* in the window, cycle = median days
  from creation to close of the deals won in the window. Lift and the score learn from every deal
  closed up to the period's last day.
- **Persona review**: a value of an attribute the persona constrains is *missing* from it when
  its lift is at least :data:`REVIEW_HIGH_LIFT` and its interval lies above the overall win rate,
  *wrongly included* when its lift is at most :data:`REVIEW_LOW_LIFT` and its interval lies below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.analytics.qualification_attributes import (
    OTHER,
    account_attributes,
    built_once,
    closed_deals,
    deal_attributes,
    lead_attributes,
    lookup,
    text_values,
)
from strategy_kit.analytics.qualification_score import attribute_lift, calibration, win_score
from strategy_kit.availability import has_column, require_column, require_table
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.inputs.persona import Persona, band_range
from strategy_kit.periods import Period
from strategy_kit.stats import wilson_interval

STATUSES = ("fit", "outside", "unknown")
MIN_COMPARE = 20  # closed deals each group needs before fit and non-fit win rates are compared
REVIEW_HIGH_LIFT = 1.2
REVIEW_LOW_LIFT = 0.8
WINDOW_MONTHS = 12
PARTS = ("deal_fit", "lead_fit", "outcomes", "leads", "effort", "lift", "review", "score", "calibration")

_INF = float("inf")


# --------------------------------------------------------------------------- rule-based fit


_MET, _MISSED, _UNKNOWN = 1, 0, -1


def _criterion_states(frame: pd.DataFrame, persona: Persona) -> dict[str, np.ndarray]:
    """For each criterion the persona sets, the state of every row: met, missed or unknown."""
    states: dict[str, np.ndarray] = {}
    for criterion in persona.criteria:
        if criterion == "size":
            states["size"] = _size_states(frame, persona)
            continue
        accepted = set(persona.sectors if criterion == "sector" else persona.regions)
        values = frame[criterion] if criterion in frame.columns else pd.Series([None] * len(frame), index=frame.index)
        known = values.notna().to_numpy()
        inside = values.isin(accepted).to_numpy()
        states[criterion] = np.where(~known, _UNKNOWN, np.where(inside, _MET, _MISSED))
    return states


def _size_states(frame: pd.DataFrame, persona: Persona) -> np.ndarray:
    n = len(frame)
    state = np.full(n, _UNKNOWN)
    employees = frame["employees"].to_numpy(dtype=float) if "employees" in frame.columns else np.full(n, np.nan)
    bands = frame["size_band"] if "size_band" in frame.columns else pd.Series([None] * n, index=frame.index)
    has_employees = ~np.isnan(employees)
    if persona.employees_min is not None or persona.employees_max is not None:
        low = persona.employees_min if persona.employees_min is not None else -_INF
        high = persona.employees_max if persona.employees_max is not None else _INF
        within = (employees >= low) & (employees <= high)
        state = np.where(has_employees, np.where(within, _MET, _MISSED), state)
    if persona.size_bands:
        decided = state != _UNKNOWN
        band_known = bands.notna().to_numpy()
        in_bands = bands.isin(set(persona.size_bands)).to_numpy()
        state = np.where(~decided & band_known, np.where(in_bands, _MET, _MISSED), state)
        ranges = [r for b in persona.size_bands if (r := band_range(b)) is not None]
        if len(ranges) == len(persona.size_bands):
            in_ranges = np.zeros(n, dtype=bool)
            for low, high in ranges:
                in_ranges |= (employees >= low) & (employees <= high)
            undecided = (state == _UNKNOWN) & has_employees
            state = np.where(undecided, np.where(in_ranges, _MET, _MISSED), state)
    return state


def _criterion_values(frame: pd.DataFrame, criterion: str) -> pd.Series:
    """The value each row is checked on: the sector, the region, or for the size the headcount
    (a number) where known, else the size band."""
    blank = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    if criterion != "size":
        return frame[criterion].astype(object) if criterion in frame.columns else blank
    bands = frame["size_band"].astype(object) if "size_band" in frame.columns else blank
    if "employees" not in frame.columns:
        return bands
    employees = frame["employees"].astype(object).where(frame["employees"].notna(), None)
    return employees.where(employees.notna(), bands)


def _fit(frame: pd.DataFrame, persona: Persona, key: str) -> pd.DataFrame:
    if not persona.criteria:
        raise UnavailableError("qualification.unavailable.persona_without_criteria")
    states = _criterion_states(frame, persona)
    met = sum((s == _MET).astype(int) for s in states.values())
    missed = sum((s == _MISSED).astype(int) for s in states.values())
    status = np.where(missed > 0, "outside", np.where(met == len(states), "fit", "unknown"))
    result = pd.DataFrame(
        {key: frame[key].to_numpy(), "fit": status == "fit", "score": met / len(states), "status": status}
    )
    for criterion, state in states.items():
        result[f"{criterion}_met"] = pd.array(np.where(state == _UNKNOWN, None, state == _MET), dtype="boolean")
        result[f"{criterion}_value"] = _criterion_values(frame, criterion).to_numpy()
    return result


def persona_fit(data: SalesData, persona: Persona) -> pd.DataFrame:
    """One row per deal: deal_id, fit (bool), score (0..1), status (fit|outside|unknown) and, per
    criterion the persona sets, ``<criterion>_met`` (True/False/missing) and ``<criterion>_value``
    (what was checked: the sector, the region, the headcount or else the size band)."""
    return _fit(deal_attributes(data), persona, "deal_id")


def lead_fit(data: SalesData, persona: Persona) -> pd.DataFrame:
    """The same as :func:`persona_fit`, one row per lead (key lead_id); needs the leads table."""
    return _fit(lead_attributes(data), persona, "lead_id")


def account_fit(data: SalesData, persona: Persona) -> pd.DataFrame:
    """The same as :func:`persona_fit`, one row per account (key account_id); needs the accounts table."""
    return _fit(account_attributes(data), persona, "account_id")


# --------------------------------------------------------------------------- what the strategist reads


def analysis_window(period: Period) -> tuple[date, date]:
    """The :data:`WINDOW_MONTHS` months ending on the period's last day (first and last day)."""
    start = (pd.Timestamp(period.end) + timedelta(days=1) - pd.DateOffset(months=WINDOW_MONTHS)).date()
    return start, period.end


def _within(stamps: pd.Series, window: tuple[date, date]) -> pd.Series:
    start, end = window
    return (stamps >= pd.Timestamp(start)) & (stamps < pd.Timestamp(end + timedelta(days=1)))


def fit_outcomes(data: SalesData, deal_fit: pd.DataFrame, window: tuple[date, date]) -> pd.DataFrame:
    """Per status (fit, outside, unknown): deals created in the window, deals closed in it, won,
    win_rate with its interval, and the median cycle (days from creation to close) of those won."""
    frame = deal_attributes(data)[["deal_id", "status", "created_at", "closed_at"]]
    frame = frame.merge(deal_fit[["deal_id", "status"]].rename(columns={"status": "group"}), on="deal_id")
    closed = closed_deals(frame)
    closed = closed[_within(closed["closed_at"], window)]
    created = frame[_within(frame["created_at"], window)]
    rows = []
    for group in STATUSES:
        mine = closed[closed["group"] == group]
        won = mine[mine["status"] == "won"]
        cycle = (won["closed_at"] - won["created_at"]).dt.total_seconds() / 86_400
        rows.append(
            {
                "group": group,
                "created": int((created["group"] == group).sum()),
                "closed": len(mine),
                "won": len(won),
                "win_rate": len(won) / len(mine) if len(mine) else np.nan,
                "cycle_days": float(cycle.median()) if cycle.notna().any() else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    table["ci_low"], table["ci_high"] = wilson_interval(table["won"], table["closed"])
    return table


def lead_counts(data: SalesData, lead_fit_table: pd.DataFrame, window: tuple[date, date]) -> pd.DataFrame:
    """Per status (fit, outside, unknown): leads created in the window and their share."""
    require_column(data, "leads", "created_at")
    leads = lead_attributes(data)[["lead_id", "created_at"]].merge(lead_fit_table[["lead_id", "status"]], on="lead_id")
    created = leads[_within(leads["created_at"], window)]
    items = created["status"].value_counts().reindex(list(STATUSES), fill_value=0).astype(int)
    total = int(items.sum())
    return pd.DataFrame(
        {"group": list(STATUSES), "items": items.to_numpy(), "share": items.to_numpy() / total if total else np.nan}
    )


def effort(
    data: SalesData, deal_fit: pd.DataFrame, lead_fit_table: pd.DataFrame | None, window: tuple[date, date]
) -> pd.DataFrame:
    """Per scope (deals, leads) and status: items created in the window, their share, activities
    dated in the window on them (an activity with a deal_id counts for the deal, else for its
    lead), the share of the scope's activities, activities per item and hours logged (missing
    without durations)."""
    activities = require_table(data, "activities")
    read = [column for column in ("deal_id", "lead_id", "duration_seconds") if column in activities.columns]
    activities = activities.loc[_within(pd.to_datetime(activities["at"]), window), read]  # only what is read
    has_duration = "duration_seconds" in activities.columns and activities["duration_seconds"].notna().any()
    deal_id, lead_id = _ids(activities, "deal_id"), _ids(activities, "lead_id")
    deals = deal_attributes(data)[["deal_id", "created_at"]].merge(deal_fit[["deal_id", "status"]], on="deal_id")
    scopes = [("deals", deals.rename(columns={"deal_id": "key"}), deal_id)]
    if lead_fit_table is not None and has_column(require_table(data, "leads"), "created_at"):
        leads = lead_attributes(data)[["lead_id", "created_at"]].merge(
            lead_fit_table[["lead_id", "status"]], on="lead_id"
        )
        scopes.append(("leads", leads.rename(columns={"lead_id": "key"}), lead_id.where(deal_id.isna(), None)))
    rows = []
    for scope, items, link in scopes:
        group = lookup(link, items, "key", "status")
        seconds = activities["duration_seconds"] if has_duration else None
        created = items[_within(items["created_at"], window)]
        total_items, total_activities = len(created), int(group.notna().sum())
        for status in STATUSES:
            n_items = int((created["status"] == status).sum())
            mine = group == status
            n_activities = int(mine.sum())
            rows.append(
                {
                    "scope": scope,
                    "group": status,
                    "items": n_items,
                    "share": n_items / total_items if total_items else np.nan,
                    "activities": n_activities,
                    "activity_share": n_activities / total_activities if total_activities else np.nan,
                    "per_item": n_activities / n_items if n_items else np.nan,
                    "hours": float(seconds[mine].sum()) / 3600 if seconds is not None else np.nan,
                }
            )
    return pd.DataFrame(rows)


def _ids(activities: pd.DataFrame, column: str) -> pd.Series:
    """The activities' ``column`` of ids as texts (None where missing or absent)."""
    if column not in activities.columns:
        return pd.Series(None, index=activities.index, dtype=object)
    ids = activities[column]
    return ids if pd.api.types.is_string_dtype(ids) else text_values(ids)


def _persona_values(persona: Persona, attribute: str) -> set[str] | None:
    """The values of ``attribute`` the persona accepts, or None when it does not constrain it."""
    if attribute == "sector":
        return set(persona.sectors) or None
    if attribute == "region":
        return set(persona.regions) or None
    return None


def _band_in_persona(band: str, persona: Persona) -> bool | None:
    if persona.size_bands:
        return band in persona.size_bands
    if persona.employees_min is None and persona.employees_max is None:
        return None
    span = band_range(band)
    if span is None:
        return None
    low = persona.employees_min if persona.employees_min is not None else 0
    high = persona.employees_max if persona.employees_max is not None else _INF
    return span[0] >= low and span[1] <= high


def persona_accepts(persona: Persona, attribute: str, value: str) -> bool | None:
    """Whether the persona accepts ``value`` of ``attribute`` (sector, size_band, region); None
    when it does not constrain the attribute (or the band cannot be read)."""
    if attribute == "size_band":
        return _band_in_persona(value, persona)
    accepted = _persona_values(persona, attribute)
    return None if accepted is None else value in accepted


def persona_review(lift: pd.DataFrame, persona: Persona) -> pd.DataFrame:
    """Values of the attributes the persona constrains that contradict it: the lift rows with
    ``verdict`` ``missing`` (wins clearly more often, not in the persona) or ``wrongly_included``
    (in the persona, wins clearly less often). Missing first, then by lift."""
    verdicts: list[str | None] = []
    for row in lift.itertuples(index=False):
        if row.value == OTHER or row.attribute not in ("sector", "size_band", "region"):
            verdicts.append(None)
            continue
        inside = persona_accepts(persona, row.attribute, row.value)
        if inside is None:
            verdicts.append(None)
        elif not inside and row.lift >= REVIEW_HIGH_LIFT and row.ci_low > row.overall_win_rate:
            verdicts.append("missing")
        elif inside and row.lift <= REVIEW_LOW_LIFT and row.ci_high < row.overall_win_rate:
            verdicts.append("wrongly_included")
        else:
            verdicts.append(None)
    review = lift.assign(verdict=verdicts).dropna(subset=["verdict"])
    review = review.assign(_order=review["verdict"].eq("wrongly_included"))
    review = review.sort_values(["_order", "lift"], ascending=[True, False], kind="stable")
    return review.drop(columns="_order").reset_index(drop=True)


# --------------------------------------------------------------------------- everything at once


@dataclass
class Qualification:
    """Every part of the qualification for one period, computed once; a part the data (or the
    persona) cannot support is missing and :meth:`get` raises why."""

    persona: Persona | None
    window: tuple[date, date]
    parts: dict[str, Any] = field(default_factory=dict)
    unavailable: dict[str, UnavailableError] = field(default_factory=dict)

    def get(self, part: str) -> Any:
        if part in self.parts:
            return self.parts[part]
        if part in self.unavailable:
            raise self.unavailable[part]
        raise UnavailableError("qualification.unavailable.no_part", part=part, parts=", ".join(PARTS))

    def attempt(self, name: str, compute: Callable[[], Any]) -> None:
        """``parts[name] = compute()``, or why not."""
        try:
            self.parts[name] = compute()
        except UnavailableError as exc:
            self.unavailable[name] = exc

    def follow(self, name: str, needs: str, compute: Callable[[Any], Any]) -> None:
        """``parts[name] = compute(parts[needs])``, or the reason ``needs`` is missing."""
        if needs in self.parts:
            self.attempt(name, lambda: compute(self.parts[needs]))
        else:
            self.unavailable[name] = self.unavailable[needs]


def qualify(data: SalesData, persona: Persona | None, period: Period) -> Qualification:
    """Compute every part for ``period``: rule-based fit of deals and leads, outcomes, effort,
    lift, persona review, win score and calibration (see the module docstring for the windows)."""
    with built_once():  # every part reads the deals' and leads' attributes: built once here
        return _qualify(data, persona, period)


def _qualify(data: SalesData, persona: Persona | None, period: Period) -> Qualification:
    window = analysis_window(period)
    result = Qualification(persona, window)
    if persona is None:
        no_persona = UnavailableError("qualification.unavailable.no_persona")
        for name in ("deal_fit", "lead_fit", "outcomes", "leads", "effort", "review"):
            result.unavailable[name] = no_persona
    else:
        result.attempt("deal_fit", lambda: persona_fit(data, persona))
        result.attempt("lead_fit", lambda: lead_fit(data, persona))
        result.follow("outcomes", "deal_fit", lambda deal_fit: fit_outcomes(data, deal_fit, window))
        result.follow(
            "effort", "deal_fit", lambda deal_fit: effort(data, deal_fit, result.parts.get("lead_fit"), window)
        )
        result.follow("leads", "lead_fit", lambda fit: lead_counts(data, fit, window))
    result.attempt("lift", lambda: attribute_lift(data, until=period.end))
    if persona is not None:
        result.follow("review", "lift", lambda lift: persona_review(lift, persona))
    result.attempt("score", lambda: win_score(data, until=period.end))
    result.attempt("calibration", lambda: calibration(data, until=period.end))
    return result
