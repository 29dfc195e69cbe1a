"""Labels and number formats; every expected string below was written by hand."""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from strategy_kit.labels import (
    LABELS,
    LANGUAGES,
    MISSING,
    format_compact_currency,
    format_currency,
    format_date,
    format_month,
    format_number,
    format_percent,
    format_value,
    label,
    placeholders,
)

NBSP = "\u00a0"
ROOT = Path(__file__).resolve().parents[1]


def test_every_label_has_french_and_english_with_the_same_placeholders():
    for key, texts in LABELS.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert placeholders(texts["fr"]) == placeholders(texts["en"]), key


def test_label_keys_used_in_the_package_and_notebooks_exist():
    literal = re.compile(r"""["']((?:report|table|column|overview|chart|excluded|stage|month|journey|baseline|qualification|persona|segmentation|swot)\.[a-z0-9_.]*[a-z0-9_])["']""")
    sources = [*(ROOT / "strategy_kit").rglob("*.py"), *(ROOT / "notebooks").glob("*.ipynb")]
    found = {key for path in sources for key in literal.findall(path.read_text(encoding="utf-8"))}
    used = {key for key in found if not key.endswith((".pdf", ".html", ".css", ".py", ".ipynb", ".yml"))}  # file names
    assert "overview.title" in used
    def known(key: str) -> bool:  # a key, or a namespace the code completes (f"{prefix}.{column}")
        return key in LABELS or any(existing.startswith(key + ".") for existing in LABELS)

    assert sorted(key for key in used if not known(key)) == []


def test_label_fills_placeholders_and_explains_unknown_keys():
    assert label("report.unavailable", "fr", reason="pas de leads") == "Non disponible : pas de leads"
    assert label("report.unavailable", "en", reason="no leads") == "Not available: no leads"
    with pytest.raises(KeyError, match="add it with its fr and en texts"):
        label("no.such.key", "fr")
    with pytest.raises(ValueError, match="fr, en"):
        label("report.title", "de")


def test_numbers():
    assert format_number(1234.5, "fr", 1) == f"1{NBSP}234,5"
    assert format_number(1234.5, "en", 1) == "1,234.5"
    assert format_number(1234567, "fr") == f"1{NBSP}234{NBSP}567"
    assert format_number(2.5, "en") == "3"  # half away from zero, as by hand
    assert format_number(-0.4, "en") == "0"  # no "-0"
    assert format_number(-1234.56, "fr", 1) == f"-1{NBSP}234,6"
    assert format_number(None, "fr") == MISSING
    assert format_number(float("nan"), "en") == MISSING


def test_currency_and_percent():
    assert format_currency(1234.5, "fr", "EUR", 1) == f"1{NBSP}234,5{NBSP}€"
    assert format_currency(1234.5, "en", "EUR", 1) == "€1,234.5"
    assert format_currency(-1234.5, "en", "EUR", 1) == "-€1,234.5"
    assert format_currency(1000, "en", "USD") == "$1,000"
    assert format_currency(1000, "fr", "CHF") == f"1{NBSP}000{NBSP}CHF"
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
    assert format_value(1234, "integer", "fr") == f"1{NBSP}234"
    assert format_value(98765.4, "currency", "en", "GBP") == "£98,765"
    assert format_value(pd.NA, "integer", "en") == MISSING
    assert format_value(True, "text", "fr") == "oui"
    with pytest.raises(KeyError, match="known"):
        format_value(1, "colour", "fr")


def test_a_kpi_reason_reaching_a_section_is_shown_in_the_reports_language():
    from strategy_kit.kpis.reasons import Unavailable
    from strategy_kit.labels import unavailable_reason

    reason = Unavailable("no_table", table="deals")
    assert unavailable_reason(reason, "fr") == label("kpis.reason.no_table", "fr", table="Affaires")
    assert unavailable_reason(reason, "en") == label("kpis.reason.no_table", "en", table="deals")
