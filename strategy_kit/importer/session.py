"""One table on its way from the raw files to canonical types, and the session of tables.

The steps for each table (docs/mapping.md): pick the mapped columns of every file (synonyms) →
derived fields and constants → value maps and canonical ids → typed columns → columns looked up
from tables imported before → row checks. At the end the stage history is assembled (mapped
table, per-stage date columns, or inferred from the current stage; only when deals are
imported) and every problem is reported at once.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from strategy_kit.config import ClientConfig
from strategy_kit.errors import ImportValidationError, Problem
from strategy_kit.importer import cache
from strategy_kit.importer.convert import (
    Column,
    Encoded,
    Zones,
    as_text,
    clean_text,
    constant,
    lookup_in,
    map_values,
    nulls,
    parse_boolean,
    parse_datetime,
    parse_integer,
    parse_number,
)
from strategy_kit.importer.derive import Slot, StageHistory, complete_stage_history, history_from_columns
from strategy_kit.importer.lookups import Unmatched, look_up, unmatched_keys
from strategy_kit.importer.mapping import ENUM_COLUMNS, TableMapping
from strategy_kit.importer.problems import (
    ambiguous_column,
    missing_column,
    problems_of,
    rejected_rows,
    table_report,
    unknown_values,
    unparseable,
)
from strategy_kit.importer.readers import FormatOptions, RawFile, UnreadableFile, repeated_headers
from strategy_kit.importer.result import ImportResult
from strategy_kit.importer.validate import CheckContext, Finding, run_checks
from strategy_kit.schema import ACTIVITY_OUTCOMES, TABLES
from strategy_kit.workspace import ClientPaths

# How each column kind of the data model is stored (docs/data-model.md).
ARROW_TYPES = {
    "id": pa.string(),
    "text": pa.string(),
    "category": pa.dictionary(pa.int32(), pa.string()),
    "datetime": pa.timestamp("ns"),
    "number": pa.float64(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
}


# Values a column takes when the export leaves it out or empty (schema: "default outbound").
COLUMN_DEFAULTS = {"activities": {"direction": "outbound"}}


@dataclass
class Loaded:
    path: Path
    name: str  # as shown in messages: raw/...
    raw: RawFile | UnreadableFile
    stamp: cache.FileStamp


@dataclass
class Batch:
    """One table's rows from all its files, on their way from text to canonical types."""

    table: str
    mapping: TableMapping
    files: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)  # per file: slot -> header used
    file_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    text: dict[str, Any] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    fatal: list[Problem] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # rows that could not be split into fields
    ignored: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # per row; set when read
    total_rows_dropped: int = 0
    looked_up: dict[str, np.ndarray] = field(default_factory=dict)  # lookup label -> rows it filled
    unmatched: dict[tuple[str, str], Unmatched] = field(default_factory=dict)  # (key column, table) -> rows

    @property
    def length(self) -> int:
        return len(self.rows)

    def key(self, *parts: str) -> str:
        return "import: " + ": ".join((self.table, *parts))


class Session:
    """Imports the tables of one client and collects every problem."""

    def __init__(
        self, config: ClientConfig, paths: ClientPaths, lenient: bool, writer: ThreadPoolExecutor | None = None
    ):
        self.config, self.paths, self.lenient, self.writer = config, paths, lenient, writer
        self.batches: dict[str, Batch] = {}
        self.zones = Zones(config.timezone)
        self.cutoff = config.data_cutoff or datetime.now(ZoneInfo(config.timezone)).date()
        self.stamps: dict[Path, cache.FileStamp] = {}
        self.finished: dict[str, pa.Table] = {}  # tables final before the end, already being written
        self.writes: dict[str, Any] = {}

    def add(self, table: str, mapping: TableMapping, loaded: list[Loaded]) -> None:
        batch = Batch(table, mapping)
        self._read(batch, loaded)
        if batch.length or not batch.fatal:
            self._derive(batch)
            self._canonical_values(batch)
            self._convert(batch)
            self._look_up(batch)
            self._check(batch)
        if not batch.findings and not batch.fatal and table != "stage_history":
            # the text is only needed to show problems (stage-history rows are checked last)
            batch.text = {}
            self._finish_early(batch)
        self.batches[table] = batch

    def _finish_early(self, batch: Batch) -> None:
        """A table without findings is final (deals and stage_history wait for the history)."""
        if self.writer is None or batch.table in ("deals", "stage_history"):
            return
        table = arrow_table(batch, np.ones(batch.length, dtype=bool))
        self.finished[batch.table] = table
        self.writes[batch.table] = self.writer.submit(cache.write_table, self.paths.cache, batch.table, table)
        batch.typed = {}

    def wait_for_writes(self) -> set[str]:
        for write in self.writes.values():
            write.result()
        return set(self.writes)

    # ---- reading

    def _read(self, batch: Batch, loaded: list[Loaded]) -> None:
        slots = _slots(batch.mapping)
        parts: list[dict[str, Any]] = []
        for item in loaded:
            self.stamps[item.path] = item.stamp
            name, raw = item.name, item.raw
            if isinstance(raw, UnreadableFile):
                message = raw.message.removeprefix(f"{name}: ")  # the problem names the file already
                batch.fatal.append(Problem(batch.table, "unreadable", message, file=name, fix=raw.fix))
                continue
            repeated = repeated_headers(raw)
            found = {s.name: h for s in slots if (h := _find_header(s.headers, raw.headers, repeated)) is not None}
            missing = _missing_slots(batch.mapping, found)
            if missing:
                batch.fatal += [missing_column(batch, raw.headers, name, slot, raw=raw) for slot in missing]
                continue
            ambiguous = [
                (s, found[s.name])
                for s in slots
                if found.get(s.name) in repeated and found[s.name] + " (1)" not in s.headers
            ]
            if ambiguous:
                batch.fatal += [ambiguous_column(batch, raw, name, slot, header) for slot, header in ambiguous]
                continue
            index = len(batch.files)
            batch.files.append(name)
            batch.headers.append({**found, **_target_headers(batch.mapping, found)})
            batch.skipped += [
                {
                    "table": batch.table,
                    "file": name,
                    "row": r,
                    "reason": f"{n} fields instead of {raw.expected_fields}",
                    "text": text,
                }
                for r, n, text in raw.bad_rows
            ]
            batch.total_rows_dropped += raw.total_rows_dropped
            columns = {
                s.name: raw.column(found[s.name]) if s.name in found else nulls(raw.table.num_rows) for s in slots
            }
            parts.append({"columns": columns, "rows": raw.rows, "file": np.full(raw.table.num_rows, index, np.int32)})
        if parts:
            batch.rows = np.concatenate([p["rows"] for p in parts])
            batch.file_index = np.concatenate([p["file"] for p in parts])
            absent = set(batch.mapping.optional) - {slot for headers in batch.headers for slot in headers}
            slots = [s for s in slots if s.name not in absent]  # optional columns no file has
            batch.text = {s.name: _stack([p["columns"][s.name] for p in parts]) for s in slots}
        else:
            batch.text = {s.name: pa.chunked_array([], type=pa.string()) for s in slots}
        batch.ignored = np.zeros(batch.length, dtype=bool)

    # ---- text stage

    def _derive(self, batch: Batch) -> None:
        for rule in batch.mapping.derive.rules:
            batch.text[rule.target], findings = rule.apply(batch.text, batch.length)
            batch.findings += findings
        for column, value in batch.mapping.constants.items():
            batch.text[column] = constant(value, batch.length)
        for column, value in COLUMN_DEFAULTS.get(batch.table, {}).items():
            if column not in batch.text:
                batch.text[column] = constant(value, batch.length)

    def _canonical_values(self, batch: Batch) -> None:
        for column, mapping in batch.mapping.values.items():
            if column in batch.text and column not in self._enums(batch.table):
                batch.text[column] = map_values(batch.text[column], mapping)
        for column in self._enums(batch.table):
            if column in batch.text:
                self._enum(batch, column)
        close_date = batch.mapping.derive.close_date
        if close_date and "status" in batch.text:
            batch.text.update(close_date.split(batch.text[close_date.source.name], as_text(batch.text["status"])))

    def _enum(self, batch: Batch, column: str) -> None:
        allowed = self._allowed(batch.table, column)
        labels = self._labels(column)
        mapping = batch.mapping.values.get(column, {})
        translate = lookup_in(mapping)
        folded_ids = {a.casefold(): a for a in allowed} | labels
        mapped_to_none = {k.casefold() for k, v in mapping.items() if v is None}

        def canonical(value: str) -> str | None:
            if value.casefold() in mapped_to_none:
                return None
            target = translate(value)
            return folded_ids.get(target.casefold(), target) if target is not None else None

        raw = Encoded.of(batch.text[column])
        encoded = raw.remap(canonical)
        unknown = [v for v in encoded.values if v not in allowed]
        if batch.table == "stage_history" and column == "stage":
            batch.ignored |= (raw.codes >= 0) & (encoded.codes < 0)
        if unknown:
            batch.findings.append(unknown_values(batch, column, raw, canonical, unknown, allowed))
        default = COLUMN_DEFAULTS.get(batch.table, {}).get(column)
        if default is not None and (encoded.codes < 0).any():
            encoded = encoded.fill(default)
        batch.text[column] = encoded

    def _enums(self, table: str) -> list[str]:
        """Columns whose values must end up as canonical ids (stage, status, type, direction, outcome)."""
        columns = TABLES[table].column_names
        return [c for c in ENUM_COLUMNS if c in columns and self._allowed(table, c)]

    def _allowed(self, table: str, column: str) -> list[str]:
        if column == "stage":
            return self.config.stage_ids
        if column == "outcome":
            return sorted({o for outcomes in ACTIVITY_OUTCOMES.values() for o in outcomes})
        return list(TABLES[table].column(column).allowed)

    def _labels(self, column: str) -> dict[str, str]:
        if column != "stage":
            return {}
        return {label.casefold(): s.id for s in self.config.stages for label in (s.fr, s.en)}

    # ---- typed stage

    def _convert(self, batch: Batch) -> None:
        fmt = batch.mapping.format
        zones = Zones(self.zones.client, fmt.timezone)
        for column in TABLES[batch.table].columns:
            if column.name not in batch.text:
                continue
            text = batch.text[column.name]
            if column.kind != "category":
                text = clean_text(as_text(text)) if column.kind == "id" else as_text(text)
            categories = self._allowed(batch.table, column.name) if column.name in self._enums(batch.table) else None
            typed, bad = _convert_column(column.kind, text, fmt, zones, categories)
            if column.name in batch.mapping.scale:
                typed = pc.multiply(typed, batch.mapping.scale[column.name])
            batch.typed[column.name] = typed
            if bad is not None and bad.any():
                batch.findings.append(unparseable(batch, column.name, column.kind, bad))
        for name in batch.mapping.dimensions:
            if name in batch.text:
                batch.typed[name], _ = _convert_column("category", as_text(batch.text[name]), fmt, zones)
        history = batch.mapping.derive.stage_history
        if history:
            for slot in history.slots():
                if slot.name not in batch.text:
                    continue  # a preset's stage column this export does not have
                typed, bad = parse_datetime(batch.text[slot.name], fmt.date_format, zones)
                batch.typed[slot.name] = typed
                if bad.any():
                    batch.findings.append(unparseable(batch, slot.name, "datetime", bad))

    def _look_up(self, batch: Batch) -> None:
        """Columns taken from tables imported before this one (the import order sees to it)."""
        for lookup in batch.mapping.derive.lookups:
            key = batch.typed.get(lookup.by)
            source_key_name = TABLES[lookup.source_table].key
            assert source_key_name is not None, "a lookup's source table has a key (checked when the mapping is read)"
            source_key = self._typed_column(lookup.source_table, source_key_name)
            values = self._typed_column(lookup.source_table, lookup.source_column)
            if key is None or source_key is None or values is None:
                continue  # an optional column a preset maps that the export lacks
            source = self.batches.get(lookup.source_table)
            if source is not None and lookup.source_table not in self.finished:
                # only rows that survive validation (lenient: the kept rows; strict: a rejected row
                # stops the import anyway): a rejected lead gives its deal nothing
                surviving = pa.array(self._keep(source))
                source_key, values = _plain_filter(source_key, surviving), _plain_filter(values, surviving)
            label = (lookup.by, lookup.source_table)
            if label not in batch.unmatched and (unmatched := unmatched_keys(key, source_key, *label)) is not None:
                batch.unmatched[label] = unmatched
            columns = TABLES[batch.table].column_names
            kind = TABLES[batch.table].column(lookup.target).kind if lookup.target in columns else "category"
            typed, filled = look_up(batch.typed.get(lookup.target), key, source_key, values, kind)
            wanted = ARROW_TYPES[kind]
            if typed.type != wanted and not pa.types.is_dictionary(wanted):
                typed = typed.cast(wanted)
            batch.typed[lookup.target] = typed
            batch.looked_up[lookup.label] = filled

    def _typed_column(self, table: str, column: str) -> pa.Array | pa.ChunkedArray | None:
        if table in self.finished:
            finished = self.finished[table]
            return finished.column(column) if column in finished.column_names else None
        batch = self.batches.get(table)
        return batch.typed.get(column) if batch is not None else None

    def _check(self, batch: Batch) -> None:
        columns = {k: v for k, v in batch.typed.items() if k in TABLES[batch.table].column_names}
        flagged: dict[str, np.ndarray] = {}
        for finding in batch.findings:
            # a finding on an input of a derived column ("closed_at.year") flags that column too
            column = (finding.column or "").split(".")[0]
            if column in columns:
                flagged[column] = flagged.get(column, np.zeros(batch.length, bool)) | finding.mask
        context = CheckContext(batch.table, self.config.stage_ids, self.cutoff, columns, flagged)
        findings = run_checks(context)
        if batch.table == "stage_history":
            for finding in findings:
                finding.mask = finding.mask & ~batch.ignored
        batch.findings += findings

    # ---- assembly

    def finish(self) -> ImportResult:
        self.batches = {t: self.batches[t] for t in TABLES if t in self.batches}  # the data model's order
        fatal = [p for b in self.batches.values() for p in b.fatal]
        if fatal:
            problems = [p for b in self.batches.values() for p in problems_of(b)]
            raise ImportValidationError(self.config.client, fatal + problems, lenient_would_help=False)
        keep = {t: self._keep(b) for t, b in self.batches.items()}
        history = self._stage_history(keep) if "deals" in self.batches else None
        problems = [p for b in self.batches.values() for p in problems_of(b)]
        if problems and not self.lenient:
            raise ImportValidationError(self.config.client, problems)
        tables = {
            t: self.finished[t] if t in self.finished else arrow_table(b, keep[t])
            for t, b in self.batches.items()
            if t != "stage_history"
        }
        if history is not None:
            if history.current_stage is not None:
                tables["deals"] = _with_column(tables["deals"], "deals", "stage", history.current_stage)
            tables["stage_history"] = history.table
        return self._result(tables, keep, history, problems)

    def _keep(self, batch: Batch) -> np.ndarray:
        keep = ~batch.ignored
        if self.lenient:
            for finding in batch.findings:
                if finding.rejects:
                    keep &= ~finding.mask
        return keep

    def _stage_history(self, keep: dict[str, np.ndarray]) -> StageHistory:
        deals = self.batches["deals"]
        deal_columns = {
            k: keep_rows(v, keep["deals"])
            for k, v in deals.typed.items()
            if k in ("deal_id", "stage", "status", "created_at", "closed_at")
        }
        recorded, source = None, "inferred from each deal's current stage"
        mapped = self.batches.get("stage_history")
        rule = deals.mapping.derive.stage_history
        if mapped is not None:
            recorded = {k: keep_rows(v, keep["stage_history"]) for k, v in mapped.typed.items()}
            source = f"table stage_history ({', '.join(mapped.files)})"
        elif rule is not None and any(s.name in deals.typed for s in rule.slots()):
            dates = {
                s.name: keep_rows(deals.typed[s.name], keep["deals"]) for s in rule.slots() if s.name in deals.typed
            }
            recorded = history_from_columns(rule, deal_columns["deal_id"], dates)
            headers = [next(h[s.name] for h in deals.headers if s.name in h) for s in rule.slots() if s.name in dates]
            source = f"columns {', '.join(headers)}"
        history = complete_stage_history(deal_columns, self.config.stage_ids, recorded, source)
        if mapped is not None and history.unknown_deals.any():
            mask = np.zeros(mapped.length, dtype=bool)
            mask[np.flatnonzero(keep["stage_history"])[history.unknown_deals]] = True
            mapped.findings.append(
                Finding(
                    "unknown_deal",
                    "deal_id",
                    "stage-history rows for deals that are not in the deals table",
                    mask,
                    fix="export the stage history and the deals at the same time, or remove these rows",
                )
            )
            keep["stage_history"] &= ~mask
        return history

    def _result(
        self,
        tables: dict[str, pa.Table],
        keep: dict[str, np.ndarray],
        history: StageHistory | None,
        problems: list[Problem],
    ) -> ImportResult:
        reports = {t: table_report(b, keep[t]) for t, b in self.batches.items()}
        for table, batch in self.batches.items():
            reports[table].looked_up = {
                label: int((filled & keep[table]).sum()) for label, filled in batch.looked_up.items()
            }
            reports[table].dimensions = {
                name: pc.count_distinct(tables[table][name].cast(pa.string())).as_py()
                for name in batch.mapping.dimension_names
                if table in tables and name in tables[table].column_names
            }
        rejected = rejected_rows(self.batches, keep) if self.lenient else None
        warnings = []
        if self.lenient:  # findings that keep their rows, counted on the rows kept (not those rejected)
            for b in self.batches.values():
                for f in b.findings:
                    count = int((f.mask & keep[b.table]).sum()) if not f.rejects else 0
                    if count:
                        warnings.append(f"{b.table}: {count} {f.message} (kept)")
        warnings += [
            text
            for b in self.batches.values()
            for unmatched in b.unmatched.values()
            if (text := unmatched.warning(b.table, keep[b.table])) is not None
        ]
        for name, table in tables.items():
            read_batch = self.batches.get(name)
            if table.num_rows == 0 and read_batch is not None:  # (a stage history inferred from no deals: said there)
                read = int((~read_batch.ignored).sum())
                warnings.append(
                    f"{name}: all {read} rows were rejected (see .cache/{cache.REJECTED})"
                    if read
                    else f"{name}: no rows imported (the export has a header but no data; export it again)"
                )
        warnings += history.warnings if history is not None else []
        return ImportResult.build(
            client=self.config.client,
            tables=tables,
            reports=reports,
            history=history,
            stage_ids=self.config.stage_ids,
            lenient=self.lenient,
            warnings=warnings,
            rejected_rows=rejected,
            rejected_file=self.paths.cache / cache.REJECTED if rejected is not None else None,
        )


# --------------------------------------------------------------------------- helpers


def _slots(mapping: TableMapping) -> list[Slot]:
    """The export columns a mapping reads: its columns and dimensions first (every file must
    have them), then the inputs of its derived fields."""
    slots = [Slot(name, headers, f"columns: {name}") for name, headers in mapping.columns.items()]
    slots += [Slot(name, headers, f"dimensions: {name}") for name, headers in mapping.dimensions.items()]
    return slots + mapping.derive.slots()


def _find_header(wanted: tuple[str, ...], headers: list[str], repeated: dict[str, int] | None = None) -> str | None:
    """The file's header a slot reads: exactly as mapped, else ignoring case. "X (1)" names the
    first of several "X" columns (the others are "X (2)", "X (3)"...)."""
    for header in wanted:
        if header in headers:
            return header
        first = header.removesuffix(" (1)")
        if repeated and first != header and first in repeated:
            return first
    folded = {h.casefold(): h for h in headers}
    for header in wanted:
        if header.casefold() in folded:
            return folded[header.casefold()]
    return None


def _missing_slots(mapping: TableMapping, found: dict[str, str]) -> list[Slot]:
    present = set(found) | mapping.optional
    missing = [s for s in _slots(mapping)[: len(mapping.columns) + len(mapping.dimensions)] if s.name not in present]
    for rule in mapping.derive.rules:
        name = rule.unmet(present)
        if name:
            missing += [s for s in rule.slots() if s.name == name]
    extra = []
    if mapping.derive.close_date:
        extra.append(mapping.derive.close_date.source)
    if mapping.derive.stage_history:
        extra += mapping.derive.stage_history.slots()
    return missing + [s for s in extra if s.name not in present]


def _target_headers(mapping: TableMapping, found: dict[str, str]) -> dict[str, str]:
    """For derived columns, the header they come from (used to name them in messages)."""
    targets = {}
    for rule in mapping.derive.rules:
        headers = [found[s.name] for s in rule.slots() if s.name in found]
        if headers:
            targets[rule.target] = " / ".join(headers)
    close_date = mapping.derive.close_date
    if close_date and close_date.source.name in found:
        targets["closed_at"] = targets["expected_close_at"] = found[close_date.source.name]
    return targets


def _convert_column(
    kind: str, text: Column, fmt: FormatOptions, zones: Zones, categories: list[str] | None = None
) -> tuple[Column, np.ndarray | None]:
    if kind == "datetime":
        return parse_datetime(text, fmt.date_format, zones)
    if kind == "number":
        return parse_number(text, fmt.decimal, fmt.thousands or "")
    if kind == "integer":
        return parse_integer(text, fmt.decimal, fmt.thousands or "")
    if kind == "boolean":
        return parse_boolean(text)
    if kind == "category":
        encoded = Encoded.of(text)
        return (encoded.reorder(categories) if categories else encoded).to_dictionary(), None
    return text, None


def _plain_filter(column: Column, keep: pa.Array) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], type=column.type)
    return column.filter(keep)


def _stack(columns: list) -> pa.ChunkedArray:
    """The same column of several files as one chunked column (no copy)."""
    chunks = [c for column in columns for c in (column.chunks if isinstance(column, pa.ChunkedArray) else [column])]
    return pa.chunked_array(chunks, type=pa.string())


def keep_rows(column: Column, keep: np.ndarray) -> Column:
    return column if keep.all() else column.filter(pa.array(keep))


def arrow_table(batch: Batch, keep: np.ndarray) -> pa.Table:
    """The canonical columns in the data model's order, then the custom dimensions (categories)."""
    columns, fields = [], []
    kinds = [(c.name, c.kind) for c in TABLES[batch.table].columns] + [
        (d, "category") for d in batch.mapping.dimension_names
    ]
    for name, kind in kinds:
        if name in batch.typed:
            typed = keep_rows(batch.typed[name], keep)
            wanted = ARROW_TYPES[kind]
            if typed.type != wanted and not pa.types.is_dictionary(wanted):
                typed = typed.cast(wanted)
            columns.append(typed)
            fields.append(pa.field(name, typed.type))
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def _with_column(table: pa.Table, name: str, column: str, values: pa.Array) -> pa.Table:
    """The table with ``column`` replaced or added at its place in the data model."""
    if column in table.column_names:
        return table.set_column(table.schema.get_field_index(column), column, values)
    order = TABLES[name].column_names
    position = sum(1 for c in table.column_names if c in order and order.index(c) < order.index(column))
    return table.add_column(position, column, values)
