"""Importing one client: raw exports → validated canonical tables → cache.

``import_client`` runs an import (or reuses an up-to-date cache), ``load_sales_data`` returns
the cached tables. How one table is read, converted and checked is in
:mod:`strategy_kit.importer.session`; how findings become problems in
:mod:`strategy_kit.importer.problems`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from strategy_kit import locks
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.importer import cache
from strategy_kit.importer.derive import check_stage_ids
from strategy_kit.importer.lookups import import_order
from strategy_kit.importer.mapping import TableMapping, parse_import, resolve_files
from strategy_kit.importer.readers import RawFile, UnreadableFile, read_export
from strategy_kit.importer.result import ImportResult
from strategy_kit.importer.session import Loaded, Session
from strategy_kit.spreadsheet import csv_text
from strategy_kit.workspace import ClientPaths, Workspace


def import_client(
    workspace: Workspace | str | os.PathLike[str], client: str, lenient: bool = False, force: bool = False
) -> ImportResult:
    """Import a client's raw exports through the mapping of its client.yml (docs/mapping.md).

    Strict by default: any problem raises :class:`ImportValidationError` listing them all.
    ``lenient`` keeps the good rows and writes the rejected ones to .cache/rejected.csv.
    An up-to-date cache is reused unless ``force``.

    One import per client at a time: the import and the cache's writing hold the client's import
    lock (:mod:`strategy_kit.locks`); another import waits, then reuses the cache just written
    when it is up to date.
    """
    plan = _Plan.of(_workspace(workspace), client)
    if not force:
        cached = plan.cached_result(lenient)
        if cached is not None:
            return cached
    with plan.locked():
        if not force:
            cached = plan.cached_result(lenient)  # written by the run this one waited for
            if cached is not None:
                return cached
        with _reusing_memory():
            return plan.run(lenient)


def load_sales_data(workspace: Workspace | str | os.PathLike[str], client: str) -> SalesData:
    """The client's validated tables, from the cache, re-importing (strictly) if an export or
    client.yml changed since the last import (holding the client's import lock)."""
    plan = _Plan.of(_workspace(workspace), client)
    manifest = cache.read_manifest(plan.paths.cache)
    with _reusing_memory():
        if manifest is not None and plan.is_fresh(manifest):
            return _cached_data(plan, manifest)
        with plan.locked():
            manifest = cache.read_manifest(plan.paths.cache)
            if manifest is not None and plan.is_fresh(manifest):  # imported by the run this one waited for
                return _cached_data(plan, manifest)
            result = plan.run(lenient=False)
            frames = {name: _frame(table) for name, table in result.arrow_tables.items()}
            return SalesData(plan.config, frames, result.rejected)


def _cached_data(plan: _Plan, manifest: dict[str, Any]) -> SalesData:
    frames = {name: _frame(cache.read_table(plan.paths.cache, name)) for name in manifest["tables"]}
    excluded = {t: int(n) for t, n in manifest["result"].get("rejected", {}).items()}
    return SalesData(plan.config, frames, excluded)


def _frame(table: pa.Table) -> pd.DataFrame:
    """Ids and text stay Arrow-backed strings (no copy), categories become pandas categories."""
    return table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get, split_blocks=True, self_destruct=True)


@contextmanager
def _reusing_memory() -> Iterator[None]:
    """Allocate through pyarrow's jemalloc pool while importing: it keeps freed memory for the
    next table instead of handing it back to the system and faulting it in again, which made
    large imports a quarter slower. The previous default pool is restored afterwards."""
    try:
        pool = pa.jemalloc_memory_pool()
    except (NotImplementedError, AttributeError):
        yield
        return
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _workspace(workspace: Workspace | str | os.PathLike[str]) -> Workspace:
    return workspace if isinstance(workspace, Workspace) else Workspace.at(workspace)


# --------------------------------------------------------------------------- plan


@dataclass
class _Plan:
    paths: ClientPaths
    config: ClientConfig
    mappings: dict[str, TableMapping]
    files: dict[str, list[Path]]

    @classmethod
    def of(cls, workspace: Workspace, client: str) -> _Plan:
        paths = workspace.existing_client(client)
        config = workspace.load_config(client)
        mappings = parse_import(config.import_spec, paths.config_file)
        if "deals" in mappings:
            check_stage_ids(mappings["deals"].derive, config.stage_ids, str(paths.config_file))
        files = {table: resolve_files(paths.raw, m, paths.config_file) for table, m in mappings.items()}
        return cls(paths, config, mappings, files)

    @property
    def all_files(self) -> list[Path]:
        return sorted({p for paths in self.files.values() for p in paths})

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the client's import lock; the temporary files of imports that died are removed."""
        with locks.hold(locks.import_lock_file(self.paths.folder), f"import of {self.paths.name}"):
            locks.remove_dead_temporaries(self.paths.cache)
            yield

    def is_fresh(self, manifest: dict[str, Any]) -> bool:
        digest = cache.code_digest(self.paths.config_file)
        return cache.is_fresh(manifest, self.paths.folder, self.all_files, digest, self.paths.cache)

    def cached_result(self, lenient: bool) -> ImportResult | None:
        manifest = cache.read_manifest(self.paths.cache)
        if manifest is None or not self.is_fresh(manifest):
            return None
        result = ImportResult.from_dict(manifest["result"], from_cache=True)
        if result.lenient and not lenient and (result.rejected or result.warnings):
            return None  # a strict import must report the problems a lenient one set aside
        return result

    def run(self, lenient: bool) -> ImportResult:
        """Import every table. Three things overlap (pyarrow releases the GIL): reading and hashing
        the next table's files, converting and checking the current table, writing finished
        tables to the cache."""
        started = time.perf_counter()
        cache.start_writing(self.paths.cache)
        tables = self._in_order()
        with ThreadPoolExecutor(max_workers=1) as reader, ThreadPoolExecutor(max_workers=1) as writer:
            session = Session(self.config, self.paths, lenient, writer)
            upcoming = reader.submit(self._load, tables[0][1], self.files[tables[0][0]])
            for position, (table, mapping) in enumerate(tables):
                loaded = upcoming.result()
                if position + 1 < len(tables):
                    following = tables[position + 1]
                    upcoming = reader.submit(self._load, following[1], self.files[following[0]])
                session.add(table, mapping, loaded)
            result = session.finish()
            written = session.wait_for_writes()
        result.seconds = time.perf_counter() - started
        self._write_cache(result, session.stamps, written)
        return result

    def _in_order(self) -> list[tuple[str, TableMapping]]:
        """Each table after the tables it looks columns up from, otherwise the biggest first:
        their cache files are written while the smaller ones are imported."""

        def size(table: str) -> int:
            return sum(p.stat().st_size for p in self.files[table])

        return [(t, self.mappings[t]) for t in import_order(self.mappings, size)]

    def _load(self, mapping: TableMapping, files: list[Path]) -> list[Loaded]:
        loaded = []
        for path in files:
            name = path.relative_to(self.paths.folder).as_posix()
            try:
                raw: RawFile | UnreadableFile = read_export(path, name, mapping.format)
            except UnreadableFile as exc:
                raw = exc
            loaded.append(Loaded(path, name, raw, cache.stamp(path, self.paths.folder)))
        return loaded

    def _write_cache(self, result: ImportResult, stamps: dict[Path, cache.FileStamp], written: set[str]) -> None:
        folder = self.paths.cache
        cache.write_tables(folder, {t: table for t, table in result.arrow_tables.items() if t not in written})
        cache.remove_stale(folder, list(result.arrow_tables))
        if result.rejected_rows is not None:
            cache.write_text(folder / cache.REJECTED, csv_text(result.rejected_rows))
        else:
            (folder / cache.REJECTED).unlink(missing_ok=True)
        digest = cache.code_digest(self.paths.config_file)
        files = [stamps[p] if p in stamps else cache.stamp(p, self.paths.folder) for p in self.all_files]
        cache.write_manifest(folder, files, digest, list(result.arrow_tables), result.to_dict())
