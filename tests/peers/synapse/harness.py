"""Install and run a Matrix homeserver (Synapse from PyPI) on loopback for the peer tests.

Installing: `matrix-synapse` at the pinned version goes into its own virtual environment,
`$TOWNSQUARE_PEERS_CACHE/synapse-<version>` or `~/.cache/townsquare-peers/synapse-<version>`,
made with the Python that runs the tests and kept between runs. Synapse is not a dependency of
Townsquare; nothing of it is imported here, it only runs as a separate process.

Running: a minimal homeserver.yaml in a temporary directory (one listener on 127.0.0.1 with
the client API only, SQLite, open registration without verification, no federation key
servers, presence and URL previews off, rate limits far above what a test sends), the server
in its own process group, `GET /health` polled until it answers. Stopping ends that process
group by its id and removes the directory.

A machine without the package index skips the tests (fails them where the run requires every
service, as CI does); a server that installed but does not start is a failure.
"""

from __future__ import annotations

import secrets
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
    run_step,
)
from pypi_venv import (
    PeerUnavailable as PeerUnavailable,  # the fixtures catch it here
)

SYNAPSE_VERSION = "1.163.2"
SERVER_NAME = "townsquare.test"

INSTALL_TIMEOUT_S = 900
START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 15


@dataclass
class Homeserver:
    url: str
    server_name: str
    shared_secret: str
    process: subprocess.Popen[bytes]
    run_dir: Path

    def log_tail(self, lines: int = 40) -> str:
        path = self.run_dir / "homeserver.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def ensure_installed(log: Log) -> Path:
    """The virtual environment with the server, installing it first when needed."""
    return ensure_venv(
        f"synapse-{SYNAPSE_VERSION}",
        f"matrix-synapse=={SYNAPSE_VERSION}",
        log,
        what="synapse",
        install_timeout_s=INSTALL_TIMEOUT_S,
    )


def homeserver_yaml(run_dir: Path, port: int, shared_secret: str) -> str:
    # Every rc_* limit far above what a test sends: a 429 here would be a flaky test, and
    # 429 handling is tested without a server.
    generous = "{per_second: 10000, burst_count: 100000}"
    return f"""
server_name: "{SERVER_NAME}"
pid_file: "{run_dir}/homeserver.pid"
public_baseurl: "http://127.0.0.1:{port}/"
listeners:
  - port: {port}
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "{run_dir}/homeserver.db"
log_config: "{run_dir}/log.yaml"
media_store_path: "{run_dir}/media"
signing_key_path: "{run_dir}/signing.key"
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
enable_registration: true
enable_registration_without_verification: true
registration_shared_secret: "{shared_secret}"
macaroon_secret_key: "{secrets.token_hex(16)}"
form_secret: "{secrets.token_hex(16)}"
presence:
  enabled: false
url_preview_enabled: false
enable_metrics: false
rc_message: {generous}
rc_registration: {generous}
rc_login:
  address: {generous}
  account: {generous}
  failed_attempts: {generous}
rc_joins:
  local: {generous}
  remote: {generous}
rc_invites:
  per_room: {generous}
  per_user: {generous}
  per_issuer: {generous}
rc_admin_redaction: {generous}
rc_media_create: {generous}
rc_delayed_event_mgmt: {generous}
rc_room_creation: {generous}
rc_reports: {generous}
"""


LOG_YAML = """
version: 1
formatters:
  plain:
    format: "%(asctime)s %(name)s %(levelname)s %(message)s"
handlers:
  file:
    class: logging.FileHandler
    filename: "{path}"
    formatter: plain
root:
  level: WARNING
  handlers: [file]
disable_existing_loggers: false
"""


def start(directory: Path, log: Log) -> Homeserver:
    run_dir = Path(tempfile.mkdtemp(prefix="tsq-synapse-"))
    port = free_port()
    shared_secret = secrets.token_hex(16)
    config = run_dir / "homeserver.yaml"
    config.write_text(homeserver_yaml(run_dir, port, shared_secret))
    (run_dir / "log.yaml").write_text(LOG_YAML.format(path=run_dir / "homeserver.log"))
    python = str(python_of(directory))
    run_step(
        [
            python,
            "-m",
            "synapse.app.homeserver",
            "--config-path",
            str(config),
            "--generate-missing-configs",
        ],
        "generating the signing key",
        START_TIMEOUT_S,
    )
    started = time.monotonic()
    output = (run_dir / "stdout.log").open("wb")
    process = subprocess.Popen(
        [python, "-m", "synapse.app.homeserver", "--config-path", str(config)],
        cwd=run_dir,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, ended by id in stop()
    )
    output.close()
    server = Homeserver(
        url=f"http://127.0.0.1:{port}",
        server_name=SERVER_NAME,
        shared_secret=shared_secret,
        process=process,
        run_dir=run_dir,
    )
    try:
        _wait_healthy(server)
    except BaseException:
        tail = server.log_tail() + "\n" + _stdout_tail(run_dir)
        stop(server)
        raise PeerFailed(f"Synapse did not start on {server.url}:\n{tail}") from None
    log(f"synapse peer: up on {server.url} in {time.monotonic() - started:.1f} s")
    return server


def _stdout_tail(run_dir: Path) -> str:
    path = run_dir / "stdout.log"
    return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def _wait_healthy(server: Homeserver) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise PeerFailed(f"Synapse exited with {server.process.returncode}")
        try:
            with urllib.request.urlopen(f"{server.url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise PeerFailed(f"no answer from /health within {START_TIMEOUT_S} s")


def stop(server: Homeserver) -> None:
    """End the process group by its id (SIGTERM, then SIGKILL) and remove the directory."""
    stop_process_group(server.process, STOP_TIMEOUT_S)
    shutil.rmtree(server.run_dir, ignore_errors=True)
