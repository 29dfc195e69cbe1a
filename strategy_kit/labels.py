"""Every text a report shows, in French and English, and how numbers and dates are written.

Labels live in one registry, :data:`LABELS`: ``key -> {"fr": ..., "en": ...}``. Texts may hold
``{placeholders}`` filled by :func:`label`. Analyses and plots never hard-code a shown text:
they ask for a key here.

Number formats (``NBSP`` is the non-breaking space U+00A0, so a number never wraps):

- French: ``1 234,5`` · ``1 234,5 €`` · ``12,5 %`` · ``30/09/2026``;
- English: ``1,234.5`` · ``€1,234.5`` · ``12.5%`` · ``30 Sep 2026``.
"""
from __future__ import annotations

import math
import string
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

LANGUAGES = ("fr", "en")
NBSP = "\u00a0"
MISSING = "–"  # shown for a missing or undefined value (en dash)

LABELS: dict[str, dict[str, str]] = {
    # Report frame: cover block, headers, notes.
    "report.title": {"fr": "Stratégie commerciale", "en": "Sales strategy"},
    "report.period": {"fr": "Période", "en": "Period"},
    "report.period_dates": {"fr": "du {start} au {end}", "en": "{start} to {end}"},
    "report.generated": {"fr": "Rapport généré le {date}", "en": "Report generated on {date}"},
    "report.unavailable": {"fr": "Non disponible : {reason}", "en": "Not available: {reason}"},
    "report.left_out": {"fr": "Lignes écartées : {details}.", "en": "Rows left out: {details}."},
    "report.yes": {"fr": "oui", "en": "yes"},
    "report.no": {"fr": "non", "en": "no"},
    # Canonical tables.
    "table.deals": {"fr": "Affaires", "en": "Deals"},
    "table.accounts": {"fr": "Comptes", "en": "Accounts"},
    "table.leads": {"fr": "Leads", "en": "Leads"},
    "table.stage_history": {"fr": "Historique des étapes", "en": "Stage history"},
    "table.activities": {"fr": "Activités", "en": "Activities"},
    "table.revenue": {"fr": "Lignes de chiffre d'affaires", "en": "Revenue lines"},
    "table.targets": {"fr": "Objectifs", "en": "Targets"},
    "table.reps": {"fr": "Commerciaux", "en": "Sales reps"},
    "table.products": {"fr": "Produits", "en": "Products"},
    # Column headers of the tables shown in reports.
    "column.table": {"fr": "Table", "en": "Table"},
    "column.imported": {"fr": "Importée", "en": "Imported"},
    "column.rows": {"fr": "Lignes", "en": "Rows"},
    "column.in_period": {"fr": "Dans la période", "en": "In the period"},
    "column.date_column": {"fr": "Date utilisée", "en": "Date used"},
    "column.first_date": {"fr": "Première date", "en": "First date"},
    "column.last_date": {"fr": "Dernière date", "en": "Last date"},
    "column.undated": {"fr": "Sans date", "en": "Without date"},
    "column.stage": {"fr": "Étape", "en": "Stage"},
    "column.deals": {"fr": "Affaires", "en": "Deals"},
    "column.value": {"fr": "Montant", "en": "Value"},
    "column.share_of_value": {"fr": "Part du montant", "en": "Share of value"},
    "column.measure": {"fr": "Mesure", "en": "Measure"},
    "column.count": {"fr": "Nombre", "en": "Count"},
    "column.month": {"fr": "Mois", "en": "Month"},
    "column.revenue": {"fr": "Chiffre d'affaires", "en": "Revenue"},
    "column.previous_year": {"fr": "Année précédente", "en": "Previous year"},
    # Overview section.
    "overview.title": {"fr": "Vue d'ensemble des données", "en": "Data overview"},
    "overview.intro": {
        "fr": "Les données de {client} en un coup d'œil pour la période {period} ({dates}) : volumes "
              "importés, pipeline ouvert en fin de période, affaires créées, gagnées et perdues, "
              "chiffre d'affaires des douze derniers mois.",
        "en": "{client}'s data at a glance for the period {period} ({dates}): imported volumes, the "
              "open pipeline at the end of the period, deals created, won and lost, and revenue "
              "over the last twelve months.",
    },
    "overview.volumes.title": {"fr": "Volumes et couverture des données", "en": "Volumes and data coverage"},
    "overview.volumes.note": {
        "fr": "« Dans la période » compte les lignes dont la date utilisée tombe entre le {start} "
              "et le {end} (bornes comprises).",
        "en": "“In the period” counts the rows whose date used falls between {start} and {end} "
              "(both included).",
    },
    "overview.volumes.not_imported": {
        "fr": "Tables non importées : {tables}.",
        "en": "Tables not imported: {tables}.",
    },
    "overview.pipeline.title": {"fr": "Pipeline ouvert par étape au {end}", "en": "Open pipeline by stage at {end}"},
    "overview.pipeline.note": {
        "fr": "Affaires ouvertes au {end} : créées au plus tard ce jour-là et non clôturées à cette "
              "date. {total_deals} affaires pour {total_value}. L'étape est celle de l'historique des "
              "étapes à cette date quand il est daté ({from_history} affaires), sinon l'étape actuelle.",
        "en": "Deals open at {end}: created on or before that day and not closed by then. "
              "{total_deals} deals worth {total_value}. The stage is the one the stage history shows "
              "at that date when it is dated ({from_history} deals), else the current stage.",
    },
    "overview.flows.title": {"fr": "Affaires créées, gagnées et perdues", "en": "Deals created, won and lost"},
    "overview.flows.created": {"fr": "Créées", "en": "Created"},
    "overview.flows.won": {"fr": "Gagnées", "en": "Won"},
    "overview.flows.lost": {"fr": "Perdues", "en": "Lost"},
    "overview.revenue.title": {"fr": "Chiffre d'affaires par mois", "en": "Revenue by month"},
    "overview.revenue.source.revenue_lines": {
        "fr": "Source : les lignes de chiffre d'affaires (factures), par mois de facturation.",
        "en": "Source: the revenue lines (invoices), by invoice month.",
    },
    "overview.revenue.source.won_deals": {
        "fr": "Source : le montant des affaires gagnées, par mois de clôture (aucune ligne de "
              "chiffre d'affaires importée).",
        "en": "Source: the value of won deals, by month closed (no revenue lines imported).",
    },
    "overview.revenue.previous_year_note": {
        "fr": "« Année précédente » : le même mois un an plus tôt, quand les données le couvrent.",
        "en": "“Previous year”: the same month one year earlier, when the data cover it.",
    },
    "stage.unknown": {"fr": "Étape inconnue à cette date", "en": "Stage unknown at that date"},
    # Reasons rows are left out of a figure (always shown beside it).
    "excluded.no_created_at": {"fr": "{count} sans date de création", "en": "{count} without a creation date"},
    "excluded.no_closed_at": {"fr": "{count} clôturée(s) sans date de clôture", "en": "{count} closed without a close date"},
    "excluded.no_value": {"fr": "{count} sans montant", "en": "{count} without a value"},
    "excluded.no_date": {"fr": "{count} sans date", "en": "{count} without a date"},
    "excluded.no_amount": {"fr": "{count} sans montant", "en": "{count} without an amount"},
    # Charts.
    "chart.pipeline.title": {"fr": "Pipeline ouvert au {end}", "en": "Open pipeline at {end}"},
    "chart.pipeline.axis": {"fr": "Montant ouvert ({currency})", "en": "Open value ({currency})"},
    "chart.pipeline.deals": {"fr": "{count} aff.", "en": "{count} deals"},
    "chart.revenue.title": {"fr": "Chiffre d'affaires par mois", "en": "Revenue by month"},
    "chart.revenue.axis": {"fr": "Chiffre d'affaires ({currency})", "en": "Revenue ({currency})"},
    "chart.revenue.current": {"fr": "Chiffre d'affaires", "en": "Revenue"},
    "chart.revenue.previous_year": {"fr": "Même mois, année précédente", "en": "Same month, previous year"},
    # Customer journey (strategy_kit.journey, notebook 01).
    # KPIs (strategy_kit.kpis, strategy-kit kpis).
    # Baselines (strategy_kit.baselines, notebook 05).
    # Months, abbreviated as each language does.
    **{
        f"month.{number}": {"fr": fr, "en": en}
        for number, (fr, en) in enumerate(
            (
                ("janv.", "Jan"), ("févr.", "Feb"), ("mars", "Mar"), ("avr.", "Apr"),
                ("mai", "May"), ("juin", "Jun"), ("juil.", "Jul"), ("août", "Aug"),
                ("sept.", "Sep"), ("oct.", "Oct"), ("nov.", "Nov"), ("déc.", "Dec"),
            ),
            start=1,
        )
    },
}

# Symbols of the usual currencies; any other ISO code is written as the code itself.
CURRENCY_SYMBOLS: dict[str, str] = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return language


def label(key: str, language: str, **fields: Any) -> str:
    """The text of ``key`` in ``language``, with ``{placeholders}`` filled from ``fields``."""
    check_language(language)
    try:
        text = LABELS[key][language]
    except KeyError:
        raise KeyError(f"no label '{key}' in strategy_kit.labels.LABELS; add it with its fr and en texts") from None
    return text.format(**fields) if fields else text


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a label text expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isinf(value))
    except (TypeError, ValueError):  # pandas.NA compared raises in a boolean context
        return True


def format_number(value: float | int | None, language: str, decimals: int = 0) -> str:
    """``1234.5`` -> ``1 234,5`` (fr, non-breaking space) or ``1,234.5`` (en)."""
    check_language(language)
    if _is_missing(value):
        return MISSING
    # Half away from zero, as people round by hand (2.5 -> 3), not Python's half-to-even.
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,.{decimals}f}"
    if language == "fr":
        text = text.replace(",", NBSP).replace(".", ",")
    return ("-" if rounded < 0 else "") + text


def format_integer(value: float | int | None, language: str) -> str:
    return format_number(value, language, 0)


def format_percent(fraction: float | None, language: str, decimals: int = 1) -> str:
    """A fraction in [0, 1] as a percentage: ``0.125`` -> ``12,5 %`` (fr) or ``12.5%`` (en)."""
    if _is_missing(fraction):
        return MISSING
    number = format_number(float(fraction) * 100, language, decimals)
    return f"{number}{NBSP}%" if language == "fr" else f"{number}%"


def format_currency(value: float | None, language: str, currency: str = "EUR", decimals: int = 0) -> str:
    """``1234.5`` -> ``1 234,5 €`` (fr) or ``€1,234.5`` (en); unknown codes: ``1 234 CHF`` / ``CHF 1,234``."""
    if _is_missing(value):
        return MISSING
    number = format_number(value, language, decimals)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if language == "fr":
        return f"{number}{NBSP}{symbol}"
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    gap = "" if currency in CURRENCY_SYMBOLS else NBSP
    return f"{sign}{symbol}{gap}{digits}"


def format_compact_currency(value: float | None, language: str, currency: str = "EUR") -> str:
    """Short amounts for chart axes: ``1 200 000`` -> ``1,2 M€`` (fr) or ``€1.2M`` (en); ``12 000`` -> ``12 k€`` / ``€12k``."""
    if _is_missing(value):
        return MISSING
    for factor, suffix in ((1e9, "G" if language == "fr" else "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            scaled = value / factor
            decimals = 0 if abs(scaled) >= 10 or float(scaled).is_integer() else 1
            number = format_number(scaled, language, decimals)
            break
    else:
        number, suffix = format_number(value, language, 0), ""
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if language == "fr":
        return f"{number}{NBSP}{suffix}{symbol}"
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    gap = "" if currency in CURRENCY_SYMBOLS else NBSP
    return f"{sign}{symbol}{gap}{digits}{suffix}"


def _as_date(value: date | datetime | Any) -> date:
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value.date() if isinstance(value, datetime) else value


def format_date(value: date | datetime | None, language: str) -> str:
    """``2026-09-30`` -> ``30/09/2026`` (fr) or ``30 Sep 2026`` (en)."""
    check_language(language)
    if _is_missing(value):
        return MISSING
    day = _as_date(value)
    if language == "fr":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {label(f'month.{day.month}', 'en')} {day.year}"


def format_month(value: date | datetime | None, language: str, year: bool = True) -> str:
    """The month of ``value``: ``sept. 2026`` (fr) or ``Sep 2026`` (en); ``year=False``: ``sept.``."""
    if _is_missing(value):
        return MISSING
    day = _as_date(value)
    name = label(f"month.{day.month}", language)
    return f"{name} {day.year}" if year else name


def format_text(value: Any, language: str) -> str:
    if _is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return label("report.yes" if value else "report.no", language)
    return str(value)


# How a value of each kind is written; tables declare the kind of each column.
FORMATTERS: dict[str, Callable[..., str]] = {
    "integer": lambda v, lang, cur: format_integer(v, lang),
    "number": lambda v, lang, cur: format_number(v, lang, 1),
    "currency": lambda v, lang, cur: format_currency(v, lang, cur),
    "percent": lambda v, lang, cur: format_percent(v, lang),
    "date": lambda v, lang, cur: format_date(v, lang),
    "month": lambda v, lang, cur: format_month(v, lang),
    "text": lambda v, lang, cur: format_text(v, lang),
}


def format_value(value: Any, kind: str, language: str, currency: str = "EUR") -> str:
    """Write ``value`` as a value of ``kind`` (a key of :data:`FORMATTERS`)."""
    try:
        formatter = FORMATTERS[kind]
    except KeyError:
        raise KeyError(f"unknown value kind '{kind}'; known: {', '.join(FORMATTERS)}") from None
    return formatter(value, language, currency)
