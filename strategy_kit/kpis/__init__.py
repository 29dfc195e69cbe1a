"""KPIs: every indicator of KPIS.md, declared once in a registry, computed for a period with breakdowns.

::

    from strategy_kit.kpis import KpiEngine
    engine = KpiEngine(data)                      # prepares what every period shares, lazily
    result = engine.compute(period, by=["owner"])  # KpiResult: values, excluded, unavailable, breakdown
    result.table()                                 # tidy DataFrame
    result.to_json("acme")                         # the KPIS.md machine-readable shape
    engine.series(periods, by=["owner"])           # tidy DataFrame over many periods

Definitions and the choices made where KPIS.md is silent: docs/kpis.md.
"""

from __future__ import annotations

# The family modules declare their KPIs in the registry when imported.
from strategy_kit.kpis import activity, business, leads, outreach, pipeline, stages  # noqa: F401
from strategy_kit.kpis.dimensions import DIMENSIONS, MISSING_GROUP, Dimension
from strategy_kit.kpis.engine import KpiEngine, KpiError, KpiResult, compute_kpis
from strategy_kit.kpis.reasons import Unavailable
from strategy_kit.kpis.registry import FAMILIES, KPI, REGISTRY, STAGE_KPIS, kpi_definitions

__all__ = [
    "DIMENSIONS",
    "FAMILIES",
    "KPI",
    "MISSING_GROUP",
    "REGISTRY",
    "STAGE_KPIS",
    "Dimension",
    "KpiEngine",
    "KpiError",
    "KpiResult",
    "Unavailable",
    "compute_kpis",
    "kpi_definitions",
]
