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
10 s and under 6 GB. Then it times the core KPIs (deals won and lost, win rate, won value, median
sales cycle, win rate per owner) as one DuckDB SQL query over the same deals (the DataFrame in
memory, and the Parquet cache), against a fresh KpiEngine computing the same KPIs, checks that
both give the same numbers and prints the ratio (target: the engine within 2x of DuckDB).
DuckDB is in the ``bench`` extra (pip install strategy-kit[bench]). Figures are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

CORE = ["deals_won", "deals_lost", "win_rate", "won_value", "sales_cycle_days"]


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


def _duckdb_query(period) -> str:
    end = period.end + timedelta(days=1)
    return f"""
        SELECT owner,
               count(*) FILTER (WHERE status = 'won') AS deals_won,
               count(*) FILTER (WHERE status = 'lost') AS deals_lost,
               count(*) FILTER (WHERE status = 'won') / nullif(count(*), 0) AS win_rate,
               coalesce(sum(value) FILTER (WHERE status = 'won'), 0) AS won_value,
               median(date_diff('day', CAST(created_at AS DATE), CAST(closed_at AS DATE)))
                   FILTER (WHERE status = 'won') AS sales_cycle_days
        FROM {{source}}
        WHERE status IN ('won', 'lost')
          AND closed_at >= TIMESTAMP '{period.start.isoformat()}' AND closed_at < TIMESTAMP '{end.isoformat()}'
        GROUP BY GROUPING SETS ((), (owner))
    """


def _best(repeat: int, run) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def compare_with_duckdb(data, root: Path, client: str, period, repeat: int) -> None:
    try:
        import duckdb
    except ImportError:
        print("DuckDB comparison skipped: duckdb is not installed (pip install strategy-kit[bench])")
        return
    import math

    from strategy_kit.kpis import KpiEngine

    query = _duckdb_query(period)
    parquet = root / "data" / client / ".cache" / "deals.parquet"

    def run_engine():
        return KpiEngine(data).compute(period, by=["owner"], kpis=CORE)

    def run_duckdb(source: str):
        connection = duckdb.connect()
        try:
            connection.register("deals", data.deals)
            return connection.execute(query.format(source=source)).df()
        finally:
            connection.close()

    engine_time, result = _best(repeat, run_engine)
    frame_time, frame = _best(repeat, lambda: run_duckdb("deals"))
    parquet_time = _best(repeat, lambda: run_duckdb(f"read_parquet('{parquet}')"))[0] if parquet.is_file() else None

    total = frame[frame["owner"].isna()].iloc[0]
    same = all(math.isclose(float(total[k]), float(result.values[k]), rel_tol=1e-9) for k in CORE) and all(
        math.isclose(float(row["win_rate"]), result.breakdown["owner"][str(row["owner"])]["win_rate"], rel_tol=1e-9)
        for _, row in frame[frame["owner"].notna()].iterrows()
    )
    print(f"\nCore KPIs ({', '.join(CORE)}, win rate per owner), best of {repeat}:")
    print(f"  KpiEngine (fresh engine: prepare + compute)               {engine_time:7.3f} s")
    print(f"  DuckDB, one SQL query over the deals DataFrame            {frame_time:7.3f} s")
    if parquet_time is not None:
        print(f"  DuckDB, one SQL query over the Parquet cache              {parquet_time:7.3f} s")
    print(f"  ratio engine / DuckDB (DataFrame)                         {engine_time / frame_time:7.2f}x")
    print(
        f"  same numbers: {'yes' if same else 'NO'} (deals won {result.values['deals_won']:,}, "
        f"win rate {result.values['win_rate']:.4f}, median cycle {result.values['sales_cycle_days']} days)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", default="/tmp/bench", help="workspace holding data/CLIENT (default /tmp/bench)")
    parser.add_argument("--client", default="enterprise")
    parser.add_argument("--period", default="2026-Q2", help="the quarter (default 2026-Q2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the DuckDB comparison (best kept)")
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
    compare_with_duckdb(data, root, args.client, quarter, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
