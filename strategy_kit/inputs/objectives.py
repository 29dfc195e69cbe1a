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
from strategy_kit.errors import ConfigError
from strategy_kit.inputs import input_path, load_input, save_input
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
        return {"kpi": self.kpi, "target": self.target, "kind": self.kind, "start": self.start.isoformat(),
                "deadline": self.deadline.isoformat(), "owner": self.owner}


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
    def from_dict(cls, raw: Any, source: str = "objectives.yml", kpis: Iterable[str] | None = None,
                  owners: Iterable[str] | None = None) -> Objectives:
        """Validate ``raw`` (the YAML content); every problem is listed in one :class:`ConfigError`
        naming ``source`` and the entry. ``kpis``: the known KPI ids; ``owners``: the reps of the
        data (None: not checked)."""
        problems: list[str] = []
        if not isinstance(raw, Mapping):
            raise ConfigError(f"{source}: expected a mapping with year, revenue_growth or revenue, intermediate")
        year = _number(raw.get("year"), "year", problems, integer=True)
        if year is not None and not 1900 <= year <= 2200:
            problems.append(f"year: {year} is not a fiscal year (e.g. 2027)")
        before = len(problems)
        growth = _number(raw.get("revenue_growth"), "revenue_growth", problems, optional=True)
        revenue = _number(raw.get("revenue"), "revenue", problems, optional=True)
        if (growth is None) == (revenue is None) and len(problems) == before:
            problems.append("give either revenue_growth (e.g. 0.15 for +15 %) or revenue (an amount), not both")
        if growth is not None and growth <= -1:
            problems.append(f"revenue_growth: {growth} would make the revenue negative (use e.g. 0.15 for +15 %)")
        if revenue is not None and revenue < 0:
            problems.append(f"revenue: negative target {revenue}")
        share = _number(raw.get("new_business_share"), "new_business_share", problems, optional=True)
        if share is not None and not 0 <= share <= 1:
            problems.append(f"new_business_share: {share} is not a share between 0 and 1 (e.g. 0.3)")
        known = set(kpis) if kpis is not None else None
        reps = set(owners) if owners is not None else None
        items: list[Intermediate] = []
        entries = raw.get("intermediate") or []
        if not isinstance(entries, list):
            problems.append("intermediate: expected a list of {kpi, target, kind, start, deadline, owner}")
            entries = []
        for index, entry in enumerate(entries, start=1):
            item = _intermediate(entry, f"intermediate #{index}", problems, known, reps)
            if item is not None:
                items.append(item)
        if problems:
            raise ConfigError(f"{source}: " + "; ".join(problems) + ". Fix the file or save the form again.")
        return cls(int(year), growth, revenue, share, tuple(items), source)


def _number(value: Any, name: str, problems: list[str], optional: bool = False,
            integer: bool = False) -> float | None:
    if value is None or value == "":
        if not optional:
            problems.append(f"{name}: missing")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and math.isnan(value)):
        problems.append(f"{name}: '{value}' is not a number")
        return None
    if integer:
        if float(value) != int(value):
            problems.append(f"{name}: '{value}' is not a whole number")
            return None
        return int(value)
    return float(value)


def _day(value: Any, name: str, problems: list[str]) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{name}: '{value}' is not a date (YYYY-MM-DD)")
        return None


def _intermediate(entry: Any, where: str, problems: list[str], known: set[str] | None,
                  reps: set[str] | None) -> Intermediate | None:
    if not isinstance(entry, Mapping):
        problems.append(f"{where}: expected a mapping with kpi, target, kind, start, deadline, owner")
        return None
    before = len(problems)
    kpi = str(entry.get("kpi") or "")
    where = f"{where} ({kpi or 'no kpi'})"
    if not kpi:
        problems.append(f"{where}: kpi missing")
    elif known is not None and kpi not in known:
        problems.append(f"{where}: unknown KPI id '{kpi}' (see docs/kpis.md for the ids)")
    kind = str(entry.get("kind") or "absolute")
    if kind not in KINDS:
        problems.append(f"{where}: kind '{kind}' is not one of {', '.join(KINDS)}")
    target = _number(entry.get("target"), f"{where}: target", problems)
    if target is not None:
        if kind == "absolute" and target < 0:
            problems.append(f"{where}: negative target {target}")
        if kind == "relative" and target <= -1:
            problems.append(f"{where}: relative target {target} would bring the KPI below zero (0.3 means +30 %)")
    start = _day(entry.get("start"), f"{where}: start", problems)
    deadline = _day(entry.get("deadline"), f"{where}: deadline", problems)
    if start is not None and deadline is not None and deadline <= start:
        problems.append(f"{where}: deadline {deadline.isoformat()} is not after start {start.isoformat()}")
    owner = str(entry.get("owner") or TEAM)
    if owner != TEAM and reps is not None and owner not in reps:
        problems.append(f"{where}: owner '{owner}' is not a rep in the data (use '{TEAM}' or one of: "
                        f"{', '.join(sorted(reps)[:12])})")
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


def validate_objectives(raw: Any, data: SalesData, engine: KpiEngine | None = None,
                        source: str = "objectives.yml") -> Objectives:
    """:meth:`Objectives.from_dict` against this client's KPI registry and reps."""
    kpis = engine.definitions if engine is not None else {k.id: k for k in _definitions(data)}
    return Objectives.from_dict(raw, source, kpis=kpis, owners=data_owners(data))


def _definitions(data: SalesData) -> list[Any]:
    from strategy_kit.kpis import kpi_definitions

    return kpi_definitions(data.config)



def load_objectives(inputs_dir: Path, engine: KpiEngine) -> Objectives | None:
    """The saved objectives, validated against the client's KPIs and reps (None: never saved).
    A bad file raises :class:`ConfigError` naming the file and the entry."""
    raw = load_input(Path(inputs_dir), INPUT_NAME)
    if raw is None:
        return None
    return Objectives.from_dict(raw, str(input_path(Path(inputs_dir), INPUT_NAME)),
                                kpis=engine.definitions, owners=data_owners(engine.data))


def save_objectives(inputs_dir: Path, objectives: Objectives) -> Path:
    """Write ``objectives`` to inputs/objectives.yml (atomic; the previous version moves to inputs/history/)."""
    return save_input(Path(inputs_dir), INPUT_NAME, objectives.to_dict())
