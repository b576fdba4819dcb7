"""A worker that asks for one key as fast as it can, for the concurrency tests.

    python -m townsquare.ratelimits.tests.hammer --backend db --key K --limit 20 \
        --per 0.5 --seconds 3 [--pause S] [--redis-url URL --prefix P]

Prints "ready" once connected and reads the start time (epoch seconds) from stdin, so
that all workers begin together whatever their start-up time. Then calls acquire() in a
loop until `--seconds` have passed, and prints one JSON object: the times of its grants
and of its refusals with the wait it was told (epoch ms, the `now` it passed). The
database backend uses DATABASE_URL from the environment.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("db", "redis"), required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--limit", type=int, required=True)
    parser.add_argument("--per", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    # Seconds to rest after a grant, as a worker would while it sends the post.
    parser.add_argument("--pause", type=float, default=0.0)
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--prefix", default="")
    args = parser.parse_args()

    from townsquare.ratelimits.window import Rate, to_ms

    if args.backend == "db":
        import django

        django.setup()
        from django.db import connection

        from townsquare.ratelimits.db_backend import DatabaseBackend

        # Connect before the start, so that the first round is not slowed by it.
        connection.ensure_connection()
        backend: Any = DatabaseBackend()
    else:
        from townsquare.ratelimits.redis_backend import RedisBackend

        backend = RedisBackend(args.redis_url, prefix=args.prefix)
        backend.ping()

    rate = Rate(args.limit, args.per)
    limits = [(args.key, rate)]
    grants: list[int] = []
    refusals: list[tuple[int, int]] = []
    # Tell the test we are ready, and begin when it says (all workers at once).
    print("ready", flush=True)
    start = float(sys.stdin.readline())
    time.sleep(max(0.0, start - time.time()))
    end = start + args.seconds
    while True:
        # The time is taken before the call: the guarantee is about these times, and
        # taking it first is the least favourable order for the limiter.
        now = time.time()
        if now >= end:
            break
        wait = backend.acquire_all(limits, now)
        if wait:
            refusals.append((to_ms(now), round(wait * 1000)))
            # Come back much sooner than told, to hammer the shared window.
            time.sleep(min(wait, 0.003))
        else:
            grants.append(to_ms(now))
            time.sleep(args.pause)
    print(json.dumps({"grants": grants, "refusals": refusals}))


if __name__ == "__main__":
    main()
