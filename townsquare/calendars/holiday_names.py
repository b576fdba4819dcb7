"""Public holidays by country and region, from the `holidays` package (pure).

Names come in the reader's language where the package has it (German, US English), else in
the country's own; each (country, region, year, language) is computed once per process.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import holidays
from holidays.registry import COUNTRIES


def _words(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """ISO code -> English name of every country the package knows, by name."""
    supported = holidays.list_supported_countries()
    names = {entry[1]: _words(entry[0]) for entry in COUNTRIES.values() if entry[1] in supported}
    return dict(sorted(names.items(), key=lambda item: item[1]))


def subdivisions(country: str) -> list[str]:
    """The regions the package knows for a country (empty for an unknown country)."""
    return (
        list(holidays.list_supported_countries().get(country, [])) if country in countries() else []
    )


def _language_for(country: str, language: str) -> str | None:
    localized = holidays.list_localized_countries().get(country, [])
    wanted = ["de"] if language.startswith("de") else ["en_US", "en_GB", "en"]
    for code in wanted:
        if code in localized:
            return code
    return None


@lru_cache(maxsize=256)
def _year(
    country: str, subdivision: str, year: int, language: str | None
) -> tuple[tuple[date, str], ...]:
    found = holidays.country_holidays(
        country, subdiv=subdivision or None, years=year, language=language
    )
    return tuple(sorted(found.items()))


def holidays_between(
    country: str, subdivision: str, first: date, last: date, language: str
) -> dict[date, list[str]]:
    """Holidays from `first` to `last` (inclusive): day -> names. Empty for no country or
    a country or region the package does not know."""
    if not country or country not in countries():
        return {}
    if subdivision and subdivision not in subdivisions(country):
        subdivision = ""
    lang = _language_for(country, language)
    days: dict[date, list[str]] = {}
    for year in range(first.year, last.year + 1):
        for day, names in _year(country, subdivision, year, lang):
            if first <= day <= last:
                days.setdefault(day, []).extend(n.strip() for n in names.split(";"))
    return days


def subdivision_choices(country: str) -> list[tuple[str, str]]:
    """(code, "code – name") of each region of a country, for a form's choices."""
    codes = subdivisions(country)
    if not codes:
        return []
    aliases = holidays.country_holidays(country).get_subdivision_aliases()
    return [(code, f"{code} – {aliases[code][0]}" if aliases.get(code) else code) for code in codes]
