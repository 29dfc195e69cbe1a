"""Lead qualification (METHOD.md section 1): are leads and deals checked against the buyer
persona, how much effort goes to the ones that do not fit, and which attribute values actually go
with winning.

Pure functions: a :class:`~strategy_kit.data.SalesData` and a :class:`Persona` in, DataFrames and
dataclasses out, no I/O: the saved persona is read by
:func:`strategy_kit.inputs.persona.load_persona`.

Definitions:

- **Attributes** of a deal: ``sector``, ``size_band``, ``employees`` and ``region`` of its account
  (``deals.account_id`` → ``accounts``), ``source`` and ``product`` of the deal itself. A lead's are
  its own ``sector``, ``employees`` and ``region``, else its account's. ``size_band`` is the
  account's when it has one, else derived from ``employees`` with the bands of :data:`strategy_kit.segmentation.SIZE_BANDS`.
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

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.availability import (
    has_column,
    require_column,
    require_deals,
    require_table,
)
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.i18n import (
    MISSING,
    format_date,
    format_integer,
    format_number,
    format_percent,
    label,
)
from strategy_kit.inputs.persona import (  # noqa: F401
    CRITERIA,
    PERSONA_INPUT,
    PERSONA_KEYS,
    Persona,
    band_range,
    persona_from_dict,
)
from strategy_kit.narrative import Finding
from strategy_kit.periods import Period
from strategy_kit.segmentation import size_band as size_band_of
from strategy_kit.stats import wilson_interval

OTHER = "(other)"  # values pooled because too few deals carry them
LIFT_ATTRIBUTES = ("sector", "size_band", "region", "source", "product")
STATUSES = ("fit", "outside", "unknown")
MIN_DEALS = 20  # closed deals a value needs to get its own lift row
MIN_SAMPLE = 10  # training deals a value needs to get its own naive Bayes likelihood
ALPHA = 1.0  # Laplace smoothing
CLAMP_LOW, CLAMP_HIGH = 0.02, 0.98
SCORE_BANDS = 5  # calibration bands of equal width on [0, 1]
HOLDOUT_QUANTILE = 0.75  # default cut: the date this share of the closed deals had closed by
MIN_COMPARE = 20  # closed deals each group needs before fit and non-fit win rates are compared
REVIEW_HIGH_LIFT = 1.2
REVIEW_LOW_LIFT = 0.8
WINDOW_MONTHS = 12

_INF = float("inf")


# --------------------------------------------------------------------------- the persona


# --------------------------------------------------------------------------- attributes


def _text(series: pd.Series) -> pd.Series:
    """A category/text column as object strings, missing as None."""
    values = series.astype(object)
    return values.where(values.notna(), None).map(lambda v: v if v is None else str(v))


def _lookup(keys: pd.Series, table: pd.DataFrame, key: str, column: str) -> pd.Series:
    """``table[column]`` for each of ``keys`` (matched on ``table[key]``), missing where unmatched."""
    unique = table.drop_duplicates(key)
    source = pd.Series(unique[column].to_numpy(), index=unique[key].astype(str))
    return pd.Series(keys.astype(object).map(source).to_numpy(), index=keys.index)


def _firmographics(frame: pd.DataFrame, own: pd.DataFrame | None, accounts: pd.DataFrame | None,
                   account_id: pd.Series | None) -> dict[str, pd.Series]:
    """sector, employees, size_band, region of each row: its own columns first, then its account's."""
    index = frame.index
    result: dict[str, pd.Series] = {}
    for column in ("sector", "employees", "size_band", "region"):
        value = pd.Series([None] * len(index), index=index, dtype=object)
        if own is not None and column in own.columns:
            value = own[column].astype(object).where(own[column].notna(), None)
        if accounts is not None and account_id is not None and column in accounts.columns:
            fallback = _lookup(account_id, accounts, "account_id", column)
            value = value.where(value.notna(), fallback.astype(object).where(fallback.notna(), None))
        if column == "employees":
            value = pd.to_numeric(value, errors="coerce").astype(float)
        else:
            value = _text(value)
        result[column] = value
    if result["size_band"].isna().all() and result["employees"].isna().all():
        return result
    derived = size_band_of(result["employees"])
    result["size_band"] = result["size_band"].where(result["size_band"].notna(), derived)
    return result


def _available(data: SalesData) -> set[str]:
    """The attributes the client's data has at all."""
    found = set()
    deals = require_deals(data)
    accounts = data.tables.get("accounts")
    if accounts is not None and has_column(deals, "account_id"):
        found |= {c for c in ("sector", "employees", "size_band", "region") if has_column(accounts, c)}
        if has_column(accounts, "employees"):
            found.add("size_band")
    found |= {c for c in ("source", "product") if has_column(deals, c)}
    return found


def deal_attributes(data: SalesData) -> pd.DataFrame:
    """One row per deal: deal_id, status, created_at, closed_at and the attributes the data has
    (sector, employees, size_band, region, source, product), as texts (employees as numbers)."""
    deals = require_deals(data)
    frame = pd.DataFrame({"deal_id": deals["deal_id"].astype(str), "status": _text(deals["status"])},
                         index=deals.index)
    for column in ("created_at", "closed_at"):
        frame[column] = pd.to_datetime(deals[column]) if column in deals.columns else pd.NaT
    available = _available(data)
    accounts = data.tables.get("accounts")
    if accounts is not None and "account_id" in deals.columns:
        firmographics = _firmographics(frame, None, accounts, deals["account_id"].astype(object))
        for column, values in firmographics.items():
            if column in available:
                frame[column] = values
    for column in ("source", "product"):
        if column in available:
            frame[column] = _text(deals[column])
    return frame.reset_index(drop=True)


def lead_attributes(data: SalesData) -> pd.DataFrame:
    """One row per lead: lead_id, created_at, deal_id and sector, employees, size_band, region
    (the lead's own, else its account's)."""
    leads = require_table(data, "leads")
    created = leads["created_at"] if "created_at" in leads.columns else pd.Series(pd.NaT, index=leads.index)
    frame = pd.DataFrame({"lead_id": leads["lead_id"].astype(str),
                          "created_at": pd.to_datetime(created)}, index=leads.index)
    accounts = data.tables.get("accounts")
    account_id = leads["account_id"].astype(object) if "account_id" in leads.columns else None
    firmographics = _firmographics(frame, leads, accounts, account_id)
    for column, values in firmographics.items():
        frame[column] = values
    return frame.reset_index(drop=True)


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
        ranges = [band_range(b) for b in persona.size_bands]
        if all(r is not None for r in ranges):
            in_ranges = np.zeros(n, dtype=bool)
            for low, high in ranges:
                in_ranges |= (employees >= low) & (employees <= high)
            undecided = (state == _UNKNOWN) & has_employees
            state = np.where(undecided, np.where(in_ranges, _MET, _MISSED), state)
    return state


def _criterion_values(frame: pd.DataFrame, criterion: str, language: str) -> pd.Series:
    if criterion != "size":
        return frame[criterion] if criterion in frame.columns else pd.Series([None] * len(frame), index=frame.index)
    bands = frame["size_band"] if "size_band" in frame.columns else pd.Series([None] * len(frame), index=frame.index)
    if "employees" not in frame.columns:
        return bands
    employees = frame["employees"].map(lambda v: None if pd.isna(v) else
                                       label("qualification.reason.employees", language,
                                             count=format_integer(v, language)))
    return employees.where(employees.notna(), bands)


def _fit(frame: pd.DataFrame, persona: Persona, key: str, language: str) -> pd.DataFrame:
    if not persona.criteria:
        raise UnavailableError("unavailable.persona_without_criteria")
    states = _criterion_states(frame, persona)
    met = sum((s == _MET).astype(int) for s in states.values())
    missed = sum((s == _MISSED).astype(int) for s in states.values())
    status = np.where(missed > 0, "outside", np.where(met == len(states), "fit", "unknown"))
    pieces = []
    for criterion, state in states.items():
        name = label(f"qualification.criterion.{criterion}", language)
        values = _criterion_values(frame, criterion, language).astype(object).to_numpy()
        text = np.empty(len(frame), dtype=object)
        for code, reason in ((_MET, "in"), (_MISSED, "out"), (_UNKNOWN, "unknown")):
            where = np.flatnonzero(state == code)
            template = label(f"qualification.reason.{reason}", language, criterion=name, value="\x00")
            text[where] = [template.replace("\x00", str(values[i])) for i in where]
        pieces.append(text)
    reasons = ["; ".join(parts) for parts in zip(*pieces)] if pieces else [""] * len(frame)
    result = pd.DataFrame({key: frame[key].to_numpy(), "fit": status == "fit",
                           "score": met / len(states), "status": status, "reasons": reasons})
    for criterion, state in states.items():
        result[f"{criterion}_met"] = pd.array(np.where(state == _UNKNOWN, None, state == _MET), dtype="boolean")
    return result


def persona_fit(data: SalesData, persona: Persona, language: str | None = None) -> pd.DataFrame:
    """One row per deal: deal_id, fit (bool), score (0..1), status (fit|outside|unknown), reasons
    (text in ``language``) and ``<criterion>_met`` (True/False/missing) per criterion set."""
    return _fit(deal_attributes(data), persona, "deal_id", language or data.config.language)


def lead_fit(data: SalesData, persona: Persona, language: str | None = None) -> pd.DataFrame:
    """The same as :func:`persona_fit`, one row per lead (key lead_id); needs the leads table."""
    return _fit(lead_attributes(data), persona, "lead_id", language or data.config.language)


def account_fit(data: SalesData, persona: Persona, language: str | None = None) -> pd.DataFrame:
    """The same as :func:`persona_fit`, one row per account (key account_id); needs the accounts table."""
    accounts = require_table(data, "accounts")
    frame = pd.DataFrame({"account_id": accounts["account_id"].astype(str)}, index=accounts.index)
    for column, values in _firmographics(frame, accounts, None, None).items():
        frame[column] = values
    return _fit(frame.reset_index(drop=True), persona, "account_id", language or data.config.language)


# --------------------------------------------------------------------------- lift


def _closed(frame: pd.DataFrame, until: date | None = None) -> pd.DataFrame:
    closed = frame[frame["status"].isin(("won", "lost"))]
    if until is not None:
        closed = closed[closed["closed_at"].isna() | (closed["closed_at"] < pd.Timestamp(until + timedelta(days=1)))]
    return closed


def pool_values(values: pd.Series, min_count: int) -> pd.Series:
    """Values seen fewer than ``min_count`` times replaced by :data:`OTHER` (missing stays missing)."""
    counts = values.value_counts(dropna=True)
    rare = set(counts.index[counts < min_count])
    return values.where(~values.isin(rare), OTHER)


def attribute_lift(data: SalesData, attributes: Sequence[str] = LIFT_ATTRIBUTES, min_deals: int = MIN_DEALS,
                   until: date | None = None) -> pd.DataFrame:
    """Win rate, 95 % Wilson interval and lift of each attribute value over the closed deals (up to
    ``until`` when given); columns attribute, value, deals, won, win_rate, ci_low, ci_high, lift,
    overall_win_rate. Attributes the data lacks are skipped; values with fewer than ``min_deals``
    closed deals are pooled into :data:`OTHER`. Rows by attribute (in the order asked), then lift."""
    frame = _closed(deal_attributes(data), until)
    columns = ["attribute", "value", "deals", "won", "win_rate", "ci_low", "ci_high", "lift", "overall_win_rate"]
    if frame.empty:
        raise UnavailableError("unavailable.lift_no_closed")
    present = [a for a in attributes if has_column(frame, a)]
    if not present:
        raise UnavailableError("unavailable.lift_no_attribute", attributes=', '.join(attributes))
    won = frame["status"].eq("won")
    overall = float(won.mean())
    rows = []
    for attribute in present:
        values = pool_values(frame[attribute], min_deals)
        grouped = pd.DataFrame({"value": values, "won": won}).dropna(subset=["value"]).groupby("value", sort=False)["won"]
        table = pd.DataFrame({"deals": grouped.size(), "won": grouped.sum()}).reset_index()
        table.insert(0, "attribute", attribute)
        rows.append(table)
    table = pd.concat(rows, ignore_index=True)
    table["deals"] = table["deals"].astype(int)
    table["won"] = table["won"].astype(int)
    table["win_rate"] = table["won"] / table["deals"]
    table["ci_low"], table["ci_high"] = wilson_interval(table["won"], table["deals"])
    table["lift"] = table["win_rate"] / overall if overall > 0 else np.nan
    table["overall_win_rate"] = overall
    order = {a: i for i, a in enumerate(present)}
    table = table.assign(_order=table["attribute"].map(order), _other=table["value"].eq(OTHER))
    table = table.sort_values(["_order", "_other", "lift", "deals"], ascending=[True, True, False, False], kind="stable")
    return table[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- naive Bayes


@dataclass(frozen=True)
class NaiveBayesModel:
    """A naive Bayes win score learned from closed deals (see the module docstring).

    ``likelihoods``: attribute, value, won, lost, p_won, p_lost, weight (log(p_won / p_lost): the
    value's contribution to the log-odds).
    """

    attributes: tuple[str, ...]
    won: int
    lost: int
    likelihoods: pd.DataFrame
    alpha: float = ALPHA
    min_sample: int = MIN_SAMPLE
    clamp: tuple[float, float] = (CLAMP_LOW, CLAMP_HIGH)

    @property
    def prior(self) -> float:
        """The log-odds of winning before any attribute: log(won / lost)."""
        return math.log(self.won / self.lost)

    def contributions(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Per row of ``frame``: prior, each attribute's contribution (log-odds), log_odds and
        probability (clamped)."""
        result = pd.DataFrame(index=frame.index)
        result["prior"] = self.prior
        total = np.full(len(frame), self.prior)
        for attribute in self.attributes:
            table = self.likelihoods[self.likelihoods["attribute"] == attribute].set_index("value")["weight"]
            values = frame[attribute].astype(object) if attribute in frame.columns else pd.Series(None, index=frame.index)
            known = values.notna()
            seen = values.isin(table.index)
            if OTHER in table.index:
                values = values.where(seen | ~known, OTHER)
            weight = values.map(table).astype(float).fillna(0.0).to_numpy()
            result[attribute] = weight
            total = total + weight
        result["log_odds"] = total
        low, high = self.clamp
        result["probability"] = np.clip(1 / (1 + np.exp(-total)), low, high)
        return result

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        return self.contributions(frame)["probability"].to_numpy()


def fit_naive_bayes(frame: pd.DataFrame, attributes: Sequence[str] = LIFT_ATTRIBUTES, alpha: float = ALPHA,
                    min_sample: int = MIN_SAMPLE, clamp: tuple[float, float] = (CLAMP_LOW, CLAMP_HIGH)) -> NaiveBayesModel:
    """Learn the score from ``frame``'s closed deals (columns status and the attributes, as
    :func:`deal_attributes` gives them)."""
    closed = _closed(frame)
    is_won = closed["status"].eq("won")
    won, lost = int(is_won.sum()), int((~is_won).sum())
    if not won or not lost:
        raise UnavailableError("unavailable.score_needs_won_and_lost", won=won, lost=lost)
    present = tuple(a for a in attributes if a in closed.columns and closed[a].notna().any())
    if not present:
        raise UnavailableError("unavailable.score_no_attribute", attributes=', '.join(attributes))
    rows = []
    for attribute in present:
        values = pool_values(closed[attribute], min_sample)
        known = values.notna()
        counts = pd.DataFrame({"value": values[known], "won": is_won[known]}).groupby("value", sort=True)["won"]
        table = pd.DataFrame({"won": counts.sum().astype(int), "lost": (counts.size() - counts.sum()).astype(int)})
        k = len(table)
        table["p_won"] = (table["won"] + alpha) / (table["won"].sum() + alpha * k)
        table["p_lost"] = (table["lost"] + alpha) / (table["lost"].sum() + alpha * k)
        table["weight"] = np.log(table["p_won"] / table["p_lost"])
        rows.append(table.reset_index().assign(attribute=attribute))
    likelihoods = pd.concat(rows, ignore_index=True)[["attribute", "value", "won", "lost", "p_won", "p_lost", "weight"]]
    return NaiveBayesModel(present, won, lost, likelihoods, alpha, min_sample, clamp)


def win_score(data: SalesData, attributes: Sequence[str] = LIFT_ATTRIBUTES, until: date | None = None,
              **options: Any) -> tuple[NaiveBayesModel, pd.DataFrame]:
    """The model learned on the deals closed up to ``until`` and every deal's contributions
    (deal_id, status, the attributes, prior, one column per attribute, log_odds, probability)."""
    frame = deal_attributes(data)
    model = fit_naive_bayes(_closed(frame, until), attributes, **options)
    contributions = model.contributions(frame)
    shown = frame[["deal_id", "status", *[a for a in model.attributes]]].add_suffix("_value")
    shown = shown.rename(columns={"deal_id_value": "deal_id", "status_value": "status"})
    return model, pd.concat([shown, contributions], axis=1)


@dataclass(frozen=True)
class Calibration:
    """Predicted vs actual win rate by score band on deals held out by time."""

    cut: date
    train_deals: int
    test_deals: int
    table: pd.DataFrame  # band, low, high, deals, won, predicted, actual, ci_low, ci_high
    brier: float
    base_brier: float  # the Brier score of always predicting the training win rate

    @property
    def skill(self) -> float:
        """1 − brier / base_brier: above 0, the score beats predicting the average."""
        return 1 - self.brier / self.base_brier if self.base_brier > 0 else float("nan")


def calibration(data: SalesData, cut: date | None = None, attributes: Sequence[str] = LIFT_ATTRIBUTES,
                bands: int = SCORE_BANDS, until: date | None = None, **options: Any) -> Calibration:
    """Train on the deals closed before ``cut``, score those closed from ``cut`` on (up to
    ``until``), and compare by band of equal width the mean predicted probability with the actual
    win rate (with its Wilson interval)."""
    frame = _closed(deal_attributes(data), until)
    frame = frame[frame["closed_at"].notna()]
    if frame.empty:
        raise UnavailableError("unavailable.calibration_no_closed")
    if cut is None:
        cut = frame["closed_at"].quantile(HOLDOUT_QUANTILE).normalize().date()
    stamp = pd.Timestamp(cut)
    train, test = frame[frame["closed_at"] < stamp], frame[frame["closed_at"] >= stamp]
    if train.empty or test.empty:
        raise UnavailableError("unavailable.calibration_one_side", cut=cut)
    model = fit_naive_bayes(train, attributes, **options)
    predicted = model.predict(test)
    actual = test["status"].eq("won").to_numpy()
    band = np.minimum((predicted * bands).astype(int), bands - 1)
    rows = []
    for b in range(bands):
        inside = band == b
        n, won = int(inside.sum()), int(actual[inside].sum())
        rows.append({"band": b, "low": b / bands, "high": (b + 1) / bands, "deals": n, "won": won,
                     "predicted": float(predicted[inside].mean()) if n else np.nan,
                     "actual": won / n if n else np.nan})
    table = pd.DataFrame(rows)
    table["ci_low"], table["ci_high"] = wilson_interval(table["won"], table["deals"])
    base = model.won / (model.won + model.lost)
    brier = float(np.mean((predicted - actual) ** 2))
    base_brier = float(np.mean((base - actual) ** 2))
    return Calibration(cut, len(train), len(test), table, brier, base_brier)


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
    closed = _closed(frame)
    closed = closed[_within(closed["closed_at"], window)]
    created = frame[_within(frame["created_at"], window)]
    rows = []
    for group in STATUSES:
        mine = closed[closed["group"] == group]
        won = mine[mine["status"] == "won"]
        cycle = (won["closed_at"] - won["created_at"]).dt.total_seconds() / 86_400
        rows.append({"group": group, "created": int((created["group"] == group).sum()), "closed": len(mine),
                     "won": len(won), "win_rate": len(won) / len(mine) if len(mine) else np.nan,
                     "cycle_days": float(cycle.median()) if cycle.notna().any() else np.nan})
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
    return pd.DataFrame({"group": list(STATUSES), "items": items.to_numpy(),
                         "share": items.to_numpy() / total if total else np.nan})


def effort(data: SalesData, deal_fit: pd.DataFrame, lead_fit_table: pd.DataFrame | None,
           window: tuple[date, date]) -> pd.DataFrame:
    """Per scope (deals, leads) and status: items created in the window, their share, activities
    dated in the window on them (an activity with a deal_id counts for the deal, else for its
    lead), the share of the scope's activities, activities per item and hours logged (missing
    without durations)."""
    activities = require_table(data, "activities")
    activities = activities[_within(pd.to_datetime(activities["at"]), window)]
    has_duration = "duration_seconds" in activities.columns and activities["duration_seconds"].notna().any()
    deal_id = _text(activities["deal_id"]) if "deal_id" in activities.columns else pd.Series(None, index=activities.index)
    lead_id = _text(activities["lead_id"]) if "lead_id" in activities.columns else pd.Series(None, index=activities.index)
    deals = deal_attributes(data)[["deal_id", "created_at"]].merge(deal_fit[["deal_id", "status"]], on="deal_id")
    scopes = [("deals", deals.rename(columns={"deal_id": "key"}), deal_id)]
    if lead_fit_table is not None and has_column(require_table(data, "leads"), "created_at"):
        leads = lead_attributes(data)[["lead_id", "created_at"]].merge(lead_fit_table[["lead_id", "status"]], on="lead_id")
        scopes.append(("leads", leads.rename(columns={"lead_id": "key"}), lead_id.where(deal_id.isna(), None)))
    rows = []
    for scope, items, link in scopes:
        status_of = items.set_index("key")["status"]
        group = link.map(status_of)
        seconds = activities["duration_seconds"] if has_duration else None
        created = items[_within(items["created_at"], window)]
        total_items, total_activities = len(created), int(group.notna().sum())
        for status in STATUSES:
            n_items = int((created["status"] == status).sum())
            mine = group == status
            n_activities = int(mine.sum())
            rows.append({
                "scope": scope, "group": status, "items": n_items,
                "share": n_items / total_items if total_items else np.nan,
                "activities": n_activities,
                "activity_share": n_activities / total_activities if total_activities else np.nan,
                "per_item": n_activities / n_items if n_items else np.nan,
                "hours": float(seconds[mine].sum()) / 3600 if has_duration else np.nan,
            })
    return pd.DataFrame(rows)


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
    verdicts = []
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


# --------------------------------------------------------------------------- narrative




def attribute_name(attribute: str, language: str) -> str:
    return label(f"qualification.attribute.{attribute}", language)


def value_name(value: str, language: str) -> str:
    return label("qualification.other", language) if value == OTHER else str(value)


def persona_findings(persona: Persona | None, language: str) -> list[Finding]:
    """What the persona says, one sentence per part it sets (or that none is saved)."""
    if persona is None:
        return [Finding("qualification.persona.none", {}, language)]
    findings = []
    lists = {"sectors": persona.sectors, "size_bands": persona.size_bands, "regions": persona.regions,
             "needs": persona.needs, "pain_points": persona.pain_points, "disqualifiers": persona.disqualifiers}
    for key, values in lists.items():
        if values:
            findings.append(Finding(f"qualification.persona.{key}", {"values": ", ".join(values)}, language))
    if persona.employees_min is not None or persona.employees_max is not None:
        low = format_integer(persona.employees_min, language) if persona.employees_min is not None else "0"
        high = format_integer(persona.employees_max, language) if persona.employees_max is not None else "∞"
        findings.append(Finding("qualification.persona.employees", {"low": low, "high": high}, language))
    if not persona.criteria:
        findings.append(Finding("qualification.persona.no_criteria", {}, language))
    return findings


def share_findings(outcomes: pd.DataFrame | None, lead_table: pd.DataFrame | None,
                   effort_table: pd.DataFrame | None, language: str) -> list[Finding]:
    """Shares of deals (:func:`fit_outcomes`) and leads (:func:`lead_counts`) outside the persona,
    the effort spent on them (:func:`effort`), and the win rate and cycle of fit vs non-fit deals;
    parts given as None are skipped."""
    findings: list[Finding] = []
    pct = lambda v: format_percent(v, language, 0)
    count = lambda v: format_integer(v, language)
    scopes = []
    if outcomes is not None:
        scopes.append(("deals", outcomes.set_index("group")["created"]))
    if lead_table is not None:
        scopes.append(("leads", lead_table.set_index("group")["items"]))
    for scope, created in scopes:
        total = int(created.sum())
        if not total:
            findings.append(Finding(f"qualification.finding.no_{scope}", {}, language))
            continue
        findings.append(Finding(f"qualification.finding.outside_{scope}", {
            "share": pct(created["outside"] / total), "count": count(created["outside"]), "total": count(total),
            "unknown": count(created["unknown"]),
        }, language))
    if effort_table is not None:
        for scope in ("deals", "leads"):
            mine = effort_table[effort_table["scope"] == scope].set_index("group")
            total = int(mine["activities"].sum()) if not mine.empty else 0
            if not total:
                continue
            outside = mine.loc["outside"]
            key = "qualification.finding.effort_hours" if not np.isnan(outside["hours"]) else "qualification.finding.effort"
            findings.append(Finding(key, {
                "scope": label(f"qualification.scope.{scope}", language),
                "share": pct(outside["activity_share"]), "count": count(outside["activities"]), "total": count(total),
                "hours": format_number(outside["hours"], language, 1) if not np.isnan(outside["hours"]) else MISSING,
                "per_outside": format_number(outside["per_item"], language, 1),
                "per_fit": format_number(mine.loc["fit", "per_item"], language, 1),
            }, language))
    if outcomes is not None:
        table = outcomes.set_index("group")
        fit, outside = table.loc["fit"], table.loc["outside"]
        if fit["closed"] >= MIN_COMPARE and outside["closed"] >= MIN_COMPARE:
            findings.append(Finding("qualification.finding.win_rates", {
                "fit_rate": pct(fit["win_rate"]), "fit_closed": count(fit["closed"]),
                "outside_rate": pct(outside["win_rate"]), "outside_closed": count(outside["closed"]),
                "fit_cycle": format_number(fit["cycle_days"], language, 0),
                "outside_cycle": format_number(outside["cycle_days"], language, 0),
            }, language))
        else:
            findings.append(Finding("qualification.finding.too_few", {"min": count(MIN_COMPARE)}, language))
    return findings


def review_findings(review: pd.DataFrame, language: str) -> list[Finding]:
    """One sentence per value the persona misses or wrongly includes, or that none does."""
    if review.empty:
        return [Finding("qualification.finding.review_none", {}, language)]
    return [Finding(f"qualification.finding.{row.verdict}", {
        "attribute": attribute_name(row.attribute, language), "value": value_name(row.value, language),
        "win_rate": format_percent(row.win_rate, language, 0), "ci_low": format_percent(row.ci_low, language, 0),
        "ci_high": format_percent(row.ci_high, language, 0), "deals": format_integer(row.deals, language),
        "lift": format_number(row.lift, language, 1), "overall": format_percent(row.overall_win_rate, language, 0),
    }, language) for row in review.itertuples(index=False)]


def calibration_findings(result: Calibration, language: str) -> list[Finding]:
    table = result.table[result.table["deals"] > 0]
    low, high = table.iloc[0], table.iloc[-1]
    key = "qualification.finding.calibration" if result.skill > 0 else "qualification.finding.calibration_weak"
    return [Finding(key, {
        "cut": format_date(result.cut, language),
        "test": format_integer(result.test_deals, language), "train": format_integer(result.train_deals, language),
        "top_band": f"{format_percent(high['low'], language, 0)}–{format_percent(high['high'], language, 0)}",
        "top_actual": format_percent(high["actual"], language, 0),
        "bottom_band": f"{format_percent(low['low'], language, 0)}–{format_percent(low['high'], language, 0)}",
        "bottom_actual": format_percent(low["actual"], language, 0),
        "skill": format_percent(result.skill, language, 0),
    }, language)]


# --------------------------------------------------------------------------- report tables

# How each column is written in a report (kinds of strategy_kit.i18n.FORMATTERS).
COLUMN_KINDS: dict[str, str] = {
    "attribute": "text", "value": "text", "deals": "integer", "won": "integer", "win_rate": "percent",
    "ci_low": "percent", "ci_high": "percent", "lift": "number", "group": "text", "created": "integer",
    "closed": "integer", "cycle_days": "number", "items": "integer", "share": "percent", "activities": "integer",
    "activity_share": "percent", "per_item": "number", "hours": "number", "band": "text", "predicted": "percent",
    "actual": "percent", "score": "percent", "reasons": "text", "deal_id": "text", "verdict": "text",
    "weight": "number", "lost": "integer", "odds": "number", "probability": "percent", "interval": "text",
    "scope": "text",
}
LIFT_COLUMNS = {"attribute": "qualification.column.attribute", "value": "qualification.column.value",
                "deals": "qualification.column.closed", "won": "qualification.column.won",
                "win_rate": "qualification.column.win_rate", "interval": "qualification.column.interval",
                "lift": "qualification.column.lift"}
OUTCOME_COLUMNS = {"group": "qualification.column.group", "created": "qualification.column.created",
                   "closed": "qualification.column.closed", "won": "qualification.column.won",
                   "win_rate": "qualification.column.win_rate", "interval": "qualification.column.interval",
                   "cycle_days": "qualification.column.cycle_days"}
EFFORT_COLUMNS = {"scope": "qualification.column.scope", "group": "qualification.column.group",
                  "items": "qualification.column.items", "share": "qualification.column.share",
                  "activities": "qualification.column.activities",
                  "activity_share": "qualification.column.activity_share",
                  "per_item": "qualification.column.per_item", "hours": "qualification.column.hours"}
LEAD_COLUMNS = {"group": "qualification.column.group", "items": "qualification.column.items",
                "share": "qualification.column.share"}
CALIBRATION_COLUMNS = {"band": "qualification.column.band", "deals": "qualification.column.deals",
                       "predicted": "qualification.column.predicted", "won": "qualification.column.won",
                       "actual": "qualification.column.actual", "interval": "qualification.column.interval"}


def interval_text(low: float, high: float, language: str) -> str:
    if pd.isna(low) or pd.isna(high):
        return MISSING
    return f"{format_percent(low, language, 0)}–{format_percent(high, language, 0)}"


def display_lift(lift: pd.DataFrame, language: str) -> pd.DataFrame:
    """The lift table with attribute names, pooled values and intervals written for ``language``."""
    shown = lift.copy()
    shown["attribute"] = shown["attribute"].map(lambda a: attribute_name(a, language))
    shown["value"] = shown["value"].map(lambda v: value_name(v, language))
    shown["interval"] = [interval_text(lo, hi, language) for lo, hi in zip(shown["ci_low"], shown["ci_high"])]
    return shown


def display_groups(table: pd.DataFrame, language: str) -> pd.DataFrame:
    """Outcome, lead or effort tables with the group (and scope) names and intervals written for
    ``language``; the "cannot be checked" rows are left out when they hold nothing."""
    counts = [c for c in ("created", "closed", "items", "activities") if c in table.columns]
    empty_unknown = table["group"].eq("unknown") & table[counts].fillna(0).eq(0).all(axis=1)
    shown = table[~empty_unknown].copy()
    shown["group"] = shown["group"].map(lambda g: label(f"qualification.group.{g}", language))
    if "scope" in shown.columns:
        shown["scope"] = shown["scope"].map(lambda s: label(f"qualification.scope.{s}", language))
    if "ci_low" in shown.columns:
        shown["interval"] = [interval_text(lo, hi, language) for lo, hi in zip(shown["ci_low"], shown["ci_high"])]
    return shown


def display_calibration(result: Calibration, language: str) -> pd.DataFrame:
    shown = result.table.copy()
    shown["band"] = [f"{format_percent(lo, language, 0)}–{format_percent(hi, language, 0)}"
                     for lo, hi in zip(shown["low"], shown["high"])]
    shown["interval"] = [interval_text(lo, hi, language) for lo, hi in zip(shown["ci_low"], shown["ci_high"])]
    return shown


def open_deal_scores(model: NaiveBayesModel, scores: pd.DataFrame, language: str, n: int = 10) -> pd.DataFrame:
    """The open deals with the highest and lowest scores and what each attribute adds, as odds
    factors (×1.5: the value multiplies the odds of winning by 1.5)."""
    open_deals = scores[scores["status"] == "open"].sort_values("probability", ascending=False, kind="stable")
    if open_deals.empty:
        raise UnavailableError("no open deal to score")
    half = max(n // 2, 1)
    chosen = pd.concat([open_deals.head(half), open_deals.tail(half)]).drop_duplicates("deal_id")
    rows = []
    for _, row in chosen.iterrows():
        parts = []
        for attribute in model.attributes:
            value = row[f"{attribute}_value"]
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            factor = format_number(math.exp(row[attribute]), language, 2)
            parts.append(f"{attribute_name(attribute, language)} {value}: ×{factor}")
        rows.append({"deal_id": row["deal_id"], "probability": row["probability"], "reasons": "; ".join(parts)})
    return pd.DataFrame(rows)


OPEN_SCORE_COLUMNS = {"deal_id": "qualification.column.deal", "probability": "qualification.column.probability",
                      "reasons": "qualification.column.contributions"}


def model_weights(model: NaiveBayesModel, language: str) -> pd.DataFrame:
    """The learned weight of every attribute value as an odds factor, with the counts behind."""
    shown = model.likelihoods.copy()
    shown["odds"] = np.exp(shown["weight"])
    shown["attribute"] = shown["attribute"].map(lambda a: attribute_name(a, language))
    shown["value"] = shown["value"].map(lambda v: value_name(v, language))
    return shown


WEIGHT_COLUMNS = {"attribute": "qualification.column.attribute", "value": "qualification.column.value",
                  "won": "qualification.column.won", "lost": "qualification.column.lost",
                  "odds": "qualification.column.odds"}


# --------------------------------------------------------------------------- everything at once


def _attempt(parts: dict[str, Any], unavailable: dict[str, str], name: str, compute: Any,
             language: str = "en") -> None:
    try:
        parts[name] = compute()
    except UnavailableError as exc:
        unavailable[name] = exc.reason(language)


@dataclass
class Qualification:
    """Every part of the qualification for one period, computed once; a part the data (or the
    persona) cannot support is missing and :meth:`get` raises its reason."""

    persona: Persona | None
    window: tuple[date, date]
    language: str
    parts: dict[str, Any]
    unavailable: dict[str, str]

    def get(self, part: str) -> Any:
        if part in self.parts:
            return self.parts[part]
        raise UnavailableError(self.unavailable.get(part, f"no part '{part}'"))

    def findings(self) -> list[Finding]:
        """The narrative: the persona, shares outside it and the effort they take, win rates of fit
        vs non-fit, what the persona misses or wrongly includes, and whether the score holds."""
        language = self.language
        findings = persona_findings(self.persona, language)
        findings += share_findings(self.parts.get("outcomes"), self.parts.get("leads"), self.parts.get("effort"),
                                   language)
        if "review" in self.parts:
            findings += review_findings(self.parts["review"], language)
        if "calibration" in self.parts:
            findings += calibration_findings(self.parts["calibration"], language)
        return findings


def qualify(data: SalesData, persona: Persona | None, period: Period, language: str | None = None) -> Qualification:
    """Compute every part for ``period``: rule-based fit of deals and leads, outcomes, effort,
    lift, persona review, win score and calibration (see the module docstring for the windows)."""
    language = language or data.config.language
    window = analysis_window(period)
    parts: dict[str, Any] = {}
    unavailable: dict[str, str] = {}
    no_persona = label("unavailable.no_persona", language)
    if persona is None:
        for name in ("deal_fit", "lead_fit", "outcomes", "leads", "effort", "review"):
            unavailable[name] = no_persona
    else:
        _attempt(parts, unavailable, "deal_fit", lambda: persona_fit(data, persona, language), language)
        _attempt(parts, unavailable, "lead_fit", lambda: lead_fit(data, persona, language), language)
        if "deal_fit" in parts:
            parts["outcomes"] = fit_outcomes(data, parts["deal_fit"], window)
            _attempt(parts, unavailable, "effort",
                     lambda: effort(data, parts["deal_fit"], parts.get("lead_fit"), window), language)
        else:
            unavailable["outcomes"] = unavailable["effort"] = unavailable["deal_fit"]
        if "lead_fit" in parts:
            _attempt(parts, unavailable, "leads", lambda: lead_counts(data, parts["lead_fit"], window), language)
        else:
            unavailable["leads"] = unavailable["lead_fit"]
    _attempt(parts, unavailable, "lift", lambda: attribute_lift(data, until=period.end), language)
    if persona is not None:
        if "lift" in parts:
            parts["review"] = persona_review(parts["lift"], persona)
        else:
            unavailable["review"] = unavailable["lift"]
    _attempt(parts, unavailable, "score", lambda: win_score(data, until=period.end), language)
    _attempt(parts, unavailable, "calibration", lambda: calibration(data, until=period.end), language)
    return Qualification(persona, window, language, parts, unavailable)
