"""The addressable market per segment the strategist saves (inputs/market.yml): loaded, checked
and saved here, entered in the market form of notebook 04 (strategy_kit.widgets.market)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from strategy_kit.inputs import load_input, save_input
from strategy_kit.inputs.errors import fail

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
        known = ("keys", "unit", "saturation_threshold", "min_deals", "addressable", "trust_reasons")
        unknown = sorted(set(map(str, raw)) - set(known))
        if unknown:
            raise fail(
                source, "inputs.market.unknown", count=len(unknown), names=", ".join(unknown), known=", ".join(known)
            )
        keys = tuple(raw.get("keys") or DEFAULT_KEYS)
        bad = [k for k in keys if k not in SEGMENT_KEYS]
        if bad:
            raise fail(
                source,
                "inputs.market.keys",
                ("keys",),
                "keys",
                count=len(bad),
                names=", ".join(map(str, bad)),
                known=", ".join(SEGMENT_KEYS),
            )
        unit = raw.get("unit", "accounts")
        if unit not in MARKET_UNITS:
            raise fail(source, "inputs.market.unit", ("unit",), "unit", value=unit, known=", ".join(MARKET_UNITS))
        threshold = raw.get("saturation_threshold", SATURATION_THRESHOLD)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
            raise fail(
                source,
                "inputs.market.threshold",
                ("saturation_threshold",),
                "saturation_threshold",
                {"value": "fraction", "maximum": "fraction"},
                value=threshold,
                maximum=1,
            )
        min_deals = raw.get("min_deals", MIN_DEALS)
        if isinstance(min_deals, bool) or not isinstance(min_deals, int) or min_deals < 1:
            raise fail(
                source, "inputs.market.min_deals", ("min_deals",), "min_deals", {"value": "number"}, value=min_deals
            )
        addressable: dict[str, float] = {}
        for segment, value in (raw.get("addressable") or {}).items():
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise fail(
                    source,
                    "inputs.market.addressable",
                    ("addressable", str(segment)),
                    f"addressable '{segment}'",
                    {"value": "amount"},
                    value=value,
                )
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
