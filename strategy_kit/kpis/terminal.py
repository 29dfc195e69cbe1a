"""A :class:`~strategy_kit.kpis.engine.KpiResult` as text for a terminal (``strategy-kit kpis``).

Labels in the report language, numbers written with :mod:`strategy_kit.i18n` formatters; one
table per KPI family (value and a note: rows left out, empty denominator, not available), then one
table per breakdown dimension with the groups as columns, split to fit the terminal's width.
"""

from __future__ import annotations

from collections.abc import Callable

from strategy_kit.config import ClientConfig
from strategy_kit.i18n import (
    MISSING,
    format_currency,
    format_date,
    format_integer,
    format_number,
    format_percent,
    label,
)
from strategy_kit.kpis.dimensions import MISSING_GROUP, WEEKDAYS, dimension_label
from strategy_kit.kpis.engine import KpiResult, Value
from strategy_kit.kpis.registry import FAMILIES, KPI

MAX_COLUMN = 18  # widest group column (longer group names are shortened)


def _writers(currency: str) -> dict[str, Callable[[float, str], str]]:
    return {
        "count": lambda v, lang: format_number(v, lang, 0 if float(v).is_integer() else 1),
        "currency": lambda v, lang: format_currency(v, lang, currency),
        "rate": lambda v, lang: format_percent(v, lang),
        "days": lambda v, lang: label("kpis.unit.days", lang, value=format_number(v, lang, 1)),
        "hours": lambda v, lang: label("kpis.unit.hours", lang, value=format_number(v, lang, 1)),
        "currency_per_day": lambda v, lang: label("kpis.unit.per_day", lang, value=format_currency(v, lang, currency)),
        "breakdown": lambda v, lang: format_currency(v, lang, currency),
    }


def format_kpi_value(value: Value, unit: str, language: str, currency: str = "EUR") -> str:
    """A KPI value as a report writes it (``–`` for no value)."""
    if value is None:
        return MISSING
    return _writers(currency)[unit](value, language)


def _table(header: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = (c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
        return "  ".join(padded).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _note(result: KpiResult, definition: KPI, language: str) -> str:
    if definition.id in result.unavailable:
        return label("kpis.note.unavailable", language, reason=result.reason(definition.id, language))
    notes = []
    if definition.unit != "breakdown" and result.values.get(definition.id) is None:
        notes.append(label(definition.null_note, language))
    excluded = result.excluded.get(definition.id, 0)
    if excluded:
        notes.append(label("kpis.note.excluded", language, count=format_integer(excluded, language)))
    return label("report.list_separator", language).join(notes)  # French puts a narrow space before ";"


def _group_name(group: str, language: str, shorten: bool = True, dimension: str | None = None) -> str:
    """A group as shown: "(not set)" for rows without a value, a weekday in the report's language
    (the machine output keeps the language-neutral key "1 Monday")."""
    name = label("kpis.group.none", language) if group == MISSING_GROUP else group
    if dimension == "weekday" and group in WEEKDAYS:
        name = label(f"kpis.weekday.{WEEKDAYS.index(group) + 1}", language)
    return name if len(name) <= MAX_COLUMN or not shorten else name[: MAX_COLUMN - 1] + "…"


def render_result(result: KpiResult, config: ClientConfig, language: str, width: int = 100) -> str:
    """The whole result as text: a title, a table per family, a table per breakdown dimension."""
    currency = config.currency
    period = result.period
    lines = [
        label(
            "kpis.title",
            language,
            client=config.display_name,
            period=period.label,
            dates=label(
                "report.period_dates",
                language,
                start=format_date(period.start, language),
                end=format_date(period.end, language),
            ),
        ),
        "",
    ]
    header = [label(f"kpis.column.{name}", language) for name in ("kpi", "value", "note")]
    for family in FAMILIES:
        definitions = [d for d in result.definitions.values() if d.family == family]
        if not definitions:
            continue
        rows = []
        for definition in definitions:
            if definition.unit == "breakdown" and definition.id not in result.unavailable:
                rows.append([definition.label(language), "", _note(result, definition, language)])
                rows += [
                    [
                        f"  {_group_name(product, language, shorten=False)}",
                        format_kpi_value(value, "breakdown", language, currency),
                        "",
                    ]
                    for product, value in result.by_product.items()
                ]
                continue
            shown = (
                MISSING
                if definition.id in result.unavailable
                else format_kpi_value(result.values.get(definition.id), definition.unit, language, currency)
            )
            rows.append([definition.label(language), shown, _note(result, definition, language)])
        lines += [label(f"kpis.family.{family}", language), *_table(header, rows, {1}), ""]
    for dimension, groups in result.breakdown.items():
        lines += _breakdown(result, dimension, groups, language, currency, width)
    return "\n".join(lines).rstrip() + "\n"


def _breakdown(
    result: KpiResult, dimension: str, groups: dict[str, dict[str, Value]], language: str, currency: str, width: int
) -> list[str]:
    title = label("kpis.breakdown.title", language, dimension=dimension_label(dimension, language))
    definitions = [d for d in result.definitions.values() if d.id not in result.unavailable and d.unit != "breakdown"]
    names = [_group_name(g, language, dimension=dimension) for g in groups]
    first_width = max([len(d.label(language)) for d in definitions] + [len(label("kpis.column.kpi", language))])
    not_broken_down = result.breakdown_unavailable.get(dimension, {})
    definitions = [d for d in definitions if d.id not in not_broken_down]
    cells = {
        d.id: [format_kpi_value(values.get(d.id), d.unit, language, currency) for values in groups.values()]
        for d in definitions
    }
    column_widths = [max([len(n)] + [len(cells[d.id][i]) for d in definitions]) for i, n in enumerate(names)]
    lines = []
    start = 0
    while start < len(names) or start == 0:
        used, stop = first_width, start
        while stop < len(names) and (stop == start or used + 2 + column_widths[stop] <= width):
            used += 2 + column_widths[stop]
            stop += 1
        header = [label("kpis.column.kpi", language), *names[start:stop]]
        rows = [[d.label(language), *cells[d.id][start:stop]] for d in definitions]
        lines += [title, *_table(header, rows, set(range(1, stop - start + 1))), ""]
        if stop >= len(names):
            break
        start = stop
    if not_broken_down:
        kpi_names = ", ".join(result.definitions[k].label(language) for k in not_broken_down)
        lines[-1:] = [label("kpis.note.not_broken_down", language, kpis=kpi_names), ""]
    return lines
