"""Runs people can trust: one run at a time per client (import) and per client and period (report),
a lock left by a killed run taken over, the temporary files of killed runs removed at the next run,
the manifest beside the PDF, progress on stderr (one line per step in a log) and --quiet.

Runs that must overlap are real processes: a holder process takes a lock (as a run does) and
keeps it until the test tells it to let go, so the test never sleeps to guess timings. Three
reports are rendered, of the overview (and the SWOT) only, on the three-deal client: 5-10 s each.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from strategy_kit import locks
from strategy_kit.cli import main

from conftest import TINY_DEALS

ROOT = Path(__file__).resolve().parents[1]

HOLDER = """
import sys
from pathlib import Path
from strategy_kit import locks
with locks.hold(Path(sys.argv[1]), sys.argv[2]):
    print("held", flush=True)
    sys.stdin.readline()  # until the test says so (or the process is killed)
print("released", flush=True)
"""


def make_tiny(root: Path) -> Path:
    """The three-deal client 'tiny' (tests/conftest.py TINY_DEALS), created and imported."""
    raw = root / "exports"
    raw.mkdir(parents=True)
    (raw / "deals.csv").write_text(TINY_DEALS, encoding="utf-8")
    assert main(["--workspace", str(root), "new-client", "tiny", "--raw", str(raw), "--language", "en"]) == 0
    assert main(["--workspace", str(root), "import", "tiny"]) == 0
    return root


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != locks.LOCK_TIMEOUT_ENV}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def cli(root: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    """``strategy-kit --workspace root ARGS`` in its own process, stdout and stderr piped (not a terminal)."""
    return subprocess.Popen(
        [sys.executable, "-m", "strategy_kit.cli", "--workspace", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(**env),
    )


def hold(lock_file: Path, what: str) -> subprocess.Popen[str]:
    """A process holding ``lock_file`` until a line is written to its stdin."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_file), what],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def dead_pid() -> int:
    """The pid of a process that has ended (reaped: no process has it until the system reuses it)."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return ended.pid


# --------------------------------------------------------------------------- locks


def test_a_second_report_waits_for_the_first_then_runs_with_one_line_per_step(tmp_path):
    root = make_tiny(tmp_path / "ws")
    lock_file = locks.report_lock_file(root / "reports" / "tiny", "2026-Q2")
    holder = hold(lock_file, "run of tiny 2026-Q2")
    try:
        waiter = cli(root, "report", "tiny", "--period", "2026-Q2", "--notebook", "overview")
        assert waiter.stderr is not None
        first = waiter.stderr.readline()  # 08:12:03 report tiny: loading the data (+0.0 s)
        waiting = waiter.stderr.readline()
        assert "report tiny: loading the data" in first
        assert f"another run of tiny 2026-Q2 is in progress (pid {holder.pid}, started at " in waiting
        assert waiting.rstrip().endswith("); waiting up to 10 min")
        time.sleep(0.5)
        assert waiter.poll() is None  # still waiting
    finally:
        holder.communicate("go\n", timeout=10)
    out, rest = waiter.communicate(timeout=120)
    assert waiter.returncode == 0, rest
    pdf = root / "reports" / "tiny" / "2026-Q2" / "report-overview.pdf"
    assert out.strip().splitlines()[-1] == str(pdf) and pdf.read_bytes().startswith(b"%PDF")
    # one plain line per step, for a log ("08:12:09 report tiny 2026-Q2: writing the PDF (+6.1 s)")
    marker = " report tiny 2026-Q2: "
    steps = [line.split(marker, 1)[1].rsplit(" (+", 1)[0] for line in rest.splitlines() if marker in line]
    assert steps[0] == "running 1 notebook, 1 at a time"
    assert steps[1].startswith("notebook 1/1 done: 00_overview in ") and steps[1].endswith(" s")
    assert steps[2:] == ["writing the PDF", "done"]
    assert not (lock_file.with_suffix(".json")).exists()  # who holds it: said only while held


def test_a_run_that_waited_too_long_stops_with_exit_2_and_says_what_to_do(tmp_path):
    root = make_tiny(tmp_path / "ws")
    lock_file = locks.report_lock_file(root / "reports" / "tiny", "2026-Q2")
    holder = hold(lock_file, "run of tiny 2026-Q2")
    try:
        waiter = cli(root, "report", "tiny", "--period", "2026-Q2", **{locks.LOCK_TIMEOUT_ENV: "1"})
        out, err = waiter.communicate(timeout=60)
    finally:
        holder.communicate("go\n", timeout=10)
    assert waiter.returncode == 2, err
    assert out == "" and "Traceback" not in err
    assert err.count("another run of tiny 2026-Q2 is in progress") == 1 and "waiting up to 1 s" in err
    assert f"error: another run of tiny 2026-Q2 is still in progress after 1 s (pid {holder.pid}, started at " in err
    assert f"(kill {holder.pid})" in err and f"set {locks.LOCK_TIMEOUT_ENV} to a number of seconds" in err
    assert not (root / "reports" / "tiny" / "2026-Q2" / "notebooks").exists()  # no notebook ran


def test_a_lock_left_by_a_killed_import_is_taken_over_at_once(tmp_path):
    # flock is released by the kernel when its process dies, even by SIGKILL: no stale lock.
    root = make_tiny(tmp_path / "ws")
    lock_file = locks.import_lock_file(root / "data" / "tiny")
    holder = hold(lock_file, "import of tiny")
    assert json.loads(lock_file.with_suffix(".json").read_text())["pid"] == holder.pid
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()

    run = cli(root, "import", "tiny", "--force", **{locks.LOCK_TIMEOUT_ENV: "0"})
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    assert "another import" not in err and "deals" in out


def test_a_second_import_waits_for_the_first(tmp_path):
    root = make_tiny(tmp_path / "ws")
    holder = hold(locks.import_lock_file(root / "data" / "tiny"), "import of tiny")
    try:
        waiter = cli(root, "import", "tiny", "--force")
        assert waiter.stderr is not None
        assert f"another import of tiny is in progress (pid {holder.pid}, " in waiter.stderr.readline()
        time.sleep(0.5)
        assert waiter.poll() is None  # still waiting
    finally:
        holder.communicate("go\n", timeout=10)
    out, err = waiter.communicate(timeout=60)
    assert waiter.returncode == 0, err
    assert "deals" in out


def test_the_wait_is_read_from_the_environment(monkeypatch):
    monkeypatch.delenv(locks.LOCK_TIMEOUT_ENV, raising=False)
    assert locks.lock_timeout() == 600
    monkeypatch.setenv(locks.LOCK_TIMEOUT_ENV, "90")
    assert locks.lock_timeout() == 90 and locks.duration(90) == "2 min" and locks.duration(5400) == "1 h 30 min"
    monkeypatch.setenv(locks.LOCK_TIMEOUT_ENV, "ten minutes")
    with pytest.raises(locks.ConfigError, match="is not a number of seconds: set it to e.g. 600"):
        locks.lock_timeout()


# --------------------------------------------------------------------------- clean-up, manifest, --quiet


def test_a_quiet_report_removes_dead_runs_files_and_writes_its_manifest(tmp_path):
    root = make_tiny(tmp_path / "ws")
    client = root / "data" / "tiny"
    (client / "inputs").mkdir(exist_ok=True)
    (client / "inputs" / "notes.txt").write_bytes(b"persona to do\n")
    report_dir = root / "reports" / "tiny" / "2026-Q2"
    report_dir.mkdir(parents=True)
    scratch_root = tmp_path / "tmp"  # the report's temporary folder (TMPDIR)
    scratch_root.mkdir()
    dead = dead_pid()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])  # another run, alive
    alive = running.pid

    def left(folder: Path, name: str, is_folder: bool = False) -> Path:
        path = folder / name
        if is_folder:
            path.mkdir()
            (path / "00_overview.ipynb").write_text("{}")
        else:
            path.write_bytes(b"half")
        return path

    # what runs killed with kill -9 left, under the names those runs give them
    gone = [
        left(report_dir, f".report.pdf.{dead}.1f2e3d4c.tmp"),
        left(report_dir, f".notebooks.{dead}.0a1b2c3d.tmp", is_folder=True),
        left(report_dir, f".notebooks.old.{dead}.0a1b2c3d.tmp", is_folder=True),
        left(report_dir, f".scorecards.{dead}.99aa88bb.tmp", is_folder=True),
        left(report_dir.parent, f".script.pdf.{dead}.12345678.tmp"),
        left(scratch_root, f"sk-report-{dead}-x1y2z3", is_folder=True),
        left(scratch_root, "strategy-kit-report-old1", is_folder=True),
    ]
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(scratch_root / "strategy-kit-report-old1", (two_days_ago, two_days_ago))
    kept = [
        left(report_dir, f".report.pdf.{alive}.1f2e3d4c.tmp"),
        left(report_dir, f".scorecards.{alive}.99aa88bb.tmp", is_folder=True),
        left(scratch_root, f"sk-report-{alive}-a1b2c3", is_folder=True),
        left(scratch_root, "strategy-kit-report-new1", is_folder=True),  # no pid, touched today
        left(report_dir, "notes.tmp"),  # not a name strategy-kit gives
    ]
    cache_gone = left(client / ".cache", f".deals.arrow.{dead}.tmp")
    cache_kept = left(client / ".cache", f".deals.arrow.{alive}.tmp")

    try:
        run = cli(
            root, "--quiet", "report", "tiny", "--period", "2026-Q2", "--notebook", "overview", "--notebook", "swot",
            TMPDIR=str(scratch_root),
        )  # fmt: skip
        out, err = run.communicate(timeout=180)
        assert run.returncode == 0, err
        assert (out, err) == ("", "")  # --quiet: nothing but errors
        assert [p for p in gone if p.exists()] == []
        assert [p for p in kept if not p.exists()] == []
        # the import cache's temporary files are the import's: removed under the import lock
        assert cache_gone.exists() and cache_kept.exists()
        assert main(["--workspace", str(root), "--quiet", "import", "tiny", "--force"]) == 0
        assert not cache_gone.exists() and cache_kept.exists()
    finally:
        running.kill()
        running.wait()

    pdf = report_dir / "report-overview+swot.pdf"
    manifest = json.loads((report_dir / "report-overview+swot.manifest.json").read_text(encoding="utf-8"))
    assert not (report_dir / "manifest.json").exists()  # the full report's is left as it was
    assert manifest["product"]["name"] == "strategy-kit" and manifest["product"]["version"]
    assert manifest["command"] == (
        f"strategy-kit --workspace {root} --quiet report tiny --period 2026-Q2 --notebook overview --notebook swot"
    )
    assert manifest["parameters"] == {
        "client": "tiny",
        "period": "2026-Q2",
        "start": "2026-04-01",
        "end": "2026-06-30",
        "language": "en",
        "notebooks": ["00_overview", "03_swot"],
        "complete": False,
    }
    from pypdf import PdfReader

    assert manifest["pdf"] == {
        "file": pdf.name,
        "pages": len(PdfReader(pdf).pages),
        "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
    }
    raw = client / "raw" / "deals.csv"
    assert manifest["data"]["exports"] == [
        {"path": "raw/deals.csv", "bytes": len(TINY_DEALS), "sha256": hashlib.sha256(raw.read_bytes()).hexdigest()}
    ]
    assert manifest["data"]["client_yml"]["sha256"] == hashlib.sha256((client / "client.yml").read_bytes()).hexdigest()
    assert manifest["data"]["tables"]["deals"] == 3  # the three rows of TINY_DEALS
    assert manifest["inputs"] == [
        {"path": "inputs/notes.txt", "sha256": hashlib.sha256(b"persona to do\n").hexdigest()}
    ]
    timings = manifest["timings_seconds"]
    assert set(timings["notebooks"]) == {"00_overview", "03_swot"} and timings["pdf"] > 0
    assert timings["total"] >= timings["pdf"] + max(timings["notebooks"].values())
    # The SWOT's what-if needs a year of deals before the period: the three deals are all in 2026.
    assert {
        "notebook": "03_swot",
        "section": "Which improvement is worth most?",
        "reason": "Not available: the what-if needs new deals and an average deal size over the 12 months "
        "before the period",
    } in manifest["sections_not_available"]
    assert all(set(w) >= {"source", "message"} for w in manifest["warnings"])
    # the kernel clients' channels are closed with their kernels: no "Could not destroy zmq context"
    assert not [w for w in manifest["warnings"] if "zmq" in w["message"]]


def test_the_full_reports_manifest_is_manifest_json():
    from strategy_kit.report.manifest import manifest_name

    assert manifest_name(Path("report.pdf")) == "manifest.json"
    assert manifest_name(Path("report-overview+swot.pdf")) == "report-overview+swot.manifest.json"


def test_quiet_still_prints_errors(tmp_path, capsys):
    root = make_tiny(tmp_path / "ws")
    capsys.readouterr()
    assert main(["--workspace", str(root), "--quiet", "report", "tiny", "--period", "1999-Q1"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and "1999" in err


# --------------------------------------------------------------------------- pieces


def test_two_reports_finishing_at_once_both_put_their_notebooks_in_place(tmp_path):
    # A fixed ".notebooks.old" made the second of two runs finishing together fail with
    # "directory not empty"; each run now moves the old folder aside under a name of its own.
    from strategy_kit.report.files import replace_folder, unused_name

    final = tmp_path / "notebooks"
    final.mkdir()
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def finish(n: int) -> None:
        start.wait()
        for round_ in range(25):
            staging = unused_name(tmp_path, ".notebooks")
            staging.mkdir()
            (staging / "00_overview.ipynb").write_text(f"{n}-{round_}")
            try:
                replace_folder(staging, final)
            except OSError as exc:
                errors.append(exc)

    threads = [threading.Thread(target=finish, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == ["notebooks"]  # no staging or old folder left
    assert len(list(final.iterdir())) == 1


def test_warnings_are_kept_for_the_run_that_logged_them_only():
    import contextvars
    import logging
    from concurrent.futures import ThreadPoolExecutor

    from strategy_kit.report.manifest import kept_warnings

    log = logging.getLogger("strategy_kit.report.render")
    with kept_warnings() as kept:
        log.warning("notebook %s: the kernel failed to start; starting it once more", "00_overview")
        log.info("not a warning")
        with ThreadPoolExecutor(1) as pool:
            pool.submit(contextvars.copy_context().run, log.warning, "from a notebook's thread").result()
            pool.submit(log.warning, "from another run's thread").result()  # not in this run's context
    assert [w["message"] for w in kept] == [
        "notebook 00_overview: the kernel failed to start; starting it once more",
        "from a notebook's thread",
    ]
    assert kept[0]["source"] == "strategy_kit.report.render"


def test_sections_not_available_are_read_from_the_executed_notebook():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from strategy_kit.report.manifest import unavailable_sections
    from strategy_kit.report.notebook import unavailable_html

    def shown(markup: str):
        return new_output("display_data", data={"text/html": markup, "text/plain": ""})

    cell = new_code_cell("")
    cell.outputs = [
        shown(unavailable_html("no deals", "en")),  # a set-up at the top of the chapter
        shown('<h2 id="x">Win rate &amp; cycle</h2>'),
        shown("<p>fine</p>"),
        shown('<h2 id="y">Lost reasons</h2>'),
        shown(unavailable_html("no lost reason was recorded", "en")),
    ]
    assert unavailable_sections("01_journey", new_notebook(cells=[cell])) == [
        {"notebook": "01_journey", "section": None, "reason": "Not available: no deals"},
        {"notebook": "01_journey", "section": "Lost reasons", "reason": "Not available: no lost reason was recorded"},
    ]


def test_the_live_display_names_the_step_and_the_notebooks_running():
    import io

    from rich.console import Console

    from strategy_kit.progress import Live

    screen = io.StringIO()
    live = Live(console=Console(file=screen, force_terminal=True, width=100))
    live.begin("report acme 2026-Q3")
    live.step("loading the data")
    live.notebooks(3, 2)
    live.notebook_started("00_overview")
    live.display.refresh()

    def text() -> str:  # without the terminal's colour codes
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())

    assert "00_overview" in text() and "report acme 2026-Q3: running notebooks (2 at a time)" in text()
    live.notebook_finished("00_overview", 1.0)
    live.step("writing the PDF")
    live.end()
    assert "report acme 2026-Q3: done" in text() and "1/3" in text()


# --------------------------------------------------------------------------- kernels


def test_each_kernel_stops_when_its_notebook_ends_and_no_more_run_than_allowed(tmp_path):
    # Kernels hold a copy of the client's data: 7 were counted alive before the PDF step when the
    # report kept them to the end. Three notebooks, each writing its kernel's pid and taking 1.5 s.
    import nbformat
    import psutil
    from nbformat.v4 import new_code_cell, new_notebook

    from strategy_kit.progress import Progress
    from strategy_kit.report.kernels import KERNEL_PROCESS_NAME
    from strategy_kit.report.render import MAX_PARALLEL_KERNELS, processors, write_report

    root = make_tiny(tmp_path / "ws")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("00_first", "01_second", "02_third"):
        parameters = new_code_cell('client = ""\nperiod = ""\nlanguage = ""\nworkspace = ""')
        parameters.metadata["tags"] = ["parameters"]
        work = new_code_cell(
            f"import os, pathlib, time\npathlib.Path(workspace, '{name}.pid').write_text(str(os.getpid()))\ntime.sleep(1.5)"
        )
        kernel = {"name": "strategy-kit", "display_name": "strategy-kit", "language": "python"}
        nbformat.write(
            new_notebook(cells=[parameters, work], metadata={"kernelspec": kernel}), notebooks / f"{name}.ipynb"
        )

    def kernels() -> set[int]:  # live ones, started as processes or forked from the warm process (named so)
        found = set()
        for child in psutil.Process().children(recursive=True):
            try:
                kernel = "ipykernel_launcher" in " ".join(child.cmdline()) or child.name() == KERNEL_PROCESS_NAME
                ended = child.status() in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD)  # holds nothing, not yet reaped
                if kernel and not ended:
                    found.add(child.pid)
            except psutil.Error:  # ended meanwhile
                pass
        return found

    most, counting = [0], threading.Event()

    def count() -> None:  # this run's kernels
        while not counting.wait(0.05):
            most[0] = max(most[0], len(kernels() - before))

    class Checked(Progress):
        still_alive: list[str] = []

        def notebook_finished(self, name: str, seconds: float) -> None:
            pid = int((root / f"{name}.pid").read_text())
            if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                self.still_alive.append(name)

    before = kernels()
    counter = threading.Thread(target=count)
    counter.start()
    try:
        write_report(root, "tiny", period="2026-Q2", notebooks_dir=notebooks, keep_html=False, progress=Checked())
    finally:
        counting.set()
        counter.join()
    assert Checked.still_alive == []  # each kernel had stopped when its notebook was reported done
    assert 1 <= most[0] <= min(MAX_PARALLEL_KERNELS, processors(), 3)
    assert kernels() - before == set()


def test_a_report_renders_after_its_caller_ran_jupyter_code_in_its_own_thread(tiny_workspace, tmp_path):
    # jupyter_core keeps an event loop per context once something of Jupyter's runs synchronously
    # (a kernel started from a script, a test): the report's threads must not share the caller's,
    # or two of them run one loop ("This event loop is already running").
    import nbformat
    from jupyter_core.utils import run_sync
    from nbformat.v4 import new_code_cell, new_notebook

    from strategy_kit.report.render import write_report

    async def nothing() -> None:
        return None

    run_sync(nothing)()  # now this thread's context holds jupyter_core's loop
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    parameters = new_code_cell('client = ""\nperiod = ""\nlanguage = ""\nworkspace = ""')
    parameters.metadata["tags"] = ["parameters"]
    kernel = {"name": "strategy-kit", "display_name": "strategy-kit", "language": "python"}
    for name in ("00_first", "01_second"):
        notebook = new_notebook(cells=[parameters, new_code_cell(f"print('{name}')")], metadata={"kernelspec": kernel})
        nbformat.write(notebook, notebooks / f"{name}.ipynb")

    written = write_report(tiny_workspace, "tiny", period="2026-Q2", notebooks_dir=notebooks, keep_html=True)

    assert all(f"{name}\n" in written.html.read_text(encoding="utf-8") for name in ("00_first", "01_second"))


KILLED_RUN = """
import sys
from pathlib import Path
from strategy_kit.report.render import write_report
write_report(sys.argv[1], "tiny", period="2026-Q2", notebooks_dir=Path(sys.argv[2]))
"""


def test_a_report_killed_with_kill_9_leaves_nothing_the_next_run_trips_on(tmp_path):
    # A real run is killed while its notebook runs: the next run takes its lock over at once (it
    # would stop with exit 2 were the lock still held: STRATEGY_KIT_LOCK_TIMEOUT=0) and removes its
    # scratch folder from the temporary folder.
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    root = make_tiny(tmp_path / "ws")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    parameters = new_code_cell('client = ""\nperiod = ""\nlanguage = ""\nworkspace = ""')
    parameters.metadata["tags"] = ["parameters"]
    slow = new_code_cell(
        "import os, pathlib, time\n"
        "pathlib.Path(workspace, 'parent.pid').write_text(str(os.getppid()))\n"
        "pathlib.Path(workspace, 'kernel.pid').write_text(str(os.getpid()))\n"
        "time.sleep(120)"
    )
    kernel = {"name": "strategy-kit", "display_name": "strategy-kit", "language": "python"}
    nbformat.write(new_notebook(cells=[parameters, slow], metadata={"kernelspec": kernel}), notebooks / "00_slow.ipynb")
    temp = tmp_path / "tmp"
    temp.mkdir()

    killed = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, str(root), str(notebooks)], env=environment(TMPDIR=str(temp))
    )
    kernel_pid = None
    try:
        for _ in range(600):  # the notebook has started once its kernel wrote its pid
            if (root / "kernel.pid").exists() and (root / "kernel.pid").read_text():
                kernel_pid = int((root / "kernel.pid").read_text())
                break
            assert killed.poll() is None, "the run ended before its notebook started"
            time.sleep(0.1)
        assert kernel_pid is not None
        assert [p.name for p in temp.iterdir()][0].startswith(f"sk-report-{killed.pid}-")
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait()

        run = cli(
            root, "report", "tiny", "--period", "2026-Q2", "--notebook", "overview",
            TMPDIR=str(temp), **{locks.LOCK_TIMEOUT_ENV: "0"},
        )  # fmt: skip
        out, err = run.communicate(timeout=180)
        assert run.returncode == 0, err
        assert "another run" not in err
        assert list(temp.iterdir()) == []  # the killed run's scratch folder, and this run's own
        # and its kernel, with its copy of the data, has ended by itself (ipykernel watches its parent),
        # as has the warm process it was forked from (which ends when the run that started it does)
        assert not _alive_after(kernel_pid, 15)
        assert not _alive_after(int((root / "parent.pid").read_text()), 15)
    finally:
        if killed.poll() is None:
            killed.kill()
        if kernel_pid is not None:  # ipykernel ends by itself once its parent is gone; no orphan either way
            with contextlib.suppress(ProcessLookupError):
                os.kill(kernel_pid, signal.SIGKILL)


def _alive_after(pid: int, seconds: float) -> bool:
    import psutil

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return False
        except psutil.NoSuchProcess:
            return False
        time.sleep(0.2)
    return True


def test_kernels_run_at_once_only_as_far_as_the_memory_holds_them():
    from strategy_kit.report.render import kernels_for_memory

    mib, gib = 1024**2, 1024**3
    # 2,252 MiB of cached tables: 400 + 2.5 x 2,252 = 6,030 MiB a kernel; 80 % of 20 GiB = 16,384 MiB holds 2.
    assert kernels_for_memory(2252 * mib, 20 * gib) == 2
    # 80 % of 8 GiB = 6,553.6 MiB holds 1; of 4 GiB, none, but a report always runs one.
    assert kernels_for_memory(2252 * mib, 8 * gib) == 1
    assert kernels_for_memory(2252 * mib, 4 * gib) == 1
    # A demo-sized client (10 MiB: 425 MiB a kernel) is bounded by the processors, not the memory.
    assert kernels_for_memory(10 * mib, 20 * gib) == 38
    assert kernels_for_memory(2252 * mib, None) is None  # memory unknown (not Linux): no bound


def test_the_notebooks_that_took_longest_last_time_start_first(tmp_path):
    from strategy_kit.report.manifest import last_notebook_seconds
    from strategy_kit.report.render import longest_first
    from strategy_kit.workspace import Workspace

    paths = Workspace(tmp_path).client("acme")
    sources = [
        Path(f"{name}.ipynb") for name in ("00_overview", "01_journey", "02_leads", "07_outreach", "99_appendix")
    ]
    assert last_notebook_seconds(paths) == {}  # no report yet: the notebooks' own order
    assert longest_first(sources, {}) == sources

    def manifest(period: str, notebooks: dict[str, float], age: int) -> None:
        path = paths.reports / period / "manifest.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"timings_seconds": {"notebooks": notebooks}}), encoding="utf-8")
        os.utime(path, (time.time() - age, time.time() - age))

    manifest("2026-Q2", {"00_overview": 50.0, "01_journey": 9.0, "07_outreach": 120.0}, age=3600)
    manifest("2026-Q3", {"00_overview": 20.0, "02_leads": 30.0, "07_outreach": 60.0, "99_appendix": 2.0}, age=60)
    (paths.reports / "2026-Q1").mkdir()
    (paths.reports / "2026-Q1" / "manifest.json").write_text("{not json", encoding="utf-8")  # damaged: skipped

    seconds = last_notebook_seconds(paths)  # the latest report's figures, an older one's for 01
    assert seconds == {
        "00_overview": 20.0,
        "01_journey": 9.0,
        "02_leads": 30.0,
        "07_outreach": 60.0,
        "99_appendix": 2.0,
    }
    order = [source.stem for source in longest_first(sources, seconds)]
    assert order == ["07_outreach", "02_leads", "00_overview", "01_journey", "99_appendix"]
    # a notebook never timed (new) starts first; the others keep the order of their durations
    new = [Path("05_new.ipynb"), *sources]
    assert [s.stem for s in longest_first(new, seconds)][:2] == ["05_new", "07_outreach"]
