"""API authentication: a personal token (Bearer) or the browser session (with CSRF).

Workspace routes carry `{workspace}` in their path. Authentication resolves it at once,
before the request body is even parsed, so that a workspace one cannot see is a 404 for
every method and every body, exactly like a workspace that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from townsquare.api.actions import authenticate_api_token
from townsquare.workspaces.access import access_membership_of

WORKSPACE_PARAM = "workspace"


def _scope(request: HttpRequest, user: Any, token: Any = None) -> Any:
    request.api_token = token  # type: ignore[attr-defined]
    match = request.resolver_match
    slug = match.kwargs.get(WORKSPACE_PARAM) if match else None
    if slug is not None:
        from django.http import Http404

        if token is not None and not token.workspaces.filter(slug=slug).exists():
            raise Http404
        request.membership = access_membership_of(user, slug)  # type: ignore[attr-defined]
    return user


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token from Settings > API tokens."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = authenticate_api_token(token)
        if api_token is None:
            return None
        return _scope(request, api_token.user, api_token)


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return _scope(request, user)


AUTH = [TokenAuth(), SessionAuth()]
