"""What a composer preview says about one account beyond the post's own problems: a
network's facts that change what the post may be or cost (X: the account's text limit by
its subscription, and the price of the posts under the installation's API plan).

Domain apps ask here instead of importing a connector's modules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def preview_notes(account: Any, parts: Sequence[str], media_count: int) -> list[str]:
    """Sentences for the preview of `parts` (a thread's posts) with `media_count` files,
    in the active language; none for most networks."""
    if account.network != "x":
        return []
    from townsquare.networks.x.composer_notes import cost_note, length_note

    notes = [length_note(account.reported_limits or {})]
    if account.publishes_automatically:
        # Posted by hand when reminded, a post goes through nobody's API plan.
        notes.append(cost_note(parts, media_count))
    return notes
