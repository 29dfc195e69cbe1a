"""Where things live: the workspace root with data/<client>/ and reports/<client>/<period>/.

The root is, in order: the ``--workspace`` option, the ``STRATEGY_KIT_WORKSPACE``
environment variable, else the current directory. A client folder holds:

- ``client.yml`` — settings and import mapping;
- ``raw/`` — the CRM exports, never modified by strategy-kit;
- ``inputs/`` — what the strategist enters (persona, SWOT, objectives), as YAML;
- ``.cache/`` — validated tables as Arrow files, rebuilt when the exports change.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from strategy_kit.config import ClientConfig, default_client_yaml, load_client_config
from strategy_kit.errors import WorkspaceError

WORKSPACE_ENV = "STRATEGY_KIT_WORKSPACE"
_CLIENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def validate_client_name(name: str) -> str:
    """Return ``name`` if it can be a folder name under data/, else raise a clear error."""
    problem = None
    if not name:
        problem = "is empty"
    elif "/" in name or "\\" in name or os.sep in name:
        problem = "contains a path separator"
    elif ".." in name:
        problem = "contains '..'"
    elif name.startswith("."):
        problem = "is a hidden name (starts with '.')"
    elif not _CLIENT_NAME.fullmatch(name):
        problem = "has characters other than letters, digits, '-', '_' and '.' (or is over 64 characters)"
    if problem:
        raise WorkspaceError(f"client name '{name}' {problem}. Use a short name such as 'acme' or 'acme-2026'.")
    return name


def os_error_fix(exc: OSError, path: str | os.PathLike[str] | None = None) -> str:
    """What went wrong with ``path`` (default: the error's file) and what to do, in one sentence."""
    where = os.fspath(path if path is not None else exc.filename or "a file")
    reason = exc.strerror or type(exc).__name__
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        fix = "give your user access to it (e.g. chmod u+rw, or u+rwx for a folder) or point --workspace at a folder you own"
    elif code == errno.EROFS:
        fix = "it is on a read-only file system: point --workspace (or --raw) at a writable folder"
    elif code in (errno.ENOSPC, errno.EDQUOT):
        fix = "the disk (or your quota) is full: free some space and run the command again"
    elif code == errno.ENOENT:
        fix = "it does not exist (was it moved or deleted?): check the path"
    elif code == errno.EISDIR:
        fix = "it is a folder where a file was expected"
    elif code == errno.ENOTDIR:
        fix = "a part of the path is a file where a folder was expected"
    elif code == errno.ELOOP:
        fix = "it is a loop of symbolic links: replace the link with the file"
    else:
        fix = "check the path and its permissions"
    return f"{where}: {reason}; {fix}"


def ensure_writable(folder: Path, what: str) -> Path:
    """Create ``folder`` (and its parents) and check that a file can be written in it, so that a
    read-only workspace is refused before any work is done; WorkspaceError otherwise."""
    probe = folder / f".write-test.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise WorkspaceError(f"cannot write {what}: {os_error_fix(exc, exc.filename or folder)}") from None
    return folder


def resolve_root(option: str | os.PathLike[str] | None = None) -> Path:
    if option:
        return Path(option).expanduser().resolve()
    if os.environ.get(WORKSPACE_ENV):
        return Path(os.environ[WORKSPACE_ENV]).expanduser().resolve()
    return Path.cwd().resolve()


@dataclass(frozen=True)
class ClientPaths:
    name: str
    folder: Path
    reports: Path

    @property
    def config_file(self) -> Path:
        return self.folder / "client.yml"

    @property
    def raw(self) -> Path:
        return self.folder / "raw"

    @property
    def inputs(self) -> Path:
        return self.folder / "inputs"

    @property
    def cache(self) -> Path:
        return self.folder / ".cache"

    def report_dir(self, period_label: str) -> Path:
        return self.reports / period_label


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def at(cls, option: str | os.PathLike[str] | None = None) -> Workspace:
        return cls(resolve_root(option))

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    def client(self, name: str) -> ClientPaths:
        validate_client_name(name)
        return ClientPaths(name, self.data_dir / name, self.reports_dir / name)

    def existing_client(self, name: str) -> ClientPaths:
        paths = self.client(name)
        if not paths.config_file.is_file():
            known = ", ".join(self.clients()) or "none yet"
            raise WorkspaceError(
                f"no client '{name}' in {self.data_dir} (clients: {known}). "
                f"Create it with 'strategy-kit new-client {name}', or point --workspace at the right folder."
            )
        return paths

    def clients(self) -> list[str]:
        if not self.data_dir.is_dir():
            return []
        return sorted(p.name for p in self.data_dir.iterdir() if (p / "client.yml").is_file())

    def load_config(self, name: str) -> ClientConfig:
        paths = self.existing_client(name)
        return load_client_config(paths.config_file, name)

    def new_client(
        self,
        name: str,
        config_file: Path | None = None,
        raw_dir: Path | None = None,
        display_name: str | None = None,
        language: str = "fr",
    ) -> ClientPaths:
        """Create data/<name>/ with client.yml, raw/ and inputs/ (never overwrites a client)."""
        paths = self.client(name)
        if paths.folder.exists():
            raise WorkspaceError(f"{paths.folder} already exists; choose another name or remove it first")
        if config_file is not None and not Path(config_file).is_file():
            raise WorkspaceError(f"--config {config_file}: no such file")
        if raw_dir is not None and not Path(raw_dir).is_dir():
            raise WorkspaceError(f"--raw {raw_dir}: no such folder")
        if config_file is not None:
            load_client_config(Path(config_file), name)  # refuse a broken template before creating anything
        if raw_dir is not None:
            check_raw_folder(Path(raw_dir))
        text = (
            _read_text(Path(config_file), "--config")
            if config_file is not None
            else default_client_yaml(display_name or name, language)
        )
        ensure_writable(self.data_dir, "the client folder")
        staging = paths.folder.with_name(f".{name}.creating")
        shutil.rmtree(staging, ignore_errors=True)
        try:
            (staging / "inputs").mkdir(parents=True)
            if raw_dir is not None:
                _copy_raw(Path(raw_dir), staging / "raw")
            else:
                (staging / "raw").mkdir()
            (staging / "client.yml").write_text(text, encoding="utf-8")
            staging.rename(paths.folder)
        except OSError as exc:
            raise WorkspaceError(f"could not create {paths.folder}: {os_error_fix(exc)}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # nothing half-made is left behind
        return paths


def _read_text(path: Path, option: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorkspaceError(f"{option} {os_error_fix(exc, path)}") from None


def check_raw_folder(raw_dir: Path) -> None:
    """Refuse a folder of exports holding what cannot be copied safely: a symbolic link that is
    dangling or leads outside the folder (to a system file or folder), a link to a folder that
    contains it (an endless copy), or something other than files and folders (a pipe, a device).
    Links that stay inside the folder are followed."""
    root = raw_dir.resolve()
    for folder, subfolders, files in os.walk(root):
        for entry in sorted(subfolders + files):
            path = Path(folder) / entry
            shown = f"--raw {raw_dir}: {path.relative_to(root).as_posix()}"
            if path.is_symlink():
                target = os.readlink(path)
                try:
                    resolved = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    raise WorkspaceError(
                        f"{shown} is a symbolic link to {target}, which does not exist (or is a loop of links). "
                        "Replace the link with the export itself, or remove it."
                    ) from None
                if not resolved.is_relative_to(root):
                    raise WorkspaceError(
                        f"{shown} is a symbolic link leading outside the folder (to {resolved}); nothing was "
                        "copied. Copy the export itself into the folder instead of linking to it."
                    )
                if resolved.is_dir() and path.parent.resolve().is_relative_to(resolved):
                    raise WorkspaceError(
                        f"{shown} is a symbolic link to a folder that contains it ({resolved}): copying it would "
                        "never end. Remove the link."
                    )
            elif not (path.is_dir() or path.is_file()):
                raise WorkspaceError(f"{shown} is neither a file nor a folder (a pipe, socket or device); remove it.")
            if not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):  # (root reads anything)
                raise WorkspaceError(f"--raw {os_error_fix(PermissionError(errno.EACCES, 'Permission denied'), path)}")


def _copy_raw(source: Path, target: Path) -> None:
    """Copy the exports, following the links (checked to stay inside ``source``)."""
    try:
        shutil.copytree(source, target, symlinks=False)
    except shutil.Error as exc:  # every file that failed: (source, target, reason)
        failures = exc.args[0] if exc.args and isinstance(exc.args[0], list) else []
        first = failures[0] if failures else (str(source), "", str(exc))
        raise WorkspaceError(
            f"--raw {source}: could not copy {first[0]} ({first[2]})"
            + (f" and {len(failures) - 1} other file(s)" if len(failures) > 1 else "")
            + "; give your user read access to the exports (e.g. chmod -R u+rX) and run the command again"
        ) from None
