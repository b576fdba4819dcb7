"""Benchmark: adapt and validate realistic master posts for every network.

    python -m bench.adapt [--posts 10000]

For each post, adaptation (mentions, links, hashtags, threads or shortening, tone) and
validation run for all networks in one process on one core, as the composer and the API
do. Prints variants per second and the per-post latency for all networks together
(median, p99, max), against the target of p99 under 5 ms. Then the largest text the
composer takes (100,000 characters) once per network: far too long for any thread, it
must still be adapted and refused quickly, against a target of a quarter second each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.corpus import CONTACTS, STYLE, generate_master_posts
from townsquare.content.adapt import MasterPost, adapt_post
from townsquare.content.profiles import target_profile
from townsquare.content.validate import VariantInput, validate_variant
from townsquare.networks.rules.loader import load_rules

TARGET_P99_MS = 5.0
LONG_TEXT_CHARS = 100_000
TARGET_LONG_TEXT_MS = 250.0


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def run(posts: int, seed: int) -> dict[str, float]:
    rules = load_rules()
    targets = [target_profile(r, key) for key, r in rules.items()]
    corpus = generate_master_posts(posts, seed=seed)
    # Warm the caches (regexes, rule objects) the way a running server has them warm.
    for master in corpus[:50]:
        adapt_post(master, targets, STYLE, CONTACTS)
    per_post: list[float] = []
    adapt_total = validate_total = 0.0
    errors = 0
    started = time.process_time()
    for master in corpus:
        t0 = time.perf_counter()
        variants = adapt_post(master, targets, STYLE, CONTACTS)
        t1 = time.perf_counter()
        for variant in variants:
            problems = validate_variant(
                VariantInput(
                    text=variant.text, parts=variant.parts if len(variant.parts) > 1 else ()
                ),
                rules[variant.network],
            )
            errors += sum(
                1 for p in problems if p.severity == "error" and p.code.startswith("text")
            )
        t2 = time.perf_counter()
        adapt_total += t1 - t0
        validate_total += t2 - t1
        per_post.append((t2 - t0) * 1000)
    cpu = time.process_time() - started
    per_post.sort()
    variants_done = posts * len(targets)
    return {
        "posts": posts,
        "networks": len(targets),
        "variants": variants_done,
        "cpu_seconds": cpu,
        "variants_per_second": variants_done / (adapt_total + validate_total),
        "median_ms": statistics.median(per_post),
        "p99_ms": percentile(per_post, 0.99),
        "max_ms": per_post[-1],
        "adapt_share": adapt_total / (adapt_total + validate_total),
        "text_errors_after_adaptation": errors,
    }


def long_text(seed: int) -> dict[str, tuple[float, int, str]]:
    """Per network: milliseconds to adapt and validate a 100,000-character text, the
    number of posts it makes, and the first error found."""
    rules = load_rules()
    text = " ".join(post.text for post in generate_master_posts(400, seed=seed))
    master = MasterPost(text[:LONG_TEXT_CHARS], language="de")
    results: dict[str, tuple[float, int, str]] = {}
    for key, network_rules in rules.items():
        target = target_profile(network_rules, key)
        started = time.perf_counter()
        (variant,) = adapt_post(master, [target], STYLE, CONTACTS)
        problems = validate_variant(
            VariantInput(text=variant.text, parts=variant.parts if variant.is_thread else ()),
            network_rules,
        )
        elapsed = (time.perf_counter() - started) * 1000
        first = next((p.message_en for p in problems if p.severity == "error"), "")
        results[key] = (elapsed, len(variant.parts), first)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=int(os.environ.get("BENCH_POSTS", 10_000)))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    result = run(args.posts, args.seed)
    print(
        f"adapt+validate: {result['posts']:,} master posts x {result['networks']} networks "
        f"= {result['variants']:,} variants, one process"
    )
    print(f"  throughput      {result['variants_per_second']:,.0f} variants/s")
    print(
        f"  per post (all networks together): median {result['median_ms']:.2f} ms, "
        f"p99 {result['p99_ms']:.2f} ms, max {result['max_ms']:.2f} ms"
    )
    ratio = result["p99_ms"] / TARGET_P99_MS
    print(f"  p99 / target    {ratio:.2f} (target p99 < {TARGET_P99_MS} ms)")
    share = result["adapt_share"]
    print(f"  time in adaptation {share:.0%}, in validation {1 - share:.0%}")
    print(f"  text errors left after adaptation: {result['text_errors_after_adaptation']}")
    long = long_text(args.seed)
    slowest = max(long, key=lambda key: long[key][0])
    print(f"a {LONG_TEXT_CHARS:,}-character text, adapted and validated once per network")
    print(
        f"  slowest {slowest}: {long[slowest][0]:.0f} ms for {long[slowest][1]} posts "
        f"(target < {TARGET_LONG_TEXT_MS:.0f} ms); all {len(long)} networks: "
        f"{sum(ms for ms, _parts, _error in long.values()):.0f} ms"
    )
    for key in ("x", "bluesky", "mastodon"):
        if key in long:
            print(f"  {key}: {long[key][0]:.0f} ms, {long[key][2] or 'no error'}")


if __name__ == "__main__":
    main()
