"""The dimensions a KPI can be broken down by, and where each one is read for each kind of row.

A dimension is a column of one canonical table (``table.column``). For the rows a KPI counts
(deals, activities, leads, revenue events, stage-history rows), the value is read:

1. from the row's own column when its table has one (an activity's owner is the activity's owner,
   a lead's owner and source are the lead's own, a revenue line's product is the line's product);
2. else through the row's links: its deal (``deal_id``), its account (``account_id``, or its deal's
   account), its owner (for the sales team: ``reps.team``, ``reps.manager``) or its product (for the
   catalogue: ``products.family``).

``segment`` is ``sector × size_band``. Rows with no value form the group ``(none)``.

Beyond these, a client's data bring their own dimensions (:func:`dimensions_of`):

- **custom**: every column of a table that is not a canonical column of that table
  (``schema.TABLES``), e.g. a ``campaign`` mapped under ``dimensions:`` in client.yml. Rows of
  that table read their own value; a custom column of the deals reaches activities, leads,
  revenue and stage-history rows through their deal, one of the accounts through their account,
  one of the reps or products through their owner or product. A custom column named like one of
  the dimensions above (``region`` on the deals) is read first by the rows of its table.
- **calendar** (derived): ``weekday`` (``1 Monday`` … ``7 Sunday``), ``hour`` (``00`` … ``23``)
  and ``month`` (``2026-04``) of the date each KPI reads: a deal's created_at for the new and open
  deals, its closed_at for the deals won or lost; an activity's at; a lead's created_at; a
  revenue line's date (a won deal's closed_at without revenue lines); a stage-history row's
  entered_at (undated rows: ``(none)``). ``pipeline_velocity``, whose parts read both deal
  dates, is not broken down by them. Weekday keys are language-neutral (``1 Monday``); tables
  for a reader show them translated (label ``kpis.weekday.<n>``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from strategy_kit.schema import CALENDAR_DIMENSIONS

MISSING_GROUP = "(none)"
SEGMENT_SEPARATOR = " · "


@dataclass(frozen=True)
class Dimension:
    name: str
    fr: str
    en: str
    table: str  # deals | accounts | reps | products (where the value comes from)
    column: str
    # Row kinds whose own table has this column and are read first.
    own: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()  # a combined dimension (segment)
    calendar: str | None = None  # weekday | hour | month: derived from each row's own date
    custom: bool = False  # a column of the client's data outside the canonical tables

    @property
    def level(self) -> str:
        """``account`` for firmographic dimensions (one value per account), else ``deal``."""
        return "account" if self.table == "accounts" or self.parts else "deal"

    def label(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension("owner", "Commercial", "Owner", "deals", "owner", own=("deals", "activities", "leads")),
        Dimension("product", "Produit", "Product", "deals", "product", own=("deals", "revenue")),
        Dimension("source", "Source", "Source", "deals", "source", own=("deals", "leads")),
        Dimension("pipeline", "Pipeline", "Pipeline", "deals", "pipeline", own=("deals",)),
        Dimension("lost_reason", "Motif de perte", "Lost reason", "deals", "lost_reason", own=("deals",)),
        Dimension("sector", "Secteur", "Sector", "accounts", "sector", own=("leads",)),
        Dimension("size_band", "Taille d'entreprise", "Company size", "accounts", "size_band"),
        Dimension("region", "Région", "Region", "accounts", "region", own=("leads",)),
        Dimension("country", "Pays", "Country", "accounts", "country"),
        Dimension(
            "segment",
            "Segment (secteur × taille)",
            "Segment (sector × size)",
            "accounts",
            "segment",
            parts=("sector", "size_band"),
        ),
        Dimension("team", "Équipe", "Team", "reps", "team"),
        Dimension("manager", "Manager", "Manager", "reps", "manager"),
        Dimension("product_family", "Famille de produits", "Product family", "products", "family"),
    )
}


# Derived calendar dimensions (their groups are the same words in both languages).
_CALENDAR_LABELS = {"weekday": ("Jour de la semaine", "Weekday"), "hour": ("Heure", "Hour"), "month": ("Mois", "Month")}
CALENDAR: dict[str, Dimension] = {
    name: Dimension(name, *_CALENDAR_LABELS[name], "", "", calendar=name) for name in CALENDAR_DIMENSIONS
}
WEEKDAYS = ("1 Monday", "2 Tuesday", "3 Wednesday", "4 Thursday", "5 Friday", "6 Saturday", "7 Sunday")
# Tables whose rows KPIs count and that read their own columns first.
OWN_ROWS = ("deals", "activities", "leads", "revenue")
# Tables a custom column can be reached from by other rows (through a link).
LINKED = ("deals", "accounts", "reps", "products")


def dimensions_of(tables: Mapping[str, Any]) -> dict[str, Dimension]:
    """Every dimension a client's tables offer a name for: the standard ones, the calendar ones and
    one per non-canonical column (see the module's docstring). Whether the data hold values for it
    is the KPI engine's question (``KpiEngine.available_dimensions``)."""
    from strategy_kit.schema import TABLES

    found: dict[str, Dimension] = dict(DIMENSIONS)
    for table, frame in tables.items():
        if frame is None or table not in TABLES or table not in (*OWN_ROWS, *LINKED):
            continue
        canonical = set(TABLES[table].column_names)
        for column in frame.columns:
            if not isinstance(column, str) or column in canonical or column.startswith("_"):
                continue
            known = found.get(column)
            if known is not None:
                own = (*known.own, table) if table in OWN_ROWS and table not in known.own else known.own
                # The same custom column on several tables: each reads its own; others link to the deals'.
                linked_table = table if known.custom and table == "deals" else known.table
                found[column] = replace(known, own=own, table=linked_table)
                continue
            found[column] = Dimension(
                column, column, column, table, column, own=(table,) if table in OWN_ROWS else (), custom=True
            )
    for name, dimension in CALENDAR.items():  # a custom column of that name is the client's own
        found.setdefault(name, dimension)
    return found


def dimension_label(name: str, language: str) -> str:
    """A dimension's label: the standard and calendar ones are translated, a custom one is its name."""
    known = DIMENSIONS.get(name) or CALENDAR.get(name)
    return known.label(language) if known is not None else name
