from __future__ import annotations

from django.conf import settings


def check_tasks_backend() -> tuple[bool, str]:
    """Whether the configured task backend can take work right now."""
    backend = settings.TASKS_BACKEND
    if backend != "celery":
        return True, backend
    from townsquare.runtime.celery_app import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return False, f"celery broker unreachable: {type(error).__name__}"
    return True, "celery"
