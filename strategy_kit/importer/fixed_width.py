"""Reading whitespace-aligned (fixed-width) text exports (``format: {layout: fixed}``), as text
like every export (see :mod:`strategy_kit.importer.readers`)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyarrow as pa

from strategy_kit.importer.readers import (
    FALLBACK_ENCODING,
    FormatOptions,
    RawFile,
    UnreadableFile,
    checked_encoding,
    clean_header,
    sample_records,
    unique_headers,
)


def read_fixed_width(path: Path, name: str, options: FormatOptions) -> RawFile:
    """A text file whose columns are aligned with spaces (``format: {layout: fixed}``).

    Column boundaries are ``options.widths`` when given, else inferred as pandas.read_fwf
    does (the character positions blank on every line separate columns), the header line
    included; a header of several words over a column whose values are narrower stays one
    header. pandas.read_fwf then cuts the lines. Rows keep their line numbers."""
    import io

    import pandas as pd

    declared = checked_encoding(path, name, options)
    _, encoding = sample_records(path, declared, options.skip_rows)
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if declared is not None:
            raise UnreadableFile(
                f"{name}: cannot be decoded as {encoding} at byte {exc.start}",
                "set format: encoding: to the file's real encoding (utf-8, cp1252, latin-1)",
            ) from None
        encoding, text = FALLBACK_ENCODING, data.decode(FALLBACK_ENCODING, errors="replace")
    lines = re.split(r"\r\n|\r|\n", text.lstrip("\ufeff").expandtabs())
    if lines and lines[-1] == "":
        lines.pop()  # the final line break
    body = lines[options.skip_rows :]
    if not body or not body[0].strip():
        raise UnreadableFile(
            f"{name}: no header row" + (f" after skipping {options.skip_rows} line(s)" if options.skip_rows else ""),
            "check format: skip_rows, or export the file again with its header row",
        )
    spans = _spans_of_widths(options.widths) if options.widths else _inferred_spans(body)
    frame = pd.read_fwf(
        io.StringIO("\n".join(body)), colspecs=spans, header=0, dtype=str, na_filter=False, skip_blank_lines=False
    )
    originals = [clean_header(body[0][start:end]) for start, end in spans]
    headers = unique_headers(originals)
    table = pa.table(
        {
            f"c{i}": pa.array(
                [v if isinstance(v, str) and v.strip() else None for v in frame.iloc[:, i]], type=pa.string()
            )
            for i in range(len(spans))
        }
    )
    first_row = options.skip_rows + 2
    return RawFile(
        name,
        headers,
        table,
        np.arange(first_row, first_row + table.num_rows, dtype=np.int64),
        encoding,
        original_headers=originals,
    )


def _spans_of_widths(widths: tuple[int, ...]) -> list[tuple[int, int]]:
    ends = np.cumsum(widths).tolist()
    return [(end - width, end) for end, width in zip(ends, widths)]


def _inferred_spans(lines: list[str]) -> list[tuple[int, int]]:
    """Runs of positions holding a character on some line (pandas.read_fwf's inference, the
    header included), then joined where the header says they are one column: a run under no
    header text continues the column on its left (a time after a date), and runs that one space
    separates in the header, one of them without any value, are one header ("Owner Name" over
    shorter names)."""
    header = lines[0]
    width = max(len(line) for line in lines)
    in_data = _used_positions(lines[1:], width)
    used = _used_positions(lines[:1], width) | in_data
    edges = np.flatnonzero(np.diff(np.concatenate([[False], used, [False]]).astype(np.int8)))
    spans = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if not merged:
            merged.append((start, end))
            continue
        last_start, last_end = merged[-1]
        unnamed = not header[start:end].strip()
        one_header = (
            start - last_end == 1
            and header[last_end - 1 : last_end] not in ("", " ")
            and header[start : start + 1] not in ("", " ")
            and (not in_data[last_start:last_end].any() or not in_data[start:end].any())
        )
        if unnamed or one_header:
            merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and not header[merged[0][0] : merged[0][1]].strip():
        merged[:2] = [(merged[0][0], merged[1][1])]  # values left of the first header belong to it
    return merged or [(0, width)]


def _used_positions(lines: list[str], width: int, chunk: int = 20_000) -> np.ndarray:
    used = np.zeros(width, dtype=bool)
    for first in range(0, len(lines), chunk):
        block = np.array([line.ljust(width) for line in lines[first : first + chunk]], dtype=f"<U{width}")
        if len(block):
            used |= (block.view(np.uint32).reshape(len(block), width) != ord(" ")).any(axis=0)
    return used
