"""Helpers for the outbound client's tests: a scripted resolver, a recorder of the sockets
that are opened, and small servers on loopback. No test reaches the internet: a connection
to any address that is not loopback is refused before a packet leaves."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Stands for "a public server" in the tests; nothing is ever sent to it.
PUBLIC = "93.184.215.14"


@dataclass
class Network:
    """What the resolver answers for each scripted name (one answer per lookup, the last one
    repeated), and which addresses sockets were opened to. `public_server` is where a
    connection to PUBLIC really goes: a loopback server standing in for the internet."""

    answers: dict[str, list[str]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    dialled: list[str] = field(default_factory=list)
    public_server: tuple[str, int] | None = None

    def answer(self, name: str) -> str:
        queue = self.answers[name]
        return queue.pop(0) if len(queue) > 1 else queue[0]


def install(monkeypatch, network: Network) -> Network:
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name in network.answers:
            network.lookups.append(name)
            address = network.answer(name)
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
            return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]
        return real_getaddrinfo(host, port, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        host, port = address[0], address[1]
        # Like the real one: a name is looked up (with the scripted resolver) right here.
        resolved = getaddrinfo(host, port, 0, socket.SOCK_STREAM)[0][4][0]
        network.dialled.append(resolved)
        if resolved == PUBLIC and network.public_server is not None:
            return real_create_connection(network.public_server, *args, **kwargs)
        if not ipaddress.ip_address(resolved).is_loopback:
            raise ConnectionRefusedError(f"tests never connect to {resolved}")
        return real_create_connection((resolved, port), *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return network


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: every request dials anew

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self) -> None:
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler] = _Recorder) -> Iterator:
    """A server on 127.0.0.1; `server.hits` lists the paths it was asked for."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
