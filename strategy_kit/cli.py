"""The ``strategy-kit`` command.

Exit codes: 0 success; 2 bad input or usage, including a file or folder of the user's that cannot
be read or written, a full disk or a read-only file system (a clear message, no traceback);
1 a bug of ours (a short message and the traceback, or where it was kept); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import os
import shutil
import sys
import traceback
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from strategy_kit import progress
from strategy_kit.errors import StrategyKitError, WorkspaceError
from strategy_kit.i18n import LANGUAGES
from strategy_kit.workspace import WORKSPACE_ENV, Workspace, os_error_fix

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit with code 2 and a hint (argparse's own default code too)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for the commands.\n")


def _cmd_new_client(args: argparse.Namespace, workspace: Workspace) -> int:
    paths = workspace.new_client(
        args.name,
        config_file=Path(args.config) if args.config else None,
        raw_dir=Path(args.raw) if args.raw else None,
        display_name=args.display_name,
        language=args.language,
    )
    print(f"Created {paths.folder}")
    print("  client.yml  settings and import mapping (edit it: docs/mapping.md)")
    print(f"  raw/        put the CRM exports here ({len(list(paths.raw.iterdir()))} file(s) now)")
    print("  inputs/     persona, SWOT and objectives entered in the notebooks")
    print(f"Next: strategy-kit import {args.name}")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace, workspace: Workspace) -> int:
    from strategy_kit.importer import import_client

    cache_dir = workspace.client(args.client).cache
    try:
        result = import_client(workspace, args.client, lenient=args.lenient, force=args.force)
    except OSError as exc:  # the cache is written atomically: a failure leaves none, never a partial one
        if exc.filename and Path(os.fsdecode(exc.filename)).absolute().is_relative_to(cache_dir):
            raise WorkspaceError(f"cannot write the import cache: {os_error_fix(exc)}") from None
        raise  # a raw file that cannot be read, and the rest: main() says which
    print(result.summary())
    return EXIT_OK


def _cmd_report(args: argparse.Namespace, workspace: Workspace) -> int:
    from strategy_kit.report import default_notebooks_dir, kernels
    from strategy_kit.report.batch import BatchError

    if args.all or len(args.clients) > 1 or args.jobs or args.scheduler:
        return _report_batch(args, workspace)
    if not args.clients:
        raise BatchError("report: give a client (strategy-kit report acme), several, or --all for every client")
    # The process the notebooks' kernels are forked from starts first: it imports while the
    # renderer loads (about half a second) and the data are read.
    with kernels.warm_process(sorted(default_notebooks_dir().glob("*.ipynb"))) as warm:
        from strategy_kit.report.render import write_report

        written = write_report(
            workspace,
            args.clients[0],
            period=args.period,
            language=args.language,
            notebooks=args.notebook or None,
            keep_html=not args.no_html,
            warm=warm,
        )
    print(written.summary(), file=sys.stderr)  # for a person; stdout keeps the PDF's path for scripts
    print(written.pdf)
    return EXIT_OK


def _report_batch(args: argparse.Namespace, workspace: Workspace) -> int:
    """Several clients' reports (docs/reports.md): a line per client as each ends, the totals, and
    the exit code of :func:`strategy_kit.report.batch.exit_code`."""
    import time

    from strategy_kit.report import batch

    if args.all and args.clients:
        raise batch.BatchError(f"report: give client names or --all, not both ({' '.join(args.clients)} and --all)")
    if args.jobs and args.scheduler:
        raise batch.BatchError("report: --jobs is for this machine; with --scheduler the Dask workers run the reports")
    tasks = batch.plan_batch(
        workspace,
        None if args.all else args.clients,
        period=args.period,
        language=args.language,
        notebooks=args.notebook or (),
        keep_html=not args.no_html,
    )
    width = max(len(task.client) for task in tasks)
    started = time.monotonic()
    outcomes = batch.run_batch(
        tasks,
        jobs=args.jobs or batch.default_jobs(tasks),
        scheduler=args.scheduler,
        on_outcome=lambda outcome: print(outcome.line(width), flush=True),
    )
    print(batch.totals(outcomes, time.monotonic() - started))
    code = batch.exit_code(outcomes)
    if code != EXIT_OK:
        print(f"error: {batch.failures(outcomes)}", file=sys.stderr)
    return code


def _jobs(text: str) -> int:
    """--jobs: a whole number, at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of 1 or more is expected (e.g. --jobs 2), not '{text}'")
    return int(text)


def _cmd_kpis(args: argparse.Namespace, workspace: Workspace) -> int:
    import json

    import pandas as pd

    from strategy_kit.context import load_context
    from strategy_kit.kpis import KpiEngine
    from strategy_kit.kpis.terminal import render_result

    context = load_context(args.client, args.period, args.language, workspace)
    config, language = context.config, context.language
    result = KpiEngine(context.data).compute(context.period, by=args.by or ())
    if args.format == "json":
        print(json.dumps(result.to_json(args.client), ensure_ascii=False, allow_nan=False, indent=2))
    elif args.format == "csv":
        table = result.table()
        table["value"] = pd.Series(  # counts as whole numbers, not 12.0
            [
                int(value) if unit == "count" and not pd.isna(value) else value
                for unit, value in zip(table["unit"], table["value"])
            ],
            index=table.index,
            dtype=object,
        )
        from strategy_kit.spreadsheet import write_csv

        write_csv(table)  # text cells a spreadsheet would run as formulas are neutralised
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        sys.stdout.write(render_result(result, config, language, width=width))
    return EXIT_OK


def _cmd_followups(args: argparse.Namespace, workspace: Workspace) -> int:
    import json

    from strategy_kit.analytics.followups import followup_exceptions
    from strategy_kit.context import resolve_language
    from strategy_kit.errors import ConfigError
    from strategy_kit.importer import load_sales_data
    from strategy_kit.narrative.followups import crm_tasks, exceptions_frame, findings, render_text
    from strategy_kit.spreadsheet import csv_text

    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        raise ConfigError(f"--as-of '{args.as_of}' is not a date: write it as 2026-09-30") from None
    config = workspace.load_config(args.client)  # no period: the rules look at one day
    language = resolve_language(args.language, config)
    result = followup_exceptions(load_sales_data(workspace, args.client), as_of)
    output = Path(args.output) if args.output else None
    if args.crm:
        text = csv_text(crm_tasks(result, args.crm, config, language), bom=True)  # BOM: Excel reads accents right
    elif args.format == "csv":
        frame = exceptions_frame(result, config, language)
        text = csv_text(frame, bom=output is not None)
    elif args.format == "json":
        text = json.dumps(_followups_json(result, args.client, config, language), ensure_ascii=False, indent=2) + "\n"
    else:
        lines = [finding.text for finding in findings(result, language)]
        text = "\n".join(lines) + "\n\n" + render_text(result, config, language)
    if output is not None:
        output.write_text(text, encoding="utf-8", newline="")
        print(f"{len(result.exceptions)} follow-up(s) written to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _followups_json(result: Any, client: str, config: Any, language: str) -> dict[str, Any]:
    """The exceptions as JSON: counts per rule (null: not checked), reasons, limits, reps, the list."""
    import pandas as pd

    from strategy_kit.narrative.followups import exceptions_frame

    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        clean = frame.astype(object).where(frame.notna(), None)
        return [
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}
            for row in clean.to_dict("records")
        ]

    shown = exceptions_frame(result, config, language)
    listed = result.exceptions.assign(action_text=shown["action"])
    return {
        "client": client,
        "as_of": result.as_of.isoformat(),
        "counts": result.counts(),
        "unavailable": {kind: reason.reason(language) for kind, reason in result.unavailable.items()},
        "thresholds": records(result.thresholds),
        "per_rep": records(result.per_rep),
        "exceptions": records(listed),
    }


def _cmd_scorecards(args: argparse.Namespace, workspace: Workspace) -> int:
    from strategy_kit.report.scorecards import write_scorecard_pdfs

    for path in write_scorecard_pdfs(workspace, args.client, period=args.period, language=args.language):
        print(path)
    return EXIT_OK


def _cmd_script(args: argparse.Namespace, workspace: Workspace) -> int:
    from strategy_kit.report.script import write_script_pdf

    print(write_script_pdf(workspace, args.client, period=args.period, language=args.language))
    return EXIT_OK


def _cmd_objectives(args: argparse.Namespace, workspace: Workspace) -> int:
    import json

    from strategy_kit.analytics.objectives import build_plan
    from strategy_kit.analytics.objectives_tracking import objectives_csv, plan_json, team_attainment, track_all
    from strategy_kit.context import load_context
    from strategy_kit.errors import ConfigError, UnavailableError
    from strategy_kit.inputs.objectives import load_objectives
    from strategy_kit.kpis import KpiEngine
    from strategy_kit.narrative.objectives import render_plan

    context = load_context(args.client, args.period, args.language, workspace)
    config, data, period, language = context.config, context.data, context.period, context.language
    engine = KpiEngine(data)
    objectives = load_objectives(workspace.client(args.client).inputs, engine)
    if objectives is None:
        raise ConfigError(
            f"client '{args.client}' has no objectives yet: write "
            f"{workspace.client(args.client).inputs / 'objectives.yml'} (docs/inputs.md, section "
            "objectives) or save the form of notebook 06"
        )
    plan = build_plan(data, objectives, engine)
    trackings = track_all(objectives, engine, period.end)
    try:
        attainment = team_attainment(plan.phasing, period, engine, config.fiscal_year_start_month)
    except UnavailableError:
        attainment = None  # the period is outside the objective's year
    if args.format == "json":
        print(
            json.dumps(
                plan_json(plan, trackings, attainment, args.client), ensure_ascii=False, allow_nan=False, indent=2
            )
        )
    elif args.format == "csv":
        from strategy_kit.spreadsheet import write_csv

        write_csv(objectives_csv(plan, trackings, attainment))
    else:
        sys.stdout.write(render_plan(plan, trackings, attainment, period, config, language, engine))
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, workspace: Workspace) -> int:
    from strategy_kit.demo import build_demo

    end = date.today() if args.today else (date.fromisoformat(args.end) if args.end else None)
    paths = build_demo(workspace, name=args.name, seed=args.seed, end=end, scale=args.scale, force=args.force)
    print(f"Demo client written to {paths.folder}")
    return EXIT_OK


def _cmd_clients(args: argparse.Namespace, workspace: Workspace) -> int:
    names = workspace.clients()
    print("\n".join(names) if names else f"No clients in {workspace.data_dir} yet: strategy-kit new-client NAME")
    return EXIT_OK


def _cmd_presets(args: argparse.Namespace, workspace: Workspace) -> int:
    from strategy_kit.importer.presets import PRESETS

    for name, preset in sorted(PRESETS.items()):
        print(f"{name:34s} {preset.table:14s} {preset.description}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="strategy-kit",
        description="Turn CRM exports into a sales strategy and periodic PDF reports.",
    )
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        help=f"folder holding data/ and reports/ (default: ${WORKSPACE_ENV}, else the current folder)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print nothing but errors: no progress, no summary (for scheduled runs; the exit code says how it went)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    new = commands.add_parser("new-client", help="create data/NAME/ with client.yml, raw/ and inputs/")
    new.add_argument("name")
    new.add_argument("--config", metavar="FILE", help="start from this client.yml (e.g. examples/maven-crm/client.yml)")
    new.add_argument("--raw", metavar="DIR", help="copy this folder of exports into raw/")
    new.add_argument("--display-name", help="name shown in reports (default: NAME)")
    new.add_argument("--language", choices=LANGUAGES, default="fr", help="report language (default: fr)")
    new.set_defaults(run=_cmd_new_client)

    imp = commands.add_parser("import", help="read, validate and cache a client's exports; print a summary")
    imp.add_argument("client")
    imp.add_argument("--lenient", action="store_true", help="import the good rows; write rejected rows with reasons")
    imp.add_argument("--force", action="store_true", help="re-import even when the cache is up to date")
    imp.set_defaults(run=_cmd_import)

    rep = commands.add_parser(
        "report",
        help="run the notebooks for a period and write reports/CLIENT/PERIOD/report.pdf (several clients, "
        "or --all: a line per client)",
    )
    rep.add_argument(
        "clients", nargs="*", metavar="CLIENT", help="the client; several make a batch (a line per client)"
    )
    rep.add_argument(
        "--all",
        action="store_true",
        help="every client of the workspace, a line each; a period without data is skipped",
    )
    rep.add_argument(
        "--period",
        help="2026-Q3, 2026-09, 2026, 2026-W36, START..END, last-month, last-quarter "
        "(default: the latest complete quarter in the data)",
    )
    rep.add_argument("--language", choices=LANGUAGES, help="override the client's report language")
    rep.add_argument("--notebook", action="append", metavar="NAME", help="only this notebook (repeatable)")
    rep.add_argument("--no-html", action="store_true", help="write the PDF only, without its HTML version")
    rep.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="with several clients: reports at once, each in its own process (default: half the processors)",
    )
    rep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run each client's report as a task on this Dask cluster (tcp://HOST:8786); needs strategy-kit[dask]",
    )
    rep.set_defaults(run=_cmd_report)

    kpi = commands.add_parser("kpis", help="every KPI of a period, with breakdowns (docs/kpis.md)")
    kpi.add_argument("client")
    kpi.add_argument(
        "--period",
        help="2026-Q3, 2026-09, 2026, 2026-W36, START..END, last-month, last-quarter "
        "(default: the latest complete quarter in the data)",
    )
    kpi.add_argument(
        "--by",
        action="append",
        metavar="DIMENSION",
        help="break down by owner, product, source, segment, region, sector, size_band, team... "
        "(repeatable, or a comma list)",
    )
    kpi.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table (default, readable in a terminal), json (the shape docs/kpis.md describes) or csv",
    )
    kpi.add_argument("--language", choices=LANGUAGES, help="labels of the table (default: the client's language)")
    kpi.set_defaults(run=_cmd_kpis)

    fol = commands.add_parser(
        "followups", help="overdue follow-ups as of a day, ranked by value at risk; a task list for your CRM"
    )
    fol.add_argument("client")
    fol.add_argument("--as-of", metavar="DATE", help="the day to check, e.g. 2026-09-30 (default: the data's last day)")
    fol.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (default, readable in a terminal), csv (one row per follow-up) or json",
    )
    fol.add_argument(
        "--crm",
        choices=("salesforce", "hubspot", "pipedrive"),
        help="write the task-import columns of this CRM (CSV, UTF-8 with BOM); see docs/followups.md",
    )
    fol.add_argument("--output", metavar="FILE", help="write to FILE instead of the terminal")
    fol.add_argument("--language", choices=LANGUAGES, help="words of the list (default: the client's language)")
    fol.set_defaults(run=_cmd_followups)

    card = commands.add_parser("scorecards", help="one scorecard PDF per rep: reports/CLIENT/PERIOD/scorecards/REP.pdf")
    card.add_argument("client")
    card.add_argument(
        "--period",
        help="2026-Q3, 2026-09, 2026, last-quarter... (default: the latest complete quarter in the data)",
    )
    card.add_argument("--language", choices=LANGUAGES, help="override the client's report language")
    card.set_defaults(run=_cmd_scorecards)

    script = commands.add_parser(
        "script", help="the call scripts, one page per persona or segment: reports/CLIENT/script.pdf"
    )
    script.add_argument("client")
    script.add_argument(
        "--period", help="the period whose data the drafts quote (default: the latest complete quarter)"
    )
    script.add_argument("--language", choices=LANGUAGES, help="override the client's report language")
    script.set_defaults(run=_cmd_script)

    obj = commands.add_parser("objectives", help="the objectives' plan (phasing, reverse funnel) and their tracking")
    obj.add_argument("client")
    obj.add_argument(
        "--period", help="the period tracked, e.g. 2026-Q3 (default: the latest complete quarter in the data)"
    )
    obj.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table (default, readable in a terminal), json or csv (one row per figure)",
    )
    obj.add_argument("--language", choices=LANGUAGES, help="labels of the table (default: the client's language)")
    obj.set_defaults(run=_cmd_objectives)

    demo = commands.add_parser("demo", help="generate the demo client's raw exports (data/demo)")
    demo.add_argument("--name", default="demo", help="client name (default: demo)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    demo.add_argument("--end", metavar="DATE", help="last day of the generated history (default: fixed, reproducible)")
    demo.add_argument("--today", action="store_true", help="end the history today instead of the fixed date")
    demo.add_argument(
        "--scale",
        choices=("demo", "enterprise"),
        default="demo",
        help="enterprise: 1,000,000 deals and 10,000,000 activities, for benchmarks",
    )
    demo.add_argument("--force", action="store_true", help="replace an existing demo client")
    demo.set_defaults(run=_cmd_demo)

    lst = commands.add_parser("clients", help="list the clients of the workspace")
    lst.set_defaults(run=_cmd_clients)
    pre = commands.add_parser("presets", help="list the import presets")
    pre.set_defaults(run=_cmd_presets)
    return parser


# OSErrors that are about the user's files or machine, not a bug of ours (when on their paths).
_USER_OS_ERRNOS = frozenset(
    {errno.EACCES, errno.EPERM, errno.ENOENT, errno.EISDIR, errno.ENOTDIR, errno.ELOOP, errno.ENAMETOOLONG}
)
# ... and those that are never a bug, wherever they happen (a full disk, a read-only file system).
_MACHINE_OS_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


def _user_paths(args: argparse.Namespace, workspace: Workspace | None) -> list[Path]:
    """The folders the command works on: the workspace and the paths given as options."""
    given = [getattr(args, name, None) for name in ("workspace", "raw", "config")]
    paths = [Path(p).expanduser().resolve() for p in given if p]
    return paths + ([workspace.root] if workspace is not None else [])


def _os_error_message(exc: OSError, args: argparse.Namespace, workspace: Workspace | None) -> str | None:
    """The message for an OSError that is the user's to fix (exit 2), or None for a bug of ours."""
    if exc.errno in _MACHINE_OS_ERRNOS:
        return os_error_fix(exc) if exc.filename else f"{exc.strerror}: free some space or use a writable folder"
    if exc.errno not in _USER_OS_ERRNOS or not exc.filename:
        return None
    path = Path(os.fsdecode(exc.filename)).expanduser().absolute()
    roots = _user_paths(args, workspace)
    if any(path.is_relative_to(root) or path.resolve().is_relative_to(root) for root in roots):
        return os_error_fix(exc)
    return None


def _report_bug(message: str | None = None) -> int:
    """Exit 1: a failure of strategy-kit itself; the traceback goes with the bug report."""
    if message is None:
        traceback.print_exc()
        message = "unexpected failure (traceback above)"
    print(
        f"error: {message}\nThis is a bug in strategy-kit; please report it with the command you ran.", file=sys.stderr
    )
    return EXIT_FAILURE


@contextlib.contextmanager
def _quiet(quiet: bool) -> Iterator[None]:
    """With --quiet, what the command prints as it goes and when it is done is dropped; the errors
    are printed by :func:`main` after the command has stopped, so they still show."""
    if not quiet:
        yield
        return
    with open(os.devnull, "w") as nowhere, contextlib.redirect_stdout(nowhere), contextlib.redirect_stderr(nowhere):
        yield


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code: 0 done, 2 the user's mistake (a message saying what
    to fix, no traceback), 1 a bug of ours (the traceback, or where it was kept), 130 interrupted."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error already explained by argparse
        return int(exit_.code or 0)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    workspace: Workspace | None = None
    # Progress on stderr (stdout keeps what scripts read: the report's path); --quiet: errors only.
    shown = progress.for_stream(sys.stderr, quiet=args.quiet)
    command = ["strategy-kit", *(sys.argv[1:] if argv is None else argv)]
    try:
        workspace = Workspace.at(args.workspace)
        with progress.using(shown, command), _quiet(args.quiet):
            return args.run(args, workspace)
    except StrategyKitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (`... | head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        message = _os_error_message(exc, args, workspace)
        if message is None:
            return _report_bug()
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # an unexpected failure: keep the traceback for the bug report
        report = sys.modules.get("strategy_kit.report.render")  # (imported only by the command that renders)
        if report is not None and isinstance(exc, report.ReportFailure):
            # a notebook hit a bug or its kernel failed: the message says where the traceback is kept
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        return _report_bug()


def entry() -> None:
    """The ``strategy-kit`` command: :func:`main`, then the process ends without Python walking,
    at exit, all the objects a report leaves (the PDF's layout, the notebooks): frozen, they are
    not collected (about a second after a report, measured on the demo client)."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
