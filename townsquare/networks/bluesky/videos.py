"""What a Bluesky post can carry as media, checked before anything is uploaded.

A post has one embed: up to four pictures, or one video. The video embed
(`app.bsky.embed.video`, lexicons/app/bsky/embed/video.json in bluesky-social/atproto, as of
2026-08) takes a blob that `accept`s only `video/mp4` with `maxSize` 300,000,000 bytes, an
optional `alt` (no length limit since 2026-08-14), an `aspectRatio` {width, height} of
integers >= 1 (app.bsky.embed.defs#aspectRatio) and an optional `presentation` hint
("default" or "gif"). Bluesky's video guide (https://docs.bsky.app/docs/tutorials/video)
names `com.atproto.repo.uploadBlob` on the PDS as the simple way to upload one.

A PDS refuses an oversized blob or a record whose blob is not an MP4 only after the upload (or
after the post record was sent), so these refusals come first, with a message a person can act
on. Pure: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from townsquare.networks.base import MediaRef, Rejected

VIDEO_MIME = "video/mp4"
# The lexicon's maxSize, and rules.json's bluesky video_max_bytes (a test keeps them equal).
VIDEO_MAX_BYTES = 300_000_000
_MB = 1_000_000
# xrpc.UPLOAD_TIMEOUT_S (60 s) suits pictures. httpx applies a timeout to each read or write,
# not to the whole upload, so a long upload is fine; the longer wait covers a PDS that stores
# a video of up to 300 MB before it answers.
VIDEO_UPLOAD_TIMEOUT_S = 300.0


def check_media(media: Sequence[MediaRef]) -> MediaRef | None:
    """The post's video, or None when it has none; Rejected for media Bluesky cannot take.

    Uses only what the media library knows (type, size), so nothing has been read or sent.
    """
    if any(ref.kind == "document" for ref in media):
        raise Rejected(
            "Bluesky posts cannot carry documents; attach pictures or one MP4 video instead.",
            code="unsupported_media",
        )
    videos = [ref for ref in media if ref.kind == "video"]
    if not videos:
        return None
    if len(videos) > 1:
        raise Rejected("A Bluesky post can carry only one video.", code="too_many_videos")
    if len(media) > 1:
        # One embed per post: dropping the pictures silently would publish less than was
        # written, so the person chooses.
        raise Rejected(
            "A Bluesky post carries either one video or pictures, not both.",
            code="media_kinds_mixed",
        )
    video = videos[0]
    if video.mime_type.strip().lower() != VIDEO_MIME:
        raise Rejected(
            "Bluesky only takes MP4 videos; convert this video to MP4 and attach it again.",
            code="video_not_mp4",
            detail=f"type of the attached video: {video.mime_type or 'unknown'}",
        )
    if video.size_bytes is not None:
        check_size(video.size_bytes)
    return video


def check_size(size_bytes: int) -> None:
    if size_bytes > VIDEO_MAX_BYTES:
        raise Rejected(
            f"The video is {size_bytes / _MB:.1f} MB; Bluesky takes videos of up to "
            f"{VIDEO_MAX_BYTES // _MB} MB. Shorten it or lower its quality and attach it again.",
            code="video_too_large",
        )


def check_video_file(data: bytes) -> None:
    """The bytes about to be uploaded: within the limit and shaped like an MP4 (an ISO media
    file starts with its `ftyp` box; a QuickTime file has the brand "qt  "), which is how the
    PDS decides the blob's type."""
    check_size(len(data))
    if data[4:8] != b"ftyp" or data[8:12] == b"qt  ":
        raise Rejected(
            "The video file is not a readable MP4; convert it to MP4 and attach it again.",
            code="video_not_mp4",
        )
