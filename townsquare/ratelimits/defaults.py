"""How fast Townsquare publishes to each network by default. Pure data.

A unit is one post created on the network (a thread of five posts is five units). Each
network maps to (scope, Rate) pairs:

- "account": one window per connected account (per bot, channel or webhook where the
  network limits those), keyed "<network>:account:<account id>";
- "global": one window for this whole Townsquare installation (per app, project or IP),
  keyed "<network>:global".

A network with several rates for one scope gets one key per extra rate, with the period
appended ("bluesky:account:42:86400s"), so that adding a rate keeps the first key's
history. Figures come from the research notes on network rules (official documentation
unless a comment says otherwise). Where a network publishes nothing, the rate is our
conservative choice and its comment says so; a network that answers 429 anyway is handled
by penalise(), which holds every worker back until the reset the network gave.

Tests tighten a rate without touching this file: settings.RATE_LIMIT_RATES (not read
from the environment) maps a network to its own list, e.g.
`settings.RATE_LIMIT_RATES = {"testnet": [(ACCOUNT, Rate(2, 1))]}`.
"""

from __future__ import annotations

from townsquare.ratelimits.window import Rate

ACCOUNT = "account"
GLOBAL = "global"
SCOPES = (ACCOUNT, GLOBAL)

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR

DEFAULT_RATES: dict[str, list[tuple[str, Rate]]] = {
    # POST /2/tweets: 100 per 15 min per user and 10,000 per 24 h per app (X's rate-limit
    # table; an older page says 200/15 min - the table is the current one).
    "x": [(ACCOUNT, Rate(100, 15 * MINUTE)), (GLOBAL, Rate(10_000, DAY))],
    # 5,000 write points per hour and 35,000 per day per account; a create costs 3
    # points, so 1,666 and 11,666 creates. PDS requests: 3,000 per 5 min per IP, which
    # reads share - all our accounts leave from one IP, hence global.
    "bluesky": [
        (ACCOUNT, Rate(1_666, HOUR)),
        (ACCOUNT, Rate(11_666, DAY)),
        (GLOBAL, Rate(3_000, 5 * MINUTE)),
    ],
    # 300 requests per 5 min per account, for everything the account does. Our choice:
    # posts take at most a third, leaving room for media uploads (30 per 30 min) and the
    # inbox. The per-IP limit is per instance, so there is no global window.
    "mastodon": [(ACCOUNT, Rate(100, 5 * MINUTE))],
    # 250 API-published posts per profile per rolling 24 h (a carousel is one).
    "threads": [(ACCOUNT, Rate(250, DAY))],
    # 50 API-published posts per 24 h (Meta's reference page; some tools report 100 -
    # we take the lower figure).
    "instagram": [(ACCOUNT, Rate(50, DAY))],
    # Facebook scales Page limits with engagement and publishes no post cap. Our choice:
    # 25 per hour per Page, well below anything a Page is reported to be refused.
    "facebook_page": [(ACCOUNT, Rate(25, HOUR))],
    # About 150 posts per day per member (third-party figure, not in LinkedIn's docs).
    "linkedin_profile": [(ACCOUNT, Rate(150, DAY))],
    # Our choice: pages get the members' figure; LinkedIn shows app quotas only in its
    # developer portal.
    "linkedin_page": [(ACCOUNT, Rate(150, DAY))],
    # 6 upload inits per minute per access token (official). The per-creator daily cap is
    # reported as about 15 (unverified): our choice is to respect it.
    "tiktok": [(ACCOUNT, Rate(6, MINUTE)), (ACCOUNT, Rate(15, DAY))],
    # videos.insert has its own quota of 100 calls per day per API project.
    "youtube": [(GLOBAL, Rate(100, DAY))],
    # POST /pins is in the per-minute, per-user "org_write" category whose size depends on
    # the app's access tier; Trial apps get 1,000 requests per day. Our choice: 10 pins a
    # minute per account and the Trial day for the app, safe on every tier.
    "pinterest": [(ACCOUNT, Rate(10, MINUTE)), (GLOBAL, Rate(1_000, DAY))],
    # About 1 message per second per chat and 20 per minute in a group; about 30 per
    # second per bot (python-telegram-bot's documented limits).
    "telegram_channel": [
        (ACCOUNT, Rate(1, 1)),
        (ACCOUNT, Rate(20, MINUTE)),
        (GLOBAL, Rate(30, 1)),
    ],
    # 50 requests per second per bot; route limits are only announced in response headers.
    # Our choice: 5 per 2 s per channel or webhook, what webhooks commonly allow
    # (unverified); a 429 with its reset is handled by penalise().
    "discord": [(ACCOUNT, Rate(5, 2)), (GLOBAL, Rate(50, 1))],
    # Homeservers set their own limits. Our choice: 10 per minute per room, below
    # Synapse's default for messages (about 0.2 per second with bursts of 10; unverified).
    "matrix_room": [(ACCOUNT, Rate(10, MINUTE))],
    # 100 queries per minute per OAuth client (unverified; 60 in the archived wiki - we
    # take 60). Reddit also refuses accounts that post often ("doing that too much"):
    # our choice is 10 posts per hour per account.
    "reddit": [(ACCOUNT, Rate(10, HOUR)), (GLOBAL, Rate(60, MINUTE))],
    # The test network: generous, so tests are never slowed down unless they tighten it
    # through settings.RATE_LIMIT_RATES.
    "testnet": [(ACCOUNT, Rate(1_000, 1)), (GLOBAL, Rate(10_000, 1))],
}


def limit_keys(
    network: str, account_id: object, rates: list[tuple[str, Rate]]
) -> list[tuple[str, Rate]]:
    """(key, rate) pairs for one account of `network`, as acquire_all() takes them."""
    pairs: list[tuple[str, Rate]] = []
    seen: set[str] = set()
    for scope, rate in rates:
        if scope not in SCOPES:
            raise ValueError(f"unknown rate-limit scope {scope!r} for {network}")
        key = f"{network}:{ACCOUNT}:{account_id}" if scope == ACCOUNT else f"{network}:{GLOBAL}"
        if key in seen:
            key = f"{key}:{rate.per_seconds:g}s"
        if key in seen:
            raise ValueError(f"{network} has two {scope} rates over {rate.per_seconds:g} s")
        seen.add(key)
        pairs.append((key, rate))
    return pairs
