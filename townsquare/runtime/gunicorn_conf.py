"""gunicorn configuration that belongs to no command-line option: a client that stops
sending is dropped.

gunicorn's threaded worker reads a request (its headers, and the body when Django asks for
it) with a blocking read that has no time limit, so a client that sends half a request and
then nothing holds a thread for as long as it likes; a few dozen such uploads took every
thread of `townsquare up` and the health check got no answer at all. The kernel's receive
timeout on the listening sockets is inherited by every connection they accept: a read that
gets no byte for IDLE_READ_SECONDS fails, and the thread is free again. The request ends
with a 400 (lib/request_body.py), logged as a warning without a traceback.

Used as `gunicorn -c python:townsquare.runtime.gunicorn_conf` (what `townsquare up` runs).
A client that trickles a byte now and then is not stopped by this; the reverse proxy in
front of Townsquare, which buffers whole requests, is (README, "Running it for real").
"""

from __future__ import annotations

import socket
import struct
from typing import Any

# Long enough for a browser on a bad connection, short enough that stalled clients do not
# hold threads for long: a working upload sends something every few milliseconds.
IDLE_READ_SECONDS = 10


def when_ready(server: Any) -> None:
    # Called in gunicorn's master once it listens, before the workers are started.
    for listener in server.LISTENERS:
        listener.sock.setsockopt(
            socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", IDLE_READ_SECONDS, 0)
        )
