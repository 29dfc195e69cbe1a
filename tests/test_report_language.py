"""A French report reads in French only, an English report in English only.

The demo report is rendered in both languages (one render each) and its PDF text is searched for
the words of the other language's messages: every stretch of words between placeholders of an
English message that a French message does not also contain must be absent from the French report,
and the reverse. This catches a sentence left in English, an unavailable-reason not translated, a
header or chart label written in code."""

from __future__ import annotations

import re
import string

import pandas as pd
import pytest
from pypdf import PdfReader

from strategy_kit.i18n import LANGUAGES, MESSAGES

from report_fixtures import pdf_text

MIN_WORDS = 3  # shorter stretches ("Q3 2026", "Non") are shared by both languages or too common


def _normalised(text: str) -> str:
    """Lower case, every run of spaces, no-break spaces and line breaks one space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip().lower()


def _spaced(text: str) -> str:
    """No-break spaces (thousands, before € and %) as plain spaces; case and lines kept."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


def stretches(text: str) -> list[str]:
    """The literal parts of a message between its placeholders, of at least MIN_WORDS words."""
    parts = [literal for literal, _, _, _ in string.Formatter().parse(text)]
    found = []
    for part in parts:
        part = _normalised(part).strip(" .,;:()«»\"'")
        if len(re.findall(r"[^\W\d_]{2,}", part)) >= MIN_WORDS:
            found.append(part)
    return found


def foreign_stretches(language: str) -> dict[str, str]:
    """Stretches of the other languages' messages that no message of ``language`` contains."""
    own = " | ".join(_normalised(texts[language]) for texts in MESSAGES.values() if language in texts)
    foreign: dict[str, str] = {}
    for key, texts in MESSAGES.items():
        for other, text in texts.items():
            if other == language:
                continue
            for stretch in stretches(text):
                if stretch not in own:
                    foreign[stretch] = f"{key} ({other})"
    return foreign


def test_stretches_are_the_literal_words_between_placeholders():
    assert stretches("Not available: {reason}") == []  # two words: too short to tell a language
    assert stretches("the deals table of client '{client}' has no rows") == ["the deals table of client", "has no rows"]


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory):
    from strategy_kit.demo import build_demo
    from strategy_kit.report import render_report
    from strategy_kit.workspace import Workspace

    workspace = Workspace(tmp_path_factory.mktemp("language-demo"))
    build_demo(workspace)
    texts, pages = {}, {}
    for language in LANGUAGES:
        pdf = render_report(workspace, "demo", period="2026-Q3", language=language)
        texts[language] = _normalised(pdf_text(pdf))
        pages[language] = [_spaced(page.extract_text()) for page in PdfReader(pdf).pages]
    return texts, _data_text(workspace), pages, workspace


def _data_text(workspace) -> str:
    """Every text value of the demo's tables: the client's own words (lost reasons, products...)
    appear as they were exported, in whichever report."""
    from strategy_kit.importer import load_sales_data

    data = load_sales_data(workspace, "demo")
    values = set()
    for table in data.tables.values():
        for column in table.columns:
            if table[column].dtype == object or str(table[column].dtype) == "category":
                values.update(_normalised(str(v)) for v in table[column].dropna().unique())
    return " | ".join(sorted(values))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demo_report_holds_no_sentence_of_another_language(demo_reports, language):
    texts, data, _, _ = demo_reports
    text = texts[language]
    assert len(text) > 20_000  # the whole report was read
    found = {
        stretch: key for stretch, key in foreign_stretches(language).items() if stretch in text and stretch not in data
    }
    assert found == {}, f"words of another language in the {language} report: {found}"


def test_the_demo_report_holds_no_english_words_in_french(demo_reports):
    # Words that only English uses, written whole; the demo's own data (names, products) are French.
    texts, *_ = demo_reports
    english = re.compile(r"\b(the|needs|which|with|has|have|without|deals?(?![:._])|won|lost|not available)\b")
    context = [
        m.group(0) + " … " + texts["fr"][max(0, m.start() - 60) : m.end() + 60] for m in english.finditer(texts["fr"])
    ]
    assert context == []


def _raw_revenue(workspace) -> pd.DataFrame:
    """The demo's sales journal read with pandas alone (Windows-1252, ';', two title lines, a
    decimal comma, a total row without a date)."""
    path = workspace.client("demo").raw / "journal-des-ventes.csv"
    frame = pd.read_csv(path, sep=";", encoding="cp1252", skiprows=2, dtype=str)
    frame = frame[frame["Date"].str.fullmatch(r"\d{2}/\d{2}/\d{4}", na=False)]
    amount = frame["Montant HT (€)"].str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace(",", ".")
    return pd.DataFrame({"date": pd.to_datetime(frame["Date"], format="%d/%m/%Y"), "amount": amount.astype(float)})


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demo_report_opens_on_its_summary_then_its_contents(demo_reports, language):
    from strategy_kit.i18n import format_currency

    _, _, pages, workspace = demo_reports
    first, second = pages[language][0], pages[language][1]
    words = {
        "fr": ("L'essentiel de T3 2026", "Ce qu'il faut faire", "Sommaire", "T3 2026", "Données et méthode"),
        "en": ("Q3 2026 at a glance", "What to do", "Contents", "Q3 2026", "Data and method"),
    }[language]
    title, findings, contents, quarter, appendix = words
    assert title in first and findings in first and contents in second and appendix in second
    assert "created_at" not in first + second  # the data coverage, in plain words, is in the appendix
    # The quarter's revenue and a year earlier, from the raw sales journal with pandas.
    revenue = _raw_revenue(workspace)
    in_quarter = revenue[(revenue["date"] >= "2026-07-01") & (revenue["date"] <= "2026-09-30")]["amount"].sum()
    year_before = revenue[(revenue["date"] >= "2025-07-01") & (revenue["date"] <= "2025-09-30")]["amount"].sum()
    row = next(line for line in first.splitlines() if re.match(re.escape(quarter) + r" €?\d", line))
    assert _spaced(format_currency(in_quarter, language)) in row
    assert _spaced(format_currency(year_before, language)) in row
    change = round((in_quarter / year_before - 1) * 100)
    assert row.endswith(f"+{change} %" if language == "fr" else f"+{change}%")
    # Each finding links to its section: a page number after "voir p." / "see p.", at most 8 findings.
    see = "voir p." if language == "fr" else "see p."
    numbers = [int(n) for n in re.findall(re.escape(see) + r" (\d+)", first)]
    assert 5 <= len(numbers) <= 8 and all(3 <= n <= len(pages[language]) for n in numbers)


@pytest.fixture(scope="module")
def sparse_french_report(tmp_path_factory):
    """A deals-only client without owners, activities, leads or accounts: most sections explain
    why they are not available, which is where untranslated reasons hide."""
    from strategy_kit.cli import main
    from strategy_kit.report import render_report

    from conftest import TINY_DEALS

    root = tmp_path_factory.mktemp("sparse")
    raw = root / "exports"
    raw.mkdir()
    lines = TINY_DEALS.strip().splitlines()
    deals = [lines[0]] + [line.rsplit(",", 1)[0] + "," for line in lines[1:]]  # the owner left empty
    (raw / "deals.csv").write_text("\n".join(deals) + "\n", encoding="utf-8")
    assert main(["--workspace", str(root), "new-client", "sparse", "--raw", str(raw), "--language", "fr"]) == 0
    assert main(["--workspace", str(root), "import", "sparse"]) == 0
    return _normalised(pdf_text(render_report(root, "sparse", period="2026-Q2")))


def test_a_sparse_french_report_explains_what_is_missing_in_french(sparse_french_report):
    text = sparse_french_report
    assert "non disponible" in text  # the sections without their data say so
    found = {stretch: key for stretch, key in foreign_stretches("fr").items() if stretch in text}
    assert found == {}, f"English in the French report: {found}"
    english = re.compile(r"\b(the|needs|which|with|has|have|without|deals?(?![:._])|won|lost|not available)\b")
    assert [text[max(0, m.start() - 80) : m.end() + 80] for m in english.finditer(text)] == []
