"""Throughput smoke test: the network keeps up with a busy engine because it answers many
requests side by side (one at a time, 200 posts with 50 ms latency would take 10 s).

That the requests overlap is checked, not how long they take: seconds measured on a loaded
machine say little (`make bench` is where speed is measured)."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

from townsquare.networks.testnet.connector import TestNetPublisher
from townsquare.networks.testnet.tests.support import variant
from townsquare.testing.waiting import GENEROUS_S

POSTS = 200
THREADS = 20
LATENCY_MS = 50


def test_200_posts_from_20_threads_are_answered_side_by_side_each_once(network, creds):
    network.set_faults(latency_ms=LATENCY_MS)
    # The first two requests wait inside the network until both are there: a network that
    # answered one request at a time would never let the second one in.
    both_inside = threading.Barrier(2, timeout=GENEROUS_S)
    arrivals = itertools.count()
    overlapped: list[bool] = []
    latency = network._sleep

    def first_two_meet(seconds: float) -> bool:
        if next(arrivals) < 2:
            try:
                both_inside.wait()
                overlapped.append(True)
            except threading.BrokenBarrierError:
                overlapped.append(False)
        return latency(seconds)

    network._sleep = first_two_meet
    with (
        TestNetPublisher(read_timeout=GENEROUS_S * 2) as publisher,
        ThreadPoolExecutor(THREADS) as pool,
    ):
        results = list(
            pool.map(
                lambda n: publisher.publish(creds, variant(f"Post number {n}"), f"load-{n}"),
                range(POSTS),
            )
        )
    stats = network.stats()
    assert overlapped == [True, True], "the network answered one request at a time"
    assert len({result.network_post_id for result in results}) == POSTS
    assert len(stats["posts"]) == POSTS
    assert stats["duplicates"] == []
