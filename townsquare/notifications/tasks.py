import logging
from typing import Any

from django.tasks import task

from townsquare.lib.http import UnsafeTarget, guarded_post

logger = logging.getLogger(__name__)


def _record(workspace_id: int | None, url: str, event: str, status: int | None, error: str) -> None:
    if workspace_id is None:
        return
    from townsquare.notifications.models import WebhookDelivery

    WebhookDelivery.objects.create(
        workspace_id=workspace_id,
        url=url[:2000],
        event=event[:40],
        status_code=status,
        error=error[:500],
    )


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
