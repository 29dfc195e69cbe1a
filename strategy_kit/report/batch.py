"""Every client's report in one command: ``strategy-kit report --all`` (or a list of clients).

Each client's report runs in a process of its own (``python -m strategy_kit.report.batch``, which
calls :func:`~strategy_kit.report.render.write_report`), so a client whose report fails, or whose
process dies (killed, out of memory), never stops the others. Up to ``jobs`` reports run at once on
this machine (threads that only wait for those processes), or each report is a task on an existing
Dask cluster (``scheduler``: its address; needs ``pip install 'strategy-kit[dask]'``, and the
workspace at the same path on every worker). What a client's process printed and logged, and its
error, are kept in ``reports/<client>/<period>/run.log`` beside its report (``reports/<client>/run.log``
when the period could not be worked out).

Each client ends one of three ways (:class:`ClientOutcome`):

- ok: the PDF was written;
- skipped: the period lies wholly outside the days the client's data cover (or, without a period,
  the data have no dated deal yet): a scheduled run makes no empty report, and this is no error;
- failed: the reason is the error's first line; the log holds all of it (and the traceback of a bug).

:func:`exit_code`: 0 when no client failed; 2 when every failure is the user's to fix (a broken
export, client.yml or input file: a :class:`~strategy_kit.errors.StrategyKitError`); 1 when any is
not (a bug of strategy-kit, a kernel or a process that died).
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

from strategy_kit.errors import ImportValidationError, PeriodWithoutDataError, StrategyKitError, UnavailableError
from strategy_kit.report.files import write_atomically
from strategy_kit.workspace import Workspace

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
LOG_NAME = "run.log"
_WORKER = "strategy_kit.report.batch"  # the module a client's process runs (python -m)
_running: set[subprocess.Popen[str]] = set()  # the clients' processes running now (run_client)
_running_lock = threading.Lock()


class BatchError(StrategyKitError):
    """A batch that cannot start: no clients, an unknown client or notebook, Dask missing or its
    scheduler out of reach (exit 2, nothing rendered)."""


@dataclass(frozen=True)
class ClientTask:
    """One client's report in a batch: the options of ``strategy-kit report`` for that client."""

    workspace: str
    client: str
    period: str | None = None
    language: str | None = None
    notebooks: tuple[str, ...] = ()
    keep_html: bool = True


@dataclass(frozen=True)
class ClientOutcome:
    """How one client's report ended.

    ``status``: ok, failed or skipped. ``reason``: why it failed or was skipped, in one line;
    ``message``: the whole error. ``period``: the period's label, when it was worked out.
    ``users_mistake``: a failure the user can fix (exit 2), not a bug (exit 1). ``seconds``: the
    wall time of the client's process. ``log``: where its run.log is (None: it could not be written).
    """

    client: str
    status: str
    reason: str = ""
    message: str = ""
    period: str | None = None
    pdf: str | None = None
    pages: int | None = None
    users_mistake: bool = False
    seconds: float = 0.0
    log: str | None = None

    def line(self, width: int = 0) -> str:
        """The summary line: ``acme  ok       /…/report.pdf (12 pages, 23.4 s)``."""
        if self.status == OK:
            what = f"{self.pdf} ({self.pages} page{'s' if self.pages != 1 else ''}, {self.seconds:.1f} s)"
        else:
            what = f"{self.reason} (log: {self.log or 'not written'})"
        return f"{self.client:<{width}}  {self.status:<7}  {what}"


def default_jobs(tasks: Sequence[ClientTask] = ()) -> int:
    """Reports run at once on this machine by default: one per processor, as far as the memory
    available holds the largest of ``tasks``' reports at once (:func:`~strategy_kit.report.render.report_memory`,
    from the size of its cached data); at least one. Where the memory is unknown (not Linux), or no
    task is given, one per two processors.

    A report writes its PDF on one processor, for about half its time on a demo-sized client: one
    report per two processors left the other idle meanwhile (a batch of 20 demo clients on 2
    processors took 314 s one at a time, 229 s two at a time). An enterprise-sized client's report
    holds 14 GB at most on 2 processors: on 24 GB, one at a time."""
    from strategy_kit.importer import cache
    from strategy_kit.report.render import MEMORY_SHARE, available_memory, processors, report_memory

    available = available_memory()
    if not tasks or available is None:
        return max(1, processors() // 2)
    largest = max(
        report_memory(cache.cached_bytes(Workspace.at(task.workspace).client(task.client).cache)) for task in tasks
    )
    return max(1, min(processors(), len(tasks), int(available * MEMORY_SHARE // largest)))


def plan_batch(
    workspace: Workspace,
    clients: Sequence[str] | None,
    period: str | None = None,
    language: str | None = None,
    notebooks: Sequence[str] = (),
    keep_html: bool = True,
) -> list[ClientTask]:
    """The tasks of a batch: every client of the workspace (``clients`` None), or those named.

    Refuses (:class:`BatchError`, before anything runs) a workspace without clients, a name that is
    not a client, and a ``notebooks`` name that matches no notebook: those would fail every client.
    """
    from strategy_kit.report.render import default_notebooks_dir, find_notebooks

    names = workspace.clients() if clients is None else list(dict.fromkeys(clients))
    if not names:
        raise BatchError(f"no clients in {workspace.data_dir} yet: create one with strategy-kit new-client NAME")
    unknown = [name for name in names if not workspace.client(name).config_file.is_file()]
    if unknown:
        known = ", ".join(workspace.clients()) or "none yet"
        raise BatchError(
            f"no client {', '.join(repr(n) for n in unknown)} in {workspace.data_dir} (clients: {known}); "
            "correct the name, or use --all for every client"
        )
    if notebooks:
        find_notebooks(default_notebooks_dir(), list(notebooks))  # ReportError (exit 2) names the choices
    root = str(workspace.root)
    return [ClientTask(root, name, period, language, tuple(notebooks), keep_html) for name in names]


# --------------------------------------------------------------------------- one client, in its process


def render_client(task: ClientTask) -> ClientOutcome:
    """Render one client's report in this process and say how it ended; never raises but for
    KeyboardInterrupt. A bug's traceback is printed to stderr (which the batch keeps in run.log)."""
    from strategy_kit.report.render import ReportFailure, write_report

    label: str | None = None
    try:
        label = _period_label(task)
        written = write_report(
            task.workspace,
            task.client,
            period=label,
            language=task.language,
            notebooks=list(task.notebooks) or None,
            keep_html=task.keep_html,
        )
    except PeriodWithoutDataError as exc:
        covered = f"{exc.first or '…'} to {exc.last or '…'}"
        reason = f"no data for {exc.period}: the data cover {covered}"
        return ClientOutcome(task.client, SKIPPED, reason, str(exc), period=exc.period)
    except UnavailableError as exc:
        if exc.key == "unavailable.no_dated_data":  # no --period, and no dated deal to find the last quarter
            return ClientOutcome(task.client, SKIPPED, "no dated data yet: no quarter to report on", str(exc))
        return _failed(task, label, str(exc), users_mistake=True)
    except ImportValidationError as exc:  # its first line only counts the problems: show the first one
        more = f" (and {len(exc.problems) - 1} more problem(s))" if len(exc.problems) > 1 else ""
        first = f"import: {_first_line(exc.problems[0].describe())}{more}" if exc.problems else None
        return _failed(task, label, str(exc), users_mistake=True, reason=first)
    except StrategyKitError as exc:
        return _failed(task, label, str(exc), users_mistake=True)
    except ReportFailure as exc:  # a notebook's bug, a kernel that died: it says where the traceback is
        return _failed(task, label, str(exc), users_mistake=False)
    except Exception as exc:  # a bug of ours: the traceback goes to the log
        traceback.print_exc()
        message = f"{type(exc).__name__}: {exc} (a bug in strategy-kit: the traceback is in the log)"
        return _failed(task, label, message, users_mistake=False)
    return ClientOutcome(task.client, OK, period=label, pdf=str(written.pdf), pages=written.pages)


def _period_label(task: ClientTask) -> str:
    """The label of the task's period for its client (``last-quarter`` → ``2026-Q3``): where its
    report and log go. Without a period, the latest complete quarter of the client's data (read
    from its cache once more: give --period in schedules to spare it)."""
    from strategy_kit.context import resolve_period
    from strategy_kit.importer import load_sales_data
    from strategy_kit.periods import parse_period

    workspace = Workspace.at(task.workspace)
    config = workspace.load_config(task.client)
    if task.period:
        return parse_period(task.period, config.fiscal_year_start_month).label
    return resolve_period(None, config, load_sales_data(workspace, task.client)).label


def _failed(
    task: ClientTask, label: str | None, message: str, users_mistake: bool, reason: str | None = None
) -> ClientOutcome:
    """A failure: ``reason`` (default: the message's first line) on the summary line, ``message`` in the log."""
    message = message.strip() or "(no message)"
    return ClientOutcome(
        task.client, FAILED, reason or _first_line(message), message, label, users_mistake=users_mistake
    )


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), text)


def _worker_main() -> int:
    """``python -m strategy_kit.report.batch``: the task as JSON on stdin; the outcome as JSON on
    stdout; everything else the report prints or logs goes to stderr."""
    fields = json.load(sys.stdin)
    task = ClientTask(**{**fields, "notebooks": tuple(fields.get("notebooks") or ())})
    outcome_stream = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a print (or a library writing to fd 1) goes to the log
    sys.stdout = sys.stderr
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("strategy_kit").setLevel(logging.INFO)
    outcome = render_client(task)
    json.dump(asdict(outcome), outcome_stream)
    outcome_stream.close()
    return EXIT_OK


# --------------------------------------------------------------------------- one client, from the batch


def run_client(task: ClientTask) -> ClientOutcome:
    """Render one client's report in a new process and write its run.log; how it ended.

    This is what a batch runs for each client, on this machine or as a Dask task on a worker."""
    began, started = datetime.now().astimezone(), time.monotonic()
    returncode, output, errors = _run_worker(task)
    outcome = _read_outcome(output)
    if outcome is None:  # the process died before saying how its report ended
        outcome = _died(task, returncode)
    outcome = replace(outcome, seconds=round(time.monotonic() - started, 1))
    log = write_log(task, outcome, errors, began)
    return replace(outcome, log=str(log) if log else None)


def _run_worker(task: ClientTask) -> tuple[int, str, str]:
    """Run ``python -m strategy_kit.report.batch`` on ``task``: its exit code, the outcome it wrote
    (JSON) and everything else it printed or logged."""
    with subprocess.Popen(
        [sys.executable, "-m", _WORKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as process:
        with _running_lock:
            _running.add(process)
        try:
            output, errors = process.communicate(json.dumps(asdict(task)))
        finally:
            with _running_lock:
                _running.discard(process)
    return process.returncode, output, errors


def _interrupt_running() -> None:
    """Ctrl-C reaches every process of a terminal's job, but an interrupt sent to the batch alone
    (kill -INT) must reach the clients' processes too: each stops its kernels and ends."""
    with _running_lock:
        for process in _running:
            with contextlib.suppress(OSError):  # it has just ended
                process.send_signal(signal.SIGINT)


def _read_outcome(output: str) -> ClientOutcome | None:
    try:
        fields = json.loads(output)
        return ClientOutcome(**fields)
    except (ValueError, TypeError):
        return None


def _died(task: ClientTask, returncode: int) -> ClientOutcome:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:  # a signal Python has no name for
            name = f"signal {-returncode}"
        how = f"was stopped by {name}{' (out of memory?)' if -returncode == signal.SIGKILL else ''}"
    else:
        how = f"stopped with exit code {returncode}"
    message = f"the process rendering the report {how} before it ended; run the client's report again"
    return ClientOutcome(task.client, FAILED, message, message)


def write_log(task: ClientTask, outcome: ClientOutcome, output: str, began: datetime) -> Path | None:
    """Write ``reports/<client>/<period>/run.log`` (``reports/<client>/run.log`` when the period is
    not known): the command, when and where it ran, what its process printed and logged, and how it
    ended with the whole error. Returns its path; None when it cannot be written (the reason is
    printed on stderr)."""
    paths = Workspace.at(task.workspace).client(task.client)
    folder = paths.report_dir(outcome.period) if outcome.period else paths.reports
    options = [f"--period {task.period}"] if task.period else []
    options += [f"--language {task.language}"] if task.language else []
    options += [f"--notebook {name}" for name in task.notebooks]
    options += [] if task.keep_html else ["--no-html"]
    if outcome.status == OK:
        ending = f"ok: {outcome.pdf} ({outcome.pages} pages) in {outcome.seconds:.1f} s"
    else:
        ending = f"{outcome.status} after {outcome.seconds:.1f} s: {outcome.message}"
    text = "\n".join(
        [
            f"strategy-kit report {' '.join([task.client, *options])}  (one client of a batch)",
            f"started {began.isoformat(timespec='seconds')} on {socket.gethostname()}, workspace {task.workspace}",
            *([output.rstrip()] if output.strip() else []),
            ending,
            "",
        ]
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / LOG_NAME, text)
    except OSError as exc:
        print(f"warning: cannot write the log of client '{task.client}': {exc}", file=sys.stderr)
        return None
    return folder / LOG_NAME


# --------------------------------------------------------------------------- the batch


def run_batch(
    tasks: Sequence[ClientTask],
    jobs: int = 1,
    scheduler: str | None = None,
    on_outcome: Callable[[ClientOutcome], None] | None = None,
) -> list[ClientOutcome]:
    """Run every task; returns the outcomes in the tasks' order. ``on_outcome`` is called with each
    as it ends (the summary lines). ``jobs``: reports at once on this machine; ``scheduler``: the
    address of a Dask scheduler (``tcp://host:8786``) whose workers run them instead."""
    done: dict[str, ClientOutcome] = {}

    def finished(outcome: ClientOutcome) -> None:
        done[outcome.client] = outcome
        if on_outcome is not None:
            on_outcome(outcome)

    if scheduler:
        _run_on_dask(tasks, scheduler, finished)
    else:
        _run_here(tasks, jobs, finished)
    return [done[task.client] for task in tasks]


def _run_here(tasks: Sequence[ClientTask], jobs: int, finished: Callable[[ClientOutcome], None]) -> None:
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="report") as pool:
        futures = {pool.submit(run_client, task): task for task in tasks}
        try:
            for future in as_completed(futures):
                finished(_outcome_of(futures[future], future.result))
        except BaseException:  # Ctrl-C: start no more reports, and stop the running ones
            pool.shutdown(wait=False, cancel_futures=True)
            _interrupt_running()
            raise


def _run_on_dask(tasks: Sequence[ClientTask], address: str, finished: Callable[[ClientOutcome], None]) -> None:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise BatchError(
            "--scheduler runs the reports on a Dask cluster, but Dask distributed is not installed: "
            "pip install 'strategy-kit[dask]' (and on every worker), or leave out --scheduler"
        ) from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchError(
            f"--scheduler {address}: cannot reach the Dask scheduler ({_first_line(str(exc))}); check the address "
            "(tcp://HOST:8786) and that the scheduler runs (dask scheduler)"
        ) from None
    with client:
        stamp = f"{os.getpid()}-{time.time_ns()}"
        futures = {
            client.submit(run_client, task, key=f"strategy-kit-report-{task.client}-{stamp}", pure=False): task
            for task in tasks
        }
        try:
            for future in dask_completed(futures):
                finished(_outcome_of(futures[future], future.result))
        except BaseException:
            client.cancel(list(futures))
            raise


def _outcome_of(task: ClientTask, result: Callable[[], ClientOutcome]) -> ClientOutcome:
    """The outcome a task returned, or a failure when it raised (the process could not be started,
    a Dask worker died running it...)."""
    try:
        return result()
    except Exception as exc:
        message = f"the report could not be run: {type(exc).__name__}: {_first_line(str(exc))}"
        outcome = ClientOutcome(task.client, FAILED, message, message)
        log = write_log(task, outcome, "".join(traceback.format_exception(exc)), datetime.now().astimezone())
        return replace(outcome, log=str(log) if log else None)


def exit_code(outcomes: Iterable[ClientOutcome]) -> int:
    """0 when no client failed (skipped ones are no failure); 2 when every failure is the user's
    to fix; 1 when any is not (a bug, a kernel or a process that died)."""
    failures = [o for o in outcomes if o.status == FAILED]
    if not failures:
        return EXIT_OK
    return EXIT_BAD_INPUT if all(o.users_mistake for o in failures) else EXIT_FAILURE


def totals(outcomes: Sequence[ClientOutcome], seconds: float) -> str:
    """``3 clients in 41.2 s: 1 ok, 1 failed, 1 skipped``."""
    counts = ", ".join(f"{sum(o.status == s for o in outcomes)} {s}" for s in (OK, FAILED, SKIPPED))
    return f"{len(outcomes)} client{'s' if len(outcomes) != 1 else ''} in {seconds:.1f} s: {counts}"


def failures(outcomes: Sequence[ClientOutcome]) -> str:
    """What the batch's error says: which clients failed, and where to read why."""
    failed = [o.client for o in outcomes if o.status == FAILED]
    return (
        f"{len(failed)} of {len(outcomes)} client(s) failed: {', '.join(failed)}; the reason is on each one's "
        "line above, and the whole error in the run.log beside its report"
    )


if __name__ == "__main__":
    code = _worker_main()
    gc.freeze()  # the process ends: no collecting of what the report leaves (as strategy_kit.cli.entry)
    sys.exit(code)
