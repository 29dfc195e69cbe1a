"""The cache of validated tables: reused while the exports and client.yml are unchanged, rebuilt when they change."""

from __future__ import annotations

import json
import os

import pyarrow as pa
import pytest

import strategy_kit
from strategy_kit.errors import ImportValidationError
from strategy_kit.importer import cache as table_cache
from strategy_kit.importer import engine, import_client, load_sales_data
from strategy_kit.importer.cache import MANIFEST

from import_fixtures import DEALS_CONFIG, GOOD_DEALS, digests, make_client


@pytest.fixture
def client(tmp_path):
    folder = make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS})
    return tmp_path, folder


def forbid_import(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the exports were read again")

    monkeypatch.setattr(engine._Plan, "run", fail)


def test_load_is_reachable_from_the_package(client):
    workspace, _ = client
    assert strategy_kit.load_sales_data is load_sales_data
    assert len(strategy_kit.load_sales_data(workspace, "acme").deals) == 3


def test_second_load_reads_the_cache_only(client, monkeypatch):
    workspace, folder = client
    first = load_sales_data(workspace, "acme")  # imports
    manifest = folder / ".cache" / MANIFEST
    stamp = manifest.stat().st_mtime_ns
    forbid_import(monkeypatch)
    second = load_sales_data(workspace, "acme")
    assert second.deals.equals(first.deals)
    assert manifest.stat().st_mtime_ns == stamp
    assert import_client(workspace, "acme").from_cache


def test_touching_an_export_without_changing_it_keeps_the_cache(client, monkeypatch):
    workspace, folder = client
    load_sales_data(workspace, "acme")
    deals = folder / "raw" / "deals.csv"
    os.utime(deals, ns=(deals.stat().st_atime_ns, deals.stat().st_mtime_ns + 5_000_000_000))
    forbid_import(monkeypatch)
    assert len(load_sales_data(workspace, "acme").deals) == 3


def test_a_changed_export_is_imported_again(client):
    workspace, folder = client
    assert len(load_sales_data(workspace, "acme").deals) == 3
    (folder / "raw" / "deals.csv").write_text(GOOD_DEALS + "4,Open,Prospecting,5,2024-04-01,,Cy\n", encoding="utf-8")
    deals = load_sales_data(workspace, "acme").deals
    assert deals["deal_id"].tolist() == ["1", "2", "3", "4"]


def test_a_new_file_matching_the_pattern_is_imported(tmp_path):
    config = DEALS_CONFIG.replace("[deals.csv]", '["deals*.csv"]')
    folder = make_client(tmp_path, config, {"deals.csv": GOOD_DEALS})
    assert len(load_sales_data(tmp_path, "acme").deals) == 3
    (folder / "raw" / "deals-2.csv").write_text(
        "ID,Status,Stage,Amount,Created,Closed,Owner\n9,Open,Prospecting,1,2024-04-01,,Cy\n", encoding="utf-8"
    )
    assert len(load_sales_data(tmp_path, "acme").deals) == 4


def test_a_changed_client_yml_is_imported_again(client):
    workspace, folder = client
    assert "owner" in load_sales_data(workspace, "acme").deals
    config = folder / "client.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("      owner: Owner\n", ""), encoding="utf-8")
    assert "owner" not in load_sales_data(workspace, "acme").deals


def test_a_broken_export_makes_the_load_fail_strictly(client):
    workspace, folder = client
    load_sales_data(workspace, "acme")
    (folder / "raw" / "deals.csv").write_text(GOOD_DEALS.replace("100", "-100"), encoding="utf-8")
    with pytest.raises(ImportValidationError):
        load_sales_data(workspace, "acme")


def test_force_imports_again(client):
    workspace, _ = client
    assert not import_client(workspace, "acme").from_cache
    assert import_client(workspace, "acme").from_cache
    assert not import_client(workspace, "acme", force=True).from_cache


def test_raw_files_are_never_modified(client):
    workspace, folder = client
    before = digests(folder / "raw")
    import_client(workspace, "acme")
    import_client(workspace, "acme", lenient=True, force=True)
    load_sales_data(workspace, "acme")
    assert digests(folder / "raw") == before


def test_a_crash_while_writing_leaves_no_cache_and_no_temporary_files(client, monkeypatch):
    workspace, folder = client
    load_sales_data(workspace, "acme")
    real_write = table_cache._write_ipc

    def crash(path, table):
        real_write(path, table)
        raise OSError("disk full")

    monkeypatch.setattr(table_cache, "_write_ipc", crash)
    with pytest.raises(OSError):
        import_client(workspace, "acme", force=True)
    cache = folder / ".cache"
    assert not (cache / MANIFEST).exists()
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.setattr(table_cache, "_write_ipc", real_write)
    assert len(load_sales_data(workspace, "acme").deals) == 3  # imported again, cleanly


def test_rejected_rows_file_disappears_after_a_clean_import(client):
    workspace, folder = client
    (folder / "raw" / "deals.csv").write_text(GOOD_DEALS + "4,Open,Nego,5,2024-04-01,,Cy\n", encoding="utf-8")
    import_client(workspace, "acme", lenient=True)
    assert (folder / ".cache" / "rejected.csv").exists()
    (folder / "raw" / "deals.csv").write_text(GOOD_DEALS, encoding="utf-8")
    import_client(workspace, "acme")
    assert not (folder / ".cache" / "rejected.csv").exists()


def test_a_lenient_cache_is_used_by_loads_and_reports_its_exclusions(client, monkeypatch):
    workspace, folder = client
    (folder / "raw" / "deals.csv").write_text(GOOD_DEALS + "4,Open,Nego,5,2024-04-01,,Cy\n", encoding="utf-8")
    import_client(workspace, "acme", lenient=True)
    forbid_import(monkeypatch)
    data = load_sales_data(workspace, "acme")
    assert len(data.deals) == 3
    assert data.excluded == {"deals": 1}


def test_summary_of_an_import(client):
    workspace, _ = client
    summary = import_client(workspace, "acme").summary()
    # GOOD_DEALS by hand: 3 deals created 2024-01-05..2024-02-01, closed 2024-02-01..2024-03-15,
    # one of each status, stages prospecting / qualification / won, owners Ana and Bob.
    assert "3 rows from raw/deals.csv" in summary
    assert "created 2024-01-05 → 2024-02-01" in summary
    assert "closed  2024-02-01 → 2024-03-15" in summary
    assert "status: open 1 · won 1 · lost 1" in summary
    assert "stages: prospecting 1 · qualification 1 · won 1" in summary
    assert "owners: 2 (Ana, Bob)" in summary
    assert "stage history" in summary and "inferred" in summary
    assert "excluded: no rows" in summary


def test_the_cached_tables_are_mapped_from_their_files_not_copied(tmp_path):
    rows = "".join(f"D{n}-{'x' * 200},Open,Prospecting,100,2024-01-05,,Ana\n" for n in range(2_000))
    folder = make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS.splitlines(keepends=True)[0] + rows})
    load_sales_data(tmp_path, "acme")  # imports
    size = table_cache.table_path(folder / ".cache", "deals").stat().st_size
    # stored as pandas holds texts (64-bit offsets): nothing to convert at each load
    assert table_cache.read_table(folder / ".cache", "deals").schema.field("deal_id").type == pa.large_string()
    before = pa.total_allocated_bytes()
    deals = load_sales_data(tmp_path, "acme").deals
    assert len(deals) == 2_000 and deals["deal_id"].str.len().min() > 200
    assert pa.total_allocated_bytes() - before < size / 10  # the 400 kB of ids are read in place


def test_a_cache_of_an_earlier_version_is_replaced_and_its_files_removed(client):
    workspace, folder = client
    load_sales_data(workspace, "acme")
    cache = folder / ".cache"
    (cache / "deals.parquet").write_bytes(b"PAR1 an earlier version's table")
    manifest = json.loads((cache / MANIFEST).read_text(encoding="utf-8"))
    (cache / MANIFEST).write_text(json.dumps({**manifest, "version": 2}), encoding="utf-8")
    assert not import_client(workspace, "acme").from_cache
    assert not list(cache.glob("*.parquet")) and (cache / "deals.arrow").is_file()
    assert len(load_sales_data(workspace, "acme").deals) == 3


def test_a_table_being_read_stays_whole_when_the_cache_is_rebuilt(client):
    workspace, folder = client
    deals = load_sales_data(workspace, "acme").deals
    ids = deals["deal_id"].tolist()
    (folder / "raw" / "deals.csv").write_text(GOOD_DEALS.replace(",100,", ",150,"), encoding="utf-8")
    assert not import_client(workspace, "acme").from_cache  # renames new files over the mapped ones
    assert deals["deal_id"].tolist() == ids
