"""Kernels forked from a warm process (strategy_kit.report.kernels): what it imports, which kernels
it may stand for, that each forked kernel is a process of its own, that the report's notebooks
come out the same from a forked kernel as from one started as a process, and that a report whose
warm process is gone still runs."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from test_report import cell, write_notebook
from test_report_failures import PERIOD, workspace  # noqa: F401  (the fixture)

from strategy_kit.cli import main
from strategy_kit.report import kernels
from strategy_kit.report import render as report

pytestmark = pytest.mark.skipif(not kernels.available(), reason="kernels are forked on Linux only")


def _notebook(folder: Path, name: str, *sources: str) -> Path:
    cells = [new_markdown_cell("# notes"), *(new_code_cell(source) for source in sources)]
    path = folder / name
    nbformat.write(new_notebook(cells=cells), path)
    return path


def test_the_warm_process_imports_what_the_notebooks_import_but_not_what_sets_itself_up_in_a_kernel(tmp_path):
    first = _notebook(
        tmp_path,
        "00_a.ipynb",
        "import html, json as j\nfrom strategy_kit.analytics import journey, overview",
        "%matplotlib inline",  # IPython, not Python: skipped
        "from strategy_kit.widgets.persona import PersonaForm\nimport ipywidgets\nfrom . import local",
        "def later():\n    import csv  # inside a function: imported when called, not at the top",
    )
    second = _notebook(tmp_path, "01_b.ipynb", "from matplotlib_inline.backend_inline import set_matplotlib_formats")
    broken = tmp_path / "02_c.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")  # papermill says what is wrong when it runs it
    not_a_notebook = tmp_path / "03_d.ipynb"
    not_a_notebook.write_text("[1, 2]", encoding="utf-8")

    modules = kernels.preloaded_modules([first, second, broken, not_a_notebook, tmp_path / "04_gone.ipynb"])

    assert modules[: len(kernels.ALWAYS)] == list(kernels.ALWAYS)
    assert modules[len(kernels.ALWAYS) :] == [
        "html",
        "json",
        "strategy_kit.analytics",
        "strategy_kit.analytics.journey",  # the names of a from-import may be modules
        "strategy_kit.analytics.overview",
    ]


def test_only_a_kernel_running_this_pythons_ipykernel_is_forked(tmp_path):
    registered = [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert kernels.forkable(registered)
    assert kernels.forkable([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    other_python = tmp_path / "python3"
    other_python.symlink_to(sys.executable)  # another environment's interpreter, even the same binary
    assert not kernels.forkable([str(other_python), "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not kernels.forkable([sys.executable, "-c", "print('a kernel of its own')", "k.json"])
    assert not kernels.forkable(["R", "--slave", "-e", "IRkernel::main()", "--args", "k.json"])
    assert not kernels.forkable([])


WHO_AM_I = """\
import gc, json, os, random, sys
from pathlib import Path
print(json.dumps({
    "pid": os.getpid(), "parent": os.getppid(), "group": os.getpgid(0),
    "name": Path("/proc/self/comm").read_text().strip(),
    "variable": os.environ.get("SK_TEST_VARIABLE"), "cwd": os.getcwd(),
    "widgets_imported": "ipywidgets" in sys.modules, "random": random.random(),
    "collecting": gc.isenabled(), "frozen": gc.get_freeze_count(),
}))
"""


def _printed(notebook) -> dict:
    return json.loads(notebook.cells[-1].outputs[0]["text"])


def test_each_forked_kernel_is_a_process_of_its_own_with_the_environment_asked_for(tmp_path):
    source = tmp_path / "notebooks" / "00_who.ipynb"
    write_notebook(source.parent, source.name, cell(WHO_AM_I))
    scratch = tmp_path / "scratch"
    (scratch / "executed").mkdir(parents=True)
    (scratch / "cwd").mkdir()
    parameters = {"client": "c", "period": "p", "language": "en", "workspace": str(tmp_path)}
    with kernels.warm_process([source]) as warm:
        assert warm is not None
        seen = [
            _printed(
                report.execute_notebook(
                    source, scratch / "executed" / f"{n}.ipynb", parameters, report._kernel_spec_dirs(scratch),
                    scratch / "cwd", scratch / "failed", {"SK_TEST_VARIABLE": f"run {n}"}, warm,
                )
            )
            for n in (1, 2)
        ]  # fmt: skip
        warm_pid = warm.pid

    assert [s["parent"] for s in seen] == [warm_pid, warm_pid]  # forked, not started as processes
    assert len({warm_pid, seen[0]["pid"], seen[1]["pid"]}) == 3
    assert [s["group"] for s in seen] == [s["pid"] for s in seen]  # each leads its group: signals reach it alone
    assert [s["name"] for s in seen] == [kernels.KERNEL_PROCESS_NAME] * 2
    assert [s["variable"] for s in seen] == ["run 1", "run 2"]
    assert [s["cwd"] for s in seen] == [str(scratch / "cwd")] * 2
    assert not seen[0]["widgets_imported"]  # left for the kernel to import, where it registers itself
    assert seen[0]["random"] != seen[1]["random"]  # each kernel draws its own random numbers
    # The kernel collects its garbage, but never walks (so never copies) the warm process's objects.
    assert all(s["collecting"] and s["frozen"] > 10_000 for s in seen)
    for kernel in seen:  # each stopped when its notebook ended, as a kernel started as a process
        assert not Path(f"/proc/{kernel['pid']}").exists()


def test_a_forked_kernel_shows_the_report_notebooks_as_a_kernel_started_as_a_process(tmp_path):
    # Two of the report's own notebooks, on the demo client: every output of every cell (texts,
    # tables, SVG charts, the forms' state) is the same whether the kernel was forked or started.
    root = tmp_path / "ws"
    assert main(["--workspace", str(root), "demo"]) == 0
    sources = [
        report.default_notebooks_dir() / name for name in ("01_customer_journey.ipynb", "02_lead_qualification.ipynb")
    ]
    parameters = {"client": "demo", "period": "2026-Q3", "language": "fr", "workspace": str(root)}

    def outputs(scratch: Path, warm: kernels.WarmProcess | None) -> list[list[list[dict]]]:
        (scratch / "executed").mkdir(parents=True)
        (scratch / "cwd").mkdir()
        executed = [
            report.execute_notebook(
                source, scratch / "executed" / source.name, parameters, report._kernel_spec_dirs(scratch),
                scratch / "cwd", scratch / "failed", None, warm,
            )
            for source in sources
        ]  # fmt: skip
        shown = [[cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"] for notebook in executed]
        # A form's widgets are new objects, with new random ids, in any kernel.
        return json.loads(re.sub(r'"model_id": "[0-9a-f]{32}"', '"model_id": "-"', json.dumps(shown)))

    with kernels.warm_process(sources) as warm:
        forked = outputs(tmp_path / "forked", warm)
    started = outputs(tmp_path / "started", None)

    assert sum(len(cell) for notebook in started for cell in notebook) > 40  # the notebooks showed a lot
    assert any("image/svg+xml" in o.get("data", {}) for cell in started[0] for o in cell)
    assert forked == started


def test_a_report_whose_warm_process_is_gone_starts_its_kernels_as_processes(
    workspace,  # noqa: F811  (the fixture)
    tmp_path,
    monkeypatch,
    caplog,
):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "00_who.ipynb", cell(WHO_AM_I))
    started = kernels.WarmProcess.start

    def gone_at_once(modules: list[str]) -> kernels.WarmProcess:
        warm = started(modules)
        os.kill(warm.pid, signal.SIGKILL)
        return warm

    monkeypatch.setattr(kernels.WarmProcess, "start", staticmethod(gone_at_once))
    with caplog.at_level(logging.INFO, logger="strategy_kit.report.render"):
        pdf = report.render_report(workspace, "fournil", period=PERIOD, notebooks_dir=notebooks)

    notebook = nbformat.read(pdf.parent / "notebooks" / "00_who.ipynb", as_version=4)
    assert _printed(notebook)["parent"] == os.getpid()  # started by the report itself
    assert any("kernel started as a process: the warm process did not answer" in r.getMessage() for r in caplog.records)


def test_a_forked_kernel_that_is_killed_is_seen_to_end(tmp_path):
    # The kernel is the warm process's child, not the report's: its end is read from /proc.
    with kernels.warm_process([]) as warm:
        assert warm is not None
        pid = warm.fork(tmp_path / "kernel.json", dict(os.environ), tmp_path, tmp_path / "kernel.log")
        kernel = kernels.ForkedKernel(pid)
        assert kernel.poll() is None
        kernel.kill()
        assert kernel.wait(timeout=10) == -signal.SIGKILL
        assert not Path(f"/proc/{pid}").exists()  # reaped by the system, no zombie left


def test_without_fork_there_is_no_warm_process(monkeypatch, tmp_path):
    monkeypatch.setattr(kernels, "available", lambda: False)
    with kernels.warm_process([_notebook(tmp_path, "00_a.ipynb", "import html")]) as warm:
        assert warm is None


def test_a_warm_process_no_kernel_was_forked_from_is_ended_at_once(tmp_path):
    # A report that stops on a mistake in its input (no such client) does not wait for the imports.
    with kernels.warm_process([_notebook(tmp_path, "00_a.ipynb", "import pandas")]) as warm:
        assert warm is not None
        process = warm._process
    assert process.returncode == -signal.SIGKILL
