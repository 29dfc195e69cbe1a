"""KPI engine benchmark at enterprise scale: 1,000,000 deals and 10,000,000 activities.

    python benchmarks/bench_kpis.py --workspace /tmp/bench [--client enterprise] [--period 2026-Q2] [--repeat 3]

Builds the enterprise demo client in the workspace if it is absent (strategy_kit.demo, scale
"enterprise") and imports it, then, in one process:

1. loads the cached tables (strategy_kit.importer.load_sales_data);
2. computes every KPI for the quarter (the engine prepares what every period shares here);
3. the same with a per-owner breakdown;
4. the baselines' series: the 12 months and 4 quarters ending with the quarter and the same
   quarter a year earlier (17 periods), total and per owner;

and prints each step's wall time, the total, and the peak memory (ru_maxrss). Targets: under
10 s and under 6 GB.

Then it checks the engine against DuckDB on KPIs of every table family: deals (new deals, deals
won and lost, win rate, won value, median sales cycle), activities (calls made, emails sent,
meetings held, call connect rate), leads (new leads, median lead response time, leads contacted
within 24 h) and the stage history (stage_conversion.<stage> and time_in_stage_days.<stage> for
every stage but the won one), each for the whole quarter and per owner. The SQL
(benchmarks/kpis_sql.py, one query per family) is written from KPIS.md and docs/kpis.md, not from
the engine's code, and runs over the same tables twice: the DataFrames in memory and the cache's
Arrow tables (data/CLIENT/.cache/*.arrow, memory-mapped). A fresh KpiEngine computes the same KPIs with the same
breakdown. It prints a table (KPI, engine value, DuckDB value, same: yes/NO at a relative tolerance
of 1e-9 with null equal to null, and whether every owner agrees), the owners that differ, the
timings (engine: prepare + compute; DuckDB over the DataFrames; DuckDB over the cache's Arrow tables)
and the ratios (target: the engine within 2x of DuckDB). DuckDB is in the ``bench`` extra (pip
install strategy-kit[bench]). Figures are printed, never asserted.

    python benchmarks/bench_kpis.py --workspace . --client demo --period 2026-Q3
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # ru_maxrss is in KiB on Linux


def _baseline_periods(quarter, fiscal_year_start_month: int) -> list:
    """The 12 months and the 4 quarters ending with ``quarter``, and the same quarter a year earlier."""
    from strategy_kit.periods import parse_period

    months, end = [], quarter.end
    for _ in range(12):
        months.append(parse_period(f"{end.year}-{end.month:02d}"))
        end = end.replace(day=1) - timedelta(days=1)
    quarters = [quarter]
    for _ in range(3):
        quarters.append(_quarter_containing(quarters[-1].start - timedelta(days=1), fiscal_year_start_month))
    return [*reversed(months), *reversed(quarters), quarter.shifted_years(-1)]


def _quarter_containing(day: date, fiscal_year_start_month: int):
    from strategy_kit.periods import fiscal_quarter_of, parse_period

    year, number = fiscal_quarter_of(day, fiscal_year_start_month)
    return parse_period(f"{year}-Q{number}", fiscal_year_start_month)


def _ensure_client(root: Path, client: str) -> None:
    from strategy_kit.workspace import Workspace

    workspace = Workspace.at(root)
    if not (workspace.data_dir / client / "client.yml").is_file():
        from strategy_kit.demo import build_demo

        print(f"building the enterprise demo client in {workspace.data_dir / client} (a few minutes)...", flush=True)
        build_demo(workspace, name=client, scale="enterprise")
    if not (workspace.data_dir / client / ".cache" / "manifest.json").is_file():
        from strategy_kit.importer import import_client

        print("importing it...", flush=True)
        print(import_client(workspace, client).summary(), flush=True)


def _step(name: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {name:58s} {now - started:7.2f} s   peak {_peak_gb():5.2f} GB", flush=True)
    return now


def _best(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """The shortest of ``repeat`` runs, and the last run's result."""
    times: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


Values = dict[tuple[str, str | None], float | None]  # (kpi, owner; None: the whole period) -> value


def _number(value: object) -> float | None:
    """A value as a float, None for null (SQL NULL, NaN, pandas NA)."""
    from strategy_kit.stats import finite_or_none

    return finite_or_none(value)


def _engine_values(result, kpis: list[str]) -> Values:
    values: Values = {(kpi, None): _number(result.values.get(kpi)) for kpi in kpis}
    for group, row in result.breakdown.get("owner", {}).items():
        for kpi in kpis:
            values[(kpi, group)] = _number(row.get(kpi))
    return values


def _run_duckdb(sources: dict[str, object], queries: dict[str, str], stage_ids: list[str], memory: str) -> Values:
    """Run the four queries in a fresh DuckDB connection; ``sources``: table name -> DataFrame or
    Arrow table."""
    import duckdb

    connection = duckdb.connect(config={"memory_limit": memory})
    try:
        for name, source in sources.items():
            connection.register(name, source)
        values: Values = {}
        for family, query in queries.items():
            rows = connection.execute(query.format(**{name: name for name in sources})).fetchall()
            columns = [d[0] for d in connection.description]
            for row in rows:
                record = dict(zip(columns, row))
                group = None if record["is_total"] else record["grp"]
                if family == "stages":
                    kpi = f"{record['kpi']}.{stage_ids[record['rank']]}"
                    values[(kpi, group)] = _number(record["value"])
                else:
                    for kpi in columns[2:]:
                        values[(kpi, group)] = _number(record[kpi])
        return values
    finally:
        connection.close()


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)


def _empty(kpi: str) -> float | None:
    """A group without any row of the KPI: 0 for counts and sums, null for rates and medians."""
    from kpis_sql import ADDITIVE

    return 0.0 if kpi in ADDITIVE else None


def _differences(
    kpis: list[str], engine: Values, other: Values
) -> dict[str, list[tuple[str, float | None, float | None]]]:
    """Per KPI, the owners whose values differ (engine, other)."""
    groups = {g for (_, g) in engine if g is not None} | {g for (_, g) in other if g is not None}
    found: dict[str, list[tuple[str, float | None, float | None]]] = {}
    for kpi in kpis:
        for group in sorted(groups):
            a = engine.get((kpi, group), _empty(kpi))
            b = other.get((kpi, group), _empty(kpi))
            if not _same(a, b):
                found.setdefault(kpi, []).append((group, a, b))
    return found


def _show(value: float | None) -> str:
    if value is None:
        return "null"
    return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1 else f"{value:,.6f}"


def compare_with_duckdb(data, root: Path, client: str, period, repeat: int, memory: str) -> None:
    try:
        import duckdb
    except ImportError:
        print("DuckDB comparison skipped: duckdb is not installed (pip install strategy-kit[bench])")
        return
    import kpis_sql

    from strategy_kit.importer import cache as table_cache
    from strategy_kit.kpis import KpiEngine

    stage_ids = list(data.config.stage_ids)
    kpis = [*kpis_sql.DEAL_KPIS, *kpis_sql.ACTIVITY_KPIS, *kpis_sql.LEAD_KPIS, *kpis_sql.stage_kpi_ids(stage_ids)]
    start, end = period.start, period.end
    queries = {
        "deals": kpis_sql.deals_query(start, end),
        "activities": kpis_sql.activities_query(start, end),
        "leads": kpis_sql.leads_query(start, end),
        "stages": kpis_sql.stages_query(start, end, stage_ids),
    }
    names = ("deals", "activities", "leads", "stage_history")
    missing = [name for name in names if data.tables.get(name) is None]
    if missing:
        print(f"DuckDB comparison skipped: the client has no {', '.join(missing)} table")
        return
    frames = {name: data.tables[name] for name in names}
    cache = root / "data" / client / ".cache"
    has_cache = all(table_cache.table_path(cache, name).is_file() for name in names)

    def run_engine() -> object:
        return KpiEngine(data).compute(period, kpis=kpis, by=["owner"])

    engine_time, result = _best(repeat, run_engine)
    frame_time, frame_values = _best(repeat, lambda: _run_duckdb(frames, queries, stage_ids, memory))
    if has_cache:
        cached = {name: table_cache.read_table(cache, name) for name in names}
        cache_time, cache_values = _best(repeat, lambda: _run_duckdb(cached, queries, stage_ids, memory))
    engine_values = _engine_values(result, kpis)
    owners = len(result.breakdown.get("owner", {}))

    print(f"\n{len(kpis)} KPIs for {period.label}, total and by owner ({owners} owners), engine against DuckDB SQL:")
    frame_diff = _differences(kpis, engine_values, frame_values)
    cache_diff = _differences(kpis, engine_values, cache_values) if has_cache else {}
    print(f"  {'KPI':40s} {'engine':>16s} {'DuckDB':>16s}  same  by owner")
    for kpi in kpis:
        a, b = engine_values[(kpi, None)], frame_values.get((kpi, None), _empty(kpi))
        same = _same(a, b) and (not has_cache or _same(a, cache_values.get((kpi, None), _empty(kpi))))
        owners_differ = len({g for g, *_ in [*frame_diff.get(kpi, []), *cache_diff.get(kpi, [])] if g})
        by_owner = "same" if not owners_differ else f"{owners_differ} differ"
        print(f"  {kpi:40s} {_show(a):>16s} {_show(b):>16s}  {'yes' if same else 'NO':4s}  {by_owner}")
    for kpi, rows in frame_diff.items():
        for group, a, b in rows[:5]:
            print(f"    {kpi} for {group}: engine {_show(a)}, DuckDB {_show(b)}")
    agree = not frame_diff and not cache_diff
    print(f"  same numbers (rel. tol. 1e-9, null = null), total and every owner: {'yes' if agree else 'NO'}")
    print(f"\nTimings, best of {repeat} (DuckDB {duckdb.__version__}, {_threads()} threads, memory limit {memory}):")
    print(f"  KpiEngine (fresh engine: prepare + compute)               {engine_time:7.3f} s")
    print(f"  DuckDB, 4 SQL queries over the DataFrames                 {frame_time:7.3f} s")
    if has_cache:
        print(f"  DuckDB, 4 SQL queries over the cache's Arrow tables       {cache_time:7.3f} s")
    print(f"  ratio engine / DuckDB (DataFrame)                         {engine_time / frame_time:7.2f}x")
    if has_cache:
        print(f"  ratio engine / DuckDB (cache)                             {engine_time / cache_time:7.2f}x")


def _threads() -> int:
    import duckdb

    connection = duckdb.connect()
    try:
        return int(connection.execute("SELECT current_setting('threads')").fetchone()[0])
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", default="/tmp/bench", help="workspace holding data/CLIENT (default /tmp/bench)")
    parser.add_argument("--client", default="enterprise")
    parser.add_argument("--period", default="2026-Q2", help="the quarter (default 2026-Q2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the DuckDB comparison (best kept)")
    parser.add_argument("--memory", default="4GB", help="DuckDB's memory limit (default 4GB)")
    args = parser.parse_args(argv)
    root = Path(args.workspace).expanduser().resolve()
    _ensure_client(root, args.client)

    from strategy_kit.importer import load_sales_data
    from strategy_kit.kpis import KpiEngine
    from strategy_kit.periods import parse_period
    from strategy_kit.workspace import Workspace

    print(f"KPI engine on {root / 'data' / args.client}:")
    started = step = time.perf_counter()
    data = load_sales_data(Workspace.at(root), args.client)
    step = _step("load the cached tables (load_sales_data)", step)
    load_seconds = step - started
    rows = ", ".join(f"{name} {len(frame):,}" for name, frame in data.tables.items() if frame is not None)
    print(f"    rows: {rows}")
    fiscal_start = data.config.fiscal_year_start_month
    quarter = parse_period(args.period, fiscal_start)
    engine = KpiEngine(data)
    result = engine.compute(quarter)
    step = _step(f"all {len(result.definitions)} KPIs for {quarter.label} (prepare + compute)", step)
    by_owner = engine.compute(quarter, by=["owner"])
    step = _step(f"the same with a breakdown by owner ({len(by_owner.breakdown['owner'])} owners)", step)
    periods = _baseline_periods(quarter, fiscal_start)
    series = engine.series(periods, by=["owner"])
    step = _step(f"series: {len(periods)} periods x (total + by owner), {len(series):,} rows", step)
    total = time.perf_counter() - started
    print(f"  {'total, load included':58s} {total:7.2f} s")
    print(f"  {'total, load excluded':58s} {total - load_seconds:7.2f} s")
    print(f"  peak memory (ru_maxrss)                                    {_peak_gb():5.2f} GB")
    print(f"  unavailable: {', '.join(result.unavailable) or 'none'}")
    compare_with_duckdb(data, root, args.client, quarter, args.repeat, args.memory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
