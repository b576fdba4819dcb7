"""Stored media leave the server only through here, after the caller checked access.

Single byte ranges are answered (206) because Safari plays a video only from a server that
supports them, and every browser seeks in a video that way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024
# A stored file never changes; "private" keeps shared caches from keeping a copy.
CACHE_CONTROL = "private, max-age=86400"


def _chunks(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def _range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single satisfiable range, or None for "not one we serve"."""
    match = RANGE.match(header.strip())
    if match is None or not any(match.groups()):
        return None
    first_text, last_text = match.groups()
    if not first_text:  # "bytes=-500": the last 500 bytes
        first, last = max(0, size - int(last_text)), size - 1
    else:
        first = int(first_text)
        last = min(int(last_text), size - 1) if last_text else size - 1
    if first > last or first >= size:
        raise ValueError("unsatisfiable")
    return first, last


def stored_file_response(
    request: HttpRequest,
    name: str,
    content_type: str,
    filename: str,
    *,
    as_attachment: bool = False,
) -> HttpResponse | FileResponse | StreamingHttpResponse:
    if not name:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
        size = default_storage.size(name)
    except FileNotFoundError:
        raise Http404 from None
    header = request.headers.get("Range", "")
    try:
        wanted = _range(header, size) if header else None
    except ValueError:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None:
        full = FileResponse(
            handle, content_type=content_type, as_attachment=as_attachment, filename=filename
        )
        full["Accept-Ranges"] = "bytes"
        full["Cache-Control"] = CACHE_CONTROL
        return full
    first, last = wanted
    part = StreamingHttpResponse(
        _chunks(handle, first, last - first + 1), status=206, content_type=content_type
    )
    part["Content-Range"] = f"bytes {first}-{last}/{size}"
    part["Content-Length"] = str(last - first + 1)
    part["Accept-Ranges"] = "bytes"
    part["Cache-Control"] = CACHE_CONTROL
    return part
