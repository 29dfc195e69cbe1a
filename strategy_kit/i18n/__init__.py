"""Every text a user sees, in each language, and how numbers, amounts and dates are written.

Each language is a folder beside this file (``fr/``, ``en/``): ``language.yml`` says how the
language is written (its Babel locale, the words French elides), and the other ``*.yml`` files
hold the messages, one file per part of the report, ``key: text``. Adding a language means adding
a folder; a test checks that every key exists in every language with the same placeholders.

A message is a whole sentence with ``{placeholders}``, filled by :func:`label`. A placeholder may
say how its value is written, so that no sentence is glued from fragments:

- a kind: ``{count:integer}``, ``{value:number}``, ``{share:percent}``, ``{amount:currency}``,
  ``{day:date}``, ``{day:month}``, ``{day:quarter}``, ``{day:year}``;
- a plural: ``{count:plural:affaire|affaires}`` writes the form of ``count`` under the language's
  plural rule (``one|other``; or named forms ``one=...|many=...|other=...``);
- an elided word: ``{name:de}`` writes ``de Marie`` or ``d'Antoine`` (the words are listed under
  ``elision`` in ``language.yml``; a language that elides nothing writes the word and a space).

Numbers, currencies, percentages, dates and lists are written by Babel with the locale's own
symbols (French: ``1 234,5``, ``12,5 %``, ``1 234 €``, ``30/09/2026``, ``T3 2026``), rounded half
away from zero, as people round by hand.
"""

from __future__ import annotations

import decimal
import math
import string
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from babel import Locale
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers

HERE = Path(__file__).parent
LANGUAGE_FILE = "language.yml"
MISSING = "–"  # shown for a missing or undefined value (en dash)
NBSP = "\u00a0"  # no-break space: between a number and its unit in French


def _languages() -> tuple[str, ...]:
    found = sorted(p.parent.name for p in HERE.glob(f"*/{LANGUAGE_FILE}"))
    # French first: the method's own language and the default of a new client.
    return tuple(sorted(found, key=lambda code: (code != "fr", code != "en", code)))


LANGUAGES = _languages()


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return language


# The messages are read by every notebook's kernel: libyaml's parser reads them 15 times faster than
# the pure-Python one, with the same safe constructors.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def language_settings(language: str) -> dict[str, Any]:
    """``language.yml`` of ``language``: its Babel ``locale`` and ``elision`` words."""
    check_language(language)
    with open(HERE / language / LANGUAGE_FILE, encoding="utf-8") as file:
        return dict(yaml.load(file, Loader=_YAML_LOADER))


@cache
def locale(language: str) -> Locale:
    return Locale.parse(language_settings(language)["locale"])


@cache
def catalog(language: str) -> dict[str, str]:
    """Every message of ``language``: the ``*.yml`` files of its folder, merged."""
    check_language(language)
    messages: dict[str, str] = {}
    for path in sorted((HERE / language).glob("*.yml")):
        if path.name == LANGUAGE_FILE:
            continue
        with open(path, encoding="utf-8") as file:
            part = yaml.load(file, Loader=_YAML_LOADER) or {}
        repeated = sorted(set(part) & set(messages))
        if repeated:
            raise ValueError(f"{path}: keys already defined in another file of {language}/: {', '.join(repeated)}")
        messages.update({str(key): str(text) for key, text in part.items()})
    return messages


def label(key: str, language: str, **fields: Any) -> str:
    """The message ``key`` in ``language``, its ``{placeholders}`` filled from ``fields``."""
    try:
        text = catalog(language)[key]
    except KeyError:
        raise KeyError(f"no message '{key}' in strategy_kit/i18n/{language}/; add it to every language") from None
    return _MessageFormatter(language).format(text, **fields) if fields else text


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a message expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class _MessageFormatter(string.Formatter):
    """``str.format`` whose format specs are value kinds, plurals and elided words (module doc)."""

    def __init__(self, language: str):
        self.language = language
        self.currency = "EUR"

    def vformat(self, format_string: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
        self.currency = str(kwargs.get("currency", "EUR"))  # the code of ``{amount:currency}`` values
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if not format_spec:
            return format_text(value, self.language)
        kind, _, argument = format_spec.partition(":")
        if kind == "plural":
            return plural(value, argument, self.language)
        if kind in FORMATTERS:
            return value if isinstance(value, str) else format_value(value, kind, self.language, self.currency)
        return elide(format_spec, format_text(value, self.language), self.language)


def plural(count: Any, forms: str, language: str) -> str:
    """The form of ``forms`` (``one|other`` or ``one=...|many=...|other=...``) that ``count`` takes."""
    choices = forms.split("|")
    if all("=" in choice for choice in choices):
        named = dict(choice.split("=", 1) for choice in choices)
    else:
        named = dict(zip(("one", "other"), choices))
    category = "other" if _is_missing(count) else locale(language).plural_form(abs(float(count)))
    return named.get(category, named["other"])


def elide(word: str, value: str, language: str) -> str:
    """``word`` before ``value``, elided when the language says so: ``de`` + ``Antoine`` -> ``d'Antoine``."""
    elided = language_settings(language).get("elision", {}).get(word)
    if elided and value[:1].lower() in "aeiouyhàâäéèêëîïôöùûüœæ":
        return f"{elided}{value}"
    return f"{word} {value}"


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isinf(value))
    except (TypeError, ValueError):  # pandas.NA compared raises in a boolean context
        return True


def _pattern(decimals: int, grouping: bool = True) -> str:
    whole = "#,##0" if grouping else "0"
    return whole + ("." + "0" * decimals if decimals > 0 else "")


def format_number(value: float | int | None, language: str, decimals: int = 0) -> str:
    """``1234.5`` -> ``1 234,5`` (fr) or ``1,234.5`` (en), rounded half away from zero."""
    check_language(language)
    if value is None or _is_missing(value):
        return MISSING
    with decimal.localcontext() as context:
        context.rounding = decimal.ROUND_HALF_UP
        number = decimal.Decimal(repr(float(value)))
        text = babel_numbers.format_decimal(number, format=_pattern(decimals), locale=locale(language))
    # "-0" after rounding a small negative number reads as a mistake.
    return text.lstrip("-\u2212") if number.quantize(decimal.Decimal(1).scaleb(-decimals)) == 0 else text


def format_integer(value: float | int | None, language: str) -> str:
    return format_number(value, language, 0)


def format_percent(fraction: float | None, language: str, decimals: int = 1) -> str:
    """A fraction as a percentage: ``0.125`` -> ``12,5 %`` (fr) or ``12.5%`` (en)."""
    if fraction is None or _is_missing(fraction):
        return MISSING
    number = format_number(float(fraction) * 100, language, decimals)
    percent = babel_numbers.format_percent(0, locale=locale(language))  # "0 %" or "0%": where the sign goes
    return percent.replace("0", number, 1)


def currency_symbol(currency: str, language: str) -> str:
    return babel_numbers.get_currency_symbol(currency, locale=locale(language))


def format_currency(value: float | None, language: str, currency: str = "EUR", decimals: int = 0) -> str:
    """``1234.5`` -> ``1 235 €`` (fr) or ``€1,235`` (en), with the locale's symbol and its place."""
    if _is_missing(value):
        return MISSING
    number = format_number(value, language, decimals)
    return _with_symbol(number, language, currency)


def _with_symbol(number: str, language: str, currency: str, suffix: str = "") -> str:
    """``number`` (already written) with the currency symbol where ``language`` puts it."""
    template = babel_numbers.format_currency(0, currency, format="¤0", locale=locale(language))
    symbol_first = babel_numbers.format_currency(0, currency, locale=locale(language)).startswith(template[:-1])
    symbol = currency_symbol(currency, language)
    if symbol_first:
        sign, digits = ("-", number[1:]) if number[:1] in "-\u2212" else ("", number)
        gap = "" if len(symbol) == 1 or not symbol.isalpha() else NBSP
        return f"{sign}{symbol}{gap}{digits}{suffix}"
    return f"{number}{NBSP}{suffix}{symbol}"


def format_compact_currency(value: float | None, language: str, currency: str = "EUR") -> str:
    """Short amounts for chart axes: ``1 200 000`` -> ``1,2 M€`` (fr) or ``€1.2M`` (en); ``12 000`` -> ``12 k€`` / ``€12k``."""
    if value is None or _is_missing(value):
        return MISSING
    suffixes = label("number.compact_suffixes", language).split("|")  # thousands|millions|billions
    for factor, suffix in ((1e9, suffixes[2]), (1e6, suffixes[1]), (1e3, suffixes[0])):
        if abs(value) >= factor:
            scaled = value / factor
            decimals = 0 if abs(scaled) >= 10 or float(scaled).is_integer() else 1
            return _with_symbol(format_number(scaled, language, decimals), language, currency, suffix)
    return _with_symbol(format_number(value, language, 0), language, currency)


def _as_date(value: date | datetime | Any) -> date:
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value.date() if isinstance(value, datetime) else value


def _format_day(value: Any, language: str, pattern_key: str) -> str:
    check_language(language)
    if _is_missing(value):
        return MISSING
    return babel_dates.format_date(_as_date(value), label(pattern_key, language), locale=locale(language))


def format_date(value: date | datetime | None, language: str) -> str:
    """``2026-09-30`` -> ``30/09/2026`` (fr) or ``30 Sep 2026`` (en)."""
    return _format_day(value, language, "date.pattern.day")


def format_month(value: date | datetime | None, language: str, year: bool = True) -> str:
    """The month of ``value``: ``sept. 2026`` (fr) or ``Sep 2026`` (en); ``year=False``: ``sept.``."""
    return _format_day(value, language, "date.pattern.month" if year else "date.pattern.month_only")


def format_long_month(value: date | datetime | None, language: str) -> str:
    """``septembre 2026`` (fr) or ``September 2026`` (en)."""
    return _format_day(value, language, "date.pattern.long_month")


def format_quarter(value: date | datetime | None, language: str) -> str:
    """The calendar quarter of ``value``: ``T3 2026`` (fr) or ``Q3 2026`` (en)."""
    return _format_day(value, language, "date.pattern.quarter")


def format_year(value: date | datetime | None, language: str) -> str:
    return _format_day(value, language, "date.pattern.year")


def format_weekday(weekday: int, language: str) -> str:
    """The name of a weekday, ``0`` Monday ... ``6`` Sunday: ``lundi`` (fr) or ``Monday`` (en)."""
    names = locale(language).days["format"]["wide"]
    return str(names[weekday])


def format_list(items: Sequence[str], language: str, style: Literal["standard", "unit"] = "standard") -> str:
    """``a, b et c`` (fr) or ``a, b and c`` (en); ``style="unit"``: ``a, b, c``."""
    return babel_lists.format_list(list(items), style=style, locale=locale(language)) if items else ""


def format_text(value: Any, language: str) -> str:
    if _is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return label("report.yes" if value else "report.no", language)
    return str(value)


# How a value of each kind is written; tables declare the kind of each column.
FORMATTERS: dict[str, Callable[[Any, str, str], str]] = {
    "integer": lambda v, lang, cur: format_integer(v, lang),
    "number": lambda v, lang, cur: format_number(v, lang, 1),
    "currency": lambda v, lang, cur: format_currency(v, lang, cur),
    "percent": lambda v, lang, cur: format_percent(v, lang),
    "date": lambda v, lang, cur: format_date(v, lang),
    "month": lambda v, lang, cur: format_month(v, lang),
    "long_month": lambda v, lang, cur: format_long_month(v, lang),
    "quarter": lambda v, lang, cur: format_quarter(v, lang),
    "year": lambda v, lang, cur: format_year(v, lang),
    "text": lambda v, lang, cur: format_text(v, lang),
}


def format_value(value: Any, kind: str, language: str, currency: str = "EUR") -> str:
    """Write ``value`` as a value of ``kind`` (a key of :data:`FORMATTERS`)."""
    try:
        formatter = FORMATTERS[kind]
    except KeyError:
        raise KeyError(f"unknown value kind '{kind}'; known: {', '.join(FORMATTERS)}") from None
    return formatter(value, language, currency)


def translated(fields: Mapping[str, Any], language: str) -> dict[str, Any]:
    """``fields`` with dates written for ``language`` (other values as they are)."""
    return {name: format_date(value, language) if isinstance(value, date) else value for name, value in fields.items()}


class _Messages(Mapping[str, dict[str, str]]):
    """Every message key, with its text in each language: ``MESSAGES[key] == {"fr": ..., "en": ...}``."""

    def __getitem__(self, key: str) -> dict[str, str]:
        texts = {language: catalog(language).get(key) for language in LANGUAGES}
        if all(text is None for text in texts.values()):
            raise KeyError(key)
        return {language: text for language, text in texts.items() if text is not None}

    def __iter__(self) -> Iterator[str]:
        keys: dict[str, None] = {}
        for language in LANGUAGES:
            keys.update(dict.fromkeys(catalog(language)))
        return iter(keys)

    def __len__(self) -> int:
        return sum(1 for _ in self)


MESSAGES: Mapping[str, dict[str, str]] = _Messages()
