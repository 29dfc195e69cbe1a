"""Time a batch of demo-sized clients against the time of one report.

    python benchmarks/bench_batch.py [--clients 20] [--jobs N] [--workspace DIR]

Builds demo00, demo01... in DIR (a temporary folder by default; clients already there are kept),
each with its own seed, and imports them. Then renders demo00's report alone (one report's wall
time, T), and the batch ``strategy-kit report demo00 demo01...`` (with ``--jobs N`` when given),
and prints the batch's wall time against N_clients × T / processors: the time a perfect split of
the work over the processors would take. A ratio near 1 means the batch keeps the processors busy; above 1, it waits (on the PDF step,
on memory, on other users of the machine).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def strategy_kit(workspace: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "strategy_kit.cli", "--workspace", str(workspace), *args]
    return subprocess.run(command, check=check, capture_output=True, text=True)


def processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20, help="demo-sized clients in the batch (default: 20)")
    parser.add_argument("--jobs", type=int, help="reports at once (default: the batch's own, from the memory)")
    parser.add_argument("--workspace", type=Path, help="folder for the clients (default: a temporary folder)")
    options = parser.parse_args()
    workspace = options.workspace or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    names = [f"demo{i:02d}" for i in range(options.clients)]

    started = time.perf_counter()
    for seed, name in enumerate(names, start=7):
        if not (workspace / "data" / name / "client.yml").is_file():
            strategy_kit(workspace, "demo", "--name", name, "--seed", str(seed))
        strategy_kit(workspace, "import", name)
    print(f"{len(names)} demo clients generated and imported in {time.perf_counter() - started:.1f} s ({workspace})")

    started = time.perf_counter()
    strategy_kit(workspace, "report", names[0])
    one = time.perf_counter() - started
    print(f"one report ({names[0]}):                      {one:.1f} s")

    started = time.perf_counter()
    jobs = ["--jobs", str(options.jobs)] if options.jobs else []
    batch = strategy_kit(workspace, "report", *names, *jobs, check=False)
    wall = time.perf_counter() - started
    print(batch.stdout, end="")
    if batch.returncode != 0:
        sys.exit(f"the batch failed (exit {batch.returncode}):\n{batch.stderr}")
    ideal = len(names) * one / processors()
    print(f"batch of {len(names)} clients, --jobs {options.jobs or 'by default'}:  {wall:.1f} s")
    print(f"{len(names)} × one report / {processors()} processors:       {ideal:.1f} s (ratio {wall / ideal:.2f})")
    print(f"{len(names)} × one report, one after the other:  {len(names) * one:.1f} s")


if __name__ == "__main__":
    main()
