from typing import Any

from django.conf import settings
from django.http import HttpRequest

from townsquare.workspaces.access import access_workspaces


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page of the shell needs: the workspaces for the switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"signup_open": settings.SIGNUP_OPEN}
    return {"my_workspaces": list(access_workspaces(user).order_by("name"))}
