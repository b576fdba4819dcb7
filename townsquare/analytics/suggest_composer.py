"""Suggested times in the composer: the next moments that are a best time of the accounts
chosen, beside the date and time field.

Each suggestion is a submit button named `suggested_when`: with JavaScript (composer.js)
it fills the field in place; without, it sends the form and the page comes back with
everything typed kept and the time filled (`with_suggested_time`). The list follows the
chosen accounts through `suggested_times_partial` (htmx), or through Preview without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from townsquare.analytics.suggest_times import (
    Advice,
    Moment,
    account_advice,
    may_see,
    next_moments,
)
from townsquare.calendars.grid import parse_at
from townsquare.lib.bounds import id_from_text
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view

FIELD = "suggested_when"


@dataclass(frozen=True, slots=True)
class ComposerSuggestions:
    chosen: bool  # whether any account is chosen
    moments: tuple[Moment, ...] = ()
    advice: tuple[Advice, ...] = field(default=())


def chosen_account_ids(values: Iterable[Any]) -> list[int]:
    """The ids a form names (ASCII digits within the id range; anything else is no id)."""
    ids = (id_from_text(str(value)[:32]) for value in values)
    return list(dict.fromkeys(i for i in ids if i is not None))[:50]


def composer_suggestions(
    membership: Membership, account_ids: Iterable[Any], *, now: datetime | None = None
) -> ComposerSuggestions | None:
    """None for a member who may not see analytics (nothing is shown then)."""
    if not may_see(membership):
        return None
    ids = chosen_account_ids(account_ids)
    accounts = list(
        SocialAccount.objects.filter(workspace=membership.workspace, pk__in=ids).order_by(
            "network", "handle"
        )
    )
    if not accounts:
        return ComposerSuggestions(chosen=False)
    advice = account_advice(membership, accounts, now=now)
    return ComposerSuggestions(
        chosen=True,
        moments=tuple(next_moments(membership, advice, now=now)),
        advice=tuple(advice),
    )


def form_account_ids(form: Any) -> list[Any]:
    """The accounts chosen in the composer's form: as sent, or as it starts."""
    if form.is_bound:
        return list(form.data.getlist("accounts"))
    return list(form.initial.get("accounts") or [])


def with_suggested_time(data: QueryDict) -> QueryDict | None:
    """The form as sent with the suggested time pressed (no JavaScript) put into its date
    and time field; None when no suggestion was pressed or its value is not a time."""
    raw = data.get(FIELD, "")
    at = parse_at(raw) if isinstance(raw, str) else None
    if at is None:
        return None
    changed = data.copy()
    changed["when"] = at.strftime("%Y-%m-%dT%H:%M")
    changed.pop(FIELD, None)
    return changed


@workspace_view(Perm.WRITE_DRAFTS, methods=("GET",))
def suggested_times_partial(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The suggestions for the accounts ticked right now (htmx, when the ticks change)."""
    return render(
        request,
        "analytics/partials/suggested_times.html",
        {
            "workspace": membership.workspace,
            "suggested": composer_suggestions(membership, request.GET.getlist("accounts")),
        },
    )
