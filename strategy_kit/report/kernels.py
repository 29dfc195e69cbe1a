"""Kernels forked from a warm process: a notebook's kernel starts on 0.1 s of processor time, not 1.5 s.

A new kernel spends about 1.5 s of processor time before the notebook's first line runs: starting
Python and ipykernel, then importing pandas, matplotlib and the package. A report runs each of its
nine notebooks in a kernel of its own, stopped as soon as that notebook ends so that no kernel
holds a client's data longer than it needs to, and on a two-processor machine these starts were
about a third of a demo report's time.

On Linux, a report therefore starts one *warm process* (:class:`WarmProcess`) that imports all of
that once: ipykernel, and the modules the report's notebooks import (:func:`preloaded_modules`).
Each kernel is then a fork of it (``os.fork``) that becomes an ipykernel kernel, as
``python -m ipykernel_launcher -f <connection file>`` would: with the environment, working folder
and output the kernel manager asked for, in a session of its own. Memory is copied on write, so
the pages of the imported modules stay shared between the kernels. A kernel still ends when its
notebook does; the warm process ends with the report, and a kernel whose warm process has gone
(the report was killed) ends by itself, as ipykernel's kernels do when their parent goes.

Only what cannot depend on the kernel is imported in advance: not the forms (ipywidgets registers
itself with the running kernel when imported) nor matplotlib's inline backend
(:data:`KERNEL_AWARE`). Only a kernel that would run this very Python's ipykernel is forked
(:func:`forkable`): a ``strategy-kit`` kernel registered for another environment is started as its
command says. Where ``fork`` is not available or safe (not Linux), or the warm process does not
answer, kernels are started as new processes.

:class:`ForkedKernel` is the handle the report's kernel manager keeps for a forked kernel, in place
of the :class:`subprocess.Popen` a kernel started as a process has. This module imports nothing of
Jupyter's, so that the command line starts the warm process before it loads the rest.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib
import json
import logging
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

logger = logging.getLogger(__name__)

# Modules that configure themselves for the IPython kernel they are imported in: imported in the
# warm process, they would find none, so they are left to each kernel.
KERNEL_AWARE = ("ipywidgets", "matplotlib_inline", "strategy_kit.widgets")
# Always worth importing in advance: the kernel itself and what every notebook needs.
ALWAYS = ("ipykernel.kernelapp", "IPython.display", "pandas", "matplotlib", "strategy_kit.report.notebook")
READY = "ready"
WARM_PROCESS_NAME, KERNEL_PROCESS_NAME = "sk-warm", "sk-kernel"  # the processes' names in ps and top
# Seconds to wait for the warm process to be ready, or to answer a request; then kernels are
# started as processes (the imports take about a second on an idle machine).
ANSWER_TIMEOUT = 60.0
# Seconds the warm process is given to end once the report closes it.
CLOSE_TIMEOUT = 5.0


def available() -> bool:
    """Whether kernels can be forked here: Linux only (``fork`` is unsafe on macOS, absent on Windows)."""
    return sys.platform == "linux" and hasattr(os, "fork")


def preloaded_modules(notebooks: Iterable[Path]) -> list[str]:
    """The modules the warm process imports: :data:`ALWAYS`, then every module the code cells of
    ``notebooks`` import at their top level, less the :data:`KERNEL_AWARE` ones.

    ``from a.b import c`` counts as ``a.b`` and ``a.b.c`` (``c`` may be a module or a name in
    ``a.b``). A notebook that cannot be read and a cell that is not Python (an IPython magic) are
    skipped, and a module that fails to import in the warm process (or is not one) is left to the
    kernel: the report says what is wrong where the notebook runs."""
    found = dict.fromkeys(ALWAYS)
    for path in notebooks:
        for source in _code_cells(path):
            found.update(dict.fromkeys(_imported(source)))
    return [name for name in found if not _kernel_aware(name)]


def _code_cells(notebook: Path) -> Iterator[str]:
    """The sources of ``notebook``'s code cells; none when it cannot be read. Read as JSON: importing
    nbformat takes about a second, which the warm process would wait for."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            yield source if isinstance(source, str) else "".join(source)


def _imported(source: str) -> Iterator[str]:
    """The modules ``source`` imports at its top level (see :func:`preloaded_modules`)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in tree.body:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _kernel_aware(module: str) -> bool:
    return any(module == aware or module.startswith(f"{aware}.") for aware in KERNEL_AWARE)


class WarmProcessGone(RuntimeError):
    """The warm process did not answer (it failed to start, or died): start the kernel as a process."""


class WarmProcess:
    """The process kernels are forked from, for one report (see the module's documentation).

    Started with :meth:`start`, which returns at once: the process imports while the report goes
    on, and the first :meth:`fork` waits for it to be ready. Requests are one JSON line each on its
    standard input, answered by the new kernel's process id on its standard output. :meth:`close`
    closes its input, and the process ends by itself; :meth:`end` waits for that (or ends it)."""

    def __init__(self, process: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        self._process = process
        self._errors = errors  # what it printed, read back when it fails
        self._lock = threading.Lock()  # one request at a time: the notebooks run in threads
        self._ready = False
        self._gone = False

    @classmethod
    def start(cls, modules: list[str]) -> WarmProcess:
        """Start the process, importing ``modules``. What it prints goes to a file without a name,
        gone with the process that opened it: read back in the message when the process fails."""
        errors = tempfile.TemporaryFile()  # noqa: SIM115  (kept open with the process; closed by end())
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", "from strategy_kit.report.kernels import serve; serve()", *modules],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                start_new_session=True,  # Ctrl-C in the terminal is the report's to handle, not this process's
            )
        except BaseException:
            errors.close()
            raise
        return cls(process, errors)

    @property
    def pid(self) -> int:
        return self._process.pid

    def fork(self, connection_file: Path, env: dict[str, str], cwd: Path, log: Path) -> int:
        """A new kernel for ``connection_file``, its output appended to ``log``; returns its process id.
        Raises :class:`WarmProcessGone` when the warm process cannot give one."""
        request = {"connection_file": str(connection_file), "env": env, "cwd": str(cwd), "log": str(log)}
        with self._lock:
            if self._gone:
                raise WarmProcessGone("the warm process is gone")
            try:
                if not self._ready:
                    self._expect(READY)
                    self._ready = True
                assert self._process.stdin is not None
                self._process.stdin.write(json.dumps(request).encode() + b"\n")
                self._process.stdin.flush()
                return int(self._expect(None))
            except (OSError, ValueError) as exc:
                self._gone = True
                raise WarmProcessGone(f"the warm process did not answer ({exc})") from None

    def _expect(self, expected: str | None) -> str:
        """The next line the process writes (``expected``, when given), within :data:`ANSWER_TIMEOUT`."""
        assert self._process.stdout is not None
        # One answer per request: no line waits in the reader's buffer when the pipe is looked at.
        if not select.select([self._process.stdout], [], [], ANSWER_TIMEOUT)[0]:
            raise ValueError(f"no answer in {ANSWER_TIMEOUT:.0f} s")
        line = self._process.stdout.readline().decode().strip()
        if not line or (expected is not None and line != expected):
            said = f"it answered {line!r}" if line else f"it ended with code {self._process.wait()}"
            raise ValueError(f"{said}{self._printed()}")
        return line

    def _printed(self) -> str:
        """The end of what the process printed (a traceback), for a message."""
        with contextlib.suppress(OSError, ValueError):
            self._errors.seek(0)
            text = self._errors.read().decode(errors="replace").strip()[-1000:]
            return f": {text}" if text else ""
        return ""

    def close(self) -> None:
        """No more kernels: the process ends once it reads this. Close it once no kernel runs: a
        kernel forked from it ends with it, as any ipykernel kernel ends when its parent does."""
        self._gone = True
        with contextlib.suppress(OSError):
            assert self._process.stdin is not None
            self._process.stdin.close()

    def end(self) -> None:
        """Close the process and wait for it to end; end it after :data:`CLOSE_TIMEOUT` seconds, or
        at once when no kernel was forked from it (a report that stopped before its notebooks,
        on a mistake in its input, does not wait for the imports to finish)."""
        self.close()
        if not self._ready:
            self._process.kill()
        try:
            self._process.wait(CLOSE_TIMEOUT)
        except subprocess.TimeoutExpired:  # still importing: it reads its input only once ready
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._errors.close()


@contextlib.contextmanager
def warm_process(notebooks: list[Path]) -> Iterator[WarmProcess | None]:
    """A warm process for ``notebooks`` while the block runs (:meth:`WarmProcess.close` it once
    no more kernels are needed, to let it end meanwhile); None where kernels cannot be forked."""
    if not available():
        yield None
        return
    try:
        warm = WarmProcess.start(preloaded_modules(notebooks))
    except OSError as exc:
        logger.info("kernels are started as processes: the warm process could not start (%s)", exc)
        yield None
        return
    try:
        yield warm
    finally:
        warm.end()


# --------------------------------------------------------------------------- in the warm process


def serve() -> None:
    """The warm process: import the modules named on the command line, say it is ready, then fork
    one kernel per request until its input ends."""
    _name_process(WARM_PROCESS_NAME)
    # What Python's documentation of gc.freeze recommends before forking: no collection in this
    # process (it would leave holes in the pages the kernels share), everything frozen before each
    # fork and collection enabled again in the kernel, whose collections then never walk (nor
    # copy, by writing to them) the objects of the modules imported here.
    gc.disable()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are not waited for: the system reaps them
    # Read by ipykernel when imported: each kernel watches this process and ends when it goes.
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    # What ipykernel sets before a notebook imports matplotlib, read by matplotlib when imported.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    if sys.path and sys.path[0] == "":  # as ipykernel_launcher does: not the working folder
        del sys.path[0]
    for module in sys.argv[1:]:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001  (not a module, or the kernel imports it again and shows the error)
            logger.debug("not imported in advance: %s", module, exc_info=True)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    _reply(replies, READY)
    for line in requests:
        gc.freeze()
        with warnings.catch_warnings():
            # Python 3.12+ warns when forking a process with threads; those here are numpy's BLAS
            # workers, which handle the fork themselves.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            _become_kernel(json.loads(line))
        _reply(replies, str(pid))


def _name_process(name: str) -> None:
    """The name ``ps``, ``top`` and psutil show for this process (its command line is the warm
    process's, for the kernels too)."""
    with contextlib.suppress(OSError), open("/proc/self/comm", "w", encoding="ascii") as comm:
        comm.write(name)


def _reply(stream: IO[bytes], text: str) -> None:
    stream.write(text.encode() + b"\n")
    stream.flush()


def _become_kernel(request: dict[str, Any]) -> None:
    """In the forked child: become the kernel of ``request``, as ``ipykernel_launcher`` would; never returns."""
    code = 1
    try:
        gc.enable()
        os.setsid()  # its own session and process group, which the kernel manager signals
        _name_process(KERNEL_PROCESS_NAME)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        nothing = os.open(os.devnull, os.O_RDONLY)
        os.dup2(nothing, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        os.close(nothing)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        random.seed()  # not the warm process's sequence, shared by every kernel forked from it
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        from ipykernel import kernelapp

        sys.argv = [kernelapp.__file__, "-f", request["connection_file"]]
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    except BaseException:  # noqa: BLE001  (the kernel's log is where its manager looks)
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


# --------------------------------------------------------------------------- in the report's process


class ForkedKernel:
    """What :class:`subprocess.Popen` gives for a kernel started as a process, for a forked one.

    The kernel is the warm process's child, not ours, so its exit status is not ours to read: once
    it has ended, :attr:`returncode` is minus the last signal sent through this handle, else 0."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._signalled = 0

    def poll(self) -> int | None:
        if self.returncode is None and not _running(self.pid):
            self.returncode = -self._signalled
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0.0)
            time.sleep(0.02)
        return code

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile, as Popen allows
                os.kill(self.pid, signum)
                self._signalled = signum

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs: it exists and has not ended waiting to be reaped (a zombie,
    were its warm process gone and nothing to reap it)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] not in ("Z", "X")  # zombie, dead
    except (OSError, IndexError):
        return False


def forkable(cmd: list[str]) -> bool:
    """Whether the kernel command ``cmd`` runs ipykernel on this very interpreter (options such as
    ``-Xfrozen_modules=off`` aside), which a fork of the warm process becomes. A kernel registered
    for another Python, or another kind of kernel, is started as its command says."""
    if not cmd:
        return False
    interpreter = shutil.which(cmd[0]) or cmd[0]
    runs_ipykernel = any(cmd[i : i + 2] == ["-m", "ipykernel_launcher"] for i in range(1, len(cmd)))
    return runs_ipykernel and Path(interpreter).absolute() == Path(sys.executable).absolute()
