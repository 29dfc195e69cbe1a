"""Import of CRM exports into the canonical tables (docs/mapping.md, docs/data-model.md).

``import_client`` reads, validates and caches a client's exports; ``load_sales_data``
returns the cached tables, re-importing when an export or client.yml changed.
"""

from __future__ import annotations

from strategy_kit.importer.engine import import_client, load_sales_data
from strategy_kit.importer.result import ImportResult

__all__ = ["ImportResult", "import_client", "load_sales_data"]
