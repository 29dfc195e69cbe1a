"""``strategy-kit report --all`` (or several clients): every client in its own process, a line per
client (ok, failed with the reason, skipped when the period has no data), a run.log beside each
report, and an exit code naming the failures; the same batch on a Dask cluster (--scheduler).

The reports rendered are of one notebook (``--notebook overview``) on a three-deal client: 6 to 15 s
each on a 2-core machine; a failing client (a broken export) and a skipped one stop before any kernel.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from strategy_kit.cli import main
from strategy_kit.context import check_period_in_data
from strategy_kit.errors import PeriodError, PeriodWithoutDataError
from strategy_kit.periods import parse_period
from strategy_kit.report import batch
from strategy_kit.report.batch import ClientOutcome, ClientTask

from conftest import sales_data
from import_fixtures import DEALS_CONFIG, GOOD_DEALS, make_client

# The deals of 2022, with the data said to end on 2022-12-31: nothing in 2024-Q1.
CLOSED_CONFIG = DEALS_CONFIG.replace("data_cutoff: 2024-06-30", "data_cutoff: 2022-12-31")
CLOSED_DEALS = "ID,Status,Stage,Amount,Created,Closed,Owner\n1,Won,Won,300,2022-03-01,2022-05-02,Ana\n"
# The Amount column (mapped to value) is missing from the export: the import stops, naming it.
BROKEN_DEALS = "ID,Status,Stage,Created,Closed,Owner\n1,Open,Prospecting,2024-01-05,,Ana\n"
PERIOD = "2024-Q1"  # acme's deals run from 2024-01-05 to its data cutoff, 2024-06-30


def _workspace(root: Path, *clients: str) -> str:
    exports = {
        "acme": (DEALS_CONFIG, GOOD_DEALS),
        "broken": (DEALS_CONFIG, BROKEN_DEALS),
        "closed": (CLOSED_CONFIG, CLOSED_DEALS),
        "globex": (DEALS_CONFIG, GOOD_DEALS),
    }
    for name in clients:
        config, deals = exports[name]
        make_client(root, config, {"deals.csv": deals}, name=name)
    return str(root)


def _lines(out: str) -> dict[str, str]:
    """The summary lines by client: {'acme': 'ok       /…/report-overview.pdf (…)'}."""
    return {line.split()[0]: line.split(None, 1)[1] for line in out.splitlines() if not line[0].isdigit()}


def test_a_batch_with_a_failing_and_a_skipped_client_renders_the_others(tmp_path, capsys):
    workspace = _workspace(tmp_path, "acme", "broken", "closed")
    argv = ["--workspace", workspace, "report", "--all", "--period", PERIOD, "--notebook", "overview", "--no-html"]
    code = main([*argv, "--jobs", "2"])
    out, err = capsys.readouterr()

    assert code == 2, (out, err)  # the only failure is the user's to fix (a broken export)
    lines = _lines(out)
    assert sorted(lines) == ["acme", "broken", "closed"]
    reports = tmp_path / "reports"
    pdf = reports / "acme" / PERIOD / "report-overview.pdf"
    assert lines["acme"].startswith(f"ok       {pdf} (")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert lines["broken"].startswith("failed   ") and "column" in lines["broken"] and "Amount" in lines["broken"]
    assert lines["broken"].endswith(f"(log: {reports / 'broken' / PERIOD / 'run.log'})")
    assert lines["closed"].startswith(f"skipped  no data for {PERIOD}: the data cover 2022-03-01 to 2022-12-31")
    assert out.splitlines()[-1].startswith("3 clients in ") and out.endswith(": 1 ok, 1 failed, 1 skipped\n")
    assert "error: 1 of 3 client(s) failed: broken;" in err and "Traceback" not in err

    # A log beside each report: the command, then how it ended with the whole error.
    broken_log = (reports / "broken" / PERIOD / "run.log").read_text(encoding="utf-8")
    assert broken_log.startswith(f"strategy-kit report broken --period {PERIOD} --notebook overview --no-html")
    assert "failed after" in broken_log and "Amount" in broken_log
    assert "ok: " + str(pdf) in (reports / "acme" / PERIOD / "run.log").read_text(encoding="utf-8")
    closed_log = (reports / "closed" / PERIOD / "run.log").read_text(encoding="utf-8")
    assert "skipped after" in closed_log and "after the last day the data of client 'closed' covers" in closed_log

    # Without the broken client the batch succeeds: a skipped client is no failure (exit 0).
    assert main([*argv[:3], "acme", "closed", *argv[4:]]) == 0
    assert _lines(capsys.readouterr().out)["closed"].startswith("skipped")

    # One client alone, for a period without data, is refused: which period, what the data cover, what to do.
    assert main(["--workspace", workspace, "report", "closed", "--period", PERIOD]) == 2
    err = capsys.readouterr().err
    assert f"error: period {PERIOD} (2024-01-01 to 2024-03-31) starts on 2024-01-01, after the last day" in err
    assert "the data cover 2022-03-01 to 2022-12-31" in err and "Choose a period that overlaps them" in err


def test_a_bug_fails_its_client_with_exit_1_and_the_traceback_in_the_log(tmp_path, monkeypatch, capsys):
    import strategy_kit.report.render as render

    def broken_report(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(render, "write_report", broken_report)
    task = ClientTask(_workspace(tmp_path, "acme"), "acme", PERIOD)
    outcome = batch.render_client(task)  # what the client's process does
    assert (outcome.status, outcome.period, outcome.users_mistake) == ("failed", PERIOD, False)
    assert outcome.reason.startswith("ZeroDivisionError: division by zero (a bug in strategy-kit")
    assert "Traceback" in capsys.readouterr().err  # the process's stderr: kept in run.log
    user_failure = ClientOutcome("b", "failed", "bad export", users_mistake=True)
    assert batch.exit_code([outcome, user_failure]) == 1
    assert batch.exit_code([user_failure, ClientOutcome("c", "skipped", "no data")]) == 2
    assert batch.exit_code([ClientOutcome("c", "skipped", "no data"), ClientOutcome("d", "ok")]) == 0


def test_a_client_whose_process_is_killed_fails_alone_with_what_it_printed(tmp_path, monkeypatch):
    def killed(task):  # the out-of-memory killer's signal, after some output: no outcome written
        return -9, "", "loading the data\n"

    monkeypatch.setattr(batch, "_run_worker", killed)
    task = ClientTask(_workspace(tmp_path, "acme"), "acme", PERIOD)
    outcome = batch.run_client(task)
    assert outcome.status == "failed" and not outcome.users_mistake
    assert outcome.reason.startswith("the process rendering the report was stopped by SIGKILL (out of memory?)")
    log = tmp_path / "reports" / "acme" / "run.log"  # the period was never worked out
    assert outcome.log == str(log)
    assert "loading the data\nfailed after" in log.read_text(encoding="utf-8")


def test_the_batch_is_refused_before_anything_runs(tmp_path, capsys, monkeypatch):
    workspace = _workspace(tmp_path, "acme")
    refused = {
        "give a client": ["report", "--period", PERIOD],
        "not both": ["report", "acme", "--all"],
        "no client 'nobody'": ["report", "acme", "nobody"],
        "--notebook nothing: no such notebook": ["report", "--all", "--notebook", "nothing"],
        "a whole number of 1 or more": ["report", "--all", "--jobs", "0"],
        "with --scheduler the Dask workers": ["report", "--all", "--jobs", "2", "--scheduler", "tcp://127.0.0.1:1"],
    }
    for expected, argv in refused.items():
        assert main(["--workspace", workspace, *argv]) == 2, argv
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err, err
    assert main(["--workspace", str(tmp_path / "empty"), "report", "--all"]) == 2
    assert "no clients in" in capsys.readouterr().err

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the dask extra were not installed
    assert main(["--workspace", workspace, "report", "--all", "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "pip install 'strategy-kit[dask]'" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


def test_the_batch_runs_on_a_dask_cluster_of_two_workers(tmp_path, capsys):
    distributed = pytest.importorskip("distributed", reason="the dask extra: pip install 'strategy-kit[dask]'")
    workspace = _workspace(tmp_path, "acme", "globex", "closed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        argv = ["report", "--all", "--period", PERIOD, "--notebook", "overview", "--no-html"]
        code = main(["--workspace", workspace, *argv, "--scheduler", cluster.scheduler_address])
    out, err = capsys.readouterr()
    assert code == 0, (out, err)
    lines = _lines(out)
    for client in ("acme", "globex"):
        assert lines[client].startswith(f"ok       {tmp_path / 'reports' / client / PERIOD / 'report-overview.pdf'}")
        assert (tmp_path / "reports" / client / PERIOD / "run.log").is_file()
    assert lines["closed"].startswith("skipped  no data for 2024-Q1")


def test_a_period_outside_the_data_is_told_apart_from_a_bad_label():
    # The batch skips on PeriodWithoutDataError (a PeriodError: one client's report exits 2) and
    # fails on any other PeriodError (a label that is not a period).
    config = sales_data().config
    with pytest.raises(PeriodWithoutDataError) as raised:
        check_period_in_data(parse_period("2024-Q1"), config, date(2022, 3, 1), date(2022, 12, 31))
    assert (raised.value.period, raised.value.first, raised.value.last) == (
        "2024-Q1",
        date(2022, 3, 1),
        date(2022, 12, 31),
    )
    assert isinstance(raised.value, PeriodError) and str(raised.value).startswith("period 2024-Q1 (2024-01-01 to")


def test_by_default_a_batch_runs_one_report_per_processor_as_far_as_the_memory_holds_the_largest(monkeypatch):
    # A report writes its PDF on one processor: one report per two processors left the other idle.
    from strategy_kit.importer import cache
    from strategy_kit.report import batch, render

    mib, gib = 1024**2, 1024**3
    sizes = {"small": 14 * mib, "large": 2765 * mib}  # the demo's cached tables; the enterprise demo's
    monkeypatch.setattr(cache, "cached_bytes", lambda folder: sizes[Path(folder).parent.name])
    monkeypatch.setattr(render, "processors", lambda: 2)
    monkeypatch.setattr(render, "available_memory", lambda: 24 * gib)
    task = lambda client: batch.ClientTask(workspace="/srv/ws", client=client)  # noqa: E731

    # small: 2 kernels × (400 MiB + 2.5 × 14 MiB) = 870 MiB a report; 80 % of 24 GiB holds 22 of them
    assert batch.default_jobs([task("small"), task("small"), task("small")]) == 2  # one per processor
    assert batch.default_jobs([task("small")]) == 1  # no more than the clients
    # large: 2 × (400 MiB + 2.5 × 2765 MiB) = 14 625 MiB a report; 80 % of 24 GiB = 19 661 MiB holds 1
    assert batch.default_jobs([task("small"), task("large")]) == 1
    monkeypatch.setattr(render, "available_memory", lambda: 40 * gib)  # 32 768 MiB hold 2
    assert batch.default_jobs([task("small"), task("large")]) == 2
    monkeypatch.setattr(render, "available_memory", lambda: None)  # not Linux: one per two processors
    assert batch.default_jobs([task("small"), task("small")]) == 1
    monkeypatch.setattr(render, "processors", lambda: 8)
    assert batch.default_jobs([task("small")] * 8) == 4
    assert batch.default_jobs() == 4
