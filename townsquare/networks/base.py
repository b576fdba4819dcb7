"""Contracts between Townsquare and the social networks: data, protocols and errors.

Pure: no Django, no I/O. Domain apps (content, publishing, inbox, analytics) import this module
and `networks.registry`, never a concrete connector. A connector implements only the protocols
its network can honour.

Errors carry retry meaning so that the publishing machinery, not each connector, decides what
happens next:

- `Rejected`: permanent; shown to the person who wrote the post. Never retried.
- `RetryLater`: rate limit or a server error; try again after `after` seconds (or a backoff).
- `Reauth`: the token expired or was revoked; the account needs to be connected again.
- `OutcomeUnknown`: the request may have reached the network. Never retried blindly; it is
  reconciled with `Publisher.find_published` or by a person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol, runtime_checkable

from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem

MediaKind = Literal["image", "gif", "video", "document"]


# --- errors ------------------------------------------------------------------------------


class NetworkError(Exception):
    """Base of every error a connector raises; `detail` is for logs, never for end users."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class Rejected(NetworkError):
    """The network refused the request for good (content, permissions, limits)."""

    def __init__(self, message: str, *, code: str = "rejected", detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.code = code


class RetryLater(NetworkError):
    """Temporary refusal (rate limit, 5xx, timeout before sending); `after` in seconds if known."""

    def __init__(self, message: str, *, after: float | None = None, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.after = after


class UnreadableAnswer(RetryLater):
    """A read answered with something that is not what the network's API documents (broken
    JSON, an HTML error page): tried again later like any temporary refusal, but told as
    what it is, so that nobody goes looking for a network that did not answer."""


class Reauth(NetworkError):
    """The credentials no longer work; a person has to connect the account again."""


class OutcomeUnknown(NetworkError):
    """The request may or may not have been carried out (e.g. a timeout after sending)."""


# --- data ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a connector needs to act as one connected account. Secrets stay out of repr."""

    account_id: int
    network: str
    handle: str
    access_token: str = field(repr=False)
    refresh_token: str = field(default="", repr=False)
    expires_at: datetime | None = None
    instance_url: str = ""
    extra: Mapping[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class MediaRef:
    """One stored media file attached to a variant, with the facts validation needs."""

    storage_key: str
    kind: MediaKind
    mime_type: str
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    alt_text: str = ""


@dataclass(frozen=True, slots=True)
class VariantToPublish:
    """A post as it goes to one account: the text (or the parts of a thread) and its media.

    `parts` holds the texts of a thread; a single post has exactly one part. Media belong to the
    first part. `link_url` is the link the post is about (card, pin destination, link in bio).
    """

    variant_id: int
    account_id: int
    network: str
    parts: tuple[str, ...]
    media: tuple[MediaRef, ...] = ()
    content_warning: str = ""
    title: str = ""
    link_url: str = ""
    language: str = ""
    # The network id of the post this one answers: the previous part when a thread is
    # published part by part (so a half-published thread can be resumed), or a comment.
    reply_to_id: str = ""

    @property
    def text(self) -> str:
        return self.parts[0] if self.parts else ""


@dataclass(frozen=True, slots=True)
class PublishedResult:
    """Where a post landed. `part_ids` lists every network id of a thread, first one first."""

    network_post_id: str
    url: str
    published_at: datetime
    part_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a connector can do for its network; the UI hides what is missing."""

    publish: bool = True
    threads: bool = False
    native_scheduling: bool = False
    delete: bool = True
    find_published: bool = True
    inbox: bool = False
    reply: bool = False
    metrics: bool = False


@dataclass(frozen=True, slots=True)
class InboxMessage:
    """A mention, comment, reply or direct message seen on a network."""

    network_message_id: str
    conversation_id: str
    kind: Literal["mention", "comment", "reply", "direct"]
    author_handle: str
    author_name: str
    text: str
    created_at: datetime
    url: str = ""
    in_reply_to_id: str = ""
    # How many follow the author, where the network says so (None: unknown, or no followers
    # there, as on Matrix).
    author_followers: int | None = None


def known_count(value: object) -> int | None:
    """A count as a network reported it, or None where it gave no whole number (unknown is
    not zero: a rule's follower minimum must not treat it as a small account)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


@dataclass(frozen=True, slots=True)
class MetricSnapshot:
    """Counters for one day, of an account (`network_post_id` empty) or of one post.

    A post the account published on its own (not a reply) also says when, where and what,
    so collection can track a post made outside Townsquare. A reply (a thread's later part,
    an answer in a conversation) leaves `published_at` empty: its counters only count for a
    post already tracked, it is never a post of its own."""

    day: date
    network_post_id: str
    metrics: Mapping[str, int]
    published_at: datetime | None = None
    url: str = ""
    text: str = ""


# --- protocols -------------------------------------------------------------------------------


@runtime_checkable
class Publisher(Protocol):
    """Publishes variants. `find_published` lets the publisher reconcile an unknown outcome."""

    @property
    def capabilities(self) -> Capabilities: ...

    def validate(self, variant: VariantToPublish, rules: NetworkRules) -> Sequence[Problem]: ...

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult: ...

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        """The post sent with this key, or None when the network certainly does not have it.

        `expected` is the part that was in flight and `sent_after` a moment before it left:
        networks that cannot look a post up by key (Mastodon) match on those instead. A
        connector that cannot tell raises `OutcomeUnknown`; it never answers None on a guess.
        """
        ...

    def delete(self, creds: Credentials, network_post_id: str) -> None: ...


@runtime_checkable
class InboxSource(Protocol):
    """Reads what people say to the account, page by page, and answers them."""

    def fetch_inbox(
        self, creds: Credentials, cursor: str | None
    ) -> tuple[Sequence[InboxMessage], str | None]: ...

    def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult: ...


@runtime_checkable
class ConnectionCheck(Protocol):
    """Tells cheaply, with one authenticated read, whether the stored login still works, so
    that a revoked login is noticed before a scheduled post needs it. Raises `Reauth` when
    it does not work; other errors mean "could not tell now"."""

    def check_connection(self, creds: Credentials) -> None: ...


@runtime_checkable
class MetricsSource(Protocol):
    """Reads daily counters of the account and of its posts."""

    def fetch_metrics(self, creds: Credentials, since: date) -> Sequence[MetricSnapshot]: ...
