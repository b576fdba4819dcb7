"""Install and run `mastodon-mock` (PyPI), a FastAPI imitation of the Mastodon API, on loopback.

Installing: the pinned release goes into its own virtual environment,
`$TOWNSQUARE_PEERS_CACHE/mastodon-mock-<version>` or
`~/.cache/townsquare-peers/mastodon-mock-<version>`, made with the Python that runs the tests
and kept between runs. It is not a dependency of Townsquare and nothing of it is imported
here: it only runs as a separate process.

Running: `mastodon_mock serve --in-memory` in a temporary directory (so no pyproject.toml of
ours is read as its configuration), bound to 127.0.0.1 on a free port, in its own process
group; `GET /api/v1/instance` is polled until it answers. Stopping ends that process group by
its id and removes the directory.

A machine without the package index skips the tests (fails them where the run requires every
service, as CI does); a mock that installed but does not start is a failure.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

# Beside this folder: the shared installer of PyPI peers.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from peer_runtime import stop_process_group
from pypi_venv import (
    Log,
    PeerFailed,
    ensure_venv,
    free_port,
    python_of,
)
from pypi_venv import (
    PeerUnavailable as PeerUnavailable,  # the fixtures catch it here
)

MOCK_VERSION = "0.6.1"
PACKAGE = "mastodon-mock"

INSTALL_TIMEOUT_S = 600
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 10


@dataclass
class MockServer:
    url: str
    process: subprocess.Popen[bytes]
    run_dir: Path

    def log_tail(self, lines: int = 40) -> str:
        path = self.run_dir / "server.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def ensure_installed(log: Log) -> Path:
    """The virtual environment with the server, installing it first when needed."""
    return ensure_venv(
        f"mastodon-mock-{MOCK_VERSION}",
        f"{PACKAGE}=={MOCK_VERSION}",
        log,
        what="mastodon",
        install_timeout_s=INSTALL_TIMEOUT_S,
    )


def start(directory: Path, log: Log) -> MockServer:
    """Start the mock and wait (bounded) until it answers."""
    run_dir = Path(tempfile.mkdtemp(prefix="tsq-mastodon-mock-"))
    (run_dir / "media").mkdir()
    # Its own configuration file: otherwise it would read a pyproject.toml in its directory.
    (run_dir / "mock.toml").write_text(
        f'media_storage_path = "{run_dir / "media"}"\n\n[database]\npath = ":memory:"\n'
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_file = (run_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [
            # Through the module, not the `mastodon_mock` script: a script remembers the
            # path of the ".partial" directory it was installed into.
            str(python_of(directory)),
            "-m",
            "mastodon_mock",
            "serve",
            "--config",
            str(run_dir / "mock.toml"),
            "--in-memory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--domain",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=run_dir,
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopping it stops every child
    )
    log_file.close()
    server = MockServer(url=url, process=process, run_dir=run_dir)
    started = time.monotonic()
    while time.monotonic() - started < START_TIMEOUT_S:
        if process.poll() is not None:
            tail = server.log_tail()
            stop(server)
            raise PeerFailed(f"mastodon-mock exited with {process.returncode}:\n{tail}")
        if _answers(f"{url}/api/v1/instance"):
            log(f"mastodon peer: up in {time.monotonic() - started:.1f} s at {url}")
            return server
        time.sleep(0.2)
    tail = server.log_tail()
    stop(server)
    raise PeerFailed(f"mastodon-mock did not answer within {START_TIMEOUT_S} s:\n{tail}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop(server: MockServer) -> None:
    """End the process group by its id (SIGTERM, then SIGKILL) and remove the directory."""
    stop_process_group(server.process, STOP_TIMEOUT_S)
    shutil.rmtree(server.run_dir, ignore_errors=True)


if __name__ == "__main__":
    # `python tests/peers/mastodon_mock/harness.py` installs (if needed), starts and runs
    # until Ctrl-C: for trying the connector by hand.
    place = ensure_installed(print)
    running = start(place, print)
    print(f"mastodon-mock at {running.url} (Ctrl-C stops)")
    try:
        running.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(running)
