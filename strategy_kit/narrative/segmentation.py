"""The segmentation as a reader sees it, in a language: the segments to target and why, the tables
of performance, market and ranking, the RFM and churn sentences of notebook 04.

The numbers are :mod:`strategy_kit.analytics.segmentation`'s; the words are the messages
``segmentation.*`` of :mod:`strategy_kit.i18n`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from strategy_kit.analytics.segmentation import ChurnReasons, at_risk, ranking
from strategy_kit.analytics.segmentation_pool import FEW_GROUP, MIN_RATE_DEALS, pool_few
from strategy_kit.i18n import format_currency, format_date, format_percent, label
from strategy_kit.kpis import MISSING_GROUP
from strategy_kit.kpis.dimensions import SEGMENT_SEPARATOR
from strategy_kit.narrative import Finding, Table

SHOWN_SEGMENTS = 20  # segments the performance and market tables show (the largest by revenue)
RANKED_SEGMENTS = 10  # segments the ranking shows


def _headers(names: Sequence[str], prefix: str = "segmentation.column") -> dict[str, str]:
    return {name: f"{prefix}.{name}" for name in names}


PERFORMANCE_COLUMNS = _headers(
    ["segment", "deals", "win_rate", "interval", "avg_deal_size", "cycle_days", "revenue", "revenue_share"]
)
MARKET_COLUMNS = _headers(
    ["segment", "growth", "ltv", "customers", "addressable", "penetration", "saturated", "similarity"]
)
RANKING_COLUMNS = _headers(
    ["rank", "segment", "deals", "win_rate", "interval", "avg_deal_size", "score", "revenue_share"]
)
RFM_COLUMNS = _headers(
    ["segment", "customers", "share", "revenue", "revenue_share", "recency_days"], "segmentation.rfm.column"
)
CHURN_COLUMNS = _headers(["reason", "accounts", "share"], "segmentation.churn.column")
COLUMN_KINDS = {
    "deals": "integer",
    "win_rate": "percent",
    "avg_deal_size": "currency",
    "cycle_days": "integer",
    "revenue": "currency",
    "revenue_share": "percent",
    "growth": "percent",
    "ltv": "currency",
    "customers": "integer",
    "addressable": "number",
    "penetration": "percent",
    "saturated": "text",
    "similarity": "percent",
    "rank": "integer",
    "score": "currency",
    "share": "percent",
    "recency_days": "integer",
    "accounts": "integer",
}


def _percent(value: float | None, language: str) -> str:
    return format_percent(value, language, 0)


def _known(value: object) -> bool:
    return value is not None and not pd.isna(value)


def keys_text(keys: Sequence[str], language: str) -> str:
    """``secteur × taille d'entreprise``."""
    return label("segmentation.key.separator", language).join(label(f"segmentation.key.{k}", language) for k in keys)


# --------------------------------------------------------------------------- findings


def attractiveness_findings(chosen: pd.DataFrame, language: str, currency: str = "EUR") -> list[Finding]:
    """Per chosen segment (:func:`~strategy_kit.analytics.segmentation.attractive_segments`), why
    it is chosen with its numbers, then its growth, penetration and resemblance when known; the
    findings of one segment share its name as ``subject``, so that they read as one paragraph."""
    findings = []
    for row in chosen.itertuples():
        subject = str(row.segment)
        fields = {
            "rank": row.rank,
            "segment": segment_name(str(row.segment), language),
            "win_rate": _percent(row.win_rate, language),
            "ci_low": _percent(row.ci_low, language),
            "ci_high": _percent(row.ci_high, language),
            "deal_size": format_currency(row.avg_deal_size, language, currency),
            "overall_win_rate": _percent(row.overall_win_rate, language),
            "overall_deal_size": format_currency(row.overall_deal_size, language, currency),
            "deals": int(row.deals),
        }
        findings.append(
            Finding(
                f"segmentation.reason.{row.reason}", fields, language, subject=subject, evidence={"score": row.score}
            )
        )
        if _known(row.growth):
            growth = float(row.growth)
            written = _percent(abs(growth), language)
            direction = "flat" if written == _percent(0.0, language) else "up" if growth > 0 else "down"
            findings.append(
                Finding(
                    f"segmentation.reason.growth_{direction}",
                    {"growth": written},
                    language,
                    subject=subject,
                    evidence={"growth": growth},
                )
            )
        if _known(row.penetration):
            findings.append(
                Finding(
                    "segmentation.reason.penetration",
                    {"penetration": _percent(row.penetration, language)},
                    language,
                    subject=subject,
                )
            )
        if _known(row.similarity):
            findings.append(
                Finding(
                    "segmentation.reason.similarity",
                    {"similarity": _percent(row.similarity, language)},
                    language,
                    subject=subject,
                )
            )
    return findings


def paragraphs(findings: Sequence[Finding]) -> list[str]:
    """The texts of ``findings``, those of one subject after another joined in one paragraph."""
    texts: list[str] = []
    subjects: list[str] = []
    for finding in findings:
        if subjects and finding.subject and finding.subject == subjects[-1]:
            texts[-1] += " " + finding.text
        else:
            texts.append(finding.text)
            subjects.append(finding.subject)
    return texts


def more_finding(hidden: int, language: str) -> Finding:
    """How many smaller segments the tables leave out."""
    return Finding("segmentation.more", {"count": hidden}, language)


def rfm_findings(summary: pd.DataFrame, language: str) -> list[Finding]:
    """The customers at risk or lost and their share of the cumulative revenue."""
    customers, share = at_risk(summary)
    return [
        Finding(
            "segmentation.rfm.at_risk_sentence",
            {"count": customers, "share": format_percent(share, language)},
            language,
            evidence={"customers": customers, "revenue_share": share},
        )
    ]


def churn_findings(churn: ChurnReasons, language: str) -> list[Finding]:
    """The share of the churn with a known reason that trust or customer service explains."""
    known = int(churn.table["accounts"].sum())
    trust = int(churn.table.loc[churn.table["trust"], "accounts"].sum())
    return [
        Finding(
            "segmentation.churn.trust",
            {"share": format_percent(churn.trust_share, language), "count": trust, "total": known},
            language,
        )
    ]


def churn_note(churn: ChurnReasons, end: date, language: str) -> Finding:
    """How many accounts were lost up to ``end`` and how many of them without a reason (a clause
    left out when every one has a reason: no "dont 0 sans cause renseignée")."""
    return Finding(
        "segmentation.churn.note" if churn.without_reason else "segmentation.churn.note_all",
        {"end": format_date(end, language), "churned": churn.churned, "without": churn.without_reason},
        language,
    )


# --------------------------------------------------------------------------- tables


def segment_name(segment: str, language: str) -> str:
    """A segment as the report writes it: ``(none)`` and the pooled small segments named, the
    keys joined by :data:`~strategy_kit.kpis.dimensions.SEGMENT_SEPARATOR` (the one separator of
    every segment in the report: tables, sentences, charts), never broken across lines."""
    if segment == MISSING_GROUP:
        return label("segmentation.none_group", language)
    if segment == FEW_GROUP:
        return label("segmentation.few_group", language, min=MIN_RATE_DEALS)
    return segment.replace(SEGMENT_SEPARATOR, SEGMENT_SEPARATOR.replace(" ", "\u00a0"))


def _shown_segments(table: pd.DataFrame, language: str) -> pd.DataFrame:
    """The segments as the report writes them (:func:`segment_name`), small ones marked ``*``,
    the interval as text."""
    shown = table.copy()
    shown["segment"] = [
        segment_name(segment, language) + ("\u00a0*" if small and segment != FEW_GROUP else "")
        for segment, small in zip(shown["segment"], shown["small"])
    ]
    shown["interval"] = [
        "" if pd.isna(low) else f"{_percent(low, language)}\u2013\u2060{_percent(high, language)}"
        for low, high in zip(shown["ci_low"], shown["ci_high"])
    ]
    if "addressable" in shown:
        shown["addressable"] = [None if a is None or pd.isna(a) else float(a) for a in shown["addressable"]]
    return shown


def _largest(table: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` largest segments by revenue with enough closed deals, then one row pooling
    those with fewer (:func:`~strategy_kit.analytics.segmentation_pool.pool_few`): a rate over 2 to 5
    deals is never shown."""
    pooled = pool_few(table)
    few = pooled["segment"] == FEW_GROUP
    return pd.concat([pooled[~few].head(limit), pooled[few]])


def hidden_segments(table: pd.DataFrame, limit: int = SHOWN_SEGMENTS) -> int:
    """How many segments the performance and market tables leave out (the pooled ones are shown,
    added up)."""
    pooled = pool_few(table)
    return max(len(pooled) - int((pooled["segment"] == FEW_GROUP).sum()) - limit, 0)


def performance_table(table: pd.DataFrame, language: str, limit: int = SHOWN_SEGMENTS) -> Table:
    """The ``limit`` largest segments by revenue: deals, win rate, deal size, cycle, revenue."""
    return Table(_shown_segments(_largest(table, limit), language), PERFORMANCE_COLUMNS, COLUMN_KINDS)


def market_table(table: pd.DataFrame, language: str, limit: int = SHOWN_SEGMENTS) -> Table:
    """The ``limit`` largest segments by revenue: growth, LTV, penetration, resemblance."""
    # The addressable market counts accounts (whole) or is revenue (an amount), as the market input says.
    addressable = "currency" if table.attrs.get("unit") == "revenue" else "integer"
    return Table(
        _shown_segments(_largest(table, limit), language), MARKET_COLUMNS, {**COLUMN_KINDS, "addressable": addressable}
    )


def market_below_reached(table: pd.DataFrame, language: str, currency: str = "EUR") -> list[Finding]:
    """The segments where more is reached than the addressable market entered (customers, or the
    twelve months' revenue): how many, the largest by revenue as an example, and what to correct."""
    below = {
        segment: (reached, addressable) for segment, reached, addressable in table.attrs.get("market_below_reached", [])
    }
    if not below:
        return []
    example = next(segment for segment in table["segment"] if segment in below)  # the table's order: by revenue
    reached, addressable = below[example]
    unit = "revenue" if table.attrs.get("unit") == "revenue" else "accounts"
    fields = {"count": len(below), "segment": segment_name(example, language), "reached": reached}
    fields |= {"addressable": addressable, "currency": currency}
    return [Finding(f"segmentation.market.below_reached.{unit}", fields, language, evidence={"segments": below})]


def ranking_table(table: pd.DataFrame, language: str, limit: int = RANKED_SEGMENTS) -> Table:
    """The ``limit`` best-ranked segments with their cautious value."""
    return Table(_shown_segments(ranking(table, limit), language), RANKING_COLUMNS, COLUMN_KINDS)


def rfm_table(summary: pd.DataFrame) -> Table:
    """The RFM segments (their names translated) with customers, revenue and recency."""
    return Table(summary, RFM_COLUMNS, COLUMN_KINDS, {"segment": "segmentation.rfm"})


def churn_table(churn: ChurnReasons) -> Table:
    return Table(churn.table, CHURN_COLUMNS, COLUMN_KINDS)
