"""The web server of `townsquare up`: worker timeouts on its command line, and clients that
send half a request and then nothing cannot hold it."""

from __future__ import annotations

import os
import socket
import struct
import sys
import urllib.request
from types import SimpleNamespace

from townsquare.runtime import gunicorn_conf
from townsquare.runtime.management.commands.up import web_server_argv
from townsquare.runtime.tests.support import free_port, wait_for


def option(argv: list[str], name: str) -> str:
    assert name in argv, f"{name} missing from {argv}"
    return argv[argv.index(name) + 1]


def test_up_runs_threaded_gunicorn_with_worker_timeouts_and_the_idle_client_limit():
    argv = web_server_argv("127.0.0.1", 8000, workers=3)
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "townsquare.wsgi:application"]
    assert option(argv, "--bind") == "127.0.0.1:8000"
    assert option(argv, "--workers") == "3"
    assert option(argv, "--worker-class") == "gthread"
    assert int(option(argv, "--threads")) >= 8
    assert int(option(argv, "--timeout")) == 30
    assert 0 < int(option(argv, "--graceful-timeout")) <= 10
    assert 0 < int(option(argv, "--keep-alive")) <= 10
    assert option(argv, "--config") == "python:townsquare.runtime.gunicorn_conf"


def test_the_listening_sockets_get_a_receive_timeout_that_their_connections_inherit():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        gunicorn_conf.when_ready(SimpleNamespace(LISTENERS=[SimpleNamespace(sock=listener)]))
        with socket.create_connection(listener.getsockname()), listener.accept()[0] as accepted:
            seconds, _micro = struct.unpack(
                "ll", accepted.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16)
            )
    assert seconds == gunicorn_conf.IDLE_READ_SECONDS


def stalled(port: int, request: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(request)
    return sock


def test_clients_that_stop_sending_do_not_keep_the_server_from_answering(start_process, tmp_path):
    port = free_port()
    # One worker with two threads, so that two stalled clients take every thread.
    argv = [*web_server_argv("127.0.0.1", port, workers=1), "--threads", "2"]
    env = {**os.environ, "TOWNSQUARE_DATA_DIR": str(tmp_path), "DEBUG": "0"}
    server = start_process(argv, env=env, name="gunicorn")
    page = f"http://127.0.0.1:{port}/static/townsquare/app.css"

    def answers() -> bool:
        assert server.process.poll() is None, server.output()
        try:
            with urllib.request.urlopen(page, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    wait_for(answers, timeout=60, what="gunicorn to answer")
    held = [
        # Stops within its headers.
        stalled(port, b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"),
        # Stops within its body, once the server has started reading it.
        stalled(
            port,
            b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Cookie: csrftoken=" + b"k" * 32 + b"\r\n"
            b"Content-Length: 100000\r\n\r\nlogin=alice",
        ),
    ]
    try:
        with urllib.request.urlopen(page, timeout=4 * gunicorn_conf.IDLE_READ_SECONDS) as r:
            assert r.status == 200
    finally:
        for sock in held:
            sock.close()
