"""A small social network on loopback, for the publishing engine's tests. Stdlib only.

In-process::

    with TestNetwork() as net:
        net.set_faults(latency_ms=50, error_rate_5xx=0.1, seed=7)
        ...  # publish to net.url
        assert net.stats()["duplicates"] == []

As a process of its own (chaos tests SIGKILL the workers, never the network)::

    python -m townsquare.networks.testnet.server --port 0 --state /tmp/net.sqlite3
    READY http://127.0.0.1:41234

HTTP API, JSON both ways; the /posts routes need an `Authorization: Bearer <token>` header:

    POST   /posts                    {text, reply_to?, idempotency_key, account}
                                     -> 201 {id, url, created_at, ...}; 200 when a key is replayed
    GET    /posts?idempotency_key=K  -> the first live post made with key K, or 404
    GET    /posts/{id}               -> the post, or 404 (also once deleted)
    DELETE /posts/{id}               -> 204, or 404
    GET    /me?account=A             -> 200, or 401 when A is in the reauth fault
    GET    /_stats                   -> {posts, requests_by_key, attempts_by_key, duplicates, ...}
    GET    /_faults, POST /_faults   -> the fault settings; POST replaces them (absent keys take
                                        the server's starting values)
    POST   /_reset                   -> forget posts, counters and faults
    GET    /_health                  -> {ok: true}

Like a good network, it answers a replayed idempotency key with the post it already made; with
`dedupe=False` it behaves like a network without idempotency and makes a second post. Either
way every accepted request is recorded, so a test can prove that nothing was sent twice.

Faults (see `Faults`) apply to `POST /posts`; latency applies to every /posts route. Random
decisions are drawn from (seed, idempotency key, attempt number), so they do not depend on the
order in which concurrent requests arrive. Every sleep ends when the server stops.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import signal
import socketserver
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from townsquare.networks.testnet.faults import (
    RATE_LIMIT_HEADERS,
    Faults,
    RateLimit,
    jsonable_settings,
    parse_faults,
)
from townsquare.networks.testnet.store import PostRow, Store, StoreClosed

HOST = "127.0.0.1"
# Matches testnet_rules(): 500 UTF-16 units there are never more than 500 code points here,
# so a text the validator accepts is never refused by the network.
TEXT_LIMIT = 500
MAX_BODY_BYTES = 256 * 1024
MAX_KEY_CHARS = 200
_POST_PATH = re.compile(r"^/posts/tn(\d{1,18})$")


# --- the network ------------------------------------------------------------------------------


@dataclass(slots=True)
class Answer:
    """An HTTP answer, and how long to hold it back after the work is done."""

    status: int
    body: Mapping[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    hold_s: float = 0.0


def _error(status: int, message: str) -> Answer:
    return Answer(status, {"error": message})


class TestNetwork:
    """The network: a threaded HTTP server on 127.0.0.1, started and stopped by tests."""

    __test__ = False  # a class, not a pytest test case

    def __init__(
        self,
        *,
        port: int = 0,
        state_path: str | os.PathLike[str] | None = None,
        dedupe: bool = True,
        seed: int = 0,
        text_limit: int = TEXT_LIMIT,
        verbose: bool = False,
    ) -> None:
        self._port = port
        self._baseline = Faults(dedupe=dedupe, seed=seed)
        self._faults = self._baseline
        self._text_limit = text_limit
        self.verbose = verbose
        self._store = Store(os.fspath(state_path) if state_path is not None else None)
        self._lock = threading.Lock()  # decisions, counters and the store move together
        self._stopping = threading.Event()
        self._publish_count = 0
        self._windows: dict[str, tuple[float, int]] = {}
        self._internal_errors = 0
        self._final_stats: dict[str, Any] | None = None
        self._last_port = port
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> TestNetwork:
        if self._server is not None:
            raise RuntimeError("the test network is already running")
        server = _HTTPServer((HOST, self._port), _Handler)
        server.network = self
        self._server = server
        self._last_port = int(server.server_address[1])
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests still waiting (latency, late answers) are cut short."""
        self._stopping.set()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            if self._final_stats is None:
                # Kept so that a test can still look at what happened after stopping.
                self._final_stats = self._collect_stats()
            self._store.close()

    def __enter__(self) -> TestNetwork:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the test network is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    # control, in-process or through /_faults, /_stats and /_reset

    @property
    def faults(self) -> Faults:
        return self._faults

    def set_faults(self, faults: Faults | None = None, **settings: Any) -> Faults:
        """Replace the faults: pass a `Faults`, or settings as in `POST /_faults`."""
        if faults is None:
            faults = parse_faults(jsonable_settings(settings), self._baseline)
        with self._lock:
            self._faults = faults
            self._publish_count = 0
            self._windows.clear()
        return faults

    def reset(self) -> None:
        with self._lock:
            self._store.reset()
            self._faults = self._baseline
            self._publish_count = 0
            self._windows.clear()
            self._internal_errors = 0

    def stats(self) -> dict[str, Any]:
        """Posts, accepted requests and attempts by key, duplicates, outcomes (see store.py)."""
        with self._lock:
            if self._final_stats is not None:
                return self._final_stats
            return self._collect_stats()

    def _collect_stats(self) -> dict[str, Any]:
        stats = self._store.stats()
        stats["internal_errors"] = self._internal_errors
        stats["posts"] = [self._post_json(row) for row in stats["posts"]]
        return stats

    # request handling

    def route(self, method: str, target: str, auth: str, body: bytes) -> Answer:
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        bearer = auth.startswith("Bearer ") and auth[len("Bearer ") :].strip()
        if path.startswith("/posts") and not bearer:
            return _error(401, "A bearer token is required.")
        if path.startswith("/posts") and not self._sleep(self._faults.latency_ms / 1000):
            return _error(503, "The network is shutting down.")
        match (method, path):
            case ("POST", "/posts"):
                return self._publish(body)
            case ("GET", "/posts"):
                key = parse_qs(parts.query).get("idempotency_key", [""])[0]
                with self._lock:
                    row = self._store.first_live_post(key) if key else None
                return Answer(200, self._post_json(row)) if row else _error(404, "No such post.")
            case ("GET", "/me"):
                account = parse_qs(parts.query).get("account", [""])[0]
                if account in self._faults.reauth_for_accounts:
                    return _error(401, "The access token has expired.")
                return Answer(200, {"account": account})
            case ("GET", "/_stats"):
                return Answer(200, self.stats())
            case ("GET", "/_faults"):
                return Answer(200, asdict(self._faults))
            case ("POST", "/_faults"):
                try:
                    faults = self.set_faults(
                        parse_faults(json.loads(body or b"{}"), self._baseline)
                    )
                except ValueError as exc:
                    return _error(400, str(exc))
                return Answer(200, asdict(faults))
            case ("POST", "/_reset"):
                self.reset()
                return Answer(200, {"ok": True})
            case ("GET", "/_health"):
                return Answer(200, {"ok": True})
        found = _POST_PATH.match(path)
        if found and method in ("GET", "DELETE"):
            seq = int(found.group(1))
            with self._lock:
                if method == "DELETE":
                    deleted = self._store.delete(seq, _now_iso())
                    return Answer(204) if deleted else _error(404, "No such post.")
                row = self._store.live_post(seq)
            return Answer(200, self._post_json(row)) if row else _error(404, "No such post.")
        return _error(404, f"No route for {method} {path}.")

    def _publish(self, body: bytes) -> Answer:
        try:
            data = json.loads(body)
        except ValueError:
            return _error(400, "The body is not JSON.")
        if not isinstance(data, dict):
            return _error(400, "The body must be a JSON object.")
        text, key, account = data.get("text"), data.get("idempotency_key"), data.get("account")
        reply_to = data.get("reply_to") or None
        if not (isinstance(text, str) and isinstance(key, str) and isinstance(account, str)):
            return _error(400, "text, idempotency_key and account are required strings.")
        if not key or len(key) > MAX_KEY_CHARS or not account:
            return _error(400, f"idempotency_key must have 1 to {MAX_KEY_CHARS} characters.")
        if reply_to is not None and not isinstance(reply_to, str):
            return _error(400, "reply_to must be a post id.")
        with self._lock:
            if self._stopping.is_set():
                return _error(503, "The network is shutting down.")
            faults = self._faults
            attempt = self._store.attempts(key) + 1
            # One generator per (seed, key, attempt): the same run of attempts meets the same
            # faults however the threads interleave.
            draws = random.Random(f"{faults.seed}|{key}|{attempt}")
            draw_5xx, draw_late = draws.random(), draws.random()
            if account in faults.reauth_for_accounts:
                self._store.record(key, account, "reauth")
                return _error(401, "The access token has expired.")
            wait = self._rate_limited(account, faults)
            if wait is not None:
                self._store.record(key, account, "rate_limited")
                return _rate_limited_answer(wait, faults.rate_limit)
            if draw_5xx < faults.error_rate_5xx:
                self._store.record(key, account, "server_error")
                return _error(faults.error_status, "The network has a temporary problem.")
            problem = self._content_problem(text, reply_to, faults)
            if problem:
                self._store.record(key, account, "rejected")
                return _error(422, problem)
            late = draw_late < faults.accept_then_timeout_rate
            existing = self._store.first_live_post(key) if faults.dedupe else None
            if existing is not None:
                self._store.record(key, account, "replayed", existing.seq, late=late)
                answer = Answer(200, self._post_json(existing), {"Idempotent-Replayed": "true"})
            else:
                row = self._store.create_post(account, text, reply_to, key, _now_iso())
                self._store.record(key, account, "created", row.seq, late=late)
                answer = Answer(201, self._post_json(row))
        if late:
            answer.hold_s = faults.accept_then_timeout_s
        return answer

    def _rate_limited(self, account: str, faults: Faults) -> float | None:
        limit = faults.rate_limit
        if limit is None:
            return None
        self._publish_count += 1
        if limit.every_n and self._publish_count % limit.every_n == 0:
            return limit.reset_after_s
        if limit.burst:
            now = time.monotonic()
            start, used = self._windows.get(account, (now, 0))
            if now >= start + limit.per_seconds:
                start, used = now, 0
            if used >= limit.burst:
                self._windows[account] = (start, used)
                return max(0.0, start + limit.per_seconds - now)
            self._windows[account] = (start, used + 1)
        return None

    def _content_problem(self, text: str, reply_to: str | None, faults: Faults) -> str:
        if not text.strip():
            return "The text is empty."
        if len(text) > self._text_limit:
            return f"The text is longer than {self._text_limit} characters."
        lowered = text.lower()
        for word in faults.reject_texts_containing:
            if word and word.lower() in lowered:
                return f"The text contains {word!r}, which this network does not allow."
        if reply_to is not None:
            found = _POST_PATH.match(f"/posts/{reply_to}")
            if not found or self._store.live_post(int(found.group(1))) is None:
                return f"The post {reply_to!r} to reply to does not exist."
        return ""

    def _post_json(self, row: PostRow | None) -> dict[str, Any]:
        assert row is not None
        post_id = f"tn{row.seq}"
        base = self.url if self._server is not None else f"http://{HOST}:{self._last_port}"
        return {
            "id": post_id,
            "url": f"{base}/posts/{post_id}",
            "account": row.account,
            "text": row.text,
            "reply_to": row.reply_to,
            "idempotency_key": row.idempotency_key,
            "created_at": row.created_at,
            "deleted": row.deleted_at is not None,
        }

    def _sleep(self, seconds: float) -> bool:
        """Wait, unless the server stops first; True if the wait ran its course."""
        if seconds <= 0:
            return not self._stopping.is_set()
        return not self._stopping.wait(seconds)

    def _count_internal_error(self) -> None:
        with self._lock:
            self._internal_errors += 1


def _rate_limited_answer(wait: float, limit: RateLimit | None) -> Answer:
    headers: dict[str, str] = {"X-RateLimit-Remaining": "0"}
    names = limit.headers if limit is not None else RATE_LIMIT_HEADERS
    whole = float(wait).is_integer()
    if "retry-after" in names:
        headers["Retry-After"] = str(int(wait)) if whole else f"{wait:.3f}"
    if "x-ratelimit-reset" in names:
        reset = time.time() + wait
        headers["X-RateLimit-Reset"] = str(math.ceil(reset)) if whole else f"{reset:.3f}"
    if limit is not None and limit.burst:
        headers["X-RateLimit-Limit"] = str(limit.burst)
    answer = _error(429, "Too many requests.")
    answer.headers.update(headers)
    return answer


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- HTTP plumbing ------------------------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default of 5 drops connections when 20 clients start at once
    network: TestNetwork

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall without DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (read timeout) closes its end: expected, not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    timeout = 30  # a client that stalls mid-request does not hold a thread for ever
    server_version = "Townsquare-TestNet/1"

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        network = self.server.network
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES or length < 0:
            self._send(_error(413, "The body is too large."))
            return
        body = self.rfile.read(length) if length else b""
        try:
            answer = network.route(method, self.path, self.headers.get("Authorization", ""), body)
        except StoreClosed:
            answer = _error(503, "The network is shutting down.")
        except Exception:
            # A bug here must not pass for a network fault: tests assert internal_errors == 0.
            traceback.print_exc()
            network._count_internal_error()
            answer = _error(500, "The test network failed; see its stderr.")
        if answer.hold_s:
            network._sleep(answer.hold_s)
        self._send(answer)

    def _send(self, answer: Answer) -> None:
        payload = b"" if answer.body is None else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.status != 204:
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if answer.status != 204:
            self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.network.verbose:
            super().log_message(format, *args)


# --- running as a process -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Townsquare's test network on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--state", help="SQLite file that keeps the posts across restarts")
    parser.add_argument("--no-dedupe", action="store_true", help="replayed keys make new posts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--faults", default="", help="starting faults as JSON, as in /_faults")
    parser.add_argument("--lifetime", type=float, default=3600.0, help="exit after S seconds")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    network = TestNetwork(
        port=args.port,
        state_path=args.state,
        dedupe=not args.no_dedupe,
        seed=args.seed,
        verbose=args.verbose,
    )
    if args.faults:
        network.set_faults(**json.loads(args.faults))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    parent = os.getppid()
    deadline = time.monotonic() + args.lifetime
    with network:
        print(f"READY {network.url}", flush=True)
        # A test that dies without stopping us must not leave a server behind: stop when the
        # parent goes away or the lifetime ends.
        while not stop.wait(0.2):
            if os.getppid() != parent or time.monotonic() > deadline:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
