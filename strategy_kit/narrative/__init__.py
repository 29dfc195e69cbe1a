"""What a reader sees of an analysis, in a language: its findings and its tables.

A step's narrative (``narrative/<step>.py``) takes the numbers of ``analytics/<step>.py`` and a
language and returns :class:`Finding` sentences and :class:`Table` tables; the notebooks show
them with :func:`strategy_kit.report.notebook.show_finding` and :func:`strategy_kit.report.notebook.show_table`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from strategy_kit.i18n import label


@dataclass(frozen=True)
class Finding:
    """One sentence of a report: the message ``key`` and its ``fields`` for ``language``.

    ``fields`` may be raw numbers when the message says how to write them (``{count:integer}``,
    ``{count:plural:...}``) or text already written. ``subject`` tells findings of one rule apart
    (a KPI id, a stage...); ``evidence`` keeps the raw numbers behind the sentence.
    """

    key: str
    fields: Mapping[str, Any]
    language: str
    subject: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return label(self.key, self.language, **self.fields)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Table:
    """A table as a reader sees it: which columns, under which headers, written as which kinds.

    ``columns``: the columns to show, in order, or column -> header message key (default
    ``column.<name>``); ``kinds``: column ->
    value kind of :data:`strategy_kit.i18n.FORMATTERS` (numeric kinds are right-aligned);
    ``translate``: columns whose values are suffixes of message keys (``{"table": "table"}``
    shows ``deals`` as the message ``table.deals``). ``headers``: column -> header already written
    in the table's language, for the columns whose header is no message (a KPI's label, which the
    KPI registry holds); it replaces the header of ``columns``. ``classes``: column -> a CSS class
    added to its header and every cell (``"num"``: a column of numbers already written, right-aligned),
    or one class per row added to its cells (``"sk-better"``, ``"sk-worse"``: the colour of a verdict).
    """

    frame: pd.DataFrame
    columns: Sequence[str] | Mapping[str, str] | None = None
    kinds: Mapping[str, str] = field(default_factory=dict)
    translate: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    classes: Mapping[str, str | Sequence[str]] = field(default_factory=dict)

    def options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`strategy_kit.report.notebook.table_html`."""
        options: dict[str, Any] = {
            "columns": self.columns,
            "kinds": dict(self.kinds),
            "translate": dict(self.translate),
        }
        if self.headers:
            options["headers"] = dict(self.headers)
        if self.classes:
            options["classes"] = dict(self.classes)
        return options
