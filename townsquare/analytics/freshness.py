"""How fresh the figures are, and whether collecting them has a problem: what the dashboards
show beside every figure ("read 2 hours ago"; "collection failing since …: reason").

`read_at` is the oldest last successful reading among the accounts in view that were ever
read, so "read 2 hours ago" holds for every figure on the page; an account whose collection
fails is named as the problem instead of silently making every figure look old. Accounts on
networks Townsquare does not read (their figures only come from imports) are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.analytics.access import access_collection_states
from townsquare.analytics.collection import metrics_networks
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

SHOWN_FIELDS = ("pk", "network", "handle", "display_name", "needs_reconnect", "removed_at")


@dataclass(frozen=True)
class Freshness:
    read_at: datetime | None  # the oldest last success among the accounts read (None: never)
    newest_read_at: datetime | None
    accounts: int  # accounts in view whose figures Townsquare reads
    never_read: int  # of those, not read yet (just connected: the first reading is due)
    failing: int  # of those, whose last reading failed
    not_collected: int  # accounts in view on networks Townsquare does not read
    # The longest-failing account's problem: since when, its code and reason in words.
    failing_since: datetime | None = None
    problem_code: str = ""
    problem: str = ""
    problem_account: str = ""
    stopped: bool = False  # collection of that account waits for a person (reconnect)
    # That account when its collection stopped, its login still works and this member may
    # connect accounts: the dashboards offer "Try again" for it (collection_actions.py).
    retry_account_id: int | None = None

    @property
    def has_problem(self) -> bool:
        return self.failing > 0


def freshness(
    membership: Membership,
    *,
    account: SocialAccount | int | None = None,
    network: str | None = None,
) -> Freshness:
    """The freshness of the workspace's figures, or of one account's (the account or its
    id) or one network's."""
    accounts = SocialAccount.objects.filter(workspace=membership.workspace)
    if account is not None:
        accounts = accounts.filter(pk=account if isinstance(account, int) else account.pk)
    if network is not None:
        accounts = accounts.filter(network=network)
    read_networks = set(metrics_networks())
    in_view = list(accounts.only(*SHOWN_FIELDS))
    collected = [a for a in in_view if a.network in read_networks]
    states = {
        s.account_id: s
        for s in access_collection_states(membership).filter(account_id__in=[a.pk for a in in_view])
    }
    # Accounts of a network without a connector can still have a state (the demo's do).
    collected_ids = {a.pk for a in collected} | set(states)
    successes = [s.last_success_at for s in states.values() if s.last_success_at]
    failing = [
        (s.failing_since or s.last_error_at, s, a)
        for a in in_view
        if (s := states.get(a.pk)) is not None and s.last_error_code
    ]
    # A login found broken by publishing is a collection problem too: nothing is read.
    unread_logins = [
        a
        for a in collected
        if a.needs_reconnect and not (a.pk in states and states[a.pk].last_error_code)
    ]
    problem = min(failing, key=lambda f: f[0] or timezone.now()) if failing else None
    fields: dict[str, object] = {}
    if problem is not None:
        since, state, failing_account = problem
        fields = {
            "failing_since": since,
            "problem_code": state.last_error_code,
            "problem": state.last_error,
            "problem_account": failing_account.label,
            "stopped": state.next_due_at is None,
            "retry_account_id": failing_account.pk
            if state.next_due_at is None
            and not failing_account.needs_reconnect
            and failing_account.removed_at is None
            and has_perm(membership.role, Perm.CONNECT_ACCOUNTS)
            else None,
        }
    elif unread_logins:
        fields = {
            "problem_code": "reauth",
            "problem": _(
                "The network no longer accepts Townsquare's login for this account. Connect "
                "the account again to read its figures; those read so far are kept."
            ),
            "problem_account": unread_logins[0].label,
            "stopped": True,
        }
    return Freshness(
        read_at=min(successes) if successes else None,
        newest_read_at=max(successes) if successes else None,
        accounts=len(collected_ids),
        never_read=sum(
            1 for pk in collected_ids if pk not in states or not states[pk].last_success_at
        ),
        failing=len(failing) + len(unread_logins),
        not_collected=len(in_view) - len(collected_ids),
        **fields,  # type: ignore[arg-type]
    )
