"""Simple length functions and builders shared by the adaptation tests.

The tests never use the network rules: plain `len`, a counter where every link weighs 23
(as on X and Mastodon), UTF-8 bytes and grapheme clusters stand in for the real counters.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import regex

from townsquare.content.adapt import LinkMode, TargetProfile

_LINK_RE = re.compile(r"https?://\S+")
_GRAPHEME_RE = regex.compile(r"\X")


def url_counts_23(text: str) -> int:
    return len(_LINK_RE.sub("x" * 23, text))


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def graphemes(text: str) -> int:
    return len(_GRAPHEME_RE.findall(text))


def target(
    network: str = "x",
    max_length: int = 280,
    length: Callable[[str], int] = len,
    *,
    threads: bool = False,
    max_parts: int | None = None,
    hashtag_cap: int | None = None,
    hashtag_recommended: int | None = None,
    link_mode: LinkMode = "inline",
    account_label: str = "@brand",
    mention_template: str = "{handle}",
    adds_up: bool = False,
) -> TargetProfile:
    return TargetProfile(
        network=network,
        account_label=account_label,
        max_length=max_length,
        length=length,
        supports_threads=threads,
        max_thread_parts=max_parts,
        hashtag_cap=hashtag_cap,
        hashtag_recommended=hashtag_recommended,
        link_mode=link_mode,
        mention_template=mention_template,
        length_adds_up=adds_up,
    )


def codes(changes: tuple[object, ...]) -> list[str]:
    return [str(getattr(change, "code", "")) for change in changes]
