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
