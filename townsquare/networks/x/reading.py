"""X API v2: what Townsquare reads -- mentions for the inbox, counters for analytics and
the account's subscription for its text limit. Pure: no I/O, no Django.

Field and expansion names are those of X's OpenAPI description 2.167, which the tests'
fake checks every request against (`post.fields`, `referenced_posts`); docs.x.com still
says `tweet.fields` and `referenced_tweets`. Answers are read in both spellings.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from townsquare.networks.base import InboxMessage, MetricSnapshot, RetryLater, known_count
from townsquare.networks.x.payloads import (
    full_text,
    is_post_id,
    parse_time,
    post_url,
    replied_to,
)

# GET /2/users/{id}/mentions: who wrote (author_id), whom it answers and which post.
MENTION_EXPANSIONS = "author_id,in_reply_to_user_id,referenced_posts"
MENTION_POST_FIELDS = "conversation_id,created_at,note_post"
MENTION_USER_FIELDS = "name,username,public_metrics"
# GET /2/users/me: the counters of the account and its X subscription.
ME_USER_FIELDS = "public_metrics,subscription_type"
# The account's own posts: the public counters (any age) ...
TIMELINE_POST_FIELDS = "created_at,public_metrics,note_post"
TIMELINE_EXPANSIONS = "referenced_posts"
# ... and the counters only the author sees, which X keeps for 30 days after posting.
PRIVATE_POST_FIELDS = "non_public_metrics,organic_metrics"
PRIVATE_METRICS_DAYS = 30

# public_metrics of a post as docs.x.com names them; the OpenAPI description says
# repost_count where the documentation says retweet_count: either is read, one reported.
_POST_COUNTERS = ("impression_count", "like_count", "reply_count", "quote_count", "bookmark_count")
_REPOST_NAMES = ("retweet_count", "repost_count")
# Counters only the author sees (non_public_metrics, else organic_metrics). Impressions
# are left out here: public_metrics has them already and two readings must not add up.
_PRIVATE_COUNTERS = ("url_link_clicks", "user_profile_clicks")
_ACCOUNT_COUNTERS = ("followers_count", "following_count", "listed_count")
_ACCOUNT_POSTS_NAMES = ("tweet_count", "post_count")

# subscription_type values the OpenAPI description names ("Basic, Premium, PremiumPlus or
# None"). Long posts (up to 25,000 characters) are a Premium feature; Basic's long posts
# are not stated in X's API documentation, so Basic keeps the 280 of everyone else.
LONG_POST_TIERS = frozenset({"premium", "premiumplus"})
LONG_POST_MAX = 25_000


# --- inbox ----------------------------------------------------------------------------------


def users_by_id(page: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    includes = page.get("includes")
    users = includes.get("users") if isinstance(includes, Mapping) else None
    if not isinstance(users, list):
        return {}
    return {str(u.get("id")): u for u in users if isinstance(u, Mapping) and u.get("id")}


def mentions_of_page(
    page: Mapping[str, Any], *, own_user_id: str
) -> tuple[list[InboxMessage], str, str]:
    """The inbox messages of one page of mentions, the page's newest id and the token of
    the next (older) page. The account's own posts are left out (a thread of its own that
    names it, an answer Townsquare sent)."""
    posts = page.get("data", [])
    if not isinstance(posts, list):
        raise RetryLater("X's list of mentions has an unexpected shape.", detail=str(page)[:500])
    users = users_by_id(page)
    messages = []
    for post in posts:
        if not isinstance(post, Mapping):
            continue
        message = inbox_message(post, users, own_user_id=own_user_id)
        if message is not None:
            messages.append(message)
    meta = page.get("meta")
    meta = meta if isinstance(meta, Mapping) else {}
    newest = meta.get("newest_id")
    token = meta.get("next_token")
    return (
        messages,
        str(newest) if isinstance(newest, str) and is_post_id(newest) else "",
        token if isinstance(token, str) else "",
    )


@dataclass(frozen=True, slots=True)
class MentionsCursor:
    """Where the inbox's reading of mentions stands: the newest mention seen and, when more
    arrived between two polls than one poll reads, the span still unread (mentions newer
    than `gap_since` and older than `gap_until`), read by the next polls before anything
    newer. Kept as text: "newest" or "newest/gap_since/gap_until"."""

    newest: str = ""
    gap_since: str = ""
    gap_until: str = ""

    @classmethod
    def parse(cls, text: str | None) -> MentionsCursor:
        """Anything else than the two forms is no cursor (a first poll)."""
        parts = (text or "").split("/")
        if not all(is_post_id(part) for part in parts):
            return cls()
        if len(parts) == 1:
            return cls(newest=parts[0])
        if len(parts) == 3:
            return cls(*parts)
        return cls()

    def __str__(self) -> str:
        if self.gap_until:
            return f"{self.newest}/{self.gap_since}/{self.gap_until}"
        return self.newest


def oldest_of_page(page: Mapping[str, Any]) -> str:
    """The oldest id of a page of mentions (X's `meta.oldest_id`), "" when not given."""
    meta = page.get("meta")
    oldest = meta.get("oldest_id") if isinstance(meta, Mapping) else None
    return oldest if isinstance(oldest, str) and is_post_id(oldest) else ""


def older_id(first: str, second: str) -> str:
    """The earlier of two post ids, "" counting as none."""
    if not first or not second:
        return first or second
    return first if int(first) <= int(second) else second


def inbox_message(
    post: Mapping[str, Any], users: Mapping[str, Mapping[str, Any]], *, own_user_id: str
) -> InboxMessage | None:
    post_id = str(post.get("id") or "")
    created = parse_time(post.get("created_at"))
    author_id = str(post.get("author_id") or "")
    if not is_post_id(post_id) or created is None or author_id == own_user_id:
        return None
    author = users.get(author_id, {})
    username = str(author.get("username") or "")
    parent = replied_to(post) or ""
    # An answer to the account is a reply; any other post that names it is a mention.
    answers_us = bool(parent) and str(post.get("in_reply_to_user_id") or "") == own_user_id
    metrics = author.get("public_metrics")
    followers = metrics.get("followers_count") if isinstance(metrics, Mapping) else None
    return InboxMessage(
        network_message_id=post_id,
        # X's conversation_id is the id of the post that began it: one thread per conversation.
        conversation_id=str(post.get("conversation_id") or post_id),
        kind="reply" if answers_us else "mention",
        author_handle=f"@{username}" if username else author_id,
        author_name=str(author.get("name") or username),
        # X escapes &, < and > in texts; the inbox shows what the person wrote.
        text=html.unescape(full_text(post)),
        created_at=created,
        url=post_url(username, post_id),
        in_reply_to_id=parent,
        author_followers=known_count(followers),
    )


def newer_id(first: str, second: str) -> str:
    """The later of two post ids (X's ids grow with time), "" counting as none."""
    if not first or not second:
        return first or second
    return first if int(first) >= int(second) else second


# --- metrics --------------------------------------------------------------------------------


def account_snapshot(user: Mapping[str, Any], day: date) -> MetricSnapshot:
    """The account's totals from `GET /2/users/me`'s public_metrics."""
    metrics = user.get("public_metrics")
    metrics = metrics if isinstance(metrics, Mapping) else {}
    counters = _counts(metrics, _ACCOUNT_COUNTERS)
    posts = _first_count(metrics, _ACCOUNT_POSTS_NAMES)
    if posts is not None:
        counters["tweet_count"] = posts
    return MetricSnapshot(day=day, network_post_id="", metrics=counters)


def post_snapshot(
    post: Mapping[str, Any],
    day: date,
    *,
    handle: str,
    private: Mapping[str, Any] | None = None,
) -> MetricSnapshot | None:
    """One post's counters; `private` is the same post read with the counters only its
    author sees, when X gave them. A reply (a thread's later part) has no `published_at`:
    it only counts for a post already tracked."""
    post_id = str(post.get("id") or "")
    if not is_post_id(post_id):
        return None
    public = post.get("public_metrics")
    public = public if isinstance(public, Mapping) else {}
    counters = _counts(public, _POST_COUNTERS)
    reposts = _first_count(public, _REPOST_NAMES)
    if reposts is not None:
        counters["retweet_count"] = reposts
    for name in ("non_public_metrics", "organic_metrics"):
        hidden = (private or {}).get(name)
        if isinstance(hidden, Mapping) and hidden:
            counters.update(_counts(hidden, _PRIVATE_COUNTERS))
            break
    is_reply = bool(replied_to(post))
    return MetricSnapshot(
        day=day,
        network_post_id=post_id,
        metrics=counters,
        published_at=None if is_reply else parse_time(post.get("created_at")),
        url=post_url(handle, post_id),
        text="" if is_reply else html.unescape(full_text(post)),
    )


def posts_by_id(page: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """`GET /2/tweets?ids=` answered: each post by id (missing ones are in `errors`)."""
    posts = page.get("data")
    if not isinstance(posts, list):
        return {}
    return {str(p.get("id")): p for p in posts if isinstance(p, Mapping) and p.get("id")}


def _counts(values: Mapping[str, Any], names: Sequence[str]) -> dict[str, int]:
    return {name: count for name in names if (count := known_count(values.get(name))) is not None}


def _first_count(values: Mapping[str, Any], names: Sequence[str]) -> int | None:
    for name in names:
        count = known_count(values.get(name))
        if count is not None:
            return count
    return None


# --- the account's subscription -------------------------------------------------------------


def subscription_of(user: Mapping[str, Any]) -> str:
    """X's `subscription_type` of the signed-in user as X spelled it, "" when not given."""
    value = user.get("subscription_type")
    return value.strip() if isinstance(value, str) else ""


def tier_limits(subscription: str) -> dict[str, object]:
    """The account's own rule values for its subscription (`SocialAccount.reported_limits`):
    long posts for Premium, nothing otherwise (the 280 default stays in force)."""
    if subscription.lower() in LONG_POST_TIERS:
        return {"text_max": LONG_POST_MAX}
    return {}
