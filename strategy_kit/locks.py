"""One run at a time per client (import) and per client and period (report), and the clean-up of
what runs that died left behind.

Locks are :class:`filelock.FileLock` files: on Linux and macOS an ``flock`` on the file, which the
kernel releases when the process holding it ends, however it ends (``kill -9`` included), so a
lock left by a dead run is taken over at once. Beside each lock, a small JSON file says who holds
it (pid, host, start time, command) for the message of the run that waits:

    another run of acme 2026-Q3 is in progress (pid 4242, started at 2026-09-30 08:12:03); waiting up to 10 min

The second run waits up to ``STRATEGY_KIT_LOCK_TIMEOUT`` seconds (default 600), then stops with
exit code 2 and says what to do. Locks live in ``data/<client>/.locks/import.lock`` and
``reports/<client>/.locks/<period>.lock``, out of the report's own folder.

Temporary files are named ``<stem>.<pid>.<hex>.tmp`` (:func:`strategy_kit.report.files.unused_name`)
or ``.<name>.<pid>.tmp`` (the import cache): :func:`remove_dead_temporaries` removes those whose
process is no longer alive, under the lock of the run about to write there; a live run's are kept.
The report's scratch folders in the temporary folder are named ``sk-report-<pid>-...``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from strategy_kit import progress as run_progress
from strategy_kit.errors import ConfigError, WorkspaceError
from strategy_kit.workspace import os_error_fix

LOCK_TIMEOUT_ENV = "STRATEGY_KIT_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0  # seconds: a report takes under a minute, an enterprise one a few
LOCKS_FOLDER = ".locks"
SCRATCH_PREFIX = "sk-report-"  # + "<pid>-": the report's scratch folder in the temporary folder
LEGACY_SCRATCH = ("strategy-kit-report-", "sk-report-")  # older names, without a pid
LEGACY_SCRATCH_AGE = 24 * 3600  # such a folder untouched for a day belongs to no running report

# .report.pdf.4242.1f2e3d4c.tmp, .notebooks.old.4242.1f2e3d4c.tmp, .deals.arrow.4242.tmp
_TEMPORARY = re.compile(r"\..+?\.(?P<pid>\d+)(?:\.[0-9a-f]{8})?\.tmp")
_SCRATCH = re.compile(re.escape(SCRATCH_PREFIX) + r"(?P<pid>\d+)-.+")


class LockTimeout(WorkspaceError):
    """Another run held the lock for longer than the wait allowed (exit code 2)."""


def lock_timeout() -> float:
    """Seconds a run waits for another one: ``STRATEGY_KIT_LOCK_TIMEOUT``, else 10 minutes."""
    text = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also refuses nan
        raise ConfigError(
            f"{LOCK_TIMEOUT_ENV}={text!r} is not a number of seconds: set it to e.g. 600 (10 min), or 0 to "
            "stop at once when another run holds the lock"
        )
    return seconds


def duration(seconds: float) -> str:
    """10 min, 45 s, 1 h 30 min."""
    if seconds < 60:
        return f"{seconds:g} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")


def import_lock_file(client_folder: Path) -> Path:
    """The lock of a client's import: ``data/<client>/.locks/import.lock``."""
    return client_folder / LOCKS_FOLDER / "import.lock"


def report_lock_file(client_reports: Path, period_label: str) -> Path:
    """The lock of a client's report for a period: ``reports/<client>/.locks/<period>.lock``."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", period_label)
    return client_reports / LOCKS_FOLDER / f"{safe}.lock"


def _owner_file(lock_file: Path) -> Path:
    return lock_file.with_suffix(".json")


def _owner() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": run_progress.command_line(),
    }


def read_owner(lock_file: Path) -> dict[str, Any] | None:
    """Who holds (or last held) ``lock_file``, as its JSON file says; None when it says nothing."""
    try:
        owner = json.loads(_owner_file(lock_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) else None


def _describe(owner: dict[str, Any] | None) -> str:
    if owner is None:
        return "pid unknown"
    parts = [f"pid {owner.get('pid', '?')}"]
    if owner.get("host") and owner.get("host") != socket.gethostname():
        parts[0] += f" on {owner['host']}"
    started = owner.get("started_at")
    if isinstance(started, str):
        with contextlib.suppress(ValueError):
            started = datetime.fromisoformat(started).strftime("%Y-%m-%d %H:%M:%S")
        parts.append(f"started at {started}")
    return ", ".join(parts)


@contextlib.contextmanager
def hold(lock_file: Path, what: str, timeout: float | None = None) -> Iterator[None]:
    """Hold ``lock_file`` for the block; ``what`` names the run for the messages ("run of acme
    2026-Q3", "import of acme"). When another run holds it, say so once and wait up to ``timeout``
    seconds (default: :func:`lock_timeout`), then raise :class:`LockTimeout`."""
    timeout = lock_timeout() if timeout is None else timeout
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(lock_file)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            owner = read_owner(lock_file)
            run_progress.current().message(
                f"another {what} is in progress ({_describe(owner)}); waiting up to {duration(timeout)}"
            )
            try:
                lock.acquire(timeout=timeout)
            except Timeout:
                owner = read_owner(lock_file) or owner
                pid = owner.get("pid") if owner else None
                raise LockTimeout(
                    f"another {what} is still in progress after {duration(timeout)} ({_describe(owner)}), "
                    f"so this one did not start. Wait for it to end and run this again; if it hangs, stop it"
                    f"{f' (kill {pid})' if pid else ''}. To wait longer, set {LOCK_TIMEOUT_ENV} to a number of "
                    f"seconds. The lock is {lock_file}"
                ) from None
    except OSError as exc:
        raise WorkspaceError(f"cannot write the lock of this {what}: {os_error_fix(exc)}") from None
    try:
        with contextlib.suppress(OSError):  # only for the message of a run that waits
            _write_json(_owner_file(lock_file), _owner())
        yield
    finally:
        with contextlib.suppress(OSError):
            _owner_file(lock_file).unlink(missing_ok=True)
        lock.release()


def _write_json(target: Path, data: dict[str, Any]) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


# --------------------------------------------------------------------------- dead runs' files


def is_alive(pid: int) -> bool:
    """True when a process ``pid`` runs on this machine (ours included). A pid reused since by
    another process counts as alive: its run's files are kept until that process ends too."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return True  # cannot tell: keep its files
    return True


def _remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False
    except OSError:
        return False  # another user's, or read-only: left as it is
    return True


def remove_dead_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files and folders in ``folder`` (``.<name>.<pid>[.<hex>].tmp``) whose
    process has ended; returns what was removed. A live process's are kept."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for path in entries:
        match = _TEMPORARY.fullmatch(path.name)
        if match and not is_alive(int(match["pid"])) and _remove(path):
            removed.append(path)
    return removed


def remove_dead_scratch(temp_dir: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove the report scratch folders (``sk-report-<pid>-...``) in the temporary folder whose
    process has ended, and those of older versions without a pid (``strategy-kit-report-*``,
    ``sk-report-*``) untouched for a day; only this user's. Returns what was removed."""
    folder = Path(temp_dir or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = [p for p in folder.iterdir() if p.name.startswith(LEGACY_SCRATCH)]
    except OSError:
        return removed
    for path in entries:
        try:
            info = path.lstat()
        except OSError:
            continue
        if not path.is_dir() or path.is_symlink() or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            continue
        match = _SCRATCH.fullmatch(path.name)
        dead = not is_alive(int(match["pid"])) if match else now - info.st_mtime > LEGACY_SCRATCH_AGE
        if dead and _remove(path):
            removed.append(path)
    return removed


def remove_dead_runs_files(report_dir: Path) -> list[Path]:
    """What report runs killed before the end left: their temporary files in the report's folder
    (``reports/<client>/<period>/``) and the client's (``reports/<client>/``), and their scratch
    folders in the temporary folder. Returns what was removed."""
    removed = remove_dead_temporaries(report_dir) + remove_dead_temporaries(report_dir.parent)
    return removed + remove_dead_scratch()
