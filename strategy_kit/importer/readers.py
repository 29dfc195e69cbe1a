"""Reading raw exports (CSV, XLSX or fixed-width text) as text, exactly as a spreadsheet would show them.

Every cell is read as text (empty cells are missing); typing happens later, column by
column, in :mod:`strategy_kit.importer.convert`. Each row keeps its spreadsheet row number
(the header is row 1 plus ``skip_rows``) so that problems can point at it.

CSV files are parsed by pyarrow (multi-threaded, no per-row Python). A file whose rows do
not all have the header's number of fields is re-read with Python's csv module, which is
slower but knows where every row is, so each bad row can be reported by number.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from strategy_kit.importer.convert import to_numpy_bool

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read; read-only workbooks hold these sheets
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

SEPARATORS = (",", ";", "\t", "|")
FALLBACK_ENCODING = "cp1252"  # Windows-1252: what Excel writes on French Windows machines
_CHUNK = 1 << 22
_SAMPLE = 1 << 16
_TOTAL = re.compile(r"^\s*total", re.IGNORECASE)
_SEPARATOR_HINT = re.compile(r'"?sep=(.)"?', re.IGNORECASE)
csv.field_size_limit(2**31 - 1)  # a value may be long (notes, e-mail bodies); the default is 128 KiB


class UnreadableFile(Exception):
    """A raw file cannot be read at all (reported as a problem naming the file and the fix)."""

    def __init__(self, message: str, fix: str | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class FormatOptions:
    """How to read one table's files (the ``format:`` key of a mapping, see docs/mapping.md)."""

    encoding: str = "auto"
    separator: str = "auto"
    decimal: str = "."
    thousands: str = ""
    skip_rows: int = 0
    drop_total_row: bool = False
    sheet: str | int | None = None
    date_format: str = "iso"
    timezone: str | None = None
    layout: str = "delimited"  # or "fixed": columns aligned with spaces (read_fixed_width)
    widths: tuple[int, ...] | None = None  # layout fixed: each column's width (default: inferred)


@dataclass
class RawFile:
    """One export read as text: one string column per header."""

    name: str  # as shown in messages, e.g. raw/deals.csv
    headers: list[str]
    table: pa.Table  # columns c0..cN, all strings, in header order
    rows: np.ndarray  # spreadsheet row number of each row
    encoding: str = "utf-8"
    separator: str | None = None
    bad_rows: list[tuple[int, int, str]] = field(default_factory=list)  # (row, fields found, text)
    total_rows_dropped: int = 0
    sheet: str | None = None  # XLSX: the sheet read
    sheets: dict[str, list[str]] = field(default_factory=dict)  # XLSX: every sheet -> its header row
    original_headers: list[str] = field(default_factory=list)  # as in the file, before numbering repeats

    def column(self, header: str) -> pa.ChunkedArray:
        return self.table.column(self.headers.index(header))

    @property
    def expected_fields(self) -> int:
        return len(self.headers)


def read_export(path: Path, name: str, options: FormatOptions) -> RawFile:
    """Read a CSV or XLSX export as text, applying skip_rows and drop_total_row."""
    if not path.is_file():
        raise UnreadableFile(f"{name}: no such file")
    if path.stat().st_size == 0:
        raise UnreadableFile(f"{name}: the file is empty", "export it again; an export has at least a header row")
    kind = _content_kind(path)
    if kind == "xls":
        raise UnreadableFile(
            f"{name}: an old Excel workbook (.xls), which cannot be read",
            "open it in a spreadsheet and save it as .xlsx or .csv",
        )
    if options.layout == "fixed":
        from strategy_kit.importer.fixed_width import read_fixed_width  # imports this module

        raw = read_fixed_width(path, name, options)
    elif kind == "zip" or (kind is None and path.suffix.lower() in (".xlsx", ".xlsm")):
        raw = _read_xlsx(path, name, options)
    else:  # text, whatever its name says (a CSV saved as .xlsx is read as the CSV it is)
        raw = _read_csv(path, name, options)
    raw = _drop_empty_rows(raw)
    if options.drop_total_row:
        raw = _drop_total_rows(raw)
    return raw


def _content_kind(path: Path) -> str | None:
    """What the first bytes say the file is: "zip" (an XLSX workbook), "xls" (an old Excel
    workbook), "text" for an .xlsx/.xlsm name holding neither, None otherwise. Files are
    read by their content, so a workbook renamed .csv or a CSV renamed .xlsx still imports."""
    with path.open("rb") as handle:
        start = handle.read(8)
    if start.startswith(b"PK\x03\x04"):
        return "zip"
    if start.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    return "text" if path.suffix.lower() in (".xlsx", ".xlsm") else None


# --------------------------------------------------------------------------- CSV


@dataclass(frozen=True)
class FileScan:
    """A file's fingerprint: size, modification time and content hash."""

    size: int
    mtime_ns: int
    digest: str  # SHA-1 of the content: detects changed exports (not an integrity guarantee)


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def scan_file(path: Path) -> FileScan:
    """Hash the file's bytes (SHA-1 runs at memory speed; the hash only detects changes)."""
    info = path.stat()
    digest = hashlib.sha1(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return FileScan(info.st_size, info.st_mtime_ns, digest.hexdigest())


def _bom(path: Path) -> str | None:
    with path.open("rb") as handle:
        start = handle.read(4)
    return next((encoding for mark, encoding in _BOMS if start.startswith(mark)), None)


def _declared_encoding(declared: str, path: Path) -> str | None:
    """The encoding to use, or None to try UTF-8 and fall back to Windows-1252."""
    if declared != "auto":
        return declared
    return _bom(path) or _utf16_without_bom(path)


def _utf16_without_bom(path: Path) -> str | None:
    """UTF-16 written without a byte-order mark (some Windows tools): text in Latin script then
    has a NUL byte in every other position, after each character (little-endian) or before it
    (big-endian). No text in an 8-bit encoding or UTF-8 looks like that."""
    with path.open("rb") as handle:
        start = handle.read(4096)
    start = start[: len(start) - len(start) % 2]
    if len(start) < 4:
        return None
    pairs = len(start) // 2
    even, odd = start[0::2].count(0) / pairs, start[1::2].count(0) / pairs
    if odd >= 0.3 and even <= 0.02:
        return "utf-16-le"
    if even >= 0.3 and odd <= 0.02:
        return "utf-16-be"
    return None


def _is_utf8(encoding: str) -> bool:
    return encoding.replace("-", "").replace("_", "").lower() in ("utf8", "utf8sig")


def sample_records(path: Path, encoding: str | None, skip_rows: int, count: int = 6) -> tuple[list[str], str]:
    """The first lines after skip_rows (the header and a few rows), decoded; and the encoding guessed."""
    with path.open("rb") as handle:
        data = handle.read(_SAMPLE)
    if encoding is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            # a multi-byte character cut at the end of the sample is not an error
            valid = exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
            encoding = "utf-8" if valid else FALLBACK_ENCODING
            text = data.decode(encoding, errors="replace")
    else:
        text = data.decode(encoding, errors="replace")
    lines = text.lstrip("\ufeff").splitlines()
    return lines[skip_rows : skip_rows + count], encoding


def sniff_separator(lines: list[str]) -> str:
    """The separator among , ; tab | that splits the header into the most fields (ties: the first)."""
    if not lines:
        return ","
    header = lines[0]
    best, best_count = ",", 0
    for separator in SEPARATORS:
        fields = next(csv.reader([header], delimiter=separator))
        if len(fields) - 1 > best_count:
            best, best_count = separator, len(fields) - 1
    return best


def _separator(options: FormatOptions, lines: list[str]) -> str:
    declared = options.separator
    if declared == "auto":
        return sniff_separator(lines)
    return "\t" if declared in ("tab", "\\t") else declared


def checked_encoding(path: Path, name: str, options: FormatOptions) -> str | None:
    """The encoding to read ``path`` with (None: try UTF-8, then Windows-1252), refusing an unknown
    codec name and a UTF-16 file declared as another encoding."""
    declared = _declared_encoding(options.encoding, path)
    if declared is None:
        return None
    try:
        codecs.lookup(declared)
    except LookupError:
        raise UnreadableFile(f"{name}: unknown encoding '{declared}'", "use auto, utf-8, cp1252 or latin-1") from None
    utf16 = _utf16_without_bom(path)
    if utf16 and not declared.lower().replace("_", "-").startswith("utf-16"):
        raise UnreadableFile(
            f"{name}: the file is UTF-16 text ({utf16}: a NUL byte beside every letter), not {declared} "
            "as format: encoding says",
            f"set format: encoding: {utf16} (or auto), or export the file again as UTF-8",
        )
    return declared


def _read_csv(path: Path, name: str, options: FormatOptions) -> RawFile:
    declared = checked_encoding(path, name, options)
    lines, encoding = sample_records(path, declared, options.skip_rows)
    if len(lines) == 1 and len(lines[0]) >= _SAMPLE // 4 and path.stat().st_size >= _SAMPLE:
        raise UnreadableFile(
            f"{name}: no line break in the first {_SAMPLE // 1024} kB: this is not a table with a header row "
            "and one row per line",
            "check that the file is the CSV export (not a log, a JSON file or a one-line dump); export it again",
        )
    if not lines or not lines[0].strip():
        raise UnreadableFile(
            f"{name}: no header row" + (f" after skipping {options.skip_rows} line(s)" if options.skip_rows else ""),
            "check format: skip_rows, or export the file again with its header row",
        )
    hint = _SEPARATOR_HINT.fullmatch(lines[0].strip()) if options.skip_rows == 0 else None
    if hint:  # Excel's "sep=;" first line: the separator, then the header on the next line
        options = replace(options, skip_rows=1, separator=hint[1] if options.separator == "auto" else options.separator)
        lines = lines[1:]
        if not lines or not lines[0].strip():
            raise UnreadableFile(
                f"{name}: no header row after the line '{hint[0]}'", "export the file again with its header row"
            )
    separator = _separator(options, lines)
    originals = [clean_header(h) for h in next(csv.reader([lines[0]], delimiter=separator))]
    headers = unique_headers(originals)
    try:
        counts = _count_text(path, encoding)
        if counts.quotes % 2:
            _check_quotes(path, name, encoding, separator, len(headers))
        raw, records = _parse_csv(path, name, options, headers, separator, encoding, declared)
        if (
            counts.quotes
            and records < counts.lines
            and _swallows_rows_anywhere(raw.table, separator, len(headers), counts.newline)
        ):
            # fewer records than lines, and a value holding line breaks that look like rows: find its row
            _check_quotes(path, name, raw.encoding, separator, len(headers))
        raw.original_headers = originals
        return raw
    except UnicodeError as exc:  # a byte the encoding does not define, or a missing BOM (UTF-16/32)
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        raise UnreadableFile(
            f"{name}: cannot be decoded as {encoding}{where} ({getattr(exc, 'reason', exc)})",
            "set format: encoding: to the file's real encoding (utf-8, cp1252, latin-1), or export it "
            "again as UTF-8; a workbook renamed .csv must keep its .xlsx name",
        ) from None


def _parse_csv(
    path: Path,
    name: str,
    options: FormatOptions,
    headers: list[str],
    separator: str,
    encoding: str,
    declared: str | None,
) -> tuple[RawFile, int]:
    """The file read as text, and the number of records the parser found (header and skipped lines
    included; each record is one line unless a quoted value holds a line break)."""
    try:
        table, invalid = _arrow_csv(path, len(headers), options.skip_rows + 1, separator, encoding)
    except pa.ArrowInvalid as exc:
        if "Could not skip initial" in str(exc):  # nothing after the header, not even a line break
            return _python_csv(path, name, headers, options.skip_rows, separator, encoding), 0
        if "UTF8" not in str(exc) or not _is_utf8(encoding):
            raise UnreadableFile(
                f"{name}: cannot be read as CSV ({exc})", "check format: separator, encoding and skip_rows"
            ) from None
        if declared is not None:
            raise UnreadableFile(
                f"{name}: the file is not valid {declared}",
                "set format: encoding: auto (or the file's real encoding, e.g. cp1252)",
            ) from None
        encoding = FALLBACK_ENCODING
        table, invalid = _arrow_csv(path, len(headers), options.skip_rows + 1, separator, encoding)
    records = options.skip_rows + 1 + table.num_rows + len(invalid)
    if invalid and not all(text == "" for _, text in invalid):
        return _python_csv(path, name, headers, options.skip_rows, separator, encoding), records
    first_row = options.skip_rows + 2
    rows = np.arange(first_row, first_row + table.num_rows, dtype=np.int64)
    return RawFile(name, headers, table, rows, encoding, separator), records


@dataclass(frozen=True)
class TextCounts:
    """What one fast pass over the bytes counts: quotes and physical lines."""

    quotes: int
    lines: int
    newline: bool  # lines end with LF (or CRLF); False: CR alone


def _count_text(path: Path, encoding: str) -> TextCounts:
    """Quotes and lines of the file, at memory speed (bytes.count; no decoding for ASCII-compatible
    encodings). A last line without a final line break is a line; a file that uses CR alone
    (old Mac) counts its CRs."""

    def count(marks: tuple[str, ...]) -> tuple[list[int], str]:
        counts, last = [0] * len(marks), ""
        if _counts_quotes(encoding):
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    counts = [n + chunk.count(m.encode()) for n, m in zip(counts, marks)]
                    last = chr(chunk[-1])
        else:  # UTF-16/32: count in the decoded text
            with path.open(encoding=encoding, errors="replace", newline="") as text:
                while part := text.read(_CHUNK):
                    counts = [n + part.count(m) for n, m in zip(counts, marks)]
                    last = part[-1]
        return counts, last

    (quotes, breaks), last = count(('"', "\n"))
    newline = breaks > 0
    if not newline and last:  # no LF at all: lines end with CR alone (old Mac), or there is one line
        (breaks,), last = count(("\r",))
    return TextCounts(quotes, breaks + (last not in ("\n", "\r", "")), newline)


def _check_quotes(path: Path, name: str, encoding: str, separator: str, width: int) -> None:
    """A quote that is opened and never closed makes the rest of the file one value: both CSV
    parsers would silently swallow the following rows. The file is read again with the csv
    module, which knows where every record starts, to find the row: a quote left open at the end
    of the file, or a quoted value holding line breaks whose lines look like rows of their own
    (as many separators as a row has). Called when the quotes are odd in number, or when the
    parsed records are fewer than the file's lines (a stray quote elsewhere can make the count
    even)."""
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        records = csv.reader(handle, delimiter=separator, strict=True)
        row, line = 0, 1
        while True:
            row += 1
            line = records.line_num + 1  # the line the next record starts on
            try:
                record = next(records)
            except StopIteration:
                return
            except csv.Error as exc:
                if "unexpected end of data" not in str(exc):
                    continue  # a stray quote inside a value ("12"" screen"): readers keep it
                _unclosed(name, row, line)
            if records.line_num - line > 0 and _swallows_rows(record, separator, width):
                _unclosed(name, row, line, records.line_num - line + 1)


def _swallows_rows(record: list[str], separator: str, width: int) -> bool:
    """Whether a value spanning lines holds a line that looks like a whole row: at least as many
    separators as a row of ``width`` fields has (a note over several lines rarely does)."""
    if width < 3:
        return False
    return any(
        ("\n" in value or "\r" in value) and any(part.count(separator) >= width - 1 for part in value.splitlines()[1:])
        for value in record
    )


def _swallows_rows_anywhere(table: pa.Table, separator: str, width: int, newline: bool = True) -> bool:
    """Whether a parsed value holds a line break followed by a line that looks like a row (see
    _swallows_rows; ``newline`` False: the file breaks lines with CR alone). Vectorised: only the
    values holding a line break reach Python, so a file of legitimate multi-line notes costs one
    pass of Arrow's substring search."""
    if width < 3:
        return False
    for column in table.columns:
        broken = pc.match_substring(column, "\n" if newline else "\r")
        values = column.filter(pc.fill_null(broken, False))
        if len(values) and _swallows_rows(values.to_pylist(), separator, width):
            return True
    return False


def _unclosed(name: str, row: int, line: int, span: int | None = None) -> None:
    where = f"row {row}" + (f" (line {line} of the file)" if line != row else "")
    swallowed = (
        f"is closed only {span} lines further down, so the rows in between would be read as one value"
        if span
        else "is never closed, so the rest of the file would be read as one value"
    )
    raise UnreadableFile(
        f'{name}: a quote (") opened on {where} {swallowed}; the file cannot be split into rows from there',
        f'close the quote on {where} of the export (a quote inside a value is written twice: ""), '
        "or export the file again; this stops even a lenient import",
    ) from None


def _counts_quotes(encoding: str) -> bool:
    """Whether a quote is the byte 0x22 and nothing else is (ASCII-compatible encodings)."""
    name = codecs.lookup(encoding).name
    return not name.startswith(("utf-16", "utf-32"))


def _arrow_csv(
    path: Path, width: int, skip: int, separator: str, encoding: str
) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Parse with pyarrow. Values may hold line breaks inside quotes; pyarrow parses much faster
    when told there are none, and says so when that was wrong ("out of sync"): then the file is
    parsed again allowing them."""
    try:
        return _arrow_parse(path, width, skip, separator, encoding, newlines_in_values=False)
    except pa.ArrowInvalid as exc:
        if "out of sync" not in str(exc):
            raise
    return _arrow_parse(path, width, skip, separator, encoding, newlines_in_values=True)


def _arrow_parse(
    path: Path, width: int, skip: int, separator: str, encoding: str, newlines_in_values: bool
) -> tuple[pa.Table, list[tuple[int, str]]]:
    names = [f"c{i}" for i in range(width)]
    invalid: list[tuple[int, str]] = []

    def on_invalid(row: pcsv.InvalidRow) -> str:
        invalid.append((row.actual_columns, row.text))
        return "skip"

    table = pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(
            column_names=names, skip_rows=skip, block_size=1 << 24, encoding="utf8" if _is_utf8(encoding) else encoding
        ),
        parse_options=pcsv.ParseOptions(
            delimiter=separator,
            newlines_in_values=newlines_in_values,
            invalid_row_handler=on_invalid,
            ignore_empty_lines=False,
        ),
        convert_options=pcsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    return table, invalid


def _python_csv(path: Path, name: str, headers: list[str], skip_rows: int, separator: str, encoding: str) -> RawFile:
    """Slow, exact reading: short rows are padded, long rows are set aside with their row number."""
    width = len(headers)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    rows: list[int] = []
    bad: list[tuple[int, int, str]] = []
    with path.open(encoding=encoding, newline="") as handle:
        records = csv.reader(handle, delimiter=separator)
        for number, record in enumerate(records, start=1):
            if number <= skip_rows + 1 or not any(cell.strip() for cell in record):
                continue
            if len(record) > width:
                bad.append((number, len(record), separator.join(record)))
                continue
            record = record + [""] * (width - len(record))
            for i, cell in enumerate(record):
                columns[i].append(cell if cell != "" else None)
            rows.append(number)
    table = pa.table({f"c{i}": pa.array(col, type=pa.string()) for i, col in enumerate(columns)})
    return RawFile(name, headers, table, np.array(rows, dtype=np.int64), encoding, separator, bad)


def clean_header(header: str) -> str:
    return header.lstrip("\ufeff").strip()


def unique_headers(headers: list[str]) -> list[str]:
    """A header that repeats one to its left exactly is numbered: the second "ID" is "ID (2)", so
    a mapping reads the first with "ID" and the other with "ID (2)". Only exact repeats are
    numbered ("Owner" and "owner" are two headers), and a number a real header already has is
    skipped (with "Id, Id, Id (2)" the second "Id" is "Id (3)")."""
    taken = set(headers)
    seen: dict[str, int] = {}
    result = []
    for header in headers:
        if not header or header not in seen:
            seen.setdefault(header, 1)
            result.append(header)
            continue
        number = seen[header] + 1
        while f"{header} ({number})" in taken:
            number += 1
        seen[header] = number
        taken.add(f"{header} ({number})")
        result.append(f"{header} ({number})")
    return result


def repeated_headers(raw: RawFile) -> dict[str, int]:
    """Headers that occur more than once in the file: header -> how many times."""
    counts: dict[str, int] = {}
    for header in raw.original_headers:
        counts[header] = counts.get(header, 0) + 1
    return {header: n for header, n in counts.items() if header and n > 1}


# --------------------------------------------------------------------------- XLSX


def _read_xlsx(path: Path, name: str, options: FormatOptions) -> RawFile:
    import openpyxl

    with path.open("rb") as handle:  # a file object: openpyxl would refuse a workbook named .csv
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged or mislabelled file
            raise UnreadableFile(
                f"{name}: not a readable XLSX workbook ({exc})", "open it in a spreadsheet and save it as .xlsx or .csv"
            ) from None
        try:
            sheet = _sheet(book, options.sheet, name)
            records = list(sheet.iter_rows(values_only=True))
            sheets = {ws.title: _header_row(ws, options.skip_rows) if ws is not sheet else [] for ws in book.worksheets}
        finally:
            book.close()
    body = records[options.skip_rows :]
    if not body or not any(v is not None for v in body[0]):
        listed = ", ".join(f"'{title}'" for title in sheets)
        empty = not any(v is not None for record in records for v in record)
        raise UnreadableFile(
            f"{name}: "
            + (
                f"sheet '{sheet.title}' is empty"
                if empty
                else f"no header row in sheet '{sheet.title}'"
                + (f" (row {options.skip_rows + 1})" if options.skip_rows else "")
            ),
            f"set format: sheet to the sheet holding the data (the workbook's sheets: {listed}), "
            "or check format: skip_rows",
        )
    headers = [clean_header(_cell_text(v, ".") or "") for v in body[0]]
    while headers and not headers[-1]:
        headers.pop()
    originals, headers = headers, unique_headers(headers)
    sheets[sheet.title] = headers
    width = len(headers)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for record in body[1:]:
        cells = list(record[:width]) + [None] * max(0, width - len(record))
        for i, value in enumerate(cells):
            columns[i].append(_cell_text(value, options.decimal))
    table = pa.table({f"c{i}": pa.array(col, type=pa.string()) for i, col in enumerate(columns)})
    first_row = options.skip_rows + 2
    return RawFile(
        name,
        headers,
        table,
        np.arange(first_row, first_row + table.num_rows, dtype=np.int64),
        sheet=sheet.title,
        sheets=sheets,
        original_headers=originals,
    )


def _header_row(sheet: ReadOnlyWorksheet, skip_rows: int) -> list[str]:
    """The header row of another sheet (to say which sheet holds the mapped columns)."""
    for record in sheet.iter_rows(min_row=skip_rows + 1, max_row=skip_rows + 1, values_only=True):
        return [h for h in (clean_header(_cell_text(v, ".") or "") for v in record) if h]
    return []


def _sheet(book: Workbook, wanted: str | int | None, name: str) -> ReadOnlyWorksheet:
    """The sheet named ``wanted`` (exactly, else ignoring case), at index ``wanted``, or the first."""
    if wanted is None:
        return book.worksheets[0]
    if isinstance(wanted, int):
        if 0 <= wanted < len(book.worksheets):
            return book.worksheets[wanted]
    elif wanted in book.sheetnames:
        return book[wanted]
    else:
        folded = [ws for ws in book.worksheets if ws.title.strip().casefold() == str(wanted).strip().casefold()]
        if folded:
            return folded[0]
    raise UnreadableFile(
        f"{name}: no sheet {wanted!r}; sheets: {', '.join(book.sheetnames)}",
        "set format: sheet to one of these names (or a 0-based index)",
    )


def _cell_text(value: object, decimal: str) -> str | None:
    """A cell as the text a CSV export would hold (numbers use the declared decimal separator)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        return text.replace(".", decimal) if decimal != "." else text
    text = str(value)
    return text if text.strip() else None


# --------------------------------------------------------------------------- clean-up


def _drop_empty_rows(raw: RawFile) -> RawFile:
    """Rows where every cell is empty (";;;;" lines spreadsheets leave) carry no data."""
    if raw.table.num_columns == 0 or raw.table.num_rows == 0:
        return raw
    filled = None
    for column in raw.table.columns:
        valid = pc.is_valid(column)
        filled = valid if filled is None else pc.or_(filled, valid)
    keep = to_numpy_bool(filled)
    if keep.all():
        return raw
    raw.table = raw.table.filter(pa.array(keep))
    raw.rows = raw.rows[keep]
    return raw


def _drop_total_rows(raw: RawFile) -> RawFile:
    """Drop trailing rows whose first non-empty cell starts with "total" (any case)."""
    count = 0
    for index in range(raw.table.num_rows - 1, -1, -1):
        row = [raw.table.column(i)[index].as_py() for i in range(raw.table.num_columns)]
        first = next((cell for cell in row if cell is not None and cell.strip()), "")
        if not _TOTAL.match(first):
            break
        count += 1
    if count:
        raw.table = raw.table.slice(0, raw.table.num_rows - count)
        raw.rows = raw.rows[: raw.table.num_rows]
        raw.total_rows_dropped = count
    return raw
