"""The objectives the strategist saves (inputs/objectives.yml): loaded and checked against the
client's KPIs and reps, and saved, here; entered in the form of notebook 06
(strategy_kit.widgets.objectives). The CLI and the scorecards read them without any widget."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from strategy_kit.data import SalesData
from strategy_kit.inputs import input_path, load_input, save_input
from strategy_kit.inputs.errors import InputError, InputProblem, fail, problem
from strategy_kit.kpis import KpiEngine

INPUT_NAME = "objectives"
KINDS = ("absolute", "relative")
TEAM = "team"


@dataclass(frozen=True)
class Intermediate:
    """One improvement objective: a registry KPI, a target, a start, a deadline and an owner."""

    kpi: str
    target: float
    kind: str = "absolute"  # absolute: the level to reach; relative: the change on the starting level
    start: date = date(2000, 1, 1)
    deadline: date = date(2000, 12, 31)
    owner: str = TEAM  # "team" or a rep (the deals' and activities' owner)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kpi": self.kpi,
            "target": self.target,
            "kind": self.kind,
            "start": self.start.isoformat(),
            "deadline": self.deadline.isoformat(),
            "owner": self.owner,
        }


@dataclass(frozen=True)
class Objectives:
    """The strategist's objectives (inputs/objectives.yml)."""

    year: int
    revenue_growth: float | None = None
    revenue: float | None = None
    new_business_share: float | None = None
    intermediate: tuple[Intermediate, ...] = ()
    source: str = field(default="objectives.yml", compare=False)

    def to_dict(self) -> dict[str, Any]:
        raw: dict[str, Any] = {"year": self.year}
        if self.revenue is not None:
            raw["revenue"] = self.revenue
        else:
            raw["revenue_growth"] = self.revenue_growth
        if self.new_business_share is not None:
            raw["new_business_share"] = self.new_business_share
        raw["intermediate"] = [item.to_dict() for item in self.intermediate]
        return raw

    @classmethod
    def from_dict(
        cls,
        raw: Any,
        source: str = "objectives.yml",
        kpis: Iterable[str] | None = None,
        owners: Iterable[str] | None = None,
        units: Mapping[str, str] | None = None,
    ) -> Objectives:
        """Validate ``raw`` (the YAML content); every problem is listed in one :class:`InputError`
        naming ``source`` and the entry. ``kpis``: the known KPI ids; ``owners``: the reps of the
        data (None: not checked); ``units``: KPI id -> unit (a ``rate`` target is a share)."""
        problems: list[InputProblem] = []
        if not isinstance(raw, Mapping):
            raise fail(source, "inputs.objectives.not_mapping")
        year = _number(raw.get("year"), ("year",), "year", problems, integer=True)
        if year is not None and not 1900 <= year <= 2200:
            problems.append(problem("inputs.objectives.year", ("year",), "year", value=year))
        before = len(problems)
        growth = _number(raw.get("revenue_growth"), ("revenue_growth",), "revenue_growth", problems, optional=True)
        revenue = _number(raw.get("revenue"), ("revenue",), "revenue", problems, optional=True)
        if (growth is None) == (revenue is None) and len(problems) == before:
            problems.append(problem("inputs.objectives.growth_or_revenue", ("revenue_growth",)))
        if growth is not None and growth <= -1:
            problems.append(
                problem(
                    "inputs.objectives.growth_negative", ("revenue_growth",), "revenue_growth", FRACTION, value=growth
                )
            )
        if revenue is not None and revenue < 0:
            problems.append(
                problem("inputs.objectives.negative_target", ("revenue",), "revenue", AMOUNT, value=revenue)
            )
        share = _number(
            raw.get("new_business_share"), ("new_business_share",), "new_business_share", problems, optional=True
        )
        if share is not None and not 0 <= share <= 1:
            problems.append(
                problem(
                    "inputs.objectives.share",
                    ("new_business_share",),
                    "new_business_share",
                    {"value": "fraction", "maximum": "fraction"},
                    value=share,
                    maximum=1,
                )
            )
        known = set(kpis) if kpis is not None else None
        reps = set(owners) if owners is not None else None
        items: list[Intermediate] = []
        entries = raw.get("intermediate") or []
        if not isinstance(entries, list):
            problems.append(problem("inputs.objectives.not_list", ("intermediate",), "intermediate"))
            entries = []
        for index, entry in enumerate(entries, start=1):
            item = _intermediate(entry, index, problems, known, reps, units or {})
            if item is not None:
                items.append(item)
        if problems:
            raise InputError(source, problems)
        return cls(int(year), growth, revenue, share, tuple(items), source)  # type: ignore[arg-type]


FRACTION = {"value": "fraction"}
AMOUNT = {"value": "amount"}


def target_kind(kind: str, unit: str | None) -> str:
    """How an intermediate target is written: a relative change or a rate is a share (a percentage in the form)."""
    return "fraction" if kind == "relative" or unit == "rate" else "number"


def _number(
    value: Any,
    path: tuple[Any, ...],
    where: str,
    problems: list[InputProblem],
    optional: bool = False,
    integer: bool = False,
) -> float | None:
    if value is None or value == "":
        if not optional:
            problems.append(problem("inputs.objectives.missing", path, where))
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or (isinstance(value, float) and math.isnan(value))
    ):
        problems.append(problem("inputs.objectives.not_number", path, where, value=value))
        return None
    if integer:
        if float(value) != int(value):
            problems.append(problem("inputs.objectives.not_whole", path, where, value=value))
            return None
        return int(value)
    return float(value)


def _day(value: Any, path: tuple[Any, ...], where: str, problems: list[InputProblem]) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(problem("inputs.objectives.not_date", path, where, value=value))
        return None


def _intermediate(
    entry: Any,
    index: int,
    problems: list[InputProblem],
    known: set[str] | None,
    reps: set[str] | None,
    units: Mapping[str, str],
) -> Intermediate | None:
    path = ("intermediate", index)
    if not isinstance(entry, Mapping):
        problems.append(problem("inputs.objectives.item_mapping", path, f"intermediate #{index}"))
        return None
    before = len(problems)
    kpi = str(entry.get("kpi") or "")
    where = f"intermediate #{index} ({kpi or 'no kpi'})"
    if not kpi:
        problems.append(problem("inputs.objectives.kpi_missing", (*path, "kpi"), where))
    elif known is not None and kpi not in known:
        problems.append(problem("inputs.objectives.kpi_unknown", (*path, "kpi"), where, kpi=kpi))
    kind = str(entry.get("kind") or "absolute")
    if kind not in KINDS:
        problems.append(problem("inputs.objectives.kind", (*path, "kind"), where, value=kind, known=", ".join(KINDS)))
    target = _number(entry.get("target"), (*path, "target"), f"{where}: target", problems)
    written = {"value": target_kind(kind, units.get(kpi))}
    if target is not None:
        if kind == "absolute" and target < 0:
            problems.append(
                problem("inputs.objectives.negative_target", (*path, "target"), where, written, value=target)
            )
        if kind == "relative" and target <= -1:
            problems.append(
                problem("inputs.objectives.relative_below", (*path, "target"), where, written, value=target)
            )
    start = _day(entry.get("start"), (*path, "start"), f"{where}: start", problems)
    deadline = _day(entry.get("deadline"), (*path, "deadline"), f"{where}: deadline", problems)
    if start is not None and deadline is not None and deadline <= start:
        problems.append(
            problem(
                "inputs.objectives.deadline",
                (*path, "deadline"),
                where,
                {"start": "date", "deadline": "date"},
                deadline=deadline,
                start=start,
            )
        )
    owner = str(entry.get("owner") or TEAM)
    if owner != TEAM and reps is not None and owner not in reps:
        problems.append(
            problem(
                "inputs.objectives.owner",
                (*path, "owner"),
                where,
                owner=owner,
                team=TEAM,
                reps=", ".join(sorted(reps)[:12]),
            )
        )
    if len(problems) > before:
        return None
    return Intermediate(kpi, float(target), kind, start, deadline, owner)  # type: ignore[arg-type]


def data_owners(data: SalesData) -> set[str]:
    """The reps the data know: owners of deals, activities and leads, and the reps table."""
    owners: set[str] = set()
    for table, column in (("deals", "owner"), ("activities", "owner"), ("leads", "owner"), ("reps", "owner")):
        if data.has(table) and column in data.tables[table].columns:
            owners |= {str(v) for v in data.tables[table][column].dropna().unique()}
    return owners


def validate_objectives(
    raw: Any, data: SalesData, engine: KpiEngine | None = None, source: str = "objectives.yml"
) -> Objectives:
    """:meth:`Objectives.from_dict` against this client's KPI registry and reps."""
    kpis = engine.definitions if engine is not None else {k.id: k for k in _definitions(data)}
    units = {kpi_id: getattr(kpi, "unit", "") for kpi_id, kpi in kpis.items()}
    return Objectives.from_dict(raw, source, kpis=kpis, owners=data_owners(data), units=units)


def _definitions(data: SalesData) -> list[Any]:
    from strategy_kit.kpis import kpi_definitions

    return kpi_definitions(data.config)


def load_objectives(inputs_dir: Path, engine: KpiEngine) -> Objectives | None:
    """The saved objectives, validated against the client's KPIs and reps (None: never saved).
    A bad file raises :class:`InputError` (a ConfigError) naming the file and the entry."""
    raw = load_input(Path(inputs_dir), INPUT_NAME)
    if raw is None:
        return None
    return Objectives.from_dict(
        raw,
        str(input_path(Path(inputs_dir), INPUT_NAME)),
        kpis=engine.definitions,
        owners=data_owners(engine.data),
        units={kpi_id: kpi.unit for kpi_id, kpi in engine.definitions.items()},
    )


def save_objectives(inputs_dir: Path, objectives: Objectives) -> Path:
    """Write ``objectives`` to inputs/objectives.yml (atomic; the previous version moves to inputs/history/)."""
    return save_input(Path(inputs_dir), INPUT_NAME, objectives.to_dict())
