"""What goes with winning (definitions in :mod:`strategy_kit.analytics.qualification`): the
win-rate lift of each attribute value, a naive Bayes win score learned from closed deals (in the
manner of Odoo's predictive lead scoring) and its calibration on deals held out by time."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.analytics.qualification_attributes import (
    LIFT_ATTRIBUTES,
    OTHER,
    closed_deals,
    deal_attributes,
    deal_context,
    pool_values,
)
from strategy_kit.availability import has_column
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.ranges import range_sort_key
from strategy_kit.stats import wilson_interval

MIN_DEALS = 20  # closed deals a value needs to get its own lift row
MIN_SAMPLE = 10  # training deals a value needs to get its own naive Bayes likelihood
ALPHA = 1.0  # Laplace smoothing
CLAMP_LOW, CLAMP_HIGH = 0.02, 0.98
SCORE_BANDS = 5  # calibration bands of equal width on [0, 1]
HOLDOUT_QUANTILE = 0.75  # default cut: the date this share of the closed deals had closed by
OPEN_DEALS_SHOWN = 10  # open deals shown: the highest and the lowest scores, half each


# --------------------------------------------------------------------------- lift


def attribute_lift(
    data: SalesData, attributes: Sequence[str] = LIFT_ATTRIBUTES, min_deals: int = MIN_DEALS, until: date | None = None
) -> pd.DataFrame:
    """Win rate, 95 % Wilson interval and lift of each attribute value over the closed deals (up to
    ``until`` when given); columns attribute, value, deals, won, win_rate, ci_low, ci_high, lift,
    overall_win_rate. Attributes the data lacks are skipped; values with fewer than ``min_deals``
    closed deals are pooled into :data:`OTHER`. Rows by attribute (in the order asked), then lift;
    values that are ranges (company sizes: :func:`~strategy_kit.ranges.range_order`) in their order."""
    frame = closed_deals(deal_attributes(data), until)
    columns = ["attribute", "value", "deals", "won", "win_rate", "ci_low", "ci_high", "lift", "overall_win_rate"]
    if frame.empty:
        raise UnavailableError("qualification.unavailable.lift_no_closed")
    present = [a for a in attributes if has_column(frame, a)]
    if not present:
        raise UnavailableError("qualification.unavailable.lift_no_attribute", attributes=", ".join(attributes))
    won = frame["status"].eq("won")
    overall = float(won.mean())
    rows = []
    for attribute in present:
        values = pool_values(frame[attribute], min_deals)
        grouped = (
            pd.DataFrame({"value": values, "won": won}).dropna(subset=["value"]).groupby("value", sort=False)["won"]
        )
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
    ranked = pd.Series(np.nan, index=table.index)
    for attribute in present:  # ranges (company sizes) read in their order, not by lift
        mine = table["attribute"].eq(attribute)
        positions = range_sort_key(table.loc[mine, "value"].tolist(), last={OTHER})
        if positions is not None:
            ranked[mine] = table.loc[mine, "value"].map(positions)
    table = table.assign(_order=table["attribute"].map(order), _other=table["value"].eq(OTHER), _range=ranked)
    table = table.sort_values(
        ["_order", "_other", "_range", "lift", "deals"], ascending=[True, True, True, False, False], kind="stable"
    )
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
            values = (
                frame[attribute].astype(object) if attribute in frame.columns else pd.Series(None, index=frame.index)
            )
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


def fit_naive_bayes(
    frame: pd.DataFrame,
    attributes: Sequence[str] = LIFT_ATTRIBUTES,
    alpha: float = ALPHA,
    min_sample: int = MIN_SAMPLE,
    clamp: tuple[float, float] = (CLAMP_LOW, CLAMP_HIGH),
) -> NaiveBayesModel:
    """Learn the score from ``frame``'s closed deals (columns status and the attributes, as
    :func:`deal_attributes` gives them)."""
    closed = closed_deals(frame)
    is_won = closed["status"].eq("won")
    won, lost = int(is_won.sum()), int((~is_won).sum())
    if not won or not lost:
        raise UnavailableError("qualification.unavailable.score_needs_won_and_lost", won=won, lost=lost)
    present = tuple(a for a in attributes if a in closed.columns and closed[a].notna().any())
    if not present:
        raise UnavailableError("qualification.unavailable.score_no_attribute", attributes=", ".join(attributes))
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


def win_score(
    data: SalesData, attributes: Sequence[str] = LIFT_ATTRIBUTES, until: date | None = None, **options: Any
) -> tuple[NaiveBayesModel, pd.DataFrame]:
    """The model learned on the deals closed up to ``until`` and every deal's contributions
    (deal_id, status, what identifies the deal to a person: account, owner, value, stage (see
    :func:`deal_context`), the attributes' values as ``<attribute>_value``, prior, one column per
    attribute, log_odds, probability)."""
    frame = deal_attributes(data)
    model = fit_naive_bayes(closed_deals(frame, until), attributes, **options)
    contributions = model.contributions(frame)
    shown = frame[["deal_id", "status", *list(model.attributes)]].add_suffix("_value")
    shown = shown.rename(columns={"deal_id_value": "deal_id", "status_value": "status"})
    context = deal_context(data).drop(columns="deal_id").set_axis(frame.index)
    return model, pd.concat([shown, context, contributions], axis=1)


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


def calibration(
    data: SalesData,
    cut: date | None = None,
    attributes: Sequence[str] = LIFT_ATTRIBUTES,
    bands: int = SCORE_BANDS,
    until: date | None = None,
    **options: Any,
) -> Calibration:
    """Train on the deals closed before ``cut``, score those closed from ``cut`` on (up to
    ``until``), and compare by band of equal width the mean predicted probability with the actual
    win rate (with its Wilson interval)."""
    frame = closed_deals(deal_attributes(data), until)
    frame = frame[frame["closed_at"].notna()]
    if frame.empty:
        raise UnavailableError("qualification.unavailable.calibration_no_closed")
    if cut is None:
        cut = frame["closed_at"].quantile(HOLDOUT_QUANTILE).normalize().date()
    stamp = pd.Timestamp(cut)
    train, test = frame[frame["closed_at"] < stamp], frame[frame["closed_at"] >= stamp]
    if train.empty or test.empty:
        raise UnavailableError("qualification.unavailable.calibration_one_side", cut=cut)
    model = fit_naive_bayes(train, attributes, **options)
    predicted = model.predict(test)
    actual = test["status"].eq("won").to_numpy()
    band = np.minimum((predicted * bands).astype(int), bands - 1)
    rows = []
    for b in range(bands):
        inside = band == b
        n, won = int(inside.sum()), int(actual[inside].sum())
        rows.append(
            {
                "band": b,
                "low": b / bands,
                "high": (b + 1) / bands,
                "deals": n,
                "won": won,
                "predicted": float(predicted[inside].mean()) if n else np.nan,
                "actual": won / n if n else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    table["ci_low"], table["ci_high"] = wilson_interval(table["won"], table["deals"])
    base = model.won / (model.won + model.lost)
    brier = float(np.mean((predicted - actual) ** 2))
    base_brier = float(np.mean((base - actual) ** 2))
    return Calibration(cut, len(train), len(test), table, brier, base_brier)


def open_deal_extremes(scores: pd.DataFrame, n: int = OPEN_DEALS_SHOWN) -> pd.DataFrame:
    """The open deals of :func:`win_score`'s scores with the highest and lowest probabilities
    (``n`` // 2 of each, highest first), with every column of ``scores``."""
    open_deals = scores[scores["status"] == "open"].sort_values("probability", ascending=False, kind="stable")
    if open_deals.empty:
        raise UnavailableError("qualification.unavailable.no_open_deal")
    half = max(n // 2, 1)
    return pd.concat([open_deals.head(half), open_deals.tail(half)]).drop_duplicates("deal_id")
