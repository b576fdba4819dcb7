"""A small process supervisor for `townsquare up`: start children, restart the ones that
die, stop them all on Ctrl-C or SIGTERM.

Each child runs in its own session and process group, so that stopping one stops what it
started (gunicorn's workers, for instance) and a terminal Ctrl-C reaches only the
supervisor, which then stops every child and waits for it. A second Ctrl-C kills them at
once. On Linux the kernel also sends SIGTERM to the children when the supervisor dies
without stopping them (kill -9, the OOM killer), so they never run on unsupervised.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

GRACE_SECONDS = 10.0
# A child that exits more than MAX_FAILURES times within FAILURE_WINDOW_SECONDS is broken
# (bad configuration, port taken): everything stops and `up` exits with status 1.
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 60.0
# The first restart is immediate; repeated ones wait 1, 2, 4, 8 s.
MAX_BACKOFF_SECONDS = 8.0
_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    failures: list[float] = field(default_factory=list)
    restart_at: float | None = None


class Supervisor:
    def __init__(
        self,
        children: list[Child],
        log: Callable[[str], None] = print,
        poll_seconds: float = 0.2,
        grace_seconds: float = GRACE_SECONDS,
    ) -> None:
        self.children = children
        self.log = log
        self.poll_seconds = poll_seconds
        self.grace_seconds = grace_seconds
        self.stopping = False
        self.forced = False
        self.exit_code = 0
        self._preexec = _die_with_parent(os.getpid())

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(
            child.argv, start_new_session=True, preexec_fn=self._preexec
        )
        self.log(f"started {child.name} (pid {child.process.pid})")

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        # A signal handler: it only sets flags and sends signals. Logging from here could
        # re-enter a write to stdout that the main thread is in the middle of.
        if self.stopping:
            self.forced = True
            for child in self.children:
                if child.process is not None and child.process.returncode is None:
                    _signal_group(child.process.pid, signal.SIGKILL)
        self.stopping = True

    def run(self) -> int:
        """Start every child and tend them until asked to stop. Returns the exit status."""
        previous = {
            sig: signal.signal(sig, self.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for child in self.children:
                self.start(child)
            while not self.stopping:
                time.sleep(self.poll_seconds)
                for child in self.children:
                    if self.stopping:
                        break
                    self._tend(child, time.monotonic())
            if not self.exit_code:
                self.log("stopping (press Ctrl-C again to kill)")
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return self.exit_code

    def _tend(self, child: Child, now: float) -> None:
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.restart_at = None
                self._restart(child)
            return
        if child.process is None or child.process.poll() is None:
            return
        # What the dead child left in its group (gunicorn workers whose master crashed)
        # would hold the port or the queue: clear it before the restart.
        _signal_group(child.process.pid, signal.SIGKILL)
        exit_status = _describe(child.process.returncode)
        child.failures = [t for t in child.failures if now - t < FAILURE_WINDOW_SECONDS]
        child.failures.append(now)
        if len(child.failures) > MAX_FAILURES:
            self.log(
                f"{child.name} {exit_status}, {len(child.failures)} times within "
                f"{FAILURE_WINDOW_SECONDS:g} s; stopping everything"
            )
            self.exit_code = 1
            self.stopping = True
            return
        delay = min(2.0 ** (len(child.failures) - 2), MAX_BACKOFF_SECONDS)
        if len(child.failures) == 1:
            self.log(f"{child.name} {exit_status}; restarting")
            self._restart(child)
        else:
            self.log(f"{child.name} {exit_status}; restarting in {delay:g} s")
            child.restart_at = now + delay

    def _restart(self, child: Child) -> None:
        child.restarts += 1
        self.start(child)

    def stop_all(self) -> None:
        running = [c for c in self.children if c.process is not None and c.process.poll() is None]
        for child in running:
            assert child.process is not None
            _signal_group(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace_seconds
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log(f"{child.name} did not stop within {self.grace_seconds:g} s; killing it")
                _signal_group(child.process.pid, signal.SIGKILL)
                child.process.wait()
        # Nothing a child started may outlive `up`, even a process that missed its
        # leader's stop.
        for child in self.children:
            if child.process is not None:
                _signal_group(child.process.pid, signal.SIGKILL)
        self.log("stopped")


def _signal_group(pgid: int, sig: int) -> None:
    # Each child leads its own group (start_new_session), so its pid is the group id.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _describe(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited with {returncode}"


def _die_with_parent(parent_pid: int) -> Callable[[], None] | None:
    """A preexec function that makes the kernel SIGTERM the child when its parent dies.

    Linux only (prctl); elsewhere children of a killed supervisor keep running.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        # The parent may have died between fork and prctl: then nobody would ever stop us.
        if os.getppid() != parent_pid:
            os._exit(1)

    return preexec


def townsquare_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "townsquare.cli", *args]
