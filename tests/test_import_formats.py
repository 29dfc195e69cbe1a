"""Reading the shapes real exports come in: French spreadsheets, BOMs, XLSX, dates, time zones."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from strategy_kit.errors import ImportValidationError
from strategy_kit.importer import import_client, load_sales_data

from import_fixtures import make_client

# A hand-kept French spreadsheet: title line, ';', decimal comma, space and non-breaking space
# as thousands separators, dd/mm/yyyy, a total row, Windows-1252 (é = E9, € = 80, NBSP = A0).
FRENCH_ROWS = (
    "Export des affaires au 31/03/2024;;;;;;\r\n"
    "Réf;Commercial;Étape;Statut;Montant (€);Date de création;Date de clôture\r\n"
    "A-001;Chloé;Prospection;En cours;1 234,50;05/01/2024;\r\n"
    "A-002;Rémi;Affaire remportée;Gagné;12\u00a0500;15/01/2024;20/02/2024\r\n"
    "A-003;Chloé; Négociation ;Perdu;980,75;01/02/2024;28/03/2024\r\n"
    "Total général;;;;14\u00a0715,25;;\r\n"
)
FRENCH_CONFIG = """\
    display_name: Société Test
    data_cutoff: 2024-03-31
    import:
      deals:
        files: [affaires.csv]
        format: {decimal: ",", thousands: " ", skip_rows: 1, drop_total_row: true, date_format: dayfirst}
        columns:
          deal_id: Réf
          owner: Commercial
          stage: Étape
          status: Statut
          value: "Montant (€)"
          created_at: Date de création
          closed_at: Date de clôture
        values:
          status: {En cours: open, Gagné: won, Perdu: lost}
"""


def test_french_spreadsheet_in_windows_1252(tmp_path):
    make_client(tmp_path, FRENCH_CONFIG, {"affaires.csv": FRENCH_ROWS.encode("cp1252")})
    deals = load_sales_data(tmp_path, "acme").deals.set_index("deal_id")
    # Expected values read off FRENCH_ROWS by hand; stage labels match the default stages' French labels.
    assert list(deals.index) == ["A-001", "A-002", "A-003"]
    assert list(deals["owner"]) == ["Chloé", "Rémi", "Chloé"]
    assert list(deals["value"]) == [1234.5, 12500.0, 980.75]
    assert list(deals["stage"]) == ["prospecting", "won", "negotiation"]
    assert list(deals["status"]) == ["open", "won", "lost"]
    assert list(deals["created_at"]) == [pd.Timestamp(2024, 1, 5), pd.Timestamp(2024, 1, 15), pd.Timestamp(2024, 2, 1)]
    assert pd.isna(deals.loc["A-001", "closed_at"])
    assert deals.loc["A-003", "closed_at"] == pd.Timestamp(2024, 3, 28)
    assert str(deals["created_at"].dtype) == "datetime64[ns]"


def test_french_spreadsheet_problems_use_spreadsheet_row_numbers(tmp_path):
    # Row 1 is the title, row 2 the header: the bad date is on spreadsheet row 4.
    rows = FRENCH_ROWS.replace("15/01/2024", "31/02/2024")
    make_client(tmp_path, FRENCH_CONFIG, {"affaires.csv": rows.encode("cp1252")})
    with pytest.raises(ImportValidationError) as caught:
        import_client(tmp_path, "acme")
    (problem,) = caught.value.problems
    assert (problem.kind, problem.file, problem.column, problem.rows) == (
        "unparseable_datetime",
        "raw/affaires.csv",
        "Date de création",
        [4],
    )
    assert problem.examples == ["31/02/2024"]


def test_total_row_is_kept_unless_dropped(tmp_path):
    config = FRENCH_CONFIG.replace(" drop_total_row: true,", "")
    make_client(tmp_path, config, {"affaires.csv": FRENCH_ROWS.encode("cp1252")})
    with pytest.raises(ImportValidationError) as caught:
        import_client(tmp_path, "acme")
    assert {p.kind for p in caught.value.problems} == {"empty_required"}  # the total row has no status
    assert caught.value.problems[0].rows == [6]


UTF8_DEALS = (
    "Id,StageName,IsWon,IsClosed,Amount,CreatedDate,CloseDate\r\n"
    "006A,Closed Won,1,1,10.5,2024-01-22T16:14:25.000+0000,2024-02-01\r\n"
)
SALESFORCE_LIKE = """\
    display_name: BOM
    timezone: Europe/Paris
    import:
      deals:
        files: [Opportunity.csv]
        columns: {deal_id: Id, stage: StageName, value: Amount, created_at: CreatedDate, closed_at: CloseDate}
        derive:
          status: {won: IsWon, closed: IsClosed}
        values:
          stage: {Closed Won: won}
"""


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
def test_utf8_with_or_without_bom_and_offsets_converted_to_the_client_zone(tmp_path, encoding):
    rows = UTF8_DEALS
    config = SALESFORCE_LIKE + "        format: {encoding: auto}\n"
    make_client(tmp_path, config, {"Opportunity.csv": rows.encode(encoding)})
    deals = load_sales_data(tmp_path, "acme").deals
    assert list(deals.columns[:2]) == ["deal_id", "stage"]
    assert deals["deal_id"].tolist() == ["006A"]
    # 16:14:25 UTC is 17:14:25 in Paris in January (UTC+1).
    assert deals["created_at"].tolist() == [pd.Timestamp(2024, 1, 22, 17, 14, 25)]
    assert deals["status"].tolist() == ["won"]


def test_naive_times_in_a_declared_zone_are_converted_but_dates_are_not(tmp_path):
    rows = "ID,Status,Created,Closed\n1,won,2024-07-01 22:30,2024-07-02\n"
    config = """\
        display_name: TZ
        timezone: Europe/Paris
        import:
          deals:
            files: [deals.csv]
            format: {timezone: UTC}
            columns: {deal_id: ID, status: Status, created_at: Created, closed_at: Closed}
    """
    make_client(tmp_path, config, {"deals.csv": rows})
    deals = load_sales_data(tmp_path, "acme").deals
    # 22:30 UTC is 00:30 the next day in Paris (UTC+2 in July); a date alone stays that date.
    assert deals["created_at"].tolist() == [pd.Timestamp(2024, 7, 2, 0, 30)]
    assert deals["closed_at"].tolist() == [pd.Timestamp(2024, 7, 2)]


@pytest.mark.parametrize(
    "date_format, text, expected",
    [
        ("monthfirst", "01/22/24 4:14 PM", datetime(2024, 1, 22, 16, 14)),
        ("monthfirst", "12/31/2023", datetime(2023, 12, 31)),
        ("dayfirst", "22/01/2024 09:05", datetime(2024, 1, 22, 9, 5)),
        ("dayfirst", "2024-01-22", datetime(2024, 1, 22)),  # ISO is always accepted
        ("%d.%m.%Y %H:%M", "22.01.2024 09:05", datetime(2024, 1, 22, 9, 5)),
        ("iso", "2024-01-22T09:05:30.250", datetime(2024, 1, 22, 9, 5, 30, 250000)),
    ],
)
def test_date_formats(tmp_path, date_format, text, expected):
    config = f"""\
        display_name: Dates
        import:
          deals:
            files: [deals.csv]
            format: {{date_format: "{date_format}"}}
            columns: {{deal_id: ID, status: Status, created_at: Created}}
    """
    make_client(tmp_path, config, {"deals.csv": f'ID,Status,Created\n1,open,"{text}"\n'})
    assert load_sales_data(tmp_path, "acme").deals["created_at"].tolist() == [pd.Timestamp(expected)]


def test_mixed_date_shapes_in_one_column(tmp_path):
    rows = "ID,Status,Created\n1,open,2024-01-05\n2,open,2024-01-06 10:00:00\n3,open,2024-01-07T08:00:00Z\n"
    config = """\
        display_name: Mixed
        timezone: UTC
        import:
          deals:
            files: [deals.csv]
            columns: {deal_id: ID, status: Status, created_at: Created}
    """
    make_client(tmp_path, config, {"deals.csv": rows})
    assert load_sales_data(tmp_path, "acme").deals["created_at"].tolist() == [
        pd.Timestamp(2024, 1, 5),
        pd.Timestamp(2024, 1, 6, 10),
        pd.Timestamp(2024, 1, 7, 8),
    ]


@pytest.mark.parametrize("separator", ["\t", "|", ";", ","])
def test_separator_is_sniffed(tmp_path, separator):
    rows = separator.join(["ID", "Status", "Amount"]) + "\n" + separator.join(["1", "open", "12.5"]) + "\n"
    config = """\
        display_name: Sep
        import:
          deals:
            files: [deals.txt]
            columns: {deal_id: ID, status: Status, value: Amount}
    """
    make_client(tmp_path, config, {"deals.txt": rows})
    assert load_sales_data(tmp_path, "acme").deals["value"].tolist() == [12.5]


def test_quoted_values_with_separators_and_line_breaks(tmp_path):
    rows = 'ID,Name,Status,Closed\n1,"Dupont, fils et associés","won",2024-01-02\n2,"Deux\nlignes",open,\n3,Trois,lost,2024-01-03\n'
    config = """\
        display_name: Quotes
        import:
          deals:
            files: [deals.csv]
            columns: {deal_id: ID, name: Name, status: Status, closed_at: Closed}
    """
    make_client(tmp_path, config, {"deals.csv": rows})
    deals = load_sales_data(tmp_path, "acme").deals
    assert deals["name"].tolist() == ["Dupont, fils et associés", "Deux\nlignes", "Trois"]
    assert deals["status"].tolist() == ["won", "open", "lost"]


def test_short_rows_are_padded_and_blank_lines_skipped(tmp_path):
    rows = "ID,Status,Owner\n1,open,Ana\n\n2,open\n"
    config = """\
        display_name: Short
        import:
          deals:
            files: [deals.csv]
            columns: {deal_id: ID, status: Status, owner: Owner}
    """
    make_client(tmp_path, config, {"deals.csv": rows})
    deals = load_sales_data(tmp_path, "acme").deals
    assert deals["deal_id"].tolist() == ["1", "2"]
    assert deals["owner"].isna().tolist() == [False, True]


def test_xlsx_with_title_row_typed_cells_and_a_named_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Affaires")
    sheet.append(["Suivi des affaires 2024"])
    sheet.append(["Réf", "Statut", "Montant", "Créée le", "Commercial", "Close"])
    sheet.append(["A-1", "Gagné", 1234.5, datetime(2024, 1, 5, 14, 30), "Chloé", datetime(2024, 3, 1)])
    sheet.append([2, "En cours", 99, datetime(2024, 2, 1), "Rémi", None])
    sheet.append(["A-3", "Perdu", "1 000,25", "03/02/2024", None, "04/03/2024"])
    path = tmp_path / "affaires.xlsx"
    book.save(path)
    config = """\
        display_name: XLSX
        import:
          deals:
            files: [affaires.xlsx]
            format: {sheet: Affaires, skip_rows: 1, decimal: ",", thousands: " ", date_format: dayfirst}
            columns: {deal_id: Réf, status: Statut, value: Montant, created_at: Créée le, owner: Commercial,
                      closed_at: Close}
            values:
              status: {Gagné: won, En cours: open, Perdu: lost}
    """
    make_client(tmp_path, config, {"affaires.xlsx": path.read_bytes()})
    deals = load_sales_data(tmp_path, "acme").deals
    assert deals["deal_id"].tolist() == ["A-1", "2", "A-3"]  # a numeric id cell reads as "2", not "2.0"
    assert deals["value"].tolist() == [1234.5, 99.0, 1000.25]
    assert deals["created_at"].tolist() == [
        pd.Timestamp(2024, 1, 5, 14, 30),
        pd.Timestamp(2024, 2, 1),
        pd.Timestamp(2024, 2, 3),
    ]
    assert deals["status"].tolist() == ["won", "open", "lost"]


def test_xlsx_problem_rows_are_sheet_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Status"])
    sheet.append(["1", "open"])
    sheet.append(["2", "maybe"])
    path = tmp_path / "deals.xlsx"
    book.save(path)
    config = """\
        display_name: XLSX
        import:
          deals:
            files: [deals.xlsx]
            columns: {deal_id: ID, status: Status}
    """
    make_client(tmp_path, config, {"deals.xlsx": path.read_bytes()})
    with pytest.raises(ImportValidationError) as caught:
        import_client(tmp_path, "acme")
    assert caught.value.problems[0].rows == [3]


def test_several_files_stacked_with_header_synonyms(tmp_path):
    config = """\
        display_name: Stack
        import:
          deals:
            files: ["deals-*.csv"]
            columns: {deal_id: ID, status: Status, owner: [Commercial, Owner]}
    """
    files = {
        "deals-2023.csv": "ID,Status,Owner\n1,open,Ana\n",
        "deals-2024.csv": "id,STATUS,Commercial\n2,open,Bob\n3,open,Ana\n",
    }
    make_client(tmp_path, config, files)
    result = import_client(tmp_path, "acme")
    assert result.reports["deals"].files == ["raw/deals-2023.csv", "raw/deals-2024.csv"]
    deals = load_sales_data(tmp_path, "acme").deals
    assert deals["deal_id"].tolist() == ["1", "2", "3"]
    assert deals["owner"].tolist() == ["Ana", "Bob", "Ana"]


def test_constants_scale_value_maps_and_yaml_booleans(tmp_path):
    config = """\
        display_name: Maps
        import:
          deals:
            files: [deals.csv]
            columns: {deal_id: ID, status: Won, probability: Proba, product: Product, closed_at: Closed}
            values:
              status: {yes: won, no: lost}
              product: {GTXPro: GTX Pro}
            scale: {probability: 0.01}
            constants: {pipeline: Main}
    """
    make_client(
        tmp_path,
        config,
        {"deals.csv": "ID,Won,Proba,Product,Closed\n1,Yes,100,GTXPro,2024-01-01\n2,no,25,GTX Pro,2024-01-02\n"},
    )
    deals = load_sales_data(tmp_path, "acme").deals
    assert deals["status"].tolist() == ["won", "lost"]
    assert deals["probability"].tolist() == [1.0, 0.25]
    assert deals["product"].tolist() == ["GTX Pro", "GTX Pro"]
    assert deals["pipeline"].tolist() == ["Main", "Main"]


def test_canonical_dtypes(tmp_path):
    config = """\
        display_name: Types
        import:
          deals:
            files: [deals.csv]
            columns: {deal_id: ID, status: Status, stage: Stage, value: Amount, created_at: Created}
          accounts:
            files: [accounts.csv]
            columns: {account_id: Name, employees: Staff}
    """
    make_client(
        tmp_path,
        config,
        {
            "deals.csv": "ID,Status,Stage,Amount,Created\n7,open,qualification,5,2024-01-01\n",
            "accounts.csv": "Name,Staff\nAcme,12\nBeta,\n",
        },
    )
    data = load_sales_data(tmp_path, "acme")
    deals = data.deals
    assert deals["deal_id"].tolist() == ["7"]
    assert pd.api.types.is_string_dtype(deals["deal_id"])
    assert isinstance(deals["stage"].dtype, pd.CategoricalDtype)
    assert list(deals["status"].cat.categories) == ["open", "won", "lost"]
    assert list(deals["stage"].cat.categories)[:2] == ["prospecting", "qualification"]  # the client's stage order
    assert str(data.tables["accounts"]["employees"].dtype) == "Int64"
    assert data.tables["accounts"]["employees"].tolist()[0] == 12
