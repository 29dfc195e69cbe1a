"""The Parquet cache of validated tables in ``data/<client>/.cache/``.

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
import pyarrow.parquet as pq

from strategy_kit.importer.presets import PRESET_DIR
from strategy_kit.importer.readers import FileScan, scan_file
from strategy_kit.schema import TABLES

CACHE_VERSION = 2  # bump when the importer's output changes meaning (2: deals inherit their lead's source)
MANIFEST = "manifest.json"
REJECTED = "rejected.csv"


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
    """Write the tables side by side (Parquet encoding releases the GIL)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda item: write_table(cache_dir, *item), tables.items()))


def write_table(cache_dir: Path, name: str, table: pa.Table) -> None:
    # LZ4 decompresses fastest; dictionary pages only for categories (ids would overflow them);
    # no statistics: the cache is always read whole.
    categories = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
    _atomic(
        cache_dir / f"{name}.parquet",
        lambda tmp: pq.write_table(table, tmp, compression="lz4", use_dictionary=categories, write_statistics=False),
    )


def read_table(cache_dir: Path, name: str) -> pa.Table:
    return pq.read_table(cache_dir / f"{name}.parquet", memory_map=True)


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
    for path in cache_dir.glob("*.parquet"):
        if path.stem not in tables:
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
