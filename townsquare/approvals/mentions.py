"""@mentions in comments. Pure: no Django.

A member is mentioned as @name (the part of their e-mail address before the @, or their
name without spaces), as @their@email.address, or as @[Their Name] when the name has spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MENTION = re.compile(
    r"(?<![\w@])@(?:\[(?P<bracketed>[^\]\n]{1,120})\]|(?P<word>[\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?))"
)


@dataclass(frozen=True)
class Person:
    key: int
    email: str
    name: str


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def mentioned(text: str, people: Sequence[Person]) -> list[int]:
    """The keys of the people the text mentions, in the order first mentioned."""
    found: list[int] = []
    for match in MENTION.finditer(text):
        wanted = _norm(match.group("bracketed") or match.group("word") or "").rstrip(".")
        for person in _matching(wanted, people):
            if person.key not in found:
                found.append(person.key)
    return found


def _matching(wanted: str, people: Iterable[Person]) -> list[Person]:
    if not wanted:
        return []
    exact = [p for p in people if p.email.casefold() == wanted]
    if exact:
        return exact
    return [
        p
        for p in people
        if p.email.split("@", 1)[0].casefold() == wanted or (p.name and _norm(p.name) == wanted)
    ]
