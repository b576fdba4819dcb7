"""The one way a workspace page starts: sign-in, membership (404 for strangers), permission
(403 for members who lack it), and only then the HTTP method check, so that a stranger gets
the same 404 for every method and learns nothing about what exists.

It lives beside access.py, in the workspaces app, because every app's pages start with it:
the domain apps' views use it without importing the `ui` layer."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from townsquare.workspaces.access import access_workspace
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

WorkspaceView = Callable[..., HttpResponse]


Lookup = Callable[[Membership, Any], Any]


def workspace_view(
    perm: Perm = Perm.VIEW,
    methods: tuple[str, ...] = ("GET", "POST"),
    lookups: dict[str, Lookup] | None = None,
) -> Callable[[WorkspaceView], Callable[..., HttpResponse]]:
    """`lookups` maps a URL argument to an access_* function (membership, value) -> object;
    the view receives the object under the same name, looked up before the method check."""

    def decorate(view: WorkspaceView) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, workspace: str, **kwargs: Any) -> HttpResponse:
            membership: Membership = access_workspace(request.user, workspace, perm)
            for name, lookup in (lookups or {}).items():
                kwargs[name] = lookup(membership, kwargs[name])
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, membership, **kwargs)

        return wrapper

    return decorate
