"""Row checks run on every imported table, after conversion to canonical types.

A check returns :class:`Finding` objects: which rows, what is wrong and how to fix it. The
engine turns findings into :class:`~strategy_kit.errors.Problem` objects per file, with
spreadsheet row numbers and example values. Severities (docs/data-model.md):

- every finding stops a strict import;
- with ``--lenient`` a finding whose ``rejects`` is true removes its rows (written to
  ``.cache/rejected.csv`` with the reason); the others keep their rows and are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from strategy_kit.importer.convert import LARGEST_NUMBER, Encoded, missing_mask, sample, to_numpy_bool
from strategy_kit.schema import ACTIVITY_OUTCOMES, TABLES

# Number columns that cannot be negative (revenue.amount can: credit notes are negative lines).
NON_NEGATIVE = {
    "deals": ("value", "probability"),
    "accounts": ("employees", "annual_revenue"),
    "leads": ("employees",),
    "activities": ("duration_seconds",),
    "products": ("list_price",),
}
# Number columns holding money (named "amounts" in messages).
AMOUNTS = ("value", "amount", "annual_revenue", "list_price", "unit_price", "target")
# Dates of things that happened, so cannot be after the data cut-off. Forecasts
# (expected_close_at), target months and rep start dates may lie in the future, and so may
# an activity without an outcome: a planned next step (a call or meeting due after the export).
EVENT_DATES = {
    "deals": ("created_at", "closed_at"),
    "accounts": ("created_at", "churned_at"),
    "leads": ("created_at", "converted_at"),
    "stage_history": ("entered_at",),
    "activities": ("at",),
    "revenue": ("date",),
    "events": ("date",),
}


@dataclass
class Finding:
    """Rows of one table sharing one problem."""

    kind: str
    column: str | None  # canonical column (or mapping slot) concerned; None for whole rows
    message: str
    mask: np.ndarray
    fix: str | None = None
    examples: list[str] = field(default_factory=list)
    rejects: bool = True

    @property
    def count(self) -> int:
        return int(self.mask.sum())


@dataclass
class CheckContext:
    table: str
    stage_ids: list[str]
    cutoff: date
    columns: dict[str, pa.Array]  # typed canonical columns
    flagged: dict[str, np.ndarray] = field(default_factory=dict)  # cells already reported (unparseable, unknown)

    def has(self, column: str) -> bool:
        return column in self.columns

    def key(self, *parts: str) -> str:
        return "import: " + ": ".join((self.table, *parts))


def reason(finding: Finding) -> str:
    """The finding as a short reason naming its column (rejected.csv, the summary)."""
    if finding.column and finding.column.split(".")[0] not in finding.message:
        return f"{finding.column}: {finding.message}"
    return finding.message


Check = Callable[[CheckContext], list[Finding]]


def run_checks(context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for check in GENERAL_CHECKS + TABLE_CHECKS.get(context.table, []):
        findings += [f for f in check(context) if f.mask.any()]
    return findings


# --------------------------------------------------------------------------- general checks


def required_values(context: CheckContext) -> list[Finding]:
    findings = []
    for name in TABLES[context.table].required_columns:
        if context.has(name):
            empty = missing_mask(context.columns[name])
            if name in context.flagged:
                empty &= ~context.flagged[name]
            findings.append(
                Finding(
                    "empty_required",
                    name,
                    f"empty {name} (required)",
                    empty,
                    fix=f"every row of {context.table} needs a {name}: fill the cells or remove the rows",
                )
            )
    return findings


def duplicate_keys(context: CheckContext) -> list[Finding]:
    key = TABLES[context.table].key
    if not key or not context.has(key):
        return []
    repeated = later_duplicates(context.columns[key])
    return [
        Finding(
            "duplicate_id",
            key,
            f"{key} values used by more than one row (the first row of each is kept)",
            repeated,
            fix=f"{key} must be unique: remove the repeated rows or fix their ids",
        )
    ]


def later_duplicates(column: pa.Array) -> np.ndarray:
    """True on every row whose (non-missing) value already appeared on an earlier row.

    Exports are usually sorted by id: a column whose values strictly increase (as text, or as
    whole numbers) has no duplicates, which is checked in one vectorised pass; otherwise the
    values are hashed."""
    import pandas as pd

    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if column.null_count == 0 and (_increasing(column) or _increasing(_as_integers(column))):
        return np.zeros(len(column), dtype=bool)
    if len(pc.unique(column)) == len(column) - column.null_count + (1 if column.null_count else 0):
        return np.zeros(len(column), dtype=bool)
    values = pd.Series(column.to_pandas())
    return (values.duplicated(keep="first") & values.notna()).to_numpy()


def _increasing(column: pa.Array | None) -> bool:
    if column is None or len(column) < 2:
        return column is not None
    return bool(pc.all(pc.less(column.slice(0, len(column) - 1), column.slice(1))).as_py())


def _as_integers(column: pa.Array) -> pa.Array | None:
    if not all(v.isdigit() for v in sample(column)):
        return None
    try:
        return column.cast(pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def negative_numbers(context: CheckContext) -> list[Finding]:
    findings = []
    for name in NON_NEGATIVE.get(context.table, ()):
        if context.has(name):
            negative = to_numpy_bool(pc.less(context.columns[name], 0))
            findings.append(
                Finding(
                    "negative",
                    name,
                    f"negative {name}",
                    negative,
                    fix=f"{name} cannot be negative: correct the cells (credit notes belong in the revenue table)",
                )
            )
    return findings


def numbers_in_range(context: CheckContext) -> list[Finding]:
    """Every number column: a value above LARGEST_NUMBER (or infinite, e.g. 1e400) is a mistake."""
    findings = []
    for column in TABLES[context.table].columns:
        if column.kind in ("number", "integer") and context.has(column.name):
            values = context.columns[column.name]
            if pa.types.is_integer(values.type):
                values = values.cast(pa.float64(), safe=False)
            huge = to_numpy_bool(pc.greater(pc.abs(values), LARGEST_NUMBER))
            noun = "amounts" if column.name in AMOUNTS else "numbers"
            power = int(np.log10(LARGEST_NUMBER))
            findings.append(
                Finding(
                    "number_too_large",
                    column.name,
                    f"{noun} above 10^{power} (1e{power}) in absolute value",
                    huge,
                    fix=f"no {noun[:-1]} is that large (the world's yearly GDP is about 1e14): correct the cells, "
                    f"or check '{context.key('format', 'decimal')}:', 'thousands:' and '{context.key('scale')}:'",
                )
            )
    return findings


def dates_after_cutoff(context: CheckContext) -> list[Finding]:
    limit = pa.scalar(np.datetime64(context.cutoff + timedelta(days=1), "ns"), pa.timestamp("ns"))
    findings = []
    for name in EVENT_DATES.get(context.table, ()):
        if context.has(name):
            late = to_numpy_bool(pc.greater_equal(context.columns[name], limit))
            if context.table == "activities" and context.has("outcome"):
                late &= to_numpy_bool(pc.is_valid(context.columns["outcome"]))  # planned: no outcome yet
            findings.append(
                Finding(
                    "after_cutoff",
                    name,
                    f"{name} after the data cut-off {context.cutoff.isoformat()}",
                    late,
                    fix="set data_cutoff in client.yml to the day the export was made (default: today), "
                    "or correct the dates",
                )
            )
    return findings


GENERAL_CHECKS: list[Check] = [required_values, duplicate_keys, negative_numbers, numbers_in_range, dates_after_cutoff]


# --------------------------------------------------------------------------- deals


def _status_is(context: CheckContext, *statuses: str) -> np.ndarray:
    return Encoded.of(context.columns["status"]).rows_with(set(statuses))


def closed_before_created(context: CheckContext) -> list[Finding]:
    if not (context.has("closed_at") and context.has("created_at")):
        return []
    closed, created = context.columns["closed_at"], context.columns["created_at"]
    early = to_numpy_bool(pc.less(pc.floor_temporal(closed, unit="day"), pc.floor_temporal(created, unit="day")))
    examples = [
        f"closed {c:%Y-%m-%d} < created {d:%Y-%m-%d}" for c, d in zip(_first(closed, early), _first(created, early))
    ]
    return [
        Finding(
            "closed_before_created",
            "closed_at",
            "closed_at is before created_at",
            early,
            examples=examples,
            fix="check these dates in the CRM; if created_at is the day the records were loaded into the CRM "
            f"(a migration), map created_at to another column or drop it with 'created_at: null' under "
            f"'{context.key('columns')}:'",
        )
    ]


def status_and_close_date(context: CheckContext) -> list[Finding]:
    if not context.has("status"):
        return []
    has_date = ~missing_mask(context.columns["closed_at"]) if context.has("closed_at") else None
    open_ = _status_is(context, "open")
    closed = _status_is(context, "won", "lost")
    findings = []
    if has_date is not None:
        findings.append(
            Finding(
                "open_with_closed_at",
                "closed_at",
                "open deals with a closed_at",
                open_ & has_date,
                fix=f"check the status mapping ('{context.key('values', 'status')}:' or '{context.key('derive', 'status')}:'); "
                "if this column is an expected close date, map it to expected_close_at, or use "
                f"'{context.key('derive', 'close_date')}:' for a close date that is expected while the deal is open",
            )
        )
    without = closed & (~has_date if has_date is not None else True)
    if "closed_at" in context.flagged:  # a date already reported as unreadable is not also "missing"
        without = without & ~context.flagged["closed_at"]
    findings.append(
        Finding(
            "closed_without_closed_at",
            "closed_at",
            "won or lost deals without closed_at",
            np.asarray(without),
            fix=f"map closed_at to the column holding the close date ('{context.key('columns', 'closed_at')}:'); "
            "kept with --lenient, but left out of the KPIs that need the date",
            rejects=False,
        )
    )
    return findings


def stage_fits_status(context: CheckContext) -> list[Finding]:
    """The last stage of the pipeline is won: an open or lost deal cannot be at it."""
    if not (context.has("status") and context.has("stage") and context.stage_ids):
        return []
    won_stage = context.stage_ids[-1]
    at_won = Encoded.of(context.columns["stage"]).rows_with({won_stage})
    wrong = at_won & _status_is(context, "open", "lost")
    return [
        Finding(
            "not_won_at_won_stage",
            "stage",
            f"open or lost deals at the won stage '{won_stage}'",
            wrong,
            fix=f"the last stage ({won_stage}) is where won deals are: check the status mapping "
            f"('{context.key('values', 'status')}:') and the stage mapping ('{context.key('values', 'stage')}:'); "
            "a lost deal's stage is the stage it was lost at (or null: its latest recorded stage before won); "
            "if your pipeline's stages end before the sale, add a won stage at the end of 'stages:' in client.yml "
            "(e.g. {id: won, fr: Affaire remportée, en: Won})",
        )
    ]


def probability_range(context: CheckContext) -> list[Finding]:
    if not context.has("probability"):
        return []
    over = to_numpy_bool(pc.greater(context.columns["probability"], 1))
    return [
        Finding(
            "probability_range",
            "probability",
            "probability above 1",
            over,
            fix=f"probabilities are fractions 0..1; if the export gives percentages, add "
            f"'{context.key('scale')}: {{probability: 0.01}}'",
        )
    ]


# --------------------------------------------------------------------------- activities


def outcome_fits_type(context: CheckContext) -> list[Finding]:
    if not (context.has("outcome") and context.has("type")):
        return []
    types, outcomes = Encoded.of(context.columns["type"]), Encoded.of(context.columns["outcome"])
    allowed = np.zeros((len(types.values) + 1, len(outcomes.values) + 1), dtype=bool)
    allowed[:, -1] = True  # no outcome is always fine
    for t, name in enumerate(types.values):
        for o, outcome in enumerate(outcomes.values):
            allowed[t, o] = outcome in ACTIVITY_OUTCOMES.get(name, ())
    wrong = ~allowed[types.codes, outcomes.codes]
    index = np.flatnonzero(wrong)[:50]
    examples = sorted({f"{t} → {o}" for t, o in zip(types.take(index), outcomes.take(index))})[:5]
    return [
        Finding(
            "outcome_for_type",
            "outcome",
            "outcome not possible for the activity type",
            wrong,
            examples=examples,
            fix=f"outcomes per type are listed in docs/data-model.md; map them under '{context.key('values', 'outcome')}:'",
        )
    ]


TABLE_CHECKS: dict[str, list[Check]] = {
    "deals": [closed_before_created, status_and_close_date, stage_fits_status, probability_range],
    "activities": [outcome_fits_type],
}


def _first(column: pa.Array, mask: np.ndarray, count: int = 5) -> list:
    index = np.flatnonzero(mask)[:count]
    return column.take(pa.array(index, type=pa.int64())).to_pylist() if len(index) else []
