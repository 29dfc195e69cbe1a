"""Time the demo report end to end, as `make demo` runs it after set-up.

    python benchmarks/bench_report.py [--workspace DIR] [--runs 3]

Builds the demo client in DIR (a temporary folder by default) if it is missing, imports it once,
then renders its report --runs times and prints each wall time and the best. Target: under 30 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def strategy_kit(workspace: Path, *args: str) -> str:
    command = [sys.executable, "-m", "strategy_kit.cli", "--workspace", str(workspace), *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspace", type=Path, help="folder with data/demo (default: a temporary folder)")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    workspace = options.workspace or Path(tempfile.mkdtemp(prefix="bench-report-"))

    if not (workspace / "data" / "demo" / "client.yml").is_file():
        started = time.perf_counter()
        strategy_kit(workspace, "demo")
        print(f"demo client generated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    strategy_kit(workspace, "import", "demo")
    print(f"demo client imported in   {time.perf_counter() - started:.1f} s")

    times = []
    for run in range(1, options.runs + 1):
        started = time.perf_counter()
        pdf = strategy_kit(workspace, "report", "demo").strip().splitlines()[-1]
        times.append(time.perf_counter() - started)
        print(f"report run {run}: {times[-1]:.1f} s -> {pdf}")
    print(f"best {min(times):.1f} s, median {sorted(times)[len(times) // 2]:.1f} s (target: under 30 s)")


if __name__ == "__main__":
    main()
