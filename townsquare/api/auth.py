"""API authentication: a personal token (Bearer) or the browser session (with CSRF).

Workspace routes carry `{workspace}` in their path. Authentication resolves it at once,
and every object id after it (lookups.py), before the request body is even parsed, so that
a workspace or an object one cannot see is a 404 for every method and every body, exactly
like one that does not exist.

A token acts only within the workspaces it was made for. On a route without `{workspace}`
it is refused (403) unless the route is listed in TOKEN_ROUTES_OUTSIDE_WORKSPACES (listing
one's workspaces, checking a text against a network's rules). Token management and
the creation of workspaces therefore need the browser session: a token that could make
tokens would let a leaked token outlive its own revocation.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja.errors import HttpError
from ninja.operation import Operation
from ninja.security import APIKeyCookie, HttpBearer

from townsquare.api.actions import authenticate_api_token
from townsquare.api.lookups import look_up_path_objects
from townsquare.lib.errors import ActionError
from townsquare.lib.request_body import body_failure
from townsquare.workspaces.access import access_membership_of

WORKSPACE_PARAM = "workspace"

SESSION_REQUIRED = (
    "An API token works only within its own workspaces. Sign in to manage API tokens "
    "(Settings > API tokens) or to create a workspace."
)


# Routes without `{workspace}` that a token may use: the answer stays within the token's
# workspaces (the list of workspaces) or holds no workspace data at all (a text checked
# against a network's rules). Every other route without `{workspace}` refuses tokens.
TOKEN_ROUTES_OUTSIDE_WORKSPACES = {("GET", "/workspaces"), ("POST", "/validate")}


def _api_route(request: HttpRequest) -> str:
    """The request's route as the API declares it, e.g. /workspaces."""
    match = request.resolver_match
    root = reverse("api:api-root").lstrip("/")
    return "/" + (match.route if match else "").removeprefix(root)


def token_may_use(method: str, route: str) -> bool:
    return f"{{{WORKSPACE_PARAM}}}" in route or (method, route) in TOKEN_ROUTES_OUTSIDE_WORKSPACES


def _scope(request: HttpRequest, user: Any, token: Any = None) -> Any:
    request.api_token = token  # type: ignore[attr-defined]
    match = request.resolver_match
    slug = match.kwargs.get(WORKSPACE_PARAM) if match else None
    if slug is None:
        if token is not None and not token_may_use(request.method or "", _api_route(request)):
            raise ActionError(SESSION_REQUIRED, code="session_required", status=403)
        return user
    if "\x00" in slug or (token is not None and not token.workspaces.filter(slug=slug).exists()):
        raise Http404  # no slug holds a NUL, and PostgreSQL could not even compare one
    membership = access_membership_of(user, slug)
    look_up_path_objects(membership, match.kwargs)
    request.membership = membership  # type: ignore[attr-defined]
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

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check reads a form body and ignores one that stopped arriving: the
        # operation would then see an empty form (a file "missing"), or the check would
        # miss a token that was in it. Say what really happened.
        try:
            key = super()._get_key(request)
        except HttpError:
            if body_failure(request) is None:
                raise
            key = None
        failure = body_failure(request)
        if failure is not None:
            raise failure
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return _scope(request, user)


AUTH = [TokenAuth(), SessionAuth()]


def refuses_tokens(operation: Operation) -> bool:
    """Whether a token is refused on this operation (for the API description)."""
    if not any(isinstance(a, TokenAuth) for a in operation.auth_callbacks):
        return False
    return not all(token_may_use(method, operation.path) for method in operation.methods)
