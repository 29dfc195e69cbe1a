"""Render a client's periodic report: run the notebooks, turn them into one PDF.

``notebooks/NN_*.ipynb`` (in name order) are executed with papermill, each in its own kernel and
in a scratch folder, with the parameters ``client``, ``period`` (a label), ``language`` and
``workspace``. :mod:`strategy_kit.report.document` turns the executed notebooks into one HTML
document with a cover block and WeasyPrint writes ``reports/<client>/<period>/report.pdf``, with
the executed notebooks beside it in ``notebooks/``.
The kernel is the registered ``strategy-kit`` one (``make setup`` registers it), else a kernel
running this interpreter; notebooks run in parallel, up to ``MAX_PARALLEL_KERNELS`` at a time, no
more than the processors and no more than the memory available holds (:func:`kernels_for_memory`),
each kernel talking over Unix sockets in the run's scratch folder; a kernel that fails to start is
started once more.

Nothing is replaced unless everything succeeded: the PDF is written to a temporary file in the
same folder and moved over the old one at the end (:mod:`strategy_kit.report.files`). A notebook that stops on the user's mistake (a
:class:`StrategyKitError`) raises :class:`ReportError` (exit 2), on anything else
:class:`ReportFailure` (a bug: exit 1); both name the notebook, the cell and the exception, and the
executed notebook, with its traceback, is kept in ``reports/<client>/<period>/failed/``. An
:class:`~strategy_kit.errors.UnavailableError` that escapes a notebook does not fail the report:
the section ends with "not available: <reason>" at that point.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import math
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from strategy_kit import locks
from strategy_kit import progress as run_progress
from strategy_kit.context import resolve_language, resolve_period
from strategy_kit.errors import StrategyKitError, UnavailableError
from strategy_kit.i18n import label
from strategy_kit.importer import cache
from strategy_kit.report import default_notebooks_dir, kernels
from strategy_kit.report import manifest as run_manifest
from strategy_kit.report.document import (
    Cover,
    gather_summary,
    html_exporter,
    notebook_html,
    report_document,
    write_pdf,
)
from strategy_kit.report.files import replace_folder, unused_name, write_atomically
from strategy_kit.report.notebook import unavailable_html
from strategy_kit.report.snapshots import HANDOVER_ENV, record_snapshot
from strategy_kit.workspace import Workspace, ensure_writable

KERNEL_NAME = "strategy-kit"
NOTEBOOK_NAME = re.compile(r"\d{2}_[A-Za-z0-9_-]+\.ipynb")
MAX_PARALLEL_KERNELS = 4  # and no more than the processors available
# Seconds a kernel may take to answer its first request. nbclient's default (60) is short on a busy
# 2-core machine where several kernels import pandas at once; a start that fails is tried once more.
KERNEL_START_TIMEOUT = 180
KERNEL_START_ATTEMPTS = 2

logger = logging.getLogger(__name__)


class ReportError(StrategyKitError):
    """A report could not be rendered because of the user's input (a notebook stopped on a
    :class:`StrategyKitError`, no notebook matched, the kernel is not registered): exit code 2."""


class ReportFailure(Exception):
    """A report could not be rendered for a reason that is not the user's input: a notebook hit a
    bug in strategy-kit, or its kernel would not start or died. The CLI prints the message (which
    names the notebook and cell and says where the executed notebook is kept) and exits with 1."""


def find_notebooks(folder: Path, names: list[str] | None = None) -> list[Path]:
    """The report notebooks ``NN_topic.ipynb`` of ``folder`` in order, or only those ``names`` pick.

    A name matches a notebook by file name (``00_overview.ipynb``), stem (``00_overview``) or topic
    (``overview``).
    """
    found = sorted(p for p in Path(folder).glob("*.ipynb") if NOTEBOOK_NAME.fullmatch(p.name))
    if not found:
        raise ReportError(f"no report notebooks (NN_topic.ipynb) in {folder}")
    if not names:
        return found
    chosen: list[Path] = []
    for name in names:
        matches = [p for p in found if name in (p.name, p.stem, p.stem.split("_", 1)[1])]
        if not matches:
            known = ", ".join(p.stem for p in found)
            raise ReportError(f"--notebook {name}: no such notebook in {folder}; choose among {known}")
        chosen += [p for p in matches if p not in chosen]
    return sorted(chosen)


# --------------------------------------------------------------------------- kernel


def _kernel_spec_dirs(scratch: Path) -> list[str] | None:
    """Where to find the ``strategy-kit`` kernel: the registered one (None: the usual places), else a
    kernelspec written to ``scratch`` that runs this interpreter."""
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL_NAME in KernelSpecManager().find_kernel_specs():
        return None
    spec_dir = scratch / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "strategy-kit",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return [str(scratch / "kernels")]


class KernelStartError(RuntimeError):
    """The kernel died or did not answer before replying to ``kernel_info`` (it never ran a cell)."""


# Unix socket paths are limited to about 104 bytes (macOS) or 108 (Linux).
_MAX_SOCKET_PATH = 100


def _kernel_manager(
    spec_dirs: list[str] | None,
    log: Path,
    connection_file: Path,
    environment: dict[str, str] | None = None,
    warm: kernels.WarmProcess | None = None,
) -> Any:
    """A kernel manager for the ``strategy-kit`` kernel whose own output (start-up warnings, crash
    messages) goes to ``log`` instead of the terminal; cell outputs are unaffected.

    The kernel talks over Unix sockets beside ``connection_file`` (in the run's scratch folder)
    rather than TCP ports: ports are chosen by binding then releasing them, and a kernel started by
    another process in between (parallel reports on a busy machine) can take one first, so the new
    kernel dies with "Address already in use" ("Kernel died before replying to kernel_info").
    Socket files in a private folder cannot collide. TCP is kept where Unix sockets are not
    available or the folder's path is too long for one. ``environment``: variables added to the
    kernel's. ``warm``: the process to fork the kernel from (:mod:`strategy_kit.report.kernels`);
    None: the kernel is started as a new process."""
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        """jupyter_client's local provisioner, with the kernel forked from ``warm`` when its command
        is :func:`~strategy_kit.report.kernels.forkable`, in the environment and working folder the
        manager gives and with its output to ``log``; started as a process otherwise, or when the
        warm process does not answer."""

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            if warm is None or not kernels.forkable(cmd):
                return await super().launch_kernel(cmd, **kwargs)
            cwd = Path(kwargs.get("cwd") or Path.cwd())
            try:
                pid = warm.fork(Path(self.parent.connection_file), dict(kwargs["env"]), cwd, log)  # type: ignore[union-attr]
            except kernels.WarmProcessGone as exc:
                logger.info("kernel started as a process: %s", exc)
                return await super().launch_kernel(cmd, **kwargs)
            self.process = kernels.ForkedKernel(pid)  # type: ignore[assignment]  # a stand-in for the Popen it types
            self.pid = self.pgid = pid  # the kernel leads its own process group
            self.cwd = cwd
            return self.connection_info

    class KernelClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """jupyter_client's hand-shake (kernel_info answered on the shell channel, then a first
            message on IOPub, which is then connected), without its last step: waiting for 0.2 s of
            silence on IOPub. nbclient reads only the IOPub messages answering its own requests, so
            those left from the hand-shake are ignored anyway, and each kernel starts 0.2 s sooner."""
            deadline = time.monotonic() + (math.inf if timeout is None else timeout)
            while True:
                self.kernel_info()
                with contextlib.suppress(Empty):
                    reply = await self.shell_channel.get_msg(timeout=1)
                    if reply["msg_type"] == "kernel_info_reply":
                        await self.iopub_channel.get_msg(timeout=0.2)
                        self._handle_kernel_info_reply(reply)
                        return
                if not await self._async_is_alive():
                    raise KernelStartError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise KernelStartError(f"Kernel didn't respond in {timeout:.0f} seconds")

    class KernelManager(AsyncKernelManager):
        def client(self, **kw: Any) -> Any:
            made = super().client(**kw)
            self.made_clients = [*getattr(self, "made_clients", []), made]  # stopped by _shut_down
            return made

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            if warm is not None and self.provisioner is None:
                self.kernel_id = self.kernel_id or str(uuid.uuid4())
                self.provisioner = ForkedProvisioner(
                    kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
                )
            return await super()._async_pre_start_kernel(**kw)

        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]  # typed as the sync method it wraps
            with open(log, "ab") as stream:  # the child keeps its own copy of the descriptor
                kw.setdefault("stdout", stream)
                kw.setdefault("stderr", stream)
                if environment:
                    kw["env"] = {**kw.get("env", os.environ), **environment}
                try:
                    await super().start_kernel(**kw)
                except (FileNotFoundError, PermissionError) as exc:  # a kernel registered for a removed Python
                    raise ReportError(
                        f"the '{KERNEL_NAME}' kernel cannot be started: {exc.strerror}: {exc.filename}. Register it "
                        f"again with: {sys.executable} -m ipykernel install --sys-prefix --name {KERNEL_NAME}"
                    ) from None

    options: dict[str, Any] = {
        "kernel_name": KERNEL_NAME,
        "connection_file": str(connection_file),
        "client_factory": KernelClient,
    }
    socket_path = f"{connection_file.with_suffix('')}-ipc-99"
    if os.name == "posix" and len(os.fsencode(socket_path)) <= _MAX_SOCKET_PATH:
        options["transport"] = "ipc"
    if spec_dirs is not None:
        options["kernel_spec_manager"] = KernelSpecManager(kernel_dirs=spec_dirs)
    return KernelManager(**options)


# --------------------------------------------------------------------------- execution


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:100]
    return "(empty cell)"


def _failing_cell(original: Any, executed: Any, index: int) -> tuple[int, Any]:
    """1-based position in the original notebook of the executed cell ``index``, and that cell."""
    cell = executed.cells[index]
    for position, candidate in enumerate(original.cells, start=1):
        if candidate.get("id") and candidate.get("id") == cell.get("id"):
            return position, cell
    for position, candidate in enumerate(original.cells, start=1):
        if candidate.cell_type == "code" and candidate.source == cell.source:
            return position, cell
    return index + 1, cell


def _end_section_unavailable(executed: Any, index: int, reason: str, language: str) -> None:
    """Replace the traceback of cell ``index`` with "not available" and drop the cells never run."""
    import nbformat

    cell = executed.cells[index]
    cell.outputs = [o for o in cell.outputs if o.get("output_type") != "error"]
    cell.outputs.append(
        nbformat.v4.new_output(
            "display_data", data={"text/html": unavailable_html(reason, language), "text/plain": reason}
        )
    )
    executed.cells = executed.cells[: index + 1]


def _error_class_names() -> tuple[frozenset[str], frozenset[str]]:
    """Class names of the errors that are the user's to fix (:class:`StrategyKitError` and its
    subclasses: a bad client.yml, period or input file...), and of those meaning "not available"
    (:class:`UnavailableError` and its subclasses). A notebook's error arrives as a class name.

    A :class:`~strategy_kit.kpis.engine.KpiError` (an unknown KPI or breakdown) is the user's
    mistake on the command line, but inside a notebook the KPIs and breakdowns are the notebook's
    own choice: there it is a bug (unless it also means "not available")."""
    import strategy_kit.analytics.objectives  # noqa: F401  (define their own subclasses)
    import strategy_kit.analytics.rep_targets  # noqa: F401
    import strategy_kit.inputs.errors  # noqa: F401
    import strategy_kit.inputs.swot  # noqa: F401
    from strategy_kit.kpis.engine import KpiError

    unavailable = _subclass_names(UnavailableError)
    return _subclass_names(StrategyKitError) - (_subclass_names(KpiError) - unavailable), unavailable


def _subclass_names(root: type) -> frozenset[str]:
    """The names of ``root`` and of every class derived from it."""
    found, todo = set(), [root]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo += cls.__subclasses__()
    return frozenset(found)


def _on_users_file(ename: str, evalue: str, workspace: str) -> bool:
    """True for an OSError about a file of the workspace (an input file that cannot be read...):
    the user's to fix, as the CLI treats it."""
    return ename in _subclass_names(OSError) and f"{workspace.rstrip(os.sep)}{os.sep}" in evalue


def _keep_failed(executed: Any, failed_dir: Path, name: str) -> str:
    """Write the executed notebook to ``failed_dir``; returns where it is, for the message."""
    import nbformat

    try:
        failed_dir.mkdir(parents=True, exist_ok=True)
        kept = failed_dir / name
        nbformat.write(executed, kept)
    except OSError as exc:
        return f"(it could not be kept: {exc.strerror}: {exc.filename})"
    return str(kept)


def _kernel_output(log: Path) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").strip()[-2000:] if log.exists() else ""
    return f"\nKernel output:\n{text}" if text else ""


def _papermill(source: Path, target: Path, parameters: dict[str, str], km: Any, cwd: Path) -> Any:
    import papermill

    return papermill.execute_notebook(
        str(source),
        str(target),
        parameters=parameters,
        kernel_name=KERNEL_NAME,
        language="python",
        km=km,
        start_timeout=KERNEL_START_TIMEOUT,
        resources={"metadata": {"path": str(cwd)}},  # the kernel's working folder
        request_save_on_cell_execute=False,
        progress_bar=False,
        log_output=False,
    )


def _shut_down(km: Any) -> None:
    """Stop the kernel of a notebook that has ended. papermill shuts down only the kernels it starts
    itself; one started by our manager would otherwise live, with its copy of the client's data,
    until the process exits (a report of seven notebooks kept seven kernels). The kernel clients'
    channels are closed first (left open, each warned "Could not destroy zmq context" when collected)."""
    from jupyter_core.utils import run_sync

    for client in getattr(km, "made_clients", []):  # papermill leaves their channels open (not its manager)
        with contextlib.suppress(Exception):
            client.stop_channels()
    if km.has_kernel:
        with contextlib.suppress(RuntimeError):  # the kernel died on its own already
            run_sync(km.shutdown_kernel)(now=True)


def execute_notebook(
    source: Path,
    target: Path,
    parameters: dict[str, str],
    kernel_spec_dirs: list[str] | None,
    cwd: Path,
    failed_dir: Path,
    environment: dict[str, str] | None = None,
    warm: kernels.WarmProcess | None = None,
) -> Any:
    """Run ``source`` with ``parameters`` into ``target``; returns the executed NotebookNode.
    ``environment``: variables added to the kernel's; ``warm``: the process to fork it from.

    A kernel that dies or does not answer before running its first cell is started once more
    (logged as a warning). A cell that raises a :class:`StrategyKitError` (the user's to fix)
    raises :class:`ReportError`; any other exception is a bug: :class:`ReportFailure`. Both name
    the notebook and the cell and say where the executed notebook, with its traceback, is kept.
    """
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    log = target.with_suffix(".kernel.log")
    connections = target.parent.parent / "k"  # short: Unix socket paths have a length limit
    connections.mkdir(exist_ok=True)
    try:
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            connection_file = connections / f"{source.stem[:16]}-{attempt}.json"
            try:
                km = _kernel_manager(kernel_spec_dirs, log, connection_file, environment, warm=warm)
                try:
                    return _papermill(source, target, parameters, km, cwd)
                finally:
                    _shut_down(km)
            except KernelStartError as exc:
                if attempt == KERNEL_START_ATTEMPTS:
                    raise ReportFailure(
                        f"notebook {source.name} could not run: its kernel failed to start {attempt} times "
                        f"({exc}). The machine may be short of memory or busy: run the report again; if it "
                        "keeps failing, this is a bug in strategy-kit; please report it with the kernel "
                        f"output below.{_kernel_output(log)}"
                    ) from None
                logger.warning("notebook %s: the kernel failed to start (%s); starting it once more", source.name, exc)
                target.unlink(missing_ok=True)
    except PapermillExecutionError as exc:
        executed = nbformat.read(target, as_version=4)
        executed.cells = [c for c in executed.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
        user_errors, unavailable = _error_class_names()
        if exc.ename in unavailable:
            _end_section_unavailable(executed, exc.cell_index, exc.evalue, parameters["language"])
            nbformat.write(executed, target)
            return executed
        original = nbformat.read(source, as_version=4)
        position, cell = _failing_cell(original, executed, exc.cell_index)
        kept = _keep_failed(executed, failed_dir, source.name)
        where = f"notebook {source.name} failed at cell {position} ('{_first_line(cell.source)}'): {exc.ename}: {exc.evalue}"
        if exc.ename in user_errors or _on_users_file(exc.ename, exc.evalue, parameters["workspace"]):
            raise ReportError(f"{where}\nThe executed notebook with the full traceback is at {kept}") from None
        raise ReportFailure(
            f"{where}\nThis is a bug in strategy-kit; please report it with the executed notebook, which holds "
            f"the full traceback: {kept}"
        ) from None
    except NoSuchKernel as exc:
        raise ReportError(
            f"notebook {source.name} could not run: no kernel '{exc}'. Register it with: "
            f"{sys.executable} -m ipykernel install --sys-prefix --name {KERNEL_NAME}"
        ) from None
    except (DeadKernelError, CellTimeoutError) as exc:  # the kernel died or hung while running a cell
        raise ReportFailure(
            f"notebook {source.name} could not finish: {type(exc).__name__}: {exc}. The machine may be short of "
            "memory: run the report again; if it keeps failing, this is a bug in strategy-kit; please report it "
            f"with the kernel output below.{_kernel_output(log)}"
        ) from None
    raise AssertionError("unreachable")  # the loop returns or raises


def processors() -> int:
    """Processors this process may use (a busy shared machine gets no more kernels than that)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# What one kernel holds: the interpreter with pandas, matplotlib and the package, plus the client's
# tables, about this many times the size of their cache (measured on the enterprise-sized demo:
# 2.7 GB of Arrow files, up to 5.6 GB resident in the busiest kernel, the cache's pages included,
# which the kernels share). Kernels are started only as far as the memory available when the
# report starts holds MEMORY_SHARE of it.
KERNEL_BASE_BYTES = 400 * 1024**2
KERNEL_BYTES_PER_CACHED_BYTE = 2.5
MEMORY_SHARE = 0.8


def available_memory() -> int | None:
    """The memory the system can give without swapping (Linux's MemAvailable); None elsewhere."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def longest_first(sources: list[Path], seconds: dict[str, float]) -> list[Path]:
    """The notebooks in the order to start them: the longest first, by how long they took last time
    (``seconds``), so that the last one to end is a short one and no processor waits idle on a
    long one started late; a notebook never timed counts as the longest, and ties keep their order."""
    return sorted(sources, key=lambda source: -seconds.get(source.stem, float("inf")))


def kernels_for_memory(cached_bytes: int, available: int | None) -> int | None:
    """How many kernels ``available`` bytes hold at once for a client whose cached tables weigh
    ``cached_bytes`` (at least one: a report always runs); None when the memory is unknown."""
    if available is None:
        return None
    per_kernel = KERNEL_BASE_BYTES + KERNEL_BYTES_PER_CACHED_BYTE * cached_bytes
    return max(1, int(available * MEMORY_SHARE // per_kernel))


def report_memory(cached_bytes: int) -> int:
    """What one report of a client whose cached tables weigh ``cached_bytes`` holds at once, by the
    measure of :func:`kernels_for_memory`: its kernels, as many as it runs at a time here."""
    per_kernel = KERNEL_BASE_BYTES + KERNEL_BYTES_PER_CACHED_BYTE * cached_bytes
    return int(min(MAX_PARALLEL_KERNELS, processors()) * per_kernel)


@dataclass(frozen=True)
class WrittenReport:
    """What a report run wrote: the PDF, its HTML version (None when not asked for), the PDF's
    number of pages and the report's language."""

    pdf: Path
    html: Path | None
    pages: int
    language: str

    def summary(self) -> str:
        """What a person reads at the end of a run, in the report's language."""
        lines = [label("report.written", self.language, pdf=str(self.pdf), pages=self.pages)]
        if self.html is not None:
            lines.append(label("report.written_html", self.language, html=str(self.html)))
        lines.append(label("report.next_step", self.language))
        return "\n".join(lines)


def render_report(
    workspace: Workspace | str | os.PathLike[str],
    client: str,
    period: str | None = None,
    language: str | None = None,
    notebooks: list[str] | None = None,
    keep_html: bool = True,
    notebooks_dir: Path | None = None,
) -> Path:
    """Run the report notebooks for ``client`` and ``period`` and write ``report.pdf``; returns its
    path (:func:`write_report` says what was written)."""
    return write_report(workspace, client, period, language, notebooks, keep_html, notebooks_dir).pdf


def write_report(
    workspace: Workspace | str | os.PathLike[str],
    client: str,
    period: str | None = None,
    language: str | None = None,
    notebooks: list[str] | None = None,
    keep_html: bool = True,
    notebooks_dir: Path | None = None,
    progress: run_progress.Progress | None = None,
    warm: kernels.WarmProcess | None = None,
) -> WrittenReport:
    """Run the report notebooks for ``client`` and ``period`` and write ``report.pdf``, its HTML
    version ``report.html`` (for reading on screen and sharing by link) and ``manifest.json`` (what
    made it: :mod:`strategy_kit.report.manifest`).

    With ``notebooks`` (a subset), the files are ``report-<topics>.pdf`` (and
    ``report-<topics>.manifest.json``) beside the full report, which stays as it was.

    ``period``: a label (2026-Q3, 2026-09, last-quarter...); None: the latest complete quarter of
    the client's data. ``language``: fr or en; None: the client's. ``notebooks``: only these
    (names or topics). ``keep_html``: False writes the PDF only. ``notebooks_dir``: where the
    notebooks are (default: the repository's notebooks/). ``progress``: where the steps are shown
    (default: the one the command line chose, :func:`strategy_kit.progress.current`). ``warm``:
    the process to fork the kernels from, started by the caller (the command line starts it before
    it loads this module, :mod:`strategy_kit.report.kernels`); None: one is started here.

    One run per client and period at a time: another one waits for this one's lock
    (:mod:`strategy_kit.locks`); the temporary files of runs that died are removed first.
    """
    from strategy_kit.importer import load_sales_data

    _without_iri_syntax()
    shown = progress or run_progress.current()
    ws = workspace if isinstance(workspace, Workspace) else Workspace.at(workspace)
    config = ws.load_config(client)
    paths = ws.client(client)
    language = resolve_language(language, config)
    sources = find_notebooks(notebooks_dir or default_notebooks_dir(), notebooks)
    shown.begin(f"report {client}")
    try:
        # The warm process the kernels are forked from (kernels.py) imports while the data load.
        with (
            tempfile.TemporaryDirectory(prefix=f"{locks.SCRATCH_PREFIX}{os.getpid()}-") as scratch,
            contextlib.nullcontext(warm) if warm is not None else kernels.warm_process(sources) as warm,
            run_manifest.kept_warnings() as warnings,
        ):
            # The data are loaded once here, whatever the period: import problems surface before any
            # kernel starts, and the notebooks (run in parallel) find an up-to-date cache instead of
            # each re-importing the exports.
            shown.step("loading the data")
            started = time.monotonic()
            resolved = resolve_period(period, config, load_sales_data(ws, client))
            timings = {"loading_data": time.monotonic() - started}
            shown.retitle(f"report {client} {resolved.label}")
            report_dir = paths.report_dir(resolved.label)
            ensure_writable(report_dir, "the report")  # before the notebooks run, not after
            waiting = time.monotonic()
            with locks.hold(locks.report_lock_file(paths.reports, resolved.label), f"run of {client} {resolved.label}"):
                timings["waiting_for_lock"] = time.monotonic() - waiting
                for path in locks.remove_dead_runs_files(report_dir):
                    logger.info("removed %s, left by a run that ended before finishing", path)
                shutil.rmtree(report_dir / "failed", ignore_errors=True)  # it holds this run's failures only
                parameters = {
                    "client": client,
                    "period": resolved.label,
                    "language": language,
                    "workspace": str(ws.root),
                }
                written = _render(
                    ws, client, resolved, parameters, config.display_name, sources, notebooks, keep_html, shown,
                    timings, warnings, Path(scratch), warm,
                )  # fmt: skip
                shutil.rmtree(report_dir / "failed", ignore_errors=True)
            shown.step("done")
            return written
    finally:
        shown.end()


def _without_iri_syntax() -> None:
    """Leave out the optional IRI checker that jsonschema imports when it is installed: it compiles
    about 35 grammars on import, a second of processor time before nbformat (which papermill and
    nbconvert import) is ready (jsonschema issue 1428). nbformat checks no format, let alone an
    IRI, so nothing the report does changes; done before nbformat is first imported, else nothing."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "import it" raises ImportError


def _render(
    ws: Workspace,
    client: str,
    resolved: Any,
    parameters: dict[str, str],
    display_name: str,
    sources: list[Path],
    notebooks: list[str] | None,
    keep_html: bool,
    shown: run_progress.Progress,
    timings: dict[str, Any],
    warnings: list[dict[str, str]],
    scratch: Path,
    warm: kernels.WarmProcess | None,
) -> WrittenReport:
    """Run the notebooks and write the PDF, its HTML version, the notebooks and the manifest (the
    caller holds the run's lock); ``scratch``: the run's temporary folder, ``warm``: the process to
    fork the kernels from (None: kernels are started as processes)."""
    paths = ws.client(client)
    report_dir = paths.report_dir(resolved.label)
    language = parameters["language"]
    run_started = time.monotonic()
    inputs = run_manifest.input_files(paths)  # as the notebooks are about to read them

    (scratch / "executed").mkdir()
    (scratch / "cwd").mkdir()
    kernel_spec_dirs = _kernel_spec_dirs(scratch)
    notebook_seconds: dict[str, float] = {}
    handed = scratch / "snapshot.json"  # the period's KPI snapshot, left by the overview notebook

    def run(source: Path) -> tuple[Any, Future[str]]:
        """The executed notebook, and its HTML for the PDF (made meanwhile, while others run)."""
        shown.notebook_started(source.stem)
        started = time.monotonic()
        executed = execute_notebook(
            source,
            scratch / "executed" / source.name,
            parameters,
            kernel_spec_dirs,
            scratch / "cwd",
            report_dir / "failed",
            {HANDOVER_ENV: str(handed)},
            warm,
        )
        notebook_seconds[source.stem] = time.monotonic() - started
        shown.notebook_finished(source.stem, notebook_seconds[source.stem])  # its kernel has stopped
        return executed, meanwhile.submit(run_manifest.worker_context().run, to_html, executed)

    def to_html(executed: Any) -> str:
        return notebook_html(executed, exporter.result())

    parallel = max(1, min(MAX_PARALLEL_KERNELS, processors(), len(sources)))
    held = kernels_for_memory(cache.cached_bytes(paths.cache), available_memory())
    if held is not None and held < parallel:
        logger.info("%d kernel(s) at a time: the memory available holds no more for this client's data", held)
        parallel = held
    shown.notebooks(len(sources), parallel)
    # While the notebooks run, the exports are hashed (hashlib releases the GIL), the PDF's writers
    # are made ready and each executed notebook is turned into HTML, all in the run's context, so
    # that the warnings they log are this run's.
    with ThreadPoolExecutor(max_workers=1) as meanwhile, ThreadPoolExecutor(max_workers=parallel) as pool:
        exporter = meanwhile.submit(html_exporter)
        data = meanwhile.submit(run_manifest.worker_context().run, run_manifest.imported_data, paths)
        meanwhile.submit(importlib.import_module, "weasyprint")
        started_first = longest_first(sources, run_manifest.last_notebook_seconds(paths))
        running = {source: pool.submit(run_manifest.worker_context().run, run, source) for source in started_first}
        futures = [running[source] for source in sources]
        try:
            results = [future.result() for future in futures]
        except BaseException:  # the report has failed: start no more notebooks
            for future in futures:
                future.cancel()
            raise
        finally:
            if warm is not None:
                warm.close()  # no more kernels: it ends while the PDF is written
        executed = [notebook for notebook, _ in results]
        sections = [(source.stem, html.result()) for source, (_, html) in zip(sources, results)]
    timings["notebooks"] = {source.stem: notebook_seconds[source.stem] for source in sources}

    shown.step("writing the PDF")
    pdf_started = time.monotonic()
    cover = Cover(display_name, resolved, language, date.today())
    document = report_document(cover, sections, gather_summary(executed))

    # A run of some notebooks only (--notebook) never replaces the full report.pdf.
    complete = not notebooks
    name = "report" if complete else "report-" + "+".join(s.stem.split("_", 1)[1] for s in sources)
    pdf = report_dir / f"{name}.pdf"
    manifest_file = report_dir / run_manifest.manifest_name(pdf)
    temporary = unused_name(report_dir, f".{name}.pdf")
    staging = unused_name(report_dir, ".notebooks")
    staging.mkdir()
    try:
        pages = write_pdf(document, temporary, scratch)
        timings["pdf"] = time.monotonic() - pdf_started
        timings["total"] = timings["loading_data"] + timings["waiting_for_lock"] + time.monotonic() - run_started
        manifest = run_manifest.build(
            parameters,
            resolved,
            [source.stem for source in sources],
            executed,
            pdf=temporary,
            pdf_name=pdf.name,
            pages=pages,
            data=data.result(),
            inputs=inputs,
            timings=timings,
            warnings=warnings,
        )
        for source in sources:
            shutil.copyfile(scratch / "executed" / source.name, staging / source.name)
        if keep_html:
            write_atomically(pdf.with_suffix(".html"), document)
        if complete:
            replace_folder(staging, report_dir / "notebooks")
        else:
            (report_dir / "notebooks").mkdir(exist_ok=True)
            for source in sources:
                os.replace(staging / source.name, report_dir / "notebooks" / source.name)
        # The manifest names the PDF's SHA-256: were a crash to fall between these two moves,
        # a manifest that does not match its PDF would show it.
        os.replace(temporary, pdf)
        write_atomically(manifest_file, manifest)
        if not keep_html:  # an HTML version of an earlier run would no longer match the PDF
            pdf.with_suffix(".html").unlink(missing_ok=True)
        # the KPI history the next reports compare with (complete reports only), under the run's lock
        record_snapshot(ws, client, resolved, complete=complete, handed=handed)
    finally:
        temporary.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return WrittenReport(pdf, pdf.with_suffix(".html") if keep_html else None, pages, language)
