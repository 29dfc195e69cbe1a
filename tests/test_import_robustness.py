"""Shapes of real exports that used to crash the import or give wrong figures: each imports, or
exits 2 with a message naming the file, the rows and the fix (never a traceback)."""

from __future__ import annotations

import json
from datetime import datetime

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategy_kit.importer import load_sales_data
from strategy_kit.importer.derive import complete_stage_history

from import_fixtures import DEALS_CONFIG, GOOD_DEALS, make_client, run_cli

HEADER = "ID,Status,Stage,Amount,Created,Closed,Owner\n"

STAGES = """\
    stages:
      - {id: lead, fr: Piste, en: Lead}
      - {id: meeting, fr: Rendez-vous, en: Meeting}
      - {id: offer, fr: Offre, en: Offer}
      - {id: won, fr: Gagnée, en: Won}
"""

HISTORY_CONFIG = (
    "    display_name: History\n    language: en\n    data_cutoff: 2024-06-30\n"
    + STAGES
    + """\
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, stage: Stage, status: Status, closed_at: Closed}
        values:
          stage: {Closed Lost: null, Closed Won: won}
      stage_history:
        files: [history.csv]
        columns: {deal_id: Deal, stage: Stage, entered_at: Date}
        values:
          stage: {Closed Lost: null, Closed Won: won}
"""
)


def import_acme(tmp_path, capsys, *options: str) -> tuple[int, str]:
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme", *options)
    assert "Traceback" not in out + err
    return code, out + err


# --------------------------------------------------------------------------- duplicate ids


def test_a_duplicate_deal_id_with_a_stage_history_is_reported_not_a_crash(tmp_path, capsys):
    deals = "ID,Stage,Status,Closed\n1,Meeting,open,\n2,Offer,open,\n1,Lead,open,\n"
    history = "Deal,Stage,Date\n1,Lead,2024-01-01\n1,Meeting,2024-01-05\n2,Offer,2024-01-07\n"
    make_client(tmp_path, HISTORY_CONFIG, {"deals.csv": deals, "history.csv": history})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert "raw/deals.csv, column 'ID'" in text and "more than one row" in text and "(1 row: 4)" in text
    # lenient: the later duplicate (row 4) is rejected, the import completes with deals 1 and 2
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 0, text
    data = load_sales_data(tmp_path, "acme")
    assert data.deals.set_index("deal_id")["stage"].to_dict() == {"1": "meeting", "2": "offer"}
    # deal 1: lead and meeting recorded; deal 2: offer recorded, lead and meeting inferred
    history = data.tables["stage_history"]
    assert sorted(zip(history["deal_id"], history["stage"].astype(str), history["inferred"])) == [
        ("1", "lead", False),
        ("1", "meeting", False),
        ("2", "lead", True),
        ("2", "meeting", True),
        ("2", "offer", False),
    ]
    assert "2 rows from raw/deals.csv" in text
    assert "excluded from deals: 1 row(s)" in text


def test_ids_that_differ_only_by_spaces_are_duplicates(tmp_path, capsys):
    deals = 'ID,Stage,Status,Closed\n1,Meeting,open,\n" 1 ",Offer,open,\n2,Lead,open,\n'
    history = "Deal,Stage,Date\n1,Lead,2024-01-01\n 1,Meeting,2024-01-05\n"
    make_client(tmp_path, HISTORY_CONFIG, {"deals.csv": deals, "history.csv": history})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert "more than one row" in text and "(1 row: 3)" in text and "' 1 '" in text
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 0, text
    assert "2 rows from raw/deals.csv" in text


# --------------------------------------------------------------------------- stage history


def test_a_deal_won_then_lost_is_at_its_last_stage_before_won(tmp_path, capsys):
    # Deal 1 went Offer -> Closed Won -> Closed Lost (null): lost, so at offer (not won).
    # Deal 2 is won without a current stage: at won. Deal 3 is lost and its history ends with
    # Closed Won on the same day as Offer: still offer.
    deals = "ID,Stage,Status,Closed\n1,Closed Lost,lost,2024-03-01\n2,,won,2024-03-02\n3,,lost,2024-03-03\n"
    history = (
        "Deal,Stage,Date\n1,Lead,2024-01-01\n1,Offer,2024-01-10\n1,Closed Won,2024-02-01\n"
        "1,Closed Lost,2024-03-01\n2,Meeting,2024-01-03\n3,Offer,2024-01-04\n3,Closed Won,2024-01-04\n"
    )
    make_client(tmp_path, HISTORY_CONFIG, {"deals.csv": deals, "history.csv": history})
    code, text = import_acme(tmp_path, capsys)
    assert code == 0, text
    deals = load_sales_data(tmp_path, "acme").deals.set_index("deal_id")
    assert deals["stage"].to_dict() == {"1": "offer", "2": "won", "3": "offer"}


def test_an_open_deal_at_the_won_stage_is_a_problem(tmp_path, capsys):
    deals = "ID,Stage,Status,Closed\n1,Won,open,\n2,Won,won,2024-03-01\n3,Closed Won,lost,2024-03-01\n"
    make_client(tmp_path, HISTORY_CONFIG, {"deals.csv": deals, "history.csv": "Deal,Stage,Date\n"})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert "raw/deals.csv, column 'Stage': open or lost deals at the won stage 'won'" in text
    assert "(2 rows: 2, 4)" in text and "import: deals: values: status:" in text


STAGE_IDS = ["lead", "meeting", "offer", "won"]
_ids = st.sampled_from(["1", "2", "3", None])
_days = st.one_of(st.none(), st.integers(1, 4).map(lambda d: datetime(2024, 1, d)))


@st.composite
def _deals_and_history(draw):
    count = draw(st.integers(0, 5))
    deals = {
        "deal_id": pa.array([draw(_ids) for _ in range(count)], pa.string()),
        "status": pa.array([draw(st.sampled_from(["open", "won", "lost", None])) for _ in range(count)], pa.string()),
        # half the deals have no current stage: it then comes from the history
        "stage": pa.array([draw(st.one_of(st.none(), st.sampled_from(STAGE_IDS))) for _ in range(count)], pa.string()),
    }
    rows = draw(st.integers(0, 8))
    recorded = {
        "deal_id": pa.array([draw(st.sampled_from(["1", "2", "3", "9", None])) for _ in range(rows)], pa.string()),
        "stage": pa.array([draw(st.sampled_from(STAGE_IDS + ["other", None])) for _ in range(rows)], pa.string()),
        "entered_at": pa.array([draw(_days) for _ in range(rows)], pa.timestamp("ns")),
    }
    return deals, draw(st.one_of(st.none(), st.just(recorded)))


def _expected_path(status: str | None, given: str | None, rows: list[tuple[str, datetime | None]]):
    """The rule of docs/data-model.md, written out for one deal: (recorded rows kept, rows left
    out, current stage, furthest stage). ``rows`` are the deal's recorded (stage, entered_at)."""
    won = STAGE_IDS[-1]
    kept = [(stage, at) for stage, at in rows if stage in STAGE_IDS and (stage != won or status == "won")]
    left_out = sum(1 for stage, _ in rows if stage == won and status != "won")
    rank = STAGE_IDS.index
    if given is not None:
        current = given
    elif status == "won":
        current = won
    elif not kept:
        current = None
    elif status == "lost":  # lost where it went furthest
        current = max((stage for stage, _ in kept), key=rank)
    else:  # where it is now: the last entered (no date = earliest; equal dates: the furthest stage)
        current = max(kept, key=lambda r: (r[1] is not None, r[1] or datetime.min, rank(r[0])))[0]
    ranks = [rank(stage) for stage, _ in kept] + ([rank(current)] if current is not None else [])
    furthest = len(STAGE_IDS) - 1 if status == "won" else min(max(ranks, default=-1), len(STAGE_IDS) - 2)
    return kept, left_out, current, furthest


@settings(max_examples=400, deadline=None)
@given(_deals_and_history())
def test_stage_history_never_fails_and_keeps_won_and_lost_apart(shape):
    """Any deals (none, repeated or empty ids, any status) and any recorded rows (unknown deals,
    unknown stages, rows at won for deals that are not won, equal or missing dates): the history
    is built; a deal that is not won has no row at the won stage (recorded ones are left out and
    counted) and, without a stage in the export, is not at won; a won deal has a won row and,
    without a stage in the export, is at won; a deal without a stage in the export is at the
    furthest stage of its completed history (an open deal: its latest recorded stage, which is
    the furthest unless it moved back); every deal has passed every stage up to its furthest one."""
    deals, recorded = shape
    history = complete_stage_history(deals, STAGE_IDS, recorded, "test")
    current = deals["stage"] if history.current_stage is None else history.current_stage.cast(pa.string())
    stage, status = current.to_pylist(), deals["status"].to_pylist()
    given_stage, ids = deals["stage"].to_pylist(), deals["deal_id"].to_pylist()
    table = history.table.to_pandas()
    table["stage"] = table["stage"].astype(str)
    assert history.recorded + history.inferred == len(table)
    assert set(table["deal_id"].dropna()) <= set(ids)
    rows: dict[str, list] = {}
    if recorded is not None:
        assert len(history.unknown_deals) == len(recorded["deal_id"])
        known = set(ids) - {None}
        expected = [d is not None and d not in known for d in recorded["deal_id"].to_pylist()]
        assert history.unknown_deals.tolist() == expected
        for deal, at, entered in zip(*(recorded[c].to_pylist() for c in ("deal_id", "stage", "entered_at"))):
            rows.setdefault(deal, []).append((at, entered))
    left_out = 0
    for i, deal in enumerate(ids):
        if deal is None or ids.index(deal) != i:  # recorded rows go to the first deal with the id
            continue
        kept, dropped, expected_current, furthest = _expected_path(status[i], given_stage[i], rows.get(deal, []))
        left_out += dropped
        assert stage[i] == expected_current
        if ids.count(deal) != 1:  # later deals with the same id share the rows
            continue
        mine = table[table["deal_id"] == deal]
        assert sorted(mine.loc[~mine["inferred"], "stage"]) == sorted(s for s, _ in kept)
        assert set(mine["stage"]) == {s for s, _ in kept} | set(STAGE_IDS[: furthest + 1])
        if status[i] == "won":
            assert "won" in set(mine["stage"])
        else:
            assert "won" not in set(mine["stage"])
        if given_stage[i] is None:
            assert (stage[i] == "won") == (status[i] == "won")
            path = mine["stage"].map(STAGE_IDS.index)
            if status[i] != "open" and status[i] is not None or stage[i] is None:
                assert (STAGE_IDS.index(stage[i]) if stage[i] else -1) == (path.max() if len(path) else -1)
            else:  # open: where it is now, never beyond where it went
                assert STAGE_IDS.index(stage[i]) <= path.max()
    assert history.won_left_out == left_out
    assert bool(history.warnings) == bool(left_out)
    if left_out:
        assert f"{left_out:,} recorded row(s) at the won stage 'won' left out" in history.warnings[0]


def test_an_open_and_a_lost_deal_recorded_closed_won_do_not_convert(tmp_path, capsys):
    """Both deals went Lead -> Closed Won; deal 2 then Closed Lost (no stage). Neither is won, so
    neither has a won row, and both are at lead (the furthest stage they reached before won)."""
    config = (
        "    display_name: X\n    language: en\n    data_cutoff: 2026-06-30\n    stages:\n"
        "      - {id: lead, fr: Piste, en: Lead}\n      - {id: proposal, fr: Offre, en: Proposal}\n"
        "      - {id: won, fr: Gagnée, en: Won}\n"
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: Id, status: Status, stage: Stage, created_at: Created, closed_at: Closed, value: Amount}
        values:
          status: {Open: open, Lost: lost, Won: won}
      stage_history:
        files: [history.csv]
        columns: {deal_id: Id, stage: Stage, entered_at: At}
        values:
          stage: {Lead: lead, Closed Won: won, Closed Lost: null}
"""
    )
    deals = "Id,Status,Stage,Created,Closed,Amount\n1,Open,,2026-01-01,,10\n2,Lost,,2026-01-01,2026-02-01,10\n"
    history = (
        "Id,Stage,At\n1,Lead,2026-01-01\n1,Closed Won,2026-01-10\n"
        "2,Lead,2026-01-01\n2,Closed Won,2026-01-10\n2,Closed Lost,2026-02-01\n"
    )
    make_client(tmp_path, config, {"deals.csv": deals, "history.csv": history})
    code, text = import_acme(tmp_path, capsys)
    assert code == 0, text
    assert "warning: stage_history: 2 recorded row(s) at the won stage 'won' left out" in text
    assert "stages: lead 2" in text and "2 rows: 2 from table stage_history" in text and "0 inferred" in text
    data = load_sales_data(tmp_path, "acme")
    assert data.deals.set_index("deal_id")["stage"].astype(str).to_dict() == {"1": "lead", "2": "lead"}
    history_rows = data.tables["stage_history"]
    assert sorted(zip(history_rows["deal_id"], history_rows["stage"].astype(str), history_rows["inferred"])) == [
        ("1", "lead", False),
        ("2", "lead", False),
    ]
    code, out, err = run_cli(
        capsys, "--workspace", str(tmp_path), "kpis", "acme", "--period", "2026-01", "--format", "json"
    )
    assert code == 0 and "Traceback" not in err
    kpis = json.loads(out)["kpis"]
    # KPIS.md: stage_conversion.<stage> = among deals that entered <stage> in P, the share that later
    # reached a later stage or were won. P = January 2026.
    # lead: deals 1 and 2 entered lead on 2026-01-01; neither reached proposal or won -> 0 / 2 = 0.0
    # proposal: no deal entered proposal (the Closed Won rows are left out) -> 0 / 0 = null (was 1.0)
    assert kpis["stage_conversion.lead"] == 0.0
    assert kpis["stage_conversion.proposal"] is None


# --------------------------------------------------------------------------- numbers


def test_infinite_absurd_and_word_amounts_are_refused(tmp_path, capsys):
    deals = (
        HEADER + "1,Open,Prospecting,1e400,2024-01-05,,Ana\n2,Open,Prospecting,1e300,2024-01-05,,Ana\n"
        "3,Open,Prospecting,-2e15,2024-01-05,,Ana\n4,Open,Prospecting,999999999999999,2024-01-05,,Ana\n"
        "5,Open,Prospecting,nan,2024-01-05,,Ana\n6,Open,Prospecting,Infinity,2024-01-05,,Ana\n"
    )
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    # 1e400 (infinite), 1e300 and -2e15 are beyond 1e15; 999999999999999 (< 1e15) is fine
    assert "raw/deals.csv, column 'Amount': amounts above 10^15 (1e15) in absolute value (mapped to value)" in text
    assert "(3 rows: 2, 3, 4)" in text and "'1e400', '1e300', '-2e15'" in text and "GDP" in text
    assert "values that are not numbers (mapped to value) (2 rows: 6, 7); e.g. 'nan', 'Infinity'" in text
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 0, text
    assert load_sales_data(tmp_path, "acme").deals["value"].tolist() == [999999999999999.0]


def test_word_numbers_after_the_sampled_rows_are_refused(tmp_path, capsys):
    # the first 500 values decide the fast path: "inf" on row 602 must still be refused
    rows = "".join(f"{i},Open,Prospecting,{i},2024-01-05,,Ana\n" for i in range(1, 601))
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": HEADER + rows + "601,Open,Prospecting,inf,2024-01-05,,Ana\n"})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert "values that are not numbers (mapped to value) (1 row: 602); e.g. 'inf'" in text


def test_absurd_whole_numbers_are_refused_in_every_number_column(tmp_path, capsys):
    config = (
        DEALS_CONFIG
        + """\
      accounts:
        files: [accounts.csv]
        columns: {account_id: Company, employees: Staff, annual_revenue: Revenue}
    """
    )
    accounts = "Company,Staff,Revenue\nA,12,1000\nB,1e300,2000\nC,40,1e16\nD,-1e20,5\n"
    make_client(tmp_path, config, {"deals.csv": GOOD_DEALS, "accounts.csv": accounts})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert (
        "raw/accounts.csv, column 'Staff': numbers above 10^15 (1e15) in absolute value (mapped to employees)" in text
    )
    assert "(2 rows: 3, 5); e.g. '1e300', '-1e20'" in text
    assert "column 'Revenue': amounts above 10^15 (1e15)" in text and "(1 row: 4)" in text


# --------------------------------------------------------------------------- quotes


def _assert_unclosed_quote(tmp_path, capsys, deals: str, where: str) -> None:
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    for options in ((), ("--lenient",)):  # a file that cannot be split stops even a lenient import
        code, text = import_acme(tmp_path, capsys, *options)
        assert code == 2, text
        assert f'raw/deals.csv: a quote (") opened on {where} is never closed' in text
        assert "fix: close the quote" in text


def test_an_unclosed_quote_in_a_long_file_is_reported_with_its_row(tmp_path, capsys):
    # 3 000 rows (about 120 kB) after the quote: more than the CSV reader's field limit
    rows = "".join(f"{i},Open,Prospecting,1,2024-01-05,,Ana\n" for i in range(3, 3003))
    deals = HEADER + '1,Open,Prospecting,1,2024-01-05,,Ana\n2,Open,"Prospecting,1,2024-01-05,,Ana\n' + rows * 2
    _assert_unclosed_quote(tmp_path, capsys, deals, "row 3")


def test_an_unclosed_quote_in_the_last_column_is_reported(tmp_path, capsys):
    # the rows after it would otherwise be read silently as part of Ana's name
    deals = (
        HEADER
        + '1,Open,Prospecting,1,2024-01-05,,Ana\n2,Open,Prospecting,1,2024-01-05,,"Bob\n3,Open,Prospecting,1,2024-01-05,,Ana\n'
    )
    _assert_unclosed_quote(tmp_path, capsys, deals, "row 3")


def test_the_row_of_an_unclosed_quote_counts_rows_not_lines(tmp_path, capsys):
    deals = HEADER + '1,Open,Prospecting,1,2024-01-05,,"Ana\nMaria"\n2,Open,"Prospecting,1,2024-01-05,,Ana\n'
    _assert_unclosed_quote(tmp_path, capsys, deals, "row 3 (line 4 of the file)")


def test_stray_quotes_and_very_long_quoted_values_import(tmp_path, capsys):
    # a quote inside an unquoted value (12" screen) is kept; a quoted value of 200 kB is read whole
    long_name = "x" * 200_000
    deals = (
        "ID,Status,Stage,Amount,Created,Closed,Owner,Name\n"
        '1,Open,Prospecting,1,2024-01-05,,Ana,12" screen\n'
        f'2,Open,Prospecting,1,2024-01-05,,Ana,"{long_name}"\n'
        "3,Open,Prospecting,1,2024-01-05,,Ana,a,b\n"
    )  # one field too many
    config = DEALS_CONFIG.replace("owner: Owner", "owner: Owner\n          name: Name")
    make_client(tmp_path, config, {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 0, text
    names = load_sales_data(tmp_path, "acme").deals["name"].tolist()
    assert names == ['12" screen', long_name]


def test_an_unclosed_quote_is_found_when_a_stray_quote_makes_the_quotes_even(tmp_path, capsys):
    # row 2 holds 12" (one stray quote), row 4 opens "big and never closes it: two quotes in all.
    # Both parsers would read rows 5 and 6 as part of row 4's note (3 deals instead of 5).
    deals = (
        "ID,Status,Stage,Amount,Created,Closed,Owner,Note\n"
        '1,Open,Prospecting,1,2024-01-05,,Ana,12" screen\n'
        "2,Open,Prospecting,1,2024-01-05,,Ana,ok\n"
        '3,Open,Prospecting,1,2024-01-05,,Ana,"big\n'
        "4,Open,Prospecting,1,2024-01-05,,Ana,x\n"
        "5,Open,Prospecting,1,2024-01-05,,Ana,y\n"
    )
    _assert_unclosed_quote(tmp_path, capsys, deals, "row 4")


def test_a_quote_closed_rows_later_by_a_stray_quote_is_reported(tmp_path, capsys):
    # row 3 opens a quote that a stray quote on row 5 closes: rows 4 and 5 would be one value
    deals = (
        HEADER + "1,Open,Prospecting,1,2024-01-05,,Ana\n"
        '2,Open,Prospecting,1,2024-01-05,,"Bob\n'
        "3,Open,Prospecting,1,2024-01-05,,Ana\n"
        '4,Open,Prospecting,1,2024-01-05,,Ana"\n'
        "5,Open,Prospecting,1,2024-01-05,,Ana\n"
    )
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 2, text
    assert 'a quote (") opened on row 3 is closed only 3 lines further down' in text


def test_a_quoted_note_over_several_lines_imports(tmp_path, capsys):
    # a legitimate value with line breaks (lines without the separators of a row): 2 deals
    deals = (
        HEADER.replace("Owner", "Owner,Note") + '1,Open,Prospecting,1,2024-01-05,,Ana,"call back\nthen, mail"\n'
        "2,Open,Prospecting,1,2024-01-05,,Ana,ok\n"
    )
    config = DEALS_CONFIG.replace("owner: Owner", "owner: Owner\n          name: Note")
    make_client(tmp_path, config, {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys)
    assert code == 0, text
    assert load_sales_data(tmp_path, "acme").deals["name"].tolist() == ["call back\nthen, mail", "ok"]


# --------------------------------------------------------------------------- encodings and file shapes


def _xlsx(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [line.split(",") for line in GOOD_DEALS.strip().split("\n")]
XLSX_CONFIG = DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.xlsx]")


def _imports_the_good_deals(tmp_path, capsys, *options: str) -> None:
    code, text = import_acme(tmp_path, capsys, *options)
    assert code == 0, text
    deals = load_sales_data(tmp_path, "acme").deals
    assert deals["deal_id"].tolist() == ["1", "2", "3"] and deals["owner"].tolist() == ["Ana", "Bob", "Ana"]


def test_utf16_without_a_byte_order_mark_is_read(tmp_path, capsys):
    for codec in ("utf-16-le", "utf-16-be"):
        make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS.replace("Ana", "Chloé").encode(codec)})
        code, text = import_acme(tmp_path, capsys)
        assert code == 0, text
        assert load_sales_data(tmp_path, "acme").deals["owner"].tolist() == ["Chloé", "Bob", "Chloé"]


def test_utf16_read_with_a_wrong_declared_encoding_names_the_encoding(tmp_path, capsys):
    config = DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.csv]\n        format: {encoding: latin-1}")
    make_client(tmp_path, config, {"deals.csv": GOOD_DEALS.encode("utf-16-le")})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    # one problem naming the encoding to set, not one garbled missing header per column
    assert "1 problem(s)" in text and "UTF-16" in text and "format: encoding: utf-16-le" in text
    assert "\\x00" not in text and "\x00" not in text


def test_nul_bytes_in_a_utf8_file_do_not_make_it_utf16(tmp_path, capsys):
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS.replace("Bob", "B\x00ob").encode()})
    code, text = import_acme(tmp_path, capsys)
    assert code == 0, text
    assert load_sales_data(tmp_path, "acme").deals["deal_id"].tolist() == ["1", "2", "3"]


def test_a_workbook_whose_first_sheet_is_notes_names_the_sheet_to_read(tmp_path, capsys):
    book = _xlsx([("Read me", [["Exported from the CRM"], ["2024-06-30"]]), ("Deals", GOOD_ROWS)])
    make_client(tmp_path, XLSX_CONFIG, {"deals.xlsx": book})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert "raw/deals.xlsx: no column 'ID' (for columns: deal_id) in sheet 'Read me'" in text
    assert "the headers are in sheet 'Deals': set 'import: deals: format: sheet: \"Deals\"'" in text
    assert "the workbook's sheets: 'Read me', 'Deals'" in text


def test_a_workbook_without_the_headers_lists_its_sheets(tmp_path, capsys):
    book = _xlsx([("Read me", [["Exported from the CRM"]]), ("Summary", [["Total", 3]])])
    make_client(tmp_path, XLSX_CONFIG, {"deals.xlsx": book})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert (
        "set 'import: deals: format: sheet:' to the sheet holding the data (the workbook's sheets: 'Read me', 'Summary')"
        in text
    )


def test_sheet_names_match_ignoring_case(tmp_path, capsys):
    config = DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.xlsx]\n        format: {sheet: ' deals '}")
    make_client(tmp_path, config, {"deals.xlsx": _xlsx([("Notes", [["x"]]), ("Deals", GOOD_ROWS)])})
    _imports_the_good_deals(tmp_path, capsys)


def test_an_empty_sheet_is_reported(tmp_path, capsys):
    make_client(tmp_path, XLSX_CONFIG, {"deals.xlsx": _xlsx([("Deals", [])])})
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 2, text
    assert "raw/deals.xlsx: sheet 'Deals' is empty" in text and "format: sheet" in text


def test_files_are_read_by_their_content_not_their_name(tmp_path, capsys):
    # a CSV saved as deals.xlsx, then a workbook saved as deals.csv
    make_client(tmp_path, XLSX_CONFIG, {"deals.xlsx": GOOD_DEALS})
    _imports_the_good_deals(tmp_path, capsys)
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": _xlsx([("Deals", GOOD_ROWS)])}, name="other")
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "other")
    assert code == 0, out + err


def test_an_old_xls_workbook_is_refused_with_the_fix(tmp_path, capsys):
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert "raw/deals.csv: an old Excel workbook (.xls)" in text and "save it as .xlsx or .csv" in text


def test_a_file_with_only_a_byte_order_mark_has_no_header(tmp_path, capsys):
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": b"\xef\xbb\xbf"})
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 2, text
    assert "raw/deals.csv: no header row" in text


def test_a_header_without_a_line_break_imports_no_rows_with_a_warning(tmp_path, capsys):
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": HEADER.strip().encode()})
    code, text = import_acme(tmp_path, capsys)
    assert code == 0, text
    assert "0 rows from raw/deals.csv" in text and "deals: no rows imported" in text


def test_a_10_mb_single_line_file_is_refused(tmp_path, capsys):
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": b"ID," + b"x" * 10_000_000})
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 2, text
    assert "raw/deals.csv: no line break in the first 64 kB" in text
    assert len(text) < 2000  # the line is not printed


def test_mixed_line_endings_import(tmp_path, capsys):
    lines = GOOD_DEALS.split("\n")
    make_client(
        tmp_path, DEALS_CONFIG, {"deals.csv": (lines[0] + "\r\n" + lines[1] + "\r" + "\n".join(lines[2:])).encode()}
    )
    _imports_the_good_deals(tmp_path, capsys)


def test_a_repeated_header_is_numbered(tmp_path, capsys):
    # "ID" and "id" differ in case: two headers, each read by its exact name (no numbering)
    deals = "ID,Status,Stage,Amount,Created,Closed,Owner,id\n1,Open,Prospecting,1,2024-01-05,,Ana,A-1\n"
    config = DEALS_CONFIG.replace("owner: Owner", "owner: Owner\n          account_id: id")
    make_client(tmp_path, config, {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys)
    assert code == 0, text
    deals = load_sales_data(tmp_path, "acme").deals
    assert deals[["deal_id", "account_id"]].values.tolist() == [["1", "A-1"]]


def test_a_repeated_header_skips_a_number_a_real_header_has(tmp_path, capsys):
    # headers Id, Id, Id (2): the second "Id" becomes "Id (3)", so "Id (2)" reads the real
    # "Id (2)" column (value b), never the second "Id" (value a)
    deals = "Id,Id,Id (2),Status,Stage,Amount,Created,Closed,Owner\n1,a,b,Open,Prospecting,1,2024-01-05,,Ana\n"
    config = DEALS_CONFIG.replace("deal_id: ID", "deal_id: Id (2)")
    make_client(tmp_path, config, {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys)
    assert code == 0, text
    assert load_sales_data(tmp_path, "acme").deals["deal_id"].tolist() == ["b"]


def test_headers_differing_in_case_are_read_by_their_exact_name(tmp_path, capsys):
    # Owner (Ana) and owner (Bob): "owner: owner" reads Bob's column
    deals = "ID,Status,Stage,Amount,Created,Closed,Owner,owner\n1,Open,Prospecting,1,2024-01-05,,Ana,Bob\n"
    make_client(tmp_path, DEALS_CONFIG.replace("owner: Owner", "owner: owner"), {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys)
    assert code == 0, text
    assert load_sales_data(tmp_path, "acme").deals["owner"].tolist() == ["Bob"]


def test_a_mapping_naming_a_repeated_header_is_refused(tmp_path, capsys):
    # Amount twice (10 and 99): "value: Amount" does not say which; exit 2 naming both choices
    deals = "ID,Status,Stage,Amount,Amount,Created,Closed,Owner\n1,Open,Prospecting,10,99,2024-01-05,,Ana\n"
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    for options in ((), ("--lenient",)):
        code, text = import_acme(tmp_path, capsys, *options)
        assert code == 2, text
        assert "the header 'Amount' (mapped as columns: value) occurs 2 times" in text
        assert "map 'Amount (1)' for the first, 'Amount (2)' for the second" in text
        assert "Traceback" not in text


def test_the_first_of_repeated_headers_is_named_with_1(tmp_path, capsys):
    # "Amount (1)" reads the first Amount (10), "Amount (2)" the second (99)
    deals = "ID,Status,Stage,Amount,Amount,Created,Closed,Owner\n1,Open,Prospecting,10,99,2024-01-05,,Ana\n"
    for mapped, expected in (("Amount (1)", 10.0), ("Amount (2)", 99.0)):
        make_client(tmp_path, DEALS_CONFIG.replace("value: Amount", f"value: {mapped}"), {"deals.csv": deals})
        code, text = import_acme(tmp_path, capsys)
        assert code == 0, text
        assert load_sales_data(tmp_path, "acme").deals["value"].astype(float).tolist() == [expected]


def test_the_lenient_hint_is_given_only_when_lenient_would_help(tmp_path, capsys):
    # a bad date (row problem): strict says --lenient would import the good rows
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS.replace("2024-01-05", "2024-13-45")})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2 and "run with --lenient" in text, text
    # a missing column stops even a lenient import: no hint, strict or lenient
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS.replace("Owner", "Seller")})
    for options in ((), ("--lenient",)):
        code, text = import_acme(tmp_path, capsys, *options)
        assert code == 2, text
        assert "run with --lenient" not in text and "stops even a lenient import" in text


def test_a_lenient_import_rejecting_every_row_says_so(tmp_path, capsys):
    # 3 deals, each with an impossible date: all 3 rejected, not "the export has no data"
    deals = (
        GOOD_DEALS.replace("2024-01-05", "2024-13-45").replace("2024-01-06", "x").replace("2024-02-01,2024", "y,2024")
    )
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 0, text
    assert "deals: all 3 rows were rejected (see .cache/rejected.csv)" in text
    assert "header but no data" not in text


def test_kept_warnings_count_only_the_rows_kept(tmp_path, capsys):
    # deals 2 (won) and 3 (lost) lack closed_at; deal 3 also has an amount that is no number and is
    # rejected: the warning counts 1 deal without closed_at, not 2
    deals = GOOD_DEALS.replace("2024-02-01,Bob", ",Bob").replace("80,2024-02-01,2024-03-15", "abc,2024-02-01,")
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 0, text
    assert "deals: 1 won or lost deals without closed_at (kept)" in text


# --------------------------------------------------------------------------- client.yml settings


def test_every_wrong_setting_of_client_yml_is_reported_at_once(tmp_path, capsys):
    config = """\
    display_name: {name: Acme}
    language: [en]
    currency: 3
    timezone: Mars/Olympus
    fiscal_year_start_month: yes
    data_cutoff: soon
    stages:
      - {id: lead, fr: Piste, en: Lead}
      - {id: 2, fr: Offre, en: Offer}
      - {id: won, fr: Gagnée, en: {x: 1}, probability: true}
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, status: Status}
    """
    make_client(tmp_path, config, {"deals.csv": "ID,Status\n1,open\n"})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert "client.yml: 9 problems in the settings:" in text
    for fragment in (
        "- display_name: expected a name, got a mapping",
        "- language: language a list [...] is not supported",
        "- currency: expected a currency code, got 3",
        "- timezone: timezone 'Mars/Olympus' is unknown",
        "- fiscal_year_start_month: expected a month number 1..12, got true (a YAML true/false: yes, no",
        "- data_cutoff: expected an ISO date, got 'soon'",
        "- stages #2: id: expected a word such as meeting, got 2",
        "- stages: won: en: expected a label, got a mapping",
        "- stages: won: probability: expected a number in [0, 1], got true",
    ):
        assert fragment in text, fragment
    assert text.count("fix: ") == 9


def test_a_single_wrong_setting_names_its_key_and_fix(tmp_path, capsys):
    config = DEALS_CONFIG.replace("language: en", "language: en\n    fiscal_year_start_month: 13")
    make_client(tmp_path, config, {"deals.csv": GOOD_DEALS})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert "client.yml: fiscal_year_start_month: expected a month number 1..12, got 13" in text
    assert "fix: write the number of the month" in text


def test_settings_of_the_right_type_are_read(tmp_path):
    config = DEALS_CONFIG.replace(
        "display_name: Acme", "display_name: 1001\n    currency: USD\n    fiscal_year_start_month: 4"
    )
    folder = make_client(tmp_path, config, {"deals.csv": GOOD_DEALS})
    from strategy_kit.config import load_client_config

    loaded = load_client_config(folder / "client.yml", "acme")
    assert (loaded.display_name, loaded.currency, loaded.fiscal_year_start_month) == ("1001", "USD", 4)
    assert loaded.data_cutoff.isoformat() == "2024-06-30"


def test_excel_separator_line_is_read(tmp_path, capsys):
    # Excel's "sep=;" first line names the separator; the header is row 2, the first deal row 3
    deals = "sep=;\n" + GOOD_DEALS.replace(",", ";").replace("2;Won;Won;250.5", "2;Won;Won;x")
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys)
    assert code == 2, text
    assert "column 'Amount': values that are not numbers (mapped to value) (1 row: 4)" in text


def test_an_unclosed_quote_in_a_utf16_file_is_reported(tmp_path, capsys):
    deals = (HEADER + '1,Open,"Prospecting,1,2024-01-05,,Ana\n2,Open,Prospecting,1,2024-01-05,,Ana\n').encode("utf-16")
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code == 2, text
    assert 'a quote (") opened on row 2 is never closed' in text


HISTORY_TABLE = (
    DEALS_CONFIG
    + """\
      stage_history:
        files: [history.csv]
        columns: {deal_id: Deal, stage: Stage, entered_at: Date}
"""
)

# (case, config, files, expected exit code, words of the message): every shape imports or is
# refused with exit 2 and a message; none gives a traceback, strict or lenient.
SHAPES = [
    ("header of separators only", DEALS_CONFIG, {"deals.csv": ",,,,\n1,2,3,4,5\n"}, 2, ["no column 'ID'"]),
    ("only blank lines", DEALS_CONFIG, {"deals.csv": b"\n\n  \n"}, 2, ["no header row"]),
    ("old Mac line endings", DEALS_CONFIG, {"deals.csv": GOOD_DEALS.replace("\n", "\r").encode()}, 0, ["3 rows"]),
    ("random bytes", DEALS_CONFIG, {"deals.csv": bytes(range(256)) * 20}, 2, ["cannot be decoded"]),
    ("a damaged zip", DEALS_CONFIG, {"deals.csv": b"PK\x03\x04garbage"}, 2, ["not a readable XLSX workbook"]),
    (
        "dates that do not exist",
        DEALS_CONFIG,
        {
            "deals.csv": HEADER + "1,Open,Prospecting,1,0000-00-00,,Ana\n"
            "2,Open,Prospecting,1,2024-13-45,,Ana\n3,Open,Prospecting,1,1677-01-01,,Ana\n"
            "4,Open,Prospecting,1,2262-05-01,,Ana\n"
        },
        2,
        ["dates that cannot be read", "(4 rows: 2, 3, 4, 5)"],
    ),
    (
        "numbers in other notations",
        DEALS_CONFIG,
        {
            "deals.csv": HEADER + "1,Open,Prospecting,--5,2024-01-05,,Ana\n"
            "2,Open,Prospecting,(100),2024-01-05,,Ana\n3,Open,Prospecting,0x10,2024-01-05,,Ana\n"
        },
        2,
        ["not numbers", "(3 rows: 2, 3, 4)"],
    ),
    (
        "empty ids with a stage history",
        HISTORY_TABLE,
        {
            "deals.csv": HEADER + ",Open,Prospecting,1,2024-01-05,,Ana\n,Won,Won,1,2024-01-05,2024-02-01,Ana\n",
            "history.csv": "Deal,Stage,Date\n,Prospecting,2024-01-01\nX,Prospecting,\n",
        },
        2,
        ["empty deal_id (required)", "(2 rows: 2, 3)", "stage-history rows for deals that are not in the deals table"],
    ),
    (
        "stage history without dates",
        HISTORY_TABLE,
        {"deals.csv": GOOD_DEALS, "history.csv": "Deal,Stage,Date\n1,Prospecting,\n1,Qualification,\n2,Won,\n"},
        0,
        ["3 rows"],
    ),
    (
        "stage history with equal dates",
        HISTORY_TABLE,
        {
            "deals.csv": GOOD_DEALS,
            "history.csv": "Deal,Stage,Date\n3,Qualification,2024-02-02\n3,Prospecting,2024-02-02\n",
        },
        0,
        ["3 rows"],
    ),
    (
        "stage history for deals of an empty export",
        HISTORY_TABLE,
        {"deals.csv": HEADER, "history.csv": "Deal,Stage,Date\n1,Prospecting,2024-01-01\n"},
        2,
        ["stage-history rows for deals that are not in the deals table"],
    ),
    (
        "5 000 columns",
        DEALS_CONFIG,
        {
            "deals.csv": HEADER.strip()
            + ","
            + ",".join(f"c{i}" for i in range(5000))
            + "\n1,Open,Prospecting,1,2024-01-05,,Ana\n"
        },
        0,
        ["1 rows"],
    ),
    (
        "ids beyond 64 bits",
        DEALS_CONFIG,
        {"deals.csv": HEADER + "99999999999999999999999,Open,Prospecting,1,2024-01-05,,Ana\n"},
        0,
        ["1 rows"],
    ),
    (
        "a non-breaking space after an id",
        DEALS_CONFIG,
        {"deals.csv": HEADER + "1\u00a0,Open,Prospecting,1,2024-01-05,,Ana\n1,Open,Prospecting,1,2024-01-05,,Ana\n"},
        2,
        ["more than one row", "(1 row: 3)"],
    ),
]


@pytest.mark.parametrize("case, config, files, expected, words", SHAPES, ids=[s[0] for s in SHAPES])
def test_every_shape_imports_or_is_refused_with_a_message(tmp_path, capsys, case, config, files, expected, words):
    make_client(tmp_path, config, files)
    code, text = import_acme(tmp_path, capsys)
    assert code == expected, text
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"
    code, text = import_acme(tmp_path, capsys, "--lenient")
    assert code in (0, 2), text
