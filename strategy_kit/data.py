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

    def require(self, table: str) -> pd.DataFrame:
        """The canonical ``table``, or :class:`UnavailableError` (``unavailable.no_table``: "this part
        needs the accounts table...", in the report's language) when the client has not imported it.
        ``table`` must be one of the canonical tables (else ``KeyError``: a bug)."""
        if table not in TABLES:
            raise KeyError(table)
        frame = self.tables.get(table)
        if frame is None:
            raise UnavailableError(
                "unavailable.no_table", labelled={"label": f"table.{table}"}, table=table, client=self.config.client
            )
        return frame

    @property
    def deals(self) -> pd.DataFrame:
        """The deals table; :class:`UnavailableError` when the client has none (deals are optional:
        a call log, a leads funnel or a transactions file can be imported without them)."""
        return self.require("deals")

    # The dated columns that place the data in time (the range a period is checked against).
    DATED_COLUMNS = (
        ("deals", ("created_at", "closed_at")),
        ("activities", ("at",)),
        ("leads", ("created_at",)),
        ("revenue", ("date",)),
    )

    def _dates(self, pick: str) -> list[pd.Timestamp]:
        found = []
        for table, columns in self.DATED_COLUMNS:
            frame = self.tables.get(table)
            if frame is None:
                continue
            done = ~_planned(frame) if table == "activities" else None
            for column in columns:
                if column not in frame:
                    continue
                values = frame[column] if done is None else frame[column][done]  # one column, not the table
                if values.notna().any():
                    found.append(getattr(values, pick)())
        return found

    def first_day(self) -> date | None:
        """The first day the data covers: the earliest date in deals, activities, leads and revenue lines."""
        earliest = self._dates("min")
        return min(earliest).date() if earliest else None

    def last_day(self) -> date | None:
        """The last day the data covers: the cut-off if set, else the latest date in deals, activities
        done (not the next steps planned after the export), leads and revenue lines."""
        if self.config.data_cutoff is not None:
            return self.config.data_cutoff
        latest = self._dates("max")
        return max(latest).date() if latest else None


def _planned(activities: pd.DataFrame) -> pd.Series:
    """The activities not done yet, which place nothing in time: a task still open, and, in an export
    that records outcomes, an activity without one (a call or meeting planned after the export)."""
    planned = pd.Series(False, index=activities.index)
    if "outcome" not in activities:
        return planned
    outcome = activities["outcome"]  # compared as it is stored (a category at scale: no copy as objects)
    missing = outcome.isna()
    if not missing.all():
        planned |= missing
    if "type" in activities:
        planned |= (activities["type"] == "task") & (outcome == "open")
    return planned
