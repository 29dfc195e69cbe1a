"""What the reader of a report sees, for clients of the shapes real exports have.

Each report is rendered through the CLI as a scheduled run would, and the figures read in the
PDF's text are compared with plain pandas on the raw exports (tests/export_shapes.py). Sections
that need a table the client lacks say so in the report's language.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from test_client_shapes import in_q2, onboard

from import_fixtures import run_cli
from report_fixtures import pdf_text

SPACES = re.compile(r"[\s\u00a0\u202f]+")  # table cells wrap: compare words, not lines


def render(tmp_path: Path, capsys, shape: str, name: str) -> tuple[Path, str]:
    workspace = onboard(tmp_path, capsys, shape, name)
    code, out, err = run_cli(capsys, "--workspace", str(workspace), "report", name, "--period", "2026-Q2")
    assert code == 0, err
    pdf = Path(out.strip().splitlines()[-1])
    return tmp_path / "exports", SPACES.sub(" ", pdf_text(pdf))


def french_integer(number: float) -> str:
    return f"{round(number):,}".replace(",", " ")


def french_percent(rate: float) -> str:
    return f"{100 * rate:.1f} %".replace(".", ",")


def test_the_report_of_a_call_log_shows_its_calls_and_why_the_rest_is_missing(tmp_path, capsys):
    exports, text = render(tmp_path, capsys, "call-log", "calls")
    raw = pd.read_csv(exports / "calls.csv", parse_dates=["Call Date"])
    calls = raw[in_q2(raw["Call Date"])]
    reached = calls["Outcome"].isin(["Answered", "Appointment Set", "Call Back"]).mean()
    meetings = (calls["Outcome"] == "Appointment Set").mean()

    assert f"Appels passés {len(calls)} " in text
    assert re.search(rf"Taux de joignabilité {french_percent(reached)} ", text), "connect rate"
    assert re.search(rf"Taux de prise de rendez-vous {french_percent(meetings)} ", text), "meeting rate"
    # in French, with the table to map, never a zero standing for the missing deals
    assert "Non disponible : cette partie repose sur la table « Affaires »" in text
    assert "import: deals:" in text
    assert "Gagnées 0" not in text


def test_the_report_of_a_transactions_file_shows_revenue_and_repeat_customers(tmp_path, capsys):
    exports, text = render(tmp_path, capsys, "transactions", "shop")
    raw = pd.read_csv(exports / "sales.csv", parse_dates=["Date"])
    period = raw[in_q2(raw["Date"])]
    upto = raw[raw["Date"] <= "2026-06-30"]
    buyers = upto[upto["Customer"].isin(period["Customer"])]
    repeat = (buyers.groupby("Customer")["Date"].nunique() >= 2).mean()

    assert f"Revenue €{round(period['Total'].sum()):,} " in text
    assert f"{100 * repeat:.1f}%" in text
    assert "Not available: this part needs the deals table (Deals), which client 'shop' has not imported" in text


def test_the_report_of_a_french_spreadsheet_shows_its_deals(tmp_path, capsys):
    exports, text = render(tmp_path, capsys, "french-spreadsheet", "atelier")
    raw = pd.read_csv(exports / "affaires.csv", sep=";", encoding="cp1252", dtype=str)
    raw = raw[raw["N°"] != "Total"]
    amount = pd.to_numeric(raw["Montant (€)"].str.replace(r"[€\s\u00a0]", "", regex=True).str.replace(",", "."))
    closed = pd.to_datetime(raw["Date de clôture"], format="%d/%m/%Y")
    created = pd.to_datetime(raw["Date de création"], format="%d/%m/%Y")
    won = (raw["Statut"] == "Gagnée") & in_q2(closed)
    lost = (raw["Statut"] == "Perdue") & in_q2(closed)

    assert f"Créées {int(in_q2(created).sum())} {french_integer(amount[in_q2(created)].sum())} €" in text
    assert f"Gagnées {int(won.sum())} {french_integer(amount[won].sum())} €" in text
    assert f"Perdues {int(lost.sum())} {french_integer(amount[lost].sum())} €" in text
