"""Waking sleeping schedulers from another process when new work becomes due sooner.

The scheduler sleeps until the next due time it knows of. When a person schedules a post
due earlier than that, the web process touches a file in the data directory; every
sleeping scheduler on the machine looks at its modification time twice a second (a stat
call, not a database query) and starts its next pass at once.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings


def wake_file() -> Path:
    return Path(settings.DATA_DIR) / "scheduler.wake"


def request_wake() -> None:
    path = wake_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        now = time.time()
        path.touch()
        os.utime(path, (now, now))
    except OSError:
        pass  # a read-only data directory only costs the heartbeat interval of delay


def wake_marker() -> float:
    try:
        return wake_file().stat().st_mtime
    except OSError:
        return 0.0
