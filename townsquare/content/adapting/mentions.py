"""Mentions from the contact book: `@[Name]` in the master becomes each network's handle.

Syntax: `@[` + the contact's name + `]`, e.g. `Danke an @[Stadtwerke Leipzig]!`. The name is
matched without regard to case or repeated spaces, may not contain brackets or a line
break, and is at most 100 characters long. Anything else that starts with `@` (a handle
typed directly, an e-mail address) is left exactly as written, and so is `@[Name](...)`,
which is LinkedIn's own mention format.

For each network the contact's handle is rendered with the target's mention template
(`"{handle}"` by default). A contact without a handle for the network, or a name that is
not in the contact book, becomes the plain name with a warning: the post still reads
correctly, it just does not notify anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from townsquare.content.adapting import notes
from townsquare.content.adapting.model import Change, ContactBook
from townsquare.content.adapting.parsed import MENTION_RE, Edit, ParsedMaster


@dataclass(frozen=True, slots=True)
class MappedMentions:
    edits: tuple[Edit, ...]
    changes: tuple[Change, ...]
    warnings: tuple[Change, ...]


def map_mentions(
    parsed: ParsedMaster, network: str, contacts: ContactBook, template: str = "{handle}"
) -> MappedMentions:
    if not parsed.mentions:
        return MappedMentions((), (), ())
    edits: list[Edit] = []
    changes: dict[str, Change] = {}
    warnings: dict[str, Change] = {}
    for start, end, written in parsed.mentions:
        contact = contacts.find(written)
        if contact is None:
            warnings.setdefault(written.casefold(), notes.mention_unknown(written))
            edits.append(Edit(start, end, written))
            continue
        handle = contact.handles.get(network, "").strip()
        if not handle:
            warnings.setdefault(contact.name, notes.mention_without_handle(contact.name, network))
            edits.append(Edit(start, end, contact.name))
            continue
        rendered = template.format(handle=handle, name=contact.name)
        changes.setdefault(contact.name, notes.mention_mapped(contact.name, rendered, network))
        edits.append(Edit(start, end, rendered))
    return MappedMentions(tuple(edits), tuple(changes.values()), tuple(warnings.values()))


def contact_syntax_left(text: str) -> list[Change]:
    """Warnings for `@[Name]` still in a hand-edited text, which would go out literally."""
    if "@[" not in text:
        return []
    names = dict.fromkeys(match.group(1).strip() for match in MENTION_RE.finditer(text))
    return [notes.mention_syntax_left(name) for name in names]
