"""The networks Townsquare knows, with their display names.

`NETWORK_NAMES` holds the English names (the API and logs use them as they are). Names that
are words rather than brands ("Matrix room", "Facebook Page") have German forms; choices and
`network_label` give them in the language of whoever reads them.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

NETWORK_NAMES: dict[str, str] = {
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "x": "X",
    "threads": "Threads",
    "linkedin_profile": gettext_noop("LinkedIn (profile)"),
    "linkedin_page": gettext_noop("LinkedIn (page)"),
    "facebook_page": gettext_noop("Facebook Page"),
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "pinterest": "Pinterest",
    "telegram_channel": gettext_noop("Telegram channel"),
    "discord": "Discord",
    "matrix_room": gettext_noop("Matrix room"),
    "reddit": "Reddit",
}

# Networks that take no upload of a post's pictures and videos: their servers download each
# file from an address Townsquare gives (media/public_urls.py), so SITE_URL must be public.
# Scheduling media to an account of theirs is refused otherwise (publishing/media_by_url.py),
# and the accounts page warns.
FETCH_MEDIA_BY_URL: frozenset[str] = frozenset({"facebook_page", "instagram", "threads"})

# Networks that exist for tests only (the loopback test network of the publishing engine).
# Accounts may be on them and the publisher registry serves them, but forms never offer them:
# they are not in NETWORK_NAMES or NETWORK_CHOICES.
HIDDEN_NETWORKS: dict[str, str] = {
    "testnet": gettext_noop("Test network"),
}


def network_label(network: str) -> str:
    """The network's name in the active language; an unknown key is shown as it is."""
    name = NETWORK_NAMES.get(network) or HIDDEN_NETWORKS.get(network)
    return gettext(name) if name else network


_lazy_label = lazy(network_label, str)

# Sorted by the English name, so the order does not change with the reader's language.
NETWORK_CHOICES = [
    (key, _lazy_label(key)) for key in sorted(NETWORK_NAMES, key=lambda k: NETWORK_NAMES[k].lower())
]
# What SocialAccount.network accepts: every network a form offers, plus the hidden ones.
ACCOUNT_NETWORK_CHOICES = NETWORK_CHOICES + [
    (key, _lazy_label(key)) for key in sorted(HIDDEN_NETWORKS)
]
