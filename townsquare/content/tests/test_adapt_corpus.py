"""The benchmark corpus is deterministic and realistic, and the engine handles all of it."""

from __future__ import annotations

import regex

from bench.corpus import CONTACTS, MAX_LENGTH, MIN_LENGTH, STYLE, generate_master_posts
from townsquare.content.adapt import adapt_post, rejoin_thread
from townsquare.content.tests.test_adapt_support import graphemes, target, url_counts_23, utf8_bytes

FLAG_RE = regex.compile(r"\p{RI}\p{RI}")


def test_the_same_seed_gives_the_same_posts_and_another_seed_other_posts():
    assert generate_master_posts(200, seed=7) == generate_master_posts(200, seed=7)
    assert generate_master_posts(50, seed=7) != generate_master_posts(50, seed=8)


def test_posts_run_from_40_to_2000_characters_in_german_and_english():
    posts = generate_master_posts(1000)
    lengths = [len(post.text) for post in posts]

    assert min(lengths) >= MIN_LENGTH
    assert max(lengths) <= MAX_LENGTH
    assert sum(length > 1500 for length in lengths) > 50
    assert sum(length < 280 for length in lengths) > 200
    assert {post.language for post in posts} == {"de", "en"}


def test_posts_carry_links_mentions_hashtags_and_complex_emoji():
    texts = [post.text for post in generate_master_posts(1000)]

    assert sum("https://" in text for text in texts) > 200
    assert sum("@[" in text for text in texts) > 300
    assert sum("#" in text for text in texts) > 300
    assert sum("\u200d" in text for text in texts) > 100  # ZWJ sequences
    assert sum(bool(FLAG_RE.search(text)) for text in texts) > 50
    assert any("\U0001f3fd" in text for text in texts)  # a skin tone modifier


def test_the_engine_adapts_the_corpus_into_valid_variants_for_simple_counters():
    targets = [
        target("x", 280, url_counts_23, threads=True, hashtag_recommended=2),
        target("bluesky", 300, graphemes, threads=True, link_mode="card"),
        target("mastodon", 500, url_counts_23, threads=True),
        target("threads", 500, utf8_bytes, threads=True, max_parts=5),
        target("instagram", 2200, len, hashtag_cap=30, link_mode="bio"),
        target("pinterest", 800, len),
        target(
            "linkedin", 3000, len, hashtag_recommended=5, mention_template="@[{name}]({handle})"
        ),
    ]

    for post in generate_master_posts(300, seed=11):
        for variant in adapt_post(post, targets, STYLE, CONTACTS):
            assert variant.fits, (variant.network, variant.lengths)
            assert rejoin_thread(variant.parts, variant.joints) == variant.text
            if variant.network != "linkedin":
                assert "@[" not in variant.text
