"""The objectives the strategist saves (inputs/objectives.yml): loaded and checked against the
client's KPIs and reps, and saved, here; entered in the form of notebook 06
(strategy_kit.widgets.objectives). The CLI and the scorecards read them without any widget."""
from __future__ import annotations

from pathlib import Path

from strategy_kit.inputs import input_path, load_input, save_input
from strategy_kit.kpis import KpiEngine
from strategy_kit.objectives import INPUT_NAME, Objectives, data_owners


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
