from django.tasks import task

from townsquare.runtime.heartbeat import beat


@task
def ping(token: str) -> str:
    """Proves that a worker picked work up: it leaves the heartbeat row `ping:<token>`
    with the worker's host and pid. The smoke tests use it."""
    beat(f"ping:{token}")
    return token
