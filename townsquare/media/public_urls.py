"""Signed, expiring public addresses of stored media, for the networks that fetch files.

Instagram, Threads and Facebook Pages take no upload: Townsquare gives them the address of
each picture or video and their servers download it ("We cURL media used in publishing
attempts, so the media must be hosted on a publicly accessible server at the time of the
attempt": developers.facebook.com/docs/instagram-platform/content-publishing; the Threads
posts page says the same of `image_url` and `video_url`). So each file gets an address
`SITE_URL/m/<token>/<file name>` that answers without a session: the token signs the media
item's id and the moment the address stops working (PUBLIC_MEDIA_URL_HOURS, 24 by default,
long enough for Meta to fetch a reel several times while it processes it).

Such an address only helps when the internet can reach SITE_URL. `site_url_problem` holds
that rule (no DNS: what a name resolves to here says nothing about what Meta sees); the
connectors' `media_url` (`public_media_url`) refuses with `Rejected("site_url_not_public")`,
and scheduling refuses earlier, with the same reason (publishing/media_by_url.py). https is
required: Meta's pages only say "public server", but the connectors refuse anything else
(networks/meta/client.py, networks/threads/payloads.py), and an address whose certificate
no one can check would hand the files to whoever sits in between.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from townsquare.lib.addresses import is_never_real_name, normalised_host
from townsquare.lib.http import plainly_private
from townsquare.networks.base import MediaRef, Rejected

# A salt of its own: a token signed for anything else (a feed, a review link) never opens a
# file, and these tokens open nothing else.
SALT = "townsquare.media.public_url"
DEFAULT_HOURS = 24
# The code of the refusal, shared by the connectors (send time) and scheduling (before).
NOT_PUBLIC_CODE = "site_url_not_public"
_SEP = "."


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=_SEP)


def site_url_problem(site_url: str) -> str | None:
    """Why the networks' servers could not fetch files from `site_url`, as a sentence in the
    active language; None when it is a public https address.

    Pure: no DNS (an operator's name may resolve to a private address inside their own
    network and to a public one outside it). A port of its own is allowed: no network
    documents a restriction, and a proxy on 8443 is reachable like one on 443.
    """
    try:
        parts = urlsplit((site_url or "").strip())
        scheme, host = parts.scheme, normalised_host(parts.hostname or "")
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:  # also an unclosed "[" of an IPv6 address
        scheme, host = "", ""
    if scheme not in ("http", "https") or not host:
        return _(
            "SITE_URL (%(url)s) is not a web address like https://social.your-company.com."
        ) % {"url": site_url or "–"}
    if is_never_real_name(host):
        return _("%(host)s is a name reserved for examples; no server on the internet has it.") % {
            "host": host
        }
    if plainly_private(host):
        return _(
            "%(host)s is this machine or an address of its local network, which the network's "
            "servers cannot reach from the internet."
        ) % {"host": host}
    if scheme != "https":
        return _(
            "SITE_URL starts with http://, and the networks fetch files only from https addresses."
        )
    return None


def public_site_problem() -> str | None:
    """`site_url_problem` of the configured SITE_URL."""
    return site_url_problem(settings.SITE_URL)


def not_public_sentence(problem: str) -> str:
    """The whole refusal in the active language: what the networks need, and why this
    installation does not offer it."""
    return _(
        "The network downloads the pictures and videos of this post from Townsquare's address, "
        "so SITE_URL must be a public https address the internet can reach: %(problem)s"
    ) % {"problem": problem}


def lifetime_hours() -> int:
    hours = int(getattr(settings, "PUBLIC_MEDIA_URL_HOURS", DEFAULT_HOURS) or DEFAULT_HOURS)
    return max(1, hours)


# --- tokens ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenFacts:
    asset_id: int
    expires_at: int  # seconds since the epoch


def sign_token(asset_id: int, expires_at: int) -> str:
    """`<id>.<expiry in base 62>.<signature>`: only characters safe in a path segment."""
    return _signer().sign(f"{asset_id}{_SEP}{signing.b62_encode(expires_at)}")


def read_token(token: str, now: float | None = None) -> TokenFacts | None:
    """The media id of a genuine token that has not expired; None otherwise (which of the
    two is not told: the view answers both with the same 404)."""
    try:
        value = _signer().unsign(token)
        asset_text, expiry_text = value.split(_SEP)
        facts = TokenFacts(int(asset_text), signing.b62_decode(expiry_text))
    except (signing.BadSignature, ValueError):
        return None
    current = time.time() if now is None else now
    if facts.asset_id <= 0 or current >= facts.expires_at:
        return None
    return facts


def file_name(storage_key: str) -> str:
    """The stored file's own name (random, with its extension): the networks see a name
    ending in .jpg or .mp4, and the uploaded name never leaves the library."""
    return storage_key.rsplit("/", 1)[-1]


# --- the connectors' media_url -------------------------------------------------------------


def public_media_url(media: MediaRef, *, now: float | None = None) -> str:
    """The signed, expiring public address of a stored file, for the connectors of networks
    that download media themselves (their `media_url`). Raises `Rejected` with code
    `site_url_not_public` when SITE_URL is not reachable from the internet, and
    `media_missing` when the file is no longer in the library; both before anything is sent.
    """
    with translation.override("en"):  # connectors raise in English; the code is translated
        problem = public_site_problem()
        if problem is not None:
            raise Rejected(not_public_sentence(problem), code=NOT_PUBLIC_CODE)
    from townsquare.media.models import MediaAsset  # the pure parts above need no models

    asset_id = (
        MediaAsset.objects.filter(file=media.storage_key)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if asset_id is None or not media.storage_key:
        raise Rejected(
            "A file of this post is missing from the media library.", code="media_missing"
        )
    current = time.time() if now is None else now
    token = sign_token(asset_id, int(current) + lifetime_hours() * 3600)
    path = reverse(
        "media_public_file", kwargs={"token": token, "filename": file_name(media.storage_key)}
    )
    return settings.SITE_URL.rstrip("/") + path


__all__ = [
    "NOT_PUBLIC_CODE",
    "TokenFacts",
    "file_name",
    "not_public_sentence",
    "public_media_url",
    "public_site_problem",
    "read_token",
    "sign_token",
    "site_url_problem",
]
