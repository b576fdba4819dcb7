"""A small process supervisor for `townsquare up`: start children, restart the ones that
die, stop them all on Ctrl-C or SIGTERM.

Children run in their own process group so that stopping one stops what it started
(gunicorn's workers, for instance) and a terminal Ctrl-C reaches us only once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = 0.0
    history: list[float] = field(default_factory=list)


class Supervisor:
    def __init__(self, children: list[Child], log: Callable[[str], None] = print) -> None:
        self.children = children
        self.log = log
        self.stopping = False

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv, start_new_session=True)
        child.started_at = time.monotonic()
        self.log(f"started {child.name} (pid {child.process.pid})")

    def request_stop(self, signum: int, frame: object) -> None:
        self.stopping = True

    def run(self, poll_seconds: float = 0.5) -> int:
        signal.signal(signal.SIGINT, self.request_stop)
        signal.signal(signal.SIGTERM, self.request_stop)
        for child in self.children:
            self.start(child)
        while not self.stopping:
            time.sleep(poll_seconds)
            for child in self.children:
                if self.stopping or child.process is None or child.process.poll() is None:
                    continue
                code = child.process.returncode
                # Back off when a child keeps dying right away (bad config, port taken).
                recent = [t for t in child.history if time.monotonic() - t < 60]
                child.history = [*recent, time.monotonic()]
                if len(child.history) > 5:
                    self.log(f"{child.name} keeps failing (exit {code}); stopping everything")
                    self.stopping = True
                    break
                self.log(f"{child.name} exited with {code}; restarting")
                child.restarts += 1
                self.start(child)
        self.stop_all()
        return 0

    def stop_all(self, grace_seconds: float = 10.0) -> None:
        running = [c for c in self.children if c.process and c.process.poll() is None]
        for child in running:
            assert child.process is not None
            self._signal(child, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._signal(child, signal.SIGKILL)
                child.process.wait()
        self.log("stopped")

    @staticmethod
    def _signal(child: Child, sig: int) -> None:
        assert child.process is not None
        try:
            os.killpg(child.process.pid, sig)
        except ProcessLookupError:
            pass


def townsquare_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "townsquare.cli", *args]
