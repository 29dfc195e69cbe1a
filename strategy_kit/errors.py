"""The exceptions strategy-kit raises for expected problems.

Every expected mistake (bad input, a missing file, an unknown period) is a
``StrategyKitError``: the CLI prints its message and exits with code 2, without a
traceback. Messages say what was wrong, where, and how to fix it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


class StrategyKitError(Exception):
    """Base class of every expected, user-facing error (CLI exit code 2)."""


class ConfigError(StrategyKitError):
    """client.yml or an input file is missing, unreadable or malformed."""


class PeriodError(StrategyKitError):
    """A period label could not be understood."""


class PeriodWithoutDataError(PeriodError):
    """A period wholly outside the days a client's data cover: its figures would all be empty.

    One client's report refuses it (exit 2); a batch of reports (``report --all``) skips that client.
    ``period``: the period's label; ``first``, ``last``: the days the data cover (None: unknown).
    """

    def __init__(self, message: str, period: str, first: date | None, last: date | None):
        super().__init__(message)
        self.period, self.first, self.last = period, first, last


class WorkspaceError(StrategyKitError):
    """A client name or folder is invalid, missing or already taken."""


class UnavailableError(StrategyKitError):
    """An analysis needs data the client does not have.

    Notebooks and reports show the reason as "not available: ..." instead of failing or showing
    zeros. The reason is a message ``key`` of :mod:`strategy_kit.i18n` with its ``fields``, so a
    French report says why in French; ``str()`` is the English text (logs, the command line).
    ``labelled``: fields whose value is itself a message key (``{"label": "table.accounts"}``),
    written in the reason's language. Dates in ``fields`` are written as the language writes them.
    """

    def __init__(self, key: str, labelled: Mapping[str, str] | None = None, **fields: Any):
        self.key, self.labelled, self.fields = key, dict(labelled or {}), fields
        super().__init__(self.reason("en"))

    def reason(self, language: str) -> str:
        """Why, in ``language``."""
        from strategy_kit import i18n

        words = {name: i18n.label(key, language) for name, key in self.labelled.items()}
        return i18n.label(self.key, language, **i18n.translated(self.fields, language), **words)


@dataclass
class Problem:
    """One validation finding: what is wrong, where, and how to fix it."""

    table: str
    kind: str
    message: str
    file: str | None = None
    column: str | None = None
    rows: list[int] = field(default_factory=list)
    row_count: int = 0
    examples: list[str] = field(default_factory=list)
    fix: str | None = None

    def describe(self) -> str:
        where = self.file or self.table
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.row_count:
            shown = ", ".join(str(r) for r in self.rows[:8])
            more = f" and {self.row_count - min(len(self.rows), 8)} more" if self.row_count > 8 else ""
            text += f" ({self.row_count} row{'s' if self.row_count != 1 else ''}: {shown}{more})"
        if self.examples:
            text += "; e.g. " + ", ".join(repr(e) for e in self.examples[:5])
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


class ImportValidationError(StrategyKitError):
    """The raw exports failed validation; carries every problem found at once."""

    def __init__(self, client: str, problems: list[Problem], lenient_would_help: bool = True):
        self.client = client
        self.problems = problems
        lines = [f"Import of client '{client}' failed: {len(problems)} problem(s) found."]
        lines += [f"  - {p.describe()}" for p in problems]
        lines.append(
            "Fix the mapping in client.yml (or the export), or run with --lenient to import the "
            "good rows and write the rejected ones to a file."
            if lenient_would_help
            else "Fix the mapping in client.yml (or the export): a problem with a whole file or column stops even "
            "a lenient import (--lenient only sets bad rows aside)."
        )
        super().__init__("\n".join(lines))
