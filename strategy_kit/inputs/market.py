"""The addressable market per segment the strategist saves (inputs/market.yml): loaded, checked
and saved here, entered in the market form of notebook 04 (strategy_kit.widgets.market)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from strategy_kit.errors import ConfigError
from strategy_kit.inputs import load_input, save_input

INPUT_NAME = "market"
DEFAULT_KEYS = ("sector", "size_band")
SEGMENT_KEYS = ("sector", "size_band", "region", "country")  # account attributes a segment may use
MIN_DEALS = 20
SATURATION_THRESHOLD = 0.30
MARKET_UNITS = ("accounts", "revenue")
TRUST_KEYWORDS = ("confiance", "service client", "trust", "customer service", "support", "satisf")


@dataclass(frozen=True)
class Market:
    """What the strategist enters in inputs/market.yml (docs/inputs.md, section "market")."""

    keys: tuple[str, ...] = DEFAULT_KEYS
    unit: str = "accounts"  # accounts | revenue
    saturation_threshold: float = SATURATION_THRESHOLD
    min_deals: int = MIN_DEALS
    addressable: dict[str, float] = field(default_factory=dict)  # segment label -> accounts or revenue
    trust_reasons: tuple[str, ...] = TRUST_KEYWORDS

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None, source: str = "market.yml") -> Market:
        """Validate the saved input; every problem says where and how to fix it."""
        raw = dict(raw or {})
        unknown = set(raw) - {"keys", "unit", "saturation_threshold", "min_deals", "addressable", "trust_reasons"}
        if unknown:
            raise ConfigError(f"{source}: unknown setting(s) {', '.join(sorted(unknown))}; "
                              "known: keys, unit, saturation_threshold, min_deals, addressable, trust_reasons")
        keys = tuple(raw.get("keys") or DEFAULT_KEYS)
        bad = [k for k in keys if k not in SEGMENT_KEYS]
        if bad:
            raise ConfigError(f"{source}: keys {', '.join(map(str, bad))} are not account attributes; "
                              f"use some of {', '.join(SEGMENT_KEYS)}")
        unit = raw.get("unit", "accounts")
        if unit not in MARKET_UNITS:
            raise ConfigError(f"{source}: unit '{unit}' is not one of {', '.join(MARKET_UNITS)}")
        threshold = raw.get("saturation_threshold", SATURATION_THRESHOLD)
        if not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
            raise ConfigError(f"{source}: saturation_threshold must be a fraction in (0, 1], e.g. 0.3 for 30 %")
        min_deals = raw.get("min_deals", MIN_DEALS)
        if not isinstance(min_deals, int) or min_deals < 1:
            raise ConfigError(f"{source}: min_deals must be a whole number of deals ≥ 1")
        addressable: dict[str, float] = {}
        for segment, value in (raw.get("addressable") or {}).items():
            if value is None:
                continue
            if not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"{source}: addressable market of '{segment}' must be a number ≥ 0, got {value!r}")
            if value > 0:
                addressable[str(segment)] = float(value)
        trust = tuple(str(t) for t in (raw.get("trust_reasons") or TRUST_KEYWORDS))
        return cls(keys, unit, float(threshold), min_deals, addressable, trust)

    def to_dict(self) -> dict[str, Any]:
        return {
            "keys": list(self.keys),
            "unit": self.unit,
            "saturation_threshold": self.saturation_threshold,
            "min_deals": self.min_deals,
            "addressable": {k: (int(v) if float(v).is_integer() else v) for k, v in self.addressable.items()},
            "trust_reasons": list(self.trust_reasons),
        }



def load_market(inputs_dir: Path) -> Market | None:
    """The saved market input (validated), or None when the strategist never saved one."""
    raw = load_input(Path(inputs_dir), INPUT_NAME)
    if raw is None:
        return None
    return Market.from_dict(raw, source=str(Path(inputs_dir) / f"{INPUT_NAME}.yml"))


def save_market(inputs_dir: Path, market: Market) -> Path:
    """Write ``market`` to inputs/market.yml (atomic; the previous version moves to inputs/history/)."""
    return save_input(Path(inputs_dir), INPUT_NAME, market.to_dict())
