"""Shared test helpers: the CLI run in-process, and small clients written from Python data.

``table`` and ``sales_data`` build small canonical tables from rows written by hand (dates as ISO
text, parsed as the canonical schema says), for tests of the analyses that need no import.
``write_client`` turns a description of a client (its settings, and per canonical table the
export's rows plus how its headers map) into ``data/<name>/client.yml`` and ``raw/*.csv``, the way
a consultant receives them. The property tests (tests/test_properties.py) and the bad-input corpus
(tests/test_bad_input_corpus.py) build on it.

Hypothesis runs under the ``ci`` profile unless ``HYPOTHESIS_PROFILE`` names another one: examples
are derandomized (the same ones on every run and machine), no example database is written, and
there is no deadline (an import or a KPI computation may take a second on a loaded machine).
Failures are reported as generated, not shrunk; ``HYPOTHESIS_PROFILE=dev`` shrinks them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, Phase, settings

from strategy_kit.cli import main
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.schema import TABLES

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    # No shrinking in CI: generated clients are small already, and shrinking a failure found in a
    # slow command could take minutes. HYPOTHESIS_PROFILE=dev shrinks to the smallest failing client.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def table(name: str, rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    """Canonical table ``name`` from ``rows`` of ``columns``: its datetime columns parsed from ISO
    text (``None``: missing), the others as written."""
    frame = pd.DataFrame(rows, columns=columns)
    kinds = {column.name: column.kind for column in TABLES[name].columns}
    for column in columns:
        if kinds.get(column) == "datetime":
            frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    return frame


def sales_data(config: ClientConfig | None = None, **tables: pd.DataFrame) -> SalesData:
    """A client's data from canonical tables (default settings: client "t", English)."""
    return SalesData(config or ClientConfig(client="t", display_name="T", language="en"), tables)


# Objectives as the strategist saves them (inputs/objectives.yml), with the KPIs and reps they are
# checked against: the objectives tests and the objectives form's tests start from them.
OBJECTIVE_KPIS = {"meetings_held": "Meetings held", "leads_contacted_24h_rate": "Leads contacted within 24 h"}
OBJECTIVE_REPS = ["Camille Dubois", "Hugo Lambert"]
OBJECTIVES = {
    "year": 2026,
    "revenue_growth": 0.15,
    "intermediate": [
        {
            "kpi": "meetings_held",
            "target": 0.3,
            "kind": "relative",
            "start": "2026-01-01",
            "deadline": "2026-12-31",
            "owner": "team",
        }
    ],
}


@dataclass(frozen=True)
class CliRun:
    """What one ``strategy-kit`` command did: its exit code and what it printed."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def invoke(*argv: str) -> CliRun:
    """Run ``strategy-kit ARGV`` in-process and capture its output (usable inside Hypothesis tests,
    where the function-scoped capsys fixture is not)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return CliRun(code, out.getvalue(), err.getvalue())


@dataclass
class ExportTable:
    """One canonical table as a client exports it.

    ``columns`` maps canonical column -> header in the export (the mapping written to client.yml);
    ``rows`` hold cell text per canonical column (a column mapped but missing from a row is an
    empty cell); ``extra_headers`` are export columns nobody maps; ``mapping`` adds keys to the
    table's entry (values, format, derive...).
    """

    columns: dict[str, str]
    rows: list[dict[str, str]]
    file: str = ""
    extra_headers: dict[str, str] = field(default_factory=dict)
    mapping: dict[str, Any] = field(default_factory=dict)


def csv_text(headers: list[str], rows: list[list[str]], separator: str = ",") -> str:
    """An export's text, quoted as a spreadsheet writes it (commas, quotes and line breaks survive)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def write_client(
    root: Path,
    tables: dict[str, ExportTable],
    settings: dict[str, Any] | None = None,
    name: str = "acme",
) -> Path:
    """Write ``data/<name>/`` under ``root`` (client.yml, raw/<table>.csv, inputs/); return the folder.

    ``settings`` are the top-level client.yml settings (display_name, language, stages,
    data_cutoff...); the ``import:`` section is built from ``tables``.
    """
    folder = root / "data" / name
    (folder / "raw").mkdir(parents=True, exist_ok=True)
    (folder / "inputs").mkdir(exist_ok=True)
    mapping: dict[str, Any] = {}
    for table, export in tables.items():
        file_name = export.file or f"{table}.csv"
        headers = list(dict.fromkeys([*export.columns.values(), *export.extra_headers.values()]))
        by_header = {header: column for column, header in export.columns.items()}
        by_header.update({header: key for key, header in export.extra_headers.items()})
        cells = [[row.get(by_header[h], "") for h in headers] for row in export.rows]
        (folder / "raw" / file_name).write_text(csv_text(headers, cells), encoding="utf-8")
        mapping[table] = {"files": [file_name], "columns": dict(export.columns), **export.mapping}
    config = dict(settings or {})
    config["import"] = mapping
    (folder / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


# A tiny deals-only client shared by the CLI tests. The data cover 2026-01-10 (deal 1 created) to
# 2026-04-20 (deal 2 closed).
TINY_DEALS = """ID,Status,Stage,Amount,Created,Closed,Owner
1,Won,won,1000,2026-01-10,2026-04-10,Ana
2,Lost,proposal,500,2026-02-01,2026-04-20,Ben
3,Open,qualification,200,2026-04-05,,Ana
"""


@pytest.fixture(scope="module")
def tiny_workspace(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A workspace with client 'tiny' (TINY_DEALS) created and imported through the CLI."""
    root = tmp_path_factory.mktemp("ws")
    raw = root / "exports"
    raw.mkdir()
    (raw / "deals.csv").write_text(TINY_DEALS, encoding="utf-8")
    assert main(["--workspace", str(root), "new-client", "tiny", "--raw", str(raw), "--language", "en"]) == 0
    assert main(["--workspace", str(root), "import", "tiny"]) == 0
    return str(root)
