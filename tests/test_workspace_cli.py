"""The client workspace and the CLI's contract: folders, names, --workspace, exit codes."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from strategy_kit.cli import main
from strategy_kit.config import load_client_config
from strategy_kit.errors import ConfigError, ImportValidationError, PeriodError, UnavailableError, WorkspaceError
from strategy_kit.workspace import WORKSPACE_ENV

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_new_client_creates_the_folders_and_a_valid_config(tmp_path, capsys):
    code, out, _ = run(capsys, "--workspace", str(tmp_path), "new-client", "acme", "--display-name", "Acme SAS")
    assert code == 0
    folder = tmp_path / "data" / "acme"
    assert (folder / "raw").is_dir() and (folder / "inputs").is_dir()
    config = load_client_config(folder / "client.yml", "acme")
    assert config.display_name == "Acme SAS"
    assert config.language == "fr"
    assert config.stage_ids == [
        "prospecting",
        "qualification",
        "meeting",
        "needs_defined",
        "proposal",
        "negotiation",
        "won",
    ]
    assert config.stage("meeting").label("fr").startswith("Rendez-vous")
    assert "strategy-kit import acme" in out


def test_new_client_refuses_to_overwrite(tmp_path, capsys):
    assert run(capsys, "--workspace", str(tmp_path), "new-client", "acme")[0] == 0
    (tmp_path / "data" / "acme" / "inputs" / "persona.yml").write_text("sectors: [BTP]\n", encoding="utf-8")
    code, _, err = run(capsys, "--workspace", str(tmp_path), "new-client", "acme")
    assert code == 2 and "already exists" in err
    assert (tmp_path / "data" / "acme" / "inputs" / "persona.yml").read_text(encoding="utf-8") == "sectors: [BTP]\n"


def test_new_client_copies_config_and_raw_folder(tmp_path, capsys):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "deals.csv").write_text("ID,Status\n1,Open\n", encoding="utf-8")
    template = tmp_path / "template.yml"
    template.write_text("display_name: From template\nlanguage: en\n", encoding="utf-8")
    code, _, _ = run(
        capsys,
        "--workspace",
        str(tmp_path / "ws"),
        "new-client",
        "beta",
        "--config",
        str(template),
        "--raw",
        str(exports),
    )
    assert code == 0
    folder = tmp_path / "ws" / "data" / "beta"
    assert load_client_config(folder / "client.yml", "beta").language == "en"
    assert (folder / "raw" / "deals.csv").read_text(encoding="utf-8") == "ID,Status\n1,Open\n"


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", ".hidden", "", "white space", "a\\b"])
def test_bad_client_names_are_refused(tmp_path, capsys, name):
    code, _, err = run(capsys, "--workspace", str(tmp_path), "new-client", name)
    assert code == 2
    assert "client name" in err and "Traceback" not in err
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())


def test_workspace_from_environment_variable(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path))
    assert run(capsys, "new-client", "gamma")[0] == 0
    assert (tmp_path / "data" / "gamma" / "client.yml").is_file()
    code, out, _ = run(capsys, "clients")
    assert code == 0 and out.strip() == "gamma"


def test_unknown_client_is_bad_input(tmp_path, capsys):
    code, _, err = run(capsys, "--workspace", str(tmp_path), "import", "nobody")
    assert code == 2
    assert "no client 'nobody'" in err and "new-client nobody" in err


def test_usage_errors_exit_2(capsys):
    assert run(capsys)[0] == 2
    assert run(capsys, "no-such-command")[0] == 2
    assert run(capsys, "report")[0] == 2  # client missing


def test_bad_client_yml_is_reported_with_its_path(tmp_path, capsys):
    assert run(capsys, "--workspace", str(tmp_path), "new-client", "delta")[0] == 0
    config = tmp_path / "data" / "delta" / "client.yml"
    config.write_text("language: de\n", encoding="utf-8")
    code, _, err = run(capsys, "--workspace", str(tmp_path), "import", "delta")
    assert code == 2
    assert str(config) in err and "language 'de'" in err


def test_unexpected_failures_exit_1(tmp_path, capsys, monkeypatch):
    import strategy_kit.cli as cli

    def boom(args, workspace):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli, "_cmd_clients", boom)
    code = cli.main(["--workspace", str(tmp_path), "clients"])
    assert code == 1
    err = capsys.readouterr().err
    assert "disk on fire" in err and "This is a bug in strategy-kit; please report it" in err


def _raising(monkeypatch, error: BaseException) -> None:
    import strategy_kit.cli as cli

    def fail(args, workspace):
        raise error

    monkeypatch.setattr(cli, "_cmd_clients", fail)


@pytest.mark.parametrize(
    "make_error, words",
    [
        (
            lambda ws: PermissionError(
                errno.EACCES, "Permission denied", str(ws / "data" / "acme" / "raw" / "deals.csv")
            ),
            ["data/acme/raw/deals.csv: Permission denied", "chmod"],
        ),
        (
            lambda ws: FileNotFoundError(
                errno.ENOENT, "No such file or directory", str(ws / "data" / "acme" / "client.yml")
            ),
            ["data/acme/client.yml: No such file or directory", "moved or deleted"],
        ),
        (
            lambda ws: IsADirectoryError(
                errno.EISDIR, "Is a directory", str(ws / "data" / "acme" / "raw" / "deals.csv")
            ),
            ["raw/deals.csv: Is a directory", "a folder where a file was expected"],
        ),
        (
            lambda ws: OSError(errno.ENOSPC, "No space left on device", "/tmp/sk-report-x/k/00-1.json"),  # anywhere
            ["/tmp/sk-report-x/k/00-1.json: No space left on device", "free some space"],
        ),
        (
            lambda ws: OSError(errno.EROFS, "Read-only file system", str(ws / "reports")),
            ["reports: Read-only file system", "--workspace"],
        ),
    ],
)
def test_os_errors_on_the_users_paths_exit_2_with_the_path(tmp_path, capsys, monkeypatch, make_error, words):
    _raising(monkeypatch, make_error(tmp_path))
    code, _, err = run(capsys, "--workspace", str(tmp_path), "clients")
    assert code == 2 and "Traceback" not in err and "bug" not in err
    for word in words:
        assert word in err


def test_os_errors_elsewhere_are_our_bugs(tmp_path, capsys, monkeypatch):
    # A missing file of the package itself is not the user's to fix.
    _raising(monkeypatch, FileNotFoundError(errno.ENOENT, "No such file or directory", "/nowhere/strategy_kit/x.css"))
    code, _, err = run(capsys, "--workspace", str(tmp_path / "ws"), "clients")
    assert code == 1
    assert "Traceback" in err and "This is a bug in strategy-kit; please report it" in err


def test_every_expected_error_exits_2_without_traceback(tmp_path, capsys, monkeypatch):
    from strategy_kit.kpis.engine import KpiError
    from strategy_kit.report import ReportError

    for error in (
        ConfigError("client.yml: stages: expected a list"),
        PeriodError("bad period '2026-Q5'"),
        WorkspaceError("no client"),
        UnavailableError("unavailable.no_table", labelled={"label": "table.leads"}, table="leads", client="acme"),
        KpiError("unknown breakdown"),
        ReportError("notebook 00_x.ipynb failed"),
        ImportValidationError("acme", []),
    ):
        _raising(monkeypatch, error)
        code, _, err = run(capsys, "--workspace", str(tmp_path), "clients")
        assert code == 2 and "Traceback" not in err and str(error).splitlines()[0] in err


def test_a_bug_exits_1_with_the_traceback_and_a_short_message(tmp_path, capsys, monkeypatch):
    _raising(monkeypatch, ValueError("cannot convert float NaN to integer"))
    code, _, err = run(capsys, "--workspace", str(tmp_path), "clients")
    assert code == 1
    assert "Traceback" in err and "ValueError: cannot convert float NaN to integer" in err
    assert err.rstrip().endswith("This is a bug in strategy-kit; please report it with the command you ran.")


def test_ctrl_c_exits_130(tmp_path, capsys, monkeypatch):
    _raising(monkeypatch, KeyboardInterrupt())
    code, _, err = run(capsys, "--workspace", str(tmp_path), "clients")
    assert code == 130 and "interrupted" in err and "Traceback" not in err
