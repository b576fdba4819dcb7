"""Uploading a post's pictures, GIF or video to X before the post is made.

A picture goes in one request (`POST /2/media/upload`); a GIF or a video through the chunked
upload (`initialize`, one `append` per 3 MiB, `finalize`), then, while X says it is
processing, `GET /2/media/upload?command=STATUS` at the pace X asks for. A picture's alt text
follows through `POST /2/media/metadata`. Every step is safe to repeat: media no post uses
are dropped by X, so a failed or unreadable step is retried with a fresh upload on the next
attempt, and nothing is posted until every file is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from townsquare.networks.base import Credentials, Rejected
from townsquare.networks.x import media_payloads
from townsquare.networks.x.media_payloads import Plan

# How long one attempt waits for X to process a video before giving the post back to the
# engine (RetryLater): the publishing lease must not run out while we wait.
PROCESSING_PATIENCE_S = 60.0
UPLOAD_TIMEOUT_S = 120.0


class Caller(Protocol):
    def __call__(
        self,
        creds: Credentials,
        method: str,
        path: str,
        *,
        idempotent: bool,
        empty_ok: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]: ...


class XMediaUploads:
    """The uploads of one connector: its token-renewing call, a file reader and a sleep."""

    def __init__(
        self, call: Caller, read: Callable[[str], bytes], sleep: Callable[[float], None]
    ) -> None:
        self._call = call
        self._read = read
        self._sleep = sleep

    def upload(self, creds: Credentials, plan: Plan) -> str:
        """The media id of the file, processed and described, ready to attach."""
        data = self._file(plan)
        media_payloads.check_size(plan, len(data))
        if plan.chunked:
            media_id = self._chunked(creds, plan, data)
        else:
            answer = self._call(
                creds,
                "POST",
                "/2/media/upload",
                json=media_payloads.upload_body(data, plan.category),
                idempotent=True,
                timeout=UPLOAD_TIMEOUT_S,
            )
            media_id = media_payloads.media_id_of(answer, what="upload of a picture")
            self._wait_until_processed(creds, media_id, answer)
        if plan.takes_alt_text:
            self._call(
                creds,
                "POST",
                "/2/media/metadata",
                json=media_payloads.metadata_body(media_id, plan.ref.alt_text),
                idempotent=True,
            )
        return media_id

    def _file(self, plan: Plan) -> bytes:
        try:
            return self._read(plan.ref.storage_key)
        except OSError as error:
            raise Rejected(
                "A file of this post is missing from the media library.",
                code="media_missing",
                detail=f"{plan.ref.storage_key}: {error}",
            ) from None

    def _chunked(self, creds: Credentials, plan: Plan, data: bytes) -> str:
        started = self._call(
            creds,
            "POST",
            "/2/media/upload/initialize",
            json=media_payloads.initialize_body(plan, len(data)),
            idempotent=True,
        )
        media_id = media_payloads.media_id_of(started, what="start of an upload")
        for index, chunk in media_payloads.chunks(data):
            self._call(
                creds,
                "POST",
                f"/2/media/upload/{media_id}/append",
                json=media_payloads.append_body(index, chunk),
                idempotent=True,
                empty_ok=True,  # X's older reference: "2XX with an empty response body"
                timeout=UPLOAD_TIMEOUT_S,
            )
        finished = self._call(
            creds, "POST", f"/2/media/upload/{media_id}/finalize", idempotent=True
        )
        media_id = media_payloads.media_id_of(finished, what="upload of a video")
        self._wait_until_processed(creds, media_id, finished)
        return media_id

    def _wait_until_processed(
        self, creds: Credentials, media_id: str, answer: dict[str, Any]
    ) -> None:
        waited = 0.0
        while True:
            state, wait, words = media_payloads.processing_of(answer)
            if state == "ready":
                return
            if state == "failed":
                raise Rejected(
                    "X could not process a video of this post" + (f": {words}" if words else "."),
                    code="rejected",
                    detail=f"media {media_id}",
                )
            if waited + wait > PROCESSING_PATIENCE_S:
                raise media_payloads.never_processed(media_id)
            self._sleep(wait)
            waited += wait
            answer = self._call(
                creds,
                "GET",
                "/2/media/upload",
                params={"command": "STATUS", "media_id": media_id},
                idempotent=True,
            )


# --- Django glue: kept out of the class so tests can pass their own -------------------------


def _read_stored_media(storage_key: str) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(storage_key, "rb") as handle:
        data: bytes = handle.read()
    return data
