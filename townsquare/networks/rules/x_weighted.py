"""X's weighted post length (twitter-text configuration v3, and v2 for the conformance suite).

The text is NFC-normalised. Each URL weighs `transformed_url_length` (23); with emoji parsing
each emoji sequence (ZWJ sequences and flags included) weighs the default weight; every other
code point weighs 1 inside the light ranges and 2 outside. Weights are kept in hundredths as
twitter-text does (scale 100), and all index results are UTF-16 code units like twitter-text's,
so they can be compared with its conformance files and used by a browser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from townsquare.networks.rules.text_units import emoji_spans, utf16_length
from townsquare.networks.rules.urls import UrlMatch, extract_urls


@dataclass(frozen=True, slots=True)
class XCountingConfig:
    """The numbers of a twitter-text configuration file (config/v2.json, config/v3.json)."""

    max_weighted_length: int = 280
    scale: int = 100
    default_weight: int = 200
    transformed_url_length: int = 23
    emoji_parsing: bool = True
    # (first code point, last code point, weight); everything else weighs `default_weight`.
    ranges: tuple[tuple[int, int, int], ...] = (
        (0, 4351, 100),
        (8192, 8205, 100),
        (8208, 8223, 100),
        (8242, 8247, 100),
    )


X_CONFIG_V3 = XCountingConfig()
X_CONFIG_V2 = XCountingConfig(emoji_parsing=False)

# Code points twitter-text treats as invalid in a post (byte order marks, non-characters).
_INVALID_CHARS = frozenset("\ufffe\ufeff\uffff")


@dataclass(frozen=True, slots=True)
class XTextResult:
    """Like twitter-text's parseTweet: ranges are inclusive UTF-16 indices."""

    weighted_length: int
    valid: bool
    permillage: int
    valid_range_start: int
    valid_range_end: int
    display_range_start: int
    display_range_end: int
    # First code point index (in the text as given) that no longer fits, or None if all fits.
    overflow_index: int | None


def x_weighted_length(text: str, config: XCountingConfig = X_CONFIG_V3) -> int:
    """The length X counts for `text` (280 is the limit for most accounts)."""
    normalized = unicodedata.normalize("NFC", text)
    return _scaled_weight(normalized, config)[0] // config.scale


def _heavy_runs(config: XCountingConfig) -> re.Pattern[str]:
    """Runs of code points outside every range, i.e. weighing the default."""
    parts = "".join(
        f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last, _ in config.ranges
    )
    return re.compile(f"[^{parts}]+")


# (weight of every code point inside the ranges, runs outside them, whether all of ASCII is
# inside) for configurations whose ranges all weigh the same, as every published one does;
# None for the others.
type _Uniform = tuple[int, re.Pattern[str], bool] | None
_UNIFORM: dict[tuple[tuple[int, int, int], ...], _Uniform] = {}


def _uniform(config: XCountingConfig) -> _Uniform:
    try:
        return _UNIFORM[config.ranges]
    except KeyError:
        weights = {weight for _, _, weight in config.ranges}
        heavy_pattern = _heavy_runs(config)
        ascii_light = heavy_pattern.search("".join(map(chr, range(128)))) is None
        found = (weights.pop(), heavy_pattern, ascii_light) if len(weights) == 1 else None
        _UNIFORM[config.ranges] = found
        return found


def _code_point_weight(code_point: int, config: XCountingConfig) -> int:
    if code_point <= config.ranges[0][1] and config.ranges[0][0] == 0:
        return config.ranges[0][2]  # most text sits in the first range: answer it first
    for first, last, weight in config.ranges:
        if first <= code_point <= last:
            return weight
    return config.default_weight


def parse_x_text(text: str, config: XCountingConfig = X_CONFIG_V3) -> XTextResult:
    """Weighted length, validity and the valid range of `text`, per twitter-text."""
    normalized = unicodedata.normalize("NFC", text)
    max_scaled = config.max_weighted_length * config.scale
    total, urls, emojis = _scaled_weight(normalized, config)
    has_invalid = _has_invalid(normalized)
    if total <= max_scaled and not has_invalid:
        fitting_end, overflow = len(normalized), None
    else:
        fitting_end, overflow = _walk(normalized, urls, emojis, config)
    # twitter-text records the UTF-16 index of the last unit of the last entity that fits,
    # then shifts it by how many units NFC normalisation removed.
    units = utf16_length(text)
    normalized_units = units if normalized is text else utf16_length(normalized)
    if fitting_end == len(normalized):
        fitting_units = normalized_units
    else:
        fitting_units = utf16_length(normalized[:fitting_end])
    valid_end = fitting_units - 1 if fitting_end else 0
    shift = units - normalized_units
    weighted_length = total // config.scale
    shrink = len(text) - len(normalized)
    return XTextResult(
        weighted_length=weighted_length,
        valid=not has_invalid and 0 < total <= max_scaled,
        permillage=(weighted_length * 1000) // config.max_weighted_length,
        valid_range_start=0,
        valid_range_end=max(valid_end, 0) + shift,
        display_range_start=0,
        display_range_end=max(units - 1, 0),
        overflow_index=None if overflow is None else min(overflow + shrink, len(text)),
    )


def _has_invalid(text: str) -> bool:
    return not text.isascii() and ("\ufeff" in text or "\ufffe" in text or "\uffff" in text)


def _scaled_weight(
    text: str, config: XCountingConfig
) -> tuple[int, tuple[UrlMatch, ...], tuple[tuple[int, int], ...]]:
    """(total weight in hundredths, URLs, emoji).

    Light code points are counted in C from the runs of heavy ones; then URLs and emoji
    replace the weight of the code points they cover.
    """
    uniform = _uniform(config)
    if uniform is None:
        return _scaled_weight_by_code_point(text, config)
    light, heavy_pattern, ascii_light = uniform
    ascii_only = ascii_light and text.isascii()
    heavy = 0 if ascii_only else sum(map(len, heavy_pattern.findall(text)))
    total = (len(text) - heavy) * light + heavy * config.default_weight
    urls = extract_urls(text)
    emojis = emoji_spans(text) if config.emoji_parsing else ()
    if not urls and not emojis:
        return total, urls, emojis
    return _with_entities(text, total, urls, emojis, config), urls, emojis


def _scaled_weight_by_code_point(
    text: str, config: XCountingConfig
) -> tuple[int, tuple[UrlMatch, ...], tuple[tuple[int, int], ...]]:
    """The same for configurations whose ranges weigh differently: code point by code point."""
    urls = extract_urls(text)
    emojis = emoji_spans(text) if config.emoji_parsing else ()
    total = _plain_weight(text, 0, len(text), config)
    return _with_entities(text, total, urls, emojis, config), urls, emojis


def _with_entities(
    text: str,
    total: int,
    urls: tuple[UrlMatch, ...],
    emojis: tuple[tuple[int, int], ...],
    config: XCountingConfig,
) -> int:
    """`total` with each URL and emoji weighing as one entity."""
    for url in urls:
        total += config.transformed_url_length * config.scale - _plain_weight(
            text, url.start, url.end, config
        )
    for start, end in emojis:
        if urls and any(url.start <= start < url.end for url in urls):
            continue  # twitter-text walks the text once; an emoji inside a URL is part of it
        total += config.default_weight - _plain_weight(text, start, end, config)
    return total


def _plain_weight(text: str, start: int, end: int, config: XCountingConfig) -> int:
    uniform = _uniform(config)
    if uniform is not None:
        light, heavy_pattern, _ = uniform
        heavy = sum(map(len, heavy_pattern.findall(text, start, end)))
        return (end - start - heavy) * light + heavy * config.default_weight
    return sum(_code_point_weight(ord(char), config) for char in text[start:end])


def _walk(
    text: str,
    urls: tuple[UrlMatch, ...],
    emojis: tuple[tuple[int, int], ...],
    config: XCountingConfig,
) -> tuple[int, int | None]:
    """Walk entity by entity: (end of the last entity that fits, start of the first that not)."""
    url_at = {url.start: url.end for url in urls}
    emoji_at = dict(emojis)
    max_scaled = config.max_weighted_length * config.scale
    weight = 0
    fitting_end = 0
    overflow: int | None = None
    index = 0
    while index < len(text):
        start = index
        if start in url_at:
            weight += config.transformed_url_length * config.scale
            index = url_at[start]
        elif start in emoji_at:
            weight += config.default_weight
            index = emoji_at[start]
        else:
            weight += _code_point_weight(ord(text[start]), config)
            index = start + 1
        if text[index - 1] in _INVALID_CHARS or weight > max_scaled:
            overflow = start
            break  # once invalid or too long, nothing after it becomes valid again
        fitting_end = index
    return fitting_end, overflow
