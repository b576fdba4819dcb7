from django.db import models


class RateWindow(models.Model):
    """The sliding window of one rate-limit key (see window.py), shared by every worker.

    The database backend locks the row while it decides, so workers in other processes
    or on other machines queue for it instead of counting on stale numbers.
    """

    key = models.CharField(max_length=200, unique=True)
    # Width of the slots in `counts`, in milliseconds; 0 until the first grant.
    slot_ms = models.BigIntegerField(default=0)
    # Grants per slot: {"<slot index>": units}, only the slots still inside the period.
    counts = models.JSONField(default=dict, blank=True)
    # Epoch milliseconds before which nothing is granted (a network's 429 reset).
    blocked_until_ms = models.BigIntegerField(default=0)
    # Epoch milliseconds after which the row no longer matters and may be deleted.
    expires_at_ms = models.BigIntegerField(default=0, db_index=True)

    def __str__(self) -> str:
        return self.key
