"""The KPI registry: every KPI of KPIS.md declared once, beside the function that computes it.

A KPI is declared with the :func:`kpi` decorator on its function (in the family modules
``activity``, ``pipeline``, ``stages``, ``leads``, ``outreach`` and ``business``); the per-stage
KPIs (``stage_conversion.<stage>``, ``time_in_stage_days.<stage>``) are declared once as
:class:`StageKpi` templates and expanded for a client's stages by :func:`kpi_definitions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from strategy_kit.config import ClientConfig

FAMILIES = ("activity", "pipeline", "conversion", "lead_generation", "outreach", "business")
UNITS = ("count", "currency", "rate", "days", "hours", "currency_per_day", "breakdown")
DIRECTIONS = ("higher", "lower")
# The rows a KPI counts; a breakdown groups these rows (see strategy_kit.kpis.dimensions).
ROWS = ("deals", "activities", "leads", "revenue", "stage_history")
# New and open deals are counted by their created_at: a calendar breakdown groups them by that date
# (every other dimension groups them as the deals); deals closed in P are grouped by closed_at.
CREATED_DEALS = "deals_created"


class Family(TypedDict):
    """The family of a module's KPIs and the rows they count, spread into :func:`kpi`: ``**PIPELINE``."""

    family: str
    rows: str


@dataclass(frozen=True)
class KPI:
    """One KPI: its id, labels, family, unit, which way is better, its KPIS.md definition, the
    tables (and columns) it needs, the rows a breakdown groups, and the function computing it."""

    id: str
    fr: str
    en: str
    family: str  # activity | pipeline | conversion | lead_generation | outreach | business
    unit: str  # count | currency | rate | days | hours | currency_per_day | breakdown
    direction: str  # higher | lower (which way is better)
    definition: str  # the KPIS.md definition, in English
    needs: tuple[str, ...]  # tables and columns ("deals.closed_at") it reads
    rows: str = "deals"  # deals | activities | leads | revenue | stage_history
    compute: Callable[..., Any] | None = field(default=None, repr=False, compare=False)
    stage: str | None = None  # the stage of a per-stage KPI
    breakdowns: tuple[str, ...] | None = None  # dimension levels it can be broken down by (None: all)
    null_note: str = "kpis.note.no_denominator"  # label saying why the value can be null

    def label(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


REGISTRY: dict[str, KPI] = {}


def kpi(
    id: str,
    *,
    fr: str,
    en: str,
    family: str,
    unit: str,
    direction: str,
    definition: str,
    needs: tuple[str, ...],
    rows: str = "deals",
    breakdowns: tuple[str, ...] | None = None,
    null_note: str = "kpis.note.no_denominator",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare the decorated function as the computation of KPI ``id`` (once)."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        if id in REGISTRY:
            raise ValueError(f"KPI '{id}' is declared twice")
        _check(id, family, unit, direction, rows)
        REGISTRY[id] = KPI(
            id,
            fr,
            en,
            family,
            unit,
            direction,
            definition,
            needs,
            rows,
            function,
            breakdowns=breakdowns,
            null_note=null_note,
        )
        return function

    return register


@dataclass(frozen=True)
class StageKpi:
    """A KPI computed for each of the client's stages: ``<prefix>.<stage id>``."""

    prefix: str
    fr: str  # with {stage}
    en: str  # with {stage}
    unit: str
    direction: str
    definition: str
    needs: tuple[str, ...]
    compute: Callable[..., Any] = field(repr=False, compare=False)

    def for_stage(self, stage_id: str, fr_stage: str, en_stage: str) -> KPI:
        return KPI(
            id=f"{self.prefix}.{stage_id}",
            fr=self.fr.format(stage=fr_stage),
            en=self.en.format(stage=en_stage),
            family="conversion",
            unit=self.unit,
            direction=self.direction,
            definition=self.definition.replace("<stage>", stage_id),
            needs=self.needs,
            rows="stage_history",
            compute=self.compute,
            stage=stage_id,
        )


STAGE_KPIS: dict[str, StageKpi] = {}


def stage_kpi(
    prefix: str, *, fr: str, en: str, unit: str, direction: str, definition: str, needs: tuple[str, ...]
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare the decorated function ``(scope, stage_id)`` as the per-stage KPI ``prefix``."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        if prefix in STAGE_KPIS:
            raise ValueError(f"stage KPI '{prefix}' is declared twice")
        _check(prefix, "conversion", unit, direction, "stage_history")
        STAGE_KPIS[prefix] = StageKpi(prefix, fr, en, unit, direction, definition, needs, function)
        return function

    return register


def _check(id: str, family: str, unit: str, direction: str, rows: str) -> None:
    for value, allowed, what in (
        (family, FAMILIES, "family"),
        (unit, UNITS, "unit"),
        (direction, DIRECTIONS, "direction"),
        (rows, ROWS, "rows"),
    ):
        if value not in allowed:
            raise ValueError(f"KPI '{id}': {what} '{value}' is not one of {', '.join(allowed)}")


def stage_kpi_stages(config: ClientConfig) -> list[str]:
    """The stages that get per-stage KPIs: every stage but the last one.

    The last stage is the won stage (every won deal passes every stage, docs/data-model.md): a deal
    that enters it is won and never leaves it, so its conversion would always be 1 and its time in
    stage never defined.
    """
    return config.stage_ids[:-1]


def kpi_definitions(config: ClientConfig) -> list[KPI]:
    """Every KPI for this client, by family: the registry plus the per-stage KPIs of its stages."""
    stage_kpis = [
        template.for_stage(stage.id, stage.fr, stage.en)
        for template in STAGE_KPIS.values()
        for stage in config.stages
        if stage.id in stage_kpi_stages(config)
    ]
    everything = [*REGISTRY.values(), *stage_kpis]
    return sorted(everything, key=lambda k: FAMILIES.index(k.family))  # stable: declaration order within a family
