"""Vectorised conversion of text columns to canonical types.

Every function takes a pyarrow string column (cells already trimmed, empty = missing) and
returns the typed column plus a numpy mask of the cells that could not be converted. Work
on whole columns happens in pyarrow; per-value Python work only ever touches the distinct
values of a column (value maps, booleans), never its rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Column: TypeAlias = "pa.Array | pa.ChunkedArray"
# Reads the cells of a text column as timestamps (null where it cannot), in the client's zone.
DateParser = Callable[[pa.Array, "Zones"], pa.Array]

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t", "x", "oui", "o", "vrai", "1.0", "checked"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "f", "non", "faux", "0.0", "unchecked"})
# Thousands separators a declared value stands for: a space means any kind of space.
_THOUSANDS = {" ": (" ", "\u00a0", "\u202f"), "'": ("'", "\u2019")}
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_NUMBER_RE = re.compile(_NUMBER[1:-1])
_NUMBER_NOISE = r"[\s\x{00A0}\x{202F}€$£%]"
_ISO_NAIVE = r"^\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$"
_ISO_AWARE = r"^\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s?(Z|[+-]\d{2}(:?\d{2})?)$"
_ISO_NAIVE_RE = re.compile(_ISO_NAIVE[1:-1])
_ISO_AWARE_RE = re.compile(_ISO_AWARE[1:-1])
_ISO_PATTERNS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")
_AWARE_PATTERNS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M%z")
_TIMES = ("%H:%M:%S", "%H:%M", "%I:%M %p", "%I:%M:%S %p")
DATE_FORMATS: dict[str, tuple[str, ...]] = {
    "iso": (),
    "dayfirst": tuple(
        f"{d}{t}"
        for d in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d.%m.%y")
        for t in ("", *(" " + t for t in _TIMES))
    ),
    "monthfirst": tuple(
        f"{d}{t}" for d in ("%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y") for t in ("", *(" " + t for t in _TIMES))
    ),
}
_NS = pa.timestamp("ns")
# Numbers above this (in absolute value) are refused at import: no sales figure, head count or
# duration comes near it (the world's yearly GDP is about 1e14), so it is a mistake in the
# export (docs/mapping.md, Validation).
LARGEST_NUMBER = 1e15
_INT_BOUND = 9e18  # within int64 (about 9.22e18)
_EARLIEST_YEAR = 1900


def to_numpy_bool(column: Column) -> np.ndarray:
    """A boolean column as a numpy array (missing = False)."""
    filled = pc.fill_null(column, False)
    if isinstance(filled, pa.ChunkedArray):
        return filled.to_numpy() if filled.num_chunks else np.zeros(0, dtype=bool)
    return filled.to_numpy(zero_copy_only=False)


def nulls(length: int, type_: pa.DataType | None = None) -> pa.Array:
    """``length`` nulls of ``type_`` (text by default)."""
    return pa.nulls(length, type=type_ or pa.string())


def clean_text(column: Column) -> Column:
    """Trim spaces (including non-breaking ones); empty cells become missing."""
    trimmed = pc.utf8_trim_whitespace(column)
    empty = pc.equal(trimmed, "")
    if not pc.any(empty).as_py():
        return trimmed
    return pc.if_else(empty, pa.scalar(None, pa.string()), trimmed)


def missing_mask(column: Column) -> np.ndarray:
    return to_numpy_bool(pc.is_null(column))


# --------------------------------------------------------------------------- distinct values


@dataclass
class Encoded:
    """A text column as codes into its distinct values (-1 = missing): cheap to remap.

    Values are trimmed; a value left empty is missing."""

    codes: np.ndarray
    values: list[str]

    @classmethod
    def of(cls, column: Column | Encoded) -> Encoded:
        if isinstance(column, Encoded):
            return column
        if not pa.types.is_dictionary(column.type):
            encoded = pc.dictionary_encode(column)
        else:
            encoded = column.unify_dictionaries() if isinstance(column, pa.ChunkedArray) else column
        if isinstance(encoded, pa.ChunkedArray):
            chunks = encoded.chunks
            if not chunks:
                return cls(np.zeros(0, dtype=np.int32), [])
            values = chunks[0].dictionary.to_pylist()
            codes = np.concatenate([_codes(chunk) for chunk in chunks])
        else:
            values = encoded.dictionary.to_pylist()
            codes = _codes(encoded)
        plain = cls(codes, values)
        if any(not v or v != v.strip() for v in values):
            return plain.remap(lambda v: v.strip() or None)
        return plain

    def remap(self, translate: Callable[[str], str | None]) -> Encoded:
        """Apply ``translate`` to each distinct value (None = missing); merges equal results."""
        results = [translate(v) for v in self.values]
        merged = sorted({r for r in results if r is not None})
        position = {v: i for i, v in enumerate(merged)}
        table = np.array([position[r] if r is not None else -1 for r in results] + [-1], dtype=np.int32)
        return Encoded(table[self.codes], merged)

    def reorder(self, values: list[str]) -> Encoded:
        """The same column with ``values`` as its distinct values, in that order (others become missing)."""
        position = {v: i for i, v in enumerate(values)}
        table = np.array([position.get(v, -1) for v in self.values] + [-1], dtype=np.int32)
        return Encoded(table[self.codes], list(values))

    def fill(self, value: str) -> Encoded:
        """Missing cells take ``value``."""
        values = self.values if value in self.values else self.values + [value]
        codes = np.where(self.codes < 0, values.index(value), self.codes).astype(np.int32)
        return Encoded(codes, values)

    def rows_with(self, values: set[str]) -> np.ndarray:
        chosen = np.array([i for i, v in enumerate(self.values) if v in values], dtype=np.int32)
        return np.isin(self.codes, chosen) if len(chosen) else np.zeros(len(self.codes), dtype=bool)

    def counts(self) -> dict[str, int]:
        tally = np.bincount(self.codes[self.codes >= 0], minlength=len(self.values))
        return {v: int(n) for v, n in zip(self.values, tally)}

    def to_dictionary(self) -> pa.DictionaryArray:
        indices = pa.array(self.codes, mask=self.codes < 0, type=pa.int32())
        return pa.DictionaryArray.from_arrays(indices, pa.array(self.values, type=pa.string()))

    def to_text(self) -> pa.Array:
        return pc.take(pa.array(self.values, type=pa.string()), pa.array(self.codes, mask=self.codes < 0))

    def take(self, index: np.ndarray) -> list[str | None]:
        return [self.values[c] if c >= 0 else None for c in self.codes[index]]

    def __len__(self) -> int:
        return len(self.codes)


def as_text(column: Column | Encoded) -> Column:
    """A text column, whether it is held as text or as codes."""
    return column.to_text() if isinstance(column, Encoded) else column


def take_text(column: Column | Encoded, index: np.ndarray) -> list[str | None]:
    if isinstance(column, Encoded):
        return column.take(index)
    return column.take(pa.array(index, type=pa.int64())).to_pylist()


def constant(value: str, length: int) -> Encoded:
    return Encoded(np.zeros(length, dtype=np.int32), [value])


def _codes(chunk: pa.DictionaryArray) -> np.ndarray:
    return pc.fill_null(chunk.indices, -1).to_numpy(zero_copy_only=False).astype(np.int32, copy=False)


def lookup_in(mapping: dict[str, str | None]) -> Callable[[str], str | None]:
    """Exact match first, then ignoring case; values not in ``mapping`` are kept as they are."""
    folded = {k.casefold(): v for k, v in mapping.items()}

    def translate(value: str) -> str | None:
        if value in mapping:
            return mapping[value]
        return folded.get(value.casefold(), value)

    return translate


def map_values(column: Column | Encoded, mapping: dict[str, str | None]) -> Encoded:
    """Apply a value mapping to a text column (through its distinct values)."""
    return Encoded.of(column).remap(lookup_in(mapping))


# --------------------------------------------------------------------------- numbers


def parse_number(column: Column, decimal: str = ".", thousands: str = "") -> tuple[pa.Array, np.ndarray]:
    """Decimal numbers; currency signs, % and spaces around digits are ignored."""
    text = column
    for separator in _THOUSANDS.get(thousands, (thousands,) if thousands else ()):
        text = pc.replace_substring(text, separator, "")
    if decimal != ".":
        text = pc.replace_substring(text, decimal, ".")
    if all(_NUMBER_RE.fullmatch(v) for v in sample(text)):
        try:
            numbers = text.cast(pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            numbers = None
        # the cast also reads "nan", "inf", "Infinity": words, not numbers (the exact path refuses them)
        if numbers is not None and pc.all(pc.is_finite(numbers)).as_py() is not False:
            return numbers, np.zeros(len(column), dtype=bool)
    text = pc.replace_substring_regex(text, _NUMBER_NOISE, "")
    valid = pc.fill_null(pc.match_substring_regex(text, _NUMBER), False)
    numbers = pc.if_else(valid, text, pa.scalar(None, pa.string())).cast(pa.float64())
    bad = to_numpy_bool(pc.and_(pc.not_equal(text, ""), pc.invert(valid)))
    return numbers, bad


def parse_integer(column: Column, decimal: str = ".", thousands: str = "") -> tuple[pa.Array, np.ndarray]:
    """Whole numbers. Those beyond what 64 bits hold (1e300) are kept at that bound, so that
    the range check (validate.numbers_in_range) reports them with the cell's text."""
    numbers, bad = parse_number(column, decimal, thousands)
    numbers = pc.max_element_wise(
        pc.min_element_wise(numbers, _INT_BOUND, skip_nulls=False), -_INT_BOUND, skip_nulls=False
    )
    whole = to_numpy_bool(pc.equal(numbers, pc.floor(numbers)))
    fractional = ~whole & ~missing_mask(numbers)
    integers = pc.if_else(pa.array(fractional), pa.scalar(None, pa.float64()), numbers)
    return pc.cast(integers, pa.int64()), bad | fractional


# --------------------------------------------------------------------------- booleans


def parse_boolean(column: Column) -> tuple[pa.Array, np.ndarray]:
    """true/false from 1/0, true/false, yes/no, oui/non, vrai/faux (any case)."""
    encoded = Encoded.of(column)
    meaning = [
        True if v.casefold() in TRUE_WORDS else False if v.casefold() in FALSE_WORDS else None for v in encoded.values
    ]
    table = np.array([m is True for m in meaning] + [False])
    known = np.array([m is not None for m in meaning] + [True])
    values = table[encoded.codes]
    missing = encoded.codes < 0
    return pa.array(values, mask=missing), ~known[encoded.codes]


# --------------------------------------------------------------------------- dates and times


@dataclass(frozen=True)
class Zones:
    """Naive timestamps in a file are in ``file``; results are naive in ``client``."""

    client: str
    file: str | None = None

    @property
    def converts_naive(self) -> bool:
        return bool(self.file) and self.file != self.client


def parse_datetime(column: Column, date_format: str, zones: Zones) -> tuple[pa.Array, np.ndarray]:
    """Timestamps, naive, in the client's time zone. ISO 8601 is always accepted.

    Values with an offset (``+0000``, ``Z``) are converted to the client's zone; naive values
    with a time of day are converted from ``zones.file`` when it differs from the client's
    zone; dates without a time are never shifted.

    The usual export has one format throughout: a sample of the column picks the format,
    which is tried on the whole column in one cast; cells left unparsed then go through the
    other formats, most likely first.
    """
    values = sample(column)
    fast = _fast_iso(column, values, zones)
    if fast is not None:
        return fast, np.zeros(len(column), dtype=bool)
    column = _combine(clean_text(column))
    result = np.full(len(column), np.datetime64("NaT"), dtype="datetime64[ns]")
    todo = ~missing_mask(column)
    for parse in _ranked_parsers(values, date_format):
        if not todo.any():
            break
        todo = _fill(result, todo, column, parse, zones)
    return pa.array(result, from_pandas=True), todo


def sample(column: Column, size: int = 500) -> list[str]:
    """Up to ``size`` non-missing values from the start of a text column, trimmed."""
    head = pc.drop_null(column.slice(0, size * 20))
    if len(head) == 0 and column.null_count < len(column):
        head = pc.drop_null(column)
    return [v.strip() for v in head.slice(0, size).to_pylist() if v.strip()]


def _fast_iso(column: Column, values: list[str], zones: Zones) -> pa.Array | None:
    """One cast of the whole column when the sample is all ISO (the usual export), else None."""
    if not values:
        return None
    for shape, target in ((_ISO_NAIVE_RE, _NS), (_ISO_AWARE_RE, pa.timestamp("ns", tz="UTC"))):
        if all(shape.fullmatch(v) for v in values):
            try:
                parsed = column.cast(target)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return None
            return _localise(parsed, column, zones) if target == _NS else _to_client(parsed, zones)
    return None


def _ranked_parsers(values: list[str], date_format: str) -> list[DateParser]:
    """The parsers for ISO and the declared format, those that read most of the sample first."""
    parsers: list[DateParser] = [_parse_aware, _parse_iso_naive]
    parsers += [_pattern_parser(pattern) for pattern in _patterns(date_format)]
    if not values:
        return parsers
    probe = pa.array(values, type=pa.string())
    hits = [len(values) - parse(probe, Zones("UTC")).null_count for parse in parsers]
    order = sorted(range(len(parsers)), key=lambda i: (-hits[i], i))
    return [parsers[i] for i in order]


def _pattern_parser(pattern: str) -> DateParser:
    """The parser of one declared date pattern (strptime directives)."""

    def parse(sub: pa.Array, zones: Zones) -> pa.Array:
        return _parse_pattern(sub, pattern, zones)

    return parse


def _patterns(date_format: str) -> tuple[str, ...]:
    if date_format in DATE_FORMATS:
        return DATE_FORMATS[date_format]
    return (date_format,)


def _combine(column: Column) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _fill(result: np.ndarray, todo: np.ndarray, column: pa.Array, parse: DateParser, zones: Zones) -> np.ndarray:
    """Parse the cells still unparsed and store those that parsed; returns the cells left."""
    if todo.all():
        index, sub = np.arange(len(column)), column
    else:
        index = np.flatnonzero(todo)
        sub = column.take(pa.array(index))
    values = parse(sub, zones).to_numpy(zero_copy_only=False).astype("datetime64[ns]")
    ok = ~np.isnat(values) & (values >= np.datetime64(f"{_EARLIEST_YEAR}-01-01", "ns"))
    result[index[ok]] = values[ok]
    left = todo.copy()
    left[index[ok]] = False
    return left


def _parse_aware(sub: pa.Array, zones: Zones) -> pa.Array:
    """ISO 8601 with an offset (+0000, +01:00, Z), converted to the client's zone."""
    shaped = to_numpy_bool(pc.match_substring_regex(sub, _ISO_AWARE))
    parsed = np.full(len(sub), np.datetime64("NaT"), dtype="datetime64[ns]")
    if shaped.any():
        index = np.flatnonzero(shaped)
        part = sub.take(pa.array(index))
        try:
            aware = part.cast(pa.timestamp("ns", tz="UTC"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            aware = _coalesce([_strptime(part, p) for p in _AWARE_PATTERNS])
        parsed[index] = _to_client(aware, zones).to_numpy(zero_copy_only=False)
    return pa.array(parsed, from_pandas=True)


def _parse_iso_naive(sub: pa.Array, zones: Zones) -> pa.Array:
    """ISO 8601 dates and date-times without an offset (fractions of a second allowed)."""
    shaped = to_numpy_bool(pc.match_substring_regex(sub, _ISO_NAIVE))
    parsed = np.full(len(sub), np.datetime64("NaT"), dtype="datetime64[ns]")
    if shaped.any():
        index = np.flatnonzero(shaped)
        part = sub.take(pa.array(index))
        try:
            naive = part.cast(_NS)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            naive = _coalesce([_strptime(part, p) for p in _ISO_PATTERNS])
        parsed[index] = _localise(naive, part, zones).to_numpy(zero_copy_only=False)
    return pa.array(parsed, from_pandas=True)


def _strptime(text: pa.Array, pattern: str) -> pa.Array:
    """pyarrow's strptime, minus the days it rolls over (it reads 31/02 as 2 March)."""
    parsed = pc.strptime(text, format=pattern, unit="ns", error_is_null=True)
    if "%d" not in pattern:
        return parsed
    # A rolled-over day lands on the 1st, 2nd or 3rd of the next month: check those rows only.
    suspect = np.flatnonzero(to_numpy_bool(pc.less_equal(pc.day(parsed), 3)))
    if not len(suspect):
        return parsed
    index = pa.array(suspect)
    written = pc.extract_regex(text.take(index), _day_regex(pattern)).field("day").cast(pa.int64())
    wrong = to_numpy_bool(pc.not_equal(written, pc.day(parsed.take(index))))
    if not wrong.any():
        return parsed
    mask = np.zeros(len(parsed), dtype=bool)
    mask[suspect[wrong]] = True
    return pc.if_else(pa.array(mask), pa.scalar(None, parsed.type), parsed)


_DIRECTIVE_PATTERNS = {
    "%d": r"(?P<day>\d{1,2})",
    "%m": r"\d{1,2}",
    "%Y": r"\d{4}",
    "%y": r"\d{2}",
    "%H": r"\d{1,2}",
    "%I": r"\d{1,2}",
    "%M": r"\d{1,2}",
    "%S": r"\d{1,2}",
    "%p": r"[AaPp]\.?[Mm]\.?",
    "%z": r"\S+",
    "%b": r"\w+",
    "%B": r"\w+",
    "%j": r"\d{1,3}",
    "%%": "%",
}


def _day_regex(pattern: str) -> str:
    parts = re.split(r"(%.)", pattern)
    return "^" + "".join(
        _DIRECTIVE_PATTERNS.get(p, r".*?") if p.startswith("%") and len(p) == 2 else re.escape(p) for p in parts if p
    )


def _parse_pattern(sub: pa.Array, pattern: str, zones: Zones) -> pa.Array:
    parsed = _strptime(sub, pattern)
    if pa.types.is_timestamp(parsed.type) and parsed.type.tz is not None:
        return _to_client(parsed, zones)
    return _localise(parsed, sub, zones)


def _coalesce(parts: list[pa.Array]) -> pa.Array:
    return pc.coalesce(*parts) if len(parts) > 1 else parts[0]


def _to_client(aware: pa.Array, zones: Zones) -> pa.Array:
    return pc.local_timestamp(aware.cast(pa.timestamp("ns", tz=zones.client)))


def _localise(naive: pa.Array, text: pa.Array, zones: Zones) -> pa.Array:
    """Convert naive timestamps that carry a time of day from the file's zone to the client's."""
    if not zones.converts_naive:
        return naive
    aware = pc.assume_timezone(naive, zones.file, ambiguous="earliest", nonexistent="earliest")
    converted = _to_client(aware, zones)
    has_time = pc.match_substring(text, ":")
    return pc.if_else(has_time, converted, naive)
