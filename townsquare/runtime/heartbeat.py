"""Heartbeat rows: the last sign of life of a long-running process, by name.

A scheduler that stops is noticed from its stale heartbeat (health check, shell banner),
not from a missed post. Several schedulers share one row: the newest beat wins, and the
row stays fresh as long as any of them runs.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from townsquare.runtime.models import Heartbeat

SCHEDULER = "scheduler"


def beat(name: str, **info: Any) -> None:
    Heartbeat.objects.update_or_create(
        name=name,
        defaults={
            "beat_at": timezone.now(),
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "info": info,
        },
    )


def last_beat(name: str) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()


def is_stale(beat_at: datetime | None, now: datetime | None = None) -> bool:
    """True when `beat_at` is missing or older than SCHEDULER_STALE_AFTER_SECONDS."""
    if beat_at is None:
        return True
    now = now or timezone.now()
    return now - beat_at > timedelta(seconds=settings.SCHEDULER_STALE_AFTER_SECONDS)


def scheduler_is_stale(now: datetime | None = None) -> bool:
    """True when no scheduler has beaten within SCHEDULER_STALE_AFTER_SECONDS."""
    return is_stale(last_beat(SCHEDULER), now)
