"""Messages and number formats; every expected string below was written by hand."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from strategy_kit.i18n import (
    LANGUAGES,
    MESSAGES,
    MISSING,
    elide,
    format_compact_currency,
    format_currency,
    format_date,
    format_list,
    format_long_month,
    format_month,
    format_number,
    format_percent,
    format_quarter,
    format_value,
    label,
    placeholders,
    plural,
)

NBSP = "\u00a0"  # between a number and its unit
NNBSP = "\u202f"  # narrow no-break space: between thousands in French (CLDR)
ROOT = Path(__file__).resolve().parents[1]


def test_every_label_has_french_and_english_with_the_same_placeholders():
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert placeholders(texts["fr"]) == placeholders(texts["en"]), key


def test_label_keys_used_in_the_package_and_notebooks_exist():
    literal = re.compile(
        r"""["']((?:report|table|column|overview|chart|excluded|stage|month|journey|baseline|qualification|persona|segmentation|swot)\.[a-z0-9_.]*[a-z0-9_])["']"""
    )
    sources = [*(ROOT / "strategy_kit").rglob("*.py"), *(ROOT / "notebooks").glob("*.ipynb")]
    found = {key for path in sources for key in literal.findall(path.read_text(encoding="utf-8"))}
    used = {
        key for key in found if not key.endswith((".pdf", ".html", ".j2", ".css", ".py", ".ipynb", ".yml"))
    }  # file names
    assert "report.unavailable" in used  # the scan finds keys

    def known(key: str) -> bool:  # a key, or a namespace the code completes (f"{prefix}.{column}")
        return key in MESSAGES or any(existing.startswith(key + ".") for existing in MESSAGES)

    assert sorted(key for key in used if not known(key)) == []


def test_label_fills_placeholders_and_explains_unknown_keys():
    assert label("report.unavailable", "fr", reason="pas de leads") == "Non disponible : pas de leads"
    assert label("report.unavailable", "en", reason="no leads") == "Not available: no leads"
    with pytest.raises(KeyError, match="add it to every language"):
        label("no.such.key", "fr")
    with pytest.raises(ValueError, match="fr, en"):
        label("report.title", "de")


def test_numbers():
    assert format_number(1234.5, "fr", 1) == f"1{NNBSP}234,5"
    assert format_number(1234.5, "en", 1) == "1,234.5"
    assert format_number(1234567, "fr") == f"1{NNBSP}234{NNBSP}567"
    assert format_number(2.5, "en") == "3"  # half away from zero, as by hand
    assert format_number(-0.4, "en") == "0"  # no "-0"
    assert format_number(-1234.56, "fr", 1) == f"-1{NNBSP}234,6"
    assert format_number(None, "fr") == MISSING
    assert format_number(float("nan"), "en") == MISSING


def test_currency_and_percent():
    assert format_currency(1234.5, "fr", "EUR", 1) == f"1{NNBSP}234,5{NBSP}€"
    assert format_currency(1234.5, "en", "EUR", 1) == "€1,234.5"
    assert format_currency(-1234.5, "en", "EUR", 1) == "-€1,234.5"
    assert format_currency(1000, "en", "USD") == "$1,000"
    assert format_currency(1000, "fr", "CHF") == f"1{NNBSP}000{NBSP}CHF"
    assert format_currency(1000, "en", "CHF") == f"CHF{NBSP}1,000"
    assert format_percent(0.125, "fr") == f"12,5{NBSP}%"
    assert format_percent(0.125, "en") == "12.5%"
    assert format_percent(None, "en") == MISSING
    assert format_compact_currency(1_200_000, "fr") == f"1,2{NBSP}M€"
    assert format_compact_currency(1_200_000, "en") == "€1.2M"
    assert format_compact_currency(250_000, "fr") == f"250{NBSP}k€"


def test_dates_and_months():
    assert format_date(date(2026, 9, 30), "fr") == "30/09/2026"
    assert format_date(date(2026, 9, 3), "en") == "3 Sep 2026"
    assert format_date(datetime(2026, 1, 2, 15, 30), "fr") == "02/01/2026"
    assert format_date(pd.Timestamp("2026-07-14"), "fr") == "14/07/2026"
    assert format_date(pd.NaT, "fr") == MISSING
    assert format_month(date(2026, 9, 1), "fr") == "sept. 2026"
    assert format_month(date(2026, 8, 1), "en", year=False) == "Aug"


def test_format_value_by_kind():
    assert format_value(1234, "integer", "fr") == f"1{NNBSP}234"
    assert format_value(98765.4, "currency", "en", "GBP") == "£98,765"
    assert format_value(pd.NA, "integer", "en") == MISSING
    assert format_value(True, "text", "fr") == "oui"
    with pytest.raises(KeyError, match="known"):
        format_value(1, "colour", "fr")


def test_a_kpi_reason_reaching_a_section_is_shown_in_the_reports_language():
    from strategy_kit.kpis.reasons import Unavailable

    reason = Unavailable("no_table", table="deals")
    assert reason.reason("fr") == label("kpis.reason.no_table", "fr", table="Affaires")
    assert reason.reason("en") == label("kpis.reason.no_table", "en", table="deals")


def test_period_labels_read_as_each_language_writes_them():
    assert format_quarter(date(2026, 9, 30), "fr") == "T3 2026"
    assert format_quarter(date(2026, 1, 1), "en") == "Q1 2026"
    assert format_long_month(date(2026, 9, 1), "fr") == "septembre 2026"
    assert format_long_month(date(2026, 9, 1), "en") == "September 2026"


def test_plural_forms_follow_each_languages_rule():
    # French: 0 and 1 take the singular, English only 1.
    assert [plural(n, "affaire|affaires", "fr") for n in (0, 1, 1.5, 2)] == [
        "affaire",
        "affaire",
        "affaire",
        "affaires",
    ]
    assert [plural(n, "deal|deals", "en") for n in (0, 1, 2)] == ["deals", "deal", "deals"]
    assert plural(None, "deal|deals", "en") == "deals"


def test_elision_before_a_vowel_or_a_silent_h():
    assert elide("de", "Antoine", "fr") == "d'Antoine"
    assert elide("de", "Hélène", "fr") == "d'Hélène"
    assert elide("de", "Orséa", "fr") == "d'Orséa"
    assert elide("de", "Marie", "fr") == "de Marie"
    assert elide("que", "il", "fr") == "qu'il"
    assert elide("de", "Antoine", "en") == "de Antoine"  # English elides nothing


def test_placeholders_say_how_their_values_are_written():
    from strategy_kit.i18n import _MessageFormatter

    fr = _MessageFormatter("fr")
    assert fr.format("{n:integer} {n:plural:affaire gagnée|affaires gagnées}", n=1) == "1 affaire gagnée"
    assert (
        fr.format("{n:integer} {n:plural:affaire gagnée|affaires gagnées}", n=1234) == f"1{NNBSP}234 affaires gagnées"
    )
    assert fr.format("Tableau de bord {name:de}", name="Antoine") == "Tableau de bord d'Antoine"
    assert fr.format("{v:currency}", v=1500, currency="USD") == f"1{NNBSP}500{NBSP}$US"
    assert fr.format("{p:percent}", p=0.5) == f"50,0{NBSP}%"
    assert fr.format("{p:percent}", p="déjà écrit") == "déjà écrit"  # text already written stays as it is
    assert fr.format("{d:quarter}", d=date(2026, 8, 1)) == "T3 2026"


def test_lists_are_joined_as_each_language_joins_them():
    assert format_list(["a", "b", "c"], "fr") == "a, b et c"
    assert format_list(["a", "b"], "en") == "a and b"
    assert format_list([], "en") == ""


def test_every_language_folder_has_the_same_message_files():
    from strategy_kit.i18n import HERE

    files = {lang: sorted(p.name for p in (HERE / lang).glob("*.yml")) for lang in LANGUAGES}
    assert all(names == files["fr"] for names in files.values()), files


def test_a_reason_is_a_message_in_every_language_never_a_sentence_in_code():
    from strategy_kit.errors import UnavailableError

    error = UnavailableError("unavailable.no_table", labelled={"label": "table.leads"}, table="leads", client="acme")
    assert error.reason("fr").startswith("cette partie repose sur la table « Leads »")
    assert str(error) == error.reason("en")
    with pytest.raises(KeyError, match="no message 'no leads'"):
        UnavailableError("no leads")
