"""Counted nouns in English and German: "1 hashtag", "3 hashtags", "1 Beitrag", "3 Beiträge".

Both languages use the singular for exactly one and the plural for everything else,
zero included ("0 hashtags", "0 Hashtags"), so one rule serves both. Pure, no Django: the
engine's notes and the validator's messages carry their own English and German.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Noun:
    """A noun's singular and plural in English and German."""

    one_en: str
    other_en: str
    one_de: str
    other_de: str

    def en(self, count: int | float) -> str:
        return self.one_en if count == 1 else self.other_en

    def de(self, count: int | float) -> str:
        return self.one_de if count == 1 else self.other_de

    def counted_en(self, count: int, number: str | None = None) -> str:
        """ "1 post", "3 posts"; `number` is the count already formatted, if it is."""
        return f"{number or count} {self.en(count)}"

    def counted_de(self, count: int, number: str | None = None) -> str:
        return f"{number or count} {self.de(count)}"


HASHTAG = Noun("hashtag", "hashtags", "Hashtag", "Hashtags")
POST = Noun("post", "posts", "Beitrag", "Beiträge")
PART = Noun("part", "parts", "Teil", "Teile")
EMOJI = Noun("emoji", "emoji", "Emoji", "Emojis")
