"""Figures as the reader's language writes them: "1.234,5" / "1,234.5", a percentage, hours,
a change against the previous period with its direction, and a dash for what the network
does not report (never a 0)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

UNKNOWN = "–"


@register.filter
def figure(value: object) -> str:
    """A table cell: numbers grouped as the language does, texts as they are."""
    if value is None or value == "":
        return UNKNOWN
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    if isinstance(value, float):
        # The tables round their values already (to at most two decimals): show every
        # decimal they kept, so the page and the CSV hold the same number.
        decimals = next((places for places in range(5) if round(value, places) == value), 4)
        return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return str(value)


@register.filter
def tile_value(value: float | None, unit: str) -> str:
    if value is None:
        return UNKNOWN
    if unit == "percent":  # already in percent (0-100)
        return _("%(number)s %%") % {"number": number_format(value, decimal_pos=1, use_l10n=True)}
    if unit == "minutes":
        if value < 120:
            return _("%(number)s min") % {
                "number": number_format(value, decimal_pos=0, use_l10n=True)
            }
        return _("%(number)s h") % {
            "number": number_format(value / 60, decimal_pos=1, use_l10n=True)
        }
    return figure(int(value) if float(value).is_integer() else value)


@register.filter
def change_text(change: float | None) -> str:
    """ "+12 %" / "−3 %" against the previous period; empty when there is nothing to compare."""
    if change is None:
        return ""
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return _("%(sign)s%(number)s %%") % {
        "sign": sign,
        "number": number_format(abs(change) * 100, decimal_pos=0, use_l10n=True),
    }


@register.filter
def change_direction(change: float | None) -> str:
    if change is None:
        return "none"
    return "up" if change > 0 else ("down" if change < 0 else "flat")


@register.filter
def heat_level(value: object, maximum: float) -> int:
    """0 (nothing) to 5 (the busiest cell): a class, since the page allows no inline styles."""
    if not isinstance(value, int | float) or not maximum:
        return 0
    return max(1, min(5, int(-(-5 * value // maximum))))
