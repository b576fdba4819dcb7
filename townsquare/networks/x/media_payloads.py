"""X API v2 media: which upload each file takes, the bodies of the upload requests and what
their answers say. Pure: no I/O, no Django.

Shapes are those of X's OpenAPI description 2.167 (`MediaUploadRequest`,
`InitializeMediaUploadRequest`, `AppendMediaUploadRequest`, `CreateMediaMetadataRequest` and
their answers); the limits are docs.x.com's "Media best practices" page: up to 4 pictures, or
1 animated GIF, or 1 video per post; pictures up to 5 MB, GIFs up to 15 MB. Files travel
base64-encoded in JSON bodies, which the description allows for every upload request.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from townsquare.networks.base import MediaRef, Rejected, RetryLater

MAX_PICTURES = 4
PICTURE_MAX_BYTES = 5 * 1024 * 1024
# X's v1 reference capped an APPEND chunk at 5 MB; 3 MiB stays under it once base64-encoded
# (4 MiB). `segment_index` goes up to 999, so one upload takes at most 3 GiB.
CHUNK_BYTES = 3 * 1024 * 1024
MAX_SEGMENTS = 1000
# X's alt text (`CreateMediaMetadataMetadataAltText.text`) is at most 1000 characters.
ALT_TEXT_MAX = 1000

# The types `InitializeMediaUploadRequest.media_type` lists for posts.
_PICTURE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/pjpeg", "image/bmp", "image/tiff"}
_VIDEO_TYPES = {"video/mp4", "video/quicktime", "video/webm", "video/mp2t"}

Category = Literal["tweet_image", "tweet_gif", "tweet_video"]


@dataclass(frozen=True, slots=True)
class Plan:
    """How one file goes to X: its category, and whether it needs the chunked upload."""

    ref: MediaRef
    category: Category

    @property
    def chunked(self) -> bool:
        # Videos always (docs.x.com: "Use the chunked upload flow for all videos"); GIFs too,
        # which X then processes asynchronously, as its best practices advise.
        return self.category != "tweet_image"

    @property
    def takes_alt_text(self) -> bool:
        return self.category != "tweet_video" and bool(self.ref.alt_text.strip())


def plan_uploads(media: Sequence[MediaRef]) -> list[Plan]:
    """One plan per file, or Rejected when X would refuse the set, before anything is sent."""
    plans = [Plan(ref, _category(ref)) for ref in media]
    moving = [p for p in plans if p.category != "tweet_image"]
    if moving and len(plans) > 1:
        if len(moving) > 1:
            raise Rejected("X takes one video or GIF per post.", code="too_many_videos")
        raise Rejected(
            "X takes either pictures or one video or GIF in a post, not both.",
            code="media_kinds_mixed",
        )
    if len(plans) > MAX_PICTURES:
        raise Rejected(f"X takes at most {MAX_PICTURES} pictures in a post.", code="rejected")
    return plans


def _category(ref: MediaRef) -> Category:
    mime = (ref.mime_type or "").lower()
    if mime == "image/gif":
        return "tweet_gif"
    if ref.kind == "image" and mime in _PICTURE_TYPES:
        return "tweet_image"
    if ref.kind == "video" and mime in _VIDEO_TYPES:
        return "tweet_video"
    raise Rejected(
        f"X does not take this kind of file ({mime or ref.kind}).", code="unsupported_media"
    )


def check_size(plan: Plan, size: int) -> None:
    """Rejected for a file X would refuse by its size, before it is sent."""
    if plan.category == "tweet_image" and size > PICTURE_MAX_BYTES:
        raise Rejected("A picture is larger than the 5 MB X takes.", code="rejected")
    if plan.chunked and size > CHUNK_BYTES * MAX_SEGMENTS:
        raise Rejected(
            "The video is larger than Townsquare can upload to X in one post.",
            code="video_too_large",
        )
    if size == 0:
        raise Rejected("A file of this post is empty.", code="media_missing")


# --- requests ---------------------------------------------------------------------------------


def upload_body(data: bytes, category: Category) -> dict[str, Any]:
    """`POST /2/media/upload` for a picture: the file in one request."""
    return {"media": _b64(data), "media_category": category}


def initialize_body(plan: Plan, total_bytes: int) -> dict[str, Any]:
    """`POST /2/media/upload/initialize`: the upload session of a video or GIF."""
    return {
        "media_category": plan.category,
        "media_type": (plan.ref.mime_type or "").lower(),
        "total_bytes": total_bytes,
    }


def chunks(data: bytes) -> list[tuple[int, bytes]]:
    """The (segment_index, bytes) of each APPEND, in order."""
    return [
        (index, data[start : start + CHUNK_BYTES])
        for index, start in enumerate(range(0, len(data), CHUNK_BYTES))
    ]


def append_body(index: int, chunk: bytes) -> dict[str, Any]:
    """`POST /2/media/upload/{id}/append`."""
    return {"media": _b64(chunk), "segment_index": index}


def metadata_body(media_id: str, alt_text: str) -> dict[str, Any]:
    """`POST /2/media/metadata`: the picture's alt text (X's limit: 1000 characters)."""
    return {"id": media_id, "metadata": {"alt_text": {"text": alt_text.strip()[:ALT_TEXT_MAX]}}}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- answers ----------------------------------------------------------------------------------


def media_id_of(answer: Mapping[str, Any], *, what: str) -> str:
    """The media id in an upload answer's `data.id`. An upload is safe to repeat (X drops
    media no post uses), so an answer without one is RetryLater, never OutcomeUnknown."""
    data = answer.get("data")
    media_id = str(data.get("id") or "") if isinstance(data, Mapping) else ""
    if not media_id.isascii() or not media_id.isdigit() or len(media_id) > 19:
        raise RetryLater(f"X did not confirm the {what}.", detail=str(answer)[:500])
    return media_id


Processing = Literal["ready", "waiting", "failed"]


def processing_of(answer: Mapping[str, Any]) -> tuple[Processing, float, str]:
    """(state, seconds to wait before asking again, X's words on a failure) of a FINALIZE or
    STATUS answer. No `processing_info` means the file is ready (docs.x.com, chunked upload
    quickstart: "If not, the media is ready to use")."""
    data = answer.get("data")
    info = data.get("processing_info") if isinstance(data, Mapping) else None
    if not isinstance(info, Mapping):
        return "ready", 0.0, ""
    state = str(info.get("state") or "")
    if state == "succeeded":
        return "ready", 0.0, ""
    if state == "failed":
        error = info.get("error")
        words = str(error.get("message") or "") if isinstance(error, Mapping) else ""
        return "failed", 0.0, words
    wait = info.get("check_after_secs")
    seconds = float(wait) if isinstance(wait, int | float) and not isinstance(wait, bool) else 5.0
    return "waiting", min(max(seconds, 1.0), 60.0), ""


def never_processed(media_id: str) -> RetryLater:
    """X still processes the file after the time we give it: the post waits and the file is
    uploaded again on the next attempt (nothing was posted)."""
    return RetryLater(
        "X is still processing a video of this post; it goes out when it is ready.",
        after=60,
        detail=f"media {media_id} still processing",
    )
