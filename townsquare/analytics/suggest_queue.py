"""Suggested slots in Settings > Queue: each account's best times that are not a slot yet,
each added with one click through the queue's own slot form (`do=add`, do_add_slot)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import translation

from townsquare.analytics.suggest_times import account_advice, weekday_names
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership


@dataclass(frozen=True, slots=True)
class SlotOffer:
    weekday: int  # 0 = Monday
    weekday_name: str
    time: str  # HH:MM, as the slot form takes it
    reason: str


@dataclass(frozen=True, slots=True)
class QueueAdvice:
    note: str  # the confidence in words
    general: bool  # general guidance, not the workspace's own history
    offers: tuple[SlotOffer, ...]  # best times without a slot yet


def queue_suggestions(
    membership: Membership,
    accounts: Iterable[SocialAccount],
    slots: Mapping[int, Sequence[Any]],
    *,
    now: datetime | None = None,
) -> dict[int, QueueAdvice]:
    """Per account id (only the workspace's, and only for members who may see analytics);
    `slots` are each account's Slot rows, whose times are not offered again."""
    names = weekday_names()
    language = translation.get_language() or "en"
    found = {}
    for item in account_advice(membership, accounts, now=now):
        if item.account is None:  # account_advice names each account; for the type checker
            continue
        taken = {(s.weekday, s.time.strftime("%H:%M")) for s in slots.get(item.account.pk, ())}
        offers = []
        for suggestion in item.suggestions:
            at = f"{suggestion.hour:02d}:00"
            if (suggestion.weekday, at) not in taken:
                offers.append(
                    SlotOffer(
                        suggestion.weekday,
                        names[suggestion.weekday],
                        at,
                        suggestion.reason(language),
                    )
                )
        found[item.account.pk] = QueueAdvice(item.note, item.general, tuple(offers))
    return found
