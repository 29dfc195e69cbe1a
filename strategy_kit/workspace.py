"""Where things live: the workspace root with data/<client>/ and reports/<client>/<period>/.

The root is, in order: the ``--workspace`` option, the ``STRATEGY_KIT_WORKSPACE``
environment variable, else the current directory. A client folder holds:

- ``client.yml`` — settings and import mapping;
- ``raw/`` — the CRM exports, never modified by strategy-kit;
- ``inputs/`` — what the strategist enters (persona, SWOT, objectives), as YAML;
- ``.cache/`` — validated tables as Parquet, rebuilt when the exports change.
"""
from __future__ import annotations

import os
import re
import shutil
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
        raise WorkspaceError(
            f"client name '{name}' {problem}. Use a short name such as 'acme' or 'acme-2026'."
        )
    return name


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
    def at(cls, option: str | os.PathLike[str] | None = None) -> "Workspace":
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
        staging = paths.folder.with_name(f".{name}.creating")
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "inputs").mkdir(parents=True)
        if raw_dir is not None:
            shutil.copytree(raw_dir, staging / "raw")
        else:
            (staging / "raw").mkdir()
        text = (
            Path(config_file).read_text(encoding="utf-8")
            if config_file is not None
            else default_client_yaml(display_name or name, language)
        )
        (staging / "client.yml").write_text(text, encoding="utf-8")
        staging.rename(paths.folder)
        return paths
