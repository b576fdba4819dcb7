"""What the composer says under an X account's preview: the account's text limit and why,
and what publishing the post will cost under the installation's X API plan.

Django (settings, translations, number formats); the figures come from `costs.py` and the
settings, never from a table of our own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.networks.x import costs, reading


def configured_prices() -> costs.Prices:
    """The plan's prices from X_API_POST_COST, X_API_LINK_POST_COST and X_API_MEDIA_COST
    (settings.py refuses malformed values at startup)."""
    return costs.Prices(
        post=costs.parse_price(getattr(settings, "X_API_POST_COST", ""), "X_API_POST_COST"),
        link_post=costs.parse_price(
            getattr(settings, "X_API_LINK_POST_COST", ""), "X_API_LINK_POST_COST"
        ),
        media=costs.parse_price(getattr(settings, "X_API_MEDIA_COST", ""), "X_API_MEDIA_COST"),
    )


def length_note(reported_limits: Mapping[str, object]) -> str:
    """Why the account may write 280 characters, or that it may write long posts."""
    if reported_limits.get("text_max") == reading.LONG_POST_MAX:
        return _("This account has X Premium: X takes posts of up to 25,000 characters from it.")
    return _(
        "X takes up to 280 characters here: Townsquare has not seen an X Premium "
        "subscription on this account (it reads it when the account is connected and when "
        "its figures are collected). Premium accounts may post up to 25,000 characters."
    )


def cost_note(parts: Sequence[str], media_count: int, prices: costs.Prices | None = None) -> str:
    """What X will charge for the posts this publication makes, or why that is unknown."""
    estimate = costs.estimate(parts, media_count, prices or configured_prices())
    what = _what(estimate)
    if estimate.mixed_currencies:
        return _(
            "What X charges for this (%(what)s) cannot be added up: the X API prices of this "
            "installation are set in different currencies."
        ) % {"what": what}
    if estimate.total is None:
        return _(
            "What X charges for this (%(what)s) is unknown: the installation's X API prices "
            "are not set (%(settings)s; docs/networks/x.md explains X's pricing)."
        ) % {"what": what, "settings": ", ".join(estimate.missing)}
    return _(
        "X charges %(cost)s for this (%(what)s), at the prices set for this installation's "
        "X API plan."
    ) % {"cost": money(estimate.total), "what": what}


def money(price: costs.Price) -> str:
    """An amount in the active language's number format, with its currency code."""
    exponent = price.amount.normalize().as_tuple().exponent
    places = max(2, -exponent if isinstance(exponent, int) else 2)
    shown = number_format(Decimal(price.amount), decimal_pos=places, use_l10n=True)
    return f"{shown} {price.currency}"


def _what(estimate: costs.Estimate) -> str:
    pieces = [
        ngettext("%(count)d post", "%(count)d posts", estimate.posts) % {"count": estimate.posts}
    ]
    if estimate.link_posts:
        pieces.append(
            ngettext(
                "%(count)d of them with a link",
                "%(count)d of them with a link",
                estimate.link_posts,
            )
            % {"count": estimate.link_posts}
        )
    if estimate.media:
        pieces.append(
            ngettext("%(count)d media file", "%(count)d media files", estimate.media)
            % {"count": estimate.media}
        )
    return ", ".join(pieces)


def notes_for(
    reported_limits: Mapping[str, object], parts: Sequence[str], media_count: int
) -> list[str]:
    return [length_note(reported_limits), cost_note(parts, media_count)]
