"""Rate limits in the main database: the embedded mode needs no other service.

One RateWindow row per key. A decision reads, decides and writes the rows in one
transaction that holds them locked, so concurrent workers queue instead of both taking
the last slot:

- PostgreSQL: SELECT ... FOR UPDATE on the rows, always in key order, so two callers
  that want the same keys cannot deadlock.
- SQLite: settings.py opens every transaction with BEGIN IMMEDIATE, which takes the
  database's write lock up front (SELECT ... FOR UPDATE does not exist there and Django
  leaves it out).

Rows are created in their own short transaction before the locking one: creating a row
inside it would take locks out of key order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from django.db import DEFAULT_DB_ALIAS, transaction

from townsquare.ratelimits.models import RateWindow
from townsquare.ratelimits.window import (
    Rate,
    WindowState,
    check_request,
    decide,
    expires_at_ms,
    penalised,
    to_ms,
)

# A row deleted by purge() between its creation and the locking read makes the decision
# start again; more rounds than this means something keeps deleting rows.
MAX_ROUNDS = 5


def _state(row: RateWindow) -> WindowState:
    counts = {int(index): int(count) for index, count in (row.counts or {}).items()}
    return WindowState(row.slot_ms, counts, row.blocked_until_ms)


def _store(row: RateWindow, state: WindowState, rate: Rate) -> None:
    row.slot_ms = state.slot_ms
    row.counts = {str(index): count for index, count in sorted(state.counts.items())}
    row.blocked_until_ms = state.blocked_until_ms
    row.expires_at_ms = expires_at_ms(state, rate)
    row.save(update_fields=["slot_ms", "counts", "blocked_until_ms", "expires_at_ms"])


class DatabaseBackend:
    """The "db" backend. `clock` gives epoch seconds (tests inject their own)."""

    name = "db"

    def __init__(
        self, using: str = DEFAULT_DB_ALIAS, clock: Callable[[], float] = time.time
    ) -> None:
        self.using = using
        self.clock = clock

    def acquire_all(
        self, limits: Sequence[tuple[str, Rate]], now: float | None = None, cost: int = 1
    ) -> float:
        keys = [key for key, _ in limits]
        rates = [rate for _, rate in limits]
        check_request(keys, rates, cost)
        for _round in range(MAX_ROUNDS):
            # durable=True: inside a caller's transaction the rows would stay locked until
            # it ends, and a rollback would undo grants whose posts were already sent.
            with transaction.atomic(using=self.using, durable=True):
                rows = self._locked(keys)
                if len(rows) == len(keys):
                    # The time is read under the lock: a caller that waited for the lock
                    # must not decide with the time it started waiting.
                    now_ms = to_ms(self.clock() if now is None else now)
                    states = [_state(rows[key]) for key in keys]
                    wait, new_states = decide(states, rates, now_ms, cost)
                    if wait:
                        return wait / 1000
                    for key, rate, state in zip(keys, rates, new_states, strict=True):
                        _store(rows[key], state, rate)
                    return 0.0
            self._create_missing(keys)
        raise RuntimeError(f"rate-limit rows for {keys} keep disappearing")

    def penalise(self, key: str, until_epoch: float) -> None:
        until_ms = to_ms(until_epoch)
        for _round in range(MAX_ROUNDS):
            with transaction.atomic(using=self.using, durable=True):
                row = self._locked([key]).get(key)
                if row is not None:
                    state = penalised(_state(row), until_ms)
                    row.blocked_until_ms = state.blocked_until_ms
                    row.expires_at_ms = max(row.expires_at_ms, state.blocked_until_ms)
                    row.save(update_fields=["blocked_until_ms", "expires_at_ms"])
                    return
            self._create_missing([key])
        raise RuntimeError(f"the rate-limit row for {key} keeps disappearing")

    def purge(self, now: float | None = None) -> int:
        """Delete the rows that no longer matter; returns how many went."""
        now_ms = to_ms(self.clock() if now is None else now)
        deleted, _ = RateWindow.objects.using(self.using).filter(expires_at_ms__lt=now_ms).delete()
        return int(deleted)

    def _locked(self, keys: Sequence[str]) -> dict[str, RateWindow]:
        rows = (
            RateWindow.objects.using(self.using)
            .select_for_update()
            .filter(key__in=sorted(set(keys)))
            .order_by("key")
        )
        return {row.key: row for row in rows}

    def _create_missing(self, keys: Sequence[str]) -> None:
        # Its own transaction (the caller holds none: see durable=True above); another
        # worker creating the same row at the same moment is fine.
        RateWindow.objects.using(self.using).bulk_create(
            [RateWindow(key=key) for key in sorted(set(keys))], ignore_conflicts=True
        )
