"""Why a KPI (or a breakdown of it) cannot be computed from a client's data.

A reason is a label key ``kpis.reason.<key>`` of :mod:`strategy_kit.i18n` with its fields, so it
reads in French and English; machine output (JSON, CSV) uses the English text.
"""

from __future__ import annotations

from typing import Any

from strategy_kit.errors import UnavailableError
from strategy_kit.i18n import label


class Unavailable(UnavailableError):
    """The data lacks what a KPI needs: ``key`` names the reason (its message is ``kpis.reason.<key>``).

    A ``table`` field is a canonical table name, shown as that table's label.
    """

    def __init__(self, key: str, **fields: Any):
        super().__init__(f"kpis.reason.{key}", **fields)

    def reason(self, language: str) -> str:
        fields = dict(self.fields)
        if "table" in fields:
            name = label(f"table.{fields['table']}", language)
            fields["table"] = name.lower() if language == "en" else name
        return label(self.key, language, **fields)

    def text(self, language: str) -> str:
        return self.reason(language)
