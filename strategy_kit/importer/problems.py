"""Findings turned into what people read: problems naming file, column and rows, the rows a
lenient import rejects (.cache/rejected.csv), and each table's report for the summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from strategy_kit.errors import Problem
from strategy_kit.importer.convert import Encoded, take_text
from strategy_kit.importer.readers import SEPARATORS, RawFile
from strategy_kit.importer.result import TableReport
from strategy_kit.importer.validate import Finding, reason
from strategy_kit.schema import TABLES

if TYPE_CHECKING:
    from strategy_kit.importer.derive import Slot
    from strategy_kit.importer.session import Batch


_EXAMPLES = 5  # distinct example values shown per problem
_ROWS_SHOWN = 20  # row numbers kept per problem (Problem.describe shows the first 8)


def missing_column(batch: Batch, headers: list[str], name: str, slot: Slot, raw: RawFile | None = None) -> Problem:
    wanted = " or ".join(repr(h) for h in slot.headers)
    shown = ", ".join(repr(_shorten(h)) for h in headers[:30]) + (" ..." if len(headers) > 30 else "")
    fix = f"rename the column in the export, or change '{batch.key()}: {slot.label}:' in client.yml (a list gives synonyms)"
    where = ""
    if raw is not None and raw.sheet is not None:
        where = f" in sheet '{raw.sheet}'"
        fix = _sheet_fix(batch, raw, slot) or fix
    elif any("\x00" in h for h in headers):
        fix = (
            f"the headers hold NUL bytes: the file is UTF-16 text; set '{batch.key('format', 'encoding')}: utf-16' "
            "(or utf-16-le / utf-16-be), or export it again as UTF-8"
        )
    elif len(headers) == 1:
        separator = next((s for s in SEPARATORS if s in headers[0]), None)
        hint = f"'{separator}'" if separator != "\t" else "tab"
        fix = (
            (
                f"the file was read as a single column: its separator is probably {hint}; set "
                f"'{batch.key('format', 'separator')}: \"{separator}\"' (or check format: encoding)"
            )
            if separator
            else ("the file was read as a single column: check format: separator and format: encoding")
        )
    return Problem(
        batch.table,
        "missing_column",
        f"no column {wanted} (for {slot.label}){where}; headers found: {shown}",
        file=name,
        fix=fix,
    )


def ambiguous_column(batch: Batch, raw: RawFile, name: str, slot: Slot, header: str) -> Problem:
    """A mapped header that occurs several times in the file: which column is meant is unsaid."""
    names = [numbered for numbered, original in zip(raw.headers, raw.original_headers) if original == header]
    choices = ", ".join(
        f"'{numbered if i else header + ' (1)'}' for the {_ordinal(i + 1)}" for i, numbered in enumerate(names)
    )
    return Problem(
        batch.table,
        "ambiguous_column",
        f"the header '{header}' (mapped as {slot.label}) occurs {len(names)} times in the file, so the "
        "mapping does not say which column to read",
        file=name,
        fix=f"change '{batch.key()}: {slot.label}:' in client.yml to name one of them: map {choices}",
    )


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


def _sheet_fix(batch: Batch, raw: RawFile, slot: Slot) -> str | None:
    """For a workbook: the sheets it has, and the one whose header row has the column, if any."""
    listed = ", ".join(f"'{title}'" for title in raw.sheets)
    wanted = {h.casefold() for h in slot.headers}
    holding = [
        title
        for title, headers in raw.sheets.items()
        if title != raw.sheet and wanted & {h.casefold() for h in headers}
    ]
    key = batch.key("format", "sheet")
    if holding:
        return (
            f"the headers are in sheet '{holding[0]}': set '{key}: \"{holding[0]}\"' (the workbook's sheets: {listed})"
        )
    if len(raw.sheets) > 1:
        return (
            f"set '{key}:' to the sheet holding the data (the workbook's sheets: {listed}), or rename the column "
            f"in the export, or change '{batch.key()}: {slot.label}:' in client.yml"
        )
    return None


def _shorten(header: str, limit: int = 60) -> str:
    return header if len(header) <= limit else header[:limit] + f"... ({len(header)} characters)"


_PARSE_FIXES = {
    "datetime": (
        "dates that cannot be read",
        "set '{key}: format: date_format:' (iso, dayfirst for dd/mm/yyyy, monthfirst "
        "for MM/DD/YY, or a pattern such as %d/%m/%Y %H:%M), or correct the cells",
    ),
    "number": (
        "values that are not numbers",
        "set '{key}: format: decimal:' and 'thousands:' (French spreadsheets: "
        'decimal: "," and thousands: " "), or correct the cells',
    ),
    "integer": (
        "values that are not whole numbers",
        "correct the cells, or check '{key}: format: decimal:' and 'thousands:'",
    ),
    "boolean": ("values that are not true/false", "use 1/0, true/false, yes/no, oui/non, vrai/faux"),
}


def unparseable(batch: Batch, column: str, kind: str, bad: np.ndarray) -> Finding:
    message, fix = _PARSE_FIXES[kind]
    if kind == "datetime":
        message += f" as {batch.mapping.format.date_format} dates"
    return Finding(f"unparseable_{kind}", column, message, bad, fix=fix.format(key=batch.key()))


def unknown_values(
    batch: Batch,
    column: str,
    raw: Encoded,
    canonical: Callable[[str], str | None],
    unknown: list[str],
    allowed: list[str],
) -> Finding:
    bad_raw = {v for v in raw.values if canonical(v) in unknown}
    counts = raw.counts()
    listed = sorted(bad_raw, key=lambda v: -counts[v])
    examples = [f"{v} ({counts[v]} row{'s' if counts[v] != 1 else ''})" for v in listed[:10]]
    where = batch.key("values", column)
    if column in batch.mapping.derive.targets:
        where = batch.key("derive", column, "map")
    sample = listed[0] if listed else "value"
    return Finding(
        f"unknown_{column}",
        column,
        f"unknown {column} values",
        raw.rows_with(bad_raw),
        examples=examples,
        fix=f"map each of them to one of {', '.join(allowed)} under '{where}:' in client.yml, "
        f'e.g. {{"{sample}": {allowed[0] if allowed else "..."}}}',
    )


def problems_of(batch: Batch) -> list[Problem]:
    problems = []
    for finding in batch.findings:
        problems += _finding_problems(batch, finding)
    if batch.skipped:
        by_file: dict[str, list[dict[str, Any]]] = {}
        for row in batch.skipped:
            by_file.setdefault(row["file"], []).append(row)
        for name, rows in by_file.items():
            problems.append(
                Problem(
                    batch.table,
                    "wrong_field_count",
                    f"rows with more fields than the header ({rows[0]['reason']})",
                    file=name,
                    rows=[r["row"] for r in rows[:_ROWS_SHOWN]],
                    row_count=len(rows),
                    examples=[r["text"][:80] for r in rows[:3]],
                    fix="a value holds the separator without quotes (e.g. '1 234,5' in a comma-separated file): "
                    "quote it, or check format: separator",
                )
            )
    return problems


def _finding_problems(batch: Batch, finding: Finding) -> list[Problem]:
    problems = []
    for index in np.unique(batch.file_index[finding.mask]):
        rows_mask = finding.mask & (batch.file_index == index)
        rows = batch.rows[rows_mask]
        header = batch.headers[index].get(finding.column, finding.column) if finding.column else None
        message = finding.message
        if header and finding.column in TABLES[batch.table].column_names and header.casefold() != finding.column:
            message += f" (mapped to {finding.column})"
        problems.append(
            Problem(
                batch.table,
                finding.kind,
                message,
                file=batch.files[index],
                column=header,
                rows=rows[:_ROWS_SHOWN].tolist(),
                row_count=len(rows),
                examples=finding.examples or _examples(batch, finding.column, rows_mask),
                fix=finding.fix,
            )
        )
    return problems


def _examples(batch: Batch, column: str | None, mask: np.ndarray) -> list[str]:
    if not column or column not in batch.text:
        return []
    index = np.flatnonzero(mask)[:200]
    values = take_text(batch.text[column], index)
    seen: list[str] = []
    for value in values:
        if value is not None and value not in seen:
            seen.append(value)
        if len(seen) == _EXAMPLES:
            break
    return seen


def rejected_rows(batches: dict[str, Batch], keep: dict[str, np.ndarray]) -> pd.DataFrame | None:
    frames = []
    for table, batch in batches.items():
        dropped = np.flatnonzero(~keep[table] & ~batch.ignored) if batch.length else np.zeros(0, dtype=np.int64)
        if len(dropped):
            frames.append(_rejected_frame(batch, dropped))
        if batch.skipped:
            frames.append(pd.DataFrame(batch.skipped))
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True)


def _rejected_frame(batch: Batch, dropped: np.ndarray) -> pd.DataFrame:
    reasons: dict[int, list[str]] = {int(i): [] for i in dropped}
    for finding in batch.findings:
        if finding.rejects:
            for i in np.flatnonzero(finding.mask[dropped]):
                reasons[int(dropped[i])].append(reason(finding))
    frame = pd.DataFrame(
        {
            "table": batch.table,
            "file": [batch.files[i] for i in batch.file_index[dropped]],
            "row": batch.rows[dropped],
            "reason": ["; ".join(reasons[int(i)]) for i in dropped],
        }
    )
    for column in TABLES[batch.table].column_names:
        if column in batch.text:
            frame[column] = take_text(batch.text[column], dropped)
    return frame


def table_report(batch: Batch, keep: np.ndarray) -> TableReport:
    reasons: dict[str, int] = {}
    for finding in batch.findings:
        if finding.rejects:
            lost = int((finding.mask & ~keep).sum())
            if lost:
                reasons[reason(finding)] = reasons.get(reason(finding), 0) + lost
    for row in batch.skipped:
        reasons[row["reason"]] = reasons.get(row["reason"], 0) + 1
    excluded = int((~keep & ~batch.ignored).sum()) + len(batch.skipped) if batch.length or batch.skipped else 0
    return TableReport(
        rows=int(keep.sum()),
        files=batch.files,
        excluded=excluded,
        reasons=reasons,
        ignored=int(batch.ignored.sum()),
        total_rows_dropped=batch.total_rows_dropped,
    )
