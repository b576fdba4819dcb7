import logging
from typing import Any

from django.tasks import task

from townsquare.lib.http import UnsafeTarget, guarded_post

logger = logging.getLogger(__name__)


@task
def deliver_webhook(url: str, payload: dict[str, Any]) -> int:
    """POST the event as JSON. Returns the status code (0 when it could not be sent)."""
    try:
        response = guarded_post(url, payload)
    except UnsafeTarget as error:
        logger.warning("webhook refused: %s", error)
        return 0
    except Exception as error:  # the receiver's trouble must never break publishing
        logger.warning("webhook to %s failed: %s", url, error)
        return 0
    return response.status_code
