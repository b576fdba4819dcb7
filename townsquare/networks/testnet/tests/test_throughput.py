"""Throughput smoke test: the network keeps up with a busy engine (2,000 posts a minute)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from townsquare.networks.testnet.connector import TestNetPublisher
from townsquare.networks.testnet.tests.support import variant

POSTS = 200
THREADS = 20
LATENCY_MS = 50


def test_200_posts_with_50_ms_latency_from_20_threads_finish_well_under_10_seconds(network, creds):
    network.set_faults(latency_ms=LATENCY_MS)
    with TestNetPublisher(read_timeout=5) as publisher, ThreadPoolExecutor(THREADS) as pool:
        started = time.monotonic()
        results = list(
            pool.map(
                lambda n: publisher.publish(creds, variant(f"Post number {n}"), f"load-{n}"),
                range(POSTS),
            )
        )
        elapsed = time.monotonic() - started
    stats = network.stats()
    assert len({result.network_post_id for result in results}) == POSTS
    assert len(stats["posts"]) == POSTS
    assert stats["duplicates"] == []
    # One at a time this would take POSTS * 50 ms = 10 s; 200 posts in 6 s is 2,000 a minute.
    assert elapsed < 6, f"{POSTS} posts took {elapsed:.1f} s"
