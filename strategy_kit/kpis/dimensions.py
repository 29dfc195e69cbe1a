"""The dimensions a KPI can be broken down by, and where each one is read for each kind of row.

A dimension is a column of one canonical table (``table.column``). For the rows a KPI counts
(deals, activities, leads, revenue events, stage-history rows), the value is read:

1. from the row's own column when its table has one (an activity's owner is the activity's owner,
   a lead's owner and source are the lead's own, a revenue line's product is the line's product);
2. else through the row's links: its deal (``deal_id``), its account (``account_id``, or its deal's
   account), its owner (for the sales team: ``reps.team``, ``reps.manager``) or its product (for the
   catalogue: ``products.family``).

``segment`` is ``sector × size_band``. Rows with no value form the group ``(none)``.
"""
from __future__ import annotations

from dataclasses import dataclass

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
        Dimension("segment", "Segment (secteur × taille)", "Segment (sector × size)", "accounts", "segment",
                  parts=("sector", "size_band")),
        Dimension("team", "Équipe", "Team", "reps", "team"),
        Dimension("manager", "Manager", "Manager", "reps", "manager"),
        Dimension("product_family", "Famille de produits", "Product family", "products", "family"),
    )
}
