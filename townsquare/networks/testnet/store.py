"""The test network's memory: posts and every publish request, in SQLite. Stdlib only.

In memory by default; with a file, a restarted server keeps its posts, which helps when a chaos
run has to be picked apart afterwards. One server per file. The caller serialises access (the
server holds one lock around each decision), so one connection serves every thread.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any, NamedTuple

_SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so ids stay unique after a reset
    account TEXT NOT NULL,
    text TEXT NOT NULL,
    reply_to TEXT,
    idempotency_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS posts_by_key ON posts (idempotency_key, seq);
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL,
    account TEXT NOT NULL,
    outcome TEXT NOT NULL,  -- created, replayed, rejected, rate_limited, server_error, reauth
    post_seq INTEGER,
    late INTEGER NOT NULL DEFAULT 0  -- accepted, then answered after the client gave up
);
CREATE INDEX IF NOT EXISTS requests_by_key ON requests (idempotency_key);
"""
_POST_COLUMNS = "seq, account, text, reply_to, idempotency_key, created_at, deleted_at"
ACCEPTED = ("created", "replayed")


class StoreClosed(RuntimeError):
    """The server stopped while a request was still being handled."""


class PostRow(NamedTuple):
    seq: int
    account: str
    text: str
    reply_to: str | None
    idempotency_key: str
    created_at: str
    deleted_at: str | None


class Store:
    def __init__(self, path: str | None) -> None:
        self._db: sqlite3.Connection | None = sqlite3.connect(
            path or ":memory:", check_same_thread=False
        )
        if path:
            # WAL keeps a reader (sqlite3 CLI while debugging) from blocking the server.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreClosed("the test network has stopped")
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def attempts(self, key: str) -> int:
        (count,) = (
            self._conn()
            .execute("SELECT COUNT(*) FROM requests WHERE idempotency_key = ?", (key,))
            .fetchone()
        )
        return int(count)

    def record(
        self,
        key: str,
        account: str,
        outcome: str,
        seq: int | None = None,
        *,
        late: bool = False,
    ) -> None:
        with self._conn() as db:
            db.execute(
                "INSERT INTO requests (idempotency_key, account, outcome, post_seq, late)"
                " VALUES (?, ?, ?, ?, ?)",
                (key, account, outcome, seq, int(late)),
            )

    def create_post(
        self, account: str, text: str, reply_to: str | None, key: str, created_at: str
    ) -> PostRow:
        with self._conn() as db:
            cursor = db.execute(
                "INSERT INTO posts (account, text, reply_to, idempotency_key, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (account, text, reply_to, key, created_at),
            )
        assert cursor.lastrowid is not None
        return PostRow(cursor.lastrowid, account, text, reply_to, key, created_at, None)

    def first_live_post(self, key: str) -> PostRow | None:
        row = (
            self._conn()
            .execute(
                f"SELECT {_POST_COLUMNS} FROM posts"  # noqa: S608 -- constant column list
                " WHERE idempotency_key = ? AND deleted_at IS NULL ORDER BY seq LIMIT 1",
                (key,),
            )
            .fetchone()
        )
        return PostRow(*row) if row else None

    def live_post(self, seq: int) -> PostRow | None:
        row = (
            self._conn()
            .execute(
                f"SELECT {_POST_COLUMNS} FROM posts"  # noqa: S608 -- constant column list
                " WHERE seq = ? AND deleted_at IS NULL",
                (seq,),
            )
            .fetchone()
        )
        return PostRow(*row) if row else None

    def delete(self, seq: int, deleted_at: str) -> bool:
        with self._conn() as db:
            cursor = db.execute(
                "UPDATE posts SET deleted_at = ? WHERE seq = ? AND deleted_at IS NULL",
                (deleted_at, seq),
            )
        return cursor.rowcount == 1

    def reset(self) -> None:
        with self._conn() as db:
            db.execute("DELETE FROM posts")
            db.execute("DELETE FROM requests")

    def stats(self) -> dict[str, Any]:
        """Posts (deleted ones too) and request counts; `duplicates` lists every key that
        was accepted more than once, whether or not the network made a second post."""
        db = self._conn()
        posts = [
            PostRow(*row)
            for row in db.execute(
                f"SELECT {_POST_COLUMNS} FROM posts ORDER BY seq"  # noqa: S608 -- constant
            )
        ]
        requests = db.execute(
            "SELECT idempotency_key, outcome, late FROM requests ORDER BY seq"
        ).fetchall()
        attempts: Counter[str] = Counter()
        accepted: Counter[str] = Counter()
        outcomes: Counter[str] = Counter()
        late: list[str] = []
        for key, outcome, was_late in requests:
            attempts[key] += 1
            outcomes[outcome] += 1
            if outcome in ACCEPTED:
                accepted[key] += 1
                if was_late:
                    late.append(key)
        post_ids: dict[str, list[str]] = {}
        for post in posts:
            post_ids.setdefault(post.idempotency_key, []).append(f"tn{post.seq}")
        return {
            "posts": posts,
            "requests_by_key": dict(accepted),
            "attempts_by_key": dict(attempts),
            "outcomes": dict(outcomes),
            "late_answers": late,
            "duplicates": [
                {"idempotency_key": key, "accepted": count, "post_ids": post_ids.get(key, [])}
                for key, count in accepted.items()
                if count > 1
            ],
        }
