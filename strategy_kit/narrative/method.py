"""How the report's figures are computed, for the appendix "Données et méthode" (Data and method).

The body of the report speaks a sales director's words ("9 sur 10", "fourchette probable",
"exige mieux que 90 % de ses mois"); this module says, topic by topic, what lies behind them: the
percentiles of the time in stage, the Wilson intervals behind the likely ranges, the naive Bayes
win score and its check, the RFM scores and the realism rule of the reps' targets. Each paragraph
names the section that uses the figure. The words are the messages ``method.*`` of :mod:`strategy_kit.i18n`; the
numbers (thresholds, smoothing, bounds) come from the analyses' own constants, so the appendix
says what the code does.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

from strategy_kit.analytics.journey_results import MIN_CHANGE_SHARE, MIN_DEALS
from strategy_kit.analytics.outreach import ALPHA as CALL_ALPHA
from strategy_kit.analytics.outreach import DEFAULT_DIFFERENCE, GIVE_UP_SHARE, MIN_CALLS, POWER
from strategy_kit.analytics.qualification import REVIEW_HIGH_LIFT, REVIEW_LOW_LIFT
from strategy_kit.analytics.qualification_score import (
    ALPHA,
    CLAMP_HIGH,
    CLAMP_LOW,
    HOLDOUT_QUANTILE,
    MIN_SAMPLE,
    SCORE_BANDS,
)
from strategy_kit.analytics.rep_targets import REALISM_PERCENTILE
from strategy_kit.i18n import check_language, format_integer, format_number, format_percent, label

# Each topic of the appendix and its paragraphs, in the order they are read: the message
# ``method.<topic>.heading`` and ``method.<topic>.<paragraph>``.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("time_in_stage", ("spread", "trend")),
    ("likely_range", ("wilson", "review", "prudent")),
    ("win_score", ("model", "smoothing")),
    ("score_check", ("holdout", "brier")),
    ("rfm", ("quintiles",)),
    ("realism", ("demanded", "rule")),
    ("calls", ("hours", "slots", "experiment", "attempts")),
)

# The section titles and column headers the paragraphs name, as the body writes them.
SECTIONS: dict[str, str] = {
    "time_section": "journey.time.title",
    "fit_section": "qualification.fit.title",
    "lift_section": "qualification.lift.title",
    "calibration_section": "qualification.calibration.title",
    "score_section": "qualification.score.title",
    "open_section": "qualification.open.title",
    "target_section": "segmentation.attractiveness.title",
    "performance_section": "segmentation.performance.title",
    "rfm_section": "segmentation.rfm.title",
    "reps_section": "objectives.reps.title",
    "demanded_column": "scorecard.column.percentile",
    "hardest_column": "rep_targets.column.percentile",
    "calls_section": "outreach.title",
}


def method_fields(language: str) -> dict[str, Any]:
    """The values the paragraphs quote, written for ``language``."""
    fields: dict[str, Any] = {name: label(key, language) for name, key in SECTIONS.items()}
    fields.update(
        share=format_percent(MIN_CHANGE_SHARE, language, 0),
        min_deals=format_integer(MIN_DEALS, language),
        min_sample=format_integer(MIN_SAMPLE, language),
        high_lift=format_number(REVIEW_HIGH_LIFT, language, 1),
        low_lift=format_number(REVIEW_LOW_LIFT, language, 1),
        alpha=format_number(ALPHA, language, 0),
        low=format_percent(CLAMP_LOW, language, 0),
        high=format_percent(CLAMP_HIGH, language, 0),
        holdout=format_percent(HOLDOUT_QUANTILE, language, 0),
        bands=format_integer(SCORE_BANDS, language),
        percentile=format_number(REALISM_PERCENTILE, language),
        min_calls=format_integer(MIN_CALLS, language),
        call_points=format_integer(round(DEFAULT_DIFFERENCE * 100), language),
        call_alpha=format_percent(CALL_ALPHA, language, 0),
        call_power=format_percent(POWER, language, 0),
        give_up_share=format_percent(GIVE_UP_SHARE, language, 0),
        call_z_alpha=format_number(NormalDist().inv_cdf(1 - CALL_ALPHA / 2), language, 2),
        call_z_power=format_number(NormalDist().inv_cdf(POWER), language, 2),
    )
    return fields


def method_sections(language: str) -> list[tuple[str, list[str]]]:
    """The appendix's method topics in ``language``: (heading, paragraphs) for each, in order."""
    check_language(language)
    fields = method_fields(language)
    sections = []
    for topic, paragraphs in TOPICS:
        sections.append(
            (
                label(f"method.{topic}.heading", language),
                [label(f"method.{topic}.{paragraph}", language, **fields) for paragraph in paragraphs],
            )
        )
    return sections
