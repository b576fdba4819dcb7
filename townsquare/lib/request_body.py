"""A request whose body stops arriving is answered with a 400, never a 500.

When a client stalls while its body is read, the server's read fails (gunicorn's receive
timeout, runtime/gunicorn_conf.py) and Django raises `UnreadablePostError` wherever the
body is read. Left alone that is a 500 with a traceback in the log for something that is
not a fault of ours; and where Django's CSRF check read the form first, it ignores the
error, so the view would read an empty form as if the person had sent nothing.

`UnreadableBodyMiddleware` (just before the CSRF middleware) notes such a failure on the
request, reads a form where the CSRF check would have read it anyway (so a view never runs
on a form that did not arrive) and turns the error into the 400 page. The API answers it in
its own error shape (api/errors.py); its session check asks `body_failure` because the CSRF
check it runs swallows the error too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.urls import get_resolver

_FAILURE = "townsquare_body_failure"


def body_failure(request: HttpRequest) -> UnreadablePostError | None:
    """The error with which the request's body stopped arriving, if it did."""
    return getattr(request, _FAILURE, None)


def _watch_reads(request: HttpRequest) -> None:
    # Every reader of the body (request.body, the form and multipart parsers) goes through
    # these two methods.
    for name in ("read", "readline"):
        original = getattr(request, name)

        def watched(*args: Any, _original: Callable[..., bytes] = original, **kwargs: Any) -> bytes:
            try:
                return _original(*args, **kwargs)
            except UnreadablePostError as error:
                setattr(request, _FAILURE, error)
                raise

        setattr(request, name, watched)


def bad_request(request: HttpRequest, error: Exception) -> HttpResponse:
    """The site's 400 page (handler400). Django logs the answer as a warning, without a
    traceback."""
    view = get_resolver().resolve_error_handler(400)
    response: HttpResponse = view(request, exception=error)
    return response


class UnreadableBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _watch_reads(request)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        # The CSRF check, next, reads every form posted to a view it protects; reading it
        # here first costs nothing more and lets a form that never arrived stop here.
        if request.method != "POST" or getattr(view, "csrf_exempt", False):
            return None
        try:
            request.POST  # noqa: B018 (reading it is the point)
        except UnreadablePostError as error:
            return bad_request(request, error)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UnreadablePostError):
            return bad_request(request, exception)
        return None
