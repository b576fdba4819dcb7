"""What publishing a post to X costs under the installation's X API plan. Pure: no Django.

X's self-serve API is paid per request (docs.x.com x-api/getting-started/pricing: "Content:
Create" per post, a dearer "Content: Create (with URL)" for a post with a link, "Media
Metadata" per alt-text request). The prices are the operator's to set (settings
`X_API_POST_COST`, `X_API_LINK_POST_COST`, `X_API_MEDIA_COST`, each "<amount> <currency>"):
X changes them, and an Enterprise plan has its own. Townsquare never guesses a price; what
is not set is said to be unknown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from townsquare.networks.rules.urls import extract_urls

_COST = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s+([A-Za-z]{3})\s*$")


class BadCost(ValueError):
    """A price setting that is not "<amount> <three-letter currency>"."""


@dataclass(frozen=True, slots=True)
class Price:
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Prices:
    """The plan's prices; None where the operator set none."""

    post: Price | None = None
    link_post: Price | None = None
    media: Price | None = None


@dataclass(frozen=True, slots=True)
class Estimate:
    """What one publication will make X charge. `total` is None when a price it needs is
    not set (`missing` names the settings) or the prices are in different currencies."""

    posts: int
    link_posts: int
    media: int
    total: Price | None
    missing: tuple[str, ...] = ()
    mixed_currencies: bool = False


def parse_price(text: str, setting: str) -> Price | None:
    """ "0.015 USD" -> Price; "" -> None (not set); anything else -> BadCost naming it."""
    if not text.strip():
        return None
    match = _COST.match(text)
    if match is None:
        raise BadCost(
            f"{setting} must be an amount and a currency, like '0.015 USD'; got {text!r}."
        )
    try:
        amount = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise BadCost(f"{setting}: {text!r} is not an amount.") from None
    return Price(amount, match.group(2).upper())


def estimate(parts: Sequence[str], media_count: int, prices: Prices) -> Estimate:
    """The posts a publication makes (one per part of a thread), those of them with a link
    (charged as "with URL"), and the media files uploaded with the first part."""
    link_posts = sum(1 for part in parts if extract_urls(part))
    plain_posts = len(parts) - link_posts
    needed: list[tuple[int, Price | None, str]] = [
        (plain_posts, prices.post, "X_API_POST_COST"),
        (link_posts, prices.link_post, "X_API_LINK_POST_COST"),
        (media_count, prices.media, "X_API_MEDIA_COST"),
    ]
    missing = tuple(setting for count, price, setting in needed if count and price is None)
    charged = [(count, price) for count, price, _ in needed if count and price is not None]
    currencies = {price.currency for _, price in charged}
    total: Price | None = None
    if not missing and len(currencies) <= 1:
        amount = sum((price.amount * count for count, price in charged), Decimal(0))
        currency = currencies.pop() if currencies else _any_currency(prices)
        total = Price(amount, currency)
    return Estimate(
        posts=len(parts),
        link_posts=link_posts,
        media=media_count,
        total=total,
        missing=missing,
        mixed_currencies=len({price.currency for _, price in charged}) > 1,
    )


def _any_currency(prices: Prices) -> str:
    for price in (prices.post, prices.link_post, prices.media):
        if price is not None:
            return price.currency
    return ""
