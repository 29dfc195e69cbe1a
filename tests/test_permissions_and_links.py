"""Files the user's machine will not let us read or write, and symbolic links in the exports.

Each case exits 2 with the path and what to do, prints no traceback, and leaves nothing half-made
(no data/.NAME.creating/, no partial cache). The tests run as root in CI, where chmod does not stop
reads or writes: there the refusal is simulated by making ``open``/``mkdir`` raise as the system
would; the chmod versions run for other users.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

import strategy_kit.workspace as workspace_module

from import_fixtures import DEALS_CONFIG, GOOD_DEALS, make_client, run_cli

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NEEDS_NON_ROOT = pytest.mark.skipif(
    AS_ROOT, reason="root reads and writes through chmod; the monkeypatched test covers it"
)
SECRET = "root:x:0:0:SECRET-SYSTEM-LINE\n"  # stands for /etc/passwd: must never be printed


def exports_with(tmp_path: Path, **links: str) -> Path:
    """tmp/exports/ with deals.csv and the links ``name=target`` (targets relative to tmp/)."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "deals.csv").write_text(GOOD_DEALS, encoding="utf-8")
    (tmp_path / "system").mkdir()
    (tmp_path / "system" / "passwd").write_text(SECRET, encoding="utf-8")
    for name, target in links.items():
        (exports / name).symlink_to(tmp_path / target)
    return exports


def assert_nothing_created(ws: Path) -> None:
    data = ws / "data"
    assert not data.exists() or not list(data.iterdir()), list(data.iterdir())  # no acme/, no .acme.creating/


# --------------------------------------------------------------------------- new-client --raw and links


@pytest.mark.parametrize(
    "name, target, words",
    [
        ("passwd.csv", "system/passwd", "leading outside the folder"),  # a link to a system file
        ("etc", "system", "leading outside the folder"),  # a link to a system folder
        ("gone.csv", "deleted.csv", "does not exist"),  # a dangling link
        ("loop", "exports", "contains it"),  # a link to the folder itself: an endless copy
    ],
)
def test_new_client_refuses_links_that_leave_the_raw_folder(tmp_path, capsys, name, target, words):
    exports = exports_with(tmp_path, **{name: target})
    ws = tmp_path / "ws"
    code, _, err = run_cli(capsys, "--workspace", str(ws), "new-client", "acme", "--raw", str(exports))
    assert code == 2 and "Traceback" not in err
    assert f"--raw {exports}: {name} is a symbolic link" in err and words in err
    assert "SECRET" not in err
    assert_nothing_created(ws)


def test_new_client_follows_links_that_stay_in_the_raw_folder(tmp_path, capsys):
    exports = exports_with(tmp_path)
    (exports / "2024").mkdir()
    (exports / "2024" / "latest.csv").symlink_to(exports / "deals.csv")
    (exports / "current").symlink_to(exports / "2024")
    ws = tmp_path / "ws"
    code, _, err = run_cli(capsys, "--workspace", str(ws), "new-client", "acme", "--raw", str(exports))
    assert code == 0, err
    raw = ws / "data" / "acme" / "raw"
    assert (raw / "2024" / "latest.csv").read_text(encoding="utf-8") == GOOD_DEALS
    assert (raw / "current" / "latest.csv").read_text(encoding="utf-8") == GOOD_DEALS
    assert not (raw / "current").is_symlink()  # copied: raw/ does not depend on the original folder


# --------------------------------------------------------------------------- new-client, permissions


def test_new_client_with_an_unreadable_export_copies_nothing(tmp_path, capsys, monkeypatch):
    exports = exports_with(tmp_path)
    real_access = os.access
    monkeypatch.setattr(
        workspace_module.os, "access", lambda path, mode: Path(path).name != "deals.csv" and real_access(path, mode)
    )
    ws = tmp_path / "ws"
    code, _, err = run_cli(capsys, "--workspace", str(ws), "new-client", "acme", "--raw", str(exports))
    assert code == 2 and "Traceback" not in err
    assert f"--raw {exports / 'deals.csv'}: Permission denied" in err and "chmod" in err
    assert_nothing_created(ws)


@NEEDS_NON_ROOT
def test_new_client_with_an_unreadable_export_chmod(tmp_path, capsys):
    exports = exports_with(tmp_path)
    (exports / "deals.csv").chmod(0)
    ws = tmp_path / "ws"
    code, _, err = run_cli(capsys, "--workspace", str(ws), "new-client", "acme", "--raw", str(exports))
    assert code == 2 and "deals.csv" in err and "Permission denied" in err and "Traceback" not in err
    assert_nothing_created(ws)


def test_a_copy_failing_half_way_leaves_no_creating_folder(tmp_path, capsys, monkeypatch):
    exports = exports_with(tmp_path)
    real_copytree = shutil.copytree

    def half_copy(source, target, **options):  # copies, then reports a file it could not read
        real_copytree(source, target, **options)
        raise shutil.Error(
            [(str(Path(source) / "deals.csv"), str(Path(target) / "deals.csv"), "[Errno 13] Permission denied")]
        )

    monkeypatch.setattr(workspace_module.shutil, "copytree", half_copy)
    ws = tmp_path / "ws"
    code, _, err = run_cli(capsys, "--workspace", str(ws), "new-client", "acme", "--raw", str(exports))
    assert code == 2 and "Traceback" not in err
    assert f"could not copy {exports / 'deals.csv'} ([Errno 13] Permission denied)" in err and "chmod" in err
    assert_nothing_created(ws)


def test_new_client_in_a_read_only_workspace(tmp_path, capsys, monkeypatch):
    ws = tmp_path / "ws"
    ws.mkdir()
    real_write = Path.write_bytes

    def read_only(self: Path, data: bytes) -> int:  # as a read-only file system does, even for root
        if self.is_relative_to(ws):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", read_only)
    code, _, err = run_cli(capsys, "--workspace", str(ws), "new-client", "acme")
    assert code == 2 and "Traceback" not in err
    assert f"cannot write the client folder: {ws / 'data'}" in err and "read-only file system" in err
    assert_nothing_created(ws)


def test_new_client_on_a_full_disk_leaves_nothing(tmp_path, capsys, monkeypatch):
    ws = tmp_path / "ws"
    real_write = Path.write_text

    def full(self: Path, *args, **kwargs) -> int:
        if self.name == "client.yml":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    code, _, err = run_cli(capsys, "--workspace", str(ws), "new-client", "acme")
    assert code == 2 and "Traceback" not in err
    assert f"could not create {ws / 'data' / 'acme'}" in err and "No space left on device" in err
    assert "free some space" in err
    assert_nothing_created(ws)


@NEEDS_NON_ROOT
def test_new_client_in_a_folder_without_write_permission(tmp_path, capsys):
    ws = tmp_path / "ws"
    (ws / "data").mkdir(parents=True)
    (ws / "data").chmod(0o500)
    try:
        code, _, err = run_cli(capsys, "--workspace", str(ws), "new-client", "acme")
    finally:
        (ws / "data").chmod(0o700)
    assert code == 2 and "Permission denied" in err and "chmod" in err and "Traceback" not in err
    assert_nothing_created(ws)


# --------------------------------------------------------------------------- import


def test_import_of_an_unreadable_export_names_it(tmp_path, capsys, monkeypatch):
    folder = make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS})
    real_open = Path.open

    def denied(self: Path, *args, **kwargs):
        if self.name == "deals.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2 and "Traceback" not in err
    assert f"{folder / 'raw' / 'deals.csv'}: Permission denied" in err and "chmod" in err
    assert not (folder / ".cache" / "manifest.json").exists()


@NEEDS_NON_ROOT
def test_import_of_an_unreadable_export_chmod(tmp_path, capsys):
    folder = make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS})
    (folder / "raw" / "deals.csv").chmod(0)
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2 and "deals.csv" in err and "Permission denied" in err and "Traceback" not in err


def test_import_into_a_read_only_cache_leaves_no_cache(tmp_path, capsys, monkeypatch):
    folder = make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS})
    real_mkdir = Path.mkdir

    def read_only(self: Path, *args, **kwargs):
        if self.name == ".cache":
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2 and "Traceback" not in err
    assert f"cannot write the import cache: {folder / '.cache'}: Read-only file system" in err
    assert not (folder / ".cache").exists()


def test_import_on_a_full_disk_leaves_no_partial_cache(tmp_path, capsys, monkeypatch):
    import strategy_kit.importer.cache as cache

    folder = make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS})

    def full(where, table):  # half a file written, then the disk is full
        Path(where).write_bytes(b"ARROW1 half")
        raise OSError(errno.ENOSPC, "No space left on device", str(where))

    monkeypatch.setattr(cache, "_write_ipc", full)
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2 and "Traceback" not in err
    assert "cannot write the import cache" in err and "free some space" in err
    left = sorted(p.name for p in (folder / ".cache").iterdir()) if (folder / ".cache").exists() else []
    assert "manifest.json" not in left and not [name for name in left if name.endswith(".tmp")]


# --------------------------------------------------------------------------- import: links in raw/


def _linked_client(tmp_path: Path, pattern: str) -> Path:
    config = DEALS_CONFIG.replace("files: [deals.csv]", f"files: ['{pattern}']")
    folder = make_client(tmp_path, config, {})
    (tmp_path / "system").mkdir()
    (tmp_path / "system" / "deals.csv").write_text(SECRET, encoding="utf-8")
    return folder


def test_import_refuses_a_raw_file_linking_outside_raw(tmp_path, capsys):
    folder = _linked_client(tmp_path, "deals.csv")
    (folder / "raw" / "deals.csv").symlink_to(tmp_path / "system" / "deals.csv")
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2 and "Traceback" not in err
    assert "import: deals: files: raw/deals.csv leads outside" in err and "copy the export itself" in err
    assert "SECRET" not in err and "root:x" not in err  # the system file is never read


def test_import_refuses_a_raw_folder_linking_outside_raw(tmp_path, capsys):
    folder = _linked_client(tmp_path, "exports/*.csv")
    (folder / "raw" / "exports").symlink_to(tmp_path / "system")
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2 and "raw/exports/deals.csv leads outside" in err and "SECRET" not in err


def test_import_refuses_a_dangling_link(tmp_path, capsys):
    folder = _linked_client(tmp_path, "deals.csv")
    (folder / "raw" / "deals.csv").symlink_to(tmp_path / "deleted.csv")
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2 and "Traceback" not in err
    assert f"raw/deals.csv is a symbolic link to {tmp_path / 'deleted.csv'}, which does not exist" in err


def test_import_reads_a_link_that_stays_in_raw(tmp_path, capsys):
    folder = _linked_client(tmp_path, "current/deals.csv")
    (folder / "raw" / "2024").mkdir()
    (folder / "raw" / "2024" / "deals.csv").write_text(GOOD_DEALS, encoding="utf-8")
    (folder / "raw" / "current").symlink_to(folder / "raw" / "2024")
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 0, err
    assert "3" in out  # the three deals of GOOD_DEALS
