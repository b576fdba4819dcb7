"""Every API error is JSON of one shape: {"error": {"code", "message", "details"?}}."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from townsquare.lib.errors import ActionError

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def install_error_handlers(api: NinjaAPI) -> None:
    def reply(
        request: HttpRequest, status: int, code: str, message: str, details: Any = None
    ) -> HttpResponse:
        return api.create_response(request, error_body(code, message, details), status=status)

    @api.exception_handler(ActionError)
    def action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
        return reply(request, exc.status, exc.code, exc.message)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return reply(request, 404, "not_found", "Not found.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return reply(request, 403, "forbidden", "Your role does not allow this.", str(exc) or None)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return reply(request, 401, "unauthenticated", "Sign in or send a valid API token.")

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [{"loc": list(e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors]
        return reply(request, 422, "validation_error", "The request is not valid.", details)

    @api.exception_handler(ValidationError)
    def model_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return reply(request, 422, "validation_error", "The request is not valid.", details)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return reply(request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path)
        return reply(request, 500, "server_error", "Something went wrong on our side.")
