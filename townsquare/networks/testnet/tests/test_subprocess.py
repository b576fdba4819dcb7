"""The test network as a process of its own, as the chaos tests run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from townsquare.networks.testnet.tests.support import AUTH, post

READY_TIMEOUT_S = 20


@contextmanager
def running(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "townsquare.networks.testnet.server", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield process, read_ready(process)
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def read_ready(process: subprocess.Popen[str]) -> str:
    """The URL from the READY line; fails after READY_TIMEOUT_S instead of hanging."""
    lines: list[str] = []
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(READY_TIMEOUT_S)
    assert lines and lines[0].startswith("READY "), f"no READY line: {lines!r}"
    return lines[0].split()[1]


def test_the_server_process_prints_ready_and_serves(tmp_path: Path):
    state = tmp_path / "net.sqlite3"
    with running("--port", "0", "--state", str(state)) as (process, url):
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=url, headers=AUTH, timeout=5) as http:
            created = post(http, "k1")
            assert created.status_code == 201
            assert post(http, "k1").json()["id"] == created.json()["id"]
            stats = http.get("/_stats").json()
        assert stats["requests_by_key"] == {"k1": 2}
        process.terminate()
        assert process.wait(timeout=10) == 0
    assert state.exists()


def test_the_server_process_keeps_its_posts_in_the_state_file(tmp_path: Path):
    state = str(tmp_path / "net.sqlite3")
    with running("--state", state) as (_, url), httpx.Client(base_url=url, headers=AUTH) as http:
        first = post(http, "kept").json()["id"]
    with running("--state", state) as (_, url), httpx.Client(base_url=url, headers=AUTH) as http:
        assert http.get("/posts", params={"idempotency_key": "kept"}).json()["id"] == first


def test_the_server_process_takes_faults_and_the_dedupe_switch(tmp_path: Path):
    faults = json.dumps({"reject_texts_containing": ["casino"]})
    with (
        running("--no-dedupe", "--seed", "5", "--faults", faults) as (_, url),
        httpx.Client(base_url=url, headers=AUTH) as http,
    ):
        assert post(http, "k", "casino night").status_code == 422
        assert post(http, "k").status_code == 201
        assert post(http, "k").status_code == 201
        assert len(http.get("/_stats").json()["duplicates"][0]["post_ids"]) == 2
        current = http.get("/_faults").json()
        assert (current["dedupe"], current["seed"]) == (False, 5)


def test_the_server_process_ends_by_itself_after_its_lifetime():
    with running("--lifetime", "0.5") as (process, _):
        assert process.wait(timeout=60) == 0
