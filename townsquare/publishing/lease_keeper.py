"""Keep a publication's lease while one network call takes longer than the lease itself.

A lease (90 s by default) is far longer than a text post takes, but not than uploading a
large video or waiting for a network to process it. Were the lease to run out mid-call, the
scheduler would hand the row to reconciliation while the call is still going, and a network
that cannot be asked by key could see the post twice. So while a part is being sent, a
thread renews the lease every third of its length, fenced by the lease token, until the
call returns, the row is taken from this worker, or MAX_SEND_SECONDS have passed (a call
that hangs for that long must not hold its row forever). A renewal that fails (the database
for a moment) is tried again at the next tick. A killed worker renews nothing: its lease
runs out as before.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from datetime import timedelta
from types import TracebackType

from django.db import close_old_connections, connection
from django.utils import timezone

from townsquare.publishing.claim import lease_seconds
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status

logger = logging.getLogger(__name__)

MAX_SEND_SECONDS = 20 * 60


class LeaseKeeper:
    def __init__(self, pub_id: int, token: str, *, max_seconds: float = MAX_SEND_SECONDS):
        self.pub_id = pub_id
        self.token = token
        self.max_seconds = max_seconds
        self.renewals = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"lease-keeper-{pub_id}", daemon=True
        )

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        lease = lease_seconds()
        every = max(lease / 3, 0.2)
        started = time.monotonic()
        try:
            while not self._stop.wait(every):
                if time.monotonic() - started > self.max_seconds:
                    logger.warning(
                        "publication %s: sending for too long, lease left to run out", self.pub_id
                    )
                    return
                try:
                    close_old_connections()
                    kept = Publication.objects.filter(
                        pk=self.pub_id, lease_token=self.token, status=Status.PUBLISHING
                    ).update(lease_expires_at=timezone.now() + timedelta(seconds=lease))
                except Exception:
                    # A database that hiccups (a restart, a lock held too long) must not
                    # end the renewals: the call is still running, and the lease would run
                    # out under it. Try again at the next tick, on a fresh connection.
                    logger.exception("publication %s: renewing the lease failed", self.pub_id)
                    with contextlib.suppress(Exception):
                        connection.close()
                    continue
                if not kept:
                    return  # the row is no longer ours
                self.renewals += 1
        finally:
            connection.close()
