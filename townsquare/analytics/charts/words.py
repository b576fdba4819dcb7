"""Numbers, dates and the charts' own few words in English and German. Pure: no Django.

Babel is not among Townsquare's dependencies, so the two languages' conventions are written
out here: English groups thousands with a comma and writes decimals with a point (1,234.5),
German the other way round (1.234,5); German puts a space before the percent sign. Negative
numbers use the minus sign (U+2212), which reads better than a hyphen and which no spreadsheet
mistakes for the start of a formula. Any language other than German is shown in English.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

MINUS = "\u2212"
NO_BREAK = "\u00a0"

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_DE = (
    "Jan.",
    "Feb.",
    "März",
    "Apr.",
    "Mai",
    "Juni",
    "Juli",
    "Aug.",
    "Sept.",
    "Okt.",
    "Nov.",
    "Dez.",
)
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_WEEKDAYS_SHORT_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_SHORT_DE = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")

# The words a chart writes itself (its callers name the series, bars and segments).
WORDS: dict[str, tuple[str, str]] = {
    "no_data": ("No data for this period", "Keine Daten für diesen Zeitraum"),
    "not_reported": ("not reported", "nicht gemeldet"),
    "date": ("Date", "Datum"),
    "week_of": ("Week of {day}", "Woche ab {day}"),
    "period": ("Period", "Zeitraum"),
    "previous": ("{label} (previous period)", "{label} (Vorperiode)"),
    "previous_legend": ("previous period, dashed", "Vorperiode, gestrichelt"),
    "total": ("Total", "Summe"),
    "share": ("Share", "Anteil"),
    "weekday": ("Weekday", "Wochentag"),
    "value": ("Value", "Wert"),
    "no_data_cell": ("no data (hatched)", "keine Daten (schraffiert)"),
    "in_total": ("{total} in total", "insgesamt {total}"),
    "range": ("from {first} to {last}", "vom {first} bis {last}"),
    "highest": ("highest {value} on {day}", "am höchsten {value} am {day}"),
    "latest": ("latest {value}", "zuletzt {value}"),
    "change": ("{change} against the previous period", "{change} gegenüber der Vorperiode"),
    "previous_total": ("previous period {value}", "Vorperiode {value}"),
    "busiest": (
        "highest on {weekday} at {hour} with {value}",
        "am höchsten am {weekday} um {hour} mit {value}",
    ),
    "cells_empty": ("{count} of 168 hours without data", "{count} von 168 Stunden ohne Daten"),
    "largest": ("largest: {label}, {value}", "am größten: {label}, {value}"),
    "items": ("{count} entries", "{count} Einträge"),
    "one_item": ("1 entry", "1 Eintrag"),
    "change_heading": ("Change", "Veränderung"),
    "previous_mark": ("previous period", "Vorperiode"),
    "trend": ("from {first} to {last}", "von {first} auf {last}"),
}


def is_german(language: str) -> bool:
    return (language or "").lower().replace("_", "-").split("-")[0] == "de"


def word(key: str, language: str, **fields: str) -> str:
    english, german = WORDS[key]
    return (german if is_german(language) else english).format(**fields)


def finite(value: float | None) -> float | None:
    """The value, or None when there is none to draw: missing, NaN or infinite."""
    if value is None or isinstance(value, bool):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def places_for(decimals: int | None, values: Iterable[float | None]) -> int:
    """The decimals of a whole column: as asked, else 1 if any value has a fraction, else 0
    (so a column reads 1,000.0 / 1,500.5 rather than 1,000 / 1,500.5)."""
    if decimals is not None:
        return decimals
    present = (finite(v) for v in values)
    return 0 if all(v is None or v == round(v) for v in present) else 1


def format_number(value: float | None, language: str, decimals: int | None = None) -> str:
    """1,234.5 (English) or 1.234,5 (German); whole numbers without decimals unless asked.

    "" for a value that is missing (not reported) or not a number: never "nan" or "0".
    """
    number = finite(value)
    if number is None:
        return ""
    if decimals is None:
        decimals = 0 if number == round(number) else 1
    decimals = max(0, min(decimals, 6))
    text = f"{abs(number):,.{decimals}f}"
    if text.strip("0,.") == "":
        number = 0.0  # -0.0 and -0.04 shown with one decimal are both plain zero
    if is_german(language):
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return (MINUS if number < 0 else "") + text


def format_compact(value: float | None, language: str, decimals: int | None = None) -> str:
    """An axis label: millions and billions shortened (1.2M, 1,2 Mio.), smaller numbers whole."""
    number = finite(value)
    if number is None:
        return ""
    german = is_german(language)
    for size, english, german_unit in (
        (1e9, "B", f"{NO_BREAK}Mrd."),
        (1e6, "M", f"{NO_BREAK}Mio."),
    ):
        if abs(number) >= size:
            shown = format_number(round(number / size, 1), language)
            return shown + (german_unit if german else english)
    return format_number(number, language, decimals)


def format_percent(share: float | None, language: str, decimals: int = 1) -> str:
    """A share of 1 as a percentage: 12.5% (English), 12,5 % (German)."""
    number = finite(share)
    if number is None:
        return ""
    shown = format_number(round(number * 100, decimals), language, decimals)
    return shown + (f"{NO_BREAK}%" if is_german(language) else "%")


def format_change(current: float | None, previous: float | None, language: str) -> str:
    """The change from the previous period as a signed percentage, "+12.5%" or "−3,0 %";
    "" when there is nothing to compare with (no previous value, or a previous zero)."""
    now, before = finite(current), finite(previous)
    if now is None or before is None or before == 0:
        return ""
    change = (now - before) / abs(before)
    shown = format_percent(change, language)
    return shown if shown.startswith(MINUS) or change == 0 else "+" + shown


def month_name(month: int, language: str) -> str:
    return (_MONTHS_DE if is_german(language) else _MONTHS_EN)[month - 1]


def weekday_name(weekday: int, language: str, *, short: bool = False) -> str:
    """Monday is 0, as in Python's date.weekday()."""
    if short:
        return (_WEEKDAYS_SHORT_DE if is_german(language) else _WEEKDAYS_SHORT_EN)[weekday]
    return (_WEEKDAYS_DE if is_german(language) else _WEEKDAYS_EN)[weekday]


def axis_date(day: date, language: str, step: str = "day", *, with_year: bool = False) -> str:
    """A date under an axis: "7 Dec" / "7. Dez." ("7 Dec 2026" with the year); months
    always with their year: "Dec 2026" / "Dez. 2026"."""
    if step == "month":
        return f"{month_name(day.month, language)} {day.year}"
    year = f" {day.year}" if with_year else ""
    if is_german(language):
        return f"{day.day}. {month_name(day.month, language)}{year}"
    return f"{day.day} {month_name(day.month, language)}{year}"


def table_date(day: date, language: str, step: str = "day") -> str:
    """A date in a table: "7 Dec 2026" / "07.12.2026"; months as "Dec 2026" / "Dez. 2026"."""
    if step == "month":
        return f"{month_name(day.month, language)} {day.year}"
    if is_german(language):
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    return f"{day.day} {month_name(day.month, language)} {day.year}"


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"
