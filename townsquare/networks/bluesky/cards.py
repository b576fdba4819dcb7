"""Link cards: Bluesky shows a card only if the client fetched the page and sent its title,
description and thumbnail along (the network fetches nothing itself).

The page address comes from a person, so every connection, for the page, its picture and
every redirect hop, is checked and pinned by the client of `lib/http.py`; sizes and time are
bounded. A card that cannot be made is not
an error: the post goes out without it, its link still clickable through the link facet.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from townsquare.lib import http as lib_http
from townsquare.networks.bluesky.payloads import CardFacts, parse_card

logger = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(8.0, connect=3.0)
MAX_REDIRECTS = 4
# The head of a page is what holds its meta tags; a megabyte is plenty.
PAGE_MAX_BYTES = 1_000_000
IMAGE_MAX_BYTES = 15_000_000


class CardUnavailable(Exception):
    """The page or its picture could not be fetched safely."""


@dataclass(frozen=True, slots=True)
class Card:
    url: str
    facts: CardFacts
    thumb: bytes | None
    thumb_mime: str


def fetch_card(url: str) -> Card:
    """Read the page at `url` and its preview picture; CardUnavailable if the page fails."""
    final_url, content_type, body = _fetch(url, PAGE_MAX_BYTES, "text/html", truncate=True)
    if "html" not in content_type:
        raise CardUnavailable(f"not a web page: {content_type or 'no type'}")
    facts = parse_card(body.decode(_charset(content_type), errors="replace"), final_url)
    thumb: bytes | None = None
    thumb_mime = ""
    if facts.image_url:
        try:
            _url, thumb_mime, thumb = _fetch(facts.image_url, IMAGE_MAX_BYTES, "image/*")
        except CardUnavailable as error:
            logger.info("link card %s: no thumbnail (%s)", url, error)
            thumb = None
        if thumb is not None and not thumb_mime.startswith("image/"):
            thumb, thumb_mime = None, ""
    return Card(url=url, facts=facts, thumb=thumb, thumb_mime=thumb_mime.split(";")[0])


def _fetch(
    url: str, max_bytes: int, accept: str, *, truncate: bool = False
) -> tuple[str, str, bytes]:
    with lib_http.outbound_client(timeout=TIMEOUT) as http:
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                with http.stream("GET", url, headers={"Accept": accept}) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise CardUnavailable(f"HTTP {response.status_code} from {url}")
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_bytes():
                        chunks.append(chunk)
                        size += len(chunk)
                        if size > max_bytes:
                            if not truncate:
                                raise CardUnavailable(f"{url} is larger than {max_bytes} bytes")
                            break
                    content_type = response.headers.get("content-type", "").lower()
                    return url, content_type, b"".join(chunks)[:max_bytes]
            except lib_http.UnsafeTarget as error:
                raise CardUnavailable(str(error)) from None
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as error:
                # ValueError: a malformed address in a redirect (urljoin, urlsplit).
                raise CardUnavailable(f"{type(error).__name__}: {error}") from None
    raise CardUnavailable(f"more than {MAX_REDIRECTS} redirects")


def _charset(content_type: str) -> str:
    for part in content_type.split(";"):
        name, _, value = part.strip().partition("=")
        if name == "charset" and value:
            try:
                "".encode(value.strip('"'))
            except LookupError:
                break
            return value.strip('"')
    return "utf-8"
