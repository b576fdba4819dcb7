"""Best times marked on the calendar's week: the hours that are a best time to post for
the accounts the calendar is filtered to (one account, one network, or every network of
the workspace), with a legend saying for whom and how sure.

Read once per page, not per cell: one reading per network in view (an account with a thin
history of its own two), then each hour of the week looks its mark up in a dictionary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from townsquare.analytics.suggest_times import (
    Advice,
    account_advice,
    may_see,
    network_advice,
)
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership


@dataclass(frozen=True, slots=True)
class WeekMarks:
    advice: tuple[Advice, ...]
    # (weekday with Monday 0, local hour) -> whose best time it is
    hours: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)

    def at(self, weekday: int, hour: int) -> str:
        """Whose best time this hour is ("Mastodon, Bluesky"), or "" for none."""
        return ", ".join(self.hours.get((weekday, hour), ()))


def week_marks(
    membership: Membership,
    accounts: Sequence[SocialAccount],
    *,
    network: str = "",
    account_id: int | None = None,
    now: datetime | None = None,
) -> WeekMarks | None:
    """The marks for the calendar's filters; `accounts` are the workspace's accounts the
    calendar has read already. None when the member may not see analytics or the filters
    leave no account."""
    if not may_see(membership):
        return None
    if account_id is not None:
        chosen = [a for a in accounts if a.pk == account_id]
        advice = account_advice(membership, chosen, now=now)
    else:
        networks = sorted({a.network for a in accounts if not network or a.network == network})
        advice = network_advice(membership, networks, now=now)
    if not advice:
        return None
    hours: dict[tuple[int, int], list[str]] = {}
    for item in advice:
        for suggestion in item.suggestions:
            hours.setdefault((suggestion.weekday, suggestion.hour), []).append(item.who)
    return WeekMarks(tuple(advice), {key: tuple(names) for key, names in hours.items()})
