"""strategy-kit."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # strategy_kit.load_sales_data without importing pandas and pyarrow with the package
    if name == "load_sales_data":
        from strategy_kit.importer import load_sales_data

        return load_sales_data
    raise AttributeError(f"module 'strategy_kit' has no attribute {name!r}")
