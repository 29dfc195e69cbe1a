"""What a long run is doing, while it runs: which step, which notebook, how long so far.

A run (a report, an import) tells the current :class:`Progress` what it does; the command line
chooses how that is shown with :func:`using`:

- on a terminal, a live display (rich) on stderr: the step, a bar of the notebooks done, one line
  per notebook running with its elapsed time;
- elsewhere (a cron job's log, a pipe), one plain line per step on stderr, with the time of day
  and the elapsed time;
- with ``--quiet``, nothing.

Outside the command line (tests, a notebook, a scheduler calling Python), the default writes each
step to the ``strategy_kit.progress`` logger at INFO, which shows nothing unless logging is set
up. Progress never goes to stdout: the last line the ``report`` command prints there is the PDF's
path, for scripts.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

logger = logging.getLogger(__name__)


class Progress:
    """Says nothing; the displays below override what they show. Thread-safe: the notebooks of a
    report start and end in worker threads."""

    def __init__(self) -> None:
        self.title = ""
        self.started = time.monotonic()
        self._lock = threading.Lock()

    def begin(self, title: str) -> None:
        """A run starts (``title``: e.g. "report acme"); its elapsed time counts from here."""
        self.title, self.started = title, time.monotonic()

    def retitle(self, title: str) -> None:
        """The run's title once more is known (the period, once the data are loaded)."""
        self.title = title

    def step(self, text: str) -> None:
        """A new step: "loading the data", "writing the PDF"."""

    def message(self, text: str) -> None:
        """A one-off message for the person waiting (another run holds the lock...)."""

    def notebooks(self, total: int, parallel: int) -> None:
        """``total`` notebooks are about to run, ``parallel`` at a time."""

    def notebook_started(self, name: str) -> None:
        """The notebook ``name`` (its stem) has started."""

    def notebook_finished(self, name: str, seconds: float) -> None:
        """The notebook ``name`` has ended after ``seconds``, and its kernel has been shut down."""

    def end(self) -> None:
        """The run has ended (successfully or not): a live display is taken down."""

    def elapsed(self) -> float:
        return time.monotonic() - self.started


class Logged(Progress):
    """Each step to the ``strategy_kit.progress`` logger, at INFO (the default outside the CLI)."""

    def step(self, text: str) -> None:
        logger.info("%s: %s", self.title, text)

    def message(self, text: str) -> None:
        logger.info("%s", text)

    def notebook_finished(self, name: str, seconds: float) -> None:
        logger.info("%s: notebook %s done in %.1f s", self.title, name, seconds)


class Lines(Progress):
    """One plain line per step, for logs: ``08:12:03 report acme 2026-Q3: writing the PDF (+21.4 s)``."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.stream = stream
        self.done, self.total = 0, 0

    def _line(self, text: str) -> None:
        with self._lock:
            stamp = time.strftime("%H:%M:%S")
            self.stream.write(f"{stamp} {self.title}: {text} (+{self.elapsed():.1f} s)\n")
            self.stream.flush()

    def step(self, text: str) -> None:
        self._line(text)

    def message(self, text: str) -> None:
        with self._lock:
            self.stream.write(f"{time.strftime('%H:%M:%S')} {text}\n")
            self.stream.flush()

    def notebooks(self, total: int, parallel: int) -> None:
        self.done, self.total = 0, total
        self._line(f"running {total} notebook{'s' if total != 1 else ''}, {parallel} at a time")

    def notebook_finished(self, name: str, seconds: float) -> None:
        with self._lock:
            self.done += 1
            done = self.done
        self._line(f"notebook {done}/{self.total} done: {name} in {seconds:.1f} s")


class Live(Progress):
    """A live display on a terminal (rich): the step with a spinner and the run's elapsed time, a
    bar of the notebooks done, and one line per notebook running with its own elapsed time.

    rich rather than tqdm: several notebooks run at once, each wants its own line and clock, and
    rich redraws the clocks by itself while a long notebook runs (tqdm redraws only on updates)."""

    def __init__(self, stream: IO[str] | None = None, console: Any = None) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self.console = console or Console(file=stream or sys.stderr)
        self.display = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
            redirect_stdout=False,  # stdout is the scripts' (the PDF's path), never the display's
        )
        self.main: Any = None
        self.rows: dict[str, Any] = {}
        self.started_display = False

    def _start(self) -> None:
        if not self.started_display:
            self.display.start()
            self.started_display = True

    def step(self, text: str) -> None:
        with self._lock:
            self._start()
            description = f"[bold]{self.title}[/bold]: {text}"
            if self.main is None:
                self.main = self.display.add_task(description, total=None)
            else:
                self.display.update(self.main, description=description)

    def message(self, text: str) -> None:
        with self._lock:
            self.console.print(text, markup=False, highlight=False)

    def notebooks(self, total: int, parallel: int) -> None:
        self.step(f"running notebooks ({parallel} at a time)")
        with self._lock:
            self.display.update(self.main, total=total, completed=0)

    def notebook_started(self, name: str) -> None:
        with self._lock:
            self._start()
            self.rows[name] = self.display.add_task(f"  {name}", total=None)

    def notebook_finished(self, name: str, seconds: float) -> None:
        with self._lock:
            row = self.rows.pop(name, None)
            if row is not None:
                self.display.remove_task(row)
            if self.main is not None:
                self.display.advance(self.main)

    def end(self) -> None:
        with self._lock:
            if self.started_display:
                if self.main is not None:
                    self.display.update(self.main, description=f"[bold]{self.title}[/bold]: done")
                self.display.stop()
                self.started_display = False


_current: Progress = Logged()
_command: list[str] | None = None


@contextmanager
def using(progress: Progress, command: list[str] | None = None) -> Iterator[None]:
    """Show the progress of the runs inside the block with ``progress``; ``command``: the command
    line that started them (written in the report's manifest). The previous display comes back
    after the block."""
    global _current, _command
    previous = _current, _command
    _current, _command = progress, command
    try:
        yield
    finally:
        _current, _command = previous


def current() -> Progress:
    """The progress display the command line chose (by default: the log, at INFO)."""
    return _current


def command_line() -> str:
    """The command that started this run, as one could type it again."""
    return shlex.join(_command if _command is not None else [os.path.basename(sys.argv[0]), *sys.argv[1:]])


def for_stream(stream: IO[str], quiet: bool = False) -> Progress:
    """The display for ``stream``: nothing when ``quiet``, a live one on a terminal, else lines."""
    if quiet:
        return Progress()
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty() and os.environ.get("TERM") != "dumb":
        return Live(stream)
    return Lines(stream)
