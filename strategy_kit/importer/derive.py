"""Derived fields: canonical columns computed from other columns of an export.

Shapes accepted under ``derive:`` (docs/mapping.md):

- ``COLUMN: {from: HEADER, map: {...}, default: VALUE, prefix: TEXT}`` — a column read from
  another one through a value map (status from a stage label; activity type from a subtype);
- ``status: {won: HEADER, closed: HEADER}`` — status from two true/false columns;
- ``COLUMN: {first_of: [HEADER, ...]}`` — the first non-empty value among several columns;
- ``COLUMN: {year: HEADER, month: HEADER, day: HEADER}`` — a date from separate parts (day
  optional: the 1st of the month);
- ``COLUMN: {generate: true}`` / ``{hash_of: [HEADER, ...]}`` — an id made from the row's content
  (every mapped column, or the chosen ones) and its occurrence number, stable across re-imports;
- ``COLUMN: {lookup: TABLE.COLUMN, by: KEY}`` — a value taken from another table's row whose key
  equals this row's KEY (see :mod:`strategy_kit.importer.lookups`);
- ``close_date: {from: HEADER}`` (deals) — a date that is the close date of won/lost deals
  and the expected close date of open ones (Salesforce CloseDate, HubSpot Close Date);
- ``stage_history: {columns: {STAGE_ID: HEADER}}`` (deals) — one stage-history row per
  non-empty date column (HubSpot's ``Date entered "<Stage> (<Pipeline>)"``).

The stage history is then completed by
:func:`strategy_kit.importer.history.complete_stage_history` (re-exported here).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from strategy_kit.errors import ConfigError
from strategy_kit.importer.convert import (
    Encoded,
    as_text,
    clean_text,
    lookup_in,
    parse_boolean,
    to_numpy_bool,
)
from strategy_kit.importer.history import StageHistory, complete_stage_history, history_from_columns  # noqa: F401
from strategy_kit.importer.validate import Finding
from strategy_kit.schema import TABLES

if TYPE_CHECKING:
    from strategy_kit.importer.mapping import Where


@dataclass(frozen=True)
class Slot:
    """An export column a rule reads: the first header present among ``headers``."""

    name: str  # key of the column in the batch
    headers: tuple[str, ...]
    label: str  # the mapping key, for messages
    optional: bool = False


class ColumnRule(Protocol):
    target: str

    def slots(self) -> list[Slot]: ...

    def unmet(self, present: set[str]) -> str | None: ...

    def apply(self, columns: dict[str, pa.Array], length: int) -> tuple[pa.Array, list[Finding]]: ...


def _required_unmet(slots: list[Slot], present: set[str]) -> str | None:
    missing = [s for s in slots if not s.optional and s.name not in present]
    return None if not missing else missing[0].name


@dataclass(frozen=True)
class FromColumn:
    """``{from: HEADER, map: {...}, default: VALUE, prefix: TEXT}``."""

    target: str
    source: Slot
    mapping: dict[str, str | None]
    default: str | None = None
    has_default: bool = False
    prefix: str | None = None

    def slots(self) -> list[Slot]:
        return [self.source]

    def unmet(self, present: set[str]) -> str | None:
        return _required_unmet(self.slots(), present)

    def apply(self, columns: dict[str, pa.Array], length: int) -> tuple[pa.Array, list[Finding]]:
        text = columns[self.source.name]
        if self.prefix:
            text = clean_text(text)
            text = pc.if_else(pc.starts_with(text, self.prefix), text, pa.scalar(None, pa.string()))
        translate = lookup_in(self.mapping)
        known = {k.casefold() for k in self.mapping}

        def derive(value: str) -> str | None:
            if self.has_default and value.casefold() not in known:
                return self.default
            return translate(value)

        encoded = Encoded.of(text).remap(derive)
        if self.has_default and self.default is not None and (encoded.codes < 0).any():
            encoded = encoded.fill(self.default)
        return encoded, []


@dataclass(frozen=True)
class FirstOf:
    """``{first_of: [HEADER, ...]}``: headers absent from a file are skipped."""

    target: str
    sources: tuple[Slot, ...]

    def slots(self) -> list[Slot]:
        return list(self.sources)

    def unmet(self, present: set[str]) -> str | None:
        return None if any(s.name in present for s in self.sources) else self.sources[0].name

    def apply(self, columns: dict[str, pa.Array], length: int) -> tuple[pa.Array, list[Finding]]:
        parts = [clean_text(columns[s.name]) for s in self.sources if s.name in columns]
        return (pc.coalesce(*parts) if len(parts) > 1 else parts[0]), []


@dataclass(frozen=True)
class StatusFromBooleans:
    """``status: {won: HEADER, closed: HEADER}``: won if won; lost if closed and not won; else open."""

    target: str
    won: Slot
    closed: Slot

    def slots(self) -> list[Slot]:
        return [self.won, self.closed]

    def unmet(self, present: set[str]) -> str | None:
        return _required_unmet(self.slots(), present)

    def apply(self, columns: dict[str, pa.Array], length: int) -> tuple[pa.Array, list[Finding]]:
        won, bad_won = parse_boolean(columns[self.won.name])
        closed, bad_closed = parse_boolean(columns[self.closed.name])
        is_won, is_closed = to_numpy_bool(won), to_numpy_bool(closed)
        status = np.where(is_won, 0, np.where(is_closed, 1, 2)).astype(np.int32)
        findings = [
            Finding(
                "unparseable_boolean",
                slot.name,
                "not a true/false value",
                bad,
                fix="true values are 1, true, yes, oui, vrai; false values 0, false, no, non, faux or empty",
            )
            for slot, bad in ((self.won, bad_won), (self.closed, bad_closed))
            if bad.any()
        ]
        return Encoded(status, ["won", "lost", "open"]), findings


# Month names a month column may hold instead of a number (English and French, any case,
# with or without accents, full or abbreviated).
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "janvier", "janv"),
            ("february", "feb", "février", "fevrier", "févr", "fevr", "fév", "fev"),
            ("march", "mar", "mars"),
            ("april", "apr", "avril", "avr"),
            ("may", "mai"),
            ("june", "jun", "juin"),
            ("july", "jul", "juillet", "juil"),
            ("august", "aug", "août", "aout"),
            ("september", "sep", "sept", "septembre"),
            ("october", "oct", "octobre"),
            ("november", "nov", "novembre"),
            ("december", "dec", "décembre", "decembre", "déc"),
        ),
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class DateFromParts:
    """``{year: HEADER, month: HEADER, day: HEADER}``: a date from separate columns.

    Without ``day`` the date is the 1st of the month. Months are numbers or names (English or
    French). A row whose parts are all empty has no date; a row with some parts missing, parts
    that make no date (month 13, 31 April) or a year not written in full (26: 1000..9999 only),
    is a row problem."""

    target: str
    year: Slot
    month: Slot
    day: Slot | None = None

    def slots(self) -> list[Slot]:
        return [self.year, self.month] + ([self.day] if self.day else [])

    def unmet(self, present: set[str]) -> str | None:
        return _required_unmet(self.slots(), present)

    def apply(self, columns: dict[str, pa.Array], length: int) -> tuple[pa.Array, list[Finding]]:
        parts = [_text_series(columns[s.name]) for s in self.slots()]
        year = _whole_numbers(parts[0])
        short = year.notna() & ~year.between(1000, 9999)  # 26 would be the year 26, not 2026
        year = year.where(~short)
        month = _whole_numbers(parts[1]).fillna(parts[1].str.casefold().str.rstrip(".").map(_MONTHS))
        day = _whole_numbers(parts[2]) if self.day else pd.Series(1.0, index=parts[0].index)
        given = pd.concat([p.notna() for p in parts], axis=1)
        dates = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
        bad = (given.any(axis=1) & dates.isna() & ~short).to_numpy()
        text = pa.array(dates.dt.strftime("%Y-%m-%d").tolist(), type=pa.string(), from_pandas=True)
        findings = []
        if short.any():
            findings.append(
                Finding(
                    "invalid_date_parts",
                    self.year.name,
                    "years not written in full (4 digits)",
                    short.to_numpy(),
                    examples=list(dict.fromkeys(parts[0][short]))[:5],
                    fix="write the year in full (2026): a year has 4 digits, 1000 to 9999",
                )
            )
        if bad.any():
            shown = pd.concat(parts, axis=1)[bad].head(5).fillna("(empty)")
            findings.append(
                Finding(
                    "invalid_date_parts",
                    self.target,
                    "year, month and day that make no date",
                    bad,
                    examples=[" / ".join(row) for row in shown.astype(str).itertuples(index=False)],
                    fix="correct the cells: a year, a month 1-12 (or its name) and a day that exists in that month; "
                    "a row with all its parts empty simply has no date",
                )
            )
        return text, findings


def _text_series(column: pa.Array) -> pd.Series:
    """A text column as a pandas Series of trimmed strings (None = empty)."""
    return pd.Series(clean_text(as_text(column)).to_pylist(), dtype=object)


def _whole_numbers(text: pd.Series) -> pd.Series:
    """Whole numbers written as text ("3", "03", "2024.0"); anything else is missing."""
    numbers = pd.to_numeric(text, errors="coerce")
    return numbers.where(numbers % 1 == 0)


@dataclass(frozen=True)
class GeneratedId:
    """``{generate: true}`` or ``{hash_of: [HEADER, ...]}``: an id for exports that have none.

    The id is a hash of the row's content (every column mapped under ``columns:``, or the
    ``hash_of`` columns) and of its occurrence number among the rows with the same content, so
    identical rows still get distinct ids. Re-importing the same file gives the same ids, and a
    row added elsewhere changes no other row's id."""

    target: str
    sources: tuple[Slot, ...] = ()  # hash_of: the chosen columns
    inputs: tuple[str, ...] = ()  # generate: the batch columns of the mapped columns (set by the mapping)

    def slots(self) -> list[Slot]:
        return list(self.sources)

    def unmet(self, present: set[str]) -> str | None:
        return _required_unmet(self.slots(), present)

    def apply(self, columns: dict[str, pa.Array], length: int) -> tuple[pa.Array, list[Finding]]:
        names = [s.name for s in self.sources] or list(self.inputs)
        return content_ids([columns[n] for n in names], length), []


def content_ids(columns: list[pa.Array], length: int) -> pa.Array:
    """16 hex digits per row: BLAKE2b of the trimmed cells and the row's occurrence number."""
    values = [clean_text(as_text(c)).to_pylist() for c in columns]
    seen: dict[str, int] = {}
    ids = []
    for cells in zip(*values) if values else [()] * length:
        content = "\x1f".join("" if v is None else v for v in cells)
        occurrence = seen.get(content, 0)
        seen[content] = occurrence + 1
        ids.append(hashlib.blake2b(f"{content}\x1e{occurrence}".encode(), digest_size=8).hexdigest())
    return pa.array(ids, type=pa.string())


@dataclass(frozen=True)
class CloseDate:
    """``close_date: {from: HEADER}``: closed_at for won/lost deals, expected_close_at for open ones."""

    source: Slot

    def split(self, text: pa.Array, status: pa.Array) -> dict[str, pa.Array]:
        is_open = pc.fill_null(pc.equal(status, "open"), False)
        is_closed = pc.fill_null(pc.is_in(status, pa.array(["won", "lost"])), False)
        empty = pa.scalar(None, pa.string())
        return {
            "closed_at": pc.if_else(is_closed, text, empty),
            "expected_close_at": pc.if_else(is_open, text, empty),
        }


@dataclass(frozen=True)
class StageColumns:
    """``stage_history: {columns: {STAGE_ID: HEADER}}``: the date each stage was entered."""

    columns: dict[str, Slot]

    def slots(self) -> list[Slot]:
        return list(self.columns.values())


@dataclass(frozen=True)
class DeriveSpec:
    rules: tuple[Any, ...] = ()  # ColumnRule objects
    close_date: CloseDate | None = None
    stage_history: StageColumns | None = None
    lookups: tuple[Any, ...] = ()  # lookups.Lookup objects, applied once the tables are typed

    @property
    def lookup_targets(self) -> set[str]:
        return {lookup.target for lookup in self.lookups}

    @property
    def targets(self) -> set[str]:
        """Columns the text-stage rules fill (lookups are in ``lookup_targets``)."""
        targets = {r.target for r in self.rules}
        if self.close_date:
            targets |= {"closed_at", "expected_close_at"}
        return targets

    def slots(self) -> list[Slot]:
        slots = [s for r in self.rules for s in r.slots()]
        if self.close_date:
            slots.append(self.close_date.source)
        if self.stage_history:
            slots += self.stage_history.slots()
        return slots


# --------------------------------------------------------------------------- parsing


def parse_derive(table: str, raw: Any, where: Where) -> DeriveSpec:
    if not isinstance(raw, dict):
        raise where.error("expected 'column: rule' entries (see docs/mapping.md, Derived fields)")
    from strategy_kit.importer.lookups import parse_lookup

    rules, close_date, history, lookups = [], None, None, []
    for key, rule in raw.items():
        here = where / str(key)
        if not isinstance(rule, dict):
            raise here.error("expected a rule such as {from: HEADER, map: {...}}")
        if key == "stage_history":
            history = _stage_columns(table, rule, here)
        elif key == "close_date":
            close_date = _close_date(table, rule, here)
        elif "lookup" in rule:
            lookups.append(parse_lookup(table, str(key), rule, here))
        else:
            rules.append(_column_rule(table, str(key), rule, here))
    return DeriveSpec(tuple(rules), close_date, history, tuple(lookups))


def _slot(name: str, raw: Any, where: Where, optional: bool = False) -> Slot:
    headers = [raw] if isinstance(raw, (str, int, float)) else raw
    if not isinstance(headers, list) or not headers:
        raise where.error("expected a header name or a list of synonyms")
    return Slot(name, tuple(str(h).strip() for h in headers), str(where), optional)


def _column_rule(table: str, key: str, rule: dict[str, Any], where: Where) -> Any:
    from strategy_kit.importer.mapping import value_map, yaml_text

    if key not in TABLES[table].column_names:
        raise where.error(f"'{key}' is not a column of {table}; columns: {', '.join(TABLES[table].column_names)}")
    shape = set(rule)
    if shape <= {"won", "closed"} and key == "status":
        if shape != {"won", "closed"}:
            raise where.error("status from booleans needs both won: HEADER and closed: HEADER")
        return StatusFromBooleans(
            key,
            _slot(f"{key}.won", rule["won"], where / "won"),
            _slot(f"{key}.closed", rule["closed"], where / "closed"),
        )
    if shape == {"first_of"}:
        headers = rule["first_of"]
        if not isinstance(headers, list) or not headers:
            raise (where / "first_of").error("expected a list of headers")
        return FirstOf(
            key,
            tuple(_slot(f"{key}.first_of.{i}", h, where / "first_of", optional=True) for i, h in enumerate(headers)),
        )
    if "year" in shape or "month" in shape or "day" in shape:
        return _date_from_parts(table, key, rule, where)
    if shape == {"generate"} or shape == {"hash_of"}:
        return _generated_id(key, rule, where)
    if "from" in shape and shape <= {"from", "map", "default", "prefix"}:
        mapping = rule.get("map") or {}
        if not isinstance(mapping, dict):
            raise (where / "map").error("expected {export value: canonical value, ...}")
        default = rule.get("default")
        return FromColumn(
            key,
            _slot(f"{key}.from", rule["from"], where / "from"),
            value_map(mapping),
            None if default is None else yaml_text(default),
            "default" in rule,
            None if rule.get("prefix") is None else str(rule["prefix"]),
        )
    raise where.error(
        "unknown rule; use {from: HEADER, map: {...}, default: VALUE}, {first_of: [HEADER, ...]}, "
        "{year: HEADER, month: HEADER, day: HEADER}, {generate: true}, {hash_of: [HEADER, ...]}, "
        "{lookup: TABLE.COLUMN, by: KEY}" + (" or {won: HEADER, closed: HEADER}" if key == "status" else "")
    )


def _date_from_parts(table: str, key: str, rule: dict[str, Any], where: Where) -> DateFromParts:
    if TABLES[table].column(key).kind != "datetime":
        raise where.error(f"{key} is not a date column; year/month/day builds dates")
    extra = [k for k in rule if k not in ("year", "month", "day")]
    if extra or "year" not in rule or "month" not in rule:
        raise where.error("expected {year: HEADER, month: HEADER, day: HEADER} (day optional: the 1st of the month)")
    day = _slot(f"{key}.day", rule["day"], where / "day") if rule.get("day") is not None else None
    return DateFromParts(
        key,
        _slot(f"{key}.year", rule["year"], where / "year"),
        _slot(f"{key}.month", rule["month"], where / "month"),
        day,
    )


def _generated_id(key: str, rule: dict[str, Any], where: Where) -> GeneratedId:
    if "generate" in rule:
        if rule["generate"] is not True:
            raise (where / "generate").error("expected generate: true (or hash_of: [HEADER, ...])")
        return GeneratedId(key)
    headers = rule["hash_of"]
    if not isinstance(headers, list) or not headers or not all(isinstance(h, (str, int, float)) for h in headers):
        raise (where / "hash_of").error("expected a list of headers, e.g. hash_of: [Company, Date, Amount]")
    return GeneratedId(key, tuple(_slot(f"{key}.hash_of.{i}", h, where / "hash_of") for i, h in enumerate(headers)))


def _close_date(table: str, rule: dict[str, Any], where: Where) -> CloseDate:
    if table != "deals":
        raise where.error("close_date applies to deals only")
    if set(rule) != {"from"}:
        raise where.error("expected {from: HEADER}")
    return CloseDate(_slot("close_date.from", rule["from"], where / "from"))


def _stage_columns(table: str, rule: dict[str, Any], where: Where) -> StageColumns:
    if table != "deals":
        raise where.error("stage_history applies to deals only (or map a stage_history table)")
    columns = rule.get("columns")
    if set(rule) != {"columns"} or not isinstance(columns, dict) or not columns:
        raise where.error("expected {columns: {STAGE_ID: HEADER, ...}}")
    return StageColumns(
        {str(stage): _slot(f"stage_history.{stage}", h, where / "columns" / str(stage)) for stage, h in columns.items()}
    )


def check_stage_ids(spec: DeriveSpec, stage_ids: list[str], source: str) -> None:
    if not spec.stage_history:
        return
    unknown = [s for s in spec.stage_history.columns if s not in stage_ids]
    if unknown:
        raise ConfigError(
            f"{source}: import: deals: derive: stage_history: columns: '{unknown[0]}' is not a stage id; "
            f"stages: {', '.join(stage_ids)}"
        )
