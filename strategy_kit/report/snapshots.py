"""The KPI snapshots' files: ``data/<client>/history/<period>/<time>.json``, one per complete report.

Each complete report run ends with :func:`record_snapshot` (called by
:func:`strategy_kit.report.render.write_report` once the PDF is in place): the period's KPIs, targets
and year-end projection (:func:`strategy_kit.analytics.snapshots.take_snapshot`) are written as
JSON, atomically, in a new file; no file is ever replaced, so every projection made can later be
compared with what happened. The history lives beside the client's settings, not in ``raw/`` or
the cache, so it survives the exports being replaced. The notebooks read it with
:func:`read_history` before the run writes its own snapshot: a report compares with an earlier
run, never with itself.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import timezone
from pathlib import Path

from strategy_kit.analytics.snapshots import Snapshot, SnapshotFormatError, take_snapshot
from strategy_kit.errors import WorkspaceError
from strategy_kit.periods import Period
from strategy_kit.report.files import write_atomically
from strategy_kit.workspace import ClientPaths, Workspace, os_error_fix

logger = logging.getLogger(__name__)

HISTORY_FOLDER = "history"
HANDOVER_ENV = "STRATEGY_KIT_SNAPSHOT_FILE"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def history_dir(paths: ClientPaths) -> Path:
    """``data/<client>/history/``."""
    return paths.folder / HISTORY_FOLDER


def snapshot_path(paths: ClientPaths, snapshot: Snapshot) -> Path:
    """``history/<period label>/<creation time, UTC>.json`` (sortable by name)."""
    folder = _UNSAFE.sub("_", snapshot.period.label).strip(".") or "period"
    moment = snapshot.created.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return history_dir(paths) / folder / f"{moment}.json"


def save_snapshot(paths: ClientPaths, snapshot: Snapshot) -> Path:
    """Write ``snapshot`` in a new file of the client's history (never over another); returns it."""
    target = snapshot_path(paths, snapshot)
    text = _text(snapshot)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text)
    except OSError as exc:
        raise WorkspaceError(f"cannot write the KPI snapshot: {os_error_fix(exc, exc.filename or target)}") from None
    return target


@dataclass(frozen=True)
class History:
    """A client's snapshots, oldest first, and the files of its history that could not be read
    (path, why): a damaged file is reported, not a reason to stop a report."""

    snapshots: list[Snapshot]
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


def read_history(paths: ClientPaths) -> History:
    """Every snapshot under ``history/`` (none when the folder does not exist), oldest first."""
    folder = history_dir(paths)
    if not folder.is_dir():
        return History([])
    snapshots, unreadable = [], []
    for path in sorted(folder.glob("*/*.json")):
        try:
            snapshots.append(Snapshot.from_json(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, SnapshotFormatError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            logger.warning("KPI snapshot %s cannot be read (%s); it is left out", path, reason)
            unreadable.append((path, reason))
    snapshots.sort(key=lambda s: s.created)
    return History(snapshots, unreadable)


def load_snapshots(paths: ClientPaths) -> list[Snapshot]:
    """The client's snapshots, oldest first (:func:`read_history` without the unreadable files)."""
    return read_history(paths).snapshots


def hand_over(snapshot: Snapshot) -> Path | None:
    """In a report run, leave ``snapshot`` (the period's, taken by the overview notebook) for the run
    to record once the report is complete, instead of computing it again; the run names the file
    in ``$STRATEGY_KIT_SNAPSHOT_FILE``. Elsewhere (JupyterLab), nothing is written: None."""
    target = os.environ.get(HANDOVER_ENV)
    if not target:
        return None
    write_atomically(Path(target), _text(snapshot))
    return Path(target)


def _text(snapshot: Snapshot) -> str:
    return json.dumps(snapshot.to_json(), ensure_ascii=False, allow_nan=False, indent=1) + "\n"


def _handed_over(handed: Path | None, client: str, period: Period) -> Snapshot | None:
    """The snapshot the overview notebook left at ``handed``, if it did, for this client and period."""
    if handed is None or not handed.is_file():
        return None
    try:
        snapshot = Snapshot.from_json(json.loads(handed.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, SnapshotFormatError) as exc:
        logger.info("the snapshot left by the overview (%s) cannot be read (%s); it is taken again", handed, exc)
        return None
    return snapshot if (snapshot.client, snapshot.period) == (client, period) else None


def record_snapshot(
    workspace: Workspace, client: str, period: Period, complete: bool = True, handed: Path | None = None
) -> Path | None:
    """Save the snapshot of a complete report of ``client`` for ``period``; returns its file (a run
    of some notebooks only records nothing: None). It is the one the overview notebook handed over
    at ``handed`` (:func:`hand_over`), else it is taken here from the cache the report read. A
    history that cannot be written (a read-only data folder, a full disk) does not undo the
    report, which is in place already: a warning says what to fix, and None is returned."""
    if not complete:
        return None
    paths = workspace.client(client)
    snapshot = _handed_over(handed, client, period)
    if snapshot is None:
        from strategy_kit.importer import load_sales_data
        from strategy_kit.inputs.objectives import load_objectives
        from strategy_kit.kpis import KpiEngine

        data = load_sales_data(workspace, client)
        engine = KpiEngine(data)
        snapshot = take_snapshot(data, period, engine, load_objectives(paths.inputs, engine))
    try:
        return save_snapshot(paths, snapshot)
    except WorkspaceError as exc:
        logger.warning("%s. The report is written; the next report will compare with an earlier snapshot.", exc)
        return None
