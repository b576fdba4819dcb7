"""Links per network: kept inline, shown as a card, or moved to the account's bio.

- `inline` (X, Mastodon, LinkedIn, ...): links stay; the network unfurls them itself and
  its length function already weighs them (23 on X and Mastodon). The post's main link is
  appended when the text does not contain it, so readers can click it.
- `card` (Bluesky): links stay in the text; the publisher attaches a card for the post's
  main link (or the first link in the text). Link facets come from the counting code.
- `bio` (Instagram, TikTok): caption links cannot be clicked. The first link is replaced
  in place by the hint ("Link in bio" / "Link in der Bio", in the post's language), any
  further link is removed, and the author is reminded to point the bio at the main link.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from townsquare.content.adapting import notes
from townsquare.content.adapting.model import Change, Language, LinkMode
from townsquare.content.adapting.parsed import Edit, ParsedMaster

BIO_HINTS: dict[Language, str] = {"de": "Link in der Bio", "en": "Link in bio"}
_AFTER_REMOVED_LINK = ("", " ", "\n", ".", ",", "!", "?")


@dataclass(frozen=True, slots=True)
class HandledLinks:
    """Edits to the master's links, plus what must follow the text (kept when shortening)."""

    edits: tuple[Edit, ...]
    appendix: str
    changes: tuple[Change, ...]
    warnings: tuple[Change, ...]
    card_url: str | None = None
    bio_url: str | None = None


def handle_links(
    parsed: ParsedMaster,
    link_url: str | None,
    mode: LinkMode,
    language: Language,
    network: str,
    account_label: str,
) -> HandledLinks:
    text = parsed.text
    urls = [text[start:end] for start, end in parsed.urls]
    main_url = link_url or (urls[0] if urls else None)
    if main_url is None:
        return HandledLinks((), "", (), ())
    if mode == "card":
        return HandledLinks((), "", (notes.link_card(main_url),), (), card_url=main_url)
    if mode == "inline":
        if link_url and not _contains(urls, link_url):
            return HandledLinks((), link_url, (notes.link_appended(link_url, network),), ())
        return HandledLinks((), "", (), ())
    return _move_to_bio(parsed, main_url, language, network, account_label)


def _contains(urls: list[str], wanted: str) -> bool:
    wanted_key = _comparable(wanted)
    return any(_comparable(url) == wanted_key for url in urls)


@lru_cache(maxsize=1024)
def _comparable(url: str) -> str:
    # "https://shop.example/" and "shop.example" are the same link to a reader.
    key = url.casefold().removeprefix("https://").removeprefix("http://")
    return key.removeprefix("www.").rstrip("/")


def _move_to_bio(
    parsed: ParsedMaster,
    main_url: str,
    language: Language,
    network: str,
    account_label: str,
) -> HandledLinks:
    hint = BIO_HINTS.get(language, BIO_HINTS["en"])
    changes: list[Change] = []
    warnings: list[Change] = [notes.bio_link_reminder(main_url, account_label)]
    if not parsed.urls:
        changes.append(notes.link_hint_added(hint))
        return HandledLinks((), hint, tuple(changes), tuple(warnings), bio_url=main_url)
    text = parsed.text
    edits: list[Edit] = []
    unreachable: list[str] = []
    for number, (start, end) in enumerate(parsed.urls):
        url = text[start:end]
        if number == 0:
            edits.append(Edit(start, end, hint))
            changes.append(notes.link_replaced_by_hint(url, hint, network))
        else:
            # Take the space before the link along, so no double space is left behind.
            space_before = text[start - 1 : start] in (" ", "\t")
            if space_before and text[end : end + 1] in _AFTER_REMOVED_LINK:
                start -= 1
            edits.append(Edit(start, end, ""))
            changes.append(notes.link_removed(url, network))
        if _comparable(url) != _comparable(main_url) and url not in unreachable:
            unreachable.append(url)
    if unreachable:
        warnings.append(notes.several_links_for_bio(unreachable))
    return HandledLinks(tuple(edits), "", tuple(changes), tuple(warnings), bio_url=main_url)
