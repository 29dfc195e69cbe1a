"""Every kind of bad input, through the CLI: exit 2, no traceback, and words that name the problem.

One row per kind of problem a consultant meets: the client's raw files, its client.yml, the
command, the exit code expected and the words stderr must hold (the file, the column, the setting,
the kind of problem). Words are matched ignoring case, and chosen so that any clear message has
them (a file name, a column name, a key word such as "encoding", "quote", "sheet"), not one exact
phrasing. A case may also need commands run first (an import before ``kpis``), a step preparing
the file system (links, permissions), words that must not appear (a system file's content), and a
check of what the command left behind.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import invoke
from import_fixtures import DEALS_CONFIG, GOOD_DEALS, make_client

HEADER = "ID,Status,Stage,Amount,Created,Closed,Owner\n"
ROW = "1,Open,Prospecting,100,2024-01-05,,Ana\n"
LATER_ROWS = [f"{i},Open,Prospecting,7,2024-01-05,,Bob\n" for i in range(3, 4000)]
# GOOD_DEALS covers 2024-01-05 (deal 1 created) to the cut-off 2024-06-30 of DEALS_CONFIG.
FIRST_DAY, LAST_DAY = "2024-01-05", "2024-06-30"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes] = field(default_factory=lambda: {"deals.csv": GOOD_DEALS})
    config: str = DEALS_CONFIG
    argv: tuple[str, ...] = ("import", "acme")
    code: int = 2
    words: tuple[str, ...] = ()
    before: tuple[tuple[str, ...], ...] = ()  # commands that must succeed first (e.g. an import)
    prepare: Callable[[Path], None] | None = None  # called with the workspace root before the command
    absent: tuple[str, ...] = ()  # words that must not appear in the output
    check: Callable[[Path], None] | None = None  # called with the workspace root afterwards
    client: bool = True  # write data/acme/ first


def fmt(**options: object) -> str:
    """DEALS_CONFIG with a format: block on the deals table."""
    inner = ", ".join(f"{k}: {v}" for k, v in options.items())
    return DEALS_CONFIG.replace("files: [deals.csv]", f"files: [deals.csv]\n        format: {{{inner}}}")


def settings(text: str, config: str = DEALS_CONFIG) -> str:
    """DEALS_CONFIG with its top-level settings replaced by ``text`` (indented like the config)."""
    return text + config[config.index("    import:") :]


def deals_with(*rows: str, header: str = HEADER) -> dict[str, str | bytes]:
    return {"deals.csv": header + "".join(rows)}


def table(name: str, mapping: str) -> str:
    """DEALS_CONFIG plus one more table entry (``mapping`` at the entry's indentation)."""
    return DEALS_CONFIG + f"      {name}:\n" + "".join(f"        {line}\n" for line in mapping.strip().splitlines())


HISTORY_CONFIG = table(
    "stage_history",
    """
files: [history.csv]
columns: {deal_id: Deal, stage: Stage, entered_at: Date}
values:
  stage: {Closed Won: won, Closed Lost: null}
""",
)
ACTIVITIES_CONFIG = table(
    "activities",
    """
files: [activities.csv]
columns: {activity_id: ID, type: Type, at: Date, outcome: Outcome, direction: Direction, deal_id: Deal}
""",
)
ACCOUNTS_CONFIG = table(
    "accounts",
    """
files: [accounts.csv]
columns: {account_id: Account, employees: Employees}
""",
)
REPS_CONFIG = table(
    "reps",
    """
files: [reps.csv]
columns: {owner: Rep, team: Team}
""",
)


def _xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


DEALS_ROWS: list[list[object]] = [
    list(HEADER.strip().split(",")),
    [1, "Open", "Prospecting", 100, "2024-01-05", None, "Ana"],
]
XLSX_CONFIG = DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.xlsx]")


# ----------------------------------------------------------------- preparing the file system


def _link_raw_file_to_system_file(root: Path) -> None:
    raw = root / "data" / "acme" / "raw"
    (raw / "deals.csv").unlink()
    (raw / "deals.csv").symlink_to("/etc/passwd")


def _exports(root: Path) -> Path:
    exports = root / "exports"
    exports.mkdir(exist_ok=True)
    (exports / "deals.csv").write_text(GOOD_DEALS, encoding="utf-8")
    return exports


def _dangling_link_in_exports(root: Path) -> None:
    (_exports(root) / "old.csv").symlink_to(root / "nowhere" / "old.csv")


def _link_leaving_exports(root: Path) -> None:
    (_exports(root) / "system").symlink_to("/etc")


def _file_link_leaving_exports(root: Path) -> None:
    (_exports(root) / "passwd.csv").symlink_to("/etc/passwd")


def _read_only_workspace(root: Path) -> None:
    (root / "data").mkdir(exist_ok=True)
    (root / "data").chmod(0o555)


def _unreadable_raw_file(root: Path) -> None:
    (root / "data" / "acme" / "raw" / "deals.csv").chmod(0o000)


def _template(root: Path) -> None:
    (root / "template.yml").write_text("language: de\n", encoding="utf-8")


def _client_yml_removed(root: Path) -> None:
    (root / "data" / "acme" / "client.yml").unlink()


def _no_staging_left(root: Path) -> None:
    data = root / "ws" / "data"
    left = sorted(p.name for p in data.iterdir()) if data.is_dir() else []
    assert not [name for name in left if name.startswith(".")], f"left behind in data/: {left}"
    assert "beta" not in left, "a refused client must not be created"


def _lost_deal_not_at_won_stage(root: Path) -> None:
    from strategy_kit import load_sales_data

    deals = load_sales_data(root, "acme").tables["deals"].set_index("deal_id")
    # History of deal 1: Prospecting, Closed Won, then Closed Lost (mapped to no stage); status Lost.
    assert deals.loc["1", "status"] == "lost"
    assert deals.loc["1", "stage"] != "won", "a lost deal is never at the won stage"
    assert deals.loc["2", "stage"] == "won", "a won deal always is"


# ----------------------------------------------------------------- the corpus

KPIS = ("kpis", "acme", "--format", "json", "--period")
IMPORTED = (("import", "acme"),)

CASES = [
    # --- reading the files
    Case("empty-file", files={"deals.csv": ""}, words=("deals.csv", "empty")),
    Case(
        "no-file-matching",
        config=DEALS_CONFIG.replace("[deals.csv]", "[pipeline-*.csv]"),
        words=("client.yml", "files", "pipeline-*.csv", "deals.csv"),
    ),
    Case(
        "missing-required-column",
        files=deals_with("1,Prospecting,100,2024-01-05,,Ana\n", header="ID,Stage,Amount,Created,Closed,Owner\n"),
        words=("deals.csv", "Status"),
    ),
    Case(
        "mapped-column-missing-from-export",
        files=deals_with(ROW, header="ID,Status,Stage,Montant,Created,Closed,Owner\n"),
        words=("deals.csv", "Amount", "Montant"),
    ),
    Case(
        "wrong-separator",
        files={"deals.csv": "ID;Status;Stage;Amount;Created;Closed;Owner\n1;Open;Prospecting;1;2024-01-05;;Ana\n"},
        config=fmt(separator="','"),
        words=("deals.csv", "separator", ";"),
    ),
    Case("separator-of-several-characters", config=fmt(separator="'ab'"), words=("client.yml", "separator", "ab")),
    Case("decimal-not-a-separator", config=fmt(decimal="'x'"), words=("client.yml", "decimal", "x")),
    Case(
        "thousands-same-as-decimal",
        config=fmt(decimal="','", thousands="','"),
        words=("client.yml", "thousands", "decimal"),
    ),
    Case(
        "wrong-encoding-declared",
        files={"deals.csv": HEADER.encode() + "1,Open,Prospecting,1,2024-01-05,,Chloé\n".encode("cp1252")},
        config=fmt(encoding="utf-8"),
        words=("deals.csv", "utf-8", "encoding"),
    ),
    Case(
        "byte-the-encoding-does-not-define",
        files={"deals.csv": HEADER.encode() + b"1,Open,Prospecting,1,2024-01-05,,Ana\x81\n"},
        words=("deals.csv", "cp1252", "encoding"),
    ),
    Case("utf16-declared-for-utf8", config=fmt(encoding="utf-16"), words=("deals.csv", "utf-16", "encoding")),
    # UTF-16 without a byte-order mark is recognised under encoding: auto; declared as another
    # encoding, the message names the encoding to set, not ten garbled headers.
    Case(
        "utf16-without-bom-declared-utf8",
        files={"deals.csv": GOOD_DEALS.encode("utf-16-le")},
        config=fmt(encoding="utf-8"),
        words=("deals.csv", "encoding", "utf-16"),
        absent=("\x00", "\\x00"),
    ),
    Case("unknown-encoding-name", config=fmt(encoding="klingon"), words=("client.yml", "encoding", "klingon")),
    Case(
        "too-many-fields",
        files=deals_with("1,Open,Prospecting,1 234,5,2024-01-05,,Ana\n"),
        words=("deals.csv", "fields", "row"),
    ),
    # A quote opened on row 3 and never closed: the rest of the file is one field. Long enough
    # (more than csv's field limit of 131,072 characters) to be the crash issue 8 met, and short.
    Case(
        "unterminated-quote",
        files=deals_with(ROW, '2,Open,"Prospecting,7,2024-01-05,,Ana\n', *LATER_ROWS),
        words=("deals.csv", "quote", "3"),
    ),
    Case(
        "unterminated-quote-lenient",
        files=deals_with(ROW, '2,Open,"Prospecting,7,2024-01-05,,Ana\n', *LATER_ROWS),
        argv=("import", "acme", "--lenient"),
        words=("deals.csv", "quote", "3"),
    ),
    Case(
        "unterminated-quote-short",
        files=deals_with(ROW, '2,Open,"Prospecting,7,2024-01-05,,Ana\n', "3,Open,Prospecting,7,2024-01-05,,Bob\n"),
        words=("deals.csv", "quote", "3"),
    ),
    # A stray quote (12" screen) on row 2 makes the quotes even; row 4's quote is never closed.
    Case(
        "unterminated-quote-even-count",
        files=deals_with(
            '1,Open,Prospecting,100,2024-01-05,,12" Ana\n',
            ROW,
            '3,Open,"Prospecting,7,2024-01-05,,Ana\n',
            *LATER_ROWS[:3],
        ),
        argv=("import", "acme", "--lenient"),
        words=("deals.csv", "quote", "row 4"),
        absent=("run with --lenient",),
    ),
    # A mapping that names a header the file has twice: which column is meant is unsaid.
    Case(
        "mapped-header-repeated",
        files=deals_with(
            ROW + "2,Open,Prospecting,5,2024-01-05,,Bob\n", header=HEADER.replace("Owner", "Owner,Amount")
        ),
        words=("deals.csv", "Amount", "2 times", "Amount (2)"),
    ),
    Case(
        "binary-file",
        files={"deals.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" * 4},
        words=("deals.csv",),
    ),
    Case(
        "xlsx-first-sheet-is-notes",
        files={
            "deals.xlsx": _xlsx(
                ("Notes", [["Export of 2024-06-30"], ["Filtered on the sales team"]]), ("Deals", DEALS_ROWS)
            )
        },
        config=XLSX_CONFIG,
        words=("deals.xlsx", "sheet", "Notes", "Deals"),
    ),
    Case(
        "xlsx-unknown-sheet",
        files={"deals.xlsx": _xlsx(("Deals", DEALS_ROWS))},
        config=XLSX_CONFIG.replace("files: [deals.xlsx]", "files: [deals.xlsx]\n        format: {sheet: Pipeline}"),
        words=("deals.xlsx", "sheet", "Pipeline", "Deals"),
    ),
    Case(
        "old-xls-workbook",
        files={"deals.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)},
        config=XLSX_CONFIG,
        words=("deals.xlsx", ".xls", "save it as"),
    ),
    Case(
        "raw-file-is-a-link-to-a-system-file",
        prepare=_link_raw_file_to_system_file,
        words=("deals.csv", "link"),
        absent=("root:",),
    ),
    Case("unreadable-raw-file", prepare=_unreadable_raw_file, words=("deals.csv", "permission")),
    # --- values in the rows
    Case(
        "unparseable-date",
        files=deals_with(ROW, "2,Won,Won,250,05/01/2024,2024-02-01,Bob\n"),
        words=("deals.csv", "Created", "05/01/2024", "date_format"),
    ),
    Case(
        "day-that-does-not-exist",
        files=deals_with("1,Open,Prospecting,1,31/02/2024,,Ana\n"),
        config=fmt(date_format="dayfirst"),
        words=("deals.csv", "Created", "31/02/2024"),
    ),
    Case(
        "unparseable-amount",
        files=deals_with("1,Open,Prospecting,12O,2024-01-05,,Ana\n"),
        words=("deals.csv", "Amount", "12O"),
    ),
    Case(
        "amount-1e400",
        files=deals_with("1,Open,Prospecting,1e400,2024-01-05,,Ana\n"),
        words=("deals.csv", "Amount", "1e400"),
    ),
    Case(
        "amount-1e300",
        files=deals_with("1,Open,Prospecting,1e300,2024-01-05,,Ana\n"),
        words=("deals.csv", "Amount", "1e300"),
    ),
    Case(
        "amount-inf", files=deals_with("1,Open,Prospecting,inf,2024-01-05,,Ana\n"), words=("deals.csv", "Amount", "inf")
    ),
    Case(
        "amount-nan", files=deals_with("1,Open,Prospecting,nan,2024-01-05,,Ana\n"), words=("deals.csv", "Amount", "nan")
    ),
    Case(
        "negative-amount",
        files=deals_with("1,Open,Prospecting,-100,2024-01-05,,Ana\n"),
        words=("deals.csv", "Amount", "negative"),
    ),
    Case(
        "duplicate-deal-id",
        files=deals_with(ROW, "2,Open,Prospecting,1,2024-01-05,,Ana\n", "1,Open,Prospecting,1,2024-01-06,,Bob\n"),
        words=("deals.csv", "ID", "more than one row", "4"),
    ),
    Case(
        "duplicate-deal-id-with-stage-history",
        files={
            **deals_with(
                "D1,Won,Won,10,2024-01-05,2024-02-01,Ana\n", "D1,Lost,Prospecting,5,2024-01-06,2024-02-03,Bob\n"
            ),
            "history.csv": "Deal,Stage,Date\nD1,Prospecting,2024-01-05\nD1,Closed Won,2024-02-01\n",
        },
        config=HISTORY_CONFIG,
        words=("deals.csv", "ID", "more than one row", "D1"),
    ),
    Case(
        "duplicate-deal-id-differing-by-spaces",
        files=deals_with(
            "D1,Won,Won,10,2024-01-05,2024-02-01,Ana\n", " D1 ,Lost,Prospecting,5,2024-01-06,2024-02-03,Bob\n"
        ),
        words=("deals.csv", "ID", "more than one row", "D1"),
    ),
    Case(
        "duplicate-deal-id-differing-by-spaces-with-stage-history",
        files={
            **deals_with(
                "D1,Won,Won,10,2024-01-05,2024-02-01,Ana\n", '" D1 ",Lost,Prospecting,5,2024-01-06,2024-02-03,Bob\n'
            ),
            "history.csv": "Deal,Stage,Date\nD1,Prospecting,2024-01-05\nD1 ,Closed Won,2024-02-01\n",
        },
        config=HISTORY_CONFIG,
        words=("deals.csv", "ID", "more than one row", "D1"),
    ),
    Case(
        "unknown-stage-value",
        files=deals_with(ROW, "2,Open,Nego,1,2024-01-05,,Ana\n"),
        words=("deals.csv", "Stage", "Nego", "values: stage"),
    ),
    Case(
        "unknown-status-value",
        files=deals_with("1,Pending,Prospecting,1,2024-01-05,,Ana\n"),
        words=("deals.csv", "Status", "Pending", "values: status"),
    ),
    Case(
        "closed-before-created",
        files=deals_with("1,Won,Won,10,2024-03-05,2024-03-01,Ana\n"),
        words=("deals.csv", "Closed", "before"),
    ),
    Case(
        "date-after-the-cut-off",
        files=deals_with("1,Won,Won,10,2024-03-05,2024-07-02,Ana\n"),
        words=("deals.csv", "Closed", "data_cutoff", "2024-06-30"),
    ),
    Case(
        "open-deal-with-closed-at",
        files=deals_with("1,Open,Prospecting,10,2024-03-05,2024-03-09,Ana\n"),
        words=("deals.csv", "open", "closed_at"),
    ),
    Case(
        "closed-deal-without-closed-at",
        files=deals_with("1,Lost,Prospecting,10,2024-03-05,,Ana\n"),
        words=("deals.csv", "closed_at"),
    ),
    Case(
        "won-then-lost-history-puts-no-lost-deal-at-won",
        code=0,
        files={
            **deals_with("1,Lost,,10,2024-01-05,2024-03-01,Ana\n", "2,Won,,20,2024-01-05,2024-02-01,Bob\n"),
            "history.csv": "Deal,Stage,Date\n1,Prospecting,2024-01-05\n1,Closed Won,2024-02-01\n"
            "1,Closed Lost,2024-03-01\n2,Prospecting,2024-01-05\n2,Closed Won,2024-02-01\n",
        },
        config=HISTORY_CONFIG,
        check=_lost_deal_not_at_won_stage,
    ),
    Case(
        "unknown-activity-type",
        files={
            "deals.csv": GOOD_DEALS,
            "activities.csv": "ID,Type,Date,Outcome,Direction,Deal\nT1,fax,2024-01-05,,,1\n",
        },
        config=ACTIVITIES_CONFIG,
        words=("activities.csv", "Type", "fax"),
    ),
    Case(
        "outcome-not-possible-for-type",
        files={
            "deals.csv": GOOD_DEALS,
            "activities.csv": "ID,Type,Date,Outcome,Direction,Deal\nT1,email,2024-01-05,held,,1\n",
        },
        config=ACTIVITIES_CONFIG,
        words=("activities.csv", "Outcome", "held"),
    ),
    Case(
        "unknown-direction",
        files={
            "deals.csv": GOOD_DEALS,
            "activities.csv": "ID,Type,Date,Outcome,Direction,Deal\nT1,call,2024-01-05,,sideways,1\n",
        },
        config=ACTIVITIES_CONFIG,
        words=("activities.csv", "Direction", "sideways"),
    ),
    Case(
        "integer-that-is-not-a-number",
        files={"deals.csv": GOOD_DEALS, "accounts.csv": "Account,Employees\nA1,many\n"},
        config=ACCOUNTS_CONFIG,
        words=("accounts.csv", "Employees", "many"),
    ),
    Case(
        "empty-required-value",
        files={"deals.csv": GOOD_DEALS, "reps.csv": "Rep,Team\nAna,East\n,West\n"},
        config=REPS_CONFIG,
        words=("reps.csv", "Rep", "3"),
    ),
    Case(
        "duplicate-rep",
        files={"deals.csv": GOOD_DEALS, "reps.csv": "Rep,Team\nAna,East\nAna,West\n"},
        config=REPS_CONFIG,
        words=("reps.csv", "Rep", "Ana"),
    ),
    # --- the mapping in client.yml
    Case("malformed-yaml", config=DEALS_CONFIG + "        oops: [unclosed\n", words=("client.yml", "YAML")),
    Case(
        "client-yml-not-utf8",
        config="",
        prepare=lambda root: (root / "data" / "acme" / "client.yml").write_bytes(
            "display_name: Société\n".encode("cp1252")
        ),
        words=("client.yml", "UTF-8"),
    ),
    Case("client-yml-missing", prepare=_client_yml_removed, words=("acme", "new-client")),
    Case("client-yml-a-list", config="- deals\n- leads\n", words=("client.yml", "mapping")),
    Case(
        "unknown-table",
        config=DEALS_CONFIG + "      deal: {files: [deals.csv], columns: {deal_id: ID}}\n",
        words=("client.yml", "deal", "table", "deals"),
    ),
    Case(
        "unknown-canonical-column",
        config=DEALS_CONFIG.replace("value: Amount", "amount: Amount"),
        words=("client.yml", "columns", "amount", "deals"),
    ),
    Case(
        "unknown-table-key",
        config=DEALS_CONFIG.replace("        values:", "        valeurs:"),
        words=("client.yml", "valeurs", "values"),
    ),
    Case("unknown-format-option", config=fmt(delimiter="';'"), words=("client.yml", "delimiter", "separator")),
    Case(
        "unknown-preset",
        config=DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.csv]\n        preset: salesforce"),
        words=("client.yml", "preset", "salesforce", "salesforce-opportunity"),
    ),
    Case(
        "preset-of-another-table",
        config=DEALS_CONFIG.replace("files: [deals.csv]", "files: [deals.csv]\n        preset: salesforce-task"),
        words=("client.yml", "salesforce-task", "activities"),
    ),
    Case(
        "required-column-unmapped",
        config=DEALS_CONFIG.replace("          status: Status\n", ""),
        words=("client.yml", "status", "columns"),
    ),
    Case("date-format-not-a-pattern", config=fmt(date_format="'%Q/%d'"), words=("client.yml", "date_format", "%Q/%d")),
    Case(
        "date-format-unknown-name", config=fmt(date_format="european"), words=("client.yml", "date_format", "european")
    ),
    Case(
        "format-timezone-unknown", config=fmt(timezone="Mars/Olympus"), words=("client.yml", "timezone", "Mars/Olympus")
    ),
    Case(
        "values-not-a-mapping",
        config=DEALS_CONFIG.replace("status: {Open: open, Won: won, Lost: lost}", "status: [open, won]"),
        words=("client.yml", "values", "status"),
    ),
    Case(
        "value-mapped-to-unknown-canonical",
        config=DEALS_CONFIG.replace("Lost: lost}", "Lost: perdu}"),
        words=("deals.csv", "Status", "Lost", "values: status"),
    ),
    Case(
        "files-missing", config=DEALS_CONFIG.replace("        files: [deals.csv]\n", ""), words=("client.yml", "files")
    ),
    Case("import-not-a-mapping", config="display_name: Acme\nimport: [deals]\n", words=("client.yml", "import")),
    Case(
        "unknown-derive",
        config=DEALS_CONFIG + "        derive: {status: {guess: Stage}}\n",
        words=("client.yml", "derive", "status"),
    ),
    Case(
        "dimension-name-not-snake-case",
        config=DEALS_CONFIG + "        dimensions: {Campaign Name: Owner}\n",
        words=("client.yml", "dimensions", "Campaign Name"),
    ),
    Case(
        "dimension-that-is-a-canonical-column",
        config=DEALS_CONFIG + "        dimensions: {owner: Owner}\n",
        words=("client.yml", "dimensions", "owner"),
    ),
    # --- client settings in client.yml
    Case("unknown-setting", config=settings("    colour: red\n"), words=("client.yml", "colour")),
    Case("language-not-supported", config=settings("    language: de\n"), words=("client.yml", "language", "de")),
    Case(
        "timezone-unknown",
        config=settings("    timezone: Mars/Olympus\n"),
        words=("client.yml", "timezone", "Mars/Olympus"),
    ),
    Case(
        "fiscal-year-start-month-13",
        config=settings("    fiscal_year_start_month: 13\n"),
        words=("client.yml", "fiscal_year_start_month", "13"),
    ),
    Case(
        "fiscal-year-start-month-yes",
        config=settings("    fiscal_year_start_month: yes\n"),
        words=("client.yml", "fiscal_year_start_month"),
    ),
    Case(
        "display-name-a-mapping",
        config=settings("    display_name: {fr: Acme, en: Acme}\n"),
        words=("client.yml", "display_name"),
    ),
    Case("currency-a-list", config=settings("    currency: [EUR, USD]\n"), words=("client.yml", "currency")),
    Case(
        "several-wrong-settings-at-once",
        config=settings(
            "    display_name: {fr: Acme}\n    language: de\n    fiscal_year_start_month: yes\n    data_cutoff: soon\n"
        ),
        words=("client.yml", "display_name", "language", "fiscal_year_start_month", "data_cutoff"),
    ),
    Case(
        "data-cutoff-not-a-date",
        config=settings("    data_cutoff: soon\n"),
        words=("client.yml", "data_cutoff", "soon"),
    ),
    Case("stages-empty", config=settings("    stages: []\n"), words=("client.yml", "stages")),
    Case(
        "stage-id-twice",
        config=settings("    stages: [{id: a, fr: A, en: A}, {id: a, fr: B, en: B}]\n"),
        words=("client.yml", "stage", "a"),
    ),
    Case(
        "stage-probability-above-1",
        config=settings("    stages: [{id: a, fr: A, en: A, probability: 2}, {id: won, fr: G, en: W}]\n"),
        words=("client.yml", "probability", "2"),
    ),
    # --- workspace and new-client
    Case("unknown-client", argv=("import", "nobody"), words=("nobody", "new-client")),
    Case("bad-client-name", argv=("new-client", "../escape"), client=False, words=("client name",)),
    Case("client-already-exists", argv=("new-client", "acme"), words=("acme", "already exists")),
    Case(
        "new-client-raw-folder-missing",
        argv=("new-client", "beta", "--raw", "{root}/nowhere"),
        client=False,
        words=("--raw", "nowhere"),
    ),
    Case(
        "new-client-config-missing",
        argv=("new-client", "beta", "--config", "{root}/nowhere.yml"),
        client=False,
        words=("--config", "nowhere.yml"),
    ),
    Case(
        "new-client-config-invalid",
        argv=("new-client", "beta", "--config", "{root}/template.yml"),
        client=False,
        prepare=_template,
        words=("template.yml", "language", "de"),
    ),
    Case(
        "new-client-raw-dangling-link",
        argv=("--workspace", "{root}/ws", "new-client", "beta", "--raw", "{root}/exports"),
        client=False,
        prepare=_dangling_link_in_exports,
        words=("old.csv", "link"),
        check=_no_staging_left,
    ),
    Case(
        "new-client-raw-link-leaving-the-folder",
        argv=("--workspace", "{root}/ws", "new-client", "beta", "--raw", "{root}/exports"),
        client=False,
        prepare=_link_leaving_exports,
        words=("system", "link"),
        check=_no_staging_left,
    ),
    Case(
        "new-client-raw-file-link-leaving-the-folder",
        argv=("--workspace", "{root}/ws", "new-client", "beta", "--raw", "{root}/exports"),
        client=False,
        prepare=_file_link_leaving_exports,
        words=("passwd.csv", "link"),
        absent=("root:",),
        check=_no_staging_left,
    ),
    Case(
        "read-only-workspace",
        argv=("new-client", "beta"),
        client=False,
        prepare=_read_only_workspace,
        words=("data", "permission"),
    ),
    # --- command line
    Case("no-command", argv=(), client=False),
    Case("unknown-command", argv=("explode",), client=False, words=("explode",)),
    Case("report-without-client", argv=("report",), client=False, words=("client",)),
    Case("kpis-unknown-format", argv=("kpis", "acme", "--format", "xml"), words=("xml", "json")),
    # --- periods and breakdowns (after a good import)
    Case("period-not-a-period", argv=(*KPIS, "2024-Q5"), before=IMPORTED, words=("2024-Q5", "period")),
    Case("period-words", argv=(*KPIS, "yesterday"), before=IMPORTED, words=("yesterday", "2026-Q3")),
    Case(
        "period-range-inverted",
        argv=(*KPIS, "2024-03-01..2024-02-01"),
        before=IMPORTED,
        words=("2024-03-01..2024-02-01",),
    ),
    Case("period-0001-Q1", argv=(*KPIS, "0001-Q1"), before=IMPORTED, words=("0001", FIRST_DAY, LAST_DAY)),
    Case("period-9999-Q4", argv=(*KPIS, "9999-Q4"), before=IMPORTED, words=("9999", FIRST_DAY, LAST_DAY)),
    Case("period-before-the-data", argv=(*KPIS, "2023-Q1"), before=IMPORTED, words=("2023", FIRST_DAY, LAST_DAY)),
    Case("period-after-the-data", argv=(*KPIS, "2024-Q4"), before=IMPORTED, words=("2024-Q4", FIRST_DAY, LAST_DAY)),
    Case(
        "report-period-0001-Q1",
        argv=("report", "acme", "--period", "0001-Q1"),
        before=IMPORTED,
        words=("0001", FIRST_DAY, LAST_DAY),
    ),
    Case(
        "report-period-after-the-data",
        argv=("report", "acme", "--period", "2025-Q1"),
        before=IMPORTED,
        words=("2025-Q1", LAST_DAY),
    ),
    Case("unknown-by-dimension", argv=(*KPIS, "2024-Q1", "--by", "colour"), before=IMPORTED, words=("colour", "owner")),
    Case("by-dimension-without-data", argv=(*KPIS, "2024-Q1", "--by", "product"), before=IMPORTED, words=("product",)),
    Case(
        "kpis-reimport-finds-bad-rows",
        argv=(*KPIS, "2024-Q1"),
        files=deals_with("1,Open,Prospecting,12O,2024-01-05,,Ana\n"),
        words=("deals.csv", "Amount", "12O"),
    ),
    Case(
        "objectives-not-set", argv=("objectives", "acme", "--period", "2024-Q1"), before=IMPORTED, words=("objectives",)
    ),
]


def _argv(case: Case, root: Path) -> list[str]:
    argv = [a.replace("{root}", str(root)) for a in case.argv]
    return argv if "--workspace" in argv else ["--workspace", str(root), *argv]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_with_a_message_naming_the_problem(case: Case, tmp_path: Path):
    if AS_ROOT and case.id in ("read-only-workspace", "unreadable-raw-file"):
        pytest.skip("file permissions do not apply to root, which this test runs as")
    if case.client:
        make_client(tmp_path, case.config, case.files)
    if case.prepare:
        case.prepare(tmp_path)
    for command in case.before:
        first = invoke("--workspace", str(tmp_path), *command)
        assert first.code == 0, f"{' '.join(command)} should succeed first:\n{first.err}"
    run = invoke(*_argv(case, tmp_path))
    output = run.out + run.err
    assert "Traceback" not in output, output
    assert run.code == case.code, f"exit {run.code}, expected {case.code}:\n{output}"
    if case.code:
        assert run.err.strip(), "refused without a message"
    for word in case.words:
        assert word.lower() in run.err.lower(), f"{word!r} not in:\n{run.err}"
    for word in case.absent:
        assert word.lower() not in output.lower(), f"{word!r} should not be shown:\n{output}"
    if case.check:
        case.check(tmp_path)


def test_the_corpus_covers_at_least_sixty_kinds_of_problem():
    ids = [c.id for c in CASES]
    assert len(set(ids)) == len(ids), "case ids must be unique"
    assert len(ids) >= 60
    assert all(re.fullmatch(r"[a-z0-9-]+", i, re.IGNORECASE) for i in ids)
