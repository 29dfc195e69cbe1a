"""The import documentation keeps up with the code: data model, presets, KPI needs."""

from __future__ import annotations

import re
from pathlib import Path

from strategy_kit.importer.presets import PRESETS
from strategy_kit.schema import TABLES

DOCS = Path(__file__).resolve().parents[1] / "docs"


def sections(text: str) -> dict[str, str]:
    """Level-2 sections of a markdown page by table name (## `deals` ...)."""
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    found = {}
    for part in parts[1:]:
        title, _, body = part.partition("\n")
        match = re.match(r"`(\w+)`", title)
        if match:
            found[match.group(1)] = body
    return found


def test_every_table_and_column_of_the_schema_is_documented():
    by_table = sections((DOCS / "data-model.md").read_text(encoding="utf-8"))
    assert set(TABLES) <= set(by_table)
    for table in TABLES.values():
        rows = {
            m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` \|[^\n]*$", by_table[table.name], re.MULTILINE)
        }
        assert set(table.column_names) <= set(rows), f"{table.name}: {set(table.column_names) - set(rows)}"
        for column in table.columns:
            cells = [c.strip() for c in rows[column.name].strip("|").split("|")]
            assert cells[1] == column.kind, (table.name, column.name)
            assert (cells[2] == "yes") == column.required, (table.name, column.name)


def test_data_model_says_what_each_kpi_family_needs():
    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    kpis = text.split("## What each KPI needs", 1)[1]
    for kpi in (
        "calls_made",
        "win_rate",
        "sales_cycle_days",
        "stage_conversion",
        "lead_response_hours",
        "email_open_rate",
        "call_connect_rate",
        "revenue_yoy_growth",
        "customer_ltv",
    ):
        assert kpi in kpis


def test_every_preset_is_listed_in_the_mapping_reference():
    text = (DOCS / "mapping.md").read_text(encoding="utf-8")
    for name, preset in PRESETS.items():
        assert f"`{name}` | {preset.table}" in text
