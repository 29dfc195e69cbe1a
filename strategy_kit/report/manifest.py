"""The run manifest written beside each report PDF (``manifest.json``): what made this report.

It says which version of strategy-kit wrote it and with which parameters, which data and inputs it
read (their SHA-256, so that anyone can check them again with ``sha256sum``), how long each step
took, how many pages the PDF has (and its own SHA-256), the warnings logged during the run and
the sections that said "not available", and the command that was run.

The imported data are identified by the hashes of the raw exports the import cache was built from
(and of client.yml, which says how they are read), not of the cache's table files: the exports
are what the client handed over and what an auditor can hash again, they are never modified, and
the same exports always give the same hashes, while the cache's bytes change with the versions of
pyarrow and of strategy-kit even when the data do not.
"""

from __future__ import annotations

import contextvars
import hashlib
import html
import json
import logging
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from strategy_kit import progress as run_progress
from strategy_kit.importer.cache import read_manifest
from strategy_kit.periods import Period
from strategy_kit.workspace import ClientPaths

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
# A heading (h1-h3) or a "not available" paragraph (strategy_kit.report.notebook.unavailable_html).
_MARKED = re.compile(
    r"<h(?P<level>[1-3])[^>]*>(?P<heading>.*?)</h(?P=level)>|<p class=\"sk-unavailable\">(?P<reason>.*?)</p>", re.S
)
_TAG = re.compile(r"<[^>]+>")


def manifest_name(pdf: Path) -> str:
    """``manifest.json`` beside ``report.pdf``; ``report-<topics>.manifest.json`` beside a report of
    some notebooks only, which never replaces the full report's manifest."""
    return MANIFEST_NAME if pdf.stem == "report" else f"{pdf.stem}.manifest.json"


def last_notebook_seconds(paths: ClientPaths) -> dict[str, float]:
    """How long each notebook took in the client's latest report that recorded it (any period), from
    the manifests under ``reports/<client>/``: notebook name -> seconds (empty before a first report)."""
    manifests = sorted(paths.reports.glob("*/*manifest.json"), key=_modified)
    seconds: dict[str, float] = {}
    for path in manifests:  # oldest first: a later run's figure replaces an earlier one
        try:
            recorded = json.loads(path.read_text(encoding="utf-8"))["timings_seconds"]["notebooks"]
            seconds.update({str(name): float(value) for name, value in recorded.items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # a damaged or older manifest only costs the order of the next run
    return seconds


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def product_version() -> str:
    try:
        return metadata.version("strategy-kit")
    except metadata.PackageNotFoundError:  # run from a source tree that was not installed
        return "unknown"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def imported_data(paths: ClientPaths) -> dict[str, Any]:
    """The raw exports the client's import cache was built from, each with its SHA-256, client.yml's,
    and the rows of each table imported."""
    cached = read_manifest(paths.cache) or {}
    files = []
    for entry in cached.get("files", []):
        path = paths.folder / entry["path"]
        try:
            files.append({"path": entry["path"], "bytes": path.stat().st_size, "sha256": sha256_file(path)})
        except OSError as exc:  # replaced or removed since: say so rather than fail a written report
            files.append({"path": entry["path"], "error": exc.strerror or type(exc).__name__})
    reports = cached.get("result", {}).get("reports", {})
    return {
        "hashed": "raw exports (data/<client>/raw/) and client.yml",
        "client_yml": {"path": "client.yml", "sha256": sha256_file(paths.config_file)},
        "exports": files,
        "tables": {name: reports.get(name, {}).get("rows") for name in cached.get("tables", [])},
    }


def input_files(paths: ClientPaths) -> list[dict[str, Any]]:
    """Each file of ``inputs/`` the notebooks read (not the earlier versions kept in history/)."""
    if not paths.inputs.is_dir():
        return []
    found = sorted(
        p for p in paths.inputs.rglob("*") if p.is_file() and "history" not in p.relative_to(paths.inputs).parts
    )
    return [{"path": p.relative_to(paths.folder).as_posix(), "sha256": sha256_file(p)} for p in found]


def _text(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", markup)).split())


def unavailable_sections(name: str, notebook: Any) -> list[dict[str, str | None]]:
    """The sections of an executed notebook that said "not available", in order: the heading shown
    last before each (None at the top of a chapter) and the reason as the reader sees it."""
    found: list[dict[str, str | None]] = []
    heading: str | None = None
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            markup = output.get("data", {}).get("text/html", "")
            markup = "".join(markup) if isinstance(markup, list) else markup
            for match in _MARKED.finditer(markup):
                if match["level"]:
                    heading = _text(match["heading"])
                else:
                    found.append({"notebook": name, "section": heading, "reason": _text(match["reason"])})
    return found


def notebook_warnings(name: str, notebook: Any) -> list[dict[str, str]]:
    """What a notebook wrote to stderr (Python warnings of the libraries, mostly): left out of the
    PDF, kept here."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = "".join(output.get("text", "")).strip()
                if text:
                    found.append({"source": f"notebook {name}", "message": text[:2000]})
    return found


_run: contextvars.ContextVar[str | None] = contextvars.ContextVar("strategy_kit_report_run", default=None)


def worker_context() -> contextvars.Context:
    """A context for a worker thread of the current run (:func:`kept_warnings`): the run's warnings
    are kept, and nothing else of the caller's context is shared. A copy of the whole context would
    also share jupyter_core's event loop, which it keeps per context once a caller has run
    anything of Jupyter's synchronously: two threads running one loop fail ("This event loop is
    already running")."""
    context = contextvars.Context()
    context.run(_run.set, _run.get())
    return context


class _Kept(logging.Handler):
    """Keeps the warnings logged in one run's context (its worker threads run in :func:`worker_context`)."""

    def __init__(self, run: str) -> None:
        super().__init__(logging.WARNING)
        self.run = run
        self.records: list[dict[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if _run.get() == self.run:
            self.records.append({"source": record.name, "level": record.levelname, "message": record.getMessage()})


@contextmanager
def kept_warnings() -> Iterator[list[dict[str, str]]]:
    """The warnings logged (at WARNING and above, by any logger) while the block runs, in this
    context only: another report rendered at the same time in the same process keeps its own.
    Worker threads must run in the run's context (``worker_context().run``)."""
    run = uuid.uuid4().hex
    token = _run.set(run)
    handler = _Kept(run)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
        _run.reset(token)


def build(
    parameters: dict[str, str],
    period: Period,
    stems: list[str],
    executed: list[Any],
    *,
    pdf: Path,
    pdf_name: str,
    pages: int,
    data: dict[str, Any],
    inputs: list[dict[str, Any]],
    timings: dict[str, Any],
    warnings: list[dict[str, str]],
) -> str:
    """The manifest's text (JSON) for a report whose PDF (``pdf``, still under its temporary name)
    is about to be put in place as ``pdf_name``."""

    def seconds(value: Any) -> Any:
        return {k: seconds(v) for k, v in value.items()} if isinstance(value, dict) else round(value, 3)

    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "product": {"name": "strategy-kit", "version": product_version()},
        "command": run_progress.command_line(),
        "written_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "parameters": {
            "client": parameters["client"],
            "period": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "language": parameters["language"],
            "notebooks": stems,
            "complete": pdf_name == "report.pdf",
        },
        "pdf": {"file": pdf_name, "pages": pages, "sha256": sha256_file(pdf)},
        "data": data,
        "inputs": inputs,
        "timings_seconds": seconds(timings),
        "warnings": warnings + [w for stem, nb in zip(stems, executed) for w in notebook_warnings(stem, nb)],
        "sections_not_available": [s for stem, nb in zip(stems, executed) for s in unavailable_sections(stem, nb)],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
