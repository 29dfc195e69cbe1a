"""The cache of validated tables in ``data/<client>/.cache/``: one Arrow IPC file per table.

The files are uncompressed so that they are read by memory-mapping them: loading the tables costs
next to nothing (no decoding), and the kernels of one report, each loading the same client, share
the pages of the ids and texts through the system's file cache instead of holding a copy each.

The cache is keyed on a fingerprint: the content hash (SHA-1) of every raw file read, the bytes
of client.yml, the presets and the importer's version. Checking it is cheap: a file whose
size and modification time are unchanged is trusted; otherwise its content is hashed again,
so touching or copying an export does not trigger a new import but changing it does.

Every file is written to a temporary name and renamed into place, and the manifest (which
says what the cache holds) is removed first and written last: a crash leaves no cache, never
a wrong one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc

from strategy_kit.importer.presets import PRESET_DIR
from strategy_kit.importer.readers import FileScan, scan_file
from strategy_kit.schema import TABLES

# Bump when the importer's output or the files change (2: deals inherit their lead's source; 3: Arrow
# IPC; 4: texts with 64-bit offsets).
CACHE_VERSION = 4
MANIFEST = "manifest.json"
REJECTED = "rejected.csv"
TABLE_SUFFIX = ".arrow"
OLD_TABLE_SUFFIXES = (".parquet",)  # tables of earlier cache versions, removed at the next import


@dataclass(frozen=True)
class FileStamp:
    path: str  # relative to the client folder, e.g. raw/deals.csv
    size: int
    mtime_ns: int
    digest: str


def stamp(path: Path, folder: Path, scan: FileScan | None = None) -> FileStamp:
    scan = scan or scan_file(path)
    return FileStamp(path.relative_to(folder).as_posix(), scan.size, scan.mtime_ns, scan.digest)


def code_digest(config_file: Path) -> str:
    """client.yml, the presets, the data model and the importer's version: what the import's
    result depends on besides the data."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"strategy-kit import cache {CACHE_VERSION}\n{TABLES!r}\n".encode())
    digest.update(config_file.read_bytes())
    for preset in sorted(PRESET_DIR.glob("*.yml")):
        digest.update(preset.name.encode() + preset.read_bytes())
    return digest.hexdigest()


def read_manifest(cache_dir: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((cache_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("version") == CACHE_VERSION else None


def is_fresh(manifest: dict[str, Any], folder: Path, files: list[Path], config_digest: str, cache_dir: Path) -> bool:
    """True when the manifest was built from exactly these files (same content) and this config.

    A file whose size and modification time are unchanged is trusted; another one is hashed, and
    when its content is unchanged its new time is recorded so that it is not hashed again."""
    if manifest.get("config") != config_digest:
        return False
    recorded = {f["path"]: FileStamp(**f) for f in manifest.get("files", [])}
    if sorted(recorded) != sorted(p.relative_to(folder).as_posix() for p in files):
        return False
    touched = False
    for path in files:
        name = path.relative_to(folder).as_posix()
        old, info = recorded[name], path.stat()
        if (info.st_size, info.st_mtime_ns) == (old.size, old.mtime_ns):
            continue
        if info.st_size != old.size:
            return False
        now = stamp(path, folder)
        if now.digest != old.digest:
            return False
        recorded[name], touched = now, True
    if touched:
        manifest = {**manifest, "files": [asdict(recorded[p.relative_to(folder).as_posix()]) for p in files]}
        _atomic(
            cache_dir / MANIFEST,
            lambda tmp: tmp.write_text(
                json.dumps(manifest, indent=1, ensure_ascii=False, default=str), encoding="utf-8"
            ),
        )
    return True


def start_writing(cache_dir: Path) -> None:
    """Invalidate the cache before replacing its tables."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    (cache_dir / MANIFEST).unlink(missing_ok=True)


def write_tables(cache_dir: Path, tables: dict[str, pa.Table]) -> None:
    """Write the tables side by side (writing releases the GIL)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda item: write_table(cache_dir, *item), tables.items()))


def write_table(cache_dir: Path, name: str, table: pa.Table) -> None:
    _atomic(table_path(cache_dir, name), lambda tmp: _write_ipc(tmp, _as_read(table)))


def _as_read(table: pa.Table) -> pa.Table:
    """Texts with 64-bit offsets, the layout pandas keeps them in: read as they are stored, not
    copied into it at every load (ten million ids: 0.3 s and 0.4 GB instead of 3-9 s and 0.8 GB)."""
    fields = [field.with_type(pa.large_string()) if pa.types.is_string(field.type) else field for field in table.schema]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


def _write_ipc(path: Path, table: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def read_table(cache_dir: Path, name: str) -> pa.Table:
    """The cached table, memory-mapped: its columns point into the file, which is only ever replaced
    (renamed over), never rewritten in place, so a table being read stays valid."""
    return ipc.open_file(pa.memory_map(str(table_path(cache_dir, name)))).read_all()


def table_path(cache_dir: Path, name: str) -> Path:
    return cache_dir / f"{name}{TABLE_SUFFIX}"


def cached_bytes(cache_dir: Path) -> int:
    """The size of the cached tables, what a kernel maps of them at most."""
    return sum(path.stat().st_size for path in cache_dir.glob(f"*{TABLE_SUFFIX}"))


def write_manifest(
    cache_dir: Path, stamps: list[FileStamp], config_digest: str, tables: list[str], result: dict[str, Any]
) -> None:
    manifest = {
        "version": CACHE_VERSION,
        "config": config_digest,
        "files": [asdict(s) for s in stamps],
        "tables": tables,
        "result": result,
    }
    text = json.dumps(manifest, indent=1, ensure_ascii=False, default=str)
    _atomic(cache_dir / MANIFEST, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def remove_stale(cache_dir: Path, tables: list[str]) -> None:
    """Remove the tables the last import did not write, and those of earlier cache versions."""
    for path in cache_dir.iterdir():
        if path.suffix in OLD_TABLE_SUFFIXES or (path.suffix == TABLE_SUFFIX and path.stem not in tables):
            path.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _atomic(target: Path, write: Callable[[Path], object]) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        if exc.filename:
            raise
        # pyarrow's errors name the file only in their text: give the error its path, so that it
        # is reported as a folder the user cannot write, not as a bug
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise type(exc)(exc.errno, reason, str(target.parent)) from exc
    finally:
        tmp.unlink(missing_ok=True)
