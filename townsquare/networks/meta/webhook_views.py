"""The public address Meta delivers Page and Instagram webhooks to: /webhooks/meta/.

No session and no CSRF token (Meta has neither); what proves a request comes from Meta is
the verify token for the subscription handshake (GET) and, for each delivery (POST), the
App Secret's HMAC of the raw body in X-Hub-Signature-256. Everything else is refused with
403 before the body is parsed. A verified delivery is answered 200 at once, also when it
names a Page no workspace connected (Meta would otherwise retry it for hours); its messages
are stored by a background task (webhook_inbox). Polling stays the fallback: webhooks only
make new comments arrive sooner.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from townsquare.networks.meta import webhooks
from townsquare.networks.meta.webhook_inbox import ingest_delivery, message_to_json

logger = logging.getLogger(__name__)

TEXT = "text/plain; charset=utf-8"


def _refused(status: int, reason: str) -> HttpResponse:
    # Meta reads only the status; the reason helps whoever tests the endpoint by hand.
    return HttpResponse(reason, status=status, content_type=TEXT)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        answer = webhooks.challenge_answer(
            request.GET.dict(), str(getattr(settings, "META_WEBHOOK_VERIFY_TOKEN", ""))
        )
        if answer is None:
            return _refused(403, "Verify token does not match.")
        return HttpResponse(answer, content_type=TEXT)
    return _delivery(request)


def _delivery(request: HttpRequest) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > webhooks.MAX_BODY_BYTES:
        # Refused before reading: Meta's deliveries are far smaller.
        return _refused(413, "Delivery too large.")
    body = request.body
    if len(body) > webhooks.MAX_BODY_BYTES:
        return _refused(413, "Delivery too large.")
    secret = str(getattr(settings, "META_APP_SECRET", ""))
    if not webhooks.signature_valid(body, request.headers.get(webhooks.SIGNATURE_HEADER), secret):
        return _refused(403, "Signature does not match.")
    try:
        data = json.loads(body)
    except ValueError:
        return _refused(400, "The body is not JSON.")
    if not isinstance(data, dict):
        return _refused(400, "The body is not a JSON object.")
    items = [message_to_json(item) for item in webhooks.parse_delivery(body)]
    if items:
        transaction.on_commit(lambda: ingest_delivery.enqueue(items))
    logger.info("meta webhook: %s delivery, %d message(s)", data.get("object"), len(items))
    return HttpResponse("OK", content_type=TEXT)
