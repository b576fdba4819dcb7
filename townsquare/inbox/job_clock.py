"""How often the inbox's scheduler jobs do their work. The scheduler loop calls every job on
each pass; a job that should run only every so many seconds asks its clock whether it is due
(the last run is kept per job name, on the monotonic clock, in this process)."""

from __future__ import annotations

import time
from collections.abc import Callable


class JobClock:
    def __init__(self) -> None:
        self.last_run: dict[str, float] = {}

    def run_every(self, name: str, every: float, work: Callable[[], object]) -> float:
        """Do `work` when it never ran here or `every` seconds have passed since it last
        ran (marked run before it starts, so a failing run is not repeated at once); the
        seconds until it is due again."""
        now = time.monotonic()
        last = self.last_run.get(name)
        if last is not None and now - last < every:
            return every - (now - last)
        self.last_run[name] = now
        work()
        return every
