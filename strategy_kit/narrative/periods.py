"""A reporting period as a reader says it: ``T3 2026``, ``septembre 2026``, ``exercice 2026``."""
from __future__ import annotations

import re

from strategy_kit.i18n import format_long_month, label
from strategy_kit.periods import Period


def period_name(period: Period, language: str) -> str:
    """The period in ``language``: a quarter ``T3 2026`` / ``Q3 2026`` (the client's fiscal quarter,
    as its label says), a month ``septembre 2026``, a year ``2026`` (``exercice 2026`` when the
    fiscal year does not start in January); a week or a range keeps its label."""
    if period.kind == "quarter" and (found := re.fullmatch(r"(\d{4})-Q([1-4])", period.label)):
        return label("period.quarter", language, year=found[1], quarter=found[2])
    if period.kind == "month":
        return format_long_month(period.start, language)
    if period.kind == "year" and re.fullmatch(r"\d{4}", period.label):
        return period.label if period.start.month == 1 else label("period.fiscal_year", language, year=period.label)
    return period.label
