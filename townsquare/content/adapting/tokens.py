"""Recognising links, hashtags and emoji in post text, compiled once at import."""

from __future__ import annotations

import regex

# An explicit link: a scheme or "www.", up to whitespace or characters that never belong
# to a URL in running text. Trailing punctuation is trimmed afterwards (see find_urls).
_URL_RE = regex.compile(r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"“”‘’«»]+", regex.IGNORECASE)
_URL_TRAILING = ".,;:!?'…*_"
_URL_CLOSERS = {")": "(", "]": "[", "}": "{"}

# A hashtag: "#" not glued to a word, an "&" (HTML entities) or another "#", followed by
# letters, digits and underscores with at least one letter ("#1" is not a hashtag).
HASHTAG_RE = regex.compile(r"(?<![\w&#/])#(\w*[^\W\d_]\w*)")
HASHTAG_BODY_RE = regex.compile(r"\w*[^\W\d_]\w*")

# One emoji as people see it: a flag (two regional indicators), a keycap, or a pictograph
# shown as emoji with its modifiers, tag sequences and ZWJ-joined followers.
_EMOJI_RE = regex.compile(
    r"\p{RI}\p{RI}"
    r"|[#*0-9]\uFE0F?\u20E3"
    r"|(?:\p{Emoji_Presentation}|\p{ExtPict}\uFE0F)"
    r"[\p{EMod}\uFE0F\U000E0020-\U000E007F]*+"
    r"(?:\u200D\p{ExtPict}[\p{EMod}\uFE0F]*+)*+"
)
# Every emoji contains a character from one of these blocks (or a keycap); a text without
# any of them skips the emoji pattern entirely, which keeps plain posts cheap.
_MAYBE_EMOJI_RE = regex.compile(r"[\u00a9\u00ae\u203c-\u3299\U0001F000-\U0001FAFF\u20E3]")


def find_urls(text: str) -> list[tuple[int, int]]:
    """Spans of the explicit links in `text`, without the punctuation that ends a sentence."""
    if "http" not in text and "www." not in text.casefold():
        return []
    spans: list[tuple[int, int]] = []
    for match in _URL_RE.finditer(text):
        start, end = match.span()
        end = _trim_url_end(text, start, end)
        if end - start > 4:
            spans.append((start, end))
    return spans


def _trim_url_end(text: str, start: int, end: int) -> int:
    # "(see https://x.de/a)" ends before ")", but "https://de.wikipedia.org/wiki/Foo_(Bar)"
    # keeps its balanced parenthesis.
    while end > start:
        last = text[end - 1]
        if last in _URL_TRAILING:
            end -= 1
        elif last in _URL_CLOSERS:
            opener = _URL_CLOSERS[last]
            if text.count(opener, start, end) < text.count(last, start, end):
                end -= 1
            else:
                break
        else:
            break
    return end


def normalise_hashtag(raw: str) -> str | None:
    """The tag without "#" ("#Kaffee" and "Kaffee" give "Kaffee"); None if it cannot be one."""
    body = raw.strip().removeprefix("#")
    return body if HASHTAG_BODY_RE.fullmatch(body) else None


def count_emoji(text: str) -> int:
    if not _MAYBE_EMOJI_RE.search(text):
        return 0
    return len(_EMOJI_RE.findall(text))
