"""Template placeholders left in a text. Pure: no Django.

A post template (Settings > Writing aids) leaves names in curly braces for the author to
fill in: "Neu im Regal: {Sorte} aus {Herkunft}." The composer starts from that text and
keeps the braces; one left unfilled would be published as it is.

The rule, precisely: a placeholder is "{", a name, "}", where the name is 1 to 40
characters long, starts with a letter (any script), goes on with letters, digits, "_",
"-" and "." and single spaces between words, and ends with a letter or a digit:
"{Sorte}", "{product name}", "{start_date}". Not placeholders, so never flagged:
- doubled braces, "{{Sorte}}" or "{Sorte}}" (template engines, code);
- braces right after "$", "%", "{" or a letter or digit: "${HOME}", "%{x}", "f{x}";
- anything else inside: emoticons "{:", ":{", "}:-)"; code "{ return x; }",
  '{"a": 1}', "{x: 1}"; numbers "{1}"; empty "{}" and padded "{ Sorte }" braces.
"""

from __future__ import annotations

import regex

MAX_NAME = 40
_PLACEHOLDER_RE = regex.compile(
    r"(?<![{$%\p{L}\p{N}_])\{(\p{L}[\p{L}\p{N}_.\-]*(?: [\p{L}\p{N}_.\-]+)*)\}(?!\})"
)


def unfilled_placeholders(text: str) -> list[tuple[int, int]]:
    """Spans of the placeholders in `text`, braces included, in order."""
    if "{" not in text:
        return []
    return [
        match.span()
        for match in _PLACEHOLDER_RE.finditer(text)
        if len(name := match.group(1)) <= MAX_NAME and name[-1].isalnum()
    ]
