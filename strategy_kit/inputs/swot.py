"""The SWOT the strategist saves (inputs/swot.yml): loaded, checked and saved here, edited in the
SWOT form of notebook 03 (strategy_kit.widgets.swot)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from strategy_kit.inputs import input_path, load_input, save_input
from strategy_kit.swot import Candidate, Swot

SWOT_INPUT = "swot"


def load_swot(inputs_dir: Path) -> Swot | None:
    """The saved SWOT (inputs/swot.yml), or None when none was saved."""
    value = load_input(inputs_dir, SWOT_INPUT)
    if value is None:
        return None
    return Swot.from_input(value, where=str(input_path(inputs_dir, SWOT_INPUT)))


def save_swot(inputs_dir: Path, swot: Swot, now: datetime | None = None) -> Path:
    """Write inputs/swot.yml atomically; the previous version moves to inputs/history/."""
    return save_input(inputs_dir, SWOT_INPUT, swot.to_input(), now=now)


def shown_swot(saved: Swot | None, candidates: Sequence[Candidate], period: str | None = None) -> Swot:
    """What the report shows: the saved SWOT, else the drafted candidates marked as a draft."""
    return saved if saved is not None else Swot.from_candidates(candidates, period)
