"""Response headers that protect every answer, whatever view produced it.

- `Permissions-Policy` (settings.PERMISSIONS_POLICY) on every response, static files too.
- `Cache-Control: no-store` on every response to a signed-in person or to a request that
  carried credentials (an API token), so that neither a shared cache nor the browser's back
  button after signing out shows private data. Answers to anonymous visitors (static files,
  the health check, the sign-in page) keep whatever their view chose.

A view that explicitly marked its answer `private` with a lifetime keeps it: stored media
files never change, and a shared cache never keeps a private answer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if _is_private(request) and not _deliberately_private(response):
            add_never_cache_headers(response)
        return response


def _is_private(request: HttpRequest) -> bool:
    if "Authorization" in request.headers:
        return True
    # Set only when the request went past the authentication middleware (static files
    # answered by WhiteNoise never do).
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _deliberately_private(response: HttpResponseBase) -> bool:
    directives = {
        part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")
    }
    return "private" in directives and "max-age" in directives
