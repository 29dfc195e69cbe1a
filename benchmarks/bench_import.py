"""Import benchmark at enterprise scale: 1,000,000 deals and 10,000,000 activities.

    python benchmarks/bench_import.py --workspace /tmp/bench [--deals N --activities N] [--repeat 3]

Builds the enterprise demo client in the workspace if it is absent (strategy_kit.demo,
scale "enterprise"), then measures, each in a fresh Python process:

- pandas: reading the same raw files with pandas.read_csv(engine="pyarrow") alone (with the
  separator, encoding and skipped lines of client.yml; pandas' pyarrow engine cannot read
  Windows-1252 files, so those are read with engine="c" and flagged);
- import: strategy_kit.importer.import_client(force=True): read, map, validate, cache;
- load: strategy_kit.load_sales_data with an up-to-date cache.

Peak memory is the process's ru_maxrss; the size of the loaded tables is the sum of
DataFrame.memory_usage(deep=True). Targets: import within 2x the pandas read, import peak
memory under 3x the loaded tables, cached load under 2 s. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

CLIENT = "enterprise"


def measure_pandas(workspace: Path, client: str) -> dict:
    import pandas as pd

    from strategy_kit.importer.mapping import parse_import, resolve_files
    from strategy_kit.workspace import Workspace

    ws = Workspace.at(workspace)
    paths = ws.existing_client(client)
    mappings = parse_import(ws.load_config(client).import_spec, paths.config_file)
    started = time.perf_counter()
    rows, slow_engine = 0, []
    for mapping in mappings.values():
        fmt = mapping.format
        for path in resolve_files(paths.raw, mapping, paths.config_file):
            encoding = _encoding(path, fmt.encoding)
            options = {"skiprows": fmt.skip_rows or None, "encoding": encoding}
            if fmt.separator != "auto":
                options["sep"] = fmt.separator
            elif ";" in path.read_bytes()[:4096].decode("latin-1").splitlines()[fmt.skip_rows]:
                options["sep"] = ";"
            engine = "pyarrow" if encoding.replace("-", "").lower().startswith("utf8") else "c"
            if engine != "pyarrow":
                slow_engine.append(path.name)
            frame = pd.read_csv(path, engine=engine, **options)
            rows += len(frame)
            del frame
    return {"seconds": time.perf_counter() - started, "rows": rows, "engine_c": slow_engine}


def _encoding(path: Path, declared: str) -> str:
    if declared != "auto":
        return declared
    data = path.read_bytes()[: 1 << 20]
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        return "utf-8" if exc.start >= len(data) - 3 else "cp1252"


def measure_import(workspace: Path, client: str) -> dict:
    from strategy_kit.importer import import_client

    started = time.perf_counter()
    result = import_client(workspace, client, force=True)
    return {"seconds": time.perf_counter() - started, "rows": result.rows}


def measure_load(workspace: Path, client: str) -> dict:
    import strategy_kit
    import strategy_kit.importer  # noqa: F401  (a notebook has pandas and pyarrow loaded already)

    started = time.perf_counter()
    data = strategy_kit.load_sales_data(workspace, client)
    seconds = time.perf_counter() - started
    size = sum(int(f.memory_usage(deep=True).sum()) for f in data.tables.values() if f is not None)
    return {"seconds": seconds, "table_bytes": size, "rows": {t: len(f) for t, f in data.tables.items()}}


MEASURES = {"pandas": measure_pandas, "import": measure_import, "load": measure_load}


def run_child(kind: str, workspace: Path, client: str) -> dict:
    """One measurement in a fresh interpreter; returns its figures and its peak RSS."""
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--workspace", str(workspace), "--client", client],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(kind: str, workspace: Path, client: str) -> None:
    figures = MEASURES[kind](workspace, client)
    figures["peak_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(figures, default=str))


def ensure_client(workspace: Path, client: str, deals: int | None, activities: int | None) -> None:
    from strategy_kit.demo import build_demo
    from strategy_kit.workspace import Workspace

    if (workspace / "data" / client / "client.yml").is_file():
        return
    print(f"building the enterprise demo client in {workspace} (once)...", flush=True)
    started = time.perf_counter()
    build_demo(Workspace.at(workspace), name=client, scale="enterprise", deals=deals, activities=activities)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=Path("/tmp/strategy-kit-bench"))
    parser.add_argument("--client", default=CLIENT)
    parser.add_argument("--deals", type=int, help="deals to generate (default: the enterprise scale, 1,000,000)")
    parser.add_argument("--activities", type=int, help="activities to generate (default: 10,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is shown)")
    parser.add_argument("--measure", choices=MEASURES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    workspace = args.workspace.resolve()
    if args.measure:
        child(args.measure, workspace, args.client)
        return

    ensure_client(workspace, args.client, args.deals, args.activities)
    raw = workspace / "data" / args.client / "raw"
    raw_bytes = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())
    print(f"client {args.client}: {raw_bytes / 1e9:.2f} GB of raw exports in {raw}")
    runs = {kind: [] for kind in ("pandas", "import", "load")}
    for _ in range(args.repeat):
        for kind in runs:  # load runs after an import, so its cache is fresh
            runs[kind].append(run_child(kind, workspace, args.client))
            print(
                f"  {kind:7s} {runs[kind][-1]['seconds']:7.2f} s  peak {runs[kind][-1]['peak_bytes'] / 1e9:5.2f} GB",
                flush=True,
            )
    report(runs)


def report(runs: dict[str, list[dict]]) -> None:
    def median(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[kind])

    pandas_s, import_s, load_s = median("pandas", "seconds"), median("import", "seconds"), median("load", "seconds")
    tables = median("load", "table_bytes")
    import_peak = median("import", "peak_bytes")
    rows = runs["import"][-1]["rows"]
    print()
    print("rows imported: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()))
    if runs["pandas"][-1]["engine_c"]:
        print(f"pandas.read_csv needed engine='c' for: {', '.join(runs['pandas'][-1]['engine_c'])} (Windows-1252)")
    print(f"{'measure':34s} {'median':>10s}   target")
    print(f"{'pandas.read_csv(engine=pyarrow)':34s} {pandas_s:9.2f}s")
    print(f"{'import (read, validate, cache)':34s} {import_s:9.2f}s   {import_s / pandas_s:.2f}x pandas (target < 2x)")
    print(f"{'import peak memory':34s} {import_peak / 1e9:8.2f}GB   {import_peak / tables:.2f}x tables (target < 3x)")
    print(f"{'pandas read peak memory':34s} {median('pandas', 'peak_bytes') / 1e9:8.2f}GB")
    print(f"{'loaded tables (memory_usage deep)':34s} {tables / 1e9:8.2f}GB")
    print(f"{'load_sales_data from the cache':34s} {load_s:9.2f}s   (target < 2 s)")
    print(f"{'load peak memory':34s} {median('load', 'peak_bytes') / 1e9:8.2f}GB")


if __name__ == "__main__":
    main()
