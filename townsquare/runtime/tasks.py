from django.tasks import task
from django.utils import timezone

from townsquare.runtime.models import Heartbeat


@task
def ping(token: str) -> str:
    """Proves that a worker picked work up: the health check and the smoke tests use it."""
    Heartbeat.objects.update_or_create(name=f"ping:{token}", defaults={"beat_at": timezone.now()})
    return token
