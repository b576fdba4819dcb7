import logging
from typing import Any

from django.tasks import task

from townsquare.lib.http import UnsafeTarget, guarded_post
from townsquare.notifications.models import WebhookDelivery

logger = logging.getLogger(__name__)


KEEP_DELIVERIES = 50


def _record(workspace_id: int | None, url: str, event: str, status: int | None, error: str) -> None:
    if workspace_id is None:
        return
    try:
        WebhookDelivery.objects.create(
            workspace_id=workspace_id,
            url=url[:2000],
            event=event[:40],
            status_code=status,
            error=error[:500],
        )
        # Only the latest results are of use to anyone; older ones would only pile up.
        old = WebhookDelivery.objects.filter(workspace_id=workspace_id).values_list(
            "pk", flat=True
        )[KEEP_DELIVERIES:]
        WebhookDelivery.objects.filter(pk__in=list(old)).delete()
    except Exception as failure:  # e.g. the workspace was deleted meanwhile
        logger.warning("webhook delivery not recorded: %s", failure)


@task
def deliver_webhook(url: str, payload: dict[str, Any], workspace_id: int | None = None) -> int:
    """POST the event as JSON. Returns the status code (0 when it could not be sent).
    The result is kept for the workspace's settings page: a receiver that stopped answering
    is otherwise only noticed when someone wonders why nothing arrives."""
    event = str(payload.get("event", ""))
    try:
        response = guarded_post(url, payload)
    except UnsafeTarget as error:
        logger.warning("webhook refused: %s", error)
        _record(workspace_id, url, event, None, str(error))
        return 0
    except Exception as error:  # the receiver's trouble must never break publishing
        logger.warning("webhook to %s failed: %s", url, error)
        _record(workspace_id, url, event, None, f"{type(error).__name__}: {error}")
        return 0
    _record(workspace_id, url, event, response.status_code, "")
    return response.status_code
