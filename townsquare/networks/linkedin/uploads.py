"""Uploading a post's media to LinkedIn before the post is created.

- Pictures (one, or up to 20 as a MultiImage post): Images API `initializeUpload`, then the
  bytes PUT to the address it gave.
- A document (PDF, PPT(X), DOC(X)): Documents API, the same two steps.
- A video: Videos API `initializeUpload` with the file's size gives one address per part
  (4 MB each), each part PUT in order and its `ETag` kept, then `finalizeUpload` with the
  ETags; the post waits until LinkedIn says the video is AVAILABLE (a few polls).

A post holds pictures, or one video, or one document; anything else is refused before a
byte is sent. Every step is a write: a lost answer is an unknown outcome, never repeated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import httpx

from townsquare.networks.base import Credentials, MediaRef, OutcomeUnknown, Rejected, RetryLater
from townsquare.networks.linkedin import payloads

MAX_IMAGES = 20
# How often and how long to wait for a video LinkedIn is still processing.
VIDEO_POLLS = 6
VIDEO_POLL_WAIT_S = 5.0


class Call(Protocol):
    def __call__(
        self,
        creds: Credentials,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json: Any = None,
        extra_headers: dict[str, str] | None = None,
    ) -> httpx.Response: ...


Put = Callable[[Credentials, str, bytes], httpx.Response]


class MediaUploads:
    """The upload steps, given the connector's way of calling LinkedIn."""

    def __init__(
        self,
        *,
        call: Call,
        put: Put,
        read_media: Callable[[str], bytes],
        sleep: Callable[[float], None],
    ) -> None:
        self._call = call
        self._put = put
        self._read_media = read_media
        self._sleep = sleep

    @staticmethod
    def check(media: Sequence[MediaRef]) -> None:
        kinds = {"image" if ref.kind == "gif" else ref.kind for ref in media}
        if len(kinds) > 1 or (kinds & {"video", "document"} and len(media) > 1):
            raise Rejected(
                "A LinkedIn post holds pictures, or one video, or one document.",
                code="media_mix",
            )
        if len(media) > MAX_IMAGES:
            raise Rejected(
                f"A LinkedIn post holds at most {MAX_IMAGES} pictures.", code="too_many_media"
            )

    def upload_all(
        self, creds: Credentials, owner: str, media: Sequence[MediaRef], *, title: str = ""
    ) -> list[payloads.UploadedMedia]:
        uploaded = []
        # Every file read before the first upload: a missing one refuses the post before
        # LinkedIn holds half its media.
        files = [self._data(ref) for ref in media]
        for ref, data in zip(media, files, strict=True):
            if ref.kind == "video":
                urn = self.video(creds, owner, data)
            else:
                kind = "document" if ref.kind == "document" else "image"
                urn = self.file(creds, owner, data, kind)
            uploaded.append(
                payloads.UploadedMedia(
                    urn=urn,
                    kind="image" if ref.kind == "gif" else ref.kind,
                    alt_text=ref.alt_text,
                    title=title or ref.storage_key.rsplit("/", 1)[-1],
                )
            )
        return uploaded

    def _data(self, ref: MediaRef) -> bytes:
        try:
            return self._read_media(ref.storage_key)
        except (OSError, ValueError) as error:
            raise Rejected(
                "A file of this post is missing from the media library.",
                code="media_missing",
                detail=f"{ref.storage_key}: {error}",
            ) from None

    def file(self, creds: Credentials, owner: str, data: bytes, kind: str) -> str:
        """A picture or a document: initialise, upload, and its URN."""
        api = "images" if kind == "image" else "documents"
        response = self._call(
            creds,
            "POST",
            f"/rest/{api}?action=initializeUpload",
            json=payloads.initialize_upload_body(owner),
            idempotent=False,
        )
        answer = payloads.json_body(response.content, status=response.status_code, idempotent=False)
        url, urn = payloads.upload_target(answer, kind)
        self._put(creds, url, data)
        return urn

    def video(self, creds: Credentials, owner: str, data: bytes) -> str:
        response = self._call(
            creds,
            "POST",
            "/rest/videos?action=initializeUpload",
            json=payloads.initialize_upload_body(owner, size_bytes=len(data)),
            idempotent=False,
        )
        answer = payloads.json_body(response.content, status=response.status_code, idempotent=False)
        plan = payloads.video_upload(answer, len(data))
        etags = []
        for url, first, last in plan.parts:
            part = self._put(creds, url, data[first : last + 1])
            etag = part.headers.get("etag", "")
            if not etag:
                raise OutcomeUnknown(
                    "LinkedIn took a part of the video without confirming it.", detail=url[:200]
                )
            etags.append(etag)
        self._call(
            creds,
            "POST",
            "/rest/videos?action=finalizeUpload",
            json=payloads.finalize_video_body(plan.video, plan.upload_token, etags),
            idempotent=False,
        )
        self._wait_until_available(creds, plan.video)
        return plan.video

    def _wait_until_available(self, creds: Credentials, video: str) -> None:
        for attempt in range(VIDEO_POLLS):
            response = self._call(
                creds, "GET", f"/rest/videos/{payloads.encoded(video)}", idempotent=True
            )
            answer = payloads.json_body(
                response.content, status=response.status_code, idempotent=True
            )
            status = payloads.video_status(answer)
            if status == "AVAILABLE":
                return
            if status == "PROCESSING_FAILED":
                raise Rejected("LinkedIn could not process the video.", code="video_failed")
            if attempt < VIDEO_POLLS - 1:
                self._sleep(VIDEO_POLL_WAIT_S)
        raise RetryLater("LinkedIn is still processing the video.", after=60)
