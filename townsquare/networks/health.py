"""Is an account's connection healthy, and would a post due at a given time go out?

Four situations read alike and are not: an account on a network Townsquare has no
connector for publishes by reminder (nothing to connect: `by_reminder`); an X account never
connected is posted by reminder until someone connects it (`reminder_until_connected`); an
account on another connected network that was never connected just has not been yet
(`not_connected`: its posts would fail); an account whose login the network stopped accepting
had its access revoked (`needs_reconnect`). Each is worded differently. A LinkedIn account
refused because LinkedIn retired the API version the installation sends is none of these: no
reconnecting helps, the operator moves LINKEDIN_API_VERSION (`version_retired`). Likewise a
Facebook Page or Instagram account while the Graph API version the installation sends is
past Meta's "available until" (`graph_version_retired`, shown at once: Meta answers an
expired version with another one instead of an error), repaired by META_GRAPH_API_VERSION.

Pure: facts in, verdict out, so every rule can be tested without a database or a clock.
The accounts page shows the verdict (with a countdown where a token expires), the post page
and the dashboard warn before a scheduled post would fail, and a scheduler job tells people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

# An expiry this close is shown as a warning; further away it is just a countdown.
EXPIRY_WARNING = timedelta(days=7)

Level = Literal["ok", "warning", "error", "unconnected"]
# Why a post would not go out (or why the connection needs care), most serious first.
Code = Literal[
    "by_reminder",
    "reminder_until_connected",
    "not_connected",
    "unreadable",
    "version_retired",
    "graph_version_retired",
    "needs_reconnect",
    "expired",
    "expires_before_post",
    "expires_soon",
    "ok",
]


@dataclass(frozen=True, slots=True)
class ConnectionFacts:
    """What Townsquare knows about one account's connection.

    `renews_itself`: the stored credentials can get a new token without a person (a refresh
    token, or a Bluesky app password), so an access token's own expiry does not matter.
    `credentials_readable`: the stored secret opens with the configured keys.
    `automatic`: Townsquare posts for the account itself; otherwise posts are made by hand
    after a reminder.
    `connectable`: the account could be connected (and would then publish automatically),
    as an X account added by hand can.
    `renewal_ends_at`: when the refresh token itself lapses (LinkedIn's last 365 days from
    the first sign-in); renewing ends then and a person signs in again.
    `version_retired`: the network refused the login because the installation sends an API
    version it no longer serves (an operator's fix, not a reconnect).
    `graph_version_retired`: the Graph API version the installation sends is past the day
    Meta serves it (Facebook Pages, Instagram); also an operator's fix.
    """

    connected: bool
    automatic: bool = True
    needs_reconnect: bool = False
    token_expires_at: datetime | None = None
    renews_itself: bool = False
    credentials_readable: bool = True
    last_success_at: datetime | None = None
    connectable: bool = False
    renewal_ends_at: datetime | None = None
    version_retired: bool = False
    graph_version_retired: bool = False


@dataclass(frozen=True, slots=True)
class Health:
    level: Level
    code: Code
    # Time left until the login ends, when it matters: the access token's expiry when it
    # does not renew itself, else the refresh token's own deadline if it has one.
    expires_in: timedelta | None = None
    # The moment that countdown ends.
    expires_at: datetime | None = None

    @property
    def blocks_publishing(self) -> bool:
        return self.level in ("error", "unconnected")


def _expiry_that_matters(facts: ConnectionFacts) -> datetime | None:
    return facts.renewal_ends_at if facts.renews_itself else facts.token_expires_at


def connection_health(facts: ConnectionFacts, now: datetime) -> Health:
    if not facts.automatic:
        if facts.connectable and not facts.connected:
            return Health("unconnected", "reminder_until_connected")
        return Health("unconnected", "by_reminder")
    if not facts.connected:
        return Health("unconnected", "not_connected")
    if not facts.credentials_readable:
        return Health("error", "unreadable")
    if facts.graph_version_retired:
        return Health("error", "graph_version_retired")
    if facts.needs_reconnect:
        if facts.version_retired:
            return Health("error", "version_retired")
        return Health("error", "needs_reconnect")
    expires = _expiry_that_matters(facts)
    if expires is None:
        return Health("ok", "ok")
    left = expires - now
    if left <= timedelta(0):
        return Health("error", "expired", timedelta(0), expires)
    if left <= EXPIRY_WARNING:
        return Health("warning", "expires_soon", left, expires)
    return Health("ok", "ok", left, expires)


def problem_for_post(facts: ConnectionFacts, due_at: datetime, now: datetime) -> Code | None:
    """Why a post due at `due_at` on this account would fail, or None if nothing we know of
    stands in its way."""
    if not facts.automatic:
        return None  # posted by hand: no login to fail
    health = connection_health(facts, now)
    if health.blocks_publishing:
        return health.code
    expires = _expiry_that_matters(facts)
    if expires is not None and expires <= due_at:
        return "expires_before_post"
    return None
