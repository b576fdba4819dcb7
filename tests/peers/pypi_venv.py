"""A Python package from PyPI in a cached virtual environment of its own, for peer servers that
run as separate processes (Synapse, mastodon-mock): nothing of them is imported by the tests.

The environment lives in `$TOWNSQUARE_PEERS_CACHE/<name>-<version>` (or
`~/.cache/townsquare-peers/...`), is made with the Python that runs the tests, built in a
`.partial` folder and renamed when complete, under a file lock so that parallel runs install
once. A machine without the package index raises PeerUnavailable (the tests skip, or fail
where the run requires every service: TOWNSQUARE_REQUIRE_SERVICES=1, as in CI); an install
that fails raises PeerFailed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

CACHE_ENV = "TOWNSQUARE_PEERS_CACHE"
INDEX_CHECK_TIMEOUT_S = 60

Log = Callable[[str], None]


class PeerUnavailable(RuntimeError):
    """This machine cannot provide the server (no package index, an install that took too
    long): the tests are skipped, or fail where the run requires every service."""


class PeerFailed(RuntimeError):
    """The server was installed but does not work: the tests fail."""


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or str(Path.home() / ".cache" / "townsquare-peers"))


def python_of(directory: Path) -> Path:
    return directory / "bin" / "python"


def ensure_venv(
    name: str, requirement: str, log: Log, *, what: str, install_timeout_s: int
) -> Path:
    """The environment `name` (e.g. "synapse-1.163.2") with `requirement` installed."""
    target = cache_dir() / name
    if (target / ".installed").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent / f".{name}.lock"):
        if (target / ".installed").exists():  # another run installed it while we waited
            return target
        _check_index(requirement)
        started = time.monotonic()
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        log(f"{what} peer: installing {requirement} into {target}")
        run_step(
            [sys.executable, "-m", "venv", str(partial)],
            "creating the virtual environment",
            install_timeout_s,
        )
        run_step(
            [str(python_of(partial)), "-m", "pip", "install", "--quiet", requirement],
            f"installing {requirement}",
            install_timeout_s,
        )
        (partial / ".installed").write_text(f"{time.monotonic() - started:.0f} s\n")
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
        log(f"{what} peer: installed in {time.monotonic() - started:.0f} s")
    return target


def _check_index(requirement: str) -> None:
    # `pip download --no-deps` of the pinned release asks the configured index the way the
    # install will, so a machine without it skips quickly instead of failing slowly.
    with tempfile.TemporaryDirectory(prefix="tsq-peer-probe-") as scratch:
        try:
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--quiet",
                    "--retries",
                    "0",
                    "--dest",
                    scratch,
                    requirement,
                ],
                capture_output=True,
                text=True,
                timeout=INDEX_CHECK_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PeerUnavailable("the package index did not answer in time") from None
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise PeerUnavailable(
            f"{requirement} cannot be downloaded: " + (lines[-1][:200] if lines else "no answer")
        )


def run_step(command: list[str], what: str, timeout_s: int) -> None:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        raise PeerUnavailable(f"{what} took longer than {timeout_s} s") from None
    if done.returncode != 0:
        raise PeerFailed(f"{what} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
