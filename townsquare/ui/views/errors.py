"""The page for a request Townsquare could not read: a form larger than it accepts (413),
or a body that arrived broken (400). Django raises these while reading the form; people
get a page that says what happened and what to do, in their language."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    too_large = isinstance(exception, RequestDataTooBig)
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    context = {"too_large": too_large, "megabytes": f"{megabytes:.1f}".removesuffix(".0")}
    return render(request, "400.html", context, status=413 if too_large else 400)
