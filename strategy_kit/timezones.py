"""The time zone of a country, when it has one clock: where a prospect's calls are placed in time.

Countries are read as ISO 3166 codes (``FR``) or as their French or English names (``France``,
``Allemagne``, ``Germany``); their zones come from the Unicode CLDR data shipped with Babel
(``territory_zones``), and the clocks from the system's IANA database (:mod:`zoneinfo`). A country
has one clock when every zone CLDR lists for it keeps the same UTC offset at every week of two
recent years (Germany's Busingen keeps Berlin's clock); a country with several (United States,
Spain with the Canaries, Portugal with the Azores) gets None: nobody's time is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global

NAME_LANGUAGES = ("en", "fr")  # the languages whose country names are read


def _same_clock(zones: Sequence[str]) -> bool:
    """Whether every zone keeps the same UTC offset at each week of two recent years."""
    instants = [datetime(2024, 1, 1) + timedelta(days=7 * i, hours=12) for i in range(105)]
    offsets = {tuple(ZoneInfo(zone).utcoffset(moment) for moment in instants) for zone in zones}
    return len(offsets) == 1


@cache
def _country_codes() -> dict[str, str]:
    """Lower-cased ISO code or French or English name -> ISO code."""
    names: dict[str, str] = {}
    for language in NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(name.casefold(), code)
    names.update({code.casefold(): code for code in get_global("territory_zones")})
    return names


@cache
def country_zone(country: str) -> str | None:
    """The time zone of ``country`` (ISO code, French or English name) when it has one clock, else None."""
    code = _country_codes().get(str(country).strip().casefold())
    if code is None:
        return None
    zones = list(get_global("territory_zones").get(code, ()))
    if not zones:
        return None
    try:
        return zones[0] if _same_clock(zones) else None
    except (KeyError, ValueError, OSError):  # a zone the system's database lacks
        return None
