"""The addressable market per segment the strategist saves (inputs/market.yml): loaded, checked
and saved here, entered in the market form of notebook 04 (strategy_kit.widgets.market)."""
from __future__ import annotations

from pathlib import Path

from strategy_kit.inputs import load_input, save_input
from strategy_kit.segmentation import Market

INPUT_NAME = "market"


def load_market(inputs_dir: Path) -> Market | None:
    """The saved market input (validated), or None when the strategist never saved one."""
    raw = load_input(Path(inputs_dir), INPUT_NAME)
    if raw is None:
        return None
    return Market.from_dict(raw, source=str(Path(inputs_dir) / f"{INPUT_NAME}.yml"))


def save_market(inputs_dir: Path, market: Market) -> Path:
    """Write ``market`` to inputs/market.yml (atomic; the previous version moves to inputs/history/)."""
    return save_input(Path(inputs_dir), INPUT_NAME, market.to_dict())
