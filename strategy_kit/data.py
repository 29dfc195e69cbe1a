"""The validated tables of one client, as analyses receive them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from strategy_kit.config import ClientConfig
from strategy_kit.errors import UnavailableError
from strategy_kit.schema import TABLES


@dataclass
class SalesData:
    """Canonical tables (see strategy_kit.schema) for one client; absent tables are None.

    ``excluded`` counts rows rejected at import per table (lenient imports only).
    """

    config: ClientConfig
    tables: dict[str, pd.DataFrame]
    excluded: dict[str, int] = field(default_factory=dict)

    def has(self, table: str) -> bool:
        frame = self.tables.get(table)
        return frame is not None

    def require(self, table: str, purpose: str) -> pd.DataFrame:
        """The table, or :class:`UnavailableError` saying which analysis needs it."""
        if table not in TABLES:
            raise KeyError(table)
        frame = self.tables.get(table)
        if frame is None:
            raise UnavailableError(
                f"{purpose} needs the {table} table, which client '{self.config.client}' has not imported "
                f"(map it under import: {table}: in client.yml)"
            )
        return frame

    @property
    def deals(self) -> pd.DataFrame:
        return self.tables["deals"]

    def last_day(self) -> date | None:
        """The last day the data covers: the cut-off if set, else the latest date found in deals and activities."""
        if self.config.data_cutoff is not None:
            return self.config.data_cutoff
        latest = []
        for table, columns in (("deals", ("created_at", "closed_at")), ("activities", ("at",)), ("revenue", ("date",))):
            frame = self.tables.get(table)
            if frame is None:
                continue
            for column in columns:
                if column in frame and frame[column].notna().any():
                    latest.append(frame[column].max())
        return max(latest).date() if latest else None
