"""Columns looked up from another table by key (docs/mapping.md, "Columns from another table").

``derive: COLUMN: {lookup: TABLE.COLUMN, by: KEY}`` gives each row the ``COLUMN`` of the
``TABLE`` row whose key (``TABLE``'s id column, e.g. ``leads.lead_id``) equals this row's
``KEY`` column (default: the column named like ``TABLE``'s key). It runs once both tables are
typed, before the row checks; a row's own non-empty value wins, so a lookup also serves as a
fallback. Deals inherit their lead's ``source`` automatically (when ``deals.lead_id`` and
``leads.source`` are mapped).

Tables are imported in an order where every table comes after the tables it looks up from;
lookups that form a cycle are a mapping mistake.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from strategy_kit.importer.convert import Encoded, missing_mask, to_numpy_bool
from strategy_kit.schema import CALENDAR_DIMENSIONS, TABLES

if TYPE_CHECKING:
    from strategy_kit.importer.mapping import TableMapping, Where

# Columns whose values must be canonical ids: filled from the export and its value maps only.
_NOT_LOOKED_UP = ("stage", "status", "type", "direction", "outcome")
_TEXT_KINDS = ("id", "text", "category")
# Breakdowns every dated row has already (kpis --by): custom dimensions cannot take these names.
_DIMENSION_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Lookup:
    """``COLUMN: {lookup: TABLE.COLUMN, by: KEY}`` in the mapping of ``table``."""

    table: str  # the table that receives the values
    target: str  # its column (canonical, or a custom dimension)
    source_table: str
    source_column: str
    by: str  # this table's column holding the other table's key
    automatic: bool = False

    @property
    def label(self) -> str:
        """How the summary names it."""
        if self.automatic:
            return f"{self.target} inherited from their {self.source_table[:-1]} ({self.table}.{self.by})"
        return f"{self.target} from {self.source_table}.{self.source_column} (by {self.by})"

    @property
    def key(self) -> str:
        return f"import: {self.table}: derive: {self.target}"


def parse_lookup(table: str, target: str, rule: dict[str, Any], where: Where) -> Lookup:
    """The rule's own shape; what it refers to in other tables is checked by :func:`check_lookups`."""
    extra = [k for k in rule if k not in ("lookup", "by")]
    if extra:
        raise (where / extra[0]).error("a lookup takes lookup: TABLE.COLUMN and by: KEY only")
    text = rule["lookup"]
    if not isinstance(text, str) or text.count(".") != 1:
        raise (where / "lookup").error(f"expected TABLE.COLUMN, e.g. leads.created_at, got {text!r}")
    source_table, source_column = (part.strip() for part in text.split("."))
    if source_table not in TABLES:
        raise (where / "lookup").error(f"'{source_table}' is not a table; tables: {', '.join(TABLES)}")
    if source_table == table:
        raise (where / "lookup").error("a table cannot look up from itself")
    key = TABLES[source_table].key
    if key is None:
        raise (where / "lookup").error(f"{source_table} has no key column to look rows up by")
    by = rule.get("by", key)
    if not isinstance(by, str) or by not in TABLES[table].column_names:
        raise (where / "by").error(
            f"expected the column of {table} that holds the {source_table} key ({key}), got {by!r}; "
            f"columns: {', '.join(TABLES[table].column_names)}"
        )
    if TABLES[table].column(by).kind not in _TEXT_KINDS:
        raise (where / "by").error(f"{by} is a {TABLES[table].column(by).kind} column; rows are looked up by an id")
    if table == "stage_history":
        raise where.error("the stage history is rebuilt from the deals: look columns up on the deals instead")
    if target in _NOT_LOOKED_UP and target in TABLES[table].column_names:
        raise where.error(f"{target} takes canonical values: map it from the export (columns:, values:, derive: from)")
    if target not in TABLES[table].column_names:
        check_dimension_name(table, target, where)
    return Lookup(table, target, source_table, source_column, by)


def check_dimension_name(table: str, name: Any, where: Where) -> None:
    """A custom dimension's name: snake_case, not a column of the table, not a calendar dimension."""
    if not isinstance(name, str) or not _DIMENSION_NAME.fullmatch(name):
        raise where.error(f"'{name}': a dimension name is snake_case (lower-case letters, digits, _), e.g. campaign")
    if name in TABLES[table].column_names:
        raise where.error(f"'{name}' is a column of {table}: map it under columns: instead")
    if name in CALENDAR_DIMENSIONS:
        raise where.error(
            f"'{name}' is a calendar dimension every dated row has already (weekday, hour, month); choose another name"
        )


def check_lookups(mappings: dict[str, TableMapping], where: Where) -> dict[str, TableMapping]:
    """Check what every lookup refers to, add the automatic ones (deals take their lead's
    source) and refuse cycles. Returns the mappings with their lookups completed."""
    for mapping in mappings.values():
        filled = mapping.provided - mapping.derive.lookup_targets
        for lookup in mapping.derive.lookups:
            _check_lookup(lookup, mapping, mappings, filled, where)
            filled |= {lookup.target}
    mappings = dict(mappings)
    deals, leads = mappings.get("deals"), mappings.get("leads")
    if (
        deals is not None
        and leads is not None
        and "lead_id" in deals.provided
        and "source" in leads.provided
        and "source" not in deals.derive.lookup_targets
        and "deals" not in _depends_on(mappings, "leads")
    ):
        automatic = Lookup("deals", "source", "leads", "source", "lead_id", automatic=True)
        mappings["deals"] = replace(deals, derive=replace(deals.derive, lookups=deals.derive.lookups + (automatic,)))
    _check_cycles(mappings, where)
    return mappings


def _check_lookup(
    lookup: Lookup, mapping: TableMapping, mappings: dict[str, TableMapping], filled: set[str], where: Where
) -> None:
    here = where / mapping.table / "derive" / lookup.target
    source = mappings.get(lookup.source_table)
    if source is None:
        raise (here / "lookup").error(
            f"the {lookup.source_table} table is not imported: map it under 'import: {lookup.source_table}:' "
            "or remove this lookup"
        )
    columns = TABLES[lookup.source_table].column_names
    if lookup.source_column not in columns and lookup.source_column not in source.dimension_names:
        raise (here / "lookup").error(
            f"'{lookup.source_column}' is not a column of {lookup.source_table}; columns: {', '.join(columns)}"
            + (f"; dimensions: {', '.join(source.dimension_names)}" if source.dimension_names else "")
        )
    if lookup.source_column in columns and lookup.source_column not in source.provided:
        raise (here / "lookup").error(
            f"{lookup.source_table} does not map {lookup.source_column}: add it under "
            f"'import: {lookup.source_table}: columns:'"
        )
    if lookup.by not in filled:
        raise (here / "by").error(
            f"{mapping.table} does not map {lookup.by}: add it under 'import: {mapping.table}: columns:'"
        )
    target_kind = _kind(lookup.table, lookup.target)
    source_kind = _kind(lookup.source_table, lookup.source_column)
    if target_kind != source_kind and not (target_kind in _TEXT_KINDS and source_kind in _TEXT_KINDS):
        raise (here / "lookup").error(
            f"{lookup.source_table}.{lookup.source_column} is a {source_kind} column and "
            f"{lookup.table}.{lookup.target} a {target_kind} one"
        )


def _kind(table: str, column: str) -> str:
    return TABLES[table].column(column).kind if column in TABLES[table].column_names else "category"


def _depends_on(mappings: dict[str, TableMapping], table: str) -> set[str]:
    """Every table ``table`` looks up from, directly or through others."""
    seen: set[str] = set()
    todo = [table]
    while todo:
        mapping = mappings.get(todo.pop())
        for lookup in mapping.derive.lookups if mapping else ():
            if lookup.source_table not in seen:
                seen.add(lookup.source_table)
                todo.append(lookup.source_table)
    return seen


def _check_cycles(mappings: dict[str, TableMapping], where: Where) -> None:
    for table, mapping in mappings.items():
        if table in _depends_on(mappings, table):
            lookup = next(
                lk
                for lk in mapping.derive.lookups
                if lk.source_table == table or table in _depends_on(mappings, lk.source_table)
            )
            raise (where / table / "derive" / lookup.target).error(
                f"lookups form a cycle: {table} looks up from {lookup.source_table}, which looks up (directly or "
                f"not) from {table}; remove one of them"
            )


def import_order(mappings: dict[str, TableMapping], size: Callable[[str], int]) -> list[str]:
    """Every table after the tables it looks up from; otherwise the largest first (their cache
    files are written while the smaller ones are imported)."""
    needs = {t: {lk.source_table for lk in m.derive.lookups} for t, m in mappings.items()}
    order: list[str] = []
    while len(order) < len(mappings):
        ready = [t for t in mappings if t not in order and needs[t] <= set(order)]
        order.append(max(ready, key=lambda t: (size(t), -list(TABLES).index(t))))
    return order


def look_up(
    own: pa.Array | None, key: pa.Array, source_key: pa.Array, source_values: pa.Array, kind: str
) -> tuple[pa.Array, np.ndarray]:
    """This table's column with its empty cells filled from the source row whose key equals
    ``key`` (the first such row); and the mask of the cells filled."""
    index = pc.index_in(_plain(key), value_set=_plain(source_key))
    found = _plain(source_values).take(index)
    filled = ~missing_mask(found) if own is None else missing_mask(own) & ~missing_mask(found)
    values = found if own is None else pc.coalesce(_plain(own), found.cast(_plain(own).type))
    if kind == "category":
        return Encoded.of(values).to_dictionary(), filled
    return values, filled


def _plain(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One chunk, dictionaries decoded (keys compare as text)."""
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], type=column.type)
    return column


@dataclass
class Unmatched:
    """Rows whose key matches no row of the table looked up (said in the summary)."""

    by: str  # this table's key column
    source_table: str
    mask: np.ndarray  # rows with a key that matches no row
    keys: list[str | None]  # each row's key as text
    folded_keys: set[str]  # the source keys, case-folded and trimmed: a match ignoring case is pointed out

    def warning(self, table: str, keep: np.ndarray) -> str | None:
        rows = np.flatnonzero(self.mask & keep)
        if not len(rows):
            return None
        examples = list(dict.fromkeys(self.keys[i] for i in rows))[:3]
        noun = "activity" if self.source_table == "activities" else self.source_table.removesuffix("s")
        text = (
            f"{table}.{self.by}: {len(rows):,} row{'s' if len(rows) != 1 else ''} match no {noun} "
            f"(e.g. {', '.join(repr(k) for k in examples)}); check case and spaces"
        )
        near = [k for k in examples if k is not None and k.strip().casefold() in self.folded_keys]
        if near:
            text += (
                f" ({', '.join(repr(k) for k in near)} match{'es' if len(near) == 1 else ''} a key ignoring "
                "case; keys are compared exactly)"
            )
        return text


def unmatched_keys(
    key: pa.Array | pa.ChunkedArray, source_key: pa.Array | pa.ChunkedArray, by: str, source_table: str
) -> Unmatched | None:
    """The rows whose (non-empty) key is not among ``source_key``, or None when every key matches."""
    key, source_key = _plain(key), _plain(source_key)
    mask = ~missing_mask(key) & ~to_numpy_bool(pc.is_in(key, value_set=source_key))
    if not mask.any():
        return None
    keys = key.cast(pa.string()).to_pylist()
    folded = {str(k).strip().casefold() for k in source_key.cast(pa.string()).to_pylist() if k is not None}
    return Unmatched(by, source_table, mask, keys, folded)
