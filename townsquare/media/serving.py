"""Stored media leave the server only through here, after the caller checked access."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def stored_file_response(
    name: str, content_type: str, filename: str, *, as_attachment: bool = False
) -> FileResponse:
    if not name:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=as_attachment, filename=filename
    )
    # A stored file never changes; "private" keeps shared caches from keeping a copy.
    response["Cache-Control"] = "private, max-age=86400"
    return response
