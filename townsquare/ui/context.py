from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from townsquare.notifications.access import unread_count
from townsquare.workspaces.access import access_workspaces


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page of the shell needs: the workspaces for the switcher, and the number
    of unread notifications for the bell of the workspace in the URL."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"signup_open": settings.SIGNUP_OPEN}
    context: dict[str, Any] = {"my_workspaces": list(access_workspaces(user).order_by("name"))}
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("workspace") if match else None
    if isinstance(slug, str):
        # A callable, so the count is only queried by pages that show the bell.
        context["unread_notifications"] = partial(unread_count, user, slug)
    return context
