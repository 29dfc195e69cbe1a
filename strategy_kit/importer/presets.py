"""The registry of import presets: named mappings for common CRM exports.

A preset is a YAML file in ``strategy_kit/importer/presets/`` (``<name>.yml``) holding the
same keys as a table entry of client.yml's ``import:`` section (docs/mapping.md), plus
``table`` and ``description``. Adding a CRM means adding a file, not code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from strategy_kit.errors import ConfigError

PRESET_DIR = Path(__file__).with_name("presets")


@dataclass(frozen=True)
class Preset:
    name: str
    table: str
    description: str
    mapping: dict[str, Any] = field(default_factory=dict)  # files, format, columns, values, derive, ...
    source: Path | None = None


def load_presets(folder: Path = PRESET_DIR) -> dict[str, Preset]:
    """Every ``*.yml`` preset of ``folder``, by name (the file name without .yml)."""
    presets = {}
    for path in sorted(folder.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict) or "table" not in raw:
            raise ConfigError(f"{path}: a preset needs at least 'table' and 'description'")
        mapping = {k: v for k, v in raw.items() if k not in ("table", "description")}
        presets[path.stem] = Preset(path.stem, str(raw["table"]), str(raw.get("description", "")), mapping, path)
    return presets


PRESETS: dict[str, Preset] = load_presets()
