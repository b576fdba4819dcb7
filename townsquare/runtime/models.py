from django.db import models


class Heartbeat(models.Model):
    """Last sign of life of a long-running process (the scheduler), by name.

    A scheduler that stops is noticed from its stale heartbeat, not from a missed post.
    """

    name = models.CharField(max_length=100, unique=True)
    beat_at = models.DateTimeField()
    host = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(null=True)
    info = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
