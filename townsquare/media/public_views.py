"""The public address of a stored file (/m/<token>/<file name>), for the networks that
download media themselves (media/public_urls.py). No sign-in: the signed token is the key.

Whatever is wrong -- a token forged, changed, expired, made for another file, or the file
deleted -- the answer is the same plain 404, so a guesser learns nothing; never the file.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_http_methods

from townsquare.media.models import MediaAsset
from townsquare.media.public_urls import file_name, read_token
from townsquare.media.serving import stored_file_response

NOT_FOUND = "No file at this address. Addresses of media files expire.\n"
# The token expires and the file may be deleted: no cache, shared or not, keeps a copy.
CACHE_CONTROL = "private, no-store"


def _protected(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex"
    return response


def _not_found() -> HttpResponseBase:
    return _protected(HttpResponse(NOT_FOUND, status=404, content_type="text/plain; charset=utf-8"))


@require_http_methods(["GET", "HEAD"])
def public_file(request: HttpRequest, token: str, filename: str) -> HttpResponseBase:
    facts = read_token(token)
    if facts is None:
        return _not_found()
    asset = MediaAsset.objects.filter(pk=facts.asset_id).only("file", "mime_type").first()
    # The name is checked too: an id that came back after a deletion names another file.
    if asset is None or not asset.file.name or file_name(asset.file.name) != filename:
        return _not_found()
    if request.method == "HEAD":
        try:
            size = default_storage.size(asset.file.name)
        except FileNotFoundError:
            return _not_found()
        head = HttpResponse(content_type=asset.mime_type)
        head["Content-Length"] = str(size)
        head["Accept-Ranges"] = "bytes"
        return _protected(head)
    try:
        response = stored_file_response(request, asset.file.name, asset.mime_type, filename)
    except Http404:  # the row is there, its file is not
        return _not_found()
    return _protected(response)
