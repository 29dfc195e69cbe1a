"""Helpers shared by the import tests: a client folder written from text, and the CLI."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

from strategy_kit.cli import main

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATASETS = SHARED / "datasets"


def make_client(root: Path, config: str, files: dict[str, str | bytes], name: str = "acme") -> Path:
    """Write data/<name>/client.yml and raw/ files under ``root``; return the client folder.

    ``config`` is dedented; text files are written as UTF-8, bytes as they are.
    """
    folder = root / "data" / name
    (folder / "raw").mkdir(parents=True, exist_ok=True)
    (folder / "inputs").mkdir(exist_ok=True)
    (folder / "client.yml").write_text(textwrap.dedent(config), encoding="utf-8")
    for file_name, content in files.items():
        path = folder / "raw" / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return folder


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def digests(folder: Path) -> dict[str, str]:
    """Content hash of every file under ``folder`` (to prove raw files are never modified)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# A small, valid deals mapping the error tests start from.
DEALS_CONFIG = """\
    display_name: Acme
    language: en
    timezone: Europe/Paris
    data_cutoff: 2024-06-30
    import:
      deals:
        files: [deals.csv]
        columns:
          deal_id: ID
          status: Status
          stage: Stage
          value: Amount
          created_at: Created
          closed_at: Closed
          owner: Owner
        values:
          status: {Open: open, Won: won, Lost: lost}
"""

GOOD_DEALS = (
    "ID,Status,Stage,Amount,Created,Closed,Owner\n"
    "1,Open,Prospecting,100,2024-01-05,,Ana\n"
    "2,Won,Won,250.5,2024-01-06,2024-02-01,Bob\n"
    "3,Lost,Qualification,80,2024-02-01,2024-03-15,Ana\n"
)
