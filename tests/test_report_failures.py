"""How a report fails: the user's mistake (exit 2) or a bug of ours (exit 1), a kernel that does not
start (started once more), a reports/ folder that cannot be written (refused before any kernel).

Each render starts a kernel per notebook, so the notebooks here are one or two cells long.
"""

from __future__ import annotations

import errno
import json
import logging
import sys
from pathlib import Path

import pytest
from test_report import CLIENT_YML, DEALS_CSV, cell, write_notebook

import strategy_kit.report.render as report
from strategy_kit.cli import main
from strategy_kit.report.render import KernelStartError, ReportFailure, render_report
from strategy_kit.workspace import Workspace

PERIOD = "2026-Q1"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    folder = tmp_path / "ws" / "data" / "fournil"
    (folder / "raw").mkdir(parents=True)
    (folder / "client.yml").write_text(CLIENT_YML, encoding="utf-8")
    (folder / "raw" / "deals.csv").write_text(DEALS_CSV, encoding="utf-8")
    return Workspace(tmp_path / "ws")


def run_report(capsys, workspace: Workspace, notebooks: Path, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setattr(report, "default_notebooks_dir", lambda: notebooks)
    code = main(["--workspace", str(workspace.root), "report", "fournil", "--period", PERIOD])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_notebook_failing_on_a_bug_exits_1_and_says_where_the_traceback_is(workspace, tmp_path, capsys, monkeypatch):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "00_bug.ipynb", cell("# look the stage up\n{'won': 1}['lost']"))
    failed = workspace.reports_dir / "fournil" / PERIOD / "failed" / "00_bug.ipynb"
    failed.parent.mkdir(parents=True)
    (failed.parent / "03_swot.ipynb").write_text("a failure of an earlier run", encoding="utf-8")

    code, out, err = run_report(capsys, workspace, notebooks, monkeypatch)

    assert sorted(p.name for p in failed.parent.iterdir()) == ["00_bug.ipynb"]  # this run's failures only
    assert code == 1, err
    # cell 2: cell 1 is the parameters cell
    assert "notebook 00_bug.ipynb failed at cell 2 ('# look the stage up'): KeyError: 'lost'" in err
    assert "This is a bug in strategy-kit; please report it" in err and str(failed) in err
    assert "Traceback" not in err and failed.is_file() and out == ""
    assert not (workspace.reports_dir / "fournil" / PERIOD / "report.pdf").exists()


def test_a_notebook_stopping_on_the_users_mistake_exits_2(workspace, tmp_path, capsys, monkeypatch):
    # ConfigError (strategy_kit.errors) and SwotError (defined in strategy_kit.inputs.swot) are both the
    # user's to fix: StrategyKitError subclasses, wherever they are defined.
    notebooks = tmp_path / "notebooks"
    write_notebook(
        notebooks,
        "00_persona.ipynb",
        cell(
            "from strategy_kit.errors import ConfigError\nraise ConfigError('inputs/persona.yml: sectors: expected a list')"
        ),
    )
    write_notebook(
        notebooks,
        "01_swot.ipynb",
        cell(
            "from strategy_kit.inputs.swot import SwotError\nraise SwotError('inputs/swot.yml: items: expected a list')"
        ),
    )

    code, _, err = run_report(capsys, workspace, notebooks, monkeypatch)

    assert code == 2, err
    # The first notebook's failure is the one reported (in notebook order).
    assert "notebook 00_persona.ipynb failed at cell 2" in err
    assert "ConfigError: inputs/persona.yml: sectors: expected a list" in err
    assert "bug" not in err and "Traceback" not in err
    assert (workspace.reports_dir / "fournil" / PERIOD / "failed" / "00_persona.ipynb").is_file()


def test_an_unknown_breakdown_asked_by_a_notebook_is_a_bug(workspace, tmp_path, capsys, monkeypatch):
    # On the command line an unknown --by is the user's mistake (exit 2); in a notebook the
    # breakdowns are the notebook's own choice, so the same KpiError is a bug (exit 1).
    notebooks = tmp_path / "notebooks"
    write_notebook(
        notebooks,
        "00_kpis.ipynb",
        cell("from strategy_kit.kpis.engine import KpiError\nraise KpiError(\"unknown breakdown 'planet'\")"),
    )

    code, _, err = run_report(capsys, workspace, notebooks, monkeypatch)

    assert code == 1, err
    assert "KpiError: unknown breakdown 'planet'" in err and "This is a bug in strategy-kit" in err


def test_a_notebook_that_cannot_read_a_file_of_the_workspace_exits_2(workspace, tmp_path, capsys, monkeypatch):
    # An input file that cannot be read (a folder where persona.yml should be) is the user's to fix.
    persona = workspace.root / "data" / "fournil" / "inputs" / "persona.yml"
    persona.mkdir(parents=True)
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "00_persona.ipynb", cell(f"open({str(persona)!r}).read()"))

    code, _, err = run_report(capsys, workspace, notebooks, monkeypatch)

    assert code == 2, err
    assert (
        "notebook 00_persona.ipynb failed at cell 2" in err
        and f"IsADirectoryError: [Errno 21] Is a directory: '{persona}'" in err
    )
    assert "bug" not in err


def test_a_subclass_of_unavailable_error_ends_the_section_as_not_available(workspace, tmp_path):
    # kpis.reasons.Unavailable is an UnavailableError: "not available", not a failed report.
    notebooks = tmp_path / "notebooks"
    write_notebook(
        notebooks,
        "00_leads.ipynb",
        cell("from strategy_kit.kpis.reasons import Unavailable\nraise Unavailable('no_table', table='leads')"),
        cell("print('NEVER')"),
    )
    pdf = render_report(workspace, "fournil", period=PERIOD, notebooks_dir=notebooks, keep_html=True)
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert "no leads table" in html and "NEVER" not in html  # the English text of the reason


def _dying_kernel_specs(folder: Path) -> list[str]:
    """A ``strategy-kit`` kernel that exits at once, as one that cannot bind its sockets does."""
    spec = folder / "strategy-kit"
    spec.mkdir(parents=True)
    code = "import sys; print('zmq.error.ZMQError: Address already in use', file=sys.stderr); sys.exit(1)"
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-c", code, "{connection_file}"],
                "display_name": "dying",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    return [str(folder)]


def test_a_kernel_that_dies_before_kernel_info_is_started_once_more(workspace, tmp_path, monkeypatch, caplog):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "00_hello.ipynb", cell("print('SECTION-HELLO')"))
    dying = _dying_kernel_specs(tmp_path / "dying")
    real, starts = report._kernel_manager, []

    def first_start_fails(spec_dirs, log, connection_file, environment=None, **kw):
        starts.append(connection_file)
        return real(dying if len(starts) == 1 else spec_dirs, log, connection_file, environment, **kw)

    monkeypatch.setattr(report, "_kernel_manager", first_start_fails)
    with caplog.at_level(logging.WARNING, logger="strategy_kit.report.render"):
        pdf = render_report(workspace, "fournil", period=PERIOD, notebooks_dir=notebooks, keep_html=True)

    assert len(starts) == 2 and starts[0] != starts[1]  # a fresh connection file for the second start
    assert "SECTION-HELLO" in pdf.with_suffix(".html").read_text(encoding="utf-8")
    retries = [r.getMessage() for r in caplog.records if r.name == "strategy_kit.report.render"]
    assert retries == [
        "notebook 00_hello.ipynb: the kernel failed to start (Kernel died before replying to kernel_info); "
        "starting it once more"
    ]


def test_a_kernel_that_fails_to_start_twice_fails_the_report_with_its_output(workspace, tmp_path, capsys, monkeypatch):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "00_hello.ipynb", cell("print('hello')"))
    dying = _dying_kernel_specs(tmp_path / "dying")
    real = report._kernel_manager
    monkeypatch.setattr(
        report,
        "_kernel_manager",
        lambda spec_dirs, log, connection, env=None, **kw: real(dying, log, connection, env, **kw),
    )

    code, _, err = run_report(capsys, workspace, notebooks, monkeypatch)

    assert code == 1
    assert "notebook 00_hello.ipynb could not run: its kernel failed to start 2 times" in err
    assert "Address already in use" in err  # the kernel's own output
    assert "Traceback" not in err


def test_kernels_talk_over_unix_sockets_in_the_run_folder_not_tcp_ports(tmp_path):
    # TCP ports are picked then released before the kernel binds them: a kernel started meanwhile
    # by another report can take one ("Kernel died before replying to kernel_info").
    log = tmp_path / "k.log"
    manager = report._kernel_manager(None, log, tmp_path / "00-1.json")
    assert manager.transport == "ipc" and manager.ip == str(tmp_path / "00-1-ipc")
    too_long = tmp_path / ("x" * 120) / "00-1.json"  # over the length of a Unix socket path
    assert report._kernel_manager(None, log, too_long).transport == "tcp"


def test_the_start_timeout_error_is_a_kernel_start_error():
    assert issubclass(KernelStartError, RuntimeError) and not issubclass(ReportFailure, report.StrategyKitError)
    assert report.KERNEL_START_TIMEOUT > 60 and report.KERNEL_START_ATTEMPTS == 2


def test_a_read_only_reports_folder_is_refused_before_any_kernel_starts(workspace, tmp_path, capsys, monkeypatch):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "00_hello.ipynb", cell("print('hello')"))
    reports = workspace.reports_dir
    original = Path.write_bytes

    def read_only(self: Path, data: bytes) -> int:  # as a read-only file system does, even for root
        if self.is_relative_to(reports):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", read_only)
    monkeypatch.setattr(report, "execute_notebook", lambda *a, **k: pytest.fail("a kernel was started"))

    code, _, err = run_report(capsys, workspace, notebooks, monkeypatch)

    assert code == 2 and "Traceback" not in err
    assert "cannot write the report" in err and str(reports / "fournil" / PERIOD) in err
    assert "read-only file system" in err and "--workspace" in err
    assert not list((reports / "fournil" / PERIOD).iterdir())  # nothing half-made


@pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
    reason="root writes through chmod 000; the monkeypatched test above covers it",
)
def test_a_reports_folder_without_write_permission_is_refused(workspace, tmp_path, capsys, monkeypatch):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "00_hello.ipynb", cell("print('hello')"))
    workspace.reports_dir.mkdir()
    workspace.reports_dir.chmod(0o500)
    try:
        code, _, err = run_report(capsys, workspace, notebooks, monkeypatch)
    finally:
        workspace.reports_dir.chmod(0o700)
    assert code == 2 and "Permission denied" in err and "chmod" in err and "Traceback" not in err


def test_scorecards_into_a_read_only_reports_folder_exit_2(tmp_path, capsys, monkeypatch):
    from test_rep_targets import TINY

    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "deals.csv").write_text(TINY, encoding="utf-8")
    ws = tmp_path / "ws"
    assert main(["--workspace", str(ws), "new-client", "tiny", "--raw", str(exports)]) == 0
    (ws / "data" / "tiny" / "inputs" / "objectives.yml").write_text(
        "year: 2026\nrevenue_growth: 0.1\n", encoding="utf-8"
    )
    original = Path.mkdir

    def read_only(self: Path, *args, **kwargs) -> None:
        if self.is_relative_to(ws / "reports"):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    capsys.readouterr()
    code = main(["--workspace", str(ws), "scorecards", "tiny", "--period", PERIOD])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "cannot write the scorecards" in err and "Read-only file system" in err and not (ws / "reports").exists()


def test_a_kernel_registered_for_a_removed_python_says_how_to_register_it(workspace, tmp_path, capsys, monkeypatch):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "00_hello.ipynb", cell("print('hello')"))
    spec = tmp_path / "kernels" / "strategy-kit"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    str(tmp_path / "removed-venv" / "python"),
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "old",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(report, "_kernel_spec_dirs", lambda scratch: [str(tmp_path / "kernels")])

    code, _, err = run_report(capsys, workspace, notebooks, monkeypatch)

    assert code == 2 and "Traceback" not in err
    assert "the 'strategy-kit' kernel cannot be started" in err and "removed-venv" in err
    assert "ipykernel install --sys-prefix --name strategy-kit" in err
