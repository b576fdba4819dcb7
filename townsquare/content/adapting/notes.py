"""Every change and warning the engine can report, in English and German, in one place.

Keeping the texts together keeps the two languages in step and the codes stable; the
rest of the engine only calls these functions. Changes are immutable, so the notes about
names and handles (the same few for every network of every post) are made once; notes
about a post's links are not kept, as the next post has other links.
"""

from __future__ import annotations

from functools import lru_cache

from townsquare.content.adapting.model import Change
from townsquare.content.adapting.plurals import EMOJI, HASHTAG, POST

_NETWORK_NAMES = {
    "x": "X",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "threads": "Threads",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "pinterest": "Pinterest",
    "telegram": "Telegram",
    "discord": "Discord",
    "matrix": "Matrix",
    "reddit": "Reddit",
}


@lru_cache(maxsize=1024)
def network_name(network: str) -> str:
    return _NETWORK_NAMES.get(network, network.replace("_", " ").title())


def _tags(hashtags: list[str]) -> str:
    return " ".join(f"#{tag}" for tag in hashtags)


def _words_en(words: list[str]) -> str:
    return ", ".join(f"“{word}”" for word in words)


def _words_de(words: list[str]) -> str:
    return ", ".join(f"„{word}“" for word in words)


def _quote(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return f"„{flat[:limit]}…“" if len(flat) > limit else f"„{flat}“"


# The notes that only fill in names, addresses, numbers and words: code -> (English, German),
# filled in by _note. {where} is the network's name, {tags} the hashtags with their signs,
# {words} the words quoted as each language quotes.
_TEXTS: dict[str, tuple[str, str]] = {
    "mention_mapped": (
        "Mentioned {name} as {handle} on {where}.",
        "{name} wird auf {where} als {handle} erwähnt.",
    ),
    "mention_without_handle": (
        (
            "{name} has no {where} handle in the contact book; the name is written out instead, "
            "without a mention."
        ),
        "{name} hat im Adressbuch kein Konto auf {where}; der Name steht ohne Erwähnung im Text.",
    ),
    "mention_unknown": (
        "{name} is not in the contact book; the name is written out instead, without a mention.",
        "{name} steht nicht im Adressbuch; der Name steht ohne Erwähnung im Text.",
    ),
    "mention_syntax_left": (
        "@[{name}] is contact-book syntax and would be published literally.",
        "@[{name}] ist eine Adressbuch-Erwähnung und würde wörtlich veröffentlicht.",
    ),
    "link_card": (
        "A link card for {url} will be attached to the post.",
        "Eine Linkvorschau für {url} wird an den Beitrag angehängt.",
    ),
    "link_appended": (
        "Added the post's link {url} at the end so that it can be clicked on {where}.",
        "Den Link des Beitrags {url} am Ende angefügt, damit er auf {where} anklickbar ist.",
    ),
    "link_replaced_by_hint": (
        "Replaced {url} with “{hint}”: links in {where} captions cannot be clicked.",
        "{url} durch „{hint}“ ersetzt: Links in {where}-Beschreibungen sind nicht anklickbar.",
    ),
    "link_removed": (
        "Removed {url}: links in {where} captions cannot be clicked.",
        "{url} entfernt: Links in {where}-Beschreibungen sind nicht anklickbar.",
    ),
    "link_hint_added": (
        "Added “{hint}” so that readers find the link.",
        "„{hint}“ ergänzt, damit Leser den Link finden.",
    ),
    "bio_link_reminder": (
        "Make sure the link in the bio of {account} points to {url} when this goes out.",
        (
            "Bitte prüfen Sie, dass der Link in der Bio von {account} zur Veröffentlichung auf "
            "{url} zeigt."
        ),
    ),
    "link_left_in_caption": (
        "{url} cannot be clicked in a {where} caption.",
        "{url} ist in einer {where}-Beschreibung nicht anklickbar.",
    ),
    "hashtags_removed_by_policy": (
        "Removed the hashtag signs of {tags}: the plan says to use no hashtags.",
        "Hashtag-Zeichen von {tags} entfernt: Der Plan sieht keine Hashtags vor.",
    ),
    "hashtags_for_length": (
        "Left out {tags} so that the text fits.",
        "{tags} weggelassen, damit der Text passt.",
    ),
    "hashtag_invalid": (
        "“{raw}” cannot be a hashtag (letters, digits and _ only, at least one letter).",
        (
            "„{raw}“ kann kein Hashtag sein (nur Buchstaben, Ziffern und _, mindestens ein "
            "Buchstabe)."
        ),
    ),
    "hashtag_set_unknown": (
        "There is no hashtag set called “{name}”.",
        "Es gibt kein Hashtag-Set namens „{name}“.",
    ),
    "word_broken": (
        "A word or link was longer than one post and had to be broken in the middle.",
        "Ein Wort oder Link war länger als ein Beitrag und musste mittendrin geteilt werden.",
    ),
    "limit_too_small": (
        "A limit of {limit} leaves no room to split the text for {where}.",
        "Ein Limit von {limit} lässt keinen Platz, den Text für {where} zu teilen.",
    ),
    "part_too_long": (
        "Post {index} counts {counted}; {where} allows {limit}.",
        "Beitrag {index} zählt {counted}; {where} erlaubt {limit}.",
    ),
    "master_changed_since_edit": (
        (
            "The master text changed after this variant was edited by hand; the variant was kept "
            "as it is. Compare them before publishing."
        ),
        (
            "Der Haupttext wurde geändert, nachdem diese Variante von Hand bearbeitet wurde; die "
            "Variante bleibt unverändert. Bitte vergleichen Sie beide vor der Veröffentlichung."
        ),
    ),
    "prefer_word_instead": (
        "The plan prefers “{preferred}” to “{found}”.",
        "Der Plan bevorzugt „{preferred}“ statt „{found}“.",
    ),
    "address_informal_in_formal": (
        "The plan says to address readers formally (Sie), but the text uses {words}.",
        "Der Plan sieht „Sie“ vor, der Text verwendet aber {words}.",
    ),
    "address_formal_in_informal": (
        "The plan says to address readers informally (du), but the text uses {words}.",
        "Der Plan sieht „du“ vor, der Text verwendet aber {words}.",
    ),
    "banned_word": (
        "The plan says to avoid these words: {words}.",
        "Diese Wörter sollen laut Plan vermieden werden: {words}.",
    ),
    "formality_informal_address": (
        (
            "The plan's tone is formal and sets no form of address; formal German copy says “Sie”, "
            "but the text uses {words}. If “du” is meant, set the form of address in the plan."
        ),
        (
            "Der Plan sieht einen förmlichen Ton vor und legt keine Anrede fest; förmliche Texte "
            "siezen, der Text verwendet aber {words}. Ist „du“ gewollt, legen Sie die Anrede im "
            "Plan fest."
        ),
    ),
    "formality_formal_address": (
        (
            "The plan's tone is casual and sets no form of address; casual German copy usually "
            "says “du”, but the text uses {words}. If “Sie” is meant, set the form of address in "
            "the plan."
        ),
        (
            "Der Plan sieht einen lockeren Ton vor und legt keine Anrede fest; lockere Texte duzen "
            "meist, der Text verwendet aber {words}. Ist „Sie“ gewollt, legen Sie die Anrede im "
            "Plan fest."
        ),
    ),
    "formality_colloquial": (
        "The plan's tone is formal, but the text uses colloquial words: {words}.",
        (
            "Der Plan sieht einen förmlichen Ton vor, der Text verwendet aber umgangssprachliche "
            "Wörter: {words}."
        ),
    ),
    "formality_contractions": (
        (
            "The plan's tone is formal; contractions and slang such as {words} read as casual. "
            "Consider writing them out."
        ),
        (
            "Der Plan sieht einen förmlichen Ton vor; Kurzformen und Umgangssprache wie {words} "
            "wirken locker. Schreiben Sie sie eventuell aus."
        ),
    ),
    "prefer_words_unused": (
        "The plan lists words to prefer ({words}); the text uses none of them.",
        "Der Plan nennt bevorzugte Wörter ({words}); der Text verwendet keines davon.",
    ),
}


def _note(code: str, **values: object) -> Change:
    """The note `code` of _TEXTS in both languages; a `network` also fills in {where},
    `hashtags` {tags}, and a list of `words` {words}."""
    if "network" in values:
        values["where"] = network_name(str(values["network"]))
    if "hashtags" in values:
        values["tags"] = _tags(values["hashtags"])  # type: ignore[arg-type]
    words: list[str] = values.pop("words", [])  # type: ignore[assignment]
    english, german = _TEXTS[code]
    return Change(
        code,
        english.format(**values, words=_words_en(words)),
        german.format(**values, words=_words_de(words)),
    )


# Mentions


@lru_cache(maxsize=1024)
def mention_mapped(name: str, handle: str, network: str) -> Change:
    return _note("mention_mapped", name=name, handle=handle, network=network)


@lru_cache(maxsize=1024)
def mention_without_handle(name: str, network: str) -> Change:
    return _note("mention_without_handle", name=name, network=network)


@lru_cache(maxsize=1024)
def mention_unknown(name: str) -> Change:
    return _note("mention_unknown", name=name)


def mention_syntax_left(name: str) -> Change:
    return _note("mention_syntax_left", name=name)


# Links


def link_card(url: str) -> Change:
    return _note("link_card", url=url)


def link_appended(url: str, network: str) -> Change:
    return _note("link_appended", url=url, network=network)


def link_replaced_by_hint(url: str, hint: str, network: str) -> Change:
    return _note("link_replaced_by_hint", url=url, hint=hint, network=network)


def link_removed(url: str, network: str) -> Change:
    return _note("link_removed", url=url, network=network)


@lru_cache(maxsize=1024)
def link_hint_added(hint: str) -> Change:
    return _note("link_hint_added", hint=hint)


def bio_link_reminder(url: str, account: str) -> Change:
    return _note("bio_link_reminder", url=url, account=account)


def several_links_for_bio(urls: list[str]) -> Change:
    listed = ", ".join(urls)
    return Change(
        "several_links_for_bio",
        f"A bio holds one link; these links are not reachable from this post: {listed}.",
        f"Eine Bio enthält nur einen Link; diese Links sind über den Beitrag nicht "
        f"erreichbar: {listed}.",
    )


def link_left_in_caption(url: str, network: str) -> Change:
    return _note("link_left_in_caption", url=url, network=network)


# Hashtags


def hashtags_added(hashtags: list[str], source: str) -> Change:
    return Change(
        "hashtags_added",
        f"Added {_tags(hashtags)} at the end ({source}).",
        f"{_tags(hashtags)} am Ende ergänzt ({_source_de(source)}).",
    )


def _source_de(source: str) -> str:
    if source == "post hashtags":
        return "Hashtags des Beitrags"
    return source.replace("hashtag set", "Hashtag-Set")


def hashtags_moved_to_end(hashtags: list[str]) -> Change:
    return Change(
        "hashtags_moved_to_end",
        f"Moved {_tags(hashtags)} to the end, as the plan says: "
        f"{'it stands' if len(hashtags) == 1 else 'they stand'} apart from the sentences.",
        f"{_tags(hashtags)} ans Ende verschoben, wie es der Plan vorsieht, denn "
        f"{'dieser Hashtag steht' if len(hashtags) == 1 else 'diese Hashtags stehen'} für "
        "sich, nicht in einem Satz.",
    )


def hashtags_kept_in_sentence(hashtags: list[str]) -> Change:
    tags = _tags(hashtags)
    if len(hashtags) == 1:
        en = f"{tags} is a word of the sentence, so it stays where it is"
        de = f"{tags} bleibt an seiner Stelle, denn er ist ein Wort des Satzes"
    else:
        en = f"{tags} are words of the sentence, so they stay where they are"
        de = f"{tags} bleiben an ihrer Stelle, denn sie sind Wörter des Satzes"
    return Change(
        "hashtags_kept_in_sentence",
        f"{en}; only hashtags standing apart from the text move to the end.",
        f"{de}; nur Hashtags, die für sich stehen, kommen ans Ende.",
    )


def hashtags_removed_by_policy(hashtags: list[str]) -> Change:
    return _note("hashtags_removed_by_policy", hashtags=hashtags)


def hashtags_over_cap(hashtags: list[str], cap: int, reason_en: str, reason_de: str) -> Change:
    return Change(
        "hashtags_over_cap",
        f"Left out {_tags(hashtags)}: at most {HASHTAG.counted_en(cap)} ({reason_en}).",
        f"{_tags(hashtags)} weggelassen: höchstens {HASHTAG.counted_de(cap)} ({reason_de}).",
    )


def hashtags_for_length(hashtags: list[str]) -> Change:
    return _note("hashtags_for_length", hashtags=hashtags)


def hashtags_for_thread(hashtags: list[str]) -> Change:
    one = len(hashtags) == 1
    return Change(
        "hashtags_for_thread",
        f"Left out {_tags(hashtags)}: {'it did' if one else 'they did'} not fit beside the "
        "text of the last post of the thread, and a post of hashtags alone says nothing.",
        f"{_tags(hashtags)} weggelassen: Neben dem Text des letzten Beitrags im Thread war "
        f"kein Platz mehr für {'ihn' if one else 'sie'}, und ein Beitrag nur aus Hashtags "
        "sagt nichts.",
    )


def hashtags_too_many(count: int, cap: int, network: str) -> Change:
    where = network_name(network)
    return Change(
        "hashtags_too_many",
        f"The text has {HASHTAG.counted_en(count)}; {where} allows at most "
        f"{HASHTAG.counted_en(cap)}.",
        f"Der Text hat {HASHTAG.counted_de(count)}; {where} erlaubt höchstens "
        f"{HASHTAG.counted_de(cap)}.",
    )


def hashtag_invalid(raw: str) -> Change:
    return _note("hashtag_invalid", raw=raw)


def hashtag_set_unknown(name: str) -> Change:
    return _note("hashtag_set_unknown", name=name)


# Fitting the text into the network's limit


def thread_split(parts: int, counted: int, limit: int, network: str) -> Change:
    where = network_name(network)
    # Dative plural in German: "aus 3 Beiträgen" (a thread always has two posts or more).
    return Change(
        "thread_split",
        f"Split into a thread of {POST.counted_en(parts)} numbered 1/{parts} to "
        f"{parts}/{parts}: the text counts {counted} and {where} allows {limit} per post.",
        f"In einen Thread aus {parts} Beiträgen geteilt, nummeriert 1/{parts} bis "
        f"{parts}/{parts}: Der Text zählt {counted}, {where} erlaubt {limit} pro Beitrag.",
    )


def word_broken() -> Change:
    return _note("word_broken")


def text_shortened(cut: str, counted: int, limit: int, network: str) -> Change:
    where = network_name(network)
    how_en = "after the last complete sentence" if cut == "sentence" else "with an ellipsis"
    how_de = "nach dem letzten vollständigen Satz" if cut == "sentence" else "mit Auslassung"
    return Change(
        "text_shortened",
        f"Shortened {how_en}: the text counts {counted} and {where} allows {limit} "
        "without threads.",
        f"Gekürzt {how_de}: Der Text zählt {counted}, {where} erlaubt {limit} und "
        "kennt keine Threads.",
    )


def content_cut(dropped: str) -> Change:
    return Change(
        "content_cut",
        f"This text is missing from the variant: {_quote(dropped)}. Shorten the master or "
        "edit this variant.",
        f"Dieser Text fehlt in der Variante: {_quote(dropped)}. Kürzen Sie den Haupttext "
        "oder bearbeiten Sie diese Variante.",
    )


def limit_too_small(limit: int, network: str) -> Change:
    return _note("limit_too_small", limit=limit, network=network)


def part_too_long(index: int, counted: int, limit: int, network: str) -> Change:
    return _note("part_too_long", index=index, counted=counted, limit=limit, network=network)


def too_many_parts(parts: int, max_parts: int, network: str) -> Change:
    where = network_name(network)
    return Change(
        "too_many_parts",
        f"The thread has {POST.counted_en(parts)}; {where} allows at most "
        f"{POST.counted_en(max_parts)}.",
        f"Der Thread hat {POST.counted_de(parts)}; {where} erlaubt höchstens "
        f"{POST.counted_de(max_parts)}.",
    )


# Hand-edited variants and languages


def master_changed_since_edit() -> Change:
    return _note("master_changed_since_edit")


def language_mismatch(post_language: str, account_language: str, account: str) -> Change:
    names_en = {"de": "German", "en": "English"}
    names_de = {"de": "Deutsch", "en": "Englisch"}
    return Change(
        "language_mismatch",
        f"The post is in {names_en.get(post_language, post_language)}, but {account} "
        f"usually posts in {names_en.get(account_language, account_language)}.",
        f"Der Beitrag ist auf {names_de.get(post_language, post_language)}, {account} "
        f"veröffentlicht sonst auf {names_de.get(account_language, account_language)}.",
    )


# Tone


def address_mixed(informal: list[str], formal: list[str]) -> Change:
    return Change(
        "address_mixed",
        f"The text addresses readers both informally ({_words_en(informal)}) and formally "
        f"({_words_en(formal)}). Choose one.",
        f"Der Text spricht die Leser sowohl mit du ({_words_de(informal)}) als auch mit Sie "
        f"({_words_de(formal)}) an. Bitte entscheiden Sie sich für eine Form.",
    )


def address_informal_in_formal(informal: list[str]) -> Change:
    return _note("address_informal_in_formal", words=informal)


def address_formal_in_informal(formal: list[str]) -> Change:
    return _note("address_formal_in_informal", words=formal)


def emoji_not_wanted(count: int) -> Change:
    return Change(
        "emoji_not_wanted",
        f"The plan says to use no emoji, but the text has {EMOJI.counted_en(count)}.",
        f"Der Plan sieht keine Emojis vor, der Text enthält aber {EMOJI.counted_de(count)}.",
    )


def emoji_too_many(count: int, maximum: int) -> Change:
    return Change(
        "emoji_too_many",
        f"The text has {EMOJI.counted_en(count)}; the plan says at most "
        f"{EMOJI.counted_en(maximum)}.",
        f"Der Text enthält {EMOJI.counted_de(count)}; der Plan sieht höchstens "
        f"{EMOJI.counted_de(maximum)} vor.",
    )


def banned_word(found: list[str]) -> Change:
    return _note("banned_word", words=found)


# Wording: the plan's formality, call to action and words to prefer (hints only)


def formality_informal_address(informal: list[str]) -> Change:
    return _note("formality_informal_address", words=informal)


def formality_formal_address(formal: list[str]) -> Change:
    return _note("formality_formal_address", words=formal)


def formality_colloquial(found: list[str]) -> Change:
    return _note("formality_colloquial", words=found)


def formality_contractions(found: list[str]) -> Change:
    return _note("formality_contractions", words=found)


def call_to_action_missing(call_to_action: str, network: str) -> Change:
    where = network_name(network)
    return Change(
        "call_to_action_missing",
        f"The plan's call to action for {where} is “{call_to_action}”, but the text has none "
        "(no link and no request to act). Add it at the end?",
        f"Der Plan sieht für {where} die Handlungsaufforderung „{call_to_action}“ vor, der "
        "Text enthält aber keine (keinen Link und keine Aufforderung). Am Ende ergänzen?",
        suggestion=call_to_action,
    )


def prefer_word_instead(found: str, preferred: str) -> Change:
    return _note("prefer_word_instead", found=found, preferred=preferred)


def prefer_words_unused(words: list[str]) -> Change:
    return _note("prefer_words_unused", words=words)
