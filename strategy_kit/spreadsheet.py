"""Every CSV strategy-kit writes goes through here, so a spreadsheet never runs a cell as a formula.

A CRM export can hold any text a user typed: an owner named ``+cmd|' /C calc'!A0`` or a deal
named ``=HYPERLINK("http://...")`` would be run by Excel, LibreOffice or Google Sheets when the CSV
is opened (CSV injection). OWASP's recommendation
(https://owasp.org/www-community/attacks/CSV_Injection) is followed: a *text* cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, which the
spreadsheet shows as text. Numbers stay numbers: only text cells are touched, so ``-12.5`` written
as a number is left as it is; a text cell that is a plain number (``-5``, ``+3.5``, ``-1,5``: a raw
amount kept in rejected.csv) is read by the spreadsheet as that number, runs nothing, and is left
as it is too, while ``-2+3`` or ``-A1`` are quoted.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

# The first characters a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and headers) cannot run as formulas; numbers, dates and
    empty cells are left as they are."""
    safe = frame.copy()
    for name in safe.columns:
        column = safe[name]
        if column.dtype == object or isinstance(column.dtype, (pd.StringDtype, pd.CategoricalDtype)):
            # built as object cells, not through map(): whole numbers among text stay whole (12, not 12.0)
            safe[name] = pd.Series([neutralise_cell(value) for value in column], index=column.index, dtype=object)
    safe.columns = [neutralise_cell(str(name)) for name in safe.columns]
    return safe


def csv_text(frame: pd.DataFrame, bom: bool = False) -> str:
    """``frame`` as CSV text (no index, ``\\n`` line ends), its formulas neutralised; ``bom``: start
    with a UTF-8 byte-order mark, which Excel needs to read accents right."""
    buffer = io.StringIO()
    neutralise_formulas(frame).to_csv(buffer, index=False, lineterminator="\n")
    return (BOM if bom else "") + buffer.getvalue()


def write_csv(frame: pd.DataFrame, target: Path | TextIO | None = None, bom: bool = False) -> None:
    """Write ``frame`` as a safe CSV to ``target``: a file (UTF-8), a text stream, or stdout (None)."""
    text = csv_text(frame, bom=bom)
    if isinstance(target, Path):
        target.write_text(text, encoding="utf-8", newline="")
    else:
        (target or sys.stdout).write(text)
