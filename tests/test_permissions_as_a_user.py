"""The refusals of tests/test_permissions_and_links.py for real, when the suite runs as root (CI).

Root reads and writes through chmod, so there the CLI is run as an unprivileged user (nobody,
with setpriv from util-linux) in a folder that user can reach: the operating system itself
refuses the reads and writes, no monkeypatching.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from import_fixtures import DEALS_CONFIG, GOOD_DEALS, make_client

NOBODY = 65534
pytestmark = pytest.mark.skipif(
    not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("setpriv")),
    reason="runs the CLI as another user: needs root and setpriv (the chmod tests cover other users)",
)


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder every user can enter and write (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="sk-perm-", dir="/tmp"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def as_nobody(root: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    command = [
        "setpriv",
        f"--reuid={NOBODY}",
        f"--regid={NOBODY}",
        "--clear-groups",
        sys.executable,
        "-m",
        "strategy_kit.cli",
        "--workspace",
        str(root),
        *argv,
    ]
    return subprocess.run(
        command, capture_output=True, text=True, cwd=root, timeout=120, env={**os.environ, "HOME": str(root)}
    )


def open_to_all(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)


def test_an_export_nobody_may_read_is_refused_at_new_client(shared_tmp):
    exports = shared_tmp / "exports"
    exports.mkdir()
    (exports / "deals.csv").write_text(GOOD_DEALS, encoding="utf-8")
    open_to_all(shared_tmp)
    (exports / "deals.csv").chmod(0)

    run = as_nobody(shared_tmp, "new-client", "acme", "--raw", str(exports))

    assert run.returncode == 2, run.stderr
    assert "deals.csv" in run.stderr and "Permission denied" in run.stderr and "Traceback" not in run.stderr
    assert not (shared_tmp / "data").exists() or not list((shared_tmp / "data").iterdir())


def test_an_export_nobody_may_read_is_refused_at_import(shared_tmp):
    folder = make_client(shared_tmp, DEALS_CONFIG, {"deals.csv": GOOD_DEALS})
    open_to_all(shared_tmp)
    (folder / "raw" / "deals.csv").chmod(0)

    run = as_nobody(shared_tmp, "import", "acme")

    assert run.returncode == 2, run.stderr
    assert "deals.csv" in run.stderr and "Permission denied" in run.stderr and "Traceback" not in run.stderr
    assert not (folder / ".cache" / "manifest.json").exists()


def test_a_workspace_nobody_may_write_is_refused(shared_tmp):
    (shared_tmp / "data").mkdir()
    open_to_all(shared_tmp)
    (shared_tmp / "data").chmod(0o555)

    run = as_nobody(shared_tmp, "new-client", "acme")

    assert run.returncode == 2, run.stderr
    assert "Permission denied" in run.stderr and "Traceback" not in run.stderr
    assert list((shared_tmp / "data").iterdir()) == []


def test_a_cache_nobody_may_write_is_refused_and_left_empty(shared_tmp):
    folder = make_client(shared_tmp, DEALS_CONFIG, {"deals.csv": GOOD_DEALS})
    (folder / ".cache").mkdir()
    open_to_all(shared_tmp)
    (folder / ".cache").chmod(0o555)

    run = as_nobody(shared_tmp, "import", "acme")

    assert run.returncode == 2, run.stderr
    assert f"cannot write the import cache: {folder / '.cache'}: Permission denied" in run.stderr
    assert "Traceback" not in run.stderr
    assert list((folder / ".cache").iterdir()) == []


def test_a_reports_folder_nobody_may_write_is_refused_before_any_notebook_runs(shared_tmp):
    make_client(shared_tmp, DEALS_CONFIG, {"deals.csv": GOOD_DEALS})
    (shared_tmp / "reports").mkdir()
    open_to_all(shared_tmp)
    assert as_nobody(shared_tmp, "import", "acme").returncode == 0
    (shared_tmp / "reports").chmod(0o555)

    run = as_nobody(shared_tmp, "report", "acme", "--period", "2024-Q1")

    assert run.returncode == 2, run.stderr
    assert str(shared_tmp / "reports") in run.stderr and "Traceback" not in run.stderr
    assert list((shared_tmp / "reports").iterdir()) == []
