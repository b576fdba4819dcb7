import logging
from typing import Any

from django.tasks import task

from townsquare.lib.crypto import SecretsUnavailable
from townsquare.lib.http import UnsafeTarget, guarded_post
from townsquare.notifications.models import WebhookDelivery
from townsquare.notifications.webhooks import masked, redact, unseal

logger = logging.getLogger(__name__)


KEEP_DELIVERIES = 50


def _record(workspace_id: int | None, url: str, event: str, status: int | None, error: str) -> None:
    """Keep the result with the address masked: the full address is a secret."""
    if workspace_id is None:
        return
    try:
        WebhookDelivery.objects.create(
            workspace_id=workspace_id,
            url=masked(url)[:2000],
            event=event[:40],
            status_code=status,
            error=redact(error, url)[:500],
        )
        # Only the latest results are of use to anyone; older ones would only pile up.
        old = WebhookDelivery.objects.filter(workspace_id=workspace_id).values_list(
            "pk", flat=True
        )[KEEP_DELIVERIES:]
        WebhookDelivery.objects.filter(pk__in=list(old)).delete()
    except Exception as failure:  # e.g. the workspace was deleted meanwhile
        logger.warning("webhook delivery not recorded: %s", redact(str(failure), url))


@task
def deliver_webhook(
    sealed_url: str, payload: dict[str, Any], workspace_id: int | None = None
) -> int:
    """POST the event as JSON to the address sealed by `webhooks.enqueue_webhook`. Returns
    the status code (0 when it could not be sent). The result is kept for the workspace's
    settings page: a receiver that stopped answering is otherwise only noticed when someone
    wonders why nothing arrives. Addresses appear masked in results and logs."""
    event = str(payload.get("event", ""))
    try:
        url = unseal(sealed_url)
    except SecretsUnavailable:
        logger.warning("webhook for workspace %s: its address cannot be decrypted", workspace_id)
        _record(workspace_id, "", event, None, "The address could not be read; save it again.")
        return 0
    try:
        response = guarded_post(url, payload)
    except UnsafeTarget as error:
        logger.warning("webhook to %s refused: %s", masked(url), redact(str(error), url))
        _record(workspace_id, url, event, None, str(error))
        return 0
    except Exception as error:  # the receiver's trouble must never break publishing
        reason = redact(f"{type(error).__name__}: {error}", url)
        logger.warning("webhook to %s failed: %s", masked(url), reason)
        _record(workspace_id, url, event, None, reason)
        return 0
    _record(workspace_id, url, event, response.status_code, "")
    return response.status_code
