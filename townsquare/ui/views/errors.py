"""Error pages people can act on, in their language: a request Townsquare could not read (a
form larger than it accepts: 413, a body that arrived broken: 400), a page that is not there
(404, also when running with DEBUG, where Django would show its debug page) and a fault of
ours (500)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from townsquare.workspaces.models import Membership

_WORKSPACE_PATH = re.compile(r"^/w/([-\w]+)/")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    too_large = isinstance(exception, RequestDataTooBig)
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    context = {"too_large": too_large, "megabytes": f"{megabytes:.1f}".removesuffix(".0")}
    return render(request, "400.html", context, status=413 if too_large else 400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The shell with a way back: to the workspace the address was in, if the person is a
    member of it, otherwise to the start."""
    back_url, workspace_name = reverse("home"), ""
    match = _WORKSPACE_PATH.match(request.path)
    user = getattr(request, "user", None)
    if match and user is not None and user.is_authenticated:
        membership = (
            Membership.objects.filter(user=user, workspace__slug=match.group(1))
            .select_related("workspace")
            .first()
        )
        if membership is not None:
            back_url = reverse("workspace_dashboard", args=[membership.workspace.slug])
            workspace_name = membership.workspace.name
    response = render(
        request, "404.html", {"back_url": back_url, "back_workspace": workspace_name}, status=404
    )
    response.townsquare_page = True  # type: ignore[attr-defined]
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """A fault of ours. Rendered without the request's context: whatever failed (the
    database, a template) must not fail this page too."""
    return HttpResponseServerError(loader.get_template("500.html").render())


class FriendlyNotFoundMiddleware:
    """With DEBUG on (`make run`), Django answers a missing page with its debug page, which
    lists every URL pattern: not what someone trying Townsquare should see. The friendly
    page is shown instead; JSON answers (the API) are left as they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "townsquare_page", False)
        ):
            return not_found(request)
        return response
