"""Slow clients against the web server of `townsquare up`: how long does the health check
take while uploads stall halfway?

Starts gunicorn exactly as `townsquare up` does (on a fresh data directory), measures the
health check's latency, then opens STALLED connections that send part of a large POST (half
of them stop within the headers, half after the headers and a little of the body) and then
nothing, and measures again. Prints both and the
ratio. `python -m bench.slow_clients [STALLED [GUNICORN OPTION...]]`; not part of the test suite.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from townsquare.runtime.management.commands.up import web_server_argv

STALLED = int(sys.argv[1]) if len(sys.argv) > 1 else 24
# Further gunicorn options to try (they override `up`'s): `... 24 --threads 8`.
EXTRA = sys.argv[2:]
SAMPLES = 5
CLIENT_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def health_seconds(port: int) -> float:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v1/health", timeout=CLIENT_TIMEOUT
        ) as answer:
            answer.read()
    except urllib.error.HTTPError as error:  # 503 without a scheduler: an answer all the same
        error.read()
    except OSError:
        return CLIENT_TIMEOUT
    return time.monotonic() - started


def stalled_upload(port: int, number: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    if number % 2:  # every other one stalls in the middle of its headers
        sock.sendall(b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
        return sock
    sock.sendall(
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        # A well-formed CSRF cookie, so that the server goes on to read the body for the token.
        b"Cookie: csrftoken=" + b"k" * 32 + b"\r\n"
        b"Content-Length: 2000000\r\n\r\n" + b"login=" + b"a" * 100
    )
    return sock


def latencies(port: int) -> tuple[float, float]:
    """Median and worst of SAMPLES health checks."""
    samples = [health_seconds(port) for _ in range(SAMPLES)]
    return statistics.median(samples), max(samples)


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="townsquare-bench-slow-"))
    env = {
        **os.environ,
        "TOWNSQUARE_DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONUNBUFFERED": "1",
    }
    for key in ("DATABASE_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS"):
        env.pop(key, None)
    subprocess.run(
        [sys.executable, "-m", "townsquare.cli", "setup"], env=env, check=True, capture_output=True
    )
    port = free_port()
    argv = [*web_server_argv("127.0.0.1", port, workers=2), *EXTRA]
    if "--access-logfile" in argv:  # no line per health check in the output
        at = argv.index("--access-logfile")
        del argv[at : at + 2]
    server = subprocess.Popen(argv, env={**env, "LOG_LEVEL": "CRITICAL"}, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while health_seconds(port) >= CLIENT_TIMEOUT:
            assert time.monotonic() < deadline, "the server did not answer within a minute"
            time.sleep(0.2)
        for _ in range(20):  # every worker's first requests load what Django loads lazily
            health_seconds(port)
        calm, calm_worst = latencies(port)
        stalled = [stalled_upload(port, number) for number in range(STALLED)]
        time.sleep(1)
        attacked, attacked_worst = latencies(port)
        for sock in stalled:
            sock.close()
        print(" ".join(argv[argv.index("--bind") :]))
        print(
            f"health check, {SAMPLES} in a row: median {calm * 1000:.0f} ms, "
            f"worst {calm_worst * 1000:.0f} ms"
        )
        print(
            f"with {STALLED} stalled uploads: median {attacked * 1000:.0f} ms "
            f"({attacked / calm:.0f}x), worst {attacked_worst * 1000:.0f} ms "
            f"({CLIENT_TIMEOUT:g} s: no answer)"
        )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
