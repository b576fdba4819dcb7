"""Every API error is JSON of one shape: {"error": {"code", "message", "details"?}}.

Whatever a client sends, the answer is one of these with a 4xx status that says what to
change: a body that is too large (413), not JSON where JSON is expected (415), unreadable
(400), or invalid (422); only a fault of ours is a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from townsquare.lib.errors import ActionError

logger = logging.getLogger(__name__)


class UnsupportedMediaType(Exception):
    """The body is not of a media type the operation reads."""

    def __init__(self, sent: str, expected: str) -> None:
        super().__init__(sent)
        self.sent = sent
        self.expected = expected


class BodyNotAnObject(ValueError):
    """The body is JSON, but not a JSON object."""


class NulCharacters(ValueError):
    """Texts holding the NUL character, by where they are."""

    def __init__(self, locations: list[list[Any]]) -> None:
        super().__init__(locations)
        self.locations = locations

    def details(self) -> list[dict[str, Any]]:
        message = "Text may not contain the NUL character (\\u0000)."
        return [{"loc": loc, "message": message} for loc in self.locations[:20]]


class ErrorDetail(Schema):
    code: str = Field(description="A stable, machine-readable reason")
    message: str = Field(description="What went wrong, in words a person can act on")
    details: Any = Field(None, description="Per-field problems, when there are any")


class ApiError(Schema):
    """The body of every error answer."""

    error: ErrorDetail


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def error_response(status: int, code: str, message: str, details: Any = None) -> JsonResponse:
    """An error answer for code outside an operation (unknown paths, wrong methods)."""
    return JsonResponse(error_body(code, message, details), status=status)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def body_too_large_message() -> str:
    return (
        f"The request body is larger than the {_megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}"
        " MB this API accepts (files not counted). Send less at once."
    )


def unsupported_media_type_message(exc: UnsupportedMediaType) -> str:
    sent = exc.sent or "no Content-Type"
    return f"This operation reads {exc.expected}; the request sent {sent}."


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

    @api.exception_handler(UnsupportedMediaType)
    def unsupported(request: HttpRequest, exc: UnsupportedMediaType) -> HttpResponse:
        message = unsupported_media_type_message(exc)
        return reply(request, 415, "unsupported_media_type", message)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        # Ninja wraps whatever the body parser raised into a 400; say what it really was.
        if isinstance(cause, UnsupportedMediaType):
            return unsupported(request, cause)
        if isinstance(cause, RequestDataTooBig):
            return too_large(request, cause)
        if isinstance(cause, NulCharacters):
            return nul_characters(request, cause)
        if isinstance(cause, BodyNotAnObject):
            details = [{"loc": ["body"], "message": f"Expected a JSON object, not {cause}."}]
            return reply(request, 422, "validation_error", "The request is not valid.", details)
        if isinstance(cause, ValueError) and exc.status_code == 400:
            return reply(request, 400, "invalid_json", "The request body is not valid JSON.")
        if exc.status_code == 403 and "CSRF" in str(exc):
            return reply(
                request,
                403,
                "csrf_failed",
                "Send the CSRF token (X-CSRFToken header) with a session, or use an API token.",
            )
        return reply(request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(NulCharacters)
    def nul_characters(request: HttpRequest, exc: NulCharacters) -> HttpResponse:
        return reply(request, 422, "validation_error", "The request is not valid.", exc.details())

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return reply(request, 413, "body_too_large", body_too_large_message())

    @api.exception_handler(TooManyFieldsSent)
    @api.exception_handler(TooManyFilesSent)
    def too_many_parts(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return reply(
            request,
            400,
            "too_many_parts",
            f"A request may have at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields and "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES} files.",
        )

    @api.exception_handler(MultiPartParserError)
    def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(
            request,
            400,
            "unreadable_body",
            "The request body could not be read as multipart/form-data (is the boundary missing?).",
        )

    @api.exception_handler(UnreadablePostError)
    def incomplete(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The client stopped sending (the server's read timed out): not a fault of ours.
        return reply(
            request,
            400,
            "unreadable_body",
            "The request body stopped arriving before it was complete, so nothing was done. "
            "Send the request again.",
        )

    @api.exception_handler(BadRequest)
    @api.exception_handler(SuspiciousOperation)
    def bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 400, "bad_request", "The request is malformed.")

    @api.exception_handler(ProtectedError)
    @api.exception_handler(RestrictedError)
    def in_use(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The actions refuse with a message naming what uses the object; this is the net.
        return reply(request, 409, "in_use", "This is still in use and cannot be deleted.")

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path)
        return reply(request, 500, "server_error", "Something went wrong on our side.")
