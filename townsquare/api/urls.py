from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from townsquare.api import health, tokens, workspaces
from townsquare.api.auth import AUTH
from townsquare.api.errors import error_response, install_error_handlers
from townsquare.api.openapi import TownsquareOpenAPISchema
from townsquare.api.parser import StrictParser


def _json_not_allowed(view: Any) -> Any:
    """A method the path does not take is a 405 in the error shape, with its Allow header."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        allowed = response.get("Allow", "")
        answer = error_response(
            405,
            "method_not_allowed",
            f"This address does not take {request.method}; it takes {allowed}.",
        )
        answer["Allow"] = allowed
        return answer

    return wrapped


@csrf_exempt
def _unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    return error_response(404, "not_found", "There is no such address in this API.")


class TownsquareAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> TownsquareOpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return TownsquareOpenAPISchema(self, path_prefix)

    def _get_urls(self) -> list[Any]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_not_allowed(pattern.callback)
        return [*patterns, re_path(r"^(?P<rest>.*)$", _unknown_path)]


api = TownsquareAPI(
    title="Townsquare API",
    version="1",
    description="Plan, adapt, publish, listen and measure. Errors are "
    '`{"error": {"code": ..., "message": ..., "details": ...}}`.',
    auth=AUTH,
    parser=StrictParser(),
    docs_url="/docs",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", health.router)
api.add_router("", workspaces.router)
api.add_router("", tokens.router)
api.add_router("", "townsquare.media.api.router")
api.add_router("", "townsquare.content.api.router")
api.add_router("", "townsquare.publishing.api.router")
api.add_router("", "townsquare.networks.api.router")
api.add_router("", "townsquare.planning.api.router")
api.add_router("", "townsquare.calendars.api.router")
api.add_router("", "townsquare.queues.api.router")
api.add_router("", "townsquare.approvals.api.router")
api.add_router("", "townsquare.bulk.api.router")
api.add_router("", "townsquare.compliance.api.router")
api.add_router("", "townsquare.feeds.api.router")
api.add_router("", "townsquare.inbox.api.router")
api.add_router("", "townsquare.inbox.settings_api.router")
api.add_router("", "townsquare.inbox.register_api.router")
api.add_router("", "townsquare.analytics.api.router")
api.add_router("", "townsquare.analytics.api_tables.router")
