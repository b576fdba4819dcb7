"""The validator's messages in English and German. Pure: no Django.

One entry per message: (English, German), formatted with named fields. German addresses
people formally (Sie). A number that counts something is passed as `Counted`, so the
noun agrees with it in both languages ("1 Hashtag", "3 Hashtags"); other numbers are
formatted per language (2,000 and 2000, 10,000 and 10.000).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from townsquare.content.adapting.plurals import HASHTAG, Noun

MESSAGES: dict[str, tuple[str, str]] = {
    "validation_failed": (
        "This post could not be checked. Please try again or contact support.",
        "Dieser Beitrag konnte nicht geprüft werden. Bitte versuchen Sie es noch einmal oder "
        "wenden Sie sich an den Support.",
    ),
    "thread_not_supported": (
        "{net} does not support threads; this variant has {count}.",
        "{net} unterstützt keine Threads; diese Variante hat {count}.",
    ),
    "thread_too_many_parts": (
        "Too long for a thread on {net}: {count}, at most {max}. Shorten the text.",
        "Zu lang für einen Thread auf {net}: {count}, höchstens {max}. Kürzen Sie den Text.",
    ),
    "too_large": (
        "{What} is {count} long, far more than any network accepts.",
        "{What} ist {count} lang, weit mehr als irgendein Netzwerk annimmt.",
    ),
    "invalid_unicode": (
        "{What} contains a broken character (an unpaired surrogate).",
        "{What} enthält ein kaputtes Zeichen (ein einzelnes Surrogat).",
    ),
    "control_characters": (
        "{What} contains an invisible control character ({char}).",
        "{What} enthält ein unsichtbares Steuerzeichen ({char}).",
    ),
    "thread_part_empty": ("This part of the thread is empty.", "Dieser Teil des Threads ist leer."),
    "post_empty": (
        "The post has neither text nor media.",
        "Der Beitrag hat weder Text noch Medien.",
    ),
    "too_long": (
        "{What} is {count} long; {net} allows {max}.",
        "{What} ist {count} lang; {net} erlaubt {max}.",
    ),
    "too_many_bytes": (
        "{What} takes {count}; {net} allows {max}.",
        "{What} belegt {count}; {net} erlaubt {max}.",
    ),
    "forbidden_characters": (
        "{What} contains characters {net} refuses ({chars}).",
        "{What} enthält Zeichen, die {net} ablehnt ({chars}).",
    ),
    "too_many": (
        "The text has {count}; {net} allows at most {max}.",
        "Der Text hat {count}; {net} erlaubt höchstens {max}.",
    ),
    "placeholder_unfilled": (
        "Fill in {placeholder}: it is a placeholder of the template and would be published "
        "as it is.",
        "Füllen Sie {placeholder} aus: Es ist ein Platzhalter der Vorlage und würde so "
        "veröffentlicht.",
    ),
    "links_not_clickable": (
        "Links in {net} texts are not clickable; point to the link in your bio.",
        "Links in {net}-Texten sind nicht anklickbar; verweisen Sie auf den Link in Ihrer Bio.",
    ),
    "content_warning_not_supported": (
        "{net} has no content warnings; it has to go into the text.",
        "{net} kennt keine Inhaltswarnungen; sie muss in den Text.",
    ),
    "title_missing": ("{net} needs a title.", "{net} braucht einen Titel."),
    "link_url_invalid": (
        "The link is not a web address (it has to start with https:// or http://).",
        "Der Link ist keine Webadresse (er muss mit https:// oder http:// beginnen).",
    ),
    "link_in_bio": (
        "{net} does not make links clickable; put the link in your bio and say so.",
        "{net} macht Links nicht anklickbar; setzen Sie den Link in Ihre Bio und weisen Sie "
        "darauf hin.",
    ),
    "media_required": (
        "{net} needs at least one image or video.",
        "{net} braucht mindestens ein Bild oder Video.",
    ),
    "media_too_many": (
        "The post has {count}; {net} allows at most {max}.",
        "Der Beitrag hat {count}; {net} erlaubt höchstens {max}.",
    ),
    "media_kind_too_many": (
        "The post has {count}; {net} allows at most {max}.",
        "Der Beitrag hat {count}; {net} erlaubt höchstens {max}.",
    ),
    "media_kinds_mixed": (
        "{net} does not mix images, GIFs, videos and documents in one post.",
        "{net} mischt Bilder, GIFs, Videos und Dokumente nicht in einem Beitrag.",
    ),
    "media_kind_unsupported": (
        "{net} does not accept this kind of file ({kind}).",
        "{net} nimmt diese Art Datei nicht an ({kind}).",
    ),
    "media_type_unsupported": (
        "{net} does not accept {format} files.",
        "{net} nimmt keine {format}-Dateien an.",
    ),
    "media_too_large": (
        "The file is {size} MB; {net} allows {max} MB.",
        "Die Datei ist {size} MB groß; {net} erlaubt {max} MB.",
    ),
    "media_dimensions_invalid": (
        "The file reports impossible dimensions ({size}).",
        "Die Datei meldet unmögliche Abmessungen ({size}).",
    ),
    "media_aspect_ratio": (
        "The aspect ratio {size} ({ratio}) is outside what {net} accepts ({low} to {high}).",
        "Das Seitenverhältnis {size} ({ratio}) liegt außerhalb dessen, was {net} annimmt "
        "({low} bis {high}).",
    ),
    "media_too_short": (
        "The video runs {seconds} s; {net} needs at least {bound} s.",
        "Das Video dauert {seconds} s; {net} braucht mindestens {bound} s.",
    ),
    "media_too_long": (
        "The video runs {seconds} s; {net} allows at most {bound} s.",
        "Das Video dauert {seconds} s; {net} erlaubt höchstens {bound} s.",
    ),
    "alt_text_missing": (
        "The file has no alt text; people using screen readers will miss it.",
        "Die Datei hat keinen Alternativtext; wer einen Screenreader nutzt, verpasst sie.",
    ),
    "alt_text_dropped": (
        "{net} cannot carry alt text for this file; it will be left out.",
        "{net} kann für diese Datei keinen Alternativtext übernehmen; er entfällt.",
    ),
}
WHAT = {
    "text": ("The text", "Der Text"),
    "caption": ("The caption", "Die Bildunterschrift"),
    "title": ("The title", "Der Titel"),
    "content_warning": ("The content warning", "Die Inhaltswarnung"),
    "alt_text": ("The alt text", "Der Alternativtext"),
    "link_url": ("The link", "Der Link"),
}
# File formats by their names, not their MIME types: "PNG", not "image/png".
FORMAT_NAMES = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/jpg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "image/heic": "HEIC",
    "image/heif": "HEIF",
    "image/avif": "AVIF",
    "image/bmp": "BMP",
    "image/tiff": "TIFF",
    "image/svg+xml": "SVG",
    "video/mp4": "MP4",
    "video/quicktime": "MOV",
    "video/webm": "WebM",
    "video/x-msvideo": "AVI",
    "video/x-matroska": "MKV",
    "application/pdf": "PDF",
}
# Network names that are words, not brands, have German forms ("Matrix-Raum").
NETWORK_NAMES_DE = {
    "linkedin_profile": "LinkedIn (Profil)",
    "linkedin_page": "LinkedIn (Seite)",
    "facebook_page": "Facebook-Seite",
    "telegram_channel": "Telegram-Kanal",
    "matrix_room": "Matrix-Raum",
}


def format_name(mime: str) -> str:
    """ "PNG" for image/png; an unknown type by its subtype (image/x-foo -> "FOO")."""
    mime = mime.strip().lower()
    if mime in FORMAT_NAMES:
        return FORMAT_NAMES[mime]
    subtype = mime.split("/", 1)[-1].split(";", 1)[0].removeprefix("x-")
    return subtype.upper() or mime


CHARACTER = Noun("character", "characters", "Zeichen", "Zeichen")
BYTE = Noun("byte", "bytes", "Byte", "Bytes")
UNIT = {
    "x_weighted_v3": Noun(
        "character as X counts them",
        "characters as X counts them",
        "Zeichen nach X-Zählung",
        "Zeichen nach X-Zählung",
    )
}
KIND = {
    "image": ("image", "Bild"),
    "gif": ("GIF", "GIF"),
    "video": ("video", "Video"),
    "document": ("document", "Dokument"),
}
KIND_FILES = {
    "image": Noun("image", "images", "Bild", "Bilder"),
    "gif": Noun("GIF", "GIFs", "GIF", "GIFs"),
    "video": Noun("video", "videos", "Video", "Videos"),
    "document": Noun("document", "documents", "Dokument", "Dokumente"),
}
MEDIA_FILE = Noun("media file", "media files", "Mediendatei", "Mediendateien")
# What the text has too many of, and what a network allows at most: "3 different links;
# X allows at most 1 link".
THINGS: dict[str, tuple[Noun, Noun]] = {
    "hashtags": (HASHTAG, HASHTAG),
    "cashtags": (Noun("cashtag", "cashtags", "Cashtag", "Cashtags"),) * 2,
    "mentions": (Noun("mention", "mentions", "Erwähnung", "Erwähnungen"),) * 2,
    "links": (
        Noun("link", "different links", "Link", "verschiedene Links"),
        Noun("link", "links", "Link", "Links"),
    ),
}


@dataclass(frozen=True, slots=True)
class Counted:
    """A number of things: written with the noun in the form the number asks for."""

    count: int
    noun: Noun


def _format(value: object, german: bool) -> str:
    if isinstance(value, Counted):
        number = _format(value.count, german)
        return f"{number} {value.noun.de(value.count) if german else value.noun.en(value.count)}"
    if isinstance(value, tuple):
        return str(value[1] if german else value[0])
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", "," if german else ".")
    if german:
        return f"{value:,}".replace(",", ".") if value >= 10_000 else str(value)
    return f"{value:,}"


@lru_cache(maxsize=512)
def messages(message: str, fields: tuple[tuple[str, str, object], ...]) -> tuple[str, str]:
    """The English and German message with its fields (name, repr, value) filled in. Cached:
    every post gets the same few (a network that needs media, links that cannot be clicked);
    the repr keeps apart values that are equal but read differently (1 and 1.0, 0.0 and -0.0)."""
    en, de = MESSAGES[message]
    return (
        en.format(**{key: _format(value, False) for key, _, value in fields}),
        de.format(**{key: _format(value, True) for key, _, value in fields}),
    )
