"""Bad input gives exit code 2 and a message naming the file, column and rows, all problems at once."""

from __future__ import annotations

import pandas as pd
import pytest

from strategy_kit.errors import ConfigError, ImportValidationError
from strategy_kit.importer import import_client

from import_fixtures import DEALS_CONFIG, GOOD_DEALS, make_client, run_cli

HEADER = "ID,Status,Stage,Amount,Created,Closed,Owner\n"

# (case, deals.csv content or None for GOOD_DEALS, config or None for DEALS_CONFIG, expected fragments)
BAD_INPUTS = [
    (
        "missing required column",
        "ID,Stage,Amount,Created,Closed,Owner\n1,Prospecting,100,2024-01-05,,Ana\n",
        None,
        ["raw/deals.csv", "no column 'Status'", "headers found: 'ID', 'Stage'"],
    ),
    (
        "unparseable date",
        HEADER + "1,Open,Prospecting,100,2024-01-05,,Ana\n2,Won,Won,250,05/01/2024,2024-02-01,Bob\n",
        None,
        ["raw/deals.csv, column 'Created'", "dates that cannot be read", "(1 row: 3)", "'05/01/2024'", "date_format"],
    ),
    (
        "unparseable amount",
        HEADER + "1,Open,Prospecting,12O,2024-01-05,,Ana\n",
        None,
        ["column 'Amount'", "not numbers", "(1 row: 2)", "'12O'"],
    ),
    (
        "duplicate id",
        HEADER + "1,Open,Prospecting,1,2024-01-05,,Ana\n2,Open,Prospecting,1,2024-01-05,,Ana\n"
        "1,Open,Prospecting,1,2024-01-06,,Bob\n",
        None,
        ["column 'ID'", "more than one row", "(1 row: 4)", "'1'"],
    ),
    (
        "unknown stage value",
        HEADER + "1,Open,Prospecting,1,2024-01-05,,Ana\n2,Open,Nego,1,2024-01-05,,Ana\n3,Open,Nego,1,2024-01-05,,Ana\n",
        None,
        ["column 'Stage'", "unknown stage values", "(2 rows: 3, 4)", "Nego (2 rows)", "import: deals: values: stage:"],
    ),
    (
        "unknown status value",
        HEADER + "1,Pending,Prospecting,1,2024-01-05,,Ana\n",
        None,
        ["column 'Status'", "unknown status values", "(1 row: 2)", "Pending", "import: deals: values: status:"],
    ),
    (
        "closed before created",
        HEADER + "1,Won,Won,10,2024-03-05,2024-03-01,Ana\n",
        None,
        ["column 'Closed'", "closed_at is before created_at", "(1 row: 2)", "closed 2024-03-01 < created 2024-03-05"],
    ),
    (
        "negative amount",
        HEADER + "1,Open,Prospecting,-100,2024-01-05,,Ana\n",
        None,
        ["column 'Amount'", "negative value", "(1 row: 2)", "'-100'"],
    ),
    (
        "date after the cut-off",
        HEADER + "1,Won,Won,10,2024-03-05,2024-07-02,Ana\n",
        None,
        ["column 'Closed'", "after the data cut-off 2024-06-30", "(1 row: 2)", "data_cutoff"],
    ),
    (
        "open deal with closed_at",
        HEADER + "1,Open,Prospecting,10,2024-03-05,2024-03-09,Ana\n",
        None,
        ["open deals with a closed_at", "(1 row: 2)", "expected_close_at"],
    ),
    (
        "closed deal without closed_at",
        HEADER + "1,Lost,Prospecting,10,2024-03-05,,Ana\n",
        None,
        ["won or lost deals without closed_at", "(1 row: 2)"],
    ),
    (
        "wrong separator gives one column",
        "ID;Status;Stage;Amount;Created;Closed;Owner\n1;Open;Prospecting;1;2024-01-05;;Ana\n",
        DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.csv]\n        format: {separator: ','}"),
        [
            "raw/deals.csv",
            "no column 'ID'",
            "single column",
            "separator is probably ';'",
            "import: deals: format: separator",
        ],
    ),
    (
        "wrong encoding declared",
        HEADER.encode() + "1,Open,Prospecting,1,2024-01-05,,Chloé\n".encode("cp1252"),
        DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.csv]\n        format: {encoding: utf-8}"),
        ["raw/deals.csv", "not valid utf-8", "encoding: auto"],
    ),
    (
        "byte the encoding does not define",
        HEADER.encode() + b"1,Open,Prospecting,1,2024-01-05,,Ana\x81\n",
        None,
        ["raw/deals.csv: cannot be decoded as cp1252", "character maps to <undefined>", "set format: encoding:"],
    ),
    (
        "UTF-16 declared for a UTF-8 file",
        None,
        DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.csv]\n        format: {encoding: utf-16}"),
        ["raw/deals.csv: cannot be decoded as utf-16", "BOM"],
    ),
    (
        "row with too many fields",
        HEADER + "1,Open,Prospecting,1 234,5,2024-01-05,,Ana\n2,Open,Prospecting,7,2024-01-05,,Ana\n",
        None,
        ["raw/deals.csv", "more fields than the header", "(1 row: 2)"],
    ),
    ("empty file", "", None, ["raw/deals.csv", "empty"]),
    (
        "no file matching",
        None,
        DEALS_CONFIG.replace("[deals.csv]", "[pipeline-*.csv]"),
        ["client.yml", "import: deals: files", "pipeline-*.csv", "raw/ holds: deals.csv"],
    ),
    ("malformed YAML", None, DEALS_CONFIG + "        oops: [unclosed\n", ["client.yml", "not valid YAML"]),
    (
        "unknown canonical column",
        None,
        DEALS_CONFIG.replace("value: Amount", "amount: Amount"),
        ["client.yml", "import: deals: columns: amount", "not a column of deals"],
    ),
    (
        "unknown table",
        None,
        DEALS_CONFIG + "      deal: {files: [deals.csv], columns: {deal_id: ID}}\n",
        ["client.yml", "import: deal", "not a table", "did you mean 'deals'"],
    ),
    (
        "date format that is not a pattern",
        None,
        DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.csv]\n        format: {date_format: '%Q/%d'}"),
        ["client.yml", "date_format", "'%Q/%d'"],
    ),
    (
        "unknown preset",
        None,
        DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.csv]\n        preset: salesforce"),
        ["client.yml", "import: deals: preset", "unknown preset 'salesforce'", "salesforce-opportunity"],
    ),
]


@pytest.mark.parametrize("case, deals, config, expected", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_exits_2_with_a_message_naming_where(tmp_path, capsys, case, deals, config, expected):
    deals_bytes = deals if isinstance(deals, bytes) else (GOOD_DEALS if deals is None else deals).encode("utf-8")
    make_client(tmp_path, config or DEALS_CONFIG, {"deals.csv": deals_bytes})
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2, out + err
    assert "Traceback" not in err
    for fragment in expected:
        assert fragment in err, f"{fragment!r} not in:\n{err}"


def test_good_deals_import(tmp_path, capsys):
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": GOOD_DEALS})
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 0, err
    assert "3 rows" in out


def test_every_problem_is_reported_at_once(tmp_path):
    # Row 2: bad amount; row 3: unknown stage; row 4: closed before created. One import, three problems.
    deals = HEADER + (
        "1,Open,Prospecting,abc,2024-01-05,,Ana\n"
        "2,Open,Nego,10,2024-01-05,,Ana\n"
        "3,Won,Won,10,2024-03-05,2024-03-01,Bob\n"
    )
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    with pytest.raises(ImportValidationError) as caught:
        import_client(tmp_path, "acme")
    problems = {p.kind: p for p in caught.value.problems}
    assert set(problems) == {"unparseable_number", "unknown_stage", "closed_before_created"}
    assert problems["unparseable_number"].rows == [2]
    assert problems["unknown_stage"].rows == [3]
    assert problems["closed_before_created"].rows == [4]
    assert all(p.file == "raw/deals.csv" for p in problems.values())


def test_problems_in_several_tables_are_reported_together(tmp_path):
    config = (
        DEALS_CONFIG
        + """\
      reps:
        files: [reps.csv]
        columns: {owner: Rep, team: Team}
"""
    )
    reps = "Rep,Team\nAna,East\n,West\n"
    deals = HEADER + "1,Open,Prospecting,-1,2024-01-05,,Ana\n"
    make_client(tmp_path, config, {"deals.csv": deals, "reps.csv": reps})
    with pytest.raises(ImportValidationError) as caught:
        import_client(tmp_path, "acme")
    assert {(p.table, p.kind) for p in caught.value.problems} == {("deals", "negative"), ("reps", "empty_required")}
    reps_problem = next(p for p in caught.value.problems if p.table == "reps")
    assert reps_problem.file == "raw/reps.csv" and reps_problem.column == "Rep" and reps_problem.rows == [3]


def test_lenient_keeps_good_rows_and_writes_rejected_rows_with_reasons(tmp_path, capsys):
    deals = HEADER + (
        "1,Open,Prospecting,100,2024-01-05,,Ana\n"
        "2,Open,Nego,10,2024-01-05,,Ana\n"
        "3,Won,Won,-5,2024-03-05,2024-03-09,Bob\n"
        "4,Lost,Qualification,20,2024-02-01,2024-02-20,Bob\n"
    )
    folder = make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme", "--lenient")
    assert code == 0, err
    assert "excluded from deals: 2 row(s)" in out
    rejected = pd.read_csv(folder / ".cache" / "rejected.csv", dtype=str)
    assert list(rejected["row"]) == ["3", "4"]
    assert list(rejected["deal_id"]) == ["2", "3"]
    assert "unknown stage" in rejected["reason"][0]
    assert "negative value" in rejected["reason"][1]
    assert set(rejected["file"]) == {"raw/deals.csv"}

    result = import_client(tmp_path, "acme", lenient=True, force=True)
    assert result.rows["deals"] == 2
    assert result.rejected == {"deals": 2}


def test_strict_import_after_a_lenient_one_still_reports_the_problems(tmp_path):
    deals = HEADER + "1,Open,Prospecting,100,2024-01-05,,Ana\n2,Open,Nego,10,2024-01-05,,Ana\n"
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    import_client(tmp_path, "acme", lenient=True)
    with pytest.raises(ImportValidationError):
        import_client(tmp_path, "acme")


def test_closed_deals_without_closed_at_are_kept_with_a_warning_when_lenient(tmp_path):
    deals = HEADER + "1,Lost,Prospecting,10,2024-03-05,,Ana\n2,Open,Prospecting,10,2024-03-05,,Ana\n"
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": deals})
    result = import_client(tmp_path, "acme", lenient=True)
    assert result.rows["deals"] == 2
    assert "won or lost deals without closed_at" in result.summary()


def test_missing_required_column_is_fatal_even_when_lenient(tmp_path):
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": "ID,Stage\n1,Prospecting\n"})
    with pytest.raises(ImportValidationError) as caught:
        import_client(tmp_path, "acme", lenient=True)
    assert {p.kind for p in caught.value.problems} == {"missing_column"}


def test_required_column_left_unmapped_is_a_config_error(tmp_path):
    make_client(tmp_path, DEALS_CONFIG.replace("          status: Status\n", ""), {"deals.csv": GOOD_DEALS})
    with pytest.raises(ConfigError, match="import: deals: columns: required column"):
        import_client(tmp_path, "acme")


def test_an_export_with_a_header_and_no_rows_is_imported_with_a_warning(tmp_path, capsys):
    make_client(tmp_path, DEALS_CONFIG, {"deals.csv": HEADER})
    code, out, _ = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 0
    assert "warning: deals: no rows imported" in out


def test_mistakes_in_the_mapping_of_several_tables_are_reported_together(tmp_path, capsys):
    config = (
        DEALS_CONFIG.replace("        files: [deals.csv]", "        files: [deals.csv]\n        format: {decimal: ';'}")
        + """\
      activities:
        files: [calls.csv]
        columns: {activity_id: ID, at: Date, kind: Type}
      invoices:
        files: [invoices.csv]
    """
    )
    make_client(tmp_path, config, {"deals.csv": GOOD_DEALS})
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2 and "Traceback" not in err
    assert "3 problems in the import mapping" in err
    # one line each, naming the key to edit
    assert "import: invoices: 'invoices' is not a table" in err
    assert "import: deals: format: decimal: expected '.' or ','" in err
    assert "import: activities: columns: kind: 'kind' is not a column of activities" in err
