"""Time the report end to end and measure the memory of its whole process tree.

    python benchmarks/bench_report.py [--scale demo|enterprise] [--workspace DIR] [--runs 3]
                                      [--period 2026-Q3] [--limit-gb 16]

Builds the demo client of that scale in DIR if it is missing (demo: a temporary folder by default;
enterprise: /tmp/bench, the folder benchmarks/bench_kpis.py uses, 1,000,000 deals and 10,000,000
activities), imports it once, then renders its report --runs times. For each run it prints the wall
time and the peak memory of the CLI process and all its children together (the notebooks'
kernels), sampled every 0.2 s with psutil: the tree, not one process, is what the machine has to
hold. Memory is the sum of the processes' proportional set sizes (PSS): a page several kernels
share (the memory-mapped cache of the client's tables) counts once, split between them, not once
per process as a sum of resident sizes would. The sum of resident sizes is printed beside it. A
run whose tree passes --limit-gb (PSS) is stopped (the whole tree killed) and reported as such, so
the benchmark cannot take the machine down with it.

Targets (issue "production runs"): the demo report under 20 s; the enterprise report under
3 minutes with a peak under 8 GB. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

SCALES = {"demo": ("demo", None), "enterprise": ("enterprise", Path("/tmp/bench"))}


def strategy_kit(workspace: Path, *args: str) -> str:
    command = [sys.executable, "-m", "strategy_kit.cli", "--workspace", str(workspace), *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@dataclass
class Run:
    seconds: float
    peak_gb: float  # PSS of the tree
    peak_rss_gb: float  # resident sizes of the tree's processes, added up
    processes: int  # the most processes alive in the tree at one sample
    code: int | None  # None: stopped at the memory limit
    last_line: str


def _tree_memory(root: psutil.Process) -> tuple[int, int, int]:
    """The proportional and resident bytes of ``root`` and its descendants, and how many they are."""
    pss, rss, count = 0, 0, 0
    try:
        members = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0, 0
    for member in members:
        try:
            memory = member.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        pss, rss, count = pss + getattr(memory, "pss", memory.rss), rss + memory.rss, count + 1
    return pss, rss, count


def _kill_tree(root: psutil.Process) -> None:
    try:
        members = [*root.children(recursive=True), root]
    except psutil.NoSuchProcess:
        return
    for member in members:
        try:
            member.kill()
        except psutil.NoSuchProcess:
            continue


def render(workspace: Path, client: str, period: str | None, limit_gb: float) -> Run:
    """One report run, its wall time and the peak memory of its process tree."""
    command = [sys.executable, "-m", "strategy_kit.cli", "--workspace", str(workspace), "report", client]
    if period:
        command += ["--period", period]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    root = psutil.Process(process.pid)
    peak, peak_rss, most, stopped = 0, 0, 0, False
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_rss, most, stopped
        while not done.is_set():
            pss, rss, count = _tree_memory(root)
            peak, peak_rss, most = max(peak, pss), max(peak_rss, rss), max(most, count)
            if pss > limit_gb * 1024**3:
                stopped = True
                _kill_tree(root)
                return
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    done.set()
    sampler.join()
    lines = out.strip().splitlines()
    return Run(
        seconds=time.perf_counter() - started,
        peak_gb=peak / 1024**3,
        peak_rss_gb=peak_rss / 1024**3,
        processes=most,
        code=None if stopped else process.returncode,
        last_line=lines[-1] if lines else "",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--workspace", type=Path, help="folder with data/<client> (default: see above)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--period", help="the report's period (default: the client's latest complete quarter)")
    parser.add_argument("--limit-gb", type=float, default=16.0, help="stop a run whose tree passes this (GB)")
    options = parser.parse_args()
    client, default_workspace = SCALES[options.scale]
    workspace = options.workspace or default_workspace or Path(tempfile.mkdtemp(prefix="bench-report-"))

    if not (workspace / "data" / client / "client.yml").is_file():
        started = time.perf_counter()
        strategy_kit(workspace, "demo", "--name", client, "--scale", options.scale)
        print(f"{client} client generated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    strategy_kit(workspace, "import", client)
    print(f"{client} client imported (or found up to date) in {time.perf_counter() - started:.1f} s")

    runs = []
    for number in range(1, options.runs + 1):
        run = render(workspace, client, options.period, options.limit_gb)
        runs.append(run)
        outcome = (
            f"stopped at the {options.limit_gb:g} GB limit"
            if run.code is None
            else (f"-> {run.last_line}" if run.code == 0 else f"failed, exit {run.code}")
        )
        print(
            f"report run {number}: {run.seconds:6.1f} s, peak {run.peak_gb:5.2f} GB for the process tree "
            f"(PSS; resident sizes added up: {run.peak_rss_gb:5.2f} GB; up to {run.processes} processes) {outcome}",
            flush=True,
        )
    finished = [run for run in runs if run.code == 0]
    if finished:
        times = sorted(run.seconds for run in finished)
        peak = max(run.peak_gb for run in finished)
        target = "under 20 s" if options.scale == "demo" else "under 180 s and 8 GB"
        print(f"best {times[0]:.1f} s, median {times[len(times) // 2]:.1f} s, peak {peak:.2f} GB (target: {target})")


if __name__ == "__main__":
    main()
