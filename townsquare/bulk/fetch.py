"""Fetching a media file an import names by its https address.

Only at import time, only through the guarded outbound client (no private addresses, no
redirects, no proxy), with a size limit; the file is spooled to disk, never held whole in
memory. Every failure is a `FetchError` whose code and numbers the row's report words.
"""

from __future__ import annotations

import re
import tempfile
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
from django.core.files import File

from townsquare.lib.http import UnsafeTarget, check_target, outbound_client
from townsquare.media.budget import MAX_IMAGE_BYTES, MAX_VIDEO_BYTES

MAX_MEDIA_BYTES = MAX_VIDEO_BYTES
IMAGE_BYTES = MAX_IMAGE_BYTES
# How many addresses one import may name (each is a download).
MAX_URLS_PER_IMPORT = 100
TIMEOUT = httpx.Timeout(20.0, connect=5.0)

# Tests replace the guarded transport with an httpx.MockTransport.
TRANSPORT: httpx.BaseTransport | None = None


class FetchError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def file_name(url: str) -> str:
    """The last segment of the address's path, as a file name; "download" when it has none."""
    segment = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    name = re.sub(r"[^\w.\- ]", "_", segment).strip(" .")[:100]
    return name or "download"


def fetch(url: str, *, max_bytes: int = MAX_MEDIA_BYTES) -> File:
    """The file at `url`, spooled to a temporary file; the caller closes it."""
    try:
        if TRANSPORT is None:
            check_target(url)
        with (
            outbound_client(timeout=TIMEOUT, transport=TRANSPORT) as http,
            http.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise FetchError("media_http_status", status=response.status_code)
            declared = response.headers.get("content-length", "")
            if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError("media_too_large", max_mb=max_bytes // (1024 * 1024))
            spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the caller)
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    spool.close()
                    raise FetchError("media_too_large", max_mb=max_bytes // (1024 * 1024))
                spool.write(chunk)
    except UnsafeTarget:
        raise FetchError("media_address_refused") from None
    except httpx.HTTPError as error:
        if isinstance(error.__cause__, UnsafeTarget) or isinstance(error.__context__, UnsafeTarget):
            raise FetchError("media_address_refused") from None
        raise FetchError("media_unreachable") from None
    if size == 0:
        spool.close()
        raise FetchError("media_empty")
    spool.seek(0)
    upload = File(spool, name=file_name(url))
    upload.size = size
    return upload
