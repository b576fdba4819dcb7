"""The networks Townsquare knows, with their display names. Pure data."""

NETWORK_NAMES: dict[str, str] = {
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "x": "X",
    "threads": "Threads",
    "linkedin_profile": "LinkedIn (profile)",
    "linkedin_page": "LinkedIn (page)",
    "facebook_page": "Facebook Page",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "pinterest": "Pinterest",
    "telegram_channel": "Telegram channel",
    "discord": "Discord",
    "matrix_room": "Matrix room",
    "reddit": "Reddit",
}
NETWORK_CHOICES = sorted(NETWORK_NAMES.items(), key=lambda item: item[1].lower())

# Networks that exist for tests only (the loopback test network of the publishing engine).
# Accounts may be on them and the publisher registry serves them, but forms never offer them:
# they are not in NETWORK_NAMES or NETWORK_CHOICES.
HIDDEN_NETWORKS: dict[str, str] = {
    "testnet": "Test network",
}
# What SocialAccount.network accepts: every network a form offers, plus the hidden ones.
ACCOUNT_NETWORK_CHOICES = NETWORK_CHOICES + sorted(HIDDEN_NETWORKS.items())
