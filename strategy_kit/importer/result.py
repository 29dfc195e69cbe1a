"""What an import did: rows per table, dates, stages, owners, exclusions, stage-history source,
values looked up from other tables and custom dimensions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from strategy_kit.importer.history import StageHistory

_OWNERS_SHOWN = 6


@dataclass
class TableReport:
    rows: int
    files: list[str] = field(default_factory=list)
    excluded: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # rows excluded per reason (lenient)
    ignored: int = 0  # rows left out on purpose (stage-history values mapped to null)
    total_rows_dropped: int = 0
    looked_up: dict[str, int] = field(default_factory=dict)  # lookup label -> rows it filled
    dimensions: dict[str, int] = field(default_factory=dict)  # custom dimension -> distinct values


@dataclass
class ImportResult:
    """The outcome of :func:`strategy_kit.importer.import_client`; ``summary()`` prints it."""

    client: str
    reports: dict[str, TableReport]
    history: dict[str, Any] = field(default_factory=dict)  # source, recorded, inferred (empty without deals)
    deals: dict[str, Any] = field(default_factory=dict)  # date ranges, status, stages, owners (empty without deals)
    lenient: bool = False
    warnings: list[str] = field(default_factory=list)
    rejected_file: str | None = None
    from_cache: bool = False
    seconds: float = 0.0
    arrow_tables: dict[str, pa.Table] = field(default_factory=dict, repr=False)
    rejected_rows: pd.DataFrame | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls,
        client: str,
        tables: dict[str, pa.Table],
        reports: dict[str, TableReport],
        history: StageHistory | None,
        stage_ids: list[str],
        lenient: bool,
        warnings: list[str],
        rejected_rows: pd.DataFrame | None,
        rejected_file: Path | None,
    ) -> ImportResult:
        reports = dict(reports)
        if "stage_history" in tables:
            reports["stage_history"] = TableReport(
                rows=tables["stage_history"].num_rows,
                files=reports.get("stage_history", TableReport(0)).files,
                excluded=reports.get("stage_history", TableReport(0)).excluded,
                reasons=reports.get("stage_history", TableReport(0)).reasons,
                ignored=reports.get("stage_history", TableReport(0)).ignored,
            )
        return cls(
            client=client,
            reports=reports,
            history={"source": history.source, "recorded": history.recorded, "inferred": history.inferred}
            if history is not None
            else {},
            deals=deal_overview(tables["deals"], stage_ids) if "deals" in tables else {},
            lenient=lenient,
            warnings=warnings,
            rejected_file=str(rejected_file) if rejected_file else None,
            arrow_tables=tables,
            rejected_rows=rejected_rows,
        )

    @property
    def rows(self) -> dict[str, int]:
        return {t: r.rows for t, r in self.reports.items()}

    @property
    def rejected(self) -> dict[str, int]:
        """Rows excluded per table (lenient imports; zero otherwise)."""
        return {t: r.excluded for t, r in self.reports.items() if r.excluded}

    def to_dict(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "reports": {t: asdict(r) for t, r in self.reports.items()},
            "history": self.history,
            "deals": self.deals,
            "lenient": self.lenient,
            "warnings": self.warnings,
            "rejected_file": self.rejected_file,
            "rejected": self.rejected,
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], from_cache: bool = False) -> ImportResult:
        return cls(
            client=data["client"],
            reports={t: TableReport(**r) for t, r in data["reports"].items()},
            history=data.get("history", {}),
            deals=data.get("deals", {}),
            lenient=data.get("lenient", False),
            warnings=data.get("warnings", []),
            rejected_file=data.get("rejected_file"),
            from_cache=from_cache,
            seconds=data.get("seconds", 0.0),
        )

    def summary(self) -> str:
        lines = [self._headline()]
        for table, report in self.reports.items():
            if table == "stage_history":
                continue
            source = f" from {', '.join(report.files)}" if report.files else ""
            lines.append(f"  {table:<13} {report.rows:>10,} rows{source}")
            if report.total_rows_dropped:
                lines.append(f"  {'':<13} ({report.total_rows_dropped} total row(s) at the bottom left out)")
            if table == "deals":
                lines += [f"  {'':<13} {line}" for line in self._deal_lines()]
            lines += [f"  {'':<13} {line}" for line in _mapping_lines(report)]
        if "stage_history" in self.reports:
            lines.append(self._history_line())
        else:
            lines.append(
                f"  {'deals':<13} none imported: the analyses of deals and stages will say they are "
                "not available (map import: deals: to have them)"
            )
        lines += self._exclusion_lines()
        return "\n".join(lines)

    def _headline(self) -> str:
        how = (
            "up to date (exports unchanged since the last import; --force re-imports)"
            if self.from_cache
            else (f"imported in {self.seconds:.1f} s" + (" (lenient)" if self.lenient else ""))
        )
        return f"Client '{self.client}': {how}"

    def _deal_lines(self) -> list[str]:
        d = self.deals
        lines = []
        if d.get("created"):
            missing = f" ({d['without_created']:,} without created_at)" if d.get("without_created") else ""
            lines.append(f"created {d['created'][0]} → {d['created'][1]}{missing}")
        if d.get("closed"):
            lines.append(f"closed  {d['closed'][0]} → {d['closed'][1]}")
        if d.get("status"):
            lines.append("status: " + " · ".join(f"{k} {v:,}" for k, v in d["status"].items()))
        if d.get("stages"):
            lines.append("stages: " + " · ".join(f"{k} {v:,}" for k, v in d["stages"].items()))
        if d.get("owners_count"):
            names = ", ".join(d["owners"][:_OWNERS_SHOWN]) + (", ..." if d["owners_count"] > _OWNERS_SHOWN else "")
            lines.append(f"owners: {d['owners_count']} ({names})")
        return lines

    def _history_line(self) -> str:
        h = self.history
        total = self.reports["stage_history"].rows
        if not h.get("recorded"):
            return f"  stage history {total:>10,} rows, {h.get('source', 'inferred')} (inferred: true)"
        return (
            f"  stage history {total:>10,} rows: {h['recorded']:,} from {h['source']}, "
            f"{h['inferred']:,} inferred (stages passed without a recorded row)"
        )

    def _exclusion_lines(self) -> list[str]:
        lines = []
        for table, report in self.reports.items():
            if report.excluded:
                reasons = "; ".join(f"{reason}: {n:,}" for reason, n in report.reasons.items())
                lines.append(f"  excluded from {table}: {report.excluded:,} row(s) ({reasons})")
            if report.ignored:
                lines.append(f"  {table}: {report.ignored:,} row(s) with a value mapped to null left out")
        lines += [f"  warning: {w}" for w in self.warnings]
        if lines and self.rejected_file:
            lines.append(f"  rejected rows and their reasons: {self.rejected_file}")
        return lines or ["  excluded: no rows"]


def _mapping_lines(report: TableReport) -> list[str]:
    lines = [f"{label}: {count:,} row(s)" for label, count in report.looked_up.items()]
    if report.dimensions:
        lines.append(
            "dimensions: "
            + " · ".join(
                f"{name} ({count:,} value{'s' if count != 1 else ''})" for name, count in report.dimensions.items()
            )
        )
    return lines


def deal_overview(deals: pa.Table, stage_ids: list[str]) -> dict[str, Any]:
    overview: dict[str, Any] = {}
    for column, key in (("created_at", "created"), ("closed_at", "closed")):
        if column in deals.column_names:
            bounds = pc.min_max(deals[column]).as_py()
            if bounds["min"] is not None:
                overview[key] = [bounds["min"].date().isoformat(), bounds["max"].date().isoformat()]
    if "created_at" in deals.column_names:
        overview["without_created"] = deals["created_at"].null_count
    for column, key, order in (("status", "status", ["open", "won", "lost"]), ("stage", "stages", stage_ids)):
        if column in deals.column_names:
            counts = _counts(deals[column])
            overview[key] = {k: counts[k] for k in order if counts.get(k)}
            if counts.get(None):
                overview[key]["(none)"] = counts[None]
    if "owner" in deals.column_names:
        owners = sorted(k for k in _counts(deals["owner"]) if k is not None)
        overview["owners_count"] = len(owners)
        overview["owners"] = owners[:_OWNERS_SHOWN]
    return overview


def _counts(column: pa.ChunkedArray) -> dict[Any, int]:
    counts = pc.value_counts(column.cast(pa.string()))
    return {row["values"]: int(row["counts"]) for row in counts.to_pylist()}
