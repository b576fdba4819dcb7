"""Bluesky records and answers, built and read without I/O.

Everything the connector sends or reads is shaped here: `app.bsky.feed.post` records with
facets at UTF-8 byte offsets, reply references, link-card, image and video embeds, the record
key derived from an idempotency key, and the translation of notifications, posts and profiles
into Townsquare's data classes. Pure: no Django, no HTTP.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from townsquare.networks.base import InboxMessage, MetricSnapshot, known_count
from townsquare.networks.rules.bluesky import Facet, detect_bluesky_facets

POST_COLLECTION = "app.bsky.feed.post"
WEB_BASE = "https://bsky.app"
MAX_IMAGES = 4
# Lexicon limits of app.bsky.embed.external (in graphemes there; bytes are a safe bound).
CARD_TITLE_MAX = 300
CARD_DESCRIPTION_MAX = 1000

# --- record keys ----------------------------------------------------------------------------------
# Bluesky has no idempotency key, but createRecord takes the record key. Posts must have a TID
# as key (the PDS refuses anything else), so the key of a post is a TID whose bits come from a
# hash of Townsquare's idempotency key: sending the same part twice names the same record, and
# the second write fails instead of creating a duplicate; `find_published` reads that key.
# The timestamp inside such a TID carries no meaning (nothing sorts posts by record key; feeds
# use createdAt); it is kept between 2000 and 2017 so that no TID claims to come from the future.
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TID_EPOCH_US = 946_684_800_000_000  # 2000-01-01T00:00:00Z in microseconds
_TID_SPAN_BITS = 49  # about 17.8 years of microseconds
_TID_LENGTH = 13


def tid_from_int(value: int) -> str:
    """The 13-character base32-sortable form of a 63-bit integer."""
    if not 0 <= value < 1 << 63:
        raise ValueError("a TID holds 63 bits")
    chars = []
    for _ in range(_TID_LENGTH):
        chars.append(_TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def is_tid(text: str) -> bool:
    return (
        len(text) == _TID_LENGTH
        and text[0] in _TID_ALPHABET[:16]
        and all(char in _TID_ALPHABET for char in text)
    )


def rkey_for(idempotency_key: str) -> str:
    """The record key of the post made with `idempotency_key`: a TID, the same every time."""
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big")
    micros = _TID_EPOCH_US + (digest >> (64 - _TID_SPAN_BITS))
    clock_id = digest & 0x3FF
    return tid_from_int((micros << 10) | clock_id)


# --- addresses ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AtUri:
    repo: str
    collection: str
    rkey: str

    def __str__(self) -> str:
        return f"at://{self.repo}/{self.collection}/{self.rkey}"


def parse_at_uri(uri: str) -> AtUri:
    """`at://did/collection/rkey` split up; ValueError for anything else."""
    if not uri.startswith("at://"):
        raise ValueError(f"not an at:// URI: {uri!r}")
    parts = uri[len("at://") :].split("/")
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"not a record URI: {uri!r}")
    return AtUri(parts[0], parts[1], parts[2])


def post_url(actor: str, uri: str) -> str:
    """The bsky.app address of a post; `actor` is a handle (readable) or a DID (stable)."""
    return f"{WEB_BASE}/profile/{actor or parse_at_uri(uri).repo}/post/{parse_at_uri(uri).rkey}"


def now_iso() -> str:
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    """The datetime format the lexicons ask for: UTC, milliseconds, a Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(raw: object) -> datetime:
    if isinstance(raw, str):
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


# --- facets ---------------------------------------------------------------------------------------


def mentioned_handles(text: str) -> tuple[str, ...]:
    """Handles mentioned in `text`, lower-cased and without duplicates, to resolve to DIDs."""
    seen: dict[str, None] = {}
    for facet in detect_bluesky_facets(text):
        if facet.kind == "mention":
            seen.setdefault(facet.value.lower(), None)
    return tuple(seen)


def facets_for(text: str, dids: Mapping[str, str]) -> list[dict[str, Any]]:
    """The `app.bsky.richtext.facet` list of `text`. A mention becomes a facet only when its
    handle resolved to a DID (`dids`, by lower-cased handle); otherwise it stays plain text,
    as in Bluesky's own app."""
    facets: list[dict[str, Any]] = []
    for facet in detect_bluesky_facets(text):
        feature = _feature(facet, dids)
        if feature is not None:
            facets.append(
                {
                    "index": {"byteStart": facet.byte_start, "byteEnd": facet.byte_end},
                    "features": [feature],
                }
            )
    return facets


def _feature(facet: Facet, dids: Mapping[str, str]) -> dict[str, str] | None:
    if facet.kind == "link":
        return {"$type": "app.bsky.richtext.facet#link", "uri": facet.value}
    if facet.kind == "tag":
        return {"$type": "app.bsky.richtext.facet#tag", "tag": facet.value}
    did = dids.get(facet.value.lower())
    if did:
        return {"$type": "app.bsky.richtext.facet#mention", "did": did}
    return None


# --- records --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StrongRef:
    uri: str
    cid: str

    def as_json(self) -> dict[str, str]:
        return {"uri": self.uri, "cid": self.cid}


def reply_refs(parent: StrongRef, parent_record: Mapping[str, Any]) -> dict[str, Any]:
    """`{root, parent}` for an answer to `parent`: the root is the parent's own root when the
    parent answers something itself, else the parent (it starts the thread)."""
    reply = parent_record.get("reply")
    root = parent
    if isinstance(reply, Mapping):
        found = reply.get("root")
        if isinstance(found, Mapping) and found.get("uri") and found.get("cid"):
            root = StrongRef(str(found["uri"]), str(found["cid"]))
    return {"root": root.as_json(), "parent": parent.as_json()}


def build_post(
    text: str,
    *,
    created_at: str,
    facets: Sequence[Mapping[str, Any]] = (),
    reply: Mapping[str, Any] | None = None,
    embed: Mapping[str, Any] | None = None,
    languages: Iterable[str] = (),
) -> dict[str, Any]:
    record: dict[str, Any] = {"$type": POST_COLLECTION, "text": text, "createdAt": created_at}
    if facets:
        record["facets"] = list(facets)
    if reply:
        record["reply"] = dict(reply)
    if embed:
        record["embed"] = dict(embed)
    langs = [code for code in languages if code]
    if langs:
        record["langs"] = langs[:3]  # the lexicon allows three
    return record


def images_embed(
    images: Sequence[tuple[Mapping[str, Any], str, int | None, int | None]],
) -> dict[str, Any]:
    """`app.bsky.embed.images` from (blob, alt text, width, height) in order."""
    items = []
    for blob, alt, width, height in images[:MAX_IMAGES]:
        item: dict[str, Any] = {"image": dict(blob), "alt": alt}
        if width and height:
            item["aspectRatio"] = {"width": width, "height": height}
        items.append(item)
    return {"$type": "app.bsky.embed.images", "images": items}


def video_embed(
    blob: Mapping[str, Any], alt: str, width: int | None, height: int | None
) -> dict[str, Any]:
    """`app.bsky.embed.video` (lexicons/app/bsky/embed/video.json in bluesky-social/atproto):
    the uploaded MP4 blob, its alt text when there is one, and its aspect ratio when both
    sides are known (the lexicon wants integers >= 1; apps reserve the space from it)."""
    embed: dict[str, Any] = {"$type": "app.bsky.embed.video", "video": dict(blob)}
    if alt:
        embed["alt"] = alt
    if width and height and width > 0 and height > 0:
        embed["aspectRatio"] = {"width": int(width), "height": int(height)}
    return embed


def external_embed(
    uri: str, title: str, description: str, thumb: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """`app.bsky.embed.external`: the link card, rendered by apps from what we send."""
    external: dict[str, Any] = {
        "uri": uri,
        "title": _clip(title, CARD_TITLE_MAX),
        "description": _clip(description, CARD_DESCRIPTION_MAX),
    }
    if thumb:
        external["thumb"] = dict(thumb)
    return {"$type": "app.bsky.embed.external", "external": external}


def _clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# --- link cards -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardFacts:
    title: str
    description: str
    image_url: str


class _MetaParser(HTMLParser):
    """Collects <title> and the Open Graph / Twitter meta tags of a page's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = {name.lower(): value or "" for name, value in attrs}
            key = (values.get("property") or values.get("name") or "").lower()
            if key and key not in self.meta and values.get("content"):
                self.meta[key] = values["content"].strip()
        elif tag == "title":
            self._in_title = True
        elif tag == "body":
            self.done = True  # cards come from the head; the body can be megabytes

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title and not self.title:
            self.title = " ".join(data.split())


def parse_card(html: str, page_url: str) -> CardFacts:
    """Title, description and image of a page, as social networks read them."""
    parser = _MetaParser()
    # A broken page still yields what was read up to the break.
    with contextlib.suppress(Exception):
        parser.feed(html)
    meta = parser.meta
    title = meta.get("og:title") or meta.get("twitter:title") or parser.title
    description = (
        meta.get("og:description") or meta.get("twitter:description") or meta.get("description")
    )
    image = meta.get("og:image") or meta.get("og:image:url") or meta.get("twitter:image") or ""
    if image:
        try:
            image = urljoin(page_url, image)
            if urlsplit(image).scheme not in ("http", "https"):
                image = ""
        except ValueError:  # the page's own address for it is malformed ("http://[::1")
            image = ""
    return CardFacts(title=title or page_url, description=description or "", image_url=image)


# --- reading --------------------------------------------------------------------------------------

# Notification reasons that are someone talking to or about the account.
INBOX_REASONS = {"mention": "mention", "reply": "reply", "quote": "mention"}


# --- reading what a server answered: its JSON may have any shape, and a wrong one must cost
# that one item, never the whole poll.


def mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def mappings(value: object) -> list[Mapping[str, Any]]:
    """The objects of a JSON list (anything else in it is skipped)."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def count(value: object) -> int:
    """A counter as the server reported it; 0 when it is not a whole number."""
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    return max(value, 0)


def page_cursor(body: Mapping[str, Any]) -> str | None:
    cursor = body.get("cursor")
    return cursor if isinstance(cursor, str) and cursor else None


def inbox_message_from(notification: Mapping[str, Any]) -> InboxMessage | None:
    """An InboxMessage for a mention, reply or quote; None for likes, follows and the rest."""
    kind = INBOX_REASONS.get(str(notification.get("reason", "")))
    uri = str(notification.get("uri", ""))
    if kind is None or not uri.startswith("at://"):
        return None
    record = mapping(notification.get("record"))
    author = mapping(notification.get("author"))
    reply = mapping(record.get("reply"))
    root = str(mapping(reply.get("root")).get("uri", ""))
    parent = str(mapping(reply.get("parent")).get("uri", ""))
    handle = str(author.get("handle", ""))
    return InboxMessage(
        network_message_id=uri,
        # A thread is the conversation; a mention outside any thread starts its own.
        conversation_id=root or uri,
        kind=kind,  # type: ignore[arg-type]
        author_handle=handle,
        author_name=str(author.get("displayName") or handle),
        text=str(record.get("text", "")),
        created_at=parse_time(record.get("createdAt")),
        url=post_url(handle or str(author.get("did", "")), uri),
        in_reply_to_id=parent,
    )


def author_did(notification: Mapping[str, Any]) -> str:
    return str(mapping(notification.get("author")).get("did", ""))


def followers_by_did(body: Mapping[str, Any]) -> dict[str, int]:
    """Each profile's follower count from an `app.bsky.actor.getProfiles` answer; a profile
    without a whole number is left out (unknown, not zero)."""
    found: dict[str, int] = {}
    for profile in mappings(body.get("profiles")):
        did, followers = profile.get("did"), known_count(profile.get("followersCount"))
        if isinstance(did, str) and did and followers is not None:
            found[did] = followers
    return found


POST_COUNTERS = {
    "likes": "likeCount",
    "reposts": "repostCount",
    "replies": "replyCount",
    "quotes": "quoteCount",
}
ACCOUNT_COUNTERS = {
    "followers": "followersCount",
    "following": "followsCount",
    "posts": "postsCount",
}


def post_snapshot(post_view: Mapping[str, Any], day: date) -> MetricSnapshot:
    """A post's counters, and for a post that is not a reply when, where and what it is.

    A reply (its record names a parent: a thread's later part, an answer to someone) is a
    conversation, not a publication: it keeps `published_at` empty, so collection counts it
    only for a post it already tracks (Townsquare's threads) and never as a post of its own.
    """
    uri = str(post_view.get("uri", ""))
    record = mapping(post_view.get("record"))
    handle = str(mapping(post_view.get("author")).get("handle") or "")
    try:
        url = post_url(handle, uri)
    except ValueError:
        url = ""  # not a record URI: nothing to link to
    text = record.get("text")
    return MetricSnapshot(
        day=day,
        network_post_id=uri,
        metrics={name: count(post_view.get(field)) for name, field in POST_COUNTERS.items()},
        published_at=None if record.get("reply") else _created_at(record.get("createdAt")),
        url=url,
        text=text if isinstance(text, str) else "",
    )


def _created_at(raw: object) -> datetime | None:
    """A record's own creation time; None when it has none readable (not "now", which would
    date an old post today)."""
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def account_snapshot(profile: Mapping[str, Any], day: date) -> MetricSnapshot:
    return MetricSnapshot(
        day=day,
        network_post_id="",
        metrics={name: count(profile.get(field)) for name, field in ACCOUNT_COUNTERS.items()},
    )
