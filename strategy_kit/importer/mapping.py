"""The ``import:`` section of client.yml, checked and merged with presets (docs/mapping.md).

Mistakes in the mapping itself (an unknown table, column, preset or key, a pattern that
matches no file) raise :class:`~strategy_kit.errors.ConfigError` naming client.yml and the
key to edit; problems in the data are left to validation.
"""

from __future__ import annotations

import codecs
import difflib
import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from strategy_kit.errors import ConfigError
from strategy_kit.importer.derive import DeriveSpec, GeneratedId, parse_derive
from strategy_kit.importer.lookups import check_dimension_name, check_lookups
from strategy_kit.importer.presets import PRESETS, Preset
from strategy_kit.importer.readers import FormatOptions
from strategy_kit.schema import TABLES

TABLE_KEYS = ("preset", "files", "format", "columns", "values", "constants", "derive", "scale", "dimensions")
ENUM_COLUMNS = ("stage", "status", "type", "direction", "outcome")
DATE_FORMAT_NAMES = ("iso", "dayfirst", "monthfirst")
EXPORT_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
# YAML 1.1 reads these words as booleans; a value map written with them still means the words.
_YAML_TRUE = ("true", "yes", "on", "y")
_YAML_FALSE = ("false", "no", "off", "n")


@dataclass(frozen=True)
class TableMapping:
    """How one canonical table is read from the raw exports."""

    table: str
    files: tuple[str, ...]
    format: FormatOptions = FormatOptions()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical -> header synonyms
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    derive: DeriveSpec = field(default_factory=DeriveSpec)
    scale: dict[str, float] = field(default_factory=dict)
    preset: str | None = None
    dimensions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # custom dimension -> header synonyms
    # Columns a preset maps that an export may lack (exports hold the fields the user picked):
    # optional canonical columns, and per-stage date columns. The client's own keys never are.
    optional: frozenset[str] = frozenset()

    @property
    def provided(self) -> set[str]:
        """Canonical columns this mapping fills (lookups included)."""
        canonical = set(TABLES[self.table].column_names)
        return set(self.columns) | set(self.constants) | self.derive.targets | (self.derive.lookup_targets & canonical)

    @property
    def dimension_names(self) -> list[str]:
        """Custom dimensions: the ``dimensions:`` key, then dimensions filled by a lookup only."""
        canonical = TABLES[self.table].column_names
        looked_up = [
            lk.target for lk in self.derive.lookups if lk.target not in canonical and lk.target not in self.dimensions
        ]
        return list(self.dimensions) + looked_up


class Where:
    """Builds error messages that name the file and the key path to edit."""

    def __init__(self, source: Path | str, *path: str):
        self.source, self.path = source, path

    def __truediv__(self, key: str) -> Where:
        return Where(self.source, *self.path, str(key))

    def __str__(self) -> str:
        return ": ".join(self.path)

    def error(self, message: str) -> ConfigError:
        return ConfigError(f"{self.source}: {self}: {message}")


def parse_import(
    spec: dict[str, Any], source: Path | str, presets: dict[str, Preset] | None = None
) -> dict[str, TableMapping]:
    """Check the ``import:`` section and return one mapping per table, in the data model's order.

    Any table may be left out (a client may have only calls, or only revenue lines), but at
    least one is mapped. ``import: format:`` holds format options every table inherits."""
    presets = PRESETS if presets is None else presets
    where = Where(source, "import")
    tables = {k: v for k, v in spec.items() if k != "format"} if isinstance(spec, dict) else {}
    if not tables:
        raise where.error(
            "no tables to import; map at least one table (deals, leads, activities, revenue...) "
            "with its files and columns (see docs/mapping.md)"
        )
    problems: list[ConfigError] = []  # every table's first mistake, reported at once
    for name in tables:
        if name not in TABLES:
            problems.append(
                (where / name).error(
                    f"'{name}' is not a table{_suggest(name, TABLES)}; tables: {', '.join(TABLES)} "
                    "(and format: for the format options every table shares)"
                )
            )
    shared = spec.get("format") or {}
    try:
        parse_format(shared, where / "format")  # reported under import: format: rather than each table
    except ConfigError as exc:
        problems.append(exc)
        shared = {}
    if "stage_history" in tables and "deals" not in tables:
        problems.append(
            (where / "stage_history").error("a stage history needs the deals table: map 'import: deals:' as well")
        )
    mappings = {}
    for table in (t for t in TABLES if t in tables):
        try:
            mappings[table] = parse_table(table, tables[table], where / table, presets, shared)
        except ConfigError as exc:
            problems.append(exc)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ConfigError(
            f"{source}: {len(problems)} problems in the import mapping:\n"
            + "\n".join(f"  - {str(p).removeprefix(f'{source}: ')}" for p in problems)
        )
    return check_lookups(mappings, where)


def parse_table(
    table: str, entry: Any, where: Where, presets: dict[str, Preset], shared_format: dict[str, Any] | None = None
) -> TableMapping:
    """One table's entry over its preset; ``shared_format`` (import: format:) sits between the
    preset's format and the entry's own, key by key."""
    if not isinstance(entry, dict):
        raise where.error("expected a mapping with files, columns, ... (see docs/mapping.md)")
    extra = [k for k in entry if k not in TABLE_KEYS]
    if extra:
        raise (where / extra[0]).error(f"unknown key{_suggest(extra[0], TABLE_KEYS)}; keys: {', '.join(TABLE_KEYS)}")
    preset = _preset(entry.get("preset"), table, where / "preset", presets)
    base = _without_overridden(dict(preset.mapping) if preset else {}, entry)
    if shared_format:
        base["format"] = {**(base.get("format") or {}), **shared_format}
    merged = merge_preset(base, entry)
    if not merged.get("files"):
        raise (where / "files").error("list the export file(s) of this table, e.g. files: [deals.csv]")
    dimensions = _dimensions(table, merged.get("dimensions") or {}, where / "dimensions")
    if dimensions and table == "stage_history":
        raise (where / "dimensions").error(
            "the stage history is rebuilt from the deals: declare dimensions on the deals"
        )
    columns, column_rules = _columns(table, merged.get("columns") or {}, where / "columns")
    derive = parse_derive(table, merged.get("derive") or {}, where / "derive")
    if column_rules:
        derive = _with_column_rules(table, derive, column_rules, where)
    mapping = TableMapping(
        table=table,
        files=_files(merged["files"], where / "files"),
        format=parse_format(merged.get("format") or {}, where / "format"),
        columns=columns,
        values=_values(table, merged.get("values") or {}, where / "values", dimensions),
        constants=_constants(table, merged.get("constants") or {}, where / "constants"),
        derive=_generated_inputs(derive, columns, where),
        scale=_scale(table, merged.get("scale") or {}, where / "scale"),
        preset=preset.name if preset else None,
        optional=_optional_from_preset(table, preset, entry),
        dimensions=dimensions,
    )
    _check_required(mapping, where)
    return mapping


def _without_overridden(base: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """A column the client's entry sets under columns:, derive: or constants: replaces what the
    preset sets for it under the other two."""
    sections = ("columns", "derive", "constants")
    for own in sections:
        keys = entry.get(own)
        for other in sections:
            if other != own and isinstance(keys, dict) and isinstance(base.get(other), dict):
                base[other] = {k: v for k, v in base[other].items() if k not in keys}
    return base


def _with_column_rules(table: str, derive: DeriveSpec, rules: dict[str, Any], where: Where) -> DeriveSpec:
    """Rules written under ``columns:`` (e.g. ``closed_at: {first_of: [...]}``) join ``derive:``."""
    both = sorted(set(rules) & (derive.targets | derive.lookup_targets))
    if both:
        raise (where / "columns" / both[0]).error(f"{both[0]} is also set under derive:; keep one of them")
    extra = parse_derive(table, rules, where / "columns")
    return replace(derive, rules=extra.rules + derive.rules, lookups=extra.lookups + derive.lookups)


def _generated_inputs(derive: DeriveSpec, columns: dict[str, tuple[str, ...]], where: Where) -> DeriveSpec:
    """``{generate: true}`` hashes every column mapped under ``columns:``."""
    rules = []
    for rule in derive.rules:
        if isinstance(rule, GeneratedId) and not rule.sources:
            if not columns:
                raise (where / "derive" / rule.target).error(
                    "generate: true hashes the columns mapped under columns:, and there are none; "
                    "use hash_of: [HEADER, ...]"
                )
            rule = replace(rule, inputs=tuple(columns))
        rules.append(rule)
    return replace(derive, rules=tuple(rules))


def _dimensions(table: str, raw: Any, where: Where) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise where.error("expected 'name: header in the export' pairs, e.g. {campaign: Campaign}")
    dimensions = {}
    for name, headers in raw.items():
        check_dimension_name(table, name, where / str(name))
        dimensions[name] = _headers(headers, where / name)
    return dimensions


def _optional_from_preset(table: str, preset: Preset | None, entry: dict[str, Any]) -> frozenset[str]:
    if preset is None:
        return frozenset()
    own = entry.get("columns") or {}
    required = set(TABLES[table].required_columns)
    optional = {c for c in preset.mapping.get("columns") or {} if c not in own and c not in required}
    own_derive = entry.get("derive") or {}
    if "stage_history" not in own_derive:
        history = (preset.mapping.get("derive") or {}).get("stage_history") or {}
        optional |= {f"stage_history.{stage}" for stage in history.get("columns") or {}}
    return frozenset(optional)


def merge_preset(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A client's entry over a preset: columns, format, constants, scale and derive merge key by
    key (null removes a key), values merge per column and per value; other keys replace."""
    merged = dict(base.items())
    for key, value in override.items():
        if key == "preset":
            continue
        if key in ("columns", "format", "constants", "scale", "derive", "dimensions") and isinstance(value, dict):
            merged[key] = (
                _drop_nulls({**(base.get(key) or {}), **value})
                if key in ("columns", "derive", "dimensions")
                else {**(base.get(key) or {}), **value}
            )
        elif key == "values" and isinstance(value, dict):
            values = {c: dict(m) for c, m in (base.get("values") or {}).items() if isinstance(m, dict)}
            for column, mapping in value.items():
                values[column] = {**values.get(column, {}), **mapping} if isinstance(mapping, dict) else mapping
            merged[key] = values
        else:
            merged[key] = value
    return merged


def _drop_nulls(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}


def _preset(name: Any, table: str, where: Where, presets: dict[str, Preset]) -> Preset | None:
    if name is None:
        return None
    if name not in presets:
        raise where.error(
            f"unknown preset '{name}'{_suggest(str(name), presets)}; presets: {', '.join(sorted(presets))} "
            "(strategy-kit presets lists them)"
        )
    preset = presets[name]
    if preset.table != table:
        raise where.error(f"preset '{name}' maps the {preset.table} table, not {table}")
    return preset


def _files(raw: Any, where: Where) -> tuple[str, ...]:
    patterns = [raw] if isinstance(raw, str) else raw
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p.strip() for p in patterns):
        raise where.error("expected a file name or a list of file names / glob patterns, e.g. [deals-*.csv]")
    for pattern in patterns:
        if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            raise where.error(f"'{pattern}': give a path inside the client's raw/ folder")
    return tuple(p.strip() for p in patterns)


def resolve_files(raw_dir: Path, mapping: TableMapping, source: Path | str) -> list[Path]:
    """The files the mapping's patterns match in raw/, in name order (ConfigError if none)."""
    found: dict[Path, None] = {}
    inside = raw_dir.resolve()
    where = Where(source, "import", mapping.table, "files")
    for pattern in mapping.files:
        for path in sorted(raw_dir.glob(pattern)):
            shown = path.relative_to(raw_dir).as_posix()
            # A link (the file, or a folder on its way) must stay in raw/: an export is never read
            # from elsewhere, and a system file's content never ends up in a message.
            try:
                resolved = path.resolve(strict=True)
            except (OSError, RuntimeError):
                raise where.error(
                    f"raw/{shown} is a symbolic link to {os.readlink(path) if path.is_symlink() else 'nothing'}, "
                    "which does not exist; put the export itself in raw/"
                ) from None
            if not resolved.is_relative_to(inside):
                raise where.error(
                    f"raw/{shown} leads outside {raw_dir} (a symbolic link to {resolved}); strategy-kit reads "
                    "exports only from raw/: copy the export itself into raw/"
                )
            if path.is_file():
                found[path] = None
    for link in _dangling_links(raw_dir):  # a glob skips them: refuse them rather than say "no file"
        shown = link.relative_to(raw_dir).as_posix()
        if any(fnmatch.fnmatchcase(shown, pattern) for pattern in mapping.files):
            raise where.error(
                f"raw/{shown} is a symbolic link to {os.readlink(link)}, which does not exist; put the export "
                "itself in raw/"
            )
    if not found:
        present = (
            sorted(p.relative_to(raw_dir).as_posix() for p in raw_dir.rglob("*") if p.is_file())
            if raw_dir.is_dir()
            else []
        )
        listing = ", ".join(present[:15]) + (" ..." if len(present) > 15 else "") if present else "nothing"
        raise Where(source, "import", mapping.table, "files").error(
            f"no file in {raw_dir} matches {', '.join(mapping.files)} (raw/ holds: {listing}); "
            "put the export in raw/ or correct the file name"
        )
    return list(found)


def _dangling_links(raw_dir: Path) -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(raw_dir):
        found += [
            Path(folder) / name
            for name in subfolders + files
            if (Path(folder) / name).is_symlink() and not (Path(folder) / name).exists()
        ]
    return sorted(found)


def parse_format(raw: Any, where: Where) -> FormatOptions:
    if not isinstance(raw, dict):
        raise where.error("expected a mapping (encoding, separator, decimal, thousands, ...)")
    known = FormatOptions.__dataclass_fields__
    extra = [k for k in raw if k not in known]
    if extra:
        raise (where / extra[0]).error(f"unknown format option{_suggest(extra[0], known)}; options: {', '.join(known)}")
    # The values are as the YAML gives them: checked below (widths) and by _check_format.
    values: dict[str, Any] = {k: ("" if k == "thousands" and v is None else v) for k, v in raw.items()}
    options = FormatOptions(**values)
    if isinstance(options.widths, list):
        options = replace(options, widths=tuple(options.widths))
    elif options.widths is not None:
        raise (where / "widths").error(f"expected a list of column widths, e.g. [10, 25, 12], got {options.widths!r}")
    _check_format(options, where)
    return options


def _check_format(options: FormatOptions, where: Where) -> None:
    if options.encoding != "auto":
        try:
            codecs.lookup(str(options.encoding))
        except LookupError:
            raise (where / "encoding").error(
                f"unknown encoding '{options.encoding}'; use auto, utf-8, cp1252, latin-1"
            ) from None
    if options.separator not in ("auto", "tab", "\\t") and (
        not isinstance(options.separator, str) or len(options.separator) != 1
    ):
        raise (where / "separator").error(f"expected auto or one character such as ';', got {options.separator!r}")
    if options.decimal not in (".", ","):
        raise (where / "decimal").error(f"expected '.' or ',', got {options.decimal!r}")
    if options.thousands not in ("", " ", ".", ",", "'", None) or options.thousands == options.decimal:
        raise (where / "thousands").error(
            f"expected '' (none), ' ' (space), '.', ',' or \"'\" different from the decimal separator, got {options.thousands!r}"
        )
    if options.layout not in ("delimited", "fixed"):
        raise (where / "layout").error(
            f"expected delimited (CSV, the default) or fixed (aligned columns), got {options.layout!r}"
        )
    if options.widths is not None and (
        options.layout != "fixed"
        or not options.widths
        or not all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in options.widths)
    ):
        raise (where / "widths").error(
            "expected the width of each column in characters, e.g. [10, 25, 12], with layout: fixed"
            if options.layout == "fixed"
            else "widths applies to layout: fixed only"
        )
    if not isinstance(options.skip_rows, int) or options.skip_rows < 0:
        raise (where / "skip_rows").error(f"expected a number of lines (0 or more), got {options.skip_rows!r}")
    if not isinstance(options.drop_total_row, bool):
        raise (where / "drop_total_row").error(f"expected true or false, got {options.drop_total_row!r}")
    if options.date_format not in DATE_FORMAT_NAMES and not _valid_strptime(str(options.date_format)):
        raise (where / "date_format").error(
            f"expected iso, dayfirst, monthfirst or a pattern such as '%d/%m/%Y %H:%M', got {options.date_format!r}"
        )
    if options.timezone is not None:
        try:
            ZoneInfo(str(options.timezone))
        except (ZoneInfoNotFoundError, ValueError):
            raise (where / "timezone").error(
                f"unknown time zone '{options.timezone}'; use a name such as UTC or Europe/Paris"
            ) from None


def _canonical(table: str, name: Any, where: Where) -> str:
    columns = TABLES[table].column_names
    if name not in columns:
        raise (where / str(name)).error(
            f"'{name}' is not a column of {table}{_suggest(str(name), columns)}; columns: {', '.join(columns)} "
            "(docs/data-model.md)"
        )
    return str(name)


def _columns(table: str, raw: Any, where: Where) -> tuple[dict[str, tuple[str, ...]], dict[str, Any]]:
    """Header mappings, and the derive rules written under columns: (``{first_of: [...]}``...)."""
    if not isinstance(raw, dict):
        raise where.error("expected 'canonical column: header in the export' pairs")
    columns, rules = {}, {}
    for name, headers in raw.items():
        column = _canonical(table, name, where)
        if isinstance(headers, dict):
            rules[column] = headers
        else:
            columns[column] = _headers(headers, where / column)
    return columns, rules


def _headers(raw: Any, where: Where) -> tuple[str, ...]:
    headers = [raw] if isinstance(raw, (str, int, float)) else raw
    if not isinstance(headers, list) or not headers or not all(isinstance(h, (str, int, float)) for h in headers):
        raise where.error("expected a header name or a list of synonyms, e.g. [Owner, Commercial]")
    return tuple(str(h).strip() for h in headers)


def _values(table: str, raw: Any, where: Where, dimensions: dict[str, Any]) -> dict[str, dict[str, str | None]]:
    if not isinstance(raw, dict):
        raise where.error("expected 'column: {export value: canonical value}' entries")
    values = {}
    for name, mapping in raw.items():
        column = name if name in dimensions else _canonical(table, name, where)
        if not isinstance(mapping, dict):
            raise (where / column).error("expected {export value: canonical value, ...}")
        values[column] = value_map(mapping)
    return values


def value_map(mapping: dict[Any, Any]) -> dict[str, str | None]:
    """Keys and values as text; YAML booleans (yes/no/on/off) stand for every word YAML reads so."""
    result: dict[str, str | None] = {}
    for key, value in mapping.items():
        target = None if value is None else yaml_text(value)
        if isinstance(key, bool):
            for word in _YAML_TRUE if key else _YAML_FALSE:
                result[word] = target
        else:
            result[yaml_text(key)] = target
    return result


def yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _constants(table: str, raw: Any, where: Where) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise where.error("expected 'column: value' pairs")
    return {_canonical(table, name, where): yaml_text(value) for name, value in raw.items() if value is not None}


def _scale(table: str, raw: Any, where: Where) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise where.error("expected 'column: factor' pairs, e.g. {probability: 0.01}")
    scale = {}
    for name, factor in raw.items():
        column = _canonical(table, name, where)
        if TABLES[table].column(column).kind not in ("number", "integer"):
            raise (where / column).error(f"{column} is not a number column")
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or factor <= 0:
            raise (where / column).error(f"expected a positive number, got {factor!r}")
        scale[column] = float(factor)
    return scale


def _check_required(mapping: TableMapping, where: Where) -> None:
    missing = [c for c in TABLES[mapping.table].required_columns if c not in mapping.provided]
    if missing:
        raise (where / "columns").error(
            f"required column(s) {', '.join(missing)} not mapped; add e.g. '{missing[0]}: <header in the export>'"
        )
    overlap = set(mapping.columns) & (mapping.derive.targets | set(mapping.constants))
    if overlap:
        name = sorted(overlap)[0]
        raise (where / "columns" / name).error(f"{name} is also set by derive or constants; keep one of them")


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _valid_strptime(pattern: str) -> bool:
    """True when ``pattern`` is a strptime pattern that can read back a date it wrote."""
    if "%" not in pattern:
        return False
    sample = datetime(2001, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
    try:
        datetime.strptime(sample.strftime(pattern), pattern)
    except ValueError:
        return False
    return True
