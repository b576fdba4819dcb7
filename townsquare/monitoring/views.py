"""GET /metrics: the operator's figures for Prometheus, for whoever holds METRICS_TOKEN.

Without a configured token the endpoint does not exist (404), so an installation never
exposes it by accident; with one, a request must carry `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from townsquare.monitoring.figures import all_families
from townsquare.monitoring.prometheus import CONTENT_TYPE, render


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    expected = settings.METRICS_TOKEN
    if not expected:
        raise Http404
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), expected.encode()
    ):
        response = HttpResponse(
            "A bearer token (METRICS_TOKEN) is needed to read the metrics.\n",
            status=401,
            content_type="text/plain; charset=utf-8",
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(render(all_families()), content_type=CONTENT_TYPE)
