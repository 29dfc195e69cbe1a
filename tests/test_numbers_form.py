"""Numbers typed in a form, read as the form's language writes them (Babel, the client's locale);
every expected value below was worked out by hand."""

from __future__ import annotations

import pytest

from strategy_kit.inputs.errors import InputError
from strategy_kit.widgets.form import NumberText, parse_number

NNBSP = "\u202f"


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("12,5", "fr", 12.5),  # the French decimal comma (the bug: saved as 125)
        ("12.5", "fr", 12.5),  # a point with no group of three after it can only be a decimal point
        ("0,5", "fr", 0.5),
        ("2 500 000", "fr", 2_500_000),  # ordinary spaces between thousands
        (f"2{NNBSP}500{NNBSP}000,25", "fr", 2_500_000.25),  # as Babel writes it
        ("-3", "fr", -3),
        ("\u22123", "fr", -3),  # the minus sign of a copied number
        ("12.5", "en", 12.5),
        ("1,234", "en", 1234),
        ("1,234.5", "en", 1234.5),
        ("", "fr", None),
        ("   ", "en", None),
    ],
)
def test_numbers_are_read_as_the_language_writes_them(text, language, expected):
    assert parse_number(text, language) == expected


@pytest.mark.parametrize(
    "text, language, message",
    [
        ("12,5", "en", "'12,5' is ambiguous; write 125 or 12.5"),
        ("0,5", "en", "'0,5' is ambiguous; write 5 or 0.5"),
        ("1.234", "fr", f"« 1.234 » est ambigu ; écrivez 1{NNBSP}234 ou 1,234"),
        ("abc", "fr", "« abc » n'est pas un nombre ; écrivez par exemple 12,5"),
        ("1.234,5", "fr", "« 1.234,5 » n'est pas un nombre ; écrivez par exemple 12,5"),
        ("12 %", "en", "'12 %' is not a number; write for example 12.5"),  # % only in a percent box
    ],
)
def test_text_that_is_not_one_number_is_refused_with_how_to_write_it(text, language, message):
    with pytest.raises(InputError) as caught:
        parse_number(text, language)
    assert caught.value.messages(language) == [message]


def test_whole_numbers_and_percentages():
    assert parse_number("1 000", "fr", "integer") == 1000
    with pytest.raises(InputError) as caught:
        parse_number("2,5", "fr", "integer", ("employees_min",))
    assert caught.value.problems[0].field == ("employees_min",)
    assert caught.value.messages("fr", lambda field: "Effectif min.") == [
        "Effectif min. : « 2,5 » n'est pas un nombre entier"
    ]
    assert parse_number("15 %", "fr", "percent") == 15  # the box's unit: a % sign is welcome


def test_a_percent_box_shows_percent_and_gives_the_fraction():
    box = NumberText("fr", "percent", 0.125)
    assert box.value == "12,5" and box.number() == pytest.approx(0.125)
    box.value = "15"
    assert box.number() == pytest.approx(0.15)
    box.value = 7.5  # a number set from code, in the box's unit
    assert box.value == "7,5" and box.number() == pytest.approx(0.075)
    english = NumberText("en", "amount", 2_500_000)
    assert english.value == "2,500,000" and english.number() == 2_500_000
    assert NumberText("en", "number", None).number() is None
    with pytest.raises(ValueError, match="kind must be one of"):
        NumberText("en", "money")
